/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The balloon QMP commands talk to the one balloon device through this. */
#ifndef SYSTEM_BALLOON_H
#define SYSTEM_BALLOON_H

#include <stdint.h>
#include "qapi/qapi-types.h"

/* Ask the guest to leave the VM `target` bytes of RAM. */
typedef void QEMUBalloonEvent(void *opaque, uint64_t target);
/* The VM's current logical size (RAM minus what the balloon holds). */
typedef void QEMUBalloonStatus(void *opaque, BalloonInfo *info);

/* One balloon per VM: false if another is registered already. */
bool qemu_add_balloon_handler(QEMUBalloonEvent *event_func,
                              QEMUBalloonStatus *stat_func, void *opaque);
void qemu_remove_balloon_handler(void *opaque);

#endif
