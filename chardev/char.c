/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The generic chardev: option handling, the registry, and the byte stream
 * (reads sized by the frontend's can_read, an in-order output queue,
 * OPENED/CLOSED events, SCM_RIGHTS reception).
 *
 * Throughput matters (QMP and qtest round trips): input is read in chunks
 * of up to 64 KiB and output is written straight to the socket whenever
 * nothing is queued, so a request/reply costs one read and one write.
 */
#include "chardev/char-internal.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "qapi/qapi-commands.h"

/* Unclaimed SCM_RIGHTS descriptors kept; older ones are closed. */
#define CHR_MAX_MSGFDS 16

static GPtrArray *chardevs;

typedef struct ChrSource {
    GSource source;
    Chardev *chr;
    gpointer in_tag;
    gpointer out_tag;
    GIOCondition in_cond;
    GIOCondition out_cond;
} ChrSource;

static bool outq_empty(Chardev *chr)
{
    return !chr->outq || chr->outq_head >= chr->outq->len;
}

static void close_msgfds(Chardev *chr)
{
    if (!chr->msgfds) {
        return;
    }
    for (guint i = 0; i < chr->msgfds->len; i++) {
        close(g_array_index(chr->msgfds, int, i));
    }
    g_array_set_size(chr->msgfds, 0);
}

static void deliver_open(Chardev *chr)
{
    if (chr->open_idle) {
        g_source_remove(chr->open_idle);
        chr->open_idle = 0;
    }
    if (chr->connected && !chr->fe_open && chr->fe_event) {
        chr->fe_open = true;
        chr->fe_event(chr->fe_opaque, CHR_EVENT_OPENED);
    }
}

static gboolean open_idle_cb(gpointer data)
{
    Chardev *chr = data;

    chr->open_idle = 0;
    deliver_open(chr);
    return G_SOURCE_REMOVE;
}

static void schedule_open(Chardev *chr)
{
    if (chr->connected && !chr->fe_open && chr->fe_event &&
        !chr->open_idle) {
        chr->open_idle = g_idle_add(open_idle_cb, chr);
    }
}

/* Write what the socket takes now; false if the peer is gone. */
static bool flush_outq(Chardev *chr)
{
    while (!outq_empty(chr)) {
        ssize_t n = send(chr->out_fd, chr->outq->data + chr->outq_head,
                         chr->outq->len - chr->outq_head,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        chr->outq_head += n;
    }
    if (chr->outq) {
        g_byte_array_set_size(chr->outq, 0);
        chr->outq_head = 0;
    }
    return true;
}

static gboolean disconnect_idle_cb(gpointer data)
{
    Chardev *chr = data;

    chr->disconnect_idle = 0;
    chr_disconnect(chr);
    return G_SOURCE_REMOVE;
}

/* A write saw the peer vanish: tear down from the main loop, not here. */
static void write_failed(Chardev *chr)
{
    chr->write_failed = true;
    if (chr->outq) {
        g_byte_array_set_size(chr->outq, 0);
        chr->outq_head = 0;
    }
    if (!chr->disconnect_idle) {
        chr->disconnect_idle = g_idle_add(disconnect_idle_cb, chr);
    }
}

static void stash_msgfds(Chardev *chr, struct msghdr *msg)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
            continue;
        }
        int n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        int *fds = (int *)CMSG_DATA(c);
        if (!chr->msgfds) {
            chr->msgfds = g_array_new(FALSE, FALSE, sizeof(int));
        }
        for (int i = 0; i < n; i++) {
            if (chr->msgfds->len >= CHR_MAX_MSGFDS) {
                close(g_array_index(chr->msgfds, int, 0));
                g_array_remove_index(chr->msgfds, 0);
            }
            g_array_append_val(chr->msgfds, fds[i]);
        }
    }
}

/* wait: block (sockets in read-ahead have a receive timeout). */
ssize_t chr_recv(Chardev *chr, uint8_t *buf, size_t len, bool wait)
{
    if (!chr->is_socket) {
        return read(chr->in_fd, buf, len);
    }
    union {
        char buf[CMSG_SPACE(sizeof(int) * CHR_MAX_MSGFDS)];
        struct cmsghdr align;
    } control;
    struct iovec iov = { .iov_base = buf, .iov_len = len };
    struct msghdr msg = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control.buf,
        .msg_controllen = sizeof(control.buf),
    };
    ssize_t n = recvmsg(chr->in_fd, &msg,
                        MSG_CMSG_CLOEXEC | (wait ? 0 : MSG_DONTWAIT));
    if (n >= 0 && msg.msg_controllen) {
        stash_msgfds(chr, &msg);
    }
    return n;
}

