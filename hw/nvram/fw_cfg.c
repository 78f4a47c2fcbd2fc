/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_cfg over x86 I/O ports: a 16-bit write to 0x510 selects an item, byte
 * reads of 0x511 stream it (zeros past its end), and 0x514 is the DMA
 * address register whose reads return the "QEMU CFG" signature.
 */
#include "qapi/error.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/boards.h"
#include "qemu/option.h"
#include <string.h>

#define FW_CFG_VERSION          0x01
#define FW_CFG_VERSION_DMA      0x02
#define FW_CFG_DMA_CTL_ERROR    0x01
#define FW_CFG_DMA_CTL_READ     0x02
#define FW_CFG_DMA_CTL_SKIP     0x04
#define FW_CFG_DMA_CTL_SELECT   0x08
#define FW_CFG_DMA_CTL_WRITE    0x10
#define FW_CFG_FILE_SIZE        64      /* one directory entry */
#define FW_CFG_FILE_NAME_LEN    56

static FWCfgEntry *fw_cfg_cur(FWCfgState *s)
{
    return &s->entries[s->cur_entry % FW_CFG_MAX_ENTRY];
}

static void fw_cfg_select(FWCfgState *s, uint16_t key)
{
    s->cur_entry = key;
    s->cur_offset = 0;
}

static uint8_t fw_cfg_read_byte(FWCfgState *s)
{
    FWCfgEntry *e = fw_cfg_cur(s);

    if (s->cur_offset >= e->len) {
        return 0;
    }
    return e->data[s->cur_offset++];
}

/* 0x510-0x511: selector (16-bit write) and data (byte reads). */
static uint64_t fw_cfg_comb_read(void *opaque, hwaddr addr, unsigned size)
{
    FWCfgState *s = opaque;
    uint64_t val = 0;

    for (unsigned i = 0; i < size; i++) {
        val |= (uint64_t)fw_cfg_read_byte(s) << (8 * i);
    }
    return val;
}

static void fw_cfg_comb_write(void *opaque, hwaddr addr, uint64_t val,
                              unsigned size)
{
    FWCfgState *s = opaque;

    /* Data writes have been unsupported since QEMU 2.4: ignored. */
    if (addr == 0 && size == 2) {
        fw_cfg_select(s, val);
    }
}

static const MemoryRegionOps fw_cfg_comb_ops = {
    .read = fw_cfg_comb_read,
    .write = fw_cfg_comb_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 2,
};

static void fw_cfg_dma_transfer(FWCfgState *s)
{
    uint8_t desc[16];
    uint32_t control, length;
    uint64_t addr;

    if (!dma_memory_read(s->dma_addr, desc, sizeof(desc))) {
        return;
    }
    control = GUINT32_FROM_BE(*(uint32_t *)desc);
    length = GUINT32_FROM_BE(*(uint32_t *)(desc + 4));
    addr = GUINT64_FROM_BE(*(uint64_t *)(desc + 8));
    if (control & FW_CFG_DMA_CTL_SELECT) {
        fw_cfg_select(s, control >> 16);
    }
    if (control & FW_CFG_DMA_CTL_WRITE) {
        control = FW_CFG_DMA_CTL_ERROR;
    } else if (control & (FW_CFG_DMA_CTL_READ | FW_CFG_DMA_CTL_SKIP)) {
        bool ok = true;

        while (length && ok) {
            uint8_t buf[256];
            uint32_t n = MIN(length, sizeof(buf));

            for (uint32_t i = 0; i < n; i++) {
                buf[i] = fw_cfg_read_byte(s);
            }
            if (control & FW_CFG_DMA_CTL_READ) {
                ok = dma_memory_write(addr, buf, n);
            }
            addr += n;
            length -= n;
        }
        control = ok ? 0 : FW_CFG_DMA_CTL_ERROR;
    } else {
        control = 0;
    }
    control = GUINT32_TO_BE(control);
    dma_memory_write(s->dma_addr, &control, sizeof(control));
}

/* 0x514-0x51b: DMA address, big-endian; reading gives the signature. */
static uint64_t fw_cfg_dma_read(void *opaque, hwaddr addr, unsigned size)
{
    static const char sig[8] = "QEMU CFG";
    uint64_t val = 0;

    for (unsigned i = 0; i < size && addr + i < 8; i++) {
        val |= (uint64_t)(uint8_t)sig[addr + i] << (8 * i);
    }
    return val;
}

