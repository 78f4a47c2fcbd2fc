/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User-creatable objects: -object TYPE,id=ID,... and object-add/object-del.
 * They live at /objects/ID.  A type is user-creatable when it implements
 * the "user-creatable" interface: memory backends, secrets, network
 * filters.
 */
#ifndef QOM_OBJECT_INTERFACES_H
#define QOM_OBJECT_INTERFACES_H

#include "qom/object.h"
#include "qemu/option.h"

#define TYPE_USER_CREATABLE "user-creatable"

typedef struct UserCreatableClass {
    InterfaceClass parent;
    /*
     * After the properties are set, with the object already at
     * /objects/ID (its id is its path component).  On failure the object
     * is removed again.
     */
    bool (*complete)(Object *obj, GError **errp);
    /* May object-del remove it now?  NULL: always. */
    bool (*can_be_deleted)(Object *obj);
    /*
     * Created after the network backends (-object filter-*): it refers to
     * one.  Objects without it come first, before the machine.
     */
    bool late;
} UserCreatableClass;

#define USER_CREATABLE_CLASS(oc) \
    OBJECT_CLASS_CHECK(UserCreatableClass, (oc), TYPE_USER_CREATABLE)
#define USER_CREATABLE_GET_CLASS(obj) \
    OBJECT_GET_CLASS(UserCreatableClass, (obj), TYPE_USER_CREATABLE)

/* opts holds "qom-type" (or the implied key) and "id"; the rest are props. */
Object *user_creatable_add_opts(QemuOpts *opts, GError **errp);
/* Is -object opts created after the network backends?  */
bool user_creatable_is_late(const QemuOpts *opts);
/* -object help / -object TYPE,help: print and return true. */
bool user_creatable_print_help(const QemuOpts *opts);
bool user_creatable_del(const char *id, GError **errp);
/* /objects */
Object *object_get_objects_root(void);

#endif
