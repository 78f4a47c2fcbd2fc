/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The main loop is GLib's default GMainContext.  Everything (chardevs,
 * realtime timers, bottom halves, signals) is a GSource attached to it, so
 * one blocking poll serves them all.
 */
#include "qemu/main-loop.h"

#include <errno.h>
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

/*
 * SIGTERM, SIGINT and SIGHUP share one GSource.  GLib's g_unix_signal_add
 * would attach a source per signal and start a worker thread to relay
 * them; every source costs each loop iteration a prepare and a check,
 * and the loop turns once per QMP or qtest request.
 */
static volatile sig_atomic_t signal_pending;
/* Never cleared: every termination signal ends the process. */
static volatile sig_atomic_t termination_signalled;

static void signal_handler(int sig)
{
    int saved_errno = errno;

    signal_pending = 1;
    termination_signalled = 1;
    /*
     * Once the default context exists this only writes its eventfd,
     * which is what GLib's own signal handler does to wake its worker.
     * That write may set errno under the code the signal interrupted.
     */
    g_main_context_wakeup(NULL);
    errno = saved_errno;
}

static gboolean signal_source_prepare(GSource *source, gint *timeout)
{
    *timeout = -1;
    return signal_pending;
}

static gboolean signal_source_check(GSource *source)
{
    return signal_pending;
}

static gboolean signal_source_dispatch(GSource *source, GSourceFunc cb,
                                       gpointer data)
{
    signal_pending = 0;
    if (termination_handler) {
        termination_handler();
    } else {
        main_loop_exit(0);
    }
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs signal_source_funcs = {
    .prepare = signal_source_prepare,
    .check = signal_source_check,
    .dispatch = signal_source_dispatch,
};

void main_loop_init_signals(void)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    struct sigaction sa = { .sa_handler = signal_handler,
                            .sa_flags = SA_RESTART };
    static bool done;
    GSource *src;

    if (done) {
        return;
    }
    done = true;
    /* Peers that vanish are noticed by read/write errors instead. */
    signal(SIGPIPE, SIG_IGN);
    src = g_source_new(&signal_source_funcs, sizeof(GSource));
    g_source_attach(src, g_main_context_default());
    g_source_unref(src);
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
        sigaction(sigs[i], &sa, NULL);
    }
}

/*
 * The wait in read-ahead replaces poll + read with one blocking read, the
 * way a plain echo server waits.  On this kind of host a system call
 * costs microseconds, and a qtest round trip is a handful of them.
 */
#define READ_AHEAD_BUDGET_US 1000   /* longest run without a real poll */

static struct {
    int fd;
    MainLoopReadAhead *read;
    void *opaque;
    unsigned wait_us;
    bool armed;
    gint64 last_poll_us;
    gint64 others_busy_until_us;
    unsigned hits, misses;
} read_ahead = { .fd = -1 };

static gint main_loop_poll(GPollFD *fds, guint nfds, gint timeout)
{
    GPollFD *mine = NULL;
    gint ret;

    /* No wait while anything is ready, nor past a timer's deadline. */
    if (read_ahead.armed &&
        (timeout < 0 || (gint64)timeout * 1000 >= read_ahead.wait_us)) {
        for (guint i = 0; i < nfds; i++) {
            if (fds[i].fd == read_ahead.fd && (fds[i].events & G_IO_IN)) {
                mine = &fds[i];
                break;
            }
        }
    }
    read_ahead.armed = false;
    if (mine) {
        gint64 now = g_get_monotonic_time();

        if (now - read_ahead.last_poll_us >= READ_AHEAD_BUDGET_US ||
            now < read_ahead.others_busy_until_us) {
            mine = NULL;
        }
    }
    if (mine) {
        if (read_ahead.read(read_ahead.opaque) >= 0) {
            for (guint i = 0; i < nfds; i++) {
                fds[i].revents = 0;
            }
            mine->revents = G_IO_IN;
            read_ahead.hits++;
            return 1;
        }
        read_ahead.misses++;
    }
    ret = g_poll(fds, nfds, timeout);
    read_ahead.last_poll_us = g_get_monotonic_time();
    /*
     * Other descriptors at work (a migration stream, a network backend):
     * they should not wait a budget at a time, so poll for a while.
     */
    for (guint i = 0; ret > 0 && i < nfds; i++) {
        if (fds[i].revents && fds[i].fd != read_ahead.fd) {
            read_ahead.others_busy_until_us =
                read_ahead.last_poll_us + READ_AHEAD_BUDGET_US;
            break;
        }
    }
    return ret;
}

void main_loop_set_read_ahead(int fd, unsigned wait_us,
                              MainLoopReadAhead *read, void *opaque)
{
    static bool installed;

    if (!installed) {
        g_main_context_set_poll_func(g_main_context_default(),
                                     main_loop_poll);
        installed = true;
    }
    if (!read && opaque != read_ahead.opaque) {
        return;                 /* someone else's: leave it */
    }
    read_ahead.fd = read ? fd : -1;
    read_ahead.read = read;
    read_ahead.opaque = read ? opaque : NULL;
    read_ahead.wait_us = wait_us;
    read_ahead.armed = false;
}

void main_loop_arm_read_ahead(void)
{
    read_ahead.armed = read_ahead.fd >= 0;
}

void main_loop_read_ahead_stats(unsigned *hits, unsigned *misses)
{
    *hits = read_ahead.hits;
    *misses = read_ahead.misses;
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

bool main_loop_termination_pending(void)
{
    return termination_signalled || exit_requested;
}

void main_loop_poll_once(bool blocking)
{
    g_main_context_iteration(NULL, blocking);
}
