/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pci-bridges-test: the bridges libvirt and QEMU's tests name besides
 * pcie-root-port -- ioh3420, i82801b11-bridge (dmi-to-pci-bridge) and
 * pcie-pci-bridge -- and virtio-mouse-pci: identity and capability
 * layout as a guest enumerates them, devices behind them, hot-add and
 * removal through them (ACPI, and native PCIe on ioh3420), and the
 * mouse's virtio-input configuration.
 */
#include <string.h>
#include "libqtest.h"
#include "libqmp.h"
#include "libqos/pci.h"
#include "libqos/pci-hotplug.h"
#include "libqos/virtio-pci.h"

/* Walk the capability list: ids in order, ending with 0. */
static void assert_caps(QPCIDevice *d, const uint8_t *want_off,
                        const uint8_t *want_id, int n)
{
    uint8_t off = qpci_config_readb(d, 0x34);

    g_assert_cmphex(qpci_config_readw(d, 0x06) & 0x10, ==, 0x10);
    for (int i = 0; i < n; i++) {
        g_assert_cmphex(off, ==, want_off[i]);
        g_assert_cmphex(qpci_config_readb(d, off), ==, want_id[i]);
        off = qpci_config_readb(d, off + 1);
    }
    g_assert_cmphex(off, ==, 0);
}

static void assert_ids(QPCIDevice *d, uint32_t vendev, uint8_t rev,
                       uint32_t class_prog, uint8_t header)
{
    g_assert_cmphex(qpci_config_readl(d, 0), ==, vendev);
    g_assert_cmphex(qpci_config_readb(d, 0x08), ==, rev);
    g_assert_cmphex(qpci_config_readl(d, 0x08) >> 8, ==, class_prog);
    g_assert_cmphex(qpci_config_readb(d, 0x0e), ==, header);
}

static void test_ioh3420_config(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults "
                                 "-device ioh3420,id=rp1,chassis=1,slot=5,"
                                 "addr=0x2");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice rp = qpci_device_at(bus, QPCI_DEVFN(2, 0));
    static const uint8_t off[] = { 0x90, 0x60, 0x40 };
    static const uint8_t id[] = { 0x10, 0x05, 0x0d };

    assert_ids(&rp, 0x34208086, 0x02, 0x060400, 0x01);
    assert_caps(&rp, off, id, 3);
    /* Two MSI vectors, maskable, 32-bit; SSVID 8086:0000. */
    g_assert_cmphex(qpci_config_readw(&rp, 0x62), ==, 0x0102);
    g_assert_cmphex(qpci_config_readl(&rp, 0x44), ==, 0x00008086);
    /* Root port with a hot-pluggable slot 5; link 2.5 GT/s x1 with L0s. */
    g_assert_cmphex(qpci_config_readw(&rp, 0x92) & 0x1f0, ==, 0x140);
    g_assert_cmphex(qpci_config_readl(&rp, 0x90 + 0x14) >> 19, ==, 5);
    g_assert_cmphex(qpci_config_readl(&rp, 0x90 + 0x14) & 0x40, ==, 0x40);
    g_assert_cmphex(qpci_config_readl(&rp, 0x90 + 0x0c) & 0x7ff, ==, 0x411);
    /* No BAR: the MSI-X table of pcie-root-port is not there. */
    qpci_config_writel(&rp, 0x10, 0xffffffff);
    g_assert_cmphex(qpci_config_readl(&rp, 0x10), ==, 0);
    /* Like any root port, (chassis, slot) is unique. */
    qtest_qmp_expect_error(qts, "GenericError", NULL,
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'ioh3420', 'id': 'rp2', "
                           "'chassis': 1, 'slot': 5, 'addr': '0x3'}}");
    qpci_free_pc(bus);
    qtest_quit(qts);
}

