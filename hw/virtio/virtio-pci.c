/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pci: the PCI function carrying a virtio device.
 *
 * Layout as QEMU 8.1 exposes it (see shared/reference/virtio-pci.md):
 * behind a PCIe port a modern-only function 1af4:(1040 + id) with a PCIe
 * endpoint and PM capability; elsewhere a transitional 1af4:1000-range
 * function that also has the legacy I/O BAR 0.  The modern registers are
 * four 4 KiB regions of the 64-bit prefetchable BAR 4 (common, ISR,
 * device, notify), found through vendor capabilities; MSI-X lives in
 * BAR 1; a PCI_CFG capability gives config-space access to BAR 4.
 */
#include <string.h>

#include "hw/virtio/virtio-pci.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"
#include "qapi/error.h"
#include "migration/vmstate.h"

#define PCI_PM_SIZEOF           8
#define PCI_PM_PMC              2
#define PCI_PM_CTRL             4
#define PCI_PM_CTRL_STATE_MASK  0x0003
#define PCI_EXP_DEVCAP_FLR      0x10000000
#define PCI_EXP_LNKCAP_ASPM_L0S 0x00000400
#define PCI_EXP_DEVCTL_BCR_FLR  0x8000

/* Vendor capability: id, next, len, cfg_type, bar, pad[3], offset, length */
#define VIRTIO_CAP_CFG_TYPE     3
#define VIRTIO_CAP_BAR          4
#define VIRTIO_CAP_OFFSET       8
#define VIRTIO_CAP_LENGTH       12
#define VIRTIO_CAP_MULTIPLIER   16      /* notify cap only */
#define VIRTIO_CAP_PCI_CFG_DATA 16      /* PCI_CFG cap only */
#define VIRTIO_CAP_LEN          16
#define VIRTIO_NOTIFY_CAP_LEN   20
#define VIRTIO_PCI_CFG_CAP_LEN  20

static VirtIODevice *proxy_vdev(VirtIOPCIProxy *proxy)
{
    return proxy->bus ? virtio_bus_get_device(proxy->bus) : NULL;
}

bool virtio_pci_modern(VirtIOPCIProxy *proxy)
{
    return !proxy->disable_modern;
}

bool virtio_pci_legacy(VirtIOPCIProxy *proxy)
{
    return proxy->disable_legacy == ON_OFF_AUTO_OFF;
}

/* A vector the driver may use; anything else reads back as NO_VECTOR. */
static uint16_t proxy_vector(VirtIOPCIProxy *proxy, uint64_t val)
{
    return val < proxy->nvectors ? val : VIRTIO_NO_VECTOR;
}

static void virtio_pci_reset_queues(VirtIOPCIProxy *proxy)
{
    memset(proxy->vqs, 0, sizeof(proxy->vqs));
}

/* Reset through the transport (status 0, legacy PFN 0, bus reset). */
static void virtio_pci_reset_device(VirtIOPCIProxy *proxy)
{
    VirtIODevice *vdev = proxy_vdev(proxy);

    if (vdev) {
        virtio_reset(vdev);
    }
    virtio_pci_reset_queues(proxy);
}

static void virtio_pci_write_status(VirtIOPCIProxy *proxy, uint8_t val)
{
    VirtIODevice *vdev = proxy_vdev(proxy);

    virtio_set_status(vdev, val);
    if (vdev->status == 0) {
        virtio_pci_reset_device(proxy);
    }
}

static uint8_t virtio_pci_read_isr(VirtIOPCIProxy *proxy)
{
    VirtIODevice *vdev = proxy_vdev(proxy);
    uint8_t val = vdev->isr;

    /* Reading acknowledges: clear and drop INTx. */
    vdev->isr = 0;
    pci_set_irq(&proxy->pci_dev, 0);
    return val;
}

/* ---- Modern common configuration ---------------------------------------- */

/*
 * The register copies of queue sel.  Past the queues a device can have
 * (VIRTIO_QUEUE_ALLOC), a queue that does not exist: reads 0, keeps
 * nothing (scratch, zeroed here, takes the writes).
 */
static VirtIOPCIQueue *proxy_queue(VirtIOPCIProxy *proxy, uint16_t sel,
                                   VirtIOPCIQueue *scratch)
{
    if (sel < VIRTIO_QUEUE_ALLOC) {
        return &proxy->vqs[sel];
    }
    memset(scratch, 0, sizeof(*scratch));
    return scratch;
}

