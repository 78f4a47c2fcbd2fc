/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command line, in qemu-system-x86_64's syntax, and start-up.
 *
 * Options are first collected in order, then acted on in the order QEMU
 * uses: help and version, chardevs, monitors, qtest, the machine, netdevs,
 * devices, reset, run state.  Any bad option prints one line naming it and
 * exits with status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config-host.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qemu/option.h"
#include "qemu/main-loop.h"
#include "chardev/char.h"
#include "monitor/monitor.h"
#include "system/qtest.h"
#include "qemu/accel.h"
#include "migration/misc.h"
#include "qom/object_interfaces.h"
#include "system/runstate.h"
#include "system/system.h"
#include "system/qdev-monitor.h"
#include "system/readconfig.h"
#include "hw/boards.h"
#include "hw/char/serial.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/qdev-core.h"
#include "net/net.h"
#include "qemu/fdset.h"

typedef enum {
    OPT_HELP, OPT_VERSION, OPT_MACHINE, OPT_ACCEL, OPT_ENABLE_KVM,
    OPT_NODEFAULTS, OPT_DISPLAY, OPT_NOGRAPHIC, OPT_M, OPT_S, OPT_NAME,
    OPT_DEVICE, OPT_NETDEV, OPT_CHARDEV, OPT_MON, OPT_QMP, OPT_QMP_PRETTY,
    OPT_QTEST, OPT_QTEST_LOG, OPT_INCOMING, OPT_PIDFILE, OPT_DAEMONIZE,
    OPT_NO_USER_CONFIG, OPT_GLOBAL, OPT_OBJECT, OPT_TRACE, OPT_IGNORED,
    OPT_IGNORED_ARG, OPT_SERIAL, OPT_ADD_FD,
    OPT_NIC, OPT_READCONFIG, OPT_NO_ACPI,
    OPT_NO_SHUTDOWN, OPT_NO_REBOOT,
    OPT_FW_CFG, OPT_SMP, OPT_UUID, OPT_PRECONFIG, OPT_BOOT,
    OPT_MONITOR,
} OptIndex;

typedef struct OptDef {
    const char *name;
    OptIndex index;
    bool has_arg;
    const char *help;           /* NULL: not listed by -help */
} OptDef;

