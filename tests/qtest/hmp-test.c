/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hmp-test: the human monitor as a user sees it, through
 * human-monitor-command (what libvirt's --hmp and QEMU's test-hmp,
 * device-introspect-test and netdev-socket use) and on a readline
 * monitor over a unix socket.  Every answer is a string with "\r\n" line
 * ends; unknown commands and bad arguments get QEMU's texts.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "libqtest.h"
#include "libqos/migrate.h"
#include "libqos/query-pci.h"

#define Q35 "-M q35 -nodefaults "

static char *tmpdir;

/* Does the HMP output of cmd contain want? */
static void assert_hmp_has(QTestState *qts, const char *cmd,
                           const char *want)
{
    g_autofree char *out = qtest_hmp(qts, "%s", cmd);

    if (!strstr(out, want)) {
        g_test_message("HMP '%s' printed:\n%s", cmd, out);
    }
    g_assert_nonnull(strstr(out, want));
}

static void assert_hmp_is(QTestState *qts, const char *cmd, const char *want)
{
    g_autofree char *out = qtest_hmp(qts, "%s", cmd);

    g_assert_cmpstr(out, ==, want);
}

/* Every "\n" in s comes as "\r\n". */
static void assert_crlf(const char *s)
{
    for (const char *p = strchr(s, '\n'); p; p = strchr(p + 1, '\n')) {
        g_assert_true(p > s && p[-1] == '\r');
    }
}

/* ---- the command set -------------------------------------------------- */

/*
 * QEMU's test-hmp: "help info" lists the info commands one a line, each
 * "info NAME ..."; every one of them runs.
 */
static void test_info_commands(void)
{
    QTestState *qts = qtest_init(Q35 "-S -netdev user,id=n0 "
                                 "-device virtio-net-pci,netdev=n0,id=nic0");
    g_autofree char *list = qtest_hmp(qts, "help info");
    g_autofree char *bare = qtest_hmp(qts, "info");
    g_auto(GStrv) lines = g_strsplit(list, "\r\n", -1);
    int n = 0;

    assert_crlf(list);
    g_assert_cmpstr(list, ==, bare);
    for (int i = 0; lines[i] && *lines[i]; i++) {
        g_autofree char *name = NULL;
        g_autofree char *out = NULL;
        const char *end;

        g_assert_true(g_str_has_prefix(lines[i], "info "));
        end = strchr(lines[i] + 5, ' ');
        g_assert_nonnull(end);
        name = g_strndup(lines[i], end - lines[i]);
        out = qtest_hmp(qts, "%s", name);
        assert_crlf(out);
        g_assert_null(strstr(out, "unknown command"));
        n++;
    }
    g_assert_cmpint(n, >=, 20);
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    qtest_quit(qts);
}

/*
 * QEMU's test-hmp list: every line is answered with a string and the
 * process lives on; what baton has does its job.
 */
static void test_test_hmp_list(void)
{
    static const char *const cmds[] = {
        "announce_self", "boot_set ndc", "chardev-add null,id=testchardev1",
        "chardev-send-break testchardev1",
        "chardev-change testchardev1 ringbuf",
        "chardev-remove testchardev1", "commit all", "cpu 0",
        "device_add ?", "device_add usb-mouse,id=mouse1",
        "drive_add ignored format=help", "mouse_button 7",
        "mouse_move 10 10", "mouse_button 0", "device_del mouse1",
        "dump-guest-memory /dev/null 0 4096", "dump-guest-memory /dev/null",
        "gdbserver", "gva2gpa 0", "hostfwd_add tcp::43210-:43210",
        "hostfwd_remove tcp::43210-:43210", "i /w 0", "log all", "log none",
        "memsave 0 4096 \"/dev/null\"",
        "migrate_set_parameter xbzrle-cache-size 64k",
        "migrate_set_parameter downtime-limit 1",
        "migrate_set_parameter max-bandwidth 1", "netdev_add user,id=net1",
        "set_link net1 off", "set_link net1 on", "netdev_del net1", "nmi",
        "o /w 0 0x1234", "object_add memory-backend-ram,id=mem1,size=256M",
        "object_del mem1", "one-insn-per-tb on",
        "pmemsave 0 4096 \"/dev/null\"", "p $pc + 8", "qom-list /",
        "qom-set /machine initrd test", "qom-get /machine initrd",
        "screendump /dev/null", "sendkey x", "wavcapture /dev/null",
        "stopcapture 0", "sum 0 512", "x /8i 0x100", "xp /16x 0",
    };
    const char *machines[] = { Q35 "-S", "-M pc -S", "-M none -S",
                               "-M none -m 2 -S" };

    for (size_t m = 0; m < G_N_ELEMENTS(machines); m++) {
        QTestState *qts = qtest_init(machines[m]);

        for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
            g_autofree char *out = qtest_hmp(qts, "%s", cmds[i]);

            assert_crlf(out);
        }
        qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
        qtest_quit(qts);
    }
}

