/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libvirt-cmdline-test: the command line libvirt 9.x writes for a q35
 * guest with a virtio-net failover pair (vfio-pci primary), a balloon and
 * its master-key secret starts unchanged under -accel qtest, and what it
 * configures is visible over QMP.  Also the start-up errors libvirt users
 * meet for a missing secret file, a -m/memory-backend mismatch and an
 * unknown -machine property, and a monitor on an inherited socket (fd=N).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "libqtest.h"

#define QUERY_FAILOVER "{'execute': '__org.baton_query-failover'}"

static char *tmpdir;

/* Everything of libvirt's line except the monitor, which the test varies. */
static char *libvirt_args(const char *key_file, const char *mem_size)
{
    return g_strdup_printf(
        "-name guest=demo,debug-threads=on -S "
        "-object '{\"qom-type\":\"secret\",\"id\":\"masterKey0\","
        "\"format\":\"raw\",\"file\":\"%s\"}' "
        "-machine pc-q35-8.1,usb=off,vmport=off,smm=on,dump-guest-core=off,"
        "memory-backend=pc.ram,hpet=off,acpi=on "
        "-m size=%s "
        "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"pc.ram\","
        "\"size\":1073741824}' "
        "-overcommit mem-lock=off -smp 1,sockets=1,cores=1,threads=1 "
        "-uuid 5a0e4f2a-0000-4000-8000-000000000001 "
        "-no-user-config -nodefaults "
        "-rtc base=utc,driftfix=slew -global kvm-pit.lost_tick_policy=delay "
        "-no-shutdown "
        "-global ICH9-LPC.disable_s3=1 -global ICH9-LPC.disable_s4=1 "
        "-boot strict=on "
        "-device '{\"driver\":\"pcie-root-port\",\"port\":16,\"chassis\":1,"
        "\"id\":\"pci.1\",\"bus\":\"pcie.0\",\"multifunction\":true,"
        "\"addr\":\"0x2\"}' "
        "-device '{\"driver\":\"pcie-root-port\",\"port\":17,\"chassis\":2,"
        "\"id\":\"pci.2\",\"bus\":\"pcie.0\",\"addr\":\"0x2.0x1\"}' "
        "-device '{\"driver\":\"pcie-root-port\",\"port\":18,\"chassis\":3,"
        "\"id\":\"pci.3\",\"bus\":\"pcie.0\",\"addr\":\"0x2.0x2\"}' "
        "-netdev '{\"type\":\"user\",\"id\":\"hostnet0\"}' "
        "-device '{\"driver\":\"virtio-net-pci\",\"netdev\":\"hostnet0\","
        "\"id\":\"net0\",\"mac\":\"52:54:00:6b:3c:58\",\"bus\":\"pci.1\","
        "\"addr\":\"0x0\",\"failover\":true}' "
        "-device '{\"driver\":\"vfio-pci\",\"host\":\"0000:03:07.1\","
        "\"id\":\"hostdev0\",\"bus\":\"pci.2\",\"addr\":\"0x0\","
        "\"failover_pair_id\":\"net0\"}' "
        "-device '{\"driver\":\"virtio-balloon-pci\",\"id\":\"balloon0\","
        "\"bus\":\"pci.3\",\"addr\":\"0x0\"}' "
        "-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
        "resourcecontrol=deny "
        "-msg timestamp=on",
        key_file, mem_size);
}

static char *key_path(void)
{
    return g_build_filename(tmpdir, "master-key.aes", NULL);
}

static JsonNode *qom_get(QTestState *qts, const char *path, const char *prop)
{
    return qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-get', 'arguments': {'path': '%s', "
        "'property': '%s'}}", path, prop);
}

static void check_qom_str(QTestState *qts, const char *path,
                          const char *prop, const char *want)
{
    g_autoptr(JsonNode) v = qom_get(qts, path, prop);

    g_assert_cmpstr(json_node_get_string(v), ==, want);
}

static void check_qom_int(QTestState *qts, const char *path,
                          const char *prop, gint64 want)
{
    g_autoptr(JsonNode) v = qom_get(qts, path, prop);

    g_assert_cmpint(json_node_get_int(v), ==, want);
}

static bool query_pci_has(QTestState *qts, const char *qdev_id, int slot,
                          int function)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-pci'}");
    JsonArray *buses = json_node_get_array(ret);
    JsonObject *bus0 = json_array_get_object_element(buses, 0);
    JsonArray *devs = json_object_get_array_member(bus0, "devices");

    for (guint i = 0; i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);

        if (!strcmp(json_object_get_string_member(d, "qdev_id"), qdev_id)) {
            g_assert_cmpint(json_object_get_int_member(d, "slot"), ==, slot);
            g_assert_cmpint(json_object_get_int_member(d, "function"), ==,
                            function);
            return true;
        }
    }
    return false;
}