static const OptDef opt_defs[] = {
    { "h", OPT_HELP, false, NULL },
    { "help", OPT_HELP, false, "display this help and exit" },
    { "version", OPT_VERSION, false, "display version information and exit" },
    { "machine", OPT_MACHINE, true,
      "[type=]name[,prop=value...]  select the machine (pc, the default; "
      "q35; none; 'help' lists them)" },
    { "M", OPT_MACHINE, true, NULL },
    { "accel", OPT_ACCEL, true,
      "tcg|qtest  accelerator ('help' lists them; kvm:tcg falls back to "
      "tcg)" },
    { "enable-kvm", OPT_ENABLE_KVM, false, NULL },
    { "nodefaults", OPT_NODEFAULTS, false, "don't create default devices" },
    { "display", OPT_DISPLAY, true, "none  (there is no display)" },
    { "nographic", OPT_NOGRAPHIC, false, NULL },
    { "m", OPT_M, true, "[size=]megs[M|G]  guest RAM size (default 128M)" },
    { "S", OPT_S, false, "do not start the guest at start-up ('cont' does)" },
    { "preconfig", OPT_PRECONFIG, false, "pause before machine creation; "
      "QMP 'x-exit-preconfig' creates it" },
    { "name", OPT_NAME, true, "[guest=]name[,debug-threads=on|off]" },
    { "device", OPT_DEVICE, true,
      "driver[,prop=value...] | JSON  add a device ('help', "
      "'DRIVER,help')" },
    { "netdev", OPT_NETDEV, true, "type,id=ID[,...] | JSON  add a network backend" },
    { "nic", OPT_NIC, true, "[type][,id=ID][,mac=MAC][,model=MODEL][,...]  "
      "a network backend and its NIC (model: virtio-net-pci; 'help', "
      "'none')" },
    { "chardev", OPT_CHARDEV, true,
      "backend,id=ID[,...]  socket (path|host,port|fd, server, wait), "
      "stdio, file, pty, null" },
    { "mon", OPT_MON, true, "chardev=ID[,mode=readline|control]  human "
      "monitor (default) or QMP on a chardev" },
    { "monitor", OPT_MONITOR, true, "dev  human monitor on a chardev spec "
      "(stdio, unix:PATH[,server=on,wait=off], tcp:..., none)" },
    { "qmp", OPT_QMP, true, "dev  QMP monitor on a chardev spec "
      "(unix:PATH[,server=on,wait=off], tcp:HOST:PORT[,...], stdio)" },
    { "qmp-pretty", OPT_QMP_PRETTY, true, "dev  like -qmp, pretty JSON" },
    { "qtest", OPT_QTEST, true, "dev  serve the qtest protocol on dev" },
    { "qtest-log", OPT_QTEST_LOG, true, "file|none  log of the qtest "
      "protocol (default: stderr)" },
    { "incoming", OPT_INCOMING, true,
      "uri|defer  wait for an incoming migration" },
    { "pidfile", OPT_PIDFILE, true, "file  write the process id to file" },
    { "daemonize", OPT_DAEMONIZE, false,
      "detach once start-up is complete" },
    { "no-user-config", OPT_NO_USER_CONFIG, false,
      "do not read user configuration (there is none)" },
    { "nodefconfig", OPT_NO_USER_CONFIG, false, NULL },
    { "global", OPT_GLOBAL, true, "driver.property=value  default for "
      "every device of that driver" },
    { "object", OPT_OBJECT, true, "qom-type,id=ID[,...] | JSON  create an object "
      "(memory-backend-ram, memory-backend-file, secret, rng-builtin, "
      "filter-mirror, "
      "filter-redirector, filter-buffer, filter-dump; 'help' lists them)" },
    { "readconfig", OPT_READCONFIG, true, "file  options from a QEMU "
      "config file ([machine], [device \"ID\"], [netdev \"ID\"], "
      "[chardev \"ID\"], [object \"ID\"], [global], [accel], ...)" },
    { "trace", OPT_TRACE, true, NULL },
    { "no-shutdown", OPT_NO_SHUTDOWN, false,
      "stop (state 'shutdown') instead of exiting when the guest powers "
      "off" },
    { "fw_cfg", OPT_FW_CFG, true,
      "[name=]opt/NAME,string=TEXT|file=PATH  a file for the firmware "
      "(and baton's built-in guest) in fw_cfg" },
    { "no-reboot", OPT_NO_REBOOT, false,
      "exit instead of rebooting (a reset request shuts down)" },
    { "serial", OPT_SERIAL, true,
      "dev  a COM port (16550A, isa-serial) on chardev dev: null, stdio, pty, "
      "file:PATH, unix:PATH[,...], tcp:HOST:PORT[,...], chardev:ID, none" },
    /* Accepted so that management-generated command lines start; they
     * configure things baton does not emulate. */
    { "add-fd", OPT_ADD_FD, true, "fd=fd,set=set[,opaque=opaque]  pass an "
      "inherited descriptor as /dev/fdset/set" },
    { "no-acpi", OPT_NO_ACPI, false, NULL },
    { "no-hpet", OPT_IGNORED, false, NULL },
    { "usb", OPT_IGNORED, false, NULL },
    { "realtime", OPT_IGNORED_ARG, true, NULL },
    { "smp", OPT_SMP, true, "[cpus=]n[,maxcpus=,sockets=,dies=,cores=,"
      "threads=]  CPU count and topology (the CPUs are inert objects)" },
    { "cpu", OPT_IGNORED_ARG, true, NULL },
    { "uuid", OPT_UUID, true, "%08x-%04x-%04x-%04x-%012x  machine UUID" },
    { "rtc", OPT_IGNORED_ARG, true, NULL },
    { "boot", OPT_BOOT, true, "[order=drives][,menu=on|off][,splash-time=ms]"
      "[,reboot-timeout=ms][,...]  firmware boot settings (fw_cfg)" },
    { "msg", OPT_IGNORED_ARG, true, NULL },
    { "sandbox", OPT_IGNORED_ARG, true, NULL },
    { "overcommit", OPT_IGNORED_ARG, true, NULL },
    { "vga", OPT_IGNORED_ARG, true, NULL },
    { "parallel", OPT_IGNORED_ARG, true, NULL },
    { "audiodev", OPT_IGNORED_ARG, true, NULL },
};

typedef struct CmdOpt {
    const OptDef *def;
    char *arg;
    char *loc;                  /* "-device foo,bar=1" for error messages */
} CmdOpt;

static GPtrArray *cmd_opts;
/* CmdOpt locs that are "FILE:LINE" (-readconfig), printed as QEMU does. */
static GHashTable *file_locs;
char *qemu_name;
uint8_t qemu_uuid[16];
bool qemu_uuid_set;
static GPtrArray *netdev_opts;
static char *incoming;
/* What qemu_init() leaves for qemu_init_board(). */
static struct {
    MachineClass *mc;
    QemuOpts *machine_opts;
    const char *machine_loc;
    uint64_t ram_size;          /* 0: the machine's default */
    bool start_stopped;
} board;
static char *pidfile;
static bool daemonize;
static int daemon_pipe = -1;

bool qemu_option_exists(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(opt_defs); i++) {
        if (!strcmp(opt_defs[i].name, name) &&
            opt_defs[i].index != OPT_IGNORED &&
            opt_defs[i].index != OPT_IGNORED_ARG) {
            return true;
        }
    }
    return false;
}