static void test_unknown_and_bad_arguments(void)
{
    QTestState *qts = qtest_init(Q35);
    g_autofree char *junk = g_strnfill(10000, 'x');
    g_autoptr(JsonObject) rsp = NULL;

    assert_hmp_is(qts, "xyz", "unknown command: 'xyz'\r\n");
    assert_hmp_is(qts, "x /8i 0x100", "unknown command: 'x'\r\n");
    assert_hmp_is(qts, "info xyz", "unknown command: 'info xyz'\r\n");
    assert_hmp_is(qts, "info registers",
                  "unknown command: 'info registers'\r\n");
    assert_hmp_is(qts, "help xyz", "unknown command: 'xyz'\r\n");
    assert_hmp_is(qts, "help info xyz", "unknown command: 'info xyz'\r\n");
    assert_hmp_is(qts, "", "");
    assert_hmp_is(qts, "   ", "");
    assert_hmp_is(qts, "device_del",
                  "device_del: string expected\r\n"
                  "Try \"help device_del\" for more information\r\n");
    assert_hmp_is(qts, "info status now",
                  "status: extraneous characters at the end of line\r\n"
                  "Try \"help info status\" for more information\r\n");
    assert_hmp_is(qts, "set_link n0 maybe",
                  "Expected 'on' or 'off'\r\n"
                  "Try \"help set_link\" for more information\r\n");
    assert_hmp_is(qts, "migrate -x tcp:1:2",
                  "migrate: unsupported option -x\r\n"
                  "Try \"help migrate\" for more information\r\n");
    assert_hmp_is(qts, "balloon -1",
                  "enter a positive value\r\n"
                  "Try \"help balloon\" for more information\r\n");
    assert_hmp_is(qts, "cpu abc",
                  "invalid char 'a' in expression\r\n"
                  "Try \"help cpu\" for more information\r\n");
    assert_hmp_is(qts, "cpu 7", "invalid CPU index\r\n");
    assert_hmp_is(qts, "device_add",
                  "Error: Parameter 'driver' is missing\r\n");
    assert_hmp_is(qts, "device_add nosuchdev",
                  "Error: 'nosuchdev' is not a valid device model name\r\n");
    assert_hmp_is(qts, "device_del nosuch",
                  "Error: Device 'nosuch' not found\r\n");
    assert_hmp_is(qts, "netdev_del nosuch",
                  "Error: Device 'nosuch' not found\r\n");
    assert_hmp_is(qts, "migrate_set_capability nosuch on",
                  "Error: invalid parameter value: nosuch\r\n");
    assert_hmp_is(qts, "migrate_set_parameter nosuch 1",
                  "Error: invalid parameter value: nosuch\r\n");
    assert_hmp_is(qts, "migrate_set_parameter max-bandwidth lots",
                  "Error: Invalid size lots\r\n");
    assert_hmp_is(qts, "migrate_set_parameter compress-level 300",
                  "Error: Parameter 'compress-level' expects uint8_t\r\n");
    assert_hmp_is(qts, "qom-get /nowhere type",
                  "Error: Device '/nowhere' not found\r\n");
    assert_hmp_is(qts, "qom-set -j /machine type {",
                  "Error: JSON parse error, premature EOI\r\n");
    assert_hmp_is(qts, "info qom-tree /nowhere",
                  "Path '/nowhere' could not be resolved.\r\n");
    assert_hmp_is(qts, "device_add \"virtio-net-pci,id=a\\q\"",
                  "Try \"help device_add\" for more information\r\n");
    /* Whatever the line, an answer and a live process. */
    g_free(qtest_hmp(qts, "%s", junk));
    g_free(qtest_hmp(qts, "info %s", junk));
    g_free(qtest_hmp(qts, "device_add %s", junk));
    g_free(qtest_hmp(qts, "\"\\"));
    g_free(qtest_hmp(qts, "help \"unterminated"));
    /* QMP-level errors: the arguments of human-monitor-command itself. */
    rsp = qtest_qmp(qts, "{'execute': 'human-monitor-command', "
                    "'arguments': {'command-line': 'info status', "
                    "'cpu-index': 9}}");
    g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==,
                    "Parameter 'cpu-index' expects a CPU number");
    qtest_qmp_expect_error(qts, "GenericError",
                           "Parameter 'command-line' is missing",
                           "{'execute': 'human-monitor-command'}");
    assert_hmp_is(qts, "info status", "VM status: running\r\n");
    qtest_quit(qts);
}

