/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcie-hotplug-test: native PCI Express hotplug, as with
 * ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off.  The guest drives
 * the root port's slot registers: it sees presence and attention button
 * events, powers the slot on to use a new device, and powers it off to
 * let a device go.
 */
#include "libqtest.h"
#include "libqos/pci.h"
#include "libqos/pci-hotplug.h"
#include "libqos/malloc.h"

#define MACHINE "-M q35 -nodefaults " \
    "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off " \
    "-device pcie-root-port,id=root0,chassis=1,slot=1,addr=0x1 " \
    "-device pcie-root-port,id=root1,chassis=1,slot=2,addr=0x2 " \
    "-device pcie-root-port,id=root2,chassis=1,slot=3,addr=0x3,hotplug=off " \
    "-device pci-testdev,id=cold0,bus=root0 "

typedef struct Fixture {
    QTestState *qts;
    QPCIBus *bus;
    QPCIDevice rp0, rp1, rp2;
} Fixture;

static void setup(Fixture *f)
{
    f->qts = qtest_init(MACHINE);
    f->bus = qpci_new_pc(f->qts);
    f->rp0 = qpci_device_at(f->bus, QPCI_DEVFN(1, 0));
    f->rp1 = qpci_device_at(f->bus, QPCI_DEVFN(2, 0));
    f->rp2 = qpci_device_at(f->bus, QPCI_DEVFN(3, 0));
    g_assert_cmpint(qpci_secondary_buses_init(f->bus), ==, 3);
}

static void teardown(Fixture *f)
{
    qpci_free_pc(f->bus);
    qtest_quit(f->qts);
}

static uint32_t vendor_on_bus(Fixture *f, int busnr)
{
    QPCIDevice d = qpci_device_at(f->bus, QPCI_BDF(busnr, 0, 0));

    return qpci_config_readl(&d, 0);
}

static void test_native_mode(void)
{
    Fixture f;

    setup(&f);
    /* The ACPI hotplug registers are not there. */
    g_assert_cmphex(qtest_inl(f.qts, ACPI_PCIHP_UP), ==, 0xffffffff);
    /* Cold-plugged: present, link up, slot powered. */
    g_assert_cmphex(qpcie_slot_status(&f.rp0), ==, SLTSTA_PDS);
    g_assert_cmphex(qpci_config_readw(&f.rp0, 0x66) & 0x2000, ==, 0x2000);
    g_assert_cmphex(qpcie_slot_control(&f.rp0), ==, 0x03c0);
    g_assert_cmphex(qpcie_slot_status(&f.rp1), ==, 0);
    g_assert_cmphex(qpcie_slot_control(&f.rp1), ==, 0x07c0);
    /* hotplug=off clears Hot-Plug Surprise/Capable. */
    g_assert_cmphex(qpci_config_readl(&f.rp2, 0x68) & 0x60, ==, 0);
    g_assert_cmphex(vendor_on_bus(&f, 1), ==, 0x00051b36);
    teardown(&f);
}

