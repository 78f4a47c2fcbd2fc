/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Support for QAPI-generated code: the name tables of enums.  Kept apart
 * from the generated headers so hand-written headers (qdev properties) can
 * use QEnumLookup without pulling in the whole schema.
 */
#ifndef QAPI_UTIL_H
#define QAPI_UTIL_H

#include <glib.h>

typedef struct QEnumLookup {
    const char *const *array;   /* value -> name */
    int size;
} QEnumLookup;

/*
 * The value named buf, or def if buf is NULL.  An unknown name sets
 * "invalid parameter value: BUF" and returns def.
 */
int qapi_enum_parse(const QEnumLookup *lookup, const char *buf, int def,
                    GError **errp);
/* The name of val; val must be in range. */
const char *qapi_enum_lookup(const QEnumLookup *lookup, int val);

#endif