ssize_t chr_recv_rbuf(Chardev *chr, size_t len, bool wait)
{
    if (!chr->rbuf) {
        chr->rbuf = g_malloc(CHR_READ_BUF);
    }
    return chr_recv(chr, chr->rbuf, MIN(len, CHR_READ_BUF), wait);
}

static void chr_read_ready(Chardev *chr)
{
    deliver_open(chr);
    if (!chr->connected || !chr->fe_read) {
        return;
    }
    int want = chr->fe_can_read ? chr->fe_can_read(chr->fe_opaque) : 0;
    if (want <= 0) {
        return;
    }
    ssize_t n = chr->rbuf_ready;
    if (n > 0) {
        chr->rbuf_ready = 0;
    } else {
        n = chr_recv_rbuf(chr, want, false);
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
        return;
    }
    if (n <= 0) {
        chr_disconnect(chr);
        return;
    }
    chr->fe_read(chr->fe_opaque, chr->rbuf, n);
    if (chr->read_ahead_us && chr->connected && outq_empty(chr)) {
        main_loop_arm_read_ahead();
    }
}

/*
 * Watch fd only while there is interest: a hung-up peer makes poll report
 * HUP even for an fd polled for nothing, which would spin the loop while
 * the frontend is not reading.  Changes cost a wakeup, so only on change.
 */
static void set_interest(ChrSource *s, gpointer *tag, int fd,
                         GIOCondition *cur, GIOCondition want)
{
    if (*cur == want) {
        return;
    }
    if (!want) {
        g_source_remove_unix_fd(&s->source, *tag);
        *tag = NULL;
    } else if (*tag) {
        g_source_modify_unix_fd(&s->source, *tag, want);
    } else {
        *tag = g_source_add_unix_fd(&s->source, fd, want);
    }
    *cur = want;
}

static gboolean chr_source_prepare(GSource *source, gint *timeout)
{
    ChrSource *s = (ChrSource *)source;
    Chardev *chr = s->chr;
    GIOCondition in = 0, out = 0;

    *timeout = -1;
    if (chr->in_fd >= 0 && chr->fe_read && chr->fe_can_read &&
        chr->fe_can_read(chr->fe_opaque) > 0) {
        in = G_IO_IN | G_IO_HUP | G_IO_ERR;
    }
    if (chr->is_socket && !outq_empty(chr)) {
        out = G_IO_OUT | G_IO_ERR | G_IO_HUP;
    }
    set_interest(s, &s->in_tag, chr->in_fd, &s->in_cond, in);
    set_interest(s, &s->out_tag, chr->out_fd, &s->out_cond, out);
    return in && chr->rbuf_ready > 0;
}

