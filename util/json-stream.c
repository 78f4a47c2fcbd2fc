/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Splitting the QMP byte stream into JSON values, with QEMU's semantics.
 *
 * A lexer cuts the bytes into tokens; the tokens of one value are
 * collected until its braces and brackets balance, then parsed
 * (json-parser.c).  A byte that cannot start or continue a token (a
 * control character other than whitespace, 0xFE or 0xFF, a letter out
 * of place, a raw newline in a string) is a lexical error: it is
 * answered with "JSON parse error, stray '...'", the value collected so
 * far is dropped, and the lexer skips to the next likely start of a token.
 * That is the resynchronisation QMP clients rely on: after any garbage,
 * sending 0xFF (or a control character) leaves the parser clean.
 *
 * A value that breaks a limit (64 MiB of tokens, 2 Mi tokens, nesting
 * deeper than 1024) is answered with an error when the limit is crossed;
 * the bytes after it are read as new input, as QEMU does.
 */
#include <string.h>
#include "qapi/error.h"
#include "qemu/json-stream.h"
#include "util/json-parser-int.h"

enum LexState {
    LEX_START,
    LEX_RECOVERY,               /* after an error: skip to a token start */
    LEX_STRING,                 /* quote says which */
    LEX_STRING_ESCAPE,
    LEX_ZERO,
    LEX_SIGN,
    LEX_DIGITS,
    LEX_POINT,
    LEX_FRACTION,
    LEX_EXP,
    LEX_EXP_SIGN,
    LEX_EXP_DIGITS,
    LEX_KEYWORD,
};

struct JsonStream {
    enum LexState state;
    char quote;
    GString *tok;               /* text of the token being read */
    GArray *tokens;             /* JsonToken: the value so far */
    size_t size;                /* bytes in tokens */
    int braces;
    int brackets;
    JsonStreamEmit *emit;
    void *opaque;
};

static void clear_token(gpointer p)
{
    g_free(((JsonToken *)p)->str);
}

JsonStream *json_stream_new(JsonStreamEmit *emit, void *opaque)
{
    JsonStream *js = g_new0(JsonStream, 1);

    js->tok = g_string_sized_new(256);
    js->tokens = g_array_new(FALSE, FALSE, sizeof(JsonToken));
    g_array_set_clear_func(js->tokens, clear_token);
    js->emit = emit;
    js->opaque = opaque;
    return js;
}

static void drop_value(JsonStream *js)
{
    g_array_set_size(js->tokens, 0);
    js->size = 0;
    js->braces = 0;
    js->brackets = 0;
}

void json_stream_reset(JsonStream *js)
{
    js->state = LEX_START;
    g_string_truncate(js->tok, 0);
    drop_value(js);
}

void json_stream_free(JsonStream *js)
{
    if (!js) {
        return;
    }
    g_string_free(js->tok, TRUE);
    g_array_free(js->tokens, TRUE);
    g_free(js);
}

/* ---- the value's tokens ------------------------------------------------ */

static void add_token(JsonStream *js, JsonTokenType type)
{
    GError *err = NULL;
    JsonNode *value = NULL;
    JsonToken t;

    switch (type) {
    case JSON_TOK_LCURLY:
        js->braces++;
        break;
    case JSON_TOK_RCURLY:
        js->braces--;
        break;
    case JSON_TOK_LSQUARE:
        js->brackets++;
        break;
    case JSON_TOK_RSQUARE:
        js->brackets--;
        break;
    case JSON_TOK_ERROR:
        error_setg(&err, "JSON parse error, stray '%s'", js->tok->str);
        goto emit;
    default:
        break;
    }
    if (js->size + js->tok->len + 1 > JSON_STREAM_MAX_SIZE) {
        error_setg(&err, "JSON token size limit exceeded");
        goto emit;
    }
    if (js->tokens->len + 1 > JSON_STREAM_MAX_TOKENS) {
        error_setg(&err, "JSON token count limit exceeded");
        goto emit;
    }
    if (js->braces + js->brackets > JSON_STREAM_MAX_DEPTH) {
        error_setg(&err, "JSON nesting depth limit exceeded");
        goto emit;
    }
    t.type = type;
    t.str = g_strndup(js->tok->str, js->tok->len);
    g_array_append_val(js->tokens, t);
    js->size += js->tok->len;
    if ((js->braces > 0 || js->brackets > 0) &&
        js->braces >= 0 && js->brackets >= 0) {
        return;                 /* the value goes on */
    }
    value = json_parse_tokens((JsonToken *)js->tokens->data,
                              js->tokens->len, &err);
emit:
    /* Reset first: emit may run a command that feeds us again. */
    drop_value(js);
    js->emit(js->opaque, value, err);
}

