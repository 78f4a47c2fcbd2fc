/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Static device properties: each Property row becomes a class property of
 * the device type whose getter/setter reach the field at prop->offset.
 * Values arrive as typed JSON (qom-set) or as text (-device, device_add).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/qdev-properties.h"
#include "net/net.h"
#include "qapi/error.h"
#include "qemu/option.h"

static void *prop_field(DeviceState *dev, Property *prop)
{
    return (char *)dev + prop->offset;
}

void error_set_from_qdev_prop_error(GError **errp, int ret, Object *obj,
                                    const char *name, const char *value)
{
    const char *type = object_get_typename(obj);

    switch (ret) {
    case 0:
        break;
    case EEXIST:
        error_setg(errp, "Property '%s.%s' can't take value '%s', it's in use",
                   type, name, value);
        break;
    case ENOENT:
        error_setg(errp, "Property '%s.%s' can't find value '%s'",
                   type, name, value);
        break;
    default:
        error_setg(errp, "Property '%s.%s' doesn't take value '%s'",
                   type, name, value);
        break;
    }
}

void qdev_prop_set_after_realize(DeviceState *dev, const char *name,
                                 GError **errp)
{
    if (dev->id) {
        error_setg(errp, "Attempt to set property '%s' on device '%s' "
                   "(type '%s') after it was realized", name, dev->id,
                   object_get_typename(OBJECT(dev)));
    } else {
        error_setg(errp, "Attempt to set property '%s' on anonymous device "
                   "(type '%s') after it was realized", name,
                   object_get_typename(OBJECT(dev)));
    }
}

/* Booleans and bits */

static JsonNode *get_bool(DeviceState *dev, Property *prop)
{
    return qom_value_from_bool(*(bool *)prop_field(dev, prop));
}

static bool set_bool(DeviceState *dev, Property *prop, JsonNode *value,
                     GError **errp)
{
    return qom_value_to_bool(value, prop->name, prop_field(dev, prop), errp);
}

static void set_default_bool(DeviceState *dev, Property *prop)
{
    *(bool *)prop_field(dev, prop) = prop->defval.u;
}

const PropertyInfo qdev_prop_bool = {
    .name = "bool",
    .get = get_bool,
    .set = set_bool,
    .set_default = set_default_bool,
};

/*
 * bit and bit64 differ only in the width of the field holding the flags,
 * so one set of accessors serves both and looks at which info it is.
 */
static uint64_t bits_load(DeviceState *dev, Property *prop)
{
    if (prop->info == &qdev_prop_bit64) {
        return *(uint64_t *)prop_field(dev, prop);
    }
    return *(uint32_t *)prop_field(dev, prop);
}

static void bits_save(DeviceState *dev, Property *prop, uint64_t bits)
{
    if (prop->info == &qdev_prop_bit64) {
        *(uint64_t *)prop_field(dev, prop) = bits;
    } else {
        *(uint32_t *)prop_field(dev, prop) = (uint32_t)bits;
    }
}

static JsonNode *get_bit(DeviceState *dev, Property *prop)
{
    return qom_value_from_bool(bits_load(dev, prop) & (1ull << prop->bitnr));
}

static void bit_store(DeviceState *dev, Property *prop, bool v)
{
    uint64_t mask = 1ull << prop->bitnr;
    uint64_t bits = bits_load(dev, prop);

    bits_save(dev, prop, v ? (bits | mask) : (bits & ~mask));
}

static bool set_bit(DeviceState *dev, Property *prop, JsonNode *value,
                    GError **errp)
{
    bool v;

    if (!qom_value_to_bool(value, prop->name, &v, errp)) {
        return false;
    }
    bit_store(dev, prop, v);
    return true;
}

static void set_default_bit(DeviceState *dev, Property *prop)
{
    bit_store(dev, prop, prop->defval.u);
}

const PropertyInfo qdev_prop_bit = {
    .name = "bool",
    .description = "on/off",
    .get = get_bit,
    .set = set_bit,
    .set_default = set_default_bit,
};

const PropertyInfo qdev_prop_bit64 = {
    .name = "bool",
    .description = "on/off",
    .get = get_bit,
    .set = set_bit,
    .set_default = set_default_bit,
};

/* Integers: one reader per signedness, then a range check per width. */

static bool read_uint(JsonNode *value, Property *prop, uint64_t max,
                      const char *ctype, uint64_t *out, GError **errp)
{
    if (!qom_value_to_uint(value, prop->name, out, errp)) {
        return false;
    }
    if (*out > max) {
        error_setg(errp, "Parameter '%s' expects %s", prop->name, ctype);
        return false;
    }
    return true;
}

