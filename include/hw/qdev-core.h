/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qdev: devices that sit on buses, are configured through a property table,
 * realized (made live) once configured, and plugged/unplugged through the
 * bus's hotplug handler.
 */
#ifndef HW_QDEV_CORE_H
#define HW_QDEV_CORE_H

#include "qom/object.h"
#include "hw/hotplug.h"
#include "hw/irq.h"
#include "qemu/option.h"

#define TYPE_DEVICE "device"
#define TYPE_BUS "bus"
#define TYPE_SYS_BUS_DEVICE "sys-bus-device"
#define TYPE_SYSTEM_BUS "System"

/* DeviceClass.category values, in the order -device help lists them. */
#define DEVICE_CATEGORY_BRIDGE "Controller/Bridge/Hub devices"
#define DEVICE_CATEGORY_USB "USB devices"
#define DEVICE_CATEGORY_STORAGE "Storage devices"
#define DEVICE_CATEGORY_NETWORK "Network devices"
#define DEVICE_CATEGORY_INPUT "Input devices"
#define DEVICE_CATEGORY_DISPLAY "Display devices"
#define DEVICE_CATEGORY_SOUND "Sound devices"
#define DEVICE_CATEGORY_MISC "Misc devices"
#define DEVICE_CATEGORY_CPU "CPU devices"
#define DEVICE_CATEGORY_WATCHDOG "Watchdog devices"

typedef struct Property Property;
typedef struct PropertyInfo PropertyInfo;
typedef struct VMStateDescription VMStateDescription;

struct DeviceState {
    Object parent_obj;
    char *id;                   /* user id, NULL if none */
    bool realized;
    bool hotplugged;            /* created after machine init */
    bool allow_unplug_during_migration;
    /* device_del requested, DEVICE_DELETED not yet sent */
    bool pending_deleted_event;
    int64_t pending_deleted_expires_ms;
    QemuOpts *opts;             /* the options it was created from, or NULL */
    GError *global_error;       /* a -global that failed to apply */
    BusState *parent_bus;
    GList *child_buses;         /* BusState * */
    int instance_id_alias;
    /* Unnamed GPIO lines, as qtest's irq_intercept_* sees them. */
    qemu_irq *gpio_in;
    int num_gpio_in;
    qemu_irq **gpio_out;        /* pointers to the device's output fields */
    int num_gpio_out;
};

typedef struct DeviceClass {
    ObjectClass parent_class;
    const char *desc;
    const char *category;       /* "Network devices", ... for -device help */
    Property *props;            /* terminated by DEFINE_PROP_END_OF_LIST() */
    bool user_creatable;        /* may be named by -device / device_add */
    bool hotpluggable;
    const char *bus_type;       /* NULL: no bus (sysbus-style board parts) */
    void (*realize)(DeviceState *dev, GError **errp);
    void (*unrealize)(DeviceState *dev);
    void (*reset)(DeviceState *dev);
    const VMStateDescription *vmsd;     /* migration state, later */
} DeviceClass;

#define DEVICE(obj) OBJECT_CHECK(DeviceState, (obj), TYPE_DEVICE)
#define DEVICE_CLASS(oc) OBJECT_CLASS_CHECK(DeviceClass, (oc), TYPE_DEVICE)
#define DEVICE_GET_CLASS(obj) OBJECT_GET_CLASS(DeviceClass, (obj), TYPE_DEVICE)

struct BusState {
    Object obj;
    DeviceState *parent;        /* device owning the bus, NULL for a root */
    char *name;
    Object *hotplug_handler;    /* implements TYPE_HOTPLUG_HANDLER, or NULL */
    GList *children;            /* DeviceState *, in plug order */
    int num_children;
    bool realized;
};

typedef struct BusClass {
    ObjectClass parent_class;
    /* Device path within the bus for the migration stream ("00:1f.2"). */
    char *(*get_dev_path)(DeviceState *dev);
    /* Check a device's bus address before realize (e.g. slot taken). */
    bool (*check_address)(BusState *bus, DeviceState *dev, GError **errp);
    void (*reset)(BusState *bus);
    int max_dev;                /* 0: unlimited */
    int automatic_ids;          /* next n for an unnamed bus "<type>.<n>" */
} BusClass;

#define BUS(obj) OBJECT_CHECK(BusState, (obj), TYPE_BUS)
#define BUS_CLASS(oc) OBJECT_CLASS_CHECK(BusClass, (oc), TYPE_BUS)
#define BUS_GET_CLASS(obj) OBJECT_GET_CLASS(BusClass, (obj), TYPE_BUS)

/* -global DRIVER.PROP=VALUE: kept in the order given. */
void qdev_prop_register_global(const char *driver, const char *property,
                               const char *value);
/* Apply -global defaults to a new device (from its instance init). */
void qdev_prop_set_globals(DeviceState *dev);
/* After start-up: warn about -global options naming no device type. */
void qdev_check_global_props(void);