static void test_hot_add_power_on_remove(void)
{
    Fixture f;
    g_autoptr(JsonObject) ev = NULL;

    setup(&f);
    qtest_qmp_device_add(f.qts, "pci-testdev", "hp1", "{'bus': 'root1'}");
    g_assert_cmphex(qpcie_slot_status(&f.rp1), ==,
                    SLTSTA_PDS | SLTSTA_PDC | SLTSTA_ABP);
    g_assert_cmphex(qpci_config_readw(&f.rp1, 0x66) & 0x2000, ==, 0x2000);
    /* The slot is still off: the function is not reachable yet. */
    g_assert_cmphex(qpcie_slot_control(&f.rp1) & SLTCTL_PCC, ==, SLTCTL_PCC);
    g_assert_cmphex(vendor_on_bus(&f, 2), ==, 0xffffffff);
    qpcie_slot_clear_status(&f.rp1, SLTSTA_PDC | SLTSTA_ABP);
    qpcie_slot_power_on(&f.rp1);
    g_assert_cmphex(qpcie_slot_status(&f.rp1), ==, SLTSTA_PDS | SLTSTA_CC);
    g_assert_cmphex(vendor_on_bus(&f, 2), ==, 0x00051b36);
    qpcie_slot_clear_status(&f.rp1, SLTSTA_CC);

    /* device_del pushes the attention button and waits for the guest. */
    qtest_qmp_assert_success(f.qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'hp1'}}");
    g_assert_cmphex(qpcie_slot_status(&f.rp1), ==, SLTSTA_PDS | SLTSTA_ABP);
    g_assert_null(qtest_qmp_event_ref(f.qts, "DEVICE_DELETED"));
    qtest_qmp_expect_error(f.qts, "GenericError",
                           "Device hp1 is already in the process of unplug",
                           "{'execute': 'device_del', "
                           "'arguments': {'id': 'hp1'}}");
    /* The request expires after 5 s of virtual time. */
    qtest_clock_step(f.qts, 5 * 1000 * 1000 * 1000LL + 1000000);
    qtest_qmp_assert_success(f.qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'hp1'}}");

    /* Blinking power indicator: the guest is busy. */
    qpcie_slot_write_control(&f.rp1, (qpcie_slot_control(&f.rp1) &
                                      ~SLTCTL_PIC) | SLTCTL_PIC_BLINK);
    qtest_clock_step(f.qts, 6 * 1000 * 1000 * 1000LL);
    qtest_qmp_expect_error(f.qts, "GenericError",
        "Hot-unplug failed: guest is busy (power indicator blinking)",
        "{'execute': 'device_del', 'arguments': {'id': 'hp1'}}");

    /* Power off with the indicator off: the device is gone. */
    qpcie_slot_power_off(&f.rp1);
    ev = qtest_qmp_eventwait_ref(f.qts, "DEVICE_DELETED");
    g_assert_cmpstr(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "device"), ==, "hp1");
    g_assert_cmphex(qpcie_slot_status(&f.rp1) & (SLTSTA_PDS | SLTSTA_PDC),
                    ==, SLTSTA_PDC);
    g_assert_cmphex(qpci_config_readw(&f.rp1, 0x66) & 0x2000, ==, 0);
    g_assert_cmphex(vendor_on_bus(&f, 2), ==, 0xffffffff);
    teardown(&f);
}

static void test_unplug_cold_device(void)
{
    Fixture f;

    setup(&f);
    qtest_qmp_assert_success(f.qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'cold0'}}");
    g_assert_cmphex(qpcie_slot_status(&f.rp0), ==, SLTSTA_PDS | SLTSTA_ABP);
    /* A guest that never answers: the device stays. */
    g_assert_cmphex(vendor_on_bus(&f, 1), ==, 0x00051b36);
    g_assert_null(qtest_qmp_event_ref(f.qts, "DEVICE_DELETED"));
    qpcie_slot_power_off(&f.rp0);
    qtest_qmp_eventwait(f.qts, "DEVICE_DELETED");
    teardown(&f);
}

static void test_unplug_powered_off_slot(void)
{
    Fixture f;

    setup(&f);
    /* Added but never powered on: removal needs no guest. */
    qtest_qmp_device_add(f.qts, "pci-testdev", "hp1", "{'bus': 'root1'}");
    qtest_qmp_assert_success(f.qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'hp1'}}");
    qtest_qmp_eventwait(f.qts, "DEVICE_DELETED");
    g_assert_cmphex(qpcie_slot_status(&f.rp1) & SLTSTA_PDS, ==, 0);
    teardown(&f);
}