static void fw_cfg_dma_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    FWCfgState *s = opaque;
    uint8_t be[8];

    for (int i = 0; i < 8; i++) {
        be[i] = s->dma_addr >> (56 - 8 * i);
    }
    for (unsigned i = 0; i < size && addr + i < 8; i++) {
        be[addr + i] = val >> (8 * i);
    }
    s->dma_addr = 0;
    for (int i = 0; i < 8; i++) {
        s->dma_addr = (s->dma_addr << 8) | be[i];
    }
    /* Writing the low half starts the transfer. */
    if (addr + size == 8) {
        fw_cfg_dma_transfer(s);
        s->dma_addr = 0;
    }
}

static const MemoryRegionOps fw_cfg_dma_ops = {
    .read = fw_cfg_dma_read,
    .write = fw_cfg_dma_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 8,
};

void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, void *data, size_t len)
{
    FWCfgEntry *e = &s->entries[key % FW_CFG_MAX_ENTRY];

    g_free(e->data);
    e->data = data;
    e->len = len;
}

void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value)
{
    uint16_t *p = g_new(uint16_t, 1);

    *p = GUINT16_TO_LE(value);
    fw_cfg_add_bytes(s, key, p, sizeof(*p));
}

void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value)
{
    uint32_t *p = g_new(uint32_t, 1);

    *p = GUINT32_TO_LE(value);
    fw_cfg_add_bytes(s, key, p, sizeof(*p));
}

void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value)
{
    uint64_t *p = g_new(uint64_t, 1);

    *p = GUINT64_TO_LE(value);
    fw_cfg_add_bytes(s, key, p, sizeof(*p));
}

void fw_cfg_add_file(FWCfgState *s, const char *filename, void *data,
                     size_t len)
{
    uint16_t key = FW_CFG_FILE_FIRST + s->file_count;
    size_t dirlen;
    uint8_t *ent;

    fw_cfg_add_bytes(s, key, data, len);
    s->file_count++;
    /* The directory: a big-endian count, then 64-byte entries. */
    dirlen = 4 + s->file_count * FW_CFG_FILE_SIZE;
    s->dir = g_realloc(s->dir, dirlen);
    *(uint32_t *)s->dir = GUINT32_TO_BE(s->file_count);
    ent = s->dir + 4 + (s->file_count - 1) * FW_CFG_FILE_SIZE;
    memset(ent, 0, FW_CFG_FILE_SIZE);
    *(uint32_t *)ent = GUINT32_TO_BE(len);
    *(uint16_t *)(ent + 4) = GUINT16_TO_BE(key);
    g_strlcpy((char *)ent + 8, filename, FW_CFG_FILE_NAME_LEN);
    /* The entry table owns a copy; the dir buffer keeps growing. */
    s->entries[FW_CFG_FILE_DIR].data = s->dir;
    s->entries[FW_CFG_FILE_DIR].len = dirlen;
}

/* The board's fw_cfg, for -fw_cfg; NULL on machines without one. */
static FWCfgState *fw_cfg_machine;

static bool fw_cfg_has_file(FWCfgState *s, const char *name)
{
    for (uint16_t i = 0; i < s->file_count; i++) {
        if (!strncmp((char *)s->dir + 4 + i * FW_CFG_FILE_SIZE + 8, name,
                     FW_CFG_FILE_NAME_LEN)) {
            return true;
        }
    }
    return false;
}

