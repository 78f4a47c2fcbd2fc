/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chardevs as their users see them: a socket server and client talking,
 * reconnection, descriptors passed with SCM_RIGHTS, large writes queued
 * and delivered in order, the file backend, and QEMU's error messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "chardev/char.h"
#include "qemu/main-loop.h"

typedef struct Peer {
    GByteArray *rx;
    int opened;
    int closed;
    int can_read;               /* bytes accepted per read, 0 pauses */
} Peer;

static int peer_can_read(void *opaque)
{
    return ((Peer *)opaque)->can_read;
}

static void peer_read(void *opaque, const uint8_t *buf, int size)
{
    g_byte_array_append(((Peer *)opaque)->rx, buf, size);
}

static void peer_event(void *opaque, QEMUChrEvent event)
{
    Peer *p = opaque;

    if (event == CHR_EVENT_OPENED) {
        p->opened++;
    } else {
        p->closed++;
    }
}

static void peer_init(Peer *p, Chardev *chr)
{
    p->rx = g_byte_array_new();
    p->can_read = 65536;
    qemu_chr_fe_set_handlers(chr, peer_can_read, peer_read, peer_event, p);
}

static void peer_free(Peer *p)
{
    g_byte_array_free(p->rx, TRUE);
}

/* Spin the main loop until *cond is true, failing after 10 s. */
#define WAIT_FOR(cond) do { \
        gint64 deadline_ = g_get_monotonic_time() + 10 * G_USEC_PER_SEC; \
        while (!(cond)) { \
            g_assert_cmpint(g_get_monotonic_time(), <, deadline_); \
            g_main_context_iteration(NULL, FALSE); \
        } \
    } while (0)

static char *dir;

static char *tmp_path(const char *name)
{
    if (!dir) {
        dir = g_dir_make_tmp("baton-char-XXXXXX", NULL);
    }
    return g_build_filename(dir, name, NULL);
}

static Chardev *chardev(const char *spec, GError **errp)
{
    g_autoptr(QemuOpts) opts = qemu_opts_parse(spec, "backend", errp);

    return opts ? qemu_chr_new_from_opts(opts, errp) : NULL;
}

static int raw_connect(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    return fd;
}

static void test_server_client(void)
{
    g_autofree char *path = tmp_path("sc.sock");
    g_autofree char *spec = g_strdup_printf(
        "socket,id=srv,path=%s,server=on,wait=off", path);
    g_autofree char *cspec = g_strdup_printf("unix:%s", path);
    GError *err = NULL;
    Peer ps = { 0 }, pc = { 0 };
    Chardev *srv, *cli;

    srv = chardev(spec, &err);
    g_assert_no_error(err);
    g_assert_true(qemu_chr_find("srv") == srv);
    g_assert_cmpstr(qemu_chr_get_label(srv), ==, "srv");
    g_assert_false(qemu_chr_fe_is_connected(srv));
    g_assert_cmpint(qemu_chr_fe_write_all(srv, (const uint8_t *)"x", 1), ==,
                    -1);
    peer_init(&ps, srv);

    cli = qemu_chr_new("cli", cspec, &err);
    g_assert_no_error(err);
    /* A client is connected as soon as it exists. */
    g_assert_true(qemu_chr_fe_is_connected(cli));
    peer_init(&pc, cli);
    g_assert_cmpint(pc.opened, ==, 0);      /* delivered from the loop */
    WAIT_FOR(ps.opened == 1 && pc.opened == 1);

    g_assert_cmpint(qemu_chr_fe_write_all(cli, (const uint8_t *)"ping\n", 5),
                    ==, 5);
    WAIT_FOR(ps.rx->len == 5);
    g_assert_cmpmem(ps.rx->data, 5, "ping\n", 5);
    qemu_chr_fe_write_all(srv, (const uint8_t *)"pong\n", 5);
    WAIT_FOR(pc.rx->len == 5);
    g_assert_cmpmem(pc.rx->data, 5, "pong\n", 5);

    /* The client leaves: the server sees CLOSED and listens again. */
    qemu_chr_fe_disconnect(cli);
    g_assert_cmpint(pc.closed, ==, 1);
    g_assert_false(qemu_chr_fe_is_connected(cli));
    WAIT_FOR(ps.closed == 1);
    g_assert_false(qemu_chr_fe_is_connected(srv));

    int fd = raw_connect(path);
    WAIT_FOR(ps.opened == 2);
    g_assert_cmpint(write(fd, "again", 5), ==, 5);
    WAIT_FOR(ps.rx->len == 10);
    g_assert_cmpmem(ps.rx->data + 5, 5, "again", 5);
    close(fd);
    WAIT_FOR(ps.closed == 2);

    qemu_chr_cleanup();
    g_assert_null(qemu_chr_find("srv"));
    /* The server's socket file goes away with it. */
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    peer_free(&ps);
    peer_free(&pc);
}

