/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP stream splitting and reply helpers for the qtest library.
 */
#include <string.h>
#include "libqmp.h"

void qmp_stream_init(QmpStream *st)
{
    memset(st, 0, sizeof(*st));
    st->buf = g_string_sized_new(4096);
}

void qmp_stream_destroy(QmpStream *st)
{
    if (st->buf) {
        g_string_free(st->buf, TRUE);
    }
    memset(st, 0, sizeof(*st));
}

static void qmp_stream_reset_scan(QmpStream *st)
{
    st->scan = 0;
    st->depth = 0;
    st->started = false;
    st->in_str = false;
    st->esc = false;
    st->quote = 0;
}

/* Drop consumed bytes once they dominate the buffer. */
static void qmp_stream_compact(QmpStream *st)
{
    if (st->rpos == st->buf->len) {
        g_string_truncate(st->buf, 0);
        st->rpos = 0;
    } else if (st->rpos > 65536 && st->rpos > st->buf->len / 2) {
        g_string_erase(st->buf, 0, st->rpos);
        st->rpos = 0;
    }
}

void qmp_stream_feed(QmpStream *st, const char *data, size_t len)
{
    g_string_append_len(st->buf, data, len);
}

size_t qmp_stream_pending(QmpStream *st)
{
    return st->buf->len - st->rpos;
}

static char *qmp_stream_take(QmpStream *st, gsize start, gsize end)
{
    char *text = g_strndup(st->buf->str + st->rpos + start, end - start);

    st->rpos += end;
    qmp_stream_reset_scan(st);
    qmp_stream_compact(st);
    return text;
}

char *qmp_stream_next(QmpStream *st)
{
    const char *data;
    gsize len, i;

    if (!st->started) {
        /* whitespace between values is consumed for good */
        while (st->rpos < st->buf->len &&
               g_ascii_isspace(st->buf->str[st->rpos])) {
            st->rpos++;
        }
        qmp_stream_compact(st);
    }
    data = st->buf->str + st->rpos;
    len = st->buf->len - st->rpos;

    for (i = st->scan; i < len; i++) {
        char c = data[i];

        if (!st->started) {
            st->started = true;
            if (c == '{' || c == '[') {
                st->depth = 1;
            } else if (c == '"' || c == '\'') {
                st->in_str = true;
                st->quote = c;
            }
            /* a bare scalar at top level runs to the end of the line */
            continue;
        }
        if (st->in_str) {
            if (st->esc) {
                st->esc = false;
            } else if (c == '\\') {
                st->esc = true;
            } else if (c == st->quote) {
                st->in_str = false;
                if (st->depth == 0) {
                    st->eat_eol = true;
                    return qmp_stream_take(st, 0, i + 1);
                }
            }
            continue;
        }
        if (st->depth == 0) {
            if (c == '\n') {
                return qmp_stream_take(st, 0, i);
            }
            continue;
        }
        switch (c) {
        case '"':
        case '\'':
            st->in_str = true;
            st->quote = c;
            break;
        case '{':
        case '[':
            st->depth++;
            break;
        case '}':
        case ']':
            if (--st->depth == 0) {
                st->eat_eol = true;
                return qmp_stream_take(st, 0, i + 1);
            }
            break;
        default:
            break;
        }
    }
    st->scan = i;
    return NULL;
}

char *qmp_stream_next_line(QmpStream *st)
{
    const char *data, *nl;
    gsize len;

    /* the rest of the line of a value taken by qmp_stream_next() */
    while (st->eat_eol && st->rpos < st->buf->len &&
           g_ascii_isspace(st->buf->str[st->rpos])) {
        st->eat_eol = st->buf->str[st->rpos++] != '\n';
    }
    if (st->rpos == st->buf->len) {
        qmp_stream_compact(st);
        return NULL;
    }
    st->eat_eol = false;
    data = st->buf->str + st->rpos;
    len = st->buf->len - st->rpos;
    nl = memchr(data, '\n', len);
    if (!nl) {
        return NULL;
    }
    return qmp_stream_take(st, 0, nl - data + 1);
}

JsonObject *qmp_parse_object(const char *text, GError **errp)
{
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    JsonNode *root;

    if (!json_parser_load_from_data(parser, text, -1, errp)) {
        return NULL;
    }
    root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        g_set_error(errp, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                    "QMP message is not a JSON object");
        return NULL;
    }
    return json_object_ref(json_node_get_object(root));
}

char *qmp_to_string(JsonObject *obj)
{
    g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);

    if (!obj) {
        return g_strdup("(null)");
    }
    json_node_set_object(node, obj);
    return json_to_string(node, FALSE);
}

bool qmp_rsp_is_err(JsonObject *rsp)
{
    return rsp && json_object_has_member(rsp, "error");
}

static JsonObject *qmp_rsp_error(JsonObject *rsp)
{
    JsonNode *err;

    if (!rsp) {
        return NULL;
    }
    err = json_object_get_member(rsp, "error");
    if (!err || !JSON_NODE_HOLDS_OBJECT(err)) {
        return NULL;
    }
    return json_node_get_object(err);
}

static const char *qmp_get_str(JsonObject *obj, const char *name)
{
    JsonNode *n = obj ? json_object_get_member(obj, name) : NULL;

    if (!n || !JSON_NODE_HOLDS_VALUE(n) ||
        json_node_get_value_type(n) != G_TYPE_STRING) {
        return NULL;
    }
    return json_node_get_string(n);
}

const char *qmp_rsp_error_class(JsonObject *rsp)
{
    return qmp_get_str(qmp_rsp_error(rsp), "class");
}

const char *qmp_rsp_error_desc(JsonObject *rsp)
{
    return qmp_get_str(qmp_rsp_error(rsp), "desc");
}

void qmp_assert_error(JsonObject *rsp, const char *err_class,
                      const char *desc)
{
    if (!qmp_rsp_is_err(rsp)) {
        g_autofree char *text = qmp_to_string(rsp);

        g_test_message("expected an error reply, got %s", text);
    }
    g_assert_true(qmp_rsp_is_err(rsp));
    g_assert_cmpstr(qmp_rsp_error_class(rsp), ==, err_class);
    if (desc) {
        g_assert_cmpstr(qmp_rsp_error_desc(rsp), ==, desc);
    }
    g_assert_false(json_object_has_member(rsp, "return"));
}

void qmp_expect_error_and_unref(JsonObject *rsp, const char *err_class)
{
    qmp_assert_error(rsp, err_class, NULL);
    g_assert_nonnull(qmp_rsp_error_desc(rsp));
    json_object_unref(rsp);
}
