/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address spaces: which region answers an access, how accesses are split
 * and widened for devices, what RAM writes leave in the dirty bitmap, and
 * that DMA never leaves guest RAM.
 */
#include <glib.h>
#include <string.h>
#include <unistd.h>

#include "exec/memory.h"

/* A device that remembers its accesses and answers with a tag. */
typedef struct TestDev {
    MemoryRegion mr;
    uint8_t tag;
    GString *log;
} TestDev;

static uint64_t dev_read(void *opaque, hwaddr addr, unsigned size)
{
    TestDev *d = opaque;

    g_string_append_printf(d->log, "r%u@%" HWADDR_PRIx " ", size, addr);
    return 0x0101010101010101ULL * d->tag;
}

static void dev_write(void *opaque, hwaddr addr, uint64_t data,
                      unsigned size)
{
    TestDev *d = opaque;

    g_string_append_printf(d->log, "w%u@%" HWADDR_PRIx "=%" PRIx64 " ",
                           size, addr, data);
}

static const MemoryRegionOps dev_ops = {
    .read = dev_read,
    .write = dev_write,
};

static const MemoryRegionOps dev_ops_32 = {
    .read = dev_read,
    .write = dev_write,
    .impl_min_access_size = 4,
    .impl_max_access_size = 4,
};

static TestDev *dev_new(const char *name, uint8_t tag, uint64_t size,
                        const MemoryRegionOps *ops)
{
    TestDev *d = g_new0(TestDev, 1);

    d->tag = tag;
    d->log = g_string_new(NULL);
    memory_region_init_io(&d->mr, NULL, ops, d, name, size);
    return d;
}

static void dev_free(TestDev *d)
{
    memory_region_finalize(&d->mr);
    g_string_free(d->log, TRUE);
    g_free(d);
}

static uint64_t readb(hwaddr addr)
{
    uint64_t v;

    address_space_read_sized(&address_space_memory, addr, 1, &v);
    return v;
}

static void test_unclaimed(void)
{
    uint64_t v = 1;

    g_assert_false(address_space_read_sized(&address_space_memory,
                                            0x7000000000ULL, 4, &v));
    g_assert_cmphex(v, ==, 0);
    g_assert_false(address_space_read_sized(&address_space_io, 0x1234, 2,
                                            &v));
    g_assert_cmphex(v, ==, 0xffff);
    /* Past the 64 KiB of I/O space. */
    g_assert_false(address_space_read_sized(&address_space_io, 0x10000, 4,
                                            &v));
    g_assert_cmphex(v, ==, 0xffffffff);
    g_assert_false(address_space_read_sized(&address_space_io, 0, 3, &v));
}

static void test_priority(void)
{
    TestDev *low = dev_new("low", 0x11, 0x1000, &dev_ops);
    TestDev *high = dev_new("high", 0x22, 0x100, &dev_ops);
    MemoryRegion *sys = get_system_memory();

    memory_region_add_subregion_overlap(sys, 0x10000, &low->mr, 0);
    memory_region_add_subregion_overlap(sys, 0x10800, &high->mr, 1);
    g_assert_cmphex(readb(0x10000), ==, 0x11);
    g_assert_cmphex(readb(0x10800), ==, 0x22);
    g_assert_cmphex(readb(0x108ff), ==, 0x22);
    g_assert_cmphex(readb(0x10900), ==, 0x11);
    g_assert_cmpstr(high->log->str, ==, "r1@0 r1@ff ");
    g_assert_cmpstr(low->log->str, ==, "r1@0 r1@900 ");

    /* Disabling uncovers the lower region, enabling hides it again. */
    memory_region_set_enabled(&high->mr, false);
    g_assert_cmphex(readb(0x10800), ==, 0x11);
    memory_region_set_enabled(&high->mr, true);
    g_assert_cmphex(readb(0x10800), ==, 0x22);

    /* Remapping moves the window. */
    memory_region_set_address(&high->mr, 0x10000);
    g_assert_cmphex(readb(0x10800), ==, 0x11);
    g_assert_cmphex(readb(0x10000), ==, 0x22);
    g_assert_true(memory_region_is_mapped(&high->mr));

    dev_free(high);
    g_assert_cmphex(readb(0x10000), ==, 0x11);
    dev_free(low);
    g_assert_cmphex(readb(0x10000), ==, 0);
}

/*
 * Two overlapping bridge windows: the lower-priority one gets the address
 * only where the higher one has no device behind it.
 */