static uint64_t common_read(void *opaque, hwaddr addr, unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;
    VirtIODevice *vdev = proxy_vdev(proxy);
    VirtioDeviceClass *vdc;
    VirtIOPCIQueue scratch, *pq;
    VirtQueue *vq;
    uint16_t sel;

    if (!vdev) {
        return 0;
    }
    vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    sel = vdev->queue_sel;
    vq = virtio_queue_at(vdev, sel);
    pq = proxy_queue(proxy, sel, &scratch);
    switch (addr) {
    case VIRTIO_PCI_COMMON_DFSELECT:
        return proxy->dfselect;
    case VIRTIO_PCI_COMMON_DF:
        if (proxy->dfselect > 1) {
            return 0;
        }
        return (uint32_t)((vdev->host_features & ~vdc->legacy_features) >>
                          (32 * proxy->dfselect));
    case VIRTIO_PCI_COMMON_GFSELECT:
        return proxy->gfselect;
    case VIRTIO_PCI_COMMON_GF:
        return proxy->gfselect <= 1 ? proxy->guest_features[proxy->gfselect]
                                    : 0;
    case VIRTIO_PCI_COMMON_MSIX:
        return vdev->config_vector;
    case VIRTIO_PCI_COMMON_NUMQ:
        return virtio_get_num_queues(vdev);
    case VIRTIO_PCI_COMMON_STATUS:
        return vdev->status;
    case VIRTIO_PCI_COMMON_CFGGENERATION:
        return vdev->generation;
    case VIRTIO_PCI_COMMON_Q_SELECT:
        return sel;
    case VIRTIO_PCI_COMMON_Q_SIZE:
        return vq ? vq->num : 0;
    case VIRTIO_PCI_COMMON_Q_MSIX:
        return vq ? vq->vector : VIRTIO_NO_VECTOR;
    case VIRTIO_PCI_COMMON_Q_ENABLE:
        return pq->enabled;
    case VIRTIO_PCI_COMMON_Q_NOFF:
        return sel;
    case VIRTIO_PCI_COMMON_Q_DESCLO:
        return pq->desc[0];
    case VIRTIO_PCI_COMMON_Q_DESCHI:
        return pq->desc[1];
    case VIRTIO_PCI_COMMON_Q_AVAILLO:
        return pq->avail[0];
    case VIRTIO_PCI_COMMON_Q_AVAILHI:
        return pq->avail[1];
    case VIRTIO_PCI_COMMON_Q_USEDLO:
        return pq->used[0];
    case VIRTIO_PCI_COMMON_Q_USEDHI:
        return pq->used[1];
    default:
        return 0;
    }
}

static hwaddr join64(const uint32_t v[2])
{
    return ((hwaddr)v[1] << 32) | v[0];
}

static void common_write_features(VirtIOPCIProxy *proxy, VirtIODevice *vdev,
                                  uint32_t val)
{
    if (proxy->gfselect > 1) {
        return;
    }
    proxy->guest_features[proxy->gfselect] = val;
    /* The device sees both dwords on every write, as with QEMU. */
    virtio_set_features(vdev, ((uint64_t)proxy->guest_features[1] << 32) |
                              proxy->guest_features[0]);
}

static void common_write_queue_enable(VirtIOPCIProxy *proxy,
                                      VirtIODevice *vdev, uint64_t val)
{
    uint16_t sel = vdev->queue_sel;
    VirtIOPCIQueue scratch, *q = proxy_queue(proxy, sel, &scratch);

    if (val != 1) {
        virtio_error(vdev, "wrong value for queue_enable %" PRIx64, val);
        return;
    }
    virtio_queue_set_num(vdev, sel, q->num);
    virtio_queue_set_rings(vdev, sel, join64(q->desc), join64(q->avail),
                           join64(q->used));
    virtio_queue_enable(vdev, sel);
    q->enabled = true;
}

