/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP's view of the object model: qom-list, qom-get, qom-set, qom-list-types,
 * qom-list-properties.
 */
#include "qom/object.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"

static Object *resolve_or_error(const char *path, bool report_ambiguous,
                                GError **errp)
{
    bool ambiguous = false;
    Object *obj = object_resolve_path(path, &ambiguous);

    if (!obj) {
        if (ambiguous && report_ambiguous) {
            error_setg(errp, "Path '%s' is ambiguous", path);
        } else {
            error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                      "Device '%s' not found", path);
        }
    }
    return obj;
}

static void list_one(ObjectProperty *prop, void *opaque)
{
    ObjectPropertyInfoList ***tail = opaque;
    ObjectPropertyInfoList *elem = g_new0(ObjectPropertyInfoList, 1);

    elem->value = g_new0(ObjectPropertyInfo, 1);
    elem->value->name = g_strdup(prop->name);
    elem->value->type = g_strdup(prop->type);
    elem->value->description = g_strdup(prop->description);
    **tail = elem;
    *tail = &elem->next;
}

ObjectPropertyInfoList *qmp_qom_list(const char *path, GError **errp)
{
    Object *obj = resolve_or_error(path, true, errp);
    ObjectPropertyInfoList *head = NULL;
    ObjectPropertyInfoList **tail = &head;

    if (!obj) {
        return NULL;
    }
    object_property_foreach(obj, list_one, &tail);
    return head;
}

/* QEMU's qom-get/qom-set report an ambiguous path as not found. */
JsonNode *qmp_qom_get(const char *path, const char *property, GError **errp)
{
    Object *obj = resolve_or_error(path, false, errp);

    return obj ? object_property_get(obj, property, errp) : NULL;
}

void qmp_qom_set(const char *path, const char *property, JsonNode *value,
                 GError **errp)
{
    Object *obj = resolve_or_error(path, false, errp);

    if (obj) {
        qom_set_typed_input(true);
        object_property_set(obj, property, value, errp);
        qom_set_typed_input(false);
    }
}

ObjectTypeInfoList *qmp_qom_list_types(const char *implements,
                                       bool has_abstract, bool abstract,
                                       GError **errp)
{
    g_autoptr(GSList) list = NULL;
    ObjectTypeInfoList *head = NULL;
    ObjectTypeInfoList **tail = &head;

    /* An unknown "implements" type matches nothing, as in QEMU. */
    if (implements && !object_class_by_name(implements)) {
        return NULL;
    }
    list = object_class_get_list(implements, has_abstract && abstract);
    for (GSList *l = list; l; l = l->next) {
        ObjectClass *oc = l->data;
        ObjectClass *parent = object_class_get_parent(oc);
        ObjectTypeInfoList *elem = g_new0(ObjectTypeInfoList, 1);
        ObjectTypeInfo *info = g_new0(ObjectTypeInfo, 1);

        info->name = g_strdup(object_class_get_name(oc));
        info->has_abstract = info->abstract = object_class_is_abstract(oc);
        info->parent = parent ? g_strdup(object_class_get_name(parent)) : NULL;
        elem->value = info;
        *tail = elem;
        tail = &elem->next;
    }
    return head;
}

/*
 * The properties an object of a type has: an abstract type's class
 * properties, else those of a fresh instance (its instance_init may add
 * more).
 */
ObjectPropertyInfoList *qmp_qom_list_properties(const char *typename,
                                                GError **errp)
{
    ObjectClass *oc = object_class_by_name(typename);
    ObjectPropertyInfoList *head = NULL;
    ObjectPropertyInfoList **tail = &head;
    Object *obj;

    if (!oc) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Class '%s' not found",
                  typename);
        return NULL;
    }
    if (!object_class_dynamic_cast(oc, TYPE_OBJECT)) {
        error_setg(errp, "Parameter 'typename' expects a QOM type");
        return NULL;
    }
    if (object_class_is_abstract(oc)) {
        object_class_property_foreach(oc, list_one, &tail);
        return head;
    }
    obj = object_new(typename);
    object_property_foreach(obj, list_one, &tail);
    object_unref(obj);
    return head;
}
