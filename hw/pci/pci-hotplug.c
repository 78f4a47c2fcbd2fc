/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hotplug state of PCI functions shared by the hotplug handlers (ACPI and
 * native PCIe) and failover: slot power, guest ejects, and the partial
 * unplug / re-plug pair that keeps a device alive while the guest thinks
 * it is gone.
 */
#include "qapi/error.h"
#include "hw/pci/pci.h"

bool pci_device_is_ejected(PCIDevice *dev)
{
    return dev->partially_hotplugged && !dev->qdev.pending_deleted_event;
}

bool pci_device_is_visible(PCIDevice *dev)
{
    return dev->has_power && !pci_device_is_ejected(dev);
}

void pci_set_power(PCIDevice *dev, bool state)
{
    if (dev->has_power == state) {
        return;
    }
    dev->has_power = state;
    pci_update_mappings(dev);
    if (!state) {
        pci_device_reset(dev);
    }
}

bool pci_device_unplug_pending(PCIDevice *dev)
{
    return dev->qdev.pending_deleted_event;
}

static PCIPartialEjectNotify *partial_eject_notify;

void pci_set_partial_eject_notify(PCIPartialEjectNotify *fn)
{
    partial_eject_notify = fn;
}

void pci_device_guest_eject(PCIDevice *dev)
{
    if (dev->partially_hotplugged) {
        /* Failover keeps the device for a later re-plug. */
        dev->qdev.pending_deleted_event = false;
        pci_set_irq(dev, 0);
        if (partial_eject_notify) {
            partial_eject_notify(dev);
        }
        return;
    }
    qdev_unplug_complete(DEVICE(dev));
}

bool pci_device_partial_unplug_request(PCIDevice *dev, GError **errp)
{
    HotplugHandler *h = qdev_get_hotplug_handler(DEVICE(dev));
    GError *err = NULL;

    if (!h) {
        error_setg(errp, "Bus '%s' does not support hotplugging",
                   dev->bus->qbus.name);
        return false;
    }
    dev->partially_hotplugged = true;
    hotplug_handler_unplug_request(h, DEVICE(dev), &err);
    if (err) {
        dev->partially_hotplugged = false;
        g_propagate_error(errp, err);
        return false;
    }
    return true;
}

bool pci_device_replug(PCIDevice *dev, GError **errp)
{
    HotplugHandler *h = qdev_get_hotplug_handler(DEVICE(dev));
    GError *err = NULL;

    dev->partially_hotplugged = false;
    dev->qdev.pending_deleted_event = false;
    dev->qdev.hotplugged = true;
    if (!h) {
        return true;
    }
    hotplug_handler_pre_plug(h, DEVICE(dev), &err);
    if (!err) {
        hotplug_handler_plug(h, DEVICE(dev), &err);
    }
    if (err) {
        g_propagate_error(errp, err);
        return false;
    }
    return true;
}

