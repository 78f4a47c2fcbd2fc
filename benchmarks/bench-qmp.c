/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP-side load generator for `make bench` (benchmarks/run.py).
 *
 *   bench-qmp BINARY spawn RUNS     spawn to QMP greeting, per run in ms
 *   bench-qmp BINARY spawn-q35 RUNS the same with 32 root ports, each with
 *                                   a virtio-net-pci (issue 3's figure)
 *   bench-qmp BINARY rss            VmRSS at idle with -m 128M, KiB
 *   bench-qmp BINARY qmp-rt SECS    query-status round trips per second
 *   bench-qmp BINARY echo-rt SECS   unix socket echo round trips per second
 *   bench-qmp BINARY big RUNS       1 MiB QMP message to reply, per run in ms
 *   bench-qmp BINARY big-arg RUNS   a 1 MiB string argument set, per run in ms
 *   bench-qmp BINARY plain RUNS     without qtest (QEMU as Debian ships it
 *                                   runs this too): spawn, RSS, round trips
 *   bench-qmp BINARY plain-migrate FILE MIB CHANNELS
 *                                   also without qtest: a VM whose RAM is
 *                                   FILE migrated to a second process
 *
 * Output is "key value" lines; run.py turns them into the table.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include "libqtest.h"

#define MIB             (1024 * 1024)

extern char **environ;

static double now_ms(void)
{
    return g_get_monotonic_time() / 1000.0;
}

static int listen_unix(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(fd, 1) < 0) {
        g_error("listen %s: %s", path, g_strerror(errno));
    }
    return fd;
}

static int accept_timeout(int lfd, int ms)
{
    struct pollfd pfd = { .fd = lfd, .events = POLLIN };

    if (poll(&pfd, 1, ms) != 1) {
        g_error("binary did not connect within %d ms", ms);
    }
    return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

/* Read until a '\n' arrives (the greeting is one line). */
static void read_line(int fd, int ms)
{
    char buf[4096];

    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;

        if (poll(&pfd, 1, ms) != 1) {
            g_error("no greeting within %d ms", ms);
        }
        n = read(fd, buf, sizeof(buf));
        if (n <= 0) {
            g_error("connection closed before the greeting");
        }
        if (memchr(buf, '\n', n)) {
            return;
        }
    }
}

/*
 * The binary is started directly (no /bin/sh in between) with the options
 * libqtest passes, and timed until its QMP greeting has been read.
 */
static double spawn_once(const char *binary, GPtrArray *extra)
{
    g_autofree char *qpath = g_strdup_printf("%s/bench-%d.sock",
                                             g_get_tmp_dir(), getpid());
    g_autofree char *mpath = g_strdup_printf("%s/bench-%d.qmp",
                                             g_get_tmp_dir(), getpid());
    g_autofree char *qtest_arg = g_strdup_printf("unix:%s", qpath);
    g_autofree char *chardev_arg = g_strdup_printf("socket,path=%s,id=char0",
                                                   mpath);
    char *base[] = {
        (char *)binary, "-qtest", qtest_arg, "-qtest-log", "/dev/null",
        "-chardev", chardev_arg, "-mon", "chardev=char0,mode=control",
        "-display", "none", "-accel", "qtest",
    };
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    char **argv;
    int qlfd = listen_unix(qpath);
    int mlfd = listen_unix(mpath);
    int qfd, mfd, wstatus;
    double start, end;
    pid_t pid;

    for (size_t i = 0; i < G_N_ELEMENTS(base); i++) {
        g_ptr_array_add(args, base[i]);
    }
    for (guint i = 0; extra && i < extra->len; i++) {
        g_ptr_array_add(args, g_ptr_array_index(extra, i));
    }
    g_ptr_array_add(args, NULL);
    argv = (char **)args->pdata;

    start = now_ms();
    if (posix_spawn(&pid, binary, NULL, NULL, argv, environ) != 0) {
        g_error("cannot spawn %s", binary);
    }
    qfd = accept_timeout(qlfd, 10000);
    mfd = accept_timeout(mlfd, 10000);
    read_line(mfd, 10000);
    end = now_ms();

    kill(pid, SIGTERM);
    waitpid(pid, &wstatus, 0);
    close(qfd);
    close(mfd);
    close(qlfd);
    close(mlfd);
    unlink(qpath);
    unlink(mpath);
    return end - start;
}

