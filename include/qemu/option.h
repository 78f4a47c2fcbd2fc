/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Options in QEMU's key=value syntax: "driver,id=x,mac=52:54:00:00:00:01".
 * ",," is a literal comma, the first element may be a bare value for an
 * implied key, and a bare "flag" means "flag=on".  QemuOpts keeps the pairs
 * in the order given; lookups return the last value set for a key.
 */
#ifndef QEMU_OPTION_H
#define QEMU_OPTION_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct QemuOpt {
    char *name;
    char *str;
} QemuOpt;

typedef struct QemuOpts {
    GPtrArray *list;            /* of QemuOpt *, in the order given */
} QemuOpts;

QemuOpts *qemu_opts_new(void);
void qemu_opts_free(QemuOpts *opts);
QemuOpts *qemu_opts_copy(const QemuOpts *opts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuOpts, qemu_opts_free)

/*
 * Parse "params".  If implied_key is non-NULL and the first element has no
 * '=', it is the value of implied_key.  Errors: "Invalid parameter ''" and
 * friends, worded as QEMU words them.
 */
QemuOpts *qemu_opts_parse(const char *params, const char *implied_key,
                          GError **errp);

/*
 * Build options from a QMP argument object (device_add, netdev_add):
 * strings are kept, numbers and booleans become their text, lists and
 * objects are ignored as QEMU 8.1 ignores them.
 */
QemuOpts *qemu_opts_from_json(JsonObject *args);

/*
 * The same with nested members as dotted keys (addr: {type: unix} ->
 * addr.type=unix, as -netdev spells them) and lists as repeated keys;
 * members named in skip (NULL-terminated, may be NULL) are left out.
 */
void qemu_opts_add_json_nested(QemuOpts *opts, JsonObject *obj,
                               const char *const *skip);
/*
 * The JSON form of an option, as libvirt writes -device, -netdev and
 * -object: '{"driver": "virtio-net-pci", "id": "nic0", ...}'.  nested:
 * flatten as qemu_opts_add_json_nested, else as qemu_opts_from_json.
 */
QemuOpts *qemu_opts_parse_json(const char *str, bool nested, GError **errp);

const char *qemu_opt_get(const QemuOpts *opts, const char *name);
bool qemu_opt_has(const QemuOpts *opts, const char *name);
/* Parse a boolean option; def if absent.  Error for a bad spelling. */
bool qemu_opt_get_bool(const QemuOpts *opts, const char *name, bool def,
                       GError **errp);
bool qemu_opt_get_size(const QemuOpts *opts, const char *name, uint64_t def,
                       uint64_t *value, GError **errp);
void qemu_opt_set(QemuOpts *opts, const char *name, const char *value);
/* Remove every value of name. */
void qemu_opt_unset(QemuOpts *opts, const char *name);
/* Turn back into "k=v,k=v" with commas doubled. */
char *qemu_opts_to_string(const QemuOpts *opts);

/*
 * The boolean spellings QEMU accepts: on/off, yes/no, true/false.
 * Error: "Parameter 'NAME' expects 'on' or 'off'".
 */
bool qapi_bool_parse(const char *name, const char *value, bool *obj,
                     GError **errp);
/*
 * Sizes with optional suffix (k, M, G, T, P, E; B for bytes); a bare
 * number is bytes.  Error: "Parameter 'NAME' expects a non-negative number
 * below 2^64" + suffix hint as QEMU words it.
 */
bool qemu_strtosz(const char *name, const char *value, uint64_t *size,
                  GError **errp);

/* Like qemu_strtosz, but a bare number means MiB (-m). */
bool qemu_strtosz_MiB(const char *name, const char *value, uint64_t *size,
                      GError **errp);

/* An identifier: a letter, then letters, digits, '-', '.', '_'. */
bool id_wellformed(const char *id);

#endif
