/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Incremental JSON value splitter for QMP.
 *
 * One pass over the bytes tracks just enough lexical state (nesting depth,
 * whether we are inside a string, escapes) to know where a top-level value
 * ends; the complete value is then handed to json-glib.  Single-quoted
 * strings are rewritten to double-quoted ones on the way, which is all
 * json-glib needs to accept QEMU's dialect.  Each byte is looked at once,
 * so a large value costs linear time.
 */
#include <string.h>
#include "qapi/error.h"
#include "monitor/json-stream.h"

struct JsonStream {
    GString *buf;       /* the value so far, in standard JSON */
    int depth;          /* open { and [ */
    char quote;         /* '"' or '\'' inside a string, else 0 */
    bool escape;        /* previous byte was a backslash in a string */
    bool bare;          /* inside a top-level bare word (number, keyword) */
    bool skipping;      /* value broke a limit: drop bytes to its end */
    /*
     * A word of letters outside strings inside the value, and the first
     * one that is not a JSON keyword: QEMU reports it by name.
     */
    GString *word;
    char *bad_word;
    JsonStreamEmit *emit;
    void *opaque;
    JsonParser *parser;
};

JsonStream *json_stream_new(JsonStreamEmit *emit, void *opaque)
{
    JsonStream *js = g_new0(JsonStream, 1);

    js->buf = g_string_sized_new(256);
    js->word = g_string_new(NULL);
    js->emit = emit;
    js->opaque = opaque;
    js->parser = json_parser_new();
    return js;
}

void json_stream_reset(JsonStream *js)
{
    g_string_truncate(js->buf, 0);
    js->depth = 0;
    js->quote = 0;
    js->escape = false;
    js->bare = false;
    js->skipping = false;
    g_string_truncate(js->word, 0);
    g_clear_pointer(&js->bad_word, g_free);
}

void json_stream_free(JsonStream *js)
{
    if (!js) {
        return;
    }
    g_string_free(js->buf, TRUE);
    g_string_free(js->word, TRUE);
    g_free(js->bad_word);
    g_object_unref(js->parser);
    g_free(js);
}

static void emit_error(JsonStream *js, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void emit_error(JsonStream *js, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;
    GError *err = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(&err, "%s", msg);
    js->emit(js->opaque, NULL, err);
}

/* A value that broke a limit: report it now, drop the rest of it. */
static void start_skipping(JsonStream *js, const char *why)
{
    js->skipping = true;
    g_string_truncate(js->buf, 0);
    emit_error(js, "%s", why);
}

static bool is_keyword(const char *s)
{
    return !strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "null");
}

/* The buffer holds one complete top-level value. */
static void finish_value(JsonStream *js, bool bare)
{
    GError *err = NULL;

    if (js->skipping) {
        js->skipping = false;
        g_string_truncate(js->buf, 0);
        g_clear_pointer(&js->bad_word, g_free);
        return;
    }
    if (js->bad_word) {
        emit_error(js, "JSON parse error, invalid keyword '%s'",
                   js->bad_word);
        g_clear_pointer(&js->bad_word, g_free);
        g_string_truncate(js->buf, 0);
        return;
    }
    /*
     * A bare word must be a number or a keyword; json-glib's message for
     * anything else is obscure, so word it the way QEMU's parser does.
     */
    if (bare && !is_keyword(js->buf->str) &&
        !g_ascii_isdigit(js->buf->str[0]) && js->buf->str[0] != '-') {
        emit_error(js, "JSON parse error, invalid keyword '%s'",
                   js->buf->str);
    } else if (json_parser_load_from_data(js->parser, js->buf->str,
                                          js->buf->len, &err)) {
        JsonNode *root = json_parser_steal_root(js->parser);

        js->emit(js->opaque, root ? root : json_node_new(JSON_NODE_NULL),
                 NULL);
    } else {
        /* Drop json-glib's "<data>:LINE:COL: Parse error: " preamble. */
        const char *msg = strstr(err->message, "Parse error: ");

        emit_error(js, "JSON parse error, %s",
                   msg ? msg + strlen("Parse error: ") : err->message);
        g_error_free(err);
    }
    g_string_truncate(js->buf, 0);
}

static inline void put(JsonStream *js, char ch)
{
    if (js->skipping) {
        return;
    }
    if (js->buf->len >= JSON_STREAM_MAX_SIZE) {
        start_skipping(js, "JSON token size limit exceeded");
        return;
    }
    g_string_append_c(js->buf, ch);
}

/* Inside a string: translate to a double-quoted JSON string. */
static void string_byte(JsonStream *js, char ch)
{
    if (js->escape) {
        js->escape = false;
        if (js->quote == '\'' && ch == '\'') {
            put(js, '\'');          /* \' is not valid JSON; ' alone is */
        } else {
            put(js, '\\');
            put(js, ch);
        }
        return;
    }
    if (ch == '\\') {
        js->escape = true;
    } else if (ch == js->quote) {
        js->quote = 0;
        put(js, '"');
        if (js->depth == 0) {
            finish_value(js, false);
        }
    } else if (ch == '"') {
        put(js, '\\');              /* a " inside a '...' string */
        put(js, '"');
    } else {
        put(js, ch);
    }
}

/*
 * Letters outside strings form keywords; a run that starts right after a
 * digit is part of a number (1e5) and is not one.
 */
static void track_word(JsonStream *js, char ch)
{
    if (g_ascii_isalpha(ch)) {
        /* Only the start of a long word is kept: it is just for the text. */
        if (js->word->len >= 64) {
            return;
        }
        if (js->word->len || !js->buf->len ||
            !g_ascii_isalnum(js->buf->str[js->buf->len - 1])) {
            g_string_append_c(js->word, ch);
        }
        return;
    }
    if (js->word->len) {
        if (!js->bad_word && !is_keyword(js->word->str)) {
            js->bad_word = g_strdup(js->word->str);
        }
        g_string_truncate(js->word, 0);
    }
}

void json_stream_feed(JsonStream *js, const char *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        char ch = buf[i];

        if (js->quote) {
            string_byte(js, ch);
            continue;
        }
        if (js->bare) {
            bool delim = g_ascii_isspace(ch) || strchr("{}[]\"',:", ch);

            if (delim || ch == '\0') {
                js->bare = false;
                finish_value(js, true);
            } else {
                put(js, ch);
                continue;
            }
        }
        if (js->depth > 0) {
            track_word(js, ch);
        }
        switch (ch) {
        case ' ': case '\t': case '\r': case '\n':
            /* Keep separation between tokens inside a value. */
            if (js->depth > 0) {
                put(js, ' ');
            }
            break;
        case '"': case '\'':
            js->quote = ch;
            put(js, '"');
            break;
        case '{': case '[':
            js->depth++;
            if (js->depth > JSON_STREAM_MAX_DEPTH && !js->skipping) {
                start_skipping(js, "JSON nesting depth limit exceeded");
            }
            put(js, ch);
            break;
        case '}': case ']':
            if (js->depth == 0) {
                emit_error(js, "JSON parse error, expecting value");
                break;
            }
            js->depth--;
            put(js, ch);
            if (js->depth == 0) {
                finish_value(js, false);
            }
            break;
        default:
            if (js->depth == 0) {
                js->bare = true;
            }
            put(js, ch);
            break;
        }
    }
}
