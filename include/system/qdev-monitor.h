/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -device and device_add/device_del: creating devices from user options. */
#ifndef SYSTEM_QDEV_MONITOR_H
#define SYSTEM_QDEV_MONITOR_H

#include <json-glib/json-glib.h>
#include "hw/qdev-core.h"
#include "qapi/qapi-types.h"

/*
 * Create and realize a device from options ("driver", optional "bus" and
 * "id", then properties in order).  Returns a borrowed pointer (the
 * composition tree owns the device), or NULL: with *errp set on failure,
 * without it when a device listener chose to hide the device.  from_json:
 * the options came from JSON -device / QMP rather than key=value text.
 */
DeviceState *qdev_device_add(QemuOpts *opts, bool from_json, GError **errp);

/*
 * Create a device a listener hid earlier from the options it kept: the
 * hide check and the "not allowed while migrating" refusal are skipped.
 * coldplug: as if it had been created at start-up (no hotplug event), for
 * a start-up decision that could only be taken after all -device options.
 */
DeviceState *qdev_device_add_unhidden(QemuOpts *opts, bool coldplug,
                                      GError **errp);

/*
 * device_del asks this hook first, with the device of that id or NULL if
 * none exists (a hidden device has no object).  Returning true means the
 * hook handled the request (errp set on failure).  One hook: failover.
 */
typedef bool QdevDeviceDelHook(const char *id, DeviceState *dev,
                               GError **errp);
void qdev_set_device_del_hook(QdevDeviceDelHook *fn);

/* -device help and -device DRIVER,help: print and return true. */
bool qdev_device_help(QemuOpts *opts);

/* The driver an alias stands for ("virtio-net" -> "virtio-net-pci"). */
const char *qdev_driver_by_alias(const char *alias);

/* QMP */
void qmp_marshal_device_add(JsonObject *args, JsonNode **ret, GError **errp);
void qmp_device_del(const char *id, GError **errp);
ObjectPropertyInfoList *qmp_device_list_properties(const char *typename,
                                                   GError **errp);

#endif
