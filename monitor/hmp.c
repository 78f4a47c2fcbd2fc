/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The human monitor: the command tables, the command-line parser with
 * QEMU's argument syntax and messages, help, and human-monitor-command.
 * A command's output is plain text with "\n" line ends, sent as "\r\n".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qemu/option.h"
#include "qemu/qemu-print.h"
#include "hw/qdev-core.h"
#include "monitor/hmp-internal.h"

const HMPCommand hmp_info_cmds[] = {
    { "version", "", "", "show the version of QEMU", hmp_info_version,
      .preconfig = true },
    { "network", "", "", "show the network state", hmp_info_network },
    { "chardev", "", "", "show the character devices", hmp_info_chardev,
      .preconfig = true },
    { "cpus", "", "", "show infos for each CPU", hmp_info_cpus },
    { "pci", "", "", "show PCI info", hmp_info_pci },
    { "mtree", "disabled:-D", "[-D]",
      "show memory tree (-D: dump disabled regions)", hmp_info_mtree },
    { "kvm", "", "", "show KVM information", hmp_info_kvm },
    { "status", "", "", "show the current VM status (running|paused)",
      hmp_info_status, .preconfig = true },
    { "name", "", "", "show the current VM name", hmp_info_name,
      .preconfig = true },
    { "uuid", "", "", "show the current VM UUID", hmp_info_uuid,
      .preconfig = true },
    { "migrate", "", "", "show migration status", hmp_info_migrate },
    { "migrate_capabilities", "", "",
      "show current migration capabilities",
      hmp_info_migrate_capabilities },
    { "migrate_parameters", "", "", "show current migration parameters",
      hmp_info_migrate_parameters },
    { "balloon", "", "", "show balloon information", hmp_info_balloon },
    { "qtree", "", "", "show device tree", hmp_info_qtree },
    { "qdm", "", "", "show qdev device model list", hmp_info_qdm },
    { "qom-tree", "path:s?", "[path]", "show QOM composition tree",
      hmp_info_qom_tree, .preconfig = true },
    { "memdev", "", "", "show memory backends", hmp_info_memdev,
      .preconfig = true },
    { "memory-devices", "", "", "show memory devices",
      hmp_info_memory_devices },
    { "iothreads", "", "", "show iothreads", hmp_info_iothreads,
      .preconfig = true },
    { "hotpluggable-cpus", "", "",
      "Show information about hotpluggable CPUs",
      hmp_info_hotpluggable_cpus, .preconfig = true },
    { "memory_size_summary", "", "",
      "show the amount of initially allocated and present hotpluggable "
      "(if enabled) memory in bytes.", hmp_info_memory_size_summary },
    { NULL },
};

