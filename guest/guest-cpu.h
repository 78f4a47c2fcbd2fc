/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in guest as the accelerator sees it (accel/tcg.c). */
#ifndef GUEST_GUEST_CPU_H
#define GUEST_GUEST_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

/* Under tcg, after the machine exists: wire the vCPU up. */
void guest_cpu_init(void);
/* One run of the guest; returns the next wake-up (virtual ns) or -1. */
int64_t guest_run(void);
/* Start-up check of the opt/org.baton/ fw_cfg knobs. */
bool guest_check_knobs(GError **errp);

#endif
