/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in guest's console as a test sees it: the bytes the UART
 * wrote to a -serial file:PATH, searched for lines in order.
 */
#ifndef LIBQOS_GUEST_CONSOLE_H
#define LIBQOS_GUEST_CONSOLE_H

#include <glib.h>
#include "../libqtest.h"

typedef struct GuestConsole {
    char *path;
    size_t pos;                 /* searched up to here */
} GuestConsole;

/* A console in a fresh file under dir; its -serial argument. */
void guest_console_init(GuestConsole *c, const char *dir, const char *name);
char *guest_console_arg(GuestConsole *c);
void guest_console_clear(GuestConsole *c);
/*
 * Wait (at most timeout_s) until text appears after the last match and
 * return the whole line holding it (caller frees); fails the test
 * otherwise, showing the console.
 */
char *guest_console_wait(GuestConsole *c, const char *text, int timeout_s);
/* Whether text is anywhere in what has been written so far. */
gboolean guest_console_has(GuestConsole *c, const char *text);
/* Everything written so far. */
char *guest_console_read(GuestConsole *c);

/* ---- a VM running the built-in guest -------------------------------- */

#define GUEST_MAC "52:54:00:6b:3c:58"
/* A q35 failover pair as libvirt writes it, slirp behind both NICs. */
extern const char guest_failover_pair[];

/*
 * Start "-accel tcg" with args and its console in dir/name, stopped (-S)
 * so no event goes out before QMP is ready; cont unless stopped.
 */
QTestState *guest_vm_start(GuestConsole *con, const char *dir,
                           const char *name, const char *args, bool stopped);
/* guest_console_wait with the default timeout, logging the line. */
void guest_expect(GuestConsole *con, const char *text);
/* From STANDBY negotiation to echo replies through the primary. */
void guest_expect_failover_up(QTestState *qts, GuestConsole *con);

#endif