static void test_can_read_pauses(void)
{
    g_autofree char *path = tmp_path("pause.sock");
    g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off",
                                            path);
    GError *err = NULL;
    Peer p = { 0 };
    Chardev *srv = qemu_chr_new("pause", spec, &err);

    g_assert_no_error(err);
    peer_init(&p, srv);
    p.can_read = 0;
    int fd = raw_connect(path);
    WAIT_FOR(p.opened == 1);
    g_assert_cmpint(write(fd, "abcdef", 6), ==, 6);
    for (int i = 0; i < 20; i++) {
        g_main_context_iteration(NULL, FALSE);
    }
    g_assert_cmpint(p.rx->len, ==, 0);
    /* Reading resumes with the frontend's budget. */
    p.can_read = 4;
    WAIT_FOR(p.rx->len == 4);
    p.can_read = 100;
    WAIT_FOR(p.rx->len == 6);
    g_assert_cmpmem(p.rx->data, 6, "abcdef", 6);

    /* A peer hanging up while reading is paused costs no busy loop. */
    p.can_read = 0;
    close(fd);
    for (int i = 0; i < 5; i++) {
        g_main_context_iteration(NULL, FALSE);
    }
    g_assert_false(g_main_context_iteration(NULL, FALSE));
    g_assert_cmpint(p.closed, ==, 0);
    p.can_read = 100;
    WAIT_FOR(p.closed == 1);
    qemu_chr_cleanup();
    peer_free(&p);
}

static void test_fd_passing(void)
{
    g_autofree char *path = tmp_path("fd.sock");
    g_autofree char *spec = g_strdup_printf(
        "socket,id=fdsrv,path=%s,server=on,wait=off", path);
    GError *err = NULL;
    Peer p = { 0 };
    Chardev *srv = chardev(spec, &err);
    int fds[2], got[4];
    char byte = 'g', c = 0;

    g_assert_no_error(err);
    peer_init(&p, srv);
    int sock = raw_connect(path);
    WAIT_FOR(p.opened == 1);
    g_assert_cmpint(qemu_chr_fe_get_msgfds(srv, got, 4), ==, 0);

    g_assert_cmpint(pipe(fds), ==, 0);
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
    };
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &fds[1], sizeof(int));
    g_assert_cmpint(sendmsg(sock, &msg, 0), ==, 1);
    close(fds[1]);

    WAIT_FOR(p.rx->len == 1);
    g_assert_cmpint(qemu_chr_fe_get_msgfds(srv, got, 4), ==, 1);
    /* The received descriptor is the pipe's write end. */
    g_assert_cmpint(write(got[0], "z", 1), ==, 1);
    g_assert_cmpint(read(fds[0], &c, 1), ==, 1);
    g_assert_cmpint(c, ==, 'z');
    close(got[0]);
    close(fds[0]);
    g_assert_cmpint(qemu_chr_fe_get_msgfds(srv, got, 4), ==, 0);
    close(sock);
    WAIT_FOR(p.closed == 1);
    qemu_chr_cleanup();
    peer_free(&p);
}

