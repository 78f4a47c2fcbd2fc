/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Between the QMP stream's lexer (json-stream.c) and its parser. */
#ifndef UTIL_JSON_PARSER_INT_H
#define UTIL_JSON_PARSER_INT_H

#include <glib.h>
#include <json-glib/json-glib.h>

typedef enum JsonTokenType {
    JSON_TOK_ERROR,             /* a byte that starts or continues nothing */
    JSON_TOK_LCURLY,
    JSON_TOK_RCURLY,
    JSON_TOK_LSQUARE,
    JSON_TOK_RSQUARE,
    JSON_TOK_COLON,
    JSON_TOK_COMMA,
    JSON_TOK_INTEGER,
    JSON_TOK_FLOAT,
    JSON_TOK_KEYWORD,           /* [a-z]+, checked by the parser */
    JSON_TOK_STRING,            /* with its quotes, escapes undone later */
    JSON_TOK_OVERSIZED,         /* cut off: longer than the size limit */
} JsonTokenType;

typedef struct JsonToken {
    JsonTokenType type;
    char *str;
} JsonToken;

/*
 * One complete value from tokens[0..n), which hold nothing else.
 * NULL with *errp set ("JSON parse error, ...") on error.
 */
JsonNode *json_parse_tokens(const JsonToken *tokens, guint n, GError **errp);

#endif
