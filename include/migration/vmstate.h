/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device state for migration, declared once per device as a table of
 * fields (QEMU's VMState idea, kept small).  Saving, loading, validation
 * and versioning are generic (migration/vmstate.c); a device only says
 * which members of its struct make up its state:
 *
 *     static const VMStateDescription vmstate_foo = {
 *         .name = "foo",
 *         .version_id = 1,
 *         .fields = (const VMStateField[]) {
 *             VMSTATE_UINT32(ctrl, FooState),
 *             VMSTATE_UINT16_MAX(queue_size, FooState, 1024),
 *             VMSTATE_BUFFER(mac, FooState),
 *             VMSTATE_END_OF_LIST()
 *         },
 *         .post_load = foo_post_load,
 *     };
 *     ...
 *     dc->vmsd = &vmstate_foo;
 *
 * Every realized device whose DeviceClass has a vmsd gets one section in
 * the stream, named by its canonical QOM path.  The opaque pointer passed
 * to the callbacks is the device itself (or the nested struct for
 * VMSTATE_STRUCT and friends).
 *
 * Wire form of a description: its name, its version, then the fields in
 * table order (integers big-endian; buffers and arrays with a u32 count),
 * then the subsections whose needed() is true, each introduced by a marker
 * byte and its name, and a terminating zero byte.  The loader checks the
 * name, version range, every count against its bound and every bool and
 * bounded integer against its range before anything reaches the device.
 */
#ifndef MIGRATION_VMSTATE_H
#define MIGRATION_VMSTATE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct VMStateDescription VMStateDescription;
typedef struct VMStateField VMStateField;

typedef enum VMStateFieldKind {
    VMS_END = 0,
    VMS_BOOL,
    VMS_UINT8,
    VMS_UINT16,
    VMS_UINT32,
    VMS_UINT64,
    VMS_INT32,
    VMS_INT64,
    /*
     * Bytes.  Fixed size (size), or a variable length given by the
     * integer member at count_offset (count_size bytes wide; a member
     * loaded earlier in the same table, or a local one), at most max.
     */
    VMS_BUFFER,
    /* A nested description (vmsd) over the member at offset. */
    VMS_STRUCT,
    /*
     * An array of structs (element size `size`, description vmsd), num
     * elements, or a variable count as for VMS_BUFFER.
     */
    VMS_STRUCT_ARRAY,
} VMStateFieldKind;

/* Flags of a field. */
#define VMS_POINTER     0x1     /* the member is a pointer to the data */
#define VMS_VARIABLE    0x2     /* count from count_offset, bounded by max */
#define VMS_CHECK_MAX   0x4     /* integer: reject values above max */

struct VMStateField {
    const char *name;
    VMStateFieldKind kind;
    unsigned flags;
    size_t offset;
    /* Integers: element width; buffers: byte size; arrays: element size. */
    size_t size;
    /* Integers and struct arrays: fixed element count (0 means 1). */
    uint32_t num;
    size_t count_offset;        /* VMS_VARIABLE: where the count lives */
    size_t count_size;          /* its width: 1, 2, 4 or 8 */
    /* VMS_VARIABLE: the count computed from the device instead. */
    uint64_t (*count_fn)(void *opaque);
    uint64_t max;               /* VMS_VARIABLE / VMS_CHECK_MAX bound */
    const VMStateDescription *vmsd;     /* struct kinds */
    /*
     * Present in the stream from this version of the description on (0:
     * always); set it with a designated initializer after a macro's ones.
     */
    int version_id;
};

struct VMStateDescription {
    const char *name;
    int version_id;
    /* Oldest stream version this code still loads (0: version_id). */
    int minimum_version_id;
    const VMStateField *fields;         /* ends with VMSTATE_END_OF_LIST() */
    /* Optional parts, saved only when their needed() says so. */
    const VMStateDescription *const *subsections;   /* NULL-terminated */
    bool (*needed)(void *opaque);
    /* Before the fields are written (e.g. copy state into the fields). */
    void (*pre_save)(void *opaque);
    /* Before loading into opaque. */
    bool (*pre_load)(void *opaque, GError **errp);
    /*
     * After all fields and subsections were loaded: check what a table
     * cannot (e.g. cross-field consistency) and apply the state (re-map
     * BARs, ...).  Return false with *errp set to refuse the stream.
     */
    bool (*post_load)(void *opaque, int version_id, GError **errp);
};

#define vmstate_offset(state, field) offsetof(state, field)
#define vmstate_size(state, field) sizeof(((state *)0)->field)

/*
 * The pointer comparison inside sizeof is never evaluated: it only makes
 * the compiler reject a member whose type is not _type.
 */
#define VMSTATE_INT_FIELD(_field, _state, _kind, _type) {            \
    .name = #_field, .kind = (_kind),                               \
    .offset = vmstate_offset(_state, _field) +                      \
              0 * sizeof((_type *)0 == &((_state *)0)->_field),     \
    .size = sizeof(_type), .num = 1 }

