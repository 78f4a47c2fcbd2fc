/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqtest: the client side of the qtest protocol and of QMP.
 *
 * The test listens on two unix sockets and the binary connects to them,
 * exactly as QEMU 8.1's libqtest arranges it, so the same binary can be
 * driven by QEMU's own tests through $QTEST_QEMU_BINARY.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "libqtest.h"

#define QTEST_DEFAULT_TIMEOUT   30
#define QTEST_ACCEPT_TIMEOUT    50      /* QEMU's libqtest waits this long */
#define QTEST_MAX_IRQ           256
#define QTEST_MAX_LIVE          32

struct QTestState {
    pid_t pid;                  /* -1 once reaped */
    int wstatus;
    int expected_status;
    int timeout_ms;
    int fd;                     /* qtest socket */
    int qmp_fd;
    GString *rx;                /* qtest bytes received, not yet consumed */
    QmpStream qmp;
    GQueue pending_events;
    GQueue pending_replies;
    bool irq_level[QTEST_MAX_IRQ];
    bool big_endian;
    bool log_qmp;
};

/*
 * Binaries still running, so a failed assertion (SIGABRT) does not leave
 * them behind; PR_SET_PDEATHSIG covers a test killed any other way.
 */
static volatile pid_t live_pids[QTEST_MAX_LIVE];
static bool abrt_handler_installed;

static void qtest_abrt_handler(int sig)
{
    for (int i = 0; i < QTEST_MAX_LIVE; i++) {
        if (live_pids[i] > 0) {
            kill(live_pids[i], SIGKILL);
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void qtest_track_pid(pid_t pid, bool add)
{
    for (int i = 0; i < QTEST_MAX_LIVE; i++) {
        if (add && live_pids[i] == 0) {
            live_pids[i] = pid;
            break;
        }
        if (!add && live_pids[i] == pid) {
            live_pids[i] = 0;
            break;
        }
    }
    if (add && !abrt_handler_installed) {
        struct sigaction sa = { .sa_handler = qtest_abrt_handler };

        sigemptyset(&sa.sa_mask);
        sigaction(SIGABRT, &sa, NULL);
        abrt_handler_installed = true;
    }
}

/* ----------------------------------------------------------------------- */
/* Failing */

static char *qtest_describe_status(int wstatus)
{
    if (WIFEXITED(wstatus)) {
        int code = WEXITSTATUS(wstatus);

        /*
         * Sanitizers exit with 1 (ASan, including its leak check) or 23
         * (standalone LeakSanitizer) after printing to the inherited stderr.
         */
        if (code == 1 || code == 23) {
            return g_strdup_printf("exited with status %d (if an "
                                   "AddressSanitizer/LeakSanitizer report "
                                   "precedes this, it is the cause)", code);
        }
        return g_strdup_printf("exited with status %d", code);
    }
    if (WIFSIGNALED(wstatus)) {
        return g_strdup_printf("was killed by signal %d (%s)%s",
                               WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)),
                               WCOREDUMP(wstatus) ? ", core dumped" : "");
    }
    return g_strdup_printf("ended with wait status 0x%x", wstatus);
}

static void qtest_reap(QTestState *s, int wstatus)
{
    s->wstatus = wstatus;
    qtest_track_pid(s->pid, false);
    s->pid = -1;
}

/* Wait up to ms milliseconds for the child to exit; true if it did. */
static bool qtest_wait_exit(QTestState *s, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    int pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
    int wstatus;

    for (;;) {
        pid_t r = waitpid(s->pid, &wstatus, WNOHANG);
        gint64 left;

        if (r == s->pid) {
            qtest_reap(s, wstatus);
            break;
        }
        if (r < 0 && errno != EINTR) {
            /* someone else reaped it; nothing more to learn */
            qtest_reap(s, 0);
            break;
        }
        left = deadline - g_get_monotonic_time();
        if (left <= 0) {
            break;
        }
        if (pidfd >= 0) {
            struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
            poll(&pfd, 1, (int)MIN(left / 1000 + 1, 1000));
        } else {
            g_usleep(MIN(left, 1000));
        }
    }
    if (pidfd >= 0) {
        close(pidfd);
    }
    return s->pid == -1;
}

/*
 * Fail the running test.  If the binary died, say how: that is usually
 * the real story behind a closed socket or a timeout.
 */
static G_GNUC_NORETURN G_GNUC_PRINTF(2, 3)
void qtest_die(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;
    g_autofree char *how = NULL;
    g_autofree char *full = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    if (s && s->pid > 0) {
        qtest_wait_exit(s, 2000);
    }
    if (s && s->pid == -1) {
        how = qtest_describe_status(s->wstatus);
        full = g_strdup_printf("libqtest: %s (the binary %s)", msg, how);
    } else {
        full = g_strdup_printf("libqtest: %s", msg);
    }
    g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, full);
    abort();
}

/* ----------------------------------------------------------------------- */
/* Sockets */

static int qtest_listen(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(fd, >=, 0);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(fd, 1) < 0) {
        g_error("libqtest: cannot listen on %s: %s", path, g_strerror(errno));
    }
    return fd;
}

int qtest_unix_connect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==,
                    0);
    return fd;
}

