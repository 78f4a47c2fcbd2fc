/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Enum name tables for the QAPI-generated code. */
#include <string.h>
#include "qapi/error.h"
#include "qapi/util.h"

int qapi_enum_parse(const QEnumLookup *lookup, const char *buf, int def,
                    GError **errp)
{
    int i;

    if (!buf) {
        return def;
    }
    for (i = 0; i < lookup->size; i++) {
        if (!strcmp(lookup->array[i], buf)) {
            return i;
        }
    }
    error_setg(errp, "invalid parameter value: %s", buf);
    return def;
}

const char *qapi_enum_lookup(const QEnumLookup *lookup, int val)
{
    g_assert(val >= 0 && val < lookup->size);
    return lookup->array[val];
}
