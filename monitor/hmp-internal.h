/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The human monitor (HMP): a command table with QEMU's names, argument
 * syntax and texts, each command a thin layer over the QMP command that
 * does the work.  Shared by monitor/hmp*.c only.
 */
#ifndef MONITOR_HMP_INTERNAL_H
#define MONITOR_HMP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <json-glib/json-glib.h>

/*
 * One HMP session: the text a command prints (with "\n" line ends; the
 * monitor turns them into "\r\n" when it sends them) and its default CPU.
 */
typedef struct MonitorHMP {
    GString *out;
    int64_t cpu_index;          /* -1: the first CPU */
    /* A readline monitor a command may keep busy (migrate without -d). */
    bool interactive;
    bool wait_migration;        /* set by migrate: hold the prompt */
    bool quitting;              /* set by quit: no more prompts */
} MonitorHMP;

typedef void HMPHandler(MonitorHMP *mon, JsonObject *args);

/*
 * A command as QEMU's hmp-commands.hx describes one.  args_type is QEMU's
 * argument mini-language: "name:type" items, type one of s (word or
 * quoted string), S (rest of the line), O (key=value options), b
 * (on|off), i (integer), M (integer, MiB), -x (flag -x); '?' after the
 * type: optional.
 */
typedef struct HMPCommand {
    const char *name;           /* "c|cont": alternatives */
    const char *args_type;
    const char *params;         /* for help */
    const char *help;
    HMPHandler *cmd;
    const struct HMPCommand *sub_table;     /* info's subcommands */
    bool preconfig;             /* runs before the machine is complete */
} HMPCommand;

extern const HMPCommand hmp_cmds[];
extern const HMPCommand hmp_info_cmds[];

/* Run one command line; what it prints is appended to mon->out. */
void hmp_handle_command(MonitorHMP *mon, const char *cmdline);
/* out with every "\n" as "\r\n", as QEMU's monitors write it. */
char *hmp_crlf(const char *out);

void hmp_printf(MonitorHMP *mon, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Print "Error: MSG" and free err; true if there was one. */
bool hmp_handle_error(MonitorHMP *mon, GError *err);
/* help [name...]: the commands' one-line descriptions. */
void hmp_help_cmd(MonitorHMP *mon, const char *name);

/* Arguments, as the parser stored them (NULL/def when absent). */
const char *hmp_arg_str(JsonObject *args, const char *name);
bool hmp_arg_bool(JsonObject *args, const char *name, bool def);
int64_t hmp_arg_int(JsonObject *args, const char *name, int64_t def);

/* The CPU the session acts on: cpu index, or -1 if there is no CPU. */
int64_t hmp_cur_cpu(MonitorHMP *mon);
bool hmp_set_cpu(MonitorHMP *mon, int64_t index);

/* hmp-cmds.c */
HMPHandler hmp_help, hmp_quit, hmp_exit_preconfig, hmp_stop, hmp_cont, hmp_system_reset,
    hmp_system_powerdown, hmp_device_add, hmp_device_del, hmp_cpu,
    hmp_netdev_add, hmp_netdev_del, hmp_set_link, hmp_object_add,
    hmp_object_del, hmp_balloon, hmp_qom_list, hmp_qom_get, hmp_qom_set;
/* hmp-cmds-migration.c */
HMPHandler hmp_migrate, hmp_migrate_cancel, hmp_migrate_incoming,
    hmp_migrate_set_capability, hmp_migrate_set_parameter,
    hmp_info_migrate, hmp_info_migrate_capabilities,
    hmp_info_migrate_parameters;
/* hmp-cmds-info.c */
HMPHandler hmp_info_help, hmp_info_version, hmp_info_network,
    hmp_info_chardev, hmp_info_cpus, hmp_info_pci, hmp_info_kvm,
    hmp_info_status, hmp_info_name, hmp_info_uuid, hmp_info_balloon,
    hmp_info_qdm, hmp_info_memdev, hmp_info_memory_devices,
    hmp_info_iothreads, hmp_info_hotpluggable_cpus,
    hmp_info_memory_size_summary;
/* hmp-cmds-tree.c */
HMPHandler hmp_info_qtree, hmp_info_qom_tree, hmp_info_mtree;

/* hmp-readline.c: close the readline monitors (from monitor_cleanup). */
void monitor_cleanup_hmp(void);

/* hmp-cmds-migration.c: is an outgoing migration still going on? */
bool hmp_migration_running(GError **err_out);

#endif
