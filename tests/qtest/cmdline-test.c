/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command-line behaviour as a user sees it: exit status and the first line
 * of output.  Error paths run the binary directly; states that need a
 * running process (-S, -incoming, SIGTERM) go through libqtest.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "libqtest.h"

#define RUN_TIMEOUT_MS  20000

typedef struct RunResult {
    int status;         /* exit status, or -1 if killed by a signal */
    char *out;
    char *err;
} RunResult;

static void run_result_clear(RunResult *r)
{
    g_free(r->out);
    g_free(r->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RunResult, run_result_clear)

/* Last word of $QTEST_QEMU_BINARY, as the binary names itself. */
static char *prog_name(void)
{
    const char *bin = g_getenv("QTEST_QEMU_BINARY");
    const char *sp = strrchr(bin, ' ');

    return g_path_get_basename(sp ? sp + 1 : bin);
}

static char *first_line(const char *text)
{
    const char *nl = strchr(text, '\n');

    return nl ? g_strndup(text, nl - text) : g_strdup(text);
}

/*
 * Run "$QTEST_QEMU_BINARY args" through the shell (the variable may hold
 * a wrapper), collecting stdout and stderr; fail if it takes too long.
 */
static void run_binary(RunResult *r, const char *args)
{
    g_autofree char *cmd = g_strdup_printf("exec %s %s",
                                           g_getenv("QTEST_QEMU_BINARY"), args);
    GString *bufs[2] = { g_string_new(""), g_string_new("") };
    int outp[2], errp[2];
    gint64 deadline = g_get_monotonic_time() + RUN_TIMEOUT_MS * 1000LL;
    pid_t pid;
    int open_fds = 2, wstatus;
    struct pollfd pfd[2];

    g_assert_cmpint(pipe2(outp, O_CLOEXEC), ==, 0);
    g_assert_cmpint(pipe2(errp, O_CLOEXEC), ==, 0);
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);

        dup2(null, 0);
        dup2(outp[1], 1);
        dup2(errp[1], 2);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(outp[1]);
    close(errp[1]);
    pfd[0] = (struct pollfd){ .fd = outp[0], .events = POLLIN };
    pfd[1] = (struct pollfd){ .fd = errp[0], .events = POLLIN };

    while (open_fds > 0) {
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        int n;

        if (left <= 0) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            g_error("'%s' still running after %d ms", args, RUN_TIMEOUT_MS);
        }
        n = poll(pfd, 2, (int)left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        for (int i = 0; i < 2; i++) {
            char buf[4096];
            ssize_t len;

            if (pfd[i].fd < 0 || !pfd[i].revents) {
                continue;
            }
            len = read(pfd[i].fd, buf, sizeof(buf));
            if (len > 0) {
                g_string_append_len(bufs[i], buf, len);
            } else if (len == 0 || errno != EINTR) {
                close(pfd[i].fd);
                pfd[i].fd = -1;
                open_fds--;
            }
        }
    }

    /* both pipes closed: the process is exiting (or daemonized) */
    while (waitpid(pid, &wstatus, WNOHANG) == 0) {
        if (g_get_monotonic_time() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            g_error("'%s' did not exit after closing its output", args);
        }
        g_usleep(1000);
    }
    r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    r->out = g_string_free(bufs[0], FALSE);
    r->err = g_string_free(bufs[1], FALSE);
    g_test_message("%s -> status %d\nstdout: %s\nstderr: %s",
                   args, r->status, r->out, r->err);
}

/* The binary fails with status 1 and this exact first stderr line. */
static void expect_first_line(const char *args, const char *want)
{
    g_auto(RunResult) r = { 0 };
    g_autofree char *line = NULL;

    run_binary(&r, args);
    line = first_line(r.err);
    g_assert_cmpstr(line, ==, want);
    g_assert_cmpint(r.status, ==, 1);
}