static void qtest_set_sock_timeouts(int fd, int ms)
{
    struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Accept one connection, failing fast if the binary exits instead. */
static int qtest_accept(QTestState *s, int lfd, const char *what)
{
    gint64 deadline = g_get_monotonic_time() +
                      (gint64)MAX(QTEST_ACCEPT_TIMEOUT * 1000, s->timeout_ms) *
                      1000;

    for (;;) {
        struct pollfd pfd = { .fd = lfd, .events = POLLIN };
        int fd;

        if (poll(&pfd, 1, 100) > 0) {
            fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
            if (fd >= 0) {
                qtest_set_sock_timeouts(fd, s->timeout_ms);
                return fd;
            }
            if (errno != EINTR && errno != EAGAIN) {
                qtest_die(s, "accept on the %s socket: %s", what,
                          g_strerror(errno));
            }
        }
        if (!qtest_probe_child(s)) {
            qtest_die(s, "binary ended before connecting to the %s socket",
                      what);
        }
        if (g_get_monotonic_time() > deadline) {
            qtest_die(s, "timed out waiting for the binary to connect to "
                      "the %s socket", what);
        }
    }
}

static void qtest_send_all(QTestState *s, int fd, const char *what,
                           const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                qtest_die(s, "timed out after %d s sending on the %s socket",
                          s->timeout_ms / 1000, what);
            }
            qtest_die(s, "sending on the %s socket: %s", what,
                      g_strerror(errno));
        }
        p += n;
        len -= n;
    }
}

/* Read what is available (at least one byte) into rx, or fail. */
static void qtest_read_some(QTestState *s, int fd, const char *what,
                            const char *awaiting, GString *into)
{
    char buf[65536];

    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf), 0);

        if (n > 0) {
            if (s->log_qmp && fd == s->qmp_fd) {
                fprintf(stderr, "[qmp <<<] %.*s", (int)n, buf);
                if (buf[n - 1] != '\n') {
                    fputc('\n', stderr);
                }
            }
            g_string_append_len(into, buf, n);
            return;
        }
        if (n == 0) {
            qtest_die(s, "the %s connection was closed while waiting for %s",
                      what, awaiting);
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            qtest_die(s, "timed out after %d s on the %s socket waiting "
                      "for %s", s->timeout_ms / 1000, what, awaiting);
        }
        qtest_die(s, "reading the %s socket: %s", what, g_strerror(errno));
    }
}

/* ----------------------------------------------------------------------- */
/* Starting and stopping */

const char *qtest_get_arch(void)
{
    const char *qemu = g_getenv("QTEST_QEMU_BINARY");
    const char *end;

    if (!qemu) {
        fprintf(stderr, "Environment variable QTEST_QEMU_BINARY required\n");
        exit(1);
    }
    end = strrchr(qemu, '-');
    if (!end || !strstr(qemu, "-system-")) {
        fprintf(stderr, "Can't determine architecture from binary name.\n");
        exit(1);
    }
    return end + 1;
}

static int qtest_default_timeout_ms(void)
{
    const char *env = g_getenv("QTEST_TIMEOUT");
    int secs = env ? atoi(env) : 0;

    return (secs > 0 ? secs : QTEST_DEFAULT_TIMEOUT) * 1000;
}