const HMPCommand hmp_cmds[] = {
    { "help|?", "name:S?", "[cmd]", "show the help", hmp_help,
      .preconfig = true },
    { "q|quit", "", "", "quit the emulator", hmp_quit, .preconfig = true },
    { "exit_preconfig", "", "", "exit the preconfig state",
      hmp_exit_preconfig, .preconfig = true },
    { "stop", "", "", "stop emulation", hmp_stop },
    { "c|cont", "", "", "resume emulation", hmp_cont },
    { "system_reset", "", "", "reset the system", hmp_system_reset },
    { "system_powerdown", "", "", "send system power down event",
      hmp_system_powerdown },
    { "device_add", "device:O", "driver[,prop=value][,...]",
      "add device, like -device on the command line", hmp_device_add },
    { "device_del", "id:s", "device", "remove device", hmp_device_del },
    { "cpu", "index:i", "index", "set the default CPU", hmp_cpu },
    { "migrate", "detach:-d,blk:-b,inc:-i,resume:-r,uri:s",
      "[-d] [-b] [-i] [-r] uri",
      "migrate to URI (using -d to not wait for completion)"
      "\n\t\t\t -b for migration without shared storage with"
      " full copy of disk\n\t\t\t -i for migration without "
      "shared storage with incremental copy of disk "
      "(base image shared between src and destination)"
      "\n\t\t\t -r to resume a paused migration", hmp_migrate },
    { "migrate_cancel", "", "", "cancel the current VM migration",
      hmp_migrate_cancel },
    { "migrate_incoming", "uri:s", "uri",
      "Continue an incoming migration from an -incoming defer",
      hmp_migrate_incoming },
    { "migrate_set_capability", "capability:s,state:b", "capability state",
      "Enable/Disable the usage of a capability for migration",
      hmp_migrate_set_capability },
    { "migrate_set_parameter", "parameter:s,value:s", "parameter value",
      "Set the parameter for migration", hmp_migrate_set_parameter },
    { "balloon", "value:M", "target",
      "request VM to change its memory allocation (in MB)", hmp_balloon },
    { "set_link", "name:s,up:b", "name on|off",
      "change the link status of a network adapter", hmp_set_link },
    { "netdev_add", "netdev:O",
      "[user|tap|socket|stream|dgram|hubport],id=str[,prop=value][,...]",
      "add host network device", hmp_netdev_add },
    { "netdev_del", "id:s", "id", "remove host network device",
      hmp_netdev_del },
    { "object_add", "object:S", "[qom-type=]type,id=str[,prop=value][,...]",
      "create QOM object", hmp_object_add },
    { "object_del", "id:s", "id", "destroy QOM object", hmp_object_del },
    { "qom-list", "path:s?", "path", "list QOM properties", hmp_qom_list,
      .preconfig = true },
    { "qom-get", "path:s,property:s", "path property",
      "print QOM property", hmp_qom_get, .preconfig = true },
    { "qom-set", "json:-j,path:s,property:s,value:S",
      "[-j] path property value",
      "set QOM property.\n\t\t\t-j: the value is specified in json format.",
      hmp_qom_set, .preconfig = true },
    { "info", "item:s?", "[subcommand]",
      "show various information about the system state", hmp_info_help,
      hmp_info_cmds, .preconfig = true },
    { NULL },
};

/* ---- output ----------------------------------------------------------- */

void hmp_printf(MonitorHMP *mon, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_string_append_vprintf(mon->out, fmt, ap);
    va_end(ap);
}

bool hmp_handle_error(MonitorHMP *mon, GError *err)
{
    if (!err) {
        return false;
    }
    hmp_printf(mon, "Error: %s\n", err->message);
    g_error_free(err);
    return true;
}

char *hmp_crlf(const char *out)
{
    GString *s = g_string_sized_new(strlen(out) + 16);

    for (const char *p = out; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(s, '\r');
        }
        g_string_append_c(s, *p);
    }
    return g_string_free(s, false);
}

/* ---- arguments -------------------------------------------------------- */

const char *hmp_arg_str(JsonObject *args, const char *name)
{
    return json_object_get_string_member_with_default(args, name, NULL);
}

bool hmp_arg_bool(JsonObject *args, const char *name, bool def)
{
    return json_object_get_boolean_member_with_default(args, name, def);
}

int64_t hmp_arg_int(JsonObject *args, const char *name, int64_t def)
{
    return json_object_get_int_member_with_default(args, name, def);
}

/* ---- the CPU a session acts on ---------------------------------------- */

static bool cpu_exists(int64_t index, int64_t *first)
{
    g_autoptr(GError) err = NULL;
    CpuInfoFastList *cpus = qmp_query_cpus_fast(&err);
    bool found = false;

    *first = cpus ? cpus->value->cpu_index : -1;
    for (CpuInfoFastList *l = cpus; l; l = l->next) {
        found |= l->value->cpu_index == index;
    }
    qapi_free_CpuInfoFastList(cpus);
    return found;
}

int64_t hmp_cur_cpu(MonitorHMP *mon)
{
    int64_t first;

    if (mon->cpu_index >= 0 && cpu_exists(mon->cpu_index, &first)) {
        return mon->cpu_index;
    }
    cpu_exists(-1, &first);
    return first;
}

