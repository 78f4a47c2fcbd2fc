/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The region tree and the accesses that walk it.
 *
 * Every access looks its address up in a FlatView: the tree rendered into
 * a sorted array of non-overlapping ranges, each pointing at the RAM or I/O
 * region that claims it.  A topology change bumps the generation of the
 * address spaces that can see it; such a space re-renders its view lazily
 * on the next access, so a qtest access costs one binary search.
 */
#include "exec/memory.h"

#include <string.h>

typedef struct FlatRange {
    hwaddr start;
    hwaddr end;                 /* exclusive; UINT64_MAX stands for 2^64 */
    MemoryRegion *mr;           /* RAM or I/O: never a container or alias */
    hwaddr offset;              /* offset in mr of start */
} FlatRange;

struct FlatView {
    unsigned gen;
    GArray *ranges;             /* FlatRange, sorted by start */
};

/*
 * One generation per address space.  Rendering marks every region it
 * enters with the space's bit (seen_by); a change to a region bumps the
 * spaces marked on it or on its container, the only ones whose view it can
 * alter: a region nothing rendered is reachable only through a region
 * that was, whose own change is what would expose it.  Marks are never
 * cleared, so they err on the side of re-rendering.  A BAR moving in
 * memory space thus leaves the I/O view alone, and a PCI config write
 * through 0xcf8/0xcfc does not re-render both views.
 */
#define MAX_SPACES 32
static unsigned space_gen[MAX_SPACES];
static unsigned n_spaces = 2;           /* memory and I/O below */

static MemoryRegion system_memory = {
    .name = (char *)"system",
    .size = UINT64_MAX,
    .enabled = true,
};
static MemoryRegion system_io = {
    .name = (char *)"io",
    .size = 0x10000,
    .enabled = true,
};

AddressSpace address_space_memory = {
    .name = "memory",
    .root = &system_memory,
    .id = 0,
};
AddressSpace address_space_io = {
    .name = "I/O",
    .root = &system_io,
    .io = true,
    .id = 1,
};

MemoryRegion *get_system_memory(void)
{
    return &system_memory;
}

MemoryRegion *get_system_io(void)
{
    return &system_io;
}

static void topology_changed(const MemoryRegion *mr)
{
    uint32_t seen = mr->seen_by;

    if (mr->container) {
        seen |= mr->container->seen_by;
    }
    for (unsigned i = 0; seen; i++, seen >>= 1) {
        if (seen & 1) {
            space_gen[i]++;
        }
    }
}

static hwaddr sat_add(hwaddr a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* Region tree */

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->name = g_strdup(name);
    mr->owner = owner;
    mr->size = size;
    mr->enabled = true;
}

void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    memory_region_init(mr, owner, name, size);
    mr->ops = ops;
    mr->opaque = opaque;
    mr->terminates = true;
}

bool memory_region_init_ram(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, GError **errp)
{
    RAMBlock *block = ram_block_new(name, size, errp);

    if (!block) {
        return false;
    }
    memory_region_init_ram_from_block(mr, owner, name, block);
    mr->owns_ram_block = true;
    return true;
}

void memory_region_init_ram_from_block(MemoryRegion *mr, Object *owner,
                                       const char *name, RAMBlock *block)
{
    memory_region_init(mr, owner, name, block->size);
    mr->ram_block = block;
    mr->terminates = true;
    block->mr = mr;
}