/* ... and that line is "PROG: msg". */
static void expect_error(const char *args, const char *msg)
{
    g_autofree char *prog = prog_name();
    g_autofree char *want = g_strdup_printf("%s: %s", prog, msg);

    expect_first_line(args, want);
}

/* Status 1 and a first stderr line naming the program and containing s. */
static void expect_error_containing(const char *args, const char *s)
{
    g_auto(RunResult) r = { 0 };
    g_autofree char *prog = prog_name();
    g_autofree char *prefix = g_strdup_printf("%s: ", prog);
    g_autofree char *line = NULL;

    run_binary(&r, args);
    line = first_line(r.err);
    g_assert_true(g_str_has_prefix(line, prefix));
    g_assert_nonnull(strstr(line, s));
    g_assert_cmpint(r.status, ==, 1);
}

static void test_version(void)
{
    g_auto(RunResult) r = { 0 };
    g_autofree char *line = NULL;

    run_binary(&r, "-version");
    g_assert_cmpint(r.status, ==, 0);
    line = first_line(r.out);
    g_assert_cmpstr(line, ==,
                    "QEMU emulator version 8.1.0 (baton-" BATON_VERSION ")");
    g_assert_cmpstr(r.err, ==, "");
}

static void test_help(void)
{
    g_auto(RunResult) r = { 0 };
    g_autofree char *line = NULL;
    g_autofree char *prog = prog_name();
    g_autofree char *usage = g_strdup_printf("\nusage: %s ", prog);

    run_binary(&r, "-help");
    g_assert_cmpint(r.status, ==, 0);
    line = first_line(r.out);
    g_assert_true(g_str_has_prefix(line, "QEMU emulator version 8.1.0"));
    g_assert_nonnull(strstr(r.out, usage));
    g_assert_nonnull(strstr(r.out, "\n-machine "));
    g_assert_nonnull(strstr(r.out, "\n-device "));
}

static void test_invalid_option(void)
{
    expect_error("-foo", "-foo: invalid option");
}

static void test_missing_argument(void)
{
    expect_error("-m", "-m: requires an argument");
}

static void test_bad_device(void)
{
    expect_error("-nodefaults -display none -accel qtest -device foo,bar=1",
                 "-device foo,bar=1: 'foo' is not a valid device model name");
}

/*
 * libvirt's failover example (seeds/001, without its disk): pc, both NICs
 * on pci.0, -no-acpi.  As QEMU 8.1: pci.0 cannot hotplug the hidden
 * primary; with ACPI it could, but pci.0 is not PCI Express.
 */
#define PC_FAILOVER "-machine pc,accel=qtest,usb=off,dump-guest-core=off " \
    "-m 214 -display none -no-user-config -nodefaults " \
    "-netdev user,id=hostua-backup0 -device virtio-net-pci,failover=on," \
    "netdev=hostua-backup0,id=ua-backup0,mac=00:11:22:33:44:55,bus=pci.0," \
    "addr=0x3 -device vfio-pci,host=0000:03:07.1,id=hostdev0,bus=pci.0," \
    "addr=0x5,failover_pair_id=ua-backup0 "

static void test_pc_failover(void)
{
    expect_error(PC_FAILOVER "-no-acpi",
                 "-device vfio-pci,host=0000:03:07.1,id=hostdev0,bus=pci.0,"
                 "addr=0x5,failover_pair_id=ua-backup0: Bus 'pci.0' does not "
                 "support hotplugging");
    expect_error(PC_FAILOVER,
                 "-device vfio-pci,host=0000:03:07.1,id=hostdev0,bus=pci.0,"
                 "addr=0x5,failover_pair_id=ua-backup0: failover primary "
                 "device must be on PCIExpress bus");
}

static void test_bad_machine(void)
{
    expect_error_containing("-nodefaults -display none -accel qtest "
                            "-machine nope", "unsupported machine type");
}