static pid_t qtest_spawn(const char *cmd)
{
    pid_t parent = getpid();
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        /* the binary must not outlive a crashed test */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(1);
        }
        setenv("QEMU_AUDIO_DRV", "none", 1);
        execlp("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void qtest_endianness(QTestState *s)
{
    g_autofree char *line = NULL;

    qtest_sendf_raw(s, "endianness\n");
    line = qtest_recv_line(s);
    if (g_str_equal(line, "OK big")) {
        s->big_endian = true;
    } else if (g_str_equal(line, "OK little")) {
        s->big_endian = false;
    } else {
        qtest_die(s, "unexpected reply to 'endianness': '%s'", line);
    }
}

/*
 * Start the binary with a QMP socket and, if with_qtest, a qtest socket
 * and -accel qtest as QEMU's libqtest does; without, the caller's
 * extra_args choose the accelerator (the built-in guest runs).
 */
static QTestState *qtest_spawn_binary(const char *extra_args, bool with_qtest)
{
    QTestState *s = g_new0(QTestState, 1);
    const char *qemu = g_getenv("QTEST_QEMU_BINARY");
    const char *trace = g_getenv("QTEST_TRACE");
    g_autofree char *sock_path = NULL;
    g_autofree char *qmp_path = NULL;
    g_autofree char *trace_arg = NULL;
    g_autofree char *qtest_arg = NULL;
    g_autofree char *cmd = NULL;
    int sock = -1, qmpsock;
    static unsigned seq;

    qtest_get_arch();   /* validates QTEST_QEMU_BINARY */

    s->pid = -1;
    s->fd = s->qmp_fd = -1;
    s->timeout_ms = qtest_default_timeout_ms();
    s->rx = g_string_sized_new(256);
    s->log_qmp = g_getenv("QTEST_LOG") != NULL;
    qmp_stream_init(&s->qmp);
    g_queue_init(&s->pending_events);
    g_queue_init(&s->pending_replies);

    sock_path = g_strdup_printf("%s/qtest-%d-%u.sock", g_get_tmp_dir(),
                                getpid(), seq);
    qmp_path = g_strdup_printf("%s/qtest-%d-%u.qmp", g_get_tmp_dir(),
                               getpid(), seq++);
    if (with_qtest) {
        sock = qtest_listen(sock_path);
        qtest_arg = g_strdup_printf("-qtest unix:%s -qtest-log %s ",
                                    sock_path,
                                    s->log_qmp ? "/dev/fd/2" : "/dev/null");
    }
    qmpsock = qtest_listen(qmp_path);

    trace_arg = trace ? g_strdup_printf("-trace %s ", trace) : g_strdup("");
    cmd = g_strdup_printf("exec %s %s%s"
                          "-chardev socket,path=%s,id=char0 "
                          "-mon chardev=char0,mode=control "
                          "-display none %s%s",
                          qemu, trace_arg, qtest_arg ? qtest_arg : "",
                          qmp_path, extra_args ? extra_args : "",
                          with_qtest ? " -accel qtest" : "");
    if (s->log_qmp) {
        fprintf(stderr, "[libqtest] starting: %s\n", cmd);
    }
    s->pid = qtest_spawn(cmd);
    qtest_track_pid(s->pid, true);

    if (with_qtest) {
        s->fd = qtest_accept(s, sock, "qtest");
        close(sock);
        unlink(sock_path);
    }
    s->qmp_fd = qtest_accept(s, qmpsock, "QMP");
    close(qmpsock);
    unlink(qmp_path);

    if (g_getenv("QTEST_STOP")) {
        kill(s->pid, SIGSTOP);
    }
    if (with_qtest) {
        qtest_endianness(s);
    }
    return s;
}

QTestState *qtest_init_without_qmp_handshake(const char *extra_args)
{
    return qtest_spawn_binary(extra_args, true);
}

static void qtest_qmp_handshake(QTestState *s)
{
    g_autoptr(JsonObject) greeting = qtest_qmp_receive(s);
    g_autoptr(JsonObject) rsp = NULL;

    if (!json_object_has_member(greeting, "QMP")) {
        g_autofree char *text = qmp_to_string(greeting);
        qtest_die(s, "expected the QMP greeting, got %s", text);
    }
    rsp = qtest_qmp(s, "{'execute': 'qmp_capabilities'}");
    if (!json_object_has_member(rsp, "return")) {
        g_autofree char *text = qmp_to_string(rsp);
        qtest_die(s, "qmp_capabilities failed: %s", text);
    }
}

QTestState *qtest_init(const char *extra_args)
{
    QTestState *s = qtest_init_without_qmp_handshake(extra_args);

    qtest_qmp_handshake(s);
    return s;
}

QTestState *qtest_init_without_qtest(const char *extra_args)
{
    QTestState *s = qtest_spawn_binary(extra_args, false);

    qtest_qmp_handshake(s);
    return s;
}

char *qtest_run_stderr(const char *args, int *status)
{
    g_autofree char *cmd = g_strdup_printf("%s %s",
                                           g_getenv("QTEST_QEMU_BINARY"), args);
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) err = NULL;
    char *errout = NULL;

    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, &err));
    /* stdin is /dev/null: a binary that starts instead of failing exits. */
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &errout, status, &err));
    g_assert_no_error(err);
    return errout;
}

QTestState *qtest_vinitf(const char *fmt, va_list ap)
{
    g_autofree char *args = g_strdup_vprintf(fmt, ap);

    return qtest_init(args);
}

QTestState *qtest_initf(const char *fmt, ...)
{
    va_list ap;
    QTestState *s;

    va_start(ap, fmt);
    s = qtest_vinitf(fmt, ap);
    va_end(ap);
    return s;
}

pid_t qtest_pid(QTestState *s)
{
    return s->pid;
}

void qtest_set_expected_status(QTestState *s, int status)
{
    s->expected_status = status;
}

void qtest_set_timeout(QTestState *s, int seconds)
{
    s->timeout_ms = seconds * 1000;
    if (s->fd >= 0) {
        qtest_set_sock_timeouts(s->fd, s->timeout_ms);
    }
    if (s->qmp_fd >= 0) {
        qtest_set_sock_timeouts(s->qmp_fd, s->timeout_ms);
    }
}

int qtest_get_timeout(QTestState *s)
{
    return s->timeout_ms / 1000;
}

bool qtest_probe_child(QTestState *s)
{
    int wstatus;

    if (s->pid == -1) {
        return false;
    }
    if (waitpid(s->pid, &wstatus, WNOHANG) == s->pid) {
        qtest_reap(s, wstatus);
        return false;
    }
    return true;
}

static void qtest_check_status(QTestState *s)
{
    if (WIFEXITED(s->wstatus) &&
        WEXITSTATUS(s->wstatus) == s->expected_status) {
        return;
    }
    {
        g_autofree char *how = qtest_describe_status(s->wstatus);
        g_autofree char *msg =
            g_strdup_printf("libqtest: the binary %s; expected exit status %d",
                            how, s->expected_status);
        s->expected_status = -1000; /* report once */
        g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }
}