/* ---- the lexer ---------------------------------------------------------- */

/* The current token is complete: hand it on, start the next one. */
static void end_token(JsonStream *js, JsonTokenType type)
{
    add_token(js, type);
    g_string_truncate(js->tok, 0);
    js->state = LEX_START;
}

/* ch (already in the token) cannot be part of one: report, resync. */
static void lex_error(JsonStream *js)
{
    add_token(js, JSON_TOK_ERROR);
    g_string_truncate(js->tok, 0);
    js->state = LEX_RECOVERY;
}

static void take(JsonStream *js, char ch, enum LexState next)
{
    g_string_append_c(js->tok, ch);
    js->state = next;
}

static void lex_start(JsonStream *js, char ch)
{
    static const JsonTokenType structural[256] = {
        ['{'] = JSON_TOK_LCURLY, ['}'] = JSON_TOK_RCURLY,
        ['['] = JSON_TOK_LSQUARE, [']'] = JSON_TOK_RSQUARE,
        [':'] = JSON_TOK_COLON, [','] = JSON_TOK_COMMA,
    };
    JsonTokenType type = structural[(unsigned char)ch];

    if (type) {
        g_string_append_c(js->tok, ch);
        end_token(js, type);
        return;
    }
    switch (ch) {
    case ' ': case '\t': case '\r': case '\n':
        return;
    case '"': case '\'':
        js->quote = ch;
        take(js, ch, LEX_STRING);
        return;
    case '0':
        take(js, ch, LEX_ZERO);
        return;
    case '-':
        take(js, ch, LEX_SIGN);
        return;
    }
    if (g_ascii_isdigit(ch)) {
        take(js, ch, LEX_DIGITS);
    } else if (ch >= 'a' && ch <= 'z') {
        take(js, ch, LEX_KEYWORD);
    } else {
        g_string_append_c(js->tok, ch);
        lex_error(js);
    }
}

/* Bytes a string may hold raw: no control characters, no 0xFE/0xFF. */
static bool string_byte_ok(unsigned char ch)
{
    return ch >= 0x20 && ch < 0xfe;
}

/* Resynchronise on structural characters, line ends, 0xFE, 0xFF. */
static bool resync_point(unsigned char ch)
{
    return (ch < 0x20 && ch != '\t') || ch >= 0xfe ||
           (ch && strchr("[]{}:,", ch));
}

/*
 * One byte in the current state.  Returns true when the byte ended the
 * token before it without being part of it: it must be looked at again.
 */
