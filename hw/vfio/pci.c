/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfio-pci: host PCI device assignment.  baton runs no guest and owns no
 * IOMMU, so it cannot pass a host device through.  The type exists so that
 * libvirt's failover command lines (a vfio-pci primary paired with a
 * virtio-net standby) start: the primary stays hidden until the guest
 * negotiates failover, and realizing it fails with QEMU's own error when
 * the host device is absent, or says passthrough is unsupported when not.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/qdev-properties.h"

#define TYPE_VFIO_PCI "vfio-pci"

typedef struct VFIOPCIDevice {
    PCIDevice parent_obj;
    char *host;                 /* [DDDD:]BB:DD.F */
    char *sysfsdev;             /* path to the device in sysfs */
} VFIOPCIDevice;

#define VFIO_PCI(obj) OBJECT_CHECK(VFIOPCIDevice, (obj), TYPE_VFIO_PCI)

/* host=: QEMU's PCI host address syntax, domain optional. */
static char *vfio_sysfs_path(const char *host, GError **errp)
{
    unsigned dom = 0, bus, slot, fn;
    char end;

    if (sscanf(host, "%x:%x:%x.%x%c", &dom, &bus, &slot, &fn, &end) != 4) {
        dom = 0;
        if (sscanf(host, "%x:%x.%x%c", &bus, &slot, &fn, &end) != 3) {
            error_setg(errp, "Property 'vfio-pci.host' doesn't take value "
                       "'%s'", host);
            return NULL;
        }
    }
    if (dom > 0xffff || bus > 0xff || slot > 0x1f || fn > 7) {
        error_setg(errp, "Property 'vfio-pci.host' doesn't take value '%s'",
                   host);
        return NULL;
    }
    return g_strdup_printf("/sys/bus/pci/devices/%04x:%02x:%02x.%01x",
                           dom, bus, slot, fn);
}

static void vfio_pci_realize(PCIDevice *d, GError **errp)
{
    VFIOPCIDevice *v = VFIO_PCI(d);
    g_autofree char *path = NULL;
    struct stat st;

    if (v->sysfsdev) {
        path = g_strdup(v->sysfsdev);
    } else if (v->host) {
        path = vfio_sysfs_path(v->host, errp);
        if (!path) {
            return;
        }
    } else {
        error_setg(errp, "No provided host device\n"
                   "Use -device vfio-pci,host=DDDD:BB:DD.F or -device "
                   "vfio-pci,sysfsdev=PATH_TO_DEVICE");
        return;
    }
    if (stat(path, &st) < 0) {
        error_setg(errp, "vfio %s: no such host device: %s", path,
                   g_strerror(errno));
        return;
    }
    error_setg(errp, "vfio %s: baton cannot assign host devices "
               "(no IOMMU, no guest); use an emulated NIC such as "
               "virtio-net-pci as the failover primary", path);
}

static Property vfio_pci_props[] = {
    DEFINE_PROP_STRING("host", VFIOPCIDevice, host),
    DEFINE_PROP_STRING("sysfsdev", VFIOPCIDevice, sysfsdev),
    DEFINE_PROP_END_OF_LIST(),
};

static void vfio_pci_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = vfio_pci_realize;
    /*
     * Ids and class come from the host device, so they are unknown here:
     * class 0 tells failover's up-front checks not to judge the class.
     */
    pc->vendor_id = 0xffff;
    pc->device_id = 0xffff;
    pc->class_id = 0;
    dc->desc = "VFIO-based PCI device assignment (not available in baton)";
    dc->category = DEVICE_CATEGORY_MISC;
    device_class_set_props(dc, vfio_pci_props);
}

static const TypeInfo vfio_pci_info = {
    .name = TYPE_VFIO_PCI,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(VFIOPCIDevice),
    .class_init = vfio_pci_class_init,
};

static void vfio_pci_register_types(void)
{
    type_register_static(&vfio_pci_info);
}

type_init(vfio_pci_register_types)