static void qtest_wait_or_kill(QTestState *s)
{
    if (!qtest_wait_exit(s, QTEST_DEFAULT_TIMEOUT * 1000)) {
        pid_t pid = s->pid;

        kill(pid, SIGKILL);
        qtest_wait_exit(s, 5000);
        qtest_die(NULL, "binary (pid %d) did not exit within %d s; killed",
                  (int)pid, QTEST_DEFAULT_TIMEOUT);
    }
    qtest_check_status(s);
}

void qtest_kill_qemu(QTestState *s)
{
    if (s->pid == -1) {
        return;
    }
    kill(s->pid, SIGTERM);
    qtest_wait_or_kill(s);
}

void qtest_wait_qemu(QTestState *s)
{
    if (s->pid == -1) {
        return;
    }
    qtest_wait_or_kill(s);
}

void qtest_quit(QTestState *s)
{
    if (!s) {
        return;
    }
    qtest_kill_qemu(s);
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->qmp_fd >= 0) {
        close(s->qmp_fd);
    }
    g_string_free(s->rx, TRUE);
    qmp_stream_destroy(&s->qmp);
    g_queue_clear_full(&s->pending_events, (GDestroyNotify)json_object_unref);
    g_queue_clear_full(&s->pending_replies,
                       (GDestroyNotify)json_object_unref);
    g_free(s);
}

/* ----------------------------------------------------------------------- */
/* QMP */

static void qtest_qmp_send_text(QTestState *s, const char *text, size_t len,
                                int *fds, size_t nfds)
{
    if (s->log_qmp) {
        fprintf(stderr, "[qmp >>>] %.*s%s", (int)len, text,
                len && text[len - 1] == '\n' ? "" : "\n");
    }
    if (nfds) {
        /* the fds ride along with the first byte */
        size_t fdsize = nfds * sizeof(int);
        g_autofree char *control = g_malloc0(CMSG_SPACE(fdsize));
        struct iovec iov = { .iov_base = (void *)text, .iov_len = 1 };
        struct msghdr msg = {
            .msg_iov = &iov, .msg_iovlen = 1,
            .msg_control = control, .msg_controllen = CMSG_SPACE(fdsize),
        };
        struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
        ssize_t n;

        g_assert_cmpuint(len, >, 0);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(fdsize);
        memcpy(CMSG_DATA(cmsg), fds, fdsize);
        do {
            n = sendmsg(s->qmp_fd, &msg, MSG_NOSIGNAL);
        } while (n < 0 && errno == EINTR);
        if (n != 1) {
            qtest_die(s, "sendmsg with fds on the QMP socket: %s",
                      n < 0 ? g_strerror(errno) : "short write");
        }
        text++;
        len--;
    }
    qtest_send_all(s, s->qmp_fd, "QMP", text, len);
}

void qtest_qmp_send_bytes(QTestState *s, const void *buf, size_t len)
{
    qtest_qmp_send_text(s, buf, len, NULL, 0);
}

void qtest_qmp_send_raw(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_qmp_send_text(s, text, strlen(text), NULL, 0);
}

static void qtest_qmp_vsend_fds(QTestState *s, int *fds, size_t nfds,
                                const char *fmt, va_list ap)
{
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    g_autofree char *line = g_strconcat(text, "\n", NULL);

    qtest_qmp_send_text(s, line, strlen(line), fds, nfds);
}

void qtest_qmp_vsend(QTestState *s, const char *fmt, va_list ap)
{
    qtest_qmp_vsend_fds(s, NULL, 0, fmt, ap);
}

void qtest_qmp_send(QTestState *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qtest_qmp_vsend(s, fmt, ap);
    va_end(ap);
}

char *qtest_qmp_recv_line(QTestState *s)
{
    for (;;) {
        char *line = qmp_stream_next_line(&s->qmp);

        if (line) {
            return line;
        }
        qtest_read_some(s, s->qmp_fd, "QMP", "a line", s->qmp.buf);
    }
}

static JsonObject *qtest_qmp_parse(QTestState *s, char *text)
{
    g_autoptr(GError) err = NULL;
    JsonObject *obj = qmp_parse_object(text, &err);

    if (!obj) {
        qtest_die(s, "bad QMP message from the binary (%s): %.200s",
                  err->message, text);
    }
    g_free(text);
    return obj;
}

JsonObject *qtest_qmp_receive_dict(QTestState *s)
{
    for (;;) {
        char *text = qmp_stream_next(&s->qmp);

        if (text) {
            return qtest_qmp_parse(s, text);
        }
        qtest_read_some(s, s->qmp_fd, "QMP", "a QMP message", s->qmp.buf);
    }
}

static bool qtest_is_event(JsonObject *msg)
{
    return json_object_has_member(msg, "event");
}

static bool qtest_is_event_named(JsonObject *msg, const char *name)
{
    JsonNode *n = json_object_get_member(msg, "event");

    return n && JSON_NODE_HOLDS_VALUE(n) &&
           json_node_get_value_type(n) == G_TYPE_STRING &&
           g_str_equal(json_node_get_string(n), name);
}

/* Sort messages already buffered, without touching the socket. */
static void qtest_qmp_drain_buffered(QTestState *s)
{
    char *text;

    while ((text = qmp_stream_next(&s->qmp))) {
        JsonObject *msg = qtest_qmp_parse(s, text);

        g_queue_push_tail(qtest_is_event(msg) ? &s->pending_events
                                              : &s->pending_replies, msg);
    }
}