void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size)
{
    memory_region_init(mr, owner, name, size);
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_finalize(MemoryRegion *mr)
{
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
    if (mr->subregions) {
        for (guint i = 0; i < mr->subregions->len; i++) {
            MemoryRegion *sub = g_ptr_array_index(mr->subregions, i);
            sub->container = NULL;
        }
        g_ptr_array_free(mr->subregions, TRUE);
        mr->subregions = NULL;
    }
    if (mr->ram_block) {
        if (mr->ram_block->mr == mr) {
            mr->ram_block->mr = NULL;
        }
        if (mr->owns_ram_block) {
            ram_block_free(mr->ram_block);
        }
        mr->ram_block = NULL;
    }
    g_free(mr->name);
    mr->name = NULL;
    mr->alias = NULL;
    mr->ops = NULL;
    topology_changed(mr);
}

void memory_region_add_subregion_overlap(MemoryRegion *mr, hwaddr offset,
                                         MemoryRegion *subregion,
                                         int priority)
{
    guint i;

    if (subregion->container) {
        memory_region_del_subregion(subregion->container, subregion);
    }
    if (!mr->subregions) {
        mr->subregions = g_ptr_array_new();
    }
    subregion->addr = offset;
    subregion->priority = priority;
    subregion->container = mr;
    /* Among equal priorities the newest wins, as in QEMU. */
    for (i = 0; i < mr->subregions->len; i++) {
        MemoryRegion *other = g_ptr_array_index(mr->subregions, i);
        if (priority >= other->priority) {
            break;
        }
    }
    g_ptr_array_insert(mr->subregions, i, subregion);
    topology_changed(subregion);
}

void memory_region_add_subregion(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *subregion)
{
    memory_region_add_subregion_overlap(mr, offset, subregion, 0);
}

void memory_region_del_subregion(MemoryRegion *mr, MemoryRegion *subregion)
{
    if (mr->subregions && g_ptr_array_remove(mr->subregions, subregion)) {
        topology_changed(subregion);
        subregion->container = NULL;
    }
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled != enabled) {
        mr->enabled = enabled;
        topology_changed(mr);
    }
}

void memory_region_set_address(MemoryRegion *mr, hwaddr addr)
{
    if (mr->addr != addr) {
        mr->addr = addr;
        topology_changed(mr);
    }
}

void memory_region_set_size(MemoryRegion *mr, uint64_t size)
{
    if (mr->size != size) {
        mr->size = size;
        topology_changed(mr);
    }
}

void memory_region_set_alias_offset(MemoryRegion *mr, hwaddr offset)
{
    if (mr->alias_offset != offset) {
        mr->alias_offset = offset;
        topology_changed(mr);
    }
}

void *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    hwaddr offset = 0;

    while (mr->alias) {
        offset += mr->alias_offset;
        mr = mr->alias;
    }
    if (!mr->ram_block || !mr->ram_block->host ||
        offset >= mr->ram_block->size) {
        return NULL;
    }
    return mr->ram_block->host + offset;
}

bool memory_region_is_mapped(MemoryRegion *mr)
{
    return mr->container != NULL;
}

/* Flattening */

/*
 * Give [lo, hi) to mr wherever no higher-priority region already claimed
 * it; `delta` is the address of mr's offset 0 (mod 2^64).
 */
static void fill_holes(GArray *ranges, hwaddr lo, hwaddr hi,
                       MemoryRegion *mr, hwaddr delta)
{
    guint i = 0;
    hwaddr cur = lo;

    while (i < ranges->len && g_array_index(ranges, FlatRange, i).end <= lo) {
        i++;
    }
    while (cur < hi) {
        if (i < ranges->len) {
            FlatRange *r = &g_array_index(ranges, FlatRange, i);
            if (r->start <= cur) {
                if (r->end > cur) {
                    cur = r->end;
                }
                i++;
                continue;
            }
        }
        hwaddr next = hi;
        if (i < ranges->len) {
            next = MIN(hi, g_array_index(ranges, FlatRange, i).start);
        }
        FlatRange fr = {
            .start = cur, .end = next, .mr = mr, .offset = cur - delta,
        };
        g_array_insert_val(ranges, i, fr);
        i++;
        cur = next;
    }
}

/* Render offsets [olo, ohi) of mr, which sits at address delta + offset. */
static void render(GArray *ranges, MemoryRegion *mr, hwaddr delta,
                   hwaddr olo, hwaddr ohi, int depth, uint32_t seen)
{
    mr->seen_by |= seen;
    /* Alias loops would recurse forever; no sane board nests this deep. */
    if (!mr->enabled || depth > 64) {
        return;
    }
    ohi = MIN(ohi, mr->size);
    if (olo >= ohi) {
        return;
    }
    if (mr->alias) {
        hwaddr off = mr->alias_offset;
        render(ranges, mr->alias, delta - off, sat_add(olo, off),
               sat_add(ohi, off), depth + 1, seen);
        return;
    }
    if (mr->subregions) {
        for (guint i = 0; i < mr->subregions->len; i++) {
            MemoryRegion *sub = g_ptr_array_index(mr->subregions, i);
            hwaddr lo = MAX(olo, sub->addr);
            hwaddr hi = MIN(ohi, sat_add(sub->addr, sub->size));
            if (lo < hi) {
                render(ranges, sub, delta + sub->addr, lo - sub->addr,
                       hi - sub->addr, depth + 1, seen);
            }
        }
    }
    if (mr->terminates) {
        fill_holes(ranges, olo + delta, ohi + delta, mr, delta);
    }
}