/* All of stderr, exactly, and status 1. */
static void expect_stderr(const char *args, const char *want)
{
    g_auto(RunResult) r = { 0 };

    run_binary(&r, args);
    g_assert_cmpstr(r.err, ==, want);
    g_assert_cmpint(r.status, ==, 1);
}

/* There is no KVM: refused in QEMU's words for a host without /dev/kvm. */
static void expect_kvm_refused(const char *opt)
{
    g_autofree char *prog = prog_name();
    g_autofree char *args = g_strdup_printf("-nodefaults -display none %s",
                                            opt);
    g_autofree char *want = g_strdup_printf(
        "Could not access KVM kernel module: No such file or directory\n"
        "%s: %s: failed to initialize kvm: No such file or directory\n",
        prog, opt);

    expect_stderr(args, want);
}

static void test_accel_kvm(void)
{
    expect_kvm_refused("-accel kvm");
}

static void test_enable_kvm(void)
{
    expect_kvm_refused("-enable-kvm");
}

/* kvm:tcg falls back to tcg, saying so as QEMU does, then starts. */
static void test_accel_fallback(void)
{
    g_auto(RunResult) r = { 0 };
    g_autofree char *prog = prog_name();
    g_autofree char *want = g_strdup_printf(
        "Could not access KVM kernel module: No such file or directory\n"
        "%s: failed to initialize kvm: No such file or directory\n"
        "%s: info: falling back to tcg\n"
        "%s: -device nope: 'nope' is not a valid device model name\n",
        prog, prog, prog);

    /* A bad -device afterwards makes it exit once the accelerator is set. */
    run_binary(&r, "-nodefaults -display none -machine none,accel=kvm:tcg "
               "-device nope");
    g_assert_cmpstr(r.err, ==, want);
    g_assert_cmpint(r.status, ==, 1);
}

static void test_accel_invalid(void)
{
    expect_error("-nodefaults -display none -accel nope",
                 "-accel nope: invalid accelerator nope");
    expect_error("-nodefaults -display none -accel tcg,nope=1",
                 "-accel tcg,nope=1: Property 'tcg-accel.nope' not found");
    expect_error("-nodefaults -display none -accel tcg -machine accel=tcg",
                 "The -accel and \"-machine accel=\" options are "
                 "incompatible");
}

/* -accel help lists tcg; qtest, for tests only, is not listed (QEMU). */
static void test_accel_help(void)
{
    g_auto(RunResult) r = { 0 };

    run_binary(&r, "-accel help");
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "Accelerators supported in QEMU binary:\n"
                    "tcg\n");
}

static void test_bad_memory_size(void)
{
    expect_error("-nodefaults -display none -accel qtest -m foo",
                 "-m foo: Parameter 'size' expects a non-negative number "
                 "below 2^64");
}

/* One member of each NIC query-rx-filter reports, comma-separated. */
static char *nic_member(QTestState *qts, const char *member)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': "
                                          "'query-rx-filter'}");
    JsonArray *nics = json_object_get_array_member(rsp, "return");
    GString *s = g_string_new("");

    for (guint i = 0; i < json_array_get_length(nics); i++) {
        JsonObject *nic = json_array_get_object_element(nics, i);

        g_string_append_printf(s, "%s%s", i ? "," : "",
                               json_object_get_string_member(nic, member));
    }
    return g_string_free(s, false);
}

static char *nic_macs(QTestState *qts)
{
    return nic_member(qts, "main-mac");
}

/*
 * A NIC without an id is named after its model with a counter that counts
 * every client of that model, as QEMU names them.
 */
static void test_nic_anonymous_names(void)
{
    g_autoptr(QTestState) qts =
        qtest_init("-M q35 -nodefaults -netdev user,id=a "
                   "-netdev user,id=b -netdev user,id=c "
                   "-device virtio-net-pci,netdev=a "
                   "-device virtio-net-pci,netdev=b,id=named "
                   "-device virtio-net-pci,netdev=c");
    g_autofree char *names = nic_member(qts, "name");
    g_autoptr(JsonObject) rsp = NULL;

    g_assert_cmpstr(names, ==, "virtio-net-pci.0,named,virtio-net-pci.2");
    rsp = qtest_qmp(qts, "{'execute': 'query-rx-filter', 'arguments': "
                    "{'name': 'virtio-net-pci.2'}}");
    g_assert_cmpuint(json_array_get_length(
                         json_object_get_array_member(rsp, "return")), ==, 1);
}