JsonObject *qtest_qmp_receive(QTestState *s)
{
    if (!g_queue_is_empty(&s->pending_replies)) {
        return g_queue_pop_head(&s->pending_replies);
    }
    for (;;) {
        JsonObject *msg = qtest_qmp_receive_dict(s);

        if (!qtest_is_event(msg)) {
            return msg;
        }
        g_queue_push_tail(&s->pending_events, msg);
    }
}

JsonObject *qtest_qmp_event_ref(QTestState *s, const char *name)
{
    qtest_qmp_drain_buffered(s);
    for (GList *l = s->pending_events.head; l; l = l->next) {
        if (qtest_is_event_named(l->data, name)) {
            JsonObject *ev = l->data;

            g_queue_delete_link(&s->pending_events, l);
            return ev;
        }
    }
    return NULL;
}

JsonObject *qtest_qmp_eventwait_ref(QTestState *s, const char *name)
{
    JsonObject *msg = qtest_qmp_event_ref(s, name);

    while (!msg) {
        g_autofree char *awaiting = g_strdup_printf("event %s", name);
        char *text = qmp_stream_next(&s->qmp);

        if (!text) {
            qtest_read_some(s, s->qmp_fd, "QMP", awaiting, s->qmp.buf);
            continue;
        }
        msg = qtest_qmp_parse(s, text);
        if (qtest_is_event_named(msg, name)) {
            break;
        }
        g_queue_push_tail(qtest_is_event(msg) ? &s->pending_events
                                              : &s->pending_replies, msg);
        msg = NULL;
    }
    return msg;
}

void qtest_qmp_eventwait(QTestState *s, const char *name)
{
    json_object_unref(qtest_qmp_eventwait_ref(s, name));
}

JsonObject *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
{
    qtest_qmp_vsend(s, fmt, ap);
    return qtest_qmp_receive(s);
}

JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    JsonObject *rsp;

    va_start(ap, fmt);
    rsp = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    return rsp;
}

JsonObject *qtest_qmp_fds(QTestState *s, int *fds, size_t nfds,
                          const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qtest_qmp_vsend_fds(s, fds, nfds, fmt, ap);
    va_end(ap);
    return qtest_qmp_receive(s);
}

static JsonObject *qtest_vqmp_success(QTestState *s, const char *fmt,
                                      va_list ap)
{
    g_autofree char *cmd = g_strdup_vprintf(fmt, ap);
    JsonObject *rsp = qtest_qmp(s, "%s", cmd);

    if (!json_object_has_member(rsp, "return")) {
        g_autofree char *text = qmp_to_string(rsp);
        g_autofree char *msg =
            g_strdup_printf("QMP command failed: %s -> %s", cmd, text);
        g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }
    return rsp;
}

void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    json_object_unref(qtest_vqmp_success(s, fmt, ap));
    va_end(ap);
}

JsonNode *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autoptr(JsonObject) rsp = NULL;

    va_start(ap, fmt);
    rsp = qtest_vqmp_success(s, fmt, ap);
    va_end(ap);
    return json_node_copy(json_object_get_member(rsp, "return"));
}

void qtest_qmp_expect_error(QTestState *s, const char *err_class,
                            const char *desc, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *cmd = NULL;
    g_autoptr(JsonObject) rsp = NULL;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    rsp = qtest_qmp(s, "%s", cmd);
    if (!qmp_rsp_is_err(rsp)) {
        g_autofree char *text = qmp_to_string(rsp);
        g_autofree char *msg =
            g_strdup_printf("expected error %s for %s, got %s",
                            err_class, cmd, text);
        g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
        return;
    }
    qmp_assert_error(rsp, err_class, desc);
}

JsonObject *qtest_qmp_raw_expect_error_ref(QTestState *s, const char *raw,
                                           const char *err_class,
                                           const char *desc)
{
    JsonObject *rsp;

    qtest_qmp_send_bytes(s, raw, strlen(raw));
    rsp = qtest_qmp_receive(s);
    qmp_assert_error(rsp, err_class, desc);
    return rsp;
}

void qtest_qmp_raw_expect_error(QTestState *s, const char *raw,
                                const char *err_class, const char *desc)
{
    json_object_unref(qtest_qmp_raw_expect_error_ref(s, raw, err_class,
                                                     desc));
}

char *qtest_vhmp(QTestState *s, const char *fmt, va_list ap)
{
    g_autofree char *line = g_strdup_vprintf(fmt, ap);
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *cmd = NULL;
    g_autoptr(JsonObject) rsp = NULL;
    JsonNode *ret;

    /* The line goes in as a JSON string, whatever characters it holds. */
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "execute");
    json_builder_add_string_value(b, "human-monitor-command");
    json_builder_set_member_name(b, "arguments");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "command-line");
    json_builder_add_string_value(b, line);
    json_builder_end_object(b);
    json_builder_end_object(b);
    root = json_builder_get_root(b);
    cmd = json_to_string(root, false);
    rsp = qtest_qmp(s, "%s", cmd);
    ret = json_object_get_member(rsp, "return");
    if (!ret || !JSON_NODE_HOLDS_VALUE(ret) ||
        json_node_get_value_type(ret) != G_TYPE_STRING) {
        g_autofree char *text = qmp_to_string(rsp);
        g_autofree char *msg = g_strdup_printf("HMP '%s' -> %s", line, text);

        g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
        return NULL;
    }
    return g_strdup(json_node_get_string(ret));
}