/* 36 characters, hex digits and dashes where a UUID has them. */
bool qemu_uuid_parse(const char *str, uint8_t *uuid)
{
    static const int dashes[] = { 8, 13, 18, 23 };
    int n = 0;

    if (strlen(str) != 36) {
        return false;
    }
    for (int i = 0, d = 0; i < 36; i++) {
        if (d < 4 && i == dashes[d]) {
            if (str[i] != '-') {
                return false;
            }
            d++;
            continue;
        }
        if (!g_ascii_isxdigit(str[i]) || !g_ascii_isxdigit(str[i + 1])) {
            return false;
        }
        uuid[n++] = g_ascii_xdigit_value(str[i]) << 4 |
                    g_ascii_xdigit_value(str[i + 1]);
        i++;
    }
    return true;
}

const char *qemu_incoming_uri(void)
{
    return incoming;
}

GPtrArray *qemu_netdev_opts(void)
{
    return netdev_opts;
}

static void G_GNUC_NORETURN fail(const char *loc, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void fail(const char *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (loc && file_locs && g_hash_table_contains(file_locs, loc)) {
        fprintf(stderr, "baton-system-x86_64:%s: %s\n", loc, msg);
    } else if (loc) {
        fprintf(stderr, "baton-system-x86_64: %s: %s\n", loc, msg);
    } else {
        fprintf(stderr, "baton-system-x86_64: %s\n", msg);
    }
    exit(1);
}

static void G_GNUC_NORETURN fail_err(const char *loc, GError *err)
{
    /* QEMU's multi-line hints follow the first line as is. */
    fail(loc, "%s", err->message);
}

static const OptDef *lookup_opt(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(opt_defs); i++) {
        if (!strcmp(opt_defs[i].name, name)) {
            return &opt_defs[i];
        }
    }
    return NULL;
}

static void print_version(void);

static void print_help(void)
{
    print_version();
    printf("usage: baton-system-x86_64 [options]\n"
           "baton: a QEMU-compatible q35 device model for virtio-net "
           "failover.\nNo instruction set is emulated: under -accel qtest a "
           "test drives the machine;\nunder -accel tcg (the default without "
           "-qtest) a built-in guest runs in the vCPU's place.\n\n"
           "Options:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(opt_defs); i++) {
        const OptDef *d = &opt_defs[i];
        if (d->help) {
            printf("-%s%s %s\n", d->name, d->has_arg ? "" : "", d->help);
        }
    }
    printf("\nAccepted and ignored for compatibility: -no-acpi, -no-hpet, "
           "-usb, -realtime, -cpu, -rtc, -boot, -msg, "
           "-sandbox, -overcommit, -vga, -parallel, -audiodev.\n"
           "-machine usb, vmport, smm, dump-guest-core, mem-merge, hpet, "
           "graphics, kernel-irqchip and suppress-vmdesc are stored (qom-get "
           "/machine) but change nothing.\n");
}

static void print_version(void)
{
    printf("QEMU emulator version 8.1.0 (baton-%s)\n"
           "baton: written by the baton developers, GPL-2.0-or-later\n",
           BATON_VERSION);
}

/* A -readconfig section: the option it stands for, in its place. */
static void readconfig_section(const char *opt, const char *args,
                               const char *loc, void *opaque)
{
    CmdOpt *rc = opaque;
    CmdOpt *o;

    if (!opt) {
        return;                 /* a section for an ignored option */
    }
    o = g_new0(CmdOpt, 1);
    o->def = lookup_opt(opt);
    o->arg = g_strdup(args);
    if (loc) {
        o->loc = g_strdup(loc);
        g_hash_table_add(file_locs, o->loc);
    } else {
        o->loc = g_strdup(rc->loc);
    }
    g_ptr_array_add(cmd_opts, o);
}

static void read_config(CmdOpt *rc)
{
    g_autofree char *err_loc = NULL;
    GError *err = NULL;

    if (!file_locs) {
        file_locs = g_hash_table_new(NULL, NULL);
    }
    if (!qemu_read_config_file(rc->arg, readconfig_section, rc, &err_loc,
                               &err)) {
        if (err_loc) {
            g_hash_table_add(file_locs, err_loc);
            fail_err(err_loc, err);
        }
        fail_err(rc->loc, err);
    }
}

static void parse_argv(int argc, char **argv)
{
    cmd_opts = g_ptr_array_new();
    for (int i = 1; i < argc; i++) {
        const char *r = argv[i];
        if (r[0] != '-' || r[1] == '\0') {
            /* QEMU takes a bare word as a disk image; there are no disks. */
            fail(NULL, "%s: no disk images: baton emulates no storage", r);
        }
        const char *name = r + 1;
        if (name[0] == '-') {
            name++;                     /* --opt is the same as -opt */
        }
        const OptDef *def = lookup_opt(name);
        if (!def) {
            fail(r, "invalid option");
        }
        CmdOpt *o = g_new0(CmdOpt, 1);
        o->def = def;
        if (def->has_arg) {
            if (i + 1 >= argc) {
                fail(r, "requires an argument");
            }
            o->arg = argv[++i];
            o->loc = g_strdup_printf("%s %s", r, o->arg);
        } else {
            o->loc = g_strdup(r);
        }
        if (def->index == OPT_READCONFIG) {
            read_config(o);     /* adds the file's sections in its place */
            g_free(o->loc);
            g_free(o);
            continue;
        }
        g_ptr_array_add(cmd_opts, o);
    }
}

