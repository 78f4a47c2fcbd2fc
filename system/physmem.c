/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest RAM blocks.  Anonymous blocks are reserved address space only
 * (MAP_NORESERVE): the host gives a page when the guest or qtest first
 * touches it, so a 128 MiB guest costs almost nothing at idle.  Each block
 * has a dirty bitmap, one bit per target page, for migration.
 */
#include "exec/memory.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qapi/error.h"

#define BITS_PER_LONG (sizeof(unsigned long) * 8)

static GPtrArray *ram_blocks;

static uint64_t block_pages(uint64_t size)
{
    return (size + TARGET_PAGE_SIZE - 1) >> TARGET_PAGE_BITS;
}

static size_t bitmap_longs(uint64_t pages)
{
    return (pages + BITS_PER_LONG - 1) / BITS_PER_LONG;
}

GPtrArray *ram_block_list(void)
{
    if (!ram_blocks) {
        ram_blocks = g_ptr_array_new();
    }
    return ram_blocks;
}

RAMBlock *ram_block_by_name(const char *idstr)
{
    GPtrArray *list = ram_block_list();

    for (guint i = 0; i < list->len; i++) {
        RAMBlock *block = g_ptr_array_index(list, i);
        if (!strcmp(block->idstr, idstr)) {
            return block;
        }
    }
    return NULL;
}

static RAMBlock *ram_block_register(const char *idstr, uint64_t size,
                                    uint8_t *host, int fd)
{
    RAMBlock *block = g_new0(RAMBlock, 1);

    block->idstr = g_strdup(idstr);
    block->host = host;
    block->size = size;
    block->fd = fd;
    block->dirty = g_new0(unsigned long, bitmap_longs(block_pages(size)) + 1);
    g_ptr_array_add(ram_block_list(), block);
    return block;
}

static bool check_name(const char *idstr, GError **errp)
{
    /* Migration matches blocks by name, so names must be unique. */
    if (ram_block_by_name(idstr)) {
        error_setg(errp, "RAMBlock \"%s\" already registered", idstr);
        return false;
    }
    return true;
}

/*
 * Transparent huge pages can back only 2 MiB-aligned ranges, so anonymous
 * RAM is mapped with room to spare and trimmed to an aligned start, then
 * advised as QEMU advises it.  Fresh memory faults in about twice as fast
 * that way, which is what bounds a migration destination.
 */
#define RAM_ALIGN (2 * 1024 * 1024)

static void *anon_ram_map(uint64_t size, bool share)
{
    size_t len = size + RAM_ALIGN;
    int flags = (share ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS |
                MAP_NORESERVE;
    uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
    uint8_t *start, *end;

    if (p == MAP_FAILED) {
        return MAP_FAILED;
    }
    start = (uint8_t *)(((uintptr_t)p + RAM_ALIGN - 1) &
                        ~(uintptr_t)(RAM_ALIGN - 1));
    end = start + size;
    if (start > p) {
        munmap(p, start - p);
    }
    if (p + len > end) {
        munmap(end, p + len - end);
    }
    /* Where THP is off or unsupported this fails, and 4 KiB pages serve. */
    madvise(start, size, MADV_HUGEPAGE);
    return start;
}

RAMBlock *ram_block_new_anon(const char *idstr, uint64_t size, bool share,
                             GError **errp)
{
    uint8_t *host = NULL;

    if (!check_name(idstr, errp)) {
        return NULL;
    }
    if (size) {
        void *p = anon_ram_map(size, share);
        if (p == MAP_FAILED) {
            error_setg_errno(errp, errno, "cannot set up guest memory '%s'",
                             idstr);
            return NULL;
        }
        host = p;
    }
    return ram_block_register(idstr, size, host, -1);
}

RAMBlock *ram_block_new(const char *idstr, uint64_t size, GError **errp)
{
    return ram_block_new_anon(idstr, size, false, errp);
}

bool ram_block_prealloc(RAMBlock *block, GError **errp)
{
    long pagesize = sysconf(_SC_PAGESIZE);

    if (!block->host || !block->size) {
        return true;
    }
#ifdef MADV_POPULATE_WRITE
    if (madvise(block->host, block->size, MADV_POPULATE_WRITE) == 0) {
        return true;
    }
    if (errno != EINVAL) {
        error_setg_errno(errp, errno, "preallocating guest memory '%s' failed",
                         block->idstr);
        return false;
    }
#endif
    /* Kernels before 5.14: touch each page; the contents are kept. */
    for (uint64_t off = 0; off < block->size; off += pagesize) {
        volatile uint8_t *b = block->host + off;
        *b = *b;
    }
    return true;
}

/* A directory gets an unlinked temporary file inside it, as in QEMU. */
static int open_backing_file(const char *path, GError **errp)
{
    struct stat st;
    int fd;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        g_autofree char *tmpl = g_build_filename(path, "baton_back_mem.XXXXXX",
                                                 NULL);
        fd = g_mkstemp_full(tmpl, O_RDWR | O_CLOEXEC, 0600);
        if (fd >= 0) {
            unlink(tmpl);
        }
    } else {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    }
    if (fd < 0) {
        error_setg_errno(errp, errno,
                         "can't open backing store %s for guest RAM", path);
    }
    return fd;
}