/* -nic: a backend plus a virtio-net-pci NIC on the machine's PCI bus. */
static void test_nic(void)
{
    g_autoptr(QTestState) qts =
        qtest_init("-nic user,model=virtio-net-pci,mac=52:54:00:12:34:56 "
                   "-nic user,id=n1,model=virtio,mac=52:54:00:12:34:57 "
                   "-nic none");
    g_autofree char *macs = nic_macs(qts);

    g_assert_cmpstr(macs, ==, "52:54:00:12:34:56,52:54:00:12:34:57");
    /* the backend has the id given */
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_del', 'arguments': "
                             "{'id': 'n1'}}");
}

/* On pc the NIC goes on pci.0. */
static void test_nic_pc(void)
{
    g_autoptr(QTestState) qts =
        qtest_init("-M pc -nic user,mac=52:54:00:12:34:58");
    g_autofree char *macs = nic_macs(qts);

    g_assert_cmpstr(macs, ==, "52:54:00:12:34:58");
}

static void test_nic_none(void)
{
    g_autoptr(QTestState) qts = qtest_init("-nic none");
    g_autofree char *macs = nic_macs(qts);

    g_assert_cmpstr(macs, ==, "");
}

/* A machine without NICs of its own: the backend only (and a warning). */
static void test_nic_machine_none(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M none -nic user,id=n0");

    qtest_qmp_assert_success(qts, "{'execute': 'netdev_del', "
                             "'arguments': {'id': 'n0'}}");
}

static void test_nic_errors(void)
{
    g_auto(RunResult) r = { 0 };

    expect_error("-nic user,model=e1000", "Unsupported NIC model: e1000");
    expect_error("-nic user,mac=52:54:00:12:34", "-nic user,"
                 "mac=52:54:00:12:34: invalid syntax for ethernet address");
    expect_error("-nic user,mac=01:00:5e:00:00:01", "-nic user,"
                 "mac=01:00:5e:00:00:01: NIC cannot have multicast MAC "
                 "address");
    expect_error("-nic frob", "-nic frob: Parameter 'type' does not accept "
                 "value 'frob'");
    expect_error("-nic user,id=n0 -netdev user,id=n0",
                 "-nic user,id=n0: Duplicate ID 'n0' for netdev");
    run_binary(&r, "-nic user,model=help");
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "Available NIC models:\nvirtio-net-pci\n"
                    "virtio-net-pci-non-transitional\n"
                    "virtio-net-pci-transitional\n");
}

static void test_nic_help(void)
{
    g_auto(RunResult) r = { 0 };

    run_binary(&r, "-nic help");
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_str_has_prefix(r.out, "Available netdev backend types:"
                                   "\nuser\n"));
    g_assert_true(g_str_has_suffix(r.out, "\n\nAvailable NIC models:\n"
                                   "virtio-net-pci\n"
                                   "virtio-net-pci-non-transitional\n"
                                   "virtio-net-pci-transitional\n"));
}

/* -netdev help lists the backends, as QEMU's does, and exits 0. */
static void test_netdev_help(void)
{
    g_auto(RunResult) r = { 0 };

    run_binary(&r, "-netdev help");
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "Available netdev backend types:\nuser\ntap\n"
                    "socket\nstream\ndgram\nhubport\n");
}

/* A config file in a fresh temporary directory; g_free the path. */
static char *write_config(const char *text)
{
    g_autofree char *dir = g_dir_make_tmp("readconfig-XXXXXX", NULL);
    char *path = g_build_filename(dir, "vm.cfg", NULL);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static void remove_config(char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);

    unlink(path);
    rmdir(dir);
    g_free(path);
}

