/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * File descriptor sets, as QEMU has them: `-add-fd fd=N,set=M` hands the
 * process a descriptor, and the path "/dev/fdset/M" then stands for it
 * wherever a file name is opened.  libvirt passes a domain's serial log
 * this way, opened by libvirt itself.
 */
#ifndef QEMU_FDSET_H
#define QEMU_FDSET_H

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "qemu/option.h"

/*
 * One -add-fd: check fd=, set= and opaque= as QEMU does and add a
 * duplicate of the inherited descriptor to the set.  Returns the inherited
 * descriptor, which the caller closes once every -add-fd is parsed (two
 * sets may name the same one), or -1 with *errp set.
 */
int fdset_add_fd_opts(QemuOpts *opts, GError **errp);

/*
 * open(2) that also understands "/dev/fdset/N": a duplicate of the set's
 * descriptor whose access mode matches flags, given flags' O_APPEND and
 * O_TRUNC.  The result has FD_CLOEXEC.  Errors worded as QEMU's
 * qemu_open()/qemu_create().
 */
int qemu_open_path(const char *name, int flags, mode_t mode, GError **errp);

#endif