/* ---- what the info pages say ------------------------------------------ */

static void test_info_pages(void)
{
    QTestState *qts = qtest_init(Q35 "-S -name guest1 -smp 2 "
                                 "-uuid 12345678-1234-1234-1234-123456789abc "
                                 "-netdev user,id=n0 "
                                 "-device virtio-net-pci,netdev=n0,id=nic0,"
                                 "addr=02.0");
    g_autofree char *version = qtest_hmp(qts, "info version");

    assert_hmp_is(qts, "info status", "VM status: paused (prelaunch)\r\n");
    assert_hmp_is(qts, "info name", "guest1\r\n");
    assert_hmp_is(qts, "info uuid",
                  "12345678-1234-1234-1234-123456789abc\r\n");
    assert_hmp_is(qts, "info kvm", "kvm support: not compiled\r\n");
    g_assert_true(g_str_has_prefix(version, "8.1.0 (baton-"));
    assert_hmp_has(qts, "info cpus", "* CPU #0: thread_id=");
    assert_hmp_has(qts, "info cpus", "\r\n  CPU #1: thread_id=");
    {
        g_autoptr(JsonNode) cpus = qtest_qmp_assert_success_ref(qts,
            "{'execute': 'human-monitor-command', 'arguments': "
            "{'command-line': 'info cpus', 'cpu-index': 1}}");

        g_assert_true(g_str_has_prefix(json_node_get_string(cpus),
                                       "  CPU #0: thread_id="));
        g_assert_nonnull(strstr(json_node_get_string(cpus),
                                "\r\n* CPU #1: thread_id="));
    }
    assert_hmp_has(qts, "info pci",
                   "  Bus  0, device   2, function 0:\r\n"
                   "    Ethernet controller: PCI device 1af4:1000\r\n");
    assert_hmp_has(qts, "info pci", "      id \"nic0\"\r\n");
    assert_hmp_is(qts, "info network",
                  "nic0: index=0,type=nic,model=virtio-net-pci,"
                  "macaddr=52:54:00:12:34:56\r\n"
                  " \\ n0: index=0,type=user,net=10.0.2.0,restrict=off\r\n");
    assert_hmp_has(qts, "info migrate_capabilities", "\r\nevents: off\r\n");
    assert_hmp_has(qts, "info migrate_parameters",
                   "downtime-limit: 300 ms\r\n");
    assert_hmp_is(qts, "info balloon",
                  "Error: No balloon device has been activated\r\n");
    assert_hmp_has(qts, "info hotpluggable-cpus",
                   "Hotpluggable CPUs:\r\n  type: \"");
    assert_hmp_has(qts, "info mtree", "address-space: memory\r\n"
                   "  0000000000000000-ffffffffffffffff (prio 0, i/o): "
                   "system\r\n");
    assert_hmp_has(qts, "info memory_size_summary",
                   "base memory: 134217728\r\n");
    assert_hmp_has(qts, "info chardev", "char0: filename=unix:");
    /* Changed through HMP, seen through HMP. */
    assert_hmp_is(qts, "migrate_set_parameter downtime-limit 1", "");
    assert_hmp_is(qts, "migrate_set_parameter max-bandwidth 2", "");
    assert_hmp_has(qts, "info migrate_parameters",
                   "max-bandwidth: 2097152 bytes/second\r\n"
                   "downtime-limit: 1 ms\r\n");
    assert_hmp_is(qts, "migrate_set_capability events on", "");
    assert_hmp_has(qts, "info migrate_capabilities", "\r\nevents: on\r\n");
    assert_hmp_is(qts, "object_add memory-backend-ram,id=mem1,size=4M", "");
    assert_hmp_has(qts, "info memdev", "memory backend: mem1\r\n"
                   "  size:  4194304\r\n");
    assert_hmp_is(qts, "object_del mem1", "");
    {
        g_autofree char *memdev = qtest_hmp(qts, "info memdev");

        g_assert_null(strstr(memdev, "mem1"));
    }
    assert_hmp_is(qts, "qom-get /machine/peripheral/nic0 mac",
                  "\"52:54:00:12:34:56\"\r\n");
    assert_hmp_has(qts, "qom-list /machine/peripheral",
                   "nic0 (child<virtio-net-pci>)\r\n");
    assert_hmp_is(qts, "qom-list", "/\r\n");
    assert_hmp_is(qts, "qom-set /machine/peripheral/nic0 x-txburst 64",
                  "Error: Attempt to set property 'x-txburst' on device "
                  "'nic0' (type 'virtio-net-pci') after it was realized\r\n");
    qtest_quit(qts);
}

