/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pci-test: BARs as a guest driver maps them (memory, I/O, 64-bit, the
 * command register gating decode), bus numbering and overlapping root port
 * windows the way libqos programs them, query-pci of bridges and
 * devices behind them, and the errors of device placement.
 */
#include <unistd.h>
#include "libqtest.h"
#include "libqos/pci.h"

#define PCI_COMMAND 0x04

static JsonArray *query_pci_bus0(QTestState *qts, JsonNode **keep)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-pci'}");
    JsonObject *bus0 = json_array_get_object_element(json_node_get_array(ret),
                                                     0);

    *keep = ret;
    return json_object_get_array_member(bus0, "devices");
}

static JsonObject *find_dev(JsonArray *devs, int slot, int fn)
{
    for (guint i = 0; devs && i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);

        if (json_object_get_int_member(d, "slot") == slot &&
            json_object_get_int_member(d, "function") == fn) {
            return d;
        }
    }
    return NULL;
}

static JsonObject *find_region(JsonObject *dev, int bar)
{
    JsonArray *r = json_object_get_array_member(dev, "regions");

    for (guint i = 0; i < json_array_get_length(r); i++) {
        JsonObject *o = json_array_get_object_element(r, i);
        if (json_object_get_int_member(o, "bar") == bar) {
            return o;
        }
    }
    return NULL;
}

static void test_bar_mapping(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults "
                                 "-device pci-testdev,id=t0,addr=0x3,"
                                 "membar=64K");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice dev = qpci_device_at(bus, QPCI_DEVFN(3, 0));
    g_autoptr(JsonNode) q1 = NULL, q2 = NULL, q3 = NULL;
    QPCIBar mem, io, pref;
    uint64_t size;
    JsonObject *d, *r;

    g_assert_cmphex(qpci_config_readl(&dev, 0), ==, 0x00051b36);
    /* BAR types as the hardware shows them before sizing. */
    g_assert_cmphex(qpci_config_readl(&dev, 0x10), ==, 0x0);
    g_assert_cmphex(qpci_config_readl(&dev, 0x14), ==, 0x1);
    g_assert_cmphex(qpci_config_readl(&dev, 0x18), ==, 0xc);
    mem = qpci_iomap(&dev, 0, &size);
    g_assert_cmpuint(size, ==, 4096);
    io = qpci_iomap(&dev, 1, &size);
    g_assert_cmpuint(size, ==, 256);
    pref = qpci_iomap(&dev, 2, &size);
    g_assert_cmpuint(size, ==, 64 * 1024);
    g_assert_cmphex(mem.addr, ==, 0xe0000000);
    g_assert_cmphex(io.addr, ==, 0xc000);
    g_assert_cmphex(pref.addr, ==, 0xe0010000);

    /* Not decoded until the command register says so. */
    d = find_dev(query_pci_bus0(qts, &q1), 3, 0);
    g_assert_cmpint(json_object_get_int_member(find_region(d, 0), "address"),
                    ==, -1);
    qpci_io_writel(&dev, mem, 0x10, 0x12345678);
    g_assert_cmphex(qpci_io_readl(&dev, mem, 0x10), ==, 0);
    g_assert_cmphex(qpci_io_readl(&dev, io, 0x10), ==, 0xffffffff);

    qpci_device_enable(&dev);
    qpci_io_writel(&dev, mem, 0x10, 0x12345678);
    g_assert_cmphex(qpci_io_readl(&dev, mem, 0x10), ==, 0x12345678);
    qpci_io_writew(&dev, io, 0x20, 0xbeef);
    g_assert_cmphex(qpci_io_readw(&dev, io, 0x20), ==, 0xbeef);
    qpci_io_writeq(&dev, pref, 0x8, 0x1122334455667788ULL);
    g_assert_cmphex(qpci_io_readq(&dev, pref, 0x8), ==, 0x1122334455667788ULL);

    d = find_dev(query_pci_bus0(qts, &q2), 3, 0);
    g_assert_cmpstr(json_object_get_string_member(d, "qdev_id"), ==, "t0");
    r = find_region(d, 0);
    g_assert_cmpint(json_object_get_int_member(r, "address"), ==, 0xe0000000);
    g_assert_cmpint(json_object_get_int_member(r, "size"), ==, 4096);
    g_assert_false(json_object_get_boolean_member(r, "prefetch"));
    r = find_region(d, 1);
    g_assert_cmpstr(json_object_get_string_member(r, "type"), ==, "io");
    g_assert_cmpint(json_object_get_int_member(r, "address"), ==, 0xc000);
    r = find_region(d, 2);
    g_assert_true(json_object_get_boolean_member(r, "prefetch"));
    g_assert_true(json_object_get_boolean_member(r, "mem_type_64"));
    g_assert_cmpint(json_object_get_int_member(r, "address"), ==, 0xe0010000);

    /* A 64-bit BAR may live above 4 GiB. */
    qpci_config_writel(&dev, 0x1c, 0x1);
    g_assert_cmphex(qtest_readq(qts, 0x1e0010008ULL), ==,
                    0x1122334455667788ULL);
    qpci_config_writel(&dev, 0x1c, 0x0);

    /* Clearing MEMORY unmaps memory BARs but keeps I/O. */
    qpci_config_writew(&dev, PCI_COMMAND, 0x1);
    g_assert_cmphex(qpci_io_readl(&dev, mem, 0x10), ==, 0);
    g_assert_cmphex(qpci_io_readw(&dev, io, 0x20), ==, 0xbeef);
    d = find_dev(query_pci_bus0(qts, &q3), 3, 0);
    g_assert_cmpint(json_object_get_int_member(find_region(d, 0), "address"),
                    ==, -1);
    g_assert_cmpint(json_object_get_int_member(find_region(d, 1), "address"),
                    ==, 0xc000);

    /*
     * A 32-bit BAR reaching the last byte below 4 GiB does not decode
     * (QEMU's rule), one page lower it does; address 0 never does.
     */
    qpci_config_writew(&dev, PCI_COMMAND, 0x3);
    qpci_config_writel(&dev, 0x10, 0xffffe000);
    qtest_writel(qts, 0xffffe010, 0x1);
    g_assert_cmphex(qtest_readl(qts, 0xffffe010), ==, 0x1);
    qpci_config_writel(&dev, 0x10, 0xfffff000);
    g_assert_cmphex(qtest_readl(qts, 0xfffff010), ==, 0);
    qpci_config_writel(&dev, 0x10, 0);
    g_assert_cmphex(qtest_readl(qts, 0x10), ==, 0);

    qpci_free_pc(bus);
    qtest_quit(qts);
}

