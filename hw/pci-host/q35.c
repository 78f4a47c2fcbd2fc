/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * q35 host: pcie.0, the MCH at 00:00.0, configuration cycles through
 * 0xcf8/0xcfc and through the MMCONFIG window placed by PCIEXBAR.
 */
#include "qapi/error.h"
#include "hw/pci-host/q35.h"
#include "hw/pci/pci_host.h"
#include "hw/boards.h"
#include "hw/qdev-properties.h"

/* ---- MMCONFIG ----------------------------------------------------------- */

static PCIDevice *mmcfg_target(Q35PCIHost *s, hwaddr addr)
{
    return pci_find_device(s->bus, (addr >> 20) & 0xff, (addr >> 12) & 0xff);
}

static uint64_t mmcfg_read(void *opaque, hwaddr addr, unsigned size)
{
    Q35PCIHost *s = opaque;

    return pci_host_config_read(mmcfg_target(s, addr), addr & 0xfff,
                                PCIE_CONFIG_SPACE_SIZE, size);
}

static void mmcfg_write(void *opaque, hwaddr addr, uint64_t val,
                        unsigned size)
{
    Q35PCIHost *s = opaque;

    pci_host_config_write(mmcfg_target(s, addr), addr & 0xfff,
                          PCIE_CONFIG_SPACE_SIZE, val, size);
}

static const MemoryRegionOps mmcfg_ops = {
    .read = mmcfg_read,
    .write = mmcfg_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 4,
};

void q35_host_mmcfg_update(Q35PCIHost *s, uint64_t pciexbar)
{
    uint64_t size, base;

    if (s->mmcfg_mapped) {
        memory_region_del_subregion(get_system_memory(), &s->mmcfg);
        s->mmcfg_mapped = false;
    }
    if (!(pciexbar & MCH_HOST_BRIDGE_PCIEXBAREN)) {
        return;
    }
    switch ((pciexbar & MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK) >> 1) {
    case 0:
        size = 256 << 20;
        break;
    case 1:
        size = 128 << 20;
        break;
    case 2:
        size = 64 << 20;
        break;
    default:
        return;         /* reserved encoding: decode nothing */
    }
    base = pciexbar & 0xffffffff0ULL & ~(size - 1);
    s->mmcfg_base = base;
    s->mmcfg_size = size;
    memory_region_set_size(&s->mmcfg, size);
    memory_region_add_subregion(get_system_memory(), base, &s->mmcfg);
    s->mmcfg_mapped = true;
}

/* ---- The host device ---------------------------------------------------- */

static void q35_host_realize(DeviceState *dev, GError **errp)
{
    Q35PCIHost *s = Q35_HOST_DEVICE(dev);

    /* PCI space sits below RAM: windows over RAM never hide it. */
    memory_region_init(&s->pci_mem, OBJECT(s), "pci", UINT64_MAX);
    memory_region_add_subregion_overlap(get_system_memory(), 0, &s->pci_mem,
                                        -1);
    memory_region_init_io(&s->mmcfg, OBJECT(s), &mmcfg_ops, s,
                          "pcie-mmcfg-mmio", 256 << 20);
    s->bus = pci_root_bus_new(dev, "pcie.0", &s->pci_mem, get_system_io(),
                              TYPE_PCIE_BUS);
    pci_config_port_init(&s->cfg, OBJECT(s), s->bus, get_system_io());
}

static void q35_host_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = q35_host_realize;
    dc->user_creatable = false;
    dc->desc = "Q35 PCI Express host bridge";
    dc->vmsd = &vmstate_q35_host;
}

static const TypeInfo q35_host_info = {
    .name = TYPE_Q35_HOST_DEVICE,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(Q35PCIHost),
    .class_init = q35_host_class_init,
};

/* ---- MCH (00:00.0) ------------------------------------------------------ */

/* TSEG and a locked SMBASE area, as a CPU outside SMM sees them. */
static uint64_t blackhole_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0xffffffff;
}

static void blackhole_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
}

static const MemoryRegionOps blackhole_ops = {
    .read = blackhole_read,
    .write = blackhole_write,
    .impl_min_access_size = 4,
    .impl_max_access_size = 4,
};