/* info qtree and info qom-tree: the trees as QEMU draws them. */
static void test_trees(void)
{
    QTestState *qts = qtest_init(Q35 "-netdev user,id=n0 "
                                 "-device virtio-net-pci,netdev=n0,id=nic0,"
                                 "addr=02.0");
    g_autofree char *qtree = qtest_hmp(qts, "info qtree");
    g_autofree char *qom = qtest_hmp(qts, "info qom-tree");
    g_autofree char *sub = qtest_hmp(qts, "info qom-tree /machine/peripheral");

    assert_crlf(qtree);
    g_assert_true(g_str_has_prefix(qtree, "bus: main-system-bus\r\n"
                                   "  type System\r\n"));
    g_assert_nonnull(strstr(qtree, "  dev: q35-pcihost, id \"\"\r\n"
                            "    bus: pcie.0\r\n      type PCIE\r\n"));
    g_assert_nonnull(strstr(qtree, "      dev: virtio-net-pci, id \"nic0\""
                            "\r\n"));
    g_assert_nonnull(strstr(qtree, "        mac = \"52:54:00:12:34:56\""
                            "\r\n        netdev = \"n0\"\r\n"));
    g_assert_nonnull(strstr(qtree, "        addr = 02.0\r\n"));
    g_assert_nonnull(strstr(qtree, "        vectors = 4 (0x4)\r\n"));
    g_assert_nonnull(strstr(qtree, "        class Ethernet controller, addr "
                            "00:02.0, pci id 1af4:1000 (sub 1af4:0001)\r\n"));
    g_assert_nonnull(strstr(qtree, "        bus: virtio-bus\r\n"
                            "          type virtio-pci-bus\r\n"
                            "          dev: virtio-net-device, id \"\"\r\n"));
    g_assert_true(g_str_has_prefix(qom, "/ (container)\r\n"
                                   "  /machine (pc-q35-8.1-machine)\r\n"));
    g_assert_nonnull(strstr(qom, "    /peripheral (container)\r\n"
                            "      /nic0 (virtio-net-pci)\r\n"
                            "        /virtio-backend (virtio-net-device)\r\n"
                            "        /virtio-bus (virtio-pci-bus)\r\n"
                            "    /peripheral-anon (container)\r\n"));
    g_assert_cmpstr(sub, ==, "/peripheral (container)\r\n"
                    "  /nic0 (virtio-net-pci)\r\n"
                    "    /virtio-backend (virtio-net-device)\r\n"
                    "    /virtio-bus (virtio-pci-bus)\r\n");
    qtest_quit(qts);
}

