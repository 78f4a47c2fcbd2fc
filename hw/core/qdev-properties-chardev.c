/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "chardev" property type: names a -chardev by id.  The device takes
 * the chardev when the property is set (as QEMU does), so two frontends
 * can never share one, and gives it back when the device goes.
 */
#include <errno.h>

#include "hw/qdev-properties.h"
#include "chardev/char.h"
#include "qapi/error.h"

static Chardev **chr_field(DeviceState *dev, Property *prop)
{
    return (Chardev **)((char *)dev + prop->offset);
}

static JsonNode *get_chr(DeviceState *dev, Property *prop)
{
    Chardev *chr = *chr_field(dev, prop);

    return qom_value_from_str(chr ? qemu_chr_get_label(chr) : "");
}

static void release_chr(DeviceState *dev, Property *prop)
{
    Chardev **p = chr_field(dev, prop);

    if (*p) {
        qemu_chr_fe_release(*p);
        *p = NULL;
    }
}

static bool set_chr(DeviceState *dev, Property *prop, JsonNode *value,
                    GError **errp)
{
    GError *err = NULL;
    const char *s;
    Chardev *chr;

    if (!qom_value_to_str(value, prop->name, &s, errp)) {
        return false;
    }
    release_chr(dev, prop);
    if (!*s) {
        return true;            /* "": no backend, output is dropped */
    }
    chr = qemu_chr_find(s);
    if (!chr) {
        error_set_from_qdev_prop_error(errp, ENOENT, OBJECT(dev), prop->name,
                                       s);
        return false;
    }
    if (!qemu_chr_fe_claim(chr, &err)) {
        error_setg(errp, "Property '%s.%s' can't take value '%s': %s",
                   object_get_typename(OBJECT(dev)), prop->name, s,
                   err->message);
        g_error_free(err);
        return false;
    }
    *chr_field(dev, prop) = chr;
    return true;
}

const PropertyInfo qdev_prop_chr = {
    .name = "str",
    .description = "ID of a chardev to use as a backend",
    .get = get_chr,
    .set = set_chr,
    .release = release_chr,
};