#define VMSTATE_BOOL(f, s)   VMSTATE_INT_FIELD(f, s, VMS_BOOL, bool)
#define VMSTATE_UINT8(f, s)  VMSTATE_INT_FIELD(f, s, VMS_UINT8, uint8_t)
#define VMSTATE_UINT16(f, s) VMSTATE_INT_FIELD(f, s, VMS_UINT16, uint16_t)
#define VMSTATE_UINT32(f, s) VMSTATE_INT_FIELD(f, s, VMS_UINT32, uint32_t)
#define VMSTATE_UINT64(f, s) VMSTATE_INT_FIELD(f, s, VMS_UINT64, uint64_t)
#define VMSTATE_INT32(f, s)  VMSTATE_INT_FIELD(f, s, VMS_INT32, int32_t)
#define VMSTATE_INT64(f, s)  VMSTATE_INT_FIELD(f, s, VMS_INT64, int64_t)

/* An unsigned integer the loader refuses above _max. */
#define VMSTATE_UINT8_MAX(f, s, _max) {                             \
    .name = #f, .kind = VMS_UINT8, .flags = VMS_CHECK_MAX,          \
    .offset = vmstate_offset(s, f), .size = 1, .num = 1, .max = (_max) }
#define VMSTATE_UINT16_MAX(f, s, _max) {                            \
    .name = #f, .kind = VMS_UINT16, .flags = VMS_CHECK_MAX,         \
    .offset = vmstate_offset(s, f), .size = 2, .num = 1, .max = (_max) }
#define VMSTATE_UINT32_MAX(f, s, _max) {                            \
    .name = #f, .kind = VMS_UINT32, .flags = VMS_CHECK_MAX,         \
    .offset = vmstate_offset(s, f), .size = 4, .num = 1, .max = (_max) }
#define VMSTATE_UINT64_MAX(f, s, _max) {                            \
    .name = #f, .kind = VMS_UINT64, .flags = VMS_CHECK_MAX,         \
    .offset = vmstate_offset(s, f), .size = 8, .num = 1, .max = (_max) }

/* Fixed arrays of integers, e.g. uint32_t vlans[128]. */
#define VMSTATE_UINT16_ARRAY(f, s, n) {                             \
    .name = #f, .kind = VMS_UINT16, .offset = vmstate_offset(s, f), \
    .size = 2, .num = (n) }
#define VMSTATE_UINT32_ARRAY(f, s, n) {                             \
    .name = #f, .kind = VMS_UINT32, .offset = vmstate_offset(s, f), \
    .size = 4, .num = (n) }
#define VMSTATE_UINT64_ARRAY(f, s, n) {                             \
    .name = #f, .kind = VMS_UINT64, .offset = vmstate_offset(s, f), \
    .size = 8, .num = (n) }

/* A member array of bytes, whole: uint8_t mac[6]. */
#define VMSTATE_BUFFER(f, s) {                                      \
    .name = #f, .kind = VMS_BUFFER, .offset = vmstate_offset(s, f), \
    .size = vmstate_size(s, f) }
/* n bytes behind a pointer member: uint8_t *table. */
#define VMSTATE_BUFFER_POINTER(f, s, n) {                           \
    .name = #f, .kind = VMS_BUFFER, .flags = VMS_POINTER,           \
    .offset = vmstate_offset(s, f), .size = (n) }