static void common_write(void *opaque, hwaddr addr, uint64_t val,
                         unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;
    VirtIODevice *vdev = proxy_vdev(proxy);
    VirtIOPCIQueue scratch, *pq;
    VirtQueue *vq;
    uint16_t sel;

    if (!vdev) {
        return;
    }
    sel = vdev->queue_sel;
    vq = virtio_queue_at(vdev, sel);
    pq = proxy_queue(proxy, sel, &scratch);
    switch (addr) {
    case VIRTIO_PCI_COMMON_DFSELECT:
        proxy->dfselect = val;
        break;
    case VIRTIO_PCI_COMMON_GFSELECT:
        proxy->gfselect = val;
        break;
    case VIRTIO_PCI_COMMON_GF:
        common_write_features(proxy, vdev, val);
        break;
    case VIRTIO_PCI_COMMON_MSIX:
        vdev->config_vector = proxy_vector(proxy, val);
        break;
    case VIRTIO_PCI_COMMON_STATUS:
        virtio_pci_write_status(proxy, val);
        break;
    case VIRTIO_PCI_COMMON_Q_SELECT:
        if (val < VIRTIO_QUEUE_MAX) {
            vdev->queue_sel = val;
        }
        break;
    case VIRTIO_PCI_COMMON_Q_SIZE:
        pq->num = val;
        virtio_queue_set_num(vdev, sel, pq->num);
        break;
    case VIRTIO_PCI_COMMON_Q_MSIX:
        if (vq && vq->num_default) {
            vq->vector = proxy_vector(proxy, val);
        }
        break;
    case VIRTIO_PCI_COMMON_Q_ENABLE:
        common_write_queue_enable(proxy, vdev, val);
        break;
    case VIRTIO_PCI_COMMON_Q_DESCLO:
        pq->desc[0] = val;
        break;
    case VIRTIO_PCI_COMMON_Q_DESCHI:
        pq->desc[1] = val;
        break;
    case VIRTIO_PCI_COMMON_Q_AVAILLO:
        pq->avail[0] = val;
        break;
    case VIRTIO_PCI_COMMON_Q_AVAILHI:
        pq->avail[1] = val;
        break;
    case VIRTIO_PCI_COMMON_Q_USEDLO:
        pq->used[0] = val;
        break;
    case VIRTIO_PCI_COMMON_Q_USEDHI:
        pq->used[1] = val;
        break;
    case VIRTIO_PCI_COMMON_Q_RESET:
        if (val == 1 && virtio_vdev_has_feature(vdev, VIRTIO_F_RING_RESET)) {
            virtio_queue_reset(vdev, sel);
            memset(pq, 0, sizeof(*pq));
        }
        break;
    default:
        break;
    }
}

static const MemoryRegionOps common_ops = {
    .read = common_read,
    .write = common_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 4,
};

/* ---- ISR, device config, notify ----------------------------------------- */

static uint64_t isr_read(void *opaque, hwaddr addr, unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;

    return proxy_vdev(proxy) && addr == 0 ? virtio_pci_read_isr(proxy) : 0;
}

static void ignore_write(void *opaque, hwaddr addr, uint64_t val,
                         unsigned size)
{
}

static const MemoryRegionOps isr_ops = {
    .read = isr_read,
    .write = ignore_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 4,
};

static uint64_t config_read(VirtIODevice *vdev, hwaddr addr, unsigned size)
{
    uint64_t val = 0;

    /* Past the config the bus floats: all-ones of the access size. */
    if (addr + size > vdev->config_len) {
        return size >= 8 ? UINT64_MAX : (1ULL << (8 * size)) - 1;
    }
    virtio_config_refresh(vdev);
    for (unsigned i = 0; i < size; i++) {
        val |= (uint64_t)vdev->config[addr + i] << (8 * i);
    }
    return val;
}

static uint64_t device_read(void *opaque, hwaddr addr, unsigned size)
{
    VirtIODevice *vdev = proxy_vdev(opaque);

    return vdev ? config_read(vdev, addr, size) : 0;
}

static void device_write(void *opaque, hwaddr addr, uint64_t val,
                         unsigned size)
{
    VirtIODevice *vdev = proxy_vdev(opaque);

    if (vdev) {
        virtio_config_write(vdev, addr, val, size);
    }
}

static const MemoryRegionOps device_ops = {
    .read = device_read,
    .write = device_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 4,
};

static uint64_t notify_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void notify_write(void *opaque, hwaddr addr, uint64_t val,
                         unsigned size)
{
    VirtIODevice *vdev = proxy_vdev(opaque);
    hwaddr queue = addr / VIRTIO_PCI_NOTIFY_MULTIPLIER;

    if (vdev && queue < VIRTIO_QUEUE_MAX) {
        virtio_queue_notify(vdev, queue);
    }
}

static const MemoryRegionOps notify_ops = {
    .read = notify_read,
    .write = notify_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 4,
};

/* Modern BAR by offset, for the PCI_CFG window. */
static const MemoryRegionOps *modern_lookup(hwaddr *off)
{
    static const MemoryRegionOps *const ops[] = {
        &common_ops, &isr_ops, &device_ops, &notify_ops,
    };
    hwaddr i = *off / VIRTIO_PCI_REGION_SIZE;

    if (i >= G_N_ELEMENTS(ops)) {
        return NULL;
    }
    *off %= VIRTIO_PCI_REGION_SIZE;
    return ops[i];
}

