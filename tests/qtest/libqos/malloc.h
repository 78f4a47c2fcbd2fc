/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqos guest memory allocator: hands out guest-physical RAM to tests
 * (descriptor rings, MSI targets), first fit over a free list.
 */
#ifndef LIBQOS_MALLOC_H
#define LIBQOS_MALLOC_H

#include "libqtest.h"

typedef struct QGuestAllocator {
    uint64_t start, end;        /* managed range [start, end) */
    uint32_t page_size;
    GList *free;                /* MemBlock *, sorted by address */
    GList *used;
} QGuestAllocator;

void alloc_init(QGuestAllocator *a, uint64_t start, uint64_t end,
                uint32_t page_size);
void alloc_destroy(QGuestAllocator *a);
/* page-aligned guest address of size bytes; asserts on exhaustion. */
uint64_t guest_alloc(QGuestAllocator *a, size_t size);
void guest_free(QGuestAllocator *a, uint64_t addr);
/* PC layout: RAM from 1 MiB to min(RAM size from fw_cfg, 0xE0000000). */
void pc_alloc_init(QGuestAllocator *a, QTestState *qts);

#endif
