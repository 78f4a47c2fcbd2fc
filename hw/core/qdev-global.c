/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -global DRIVER.PROP=VALUE: a default for every device of DRIVER (or a
 * subtype).  Applied when the device object is created, so properties
 * given on its own -device/device_add line still override it.
 */
#include "qapi/error.h"
#include "hw/qdev-core.h"

typedef struct GlobalProperty {
    char *driver;
    char *property;
    char *value;
    bool used;                  /* some device took it (else a warning) */
} GlobalProperty;

static GPtrArray *globals;

void qdev_prop_register_global(const char *driver, const char *property,
                               const char *value)
{
    GlobalProperty *g = g_new0(GlobalProperty, 1);

    g->driver = g_strdup(driver);
    g->property = g_strdup(property);
    g->value = g_strdup(value);
    if (!globals) {
        globals = g_ptr_array_new();
    }
    g_ptr_array_add(globals, g);
}

void qdev_prop_set_globals(DeviceState *dev)
{

    for (guint i = 0; globals && i < globals->len; i++) {
        GlobalProperty *g = g_ptr_array_index(globals, i);
        GError *err = NULL;

        if (!object_dynamic_cast(OBJECT(dev), g->driver)) {
            continue;
        }
        g->used = true;
        if (!object_property_parse(OBJECT(dev), g->property, g->value,
                                   &err)) {
            /* Reported when the device is realized, like QEMU's error. */
            if (!dev->global_error) {
                dev->global_error = g_error_new(err->domain, err->code,
                                                "can't apply global %s.%s=%s: "
                                                "%s", g->driver, g->property,
                                                g->value, err->message);
            }
            g_error_free(err);
        }
    }
}

void qdev_check_global_props(void)
{
    for (guint i = 0; globals && i < globals->len; i++) {
        GlobalProperty *g = g_ptr_array_index(globals, i);
        ObjectClass *oc;

        if (g->used) {
            continue;
        }
        oc = object_class_by_name(g->driver);
        if (!oc) {
            warn_report("global %s.%s has invalid class name",
                        g->driver, g->property);
        } else if (!object_class_dynamic_cast(oc, TYPE_DEVICE)) {
            warn_report("global %s.%s is not a device property",
                        g->driver, g->property);
        }
    }
}
