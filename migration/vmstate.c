/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generic save and load of a device's state from its field table.  The
 * loader works on untrusted bytes: each value is read through the bounded
 * reader and checked (counts against their bounds and the member's room,
 * bools, bounded integers) before it is stored into the device.
 */
#include "migration/vmstate.h"
#include "migration/internal.h"

#include "qapi/error.h"

static void *field_ptr(void *opaque, const VMStateField *f)
{
    void *p = (uint8_t *)opaque + f->offset;

    if (f->flags & VMS_POINTER) {
        p = *(void **)p;
    }
    return p;
}

static uint64_t read_count(void *opaque, const VMStateField *f)
{
    const uint8_t *p = (const uint8_t *)opaque + f->count_offset;

    switch (f->count_size) {
    case 1:
        return *p;
    case 2:
        return *(const uint16_t *)p;
    case 4:
        return *(const uint32_t *)p;
    case 8:
        return *(const uint64_t *)p;
    }
    g_assert_not_reached();
}

/* Elements (or bytes for a buffer) the field has right now. */
static uint64_t field_count(void *opaque, const VMStateField *f)
{
    if (f->flags & VMS_VARIABLE) {
        return f->count_fn ? f->count_fn(opaque) : read_count(opaque, f);
    }
    if (f->kind == VMS_BUFFER) {
        return f->size;
    }
    return f->num ? f->num : 1;
}

static bool field_present(const VMStateField *f, int version)
{
    return f->version_id <= version;
}

/* Save */

static void save_int(GByteArray *out, const VMStateField *f, const void *p)
{
    switch (f->size) {
    case 1:
        mig_put_u8(out, *(const uint8_t *)p);
        break;
    case 2:
        mig_put_u16(out, *(const uint16_t *)p);
        break;
    case 4:
        mig_put_u32(out, *(const uint32_t *)p);
        break;
    case 8:
        mig_put_u64(out, *(const uint64_t *)p);
        break;
    default:
        g_assert_not_reached();
    }
}

static void save_fields(const VMStateDescription *vmsd, void *opaque,
                        GByteArray *out);
static void save_nested(const VMStateDescription *vmsd, void *opaque,
                        GByteArray *out);

static void save_desc(const VMStateDescription *vmsd, void *opaque,
                      GByteArray *out)
{
    if (vmsd->pre_save) {
        vmsd->pre_save(opaque);
    }
    mig_put_str(out, vmsd->name);
    mig_put_u32(out, vmsd->version_id);
    save_fields(vmsd, opaque, out);
    for (const VMStateDescription *const *sub = vmsd->subsections;
         sub && *sub; sub++) {
        if ((*sub)->needed && !(*sub)->needed(opaque)) {
            continue;
        }
        mig_put_u8(out, 1);
        save_desc(*sub, opaque, out);
    }
    mig_put_u8(out, 0);
}

static void save_fields(const VMStateDescription *vmsd, void *opaque,
                        GByteArray *out)
{
    for (const VMStateField *f = vmsd->fields; f && f->kind != VMS_END; f++) {
        uint8_t *p = field_ptr(opaque, f);
        uint64_t n = field_count(opaque, f);

        switch (f->kind) {
        case VMS_BOOL:
            for (uint64_t i = 0; i < n; i++) {
                mig_put_u8(out, ((bool *)p)[i] ? 1 : 0);
            }
            break;
        case VMS_UINT8: case VMS_UINT16: case VMS_UINT32: case VMS_UINT64:
        case VMS_INT32: case VMS_INT64:
            for (uint64_t i = 0; i < n; i++) {
                save_int(out, f, p + i * f->size);
            }
            break;
        case VMS_BUFFER:
            mig_put_u32(out, n);
            if (n) {
                g_byte_array_append(out, p, n);
            }
            break;
        case VMS_STRUCT:
            save_nested(f->vmsd, p, out);
            break;
        case VMS_STRUCT_ARRAY:
            mig_put_u32(out, n);
            for (uint64_t i = 0; i < n; i++) {
                save_nested(f->vmsd, p + i * f->size, out);
            }
            break;
        case VMS_END:
            break;
        }
    }
}

/* Nested structs carry only their fields: the table fixes their layout. */
static void save_nested(const VMStateDescription *vmsd, void *opaque,
                        GByteArray *out)
{
    if (vmsd->pre_save) {
        vmsd->pre_save(opaque);
    }
    save_fields(vmsd, opaque, out);
}

void vmstate_save(const VMStateDescription *vmsd, void *opaque,
                  GByteArray *out)
{
    save_desc(vmsd, opaque, out);
}

/* Load */

static bool truncated(const VMStateDescription *vmsd, const VMStateField *f,
                      GError **errp)
{
    error_setg(errp, "%s: field '%s' truncated", vmsd->name, f->name);
    return false;
}