/* ---- Legacy I/O BAR ------------------------------------------------------ */

static uint32_t legacy_config_off(VirtIOPCIProxy *proxy)
{
    return VIRTIO_PCI_CONFIG_OFF(msix_enabled(&proxy->pci_dev));
}

static uint64_t legacy_ioport_read(VirtIOPCIProxy *proxy, VirtIODevice *vdev,
                                   hwaddr addr)
{
    uint16_t sel = vdev->queue_sel;
    VirtQueue *vq = virtio_queue_at(vdev, sel);

    switch (addr) {
    case VIRTIO_PCI_HOST_FEATURES:
        return (uint32_t)vdev->host_features;
    case VIRTIO_PCI_GUEST_FEATURES:
        return (uint32_t)vdev->guest_features;
    case VIRTIO_PCI_QUEUE_PFN:
        return vq ? vq->desc >> VIRTIO_PCI_QUEUE_ADDR_SHIFT : 0;
    case VIRTIO_PCI_QUEUE_NUM:
        return vq ? vq->num : 0;
    case VIRTIO_PCI_QUEUE_SEL:
        return sel;
    case VIRTIO_PCI_STATUS:
        return vdev->status;
    case VIRTIO_PCI_ISR:
        return virtio_pci_read_isr(proxy);
    case VIRTIO_MSI_CONFIG_VECTOR:
        return vdev->config_vector;
    case VIRTIO_MSI_QUEUE_VECTOR:
        return vq ? vq->vector : VIRTIO_NO_VECTOR;
    default:
        return 0;
    }
}

static void legacy_ioport_write(VirtIOPCIProxy *proxy, VirtIODevice *vdev,
                                hwaddr addr, uint32_t val)
{
    uint16_t sel = vdev->queue_sel;
    VirtQueue *vq = virtio_queue_at(vdev, sel);
    hwaddr pa;

    switch (addr) {
    case VIRTIO_PCI_GUEST_FEATURES:
        /* A driver acking the bad feature negotiates nothing. */
        if (val & (1u << VIRTIO_F_BAD_FEATURE)) {
            val = 0;
        }
        virtio_set_features(vdev, val);
        break;
    case VIRTIO_PCI_QUEUE_PFN:
        pa = (hwaddr)val << VIRTIO_PCI_QUEUE_ADDR_SHIFT;
        if (pa == 0) {
            virtio_pci_reset_device(proxy);
        } else {
            virtio_queue_set_addr(vdev, sel, pa);
        }
        break;
    case VIRTIO_PCI_QUEUE_SEL:
        if (val < VIRTIO_QUEUE_MAX) {
            vdev->queue_sel = val;
        }
        break;
    case VIRTIO_PCI_QUEUE_NOTIFY:
        if (val < VIRTIO_QUEUE_MAX) {
            virtio_queue_notify(vdev, val);
        }
        break;
    case VIRTIO_PCI_STATUS:
        virtio_pci_write_status(proxy, val & 0xff);
        break;
    case VIRTIO_MSI_CONFIG_VECTOR:
        vdev->config_vector = proxy_vector(proxy, val & 0xffff);
        break;
    case VIRTIO_MSI_QUEUE_VECTOR:
        if (vq && vq->num_default) {
            vq->vector = proxy_vector(proxy, val & 0xffff);
        }
        break;
    default:
        break;
    }
}

static uint64_t legacy_read(void *opaque, hwaddr addr, unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;
    VirtIODevice *vdev = proxy_vdev(proxy);
    uint32_t off = legacy_config_off(proxy);

    if (!vdev) {
        return 0;
    }
    if (addr < off) {
        return legacy_ioport_read(proxy, vdev, addr);
    }
    return config_read(vdev, addr - off, size);
}

static void legacy_write(void *opaque, hwaddr addr, uint64_t val,
                         unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;
    VirtIODevice *vdev = proxy_vdev(proxy);
    uint32_t off = legacy_config_off(proxy);

    if (!vdev) {
        return;
    }
    if (addr < off) {
        legacy_ioport_write(proxy, vdev, addr, val);
    } else {
        virtio_config_write(vdev, addr - off, val, size);
    }
}

static const MemoryRegionOps legacy_ops = {
    .read = legacy_read,
    .write = legacy_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 4,
};

/* ---- PCI config space hooks ---------------------------------------------- */