static void bench_spawn(const char *binary, int runs)
{
    spawn_once(binary, NULL);   /* warm the page cache */
    for (int i = 0; i < runs; i++) {
        printf("spawn_ms %.3f\n", spawn_once(binary, NULL));
    }
}

/*
 * q35 with 32 root ports (two functions in each of slots 1..16) and a
 * virtio-net-pci behind every one.
 */
static void bench_spawn_q35(const char *binary, int runs)
{
    g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(extra, g_strdup("-M"));
    g_ptr_array_add(extra, g_strdup("q35"));
    g_ptr_array_add(extra, g_strdup("-nodefaults"));
    for (int i = 0; i < 32; i++) {
        int slot = 1 + i / 2, fn = i % 2;

        g_ptr_array_add(extra, g_strdup("-device"));
        g_ptr_array_add(extra, g_strdup_printf(
            "pcie-root-port,id=rp%d,bus=pcie.0,addr=0x%x.%d,chassis=%d%s",
            i, slot, fn, i + 1, fn ? "" : ",multifunction=on"));
        g_ptr_array_add(extra, g_strdup("-device"));
        g_ptr_array_add(extra, g_strdup_printf("virtio-net-pci,bus=rp%d,"
                                               "id=nic%d", i, i));
    }
    spawn_once(binary, extra);
    for (int i = 0; i < runs; i++) {
        printf("spawn_q35_ms %.3f\n", spawn_once(binary, extra));
    }
}

/*
 * The same start without qtest, which QEMU as Debian ships it lacks: the
 * tcg accelerator stopped (-S), QMP on a socket the binary connects to.
 * Run against baton and against qemu-system-x86_64 for figures side by
 * side: spawn to greeting, RSS once QMP is up, query-status round trips.
 */
static void send_all(int fd, const char *s)
{
    size_t len = strlen(s), off = 0;

    while (off < len) {
        ssize_t n = write(fd, s + off, len - off);

        if (n <= 0) {
            g_error("QMP write failed");
        }
        off += n;
    }
}

/* Read one reply line ('return' or 'error'), skipping events. */
static void read_reply(int fd, GString *pending)
{
    for (;;) {
        char *nl = memchr(pending->str, '\n', pending->len);
        char buf[4096];
        ssize_t n;

        if (nl) {
            size_t len = nl - pending->str + 1;
            bool reply = g_strstr_len(pending->str, len, "\"return\"") ||
                         g_strstr_len(pending->str, len, "\"error\"");

            g_string_erase(pending, 0, len);
            if (reply) {
                return;
            }
            continue;
        }
        n = read(fd, buf, sizeof(buf));
        if (n <= 0) {
            g_error("QMP connection closed");
        }
        g_string_append_len(pending, buf, n);
    }
}

static long vmrss_kib(pid_t pid);

/* A binary started without qtest, its QMP monitor on a unix socket. */
typedef struct Plain {
    pid_t pid;
    int mfd, mlfd;
    char *mpath;
    GString *pending;
    double spawn_ms;            /* spawn to greeting */
} Plain;

/* -machine q35 -accel tcg -S ... plus extra (NULL-terminated). */
static void plain_start(Plain *p, const char *binary, const char *tag,
                        const char *mem, const char *const *extra)
{
    g_autofree char *chardev_arg = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    double start;

    p->mpath = g_strdup_printf("%s/bench-%s-%d.qmp", g_get_tmp_dir(), tag,
                               getpid());
    chardev_arg = g_strdup_printf("socket,path=%s,id=char0", p->mpath);
    for (const char *const *a = (const char *const[]){
             binary, "-machine", "q35", "-accel", "tcg", "-S", "-m", mem,
             "-display", "none", "-nodefaults", "-chardev", chardev_arg,
             "-mon", "chardev=char0,mode=control", NULL }; *a; a++) {
        g_ptr_array_add(argv, (char *)*a);
    }
    for (; extra && *extra; extra++) {
        g_ptr_array_add(argv, (char *)*extra);
    }
    g_ptr_array_add(argv, NULL);
    p->pending = g_string_new(NULL);
    p->mlfd = listen_unix(p->mpath);
    start = now_ms();
    if (posix_spawn(&p->pid, binary, NULL, NULL, (char **)argv->pdata,
                    environ) != 0) {
        g_error("cannot spawn %s", binary);
    }
    p->mfd = accept_timeout(p->mlfd, 10000);
    read_line(p->mfd, 10000);
    p->spawn_ms = now_ms() - start;
    send_all(p->mfd, "{\"execute\": \"qmp_capabilities\"}\n");
    read_reply(p->mfd, p->pending);
}

