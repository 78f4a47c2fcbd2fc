/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Static device properties: one table per device type, each entry naming a
 * field of the device struct, its type and its default.  Setting works only
 * before realize, with QEMU's error texts.
 */
#ifndef HW_QDEV_PROPERTIES_H
#define HW_QDEV_PROPERTIES_H

#include "hw/qdev-core.h"

#include "qapi/util.h"          /* QEnumLookup */

struct PropertyInfo {
    const char *name;           /* type shown by device-list-properties */
    const char *description;
    const QEnumLookup *enum_table;
    /* Read the field as JSON. */
    JsonNode *(*get)(DeviceState *dev, Property *prop);
    /* Set from typed JSON or from a JSON string holding the text form. */
    bool (*set)(DeviceState *dev, Property *prop, JsonNode *value,
                GError **errp);
    /* Store prop->defval into the field at instance init. */
    void (*set_default)(DeviceState *dev, Property *prop);
    void (*release)(DeviceState *dev, Property *prop);
};

struct Property {
    const char *name;
    const PropertyInfo *info;
    ptrdiff_t offset;
    uint8_t bitnr;              /* for bit properties */
    bool set_default;
    union {
        int64_t i;
        uint64_t u;
    } defval;
    const char *defval_str;     /* default for string-ish properties */
};

extern const PropertyInfo qdev_prop_bit;
extern const PropertyInfo qdev_prop_bit64;
extern const PropertyInfo qdev_prop_bool;
extern const PropertyInfo qdev_prop_uint8;
extern const PropertyInfo qdev_prop_uint16;
extern const PropertyInfo qdev_prop_uint32;
extern const PropertyInfo qdev_prop_int32;
extern const PropertyInfo qdev_prop_uint64;
extern const PropertyInfo qdev_prop_int64;
extern const PropertyInfo qdev_prop_size;
extern const PropertyInfo qdev_prop_string;
extern const PropertyInfo qdev_prop_macaddr;
extern const PropertyInfo qdev_prop_on_off_auto;
extern const PropertyInfo qdev_prop_pci_devfn;
extern const PropertyInfo qdev_prop_chr;

#define DEFINE_PROP(_name, _state, _field, _prop, _type, ...) { \
        .name = (_name), .info = &(_prop), \
        .offset = offsetof(_state, _field), \
        __VA_ARGS__ }

#define DEFINE_PROP_BOOL(_n, _s, _f, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_bool, bool, \
                .set_default = true, .defval.u = (bool)(_d))
#define DEFINE_PROP_BIT(_n, _s, _f, _bit, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_bit, uint32_t, .bitnr = (_bit), \
                .set_default = true, .defval.u = (bool)(_d))
#define DEFINE_PROP_BIT64(_n, _s, _f, _bit, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_bit64, uint64_t, .bitnr = (_bit), \
                .set_default = true, .defval.u = (bool)(_d))
#define DEFINE_PROP_UINT8(_n, _s, _f, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_uint8, uint8_t, \
                .set_default = true, .defval.u = (_d))
#define DEFINE_PROP_UINT16(_n, _s, _f, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_uint16, uint16_t, \
                .set_default = true, .defval.u = (_d))
#define DEFINE_PROP_UINT32(_n, _s, _f, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_uint32, uint32_t, \
                .set_default = true, .defval.u = (_d))
#define DEFINE_PROP_INT32(_n, _s, _f, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_int32, int32_t, \
                .set_default = true, .defval.i = (_d))
#define DEFINE_PROP_UINT64(_n, _s, _f, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_uint64, uint64_t, \
                .set_default = true, .defval.u = (_d))
#define DEFINE_PROP_INT64(_n, _s, _f, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_int64, int64_t, \
                .set_default = true, .defval.i = (_d))
#define DEFINE_PROP_SIZE(_n, _s, _f, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_size, uint64_t, \
                .set_default = true, .defval.u = (_d))
#define DEFINE_PROP_STRING(_n, _s, _f) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_string, char *)
/* A MAC address kept as 6 bytes; the field is MACAddr. */
#define DEFINE_PROP_MACADDR(_n, _s, _f) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_macaddr, MACAddr)
#define DEFINE_PROP_ON_OFF_AUTO(_n, _s, _f, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_on_off_auto, OnOffAuto, \
                .set_default = true, .defval.i = (_d))
/* PCI devfn ("addr"): "0x3", "3", "3.1"; -1 means auto. */
#define DEFINE_PROP_PCI_DEVFN(_n, _s, _f, _d) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_pci_devfn, int32_t, \
                .set_default = true, .defval.i = (_d))
/* A chardev by id; the field is Chardev * (NULL: none). */
#define DEFINE_PROP_CHR(_n, _s, _f) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_chr, Chardev *)
#define DEFINE_PROP_END_OF_LIST() { .name = NULL }

typedef struct MACAddr {
    uint8_t a[6];
} MACAddr;

/* OnOffAuto, shared with QAPI's enum of the same name. */
#include "qapi/qapi-types.h"

void device_class_set_props(DeviceClass *dc, Property *props);
/* Props of a class and all its parents, for help output. */
void qdev_class_foreach_prop(DeviceClass *dc,
                             void (*fn)(Property *prop, void *opaque),
                             void *opaque);

/*
 * "Property 'TYPE.NAME' doesn't take value 'VALUE'" and friends, the text
 * QEMU uses for a value a property rejects.
 */
void error_set_from_qdev_prop_error(GError **errp, int ret, Object *obj,
                                    const char *name, const char *value);

/*
 * "Attempt to set property 'NAME' on device 'ID' (type 'T') after it was
 * realized" (or "on anonymous device").
 */
void qdev_prop_set_after_realize(DeviceState *dev, const char *name,
                                 GError **errp);

/* Internal to qdev: defaults at instance init, releases at finalize. */
void qdev_prop_set_defaults(DeviceState *dev);
void qdev_prop_release_all(DeviceState *dev);

#endif