static uint64_t mch_tseg_size(MCHPCIState *mch)
{
    uint8_t *c = mch->parent_obj.config;

    if (!(c[MCH_HOST_BRIDGE_ESMRAMC] & MCH_HOST_BRIDGE_ESMRAMC_T_EN) ||
        !(c[MCH_HOST_BRIDGE_SMRAM] & MCH_HOST_BRIDGE_SMRAM_G_SMRAME)) {
        return 0;
    }
    switch (c[MCH_HOST_BRIDGE_ESMRAMC] & MCH_HOST_BRIDGE_ESMRAMC_TSEG_SZ_MASK) {
    case MCH_HOST_BRIDGE_ESMRAMC_TSEG_SZ_1MB:
        return 1 << 20;
    case MCH_HOST_BRIDGE_ESMRAMC_TSEG_SZ_2MB:
        return 2 << 20;
    case MCH_HOST_BRIDGE_ESMRAMC_TSEG_SZ_8MB:
        return 8 << 20;
    default:
        return (uint64_t)mch->ext_tseg_mbytes << 20;
    }
}

static void mch_update_smram(MCHPCIState *mch)
{
    PCIDevice *d = &mch->parent_obj;
    uint8_t *smram = &d->config[MCH_HOST_BRIDGE_SMRAM];
    bool h_smrame = d->config[MCH_HOST_BRIDGE_ESMRAMC] &
                    MCH_HOST_BRIDGE_ESMRAMC_H_SMRAME;
    uint64_t tseg = mch_tseg_size(mch);

    /* D_LCK closes the window and freezes everything but D_CLS. */
    if (*smram & MCH_HOST_BRIDGE_SMRAM_D_LCK) {
        *smram &= ~MCH_HOST_BRIDGE_SMRAM_D_OPEN;
        d->wmask[MCH_HOST_BRIDGE_SMRAM] = MCH_HOST_BRIDGE_SMRAM_WMASK_LCK;
        d->wmask[MCH_HOST_BRIDGE_ESMRAMC] = 0;
    }
    if (*smram & MCH_HOST_BRIDGE_SMRAM_D_OPEN) {
        /* Open: RAM at 0xa0000, or high SMRAM when H_SMRAME. */
        memory_region_set_enabled(&mch->smram_region, h_smrame);
        memory_region_set_enabled(&mch->open_high_smram, h_smrame);
    } else {
        memory_region_set_enabled(&mch->smram_region, true);
        memory_region_set_enabled(&mch->open_high_smram, false);
    }
    if (mch->tseg_blackhole.container) {
        memory_region_del_subregion(get_system_memory(),
                                    &mch->tseg_blackhole);
    }
    if (tseg && tseg <= mch->below_4g_mem_size) {
        memory_region_set_size(&mch->tseg_blackhole, tseg);
        memory_region_add_subregion_overlap(get_system_memory(),
                                            mch->below_4g_mem_size - tseg,
                                            &mch->tseg_blackhole, 1);
    }
}

static void mch_update_ext_tseg_mbytes(MCHPCIState *mch)
{
    uint8_t *reg = mch->parent_obj.config + MCH_HOST_BRIDGE_EXT_TSEG_MBYTES;

    if (mch->ext_tseg_mbytes > 0 &&
        pci_get_word(reg) == MCH_HOST_BRIDGE_EXT_TSEG_MBYTES_QUERY) {
        pci_set_word(reg, mch->ext_tseg_mbytes);
    }
}

/*
 * F_SMBASE: 0xff asks for SMRAM at SMBASE (reads back 0x01), then bit 1
 * locks it: the register freezes at 0x02 and 0x30000..0x4ffff becomes a
 * hole.  Any other value before the query reads back 0.
 */
static void mch_update_smbase_smram(MCHPCIState *mch)
{
    PCIDevice *d = &mch->parent_obj;
    uint8_t *reg = d->config + MCH_HOST_BRIDGE_F_SMBASE;
    bool lck = false;

    if (!mch->has_smram_at_smbase) {
        return;
    }
    if (*reg == MCH_HOST_BRIDGE_F_SMBASE_QUERY) {
        d->wmask[MCH_HOST_BRIDGE_F_SMBASE] = MCH_HOST_BRIDGE_F_SMBASE_LCK;
        *reg = MCH_HOST_BRIDGE_F_SMBASE_IN_RAM;
        return;
    }
    if (d->wmask[MCH_HOST_BRIDGE_F_SMBASE] == 0xff) {
        *reg = 0;
    }
    if (*reg & MCH_HOST_BRIDGE_F_SMBASE_LCK) {
        d->wmask[MCH_HOST_BRIDGE_F_SMBASE] &= ~MCH_HOST_BRIDGE_F_SMBASE_LCK;
        *reg = MCH_HOST_BRIDGE_F_SMBASE_LCK;
        lck = true;
    }
    memory_region_set_enabled(&mch->smbase_blackhole, lck);
}

static void mch_update(MCHPCIState *mch)
{
    if (mch->host) {
        q35_host_mmcfg_update(mch->host,
                              pci_get_quad(mch->parent_obj.config +
                                           MCH_HOST_BRIDGE_PCIEXBAR));
    }
    pam_update(&mch->pam, mch->parent_obj.config + MCH_HOST_BRIDGE_PAM0);
    mch_update_smram(mch);
    mch_update_ext_tseg_mbytes(mch);
    mch_update_smbase_smram(mch);
}