static void flatview_free(FlatView *fv)
{
    if (fv) {
        g_array_free(fv->ranges, TRUE);
        g_free(fv);
    }
}

static FlatView *address_space_view(AddressSpace *as)
{
    FlatView *fv = as->view;
    guint guess;

    if (fv && fv->gen == space_gen[as->id]) {
        return fv;
    }
    /*
     * Sized like the view it replaces: growing from empty reallocated it
     * several times per render, and a guest reprogramming BARs and bridge
     * windows re-renders often.  A fresh array, not the old one reused,
     * so that a FlatRange kept across a remap is still caught as a
     * use-after-free under ASan.
     */
    guess = fv ? fv->ranges->len + 8 : 64;
    flatview_free(fv);
    fv = g_new0(FlatView, 1);
    fv->gen = space_gen[as->id];
    fv->ranges = g_array_sized_new(FALSE, FALSE, sizeof(FlatRange), guess);
    if (as->root) {
        render(fv->ranges, as->root, 0, 0, as->root->size, 0,
               1u << as->id);
    }
    /* Merge neighbours split by a sibling that did not overlap them. */
    guint out = 0;
    for (guint i = 0; i < fv->ranges->len; i++) {
        FlatRange *r = &g_array_index(fv->ranges, FlatRange, i);
        if (out > 0) {
            FlatRange *p = &g_array_index(fv->ranges, FlatRange, out - 1);
            if (p->mr == r->mr && p->end == r->start &&
                p->offset + (p->end - p->start) == r->offset) {
                p->end = r->end;
                continue;
            }
        }
        g_array_index(fv->ranges, FlatRange, out++) = *r;
    }
    g_array_set_size(fv->ranges, out);
    as->view = fv;
    return fv;
}

/* The range holding addr, or NULL; *next: start of the next range. */
static FlatRange *flatview_lookup(FlatView *fv, hwaddr addr, hwaddr *next)
{
    guint lo = 0, hi = fv->ranges->len;

    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        FlatRange *r = &g_array_index(fv->ranges, FlatRange, mid);
        if (addr < r->start) {
            hi = mid;
        } else if (addr >= r->end) {
            lo = mid + 1;
        } else {
            return r;
        }
    }
    if (next) {
        *next = lo < fv->ranges->len ?
            g_array_index(fv->ranges, FlatRange, lo).start : UINT64_MAX;
    }
    return NULL;
}

void address_space_init(AddressSpace *as, MemoryRegion *root,
                        const char *name, bool io)
{
    as->name = name;
    as->root = root;
    as->io = io;
    as->view = NULL;
    /* Spaces past the 32nd share the last bit: more re-rendering only. */
    as->id = n_spaces < MAX_SPACES ? n_spaces++ : MAX_SPACES - 1;
}

void address_space_destroy(AddressSpace *as)
{
    flatview_free(as->view);
    as->view = NULL;
}

/* Dispatch */

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (1ULL << (size * 8)) - 1;
}

static uint8_t *ram_ptr(MemoryRegion *mr, hwaddr offset, hwaddr len)
{
    RAMBlock *block = mr->ram_block;

    if (!block || !block->host || offset > block->size ||
        len > block->size - offset) {
        return NULL;
    }
    return block->host + offset;
}

static uint64_t ldn_le(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (i * 8);
    }
    return v;
}

static void stn_le(uint8_t *p, unsigned size, uint64_t v)
{
    for (unsigned i = 0; i < size; i++) {
        p[i] = v >> (i * 8);
    }
}

/*
 * Accesses wider than the device implements are split, narrower ones
 * widened; the pieces are assembled little-endian.
 */
static unsigned impl_size(const MemoryRegionOps *ops, unsigned size)
{
    unsigned min = ops->impl_min_access_size ? ops->impl_min_access_size : 1;
    unsigned max = ops->impl_max_access_size ? ops->impl_max_access_size : 8;

    return MAX(MIN(size, max), min);
}

