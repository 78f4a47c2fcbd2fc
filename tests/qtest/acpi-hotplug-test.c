/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpi-hotplug-test: ACPI PCI hotplug of devices behind root ports, the
 * q35 default.  The guest side is libqos: it reads UP/DOWN for a bus
 * selected by BSEL and ejects by writing EJ.
 */
#include "libqtest.h"
#include "libqos/pci.h"
#include "libqos/pci-hotplug.h"

#define PMBASE 0x600

#define MACHINE "-M q35 -nodefaults " \
    "-device pcie-root-port,id=root0,chassis=1,slot=1,addr=0x1 " \
    "-device pcie-root-port,id=root1,chassis=1,slot=2,addr=0x2 " \
    "-device pcie-root-port,id=root2,chassis=1,slot=3,addr=0x3 " \
    "-device pci-testdev,id=cold2,bus=root2 " \
    "-device pci-testdev,id=cold0,addr=0x5 "

/* BSELs: reverse creation order. */
enum { BSEL_ROOT2 = 0, BSEL_ROOT1 = 1, BSEL_ROOT0 = 2 };

static void test_bsel_numbering(void)
{
    QTestState *qts = qtest_init(MACHINE);

    g_assert_cmpint(acpi_pcihp_bsel(qts, "/machine/peripheral/root2/root2"),
                    ==, BSEL_ROOT2);
    g_assert_cmpint(acpi_pcihp_bsel(qts, "/machine/peripheral/root1/root1"),
                    ==, BSEL_ROOT1);
    g_assert_cmpint(acpi_pcihp_bsel(qts, "/machine/peripheral/root0/root0"),
                    ==, BSEL_ROOT0);
    /* pcie.0 is not hotpluggable: no BSEL. */
    g_assert_cmpint(acpi_pcihp_bsel(qts, "/machine/q35/pcie.0"), ==, -1);
    /* SEL starts at 0; RMV of a root port bus is all-ones. */
    g_assert_cmphex(qtest_inl(qts, ACPI_PCIHP_SEL), ==, 0);
    g_assert_cmphex(qtest_inl(qts, ACPI_PCIHP_RMV), ==, 0xffffffff);
    qtest_quit(qts);
}

static void test_hot_add_and_eject(void)
{
    QTestState *qts = qtest_init(MACHINE);
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice rp1 = qpci_device_at(bus, QPCI_DEVFN(2, 0));
    QPCIDevice dev;
    g_autoptr(JsonObject) ev = NULL;
    JsonObject *data;

    g_assert_cmpint(qpci_secondary_buses_init(bus), ==, 3);
    dev = qpci_device_at(bus, QPCI_BDF(2, 0, 0));
    g_assert_cmphex(qpci_config_readw(&dev, 0), ==, 0xffff);
    g_assert_cmphex(ich9_gpe0_status(bus, PMBASE), ==, 0);

    qtest_qmp_device_add(qts, "pci-testdev", "hp1", "{'bus': 'root1'}");
    /* The guest is told: UP bit of slot 0 on root1's bus, GPE bit 1. */
    g_assert_cmphex(ich9_gpe0_status(bus, PMBASE), ==, 0x02);
    ich9_gpe0_clear(bus, PMBASE, 0x02);
    g_assert_cmphex(ich9_gpe0_status(bus, PMBASE), ==, 0);
    g_assert_cmphex(acpi_pcihp_up(qts, BSEL_ROOT0), ==, 0);
    g_assert_cmphex(acpi_pcihp_up(qts, BSEL_ROOT1), ==, 0x1);
    g_assert_cmphex(acpi_pcihp_up(qts, BSEL_ROOT1), ==, 0);    /* cleared */
    g_assert_cmphex(acpi_pcihp_down(qts, BSEL_ROOT1), ==, 0);
    /* Slot power switched on; the port itself shows no presence. */
    g_assert_cmphex(qpcie_slot_control(&rp1) & SLTCTL_PCC, ==, 0);
    g_assert_cmphex(qpcie_slot_status(&rp1) & SLTSTA_PDS, ==, 0);
    g_assert_cmphex(qpci_config_readl(&dev, 0), ==, 0x00051b36);

    /* device_del only asks. */
    qtest_qmp_assert_success(qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'hp1'}}");
    g_assert_null(qtest_qmp_event_ref(qts, "DEVICE_DELETED"));
    g_assert_cmphex(acpi_pcihp_down(qts, BSEL_ROOT1), ==, 0x1);
    g_assert_cmphex(ich9_gpe0_status(bus, PMBASE), ==, 0x02);
    g_assert_cmphex(qpci_config_readl(&dev, 0), ==, 0x00051b36);
    qtest_qmp_expect_error(qts, "GenericError",
                           "Device hp1 is already in the process of unplug",
                           "{'execute': 'device_del', "
                           "'arguments': {'id': 'hp1'}}");

    /* The guest ejects: the device goes, DEVICE_DELETED says so. */
    acpi_pcihp_eject(qts, BSEL_ROOT1, 0);
    ev = qtest_qmp_eventwait_ref(qts, "DEVICE_DELETED");
    data = json_object_get_object_member(ev, "data");
    g_assert_cmpstr(json_object_get_string_member(data, "device"), ==, "hp1");
    g_assert_cmpstr(json_object_get_string_member(data, "path"), ==,
                    "/machine/peripheral/hp1");
    g_assert_cmphex(acpi_pcihp_down(qts, BSEL_ROOT1), ==, 0);
    g_assert_cmphex(qpci_config_readw(&dev, 0), ==, 0xffff);
    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'hp1' not found",
                           "{'execute': 'device_del', "
                           "'arguments': {'id': 'hp1'}}");
    /* The slot can be used again. */
    qtest_qmp_device_add(qts, "pci-testdev", "hp1", "{'bus': 'root1'}");
    g_assert_cmphex(acpi_pcihp_up(qts, BSEL_ROOT1), ==, 0x1);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_guest_never_ejects(void)
{
    QTestState *qts = qtest_init(MACHINE);
    QPCIBus *bus = qpci_new_pc(qts);
    g_autoptr(JsonNode) realized = NULL;

    qpci_secondary_buses_init(bus);
    qtest_qmp_assert_success(qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'cold2'}}");
    g_assert_cmphex(acpi_pcihp_down(qts, BSEL_ROOT2), ==, 0x1);
    /* Time passes (the unstepped clock never expires the request)... */
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    g_assert_null(qtest_qmp_event_ref(qts, "DEVICE_DELETED"));
    realized = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-get', 'arguments': {'path': "
        "'/machine/peripheral/cold2', 'property': 'realized'}}");
    g_assert_true(json_node_get_boolean(realized));
    qtest_qmp_expect_error(qts, "GenericError",
                           "Device cold2 is already in the process of unplug",
                           "{'execute': 'device_del', "
                           "'arguments': {'id': 'cold2'}}");
    /* A system reset completes what the guest left pending. */
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "DEVICE_DELETED");
    g_assert_cmphex(acpi_pcihp_down(qts, BSEL_ROOT2), ==, 0);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_guest_initiated_eject(void)
{
    QTestState *qts = qtest_init(MACHINE);

    /* EJ without a request still removes a cold-plugged device. */
    acpi_pcihp_eject(qts, BSEL_ROOT2, 0);
    qtest_qmp_eventwait(qts, "DEVICE_DELETED");
    qtest_quit(qts);
}

