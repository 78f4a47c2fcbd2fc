/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The main loop: GLib's default context, plus bottom halves. */
#ifndef QEMU_MAIN_LOOP_H
#define QEMU_MAIN_LOOP_H

#include <glib.h>
#include <stdbool.h>

typedef void QEMUBHFunc(void *opaque);
typedef struct QEMUBH QEMUBH;

/* A callback run once from the main loop after qemu_bh_schedule. */
QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque);
void qemu_bh_schedule(QEMUBH *bh);      /* idempotent while pending */
void qemu_bh_cancel(QEMUBH *bh);
void qemu_bh_delete(QEMUBH *bh);

/* Run until main_loop_exit(); returns the status passed to it. */
int main_loop_run(void);
void main_loop_exit(int status);
/* Run one iteration without blocking (used by tests and shutdown paths). */
void main_loop_poll_once(bool blocking);

#endif