static void check_started_guest(QTestState *qts)
{
    g_autoptr(JsonNode) status = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-status'}");
    JsonObject *st = json_node_get_object(status);

    /* -S: waiting for libvirt's 'cont'. */
    g_assert_cmpstr(json_object_get_string_member(st, "status"), ==,
                    "prelaunch");
    g_assert_false(json_object_get_boolean_member(st, "running"));

    /* The three root ports at 00:02.0-2. */
    g_assert_true(query_pci_has(qts, "pci.1", 2, 0));
    g_assert_true(query_pci_has(qts, "pci.2", 2, 1));
    g_assert_true(query_pci_has(qts, "pci.3", 2, 2));

    /* The standby and the balloon exist; the primary is hidden. */
    check_qom_str(qts, "/machine/peripheral/net0", "mac",
                  "52:54:00:6b:3c:58");
    check_qom_int(qts, "/machine/peripheral/balloon0", "addr", 0);
    qtest_qmp_expect_error(qts, "DeviceNotFound", NULL,
        "{'execute': 'qom-get', 'arguments': {'path': "
        "'/machine/peripheral/hostdev0', 'property': 'host'}}");
    {
        g_autoptr(JsonNode) pairs = qtest_qmp_assert_success_ref(qts,
                                                                 QUERY_FAILOVER);
        JsonObject *p = json_array_get_object_element(
            json_node_get_array(pairs), 0);

        g_assert_cmpstr(json_object_get_string_member(p, "standby"), ==,
                        "net0");
        g_assert_cmpstr(json_object_get_string_member(p, "primary"), ==,
                        "hostdev0");
        g_assert_cmpstr(json_object_get_string_member(p, "state"), ==,
                        "hidden");
    }

    /* What -machine, -m, -object and -global set reads back. */
    check_qom_str(qts, "/machine", "smm", "on");
    check_qom_str(qts, "/machine", "vmport", "off");
    check_qom_str(qts, "/machine", "acpi", "on");
    g_assert_false(qtest_qom_get_bool(qts, "/machine", "hpet"));
    g_assert_false(qtest_qom_get_bool(qts, "/machine", "usb"));
    g_assert_false(qtest_qom_get_bool(qts, "/machine", "dump-guest-core"));
    check_qom_str(qts, "/machine", "memory-backend", "pc.ram");
    check_qom_int(qts, "/objects/pc.ram", "size", 1073741824);
    g_assert_true(qtest_qom_get_bool(qts, "/objects/masterKey0", "loaded"));
    check_qom_str(qts, "/objects/masterKey0", "format", "raw");
    /* device[0] is the (one, -smp 1) CPU; ICH9 LPC follows, as in QEMU. */
    check_qom_int(qts, "/machine/unattached/device[1]", "disable_s3", 1);
    check_qom_int(qts, "/machine/unattached/device[1]", "disable_s4", 1);
}

/* The whole line, with the monitor on a path (libqtest adds its own too). */
static void test_libvirt_q35(void)
{
    g_autofree char *key = key_path();
    g_autofree char *args = libvirt_args(key, "1048576k");
    g_autofree char *mon = g_build_filename(tmpdir, "mon.sock", NULL);
    QTestState *qts = qtest_initf("%s -chardev socket,id=charmonitor,"
                                  "path=%s,server=on,wait=off "
                                  "-mon chardev=charmonitor,id=monitor,"
                                  "mode=control", args, mon);

    check_started_guest(qts);
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_quit(qts);
}

/*
 * libvirt's own monitor: a listening socket it created, passed as fd=N.
 * libqtest starts the binary through the shell, which inherits every fd
 * not marked close-on-exec.
 */