RAMBlock *ram_block_new_from_file(const char *idstr, uint64_t size,
                                  const char *path, bool share,
                                  GError **errp)
{
    struct stat st;
    RAMBlock *block;
    void *p;
    int fd;

    if (!check_name(idstr, errp)) {
        return NULL;
    }
    if (!size) {
        error_setg(errp, "memory size must be non-zero");
        return NULL;
    }
    fd = open_backing_file(path, errp);
    if (fd < 0) {
        return NULL;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (uint64_t)st.st_size < size && ftruncate(fd, size) < 0) {
        error_setg_errno(errp, errno, "can't resize backing store %s", path);
        close(fd);
        return NULL;
    }
    p = mmap(NULL, size, PROT_READ | PROT_WRITE,
             share ? MAP_SHARED : MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        error_setg_errno(errp, errno,
                         "unable to map backing store for guest RAM");
        close(fd);
        return NULL;
    }
    block = ram_block_register(idstr, size, p, fd);
    block->file_shared = share;
    return block;
}

void ram_block_free(RAMBlock *block)
{
    if (!block) {
        return;
    }
    if (ram_blocks) {
        g_ptr_array_remove(ram_blocks, block);
    }
    if (block->host) {
        munmap(block->host, block->size);
    }
    if (block->fd >= 0) {
        close(block->fd);
    }
    g_free(block->dirty);
    g_free(block->idstr);
    g_free(block);
}

void ram_block_set_dirty(RAMBlock *block, uint64_t offset, uint64_t len)
{
    if (!len || offset >= block->size) {
        return;
    }
    if (len > block->size - offset) {
        len = block->size - offset;
    }
    uint64_t first = offset >> TARGET_PAGE_BITS;
    uint64_t last = (offset + len - 1) >> TARGET_PAGE_BITS;
    for (uint64_t page = first; page <= last; page++) {
        block->dirty[page / BITS_PER_LONG] |= 1UL << (page % BITS_PER_LONG);
    }
}

bool ram_block_test_dirty(RAMBlock *block, uint64_t offset)
{
    uint64_t page = offset >> TARGET_PAGE_BITS;

    if (offset >= block->size) {
        return false;
    }
    return block->dirty[page / BITS_PER_LONG] & (1UL << (page % BITS_PER_LONG));
}

uint64_t ram_block_sync_dirty(RAMBlock *block, unsigned long *bitmap)
{
    size_t n = bitmap_longs(block_pages(block->size));
    uint64_t count = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned long w = block->dirty[i];
        if (w) {
            count += __builtin_popcountl(w);
            if (bitmap) {
                bitmap[i] |= w;
            }
            block->dirty[i] = 0;
        }
    }
    return count;
}