static void test_container_claims(void)
{
    MemoryRegion win1, win2;
    TestDev *a = dev_new("a", 0xaa, 0x1000, &dev_ops);
    TestDev *b = dev_new("b", 0xbb, 0x1000, &dev_ops);
    MemoryRegion *sys = get_system_memory();

    memory_region_init(&win1, NULL, "win1", 0x100000);
    memory_region_init(&win2, NULL, "win2", 0x100000);
    memory_region_add_subregion(&win1, 0x0000, &a->mr);
    memory_region_add_subregion(&win2, 0x4000, &b->mr);
    memory_region_add_subregion_overlap(sys, 0xe0000000, &win1, 1);
    memory_region_add_subregion_overlap(sys, 0xe0000000, &win2, 0);

    g_assert_cmphex(readb(0xe0000010), ==, 0xaa);
    g_assert_cmphex(readb(0xe0004010), ==, 0xbb);
    g_assert_cmphex(readb(0xe0008000), ==, 0);

    memory_region_finalize(&win1);
    memory_region_finalize(&win2);
    dev_free(a);
    dev_free(b);
}

static void test_alias(void)
{
    MemoryRegion ram, alias;
    uint8_t *p;

    g_assert_true(memory_region_init_ram(&ram, NULL, "alias-ram", 0x10000,
                                         NULL));
    p = memory_region_get_ram_ptr(&ram);
    for (int i = 0; i < 0x10000; i++) {
        p[i] = i >> 8;
    }
    memory_region_init_alias(&alias, NULL, "alias", &ram, 0x3000, 0x2000);
    memory_region_add_subregion(get_system_memory(), 0x200000, &alias);
    g_assert_cmphex(readb(0x200000), ==, 0x30);
    g_assert_cmphex(readb(0x201fff), ==, 0x4f);
    g_assert_cmphex(readb(0x202000), ==, 0);
    g_assert_true(memory_region_get_ram_ptr(&alias) == p + 0x3000);

    memory_region_set_alias_offset(&alias, 0x8000);
    g_assert_cmphex(readb(0x200000), ==, 0x80);

    /* Written through the alias: lands in the block, marks its page. */
    ram_block_sync_dirty(ram.ram_block, NULL);
    address_space_write_sized(&address_space_memory, 0x200010, 1, 0x5a);
    g_assert_cmphex(p[0x8010], ==, 0x5a);
    g_assert_true(ram_block_test_dirty(ram.ram_block, 0x8000));
    g_assert_false(ram_block_test_dirty(ram.ram_block, 0x7000));

    memory_region_finalize(&alias);
    memory_region_finalize(&ram);
    g_assert_null(ram_block_by_name("alias-ram"));
}

static uint64_t readio(hwaddr addr)
{
    uint64_t v;

    address_space_read_sized(&address_space_io, addr, 1, &v);
    return v;
}

/*
 * A change re-renders only the spaces that can see it (memory.c); every
 * way a region becomes visible or moves must still reach the views that
 * were rendered before it, through windows (aliases) as PCI bridges have
 * them, disabled containers and containers that clip their subregions.
 */