/* ioh3420 under ACPI hotplug (q35's default): as pcie-root-port. */
static void test_ioh3420_acpi_hotplug(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults "
                                 "-device ioh3420,id=rp1,chassis=1,slot=1,"
                                 "addr=0x2");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice dev;
    int bsel = acpi_pcihp_bsel(qts, "/machine/peripheral/rp1/rp1");
    g_autoptr(JsonObject) ev = NULL;

    g_assert_cmpint(bsel, >=, 0);
    g_assert_cmpint(qpci_secondary_buses_init(bus), ==, 1);
    qtest_qmp_device_add(qts, "virtio-mouse-pci", "m0", "{'bus': 'rp1'}");
    g_assert_cmphex(acpi_pcihp_up(qts, bsel), ==, 0x1);
    dev = qpci_device_at(bus, QPCI_BDF(1, 0, 0));
    g_assert_cmphex(qpci_config_readl(&dev, 0), ==, 0x10521af4);

    qtest_qmp_assert_success(qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'm0'}}");
    g_assert_cmphex(acpi_pcihp_down(qts, bsel), ==, 0x1);
    acpi_pcihp_eject(qts, bsel, 0);
    /* The virtio backend goes first (a path, no device id). */
    ev = qtest_qmp_eventwait_ref(qts, "DEVICE_DELETED");
    g_assert_cmpstr(json_object_get_string_member(
                        json_object_get_object_member(ev, "data"), "path"),
                    ==, "/machine/peripheral/m0/virtio-backend");
    g_clear_pointer(&ev, json_object_unref);
    ev = qtest_qmp_eventwait_ref(qts, "DEVICE_DELETED");
    g_assert_cmpstr(json_object_get_string_member(
                        json_object_get_object_member(ev, "data"), "device"),
                    ==, "m0");
    g_assert_cmphex(qpci_config_readw(&dev, 0), ==, 0xffff);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