static QemuOpts *parse_opts(CmdOpt *o, const char *implied)
{
    GError *err = NULL;
    QemuOpts *opts;
    OptIndex idx = o->def->index;

    /* libvirt writes these three as JSON objects (QEMU 6.0 and later). */
    if (o->arg[0] == '{' &&
        (idx == OPT_DEVICE || idx == OPT_NETDEV || idx == OPT_OBJECT)) {
        opts = qemu_opts_parse_json(o->arg, idx != OPT_DEVICE, &err);
    } else {
        opts = qemu_opts_parse(o->arg, implied, &err);
    }
    if (!opts) {
        fail_err(o->loc, err);
    }
    return opts;
}

static bool is_help(const char *s)
{
    return s && (!strcmp(s, "help") || !strcmp(s, "?"));
}

/* -accel properties QEMU's tcg-accel has; baton has nothing to tune. */
static const char *const tcg_props[] = {
    "thread", "tb-size", "split-wx", "one-insn-per-tb", NULL,
};

typedef struct AccelOpt {
    const char *list;           /* "kvm:tcg" */
    const char *loc;            /* NULL: from -machine accel= */
} AccelOpt;

static void check_accel_props(CmdOpt *o, QemuOpts *opts, const char *accel)
{
    for (guint j = 0; j < opts->list->len; j++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, j);
        if (!strcmp(opt->name, "accel")) {
            continue;
        }
        if (strcmp(accel, "tcg") ||
            !g_strv_contains(tcg_props, opt->name)) {
            fail(o->loc, "Property '%s-accel.%s' not found", accel,
                 opt->name);
        }
    }
}

/*
 * Choose the accelerator as QEMU does: each option in turn, each name of
 * a "kvm:tcg" list in turn; without any, qtest if -qtest was given, else
 * tcg.
 */
static void configure_accelerators(GArray *accels, bool have_qtest)
{
    bool failed = false;
    const char *name;

    if (!accels->len) {
        AccelOpt def = { have_qtest ? "qtest" : "tcg", NULL };
        g_array_append_val(accels, def);
    }
    for (guint i = 0; i < accels->len; i++) {
        AccelOpt *a = &g_array_index(accels, AccelOpt, i);
        if (accel_try(a->list, a->loc, &failed)) {
            name = current_accel_name();
            if (failed && !have_qtest) {
                fprintf(stderr, "baton-system-x86_64: info: falling back "
                        "to %s\n", name);
            }
            return;
        }
    }
    if (!failed) {
        fail(NULL, "no accelerator found");
    }
    exit(1);
}

/*
 * -add-fd, before anything opens a path: every set is filled first, then
 * the inherited descriptors are closed, as QEMU does.
 */
/* SIGTERM, SIGINT, SIGHUP: a shutdown as QEMU does, with its event. */
static void shutdown_on_host_signal(void)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
}

static void add_fds(void)
{
    g_autoptr(GArray) inherited = g_array_new(FALSE, FALSE, sizeof(int));

    for (guint i = 0; i < cmd_opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(cmd_opts, i);
        GError *err = NULL;
        int fd;

        if (o->def->index != OPT_ADD_FD) {
            continue;
        }
        g_autoptr(QemuOpts) opts = parse_opts(o, NULL);
        fd = fdset_add_fd_opts(opts, &err);
        if (fd < 0) {
            fail_err(o->loc, err);
        }
        g_array_append_val(inherited, fd);
    }
    for (guint i = 0; i < inherited->len; i++) {
        int fd = g_array_index(inherited, int, i);
        bool seen = false;
        for (guint j = 0; j < i; j++) {
            seen |= g_array_index(inherited, int, j) == fd;
        }
        if (!seen) {
            close(fd);
        }
    }
}

static void create_chardev(CmdOpt *o)
{
    g_autoptr(QemuOpts) opts = parse_opts(o, "backend");
    GError *err = NULL;

    if (is_help(qemu_opt_get(opts, "backend"))) {
        printf("Available chardev backend types:\n  file\n  null\n"
               "  pty\n  socket\n  stdio\n");
        exit(0);
    }
    const char *id = qemu_opt_get(opts, "id");
    if (!id) {
        fail(o->loc, "Parameter 'id' is missing");
    }
    if (!id_wellformed(id)) {
        fail(o->loc, "Parameter 'id' expects an identifier");
    }
    if (qemu_chr_find(id)) {
        fail(o->loc, "Duplicate ID '%s' for chardev", id);
    }
    if (!qemu_chr_new_from_opts(opts, &err)) {
        fail_err(o->loc, err);
    }
}

