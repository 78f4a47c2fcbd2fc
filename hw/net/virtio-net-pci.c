/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net-pci: the PCI proxy with a "virtio-net-device" child named
 * "virtio-backend" on its "virtio-bus", as QEMU composes it.  The NIC's
 * properties (mac, netdev, failover, feature bits...) are properties of the
 * proxy too; the proxy hands them to the backend when it is realized.
 *
 * Three types: virtio-net-pci (transitional or modern-only depending on
 * where it sits, see disable-legacy), virtio-net-pci-transitional and
 * virtio-net-pci-non-transitional.
 */
#include "hw/virtio/virtio-net.h"
#include "hw/qdev-properties.h"
#include "qapi/error.h"

static void virtio_net_pci_realize(VirtIOPCIProxy *proxy, GError **errp)
{
    VirtIONetPCI *d = VIRTIO_NET_PCI(proxy);
    DeviceState *qdev = DEVICE(proxy);
    VirtIONet *n = d->vdev;

    if (proxy->nvectors == DEV_NVECTORS_UNSPECIFIED) {
        proxy->nvectors = 2 * 1 + 2;    /* one queue pair, ctrl, config */
    }
    virtio_net_conf_copy(&n->conf, &d->conf);
    g_free(n->nic_name);
    g_free(n->nic_model);
    n->nic_name = g_strdup(qdev->id);
    n->nic_model = g_strdup(object_get_typename(OBJECT(proxy)));
    if (!qdev_realize(DEVICE(n), BUS(proxy->bus), errp)) {
        return;
    }
    /* A default MAC was picked: the proxy's "mac" shows it, as QEMU's. */
    d->conf.macaddr = n->conf.macaddr;
}

static void virtio_net_pci_instance_init(Object *obj)
{
    VirtIONetPCI *d = VIRTIO_NET_PCI(obj);

    d->vdev = VIRTIO_NET(object_new(TYPE_VIRTIO_NET));
    object_property_add_child(obj, "virtio-backend", OBJECT(d->vdev));
    object_unref(d->vdev);
    virtio_pci_bus_new(&d->parent_obj);
}

static Property virtio_net_pci_properties[] = {
    DEFINE_PROP_BOOL("ioeventfd", VirtIONetPCI, parent_obj.ioeventfd, true),
    DEFINE_PROP_UINT32("vectors", VirtIONetPCI, parent_obj.nvectors,
                       DEV_NVECTORS_UNSPECIFIED),
    DEFINE_VIRTIO_NET_PROPERTIES(VirtIONetPCI, conf),
    DEFINE_PROP_END_OF_LIST(),
};

static Property virtio_pci_generic_properties[] = {
    DEFINE_VIRTIO_PCI_GENERIC_PROPERTIES(VirtIOPCIProxy),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_net_pci_base_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    VirtioPCIClass *vpc = VIRTIO_PCI_CLASS(oc);

    device_class_set_props(dc, virtio_net_pci_properties);
    dc->category = DEVICE_CATEGORY_NETWORK;
    dc->desc = NULL;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT_QUMRANET;
    pc->device_id = PCI_DEVICE_ID_VIRTIO_NET;
    pc->revision = 0;
    pc->class_id = PCI_CLASS_NETWORK_ETHERNET;
    pc->romfile = "efi-virtio.rom";
    pc->romsize = 256 * 1024;
    vpc->realize = virtio_net_pci_realize;
}

static void virtio_net_pci_generic_class_init(ObjectClass *oc, void *data)
{
    device_class_set_props(DEVICE_CLASS(oc), virtio_pci_generic_properties);
    PCI_DEVICE_CLASS(oc)->is_express = true;
}

static void virtio_net_pci_transitional_class_init(ObjectClass *oc,
                                                   void *data)
{
    /* Conventional PCI only, as QEMU's transitional types. */
    PCI_DEVICE_CLASS(oc)->is_express = false;
}

static void virtio_net_pci_non_transitional_class_init(ObjectClass *oc,
                                                       void *data)
{
    PCI_DEVICE_CLASS(oc)->is_express = true;
}

static const TypeInfo virtio_net_pci_types[] = {
    {
        .name = TYPE_VIRTIO_NET_PCI_BASE,
        .parent = TYPE_VIRTIO_PCI,
        .instance_size = sizeof(VirtIONetPCI),
        .abstract = true,
        .instance_init = virtio_net_pci_instance_init,
        .class_init = virtio_net_pci_base_class_init,
    }, {
        .name = TYPE_VIRTIO_NET_PCI,
        .parent = TYPE_VIRTIO_NET_PCI_BASE,
        .class_init = virtio_net_pci_generic_class_init,
    }, {
        .name = "virtio-net-pci-transitional",
        .parent = TYPE_VIRTIO_NET_PCI_BASE,
        .instance_init = virtio_pci_transitional_instance_init,
        .class_init = virtio_net_pci_transitional_class_init,
    }, {
        .name = "virtio-net-pci-non-transitional",
        .parent = TYPE_VIRTIO_NET_PCI_BASE,
        .instance_init = virtio_pci_non_transitional_instance_init,
        .class_init = virtio_net_pci_non_transitional_class_init,
    },
};

static void virtio_net_pci_register_types(void)
{
    type_register_static_array(virtio_net_pci_types,
                               G_N_ELEMENTS(virtio_net_pci_types));
}

type_init(virtio_net_pci_register_types)
