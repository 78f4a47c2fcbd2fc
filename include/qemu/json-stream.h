/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Splitting a QMP byte stream into JSON values, as QEMU does (the QMP
 * monitor, and the command line's JSON options, parse with it).  Input may
 * hold several values per chunk or one value over many chunks; QEMU's
 * single-quoted strings are accepted.  Lexical errors, and values over
 * the limits, are answered with an error and the stream goes on.
 */
#ifndef QEMU_JSON_STREAM_H
#define QEMU_JSON_STREAM_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stddef.h>

/* QEMU's limits on one value */
#define JSON_STREAM_MAX_SIZE   (64 * 1024 * 1024)  /* bytes in its tokens */
#define JSON_STREAM_MAX_TOKENS (2 * 1024 * 1024)
#define JSON_STREAM_MAX_DEPTH  1024                /* nested {} and [] */

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

/*
 * The one value str holds, parsed as QMP input is (QEMU's JSON dialect, a
 * key at most once per object, QEMU's error texts); NULL with *errp set
 * otherwise.  The command line's JSON options use this too.
 */
JsonNode *json_parse_string(const char *str, GError **errp);

/*
 * Decode the modified UTF-8 sequence at s (U+0000 is "\xC0\x80"): its
 * code point, or -1 if invalid; *end is set past the bytes it used.
 */
int json_utf8_codepoint(const char *s, const char **end);

#endif
