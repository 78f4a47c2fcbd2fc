/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QEMU's key=value option syntax, as -device, -netdev, -chardev use it. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "qapi/error.h"
#include "qemu/json-num.h"
#include "qemu/json-stream.h"
#include "qemu/option.h"

static void qemu_opt_free(gpointer p)
{
    QemuOpt *opt = p;
    g_free(opt->name);
    g_free(opt->str);
    g_free(opt);
}

QemuOpts *qemu_opts_new(void)
{
    QemuOpts *opts = g_new0(QemuOpts, 1);
    opts->list = g_ptr_array_new_with_free_func(qemu_opt_free);
    return opts;
}

void qemu_opts_free(QemuOpts *opts)
{
    if (opts) {
        g_ptr_array_free(opts->list, TRUE);
        g_free(opts);
    }
}

void qemu_opt_set(QemuOpts *opts, const char *name, const char *value)
{
    QemuOpt *opt = g_new0(QemuOpt, 1);
    opt->name = g_strdup(name);
    opt->str = g_strdup(value);
    g_ptr_array_add(opts->list, opt);
}

QemuOpts *qemu_opts_copy(const QemuOpts *opts)
{
    QemuOpts *copy = qemu_opts_new();
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        qemu_opt_set(copy, opt->name, opt->str);
    }
    return copy;
}

static QemuOpt *find_opt(const QemuOpts *opts, const char *name)
{
    for (guint i = opts->list->len; i > 0; i--) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i - 1);
        if (strcmp(opt->name, name) == 0) {
            return opt;
        }
    }
    return NULL;
}

const char *qemu_opt_get(const QemuOpts *opts, const char *name)
{
    QemuOpt *opt = find_opt(opts, name);
    return opt ? opt->str : NULL;
}

bool qemu_opt_has(const QemuOpts *opts, const char *name)
{
    return find_opt(opts, name) != NULL;
}

void qemu_opt_unset(QemuOpts *opts, const char *name)
{
    for (guint i = opts->list->len; i > 0; i--) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i - 1);
        if (strcmp(opt->name, name) == 0) {
            g_ptr_array_remove_index(opts->list, i - 1);
        }
    }
}

bool qapi_bool_parse(const char *name, const char *value, bool *obj,
                     GError **errp)
{
    if (!strcmp(value, "on") || !strcmp(value, "yes") ||
        !strcmp(value, "true") || !strcmp(value, "y")) {
        *obj = true;
        return true;
    }
    if (!strcmp(value, "off") || !strcmp(value, "no") ||
        !strcmp(value, "false") || !strcmp(value, "n")) {
        *obj = false;
        return true;
    }
    error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
    return false;
}

bool qemu_opt_get_bool(const QemuOpts *opts, const char *name, bool def,
                       GError **errp)
{
    const char *v = qemu_opt_get(opts, name);
    bool b = def;
    if (v && !qapi_bool_parse(name, v, &b, errp)) {
        return def;
    }
    return b;
}

/*
 * Parse a size.  unit is what a bare number means (1 for bytes, 1 MiB for
 * -m).  Fractions are allowed with a suffix ("1.5G"), as in QEMU.
 */
static int parse_size(const char *s, uint64_t unit, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || isspace((unsigned char)*s) || *s == '-') {
        return -EINVAL;
    }
    double frac = 0;
    uint64_t whole;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        whole = strtoull(s, &end, 16);
    } else {
        whole = strtoull(s, &end, 10);
        if (*end == '.') {
            char *fend;
            frac = strtod(end, &fend);
            end = fend;
        }
    }
    if (errno == ERANGE) {
        return -ERANGE;
    }
    if (end == s) {
        return -EINVAL;
    }
    uint64_t mul = unit;
    switch (*end) {
    case 'B': case 'b': mul = 1; end++; break;
    case 'K': case 'k': mul = 1ULL << 10; end++; break;
    case 'M': case 'm': mul = 1ULL << 20; end++; break;
    case 'G': case 'g': mul = 1ULL << 30; end++; break;
    case 'T': case 't': mul = 1ULL << 40; end++; break;
    case 'P': case 'p': mul = 1ULL << 50; end++; break;
    case 'E': case 'e': mul = 1ULL << 60; end++; break;
    case '\0': break;
    default: return -EINVAL;
    }
    if (*end) {
        return -EINVAL;
    }
    if (frac != 0 && mul == 1) {
        return -EINVAL;
    }
    if (whole > UINT64_MAX / mul) {
        return -ERANGE;
    }
    uint64_t v = whole * mul;
    uint64_t f = (uint64_t)(frac * (double)mul);
    if (v + f < v) {
        return -ERANGE;
    }
    *out = v + f;
    return 0;
}