static bool read_int(JsonNode *value, Property *prop, int64_t min,
                     int64_t max, const char *ctype, int64_t *out,
                     GError **errp)
{
    if (!qom_value_to_int(value, prop->name, out, errp)) {
        return false;
    }
    if (*out < min || *out > max) {
        error_setg(errp, "Parameter '%s' expects %s", prop->name, ctype);
        return false;
    }
    return true;
}

#define DEFINE_UINT_PROP(bits)                                              \
static JsonNode *get_uint##bits(DeviceState *dev, Property *prop)           \
{                                                                           \
    return qom_value_from_int(*(uint##bits##_t *)prop_field(dev, prop));    \
}                                                                           \
static bool set_uint##bits(DeviceState *dev, Property *prop,                \
                           JsonNode *value, GError **errp)                  \
{                                                                           \
    uint64_t v;                                                             \
    if (!read_uint(value, prop, UINT##bits##_MAX, "uint" #bits "_t", &v,    \
                   errp)) {                                                 \
        return false;                                                       \
    }                                                                       \
    *(uint##bits##_t *)prop_field(dev, prop) = v;                           \
    return true;                                                            \
}                                                                           \
static void set_default_uint##bits(DeviceState *dev, Property *prop)        \
{                                                                           \
    *(uint##bits##_t *)prop_field(dev, prop) = prop->defval.u;              \
}                                                                           \
const PropertyInfo qdev_prop_uint##bits = {                                 \
    .name = "uint" #bits,                                                   \
    .get = get_uint##bits,                                                  \
    .set = set_uint##bits,                                                  \
    .set_default = set_default_uint##bits,                                  \
};

DEFINE_UINT_PROP(8)
DEFINE_UINT_PROP(16)
DEFINE_UINT_PROP(32)

static JsonNode *get_uint64(DeviceState *dev, Property *prop)
{
    return qom_value_from_uint(*(uint64_t *)prop_field(dev, prop));
}

static bool set_uint64(DeviceState *dev, Property *prop, JsonNode *value,
                       GError **errp)
{
    return qom_value_to_uint(value, prop->name, prop_field(dev, prop), errp);
}

static void set_default_uint64(DeviceState *dev, Property *prop)
{
    *(uint64_t *)prop_field(dev, prop) = prop->defval.u;
}

const PropertyInfo qdev_prop_uint64 = {
    .name = "uint64",
    .get = get_uint64,
    .set = set_uint64,
    .set_default = set_default_uint64,
};

static JsonNode *get_int32(DeviceState *dev, Property *prop)
{
    return qom_value_from_int(*(int32_t *)prop_field(dev, prop));
}

static bool set_int32(DeviceState *dev, Property *prop, JsonNode *value,
                      GError **errp)
{
    int64_t v;

    if (!read_int(value, prop, INT32_MIN, INT32_MAX, "int32_t", &v, errp)) {
        return false;
    }
    *(int32_t *)prop_field(dev, prop) = v;
    return true;
}

static void set_default_int32(DeviceState *dev, Property *prop)
{
    *(int32_t *)prop_field(dev, prop) = prop->defval.i;
}

const PropertyInfo qdev_prop_int32 = {
    .name = "int32",
    .get = get_int32,
    .set = set_int32,
    .set_default = set_default_int32,
};

static JsonNode *get_int64(DeviceState *dev, Property *prop)
{
    return qom_value_from_int(*(int64_t *)prop_field(dev, prop));
}

static bool set_int64(DeviceState *dev, Property *prop, JsonNode *value,
                      GError **errp)
{
    return qom_value_to_int(value, prop->name, prop_field(dev, prop), errp);
}

static void set_default_int64(DeviceState *dev, Property *prop)
{
    *(int64_t *)prop_field(dev, prop) = prop->defval.i;
}

const PropertyInfo qdev_prop_int64 = {
    .name = "int64",
    .get = get_int64,
    .set = set_int64,
    .set_default = set_default_int64,
};

/* Sizes: text takes k/M/G/T/P/E suffixes; typed JSON is bytes. */

static bool set_size(DeviceState *dev, Property *prop, JsonNode *value,
                     GError **errp)
{
    uint64_t *p = prop_field(dev, prop);

    if (qom_value_is_text(value)) {
        if (!qemu_strtosz(prop->name, json_node_get_string(value), p, NULL)) {
            error_setg(errp, "Parameter '%s' expects size", prop->name);
            return false;
        }
        return true;
    }
    return qom_value_to_uint(value, prop->name, p, errp);
}

const PropertyInfo qdev_prop_size = {
    .name = "size",
    .get = get_uint64,
    .set = set_size,
    .set_default = set_default_uint64,
};

/* Strings */

static JsonNode *get_string(DeviceState *dev, Property *prop)
{
    char *s = *(char **)prop_field(dev, prop);

    return qom_value_from_str(s ? s : "");
}

static bool set_string(DeviceState *dev, Property *prop, JsonNode *value,
                       GError **errp)
{
    char **p = prop_field(dev, prop);
    const char *s;

    if (!qom_value_to_str(value, prop->name, &s, errp)) {
        return false;
    }
    g_free(*p);
    *p = g_strdup(s);
    return true;
}

static void set_default_string(DeviceState *dev, Property *prop)
{
    *(char **)prop_field(dev, prop) = g_strdup(prop->defval_str);
}

static void release_string(DeviceState *dev, Property *prop)
{
    char **p = prop_field(dev, prop);

    g_free(*p);
    *p = NULL;
}

const PropertyInfo qdev_prop_string = {
    .name = "str",
    .get = get_string,
    .set = set_string,
    .set_default = set_default_string,
    .release = release_string,
};

/* MAC addresses: six two-digit hex bytes separated by ':' or '-'. */

static JsonNode *get_mac(DeviceState *dev, Property *prop)
{
    MACAddr *mac = prop_field(dev, prop);
    g_autofree char *s = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x",
                                         mac->a[0], mac->a[1], mac->a[2],
                                         mac->a[3], mac->a[4], mac->a[5]);

    return qom_value_from_str(s);
}

static bool set_mac(DeviceState *dev, Property *prop, JsonNode *value,
                    GError **errp)
{
    MACAddr parsed;
    const char *s;

    if (!qom_value_to_str(value, prop->name, &s, errp)) {
        return false;
    }
    if (!net_parse_macaddr(parsed.a, s)) {
        error_set_from_qdev_prop_error(errp, EINVAL, OBJECT(dev), prop->name,
                                       s);
        return false;
    }
    *(MACAddr *)prop_field(dev, prop) = parsed;
    return true;
}

const PropertyInfo qdev_prop_macaddr = {
    .name = "str",
    .description = "Ethernet 6-byte MAC Address, example: 52:54:00:12:34:56",
    .get = get_mac,
    .set = set_mac,
};

/* OnOffAuto (an enum field is an int) */

static JsonNode *get_enum(DeviceState *dev, Property *prop)
{
    int v = *(int *)prop_field(dev, prop);

    return qom_value_from_str(qapi_enum_lookup(prop->info->enum_table, v));
}

static bool set_enum(DeviceState *dev, Property *prop, JsonNode *value,
                     GError **errp)
{
    const QEnumLookup *table = prop->info->enum_table;
    const char *s;

    if (!qom_value_to_str(value, prop->name, &s, errp)) {
        return false;
    }
    for (int i = 0; i < table->size; i++) {
        if (!strcmp(table->array[i], s)) {
            *(int *)prop_field(dev, prop) = i;
            return true;
        }
    }
    error_setg(errp, "Parameter '%s' does not accept value '%s'",
               prop->name, s);
    return false;
}

static void set_default_enum(DeviceState *dev, Property *prop)
{
    *(int *)prop_field(dev, prop) = prop->defval.i;
}

const PropertyInfo qdev_prop_on_off_auto = {
    .name = "OnOffAuto",
    .description = "on/off/auto",
    .enum_table = &OnOffAuto_lookup,
    .get = get_enum,
    .set = set_enum,
    .set_default = set_default_enum,
};

/* PCI devfn: text "SLOT[.FN]" in hex, typed JSON the devfn number. */

static bool parse_devfn(const char *str, int32_t *devfn)
{
    unsigned long slot, fn = 0;
    char *end;

    errno = 0;
    slot = strtoul(str, &end, 16);
    if (end == str || errno || str[0] == '-' || str[0] == '+') {
        return false;
    }
    if (*end == '.') {
        const char *p = end + 1;

        if (!g_ascii_isxdigit(*p)) {
            return false;
        }
        fn = strtoul(p, &end, 16);
        if (errno || fn > 7) {
            return false;
        }
    }
    if (*end || slot > 31) {
        return false;
    }
    *devfn = slot << 3 | fn;
    return true;
}

static bool set_pci_devfn(DeviceState *dev, Property *prop, JsonNode *value,
                          GError **errp)
{
    int32_t *p = prop_field(dev, prop);
    int64_t v;

    if (JSON_NODE_HOLDS_VALUE(value) &&
        json_node_get_value_type(value) == G_TYPE_STRING) {
        const char *s = json_node_get_string(value);

        if (!parse_devfn(s, p)) {
            error_set_from_qdev_prop_error(errp, EINVAL, OBJECT(dev),
                                           prop->name, s);
            return false;
        }
        return true;
    }
    if (!qom_value_to_int(value, prop->name, &v, errp)) {
        return false;
    }
    if (v < -1 || v > 255) {
        error_setg(errp, "Parameter '%s' expects a value between -1 and 255",
                   prop->name);
        return false;
    }
    *p = v;
    return true;
}

const PropertyInfo qdev_prop_pci_devfn = {
    .name = "int32",
    .description = "Slot and optional function number, example: 06.0 or 06",
    .get = get_int32,
    .set = set_pci_devfn,
    .set_default = set_default_int32,
};

/* Registration */

static JsonNode *static_prop_get(Object *obj, ObjectProperty *op,
                                 GError **errp)
{
    Property *prop = op->opaque;

    return prop->info->get(DEVICE(obj), prop);
}

static bool static_prop_set(Object *obj, ObjectProperty *op, JsonNode *value,
                            GError **errp)
{
    DeviceState *dev = DEVICE(obj);
    Property *prop = op->opaque;

    if (dev->realized) {
        qdev_prop_set_after_realize(dev, prop->name, errp);
        return false;
    }
    return prop->info->set(dev, prop, value, errp);
}

static JsonNode *prop_default_json(Property *prop)
{
    const PropertyInfo *info = prop->info;

    if (info->enum_table) {
        return prop->set_default ?
               qom_value_from_str(qapi_enum_lookup(info->enum_table,
                                                   prop->defval.i)) : NULL;
    }
    if (info == &qdev_prop_string) {
        return prop->defval_str ? qom_value_from_str(prop->defval_str) : NULL;
    }
    if (!prop->set_default) {
        return NULL;
    }
    if (info == &qdev_prop_bool || info == &qdev_prop_bit ||
        info == &qdev_prop_bit64) {
        return qom_value_from_bool(prop->defval.u);
    }
    if (info == &qdev_prop_int32 || info == &qdev_prop_int64 ||
        info == &qdev_prop_pci_devfn) {
        return qom_value_from_int(prop->defval.i);
    }
    return qom_value_from_int((int64_t)prop->defval.u);
}

void device_class_set_props(DeviceClass *dc, Property *props)
{
    ObjectClass *oc = OBJECT_CLASS(dc);

    dc->props = props;
    for (Property *prop = props; prop->name; prop++) {
        ObjectProperty *op = object_class_property_add(
            oc, prop->name, prop->info->name, static_prop_get,
            prop->info->set ? static_prop_set : NULL, NULL, prop);

        if (prop->info->description) {
            object_property_set_description(op, prop->info->description);
        }
        op->defval = prop_default_json(prop);
    }
}

void qdev_class_foreach_prop(DeviceClass *dc,
                             void (*fn)(Property *prop, void *opaque),
                             void *opaque)
{
    ObjectClass *oc = OBJECT_CLASS(dc);

    /* A subclass inherits dc->props by copy: visit each table once. */
    for (; oc && object_class_dynamic_cast(oc, TYPE_DEVICE);
         oc = object_class_get_parent(oc)) {
        ObjectClass *parent = object_class_get_parent(oc);
        Property *props = ((DeviceClass *)oc)->props;

        if (!props || (parent && object_class_dynamic_cast(parent,
                                                           TYPE_DEVICE) &&
                       ((DeviceClass *)parent)->props == props)) {
            continue;
        }
        for (Property *prop = props; prop->name; prop++) {
            fn(prop, opaque);
        }
    }
}

static void prop_set_default(Property *prop, void *opaque)
{
    if (prop->info->set_default &&
        (prop->set_default || prop->info == &qdev_prop_string)) {
        prop->info->set_default(opaque, prop);
    }
}

void qdev_prop_set_defaults(DeviceState *dev)
{
    qdev_class_foreach_prop(DEVICE_GET_CLASS(dev), prop_set_default, dev);
}

static void prop_release(Property *prop, void *opaque)
{
    if (prop->info->release) {
        prop->info->release(opaque, prop);
    }
}

void qdev_prop_release_all(DeviceState *dev)
{
    qdev_class_foreach_prop(DEVICE_GET_CLASS(dev), prop_release, dev);
}
