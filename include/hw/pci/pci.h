/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PCI core: PCI devices (type "pci-device"), PCI and PCI Express buses
 * ("PCI", "PCIE"), configuration space with its masks, BARs, capabilities,
 * INTx, MSI and MSI-X.
 *
 * A device's configuration space is four byte arrays of config_size bytes:
 *   config   the register values;
 *   wmask    bits the guest may write;
 *   w1cmask  bits the guest clears by writing 1 (status registers);
 *   cmask    bits that must not change after realize (checked on load).
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include "hw/qdev-core.h"
#include "hw/pci/pci_regs.h"
#include "exec/memory.h"

#define TYPE_PCI_DEVICE "pci-device"
#define TYPE_PCI_BUS "PCI"
#define TYPE_PCIE_BUS "PCIE"

typedef uint64_t pcibus_t;
#define PCI_BAR_UNMAPPED (~(pcibus_t)0)

typedef struct PCIDevice PCIDevice;
typedef struct PCIBus PCIBus;

typedef struct PCIIORegion {
    pcibus_t addr;              /* current mapping, PCI_BAR_UNMAPPED if none */
    pcibus_t size;
    uint8_t type;               /* PCI_BASE_ADDRESS_* type bits */
    MemoryRegion *memory;       /* NULL: BAR not implemented */
    MemoryRegion *address_space; /* the bus space it maps into */
} PCIIORegion;

/* Native PCIe hotplug state of a port (see hw/pci/pcie.h). */
typedef struct PCIExpressState {
    uint8_t exp_cap;            /* offset of the PCIe capability, 0: none */
    uint16_t aer_cap;
    bool hpev_notified;         /* slot interrupt currently asserted */
} PCIExpressState;

struct PCIDevice {
    DeviceState qdev;

    uint8_t *config;
    uint8_t *cmask;
    uint8_t *wmask;
    uint8_t *w1cmask;
    uint8_t *used;              /* bytes claimed by capabilities */
    uint32_t config_size;       /* 256, or 4096 for PCI Express functions */

    PCIBus *bus;
    int32_t devfn;              /* "addr", -1: first free slot */
    char name[64];
    PCIIORegion io_regions[PCI_NUM_REGIONS];

    /* Properties */
    uint32_t cap_present;       /* QEMU_PCI_CAP_* bits, incl. multifunction */
    uint32_t rombar;
    char *romfile;
    char *failover_pair_id;

    /* INTx */
    int irq_state;              /* level of our INTx pin */

    /* MSI / MSI-X */
    uint8_t msi_cap;
    uint8_t msix_cap;
    int msix_entries;
    uint8_t *msix_table;        /* entries * 16 bytes */
    uint8_t *msix_pba;
    MemoryRegion msix_table_mmio;
    MemoryRegion msix_pba_mmio;

    PCIExpressState exp;

    /*
     * Slot power: false while the slot above us is powered off (native
     * hotplug); the function then reads all-ones and ignores writes.
     */
    bool has_power;
    /*
     * Failover: the device is being unplugged only from the guest's view.
     * Once the guest ejects it (pending_deleted_event cleared), it is
     * "ejected": alive in baton, invisible in config space.
     */
    bool partially_hotplugged;

    MemoryRegion rom;
    bool has_rom;
    uint8_t *rom_data;          /* ROM BAR contents (file, zero-padded) */
    uint64_t rom_data_len;
};

typedef struct PCIDeviceClass {
    DeviceClass parent_class;
    void (*realize)(PCIDevice *dev, GError **errp);
    void (*exit)(PCIDevice *dev);
    /* Config accessors; default to pci_default_{read,write}_config. */
    uint32_t (*config_read)(PCIDevice *dev, uint32_t addr, int len);
    void (*config_write)(PCIDevice *dev, uint32_t addr, uint32_t val,
                         int len);
    void (*reset)(PCIDevice *dev);
    uint16_t vendor_id;
    uint16_t device_id;
    uint8_t revision;
    uint8_t class_prog;
    uint16_t class_id;
    uint16_t subsystem_vendor_id;   /* 0: 1af4:1100 on type-0 headers */
    uint16_t subsystem_id;
    bool is_bridge;                 /* type-1 header */
    bool is_express;                /* 4 KiB config space on a PCIe bus */
    const char *romfile;            /* default option ROM, NULL: none */
    /* BAR size used when the default ROM image is not installed. */
    uint32_t romsize;
} PCIDeviceClass;

#define QEMU_PCI_CAP_MULTIFUNCTION_BITNR 3
#define QEMU_PCI_CAP_MULTIFUNCTION (1 << QEMU_PCI_CAP_MULTIFUNCTION_BITNR)
#define QEMU_PCI_CAP_EXPRESS (1 << 2)

