/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The incoming side: -incoming URI|defer, migrate-incoming, reading the
 * stream from the main loop in bounded slices (QMP keeps answering while
 * it loads), and starting the VM afterwards.  A bad stream ends the
 * process with status 1 and a one-line reason, as QEMU does.
 */
#include "migration/internal.h"
#include "migration/migration.h"
#include "migration/misc.h"

#include <errno.h>
#include <unistd.h>
#include <glib-unix.h>

#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qapi/qapi-events.h"
#include "qapi/qapi-visit.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "system/runstate.h"
#include "system/system.h"

#define READ_CHUNK      (1u << 20)
#define READ_BUDGET_NS  (20 * SCALE_MS)

typedef struct Incoming {
    bool started;
    MigrationStatus status;
    MigrationSocketAddressList *addrs;
    LoadState *ls;
    int fd;
    GPid child;
    guint watch;
    guint commit_timer;         /* LOADED sent: COMMIT must follow */
    bool is_socket;             /* we can answer the source */
    bool sent_loaded;
    uint8_t *buf;
} Incoming;

static Incoming in = { .status = MIGRATION_STATUS_NONE, .fd = -1 };

bool migration_incoming_in_progress(void)
{
    return in.status == MIGRATION_STATUS_ACTIVE;
}

MigrationInfo *migration_incoming_query(void)
{
    MigrationInfo *info;

    if (in.status == MIGRATION_STATUS_NONE) {
        return NULL;
    }
    info = g_new0(MigrationInfo, 1);
    info->has_status = true;
    info->status = in.status;
    if (in.addrs && in.status != MIGRATION_STATUS_COMPLETED) {
        JsonNode *n = qapi_MigrationSocketAddressList_to_json(in.addrs);
        info->socket_address =
            qapi_MigrationSocketAddressList_from_json(n, NULL, NULL);
        json_node_unref(n);
    }
    return info;
}

static void set_in_status(MigrationStatus s)
{
    in.status = s;
    if (migrate_events_enabled()) {
        qapi_event_send_migration(s);
    }
}

static void reap_child(GPid pid, gint status, gpointer opaque)
{
    g_spawn_close_pid(pid);
}

static void close_input(void)
{
    mig_listen_stop();
    if (in.watch) {
        g_source_remove(in.watch);
        in.watch = 0;
    }
    if (in.commit_timer) {
        g_source_remove(in.commit_timer);
        in.commit_timer = 0;
    }
    if (in.fd >= 0) {
        close(in.fd);
        in.fd = -1;
    }
    if (in.child) {
        /* Reap it whenever it ends. */
        g_child_watch_add(in.child, reap_child, NULL);
        in.child = 0;
    }
    g_clear_pointer(&in.buf, g_free);
}

static void incoming_fail(GError *err)
{
    /* The source learns why at once rather than from a closed channel. */
    if (in.is_socket && !in.sent_loaded) {
        mig_rp_send(in.fd, MIG_RP_FAILED, err->message);
    }
    close_input();
    loadvm_free(g_steal_pointer(&in.ls));
    set_in_status(MIGRATION_STATUS_FAILED);
    error_report("load of migration failed: %s", err->message);
    g_error_free(err);
    main_loop_exit(1);
}

static void incoming_done(void)
{
    bool source_running = loadvm_source_was_running(in.ls);

    close_input();
    loadvm_free(g_steal_pointer(&in.ls));
    migration_call_notifiers(MIG_EVENT_INCOMING_LOADED);
    if (source_running && runstate_get_autostart()) {
        vm_start();
    } else {
        runstate_set(RUN_STATE_PAUSED);
    }
    set_in_status(MIGRATION_STATUS_COMPLETED);
}

/* LOADED or PONG on the return path. */
static bool answer_source(uint8_t type, GError **errp)
{
    if (!in.is_socket) {
        error_setg(errp, "the source waits for an answer this channel "
                   "cannot carry");
        return false;
    }
    if (!mig_rp_send(in.fd, type, NULL)) {
        error_setg_errno(errp, errno, "cannot answer the source");
        return false;
    }
    return true;
}

static gboolean commit_timeout(gpointer opaque)
{
    in.commit_timer = 0;
    incoming_fail(g_error_new(BATON_ERROR, 0, "the source did not confirm "
                              "the switch-over within %d s",
                              MIG_RP_TIMEOUT_MS / 1000));
    return G_SOURCE_REMOVE;
}

/*
 * The stream was loaded and checked.  With a return path, tell the source
 * and wait for its COMMIT before running anything: if the answer gets
 * lost, the source runs on and this side must not.
 */
static bool incoming_loaded(GError **errp)
{
    if (!loadvm_wants_return_path(in.ls)) {
        return true;
    }
    if (!answer_source(MIG_RP_LOADED, errp)) {
        return false;
    }
    in.sent_loaded = true;
    in.commit_timer = g_timeout_add(MIG_RP_TIMEOUT_MS, commit_timeout, NULL);
    return true;
}

/*
 * Bytes of the main channel (none: the channels moved on, look again).
 * False once the load is over, failed or done.
 */
static bool incoming_feed(const uint8_t *data, size_t n)
{
    GError *err = NULL;
    bool done = false;

    if (!loadvm_feed(in.ls, data, n, &done, &err) ||
        (!in.sent_loaded && loadvm_loaded(in.ls) &&
         !incoming_loaded(&err))) {
        incoming_fail(err);
        return false;
    }
    if (done) {
        incoming_done();
        return false;
    }
    return true;
}

