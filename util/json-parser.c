/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From the tokens of one QMP value to a JsonNode, with QEMU's rules and
 * error texts: strings are modified UTF-8 (U+0000 is "\xC0\x80", so it
 * never ends a C string early), a key may appear once per object,
 * integers are int64, else exact uint64, else double (qemu/json-num.h).
 * The first error found is the one reported.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "qapi/error.h"
#include "qemu/json-num.h"
#include "qemu/json-stream.h"
#include "util/json-parser-int.h"

typedef struct Parser {
    const JsonToken *tok;
    guint n;
    guint pos;
    GError *err;
} Parser;

static JsonNode *parse_value(Parser *p);

static void parse_error(Parser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void parse_error(Parser *p, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    if (p->err) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(&p->err, "JSON parse error, %s", msg);
}

static const JsonToken *peek(Parser *p)
{
    return p->pos < p->n ? &p->tok[p->pos] : NULL;
}

static const JsonToken *pop(Parser *p)
{
    return p->pos < p->n ? &p->tok[p->pos++] : NULL;
}

/* ---- Unicode ----------------------------------------------------------- */

static bool valid_codepoint(int cp)
{
    return cp >= 0 && cp <= 0x10ffff &&
           !(cp >= 0xd800 && cp <= 0xdfff) &&          /* surrogates */
           !(cp >= 0xfdd0 && cp <= 0xfdef) &&          /* noncharacters */
           (cp & 0xfffe) != 0xfffe;
}

int json_utf8_codepoint(const char *s, const char **end)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned lead = *p++;
    int len, cp;

    if (!lead) {
        *end = s;
        return -1;
    }
    if (lead < 0x80) {
        *end = (const char *)p;
        return lead;
    }
    if (lead >= 0xfe || !(lead & 0x40)) {
        *end = (const char *)p;     /* impossible byte, stray continuation */
        return -1;
    }
    for (len = 1; lead & (0x80 >> len); len++) {
    }
    cp = lead & (0x7f >> len);
    for (int i = 1; i < len; i++, p++) {
        if ((*p & 0xc0) != 0x80) {
            *end = (const char *)p;
            return -1;
        }
        cp = (cp << 6) | (*p & 0x3f);
    }
    *end = (const char *)p;
    if (!valid_codepoint(cp)) {
        return -1;
    }
    /* Overlong forms are invalid, except the two-byte form of U+0000. */
    if ((len == 2 && cp < 0x80 && cp != 0) || (len == 3 && cp < 0x800) ||
        (len == 4 && cp < 0x10000) || len > 4) {
        return -1;
    }
    return cp;
}