/* The libqos machine_start() of the failover test: N root ports. */
static void test_root_port_windows(void)
{
    enum { N = 4 };
    GString *cmd = g_string_new("-M q35 -nodefaults ");
    QTestState *qts;
    QPCIBus *bus;
    QPCIBar bars[N];
    g_autoptr(JsonNode) q = NULL;
    JsonArray *devs;

    for (int i = 0; i < N; i++) {
        g_string_append_printf(cmd, "-device pcie-root-port,id=root%d,"
                               "chassis=1,slot=%d,addr=0x%x "
                               "-device pci-testdev,id=t%d,bus=root%d ",
                               i, i + 1, i + 1, i, i);
    }
    qts = qtest_init(cmd->str);
    g_string_free(cmd, true);
    bus = qpci_new_pc(qts);

    /* Before numbering, the devices behind the ports are unreachable. */
    {
        QPCIDevice d = qpci_device_at(bus, QPCI_BDF(1, 0, 0));
        g_assert_cmphex(qpci_config_readw(&d, 0), ==, 0xffff);
    }
    devs = query_pci_bus0(qts, &q);
    g_assert_false(json_object_has_member(json_object_get_object_member(
        find_dev(devs, 1, 0), "pci_bridge"), "devices"));
    g_clear_pointer(&q, json_node_unref);

    g_assert_cmpint(qpci_secondary_buses_init(bus), ==, N);
    for (int i = 1; i <= N; i++) {
        QPCIDevice rp = qpci_device_at(bus, QPCI_DEVFN(i, 0));
        QPCIDevice dev = qpci_device_at(bus, QPCI_BDF(i, 0, 0));

        g_assert_cmphex(qpci_config_readl(&rp, 0x18), ==,
                        (i << 16) | (i << 8));
        qpci_device_enable(&rp);
        qpci_iomap(&rp, 4, NULL);   /* the memory window, as libqos does */
        g_assert_cmphex(qpci_config_readl(&rp, 0x20), ==,
                        0xe0000000 + 16 * (i - 1));
        g_assert_cmphex(qpci_config_readl(&dev, 0), ==, 0x00051b36);
    }
    /* Map one BAR per device: the windows overlap, the BARs do not. */
    for (int i = 1; i <= N; i++) {
        QPCIDevice dev = qpci_device_at(bus, QPCI_BDF(i, 0, 0));

        bars[i - 1] = qpci_iomap(&dev, 0, NULL);
        qpci_device_enable(&dev);
        qpci_io_writel(&dev, bars[i - 1], 0, 0xc0de0000 + i);
    }
    g_assert_cmphex(bars[0].addr, ==, 0xe0001000);
    for (int i = 1; i <= N; i++) {
        QPCIDevice dev = qpci_device_at(bus, QPCI_BDF(i, 0, 0));
        g_assert_cmphex(qpci_io_readl(&dev, bars[i - 1], 0), ==,
                        0xc0de0000 + i);
    }
    /* RAM under the first window's range is not hidden. */
    qtest_writel(qts, 0x100000, 0xfeedf00d);
    g_assert_cmphex(qtest_readl(qts, 0x100000), ==, 0xfeedf00d);

    /* query-pci now shows the bridges' buses and their devices. */
    devs = query_pci_bus0(qts, &q);
    for (int i = 1; i <= N; i++) {
        JsonObject *br = json_object_get_object_member(find_dev(devs, i, 0),
                                                       "pci_bridge");
        JsonObject *b = json_object_get_object_member(br, "bus");
        JsonObject *mr = json_object_get_object_member(b, "memory_range");
        JsonObject *io = json_object_get_object_member(b, "io_range");
        JsonArray *sub = json_object_get_array_member(br, "devices");
        JsonObject *t = find_dev(sub, 0, 0);
        g_autofree char *id = g_strdup_printf("t%d", i - 1);

        g_assert_cmpint(json_object_get_int_member(b, "number"), ==, 0);
        g_assert_cmpint(json_object_get_int_member(b, "secondary"), ==, i);
        g_assert_cmpint(json_object_get_int_member(b, "subordinate"), ==, i);
        g_assert_cmpint(json_object_get_int_member(mr, "base"), ==,
                        (i - 1) << 20);
        g_assert_cmpint(json_object_get_int_member(mr, "limit"), ==,
                        0xe00fffff);
        g_assert_cmpint(json_object_get_int_member(io, "base"), ==, 61440);
        g_assert_cmpint(json_object_get_int_member(io, "limit"), ==, 4095);
        g_assert_cmpint(json_object_get_int_member(t, "bus"), ==, i);
        g_assert_cmpstr(json_object_get_string_member(t, "qdev_id"), ==, id);
        g_assert_false(json_object_has_member(
            json_object_get_object_member(find_dev(devs, i, 0), "id"),
            "subsystem"));
    }
    g_clear_pointer(&q, json_node_unref);

    /* After a reset the bus numbers are gone again. */
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    /* The reset runs from the main loop after the reply; RESET says done. */
    qtest_qmp_eventwait(qts, "RESET");
    devs = query_pci_bus0(qts, &q);
    g_assert_false(json_object_has_member(json_object_get_object_member(
        find_dev(devs, 1, 0), "pci_bridge"), "devices"));
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_placement_errors(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults "
                                 "-device pcie-root-port,id=root0,chassis=1,"
                                 "slot=1,addr=0x1");

    qtest_qmp_assert_success(qts,
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'root0', 'id': 'x'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "PCI: slot 0 function 0 not available for pci-testdev, in use by "
        "pci-testdev,id \"x\"",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'root0', 'id': 'y', 'addr': '0'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Bus 'pcie.0' does not support hotplugging",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'pcie.0', 'addr': '0x1'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Property 'pci-testdev.addr' doesn't take value '0x20'",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'root0', 'addr': '0x20'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Property 'pci-testdev.addr' doesn't take value '1.8'",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'root0', 'addr': '1.8'}}");
    qtest_qmp_expect_error(qts, "GenericError", NULL,
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'root0', 'membar': '3000'}}");
    qtest_quit(qts);
}