static bool pci_cfg_window(VirtIOPCIProxy *proxy, uint32_t addr, int len,
                           hwaddr *off, uint32_t *wlen)
{
    uint8_t *cap;
    uint32_t data;

    if (!proxy->config_cap) {
        return false;
    }
    data = proxy->config_cap + VIRTIO_CAP_PCI_CFG_DATA;
    if (addr >= data + 4 || addr + len <= data) {
        return false;
    }
    cap = proxy->pci_dev.config + proxy->config_cap;
    *off = pci_get_long(cap + VIRTIO_CAP_OFFSET);
    *wlen = pci_get_long(cap + VIRTIO_CAP_LENGTH);
    /* Only naturally sized windows, as the spec allows. */
    return *wlen == 1 || *wlen == 2 || *wlen == 4;
}

static uint32_t virtio_pci_config_read(PCIDevice *d, uint32_t addr, int len)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(d);
    hwaddr off;
    uint32_t wlen;

    if (pci_cfg_window(proxy, addr, len, &off, &wlen)) {
        const MemoryRegionOps *ops = modern_lookup(&off);
        uint32_t val = ops ? ops->read(proxy, off, wlen) : 0;

        pci_set_long(d->config + proxy->config_cap + VIRTIO_CAP_PCI_CFG_DATA,
                     val);
    }
    return pci_default_read_config(d, addr, len);
}

static void virtio_pci_config_write(PCIDevice *d, uint32_t addr,
                                    uint32_t val, int len)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(d);
    VirtIODevice *vdev = proxy_vdev(proxy);
    hwaddr off;
    uint32_t wlen;

    pci_default_write_config(d, addr, val, len);
    if (vdev && addr <= PCI_COMMAND && addr + len > PCI_COMMAND &&
        !(d->config[PCI_COMMAND] & PCI_COMMAND_MASTER)) {
        /* No bus mastering: the device cannot use its rings any more. */
        virtio_set_status(vdev, vdev->status & ~VIRTIO_CONFIG_S_DRIVER_OK);
    }
    if (pci_cfg_window(proxy, addr, len, &off, &wlen)) {
        const MemoryRegionOps *ops = modern_lookup(&off);
        uint32_t data = pci_get_long(d->config + proxy->config_cap +
                                     VIRTIO_CAP_PCI_CFG_DATA);

        if (ops) {
            ops->write(proxy, off, data & (wlen == 4 ? 0xffffffffu :
                                           (1u << (8 * wlen)) - 1), wlen);
        }
    }
}

/* ---- Plugging the device ------------------------------------------------- */

static void virtio_pci_notify(DeviceState *d, uint16_t vector)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(d);
    PCIDevice *pci = &proxy->pci_dev;
    VirtIODevice *vdev = proxy_vdev(proxy);

    if (msix_enabled(pci)) {
        if (vector != VIRTIO_NO_VECTOR) {
            msix_notify(pci, vector);
        }
    } else if (vdev) {
        pci_set_irq(pci, vdev->isr & 1);
    }
}

static void virtio_pci_pre_plugged(DeviceState *d, GError **errp)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(d);
    VirtIODevice *vdev = proxy_vdev(proxy);

    if (virtio_pci_modern(proxy)) {
        vdev->host_features |= 1ULL << VIRTIO_F_VERSION_1;
    }
}

static bool add_virtio_cap(VirtIOPCIProxy *proxy, uint8_t type,
                           uint32_t offset, uint8_t len, GError **errp)
{
    PCIDevice *d = &proxy->pci_dev;
    int pos = pci_add_capability(d, PCI_CAP_ID_VNDR, 0, len, errp);

    if (pos < 0) {
        return false;
    }
    d->config[pos + 2] = len;
    d->config[pos + VIRTIO_CAP_CFG_TYPE] = type;
    d->config[pos + VIRTIO_CAP_BAR] = VIRTIO_PCI_MODERN_BAR;
    pci_set_long(d->config + pos + VIRTIO_CAP_OFFSET, offset);
    pci_set_long(d->config + pos + VIRTIO_CAP_LENGTH,
                 type == VIRTIO_PCI_CAP_PCI_CFG ? 0 : VIRTIO_PCI_REGION_SIZE);
    if (type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
        pci_set_long(d->config + pos + VIRTIO_CAP_MULTIPLIER,
                     VIRTIO_PCI_NOTIFY_MULTIPLIER);
    }
    if (type == VIRTIO_PCI_CAP_PCI_CFG) {
        /* bar, offset, length and data form the guest's window. */
        d->config[pos + VIRTIO_CAP_BAR] = 0;
        d->wmask[pos + VIRTIO_CAP_BAR] = 0xff;
        memset(d->wmask + pos + VIRTIO_CAP_OFFSET, 0xff, 12);
        proxy->config_cap = pos;
    }
    return true;
}