/*
 * device-introspect-test: "device_add help", then "device_add TYPE,help"
 * for every type (and a missing and an abstract one) leave both trees as
 * they were.
 */
static void test_device_help(void)
{
    QTestState *qts = qtest_init("-nodefaults -machine none");
    g_autofree char *qtree = qtest_hmp(qts, "info qtree");
    g_autofree char *qom = qtest_hmp(qts, "info qom-tree");
    g_autofree char *list = qtest_hmp(qts, "device_add help");
    g_autofree char *after = NULL;
    g_autofree char *list2 = qtest_hmp(qts, "device_add ?");
    g_autofree char *help = qtest_hmp(qts, "device_add \"virtio-net-pci,"
                                      "help\"");
    g_autoptr(JsonNode) types = NULL;
    JsonArray *arr;

    g_assert_nonnull(strstr(list, "Network devices:\r\nname \""));
    g_assert_nonnull(strstr(list, "name \"virtio-net-pci\", bus PCI"));
    g_assert_cmpstr(list, ==, list2);
    g_assert_true(g_str_has_prefix(help, "virtio-net-pci options:\r\n"));
    g_assert_nonnull(strstr(help, "\r\n  mac=<str>  "));
    g_assert_nonnull(strstr(help, "\r\n  netdev=<str>\r\n"));
    assert_crlf(help);
    assert_hmp_has(qts, "device_add virtio-net,help",
                   "virtio-net-pci options:\r\n");
    assert_hmp_is(qts, "device_add \"nonexistent,help\"",
                  "Device 'nonexistent' not found\r\n");
    assert_hmp_is(qts, "device_add \"device,help\"",
                  "Parameter 'typename' expects a non-abstract device "
                  "type\r\n");
    types = qtest_qmp_assert_success_ref(qts, "{'execute': 'qom-list-types',"
                                         " 'arguments': {'implements': "
                                         "'device', 'abstract': false}}");
    arr = json_node_get_array(types);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *t = json_array_get_object_element(arr, i);
        g_autofree char *out = qtest_hmp(qts, "device_add \"%s,help\"",
                                         json_object_get_string_member(t,
                                                                       "name"));

        g_assert_true(g_str_has_suffix(out, "\r\n"));
    }
    after = qtest_hmp(qts, "info qtree");
    g_assert_cmpstr(after, ==, qtree);
    g_free(after);
    after = qtest_hmp(qts, "info qom-tree");
    g_assert_cmpstr(after, ==, qom);
    qtest_quit(qts);
}

/* ---- commands that act ------------------------------------------------ */

/*
 * device_add and device_del through HMP, seen by query-pci: on pc, the
 * test ejects the device through PIIX4's ACPI hotplug register as the
 * guest's ACPI code would.
 */
static void test_device_add_del(void)
{
    QTestState *qts = qtest_init("-M pc -nodefaults -netdev user,id=n1");
    g_autoptr(JsonObject) ev = NULL;

    assert_hmp_is(qts, "device_add virtio-net-pci,id=hp1,addr=06.0,"
                  "netdev=n1", "");
    g_assert_true(qpci_query_has(qts, "hp1"));
    assert_hmp_has(qts, "info pci", "  Bus  0, device   6, function 0:\r\n"
                   "    Ethernet controller: PCI device 1af4:1000\r\n");
    assert_hmp_is(qts, "device_add virtio-net-pci,id=hp1",
                  "Error: Duplicate device ID 'hp1'\r\n");
    assert_hmp_is(qts, "device_del hp1", "");
    g_assert_cmphex(qtest_inl(qts, 0xae04), ==, 1u << 6);   /* PCI_DOWN */
    qtest_outl(qts, 0xae08, 1u << 6);                         /* eject */
    ev = qtest_qmp_eventwait_ref(qts, "DEVICE_DELETED");
    while (!json_object_has_member(json_object_get_object_member(ev, "data"),
                                   "device")) {
        json_object_unref(g_steal_pointer(&ev));
        ev = qtest_qmp_eventwait_ref(qts, "DEVICE_DELETED");
    }
    g_assert_cmpstr(json_object_get_string_member(
                        json_object_get_object_member(ev, "data"), "device"),
                    ==, "hp1");
    g_assert_false(qpci_query_has(qts, "hp1"));
    assert_hmp_is(qts, "device_del hp1", "Error: Device 'hp1' not found\r\n");
    qtest_quit(qts);
}