/* Without ACPI hotplug the port's own slot does it (native PCIe). */
static void test_ioh3420_native_hotplug(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults -global "
                                 "ICH9-LPC.acpi-pci-hotplug-with-bridge-"
                                 "support=off "
                                 "-device ioh3420,id=rp1,chassis=1,slot=1,"
                                 "addr=0x2");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice rp = qpci_device_at(bus, QPCI_DEVFN(2, 0));
    QPCIDevice dev;

    g_assert_cmpint(qpci_secondary_buses_init(bus), ==, 1);
    dev = qpci_device_at(bus, QPCI_BDF(1, 0, 0));
    qtest_qmp_device_add(qts, "virtio-mouse-pci", "m0", "{'bus': 'rp1'}");
    g_assert_cmphex(qpcie_slot_status(&rp) & (SLTSTA_PDS | SLTSTA_PDC), ==,
                    SLTSTA_PDS | SLTSTA_PDC);
    /* Powered off until the guest says so. */
    g_assert_cmphex(qpci_config_readw(&dev, 0), ==, 0xffff);
    qpcie_slot_power_on(&rp);
    g_assert_cmphex(qpci_config_readl(&dev, 0), ==, 0x10521af4);

    /* Removal: the attention button, then the guest powers off. */
    qpcie_slot_clear_status(&rp, 0xffff);
    qtest_qmp_assert_success(qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'm0'}}");
    g_assert_cmphex(qpcie_slot_status(&rp) & SLTSTA_ABP, ==, SLTSTA_ABP);
    qpcie_slot_power_off(&rp);
    qtest_qmp_eventwait(qts, "DEVICE_DELETED");
    g_assert_cmphex(qpcie_slot_status(&rp) & SLTSTA_PDS, ==, 0);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_i82801b11(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults "
                                 "-device i82801b11-bridge,id=dmi,addr=0x3 "
                                 "-device pci-testdev,bus=dmi,addr=0x1");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice br = qpci_device_at(bus, QPCI_DEVFN(3, 0));
    QPCIDevice dev;
    static const uint8_t off[] = { 0x50 };
    static const uint8_t id[] = { 0x0d };
    int bsel = acpi_pcihp_bsel(qts, "/machine/peripheral/dmi/dmi");

    assert_ids(&br, 0x244e8086, 0x92, 0x060401, 0x01);
    assert_caps(&br, off, id, 1);
    g_assert_cmphex(qpci_config_readl(&br, 0x54), ==, 0);
    g_assert_cmphex(qpci_config_readb(&br, 0x3d), ==, 0);

    /* The cold-plugged device is found behind it, on bus 1. */
    g_assert_cmpint(qpci_secondary_buses_init(bus), ==, 1);
    dev = qpci_device_at(bus, QPCI_BDF(1, 1, 0));
    g_assert_cmphex(qpci_config_readl(&dev, 0), ==, 0x00051b36);

    /* Its bus takes hot-plugged conventional PCI devices (ACPI). */
    g_assert_cmpint(bsel, >=, 0);
    qtest_qmp_device_add(qts, "virtio-mouse-pci", "m0",
                         "{'bus': 'dmi', 'addr': '0x2'}");
    g_assert_cmphex(acpi_pcihp_up(qts, bsel), ==, 0x4);
    dev = qpci_device_at(bus, QPCI_BDF(1, 2, 0));
    g_assert_cmphex(qpci_config_readl(&dev, 0), ==, 0x10521af4);
    qtest_qmp_assert_success(qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'm0'}}");
    acpi_pcihp_eject(qts, bsel, 2);
    qtest_qmp_eventwait(qts, "DEVICE_DELETED");
    g_assert_cmphex(qpci_config_readw(&dev, 0), ==, 0xffff);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_pcie_pci_bridge(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults "
                                 "-device pcie-root-port,id=p1,chassis=1,"
                                 "addr=0x2 "
                                 "-device pcie-pci-bridge,id=b1,bus=p1");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice br, dev;
    static const uint8_t off[] = { 0x8c, 0x84, 0x48 };
    static const uint8_t id[] = { 0x05, 0x01, 0x10 };
    int bsel = acpi_pcihp_bsel(qts, "/machine/peripheral/b1/b1");

    g_assert_cmpint(qpci_secondary_buses_init(bus), ==, 2);
    br = qpci_device_at(bus, QPCI_BDF(1, 0, 0));
    assert_ids(&br, 0x000e1b36, 0x00, 0x060400, 0x01);
    assert_caps(&br, off, id, 3);
    /* A PCI Express to PCI bridge, no slot; AER at 0x100. */
    g_assert_cmphex(qpci_config_readw(&br, 0x4a), ==, 0x0072);
    g_assert_cmphex(qpci_config_readw(&br, 0x86), ==, 0x0003);
    g_assert_cmphex(qpci_config_readw(&br, 0x8e), ==, 0x0180);
    g_assert_cmphex(qpci_config_readb(&br, 0x3d), ==, 1);

    /* Hot-add below it (ACPI), then remove. */
    g_assert_cmpint(bsel, >=, 0);
    qtest_qmp_device_add(qts, "pci-testdev", "t0",
                         "{'bus': 'b1', 'addr': '0x1'}");
    g_assert_cmphex(acpi_pcihp_up(qts, bsel), ==, 0x2);
    dev = qpci_device_at(bus, QPCI_BDF(2, 1, 0));
    g_assert_cmphex(qpci_config_readl(&dev, 0), ==, 0x00051b36);
    qtest_qmp_assert_success(qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 't0'}}");
    acpi_pcihp_eject(qts, bsel, 1);
    qtest_qmp_eventwait(qts, "DEVICE_DELETED");
    g_assert_cmphex(qpci_config_readw(&dev, 0), ==, 0xffff);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static uint8_t input_cfg(QVirtioPCIDevice *v, uint8_t select, uint8_t subsel,
                         uint8_t *buf)
{
    qpci_io_writeb(&v->pdev, v->bar, v->device + 0, select);
    qpci_io_writeb(&v->pdev, v->bar, v->device + 1, subsel);
    for (int i = 0; i < 128; i++) {
        buf[i] = qpci_io_readb(&v->pdev, v->bar, v->device + 8 + i);
    }
    return qpci_io_readb(&v->pdev, v->bar, v->device + 2);
}