char *qtest_hmp(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *out;

    va_start(ap, fmt);
    out = qtest_vhmp(s, fmt, ap);
    va_end(ap);
    return out;
}

void qtest_qmp_device_add(QTestState *s, const char *driver, const char *id,
                          const char *fmt, ...)
{
    va_list ap;
    g_autofree char *extra = NULL;
    g_autofree char *inner = NULL;
    g_autofree char *id_member = NULL;
    const char *open, *close;

    va_start(ap, fmt);
    extra = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    /* splice the members of the given object after driver and id */
    open = strchr(extra, '{');
    close = strrchr(extra, '}');
    g_assert(open && close && open < close);
    inner = g_strstrip(g_strndup(open + 1, close - open - 1));
    id_member = id ? g_strdup_printf(", 'id': '%s'", id) : g_strdup("");
    qtest_qmp_assert_success(s, "{'execute': 'device_add', 'arguments': "
                             "{'driver': '%s'%s%s%s}}", driver, id_member,
                             *inner ? ", " : "", inner);
}

void qtest_qmp_device_del_send(QTestState *s, const char *id)
{
    qtest_qmp_assert_success(s, "{'execute': 'device_del', "
                             "'arguments': {'id': '%s'}}", id);
}

void qtest_qmp_device_del(QTestState *s, const char *id)
{
    qtest_qmp_device_del_send(s, id);
    qtest_qmp_eventwait(s, "DEVICE_DELETED");
}

bool qtest_qom_get_bool(QTestState *s, const char *path, const char *prop)
{
    g_autoptr(JsonNode) ret =
        qtest_qmp_assert_success_ref(s, "{'execute': 'qom-get', 'arguments': "
                                     "{'path': '%s', 'property': '%s'}}",
                                     path, prop);

    g_assert_true(JSON_NODE_HOLDS_VALUE(ret) &&
                  json_node_get_value_type(ret) == G_TYPE_BOOLEAN);
    return json_node_get_boolean(ret);
}

void qtest_qom_set_bool(QTestState *s, const char *path, const char *prop,
                        bool value)
{
    qtest_qmp_assert_success(s, "{'execute': 'qom-set', 'arguments': "
                             "{'path': '%s', 'property': '%s', 'value': %s}}",
                             path, prop, value ? "true" : "false");
}

/* ----------------------------------------------------------------------- */
/* qtest protocol */

void qtest_send_raw(QTestState *s, const void *buf, size_t len)
{
    qtest_send_all(s, s->fd, "qtest", buf, len);
}

void qtest_sendf_raw(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof(small)) {
        qtest_send_raw(s, small, n);
    } else {
        g_autofree char *big = NULL;

        va_start(ap, fmt);
        big = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        qtest_send_raw(s, big, strlen(big));
    }
}

char *qtest_recv_line_any(QTestState *s)
{
    for (;;) {
        char *nl = memchr(s->rx->str, '\n', s->rx->len);

        if (nl) {
            gsize n = nl - s->rx->str;
            char *line = g_strndup(s->rx->str, n);

            g_string_erase(s->rx, 0, n + 1);
            return line;
        }
        qtest_read_some(s, s->fd, "qtest", "a qtest reply", s->rx);
    }
}

/* "IRQ raise N" / "IRQ lower N": record the level; true if it was one. */
static bool qtest_handle_irq_line(QTestState *s, const char *line)
{
    g_auto(GStrv) words = NULL;
    guint64 n;

    if (!g_str_has_prefix(line, "IRQ ")) {
        return false;
    }
    words = g_strsplit(line, " ", 0);
    if (g_strv_length(words) != 3 ||
        !g_ascii_string_to_unsigned(words[2], 10, 0, QTEST_MAX_IRQ - 1, &n,
                                    NULL)) {
        qtest_die(s, "malformed IRQ message '%s'", line);
    }
    if (g_str_equal(words[1], "raise")) {
        s->irq_level[n] = true;
    } else if (g_str_equal(words[1], "lower")) {
        s->irq_level[n] = false;
    } else {
        qtest_die(s, "malformed IRQ message '%s'", line);
    }
    return true;
}

char *qtest_recv_line(QTestState *s)
{
    for (;;) {
        char *line = qtest_recv_line_any(s);

        if (!qtest_handle_irq_line(s, line)) {
            return line;
        }
        g_free(line);
    }
}

char *qtest_raw_cmd(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *cmd = NULL;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_sendf_raw(s, "%s\n", cmd);
    return qtest_recv_line(s);
}

/*
 * Read the reply to a command and return what follows "OK " (or ""),
 * failing the test on anything but OK.  Caller frees.
 */
static char *qtest_rsp(QTestState *s, const char *cmd)
{
    char *line = qtest_recv_line(s);

    if (g_str_equal(line, "OK")) {
        g_free(line);
        return g_strdup("");
    }
    if (g_str_has_prefix(line, "OK ")) {
        memmove(line, line + 3, strlen(line + 3) + 1);
        return line;
    }
    {
        g_autofree char *bad = line;
        qtest_die(s, "qtest command '%s' failed: '%s'", cmd, bad);
    }
}