static bool put_codepoint(GString *out, int cp)
{
    if (!valid_codepoint(cp)) {
        return false;
    }
    if (cp > 0 && cp < 0x80) {
        g_string_append_c(out, cp);
    } else if (cp < 0x800) {
        g_string_append_c(out, 0xc0 | (cp >> 6));
        g_string_append_c(out, 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        g_string_append_c(out, 0xe0 | (cp >> 12));
        g_string_append_c(out, 0x80 | ((cp >> 6) & 0x3f));
        g_string_append_c(out, 0x80 | (cp & 0x3f));
    } else {
        g_string_append_c(out, 0xf0 | (cp >> 18));
        g_string_append_c(out, 0x80 | ((cp >> 12) & 0x3f));
        g_string_append_c(out, 0x80 | ((cp >> 6) & 0x3f));
        g_string_append_c(out, 0x80 | (cp & 0x3f));
    }
    return true;
}

/* Four hex digits, or -1. */
static int hex4(const char *s)
{
    int v = 0;

    for (int i = 0; i < 4; i++) {
        if (!g_ascii_isxdigit(s[i])) {
            return -1;
        }
        v = (v << 4) | g_ascii_xdigit_value(s[i]);
    }
    return v;
}

/* ---- scalars ----------------------------------------------------------- */

/* "\uXXXX" (or a surrogate pair) at *pp, just past the 'u'. */
static bool parse_unicode_escape(Parser *p, GString *out, const char *beg,
                                 const char **pp)
{
    const char *s = *pp;
    int cp = hex4(s);

    if (cp >= 0) {
        s += 4;
        if (cp >= 0xd800 && cp <= 0xdbff && s[0] == '\\' && s[1] == 'u') {
            int low = hex4(s + 2);

            if (low >= 0xdc00 && low <= 0xdfff) {
                cp = 0x10000 + ((cp & 0x3ff) << 10) + (low & 0x3ff);
                s += 6;
            } else {
                cp = -1;
            }
        }
    }
    if (!put_codepoint(out, cp)) {
        /* The text as written, from the backslash, for the message. */
        int shown = cp < 0 && s == *pp ? 6 : (int)(s - beg);

        parse_error(p, "%.*s is not a valid Unicode character",
                    (int)strnlen(beg, shown), beg);
        return false;
    }
    *pp = s;
    return true;
}

static JsonNode *parse_string(Parser *p, const JsonToken *t)
{
    const char *s = t->str;
    char quote = *s++;
    g_autoptr(GString) out = g_string_sized_new(strlen(s));

    while (*s != quote) {
        const char *beg = s;
        const char *end;
        int cp;

        if (*s != '\\') {
            /* Plain ASCII runs are the common case: copy them whole. */
            while ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x80 &&
                   *s != '\\' && *s != quote) {
                s++;
            }
            if (s != beg) {
                g_string_append_len(out, beg, s - beg);
                continue;
            }
            cp = json_utf8_codepoint(s, &end);
            if (cp < 0) {
                parse_error(p, "invalid UTF-8 sequence in string");
                return NULL;
            }
            put_codepoint(out, cp);
            s = end;
            continue;
        }
        s++;
        switch (*s++) {
        case '"':
            g_string_append_c(out, '"');
            break;
        case '\'':
            g_string_append_c(out, '\'');
            break;
        case '\\':
            g_string_append_c(out, '\\');
            break;
        case '/':
            g_string_append_c(out, '/');
            break;
        case 'b':
            g_string_append_c(out, '\b');
            break;
        case 'f':
            g_string_append_c(out, '\f');
            break;
        case 'n':
            g_string_append_c(out, '\n');
            break;
        case 'r':
            g_string_append_c(out, '\r');
            break;
        case 't':
            g_string_append_c(out, '\t');
            break;
        case 'u':
            if (!parse_unicode_escape(p, out, beg, &s)) {
                return NULL;
            }
            break;
        default:
            parse_error(p, "invalid escape sequence in string");
            return NULL;
        }
    }
    return json_node_init_string(json_node_alloc(), out->str);
}

static JsonNode *parse_number(const JsonToken *t)
{
    if (t->type == JSON_TOK_INTEGER) {
        char *end;
        gint64 v;
        guint64 u;

        errno = 0;
        v = g_ascii_strtoll(t->str, &end, 10);
        if (errno == 0) {
            return json_node_init_int(json_node_alloc(), v);
        }
        if (t->str[0] != '-') {
            errno = 0;
            u = g_ascii_strtoull(t->str, &end, 10);
            if (errno == 0) {
                return json_node_new_uint(u);
            }
        }
    }
    return json_node_init_double(json_node_alloc(),
                                 g_ascii_strtod(t->str, NULL));
}

static JsonNode *parse_keyword(Parser *p)
{
    const JsonToken *t = pop(p);

    if (!strcmp(t->str, "true")) {
        return json_node_init_boolean(json_node_alloc(), true);
    }
    if (!strcmp(t->str, "false")) {
        return json_node_init_boolean(json_node_alloc(), false);
    }
    if (!strcmp(t->str, "null")) {
        return json_node_init_null(json_node_alloc());
    }
    parse_error(p, "invalid keyword '%s'", t->str);
    return NULL;
}

/* ---- containers -------------------------------------------------------- */