static void size_error(GError **errp, const char *name)
{
    error_setg(errp, "Parameter '%s' expects a non-negative number below "
               "2^64\nOptional suffix k, M, G, T, P or E means kilo-, "
               "mega-, giga-, tera-, peta-\nand exabytes, respectively.",
               name);
}

bool qemu_strtosz(const char *name, const char *value, uint64_t *size,
                  GError **errp)
{
    if (parse_size(value, 1, size) < 0) {
        size_error(errp, name);
        return false;
    }
    return true;
}

bool qemu_strtosz_MiB(const char *name, const char *value, uint64_t *size,
                      GError **errp)
{
    if (parse_size(value, 1ULL << 20, size) < 0) {
        size_error(errp, name);
        return false;
    }
    return true;
}

bool qemu_opt_get_size(const QemuOpts *opts, const char *name, uint64_t def,
                       uint64_t *value, GError **errp)
{
    const char *v = qemu_opt_get(opts, name);
    if (!v) {
        *value = def;
        return true;
    }
    return qemu_strtosz(name, v, value, errp);
}

/* Copy from *p up to an unescaped delim (",," stands for ','). */
static char *get_segment(const char **p, char delim, bool stop_at_comma)
{
    GString *s = g_string_new(NULL);
    const char *q = *p;
    while (*q) {
        if (*q == ',') {
            if (q[1] == ',') {
                g_string_append_c(s, ',');
                q += 2;
                continue;
            }
            if (stop_at_comma) {
                break;
            }
        }
        if (*q == delim) {
            break;
        }
        g_string_append_c(s, *q);
        q++;
    }
    *p = q;
    return g_string_free(s, FALSE);
}

QemuOpts *qemu_opts_parse(const char *params, const char *implied_key,
                          GError **errp)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();
    const char *p = params;
    bool first = true;

    while (*p) {
        const char *start = p;
        g_autofree char *key = get_segment(&p, '=', true);
        g_autofree char *value = NULL;

        if (*p == '=') {
            p++;
            value = get_segment(&p, ',', true);
        } else if (first && implied_key) {
            value = g_steal_pointer(&key);
            key = g_strdup(implied_key);
        } else if (key[0] == '\0') {
            error_setg(errp, "Invalid parameter ''");
            return NULL;
        } else if (g_str_has_prefix(key, "no") && strcmp(key, "no") &&
                   strcmp(key, "nodefaults")) {
            /* Short form "noflag" means flag=off, as QEMU still takes it. */
            char *k = g_strdup(key + 2);
            g_free(key);
            key = k;
            value = g_strdup("off");
        } else {
            value = g_strdup("on");
        }
        if (key[0] == '\0' && !(first && implied_key)) {
            (void)start;
            error_setg(errp, "Invalid parameter ''");
            return NULL;
        }
        qemu_opt_set(opts, key, value);
        first = false;
        if (*p == ',') {
            p++;
        }
    }
    return g_steal_pointer(&opts);
}

QemuOpts *qemu_opts_from_json(JsonObject *args)
{
    QemuOpts *opts = qemu_opts_new();
    g_autoptr(GList) members = json_object_get_members(args);

    for (GList *l = members; l; l = l->next) {
        const char *name = l->data;
        JsonNode *node = json_object_get_member(args, name);
        if (!JSON_NODE_HOLDS_VALUE(node)) {
            continue;           /* lists and objects: ignored, as QEMU 8.1 */
        }
        GType t = json_node_get_value_type(node);
        g_autofree char *s = NULL;
        if (t == G_TYPE_STRING) {
            s = g_strdup(json_node_get_string(node));
        } else if (t == G_TYPE_BOOLEAN) {
            s = g_strdup(json_node_get_boolean(node) ? "on" : "off");
        } else if (json_node_is_big_uint(node)) {
            s = g_strdup_printf("%" G_GUINT64_FORMAT,
                                (guint64)json_node_get_int(node));
        } else if (t == G_TYPE_INT64) {
            s = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
        } else if (t == G_TYPE_DOUBLE) {
            s = g_strdup_printf("%.17g", json_node_get_double(node));
        } else {
            continue;
        }
        qemu_opt_set(opts, name, s);
    }
    return opts;
}

