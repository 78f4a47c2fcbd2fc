/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What object.c and object-props.c share beyond include/qom/object.h. */
#ifndef QOM_OBJECT_INTERNAL_H
#define QOM_OBJECT_INTERNAL_H

#include "qom/object.h"

/* Free prop itself (not what its release hook owns). */
void object_property_free(ObjectProperty *prop);

#endif