static void test_monitor_fd(void)
{
    g_autofree char *key = key_path();
    g_autofree char *args = libvirt_args(key, "1048576k");
    g_autofree char *path = g_build_filename(tmpdir, "fd-mon.sock", NULL);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    int cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    char greeting[16] = "";
    QTestState *qts;
    ssize_t n;

    g_assert_cmpint(lfd, >=, 0);
    g_assert_cmpint(cfd, >=, 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    unlink(path);
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    qts = qtest_initf("%s -chardev socket,id=charmonitor,fd=%d,server=on,"
                      "wait=off -mon chardev=charmonitor,id=monitor,"
                      "mode=control", args, lfd);
    close(lfd);

    /* The binary accepts on the inherited socket and greets. */
    g_assert_cmpint(connect(cfd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    n = read(cfd, greeting, sizeof(greeting) - 1);
    g_assert_cmpint(n, >, 0);
    g_assert_true(g_str_has_prefix(greeting, "{\"QMP\""));
    close(cfd);
    unlink(path);
    check_started_guest(qts);
    qtest_quit(qts);
}

/* Run the binary with args, expecting exit status 1; return stderr. */
static char *run_failing(const char *args)
{
    g_autofree char *cmd = g_strdup_printf(
        "exec timeout 60 %s %s -accel qtest -display none",
        g_getenv("QTEST_QEMU_BINARY"), args);
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    g_autoptr(GError) err = NULL;
    char *out = NULL, *errout = NULL;
    int wstatus;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL,
                               &out, &errout, &wstatus, &err));
    g_free(out);
    g_test_message("stderr: %s", errout);
    g_assert_true(WIFEXITED(wstatus));
    g_assert_cmpint(WEXITSTATUS(wstatus), ==, 1);
    return errout;
}

static void test_missing_secret_file(void)
{
    g_autofree char *missing = g_build_filename(tmpdir, "nope.aes", NULL);
    g_autofree char *args = libvirt_args(missing, "1048576k");
    g_autofree char *err = run_failing(args);
    g_autofree char *want = g_strdup_printf(
        "Unable to read %s: Failed to open file", missing);

    g_assert_nonnull(strstr(err, want));
    g_assert_nonnull(strstr(err, "No such file or directory"));
}

static void test_memory_size_mismatch(void)
{
    g_autofree char *key = key_path();
    g_autofree char *args = libvirt_args(key, "512M");
    g_autofree char *err = run_failing(args);

    g_assert_nonnull(strstr(err, "Size specified by -m option must match "
                            "size of explicitly specified 'memory-backend' "
                            "property"));

    /* The board's default size, given explicitly, is a mismatch too. */
    g_autofree char *args2 = libvirt_args(key, "128M");
    g_autofree char *err2 = run_failing(args2);

    g_assert_nonnull(strstr(err2, "Size specified by -m option must match "));
}

static void test_unknown_machine_property(void)
{
    g_autofree char *err = run_failing("-machine pc-q35-8.1,usb=off,foo=on");

    g_assert_nonnull(strstr(err, "Property 'pc-q35-8.1-machine.foo' not "
                            "found"));
}

/* Realized, the vfio-pci primary fails as QEMU's does without the device. */
static void test_vfio_missing_host(void)
{
    g_autofree char *err = run_failing(
        "-M q35 -nodefaults -device pcie-root-port,id=rp,chassis=1 "
        "-device vfio-pci,host=0000:ff:1f.7,bus=rp,id=hostdev0");

    g_assert_nonnull(strstr(err, "vfio /sys/bus/pci/devices/0000:ff:1f.7: "
                            "no such host device: No such file or "
                            "directory"));
}

/* The balloon libvirt always adds: ids and class as QEMU's, on bus 0. */
/* query-pci's entry for the device with qdev_id id (bus 0), or NULL. */
static JsonObject *pci_dev(JsonNode *ret, const char *id)
{
    JsonArray *devs = json_object_get_array_member(
        json_array_get_object_element(json_node_get_array(ret), 0),
        "devices");

    for (guint i = 0; i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);

        if (!strcmp(json_object_get_string_member(d, "qdev_id"), id)) {
            return d;
        }
    }
    return NULL;
}

/* One balloon per VM, as in QEMU: one machine for each variant. */
static void test_balloon_ids(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults "
                                 "-device virtio-balloon-pci,id=b0,addr=0x5");
    QTestState *modern = qtest_init("-M q35 -nodefaults "
                                    "-device virtio-balloon-pci,id=b1,"
                                    "disable-legacy=on,addr=0x6");
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-pci'}");
    g_autoptr(JsonNode) ret1 = qtest_qmp_assert_success_ref(modern,
        "{'execute': 'query-pci'}");
    JsonObject *d = pci_dev(ret, "b0");
    JsonObject *d1 = pci_dev(ret1, "b1");

    g_assert_nonnull(d);
    g_assert_cmpint(json_object_get_int_member(d, "slot"), ==, 5);
    g_assert_cmphex(json_object_get_int_member(
        json_object_get_object_member(d, "id"), "vendor"), ==, 0x1af4);
    /*
     * Transitional on the root bus (disable-legacy=auto keeps legacy
     * off a root port); behind a root port it would be 0x1045.
     */
    g_assert_cmphex(json_object_get_int_member(
        json_object_get_object_member(d, "id"), "device"), ==, 0x1002);
    g_assert_cmphex(json_object_get_int_member(
        json_object_get_object_member(d, "class_info"), "class"), ==,
        0x00ff);
    /* Modern-only: 0x1040 + virtio id 5. */
    g_assert_nonnull(d1);
    g_assert_cmphex(json_object_get_int_member(
        json_object_get_object_member(d1, "id"), "device"), ==, 0x1045);
    qtest_quit(qts);
    qtest_quit(modern);
}

/*
 * libvirt opens a <serial type='file'> log itself and passes it:
 * "-add-fd set=0,fd=N,opaque=serial0-source" and a file chardev on
 * "/dev/fdset/0".  The shell gives the binary fd 7, opened for appending.
 */
