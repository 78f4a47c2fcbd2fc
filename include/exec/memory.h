/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest address spaces.  A MemoryRegion is RAM, device I/O (callbacks), an
 * alias into another region, or a container of subregions.  An access goes
 * to the highest-priority enabled subregion that claims the address; a
 * container claims an address only if one of its subregions does, so
 * overlapping PCI bridge windows route to the bus that really decodes the
 * address.  Unclaimed memory reads 0, unclaimed I/O ports read all-ones.
 */
#ifndef EXEC_MEMORY_H
#define EXEC_MEMORY_H

#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include "qom/object.h"

typedef uint64_t hwaddr;
#define HWADDR_PRIx PRIx64

typedef struct MemoryRegion MemoryRegion;
typedef struct RAMBlock RAMBlock;

typedef struct MemoryRegionOps {
    /* addr is relative to the region; size is 1, 2, 4 or 8 bytes. */
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t data, unsigned size);
    /*
     * Access sizes the device implements.  Wider accesses are split into
     * these, narrower ones widened (read-modify for reads only).  0 means 1
     * for min and 8 for max.
     */
    unsigned impl_min_access_size;
    unsigned impl_max_access_size;
} MemoryRegionOps;

struct MemoryRegion {
    char *name;
    Object *owner;
    const MemoryRegionOps *ops;
    void *opaque;
    uint64_t size;
    hwaddr addr;                /* offset within the container */
    int priority;
    bool enabled;
    bool terminates;            /* RAM or I/O: claims its whole range */
    MemoryRegion *container;
    GPtrArray *subregions;      /* MemoryRegion *, highest priority first */
    MemoryRegion *alias;
    hwaddr alias_offset;
    RAMBlock *ram_block;        /* for RAM regions */
    bool owns_ram_block;        /* made by memory_region_init_ram */
    uint32_t seen_by;           /* private: spaces whose views reached it */
};

typedef struct FlatView FlatView;

typedef struct AddressSpace {
    const char *name;
    MemoryRegion *root;
    bool io;                    /* I/O space: unclaimed reads all-ones */
    /* private: the flattened map, rebuilt after a topology change */
    FlatView *view;
    unsigned id;                /* private: its bit in MemoryRegion.seen_by */
} AddressSpace;

/* Another space over root (e.g. a bus-master view); io as above. */
void address_space_init(AddressSpace *as, MemoryRegion *root,
                        const char *name, bool io);
void address_space_destroy(AddressSpace *as);

/* The CPU's memory and I/O-port spaces (roots created at start-up). */
extern AddressSpace address_space_memory;
extern AddressSpace address_space_io;
MemoryRegion *get_system_memory(void);
MemoryRegion *get_system_io(void);

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size);
void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size);
/* RAM backed by a RAMBlock; dirty-tracked when written through this API. */
bool memory_region_init_ram(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, GError **errp);
/* RAM over an existing block (memory backends). */
void memory_region_init_ram_from_block(MemoryRegion *mr, Object *owner,
                                       const char *name, RAMBlock *block);
void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size);
/* Remove from its container and free what init allocated. */
void memory_region_finalize(MemoryRegion *mr);

void memory_region_add_subregion(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *subregion);
void memory_region_add_subregion_overlap(MemoryRegion *mr, hwaddr offset,
                                         MemoryRegion *subregion,
                                         int priority);
void memory_region_del_subregion(MemoryRegion *mr, MemoryRegion *subregion);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
void memory_region_set_address(MemoryRegion *mr, hwaddr addr);
void memory_region_set_size(MemoryRegion *mr, uint64_t size);
void memory_region_set_alias_offset(MemoryRegion *mr, hwaddr offset);
/* Host pointer of a RAM region, NULL otherwise. */
void *memory_region_get_ram_ptr(MemoryRegion *mr);
bool memory_region_is_mapped(MemoryRegion *mr);

/*
 * Sized accesses (1, 2, 4, 8 bytes; little-endian).  These are what qtest's
 * in/out/read/write commands and MMIO use.  True if something claimed the
 * address.
 */
bool address_space_read_sized(AddressSpace *as, hwaddr addr, unsigned size,
                              uint64_t *val);
bool address_space_write_sized(AddressSpace *as, hwaddr addr, unsigned size,
                               uint64_t val);
/* Byte ranges, split across regions as needed. */
void address_space_read(AddressSpace *as, hwaddr addr, void *buf, hwaddr len);
void address_space_write(AddressSpace *as, hwaddr addr, const void *buf,
                         hwaddr len);
void address_space_set(AddressSpace *as, hwaddr addr, uint8_t c, hwaddr len);

/*
 * Device DMA into guest RAM.  Only RAM is reachable; the whole range must
 * be RAM or nothing is done and false is returned (guest-written addresses
 * are never trusted).  Writes mark pages dirty.
 */
bool dma_memory_read(hwaddr addr, void *buf, hwaddr len);
bool dma_memory_write(hwaddr addr, const void *buf, hwaddr len);
/*
 * Direct pointer to len bytes of guest RAM at addr, NULL unless the whole
 * range is one RAM block.  A caller that writes through it must call
 * dma_memory_mark_dirty.
 */
void *dma_memory_map(hwaddr addr, hwaddr len);
void dma_memory_mark_dirty(hwaddr addr, hwaddr len);

/* RAM blocks: guest RAM, mapped lazily (anonymous, no reserve). */
#define TARGET_PAGE_BITS 12
#define TARGET_PAGE_SIZE (1u << TARGET_PAGE_BITS)

struct RAMBlock {
    char *idstr;
    uint8_t *host;
    uint64_t size;
    int fd;                     /* file backing, -1 if anonymous */
    bool file_shared;           /* fd's file sees every write (MAP_SHARED) */
    unsigned long *dirty;       /* one bit per page, set on every write */
    MemoryRegion *mr;           /* region mapping it, if any */
};

/*
 * Anonymous guest RAM, 2 MiB-aligned and advised for huge pages; share:
 * MAP_SHARED (memory-backend-ram share=on).  ram_block_new is share=off.
 */
RAMBlock *ram_block_new_anon(const char *idstr, uint64_t size, bool share,
                             GError **errp);
RAMBlock *ram_block_new(const char *idstr, uint64_t size, GError **errp);
/* Fault every page in now (prealloc=on), keeping the contents. */
bool ram_block_prealloc(RAMBlock *block, GError **errp);
/* Map a file (memory-backend-file); share: MAP_SHARED. */
RAMBlock *ram_block_new_from_file(const char *idstr, uint64_t size,
                                  const char *path, bool share,
                                  GError **errp);
void ram_block_free(RAMBlock *block);
/* All blocks, in creation order. */
GPtrArray *ram_block_list(void);
RAMBlock *ram_block_by_name(const char *idstr);
void ram_block_set_dirty(RAMBlock *block, uint64_t offset, uint64_t len);
/*
 * OR the block's dirty bits into bitmap (may be NULL; one bit per page,
 * same layout) and clear them.  Returns how many pages were dirty.
 */
uint64_t ram_block_sync_dirty(RAMBlock *block, unsigned long *bitmap);
bool ram_block_test_dirty(RAMBlock *block, uint64_t offset);

#endif
