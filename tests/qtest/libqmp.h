/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QMP side of the test library: cutting the byte stream coming from
 * the binary into JSON values, and small helpers to look at replies.
 * Nothing here knows about processes or sockets beyond a file descriptor.
 */
#ifndef LIBQMP_H
#define LIBQMP_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include <json-glib/json-glib.h>

/*
 * Incremental splitter: bytes go in with qmp_stream_feed(), complete
 * top-level JSON texts come out of qmp_stream_next().  Scanning resumes
 * where it stopped, so a 1 MiB reply arriving in pieces costs O(n).
 */
typedef struct QmpStream {
    GString *buf;
    gsize rpos;         /* start of unconsumed data in buf */
    gsize scan;         /* bytes after rpos already examined */
    int depth;
    bool started;
    bool in_str;
    bool esc;
    char quote;
    bool eat_eol;       /* a value was taken: its line end is still due */
} QmpStream;

void qmp_stream_init(QmpStream *st);
void qmp_stream_destroy(QmpStream *st);
void qmp_stream_feed(QmpStream *st, const char *data, size_t len);
/* Bytes received but not consumed yet. */
size_t qmp_stream_pending(QmpStream *st);
/*
 * Next complete JSON text, without surrounding whitespace, or NULL if
 * more input is needed.  Caller frees.
 */
char *qmp_stream_next(QmpStream *st);
/*
 * Next raw line including its "\n" (and "\r" if any), or NULL if no
 * complete line is buffered.  Resets the JSON scanner.
 */
char *qmp_stream_next_line(QmpStream *st);

/* Parse one JSON text; NULL with *errp set unless it is an object. */
JsonObject *qmp_parse_object(const char *text, GError **errp);

/* Compact rendering, for messages in failed assertions. */
char *qmp_to_string(JsonObject *obj);

/* true if the reply is {"error": ...} */
bool qmp_rsp_is_err(JsonObject *rsp);
/* The error class / description of an error reply, or NULL. */
const char *qmp_rsp_error_class(JsonObject *rsp);
const char *qmp_rsp_error_desc(JsonObject *rsp);
/*
 * Assert that rsp is an error reply (and no success) of class err_class
 * with, unless desc is NULL, exactly that description.
 */
void qmp_assert_error(JsonObject *rsp, const char *err_class,
                      const char *desc);
/* Assert that rsp is an error of class err_class, then unref it. */
void qmp_expect_error_and_unref(JsonObject *rsp, const char *err_class);

#endif
