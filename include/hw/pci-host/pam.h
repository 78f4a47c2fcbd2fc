/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PAM (Programmable Attribute Map): seven host bridge registers that say,
 * per segment of 0xc0000..0xfffff, whether reads and writes go to RAM.
 * Shared by the i440FX (registers at 0x59) and the q35 MCH (0x90).
 */
#ifndef HW_PCI_HOST_PAM_H
#define HW_PCI_HOST_PAM_H

#include "exec/memory.h"

#define PAM_NR_REGIONS  13      /* 0xf0000 (64K), then 12 x 16K from 0xc0000 */
#define PAM_RE          0x1
#define PAM_WE          0x2

typedef struct PAMRegion {
    MemoryRegion mr;            /* over RAM while not plain read/write RAM */
    MemoryRegion *ram;
    hwaddr start;
    uint8_t mode;               /* PAM_RE | PAM_WE */
} PAMRegion;

typedef struct PAMState {
    PAMRegion region[PAM_NR_REGIONS];
} PAMState;

/* Map the segments over system memory (ram: the machine's RAM region). */
void pam_init(PAMState *s, Object *owner, MemoryRegion *ram);
/* Apply the seven PAM registers (regs[0] is PAM0). */
void pam_update(PAMState *s, const uint8_t *regs);
void pam_finalize(PAMState *s);

#endif
