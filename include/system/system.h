/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Start-up and shut-down of the whole process (system/vl.c). */
#ifndef SYSTEM_SYSTEM_H
#define SYSTEM_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>
#include "qemu/option.h"

/* Parse the command line and build the machine; exits on bad input. */
void qemu_init(int argc, char **argv);
/* Serve until shutdown; returns the process exit status. */
int qemu_main_loop(void);
void qemu_cleanup(void);

/* -name guest=NAME (NULL if not given) and -uuid. */
extern char *qemu_name;
extern uint8_t qemu_uuid[16];
extern bool qemu_uuid_set;
bool qemu_uuid_parse(const char *str, uint8_t *uuid);
/* An option of the command line that baton acts on ("chardev", "m"). */
bool qemu_option_exists(const char *name);

/* -boot's options into bc (system/boot-opts.c); QEMU's errors. */
typedef struct BootConfig BootConfig;       /* hw/boards.h */
bool boot_config_parse(const QemuOpts *opts, BootConfig *bc, GError **errp);

/* -incoming URI, or NULL. */
const char *qemu_incoming_uri(void);
/* -netdev options in command-line order (QemuOpts *). */
GPtrArray *qemu_netdev_opts(void);

#endif