static void test_virtio_mouse(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults "
                                 "-device virtio-mouse-pci,id=m0,addr=0x4");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice d = qpci_device_at(bus, QPCI_DEVFN(4, 0));
    QVirtioPCIDevice v;
    uint8_t buf[128];
    static const uint8_t ids[8] = { 0x06, 0, 0x27, 0x06, 0x02, 0, 0x02, 0 };

    /* Modern only: 1af4:1052 revision 1, class 0902 (mouse). */
    assert_ids(&d, 0x10521af4, 0x01, 0x090200, 0x00);
    g_assert_cmphex(qpci_config_readl(&d, 0x2c), ==, 0x11001af4);
    g_assert_true(qvirtio_pci_init(&v, bus, QPCI_DEVFN(4, 0)));
    g_assert_true(v.modern);
    g_assert_cmpuint(v.vdev.device_type, ==, 18);
    g_assert_true(qvirtio_get_features(&v.vdev) &
                  (1ULL << QVIRTIO_F_VERSION_1));
    /* Two queues of 64. */
    for (int q = 0; q < 2; q++) {
        v.vdev.bus->queue_select(&v.vdev, q);
        g_assert_cmpuint(v.vdev.bus->queue_size(&v.vdev), ==, 64);
    }
    v.vdev.bus->queue_select(&v.vdev, 2);
    g_assert_cmpuint(v.vdev.bus->queue_size(&v.vdev), ==, 0);

    g_assert_cmpuint(input_cfg(&v, 0x01, 0, buf), ==, 18);
    g_assert_cmpstr((char *)buf, ==, "QEMU Virtio Mouse");
    g_assert_cmpuint(input_cfg(&v, 0x03, 0, buf), ==, 8);
    g_assert_cmpmem(buf, 8, ids, 8);
    /* EV_REL: X, Y, wheel. */
    g_assert_cmpuint(input_cfg(&v, 0x11, 0x02, buf), ==, 2);
    g_assert_cmphex(buf[0], ==, 0x03);
    g_assert_cmphex(buf[1], ==, 0x01);
    /* EV_KEY: BTN_LEFT..BTN_EXTRA, BTN_TOUCH, BTN_GEAR_DOWN/UP. */
    g_assert_cmpuint(input_cfg(&v, 0x11, 0x01, buf), ==, 43);
    g_assert_cmphex(buf[0x110 / 8], ==, 0x1f);
    g_assert_cmphex(buf[0x14a / 8], ==, 1 << (0x14a % 8));
    g_assert_cmphex(buf[0x150 / 8], ==, 0x03);
    /* Unknown selectors and no serial: size 0, zeros. */
    g_assert_cmpuint(input_cfg(&v, 0x02, 0, buf), ==, 0);
    g_assert_cmpuint(input_cfg(&v, 0x11, 0x03, buf), ==, 0);
    g_assert_cmphex(buf[0], ==, 0);
    g_assert_cmpuint(input_cfg(&v, 0xff, 0xff, buf), ==, 0);
    qpci_free_pc(bus);
    qtest_quit(qts);

    /* A serial and no wheel axis, as the properties say. */
    qts = qtest_init("-M q35 -nodefaults -device virtio-mouse-pci,addr=0x4,"
                     "serial=abc,wheel-axis=off");
    bus = qpci_new_pc(qts);
    g_assert_true(qvirtio_pci_init(&v, bus, QPCI_DEVFN(4, 0)));
    g_assert_cmpuint(input_cfg(&v, 0x02, 0, buf), ==, 3);
    g_assert_cmpstr((char *)buf, ==, "abc");
    g_assert_cmpuint(input_cfg(&v, 0x11, 0x02, buf), ==, 1);
    g_assert_cmpuint(input_cfg(&v, 0x03, 0, buf), ==, 8);
    g_assert_cmphex(buf[6], ==, 0x01);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/pci-bridges/ioh3420/config", test_ioh3420_config);
    qtest_add_func("/pci-bridges/ioh3420/acpi-hotplug",
                   test_ioh3420_acpi_hotplug);
    qtest_add_func("/pci-bridges/ioh3420/native-hotplug",
                   test_ioh3420_native_hotplug);
    qtest_add_func("/pci-bridges/i82801b11", test_i82801b11);
    qtest_add_func("/pci-bridges/pcie-pci-bridge", test_pcie_pci_bridge);
    qtest_add_func("/pci-bridges/virtio-mouse", test_virtio_mouse);
    return g_test_run();
}
