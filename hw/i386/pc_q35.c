/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The q35 machine (pc-q35-8.1, alias q35): RAM, the I/O APIC,
 * the PCI Express host with MCH, ICH9 LPC/AHCI/SMBus at 00:1f, and
 * fw_cfg -- what QEMU builds with -nodefaults.
 */
#include "qapi/error.h"
#include "hw/boards.h"
#include "hw/pci-host/q35.h"
#include "hw/i386/ich9.h"
#include "hw/i386/ioapic.h"
#include "hw/i386/pc.h"
#include "hw/char/serial.h"

static bool pc_q35_add_lpc(MachineState *ms, PCIBus *bus, DeviceState *ioapic,
                           GError **errp)
{
    DeviceState *dev = qdev_new(TYPE_ICH9_LPC_DEVICE);
    PCIDevice *d = PCI_DEVICE(dev);
    ICH9LPCState *lpc = ICH9_LPC_DEVICE(dev);

    d->devfn = PCI_DEVFN(ICH9_LPC_DEV, ICH9_LPC_FUNC);
    d->cap_present |= QEMU_PCI_CAP_MULTIFUNCTION;
    lpc->ioapic = ioapic;
    if (!qdev_realize_and_unref(dev, BUS(bus), errp)) {
        return false;
    }
    pci_bus_irqs(bus, ich9_lpc_set_irq, ich9_lpc_map_irq, lpc, 8);
    if (lpc->use_acpi_hotplug_bridge) {
        qbus_set_hotplug_handler(BUS(bus), OBJECT(lpc));
    }
    /* -serial: COM ports on the LPC's ISA bus, as QEMU builds them. */
    return serial_hds_isa_init(lpc->isa_bus, errp);
}

static void pc_q35_init(MachineState *ms, GError **errp)
{
    Object *m = OBJECT(ms);
    DeviceState *ioapic;
    Q35PCIHost *host;

    if (!machine_create_cpus(ms, errp)) {
        return;
    }
    ioapic = ioapic_create(m, errp);
    if (!ioapic) {
        return;
    }
    host = q35_host_create(m, errp);
    if (!host) {
        return;
    }
    if (!pc_q35_add_lpc(ms, host->bus, ioapic, errp)) {
        return;
    }
    if (!pci_create_simple_multifunction(host->bus,
                                         PCI_DEVFN(ICH9_LPC_DEV,
                                                   ICH9_SATA1_FUNC),
                                         TYPE_ICH9_AHCI) ||
        !pci_create_simple_multifunction(host->bus,
                                         PCI_DEVFN(ICH9_LPC_DEV,
                                                   ICH9_SMB_FUNC),
                                         TYPE_ICH9_SMB_DEVICE)) {
        error_setg(errp, "q35: cannot create the ICH9 functions");
        return;
    }
    pc_machine_fw_cfg_init(ms, errp);
}

static void pc_q35_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->name = "pc-q35-8.1";
    mc->alias = "q35";
    mc->desc = "Standard PC (Q35 + ICH9, 2009)";
    mc->max_cpus = 288;
    mc->default_cpu_type = "qemu64-x86_64-cpu";
    mc->has_hotpluggable_cpus = true;
    mc->default_ram_size = 128 * 1024 * 1024;
    mc->default_ram_id = "pc.ram";
    /* QEMU's is e1000e; virtio-net-pci is the NIC baton has. */
    mc->default_nic = "virtio-net-pci";
    mc->init = pc_q35_init;
    pc_machine_class_add_options(oc);
}

static const TypeInfo pc_q35_info = {
    .name = MACHINE_TYPE_NAME("pc-q35-8.1"),
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(PCMachineState),
    .instance_init = pc_machine_instance_init,
    .class_init = pc_q35_class_init,
};

static void pc_q35_register_types(void)
{
    type_register_static(&pc_q35_info);
}

type_init(pc_q35_register_types)