static bool virtio_pci_modern_init(VirtIOPCIProxy *proxy, GError **errp)
{
    Object *owner = OBJECT(proxy);
    static const struct {
        uint8_t type;
        uint32_t off;
    } caps[] = {
        { VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON_OFF },
        { VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_ISR_OFF },
        { VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_DEVICE_OFF },
        { VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_NOTIFY_OFF },
    };

    memory_region_init(&proxy->modern_bar, owner, "virtio-pci",
                       4 * VIRTIO_PCI_REGION_SIZE);
    memory_region_init_io(&proxy->common, owner, &common_ops, proxy,
                          "virtio-pci-common", VIRTIO_PCI_REGION_SIZE);
    memory_region_init_io(&proxy->isr, owner, &isr_ops, proxy,
                          "virtio-pci-isr", VIRTIO_PCI_REGION_SIZE);
    memory_region_init_io(&proxy->device, owner, &device_ops, proxy,
                          "virtio-pci-device", VIRTIO_PCI_REGION_SIZE);
    memory_region_init_io(&proxy->notify, owner, &notify_ops, proxy,
                          "virtio-pci-notify", VIRTIO_PCI_REGION_SIZE);
    memory_region_add_subregion(&proxy->modern_bar, VIRTIO_PCI_COMMON_OFF,
                                &proxy->common);
    memory_region_add_subregion(&proxy->modern_bar, VIRTIO_PCI_ISR_OFF,
                                &proxy->isr);
    memory_region_add_subregion(&proxy->modern_bar, VIRTIO_PCI_DEVICE_OFF,
                                &proxy->device);
    memory_region_add_subregion(&proxy->modern_bar, VIRTIO_PCI_NOTIFY_OFF,
                                &proxy->notify);
    for (size_t i = 0; i < G_N_ELEMENTS(caps); i++) {
        uint8_t len = caps[i].type == VIRTIO_PCI_CAP_NOTIFY_CFG ?
                      VIRTIO_NOTIFY_CAP_LEN : VIRTIO_CAP_LEN;

        if (!add_virtio_cap(proxy, caps[i].type, caps[i].off, len, errp)) {
            return false;
        }
    }
    pci_register_bar(&proxy->pci_dev, VIRTIO_PCI_MODERN_BAR,
                     PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_PREFETCH |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &proxy->modern_bar);
    return add_virtio_cap(proxy, VIRTIO_PCI_CAP_PCI_CFG, 0,
                          VIRTIO_PCI_CFG_CAP_LEN, errp);
}

static void virtio_pci_device_plugged(DeviceState *d, GError **errp)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(d);
    PCIDevice *pci = &proxy->pci_dev;
    VirtIODevice *vdev = proxy_vdev(proxy);
    uint8_t *config = pci->config;
    bool legacy = virtio_pci_legacy(proxy);

    if (legacy) {
        /* Transitional ids: 1af4:10xx, subsystem = virtio device id. */
        pci_set_word(config + PCI_SUBSYSTEM_VENDOR_ID,
                     PCI_SUBVENDOR_ID_REDHAT_QUMRANET);
        pci_set_word(config + PCI_SUBSYSTEM_ID, vdev->device_id);
    } else {
        pci_set_word(config + PCI_VENDOR_ID, PCI_VENDOR_ID_REDHAT_QUMRANET);
        pci_set_word(config + PCI_DEVICE_ID,
                     PCI_DEVICE_ID_VIRTIO_10_BASE + vdev->device_id);
        config[PCI_REVISION_ID] = 1;
    }
    config[PCI_INTERRUPT_PIN] = 1;
    proxy->bars_ready = true;
    if (virtio_pci_modern(proxy) && !virtio_pci_modern_init(proxy, errp)) {
        return;
    }
    if (proxy->nvectors) {
        memory_region_init(&proxy->msix_bar, OBJECT(proxy), "virtio-msix",
                           4096);
        if (msix_init(pci, proxy->nvectors, &proxy->msix_bar,
                      VIRTIO_PCI_MSIX_BAR, 0, VIRTIO_PCI_MSIX_BAR, 0x800, 0,
                      NULL) < 0) {
            error_report("unable to init msix vectors to %u",
                         proxy->nvectors);
            proxy->nvectors = 0;
        } else {
            pci_register_bar(pci, VIRTIO_PCI_MSIX_BAR,
                             PCI_BASE_ADDRESS_SPACE_MEMORY, &proxy->msix_bar);
        }
    }
    if (legacy) {
        uint64_t size = VIRTIO_PCI_CONFIG_OFF(proxy->nvectors) +
                        vdev->config_len;

        size = size <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(size - 1));
        memory_region_init_io(&proxy->legacy_bar, OBJECT(proxy), &legacy_ops,
                              proxy, "virtio-pci-legacy", size);
        pci_register_bar(pci, VIRTIO_PCI_LEGACY_BAR,
                         PCI_BASE_ADDRESS_SPACE_IO, &proxy->legacy_bar);
    }
    vdev->host_features |= 1ULL << VIRTIO_F_BAD_FEATURE;
}

