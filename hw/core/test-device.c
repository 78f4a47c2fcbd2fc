/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * baton-test-device: a device that exists to exercise qdev from tests.
 * It sits on the system bus, has one property of every static property
 * type, and owns a child bus (baton-test-bus) on which it is the hotplug
 * handler: device_add/device_del of further test devices on that bus work
 * like a hotplug-capable bus would, with unplug completing at once (or,
 * with async-unplug=on, only at the next reset of the owning device).
 * With hide-id=ID it acts like a failover standby: while it is realized,
 * devices created with that id stay hidden.
 */
#include <stddef.h>

#include "hw/qdev-properties.h"
#include "qapi/error.h"

#define TYPE_BATON_TEST_DEVICE "baton-test-device"
#define TYPE_BATON_TEST_BUS "baton-test-bus"

typedef struct BatonTestDevice {
    DeviceState parent_obj;
    bool flag;
    uint32_t bits;
    uint64_t bits64;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    int32_t i32;
    uint64_t u64;
    int64_t i64;
    uint64_t size;
    char *str;
    MACAddr mac;
    OnOffAuto mode;
    int32_t addr;
    bool async_unplug;
    bool fail_realize;
    char *hide_id;
    DeviceListener listener;
    BusState *bus;
    qemu_irq irq_out;
    int irq_level;              /* last level seen on the input line */
    uint32_t resets;
} BatonTestDevice;

static Property baton_test_props[] = {
    DEFINE_PROP_BOOL("flag", BatonTestDevice, flag, false),
    DEFINE_PROP_BIT("bit0", BatonTestDevice, bits, 0, true),
    DEFINE_PROP_BIT64("bit40", BatonTestDevice, bits64, 40, false),
    DEFINE_PROP_UINT8("u8", BatonTestDevice, u8, 8),
    DEFINE_PROP_UINT16("u16", BatonTestDevice, u16, 16),
    DEFINE_PROP_UINT32("u32", BatonTestDevice, u32, 32),
    DEFINE_PROP_INT32("i32", BatonTestDevice, i32, -32),
    DEFINE_PROP_UINT64("u64", BatonTestDevice, u64, 64),
    DEFINE_PROP_INT64("i64", BatonTestDevice, i64, -64),
    DEFINE_PROP_SIZE("size", BatonTestDevice, size, 1024 * 1024),
    DEFINE_PROP_STRING("str", BatonTestDevice, str),
    DEFINE_PROP_MACADDR("mac", BatonTestDevice, mac),
    DEFINE_PROP_ON_OFF_AUTO("mode", BatonTestDevice, mode, ON_OFF_AUTO_AUTO),
    DEFINE_PROP_PCI_DEVFN("addr", BatonTestDevice, addr, -1),
    DEFINE_PROP_BOOL("async-unplug", BatonTestDevice, async_unplug, false),
    DEFINE_PROP_BOOL("fail-realize", BatonTestDevice, fail_realize, false),
    DEFINE_PROP_STRING("hide-id", BatonTestDevice, hide_id),
    DEFINE_PROP_END_OF_LIST(),
};

static void baton_test_irq(void *opaque, int n, int level)
{
    BatonTestDevice *t = opaque;

    t->irq_level = level;
    /* Echo the input on the output line so tests can watch both. */
    qemu_set_irq(t->irq_out, level);
}

static bool baton_test_hide(DeviceListener *listener, const QemuOpts *opts,
                            bool from_json, GError **errp)
{
    BatonTestDevice *t = (BatonTestDevice *)((char *)listener -
                                             offsetof(BatonTestDevice,
                                                      listener));
    const char *id = qemu_opt_get(opts, "id");

    return id && !g_strcmp0(id, t->hide_id);
}

static void baton_test_realize(DeviceState *dev, GError **errp)
{
    BatonTestDevice *t = (BatonTestDevice *)dev;

    if (t->fail_realize) {
        error_setg(errp, "baton-test-device: realize failed on request");
        return;
    }
    if (!t->bus) {
        t->bus = qbus_new(TYPE_BATON_TEST_BUS, dev, NULL);
        qbus_set_hotplug_handler(t->bus, OBJECT(dev));
    }
    if (t->hide_id && *t->hide_id) {
        t->listener.hide_device = baton_test_hide;
        device_listener_register(&t->listener);
    }
}

static void baton_test_unrealize(DeviceState *dev)
{
    BatonTestDevice *t = (BatonTestDevice *)dev;

    device_listener_unregister(&t->listener);
}

static void baton_test_reset(DeviceState *dev)
{
    BatonTestDevice *t = (BatonTestDevice *)dev;
    GList *pending = NULL;

    t->resets++;
    if (!t->bus) {
        return;
    }
    /* Like ACPI hotplug: a reset finishes the unplugs still pending. */
    for (GList *l = t->bus->children; l; l = l->next) {
        DeviceState *child = l->data;
        if (child->pending_deleted_event) {
            pending = g_list_append(pending, child);
        }
    }
    for (GList *l = pending; l; l = l->next) {
        qdev_unplug_complete(l->data);
    }
    g_list_free(pending);
}

static void baton_test_unplug_request(HotplugHandler *h, DeviceState *dev,
                                      GError **errp)
{
    BatonTestDevice *t = (BatonTestDevice *)h;

    if (t->async_unplug) {
        dev->pending_deleted_expires_ms = 0;    /* never expires */
        return;
    }
    qdev_unplug_complete(dev);
}

static void baton_test_init(Object *obj)
{
    BatonTestDevice *t = (BatonTestDevice *)obj;
    DeviceState *dev = DEVICE(obj);

    qdev_init_gpio_in(dev, baton_test_irq, 1);
    qdev_init_gpio_out(dev, &t->irq_out, 1);
    object_property_add_uint32_ptr(obj, "resets", &t->resets);
}

static void baton_test_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    HotplugHandlerClass *hc = OBJECT_CLASS_CHECK(HotplugHandlerClass, oc,
                                                 TYPE_HOTPLUG_HANDLER);

    dc->desc = "device for qdev tests";
    dc->category = DEVICE_CATEGORY_MISC;
    dc->user_creatable = true;
    dc->hotpluggable = true;
    dc->realize = baton_test_realize;
    dc->unrealize = baton_test_unrealize;
    dc->reset = baton_test_reset;
    device_class_set_props(dc, baton_test_props);
    hc->unplug_request = baton_test_unplug_request;
}

static const InterfaceInfo baton_test_interfaces[] = {
    { TYPE_HOTPLUG_HANDLER }, { NULL },
};

static void baton_test_register_types(void)
{
    static const TypeInfo bus_info = {
        .name = TYPE_BATON_TEST_BUS,
        /* A kind of system bus, so test devices nest on it. */
        .parent = TYPE_SYSTEM_BUS,
        .instance_size = sizeof(BusState),
    };
    static const TypeInfo device_info = {
        .name = TYPE_BATON_TEST_DEVICE,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(BatonTestDevice),
        .instance_init = baton_test_init,
        .class_init = baton_test_class_init,
        .interfaces = baton_test_interfaces,
    };

    type_register_static(&bus_info);
    type_register_static(&device_info);
}

type_init(baton_test_register_types)
