/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libqos PCI hotplug helpers: ACPI (0xcc0) and native PCIe slots. */
#include "pci-hotplug.h"

#define PCI_CAP_ID_EXP 0x10
#define PCI_EXP_SLTCTL 0x18
#define PCI_EXP_SLTSTA 0x1a
#define ICH9_PMBASE 0x40
#define ICH9_ACPI_CTRL 0x44
#define ICH9_GPE0_STS 0x20

int acpi_pcihp_bsel(QTestState *qts, const char *bus_path)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts,
        "{'execute': 'qom-get', 'arguments': {'path': '%s', "
        "'property': 'acpi-pcihp-bsel'}}", bus_path);

    if (!json_object_has_member(rsp, "return")) {
        return -1;
    }
    return json_object_get_int_member(rsp, "return");
}

void acpi_pcihp_select(QTestState *qts, uint32_t bsel)
{
    qtest_outl(qts, ACPI_PCIHP_SEL, bsel);
}

uint32_t acpi_pcihp_up(QTestState *qts, uint32_t bsel)
{
    acpi_pcihp_select(qts, bsel);
    return qtest_inl(qts, ACPI_PCIHP_UP);
}

uint32_t acpi_pcihp_down(QTestState *qts, uint32_t bsel)
{
    acpi_pcihp_select(qts, bsel);
    return qtest_inl(qts, ACPI_PCIHP_DOWN);
}

void acpi_pcihp_eject(QTestState *qts, uint32_t bsel, int slot)
{
    acpi_pcihp_select(qts, bsel);
    qtest_outl(qts, ACPI_PCIHP_EJ, 1u << slot);
}

void ich9_pm_enable(QPCIBus *bus, uint16_t pmbase)
{
    QPCIDevice lpc = qpci_device_at(bus, QPCI_DEVFN(0x1f, 0));

    qpci_config_writel(&lpc, ICH9_PMBASE, pmbase | 1);
    qpci_config_writeb(&lpc, ICH9_ACPI_CTRL, 0x80);
}

uint8_t ich9_gpe0_status(QPCIBus *bus, uint16_t pmbase)
{
    ich9_pm_enable(bus, pmbase);
    return qtest_inb(bus->qts, pmbase + ICH9_GPE0_STS);
}

void ich9_gpe0_clear(QPCIBus *bus, uint16_t pmbase, uint8_t bits)
{
    ich9_pm_enable(bus, pmbase);
    qtest_outb(bus->qts, pmbase + ICH9_GPE0_STS, bits);
}

uint8_t qpcie_exp_cap(QPCIDevice *port)
{
    uint8_t cap = qpci_find_capability(port, PCI_CAP_ID_EXP, 0);

    g_assert(cap);
    return cap;
}

uint16_t qpcie_slot_status(QPCIDevice *port)
{
    return qpci_config_readw(port, qpcie_exp_cap(port) + PCI_EXP_SLTSTA);
}

uint16_t qpcie_slot_control(QPCIDevice *port)
{
    return qpci_config_readw(port, qpcie_exp_cap(port) + PCI_EXP_SLTCTL);
}

void qpcie_slot_write_control(QPCIDevice *port, uint16_t ctl)
{
    qpci_config_writew(port, qpcie_exp_cap(port) + PCI_EXP_SLTCTL, ctl);
}

void qpcie_slot_clear_status(QPCIDevice *port, uint16_t bits)
{
    qpci_config_writew(port, qpcie_exp_cap(port) + PCI_EXP_SLTSTA, bits);
}

void qpcie_slot_power_on(QPCIDevice *port)
{
    uint16_t ctl = qpcie_slot_control(port);

    ctl &= ~(SLTCTL_PCC | SLTCTL_PIC);
    qpcie_slot_write_control(port, ctl | SLTCTL_PIC_ON);
}

void qpcie_slot_power_off(QPCIDevice *port)
{
    uint16_t ctl = qpcie_slot_control(port);

    qpcie_slot_write_control(port, ctl | SLTCTL_PCC | SLTCTL_PIC_OFF);
}
