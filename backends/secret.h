/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -object secret: a password or key given inline (data=) or in a file
 * (file=), raw or base64.  libvirt always creates one (its master key).
 */
#ifndef BACKENDS_SECRET_H
#define BACKENDS_SECRET_H

#include "qom/object.h"

#define TYPE_SECRET "secret"

typedef struct Secret {
    Object parent_obj;
    char *data;
    char *file;
    char *keyid;
    char *iv;
    bool base64;                /* format=base64 (default raw) */
    uint8_t *raw;               /* the decoded secret, once loaded */
    size_t rawlen;
} Secret;

#define SECRET(obj) OBJECT_CHECK(Secret, (obj), TYPE_SECRET)

#endif