static void test_queued_writes(void)
{
    g_autofree char *path = tmp_path("q.sock");
    g_autofree char *spec = g_strdup_printf(
        "socket,id=q,path=%s,server,nowait", path);
    const size_t total = 8 << 20, piece = 100000;
    g_autofree uint8_t *data = g_malloc(total);
    g_autofree uint8_t *back = g_malloc(total);
    GError *err = NULL;
    Peer p = { 0 };
    Chardev *srv = chardev(spec, &err);
    size_t got = 0;

    g_assert_no_error(err);
    peer_init(&p, srv);
    int sock = raw_connect(path);
    WAIT_FOR(p.opened == 1);
    for (size_t i = 0; i < total; i++) {
        data[i] = (i * 7 + i / 251) & 0xff;
    }
    /* Far more than a socket buffer: returns at once, queued in order. */
    for (size_t off = 0; off < total; off += piece) {
        int n = MIN(piece, total - off);
        g_assert_cmpint(qemu_chr_fe_write_all(srv, data + off, n), ==, n);
    }
    fcntl(sock, F_SETFL, O_NONBLOCK);
    gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
    while (got < total) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        ssize_t n = read(sock, back + got, total - got);
        if (n > 0) {
            got += n;
        } else {
            g_assert_true(n < 0 && errno == EAGAIN);
            g_main_context_iteration(NULL, FALSE);
        }
    }
    g_assert_true(memcmp(data, back, total) == 0);
    close(sock);
    WAIT_FOR(p.closed == 1);
    qemu_chr_cleanup();
    peer_free(&p);
}

/*
 * A qtest-like client: sends one byte, waits for the byte back, again and
 * again, then hangs up.
 */
typedef struct PingPong {
    int fd;
    int rounds;                 /* 0: until the server hangs up */
    int done;
} PingPong;

static gpointer ping_pong_client(gpointer opaque)
{
    PingPong *pp = opaque;
    char c = 'q';

    for (int i = 0; !pp->rounds || i < pp->rounds; i++) {
        if (write(pp->fd, &c, 1) != 1 || read(pp->fd, &c, 1) != 1) {
            break;
        }
        g_atomic_int_inc(&pp->done);
    }
    close(pp->fd);
    return NULL;
}

typedef struct Echo {
    Peer peer;
    Chardev *chr;
    QEMUBH *bh;                 /* when set, it sends the reply */
    GByteArray *pending;
} Echo;

static void echo_bh(void *opaque)
{
    Echo *e = opaque;

    qemu_chr_fe_write_all(e->chr, e->pending->data, e->pending->len);
    g_byte_array_set_size(e->pending, 0);
}

static void echo_read(void *opaque, const uint8_t *buf, int size)
{
    Echo *e = opaque;

    g_byte_array_append(e->peer.rx, buf, size);
    if (e->bh) {
        /* Work a request leaves to the loop, as a device's bottom half. */
        g_byte_array_append(e->pending, buf, size);
        qemu_bh_schedule(e->bh);
    } else {
        qemu_chr_fe_write_all(e->chr, buf, size);
    }
}

static void echo_serve(Echo *e, PingPong *pp)
{
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;

    while (!e->peer.closed) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpint(g_atomic_int_get(&pp->done), ==, pp->rounds);
    g_assert_cmpint(e->peer.rx->len, ==, pp->rounds);
}

static Chardev *echo_server(Echo *e, const char *name, PingPong *pp,
                            unsigned wait_us)
{
    g_autofree char *path = tmp_path(name);
    g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off",
                                            path);
    GError *err = NULL;

    e->chr = qemu_chr_new(name, spec, &err);
    g_assert_no_error(err);
    peer_init(&e->peer, e->chr);
    qemu_chr_fe_set_handlers(e->chr, peer_can_read, echo_read, peer_event,
                             e);
    qemu_chr_fe_set_read_ahead(e->chr, wait_us);
    pp->fd = raw_connect(path);
    WAIT_FOR(e->peer.opened == 1);
    return e->chr;
}

