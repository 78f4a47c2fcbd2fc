/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The main loop is GLib's default GMainContext.  Everything (chardevs,
 * realtime timers, bottom halves, signals) is a GSource attached to it, so
 * one blocking poll serves them all.
 */
#include "qemu/main-loop.h"

#include <glib-unix.h>
#include <signal.h>

struct QEMUBH {
    QEMUBHFunc *cb;
    void *opaque;
    guint source_id;            /* 0: not scheduled */
};

static bool exit_requested;
static int exit_status;
static void (*termination_handler)(void);

static gboolean bh_dispatch(gpointer data)
{
    QEMUBH *bh = data;

    /* Cleared first so that the callback may reschedule or delete bh. */
    bh->source_id = 0;
    bh->cb(bh->opaque);
    return G_SOURCE_REMOVE;
}

QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque)
{
    QEMUBH *bh = g_new0(QEMUBH, 1);

    bh->cb = cb;
    bh->opaque = opaque;
    return bh;
}

void qemu_bh_schedule(QEMUBH *bh)
{
    if (!bh->source_id) {
        bh->source_id = g_idle_add_full(G_PRIORITY_DEFAULT, bh_dispatch, bh,
                                        NULL);
    }
}

void qemu_bh_cancel(QEMUBH *bh)
{
    if (bh->source_id) {
        g_source_remove(bh->source_id);
        bh->source_id = 0;
    }
}

void qemu_bh_delete(QEMUBH *bh)
{
    if (!bh) {
        return;
    }
    qemu_bh_cancel(bh);
    g_free(bh);
}

void main_loop_set_termination_handler(void (*fn)(void))
{
    termination_handler = fn;
}

static gboolean on_signal(gpointer data)
{
    if (termination_handler) {
        termination_handler();
    } else {
        main_loop_exit(0);
    }
    return G_SOURCE_CONTINUE;
}

void main_loop_init_signals(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    /* Peers that vanish are noticed by read/write errors instead. */
    signal(SIGPIPE, SIG_IGN);
    g_unix_signal_add(SIGTERM, on_signal, NULL);
    g_unix_signal_add(SIGINT, on_signal, NULL);
    g_unix_signal_add(SIGHUP, on_signal, NULL);
}

int main_loop_run(void)
{
    main_loop_init_signals();
    while (!exit_requested) {
        g_main_context_iteration(NULL, TRUE);
    }
    exit_requested = false;
    return exit_status;
}

void main_loop_exit(int status)
{
    exit_status = status;
    exit_requested = true;
    g_main_context_wakeup(NULL);
}

bool main_loop_exit_requested(void)
{
    return exit_requested;
}

void main_loop_poll_once(bool blocking)
{
    g_main_context_iteration(NULL, blocking);
}