static uint64_t mr_read(MemoryRegion *mr, hwaddr offset, unsigned size)
{
    if (mr->ram_block) {
        uint8_t *p = ram_ptr(mr, offset, size);
        return p ? ldn_le(p, size) : 0;
    }
    const MemoryRegionOps *ops = mr->ops;
    if (!ops || !ops->read) {
        return 0;
    }
    unsigned asz = impl_size(ops, size);
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i += asz) {
        uint64_t part = ops->read(mr->opaque, offset + i, asz);
        v |= (part & size_mask(asz)) << (i * 8);
    }
    return v & size_mask(size);
}

static void mr_write(MemoryRegion *mr, hwaddr offset, unsigned size,
                     uint64_t val)
{
    if (mr->ram_block) {
        uint8_t *p = ram_ptr(mr, offset, size);
        if (p) {
            stn_le(p, size, val);
            ram_block_set_dirty(mr->ram_block, offset, size);
        }
        return;
    }
    const MemoryRegionOps *ops = mr->ops;
    if (!ops || !ops->write) {
        return;
    }
    unsigned asz = impl_size(ops, size);
    val &= size_mask(size);
    for (unsigned i = 0; i < size; i += asz) {
        ops->write(mr->opaque, offset + i, (val >> (i * 8)) & size_mask(asz),
                   asz);
    }
}

