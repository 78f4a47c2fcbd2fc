/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libqos guest allocator: first fit, page granular, coalescing frees. */
#include "malloc.h"
#include "fw_cfg.h"

typedef struct MemBlock {
    uint64_t addr;
    uint64_t size;
} MemBlock;

static MemBlock *mem_block(uint64_t addr, uint64_t size)
{
    MemBlock *b = g_new(MemBlock, 1);

    b->addr = addr;
    b->size = size;
    return b;
}

void alloc_init(QGuestAllocator *a, uint64_t start, uint64_t end,
                uint32_t page_size)
{
    a->start = start;
    a->end = end;
    a->page_size = page_size;
    a->free = g_list_append(NULL, mem_block(start, end - start));
    a->used = NULL;
}

void alloc_destroy(QGuestAllocator *a)
{
    g_list_free_full(a->free, g_free);
    g_list_free_full(a->used, g_free);
    a->free = a->used = NULL;
}

uint64_t guest_alloc(QGuestAllocator *a, size_t size)
{
    uint64_t want = (size + a->page_size - 1) & ~(uint64_t)(a->page_size - 1);

    if (!want) {
        want = a->page_size;
    }
    for (GList *l = a->free; l; l = l->next) {
        MemBlock *b = l->data;
        uint64_t addr;

        if (b->size < want) {
            continue;
        }
        addr = b->addr;
        b->addr += want;
        b->size -= want;
        if (!b->size) {
            g_free(b);
            a->free = g_list_delete_link(a->free, l);
        }
        a->used = g_list_prepend(a->used, mem_block(addr, want));
        return addr;
    }
    g_assert_not_reached();
}

static gint block_cmp(gconstpointer x, gconstpointer y)
{
    const MemBlock *a = x, *b = y;

    return a->addr < b->addr ? -1 : a->addr > b->addr;
}

void guest_free(QGuestAllocator *a, uint64_t addr)
{
    for (GList *l = a->used; l; l = l->next) {
        MemBlock *b = l->data;

        if (b->addr != addr) {
            continue;
        }
        a->used = g_list_delete_link(a->used, l);
        a->free = g_list_insert_sorted(a->free, b, block_cmp);
        /* Coalesce neighbours. */
        for (GList *f = a->free; f && f->next;) {
            MemBlock *x = f->data, *y = f->next->data;

            if (x->addr + x->size == y->addr) {
                x->size += y->size;
                g_free(y);
                a->free = g_list_delete_link(a->free, f->next);
            } else {
                f = f->next;
            }
        }
        return;
    }
    g_assert_not_reached();     /* freeing something never allocated */
}

void pc_alloc_init(QGuestAllocator *a, QTestState *qts)
{
    uint64_t ram = pc_fw_cfg_ram_size(qts);

    alloc_init(a, 1 << 20, MIN(ram, 0xE0000000ULL), 4096);
}