static gboolean chr_source_dispatch(GSource *source, GSourceFunc cb,
                                    gpointer data)
{
    ChrSource *s = (ChrSource *)source;
    Chardev *chr = s->chr;
    unsigned gen = chr->conn_gen;

    if (s->out_tag && g_source_query_unix_fd(source, s->out_tag)) {
        if (!flush_outq(chr)) {
            write_failed(chr);
            return G_SOURCE_CONTINUE;
        }
    }
    if (gen == chr->conn_gen && s->in_tag &&
        (chr->rbuf_ready > 0 ||
         g_source_query_unix_fd(source, s->in_tag))) {
        chr_read_ready(chr);
    }
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs chr_source_funcs = {
    .prepare = chr_source_prepare,
    .dispatch = chr_source_dispatch,
};

void chr_connect(Chardev *chr, int in_fd, int out_fd, bool is_socket,
                 bool close_fds)
{
    ChrSource *s;

    chr->connected = true;
    chr->write_failed = false;
    chr->in_fd = in_fd;
    chr->out_fd = out_fd;
    chr->is_socket = is_socket;
    chr->close_fds = close_fds;
    chr_read_ahead_start(chr);
    if (in_fd >= 0 || (is_socket && out_fd >= 0)) {
        chr->io_source = g_source_new(&chr_source_funcs, sizeof(ChrSource));
        s = (ChrSource *)chr->io_source;
        s->chr = chr;
        /*
         * prepare adds the fds as needed.  Only sockets are non-blocking
         * and watched for output; files and stdout are simply written.
         */
        /*
         * GLib "blocks" a non-recursive source around each dispatch by
         * removing and re-adding its fds, which costs eventfd wakeups on
         * every request; nothing here re-enters the loop, so skip that.
         */
        g_source_set_can_recurse(chr->io_source, TRUE);
        g_source_attach(chr->io_source, NULL);
    }
    schedule_open(chr);
}

void chr_disconnect(Chardev *chr)
{
    if (!chr->connected) {
        return;
    }
    chr->connected = false;
    chr->conn_gen++;
    chr_read_ahead_stop(chr);
    if (chr->io_source) {
        g_source_destroy(chr->io_source);
        g_source_unref(chr->io_source);
        chr->io_source = NULL;
    }
    if (chr->disconnect_idle) {
        g_source_remove(chr->disconnect_idle);
        chr->disconnect_idle = 0;
    }
    if (chr->open_idle) {
        g_source_remove(chr->open_idle);
        chr->open_idle = 0;
    }
    if (chr->close_fds) {
        if (chr->in_fd >= 0) {
            close(chr->in_fd);
        }
        if (chr->out_fd >= 0 && chr->out_fd != chr->in_fd) {
            close(chr->out_fd);
        }
    }
    chr->in_fd = chr->out_fd = -1;
    if (chr->outq) {
        g_byte_array_set_size(chr->outq, 0);
        chr->outq_head = 0;
    }
    close_msgfds(chr);
    if (chr->fe_open) {
        chr->fe_open = false;
        if (chr->fe_event) {
            chr->fe_event(chr->fe_opaque, CHR_EVENT_CLOSED);
        }
    }
    if (chr->on_disconnect) {
        chr->on_disconnect(chr);
    }
}

int qemu_chr_fe_write_all(Chardev *chr, const uint8_t *buf, int len)
{
    if (chr->discard) {
        return len;
    }
    if (!chr->connected || chr->out_fd < 0 || len < 0) {
        return -1;
    }
    if (chr->write_failed) {
        return len;             /* dropped: the peer is already gone */
    }
    if (!chr->is_socket) {
        int done = 0;
        while (done < len) {
            ssize_t n = write(chr->out_fd, buf + done, len - done);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0 && errno == EAGAIN && chr->drop_when_full) {
                return len;     /* nobody reads the console: drop */
            }
            if (n <= 0) {
                return -1;
            }
            done += n;
        }
        return len;
    }
    int done = 0;
    if (outq_empty(chr)) {
        while (done < len) {
            ssize_t n = send(chr->out_fd, buf + done, len - done,
                             MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                    break;
                }
                write_failed(chr);
                return len;
            }
            done += n;
        }
    }
    if (done < len) {
        if (!chr->outq) {
            chr->outq = g_byte_array_new();
        }
        /* Reclaim the sent prefix once it dominates, keeping appends O(1). */
        if (chr->outq_head > 65536 && chr->outq_head * 2 > chr->outq->len) {
            g_byte_array_remove_range(chr->outq, 0, chr->outq_head);
            chr->outq_head = 0;
        }
        /* The source's next prepare asks to be told when it drains. */
        g_byte_array_append(chr->outq, buf + done, len - done);
    }
    return len;
}

void qemu_chr_fe_flush(Chardev *chr, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    while (chr->connected && chr->is_socket && !outq_empty(chr) &&
           !chr->write_failed) {
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0) {
            break;
        }
        struct pollfd pfd = { .fd = chr->out_fd, .events = POLLOUT };
        if (poll(&pfd, 1, left) < 0 && errno != EINTR) {
            break;
        }
        if (!flush_outq(chr)) {
            write_failed(chr);
        }
    }
}

void qemu_chr_fe_set_handlers(Chardev *chr, IOCanReadHandler *can_read,
                              IOReadHandler *fd_read, IOEventHandler *event,
                              void *opaque)
{
    chr->fe_can_read = can_read;
    chr->fe_read = fd_read;
    chr->fe_event = event;
    chr->fe_opaque = opaque;
    if (!event) {
        chr->fe_open = false;
        if (chr->open_idle) {
            g_source_remove(chr->open_idle);
            chr->open_idle = 0;
        }
    }
    schedule_open(chr);
    if (chr->io_source) {
        g_main_context_wakeup(NULL);
    }
}

bool qemu_chr_fe_claim(Chardev *chr, GError **errp)
{
    if (chr->fe_claimed || chr->fe_read || chr->fe_event) {
        error_setg(errp, "Device '%s' is in use", chr->label);
        return false;
    }
    chr->fe_claimed = true;
    return true;
}

void qemu_chr_fe_release(Chardev *chr)
{
    if (chr->fe_claimed) {
        qemu_chr_fe_set_handlers(chr, NULL, NULL, NULL, NULL);
        chr->fe_claimed = false;
    }
}