/*
 * -serial DEV, in order, as serial0..: the board puts an isa-serial on
 * each.  Without -serial or -nodefaults there is one, as on QEMU: on
 * stdio with -nographic, else on a chardev that drops output (QEMU's
 * console there is a display baton does not have).
 */
static void create_serials(bool nodefaults, bool nographic)
{
    bool any = false;
    int n = 0;

    for (guint i = 0; i < cmd_opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(cmd_opts, i);
        g_autofree char *label = NULL;
        GError *err = NULL;
        Chardev *chr;

        if (o->def->index != OPT_SERIAL) {
            continue;
        }
        any = true;
        if (!strcmp(o->arg, "none")) {
            continue;
        }
        if (g_str_has_prefix(o->arg, "chardev:")) {
            chr = qemu_chr_find(o->arg + 8);
        } else {
            label = g_strdup_printf("serial%d", n);
            chr = qemu_chr_new(label, o->arg, &err);
            if (!chr) {
                /* QEMU reports the backend's error, then the port's. */
                error_report("%s: %s", o->loc, err->message);
                g_error_free(err);
            }
        }
        if (!chr) {
            fail(o->loc, "could not connect serial device to character "
                 "backend '%s'", o->arg);
        }
        serial_hds_set(n++, chr);
    }
    if (any || nodefaults) {
        return;
    }
    if (nographic && daemonize) {
        fail(NULL, "-nographic cannot be used with -daemonize");
    }
    GError *err = NULL;
    Chardev *chr = qemu_chr_new("serial0", nographic ? "stdio" : "null",
                                &err);
    if (!chr) {
        fail_err(NULL, err);
    }
    serial_hds_set(0, chr);
}

static void create_monitor(CmdOpt *o)
{
    GError *err = NULL;
    Chardev *chr;
    bool pretty = false;
    bool readline = o->def->index == OPT_MONITOR;

    if (o->def->index == OPT_MON) {
        g_autoptr(QemuOpts) opts = parse_opts(o, "chardev");
        const char *mode = qemu_opt_get(opts, "mode");
        const char *name = qemu_opt_get(opts, "chardev");

        /* As in QEMU, the human monitor is the default mode. */
        readline = !mode || !strcmp(mode, "readline");
        if (!readline && strcmp(mode, "control")) {
            fail(o->loc, "Parameter 'mode' does not accept value '%s'",
                 mode);
        }
        pretty = qemu_opt_get_bool(opts, "pretty", false, &err);
        if (err) {
            fail_err(o->loc, err);
        }
        if (pretty && readline) {
            warn_report("'pretty' is deprecated for HMP monitors, it has no "
                        "effect and will be removed in future versions");
        }
        if (!name) {
            fail(o->loc, "Parameter 'chardev' is missing");
        }
        chr = qemu_chr_find(name);
        if (!chr) {
            fail(o->loc, "chardev \"%s\" not found", name);
        }
    } else {
        static int n;
        g_autofree char *label = NULL;

        if (readline && !strcmp(o->arg, "none")) {
            return;
        }
        label = g_strdup_printf("compat_monitor%d", n++);
        pretty = o->def->index == OPT_QMP_PRETTY;
        chr = qemu_chr_new(label, o->arg, &err);
        if (!chr) {
            fail_err(o->loc, err);
        }
    }
    if (readline) {
        monitor_init_hmp(chr);
    } else if (!monitor_init_qmp(chr, pretty, &err)) {
        fail_err(o->loc, err);
    }
}

/* -object: the early ones before the machine, late ones (filters) after. */
static void create_object(CmdOpt *o, bool late)
{
    g_autoptr(QemuOpts) opts = parse_opts(o, "qom-type");
    GError *err = NULL;

    if (user_creatable_print_help(opts)) {
        exit(0);
    }
    if (user_creatable_is_late(opts) != late) {
        return;
    }
    if (!user_creatable_add_opts(opts, &err)) {
        fail_err(o->loc, err);
    }
}

/*
 * QEMU keeps -netdev's legacy types in QemuOpts, which refuses a second
 * id where it is given (a file's line for -readconfig).
 */
static void check_netdev_dup(CmdOpt *o, QemuOpts *opts)
{
    const char *type = qemu_opt_get(opts, "type");
    const char *id = qemu_opt_get(opts, "id");

    if (!g_strcmp0(type, "stream") || !g_strcmp0(type, "dgram")) {
        return;
    }
    for (guint i = 0; i < netdev_opts->len; i++) {
        if (!g_strcmp0(qemu_opt_get(g_ptr_array_index(netdev_opts, i), "id"),
                       id)) {
            fail(o->loc, "Duplicate ID '%s' for netdev", id);
        }
    }
}

