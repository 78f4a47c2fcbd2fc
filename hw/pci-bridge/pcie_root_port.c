/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcie-root-port: Red Hat's generic PCI Express root port (1b36:000c).
 * A type-1 bridge whose secondary bus is named after the port's id, with
 * MSI-X (one vector, for hotplug events) in BAR0, the PCIe capability with
 * a hot-pluggable slot, AER and ACS.  It is the hotplug handler of its
 * slot unless ACPI PCI hotplug takes the bus over (ICH9-LPC).  ioh3420
 * (ioh3420.c) is this device with other ids and layout.
 */
#include "qapi/error.h"
#include "hw/pci-bridge/pcie_root_port.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"

#define RP_SSVID_OFFSET   0x40
#define RP_MSIX_OFFSET    0x48
#define RP_EXP_OFFSET     0x54
#define RP_AER_OFFSET     0x100
#define RP_ACS_OFFSET     0x148
#define RP_MSIX_BAR_SIZE  0x1000
#define RP_MSIX_PBA       0x800

/* (chassis, slot) pairs in use: each must be unique. */
static GHashTable *chassis_slots;

static guint chassis_key(PCIERootPort *s)
{
    return ((guint)s->chassis << 16) | s->slot;
}

static void rp_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                            int len)
{
    uint16_t old_sltctl = pci_get_word(d->config + d->exp.exp_cap +
                                       PCI_EXP_SLTCTL);

    pci_bridge_write_config(d, addr, val, len);
    pcie_cap_slot_write_config(d, old_sltctl, addr, val, len);
}

static void rp_reset(PCIDevice *d)
{
    pci_bridge_reset(d);
    pci_bridge_disable_base_limit(d);
    pcie_cap_slot_reset(d);
    pci_bridge_update_mappings(PCI_BRIDGE(d));
}

/* One MSI-X vector in BAR0 (generic port), or MSI (ioh3420). */
static int rp_interrupts_init(PCIDevice *d, GError **errp)
{
    PCIERootPort *s = PCIE_ROOT_PORT(d);
    PCIERootPortClass *rpc = PCIE_ROOT_PORT_GET_CLASS(d);

    if (rpc->msi_offset) {
        return msi_init(d, rpc->msi_offset, rpc->msi_vectors, false, true,
                        errp);
    }
    memory_region_init(&s->msix_bar, OBJECT(d), "pcie-root-port-msix",
                       RP_MSIX_BAR_SIZE);
    if (msix_init(d, 1, &s->msix_bar, 0, 0, 0, RP_MSIX_PBA, RP_MSIX_OFFSET,
                  errp) < 0) {
        return -1;
    }
    pci_register_bar(d, 0, PCI_BASE_ADDRESS_SPACE_MEMORY, &s->msix_bar);
    return 0;
}

static void rp_realize(PCIDevice *d, GError **errp)
{
    PCIERootPort *s = PCIE_ROOT_PORT(d);
    PCIERootPortClass *rpc = PCIE_ROOT_PORT_GET_CLASS(d);
    PCIBridge *br = PCI_BRIDGE(d);

    if (!chassis_slots) {
        chassis_slots = g_hash_table_new(NULL, NULL);
    }
    if (g_hash_table_contains(chassis_slots,
                              GUINT_TO_POINTER(chassis_key(s)))) {
        error_setg(errp, "Can't add chassis slot, error %d", -16);
        return;
    }
    pci_bridge_initfn(d, TYPE_PCIE_BUS, errp);
    d->config[PCI_INTERRUPT_PIN] = 1;

    if (pci_bridge_ssvid_init(d, rpc->ssvid_offset, rpc->ssvid, 0,
                              errp) < 0) {
        goto fail;
    }
    if (rp_interrupts_init(d, errp) < 0) {
        goto fail;
    }
    if (pcie_cap_init(d, rpc->exp_offset, PCI_EXP_TYPE_ROOT_PORT, s->port,
                      errp) < 0) {
        goto fail;
    }
    if (rpc->link_speed) {
        pcie_cap_lnkcap_set(d, rpc->link_speed, rpc->link_width);
    } else {
        /* QEMU's default link: 2.5 GT/s x1 with ASPM L0s. */
        uint8_t *c = d->config + d->exp.exp_cap + PCI_EXP_LNKCAP;
        pci_set_long(c, pci_get_long(c) | 0x400);
    }
    pcie_cap_arifwd_init(d);
    pcie_cap_slot_init(d, s->slot, s->power_controller_present);
    if (!s->hotplug) {
        uint8_t *c = d->config + d->exp.exp_cap + PCI_EXP_SLTCAP;
        pci_set_long(c, pci_get_long(c) &
                     ~(PCI_EXP_SLTCAP_HPS | PCI_EXP_SLTCAP_HPC));
    }
    pcie_aer_init(d, rpc->aer_offset);
    if (rpc->acs_offset && !s->disable_acs) {
        pcie_acs_init(d, rpc->acs_offset);
    }
    g_hash_table_add(chassis_slots, GUINT_TO_POINTER(chassis_key(s)));
    s->chassis_slot_added = true;
    /* Native hotplug by default; ACPI may take the bus over at plug. */
    qbus_set_hotplug_handler(BUS(br->sec_bus), OBJECT(d));
    rp_reset(d);
    return;

fail:
    msix_uninit(d);
    pci_bridge_exitfn(d);
}