void qemu_chr_fe_disconnect(Chardev *chr)
{
    chr_disconnect(chr);
}

bool qemu_chr_fe_is_connected(Chardev *chr)
{
    return chr->connected && !chr->write_failed;
}

int qemu_chr_fe_get_msgfds(Chardev *chr, int *fds, int num)
{
    int n = 0;

    if (!chr->msgfds) {
        return 0;
    }
    while (n < num && chr->msgfds->len > 0) {
        fds[n++] = g_array_index(chr->msgfds, int, 0);
        g_array_remove_index(chr->msgfds, 0);
    }
    return n;
}

/* Registry and creation */

bool chr_check_params(QemuOpts *opts, const char *const *allowed,
                      GError **errp)
{
    static const char *const common[] = { "backend", "id", "mux", NULL };

    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        bool ok = g_strv_contains(common, opt->name) ||
                  (allowed && g_strv_contains(allowed, opt->name));
        if (!ok) {
            error_setg(errp, "Invalid parameter '%s'", opt->name);
            return false;
        }
    }
    return true;
}

static bool chr_open_null(Chardev *chr, QemuOpts *opts, GError **errp)
{
    if (!chr_check_params(opts, NULL, errp)) {
        return false;
    }
    chr->discard = true;
    chr_connect(chr, -1, -1, false, false);
    return true;
}

static const struct {
    const char *name;
    bool (*open)(Chardev *chr, QemuOpts *opts, GError **errp);
} backends[] = {
    { "socket", chr_open_socket },
    { "stdio", chr_open_stdio },
    { "file", chr_open_file },
    { "pty", chr_open_pty },
    { "null", chr_open_null },
};

static void chr_free(Chardev *chr)
{
    chr_disconnect(chr);
    if (chr->close) {
        chr->close(chr);
    }
    close_msgfds(chr);
    if (chr->msgfds) {
        g_array_free(chr->msgfds, TRUE);
    }
    if (chr->outq) {
        g_byte_array_free(chr->outq, TRUE);
    }
    g_free(chr->rbuf);
    g_free(chr->label);
    g_free(chr->backend);
    g_free(chr->filename);
    g_free(chr);
}

Chardev *qemu_chr_new_from_opts(QemuOpts *opts, GError **errp)
{
    const char *backend = qemu_opt_get(opts, "backend");
    const char *id = qemu_opt_get(opts, "id");
    GError *err = NULL;
    Chardev *chr;
    guint i;

    if (!backend) {
        error_setg(errp, "chardev: \"%s\" missing backend", id ? id : "");
        return NULL;
    }
    for (i = 0; i < G_N_ELEMENTS(backends); i++) {
        if (!strcmp(backends[i].name, backend)) {
            break;
        }
    }
    if (i == G_N_ELEMENTS(backends)) {
        error_setg(errp, "'%s' is not a valid char driver name", backend);
        return NULL;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return NULL;
    }
    if (qemu_chr_find(id)) {
        error_setg(errp, "Duplicate ID '%s' for chardev", id);
        return NULL;
    }
    if (qemu_opt_get_bool(opts, "mux", false, &err)) {
        error_setg(errp, "chardev: mux=on is not supported");
        return NULL;
    }
    if (err) {
        g_propagate_error(errp, err);
        return NULL;
    }

    main_loop_init_signals();
    chr = g_new0(Chardev, 1);
    chr->label = g_strdup(id);
    chr->backend = g_strdup(backend);
    chr->in_fd = chr->out_fd = -1;
    if (!backends[i].open(chr, opts, errp)) {
        chr_free(chr);
        return NULL;
    }
    if (!chardevs) {
        chardevs = g_ptr_array_new();
    }
    g_ptr_array_add(chardevs, chr);
    return chr;
}

/* "tcp:HOST:PORT[,opts]": the address part ends at the first comma. */
static bool parse_tcp_spec(QemuOpts *opts, const char *p, const char **rest,
                           GError **errp)
{
    const char *comma = strchr(p, ',');
    g_autofree char *hp = comma ? g_strndup(p, comma - p) : g_strdup(p);
    char *colon = strrchr(hp, ':');

    if (!colon || !colon[1]) {
        error_setg(errp, "chardev: socket: no port given");
        return false;
    }
    *colon = '\0';
    char *host = hp;
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        host++;
    }
    qemu_opt_set(opts, "host", host);
    qemu_opt_set(opts, "port", colon + 1);
    *rest = comma ? comma + 1 : NULL;
    return true;
}