static void test_errors(void)
{
    QTestState *qts = qtest_init(MACHINE);

    qtest_qmp_expect_error(qts, "GenericError",
        "Bus 'pcie.0' does not support hotplugging",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'pcie.0'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Bus 'pcie.0' does not support hotplugging",
        "{'execute': 'device_del', 'arguments': {'id': 'cold0'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Bus 'pcie.0' does not support hotplugging",
        "{'execute': 'device_del', 'arguments': {'id': 'root0'}}");
    qtest_quit(qts);
}

static void test_register_abuse(void)
{
    QTestState *qts = qtest_init(MACHINE);

    /* Only 32-bit accesses work. */
    g_assert_cmphex(qtest_inb(qts, ACPI_PCIHP_RMV), ==, 0xff);
    g_assert_cmphex(qtest_inw(qts, ACPI_PCIHP_RMV), ==, 0xffff);
    qtest_outb(qts, ACPI_PCIHP_SEL, 1);
    g_assert_cmphex(qtest_inl(qts, ACPI_PCIHP_SEL), ==, 0);
    /* Ejects of empty slots, of nothing, of unknown buses. */
    acpi_pcihp_eject(qts, BSEL_ROOT0, 0);
    acpi_pcihp_eject(qts, BSEL_ROOT0, 31);
    qtest_outl(qts, ACPI_PCIHP_EJ, 0);
    acpi_pcihp_eject(qts, 200, 0);
    acpi_pcihp_eject(qts, 0xffffffff, 3);
    g_assert_cmphex(qtest_inl(qts, ACPI_PCIHP_UP), ==, 0);
    qtest_outl(qts, ACPI_PCIHP_AIDX, 0xffffffff);
    g_assert_cmphex(qtest_inl(qts, ACPI_PCIHP_AIDX), ==, 0);
    qtest_outl(qts, ACPI_PCIHP_UP, 0xffffffff);
    qtest_outl(qts, ACPI_PCIHP_DOWN, 0xffffffff);
    qtest_outl(qts, ACPI_PCIHP_RMV, 0xffffffff);
    /* Nothing was ejected: the cold-plugged device is still there. */
    g_assert_null(qtest_qmp_event_ref(qts, "DEVICE_DELETED"));
    qtest_qmp_assert_success(qts, "{'execute': 'qom-get', 'arguments': "
                             "{'path': '/machine/peripheral/cold2', "
                             "'property': 'realized'}}");
    qtest_quit(qts);
}

static void test_sci(void)
{
    QTestState *qts = qtest_init(MACHINE);
    QPCIBus *bus = qpci_new_pc(qts);

    qtest_irq_intercept_in(qts, "ioapic");
    ich9_gpe0_clear(bus, PMBASE, 0xff);
    qtest_outb(qts, PMBASE + 0x28, 0x02);       /* GPE0_EN bit 1 */
    qtest_outw(qts, PMBASE + 0x04, 0x0001);     /* SCI_EN */
    g_assert_false(qtest_get_irq(qts, 9));
    qtest_qmp_device_add(qts, "pci-testdev", "hp0", "{'bus': 'root0'}");
    g_assert_true(qtest_get_irq(qts, 9));
    ich9_gpe0_clear(bus, PMBASE, 0x02);
    g_assert_false(qtest_get_irq(qts, 9));
    qpci_free_pc(bus);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/acpi-hotplug/bsel", test_bsel_numbering);
    qtest_add_func("/acpi-hotplug/add-eject", test_hot_add_and_eject);
    qtest_add_func("/acpi-hotplug/never-ejects", test_guest_never_ejects);
    qtest_add_func("/acpi-hotplug/guest-eject", test_guest_initiated_eject);
    qtest_add_func("/acpi-hotplug/errors", test_errors);
    qtest_add_func("/acpi-hotplug/register-abuse", test_register_abuse);
    qtest_add_func("/acpi-hotplug/sci", test_sci);
    return g_test_run();
}
