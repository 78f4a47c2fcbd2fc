/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output that belongs to whoever asked: help texts and error reports go to
 * stdout/stderr from the command line, but into the command's output when
 * an HMP command asked for them (device_add help, netdev_add help).
 */
#ifndef QEMU_QEMU_PRINT_H
#define QEMU_QEMU_PRINT_H

#include <glib.h>

/*
 * While buf is set (HMP runs a command), qemu_printf() and error_report()
 * append to it instead of writing to stdout/stderr.  Returns the previous
 * buffer, to restore afterwards (NULL: none).
 */
GString *qemu_print_set_capture(GString *buf);
/* The buffer set by qemu_print_set_capture(), or NULL. */
GString *qemu_print_capture(void);

/* printf to the capture buffer if one is set, else to stdout. */
void qemu_printf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif
