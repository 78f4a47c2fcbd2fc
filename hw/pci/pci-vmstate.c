/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration state of PCI functions: configuration space, INTx level and
 * the MSI-X table and PBA; PCIe root ports add their slot interrupt; the
 * q35 host adds its latched CONFIG_ADDRESS and the MCH its ECAM window.
 * After loading, everything derived from config space (BAR mappings,
 * bridge windows, slot power, ECAM) is rebuilt from it.
 */
#include "hw/pci/pci.h"
#include "hw/pci/pci_bridge.h"
#include "hw/pci/pcie.h"
#include "hw/pci-host/q35.h"
#include "migration/vmstate.h"
#include "qapi/error.h"

/*
 * Loading overwrites config space; what the device had before is kept
 * here to check the bits that must never change (cmask: ids, class,
 * capability layout).  Devices load one at a time.
 */
static uint8_t saved_config[PCIE_CONFIG_SPACE_SIZE];
static int saved_irq_state;

static bool pci_pre_load(void *opaque, GError **errp)
{
    PCIDevice *d = opaque;

    memcpy(saved_config, d->config, MIN(d->config_size,
                                        sizeof(saved_config)));
    saved_irq_state = d->irq_state;
    return true;
}

/* Guest-writable bits may differ; fixed ones may not: which do, of len. */
static uint64_t fixed_diff(const PCIDevice *d, size_t i, size_t len)
{
    uint64_t cfg = 0, was = 0, c = 0, w = 0, w1c = 0;

    memcpy(&cfg, d->config + i, len);
    memcpy(&was, saved_config + i, len);
    memcpy(&c, d->cmask + i, len);
    memcpy(&w, d->wmask + i, len);
    memcpy(&w1c, d->w1cmask + i, len);
    return (cfg ^ was) & c & ~w & ~w1c;
}

static bool pci_post_load(void *opaque, int version_id, GError **errp)
{
    PCIDevice *d = opaque;
    int level = d->irq_state;
    size_t n = MIN(d->config_size, sizeof(saved_config));

    /* Eight bytes at a time (4 KiB per PCIe function), then the byte. */
    for (size_t i = 0; i < n; i += 8) {
        size_t len = MIN(8, n - i);

        if (!fixed_diff(d, i, len)) {
            continue;
        }
        for (size_t b = i; b < i + len; b++) {
            uint8_t fixed = d->cmask[b] & ~d->wmask[b] & ~d->w1cmask[b];

            if ((d->config[b] ^ saved_config[b]) & fixed) {
                error_setg(errp, "PCI config byte 0x%zx is 0x%02x, this "
                           "device has 0x%02x (mask 0x%02x)", b,
                           d->config[b], saved_config[b], fixed);
                memcpy(d->config, saved_config, d->config_size);
                return false;
            }
        }
    }
    if (level != 0 && level != 1) {
        error_setg(errp, "invalid INTx level %d", level);
        d->irq_state = saved_irq_state;
        return false;
    }
    /* Replay the level through the bus so its pin counts follow. */
    d->irq_state = saved_irq_state;
    pci_set_irq(d, level);
    pci_update_mappings(d);
    if (object_dynamic_cast(OBJECT(d), TYPE_PCI_BRIDGE)) {
        pci_bridge_update_mappings(PCI_BRIDGE(d));
    }
    return true;
}

static uint64_t pci_msix_table_bytes(void *opaque)
{
    return (uint64_t)((PCIDevice *)opaque)->msix_entries * 16;
}

static uint64_t pci_msix_pba_bytes(void *opaque)
{
    return ((uint64_t)((PCIDevice *)opaque)->msix_entries + 63) / 64 * 8;
}

static bool pci_msix_needed(void *opaque)
{
    return ((PCIDevice *)opaque)->msix_entries > 0;
}

#define PCI_MSIX_MAX_ENTRIES 2048

static const VMStateDescription vmstate_pci_msix = {
    .name = "pci/msix",
    .version_id = 1,
    .needed = pci_msix_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_VBUFFER_POINTER_FN(msix_table, PCIDevice,
                                   pci_msix_table_bytes,
                                   PCI_MSIX_MAX_ENTRIES * 16),
        VMSTATE_VBUFFER_POINTER_FN(msix_pba, PCIDevice, pci_msix_pba_bytes,
                                   PCI_MSIX_MAX_ENTRIES / 8),
        VMSTATE_END_OF_LIST()
    },
};

const VMStateDescription vmstate_pci_device = {
    .name = "pci-device",
    .version_id = 1,
    .pre_load = pci_pre_load,
    .post_load = pci_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_VBUFFER_POINTER(config, PCIDevice, config_size,
                                PCIE_CONFIG_SPACE_SIZE),
        VMSTATE_INT32(irq_state, PCIDevice),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const[]) {
        &vmstate_pci_msix,
        NULL
    },
};

/* PCIe root port: the function, then its slot interrupt state. */

static bool root_port_post_load(void *opaque, int version_id, GError **errp)
{
    PCIDevice *d = opaque;

    if (d->exp.exp_cap) {
        /* Functions below follow the restored Power Controller Control. */
        pcie_cap_update_power(d);
    }
    return true;
}

/* The PCIDevice itself, first member of the port, then its slot state. */
static const VMStateField root_port_fields[] = {
    { .name = "pci", .kind = VMS_STRUCT, .offset = 0,
      .size = sizeof(PCIDevice), .vmsd = &vmstate_pci_device },
    VMSTATE_BOOL(exp.hpev_notified, PCIDevice),
    VMSTATE_END_OF_LIST()
};

const VMStateDescription vmstate_pcie_root_port = {
    .name = "pcie-root-port",
    .version_id = 1,
    .post_load = root_port_post_load,
    .fields = root_port_fields,
};

/* The same state under QEMU's name for ioh3420 (sic). */
const VMStateDescription vmstate_ioh3420 = {
    .name = "ioh-3240-express-root-port",
    .version_id = 1,
    .post_load = root_port_post_load,
    .fields = root_port_fields,
};

/* q35 host bridge: the MCH's PCIEXBAR decides where ECAM is mapped. */

static bool mch_post_load(void *opaque, int version_id, GError **errp)
{
    /* ECAM, SMRAM, TSEG and SMBASE decoding follow the registers. */
    mch_post_load_update(opaque);
    return true;
}

const VMStateDescription vmstate_mch = {
    .name = "mch",
    .version_id = 1,
    .post_load = mch_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, MCHPCIState),
        VMSTATE_END_OF_LIST()
    },
};

const VMStateDescription vmstate_q35_host = {
    .name = "q35-pcihost",
    .version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(cfg.config_reg, Q35PCIHost),
        VMSTATE_END_OF_LIST()
    },
};