static void test_run_state(void)
{
    QTestState *qts = qtest_init(Q35);

    assert_hmp_is(qts, "stop", "");
    qtest_qmp_eventwait(qts, "STOP");
    assert_hmp_is(qts, "info status", "VM status: paused\r\n");
    assert_hmp_is(qts, "c", "");
    qtest_qmp_eventwait(qts, "RESUME");
    assert_hmp_is(qts, "stop", "");
    qtest_qmp_eventwait(qts, "STOP");
    assert_hmp_is(qts, "cont", "");
    qtest_qmp_eventwait(qts, "RESUME");
    assert_hmp_is(qts, "system_reset", "");
    qtest_qmp_eventwait(qts, "RESET");
    assert_hmp_is(qts, "system_powerdown", "");
    qtest_qmp_eventwait(qts, "POWERDOWN");
    assert_hmp_is(qts, "netdev_add user,id=u1", "");
    assert_hmp_has(qts, "info network", "u1: index=0,type=user");
    assert_hmp_is(qts, "netdev_add user,id=u1",
                  "Error: Duplicate ID 'u1'\r\n");
    assert_hmp_has(qts, "netdev_add help",
                   "Available netdev backend types:\r\nuser\r\n");
    assert_hmp_is(qts, "netdev_del u1", "");
    assert_hmp_is(qts, "info network", "");
    /* key=value text as -netdev takes it, not typed JSON */
    assert_hmp_is(qts, "netdev_add user,id=u2,restrict=on", "");
    assert_hmp_is(qts, "info network",
                  "u2: index=0,type=user,net=10.0.2.0,restrict=on\r\n");
    assert_hmp_is(qts, "netdev_add user", "Error: Parameter 'id' is "
                  "missing\r\n");
    assert_hmp_is(qts, "q", "");
    qtest_qmp_eventwait(qts, "SHUTDOWN");
    qtest_wait_qemu(qts);
    qtest_quit(qts);
}

/*
 * --preconfig: only what may run before the machine exists, QEMU's
 * message for the rest; exit_preconfig goes on.
 */
static void test_preconfig(void)
{
    QTestState *qts = qtest_init(Q35 "--preconfig");
    g_autofree char *help = qtest_hmp(qts, "help");

    assert_hmp_is(qts, "info status", "VM status: paused (prelaunch)\r\n");
    assert_hmp_is(qts, "info pci", "Command 'info pci' not available until "
                  "machine initialization has completed.\r\n");
    assert_hmp_is(qts, "device_add virtio-net-pci",
                  "Command 'device_add' not available until machine "
                  "initialization has completed.\r\n");
    g_assert_null(strstr(help, "device_add"));
    g_assert_nonnull(strstr(help, "\r\nexit_preconfig  -- exit the "
                            "preconfig state\r\n"));
    assert_hmp_is(qts, "exit_preconfig", "");
    assert_hmp_has(qts, "info pci", "Host bridge: PCI device 8086:29c0");
    assert_hmp_is(qts, "exit_preconfig", "Error: The command is permitted "
                  "only before machine initialization\r\n");
    qtest_quit(qts);
}