/*
 * With read-ahead, the loop waits for the client's next request with a
 * read rather than a poll; the requests and replies are the same.
 */
static void test_read_ahead(void)
{
    PingPong pp = { .rounds = 300 };
    Echo e = { 0 };
    unsigned hits0, hits, misses;
    GThread *t;

    main_loop_read_ahead_stats(&hits0, &misses);
    /* A long wait: a loaded host cannot make every round time out. */
    echo_server(&e, "ra.sock", &pp, 20 * G_USEC_PER_SEC);
    t = g_thread_new("client", ping_pong_client, &pp);
    echo_serve(&e, &pp);
    g_thread_join(t);
    main_loop_read_ahead_stats(&hits, &misses);
    g_assert_cmpuint(hits - hits0, >, 0);
    qemu_chr_cleanup();
    peer_free(&e.peer);
}

/*
 * Read-ahead never waits while something else is ready: here each reply
 * is sent by a bottom half the request schedules, so a wait before it
 * runs could only time out.
 */
static void test_read_ahead_bh_first(void)
{
    PingPong pp = { .rounds = 300 };
    Echo e = { 0 };
    unsigned hits, misses0, misses;
    GThread *t;

    e.bh = qemu_bh_new(echo_bh, &e);
    e.pending = g_byte_array_new();
    main_loop_read_ahead_stats(&hits, &misses0);
    echo_server(&e, "ra-bh.sock", &pp, 500);
    t = g_thread_new("client", ping_pong_client, &pp);
    echo_serve(&e, &pp);
    g_thread_join(t);
    main_loop_read_ahead_stats(&hits, &misses);
    g_assert_cmpuint(misses, ==, misses0);
    qemu_bh_delete(e.bh);
    g_byte_array_free(e.pending, TRUE);
    qemu_chr_cleanup();
    peer_free(&e.peer);
}

/*
 * Another socket's input is served while a read-ahead client keeps the
 * loop busy: it waits a millisecond or so, not until the client stops,
 * however long the read-ahead wait.
 */
static void test_read_ahead_others_served(void)
{
    PingPong pp = { 0 };
    g_autofree char *path = tmp_path("other.sock");
    g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off",
                                            path);
    GError *err = NULL;
    Peer other = { 0 };
    Echo e = { 0 };
    GThread *t;
    int fd;

    peer_init(&other, qemu_chr_new("other", spec, &err));
    g_assert_no_error(err);
    fd = raw_connect(path);
    WAIT_FOR(other.opened == 1);
    echo_server(&e, "ra-busy.sock", &pp, 20 * G_USEC_PER_SEC);
    t = g_thread_new("client", ping_pong_client, &pp);
    WAIT_FOR(g_atomic_int_get(&pp.done) > 10);
    g_assert_cmpint(write(fd, "x", 1), ==, 1);
    /* Blocking iterations: the client never lets the loop go idle. */
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (other.rx->len == 0) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_main_context_iteration(NULL, TRUE);
    }
    qemu_chr_fe_disconnect(e.chr);  /* the client's read fails: it ends */
    g_thread_join(t);
    close(fd);
    qemu_chr_cleanup();
    peer_free(&e.peer);
    peer_free(&other);
}

static gboolean set_flag(gpointer opaque)
{
    *(bool *)opaque = true;
    return G_SOURCE_REMOVE;
}

/*
 * A timer due before the read-ahead wait would end is not held back by
 * it: with a 20 s wait and a client that has gone quiet, a 5 ms timer
 * still fires at once.
 */
