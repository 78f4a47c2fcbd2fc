/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PCI configuration access for the fuzz targets that act as a guest. */
#ifndef TESTS_FUZZ_FUZZ_PCI_H
#define TESTS_FUZZ_FUZZ_PCI_H

#include "exec/memory.h"

#define FUZZ_ECAM_BASE 0xb0000000ULL

static inline void fuzz_pci_cfg_write(unsigned bus, unsigned devfn,
                                      unsigned off, unsigned size,
                                      uint32_t val)
{
    address_space_write_sized(&address_space_io, 0xcf8, 4,
                              0x80000000u | bus << 16 | devfn << 8 |
                              (off & 0xfc));
    address_space_write_sized(&address_space_io, 0xcfc + (off & 3), size,
                              val);
}

static inline uint32_t fuzz_pci_cfg_read(unsigned bus, unsigned devfn,
                                         unsigned off, unsigned size)
{
    uint64_t v = 0;

    address_space_write_sized(&address_space_io, 0xcf8, 4,
                              0x80000000u | bus << 16 | devfn << 8 |
                              (off & 0xfc));
    address_space_read_sized(&address_space_io, 0xcfc + (off & 3), size, &v);
    return v;
}

/* 1, 2 or 4 from any byte. */
static inline unsigned fuzz_access_size(uint64_t b)
{
    return 1u << (b % 3);
}

#endif
