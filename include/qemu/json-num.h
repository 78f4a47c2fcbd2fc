/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON integers as QEMU keeps them: a value that fits int64 is an int64, a
 * larger one that fits uint64 is kept exactly as unsigned, anything else
 * (below INT64_MIN, at or above 2^64) is a double.  Member types are then
 * checked against that: 2^63 is a valid uint64 but not an int64.
 *
 * json-glib's nodes hold only int64, so an unsigned value above INT64_MAX
 * is an int64 node holding its bits, sealed (json_node_seal()) to mark it
 * unsigned.  baton seals no other value node; code that misses the mark
 * sees the value wrapped negative, as uint64 visitors accept anyway.
 */
#ifndef QEMU_JSON_NUM_H
#define QEMU_JSON_NUM_H

#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

static inline JsonNode *json_node_new_uint(uint64_t v)
{
    JsonNode *n = json_node_init_int(json_node_alloc(), (int64_t)v);

    if (v > INT64_MAX) {
        json_node_seal(n);
    }
    return n;
}

/* Any integer node, signed or unsigned. */
static inline bool json_node_is_integer(JsonNode *n)
{
    return n && JSON_NODE_HOLDS_VALUE(n) &&
           json_node_get_value_type(n) == G_TYPE_INT64;
}

static inline bool json_node_is_big_uint(JsonNode *n)
{
    return json_node_is_integer(n) && json_node_is_immutable(n);
}

/* QEMU's qnum_get_try_int(): integers that fit int64. */
static inline bool json_node_get_try_int(JsonNode *n, int64_t *v)
{
    if (!json_node_is_integer(n) || json_node_is_big_uint(n)) {
        return false;
    }
    *v = json_node_get_int(n);
    return true;
}

/* QEMU's qnum_get_try_uint(): integers in 0..UINT64_MAX. */
static inline bool json_node_get_try_uint(JsonNode *n, uint64_t *v)
{
    if (!json_node_is_integer(n) ||
        (!json_node_is_big_uint(n) && json_node_get_int(n) < 0)) {
        return false;
    }
    *v = (uint64_t)json_node_get_int(n);
    return true;
}

/* Any number as a double (QEMU's qnum_get_double()). */
static inline double json_node_get_number(JsonNode *n)
{
    if (json_node_is_big_uint(n)) {
        return (double)(uint64_t)json_node_get_int(n);
    }
    return json_node_get_double(n);
}

#endif