static void test_read_ahead_timer_first(void)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    unsigned hits0, misses0, hits, misses;
    PingPong client = { 0 };    /* only its socket: the test talks */
    bool fired = false;
    Echo e = { 0 };
    char c;
    int fd;

    echo_server(&e, "ra-timer.sock", &client, 20 * G_USEC_PER_SEC);
    fd = client.fd;
    main_loop_read_ahead_stats(&hits0, &misses0);
    /*
     * Several rounds: the first may fall in the millisecond after set-up
     * in which read-ahead is off anyway.
     */
    for (int i = 1; i <= 3; i++) {
        g_assert_cmpint(write(fd, "q", 1), ==, 1);
        while (e.peer.rx->len < i) {    /* answered: read-ahead is armed */
            g_main_context_iteration(NULL, TRUE);
            g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        }
        g_assert_cmpint(read(fd, &c, 1), ==, 1);
        fired = false;
        g_timeout_add(5, set_flag, &fired);
        while (!fired) {
            g_main_context_iteration(NULL, TRUE);
            g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        }
    }
    main_loop_read_ahead_stats(&hits, &misses);
    g_assert_cmpuint(hits, ==, hits0);
    close(fd);
    qemu_chr_cleanup();
    peer_free(&e.peer);
}

/*
 * While another descriptor keeps being ready, read-ahead stays off: the
 * loop polls every turn, as that descriptor's traffic needs.
 */
static gboolean stay_ready(gint fd, GIOCondition cond, gpointer opaque)
{
    return G_SOURCE_CONTINUE;   /* never reads: always ready */
}

static void test_read_ahead_off_while_others_busy(void)
{
    PingPong pp = { .rounds = 200 };
    unsigned hits0, hits, misses;
    Echo e = { 0 };
    GThread *t;
    guint id;
    int pfd[2];

    g_assert_cmpint(pipe(pfd), ==, 0);
    g_assert_cmpint(write(pfd[1], "x", 1), ==, 1);
    /* Below the chardevs' and idle priority, so they still run. */
    id = g_unix_fd_add_full(G_PRIORITY_LOW, pfd[0], G_IO_IN, stay_ready,
                            NULL, NULL);
    main_loop_read_ahead_stats(&hits0, &misses);
    echo_server(&e, "ra-quiet.sock", &pp, 500);
    t = g_thread_new("client", ping_pong_client, &pp);
    echo_serve(&e, &pp);
    g_thread_join(t);
    main_loop_read_ahead_stats(&hits, &misses);
    g_assert_cmpuint(hits, ==, hits0);
    g_source_remove(id);
    close(pfd[0]);
    close(pfd[1]);
    qemu_chr_cleanup();
    peer_free(&e.peer);
}

/*
 * The test plays the client from the loop itself: each reply is followed
 * by the next request on the raw socket, at once (pipelined) or from a
 * timer 2 ms later (a client too slow to catch awake).
 */
typedef struct Driven {
    Echo e;
    int fd;
    int left;                   /* requests still to send */
    bool slow;
} Driven;

static gboolean driven_send(gpointer opaque)
{
    Driven *d = opaque;

    g_assert_cmpint(write(d->fd, "q", 1), ==, 1);
    d->left--;
    return G_SOURCE_REMOVE;
}

static void driven_read(void *opaque, const uint8_t *buf, int size)
{
    Driven *d = opaque;

    echo_read(&d->e, buf, size);
    if (d->left > 0) {
        if (d->slow) {
            g_timeout_add(2, driven_send, d);
        } else {
            driven_send(d);
        }
    }
}

static void driven_run(Driven *d, const char *name, unsigned *hits,
                       unsigned *misses)
{
    int rounds = d->left;
    g_autofree char *path = tmp_path(name);
    g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off",
                                            path);
    GError *err = NULL;
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;

    d->e.chr = qemu_chr_new(name, spec, &err);
    g_assert_no_error(err);
    peer_init(&d->e.peer, d->e.chr);
    qemu_chr_fe_set_handlers(d->e.chr, peer_can_read, driven_read,
                             peer_event, d);
    qemu_chr_fe_set_read_ahead(d->e.chr, 500);
    d->fd = raw_connect(path);
    WAIT_FOR(d->e.peer.opened == 1);
    driven_send(d);
    while (d->e.peer.rx->len < rounds) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_main_context_iteration(NULL, TRUE);
    }
    qemu_chr_read_ahead_spins(d->e.chr, hits, misses);
    close(d->fd);
    qemu_chr_cleanup();
    peer_free(&d->e.peer);
}