/* Send cmd and its newline in one write, without a printf pass. */
static void qtest_send_cmd(QTestState *s, const char *cmd)
{
    size_t len = strlen(cmd);
    char line[256];

    if (len < sizeof(line)) {
        memcpy(line, cmd, len);
        line[len] = '\n';
        qtest_send_raw(s, line, len + 1);
    } else {
        qtest_sendf_raw(s, "%s\n", cmd);
    }
}

static void qtest_cmd_ok(QTestState *s, const char *cmd)
{
    g_autofree char *arg = NULL;

    qtest_send_cmd(s, cmd);
    arg = qtest_rsp(s, cmd);
}

static uint64_t qtest_cmd_u64(QTestState *s, const char *cmd, int base)
{
    g_autofree char *arg = NULL;
    char *end;
    uint64_t v;

    qtest_send_cmd(s, cmd);
    arg = qtest_rsp(s, cmd);
    errno = 0;
    v = g_ascii_strtoull(arg, &end, base);
    if (errno || end == arg || *end) {
        qtest_die(s, "qtest command '%s': bad value in reply 'OK %s'",
                  cmd, arg);
    }
    return v;
}

/*
 * Appends " 0x" and v in hex as "%" PRIx64 prints it; returns the end.
 * Port and memory accesses are the hot path of every qtest, and printf
 * would cost more than the server's whole handling of the command.
 */
static char *qtest_put_hex(char *p, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    int n = 1;

    while (n < 16 && v >> (n * 4)) {
        n++;
    }
    memcpy(p, " 0x", 3);
    p += 3;
    for (int i = n - 1; i >= 0; i--) {
        *p++ = hex[(v >> (i * 4)) & 15];
    }
    *p = '\0';
    return p;
}

bool qtest_big_endian(QTestState *s)
{
    return s->big_endian;
}

static void qtest_out(QTestState *s, const char *op, uint16_t addr,
                      uint32_t value)
{
    char cmd[64];

    qtest_put_hex(qtest_put_hex(stpcpy(cmd, op), addr), value);
    qtest_cmd_ok(s, cmd);
}

static uint32_t qtest_in(QTestState *s, const char *op, uint16_t addr)
{
    char cmd[64];

    qtest_put_hex(stpcpy(cmd, op), addr);
    return (uint32_t)qtest_cmd_u64(s, cmd, 0);
}

void qtest_outb(QTestState *s, uint16_t addr, uint8_t value)
{
    qtest_out(s, "outb", addr, value);
}

void qtest_outw(QTestState *s, uint16_t addr, uint16_t value)
{
    qtest_out(s, "outw", addr, value);
}

void qtest_outl(QTestState *s, uint16_t addr, uint32_t value)
{
    qtest_out(s, "outl", addr, value);
}

uint8_t qtest_inb(QTestState *s, uint16_t addr)
{
    return qtest_in(s, "inb", addr);
}

uint16_t qtest_inw(QTestState *s, uint16_t addr)
{
    return qtest_in(s, "inw", addr);
}

uint32_t qtest_inl(QTestState *s, uint16_t addr)
{
    return qtest_in(s, "inl", addr);
}

static void qtest_write(QTestState *s, const char *op, uint64_t addr,
                        uint64_t value)
{
    char cmd[80];

    qtest_put_hex(qtest_put_hex(stpcpy(cmd, op), addr), value);
    qtest_cmd_ok(s, cmd);
}

static uint64_t qtest_read(QTestState *s, const char *op, uint64_t addr)
{
    char cmd[64];

    qtest_put_hex(stpcpy(cmd, op), addr);
    return qtest_cmd_u64(s, cmd, 0);
}

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value)
{
    qtest_write(s, "writeb", addr, value);
}

void qtest_writew(QTestState *s, uint64_t addr, uint16_t value)
{
    qtest_write(s, "writew", addr, value);
}

void qtest_writel(QTestState *s, uint64_t addr, uint32_t value)
{
    qtest_write(s, "writel", addr, value);
}

void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value)
{
    qtest_write(s, "writeq", addr, value);
}

uint8_t qtest_readb(QTestState *s, uint64_t addr)
{
    return qtest_read(s, "readb", addr);
}

uint16_t qtest_readw(QTestState *s, uint64_t addr)
{
    return qtest_read(s, "readw", addr);
}

uint32_t qtest_readl(QTestState *s, uint64_t addr)
{
    return qtest_read(s, "readl", addr);
}

uint64_t qtest_readq(QTestState *s, uint64_t addr)
{
    return qtest_read(s, "readq", addr);
}

static int qtest_hexval(char c)
{
    return g_ascii_xdigit_value(c);
}

