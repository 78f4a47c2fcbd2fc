/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest's console: the first 16550 (COM1, 0x3f8), written as Linux's
 * serial console does: wait for the transmit holding register to empty
 * (LSR.THRE), then write the byte; "\n" goes out as "\r\n".  Without a
 * UART the port is unclaimed: LSR reads all-ones and writes vanish.
 */
#include <stdarg.h>
#include <stdio.h>

#include "guest/guest.h"

#define COM1        0x3f8
#define UART_LSR    5
#define UART_LSR_THRE 0x20
#define THRE_TRIES  10000

static void uart_putc(char c)
{
    for (int i = 0; i < THRE_TRIES; i++) {
        if (gio_in(COM1 + UART_LSR, 1) & UART_LSR_THRE) {
            break;
        }
    }
    gio_out(COM1, 1, (uint8_t)c);
}

void guest_log(GuestState *g, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;
    char stamp[32];
    int64_t t = guest_now();

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* A dmesg-style time stamp: the guest's clock, seconds. */
    snprintf(stamp, sizeof(stamp), "[%5lld.%06lld] ",
             (long long)(t / 1000000000), (long long)(t % 1000000000) / 1000);
    for (const char *p = stamp; *p; p++) {
        uart_putc(*p);
    }
    for (const char *p = msg; *p; p++) {
        if (*p == '\n') {
            uart_putc('\r');
        }
        uart_putc(*p);
    }
    uart_putc('\r');
    uart_putc('\n');
}