/* -readconfig: each section is the option it names, in its place. */
static void test_readconfig(void)
{
    char *path = write_config(
        "# qemu config file\n"
        "\n"
        "[machine]\n"
        "  type = \"q35\"\n"
        "  memory-backend = \"ram0\"\n"
        "[object \"ram0\"]\n"
        "  qom-type = \"memory-backend-ram\"\n"
        "  size = \"64M\"\n"
        "[accel]\n"
        "  accel = \"qtest\"\n"
        "[chardev \"c0\"]\n"
        "  backend = \"null\"\n"
        "[netdev \"n0\"]\n"
        "  type = \"user\"\n"
        "  hostname = \"a,b\"\n"
        "[device \"nic0\"]\n"
        "  driver = \"virtio-net-pci\"\n"
        "  netdev = \"n0\"\n"
        "[global]\n"
        "  driver = \"virtio-net-pci\"\n"
        "  property = \"mac\"\n"
        "  value = \"52:54:00:00:00:42\"\n");
    g_autofree char *args = g_strdup_printf("-readconfig %s", path);
    g_autoptr(QTestState) qts = qtest_init(args);
    g_autofree char *macs = nic_macs(qts);
    g_autoptr(JsonObject) rsp = NULL;

    g_assert_cmpstr(macs, ==, "52:54:00:00:00:42");
    rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': {'path': "
                    "'/objects/ram0', 'property': 'size'}}");
    g_assert_cmpint(json_object_get_int_member(rsp, "return"), ==, 64 << 20);
    /* the chardev exists: a second one with its id is refused */
    qtest_qmp_expect_error(qts, "GenericError", "Duplicate ID 'n0'",
                           "{'execute': 'netdev_add', 'arguments': "
                           "{'type': 'user', 'id': 'n0'}}");
    remove_config(path);
}

/* Does qom-list PATH show a child NAME of TYPE? */
static bool has_child(QTestState *qts, const char *path, const char *name,
                      const char *type)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': 'qom-list', "
                                          "'arguments': {'path': '%s'}}",
                                          path);
    JsonArray *list = json_object_get_array_member(rsp, "return");
    g_autofree char *child = g_strdup_printf("child<%s>", type);

    for (guint i = 0; list && i < json_array_get_length(list); i++) {
        JsonObject *p = json_array_get_object_element(list, i);

        if (!strcmp(json_object_get_string_member(p, "name"), name) &&
            !strcmp(json_object_get_string_member(p, "type"), child)) {
            return true;
        }
    }
    return false;
}

/*
 * QEMU's readconfig-test object-rng: an [object] section with its id as a
 * key, on -machine none; the last line has no newline.
 */
static void test_readconfig_object(void)
{
    char *path = write_config("[object]\n"
                              "qom-type = \"rng-builtin\"\n"
                              "id = \"rng0\"");
    g_autofree char *args = g_strdup_printf("-nodefaults -machine none "
                                            "-readconfig %s", path);
    g_autoptr(QTestState) qts = qtest_init(args);

    g_assert_true(has_child(qts, "/objects", "rng0", "rng-builtin"));
    remove_config(path);
}

/* /objects is there before any object is. */
static void test_objects_container(void)
{
    g_autoptr(QTestState) qts = qtest_init("-nodefaults -machine none");

    qtest_qmp_assert_success(qts, "{'execute': 'qom-list', 'arguments': "
                             "{'path': '/objects'}}");
}

/* A malformed file: QEMU's message, at FILE:LINE. */
static void expect_config_error(const char *text, int line, const char *msg)
{
    char *path = write_config(text);
    g_autofree char *args = g_strdup_printf("-readconfig %s", path);
    g_autofree char *prog = prog_name();
    g_autofree char *want = g_strdup_printf("%s:%s:%d: %s", prog, path, line,
                                            msg);

    /* "PROG:FILE:LINE: msg", no space after PROG: as QEMU prints it */
    expect_first_line(args, want);
    remove_config(path);
}

