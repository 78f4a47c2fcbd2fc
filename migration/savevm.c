/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stream sections: the header, the CONFIG section (machine type, RAM
 * blocks), one DEVICE section per device with state, named by its
 * canonical QOM path, and END.  The loader is fed bytes as they arrive,
 * checks each section's length and checksum before looking inside it,
 * and checks that the sections match this process's machine.
 */
#include "migration/internal.h"
#include "migration/misc.h"
#include "migration/vmstate.h"

#include "hw/boards.h"
#include "qapi/error.h"

/* Devices left out of the stream (failover primaries). */
static GHashTable *excluded;

void vmstate_set_device_excluded(DeviceState *dev, bool exclude)
{
    if (!excluded) {
        excluded = g_hash_table_new(NULL, NULL);
    }
    if (exclude) {
        g_hash_table_add(excluded, dev);
    } else {
        g_hash_table_remove(excluded, dev);
    }
}

bool vmstate_device_excluded(DeviceState *dev)
{
    return excluded && g_hash_table_contains(excluded, dev);
}

typedef struct DeviceLoadedHook {
    MigrationDeviceLoadedFunc *fn;
    void *opaque;
} DeviceLoadedHook;

static GList *loaded_hooks;

void migration_add_device_loaded_hook(MigrationDeviceLoadedFunc *fn,
                                      void *opaque)
{
    DeviceLoadedHook *h = g_new(DeviceLoadedHook, 1);

    h->fn = fn;
    h->opaque = opaque;
    loaded_hooks = g_list_append(loaded_hooks, h);
}

void migration_remove_device_loaded_hook(MigrationDeviceLoadedFunc *fn,
                                         void *opaque)
{
    for (GList *l = loaded_hooks; l; l = l->next) {
        DeviceLoadedHook *h = l->data;
        if (h->fn == fn && h->opaque == opaque) {
            loaded_hooks = g_list_delete_link(loaded_hooks, l);
            g_free(h);
            return;
        }
    }
}

/*
 * State that belongs to no device (the virtual clock, as QEMU's "timer"
 * section): saved before the devices under its own name, which has no
 * leading '/', and optional on load.
 */
typedef struct GlobalSection {
    const char *name;
    const VMStateDescription *vmsd;
    void *opaque;
} GlobalSection;

static GList *global_sections;

void vmstate_register_global(const char *name, const VMStateDescription *vmsd,
                             void *opaque)
{
    GlobalSection *gs = g_new(GlobalSection, 1);

    gs->name = name;
    gs->vmsd = vmsd;
    gs->opaque = opaque;
    global_sections = g_list_append(global_sections, gs);
}

static GlobalSection *global_section_find(const char *name)
{
    for (GList *l = global_sections; l; l = l->next) {
        GlobalSection *gs = l->data;
        if (!strcmp(gs->name, name)) {
            return gs;
        }
    }
    return NULL;
}

static const VMStateDescription *device_vmsd(Object *obj)
{
    DeviceState *dev = (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);

    if (!dev || !dev->realized || vmstate_device_excluded(dev)) {
        return NULL;
    }
    return DEVICE_GET_CLASS(dev)->vmsd;
}

static int collect_device(Object *obj, void *opaque)
{
    if (device_vmsd(obj)) {
        g_ptr_array_add(opaque, obj);
    }
    return 0;
}

/* Devices with state, in composition-tree order (creation order). */
static GPtrArray *migratable_devices(void)
{
    GPtrArray *devs = g_ptr_array_new();
    Object *machine = qdev_get_machine();

    if (machine) {
        object_child_foreach_recursive(machine, collect_device, devs);
    }
    return devs;
}

int savevm_count_devices(void)
{
    g_autoptr(GPtrArray) devs = migratable_devices();

    return devs->len;
}