static void add_global(CmdOpt *o)
{
    /* DRIVER.PROP=VALUE, also the long form driver=,property=,value= */
    const char *eq = strchr(o->arg, '=');
    const char *dot = strchr(o->arg, '.');
    g_autofree char *driver = NULL, *property = NULL, *value = NULL;

    if (g_str_has_prefix(o->arg, "driver=")) {
        g_autoptr(QemuOpts) opts = parse_opts(o, NULL);
        driver = g_strdup(qemu_opt_get(opts, "driver"));
        property = g_strdup(qemu_opt_get(opts, "property"));
        value = g_strdup(qemu_opt_get(opts, "value"));
    } else if (eq && dot && dot < eq) {
        driver = g_strndup(o->arg, dot - o->arg);
        property = g_strndup(dot + 1, eq - dot - 1);
        value = g_strdup(eq + 1);
    }
    if (!driver || !property || !value || !*driver || !*property) {
        fail(o->loc, "Invalid parameter '%s'", o->arg);
    }
    qdev_prop_register_global(driver, property, value);
}

static void write_pidfile(void)
{
    g_autofree char *s = g_strdup_printf("%d\n", getpid());
    GError *err = NULL;
    if (!g_file_set_contents(pidfile, s, -1, &err)) {
        fail(NULL, "cannot create PID file: %s", err->message);
    }
}

static void remove_pidfile(void *opaque)
{
    unlink(pidfile);
}

/*
 * -daemonize: the parent waits until the child reports that start-up is
 * done (or failed), so errors still reach the user and the exit status.
 */
static void os_daemonize(void)
{
    int fds[2];
    if (pipe(fds) < 0) {
        fail(NULL, "-daemonize: pipe: %s", g_strerror(errno));
    }
    pid_t pid = fork();
    if (pid < 0) {
        fail(NULL, "-daemonize: fork: %s", g_strerror(errno));
    }
    if (pid > 0) {
        char status = 1;
        close(fds[1]);
        while (read(fds[0], &status, 1) < 0 && errno == EINTR) {
        }
        _exit(status == 0 ? 0 : 1);
    }
    close(fds[0]);
    daemon_pipe = fds[1];
    setsid();
}

static void os_daemonize_done(void)
{
    if (daemon_pipe < 0) {
        return;
    }
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        close(null);
    }
    char ok = 0;
    if (write(daemon_pipe, &ok, 1) < 0) {
        /* the parent is gone; nothing to tell */
    }
    close(daemon_pipe);
    daemon_pipe = -1;
}

/*
 * The machine, its devices and the start: run at once, or from
 * x-exit-preconfig under --preconfig.  Errors end the process, as in QEMU.
 */
static void qemu_init_board(void)
{
    GError *err = NULL;

    /* The machine, then devices in command-line order. */
    if (!machine_create(board.mc, board.machine_opts, board.ram_size, &err)) {
        fail_err(board.machine_loc, err);
    }
    g_clear_pointer(&board.machine_opts, qemu_opts_free);
    if (!net_init_clients(&err)) {
        fail_err(NULL, err);
    }
    if (!net_nic_create_devices(board.mc->default_nic, &err)) {
        fail_err(NULL, err);
    }
    /* Network filters: after the backends they attach to. */
    for (guint i = 0; i < cmd_opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(cmd_opts, i);
        if (o->def->index == OPT_OBJECT) {
            create_object(o, true);
        }
    }
    for (guint i = 0; i < cmd_opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(cmd_opts, i);
        if (o->def->index == OPT_DEVICE) {
            g_autoptr(QemuOpts) opts = parse_opts(o, "driver");
            if (!qdev_device_add(opts, false, &err) && err) {
                fail_err(o->loc, err);
            }
        }
    }
    for (guint i = 0; i < cmd_opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(cmd_opts, i);
        if (o->def->index == OPT_FW_CFG) {
            g_autoptr(QemuOpts) opts = parse_opts(o, "name");
            if (!fw_cfg_add_from_opts(opts, &err)) {
                fail_err(o->loc, err);
            }
        }
    }
    qdev_machine_creation_done();
    qdev_check_global_props();
    qemu_system_reset(SHUTDOWN_CAUSE_NONE);
    if (!accel_setup_post(&err)) {
        fail_err(NULL, err);
    }

    runstate_set_autostart(!board.start_stopped);
    if (incoming) {
        runstate_set(RUN_STATE_INMIGRATE);
        migration_incoming_startup(incoming);
    } else if (board.start_stopped) {
        runstate_set(RUN_STATE_PRELAUNCH);
    } else {
        vm_start();
    }
}