static void test_readconfig_errors(void)
{
    expect_config_error("[machine]\n  type = \"q35\"\n   \n", 3,
                        "parse error");
    expect_config_error("# no section yet\n  type = \"q35\"\n", 2,
                        "no group defined");
    expect_config_error("[drive \"d0\"]\n  file = \"x.img\"\n"
                        "  if = \"none\"\n[machine]\n", 3,
                        "There is no option group 'drive'");
    expect_config_error("[device \"x\"]\n  driver = \"nope\"\n", 2,
                        "'nope' is not a valid device model name");
    expect_config_error("[netdev \"n0\"]\n  type = \"user\"\n"
                        "[netdev \"n0\"]\n  type = \"user\"\n", 4,
                        "Duplicate ID 'n0' for netdev");
    expect_error("-readconfig /nonexistent/vm.cfg", "-readconfig "
                 "/nonexistent/vm.cfg: Could not open '/nonexistent/vm.cfg': "
                 "No such file or directory");
    expect_error("-readconfig /", "-readconfig /: Cannot read config file: "
                 "Is a directory");
}

static bool wait_pid_gone(pid_t pid, int ms)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    bool gone;

    if (pidfd < 0) {
        return errno == ESRCH;
    }
    {
        struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
        gone = poll(&pfd, 1, ms) == 1;
    }
    close(pidfd);
    return gone;
}

static void test_daemonize_pidfile(void)
{
    g_auto(RunResult) r = { 0 };
    g_autofree char *dir = g_dir_make_tmp("baton-cmdline-XXXXXX", NULL);
    g_autofree char *pidfile = g_build_filename(dir, "pid", NULL);
    g_autofree char *args = g_strdup_printf("-nodefaults -display none "
                                            "-accel qtest -M none "
                                            "-daemonize -pidfile %s", pidfile);
    g_autofree char *text = NULL;
    g_autofree char *cmdline_path = NULL;
    g_autofree char *cmdline = NULL;
    gsize len;
    pid_t pid;

    run_binary(&r, args);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
    pid = (pid_t)atoi(text);
    g_assert_cmpint(pid, >, 1);

    /* the daemon is alive and is the binary */
    cmdline_path = g_strdup_printf("/proc/%d/cmdline", (int)pid);
    g_assert_true(g_file_get_contents(cmdline_path, &cmdline, &len, NULL));
    g_assert_nonnull(memmem(cmdline, len, "-daemonize", 10));

    g_assert_cmpint(kill(pid, SIGTERM), ==, 0);
    g_assert_true(wait_pid_gone(pid, RUN_TIMEOUT_MS));
    /* QEMU removes its pidfile on exit */
    g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
    rmdir(dir);
}

static void test_pidfile(void)
{
    g_autofree char *dir = g_dir_make_tmp("baton-cmdline-XXXXXX", NULL);
    g_autofree char *pidfile = g_build_filename(dir, "pid", NULL);
    QTestState *qts = qtest_initf("-pidfile %s", pidfile);
    g_autofree char *text = NULL;

    g_assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
    g_assert_cmpint(atoi(text), ==, qtest_pid(qts));
    qtest_quit(qts);
    g_assert_false(g_file_test(pidfile, G_FILE_TEST_EXISTS));
    rmdir(dir);
}

static void assert_status(QTestState *qts, const char *status, bool running)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    JsonObject *ret;

    g_assert_true(json_object_has_member(rsp, "return"));
    ret = json_object_get_object_member(rsp, "return");
    g_assert_cmpstr(json_object_get_string_member(ret, "status"), ==, status);
    g_assert_cmpint(json_object_get_boolean_member(ret, "running"), ==,
                    running);
}