static void virtio_pci_device_unplugged(DeviceState *d)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(d);

    virtio_pci_reset_queues(proxy);
}

static bool virtio_pci_has_modern(DeviceState *d)
{
    return virtio_pci_modern(VIRTIO_PCI(d));
}

/* ---- The PCI function ----------------------------------------------------- */

static bool virtio_pci_express_init(VirtIOPCIProxy *proxy, GError **errp)
{
    PCIDevice *d = &proxy->pci_dev;
    int pos = pcie_cap_init(d, 0, PCI_EXP_TYPE_ENDPOINT, 0, errp);
    uint8_t *exp;

    if (pos < 0) {
        return false;
    }
    exp = d->config + pos;
    pci_set_long(exp + PCI_EXP_LNKCAP,
                 pci_get_long(exp + PCI_EXP_LNKCAP) | PCI_EXP_LNKCAP_ASPM_L0S);
    if (proxy->pcie_flr_init) {
        pci_set_long(exp + PCI_EXP_DEVCAP,
                     pci_get_long(exp + PCI_EXP_DEVCAP) | PCI_EXP_DEVCAP_FLR);
        pci_set_word(d->wmask + pos + PCI_EXP_DEVCTL,
                     pci_get_word(d->wmask + pos + PCI_EXP_DEVCTL) |
                     PCI_EXP_DEVCTL_BCR_FLR);
    }
    pos = pci_add_capability(d, PCI_CAP_ID_PM, 0, PCI_PM_SIZEOF, errp);
    if (pos < 0) {
        return false;
    }
    pci_set_word(d->config + pos + PCI_PM_PMC, 0x3);
    if (proxy->pcie_pm_init) {
        pci_set_word(d->wmask + pos + PCI_PM_CTRL, PCI_PM_CTRL_STATE_MASK);
    }
    return true;
}

static void virtio_pci_realize(PCIDevice *d, GError **errp)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(d);
    VirtioPCIClass *k = VIRTIO_PCI_GET_CLASS(d);
    PCIBus *bus = d->bus;
    bool pcie_port = pci_bus_is_express(bus) && !pci_bus_is_root(bus);

    if (proxy->disable_legacy == ON_OFF_AUTO_AUTO) {
        proxy->disable_legacy = pcie_port ? ON_OFF_AUTO_ON : ON_OFF_AUTO_OFF;
    }
    if (!virtio_pci_modern(proxy) && !virtio_pci_legacy(proxy)) {
        error_setg(errp, "device cannot work as neither modern nor legacy "
                   "mode is enabled");
        return;
    }
    if (pcie_port && pci_is_express(d) && !proxy->disable_pcie) {
        if (!virtio_pci_express_init(proxy, errp)) {
            return;
        }
    } else {
        /* A function on a root bus (or plain PCI) has no PCIe capability. */
        d->cap_present &= ~QEMU_PCI_CAP_EXPRESS;
        d->config_size = PCI_CONFIG_SPACE_SIZE;
    }
    if (k->realize) {
        k->realize(proxy, errp);
    }
}

static void virtio_pci_exit(PCIDevice *d)
{
}

static void virtio_pci_reset(PCIDevice *d)
{
    virtio_pci_reset_device(VIRTIO_PCI(d));
}

static void virtio_pci_instance_finalize(Object *obj)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(obj);

    if (!proxy->bars_ready) {
        return;
    }
    if (proxy->modern_bar.name) {
        memory_region_finalize(&proxy->common);
        memory_region_finalize(&proxy->isr);
        memory_region_finalize(&proxy->device);
        memory_region_finalize(&proxy->notify);
        memory_region_finalize(&proxy->modern_bar);
    }
    if (proxy->msix_bar.name) {
        memory_region_finalize(&proxy->msix_bar);
    }
    if (proxy->legacy_bar.name) {
        memory_region_finalize(&proxy->legacy_bar);
    }
}