void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    g_autofree char *cmd = NULL;
    g_autofree char *arg = NULL;
    uint8_t *out = data;

    if (!size) {
        return;
    }
    cmd = g_strdup_printf("read 0x%" PRIx64 " 0x%zx", addr, size);
    qtest_sendf_raw(s, "%s\n", cmd);
    arg = qtest_rsp(s, cmd);
    if (strncmp(arg, "0x", 2) || strlen(arg) != 2 + 2 * size) {
        qtest_die(s, "qtest '%s': reply has %zu characters, expected 0x "
                  "and %zu hex digits", cmd, strlen(arg), 2 * size);
    }
    for (size_t i = 0; i < size; i++) {
        int hi = qtest_hexval(arg[2 + 2 * i]);
        int lo = qtest_hexval(arg[3 + 2 * i]);

        if (hi < 0 || lo < 0) {
            qtest_die(s, "qtest '%s': bad hex in reply", cmd);
        }
        out[i] = hi << 4 | lo;
    }
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size)
{
    static const char hex[] = "0123456789abcdef";
    const uint8_t *in = data;
    GString *cmd;
    g_autofree char *arg = NULL;
    g_autofree char *what = NULL;

    if (!size) {
        return;
    }
    cmd = g_string_sized_new(2 * size + 64);
    g_string_printf(cmd, "write 0x%" PRIx64 " 0x%zx 0x", addr, size);
    for (size_t i = 0; i < size; i++) {
        g_string_append_c(cmd, hex[in[i] >> 4]);
        g_string_append_c(cmd, hex[in[i] & 0xf]);
    }
    g_string_append_c(cmd, '\n');
    qtest_send_raw(s, cmd->str, cmd->len);
    g_string_free(cmd, TRUE);
    what = g_strdup_printf("write 0x%" PRIx64 " 0x%zx ...", addr, size);
    arg = qtest_rsp(s, what);
}

void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    g_autofree char *cmd = NULL;
    g_autofree char *arg = NULL;
    g_autofree guchar *bytes = NULL;
    gsize len = 0;

    if (!size) {
        return;
    }
    cmd = g_strdup_printf("b64read 0x%" PRIx64 " 0x%zx", addr, size);
    qtest_sendf_raw(s, "%s\n", cmd);
    arg = qtest_rsp(s, cmd);
    bytes = g_base64_decode(arg, &len);
    if (len != size) {
        qtest_die(s, "qtest '%s': decoded %zu bytes", cmd, (size_t)len);
    }
    memcpy(data, bytes, size);
}

void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size)
{
    g_autofree char *b64 = NULL;
    g_autofree char *what = NULL;
    g_autofree char *arg = NULL;

    if (!size) {
        return;
    }
    b64 = g_base64_encode(data, size);
    qtest_sendf_raw(s, "b64write 0x%" PRIx64 " 0x%zx %s\n", addr, size, b64);
    what = g_strdup_printf("b64write 0x%" PRIx64 " 0x%zx ...", addr, size);
    arg = qtest_rsp(s, what);
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t patt, size_t size)
{
    g_autofree char *cmd =
        g_strdup_printf("memset 0x%" PRIx64 " 0x%zx 0x%02x", addr, size, patt);

    qtest_cmd_ok(s, cmd);
}

int64_t qtest_clock_step_next(QTestState *s)
{
    return (int64_t)qtest_cmd_u64(s, "clock_step", 10);
}

int64_t qtest_clock_step(QTestState *s, int64_t step)
{
    char cmd[64];

    snprintf(cmd, sizeof(cmd), "clock_step %" PRIi64, step);
    return (int64_t)qtest_cmd_u64(s, cmd, 10);
}

int64_t qtest_clock_set(QTestState *s, int64_t val)
{
    char cmd[64];

    snprintf(cmd, sizeof(cmd), "clock_set %" PRIi64, val);
    return (int64_t)qtest_cmd_u64(s, cmd, 10);
}

void qtest_irq_intercept_in(QTestState *s, const char *qom_path)
{
    g_autofree char *cmd = g_strdup_printf("irq_intercept_in %s", qom_path);

    qtest_cmd_ok(s, cmd);
}

void qtest_irq_intercept_out(QTestState *s, const char *qom_path)
{
    g_autofree char *cmd = g_strdup_printf("irq_intercept_out %s", qom_path);

    qtest_cmd_ok(s, cmd);
}

void qtest_set_irq_in(QTestState *s, const char *qom_path, const char *name,
                      int num, int level)
{
    g_autofree char *cmd = g_strdup_printf("set_irq_in %s %s %d %d",
                                           qom_path, name, num, level);

    qtest_cmd_ok(s, cmd);
}

bool qtest_get_irq(QTestState *s, int num)
{
    g_assert_cmpint(num, >=, 0);
    g_assert_cmpint(num, <, QTEST_MAX_IRQ);
    /* a round trip makes sure earlier IRQ messages have been seen */
    qtest_inb(s, 0);
    return s->irq_level[num];
}

/* ----------------------------------------------------------------------- */
/* Test registration */

static char *qtest_test_path(const char *path)
{
    while (*path == '/') {
        path++;
    }
    return g_strdup_printf("/%s/%s", qtest_get_arch(), path);
}

void qtest_add_func(const char *path, void (*fn)(void))
{
    g_autofree char *full = qtest_test_path(path);

    g_test_add_func(full, fn);
}

void qtest_add_data_func(const char *path, const void *data,
                         void (*fn)(const void *))
{
    g_autofree char *full = qtest_test_path(path);

    g_test_add_data_func(full, data, fn);
}

void qtest_add_data_func_full(const char *path, void *data,
                              void (*fn)(const void *),
                              GDestroyNotify data_free_func)
{
    g_autofree char *full = qtest_test_path(path);

    g_test_add_data_func_full(full, data, fn, data_free_func);
}
