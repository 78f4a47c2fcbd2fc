/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * i440FX host: pci.0, configuration cycles through 0xcf8/0xcfc (shared
 * with q35, hw/pci/pci_host.c), and the host bridge function at 00:00.0.
 *
 * 00:00.0 holds the PAM registers (0x59..0x5f: how 0xc0000..0xfffff is
 * decoded, pam.c) and SMRAM (0x72).  There is no CPU, so there is no SMM:
 * baton keeps SMRAM's value as the guest wrote it (as QEMU does, D_LCK
 * is not enforced).
 */
#include "qapi/error.h"
#include "hw/pci-host/i440fx.h"
#include "hw/pci-host/pam.h"
#include "hw/boards.h"
#include "migration/vmstate.h"

/* ---- The host device ---------------------------------------------------- */

static void i440fx_host_realize(DeviceState *dev, GError **errp)
{
    I440FXState *s = I440FX_PCI_HOST_BRIDGE(dev);

    /* PCI space sits below RAM: windows over RAM never hide it. */
    memory_region_init(&s->pci_mem, OBJECT(s), "pci", UINT64_MAX);
    memory_region_add_subregion_overlap(get_system_memory(), 0, &s->pci_mem,
                                        -1);
    /* No name: the bus is called pci.0, after its parent's bus count. */
    s->bus = pci_root_bus_new(dev, "pci.0", &s->pci_mem, get_system_io(),
                              TYPE_PCI_BUS);
    pci_config_port_init(&s->cfg, OBJECT(s), s->bus, get_system_io());
}

static const VMStateDescription vmstate_i440fx_host = {
    .name = "i440fx-pcihost",
    .version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(cfg.config_reg, I440FXState),
        VMSTATE_END_OF_LIST()
    },
};

static void i440fx_host_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = i440fx_host_realize;
    dc->user_creatable = false;
    dc->desc = "i440FX PCI host bridge";
    dc->vmsd = &vmstate_i440fx_host;
}

static const TypeInfo i440fx_host_info = {
    .name = TYPE_I440FX_PCI_HOST_BRIDGE,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(I440FXState),
    .class_init = i440fx_host_class_init,
};

/* ---- 00:00.0 ------------------------------------------------------------ */

typedef struct I440FXPCIState {
    PCIDevice parent_obj;
    PAMState pam;
} I440FXPCIState;

#define I440FX_PCI_DEVICE(obj) \
    OBJECT_CHECK(I440FXPCIState, (obj), TYPE_I440FX_PCI_DEVICE)

static void i440fx_update_pam(PCIDevice *d)
{
    pam_update(&I440FX_PCI_DEVICE(d)->pam, d->config + I440FX_PAM);
}

static void i440fx_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                                int len)
{
    pci_default_write_config(d, addr, val, len);
    if (addr < I440FX_PAM + I440FX_PAM_SIZE && addr + len > I440FX_PAM) {
        i440fx_update_pam(d);
    }
}

static bool i440fx_post_load(void *opaque, int version_id, GError **errp)
{
    i440fx_update_pam(opaque);
    return true;
}

static const VMStateDescription vmstate_i440fx = {
    .name = "I440FX",
    .version_id = 3,
    .post_load = i440fx_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, I440FXPCIState),
        VMSTATE_END_OF_LIST()
    },
};

static void i440fx_realize(PCIDevice *d, GError **errp)
{
    MachineState *ms = current_machine;

    /* As in QEMU, everything past the standard header is writable. */
    memset(d->wmask + 0x40, 0xff, PCI_CONFIG_SPACE_SIZE - 0x40);
    d->config[I440FX_SMRAM] = I440FX_SMRAM_DEFAULT;
    pam_init(&I440FX_PCI_DEVICE(d)->pam, OBJECT(d), ms ? ms->ram : NULL);
    i440fx_update_pam(d);
}

static void i440fx_exit(PCIDevice *d)
{
    pam_finalize(&I440FX_PCI_DEVICE(d)->pam);
}

static void i440fx_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = i440fx_realize;
    pc->exit = i440fx_exit;
    pc->config_write = i440fx_write_config;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x1237;             /* 82441 */
    pc->revision = 0x02;
    pc->class_id = PCI_CLASS_BRIDGE_HOST;
    dc->desc = "Host bridge";
    dc->vmsd = &vmstate_i440fx;
    dc->user_creatable = false;
    dc->hotpluggable = false;
}

static const TypeInfo i440fx_info = {
    .name = TYPE_I440FX_PCI_DEVICE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(I440FXPCIState),
    .class_init = i440fx_class_init,
};

I440FXState *i440fx_host_create(Object *machine, uint64_t ram_size,
                                GError **errp)
{
    DeviceState *host = qdev_new(TYPE_I440FX_PCI_HOST_BRIDGE);
    I440FXState *s = I440FX_PCI_HOST_BRIDGE(host);
    PCIDevice *d;

    object_property_add_child(machine, "i440fx", OBJECT(host));
    if (!qdev_realize_and_unref(host, sysbus_get_default(), errp)) {
        return NULL;
    }
    d = pci_create_simple(s->bus, 0, TYPE_I440FX_PCI_DEVICE);
    if (!d) {
        error_setg(errp, "i440FX: cannot create the host bridge function");
        return NULL;
    }
    /* What old coreboot reads to size RAM. */
    d->config[I440FX_COREBOOT_RAM_SIZE] = MIN(ram_size >> 23, 255);
    return s;
}

static void i440fx_register_types(void)
{
    type_register_static(&i440fx_host_info);
    type_register_static(&i440fx_info);
}

type_init(i440fx_register_types)