/*
 * A request that is already there is taken without sleeping.  (Enough
 * rounds to outlast the millisecond after set-up in which read-ahead is
 * off: the set-up wakes the loop.)
 */
static void test_read_ahead_spin_hits(void)
{
    Driven d = { .left = 5000 };
    unsigned hits, misses;

    driven_run(&d, "spin.sock", &hits, &misses);
    g_assert_cmpuint(hits, >, 0);
    g_assert_cmpuint(misses, <=, 1);
}

/* After looking in vain, the next waits sleep at once. */
static void test_read_ahead_spin_backs_off(void)
{
    Driven d = { .left = 8, .slow = true };
    unsigned hits, misses;

    driven_run(&d, "spin-slow.sock", &hits, &misses);
    g_assert_cmpuint(hits, ==, 0);
    g_assert_cmpuint(misses, ==, 1);
}

static void test_client_connects(void)
{
    g_autofree char *path = tmp_path("listen.sock");
    g_autofree char *spec = g_strdup_printf("socket,id=c,path=%s", path);
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    GError *err = NULL;
    Peer p = { 0 };
    char buf[16];
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    Chardev *cli = chardev(spec, &err);
    g_assert_no_error(err);
    int fd = accept(lfd, NULL, NULL);
    g_assert_cmpint(fd, >=, 0);
    peer_init(&p, cli);
    WAIT_FOR(p.opened == 1);
    qemu_chr_fe_write_all(cli, (const uint8_t *)"hi", 2);
    g_assert_cmpint(read(fd, buf, sizeof(buf)), ==, 2);
    close(fd);
    WAIT_FOR(p.closed == 1);
    /* A client without reconnect stays down. */
    g_assert_false(qemu_chr_fe_is_connected(cli));
    close(lfd);
    unlink(path);
    qemu_chr_cleanup();
    peer_free(&p);
}