bool fw_cfg_add_from_opts(QemuOpts *opts, GError **errp)
{
    const char *name = qemu_opt_get(opts, "name");
    const char *file = qemu_opt_get(opts, "file");
    const char *str = qemu_opt_get(opts, "string");
    const char *gen_id = qemu_opt_get(opts, "gen_id");
    char *buf = NULL;
    gsize size;

    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);
        if (strcmp(o->name, "name") && strcmp(o->name, "file") &&
            strcmp(o->name, "string") && strcmp(o->name, "gen_id")) {
            error_setg(errp, "Invalid parameter '%s'", o->name);
            return false;
        }
    }
    /* The name, and exactly one source of content (QEMU's rule). */
    if (!name || !*name ||
        (file && *file) + (str && *str) + (gen_id && *gen_id) != 1) {
        error_setg(errp, "name, plus exactly one of file, string and gen_id, "
                   "are needed");
        return false;
    }
    if (strlen(name) > FW_CFG_FILE_NAME_LEN - 1) {
        error_setg(errp, "name too long (max. %d char)",
                   FW_CFG_FILE_NAME_LEN - 1);
        return false;
    }
    if (gen_id && *gen_id) {
        error_setg(errp, "gen_id: baton has no VM generation ID device");
        return false;
    }
    if (strncmp(name, "opt/", 4)) {
        warn_report("externally provided fw_cfg item names should be "
                    "prefixed with \"opt/\"");
    }
    if (!fw_cfg_machine) {
        error_setg(errp, "fw_cfg device not available");
        return false;
    }
    if (fw_cfg_has_file(fw_cfg_machine, name)) {
        error_setg(errp, "duplicate fw_cfg file name: %s", name);
        return false;
    }
    if (str && *str) {
        /* The string without its terminating NUL, as QEMU stores it. */
        size = strlen(str);
        buf = g_memdup2(str, size);
    } else {
        GError *err = NULL;

        if (!g_file_get_contents(file, &buf, &size, &err)) {
            error_setg(errp, "can't load %s: %s", file, err->message);
            g_error_free(err);
            return false;
        }
    }
    fw_cfg_add_file(fw_cfg_machine, name, buf, size);
    return true;
}

static void fw_cfg_reset(DeviceState *dev)
{
    FWCfgState *s = FW_CFG(dev);

    fw_cfg_select(s, 0);
}

static void fw_cfg_instance_init(Object *obj)
{
    FWCfgState *s = FW_CFG(obj);

    fw_cfg_add_bytes(s, FW_CFG_SIGNATURE, g_memdup2("QEMU", 4), 4);
    fw_cfg_add_i32(s, FW_CFG_ID, FW_CFG_VERSION | FW_CFG_VERSION_DMA);
    fw_cfg_add_bytes(s, FW_CFG_UUID, g_malloc0(16), 16);
    fw_cfg_add_i16(s, FW_CFG_NOGRAPHIC, 0);
    fw_cfg_add_i16(s, FW_CFG_NB_CPUS, 1);
    fw_cfg_add_i16(s, FW_CFG_MAX_CPUS, 1);
    s->dir = g_malloc0(4);
    s->entries[FW_CFG_FILE_DIR].data = s->dir;
    s->entries[FW_CFG_FILE_DIR].len = 4;
}

static void fw_cfg_instance_finalize(Object *obj)
{
    FWCfgState *s = FW_CFG(obj);

    for (int i = 0; i < FW_CFG_MAX_ENTRY; i++) {
        if (i != FW_CFG_FILE_DIR) {
            g_free(s->entries[i].data);
        }
    }
    g_free(s->dir);
}

static void fw_cfg_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->reset = fw_cfg_reset;
    dc->user_creatable = false;
    dc->desc = "QEMU firmware configuration";
}

static const TypeInfo fw_cfg_info = {
    .name = TYPE_FW_CFG_IO,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(FWCfgState),
    .instance_init = fw_cfg_instance_init,
    .instance_finalize = fw_cfg_instance_finalize,
    .class_init = fw_cfg_class_init,
};

FWCfgState *fw_cfg_init_io(uint16_t iobase, GError **errp)
{
    DeviceState *dev = qdev_new(TYPE_FW_CFG_IO);
    FWCfgState *s = FW_CFG(dev);

    object_property_add_child(qdev_get_machine(), "fw_cfg", OBJECT(dev));
    if (!qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        return NULL;
    }
    memory_region_init_io(&s->ctl_io, OBJECT(s), &fw_cfg_comb_ops, s,
                          "fwcfg", 2);
    memory_region_add_subregion(get_system_io(), iobase, &s->ctl_io);
    memory_region_init_io(&s->dma_io, OBJECT(s), &fw_cfg_dma_ops, s,
                          "fwcfg.dma", 8);
    memory_region_add_subregion(get_system_io(), iobase + 4, &s->dma_io);
    fw_cfg_machine = s;
    return s;
}

static void fw_cfg_register_types(void)
{
    type_register_static(&fw_cfg_info);
}

type_init(fw_cfg_register_types)