/* migrate -d, info migrate; without -d from QMP it cannot wait. */
static void test_migrate(void)
{
    QTestState *qts = qtest_init(Q35 "-m 32M");
    g_autofree char *info = NULL;

    assert_hmp_is(qts, "info migrate", "");
    assert_hmp_has(qts, "migrate nosuch:x", "Error: ");
    assert_hmp_has(qts, "info migrate", "Migration status: failed");
    assert_hmp_is(qts, "migrate_set_capability events on", "");
    assert_hmp_is(qts, "migrate -d \"exec:cat >/dev/null\"", "");
    mig_wait_status(qts, "completed");
    info = qtest_hmp(qts, "info migrate");
    g_assert_true(g_str_has_prefix(info, "Migration status: completed\r\n"
                                   "total time: "));
    g_assert_nonnull(strstr(info, "\r\ntotal ram: 32768 kbytes\r\n"));
    assert_hmp_is(qts, "migrate_cancel", "");
    assert_hmp_is(qts, "info status", "VM status: paused (postmigrate)\r\n");
    assert_hmp_is(qts, "cont", "");
    assert_hmp_is(qts, "migrate \"exec:cat >/dev/null\"",
                  "terminal does not allow synchronous migration, "
                  "continuing detached\r\n");
    qtest_quit(qts);
}

/* ---- the readline monitor --------------------------------------------- */

typedef struct Term {
    int fd;
    GString *in;                /* received, not yet consumed */
} Term;

static void term_connect(Term *t, const char *path)
{
    t->fd = qtest_unix_connect(path);
    t->in = g_string_new(NULL);
}

static void term_send(Term *t, const char *s)
{
    g_assert_cmpint(write(t->fd, s, strlen(s)), ==, (ssize_t)strlen(s));
}

/*
 * Wait for input until deadline (asserting it is not over yet) and add
 * what arrives to t->in; the read's result (0: the peer closed).
 */
static ssize_t term_read_some(Term *t, gint64 deadline)
{
    for (;;) {
        struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
        int left = (deadline - g_get_monotonic_time()) / 1000;
        char buf[4096];
        ssize_t n;

        g_assert_cmpint(left, >, 0);
        if (poll(&pfd, 1, left) < 0) {
            g_assert_cmpint(errno, ==, EINTR);
            continue;
        }
        n = read(t->fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n > 0) {
            g_string_append_len(t->in, buf, n);
        }
        return n;
    }
}

/*
 * Everything up to and including the next "(qemu) " prompt, waiting for
 * it at most 30 s.
 */
static char *term_until_prompt(Term *t)
{
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
    char *hit;
    gsize len;
    char *out;

    while (!(hit = strstr(t->in->str, "(qemu) "))) {
        g_assert_cmpint(term_read_some(t, deadline), >, 0);
    }
    len = hit - t->in->str + strlen("(qemu) ");
    out = g_strndup(t->in->str, len);
    g_string_erase(t->in, 0, len);
    return out;
}

/* Everything until the peer closes (bounded by 30 s). */
static char *term_until_eof(Term *t)
{
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;

    while (term_read_some(t, deadline) > 0) {
        /* more */
    }
    return g_string_free(g_string_new_len(t->in->str, t->in->len), false);
}

/* Send send (if any), then expect exactly want up to the next prompt. */
static void term_expect(Term *t, const char *send, const char *want)
{
    g_autofree char *out = NULL;

    if (send) {
        term_send(t, send);
    }
    out = term_until_prompt(t);
    g_assert_cmpstr(out, ==, want);
}

static void term_close(Term *t)
{
    close(t->fd);
    g_string_free(t->in, true);
}