static void test_option_rom(void)
{
    g_autofree char *rom = NULL;
    g_autofree char *args = NULL;
    uint8_t image[3000];
    QTestState *qts;
    QPCIBus *bus;
    QPCIDevice dev;
    g_autoptr(JsonNode) q = NULL;
    JsonObject *r;
    int fd;

    fd = g_file_open_tmp("baton-rom-XXXXXX", &rom, NULL);
    g_assert_cmpint(fd, >=, 0);
    for (size_t i = 0; i < sizeof(image); i++) {
        image[i] = i * 7;
    }
    image[0] = 0x55;
    image[1] = 0xaa;
    g_assert_cmpint(write(fd, image, sizeof(image)), ==, sizeof(image));
    close(fd);
    args = g_strdup_printf("-M q35 -nodefaults "
                           "-device pcie-root-port,id=root0,chassis=1,"
                           "slot=1,addr=0x1 "
                           "-device pci-testdev,addr=0x4,romfile=%s", rom);
    qts = qtest_init(args);
    bus = qpci_new_pc(qts);
    dev = qpci_device_at(bus, QPCI_DEVFN(4, 0));

    /* A 3000-byte image gets a 4 KiB ROM BAR, decoded only when enabled. */
    qpci_config_writel(&dev, 0x30, 0xffffffff);
    g_assert_cmphex(qpci_config_readl(&dev, 0x30), ==, 0xfffff001);
    qpci_config_writel(&dev, 0x30, 0xe0100000);
    qpci_config_writew(&dev, PCI_COMMAND, 0x2);
    r = find_region(find_dev(query_pci_bus0(qts, &q), 4, 0), 6);
    g_assert_cmpint(json_object_get_int_member(r, "size"), ==, 4096);
    g_assert_cmpint(json_object_get_int_member(r, "address"), ==, -1);
    g_assert_cmphex(qtest_readw(qts, 0xe0100000), ==, 0);
    qpci_config_writel(&dev, 0x30, 0xe0100001);
    g_assert_cmphex(qtest_readw(qts, 0xe0100000), ==, 0xaa55);
    g_assert_cmphex(qtest_readb(qts, 0xe0100000 + 100), ==, (uint8_t)700);

    /* Hot-plug: romfile without a ROM BAR, or a missing file, fail. */
    qtest_qmp_expect_error(qts, "GenericError",
        "Hot-plugged device without ROM bar can't have an option ROM",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'root0', 'rombar': 0, 'romfile': '%s'}}", rom);
    qtest_qmp_expect_error(qts, "GenericError",
        "failed to find romfile \"/no/such.rom\"",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'root0', 'romfile': '/no/such.rom'}}");
    qtest_qmp_assert_success(qts,
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'root0', 'rombar': 0, 'romfile': ''}}");
    qpci_free_pc(bus);
    qtest_quit(qts);
    unlink(rom);
}