static void rp_exit(PCIDevice *d)
{
    PCIERootPort *s = PCIE_ROOT_PORT(d);

    if (s->chassis_slot_added) {
        g_hash_table_remove(chassis_slots, GUINT_TO_POINTER(chassis_key(s)));
        s->chassis_slot_added = false;
    }
    pci_bridge_exitfn(d);
}

/* Hotplug handler: the port's own slot. */
static void rp_pre_plug(HotplugHandler *h, DeviceState *dev, GError **errp)
{
    pcie_cap_slot_pre_plug_cb(PCI_DEVICE(h), dev, errp);
}

static void rp_plug(HotplugHandler *h, DeviceState *dev, GError **errp)
{
    pcie_cap_slot_plug_cb(PCI_DEVICE(h), dev, errp);
}

static void rp_unplug_request(HotplugHandler *h, DeviceState *dev,
                              GError **errp)
{
    pcie_cap_slot_unplug_request_cb(PCI_DEVICE(h), dev, errp);
}

static void rp_unplug(HotplugHandler *h, DeviceState *dev, GError **errp)
{
    pcie_cap_slot_unplug_cb(PCI_DEVICE(h), dev, errp);
}

static Property rp_props[] = {
    DEFINE_PROP_UINT8("chassis", PCIERootPort, chassis, 0),
    DEFINE_PROP_UINT16("slot", PCIERootPort, slot, 0),
    DEFINE_PROP_UINT8("port", PCIERootPort, port, 0),
    DEFINE_PROP_BOOL("hotplug", PCIERootPort, hotplug, true),
    DEFINE_PROP_BOOL("power_controller_present", PCIERootPort,
                     power_controller_present, true),
    DEFINE_PROP_BOOL("disable-acs", PCIERootPort, disable_acs, false),
    DEFINE_PROP_UINT32("bus-reserve", PCIERootPort, bus_reserve, UINT32_MAX),
    DEFINE_PROP_SIZE("io-reserve", PCIERootPort, io_reserve, UINT64_MAX),
    DEFINE_PROP_SIZE("mem-reserve", PCIERootPort, mem_reserve, UINT64_MAX),
    DEFINE_PROP_SIZE("pref32-reserve", PCIERootPort, pref32_reserve,
                     UINT64_MAX),
    DEFINE_PROP_SIZE("pref64-reserve", PCIERootPort, pref64_reserve,
                     UINT64_MAX),
    DEFINE_PROP_END_OF_LIST(),
};

static void rp_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    PCIERootPortClass *rpc = PCIE_ROOT_PORT_CLASS(oc);
    HotplugHandlerClass *hc = OBJECT_CLASS_CHECK(HotplugHandlerClass, oc,
                                                 TYPE_HOTPLUG_HANDLER);

    pc->realize = rp_realize;
    pc->exit = rp_exit;
    pc->reset = rp_reset;
    pc->config_write = rp_write_config;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = 0x000c;
    pc->revision = 0;
    pc->class_id = PCI_CLASS_BRIDGE_PCI;
    pc->is_express = true;
    dc->desc = "PCI Express Root Port";
    dc->vmsd = &vmstate_pcie_root_port;
    dc->category = DEVICE_CATEGORY_BRIDGE;
    device_class_set_props(dc, rp_props);
    hc->pre_plug = rp_pre_plug;
    hc->plug = rp_plug;
    hc->unplug_request = rp_unplug_request;
    hc->unplug = rp_unplug;
    rpc->ssvid = PCI_VENDOR_ID_REDHAT;
    rpc->ssvid_offset = RP_SSVID_OFFSET;
    rpc->exp_offset = RP_EXP_OFFSET;
    rpc->aer_offset = RP_AER_OFFSET;
    rpc->acs_offset = RP_ACS_OFFSET;
    rpc->link_speed = 4;        /* 16 GT/s */
    rpc->link_width = 32;
}

static const InterfaceInfo rp_interfaces[] = {
    { TYPE_HOTPLUG_HANDLER },
    { NULL },
};

static const TypeInfo pcie_root_port_info = {
    .name = TYPE_PCIE_ROOT_PORT,
    .parent = TYPE_PCI_BRIDGE,
    .instance_size = sizeof(PCIERootPort),
    .class_size = sizeof(PCIERootPortClass),
    .class_init = rp_class_init,
    .interfaces = rp_interfaces,
};

static void pcie_root_port_register_types(void)
{
    type_register_static(&pcie_root_port_info);
}

type_init(pcie_root_port_register_types)