static const char *machine_type_name(void)
{
    static char *name;
    const char *type;

    if (!current_machine) {
        return "none";
    }
    if (MACHINE_GET_CLASS(current_machine)->name) {
        return MACHINE_GET_CLASS(current_machine)->name;
    }
    if (!name) {
        type = object_get_typename(OBJECT(current_machine));
        name = g_strdup(type);
        if (g_str_has_suffix(name, TYPE_MACHINE_SUFFIX)) {
            name[strlen(name) - strlen(TYPE_MACHINE_SUFFIX)] = 0;
        }
    }
    return name;
}

void savevm_put_config(GByteArray *out, uint32_t flags, int mf_channels,
                       const uint8_t *mf_id)
{
    size_t sec;

    mig_put_u32(out, MIG_MAGIC);
    mig_put_u32(out, MIG_VERSION);
    mig_out_tally_reset();
    sec = mig_section_begin(out, MIG_SEC_CONFIG);
    mig_put_str(out, machine_type_name());
    mig_put_u32(out, flags | (mf_channels ? MIG_CONFIG_MULTIFD : 0));
    if (mf_channels) {
        mig_put_u16(out, mf_channels);
        g_byte_array_append(out, mf_id, MIG_MF_ID);
    }
    ram_save_config(out);
    mig_section_end(out, sec);
}

void savevm_put_ping(GByteArray *out)
{
    mig_section_end(out, mig_section_begin(out, MIG_SEC_PING));
}

void savevm_put_commit(GByteArray *out)
{
    mig_section_end(out, mig_section_begin(out, MIG_SEC_COMMIT));
}

void savevm_put_devices_and_end(GByteArray *out, bool vm_running)
{
    g_autoptr(GPtrArray) devs = migratable_devices();
    MigStreamTally tally;
    size_t sec;

    for (GList *l = global_sections; l; l = l->next) {
        GlobalSection *gs = l->data;

        sec = mig_section_begin(out, MIG_SEC_DEVICE);
        mig_put_str(out, gs->name);
        vmstate_save(gs->vmsd, gs->opaque, out);
        mig_section_end(out, sec);
    }
    for (guint i = 0; i < devs->len; i++) {
        Object *obj = g_ptr_array_index(devs, i);
        g_autofree char *path = object_get_canonical_path(obj);

        sec = mig_section_begin(out, MIG_SEC_DEVICE);
        mig_put_str(out, path);
        vmstate_save(device_vmsd(obj), obj, out);
        mig_section_end(out, sec);
    }
    /* Taken before END opens: END describes the sections before it. */
    tally = mig_out_tally();
    sec = mig_section_begin(out, MIG_SEC_END);
    mig_put_u8(out, vm_running);
    mig_put_u32(out, tally.sections);
    mig_put_u32(out, tally.digest);
    ram_save_put_summary(out);
    mig_section_end(out, sec);
}

/* Loading */

struct LoadState {
    GByteArray *buf;            /* bytes not yet consumed */
    bool have_header;
    bool have_config;
    bool end_loaded;            /* END checked */
    bool committed;             /* COMMIT received */
    bool source_running;
    uint32_t flags;             /* CONFIG's MIG_CONFIG_* */
    unsigned section_nr;
    MigStreamTally tally;       /* sections loaded so far */
    RamLoadState *ram;
    MultifdRecv *mf;            /* RAM comes over these channels */
    bool mf_checked;            /* MULTIFD section: all channels done */
    GHashTable *expected;       /* Object * devices still to be loaded */
    GHashTable *loaded;         /* Object * devices loaded */
    bool (*on_ping)(GError **errp);
};

LoadState *loadvm_new(void)
{
    LoadState *ls = g_new0(LoadState, 1);

    ls->buf = g_byte_array_new();
    ls->loaded = g_hash_table_new(NULL, NULL);
    return ls;
}

void loadvm_free(LoadState *ls)
{
    if (!ls) {
        return;
    }
    g_byte_array_unref(ls->buf);
    /* Its threads write into the RAM load state: stop them first. */
    multifd_recv_free(ls->mf);
    ram_load_free(ls->ram);
    if (ls->expected) {
        g_hash_table_unref(ls->expected);
    }
    g_hash_table_unref(ls->loaded);
    g_free(ls);
}

