/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PAM decoding as QEMU 8.1 does it for a CPU: segment k (0: 0xf0000..
 * 0xfffff, k = 1..12: 0xc0000 + (k - 1) * 16K) takes its attributes from
 * PAM[(k + 1) / 2], high nibble for even k, low for odd.  RE|WE is RAM;
 * RE alone reads RAM and drops writes; otherwise the access goes to PCI,
 * where QEMU keeps its option ROM area and BIOS copy: baton has no
 * firmware, so that reads zeros and drops writes.
 */
#include <string.h>

#include "hw/pci-host/pam.h"

static uint8_t *pam_ram(PAMRegion *r, hwaddr addr, unsigned size)
{
    if (!r->ram || r->start + addr + size > r->ram->size) {
        return NULL;
    }
    return (uint8_t *)memory_region_get_ram_ptr(r->ram) + r->start + addr;
}

static uint64_t pam_read(void *opaque, hwaddr addr, unsigned size)
{
    PAMRegion *r = opaque;
    uint8_t *p = pam_ram(r, addr, size);
    uint64_t v = 0;

    if (!(r->mode & PAM_RE) || !p) {
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static void pam_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    /* Only reached when not RE|WE: QEMU's read-only RAM or PCI space. */
}

static const MemoryRegionOps pam_ops = {
    .read = pam_read,
    .write = pam_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 8,
};

void pam_init(PAMState *s, Object *owner, MemoryRegion *ram)
{
    for (int k = 0; k < PAM_NR_REGIONS; k++) {
        PAMRegion *r = &s->region[k];
        hwaddr start = k ? 0xc0000 + (k - 1) * 0x4000 : 0xf0000;

        r->ram = ram;
        r->start = start;
        memory_region_init_io(&r->mr, owner, &pam_ops, r, "pam",
                              k ? 0x4000 : 0x10000);
        memory_region_add_subregion_overlap(get_system_memory(), start,
                                            &r->mr, 1);
    }
}

void pam_update(PAMState *s, const uint8_t *regs)
{
    for (int k = 0; k < PAM_NR_REGIONS; k++) {
        PAMRegion *r = &s->region[k];
        uint8_t v = regs[(k + 1) / 2];

        r->mode = (k & 1 ? v : v >> 4) & (PAM_RE | PAM_WE);
        memory_region_set_enabled(&r->mr, r->mode != (PAM_RE | PAM_WE));
    }
}

void pam_finalize(PAMState *s)
{
    for (int k = 0; k < PAM_NR_REGIONS; k++) {
        memory_region_finalize(&s->region[k].mr);
    }
}