#define PCI_DEVICE(obj) OBJECT_CHECK(PCIDevice, (obj), TYPE_PCI_DEVICE)
#define PCI_DEVICE_CLASS(oc) \
    OBJECT_CLASS_CHECK(PCIDeviceClass, (oc), TYPE_PCI_DEVICE)
#define PCI_DEVICE_GET_CLASS(obj) \
    OBJECT_GET_CLASS(PCIDeviceClass, (obj), TYPE_PCI_DEVICE)

/* Routing of INTx pins from a bus towards the interrupt controller. */
typedef int (*pci_map_irq_fn)(PCIDevice *dev, int pin);
typedef void (*pci_set_irq_fn)(void *opaque, int irq, int level);

struct PCIBus {
    BusState qbus;
    PCIDevice *devices[PCI_SLOT_MAX * PCI_FUNC_MAX];
    PCIDevice *parent_dev;      /* bridge above us; NULL for a root bus */
    MemoryRegion *address_space_mem;
    MemoryRegion *address_space_io;
    /* Root bus only: where INTx ends up. */
    pci_map_irq_fn map_irq;
    pci_set_irq_fn set_irq;
    void *irq_opaque;
    int nirq;
    int *irq_count;
    /* ACPI PCI hotplug bus selector, -1 until numbered. */
    int acpi_bsel;
};

#define PCI_BUS(obj) OBJECT_CHECK(PCIBus, (obj), TYPE_PCI_BUS)

/* Buses */
PCIBus *pci_root_bus_new(DeviceState *parent, const char *name,
                         MemoryRegion *mem, MemoryRegion *io,
                         const char *typename);
void pci_bus_irqs(PCIBus *bus, pci_set_irq_fn set_irq, pci_map_irq_fn map_irq,
                  void *opaque, int nirq);
bool pci_bus_is_root(PCIBus *bus);
bool pci_bus_is_express(PCIBus *bus);
/* Bus number as the guest sees it: 0 for the root, else the bridge's
 * secondary bus register. */
int pci_bus_num(PCIBus *bus);
/* The name of a class code ("Ethernet controller"), NULL if none; g_free. */
char *pci_class_desc(uint16_t class);
/* The bus with that number, reached through the bridges' bus ranges. */
PCIBus *pci_find_bus_nr(PCIBus *root, int bus_num);
PCIDevice *pci_find_device(PCIBus *bus, int bus_num, uint8_t devfn);
PCIBus *pci_get_bus(PCIDevice *dev);
PCIBus *pci_device_root_bus(PCIDevice *dev);
/* Child buses of bridges sitting on bus, newest bridge first. */
GList *pci_bus_child_buses(PCIBus *bus);

/* Host side of configuration cycles (0xcfc / MMCONFIG). */
uint32_t pci_host_config_read(PCIDevice *dev, uint32_t addr, uint32_t limit,
                              int len);
void pci_host_config_write(PCIDevice *dev, uint32_t addr, uint32_t limit,
                           uint32_t val, int len);

/* Devices */
PCIDevice *pci_create_simple(PCIBus *bus, int devfn, const char *name);
PCIDevice *pci_create_simple_multifunction(PCIBus *bus, int devfn,
                                           const char *name);
void pci_register_bar(PCIDevice *dev, int region_num, uint8_t type,
                      MemoryRegion *memory);
pcibus_t pci_get_bar_addr(PCIDevice *dev, int region_num);
/* Recompute BAR mappings from the command register and BAR values. */
void pci_update_mappings(PCIDevice *dev);
MemoryRegion *pci_address_space(PCIDevice *dev);
MemoryRegion *pci_address_space_io(PCIDevice *dev);
bool pci_is_express(PCIDevice *dev);
/* Config space size the host may reach for dev. */
uint32_t pci_config_size(PCIDevice *dev);

uint32_t pci_default_read_config(PCIDevice *dev, uint32_t addr, int len);
void pci_default_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                              int len);
void pci_device_reset(PCIDevice *dev);

/* Capabilities: inserted at the head of the list, as real firmware sees
 * it.  offset 0 picks the first free place after 0x40. */
int pci_add_capability(PCIDevice *dev, uint8_t cap_id, uint8_t offset,
                       uint8_t size, GError **errp);
uint8_t pci_find_capability(PCIDevice *dev, uint8_t cap_id);
void pcie_add_capability(PCIDevice *dev, uint16_t cap_id, uint8_t cap_ver,
                         uint16_t offset, uint16_t size);

/* INTx on pin 0..3 (INTA..INTD) = config[PCI_INTERRUPT_PIN] - 1. */
void pci_set_irq(PCIDevice *dev, int level);
int pci_intx(PCIDevice *dev);