static void test_errors(void)
{
    Fixture f;

    setup(&f);
    qtest_qmp_expect_error(f.qts, "GenericError",
        "Hot-plug failed: unsupported by the port device 'root2'",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'root2'}}");
    qtest_qmp_expect_error(f.qts, "GenericError",
        "Bus 'pcie.0' does not support hotplugging",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'pcie.0'}}");
    /* Slot register writes in any order do no harm. */
    for (uint32_t v = 0; v < 0x10000; v += 0x0fff) {
        qpcie_slot_write_control(&f.rp1, v);
        qpcie_slot_clear_status(&f.rp1, v);
        qpcie_slot_write_control(&f.rp0, v & ~0x0400);
    }
    qtest_qmp_assert_success(f.qts, "{'execute': 'query-pci'}");
    teardown(&f);
}

static void test_intx(void)
{
    Fixture f;

    setup(&f);
    qtest_irq_intercept_in(f.qts, "ioapic");
    /* Port at slot 2, INTA: PIRQ (2 + 0) % 4 + 4 = G, GSI 22. */
    qpci_device_enable(&f.rp1);
    qpcie_slot_write_control(&f.rp1, 0x07c0 | SLTCTL_HPIE | SLTCTL_PDCE |
                             SLTCTL_ABPE);
    qpcie_slot_clear_status(&f.rp1, 0xffff);
    g_assert_false(qtest_get_irq(f.qts, 22));
    qtest_qmp_device_add(f.qts, "pci-testdev", "hp1", "{'bus': 'root1'}");
    g_assert_true(qtest_get_irq(f.qts, 22));
    qpcie_slot_clear_status(&f.rp1, SLTSTA_PDC | SLTSTA_ABP);
    g_assert_false(qtest_get_irq(f.qts, 22));
    /* With INTx disabled in the command register the line stays low. */
    qpcie_slot_power_on(&f.rp1);
    qpcie_slot_clear_status(&f.rp1, 0xffff);
    qpci_config_writew(&f.rp1, 0x04, 0x0407);
    qtest_qmp_assert_success(f.qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'hp1'}}");
    g_assert_cmphex(qpcie_slot_status(&f.rp1) & SLTSTA_ABP, ==, SLTSTA_ABP);
    g_assert_false(qtest_get_irq(f.qts, 22));
    qpci_config_writew(&f.rp1, 0x04, 0x0007);
    g_assert_true(qtest_get_irq(f.qts, 22));
    teardown(&f);
}

static void test_msix(void)
{
    Fixture f;
    QGuestAllocator alloc;
    uint64_t target;
    QPCIBar table;

    setup(&f);
    pc_alloc_init(&alloc, f.qts);
    target = guest_alloc(&alloc, 4);
    qtest_writel(f.qts, target, 0);
    table = qpci_iomap(&f.rp1, 0, NULL);
    qpci_device_enable(&f.rp1);
    qpci_msix_set_vector(&f.rp1, table, 0, target, 0x4321);
    qpci_msix_enable(&f.rp1);
    qpcie_slot_write_control(&f.rp1, 0x07c0 | SLTCTL_HPIE | SLTCTL_PDCE);
    qpcie_slot_clear_status(&f.rp1, 0xffff);
    g_assert_cmphex(qtest_readl(f.qts, target), ==, 0);
    qtest_qmp_device_add(f.qts, "pci-testdev", "hp1", "{'bus': 'root1'}");
    g_assert_cmphex(qtest_readl(f.qts, target), ==, 0x4321);
    alloc_destroy(&alloc);
    teardown(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/pcie-hotplug/native-mode", test_native_mode);
    qtest_add_func("/pcie-hotplug/add-power-remove",
                   test_hot_add_power_on_remove);
    qtest_add_func("/pcie-hotplug/unplug-cold", test_unplug_cold_device);
    qtest_add_func("/pcie-hotplug/unplug-powered-off",
                   test_unplug_powered_off_slot);
    qtest_add_func("/pcie-hotplug/errors", test_errors);
    qtest_add_func("/pcie-hotplug/intx", test_intx);
    qtest_add_func("/pcie-hotplug/msix", test_msix);
    return g_test_run();
}