static void plain_stop(Plain *p)
{
    kill(p->pid, SIGTERM);
    waitpid(p->pid, NULL, 0);
    close(p->mfd);
    close(p->mlfd);
    unlink(p->mpath);
    g_free(p->mpath);
    g_string_free(p->pending, TRUE);
}

static void plain_once(const char *binary, bool measure)
{
    static const char cmd[] = "{\"execute\": \"query-status\"}\n";
    Plain p;
    double start, elapsed;
    long n = 0;

    plain_start(&p, binary, "plain", "128M", NULL);
    if (measure) {
        printf("plain_spawn_ms %.3f\n", p.spawn_ms);
        printf("plain_rss_kib %ld\n", vmrss_kib(p.pid));
        start = now_ms();
        do {
            for (int i = 0; i < 256; i++) {
                send_all(p.mfd, cmd);
                read_reply(p.mfd, p.pending);
            }
            n += 256;
            elapsed = now_ms() - start;
        } while (elapsed < 1000);
        printf("plain_qmp_rt_per_s %.0f\n", n / (elapsed / 1000));
    }
    plain_stop(&p);
}

static void bench_plain(const char *binary, int runs)
{
    plain_once(binary, false);  /* warm the page cache */
    for (int i = 0; i < runs; i++) {
        plain_once(binary, true);
    }
}

/* Send a command and wait for its reply (events before it are dropped). */
static void plain_cmd(Plain *p, const char *cmd)
{
    send_all(p->mfd, cmd);
    read_reply(p->mfd, p->pending);
}

/* The next MIGRATION event with a final status: true if "completed". */
static bool plain_wait_migration(Plain *p)
{
    for (;;) {
        char *nl = memchr(p->pending->str, '\n', p->pending->len);
        char buf[4096];
        ssize_t n;

        if (nl) {
            size_t len = nl - p->pending->str + 1;
            bool mig = g_strstr_len(p->pending->str, len, "\"MIGRATION\"");
            bool done = mig && g_strstr_len(p->pending->str, len,
                                            "\"completed\"");
            bool failed = mig && g_strstr_len(p->pending->str, len,
                                              "\"failed\"");

            g_string_erase(p->pending, 0, len);
            if (done || failed) {
                return done;
            }
            continue;
        }
        n = read(p->mfd, buf, sizeof(buf));
        if (n <= 0) {
            g_error("QMP connection closed");
        }
        g_string_append_len(p->pending, buf, n);
    }
}

static void plain_set_migration(Plain *p, int channels)
{
    plain_cmd(p, "{\"execute\": \"migrate-set-capabilities\", "
              "\"arguments\": {\"capabilities\": [{\"capability\": "
              "\"events\", \"state\": true}]}}\n");
    if (channels) {
        g_autofree char *cmd = g_strdup_printf(
            "{\"execute\": \"migrate-set-parameters\", \"arguments\": "
            "{\"multifd-channels\": %d}}\n", channels);

        plain_cmd(p, "{\"execute\": \"migrate-set-capabilities\", "
                  "\"arguments\": {\"capabilities\": [{\"capability\": "
                  "\"multifd\", \"state\": true}]}}\n");
        plain_cmd(p, cmd);
    }
}

/*
 * A memory-backend-file VM whose file (SIZE MiB) holds random data,
 * migrated over a unix socket to a second process of the same binary
 * (memory-backend-ram, -incoming defer), with multifd on that many
 * channels (0: without): "plain_migrate_MBps R", migrate to completed.
 */