static void test_views_follow_changes(void)
{
    MemoryRegion bus_io, win_io, win_mem, box, inner;
    TestDev *a = dev_new("bar-a", 0xa1, 0x100, &dev_ops);
    TestDev *b = dev_new("bar-b", 0xb2, 0x100, &dev_ops);
    TestDev *c = dev_new("dev-c", 0xc3, 0x100, &dev_ops);
    TestDev *d = dev_new("dev-d", 0xd4, 0x100, &dev_ops);

    /* A secondary bus's I/O space behind a closed window. */
    memory_region_init(&bus_io, NULL, "bus-io", 0x10000);
    memory_region_init_alias(&win_io, NULL, "win-io", &bus_io, 0x1000, 0);
    memory_region_add_subregion_overlap(get_system_io(), 0x1000, &win_io, 1);
    memory_region_add_subregion(&bus_io, 0x1000, &a->mr);
    g_assert_cmphex(readio(0x1000), ==, 0xff);
    g_assert_cmphex(readb(0x600000), ==, 0);

    /* The window opens: the BAR behind it appears. */
    memory_region_set_size(&win_io, 0x1000);
    g_assert_cmphex(readio(0x1000), ==, 0xa1);

    /* Both views rendered; a BAR added behind the open window shows. */
    g_assert_cmphex(readb(0x600000), ==, 0);
    memory_region_add_subregion(&bus_io, 0x1800, &b->mr);
    g_assert_cmphex(readio(0x1800), ==, 0xb2);
    memory_region_set_address(&b->mr, 0x1900);
    g_assert_cmphex(readio(0x1800), ==, 0xff);
    g_assert_cmphex(readio(0x1900), ==, 0xb2);

    /* The same bus also seen from memory space: both views follow it. */
    memory_region_init_alias(&win_mem, NULL, "win-mem", &bus_io, 0, 0x10000);
    memory_region_add_subregion(get_system_memory(), 0x600000, &win_mem);
    g_assert_cmphex(readb(0x601900), ==, 0xb2);
    g_assert_cmphex(readio(0x1900), ==, 0xb2);
    memory_region_set_enabled(&b->mr, false);
    g_assert_cmphex(readb(0x601900), ==, 0);
    g_assert_cmphex(readio(0x1900), ==, 0xff);

    /* A disabled container: what is added inside shows once enabled. */
    memory_region_init(&box, NULL, "box", 0x1000);
    memory_region_set_enabled(&box, false);
    memory_region_add_subregion(get_system_memory(), 0x700000, &box);
    g_assert_cmphex(readb(0x700000), ==, 0);
    memory_region_add_subregion(&box, 0, &c->mr);
    g_assert_cmphex(readb(0x700000), ==, 0);
    memory_region_set_enabled(&box, true);
    g_assert_cmphex(readb(0x700000), ==, 0xc3);

    /* A container placed past its parent's end: clipped until moved. */
    memory_region_init(&inner, NULL, "inner", 0x1000);
    memory_region_add_subregion(&box, 0x2000, &inner);
    g_assert_cmphex(readb(0x700800), ==, 0);
    memory_region_add_subregion(&inner, 0x800, &d->mr);
    g_assert_cmphex(readb(0x700800), ==, 0);
    memory_region_set_address(&inner, 0);
    g_assert_cmphex(readb(0x700800), ==, 0xd4);

    memory_region_finalize(&win_mem);
    memory_region_finalize(&win_io);
    g_assert_cmphex(readio(0x1000), ==, 0xff);
    dev_free(d);
    memory_region_finalize(&inner);
    dev_free(c);
    memory_region_finalize(&box);
    g_assert_cmphex(readb(0x700000), ==, 0);
    dev_free(a);
    dev_free(b);
    memory_region_finalize(&bus_io);
}

static void test_access_sizes(void)
{
    TestDev *d = dev_new("dev32", 0x5, 0x100, &dev_ops_32);
    uint64_t v;

    memory_region_add_subregion(get_system_io(), 0x500, &d->mr);
    /* 8 bytes on a 4-byte device: two accesses, little-endian. */
    address_space_write_sized(&address_space_io, 0x500, 8,
                              0x1122334455667788ULL);
    g_assert_cmpstr(d->log->str, ==, "w4@0=55667788 w4@4=11223344 ");
    g_string_truncate(d->log, 0);
    g_assert_true(address_space_read_sized(&address_space_io, 0x504, 1, &v));
    g_assert_cmpstr(d->log->str, ==, "r4@4 ");
    g_assert_cmphex(v, ==, 0x05);
    g_string_truncate(d->log, 0);
    address_space_read_sized(&address_space_io, 0x500, 8, &v);
    g_assert_cmphex(v, ==, 0x0505050505050505ULL);
    g_assert_cmpstr(d->log->str, ==, "r4@0 r4@4 ");

    /* An access straddling the end: the part outside reads all-ones. */
    g_string_truncate(d->log, 0);
    address_space_read_sized(&address_space_io, 0x5ff, 2, &v);
    g_assert_cmphex(v, ==, 0xff05);
    dev_free(d);
}