static bool parse_pair(Parser *p, JsonObject *obj)
{
    const JsonToken *t;
    g_autoptr(JsonNode) key = NULL;
    JsonNode *value;
    const char *name;

    if (!peek(p)) {
        parse_error(p, "premature EOI");
        return false;
    }
    key = parse_value(p);
    if (!key || !JSON_NODE_HOLDS_VALUE(key) ||
        json_node_get_value_type(key) != G_TYPE_STRING) {
        parse_error(p, "key is not a string in object");
        return false;
    }
    t = pop(p);
    if (!t) {
        parse_error(p, "premature EOI");
        return false;
    }
    if (t->type != JSON_TOK_COLON) {
        parse_error(p, "missing : in object pair");
        return false;
    }
    value = parse_value(p);
    if (!value) {
        parse_error(p, "Missing value in dict");
        return false;
    }
    name = json_node_get_string(key);
    if (json_object_has_member(obj, name)) {
        json_node_unref(value);
        parse_error(p, "duplicate key");
        return false;
    }
    json_object_set_member(obj, name, value);
    return true;
}

static JsonNode *parse_object(Parser *p)
{
    g_autoptr(JsonObject) obj = json_object_new();
    const JsonToken *t;

    pop(p);                     /* { */
    t = peek(p);
    if (!t) {
        parse_error(p, "premature EOI");
        return NULL;
    }
    if (t->type == JSON_TOK_RCURLY) {
        pop(p);
        return json_node_init_object(json_node_alloc(), obj);
    }
    if (!parse_pair(p, obj)) {
        return NULL;
    }
    for (;;) {
        t = pop(p);
        if (!t) {
            parse_error(p, "premature EOI");
            return NULL;
        }
        if (t->type == JSON_TOK_RCURLY) {
            return json_node_init_object(json_node_alloc(), obj);
        }
        if (t->type != JSON_TOK_COMMA) {
            parse_error(p, "expected separator in dict");
            return NULL;
        }
        if (!parse_pair(p, obj)) {
            return NULL;
        }
    }
}

static JsonNode *parse_array(Parser *p)
{
    g_autoptr(JsonArray) arr = json_array_new();
    const JsonToken *t;

    pop(p);                     /* [ */
    t = peek(p);
    if (!t) {
        parse_error(p, "premature EOI");
        return NULL;
    }
    if (t->type == JSON_TOK_RSQUARE) {
        pop(p);
        return json_node_init_array(json_node_alloc(), arr);
    }
    for (;;) {
        JsonNode *elem = parse_value(p);

        if (!elem) {
            parse_error(p, "expecting value");
            return NULL;
        }
        json_array_add_element(arr, elem);
        t = pop(p);
        if (!t) {
            parse_error(p, "premature EOI");
            return NULL;
        }
        if (t->type == JSON_TOK_RSQUARE) {
            return json_node_init_array(json_node_alloc(), arr);
        }
        if (t->type != JSON_TOK_COMMA) {
            parse_error(p, "expected separator in list");
            return NULL;
        }
    }
}

static JsonNode *parse_value(Parser *p)
{
    const JsonToken *t = peek(p);

    if (!t) {
        parse_error(p, "premature EOI");
        return NULL;
    }
    switch (t->type) {
    case JSON_TOK_LCURLY:
        return parse_object(p);
    case JSON_TOK_LSQUARE:
        return parse_array(p);
    case JSON_TOK_STRING:
        return parse_string(p, pop(p));
    case JSON_TOK_INTEGER:
    case JSON_TOK_FLOAT:
        return parse_number(pop(p));
    case JSON_TOK_KEYWORD:
        return parse_keyword(p);
    default:
        parse_error(p, "expecting value");
        return NULL;
    }
}

JsonNode *json_parse_tokens(const JsonToken *tokens, guint n, GError **errp)
{
    Parser p = { .tok = tokens, .n = n };
    JsonNode *value = parse_value(&p);

    if (p.err) {
        g_clear_pointer(&value, json_node_unref);
        g_propagate_error(errp, p.err);
    }
    return value;
}