bool hmp_set_cpu(MonitorHMP *mon, int64_t index)
{
    int64_t first;

    if (!cpu_exists(index, &first)) {
        return false;
    }
    mon->cpu_index = index;
    return true;
}

/* ---- parsing ---------------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

static const char *skip_spaces(const char *p)
{
    while (is_space(*p)) {
        p++;
    }
    return p;
}

/*
 * One word, or a double-quoted string with \n \r \\ \' \" escapes.
 * NULL (and *pp unchanged) if there is none or the quoting is broken.
 */
static char *get_str(const char **pp)
{
    const char *p = skip_spaces(*pp);
    GString *s;

    if (!*p) {
        return NULL;
    }
    s = g_string_new(NULL);
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++) {
            char c = *p;

            if (c == '\\') {
                c = *++p;
                if (c == 'n') {
                    c = '\n';
                } else if (c == 'r') {
                    c = '\r';
                } else if (c != '\\' && c != '\'' && c != '"') {
                    g_string_free(s, true);
                    return NULL;
                }
            }
            g_string_append_c(s, c);
        }
        if (*p != '"') {
            g_string_free(s, true);
            return NULL;
        }
        p++;
    } else {
        while (*p && !is_space(*p)) {
            g_string_append_c(s, *p++);
        }
    }
    *pp = p;
    return g_string_free(s, false);
}

/* An integer as QEMU's monitor reads one: [+-~] then C notation. */
static bool get_int(MonitorHMP *mon, const char **pp, int64_t *val)
{
    const char *p = skip_spaces(*pp);
    bool neg = false, inv = false;
    char *end;

    if (*p == '+' || *p == '-' || *p == '~') {
        neg = *p == '-';
        inv = *p == '~';
        p = skip_spaces(p + 1);
    }
    if (!*p) {
        hmp_printf(mon, "unexpected end of expression\n");
        return false;
    }
    errno = 0;
    *val = (int64_t)strtoull(p, &end, 0);
    if (errno == ERANGE) {
        hmp_printf(mon, "number too large\n");
        return false;
    }
    if (end == p) {
        hmp_printf(mon, "invalid char '%c' in expression\n", *p);
        return false;
    }
    if (*end && !is_space(*end)) {
        hmp_printf(mon, "invalid char '%c' in expression\n", *end);
        return false;
    }
    *val = neg ? -*val : inv ? ~*val : *val;
    *pp = end;
    return true;
}

/* Is -c one of the flags still to come in typestr? */
static bool is_valid_option(char c, const char *typestr)
{
    char opt[3] = { '-', c, 0 };

    return c && strstr(typestr, opt);
}

/*
 * The arguments of cmd from p, into an object keyed by argument name
 * (strings, booleans, integers).  On error the reason is printed and
 * NULL returned.
 */