Chardev *qemu_chr_new(const char *label, const char *spec, GError **errp)
{
    g_autoptr(QemuOpts) opts = NULL;
    const char *rest = NULL;
    const char *p;

    if (!strcmp(spec, "stdio") || !strcmp(spec, "null") ||
        !strcmp(spec, "pty")) {
        opts = qemu_opts_new();
        qemu_opt_set(opts, "backend", spec);
    } else if ((p = g_str_has_prefix(spec, "file:") ? spec + 5 : NULL)) {
        opts = qemu_opts_new();
        qemu_opt_set(opts, "backend", "file");
        qemu_opt_set(opts, "path", p);
    } else if (g_str_has_prefix(spec, "unix:")) {
        opts = qemu_opts_parse(spec + 5, "path", errp);
        if (!opts) {
            return NULL;
        }
        qemu_opt_set(opts, "backend", "socket");
    } else if (g_str_has_prefix(spec, "tcp:")) {
        opts = qemu_opts_new();
        if (!parse_tcp_spec(opts, spec + 4, &rest, errp)) {
            return NULL;
        }
        if (rest && *rest) {
            g_autoptr(QemuOpts) more = qemu_opts_parse(rest, NULL, errp);
            if (!more) {
                return NULL;
            }
            for (guint i = 0; i < more->list->len; i++) {
                QemuOpt *o = g_ptr_array_index(more->list, i);
                qemu_opt_set(opts, o->name, o->str);
            }
        }
        qemu_opt_set(opts, "backend", "socket");
    } else {
        error_setg(errp, "'%s' is not a valid char driver name", spec);
        return NULL;
    }
    qemu_opt_unset(opts, "id");
    qemu_opt_set(opts, "id", label);
    return qemu_chr_new_from_opts(opts, errp);
}

int qemu_chr_be_write(Chardev *chr, const uint8_t *buf, int len)
{
    int done = 0;

    deliver_open(chr);
    while (done < len && chr->fe_read) {
        int want = chr->fe_can_read ? chr->fe_can_read(chr->fe_opaque) : 0;

        if (want <= 0) {
            break;
        }
        want = MIN(want, len - done);
        chr->fe_read(chr->fe_opaque, buf + done, want);
        done += want;
    }
    return done;
}

void qemu_chr_be_reopen(Chardev *chr)
{
    deliver_open(chr);
    if (!chr->fe_event) {
        return;
    }
    if (chr->fe_open) {
        chr->fe_event(chr->fe_opaque, CHR_EVENT_CLOSED);
    }
    chr->fe_open = true;
    chr->fe_event(chr->fe_opaque, CHR_EVENT_OPENED);
}

Chardev *qemu_chr_find(const char *id)
{
    if (!chardevs || !id) {
        return NULL;
    }
    for (guint i = 0; i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);
        if (!strcmp(chr->label, id)) {
            return chr;
        }
    }
    return NULL;
}

const char *qemu_chr_get_label(Chardev *chr)
{
    return chr->label;
}

void qemu_chr_cleanup(void)
{
    if (!chardevs) {
        return;
    }
    /* Let the last replies and events (SHUTDOWN) reach their peers. */
    for (guint i = 0; i < chardevs->len; i++) {
        qemu_chr_fe_flush(g_ptr_array_index(chardevs, i), 1000);
    }
    while (chardevs->len) {
        Chardev *chr = g_ptr_array_steal_index(chardevs, chardevs->len - 1);
        /* No events to frontends that are being torn down too. */
        chr->fe_event = NULL;
        chr_free(chr);
    }
    g_ptr_array_free(chardevs, TRUE);
    chardevs = NULL;
}

/* QMP */

ChardevInfoList *qmp_query_chardev(GError **errp)
{
    ChardevInfoList *head = NULL, **tail = &head;

    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);
        ChardevInfoList *elt = g_new0(ChardevInfoList, 1);

        elt->value = g_new0(ChardevInfo, 1);
        elt->value->label = g_strdup(chr->label);
        elt->value->filename = g_strdup(chr->filename ? chr->filename
                                                      : chr->backend);
        elt->value->frontend_open = chr->fe_open;
        *tail = elt;
        tail = &elt->next;
    }
    return head;
}

ChardevBackendInfoList *qmp_query_chardev_backends(GError **errp)
{
    ChardevBackendInfoList *head = NULL, **tail = &head;

    for (guint i = 0; i < G_N_ELEMENTS(backends); i++) {
        ChardevBackendInfoList *elt = g_new0(ChardevBackendInfoList, 1);

        elt->value = g_new0(ChardevBackendInfo, 1);
        elt->value->name = g_strdup(backends[i].name);
        *tail = elt;
        tail = &elt->next;
    }
    return head;
}
