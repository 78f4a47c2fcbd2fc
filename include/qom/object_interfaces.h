/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User-creatable objects: -object TYPE,id=ID,... and object-add/object-del.
 * They live at /objects/ID: memory backends and secrets.
 */
#ifndef QOM_OBJECT_INTERFACES_H
#define QOM_OBJECT_INTERFACES_H

#include "qom/object.h"
#include "qemu/option.h"

/* opts holds "qom-type" (or the implied key) and "id"; the rest are props. */
Object *user_creatable_add_opts(QemuOpts *opts, GError **errp);
/* -object help / -object TYPE,help: print and return true. */
bool user_creatable_print_help(const QemuOpts *opts);
bool user_creatable_del(const char *id, GError **errp);

#endif