static bool valid_size(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

static uint64_t unclaimed_value(AddressSpace *as, unsigned size)
{
    return as->io ? size_mask(size) : 0;
}

/*
 * Whether a sized access at addr goes whole to r's region.  Device
 * registers are decoded by their start address alone, as in QEMU: a
 * dword at 0xcf8 reaches the PCI address register even though the reset
 * control register at 0xcf9 shadows one of its bytes.  RAM is clipped.
 */
static bool access_fits(FlatRange *r, hwaddr addr, unsigned size)
{
    if (size - 1 < r->end - addr) {
        return true;
    }
    hwaddr off = addr - r->start + r->offset;

    return !r->mr->ram_block && off < r->mr->size &&
           size <= r->mr->size - off;
}

bool address_space_read_sized(AddressSpace *as, hwaddr addr, unsigned size,
                              uint64_t *val)
{
    *val = 0;
    if (!valid_size(size)) {
        return false;
    }
    FlatRange *r = flatview_lookup(address_space_view(as), addr, NULL);
    if (r && access_fits(r, addr, size)) {
        *val = mr_read(r->mr, addr - r->start + r->offset, size);
        return true;
    }
    if (size == 1) {
        *val = unclaimed_value(as, 1);
        return false;
    }
    /* Straddles a boundary: byte by byte, each from whoever claims it. */
    bool claimed = false;
    for (unsigned i = 0; i < size; i++) {
        uint64_t b;
        bool c = address_space_read_sized(as, addr + i, 1, &b);
        if (i == 0) {
            claimed = c;
        }
        *val |= b << (i * 8);
    }
    return claimed;
}

bool address_space_write_sized(AddressSpace *as, hwaddr addr, unsigned size,
                               uint64_t val)
{
    if (!valid_size(size)) {
        return false;
    }
    FlatRange *r = flatview_lookup(address_space_view(as), addr, NULL);
    if (r && access_fits(r, addr, size)) {
        mr_write(r->mr, addr - r->start + r->offset, size, val);
        return true;
    }
    if (size == 1) {
        return false;
    }
    bool claimed = false;
    for (unsigned i = 0; i < size; i++) {
        bool c = address_space_write_sized(as, addr + i, 1, val >> (i * 8));
        if (i == 0) {
            claimed = c;
        }
    }
    return claimed;
}

typedef enum { ACCESS_READ, ACCESS_WRITE, ACCESS_SET } AccessKind;

/* The widest naturally aligned access of at most len bytes at addr. */
static unsigned io_chunk(hwaddr addr, hwaddr len)
{
    unsigned l = 8;

    while (l > 1 && (l > len || (addr & (l - 1)))) {
        l /= 2;
    }
    return l;
}

static void address_space_access(AddressSpace *as, hwaddr addr, uint8_t *buf,
                                 hwaddr len, AccessKind kind, uint8_t fill)
{
    while (len > 0) {
        hwaddr next = UINT64_MAX;
        FlatRange *r = flatview_lookup(address_space_view(as), addr, &next);
        hwaddr chunk;

        if (!r) {
            chunk = next > addr ? MIN(len, next - addr) : len;
            if (kind == ACCESS_READ) {
                memset(buf, as->io ? 0xff : 0, chunk);
            }
        } else if (r->mr->ram_block) {
            hwaddr off = addr - r->start + r->offset;
            chunk = MIN(len, r->end - addr);
            uint8_t *p = ram_ptr(r->mr, off, chunk);
            if (!p) {
                /* Region larger than its block: nothing is there. */
                if (kind == ACCESS_READ) {
                    memset(buf, 0, chunk);
                }
            } else if (kind == ACCESS_READ) {
                memcpy(buf, p, chunk);
            } else {
                if (kind == ACCESS_WRITE) {
                    memcpy(p, buf, chunk);
                } else {
                    memset(p, fill, chunk);
                }
                ram_block_set_dirty(r->mr->ram_block, off, chunk);
            }
        } else {
            /*
             * One device access per round: the callback may remap regions,
             * so the view is looked up afresh each time.
             */
            MemoryRegion *mr = r->mr;
            hwaddr off = addr - r->start + r->offset;
            unsigned l = io_chunk(addr, MIN(len, r->end - addr));
            chunk = l;
            if (kind == ACCESS_READ) {
                stn_le(buf, l, mr_read(mr, off, l));
            } else if (kind == ACCESS_WRITE) {
                mr_write(mr, off, l, ldn_le(buf, l));
            } else {
                mr_write(mr, off, l, fill * 0x0101010101010101ULL);
            }
        }
        if (addr + chunk < addr) {
            break;              /* wrapped past the top of the space */
        }
        addr += chunk;
        len -= chunk;
        if (kind != ACCESS_SET) {
            buf += chunk;
        }
    }
}

void address_space_read(AddressSpace *as, hwaddr addr, void *buf, hwaddr len)
{
    address_space_access(as, addr, buf, len, ACCESS_READ, 0);
}

void address_space_write(AddressSpace *as, hwaddr addr, const void *buf,
                         hwaddr len)
{
    address_space_access(as, addr, (uint8_t *)buf, len, ACCESS_WRITE, 0);
}

void address_space_set(AddressSpace *as, hwaddr addr, uint8_t c, hwaddr len)
{
    address_space_access(as, addr, NULL, len, ACCESS_SET, c);
}

/* DMA: guest RAM only, and never partly. */

void *dma_memory_map(hwaddr addr, hwaddr len)
{
    FlatRange *r = flatview_lookup(address_space_view(&address_space_memory),
                                   addr, NULL);

    if (!r || !r->mr->ram_block || len > r->end - addr) {
        return NULL;
    }
    return ram_ptr(r->mr, addr - r->start + r->offset, len);
}

bool dma_memory_read(hwaddr addr, void *buf, hwaddr len)
{
    if (len == 0) {
        return true;
    }
    void *p = dma_memory_map(addr, len);
    if (!p) {
        return false;
    }
    memcpy(buf, p, len);
    return true;
}

bool dma_memory_write(hwaddr addr, const void *buf, hwaddr len)
{
    if (len == 0) {
        return true;
    }
    void *p = dma_memory_map(addr, len);
    if (!p) {
        return false;
    }
    memcpy(p, buf, len);
    dma_memory_mark_dirty(addr, len);
    return true;
}

void dma_memory_mark_dirty(hwaddr addr, hwaddr len)
{
    FlatView *fv = address_space_view(&address_space_memory);

    while (len > 0) {
        hwaddr next = UINT64_MAX;
        FlatRange *r = flatview_lookup(fv, addr, &next);
        hwaddr chunk;

        if (!r) {
            chunk = next > addr ? MIN(len, next - addr) : len;
        } else {
            chunk = MIN(len, r->end - addr);
            if (r->mr->ram_block) {
                ram_block_set_dirty(r->mr->ram_block,
                                    addr - r->start + r->offset, chunk);
            }
        }
        if (addr + chunk < addr) {
            break;
        }
        addr += chunk;
        len -= chunk;
    }
}
