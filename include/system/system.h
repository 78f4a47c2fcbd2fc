/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Start-up and shut-down of the whole process (system/vl.c). */
#ifndef SYSTEM_SYSTEM_H
#define SYSTEM_SYSTEM_H

#include <stdbool.h>
#include "qemu/option.h"

/* Parse the command line and build the machine; exits on bad input. */
void qemu_init(int argc, char **argv);
/* Serve until shutdown; returns the process exit status. */
int qemu_main_loop(void);
void qemu_cleanup(void);

/* -incoming URI, or NULL. */
const char *qemu_incoming_uri(void);
/* -global DRIVER.PROP=VALUE options, in command-line order. */
typedef struct GlobalProperty {
    char *driver;
    char *property;
    char *value;
    bool used;
} GlobalProperty;
GPtrArray *qemu_global_props(void);
/* -netdev options in command-line order (QemuOpts *). */
GPtrArray *qemu_netdev_opts(void);

#endif