static JsonObject *parse_arguments(MonitorHMP *mon, const HMPCommand *cmd,
                                   const char *p)
{
    g_autoptr(JsonObject) args = json_object_new();
    g_auto(GStrv) items = g_strsplit(cmd->args_type, ",", -1);

    for (int i = 0; items[i] && *items[i]; i++) {
        const char *colon = strchr(items[i], ':');
        g_autofree char *key = g_strndup(items[i], colon - items[i]);
        const char *type = colon + 1;
        bool optional = type[1] == '?';
        g_autofree char *rest = g_strjoinv(",", items + i + 1);

        p = skip_spaces(p);
        switch (type[0]) {
        case 's': {
            g_autofree char *s = NULL;

            if (optional && !*p) {
                break;
            }
            s = get_str(&p);
            if (!s) {
                hmp_printf(mon, "%s: string expected\n", cmd->name);
                return NULL;
            }
            json_object_set_string_member(args, key, s);
            break;
        }
        case 'S':
            if (!*p) {
                if (optional) {
                    break;
                }
                hmp_printf(mon, "%s: string expected\n", cmd->name);
                return NULL;
            }
            json_object_set_string_member(args, key, p);
            p += strlen(p);
            break;
        case 'O': {
            g_autofree char *s = NULL;
            g_autoptr(QemuOpts) opts = NULL;
            GError *err = NULL;

            if (!*p) {
                break;
            }
            s = get_str(&p);
            if (!s) {
                return NULL;
            }
            opts = qemu_opts_parse(s, strcmp(key, "netdev") ? "driver"
                                                           : "type", &err);
            if (!opts) {
                hmp_printf(mon, "%s\n", err->message);
                g_error_free(err);
                return NULL;
            }
            json_object_set_string_member(args, key, s);
            break;
        }
        case 'b': {
            const char *beg = p;

            while (*p && !is_space(*p)) {
                p++;
            }
            if (p - beg == 2 && !strncmp(beg, "on", 2)) {
                json_object_set_boolean_member(args, key, true);
            } else if (p - beg == 3 && !strncmp(beg, "off", 3)) {
                json_object_set_boolean_member(args, key, false);
            } else {
                hmp_printf(mon, "Expected 'on' or 'off'\n");
                return NULL;
            }
            break;
        }
        case 'i':
        case 'M': {
            int64_t val;

            if (optional && !*p) {
                break;
            }
            if (!get_int(mon, &p, &val)) {
                return NULL;
            }
            if (type[0] == 'i' && ((uint64_t)val >> 32) != 0) {
                hmp_printf(mon, "'%s' has failed: integer is for 32-bit "
                           "values\n", cmd->name);
                return NULL;
            }
            if (type[0] == 'M') {
                if (val < 0) {
                    hmp_printf(mon, "enter a positive value\n");
                    return NULL;
                }
                val *= 1024 * 1024;
            }
            json_object_set_int_member(args, key, val);
            break;
        }
        case '-':
            if (*p == '-') {
                if (p[1] == type[1]) {
                    json_object_set_boolean_member(args, key, true);
                    p += 2;
                } else if (!is_valid_option(p[1], rest)) {
                    hmp_printf(mon, "%s: unsupported option -%c\n",
                               cmd->name, p[1]);
                    return NULL;
                }
            }
            break;
        default:
            hmp_printf(mon, "%s: unknown type '%c'\n", cmd->name, type[0]);
            return NULL;
        }
    }
    p = skip_spaces(p);
    if (*p) {
        hmp_printf(mon, "%s: extraneous characters at the end of line\n",
                   cmd->name);
        return NULL;
    }
    return g_steal_pointer(&args);
}

/* Does name match one of the '|'-separated alternatives in list? */
static bool compare_cmd(const char *name, const char *list)
{
    size_t len = strlen(name);

    for (const char *p = list; *p;) {
        const char *bar = strchr(p, '|');

        if (!bar) {
            bar = p + strlen(p);
        }

        if ((size_t)(bar - p) == len && !strncmp(p, name, len)) {
            return true;
        }
        p = *bar ? bar + 1 : bar;
    }
    return false;
}

static bool cmd_available(const HMPCommand *cmd)
{
    return cmd->preconfig || qdev_machine_creation_done_p();
}

/*
 * The command named at *cmdp, descending into subcommand tables; *cmdp
 * is left after the name(s).  NULL for a blank line, or after printing
 * why (start: the whole line, for QEMU's "unknown command: 'info xyz'").
 */
static const HMPCommand *parse_command(MonitorHMP *mon, const char *start,
                                       const char **cmdp,
                                       const HMPCommand *table)
{
    const char *p = skip_spaces(*cmdp);
    const char *name_start = p;
    g_autofree char *name = NULL;
    const HMPCommand *cmd;

    if (!*p) {
        return NULL;
    }
    while (*p && *p != '/' && !is_space(*p)) {
        p++;
    }
    name = g_strndup(name_start, MIN(p - name_start, 255));
    for (cmd = table; cmd->name && !compare_cmd(name, cmd->name); cmd++) {
    }
    if (!cmd->name) {
        hmp_printf(mon, "unknown command: '%.*s'\n", (int)(p - start),
                   start);
        return NULL;
    }
    if (!cmd_available(cmd)) {
        hmp_printf(mon, "Command '%.*s' not available until machine "
                   "initialization has completed.\n", (int)(p - start),
                   start);
        return NULL;
    }
    p = skip_spaces(p);
    *cmdp = p;
    if (cmd->sub_table && *p) {
        return parse_command(mon, start, cmdp, cmd->sub_table);
    }
    return cmd;
}

