/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-balloon-pci: the PCI proxy (1af4:1002 transitional, 1af4:1045
 * modern, class 0x00ff) with a "virtio-balloon-device" child named
 * "virtio-backend".  See virtio-balloon.c for what the device does.
 */
#include "hw/virtio/virtio-pci.h"
#include "hw/qdev-properties.h"
#include "qapi/error.h"

#define TYPE_VIRTIO_BALLOON_PCI_BASE "virtio-balloon-pci-base"
#define PCI_DEVICE_ID_VIRTIO_BALLOON 0x1002

typedef struct VirtIOBalloonPCI {
    VirtIOPCIProxy parent_obj;
    DeviceState *vdev;
} VirtIOBalloonPCI;

#define VIRTIO_BALLOON_PCI(obj) \
    OBJECT_CHECK(VirtIOBalloonPCI, (obj), TYPE_VIRTIO_BALLOON_PCI_BASE)

static void virtio_balloon_pci_realize(VirtIOPCIProxy *proxy, GError **errp)
{
    VirtIOBalloonPCI *d = VIRTIO_BALLOON_PCI(proxy);

    if (proxy->nvectors == DEV_NVECTORS_UNSPECIFIED) {
        proxy->nvectors = 0;    /* as QEMU's balloon: INTx only */
    }
    qdev_realize(d->vdev, BUS(proxy->bus), errp);
}

static void virtio_balloon_pci_instance_init(Object *obj)
{
    VirtIOBalloonPCI *d = VIRTIO_BALLOON_PCI(obj);

    d->vdev = DEVICE(object_new("virtio-balloon-device"));
    object_property_add_child(obj, "virtio-backend", OBJECT(d->vdev));
    object_unref(d->vdev);
    virtio_pci_bus_new(&d->parent_obj);
}

static Property virtio_balloon_pci_properties[] = {
    DEFINE_PROP_BOOL("ioeventfd", VirtIOPCIProxy, ioeventfd, true),
    DEFINE_PROP_UINT32("vectors", VirtIOPCIProxy, nvectors,
                       DEV_NVECTORS_UNSPECIFIED),
    DEFINE_PROP_END_OF_LIST(),
};

static Property virtio_pci_generic_properties[] = {
    DEFINE_VIRTIO_PCI_GENERIC_PROPERTIES(VirtIOPCIProxy),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_balloon_pci_base_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    VirtioPCIClass *vpc = VIRTIO_PCI_CLASS(oc);

    device_class_set_props(dc, virtio_balloon_pci_properties);
    dc->category = DEVICE_CATEGORY_MISC;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET;
    pc->device_id = PCI_DEVICE_ID_VIRTIO_BALLOON;
    pc->revision = 0;
    pc->class_id = PCI_CLASS_OTHERS;
    vpc->realize = virtio_balloon_pci_realize;
}

static void virtio_balloon_pci_generic_class_init(ObjectClass *oc,
                                                  void *data)
{
    device_class_set_props(DEVICE_CLASS(oc), virtio_pci_generic_properties);
    PCI_DEVICE_CLASS(oc)->is_express = true;
}

static void virtio_balloon_pci_transitional_class_init(ObjectClass *oc,
                                                       void *data)
{
    PCI_DEVICE_CLASS(oc)->is_express = false;
}

static void virtio_balloon_pci_non_transitional_class_init(ObjectClass *oc,
                                                           void *data)
{
    PCI_DEVICE_CLASS(oc)->is_express = true;
}

static const TypeInfo virtio_balloon_pci_types[] = {
    {
        .name = TYPE_VIRTIO_BALLOON_PCI_BASE,
        .parent = TYPE_VIRTIO_PCI,
        .instance_size = sizeof(VirtIOBalloonPCI),
        .abstract = true,
        .instance_init = virtio_balloon_pci_instance_init,
        .class_init = virtio_balloon_pci_base_class_init,
    }, {
        .name = "virtio-balloon-pci",
        .parent = TYPE_VIRTIO_BALLOON_PCI_BASE,
        .class_init = virtio_balloon_pci_generic_class_init,
    }, {
        .name = "virtio-balloon-pci-transitional",
        .parent = TYPE_VIRTIO_BALLOON_PCI_BASE,
        .instance_init = virtio_pci_transitional_instance_init,
        .class_init = virtio_balloon_pci_transitional_class_init,
    }, {
        .name = "virtio-balloon-pci-non-transitional",
        .parent = TYPE_VIRTIO_BALLOON_PCI_BASE,
        .instance_init = virtio_pci_non_transitional_instance_init,
        .class_init = virtio_balloon_pci_non_transitional_class_init,
    },
};

static void virtio_balloon_pci_register_types(void)
{
    type_register_static_array(virtio_balloon_pci_types,
                               G_N_ELEMENTS(virtio_balloon_pci_types));
}

type_init(virtio_balloon_pci_register_types)