/* SIGTERM, SIGINT, SIGHUP: SHUTDOWN, reason host-signal, exit status 0. */
static void host_signal_and_check(QTestState *qts, int sig)
{
    g_autoptr(JsonObject) ev = NULL;
    JsonObject *data;

    g_assert_cmpint(kill(qtest_pid(qts), sig), ==, 0);
    ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    data = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "host-signal");
    qtest_wait_qemu(qts);
    qtest_quit(qts);
}

static void sigterm_and_check(QTestState *qts)
{
    host_signal_and_check(qts, SIGTERM);
}

static void test_sigterm_running(void)
{
    QTestState *qts = qtest_init("");

    assert_status(qts, "running", true);
    sigterm_and_check(qts);
}

static void test_sigint_sighup(void)
{
    host_signal_and_check(qtest_init(""), SIGINT);
    host_signal_and_check(qtest_init("-S"), SIGHUP);
}

static void test_sigterm_prelaunch(void)
{
    QTestState *qts = qtest_init("-S");

    assert_status(qts, "prelaunch", false);
    sigterm_and_check(qts);
}

static void test_sigterm_paused(void)
{
    QTestState *qts = qtest_init("");

    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    assert_status(qts, "paused", false);
    sigterm_and_check(qts);
}

static void test_incoming_defer(void)
{
    QTestState *qts = qtest_init("-incoming defer");

    assert_status(qts, "inmigrate", false);
    sigterm_and_check(qts);
}

static void test_accepted_options(void)
{
    /* options a management layer passes routinely are accepted */
    g_autoptr(QTestState) qts =
        qtest_init("-nodefaults -no-user-config -name t1 "
                   "-machine q35 -m 64M -S");

    assert_status(qts, "prelaunch", false);
}

/* Options for things baton does not emulate start the machine anyway. */
static void test_ignored_options(void)
{
    g_autoptr(QTestState) qts =
        qtest_init("-no-shutdown -no-acpi -no-hpet -usb -realtime mlock=off "
                   "-smp 1,sockets=1,cores=1,threads=1 -cpu host "
                   "-uuid c7a5fdbd-edaf-9455-926a-d65c16db1809 "
                   "-rtc base=utc -boot strict=on -msg timestamp=on "
                   "-sandbox on -overcommit mem-lock=off -vga none "
                   "-serial none -parallel none -audiodev none,id=a0");

    assert_status(qts, "running", true);
}

static void test_serial_errors(void)
{
    expect_error("-M q35 -nodefaults -device isa-serial,chardev=nope",
                 "-device isa-serial,chardev=nope: Property "
                 "'isa-serial.chardev' can't find value 'nope'");
    expect_error("-M q35 -nodefaults -chardev null,id=c0 "
                 "-device isa-serial,chardev=c0 -device isa-serial,chardev=c0",
                 "-device isa-serial,chardev=c0: Property "
                 "'isa-serial.chardev' can't take value 'c0': "
                 "Device 'c0' is in use");
    expect_error("-M q35 -nodefaults -device isa-serial,index=4",
                 "-device isa-serial,index=4: Max. supported number of ISA "
                 "serial ports is 4.");
    expect_error("-M q35 -nodefaults -device isa-serial,irq=16",
                 "-device isa-serial,irq=16: Invalid IRQ 16 for the isa "
                 "device (limit is 15)");
    expect_error("-M q35 -serial bogus",
                 "-serial bogus: 'bogus' is not a valid char driver name");
    expect_error("-M q35 -serial chardev:nope",
                 "-serial chardev:nope: could not connect serial device to "
                 "character backend 'chardev:nope'");
    expect_error("-M q35 -nographic -daemonize",
                 "-nographic cannot be used with -daemonize");
}