static void test_tcp(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof(sin);
    GError *err = NULL;
    Peer ps = { 0 }, pc = { 0 };
    int probe = socket(AF_INET, SOCK_STREAM, 0);

    /* Find a free port; the race with other processes is harmless here. */
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(probe, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    getsockname(probe, (struct sockaddr *)&sin, &len);
    close(probe);
    int port = ntohs(sin.sin_port);
    g_autofree char *sspec = g_strdup_printf(
        "tcp:127.0.0.1:%d,server=on,wait=off", port);
    g_autofree char *cspec = g_strdup_printf("tcp:127.0.0.1:%d", port);

    Chardev *srv = qemu_chr_new("tsrv", sspec, &err);
    g_assert_no_error(err);
    peer_init(&ps, srv);
    Chardev *cli = qemu_chr_new("tcli", cspec, &err);
    g_assert_no_error(err);
    peer_init(&pc, cli);
    WAIT_FOR(ps.opened == 1 && pc.opened == 1);
    qemu_chr_fe_write_all(cli, (const uint8_t *)"tcp!", 4);
    WAIT_FOR(ps.rx->len == 4);
    g_assert_cmpmem(ps.rx->data, 4, "tcp!", 4);
    qemu_chr_cleanup();
    peer_free(&ps);
    peer_free(&pc);
}

static void test_file(void)
{
    g_autofree char *path = tmp_path("out.txt");
    g_autofree char *spec = g_strdup_printf("file:%s", path);
    g_autofree char *aspec = g_strdup_printf("file,id=f2,path=%s,append=on",
                                             path);
    g_autofree char *contents = NULL;
    GError *err = NULL;
    Chardev *f = qemu_chr_new("f1", spec, &err);

    g_assert_no_error(err);
    g_assert_cmpint(qemu_chr_fe_write_all(f, (const uint8_t *)"one\n", 4),
                    ==, 4);
    Chardev *f2 = chardev(aspec, &err);
    g_assert_no_error(err);
    qemu_chr_fe_write_all(f2, (const uint8_t *)"two\n", 4);
    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    g_assert_cmpstr(contents, ==, "one\ntwo\n");

    Chardev *n = qemu_chr_new("n", "null", &err);
    g_assert_no_error(err);
    g_assert_cmpint(qemu_chr_fe_write_all(n, (const uint8_t *)"x", 1), ==, 1);
    qemu_chr_cleanup();
}

static void expect_error(const char *spec, bool opts_form, const char *msg)
{
    GError *err = NULL;
    Chardev *chr = opts_form ? chardev(spec, &err)
                             : qemu_chr_new("e", spec, &err);

    g_assert_null(chr);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    g_error_free(err);
}

static void test_errors(void)
{
    g_autofree char *missing = tmp_path("nobody-listens.sock");
    g_autofree char *spec = g_strdup_printf("socket,id=x,path=%s", missing);
    g_autofree char *msg = g_strdup_printf(
        "Failed to connect to '%s': No such file or directory", missing);
    g_autofree char *longp = g_strnfill(200, 'a');
    g_autofree char *lspec = g_strdup_printf("unix:/%s", longp);
    g_autofree char *lmsg = g_strdup_printf(
        "UNIX socket path '/%s' is too long", longp);

    expect_error(spec, true, msg);
    expect_error("socket,id=x,path=/tmp/y,wait=off", true,
                 "'wait' option is incompatible with socket in client "
                 "connect mode");
    expect_error("socket,id=x,host=localhost", true,
                 "chardev: socket: no port given");
    expect_error("socket,id=x", true, "chardev: socket: no host given");
    expect_error("socket,id=x,path=/tmp/y,bogus=1", true,
                 "Invalid parameter 'bogus'");
    expect_error("socket,id=x,path=/tmp/y,server=maybe", true,
                 "Parameter 'server' expects 'on' or 'off'");
    expect_error("spicevmc,id=x", true,
                 "'spicevmc' is not a valid char driver name");
    expect_error("pty,id=x,path=/tmp/p", true, "Invalid parameter 'path'");
    expect_error("file,id=x", true, "chardev: file: no filename given");
    expect_error("file,id=x,path=/nonexistent/dir/f", true,
                 "Could not create '/nonexistent/dir/f': No such file or "
                 "directory");
    expect_error("vc", false, "'vc' is not a valid char driver name");
    expect_error(lspec, false, lmsg);
    g_assert_null(qemu_chr_find("x"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    main_loop_init_signals();
    g_test_add_func("/char/socket/server-client", test_server_client);
    g_test_add_func("/char/socket/can-read", test_can_read_pauses);
    g_test_add_func("/char/socket/fd-passing", test_fd_passing);
    g_test_add_func("/char/socket/queued-writes", test_queued_writes);
    g_test_add_func("/char/socket/client", test_client_connects);
    g_test_add_func("/char/socket/tcp", test_tcp);
    g_test_add_func("/char/socket/read-ahead", test_read_ahead);
    g_test_add_func("/char/socket/read-ahead/bh-first",
                    test_read_ahead_bh_first);
    g_test_add_func("/char/socket/read-ahead/others-served",
                    test_read_ahead_others_served);
    g_test_add_func("/char/socket/read-ahead/off-while-others-busy",
                    test_read_ahead_off_while_others_busy);
    g_test_add_func("/char/socket/read-ahead/timer-first",
                    test_read_ahead_timer_first);
    g_test_add_func("/char/socket/read-ahead/spin-hits",
                    test_read_ahead_spin_hits);
    g_test_add_func("/char/socket/read-ahead/spin-backs-off",
                    test_read_ahead_spin_backs_off);
    g_test_add_func("/char/file", test_file);
    g_test_add_func("/char/errors", test_errors);
    int ret = g_test_run();
    if (dir) {
        g_autofree char *out = tmp_path("out.txt");
        g_unlink(out);
        g_rmdir(dir);
        g_free(dir);
    }
    return ret;
}
