/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the fuzz targets (see fuzz.h). */
#include "fuzz.h"

#include <glib.h>

#include "chardev/char.h"
#include "monitor/monitor.h"
#include "system/system.h"

static GPollFunc next_poll;
static int wakeup_fd = -1;

/*
 * The drain after every operation never blocks.  When the only
 * descriptor to poll is GLib's own wakeup eventfd (the targets that feed
 * their device model directly, with no chardev or stream descriptor),
 * poll(2) has nothing to report that the sources' check functions do not
 * see themselves: bottom halves and timers are ready by their state, and
 * the wakeup only serves to interrupt a blocking poll.  That system call
 * was a tenth of the PCI target's time in a long run.
 */
static gint fuzz_poll(GPollFD *fds, guint nfds, gint timeout)
{
    if (timeout == 0 && nfds == 1 && fds[0].fd == wakeup_fd) {
        fds[0].revents = 0;
        return 0;
    }
    return next_poll(fds, nfds, timeout);
}

/* Before anything else is attached, GLib's wakeup fd is all there is. */
static void fuzz_poll_init(void)
{
    GMainContext *ctx = g_main_context_default();
    GPollFD fds[4];
    gint prio, timeout, n;

    g_main_context_acquire(ctx);
    g_main_context_prepare(ctx, &prio);
    n = g_main_context_query(ctx, G_MAXINT, &timeout, fds, G_N_ELEMENTS(fds));
    for (gint i = 0; i < MIN(n, (gint)G_N_ELEMENTS(fds)); i++) {
        fds[i].revents = 0;
    }
    g_main_context_check(ctx, G_MAXINT, fds, MIN(n, (gint)G_N_ELEMENTS(fds)));
    g_main_context_release(ctx);
    if (n == 1) {
        wakeup_fd = fds[0].fd;
    }
    next_poll = g_main_context_get_poll_func(ctx);
    g_main_context_set_poll_func(ctx, fuzz_poll);
}

void fuzz_machine_init(const char *const *argv)
{
    static bool done;
    int argc = 0;

    if (done) {
        return;
    }
    done = true;
    while (argv[argc]) {
        argc++;
    }
    fuzz_poll_init();
    qemu_init(argc, (char **)argv);
    fuzz_main_loop_drain();
}

void fuzz_main_loop_drain(void)
{
    /* Bounded: a timer that re-arms itself must not hang the input. */
    for (int i = 0; i < 64 && g_main_context_iteration(NULL, FALSE); i++) {
    }
}

void fuzz_disable_dangerous_commands(void)
{
    static const char *const cmds[] = {
        "migrate",              /* exec: runs a shell command */
        "migrate-incoming",
        "netdev_add",           /* tap scripts, socket files, real traffic */
        "object-add",           /* memory-backend-file creates files */
        "quit",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
        qmp_disable_command(cmds[i], "not while fuzzing");
    }
}

uint64_t fuzz_take(FuzzInput *in, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++) {
        if (in->pos < in->size) {
            v |= (uint64_t)in->data[in->pos] << (8 * i);
        }
        in->pos++;
    }
    if (in->pos > in->size) {
        in->pos = in->size;
    }
    return v;
}

void fuzz_chardev_session(Chardev *chr, const uint8_t *data, size_t size)
{
    qemu_chr_be_reopen(chr);
    qemu_chr_be_write(chr, data, size);
    fuzz_main_loop_drain();
}
