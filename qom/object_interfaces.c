/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -object and object-add/object-del for every type implementing the
 * user-creatable interface: set the properties, place the object at
 * /objects/ID, then let the type complete it.
 */
#include "qom/object_interfaces.h"

#include <stdio.h>
#include <string.h>

#include "qapi/error.h"
#include "qapi/qapi-commands.h"

Object *object_get_objects_root(void)
{
    return container_get(object_get_root(), "/objects");
}

static ObjectClass *creatable_class(const char *type)
{
    ObjectClass *oc = type ? object_class_by_name(type) : NULL;

    if (!oc || object_class_is_abstract(oc) ||
        !object_class_dynamic_cast(oc, TYPE_USER_CREATABLE)) {
        return NULL;
    }
    return oc;
}

bool user_creatable_is_late(const QemuOpts *opts)
{
    ObjectClass *oc = creatable_class(qemu_opt_get(opts, "qom-type"));

    return oc && USER_CREATABLE_CLASS(oc)->late;
}

bool user_creatable_print_help(const QemuOpts *opts)
{
    const char *type = qemu_opt_get(opts, "qom-type");

    if (type && !strcmp(type, "help")) {
        g_autoptr(GSList) list = object_class_get_list(TYPE_USER_CREATABLE,
                                                       false);

        printf("List of user creatable objects:\n");
        for (GSList *l = list; l; l = l->next) {
            printf("  %s\n", object_class_get_name(l->data));
        }
        return true;
    }
    return false;
}

Object *user_creatable_add_opts(QemuOpts *opts, GError **errp)
{
    const char *type = qemu_opt_get(opts, "qom-type");
    const char *id = qemu_opt_get(opts, "id");
    UserCreatableClass *ucc;
    ObjectClass *oc;
    Object *obj;

    if (!type) {
        error_setg(errp, "Parameter 'qom-type' is missing");
        return NULL;
    }
    oc = creatable_class(type);
    if (!oc) {
        error_setg(errp, "invalid object type: %s", type);
        return NULL;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return NULL;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return NULL;
    }
    if (object_resolve_path_component(object_get_objects_root(), id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object "
                   "(type 'container')", id);
        return NULL;
    }
    obj = object_new(type);
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);
        if (!strcmp(o->name, "qom-type") || !strcmp(o->name, "id")) {
            continue;
        }
        if (!object_property_parse(obj, o->name, o->str, errp)) {
            object_unref(obj);
            return NULL;
        }
    }
    object_property_add_child(object_get_objects_root(), id, obj);
    object_unref(obj);
    ucc = USER_CREATABLE_GET_CLASS(obj);
    if (ucc->complete && !ucc->complete(obj, errp)) {
        object_unparent(obj);
        return NULL;
    }
    return obj;
}

bool user_creatable_del(const char *id, GError **errp)
{
    Object *obj = object_resolve_path_component(object_get_objects_root(),
                                                id);
    UserCreatableClass *ucc;

    if (!obj) {
        error_setg(errp, "object '%s' not found", id);
        return false;
    }
    ucc = USER_CREATABLE_GET_CLASS(obj);
    if (ucc->can_be_deleted && !ucc->can_be_deleted(obj)) {
        error_setg(errp, "object '%s' is in use, can not be deleted", id);
        return false;
    }
    object_unparent(obj);
    return true;
}

void qmp_marshal_object_add(JsonObject *args, JsonNode **ret, GError **errp)
{
    g_autoptr(QemuOpts) opts = qemu_opts_from_json(args);

    if (!user_creatable_add_opts(opts, errp)) {
        return;
    }
    g_autoptr(JsonObject) empty = json_object_new();
    *ret = json_node_init_object(json_node_alloc(), empty);
}

void qmp_object_del(const char *id, GError **errp)
{
    user_creatable_del(id, errp);
}

static void user_creatable_register(void)
{
    static const TypeInfo info = {
        .name = TYPE_USER_CREATABLE,
        .parent = TYPE_INTERFACE,
        .class_size = sizeof(UserCreatableClass),
    };

    type_register_static(&info);
}
type_init(user_creatable_register)