static bool lex_byte(JsonStream *js, char ch)
{
    unsigned char uc = ch;

    switch (js->state) {
    case LEX_START:
        lex_start(js, ch);
        return false;
    case LEX_RECOVERY:
        if (resync_point(uc)) {
            js->state = LEX_START;
            return true;
        }
        return false;
    case LEX_STRING:
        g_string_append_c(js->tok, ch);
        if (!string_byte_ok(uc)) {
            lex_error(js);
        } else if (ch == '\\') {
            js->state = LEX_STRING_ESCAPE;
        } else if (ch == js->quote) {
            end_token(js, JSON_TOK_STRING);
        }
        return false;
    case LEX_STRING_ESCAPE:
        g_string_append_c(js->tok, ch);
        if (!string_byte_ok(uc)) {
            lex_error(js);
        } else {
            js->state = LEX_STRING;
        }
        return false;
    case LEX_ZERO:
    case LEX_DIGITS:
        if (g_ascii_isdigit(ch)) {
            g_string_append_c(js->tok, ch);
            if (js->state == LEX_ZERO) {
                lex_error(js);          /* no leading zeros */
            }
        } else if (ch == '.') {
            take(js, ch, LEX_POINT);
        } else if ((ch == 'e' || ch == 'E') && js->state == LEX_DIGITS) {
            take(js, ch, LEX_EXP);
        } else {
            end_token(js, JSON_TOK_INTEGER);
            return true;
        }
        return false;
    case LEX_SIGN:
        if (g_ascii_isdigit(ch)) {
            take(js, ch, ch == '0' ? LEX_ZERO : LEX_DIGITS);
        } else {
            g_string_append_c(js->tok, ch);
            lex_error(js);
        }
        return false;
    case LEX_POINT:
    case LEX_EXP_SIGN:
        g_string_append_c(js->tok, ch);
        if (!g_ascii_isdigit(ch)) {
            lex_error(js);
        } else {
            js->state = js->state == LEX_POINT ? LEX_FRACTION : LEX_EXP_DIGITS;
        }
        return false;
    case LEX_EXP:
        g_string_append_c(js->tok, ch);
        if (ch == '+' || ch == '-') {
            js->state = LEX_EXP_SIGN;
        } else if (g_ascii_isdigit(ch)) {
            js->state = LEX_EXP_DIGITS;
        } else {
            lex_error(js);
        }
        return false;
    case LEX_FRACTION:
        if (g_ascii_isdigit(ch)) {
            g_string_append_c(js->tok, ch);
        } else if (ch == 'e' || ch == 'E') {
            take(js, ch, LEX_EXP);
        } else {
            end_token(js, JSON_TOK_FLOAT);
            return true;
        }
        return false;
    case LEX_EXP_DIGITS:
        if (g_ascii_isdigit(ch)) {
            g_string_append_c(js->tok, ch);
            return false;
        }
        end_token(js, JSON_TOK_FLOAT);
        return true;
    case LEX_KEYWORD:
        if (ch >= 'a' && ch <= 'z') {
            g_string_append_c(js->tok, ch);
            return false;
        }
        end_token(js, JSON_TOK_KEYWORD);
        return true;
    }
    g_assert_not_reached();
}

/* The bulk of a long string: copy runs of plain bytes at once. */
static size_t string_run(JsonStream *js, const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t n = 0;

    while (n < len && p[n] >= 0x20 && p[n] < 0xfe && p[n] != '\\' &&
           p[n] != (unsigned char)js->quote) {
        n++;
    }
    g_string_append_len(js->tok, buf, n);
    return n;
}

void json_stream_feed(JsonStream *js, const char *buf, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t n = 0;

        if (js->state == LEX_STRING) {
            /* Not past the limit: a token is cut where QEMU cuts it. */
            size_t room = JSON_STREAM_MAX_SIZE + 1 - js->tok->len;

            n = string_run(js, buf + i, MIN(len - i, room));
        }
        if (n) {
            i += n;
        } else {
            while (lex_byte(js, buf[i])) {
            }
            i++;
        }
        if (js->tok->len > JSON_STREAM_MAX_SIZE) {
            /* A token may not grow without bound: cut it off here. */
            end_token(js, JSON_TOK_OVERSIZED);
        }
    }
}

/* ---- one value from a string (the command line's JSON) ----------------- */

typedef struct ParseOne {
    JsonNode *value;
    GError *err;
} ParseOne;

static void parse_one_emit(void *opaque, JsonNode *value, GError *err)
{
    ParseOne *o = opaque;

    if (o->err) {
        /* The first error is the one reported. */
    } else if (o->value) {
        g_clear_pointer(&o->value, json_node_unref);
        error_setg(&o->err, "Expecting at most one JSON value");
    } else if (err) {
        o->err = g_steal_pointer(&err);
    } else {
        o->value = g_steal_pointer(&value);
    }
    if (value) {
        json_node_unref(value);
    }
    if (err) {
        g_error_free(err);
    }
}

JsonNode *json_parse_string(const char *str, GError **errp)
{
    ParseOne o = { 0 };
    JsonStream *js = json_stream_new(parse_one_emit, &o);
    bool pending;

    json_stream_feed(js, str, strlen(str));
    /* Whitespace ends a number or keyword still being read. */
    json_stream_feed(js, "\n", 1);
    pending = js->tokens->len > 0 || js->tok->len > 0;
    json_stream_free(js);
    if (!o.err && pending) {
        g_clear_pointer(&o.value, json_node_unref);
        error_setg(&o.err, "JSON parse error, premature EOI");
    }
    if (o.err) {
        g_propagate_error(errp, o.err);
        return NULL;
    }
    if (!o.value) {
        error_setg(errp, "JSON parse error, premature EOI");
    }
    return o.value;
}