static void expect_start_failure(const char *args, const char *msg)
{
    g_autofree char *cmd = g_strdup_printf("%s -M q35 -nodefaults "
                                           "-display none %s",
                                           getenv("QTEST_QEMU_BINARY"),
                                           args);
    g_autofree char *out = NULL, *err = NULL;
    int status;

    g_assert_true(g_spawn_command_line_sync(cmd, &out, &err, &status,
                                            NULL));
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    if (!strstr(err, msg)) {
        g_printerr("stderr: %s\nexpected: %s\n", err, msg);
        g_assert_not_reached();
    }
}

static void test_coldplug_errors(void)
{
    expect_start_failure("-device pcie-root-port,id=root0,chassis=1,"
                         "slot=1,addr=0x1 -device pci-testdev,addr=0x1",
        "PCI: slot 1 function 0 not available for pci-testdev, in use by "
        "pcie-root-port,id \"root0\"");
    expect_start_failure("-device pci-testdev,addr=0x1f.0",
        "PCI: slot 31 function 0 not available for pci-testdev, in use by "
        "ICH9-LPC,id \"(null)\"");
    expect_start_failure("-device pci-testdev,addr=0x5.1 "
                         "-device pci-testdev,addr=0x5",
        "PCI: 5.0 indicates single function, but 5.1 is already "
        "populated.");
    expect_start_failure("-device pci-testdev,addr=0x5 "
                         "-device pci-testdev,addr=0x5.1",
        "PCI: single function device can't be populated in function 5.1");
    expect_start_failure("-device pcie-root-port,chassis=1,slot=1 "
                         "-device pcie-root-port,chassis=1,slot=1",
        "Can't add chassis slot, error -16");
}

static void test_multifunction(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults "
                                 "-device pci-testdev,addr=0x5.0,"
                                 "multifunction=on "
                                 "-device pci-testdev,addr=0x5.1");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice f0 = qpci_device_at(bus, QPCI_DEVFN(5, 0));
    QPCIDevice f1 = qpci_device_at(bus, QPCI_DEVFN(5, 1));

    g_assert_cmphex(qpci_config_readb(&f0, 0x0e), ==, 0x80);
    g_assert_cmphex(qpci_config_readb(&f1, 0x0e), ==, 0x00);
    g_assert_cmphex(qpci_config_readw(&f1, 0), ==, 0x1b36);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/pci/bar-mapping", test_bar_mapping);
    qtest_add_func("/pci/root-port-windows", test_root_port_windows);
    qtest_add_func("/pci/placement-errors", test_placement_errors);
    qtest_add_func("/pci/coldplug-errors", test_coldplug_errors);
    qtest_add_func("/pci/multifunction", test_multifunction);
    qtest_add_func("/pci/option-rom", test_option_rom);
    return g_test_run();
}
