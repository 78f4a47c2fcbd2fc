/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Accelerators, as QEMU names them: QOM types "<name>-accel" under the
 * abstract "accel".  baton emulates no instruction set; what runs in place
 * of the vCPU differs:
 *   qtest  the guest is a test driving the machine over the qtest protocol;
 *          the virtual clock moves only when the test moves it.
 *   tcg    the built-in guest (guest/) runs as the vCPU would, and the
 *          virtual clock runs with the host's while the VM runs.
 * There is no KVM: "kvm" is refused as QEMU refuses it on a host without
 * /dev/kvm, so "kvm:tcg" falls back to tcg.
 */
#ifndef QEMU_ACCEL_H
#define QEMU_ACCEL_H

#include <stdbool.h>
#include "qom/object.h"

#define TYPE_ACCEL "accel"
#define ACCEL_CLASS_SUFFIX "-" TYPE_ACCEL
#define ACCEL_CLASS_NAME(a) (a ACCEL_CLASS_SUFFIX)

typedef struct AccelClass {
    ObjectClass parent_class;
    const char *name;                   /* "tcg" */
    /* Chosen at start-up, before the machine exists. */
    bool (*init_machine)(GError **errp);
    /* The machine and its cold-plugged devices exist (may be NULL). */
    bool (*setup_post)(GError **errp);
} AccelClass;

#define ACCEL_CLASS(oc) OBJECT_CLASS_CHECK(AccelClass, (oc), TYPE_ACCEL)

/*
 * Try each accelerator of a ':'-separated list in turn, as QEMU does,
 * reporting each one that fails (under location loc, may be NULL) and
 * setting *failed.  True once one is in use.
 */
bool accel_try(const char *list, const char *loc, bool *failed);
/* Print the accelerators for "-accel help". */
void accel_print_help(void);
/* After machine creation: let the chosen accelerator start its vCPU. */
bool accel_setup_post(GError **errp);
/* "tcg", "qtest", or NULL before one was chosen. */
const char *current_accel_name(void);
bool tcg_enabled(void);

#endif
