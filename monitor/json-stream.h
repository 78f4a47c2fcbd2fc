/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Splitting a QMP byte stream into JSON values.  Input may hold several
 * values per chunk or one value over many chunks; QEMU's single-quoted
 * strings are accepted.  Oversized or over-deep values are answered with
 * one error and skipped, so the connection stays usable.
 */
#ifndef MONITOR_JSON_STREAM_H
#define MONITOR_JSON_STREAM_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stddef.h>

#define JSON_STREAM_MAX_SIZE  (1024 * 1024)     /* bytes per value */
#define JSON_STREAM_MAX_DEPTH 1024              /* nested {} and [] */

typedef struct JsonStream JsonStream;

/*
 * Called once per complete top-level value: either value (owned by the
 * callee) or err (owned by the callee) is non-NULL.
 */
typedef void JsonStreamEmit(void *opaque, JsonNode *value, GError *err);

JsonStream *json_stream_new(JsonStreamEmit *emit, void *opaque);
void json_stream_feed(JsonStream *js, const char *buf, size_t len);
/* Forget any partial value (new connection). */
void json_stream_reset(JsonStream *js);
void json_stream_free(JsonStream *js);

#endif