/* MSI */
int msi_init(PCIDevice *dev, uint8_t offset, unsigned nr_vectors,
             bool msi64bit, bool per_vector_mask, GError **errp);
bool msi_enabled(PCIDevice *dev);
void msi_notify(PCIDevice *dev, unsigned vector);
/* MSI-X with table and PBA in BAR bar (which the caller registers). */
int msix_init(PCIDevice *dev, unsigned short nentries, MemoryRegion *bar,
              uint8_t table_bar_nr, uint32_t table_offset,
              uint8_t pba_bar_nr, uint32_t pba_offset, uint8_t cap_pos,
              GError **errp);
bool msix_enabled(PCIDevice *dev);
void msix_notify(PCIDevice *dev, unsigned vector);
/* Config writes touching the MSI-X control: deliver unmasked pendings. */
void msix_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, int len);
void msix_reset(PCIDevice *dev);
void msix_uninit(PCIDevice *dev);

/*
 * Hotplug state.
 *
 * is_pci_dev_ejected(): a partially unplugged device whose guest has
 * ejected it: config space reads all-ones, writes are dropped.
 */
bool pci_device_is_ejected(PCIDevice *dev);
/* Whether config cycles reach the device (powered and not ejected). */
bool pci_device_is_visible(PCIDevice *dev);
void pci_set_power(PCIDevice *dev, bool state);

/*
 * Failover hooks.
 *
 * pci_device_partial_unplug_request(): ask the guest to unplug dev through
 * its bus's hotplug handler (ACPI: DOWN bit + GPE; native: attention
 * button), but when the guest ejects it only mark it ejected: dev stays
 * realized, keeps its id and state, and no DEVICE_DELETED is sent.
 * On error (e.g. the slot cannot hotplug) dev is left as it was.
 *
 * pci_device_replug(): undo a partial unplug: dev leaves the partially
 * hotplugged state and the handler's pre_plug + plug run again, so the
 * guest sees a hot-add (ACPI: UP bit + GPE; native: PDS, PDC, ABP).
 */
bool pci_device_partial_unplug_request(PCIDevice *dev, GError **errp);
bool pci_device_replug(PCIDevice *dev, GError **errp);
/* True while a (partial or full) unplug request awaits the guest. */
bool pci_device_unplug_pending(PCIDevice *dev);

/*
 * Called by hotplug handlers when the guest ejected dev: a partially
 * hotplugged device only loses its pending mark; any other is unplugged
 * and deleted (DEVICE_DELETED).
 */
void pci_device_guest_eject(PCIDevice *dev);

/*
 * Told after the guest ejected a partially hotplugged device, i.e. when
 * its pending unplug cleared without deleting it (failover tracks this).
 */
typedef void PCIPartialEjectNotify(PCIDevice *dev);
void pci_set_partial_eject_notify(PCIPartialEjectNotify *fn);

/*
 * Migration state of a PCI function (hw/pci/pci-vmstate.c): config space,
 * INTx level, MSI-X table and PBA; loading re-maps the BARs.  A device
 * with more state embeds it with VMSTATE_PCI_DEVICE(parent_obj, MyState)
 * (needs migration/vmstate.h).
 */
extern const VMStateDescription vmstate_pci_device;
#define VMSTATE_PCI_DEVICE(_field, _state) \
    VMSTATE_STRUCT(_field, _state, vmstate_pci_device, PCIDevice)
extern const VMStateDescription vmstate_pcie_root_port;
extern const VMStateDescription vmstate_ioh3420;

/* Little-endian accessors on config arrays. */
static inline void pci_set_byte(uint8_t *c, uint8_t v) { c[0] = v; }
static inline uint8_t pci_get_byte(const uint8_t *c) { return c[0]; }
static inline void pci_set_word(uint8_t *c, uint16_t v)
{
    c[0] = v;
    c[1] = v >> 8;
}
static inline uint16_t pci_get_word(const uint8_t *c)
{
    return c[0] | (c[1] << 8);
}
static inline void pci_set_long(uint8_t *c, uint32_t v)
{
    pci_set_word(c, v);
    pci_set_word(c + 2, v >> 16);
}
static inline uint32_t pci_get_long(const uint8_t *c)
{
    return pci_get_word(c) | ((uint32_t)pci_get_word(c + 2) << 16);
}
static inline void pci_set_quad(uint8_t *c, uint64_t v)
{
    pci_set_long(c, v);
    pci_set_long(c + 4, v >> 32);
}
static inline uint64_t pci_get_quad(const uint8_t *c)
{
    return pci_get_long(c) | ((uint64_t)pci_get_long(c + 4) << 32);
}

#endif