static void test_serial_fdset(void)
{
    g_autofree char *key = key_path();
    g_autofree char *args = libvirt_args(key, "1048576k");
    g_autofree char *log = g_build_filename(tmpdir, "serial.log", NULL);
    g_autofree char *got = NULL;
    QTestState *qts;

    g_assert_true(g_file_set_contents(log, "before\n", -1, NULL));
    qts = qtest_initf("%s -add-fd set=0,fd=7,opaque=serial0-source "
                      "-chardev file,id=charserial0,path=/dev/fdset/0,"
                      "append=on -device isa-serial,chardev=charserial0,"
                      "id=serial0,index=0 7>>%s", args, log);
    for (const char *p = "guest\n"; *p; p++) {
        qtest_outb(qts, 0x3f8, *p);
    }
    /* THR and shift register empty: the bytes went to the chardev. */
    g_assert_cmphex(qtest_inb(qts, 0x3f8 + 5) & 0x60, ==, 0x60);
    g_assert_true(g_file_get_contents(log, &got, NULL, NULL));
    g_assert_cmpstr(got, ==, "before\nguest\n");
    qtest_quit(qts);
    unlink(log);
}

static void G_GNUC_PRINTF(2, 3) expect_failure(const char *want,
                                               const char *fmt, ...)
{
    g_autofree char *args = NULL, *err = NULL;
    va_list ap;

    va_start(ap, fmt);
    args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    err = run_failing(args);

    if (!strstr(err, want)) {
        g_test_message("want: %s", want);
    }
    g_assert_nonnull(strstr(err, want));
}

/* -add-fd and /dev/fdset/N mistakes, in QEMU's words. */
static void test_add_fd_errors(void)
{
    g_autofree char *f = g_build_filename(tmpdir, "fdset-file", NULL);

    g_assert_true(g_file_set_contents(f, "", 0, NULL));
    expect_failure("-add-fd set=0: fd option is required and must be "
                   "non-negative", "-add-fd set=0");
    expect_failure("fd option is required and must be non-negative",
                   "-add-fd fd=-3,set=0");
    expect_failure("fd cannot be a standard I/O stream",
                   "-add-fd fd=2,set=0");
    expect_failure("fd is not valid or already in use",
                   "-add-fd fd=9,set=0");
    expect_failure("set option is required and must be non-negative",
                   "-add-fd fd=7 7>>%s", f);
    expect_failure("Parameter 'fd' expects a number",
                   "-add-fd fd=seven,set=0");
    expect_failure("Invalid parameter 'bogus'",
                   "-add-fd fd=7,set=0,bogus=1 7>>%s", f);
    expect_failure("-chardev file,id=c0,path=/dev/fdset/3: Could not dup FD "
                   "for /dev/fdset/3 flags 241: No such file or directory",
                   "-chardev file,id=c0,path=/dev/fdset/3");
    expect_failure("Could not parse fdset /dev/fdset/x",
                   "-chardev file,id=c0,path=/dev/fdset/x");
    /* Only a read-only descriptor in the set: no match for writing. */
    expect_failure("Could not dup FD for /dev/fdset/3 flags 441: "
                   "Permission denied",
                   "-add-fd fd=7,set=3 -chardev file,id=c0,"
                   "path=/dev/fdset/3,append=on 7<%s", f);
    expect_failure("Could not create '/nonexistent/dir/log': No such file "
                   "or directory",
                   "-chardev file,id=c0,path=/nonexistent/dir/log");
    unlink(f);
}

int main(int argc, char **argv)
{
    g_autofree char *key = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("libvirt-cmdline-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    key = key_path();
    g_assert_true(g_file_set_contents(key, "0123456789abcdef0123456789abcdef",
                                      32, NULL));

    qtest_add_func("/libvirt-cmdline/q35-failover", test_libvirt_q35);
    qtest_add_func("/libvirt-cmdline/monitor-fd", test_monitor_fd);
    qtest_add_func("/libvirt-cmdline/missing-secret-file",
                   test_missing_secret_file);
    qtest_add_func("/libvirt-cmdline/memory-size-mismatch",
                   test_memory_size_mismatch);
    qtest_add_func("/libvirt-cmdline/unknown-machine-property",
                   test_unknown_machine_property);
    qtest_add_func("/libvirt-cmdline/balloon-ids", test_balloon_ids);
    qtest_add_func("/libvirt-cmdline/vfio-missing-host",
                   test_vfio_missing_host);
    qtest_add_func("/libvirt-cmdline/serial-fdset", test_serial_fdset);
    qtest_add_func("/libvirt-cmdline/add-fd-errors", test_add_fd_errors);
    ret = g_test_run();

    unlink(key);
    rmdir(tmpdir);
    g_free(tmpdir);
    return ret;
}