static bool load_int(MigReader *r, const VMStateDescription *vmsd,
                     const VMStateField *f, void *p, GError **errp)
{
    uint64_t v;

    switch (f->size) {
    case 1: {
        uint8_t x;
        if (!mig_get_u8(r, &x)) {
            return truncated(vmsd, f, errp);
        }
        v = x;
        break;
    }
    case 2: {
        uint16_t x;
        if (!mig_get_u16(r, &x)) {
            return truncated(vmsd, f, errp);
        }
        v = x;
        break;
    }
    case 4: {
        uint32_t x;
        if (!mig_get_u32(r, &x)) {
            return truncated(vmsd, f, errp);
        }
        v = x;
        break;
    }
    default:
        if (!mig_get_u64(r, &v)) {
            return truncated(vmsd, f, errp);
        }
        break;
    }
    if (f->kind == VMS_BOOL && v > 1) {
        error_setg(errp, "%s: field '%s': invalid bool %" PRIu64,
                   vmsd->name, f->name, v);
        return false;
    }
    if ((f->flags & VMS_CHECK_MAX) && v > f->max) {
        error_setg(errp, "%s: field '%s' out of range: %" PRIu64 " > %"
                   PRIu64, vmsd->name, f->name, v, f->max);
        return false;
    }
    switch (f->size) {
    case 1:
        if (f->kind == VMS_BOOL) {
            *(bool *)p = v;
        } else {
            *(uint8_t *)p = v;
        }
        break;
    case 2:
        *(uint16_t *)p = v;
        break;
    case 4:
        *(uint32_t *)p = v;
        break;
    default:
        *(uint64_t *)p = v;
        break;
    }
    return true;
}

/*
 * The count on the wire must be what the device has room for: its fixed
 * size, or the (already loaded or local) count member, within max.
 */
static bool load_count(MigReader *r, const VMStateDescription *vmsd,
                       const VMStateField *f, void *opaque, uint64_t *n,
                       GError **errp)
{
    uint32_t wire;
    uint64_t want = field_count(opaque, f);

    if (!mig_get_u32(r, &wire)) {
        return truncated(vmsd, f, errp);
    }
    if ((f->flags & VMS_VARIABLE) &&
        (want > f->max ||
         (f->kind == VMS_BUFFER && !(f->flags & VMS_POINTER) &&
          want > f->size))) {
        error_setg(errp, "%s: field '%s': count %" PRIu64 " exceeds %"
                   PRIu64, vmsd->name, f->name, want, f->max);
        return false;
    }
    if (wire != want) {
        error_setg(errp, "%s: field '%s': size %u does not match %" PRIu64,
                   vmsd->name, f->name, wire, want);
        return false;
    }
    *n = wire;
    return true;
}

static bool load_fields(const VMStateDescription *vmsd, void *opaque,
                        int version, MigReader *r, int depth, GError **errp);

static bool load_nested(const VMStateDescription *vmsd, void *opaque,
                        MigReader *r, int depth, GError **errp)
{
    if (vmsd->pre_load && !vmsd->pre_load(opaque, errp)) {
        return false;
    }
    if (!load_fields(vmsd, opaque, vmsd->version_id, r, depth, errp)) {
        return false;
    }
    if (vmsd->post_load && !vmsd->post_load(opaque, vmsd->version_id, errp)) {
        if (errp && !*errp) {
            error_setg(errp, "%s: post-load check failed", vmsd->name);
        }
        return false;
    }
    return true;
}

static bool load_desc(const VMStateDescription *vmsd, void *opaque,
                      MigReader *r, int depth, GError **errp)
{
    g_autofree char *name = NULL;
    uint32_t version;
    int min = vmsd->minimum_version_id ? vmsd->minimum_version_id
                                       : vmsd->version_id;

    if (depth > 8) {
        error_setg(errp, "%s: nesting too deep", vmsd->name);
        return false;
    }
    if (!mig_get_str(r, &name) || !mig_get_u32(r, &version)) {
        error_setg(errp, "%s: truncated header", vmsd->name);
        return false;
    }
    if (strcmp(name, vmsd->name)) {
        error_setg(errp, "state '%s' received where '%s' was expected",
                   name, vmsd->name);
        return false;
    }
    if (version > (uint32_t)vmsd->version_id || version < (uint32_t)min) {
        error_setg(errp, "%s: unsupported version %u (local %d, oldest %d)",
                   vmsd->name, version, vmsd->version_id, min);
        return false;
    }
    if (vmsd->pre_load && !vmsd->pre_load(opaque, errp)) {
        return false;
    }
    if (!load_fields(vmsd, opaque, version, r, depth, errp)) {
        return false;
    }
    for (;;) {
        uint8_t marker;
        const VMStateDescription *const *sub;
        MigReader peek;
        g_autofree char *subname = NULL;

        if (!mig_get_u8(r, &marker)) {
            error_setg(errp, "%s: truncated subsection list", vmsd->name);
            return false;
        }
        if (marker == 0) {
            break;
        }
        if (marker != 1) {
            error_setg(errp, "%s: bad subsection marker 0x%x", vmsd->name,
                       marker);
            return false;
        }
        peek = *r;
        if (!mig_get_str(&peek, &subname)) {
            error_setg(errp, "%s: truncated subsection", vmsd->name);
            return false;
        }
        for (sub = vmsd->subsections; sub && *sub; sub++) {
            if (!strcmp((*sub)->name, subname)) {
                break;
            }
        }
        if (!sub || !*sub) {
            error_setg(errp, "%s: unknown subsection '%s'", vmsd->name,
                       subname);
            return false;
        }
        if (!load_desc(*sub, opaque, r, depth + 1, errp)) {
            return false;
        }
    }
    if (vmsd->post_load && !vmsd->post_load(opaque, version, errp)) {
        if (errp && !*errp) {
            error_setg(errp, "%s: post-load check failed", vmsd->name);
        }
        return false;
    }
    return true;
}