/*
 * Bytes whose length is the member _count (an integer of any width); the
 * stream's length must equal it (the count is loaded first when it is
 * part of the table, or is the device's own fixed geometry) and be at
 * most _max, which must not exceed the room the member has.
 */
#define VMSTATE_VBUFFER(f, s, _count, _max) {                       \
    .name = #f, .kind = VMS_BUFFER, .flags = VMS_VARIABLE,          \
    .offset = vmstate_offset(s, f), .size = vmstate_size(s, f),     \
    .count_offset = vmstate_offset(s, _count),                      \
    .count_size = vmstate_size(s, _count), .max = (_max) }
#define VMSTATE_VBUFFER_POINTER(f, s, _count, _max) {               \
    .name = #f, .kind = VMS_BUFFER, .flags = VMS_VARIABLE | VMS_POINTER, \
    .offset = vmstate_offset(s, f),                                 \
    .count_offset = vmstate_offset(s, _count),                      \
    .count_size = vmstate_size(s, _count), .max = (_max) }

/* Bytes behind a pointer member, as many as _fn(opaque) says (<= _max). */
#define VMSTATE_VBUFFER_POINTER_FN(f, s, _fn, _max) {               \
    .name = #f, .kind = VMS_BUFFER, .flags = VMS_VARIABLE | VMS_POINTER, \
    .offset = vmstate_offset(s, f), .count_fn = (_fn), .max = (_max) }
/* Structs behind a pointer member, _fn(opaque) of them (<= _max). */
#define VMSTATE_STRUCT_VARRAY_POINTER_FN(f, s, _fn, _max, _vmsd, _type) { \
    .name = #f, .kind = VMS_STRUCT_ARRAY,                           \
    .flags = VMS_VARIABLE | VMS_POINTER,                            \
    .offset = vmstate_offset(s, f), .size = sizeof(_type),          \
    .count_fn = (_fn), .max = (_max), .vmsd = &(_vmsd) }

/* A nested struct member described by _vmsd. */
#define VMSTATE_STRUCT(f, s, _vmsd, _type) {                        \
    .name = #f, .kind = VMS_STRUCT, .offset = vmstate_offset(s, f), \
    .size = sizeof(_type), .vmsd = &(_vmsd) }
/* _type f[n] described element-wise by _vmsd. */
#define VMSTATE_STRUCT_ARRAY(f, s, n, _vmsd, _type) {               \
    .name = #f, .kind = VMS_STRUCT_ARRAY,                           \
    .offset = vmstate_offset(s, f), .size = sizeof(_type),          \
    .num = (n), .vmsd = &(_vmsd) }
/* _type *f: _count elements (at most _max) described by _vmsd. */
#define VMSTATE_STRUCT_VARRAY_POINTER(f, s, _count, _max, _vmsd, _type) { \
    .name = #f, .kind = VMS_STRUCT_ARRAY,                           \
    .flags = VMS_VARIABLE | VMS_POINTER,                            \
    .offset = vmstate_offset(s, f), .size = sizeof(_type),          \
    .count_offset = vmstate_offset(s, _count),                      \
    .count_size = vmstate_size(s, _count), .max = (_max),           \
    .vmsd = &(_vmsd) }

#define VMSTATE_END_OF_LIST() { .kind = VMS_END }

/*
 * State of no device (QEMU's "timer" section: the virtual clock): one
 * section named name (no leading '/'), saved before the devices; a
 * stream without it loads.  name and vmsd must outlive the process.
 */
void vmstate_register_global(const char *name, const VMStateDescription *vmsd,
                             void *opaque);

/* Generic save/load (migration/vmstate.c) over a byte buffer. */
/* Append the state of opaque, described by vmsd, to out. */
void vmstate_save(const VMStateDescription *vmsd, void *opaque,
                  GByteArray *out);
/*
 * Load opaque from exactly len bytes at data.  Checks everything before
 * touching opaque's members; on error the message names the field.
 */
bool vmstate_load(const VMStateDescription *vmsd, void *opaque,
                  const uint8_t *data, size_t len, GError **errp);
/* Check a table is well formed (bounds fit their members); for tests. */
bool vmstate_check_description(const VMStateDescription *vmsd,
                               GError **errp);

#endif