static void add_json_node(QemuOpts *opts, const char *key, JsonNode *node);

static void add_json_object(QemuOpts *opts, const char *prefix,
                            JsonObject *obj, const char *const *skip)
{
    g_autoptr(GList) names = json_object_get_members(obj);

    for (GList *l = names; l; l = l->next) {
        const char *name = l->data;
        g_autofree char *key = NULL;

        if (skip && g_strv_contains(skip, name)) {
            continue;
        }
        key = prefix ? g_strdup_printf("%s.%s", prefix, name)
                     : g_strdup(name);
        add_json_node(opts, key, json_object_get_member(obj, name));
    }
}

static void add_json_node(QemuOpts *opts, const char *key, JsonNode *node)
{
    switch (json_node_get_node_type(node)) {
    case JSON_NODE_OBJECT: {
        JsonObject *obj = json_node_get_object(node);

        /* QAPI's String wrapper ({"str": s}, e.g. hostfwd) is just s. */
        if (json_object_get_size(obj) == 1 &&
            json_object_has_member(obj, "str")) {
            add_json_node(opts, key, json_object_get_member(obj, "str"));
        } else {
            add_json_object(opts, key, obj, NULL);
        }
        break;
    }
    case JSON_NODE_ARRAY: {
        JsonArray *a = json_node_get_array(node);

        for (guint i = 0; i < json_array_get_length(a); i++) {
            add_json_node(opts, key, json_array_get_element(a, i));
        }
        break;
    }
    case JSON_NODE_VALUE: {
        GType t = json_node_get_value_type(node);
        g_autofree char *s = NULL;

        if (t == G_TYPE_BOOLEAN) {
            s = g_strdup(json_node_get_boolean(node) ? "on" : "off");
        } else if (json_node_is_big_uint(node)) {
            s = g_strdup_printf("%" G_GUINT64_FORMAT,
                                (guint64)json_node_get_int(node));
        } else if (t == G_TYPE_INT64) {
            s = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
        } else if (t == G_TYPE_DOUBLE) {
            s = g_strdup_printf("%.17g", json_node_get_double(node));
        } else {
            s = g_strdup(json_node_get_string(node));
        }
        qemu_opt_set(opts, key, s);
        break;
    }
    case JSON_NODE_NULL:
        break;
    }
}

void qemu_opts_add_json_nested(QemuOpts *opts, JsonObject *obj,
                               const char *const *skip)
{
    add_json_object(opts, NULL, obj, skip);
}

QemuOpts *qemu_opts_parse_json(const char *str, bool nested, GError **errp)
{
    /* QMP's parser: QEMU's dialect and strictness (a key once), not glib's. */
    g_autoptr(JsonNode) root = json_parse_string(str, errp);
    QemuOpts *opts;

    if (!root) {
        return NULL;
    }
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        error_setg(errp, "JSON option must be an object");
        return NULL;
    }
    if (!nested) {
        return qemu_opts_from_json(json_node_get_object(root));
    }
    opts = qemu_opts_new();
    qemu_opts_add_json_nested(opts, json_node_get_object(root), NULL);
    return opts;
}

char *qemu_opts_to_string(const QemuOpts *opts)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        if (i) {
            g_string_append_c(s, ',');
        }
        g_string_append_printf(s, "%s=", opt->name);
        for (const char *c = opt->str; *c; c++) {
            if (*c == ',') {
                g_string_append_c(s, ',');
            }
            g_string_append_c(s, *c);
        }
    }
    return g_string_free(s, FALSE);
}

bool id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (int i = 1; id[i]; i++) {
        if (!g_ascii_isalnum(id[i]) && !strchr("-._", id[i])) {
            return false;
        }
    }
    return true;
}
