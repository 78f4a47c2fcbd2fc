/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-mouse-pci: the PCI proxy of virtio-mouse-device, modern only as
 * in QEMU (1af4:1052 revision 1, class 0x0902 mouse, two MSI-X vectors),
 * with the device as its "virtio-backend" child.
 */
#include "hw/virtio/virtio-pci.h"
#include "hw/qdev-properties.h"
#include "qapi/error.h"

#define TYPE_VIRTIO_MOUSE_PCI "virtio-mouse-pci"
#define PCI_CLASS_INPUT_MOUSE 0x0902

typedef struct VirtIOInputPCI {
    VirtIOPCIProxy parent_obj;
    DeviceState *vdev;
    /* The device's properties, offered on the proxy as QEMU aliases them. */
    char *serial;
    bool wheel_axis;
} VirtIOInputPCI;

#define VIRTIO_MOUSE_PCI(obj) \
    OBJECT_CHECK(VirtIOInputPCI, (obj), TYPE_VIRTIO_MOUSE_PCI)

static void virtio_mouse_pci_realize(VirtIOPCIProxy *proxy, GError **errp)
{
    VirtIOInputPCI *d = VIRTIO_MOUSE_PCI(proxy);
    Object *vdev = OBJECT(d->vdev);

    /* virtio-input has no legacy interface: QEMU forces virtio 1.0. */
    proxy->disable_legacy = ON_OFF_AUTO_ON;
    proxy->disable_modern = false;
    if ((d->serial && !object_property_set_str(vdev, "serial", d->serial,
                                               errp)) ||
        !object_property_set_bool(vdev, "wheel-axis", d->wheel_axis, errp)) {
        return;
    }
    qdev_realize(d->vdev, BUS(proxy->bus), errp);
}

static void virtio_mouse_pci_instance_init(Object *obj)
{
    VirtIOInputPCI *d = VIRTIO_MOUSE_PCI(obj);

    d->vdev = DEVICE(object_new("virtio-mouse-device"));
    object_property_add_child(obj, "virtio-backend", OBJECT(d->vdev));
    object_unref(d->vdev);
    virtio_pci_bus_new(&d->parent_obj);
}

static Property virtio_mouse_pci_properties[] = {
    DEFINE_PROP_BOOL("ioeventfd", VirtIOPCIProxy, ioeventfd, true),
    DEFINE_PROP_UINT32("vectors", VirtIOPCIProxy, nvectors, 2),
    DEFINE_VIRTIO_PCI_GENERIC_PROPERTIES(VirtIOPCIProxy),
    DEFINE_PROP_STRING("serial", VirtIOInputPCI, serial),
    DEFINE_PROP_BOOL("wheel-axis", VirtIOInputPCI, wheel_axis, true),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_mouse_pci_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    VirtioPCIClass *vpc = VIRTIO_PCI_CLASS(oc);

    device_class_set_props(dc, virtio_mouse_pci_properties);
    dc->category = DEVICE_CATEGORY_INPUT;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET;
    pc->device_id = 0x1052;
    pc->revision = 1;
    pc->class_id = PCI_CLASS_INPUT_MOUSE;
    pc->is_express = true;
    vpc->realize = virtio_mouse_pci_realize;
}

static const TypeInfo virtio_mouse_pci_info = {
    .name = TYPE_VIRTIO_MOUSE_PCI,
    .parent = TYPE_VIRTIO_PCI,
    .instance_size = sizeof(VirtIOInputPCI),
    .instance_init = virtio_mouse_pci_instance_init,
    .class_init = virtio_mouse_pci_class_init,
};

static void virtio_mouse_pci_register_types(void)
{
    type_register_static(&virtio_mouse_pci_info);
}

type_init(virtio_mouse_pci_register_types)
