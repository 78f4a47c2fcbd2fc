/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -readconfig FILE: QEMU's ini format.  Each section becomes the option
 * it stands for, at the place of -readconfig on the command line:
 *
 *   # comment
 *   [device "nic0"]
 *     driver = "virtio-net-pci"
 *     netdev = "n0"
 */
#ifndef SYSTEM_READCONFIG_H
#define SYSTEM_READCONFIG_H

#include <glib.h>
#include <stdbool.h>

/*
 * One section as a command-line option: opt is the option's name
 * ("device"), args its argument ("driver=virtio-net-pci,id=nic0,..."),
 * loc "FILE:LINE" where QEMU places the section's errors.  opt is NULL for
 * a section baton accepts and ignores (as it ignores its option).
 */
typedef void ReadConfigFunc(const char *opt, const char *args,
                            const char *loc, void *opaque);

/*
 * Read path and call fn for each section, in order.  On a malformed file
 * returns false with *errp set and *err_loc the "FILE:LINE" of the error
 * (NULL when QEMU reports it without a place).
 */
bool qemu_read_config_file(const char *path, ReadConfigFunc *fn,
                           void *opaque, char **err_loc, GError **errp);

#endif