bool loadvm_source_was_running(LoadState *ls)
{
    return ls->source_running;
}

void loadvm_set_ping_handler(LoadState *ls, bool (*fn)(GError **errp))
{
    ls->on_ping = fn;
}

bool loadvm_wants_return_path(LoadState *ls)
{
    return ls->flags & MIG_CONFIG_RETURN_PATH;
}

bool loadvm_loaded(LoadState *ls)
{
    return ls->end_loaded;
}

/* Nothing more to read: END, and COMMIT if the source sends one. */
static bool loadvm_finished(LoadState *ls)
{
    return ls->end_loaded && (!loadvm_wants_return_path(ls) || ls->committed);
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static bool load_config(LoadState *ls, MigReader *r, GError **errp)
{
    g_autofree char *machine = NULL;
    g_autoptr(GPtrArray) devs = NULL;
    uint16_t mf_channels = 0;
    const uint8_t *mf_id = NULL;
    GError *err = NULL;

    if (!mig_get_str(r, &machine)) {
        error_setg(errp, "truncated configuration section");
        return false;
    }
    if (strcmp(machine, machine_type_name())) {
        error_setg(errp, "Machine type received is '%s' and local is '%s'",
                   machine, machine_type_name());
        return false;
    }
    if (!mig_get_u32(r, &ls->flags)) {
        error_setg(errp, "truncated configuration section");
        return false;
    }
    if (ls->flags & ~MIG_CONFIG_KNOWN) {
        error_setg(errp, "unknown stream flags 0x%x", ls->flags);
        return false;
    }
    if (ls->flags & MIG_CONFIG_MULTIFD) {
        if (!mig_get_u16(r, &mf_channels) ||
            !mig_get_bytes(r, MIG_MF_ID, &mf_id)) {
            error_setg(errp, "truncated configuration section");
            return false;
        }
        if (!mf_channels || mf_channels > MIG_MF_MAX_CHANNELS) {
            error_setg(errp, "%u multifd channels", mf_channels);
            return false;
        }
    }
    ls->ram = ram_load_config(r, errp);
    if (!ls->ram) {
        return false;
    }
    if (mig_reader_left(r)) {
        error_setg(errp, "configuration section too long");
        return false;
    }
    /* RAM is ready (cleared): the channels may start writing into it. */
    ls->mf = multifd_recv_start(ls->ram, mf_channels, mf_id, &err);
    if (err) {
        g_propagate_error(errp, err);
        return false;
    }
    /* Devices that exist now must all receive their state. */
    devs = migratable_devices();
    ls->expected = g_hash_table_new(NULL, NULL);
    for (guint i = 0; i < devs->len; i++) {
        g_hash_table_add(ls->expected, g_ptr_array_index(devs, i));
    }
    return true;
}

static bool load_device(LoadState *ls, MigReader *r, GError **errp)
{
    g_autofree char *path = NULL;
    Object *obj;
    const VMStateDescription *vmsd;
    GError *err = NULL;

    if (!mig_get_str(r, &path)) {
        error_setg(errp, "truncated device section");
        return false;
    }
    if (path[0] != '/') {
        GlobalSection *gs = global_section_find(path);

        if (!gs) {
            error_setg(errp, "section '%s' in the stream does not exist "
                       "here", path);
            return false;
        }
        if (!vmstate_load_reader(gs->vmsd, gs->opaque, r, &err)) {
            error_setg(errp, "section '%s': %s", path, err->message);
            g_error_free(err);
            return false;
        }
        if (mig_reader_left(r)) {
            error_setg(errp, "section '%s': %zu unexpected bytes", path,
                       mig_reader_left(r));
            return false;
        }
        return true;
    }
    obj = object_resolve_path(path, NULL);
    vmsd = obj ? device_vmsd(obj) : NULL;
    if (!vmsd) {
        error_setg(errp, "device '%s' in the stream does not exist here",
                   path);
        return false;
    }
    /* Devices created while loading (failover) are not expected. */
    if (!g_hash_table_add(ls->loaded, obj)) {
        error_setg(errp, "device '%s' received twice", path);
        return false;
    }
    g_hash_table_remove(ls->expected, obj);
    if (!vmstate_load_reader(vmsd, obj, r, &err)) {
        error_setg(errp, "device '%s': %s", path, err->message);
        g_error_free(err);
        return false;
    }
    if (mig_reader_left(r)) {
        error_setg(errp, "device '%s': %zu unexpected bytes", path,
                   mig_reader_left(r));
        return false;
    }
    for (GList *l = loaded_hooks; l; l = l->next) {
        DeviceLoadedHook *h = l->data;
        h->fn(DEVICE(obj), h->opaque);
    }
    return true;
}

/*
 * END says what the source sent.  Every section's own checksum can be
 * intact in a stream that lost, repeated or reordered whole sections;
 * this is where that is caught, before anything reports completion.
 */
static bool load_end(LoadState *ls, MigReader *r, GError **errp)
{
    uint8_t running;
    uint32_t sections, digest;
    GHashTableIter it;
    gpointer key;

    if (!mig_get_u8(r, &running) || running > 1 ||
        !mig_get_u32(r, &sections) || !mig_get_u32(r, &digest)) {
        error_setg(errp, "malformed end section");
        return false;
    }
    if (ls->mf && !ls->mf_checked) {
        error_setg(errp, "incomplete stream: the multifd section is "
                   "missing");
        return false;
    }
    if (sections != ls->tally.sections) {
        error_setg(errp, "incomplete stream: %u sections received, the "
                   "source sent %u", ls->tally.sections, sections);
        return false;
    }
    if (digest != ls->tally.digest) {
        error_setg(errp, "altered stream: the sections received are not "
                   "the ones the source sent");
        return false;
    }
    if (!ram_load_check_summary(ls->ram, r, errp)) {
        return false;
    }
    if (mig_reader_left(r)) {
        error_setg(errp, "malformed end section");
        return false;
    }
    g_hash_table_iter_init(&it, ls->expected);
    if (g_hash_table_iter_next(&it, &key, NULL)) {
        g_autofree char *path = object_get_canonical_path(key);
        error_setg(errp, "device '%s' is missing from the stream", path);
        return false;
    }
    ls->source_running = running;
    ls->end_loaded = true;
    return true;
}

static bool load_section(LoadState *ls, uint8_t type, const uint8_t *payload,
                         uint32_t len, GError **errp)
{
    MigReader r;

    mig_reader_init(&r, payload, len);
    if (ls->end_loaded) {
        /* Only what answers LOADED may follow END. */
        if (type != MIG_SEC_COMMIT || !loadvm_wants_return_path(ls) ||
            len) {
            error_setg(errp, "section %u: type 0x%x after the end section",
                       ls->section_nr, type);
            return false;
        }
        ls->committed = true;
        return true;
    }
    if (!ls->have_config && type != MIG_SEC_CONFIG) {
        error_setg(errp, "section %u: type 0x%x before the configuration",
                   ls->section_nr, type);
        return false;
    }
    switch (type) {
    case MIG_SEC_CONFIG:
        if (ls->have_config) {
            error_setg(errp, "section %u: second configuration section",
                       ls->section_nr);
            return false;
        }
        ls->have_config = true;
        return load_config(ls, &r, errp);
    case MIG_SEC_MULTIFD:
        if (!ls->mf || ls->mf_checked) {
            error_setg(errp, "section %u: unexpected multifd section",
                       ls->section_nr);
            return false;
        }
        ls->mf_checked = true;
        return multifd_recv_check(ls->mf, &r, errp);
    case MIG_SEC_DEVICE:
        if (ls->mf && !ls->mf_checked) {
            error_setg(errp, "section %u: device state before the end of "
                       "the multifd channels", ls->section_nr);
            return false;
        }
        return load_device(ls, &r, errp);
    case MIG_SEC_RAM:
        if (ls->mf) {
            error_setg(errp, "section %u: RAM on the main channel of a "
                       "multifd migration", ls->section_nr);
            return false;
        }
        return ram_load_section(ls->ram, &r, errp);
    case MIG_SEC_PING:
        if (len || !loadvm_wants_return_path(ls)) {
            error_setg(errp, "section %u: unexpected ping section",
                       ls->section_nr);
            return false;
        }
        return !ls->on_ping || ls->on_ping(errp);
    case MIG_SEC_END:
        return load_end(ls, &r, errp);
    }
    error_setg(errp, "section %u: unknown section type 0x%x", ls->section_nr,
               type);
    return false;
}

/* Consume complete sections from buf; false on error. */
static bool loadvm_process(LoadState *ls, GError **errp)
{
    size_t pos = 0;
    bool ok = true;

    if (!ls->have_header) {
        if (ls->buf->len < MIG_HEADER_SIZE) {
            return true;
        }
        uint32_t magic = get_be32(ls->buf->data);
        uint32_t version = get_be32(ls->buf->data + 4);
        if (magic != MIG_MAGIC) {
            error_setg(errp, "not a migration stream (magic 0x%08x)", magic);
            return false;
        }
        if (version != MIG_VERSION) {
            error_setg(errp, "unsupported stream version %u (expected %u)",
                       version, MIG_VERSION);
            return false;
        }
        ls->have_header = true;
        pos = MIG_HEADER_SIZE;
    }
    while (!loadvm_finished(ls) && ls->buf->len - pos >= MIG_SECTION_HEAD) {
        const uint8_t *h = ls->buf->data + pos;
        uint32_t len = get_be32(h + 1);
        GError *err = NULL;

        if (len > MIG_MAX_SECTION) {
            error_setg(errp, "section %u: length %u too large",
                       ls->section_nr, len);
            ok = false;
            break;
        }
        if (ls->buf->len - pos < MIG_SECTION_HEAD + (size_t)len +
                                 MIG_SECTION_TAIL) {
            break;
        }
        uint32_t crc = get_be32(h + MIG_SECTION_HEAD + len);
        /* Past this point all RAM must be in: wait for the channels. */
        if (h[0] == MIG_SEC_MULTIFD && ls->mf && !ls->mf_checked &&
            !multifd_recv_done(ls->mf)) {
            break;
        }
        if (crc != mig_crc32c(0, h, MIG_SECTION_HEAD + len)) {
            error_setg(errp, "section %u: checksum mismatch",
                       ls->section_nr);
            ok = false;
            break;
        }
        if (!load_section(ls, h[0], h + MIG_SECTION_HEAD, len, &err)) {
            g_propagate_error(errp, err);
            ok = false;
            break;
        }
        mig_tally_add(&ls->tally, crc);
        ls->section_nr++;
        pos += MIG_SECTION_HEAD + len + MIG_SECTION_TAIL;
    }
    if (pos) {
        g_byte_array_remove_range(ls->buf, 0, pos);
    }
    return ok;
}

bool loadvm_feed(LoadState *ls, const uint8_t *data, size_t len, bool *done,
                 GError **errp)
{
    if (!loadvm_finished(ls)) {
        g_byte_array_append(ls->buf, data, len);
        if (!loadvm_process(ls, errp)) {
            return false;
        }
    }
    *done = loadvm_finished(ls);
    return true;
}

bool loadvm_buffer(const uint8_t *data, size_t len, GError **errp)
{
    LoadState *ls = loadvm_new();
    bool done = false;
    bool ok = loadvm_feed(ls, data, len, &done, errp);

    /* A file has no one to answer: END is the end. */
    if (ok && !ls->end_loaded) {
        error_setg(errp, "unexpected end of the migration stream");
        ok = false;
    }
    loadvm_free(ls);
    return ok;
}