void hmp_handle_command(MonitorHMP *mon, const char *cmdline)
{
    const char *p = cmdline;
    const HMPCommand *cmd = parse_command(mon, cmdline, &p, hmp_cmds);
    g_autoptr(JsonObject) args = NULL;
    GString *old;

    if (!cmd) {
        return;
    }
    args = parse_arguments(mon, cmd, p);
    if (!args) {
        const char *end = p;

        while (end > cmdline && is_space(end[-1])) {
            end--;
        }
        hmp_printf(mon, "Try \"help %.*s\" for more information\n",
                   (int)(end - cmdline), cmdline);
        return;
    }
    /* Help texts and error reports of the layers below land here too. */
    old = qemu_print_set_capture(mon->out);
    cmd->cmd(mon, args);
    qemu_print_set_capture(old);
}

/* ---- help ------------------------------------------------------------- */

static void help_dump_one(MonitorHMP *mon, const HMPCommand *cmd,
                          char **prefix, int nprefix)
{
    if (!cmd_available(cmd)) {
        return;
    }
    for (int i = 0; i < nprefix; i++) {
        hmp_printf(mon, "%s ", prefix[i]);
    }
    hmp_printf(mon, "%s %s -- %s\n", cmd->name, cmd->params, cmd->help);
}

static void help_dump(MonitorHMP *mon, const HMPCommand *table, char **args,
                      int nargs, int index)
{
    const HMPCommand *cmd;

    if (index >= nargs) {
        for (cmd = table; cmd->name; cmd++) {
            help_dump_one(mon, cmd, args, index);
        }
        return;
    }
    for (cmd = table; cmd->name; cmd++) {
        if (compare_cmd(args[index], cmd->name) && cmd_available(cmd)) {
            if (cmd->sub_table) {
                help_dump(mon, cmd->sub_table, args, nargs, index + 1);
            } else {
                help_dump_one(mon, cmd, args, index);
            }
            return;
        }
    }
    hmp_printf(mon, "unknown command: '");
    for (int i = 0; i <= index; i++) {
        hmp_printf(mon, "%s%s", args[i], i == index ? "'\n" : " ");
    }
}

void hmp_help_cmd(MonitorHMP *mon, const char *name)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    const char *p = name ? name : "";

    /* QEMU takes at most 16 words and gives no help for a broken line. */
    for (p = skip_spaces(p); *p; p = skip_spaces(p)) {
        char *word = args->len < 16 ? get_str(&p) : NULL;

        if (!word) {
            return;
        }
        g_ptr_array_add(args, word);
    }
    help_dump(mon, hmp_cmds, (char **)args->pdata, args->len, 0);
}

void hmp_help(MonitorHMP *mon, JsonObject *args)
{
    hmp_help_cmd(mon, hmp_arg_str(args, "name"));
}

void hmp_info_help(MonitorHMP *mon, JsonObject *args)
{
    hmp_help_cmd(mon, "info");
}

/* ---- QMP -------------------------------------------------------------- */

char *qmp_human_monitor_command(const char *command_line, bool has_cpu_index,
                                int64_t cpu_index, GError **errp)
{
    MonitorHMP mon = { .cpu_index = -1 };
    g_autoptr(GString) out = g_string_new(NULL);

    mon.out = out;
    if (has_cpu_index && !hmp_set_cpu(&mon, cpu_index)) {
        error_setg(errp, "Parameter 'cpu-index' expects a CPU number");
        return NULL;
    }
    hmp_handle_command(&mon, command_line);
    return hmp_crlf(out->str);
}