static void bench_plain_migrate(const char *binary, const char *file,
                                int size_mib, int channels)
{
    g_autofree char *mem = g_strdup_printf("%dM", size_mib);
    g_autofree char *src_obj = g_strdup_printf(
        "memory-backend-file,id=mem,size=%dM,mem-path=%s,share=on",
        size_mib, file);
    g_autofree char *dst_obj = g_strdup_printf(
        "memory-backend-ram,id=mem,size=%dM", size_mib);
    g_autofree char *sock = g_strdup_printf("%s/bench-mig-%d.sock",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *incoming = g_strdup_printf(
        "{\"execute\": \"migrate-incoming\", \"arguments\": "
        "{\"uri\": \"unix:%s\"}}\n", sock);
    g_autofree char *migrate = g_strdup_printf(
        "{\"execute\": \"migrate\", \"arguments\": "
        "{\"uri\": \"unix:%s\"}}\n", sock);
    Plain src, dst;
    double start;

    plain_start(&dst, binary, "mig-dst", mem, (const char *const[]){
        "-object", dst_obj, "-machine", "memory-backend=mem",
        "-incoming", "defer", NULL });
    plain_start(&src, binary, "mig-src", mem, (const char *const[]){
        "-object", src_obj, "-machine", "memory-backend=mem", NULL });
    plain_set_migration(&dst, channels);
    plain_set_migration(&src, channels);
    plain_cmd(&dst, incoming);
    /* QEMU's default limit is 128 MiB/s; baton's too. */
    plain_cmd(&src, "{\"execute\": \"migrate-set-parameters\", "
              "\"arguments\": {\"max-bandwidth\": 1099511627776}}\n");
    start = now_ms();
    send_all(src.mfd, migrate);
    if (plain_wait_migration(&src)) {
        printf("plain_migrate_MBps %.0f\n",
               ((double)size_mib * MIB) / ((now_ms() - start) * 1000));
    } else {
        fprintf(stderr, "migration failed\n");
    }
    plain_stop(&src);
    plain_stop(&dst);
    unlink(sock);
}

static long vmrss_kib(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return -1;
    }
    p = strstr(text, "\nVmRSS:");
    return p ? strtol(p + 7, NULL, 10) : -1;
}

static void bench_rss(void)
{
    QTestState *qts = qtest_init("-m 128M");
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': 'query-status'}");

    g_assert_true(json_object_has_member(rsp, "return"));
    printf("rss_kib %ld\n", vmrss_kib(qtest_pid(qts)));
    qtest_quit(qts);
}

static void bench_qmp_rt(double secs)
{
    static const char cmd[] = "{\"execute\": \"query-status\"}\n";
    QTestState *qts = qtest_init("");
    double start, elapsed;
    long n = 0;

    {
        g_autofree char *first = NULL;

        qtest_qmp_send_bytes(qts, cmd, sizeof(cmd) - 1);
        first = qtest_qmp_recv_line(qts);
        g_assert_nonnull(strstr(first, "\"return\""));
    }
    start = now_ms();
    do {
        for (int i = 0; i < 256; i++) {
            g_autofree char *line = NULL;

            qtest_qmp_send_bytes(qts, cmd, sizeof(cmd) - 1);
            line = qtest_qmp_recv_line(qts);
        }
        n += 256;
        elapsed = now_ms() - start;
    } while (elapsed < secs * 1000);
    printf("qmp_rt_per_s %.0f\n", n / (elapsed / 1000));
    qtest_quit(qts);
}

/* The same request/reply pattern against a process that only echoes. */
static void bench_echo_rt(double secs)
{
    static const char cmd[] = "{\"execute\": \"query-status\"}\n";
    int sv[2];
    pid_t pid;
    double start, elapsed;
    long n = 0;
    char buf[256];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    pid = fork();
    if (pid == 0) {
        ssize_t len;

        close(sv[0]);
        while ((len = read(sv[1], buf, sizeof(buf))) > 0) {
            if (write(sv[1], buf, len) != len) {
                break;
            }
        }
        _exit(0);
    }
    close(sv[1]);
    start = now_ms();
    do {
        for (int i = 0; i < 256; i++) {
            size_t got = 0;

            if (write(sv[0], cmd, sizeof(cmd) - 1) != sizeof(cmd) - 1) {
                g_error("echo write failed");
            }
            while (got < sizeof(cmd) - 1) {
                ssize_t len = read(sv[0], buf, sizeof(buf));

                if (len <= 0) {
                    g_error("echo read failed");
                }
                got += len;
            }
        }
        n += 256;
        elapsed = now_ms() - start;
    } while (elapsed < secs * 1000);
    close(sv[0]);
    waitpid(pid, NULL, 0);
    printf("echo_rt_per_s %.0f\n", n / (elapsed / 1000));
}

