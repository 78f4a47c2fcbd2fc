/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -object secret.  Nothing in baton consumes secrets yet (no disks, no TLS),
 * but libvirt passes its master key on every command line, so the object is
 * created, its file read and decoded, and its properties readable.
 */
#include "backends/secret.h"

#include <string.h>

#include "qapi/error.h"
#include "qom/object_interfaces.h"

static char *secret_get_data(Object *obj, GError **errp)
{
    return g_strdup(SECRET(obj)->data);
}

static char *secret_get_file(Object *obj, GError **errp)
{
    return g_strdup(SECRET(obj)->file);
}

static char *secret_get_keyid(Object *obj, GError **errp)
{
    return g_strdup(SECRET(obj)->keyid);
}

static char *secret_get_iv(Object *obj, GError **errp)
{
    return g_strdup(SECRET(obj)->iv);
}

/* Properties are fixed once the secret is loaded, as in QEMU. */
static bool secret_check_unloaded(Object *obj, GError **errp)
{
    if (SECRET(obj)->raw) {
        error_setg(errp, "Cannot change property value after secret is "
                   "loaded");
        return false;
    }
    return true;
}

static void secret_set_str(Object *obj, char **field, const char *v,
                           GError **errp)
{
    if (secret_check_unloaded(obj, errp)) {
        g_free(*field);
        *field = g_strdup(v);
    }
}

static void secret_set_data(Object *obj, const char *v, GError **errp)
{
    secret_set_str(obj, &SECRET(obj)->data, v, errp);
}

static void secret_set_file(Object *obj, const char *v, GError **errp)
{
    secret_set_str(obj, &SECRET(obj)->file, v, errp);
}

static void secret_set_keyid(Object *obj, const char *v, GError **errp)
{
    secret_set_str(obj, &SECRET(obj)->keyid, v, errp);
}

static void secret_set_iv(Object *obj, const char *v, GError **errp)
{
    secret_set_str(obj, &SECRET(obj)->iv, v, errp);
}

static char *secret_get_format(Object *obj, GError **errp)
{
    return g_strdup(SECRET(obj)->base64 ? "base64" : "raw");
}

static void secret_set_format(Object *obj, const char *v, GError **errp)
{
    if (!secret_check_unloaded(obj, errp)) {
        return;
    }
    if (strcmp(v, "raw") && strcmp(v, "base64")) {
        error_setg(errp, "Parameter 'format' does not accept value '%s'", v);
        return;
    }
    SECRET(obj)->base64 = !strcmp(v, "base64");
}

static bool secret_get_loaded(Object *obj, GError **errp)
{
    return SECRET(obj)->raw != NULL;
}

/* Loading happens in secret_complete; "loaded" is for reading only. */
static void secret_set_loaded(Object *obj, bool v, GError **errp)
{
    if (v != secret_get_loaded(obj, errp)) {
        error_setg(errp, "'loaded' is set when the object is created");
    }
}

static bool secret_is_base64(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (!g_ascii_isalnum(s[i]) && !strchr("+/=\n\r", s[i])) {
            return false;
        }
    }
    return true;
}

static bool secret_complete(Object *obj, GError **errp)
{
    Secret *s = SECRET(obj);
    g_autofree char *input = NULL;
    size_t len;

    if (s->keyid || s->iv) {
        /* Secrets encrypted with another secret need AES; not provided. */
        error_setg(errp, "baton cannot decrypt secrets: 'keyid' and 'iv' "
                   "are not supported");
        return false;
    }
    if (s->file) {
        g_autoptr(GError) gerr = NULL;

        if (s->data) {
            error_setg(errp, "'file' and 'data' are mutually exclusive");
            return false;
        }
        if (!g_file_get_contents(s->file, &input, &len, &gerr)) {
            error_setg(errp, "Unable to read %s: %s", s->file,
                       gerr->message);
            return false;
        }
    } else if (s->data) {
        input = g_strdup(s->data);
        len = strlen(input);
    } else {
        error_setg(errp, "Either 'file' or 'data' must be provided");
        return false;
    }
    if (s->base64) {
        gsize out;

        if (!secret_is_base64(input, len)) {
            error_setg(errp, "Base64 data contains invalid characters");
            return false;
        }
        s->raw = g_base64_decode(input, &out);
        s->rawlen = out;
    } else {
        s->raw = (uint8_t *)g_steal_pointer(&input);
        s->rawlen = len;
    }
    if (!s->raw) {
        /* An empty secret is valid; keep "loaded" meaningful. */
        s->raw = g_malloc0(1);
    }
    return true;
}

static void secret_finalize(Object *obj)
{
    Secret *s = SECRET(obj);

    g_free(s->data);
    g_free(s->file);
    g_free(s->keyid);
    g_free(s->iv);
    if (s->raw) {
        memset(s->raw, 0, s->rawlen);
        g_free(s->raw);
    }
}

static void secret_class_init(ObjectClass *oc, void *data)
{
    USER_CREATABLE_CLASS(oc)->complete = secret_complete;
    object_class_property_add_str(oc, "data", secret_get_data,
                                  secret_set_data);
    object_class_property_add_str(oc, "file", secret_get_file,
                                  secret_set_file);
    object_class_property_add_str(oc, "keyid", secret_get_keyid,
                                  secret_set_keyid);
    object_class_property_add_str(oc, "iv", secret_get_iv, secret_set_iv);
    object_class_property_add_str(oc, "format", secret_get_format,
                                  secret_set_format);
    object_class_property_add_bool(oc, "loaded", secret_get_loaded,
                                   secret_set_loaded);
}

static const TypeInfo secret_info = {
    .name = TYPE_SECRET,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Secret),
    .instance_finalize = secret_finalize,
    .class_init = secret_class_init,
    .interfaces = (const InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { NULL },
    },
};

static void secret_register(void)
{
    type_register_static(&secret_info);
}
type_init(secret_register)