void virtio_pci_bus_new(VirtIOPCIProxy *proxy)
{
    proxy->bus = VIRTIO_BUS(qbus_new(TYPE_VIRTIO_PCI_BUS, DEVICE(proxy),
                                     "virtio-bus"));
}

void virtio_pci_transitional_instance_init(Object *obj)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(obj);

    proxy->disable_legacy = ON_OFF_AUTO_OFF;
    proxy->disable_modern = false;
}

void virtio_pci_non_transitional_instance_init(Object *obj)
{
    VirtIOPCIProxy *proxy = VIRTIO_PCI(obj);

    proxy->disable_legacy = ON_OFF_AUTO_ON;
    proxy->disable_modern = false;
}

static Property virtio_pci_properties[] = {
    DEFINE_VIRTIO_PCI_PROPERTIES(VirtIOPCIProxy),
    DEFINE_PROP_END_OF_LIST(),
};

/* ---- Migration ------------------------------------------------------------ */

static const VMStateDescription vmstate_virtio_pci_queue = {
    .name = "virtio-pci-queue",
    .version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT16_MAX(num, VirtIOPCIQueue, VIRTQUEUE_MAX_SIZE),
        VMSTATE_BOOL(enabled, VirtIOPCIQueue),
        VMSTATE_UINT32_ARRAY(desc, VirtIOPCIQueue, 2),
        VMSTATE_UINT32_ARRAY(avail, VirtIOPCIQueue, 2),
        VMSTATE_UINT32_ARRAY(used, VirtIOPCIQueue, 2),
        VMSTATE_END_OF_LIST()
    },
};

/* The register copies of the queues the device has. */
static uint64_t virtio_pci_vmstate_num_queues(void *opaque)
{
    VirtIODevice *vdev = proxy_vdev(opaque);

    return vdev ? virtio_get_num_queues(vdev) : 0;
}

static const VMStateDescription vmstate_virtio_pci = {
    .name = "virtio-pci",
    .version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(pci_dev, VirtIOPCIProxy),
        VMSTATE_UINT32(dfselect, VirtIOPCIProxy),
        VMSTATE_UINT32(gfselect, VirtIOPCIProxy),
        VMSTATE_UINT32_ARRAY(guest_features, VirtIOPCIProxy, 2),
        { .name = "vqs", .kind = VMS_STRUCT_ARRAY, .flags = VMS_VARIABLE,
          .offset = offsetof(VirtIOPCIProxy, vqs),
          .size = sizeof(VirtIOPCIQueue),
          .count_fn = virtio_pci_vmstate_num_queues,
          .max = VIRTIO_QUEUE_ALLOC, .vmsd = &vmstate_virtio_pci_queue },
        VMSTATE_END_OF_LIST()
    },
};

static void virtio_pci_class_init(ObjectClass *oc, void *data)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    device_class_set_props(DEVICE_CLASS(oc), virtio_pci_properties);
    pc->realize = virtio_pci_realize;
    pc->exit = virtio_pci_exit;
    pc->reset = virtio_pci_reset;
    pc->config_read = virtio_pci_config_read;
    pc->config_write = virtio_pci_config_write;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET;
    DEVICE_CLASS(oc)->vmsd = &vmstate_virtio_pci;
}

static void virtio_pci_bus_class_init(ObjectClass *oc, void *data)
{
    VirtioBusClass *k = VIRTIO_BUS_CLASS(oc);
    BusClass *bc = BUS_CLASS(oc);

    bc->max_dev = 1;
    k->notify = virtio_pci_notify;
    k->pre_plugged = virtio_pci_pre_plugged;
    k->device_plugged = virtio_pci_device_plugged;
    k->device_unplugged = virtio_pci_device_unplugged;
    k->has_modern = virtio_pci_has_modern;
}

static const TypeInfo virtio_pci_types[] = {
    {
        .name = TYPE_VIRTIO_PCI,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(VirtIOPCIProxy),
        .class_size = sizeof(VirtioPCIClass),
        .abstract = true,
        .class_init = virtio_pci_class_init,
        .instance_finalize = virtio_pci_instance_finalize,
    }, {
        .name = TYPE_VIRTIO_PCI_BUS,
        .parent = TYPE_VIRTIO_BUS,
        .instance_size = sizeof(VirtioBusState),
        .class_size = sizeof(VirtioBusClass),
        .class_init = virtio_pci_bus_class_init,
    },
};

static void virtio_pci_register_types(void)
{
    type_register_static_array(virtio_pci_types,
                               G_N_ELEMENTS(virtio_pci_types));
}

type_init(virtio_pci_register_types)