void incoming_multifd_progress(void)
{
    if (in.ls) {
        incoming_feed(NULL, 0);
    }
}

void incoming_multifd_failed(GError *err)
{
    /* Also a channel held while the main channel had not come yet. */
    if (in.ls || in.status == MIGRATION_STATUS_SETUP) {
        incoming_fail(err);
    } else {
        g_error_free(err);
    }
}

static gboolean incoming_readable(gint fd, GIOCondition cond, gpointer data)
{
    int64_t start = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    GError *err = NULL;

    for (;;) {
        ssize_t n = read(fd, in.buf, READ_CHUNK);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return G_SOURCE_CONTINUE;
            }
            error_setg_errno(&err, errno, "read error");
            incoming_fail(err);
            return G_SOURCE_REMOVE;
        }
        if (n == 0) {
            incoming_fail(g_error_new(BATON_ERROR, 0, "%s", in.sent_loaded
                                      ? "the source closed the channel "
                                        "without confirming the switch-over"
                                      : "unexpected end of the migration "
                                        "stream"));
            return G_SOURCE_REMOVE;
        }
        if (!incoming_feed(in.buf, n)) {
            return G_SOURCE_REMOVE;
        }
        if (qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - start > READ_BUDGET_NS) {
            return G_SOURCE_CONTINUE;
        }
    }
}

/*
 * The source waits for this before it stops the guest for the switch-over:
 * everything it sent so far is loaded, so the downtime holds only what
 * comes after.
 */
static bool incoming_pong(GError **errp)
{
    return answer_source(MIG_RP_PONG, errp);
}

/* The main channel; prefix: its first bytes, already read. */
static void incoming_main(int fd, GPid child, const uint8_t *prefix,
                          size_t len)
{
    in.fd = fd;
    in.child = child;
    in.buf = g_malloc(READ_CHUNK);
    in.ls = loadvm_new();
    loadvm_set_ping_handler(in.ls, incoming_pong);
    in.is_socket = mig_fd_is_socket(fd);
    in.sent_loaded = false;
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    set_in_status(MIGRATION_STATUS_ACTIVE);
    if (len && !incoming_feed(prefix, len)) {
        return;
    }
    in.watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                             incoming_readable, NULL);
}

/*
 * With multifd, every connection first says what it is: the main stream
 * starts with its magic, a channel with its hello.
 */
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}

typedef struct Probe {
    int fd;
    uint8_t buf[MIG_MF_HELLO];
    size_t have;
    guint watch;
    guint timer;
} Probe;

static gboolean probe_timeout(gpointer opaque)
{
    Probe *p = opaque;

    /* Said nothing: not ours. */
    p->timer = 0;
    g_source_remove(p->watch);
    close(p->fd);
    g_free(p);
    return G_SOURCE_REMOVE;
}

static gboolean probe_readable(gint fd, GIOCondition cond, gpointer opaque)
{
    Probe *p = opaque;
    size_t want = p->have >= 4 && be32(p->buf) == MIG_MF_MAGIC
                  ? MIG_MF_HELLO : 4;
    ssize_t n = read(fd, p->buf + p->have, want - p->have);

    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        p->watch = 0;
        g_source_remove(p->timer);
        close(p->fd);
        g_free(p);
        return G_SOURCE_REMOVE;
    }
    p->have += n;
    if (p->have < 4 || (be32(p->buf) == MIG_MF_MAGIC &&
                        p->have < MIG_MF_HELLO)) {
        return G_SOURCE_CONTINUE;
    }
    p->watch = 0;
    g_source_remove(p->timer);
    if (be32(p->buf) == MIG_MF_MAGIC) {
        multifd_recv_add_channel(p->fd, p->buf);
    } else if (!in.ls && in.status == MIGRATION_STATUS_SETUP) {
        incoming_main(p->fd, 0, p->buf, p->have);
    } else {
        close(p->fd);           /* a second main channel */
    }
    g_free(p);
    return G_SOURCE_REMOVE;
}

static bool incoming_accepted(int fd, GPid child, void *opaque)
{
    Probe *p;

    if (!migrate_multifd_enabled() || child) {
        incoming_main(fd, child, NULL, 0);
        return false;
    }
    p = g_new0(Probe, 1);
    p->fd = fd;
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    p->watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                             probe_readable, p);
    p->timer = g_timeout_add(MIG_MF_TIMEOUT_MS, probe_timeout, p);
    return true;
}

static bool incoming_start(const char *uri, GError **errp)
{
    if (!migrate_uri_check(uri, errp)) {
        return false;
    }
    /* QEMU reports setup before it even looks at the URI otherwise. */
    in.status = MIGRATION_STATUS_SETUP;
    qapi_event_send_migration(MIGRATION_STATUS_SETUP);
    if (!mig_listen_incoming(uri, incoming_accepted, NULL, &in.addrs,
                             errp)) {
        in.status = MIGRATION_STATUS_NONE;
        return false;
    }
    in.started = true;
    return true;
}

void qmp_migrate_incoming(const char *uri, GError **errp)
{
    if (!qemu_incoming_uri()) {
        error_setg(errp, "'-incoming' was not specified on the command line");
        return;
    }
    if (in.started || strcmp(qemu_incoming_uri(), "defer")) {
        error_setg(errp, "The incoming migration has already been started");
        return;
    }
    incoming_start(uri, errp);
}

void migration_incoming_startup(const char *uri)
{
    GError *err = NULL;

    if (!strcmp(uri, "defer")) {
        return;
    }
    if (!incoming_start(uri, &err)) {
        error_report_err(err);
        exit(1);
    }
}