static void test_fw_cfg_errors(void)
{
    expect_error("-M q35 -nodefaults -fw_cfg name=opt/a",
                 "-fw_cfg name=opt/a: name, plus exactly one of file, "
                 "string and gen_id, are needed");
    expect_error("-M q35 -nodefaults -fw_cfg name=opt/a,string=x,file=/y",
                 "-fw_cfg name=opt/a,string=x,file=/y: name, plus exactly "
                 "one of file, string and gen_id, are needed");
    expect_error("-M q35 -nodefaults -fw_cfg name=opt/"
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,string=x",
                 "-fw_cfg name=opt/"
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,string=x: "
                 "name too long (max. 55 char)");
    /* GLib's reason follows; its quotes depend on the locale. */
    expect_error_containing("-M q35 -nodefaults -fw_cfg "
                            "name=opt/a,file=/nonexistent/f",
                            "-fw_cfg name=opt/a,file=/nonexistent/f: can't "
                            "load /nonexistent/f: ");
    expect_error("-M q35 -nodefaults -fw_cfg name=opt/a,string=1 "
                 "-fw_cfg name=opt/a,string=2",
                 "-fw_cfg name=opt/a,string=2: duplicate fw_cfg file name: "
                 "opt/a");
    expect_error("-M q35 -nodefaults -fw_cfg name=opt/a,strin=1",
                 "-fw_cfg name=opt/a,strin=1: Invalid parameter 'strin'");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("cmdline/version", test_version);
    qtest_add_func("cmdline/help", test_help);
    qtest_add_func("cmdline/invalid-option", test_invalid_option);
    qtest_add_func("cmdline/missing-argument", test_missing_argument);
    qtest_add_func("cmdline/bad-device", test_bad_device);
    qtest_add_func("cmdline/bad-machine", test_bad_machine);
    qtest_add_func("cmdline/pc-failover", test_pc_failover);
    qtest_add_func("cmdline/accel-kvm", test_accel_kvm);
    qtest_add_func("cmdline/enable-kvm", test_enable_kvm);
    qtest_add_func("cmdline/accel-fallback", test_accel_fallback);
    qtest_add_func("cmdline/accel-invalid", test_accel_invalid);
    qtest_add_func("cmdline/accel-help", test_accel_help);
    qtest_add_func("cmdline/bad-memory-size", test_bad_memory_size);
    qtest_add_func("cmdline/nic", test_nic);
    qtest_add_func("cmdline/nic-pc", test_nic_pc);
    qtest_add_func("cmdline/nic-none", test_nic_none);
    qtest_add_func("cmdline/nic-machine-none", test_nic_machine_none);
    qtest_add_func("cmdline/nic-errors", test_nic_errors);
    qtest_add_func("cmdline/nic-help", test_nic_help);
    qtest_add_func("cmdline/netdev-help", test_netdev_help);
    qtest_add_func("cmdline/nic-anonymous-names", test_nic_anonymous_names);
    qtest_add_func("cmdline/readconfig", test_readconfig);
    qtest_add_func("cmdline/readconfig-errors", test_readconfig_errors);
    qtest_add_func("cmdline/readconfig-object", test_readconfig_object);
    qtest_add_func("cmdline/objects-container", test_objects_container);
    qtest_add_func("cmdline/daemonize-pidfile", test_daemonize_pidfile);
    qtest_add_func("cmdline/pidfile", test_pidfile);
    qtest_add_func("cmdline/sigterm-running", test_sigterm_running);
    qtest_add_func("cmdline/sigint-sighup", test_sigint_sighup);
    qtest_add_func("cmdline/sigterm-prelaunch", test_sigterm_prelaunch);
    qtest_add_func("cmdline/sigterm-paused", test_sigterm_paused);
    qtest_add_func("cmdline/incoming-defer", test_incoming_defer);
    qtest_add_func("cmdline/accepted-options", test_accepted_options);
    qtest_add_func("cmdline/ignored-options", test_ignored_options);
    qtest_add_func("cmdline/serial-errors", test_serial_errors);
    qtest_add_func("cmdline/fw_cfg-errors", test_fw_cfg_errors);

    return g_test_run();
}