/* Devices */
DeviceState *qdev_new(const char *typename);
/*
 * Plug dev into bus (NULL for bus-less devices) and realize it: the bus's
 * hotplug handler's pre_plug runs first, plug after realize.  Devices get a
 * place in the composition tree (/machine/unattached/device[N]) if they have
 * none yet.  On failure dev is left unrealized and unplugged.
 */
bool qdev_realize(DeviceState *dev, BusState *bus, GError **errp);
/* qdev_realize, then drop the caller's reference. */
bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, GError **errp);
void qdev_unrealize(DeviceState *dev);
/* Set a property from text before realize. */
bool qdev_prop_parse(DeviceState *dev, const char *name, const char *value,
                     GError **errp);

/*
 * device_del: ask the bus's hotplug handler to unplug.  Errors are QEMU's
 * ("Bus 'X' does not support hotplugging", "Device X is already in the
 * process of unplug", ...).
 */
void qdev_unplug(DeviceState *dev, GError **errp);
/*
 * The guest has ejected dev (or the handler completes at once): unrealize,
 * unparent and emit DEVICE_DELETED for it and its children.  A handler
 * without unplug_request gets its unplug method called by qdev_unplug and
 * qdev_unplug then completes; a handler with unplug_request calls this
 * itself once the guest let go (from unplug_request for an immediate one).
 */
void qdev_unplug_complete(DeviceState *dev);

/*
 * Migration registers a predicate that is true while a migration runs:
 * device_add is then refused ("device_add not allowed while migrating"),
 * and so is device_del unless dev->allow_unplug_during_migration.
 */
void qdev_set_migration_active_check(bool (*active)(void));
bool qdev_migration_active(void);

HotplugHandler *qdev_get_hotplug_handler(DeviceState *dev);
/* The machine's handler for dev (bus-less devices), or NULL. */
HotplugHandler *qdev_get_machine_hotplug_handler(DeviceState *dev);
bool qdev_hotplug_allowed(DeviceState *dev, GError **errp);
/* True once machine creation is over: later devices are hot-plugged. */
bool qdev_machine_creation_done_p(void);
void qdev_machine_creation_done(void);

BusState *qdev_get_child_bus(DeviceState *dev, const char *name);
DeviceState *qdev_find_recursive(BusState *bus, const char *id);
/* Reset dev and everything below it. */
void device_cold_reset(DeviceState *dev);
void bus_cold_reset(BusState *bus);
/* The id, or "" when the device has none (query-pci's qdev_id). */
const char *qdev_id_or_empty(DeviceState *dev);
/* The main system bus (root of the qdev tree). */
BusState *sysbus_get_default(void);

/* GPIO */
void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n);
void qdev_init_gpio_out(DeviceState *dev, qemu_irq *pins, int n);
qemu_irq qdev_get_gpio_in(DeviceState *dev, int n);
void qdev_connect_gpio_out(DeviceState *dev, int n, qemu_irq irq);

/* Buses */
/* Create a bus of type typename owned by parent (NULL: a root bus). */
BusState *qbus_new(const char *typename, DeviceState *parent,
                   const char *name);
void qbus_set_hotplug_handler(BusState *bus, Object *handler);
bool qbus_is_hotpluggable(BusState *bus);
/* Find a bus by name or path, as device_add's "bus" argument. */
BusState *qbus_find(const char *path, GError **errp);
/*
 * First bus below (and including) bus named name (NULL: any) and of type
 * bus_typename (NULL: any); without a name, full buses are skipped.
 */
BusState *qbus_find_recursive(BusState *bus, const char *name,
                              const char *bus_typename);
bool qbus_is_full(BusState *bus);
/* Internal to qdev: keep a bus's child list. */
void bus_add_child(BusState *bus, DeviceState *dev);
void bus_remove_child(BusState *bus, DeviceState *dev);
void qbus_realize(BusState *bus);
void qbus_unrealize(BusState *bus);

/*
 * Device listeners: told when devices are realized/unrealized, and asked
 * whether a device about to be created should stay hidden (its options
 * kept for later; failover builds on this).
 */
typedef struct DeviceListener DeviceListener;
struct DeviceListener {
    void (*realize)(DeviceListener *listener, DeviceState *dev);
    void (*unrealize)(DeviceListener *listener, DeviceState *dev);
    /*
     * Return true to hide the device described by opts.  May fail with
     * errp set, which fails the creation.
     */
    bool (*hide_device)(DeviceListener *listener, const QemuOpts *opts,
                        bool from_json, GError **errp);
};
void device_listener_register(DeviceListener *listener);
void device_listener_unregister(DeviceListener *listener);
bool qdev_should_hide_device(const QemuOpts *opts, bool from_json,
                             GError **errp);

#endif