static void test_readline(gconstpointer data)
{
    bool use_mon = GPOINTER_TO_INT(data);
    g_autofree char *path = g_build_filename(tmpdir, use_mon ? "mon.sock"
                                                             : "hmp.sock",
                                             NULL);
    QTestState *qts = use_mon ?
        qtest_initf(Q35 "-chardev socket,id=hmp0,path=%s,server=on,wait=off "
                    "-mon chardev=hmp0,mode=readline", path) :
        qtest_initf(Q35 "-monitor unix:%s,server=on,wait=off", path);
    Term t;
    char *out;

    term_connect(&t, path);
    term_expect(&t, NULL, "QEMU 8.1.0 monitor - type 'help' for more "
                "information\r\n(qemu) ");
    /* Typed characters come back, then the output, then the prompt. */
    term_expect(&t, "info status\n",
                "info status\r\nVM status: running\r\n(qemu) ");
    /* CR LF ends one line; backspace and DEL erase; arrows do nothing. */
    term_expect(&t, "info statuz\x7fs\r\n",
                "info statuz\b \bs\r\nVM status: running\r\n(qemu) ");
    term_expect(&t, "stopp\b\x1b[A\x1bOB\r", "stopp\b \b\r\n(qemu) ");
    qtest_qmp_eventwait(qts, "STOP");
    term_expect(&t, "nosuch\ninfo status\n",
                "nosuch\r\nunknown command: 'nosuch'\r\n(qemu) ");
    term_expect(&t, NULL, "info status\r\nVM status: paused\r\n(qemu) ");
    term_expect(&t, "\n", "\r\n(qemu) ");
    /* A migration without -d holds the prompt until it is over. */
    term_expect(&t, "migrate \"exec:cat >/dev/null\"\ninfo status\n",
                "migrate \"exec:cat >/dev/null\"\r\n(qemu) ");
    out = qtest_hmp(qts, "info migrate");
    g_assert_true(g_str_has_prefix(out, "Migration status: completed\r\n"));
    g_free(out);
    term_expect(&t, NULL, "info status\r\nVM status: paused (postmigrate)"
                "\r\n(qemu) ");
    /* A client that goes away and comes back gets a fresh session. */
    term_send(&t, "info stat");
    term_close(&t);
    term_connect(&t, path);
    out = term_until_prompt(&t);
    g_assert_true(g_str_has_suffix(out, "information\r\n(qemu) "));
    g_free(out);
    /* quit: echoed, then no prompt, the connection closes. */
    term_send(&t, "quit\ninfo status\n");
    out = term_until_eof(&t);
    g_assert_cmpstr(out, ==, "quit\r\n");
    g_free(out);
    qtest_qmp_eventwait(qts, "SHUTDOWN");
    qtest_wait_qemu(qts);
    qtest_quit(qts);
    term_close(&t);
    g_unlink(path);
}

/* -mon without mode= is the human monitor, as in QEMU; bad modes fail. */
static void test_mon_modes(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "default.sock", NULL);
    QTestState *qts = qtest_initf(Q35 "-chardev socket,id=m0,path=%s,"
                                  "server=on,wait=off -mon chardev=m0",
                                  path);
    Term t;
    char *out;

    term_connect(&t, path);
    out = term_until_prompt(&t);
    g_assert_true(g_str_has_prefix(out, "QEMU 8.1.0 monitor"));
    g_free(out);
    term_close(&t);
    qtest_quit(qts);
    g_unlink(path);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("hmp-test-XXXXXX", NULL);
    g_assert(tmpdir);
    qtest_add_func("/hmp/info-commands", test_info_commands);
    qtest_add_func("/hmp/test-hmp-list", test_test_hmp_list);
    qtest_add_func("/hmp/unknown-and-bad-arguments",
                   test_unknown_and_bad_arguments);
    qtest_add_func("/hmp/info-pages", test_info_pages);
    qtest_add_func("/hmp/trees", test_trees);
    qtest_add_func("/hmp/device-help", test_device_help);
    qtest_add_func("/hmp/device-add-del", test_device_add_del);
    qtest_add_func("/hmp/run-state", test_run_state);
    qtest_add_func("/hmp/migrate", test_migrate);
    qtest_add_func("/hmp/preconfig", test_preconfig);
    qtest_add_data_func("/hmp/readline/monitor", GINT_TO_POINTER(0),
                        test_readline);
    qtest_add_data_func("/hmp/readline/mon", GINT_TO_POINTER(1),
                        test_readline);
    qtest_add_func("/hmp/readline/mon-default-mode", test_mon_modes);
    ret = g_test_run();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return ret;
}