void qemu_init(int argc, char **argv)
{
    g_autoptr(QemuOpts) machine_opts = qemu_opts_new();
    const char *machine_loc = NULL;
    const char *qtest_spec = NULL, *qtest_log = NULL;
    g_autoptr(GArray) accels = g_array_new(FALSE, FALSE, sizeof(AccelOpt));
    bool accel_opt_given = false;
    uint64_t ram_size = 0;
    bool ram_given = false, start_stopped = false, preconfig = false;
    bool nodefaults = false, nographic = false;
    GError *err = NULL;

    signal(SIGPIPE, SIG_IGN);
    netdev_opts = g_ptr_array_new();
    parse_argv(argc, argv);

    /* Pass 1: options that end the program or configure the rest. */
    for (guint i = 0; i < cmd_opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(cmd_opts, i);
        switch (o->def->index) {
        case OPT_HELP:
            print_help();
            exit(0);
        case OPT_VERSION:
            print_version();
            exit(0);
        case OPT_MACHINE: {
            g_autoptr(QemuOpts) opts = parse_opts(o, "type");
            for (guint j = 0; j < opts->list->len; j++) {
                QemuOpt *opt = g_ptr_array_index(opts->list, j);
                qemu_opt_set(machine_opts, opt->name, opt->str);
            }
            machine_loc = o->loc;
            break;
        }
        case OPT_NO_ACPI:
            /* QEMU 8.1 turns it into -machine acpi=off. */
            qemu_opt_set(machine_opts, "acpi", "off");
            break;
        case OPT_ACCEL: {
            g_autoptr(QemuOpts) opts = parse_opts(o, "accel");
            const char *accel = qemu_opt_get(opts, "accel");
            if (!accel) {
                fail(o->loc, "Parameter 'accel' is missing");
            }
            if (is_help(accel)) {
                accel_print_help();
                exit(0);
            }
            check_accel_props(o, opts, accel);
            AccelOpt a = { g_intern_string(accel), o->loc };
            g_array_append_val(accels, a);
            accel_opt_given = true;
            break;
        }
        case OPT_ENABLE_KVM: {
            AccelOpt a = { "kvm", o->loc };
            g_array_append_val(accels, a);
            break;
        }
        case OPT_DISPLAY: {
            g_autoptr(QemuOpts) opts = parse_opts(o, "type");
            const char *type = qemu_opt_get(opts, "type");
            if (is_help(type)) {
                printf("Available display backend types:\nnone\n");
                exit(0);
            }
            if (!type || strcmp(type, "none")) {
                fail(o->loc, "Display '%s' is not available", type ? type : "");
            }
            break;
        }
        case OPT_M: {
            g_autoptr(QemuOpts) opts = parse_opts(o, "size");
            const char *size = qemu_opt_get(opts, "size");
            if (size && !qemu_strtosz_MiB("size", size, &ram_size, &err)) {
                fail_err(o->loc, err);
            }
            if (size && ram_size < (1 << 20)) {
                /* QEMU rounds tiny sizes up; keep at least a page set. */
                ram_size = ram_size ? ram_size : (1 << 20);
            }
            ram_given = size != NULL;
            break;
        }
        case OPT_S:
            start_stopped = true;
            break;
        case OPT_PRECONFIG:
            preconfig = true;
            break;
        case OPT_BOOT: {
            g_autoptr(QemuOpts) opts = parse_opts(o, "order");
            if (!boot_config_parse(opts, &boot_config, &err)) {
                fail_err(NULL, err);
            }
            break;
        }
        case OPT_NODEFAULTS:
            nodefaults = true;
            break;
        case OPT_NO_SHUTDOWN:
            runstate_set_no_shutdown(true);
            break;
        case OPT_NO_REBOOT:
            runstate_set_no_reboot(true);
            break;
        case OPT_NOGRAPHIC:
            nographic = true;
            break;
        case OPT_NAME: {
            g_autoptr(QemuOpts) opts = parse_opts(o, "guest");
            g_free(qemu_name);
            qemu_name = g_strdup(qemu_opt_get(opts, "guest"));
            break;
        }
        case OPT_UUID:
            if (!qemu_uuid_parse(o->arg, qemu_uuid)) {
                fail(NULL, "Fail to parse UUID string. Wrong format.");
            }
            qemu_uuid_set = true;
            break;
        case OPT_SMP: {
            g_autoptr(QemuOpts) opts = parse_opts(o, "cpus");
            if (!machine_parse_smp(opts, &err)) {
                fail_err(o->loc, err);
            }
            break;
        }
        case OPT_DEVICE: {
            g_autoptr(QemuOpts) opts = parse_opts(o, "driver");
            if (qdev_device_help(opts)) {
                exit(0);
            }
            break;
        }
        case OPT_NETDEV: {
            QemuOpts *opts = parse_opts(o, "type");
            const char *id = qemu_opt_get(opts, "id");
            if (is_help(qemu_opt_get(opts, "type"))) {
                printf("Available netdev backend types:\n");
                net_print_backend_types();
                exit(0);
            }
            if (!id) {
                fail(o->loc, "Parameter 'id' is missing");
            }
            if (!id_wellformed(id)) {
                fail(o->loc, "Parameter 'id' expects an identifier");
            }
            check_netdev_dup(o, opts);
            g_ptr_array_add(netdev_opts, opts);
            break;
        }
        case OPT_NIC: {
            g_autoptr(QemuOpts) opts = parse_opts(o, "type");
            const char *id = qemu_opt_get(opts, "id");
            if (id && !id_wellformed(id)) {
                fail(o->loc, "Parameter 'id' expects an identifier");
            }
            if (!net_nic_parse(opts, o->loc, &err)) {
                fail_err(o->loc, err);
            }
            break;
        }
        case OPT_QTEST:
            qtest_spec = o->arg;
            break;
        case OPT_QTEST_LOG:
            qtest_log = o->arg;
            break;
        case OPT_INCOMING:
            g_free(incoming);
            incoming = g_strdup(o->arg);
            break;
        case OPT_PIDFILE:
            pidfile = g_strdup(o->arg);
            break;
        case OPT_DAEMONIZE:
            daemonize = true;
            break;
        case OPT_GLOBAL:
            add_global(o);
            break;
        case OPT_TRACE:
            warn_report("-trace: tracing is not provided; ignored");
            break;
        default:
            break;
        }
    }

    const char *mtype = qemu_opt_get(machine_opts, "type");
    if (is_help(mtype)) {
        machine_print_help();
        exit(0);
    }
    const char *maccel = qemu_opt_get(machine_opts, "accel");
    if (maccel && (accel_opt_given || accels->len)) {
        fail(NULL, "The -accel and \"-machine accel=\" options are "
             "incompatible");
    }
    if (is_help(maccel)) {
        accel_print_help();
        exit(0);
    }
    if (maccel) {
        AccelOpt a = { g_intern_string(maccel), NULL };
        g_array_append_val(accels, a);
    }
    configure_accelerators(accels, qtest_spec != NULL);
    MachineClass *mc = machine_find_class(mtype);
    if (!mc) {
        fail(machine_loc, "unsupported machine type: \"%s\"\n"
             "Use -machine help to list supported machines", mtype);
    }
    qemu_opt_unset(machine_opts, "type");
    qemu_opt_unset(machine_opts, "accel");

    add_fds();
    if (daemonize) {
        os_daemonize();
    }
    /* Before anything can block (a chardev waiting for its client). */
    main_loop_set_termination_handler(shutdown_on_host_signal);
    main_loop_init_signals();

    /* Pass 2: chardevs, then monitors and qtest which use them. */
    for (guint i = 0; i < cmd_opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(cmd_opts, i);
        if (o->def->index == OPT_CHARDEV) {
            create_chardev(o);
        }
    }
    for (guint i = 0; i < cmd_opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(cmd_opts, i);
        OptIndex idx = o->def->index;
        if (idx == OPT_MON || idx == OPT_QMP || idx == OPT_QMP_PRETTY ||
            idx == OPT_MONITOR) {
            create_monitor(o);
        }
    }
    if (qtest_spec && !qtest_server_init(qtest_spec, qtest_log, &err)) {
        fail_err("-qtest", err);
    }
    create_serials(nodefaults, nographic);

    /* /objects exists even while empty, as in QEMU (qom-list finds it). */
    object_get_objects_root();
    /* Objects (memory backends) first: the machine may use one. */
    for (guint i = 0; i < cmd_opts->len; i++) {
        CmdOpt *o = g_ptr_array_index(cmd_opts, i);
        if (o->def->index == OPT_OBJECT) {
            create_object(o, false);
        }
    }
    if (nographic) {
        /* As QEMU: -nographic is -machine graphics=off (fw_cfg says so). */
        qemu_opt_set(machine_opts, "graphics", "off");
    }
    board.mc = mc;
    board.machine_opts = g_steal_pointer(&machine_opts);
    board.machine_loc = machine_loc;
    board.ram_size = ram_given ? ram_size : 0;
    board.start_stopped = start_stopped;
    if (preconfig) {
        /* QMP is served; x-exit-preconfig runs the rest (QEMU: prelaunch). */
        runstate_set(RUN_STATE_PRELAUNCH);
    } else {
        qemu_init_board();
    }
    if (pidfile) {
        write_pidfile();
        qemu_add_exit_notifier(remove_pidfile, NULL);
    }
    os_daemonize_done();
}

void qmp_x_exit_preconfig(GError **errp)
{
    if (qdev_machine_creation_done_p()) {
        error_setg(errp, "The command is permitted only before machine "
                   "initialization");
        return;
    }
    qemu_init_board();
}

int qemu_main_loop(void)
{
    return main_loop_run();
}

void qemu_cleanup(void)
{
    qemu_run_exit_notifiers();
    monitor_cleanup();
    qtest_server_cleanup();
    net_cleanup();
    qemu_chr_cleanup();
}