static bool load_fields(const VMStateDescription *vmsd, void *opaque,
                        int version, MigReader *r, int depth, GError **errp)
{
    if (depth > 8) {
        error_setg(errp, "%s: nesting too deep", vmsd->name);
        return false;
    }
    for (const VMStateField *f = vmsd->fields; f && f->kind != VMS_END; f++) {
        uint8_t *p;
        uint64_t n;

        if (!field_present(f, version)) {
            continue;
        }
        p = field_ptr(opaque, f);
        switch (f->kind) {
        case VMS_BOOL: case VMS_UINT8: case VMS_UINT16: case VMS_UINT32:
        case VMS_UINT64: case VMS_INT32: case VMS_INT64:
            n = field_count(opaque, f);
            for (uint64_t i = 0; i < n; i++) {
                if (!load_int(r, vmsd, f, p + i * f->size, errp)) {
                    return false;
                }
            }
            break;
        case VMS_BUFFER: {
            const uint8_t *src;
            if (!load_count(r, vmsd, f, opaque, &n, errp)) {
                return false;
            }
            if (!mig_get_bytes(r, n, &src)) {
                return truncated(vmsd, f, errp);
            }
            if (n && !p) {
                error_setg(errp, "%s: field '%s' has no storage", vmsd->name,
                           f->name);
                return false;
            }
            if (n) {
                memcpy(p, src, n);
            }
            break;
        }
        case VMS_STRUCT:
            if (!load_nested(f->vmsd, p, r, depth + 1, errp)) {
                return false;
            }
            break;
        case VMS_STRUCT_ARRAY:
            if (!load_count(r, vmsd, f, opaque, &n, errp)) {
                return false;
            }
            if (n && !p) {
                error_setg(errp, "%s: field '%s' has no storage", vmsd->name,
                           f->name);
                return false;
            }
            for (uint64_t i = 0; i < n; i++) {
                if (!load_nested(f->vmsd, p + i * f->size, r, depth + 1,
                                 errp)) {
                    return false;
                }
            }
            break;
        case VMS_END:
            break;
        }
    }
    return true;
}

bool vmstate_load(const VMStateDescription *vmsd, void *opaque,
                  const uint8_t *data, size_t len, GError **errp)
{
    MigReader r;

    mig_reader_init(&r, data, len);
    if (!load_desc(vmsd, opaque, &r, 0, errp)) {
        return false;
    }
    if (mig_reader_left(&r)) {
        error_setg(errp, "%s: %zu unexpected bytes after the state",
                   vmsd->name, mig_reader_left(&r));
        return false;
    }
    return true;
}

bool vmstate_load_reader(const VMStateDescription *vmsd, void *opaque,
                         MigReader *r, GError **errp)
{
    return load_desc(vmsd, opaque, r, 0, errp);
}

bool vmstate_check_description(const VMStateDescription *vmsd,
                               GError **errp)
{
    for (const VMStateField *f = vmsd->fields; f && f->kind != VMS_END; f++) {
        if ((f->flags & VMS_VARIABLE) && f->kind == VMS_BUFFER &&
            !(f->flags & VMS_POINTER) && f->max > f->size) {
            error_setg(errp, "%s.%s: bound %" PRIu64 " exceeds the member's "
                       "%zu bytes", vmsd->name, f->name, f->max, f->size);
            return false;
        }
        if ((f->flags & VMS_VARIABLE) && !f->count_fn &&
            f->count_size != 1 && f->count_size != 2 &&
            f->count_size != 4 && f->count_size != 8) {
            error_setg(errp, "%s.%s: bad count width", vmsd->name, f->name);
            return false;
        }
        if ((f->kind == VMS_STRUCT || f->kind == VMS_STRUCT_ARRAY) &&
            (!f->vmsd || !vmstate_check_description(f->vmsd, errp))) {
            if (!f->vmsd) {
                error_setg(errp, "%s.%s: no description", vmsd->name,
                           f->name);
            }
            return false;
        }
    }
    for (const VMStateDescription *const *sub = vmsd->subsections;
         sub && *sub; sub++) {
        if (!vmstate_check_description(*sub, errp)) {
            return false;
        }
    }
    return true;
}
