/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pc machine (pc-i440fx-8.1, alias pc): RAM, the I/O APIC, the i440FX
 * host with pci.0, PIIX3 at 00:01.0 (INTx through its PIRQ routing, the
 * ISA bus with -serial's COM ports),
 * piix3-ide at 00:01.1, PIIX4_PM at 00:01.3 (ACPI, and ACPI PCI hotplug
 * on pci.0 at 0xae00) unless acpi=off, and fw_cfg -- what QEMU builds
 * with -nodefaults.
 *
 * pci.0 is conventional PCI: a failover primary cannot live on it
 * ("failover primary device must be on PCIExpress bus").
 */
#include "qapi/error.h"
#include "hw/pci-host/i440fx.h"
#include "hw/isa/piix.h"
#include "hw/i386/ioapic.h"
#include "hw/i386/pc.h"
#include "hw/char/serial.h"

#define PIIX3_DEVFN PCI_DEVFN(1, 0)

static bool pc_piix_add_piix3(PCIBus *bus, DeviceState *ioapic,
                              GError **errp)
{
    DeviceState *dev = qdev_new(TYPE_PIIX3_DEVICE);
    PIIX3State *piix3 = PIIX3_DEVICE(dev);

    PCI_DEVICE(dev)->devfn = PIIX3_DEVFN;
    PCI_DEVICE(dev)->cap_present |= QEMU_PCI_CAP_MULTIFUNCTION;
    piix3->ioapic = ioapic;
    if (!qdev_realize_and_unref(dev, BUS(bus), errp)) {
        return false;
    }
    pci_bus_irqs(bus, piix3_set_irq, piix3_map_irq, piix3, PIIX_NUM_PIRQS);
    /* -serial: COM ports on PIIX3's ISA bus, as QEMU builds them. */
    return serial_hds_isa_init(piix3->isa_bus, errp);
}

static bool pc_piix_add_pm(PCIBus *bus, DeviceState *ioapic, GError **errp)
{
    DeviceState *dev = qdev_new(TYPE_PIIX4_PM);
    PIIX4PMState *pm = PIIX4_PM(dev);

    PCI_DEVICE(dev)->devfn = PIIX3_DEVFN + 3;
    pm->ioapic = ioapic;
    pm->smb_io_base = PIIX4_PM_SMB_BASE;
    /* SMM counts as enabled under qtest, as in QEMU (smm=auto). */
    pm->smm_enabled = true;
    if (!qdev_realize_and_unref(dev, BUS(bus), errp)) {
        return false;
    }
    if (pm->use_acpi_root_pci_hotplug) {
        qbus_set_hotplug_handler(BUS(bus), OBJECT(pm));
    }
    return true;
}

static void pc_piix_init(MachineState *ms, GError **errp)
{
    Object *m = OBJECT(ms);
    DeviceState *ioapic;
    I440FXState *host;

    if (!machine_create_cpus(ms, errp)) {
        return;
    }
    ioapic = ioapic_create(m, errp);
    if (!ioapic) {
        return;
    }
    host = i440fx_host_create(m, ms->ram_size, errp);
    if (!host || !pc_piix_add_piix3(host->bus, ioapic, errp)) {
        return;
    }
    if (!pci_create_simple(host->bus, PIIX3_DEVFN + 1, TYPE_PIIX3_IDE)) {
        error_setg(errp, "pc: cannot create the PIIX3 IDE function");
        return;
    }
    if (PC_MACHINE(ms)->acpi != ON_OFF_AUTO_OFF &&
        !pc_piix_add_pm(host->bus, ioapic, errp)) {
        return;
    }
    pc_machine_fw_cfg_init(ms, errp);
}

static void pc_piix_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->name = "pc-i440fx-8.1";
    mc->alias = "pc";
    mc->is_default = true;     /* as QEMU 8.1's x86_64 default */
    mc->desc = "Standard PC (i440FX + PIIX, 1996)";
    mc->max_cpus = 255;
    mc->default_cpu_type = "qemu64-x86_64-cpu";
    mc->has_hotpluggable_cpus = true;
    mc->default_ram_size = 128 * 1024 * 1024;
    mc->default_ram_id = "pc.ram";
    /* QEMU's is e1000; virtio-net-pci is the NIC baton has. */
    mc->default_nic = "virtio-net-pci";
    mc->init = pc_piix_init;
    pc_machine_class_add_options(oc);
}

static const TypeInfo pc_piix_info = {
    .name = MACHINE_TYPE_NAME("pc-i440fx-8.1"),
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(PCMachineState),
    .instance_init = pc_machine_instance_init,
    .class_init = pc_piix_class_init,
};

static void pc_piix_register_types(void)
{
    type_register_static(&pc_piix_info);
}

type_init(pc_piix_register_types)