void mch_post_load_update(MCHPCIState *mch)
{
    PCIDevice *d = &mch->parent_obj;
    uint8_t reg = d->config[MCH_HOST_BRIDGE_F_SMBASE];

    /* wmask is not migrated: rebuild what the register value implies. */
    if (reg == MCH_HOST_BRIDGE_F_SMBASE_IN_RAM) {
        d->wmask[MCH_HOST_BRIDGE_F_SMBASE] = MCH_HOST_BRIDGE_F_SMBASE_LCK;
    } else if (reg & MCH_HOST_BRIDGE_F_SMBASE_LCK) {
        d->wmask[MCH_HOST_BRIDGE_F_SMBASE] = 0;
    }
    mch_update(mch);
}

static bool ranges_overlap(uint32_t a, int alen, uint32_t b, int blen)
{
    return a < b + blen && b < a + alen;
}

static void mch_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                             int len)
{
    MCHPCIState *mch = MCH_PCI_DEVICE(d);

    pci_default_write_config(d, addr, val, len);
    if (ranges_overlap(addr, len, MCH_HOST_BRIDGE_PCIEXBAR, 8) && mch->host) {
        q35_host_mmcfg_update(mch->host,
                              pci_get_quad(d->config +
                                           MCH_HOST_BRIDGE_PCIEXBAR));
    }
    if (ranges_overlap(addr, len, MCH_HOST_BRIDGE_PAM0,
                       MCH_HOST_BRIDGE_PAM_SIZE)) {
        pam_update(&mch->pam, d->config + MCH_HOST_BRIDGE_PAM0);
    }
    if (ranges_overlap(addr, len, MCH_HOST_BRIDGE_SMRAM, 2)) {
        mch_update_smram(mch);
    }
    if (ranges_overlap(addr, len, MCH_HOST_BRIDGE_EXT_TSEG_MBYTES, 2)) {
        mch_update_ext_tseg_mbytes(mch);
    }
    if (ranges_overlap(addr, len, MCH_HOST_BRIDGE_F_SMBASE, 1)) {
        mch_update_smbase_smram(mch);
    }
}

static void mch_reset(PCIDevice *d)
{
    MCHPCIState *mch = MCH_PCI_DEVICE(d);

    pci_set_quad(d->config + MCH_HOST_BRIDGE_PCIEXBAR,
                 MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT);
    d->config[MCH_HOST_BRIDGE_SMRAM] = MCH_HOST_BRIDGE_SMRAM_DEFAULT;
    d->config[MCH_HOST_BRIDGE_ESMRAMC] = MCH_HOST_BRIDGE_ESMRAMC_DEFAULT;
    d->wmask[MCH_HOST_BRIDGE_SMRAM] = MCH_HOST_BRIDGE_SMRAM_WMASK;
    d->wmask[MCH_HOST_BRIDGE_ESMRAMC] = MCH_HOST_BRIDGE_ESMRAMC_WMASK;
    if (mch->ext_tseg_mbytes > 0) {
        pci_set_word(d->config + MCH_HOST_BRIDGE_EXT_TSEG_MBYTES,
                     MCH_HOST_BRIDGE_EXT_TSEG_MBYTES_QUERY);
    }
    d->config[MCH_HOST_BRIDGE_F_SMBASE] = 0;
    d->wmask[MCH_HOST_BRIDGE_F_SMBASE] = 0xff;
    mch_update(mch);
}

