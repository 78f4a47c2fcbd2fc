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
#include "qemu/qemu-print.h"

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

        qemu_printf("List of user creatable objects:\n");
        for (GSList *l = list; l; l = l->next) {
            qemu_printf("  %s\n", object_class_get_name(l->data));
        }
        return true;
    }
    return false;
}

/* The checks before an object is made, in QEMU's order. */
static bool user_creatable_check(const char *type, const char *id,
                                 GError **errp)
{
    if (!type) {
        error_setg(errp, "Parameter 'qom-type' is missing");
        return false;
    }
    if (!creatable_class(type)) {
        error_setg(errp, "invalid object type: %s", type);
        return false;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return false;
    }
    if (object_resolve_path_component(object_get_objects_root(), id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object "
                   "(type 'container')", id);
        return false;
    }
    return true;
}

/* Properties are set: place obj at /objects/ID and let its type finish. */
static Object *user_creatable_complete(Object *obj, const char *id,
                                       GError **errp)
{
    UserCreatableClass *ucc;

    object_property_add_child(object_get_objects_root(), id, obj);
    object_unref(obj);
    ucc = USER_CREATABLE_GET_CLASS(obj);
    if (ucc->complete && !ucc->complete(obj, errp)) {
        object_unparent(obj);
        return NULL;
    }
    return obj;
}

static bool is_creation_member(const char *name)
{
    return !strcmp(name, "qom-type") || !strcmp(name, "id");
}

Object *user_creatable_add_opts(QemuOpts *opts, GError **errp)
{
    const char *type = qemu_opt_get(opts, "qom-type");
    const char *id = qemu_opt_get(opts, "id");
    Object *obj;

    if (!user_creatable_check(type, id, errp)) {
        return NULL;
    }
    obj = object_new(type);
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);
        if (is_creation_member(o->name)) {
            continue;
        }
        if (!object_property_parse(obj, o->name, o->str, errp)) {
            object_unref(obj);
            return NULL;
        }
    }
    return user_creatable_complete(obj, id, errp);
}

static const char *member_str(JsonObject *args, const char *name,
                              GError **errp)
{
    JsonNode *n = json_object_get_member(args, name);

    if (n && (!JSON_NODE_HOLDS_VALUE(n) ||
              json_node_get_value_type(n) != G_TYPE_STRING)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: string",
                   name);
        return NULL;
    }
    return n ? json_node_get_string(n) : NULL;
}

/*
 * object-add: QMP's arguments are typed JSON and are set as they are (a
 * size given as a string is refused, as by QEMU's QAPI visitor), where
 * -object's text is parsed.
 */
static Object *user_creatable_add_json(JsonObject *args, GError **errp)
{
    GError *err = NULL;
    const char *type = member_str(args, "qom-type", &err);
    const char *id = err ? NULL : member_str(args, "id", &err);
    g_autoptr(GList) members = NULL;
    Object *obj;
    bool ok = true;

    if (err) {
        g_propagate_error(errp, err);
        return NULL;
    }
    if (!user_creatable_check(type, id, errp)) {
        return NULL;
    }
    obj = object_new(type);
    members = json_object_get_members(args);
    qom_set_typed_input(true);
    for (GList *l = members; l && ok; l = l->next) {
        if (!is_creation_member(l->data)) {
            ok = object_property_set(obj, l->data,
                                     json_object_get_member(args, l->data),
                                     errp);
        }
    }
    qom_set_typed_input(false);
    if (!ok) {
        object_unref(obj);
        return NULL;
    }
    return user_creatable_complete(obj, id, errp);
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
    g_autoptr(JsonObject) none = json_object_new();

    if (!user_creatable_add_json(args ? args : none, errp)) {
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