static void test_ram_dirty(void)
{
    MemoryRegion ram;
    uint8_t buf[64];
    unsigned long bitmap[2] = { 0 };

    g_assert_true(memory_region_init_ram(&ram, NULL, "dirty-ram",
                                         16 * TARGET_PAGE_SIZE, NULL));
    memory_region_add_subregion(get_system_memory(), 0x100000, &ram);
    g_assert_cmpuint(ram_block_sync_dirty(ram.ram_block, NULL), ==, 0);

    memset(buf, 0xab, sizeof(buf));
    /* Crosses from page 1 into page 2. */
    address_space_write(&address_space_memory,
                        0x100000 + 2 * TARGET_PAGE_SIZE - 8, buf, 16);
    address_space_set(&address_space_memory,
                      0x100000 + 9 * TARGET_PAGE_SIZE, 0xcd, 1);
    g_assert_cmpuint(ram_block_sync_dirty(ram.ram_block, bitmap), ==, 3);
    g_assert_cmphex(bitmap[0], ==, (1UL << 1) | (1UL << 2) | (1UL << 9));
    g_assert_cmpuint(ram_block_sync_dirty(ram.ram_block, NULL), ==, 0);

    /* Reads leave no trace. */
    address_space_read(&address_space_memory, 0x100000, buf, sizeof(buf));
    g_assert_cmpuint(ram_block_sync_dirty(ram.ram_block, NULL), ==, 0);

    g_assert_true(dma_memory_write(0x100000 + 5 * TARGET_PAGE_SIZE, buf, 4));
    g_assert_true(ram_block_test_dirty(ram.ram_block,
                                       5 * TARGET_PAGE_SIZE));

    /* A range that runs past RAM into nothing reads the gap as 0. */
    memset(buf, 0x77, sizeof(buf));
    address_space_read(&address_space_memory,
                       0x100000 + 16 * TARGET_PAGE_SIZE - 4, buf, 8);
    g_assert_cmphex(buf[3], ==, 0);
    g_assert_cmphex(buf[4], ==, 0);
    memory_region_finalize(&ram);
}

static void test_dma_bounds(void)
{
    MemoryRegion ram;
    TestDev *d = dev_new("mmio", 0x99, 0x1000, &dev_ops);
    uint8_t buf[32] = { 0 };
    hwaddr base = 0x400000, size = 4 * TARGET_PAGE_SIZE;

    g_assert_true(memory_region_init_ram(&ram, NULL, "dma-ram", size, NULL));
    memory_region_add_subregion(get_system_memory(), base, &ram);
    memory_region_add_subregion(get_system_memory(), base + size, &d->mr);

    g_assert_true(dma_memory_write(base, "hello", 5));
    g_assert_true(dma_memory_read(base, buf, 5));
    g_assert_cmpmem(buf, 5, "hello", 5);
    g_assert_true(dma_memory_read(base + size - 32, buf, 32));
    /* One byte too far, into MMIO: refused, nothing done. */
    g_assert_false(dma_memory_read(base + size - 31, buf, 32));
    g_assert_false(dma_memory_write(base + size - 31, buf, 32));
    g_assert_cmpstr(d->log->str, ==, "");
    g_assert_false(dma_memory_write(base - 1, buf, 2));
    g_assert_false(dma_memory_read(0xfffffffffffff000ULL, buf, 32));
    g_assert_false(dma_memory_read(base, buf, (hwaddr)-1));
    g_assert_null(dma_memory_map(base + size, 1));
    g_assert_nonnull(dma_memory_map(base, size));
    g_assert_null(dma_memory_map(base, size + 1));

    dev_free(d);
    memory_region_finalize(&ram);
    g_assert_false(dma_memory_read(base, buf, 1));
}

static void test_ram_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("baton-mem-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "mem", NULL);
    GError *err = NULL;
    RAMBlock *a, *b;

    a = ram_block_new_from_file("file-a", 0x10000, path, true, &err);
    g_assert_no_error(err);
    b = ram_block_new_from_file("file-b", 0x10000, path, true, &err);
    g_assert_no_error(err);
    /* share=on: both mappings see the same pages. */
    a->host[100] = 42;
    g_assert_cmpint(b->host[100], ==, 42);
    g_assert_null(ram_block_new("file-a", 0x1000, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, "RAMBlock \"file-a\" already registered");
    g_clear_error(&err);
    g_assert_null(ram_block_new_from_file("file-c", 0x1000,
                                          "/nonexistent/dir/x", false, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    ram_block_free(a);
    ram_block_free(b);
    unlink(path);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/unclaimed", test_unclaimed);
    g_test_add_func("/memory/priority", test_priority);
    g_test_add_func("/memory/container-claims", test_container_claims);
    g_test_add_func("/memory/alias", test_alias);
    g_test_add_func("/memory/views-follow-changes",
                    test_views_follow_changes);
    g_test_add_func("/memory/access-sizes", test_access_sizes);
    g_test_add_func("/memory/ram-dirty", test_ram_dirty);
    g_test_add_func("/memory/dma-bounds", test_dma_bounds);
    g_test_add_func("/memory/ram-file", test_ram_file);
    return g_test_run();
}