static void mch_realize(PCIDevice *d, GError **errp)
{
    MCHPCIState *mch = MCH_PCI_DEVICE(d);
    MachineState *ms = current_machine;
    MemoryRegion *sysmem = get_system_memory();
    uint64_t ram_size = ms ? ms->ram_size : 0;

    if (mch->ext_tseg_mbytes > MCH_HOST_BRIDGE_EXT_TSEG_MBYTES_MAX) {
        error_setg(errp, "invalid extended-tseg-mbytes value: %u",
                   mch->ext_tseg_mbytes);
        return;
    }
    /* As QEMU's q35 splits RAM: above 2.75 GiB only 2 GiB stay low. */
    mch->below_4g_mem_size = ram_size >= 0xb0000000 ? 0x80000000 : ram_size;

    /* The device-specific registers are the guest's to write, as in QEMU. */
    memset(d->wmask + 0x40, 0xff, 0x100 - 0x40);
    /* Base bits 35:26, length and enable are writable. */
    pci_set_quad(d->wmask + MCH_HOST_BRIDGE_PCIEXBAR,
                 0xffc000000ULL | MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK |
                 MCH_HOST_BRIDGE_PCIEXBAREN);
    pci_set_quad(d->config + MCH_HOST_BRIDGE_PCIEXBAR,
                 MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT);

    if (mch->host) {
        memory_region_init_alias(&mch->smram_region, OBJECT(mch),
                                 "smram-region", &mch->host->pci_mem,
                                 MCH_HOST_BRIDGE_SMRAM_C_BASE,
                                 MCH_HOST_BRIDGE_SMRAM_C_SIZE);
        memory_region_add_subregion_overlap(sysmem,
                                            MCH_HOST_BRIDGE_SMRAM_C_BASE,
                                            &mch->smram_region, 1);
    }
    if (ms && ms->ram && ram_size > MCH_HOST_BRIDGE_SMRAM_C_BASE +
                                    MCH_HOST_BRIDGE_SMRAM_C_SIZE) {
        memory_region_init_alias(&mch->open_high_smram, OBJECT(mch),
                                 "smram-open-high", ms->ram,
                                 MCH_HOST_BRIDGE_SMRAM_C_BASE,
                                 MCH_HOST_BRIDGE_SMRAM_C_SIZE);
        memory_region_set_enabled(&mch->open_high_smram, false);
        memory_region_add_subregion_overlap(sysmem, 0xfeda0000,
                                            &mch->open_high_smram, 1);
    }
    pam_init(&mch->pam, OBJECT(mch), ms ? ms->ram : NULL);
    memory_region_init_io(&mch->tseg_blackhole, OBJECT(mch), &blackhole_ops,
                          mch, "tseg-blackhole", 0);
    memory_region_init_io(&mch->smbase_blackhole, OBJECT(mch),
                          &blackhole_ops, mch, "smbase-blackhole",
                          MCH_HOST_BRIDGE_SMBASE_SIZE);
    memory_region_set_enabled(&mch->smbase_blackhole, false);
    memory_region_add_subregion_overlap(sysmem, MCH_HOST_BRIDGE_SMBASE_ADDR,
                                        &mch->smbase_blackhole, 1);
}

static void mch_exit(PCIDevice *d)
{
    MCHPCIState *mch = MCH_PCI_DEVICE(d);

    memory_region_finalize(&mch->smram_region);
    memory_region_finalize(&mch->open_high_smram);
    memory_region_finalize(&mch->tseg_blackhole);
    memory_region_finalize(&mch->smbase_blackhole);
    pam_finalize(&mch->pam);
}

static Property mch_props[] = {
    DEFINE_PROP_UINT16("extended-tseg-mbytes", MCHPCIState, ext_tseg_mbytes,
                       16),
    DEFINE_PROP_BOOL("smbase-smram", MCHPCIState, has_smram_at_smbase, true),
    DEFINE_PROP_END_OF_LIST(),
};

static void mch_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = mch_realize;
    pc->exit = mch_exit;
    pc->reset = mch_reset;
    pc->config_write = mch_write_config;
    pc->vendor_id = MCH_HOST_BRIDGE_VENDOR_ID;
    pc->device_id = MCH_HOST_BRIDGE_DEVICE_ID;
    pc->revision = 0;
    pc->class_id = PCI_CLASS_BRIDGE_HOST;
    dc->desc = "Host bridge";
    dc->vmsd = &vmstate_mch;
    dc->user_creatable = false;
    dc->hotpluggable = false;
    device_class_set_props(dc, mch_props);
}

static const TypeInfo mch_info = {
    .name = TYPE_MCH_PCI_DEVICE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(MCHPCIState),
    .class_init = mch_class_init,
};

Q35PCIHost *q35_host_create(Object *machine, GError **errp)
{
    DeviceState *host = qdev_new(TYPE_Q35_HOST_DEVICE);
    Q35PCIHost *s = Q35_HOST_DEVICE(host);
    DeviceState *mch;

    object_property_add_child(machine, "q35", OBJECT(host));
    if (!qdev_realize_and_unref(host, sysbus_get_default(), errp)) {
        return NULL;
    }
    mch = qdev_new(TYPE_MCH_PCI_DEVICE);
    PCI_DEVICE(mch)->devfn = 0;
    MCH_PCI_DEVICE(mch)->host = s;
    object_property_add_child(OBJECT(host), "mch", OBJECT(mch));
    if (!qdev_realize_and_unref(mch, BUS(s->bus), errp)) {
        return NULL;
    }
    s->mch = MCH_PCI_DEVICE(mch);
    return s;
}

static void q35_register_types(void)
{
    type_register_static(&q35_host_info);
    type_register_static(&mch_info);
}

type_init(q35_register_types)