/*
 * runs round trips of one request, head + pad letters + tail, each
 * printed as NAME_ms (and NAME_reply when it was not a success); returns
 * the request's size.
 */
static size_t bench_big_request(int runs, const char *name, const char *head,
                                size_t pad, const char *tail)
{
    QTestState *qts = qtest_init("");
    g_autoptr(GString) msg = g_string_sized_new(strlen(head) + pad +
                                                strlen(tail) + 1);

    g_string_append(msg, head);
    for (size_t i = 0; i < pad; i++) {
        g_string_append_c(msg, 'a' + i % 26);
    }
    g_string_append(msg, tail);
    qtest_set_timeout(qts, 60);

    for (int i = 0; i < runs; i++) {
        g_autofree char *line = NULL;
        double start = now_ms();

        qtest_qmp_send_bytes(qts, msg->str, msg->len);
        line = qtest_qmp_recv_line(qts);
        printf("%s_ms %.3f\n", name, now_ms() - start);
        if (!strstr(line, "\"return\"")) {
            printf("%s_reply %.200s\n", name, line);
        }
    }
    qtest_quit(qts);
    return msg->len;
}

/* 1 MiB with its reply of the same size (the id is echoed). */
static void bench_big(int runs)
{
    const char *head = "{\"execute\": \"query-status\", \"id\": \"";
    const char *tail = "\"}\n";
    size_t pad = MIB - 64 - strlen(head) - strlen(tail);

    printf("big_bytes %zu\n", bench_big_request(runs, "big", head, pad,
                                                 tail));
}

/* A 1 MiB string argument, parsed, checked and stored; a short reply. */
static void bench_big_arg(int runs)
{
    bench_big_request(runs, "big_arg",
                      "{\"execute\": \"migrate-set-parameters\", "
                      "\"arguments\": {\"tls-hostname\": \"", MIB,
                      "\"}}\n");
}

int main(int argc, char **argv)
{
    const char *what;
    double arg;

    if (argc < 3) {
        fprintf(stderr, "usage: %s BINARY spawn|rss|qmp-rt|echo-rt|big|big-arg "
                "[N]\n", argv[0]);
        return 2;
    }
    g_setenv("QTEST_QEMU_BINARY", argv[1], TRUE);
    what = argv[2];
    arg = argc > 3 ? atof(argv[3]) : 0;
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (g_str_equal(what, "spawn")) {
        bench_spawn(argv[1], arg > 0 ? (int)arg : 30);
    } else if (g_str_equal(what, "spawn-q35")) {
        bench_spawn_q35(argv[1], arg > 0 ? (int)arg : 21);
    } else if (g_str_equal(what, "rss")) {
        bench_rss();
    } else if (g_str_equal(what, "qmp-rt")) {
        bench_qmp_rt(arg > 0 ? arg : 1.0);
    } else if (g_str_equal(what, "echo-rt")) {
        bench_echo_rt(arg > 0 ? arg : 1.0);
    } else if (g_str_equal(what, "big")) {
        bench_big(arg > 0 ? (int)arg : 5);
    } else if (g_str_equal(what, "plain")) {
        bench_plain(argv[1], arg > 0 ? (int)arg : 5);
    } else if (g_str_equal(what, "plain-migrate") && argc > 5) {
        bench_plain_migrate(argv[1], argv[3], atoi(argv[4]), atoi(argv[5]));
    } else if (g_str_equal(what, "big-arg")) {
        bench_big_arg(arg > 0 ? (int)arg : 5);
    } else {
        fprintf(stderr, "unknown benchmark '%s'\n", what);
        return 2;
    }
    return 0;
}
