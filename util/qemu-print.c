/* SPDX-License-Identifier: GPL-2.0-or-later */
/* qemu_printf(): stdout, or the output of the HMP command being run. */
#include <stdarg.h>
#include <stdio.h>
#include "qemu/qemu-print.h"

static GString *capture;

GString *qemu_print_set_capture(GString *buf)
{
    GString *old = capture;

    capture = buf;
    return old;
}

GString *qemu_print_capture(void)
{
    return capture;
}

void qemu_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (capture) {
        g_string_append_vprintf(capture, fmt, ap);
    } else {
        vprintf(fmt, ap);
    }
    va_end(ap);
}
