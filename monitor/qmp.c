/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP monitors: one per chardev.  Each connection gets a greeting and
 * starts in capabilities-negotiation mode; requests are parsed from the
 * byte stream, run synchronously in the main loop and answered in order.
 * Every line we write ends in "\r\n", as QEMU's do.
 */
#include <string.h>
#include <unistd.h>
#include "config-host.h"
#include "qapi/error.h"
#include "qemu/json-num.h"
#include "monitor/monitor-internal.h"
#include "monitor/hmp-internal.h"
#include "qemu/main-loop.h"
#include "system/runstate.h"

static GPtrArray *monitors;     /* Monitor * */
static Monitor *cur_mon;

/* ---- JSON output in QEMU's layout ------------------------------------- */

/* \uXXXX, upper-case hex as QEMU writes it; no printf (hot when fuzzed). */
static void put_u_escape(GString *out, unsigned cp)
{
    static const char hex[] = "0123456789ABCDEF";
    char buf[6] = { '\\', 'u', hex[(cp >> 12) & 0xf], hex[(cp >> 8) & 0xf],
                    hex[(cp >> 4) & 0xf], hex[cp & 0xf] };

    g_string_append_len(out, buf, sizeof(buf));
}

static void put_string(GString *out, const char *s)
{
    const char *p = s;

    g_string_append_c(out, '"');
    while (*p) {
        unsigned char ch = *p;
        int cp;

        switch (ch) {
        case '"':
            g_string_append(out, "\\\"");
            p++;
            continue;
        case '\\':
            g_string_append(out, "\\\\");
            p++;
            continue;
        case '\b':
            g_string_append(out, "\\b");
            p++;
            continue;
        case '\f':
            g_string_append(out, "\\f");
            p++;
            continue;
        case '\n':
            g_string_append(out, "\\n");
            p++;
            continue;
        case '\r':
            g_string_append(out, "\\r");
            p++;
            continue;
        case '\t':
            g_string_append(out, "\\t");
            p++;
            continue;
        }
        if (ch >= 0x20 && ch < 0x7f) {
            /* Runs of plain ASCII (most of a long string) go out at once. */
            const char *run = p;

            while ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f &&
                   *p != '"' && *p != '\\') {
                p++;
            }
            g_string_append_len(out, run, p - run);
            continue;
        }
        /*
         * Like QEMU, anything outside printable ASCII goes out as \u, and
         * what is not valid (modified) UTF-8 as U+FFFD.
         */
        cp = json_utf8_codepoint(p, &p);
        if (cp < 0) {
            cp = 0xfffd;
        }
        if (cp > 0xffff) {
            cp -= 0x10000;
            put_u_escape(out, 0xd800 + (cp >> 10));
            put_u_escape(out, 0xdc00 + (cp & 0x3ff));
        } else {
            put_u_escape(out, cp);
        }
    }
    g_string_append_c(out, '"');
}

static void put_indent(GString *out, bool pretty, int level)
{
    if (pretty) {
        g_string_append_c(out, '\n');
        for (int i = 0; i < level; i++) {
            g_string_append(out, "    ");
        }
    }
}

static void put_node(GString *out, JsonNode *node, bool pretty, int level)
{
    switch (json_node_get_node_type(node)) {
    case JSON_NODE_OBJECT: {
        JsonObjectIter it;
        const char *key;
        JsonNode *val;
        bool first = true;

        g_string_append_c(out, '{');
        json_object_iter_init_ordered(&it, json_node_get_object(node));
        while (json_object_iter_next_ordered(&it, &key, &val)) {
            g_string_append(out, first ? "" : (pretty ? "," : ", "));
            first = false;
            put_indent(out, pretty, level + 1);
            put_string(out, key);
            g_string_append(out, ": ");
            put_node(out, val, pretty, level + 1);
        }
        /* QEMU's pretty printer breaks the line even for an empty {}. */
        put_indent(out, pretty, level);
        g_string_append_c(out, '}');
        break;
    }
    case JSON_NODE_ARRAY: {
        JsonArray *a = json_node_get_array(node);
        guint n = json_array_get_length(a);

        g_string_append_c(out, '[');
        for (guint i = 0; i < n; i++) {
            g_string_append(out, i == 0 ? "" : (pretty ? "," : ", "));
            put_indent(out, pretty, level + 1);
            put_node(out, json_array_get_element(a, i), pretty, level + 1);
        }
        put_indent(out, pretty, level);
        g_string_append_c(out, ']');
        break;
    }
    case JSON_NODE_NULL:
        g_string_append(out, "null");
        break;
    case JSON_NODE_VALUE:
        switch (json_node_get_value_type(node)) {
        case G_TYPE_INT64:
            if (json_node_is_big_uint(node)) {
                g_string_append_printf(out, "%" G_GUINT64_FORMAT,
                                       (guint64)json_node_get_int(node));
            } else {
                g_string_append_printf(out, "%" G_GINT64_FORMAT,
                                       json_node_get_int(node));
            }
            break;
        case G_TYPE_DOUBLE:
            g_string_append_printf(out, "%.17g", json_node_get_double(node));
            break;
        case G_TYPE_BOOLEAN:
            g_string_append(out, json_node_get_boolean(node) ? "true"
                                                             : "false");
            break;
        case G_TYPE_STRING:
            put_string(out, json_node_get_string(node));
            break;
        default:
            g_string_append(out, "null");
            break;
        }
        break;
    }
}

char *qmp_json_to_string(JsonNode *node, bool pretty)
{
    GString *out = g_string_sized_new(128);

    put_node(out, node, pretty, 0);
    return g_string_free(out, FALSE);
}

/* ---- sending ---------------------------------------------------------- */

/*
 * What put_node makes of qmp_error_response(err), without building it:
 * a client sending garbage gets one of these per stray byte, and the
 * JSON objects were most of the QMP fuzz target's allocations.
 */
static void put_error(GString *out, const GError *err, bool pretty)
{
    const char *sep = pretty ? "," : ", ";

    g_string_append_c(out, '{');
    put_indent(out, pretty, 1);
    g_string_append(out, "\"error\": {");
    put_indent(out, pretty, 2);
    g_string_append(out, "\"class\": ");
    put_string(out, error_class_name(error_get_class(err)));
    g_string_append(out, sep);
    put_indent(out, pretty, 2);
    g_string_append(out, "\"desc\": ");
    put_string(out, err->message);
    put_indent(out, pretty, 1);
    g_string_append_c(out, '}');
    put_indent(out, pretty, 0);
    g_string_append_c(out, '}');
}

char *qmp_error_to_string(const GError *err, bool pretty)
{
    GString *out = g_string_sized_new(128);

    put_error(out, err, pretty);
    return g_string_free(out, FALSE);
}

static void monitor_write_line(Monitor *mon, GString *out)
{
    g_string_append(out, "\r\n");
    qemu_chr_fe_write_all(mon->chr, (const uint8_t *)out->str, out->len);
    g_string_free(out, TRUE);
}

static void monitor_send(Monitor *mon, JsonObject *obj)
{
    g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);
    GString *out = g_string_sized_new(128);

    put_node(out, node, mon->pretty, 0);
    monitor_write_line(mon, out);
}

static void monitor_send_error(Monitor *mon, const GError *err)
{
    GString *out = g_string_sized_new(128);

    put_error(out, err, mon->pretty);
    monitor_write_line(mon, out);
}

static void send_greeting(Monitor *mon)
{
    g_autoptr(JsonObject) greeting = json_object_new();
    JsonObject *qmp = json_object_new();
    JsonObject *version = json_object_new();
    JsonObject *qemu = json_object_new();
    JsonArray *caps = json_array_new();

    /* The QEMU version whose protocol we speak, not baton's own. */
    json_object_set_int_member(qemu, "micro", 0);
    json_object_set_int_member(qemu, "minor", 1);
    json_object_set_int_member(qemu, "major", 8);
    json_object_set_object_member(version, "qemu", qemu);
    json_object_set_string_member(version, "package",
                                  "baton-" BATON_VERSION);
    json_object_set_object_member(qmp, "version", version);
    json_array_add_string_element(caps, "oob");
    json_object_set_array_member(qmp, "capabilities", caps);
    json_object_set_object_member(greeting, "QMP", qmp);
    monitor_send(mon, greeting);
}

/* QEMU drops, rather than queues, events for negotiating clients. */
static bool monitor_wants_events(Monitor *mon)
{
    return mon->connected && !mon->negotiating;
}

bool monitor_qapi_event_wanted(void)
{
    for (guint i = 0; monitors && i < monitors->len; i++) {
        if (monitor_wants_events(g_ptr_array_index(monitors, i))) {
            return true;
        }
    }
    return false;
}

void monitor_qapi_event_emit(const char *name, JsonObject *data)
{
    g_autoptr(JsonObject) ev = json_object_new();
    JsonObject *ts = json_object_new();
    gint64 now = g_get_real_time();

    json_object_set_int_member(ts, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(ts, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(ev, "timestamp", ts);
    json_object_set_string_member(ev, "event", name);
    if (data) {
        json_object_set_object_member(ev, "data", data);
    }
    for (guint i = 0; monitors && i < monitors->len; i++) {
        Monitor *mon = g_ptr_array_index(monitors, i);

        if (monitor_wants_events(mon)) {
            monitor_send(mon, ev);
        }
    }
}

/* ---- receiving -------------------------------------------------------- */

/* An out-of-band request runs at once, not in turn with the main loop. */
static bool is_oob(JsonNode *value)
{
    return JSON_NODE_HOLDS_OBJECT(value) &&
           json_object_has_member(json_node_get_object(value), "exec-oob");
}

static void handle_value(void *opaque, JsonNode *value, GError *err)
{
    Monitor *mon = opaque;
    Monitor *prev = cur_mon;
    JsonObject *rsp;

    if (!err && !is_oob(value)) {
        /*
         * QEMU runs one command per main-loop turn and acts on reset and
         * shutdown requests in between; commands that arrived together
         * must see the same.  After a shutdown that ends the process
         * they are not answered, as in QEMU.
         */
        qemu_system_handle_requests();
        if (main_loop_exit_requested()) {
            json_node_unref(value);
            return;
        }
    }
    if (err) {
        /* A stream error has no id to echo: rendered directly. */
        if (mon->connected) {
            monitor_send_error(mon, err);
        }
        g_error_free(err);
        return;
    }
    cur_mon = mon;
    mon->busy = true;
    rsp = qmp_dispatch(mon, value);
    mon->busy = false;
    cur_mon = prev;
    json_node_unref(value);
    if (mon->connected) {
        monitor_send(mon, rsp);
    }
    json_object_unref(rsp);
}

static int qmp_can_read(void *opaque)
{
    Monitor *mon = opaque;

    return mon->busy ? 0 : 256 * 1024;
}

static void qmp_read(void *opaque, const uint8_t *buf, int size)
{
    Monitor *mon = opaque;

    json_stream_feed(mon->stream, (const char *)buf, size);
}

static void qmp_event(void *opaque, QEMUChrEvent event)
{
    Monitor *mon = opaque;

    /* Each connection is a fresh session. */
    json_stream_reset(mon->stream);
    mon->negotiating = true;
    mon->oob_enabled = false;
    switch (event) {
    case CHR_EVENT_OPENED:
        mon->connected = true;
        send_greeting(mon);
        break;
    case CHR_EVENT_CLOSED:
        mon->connected = false;
        break;
    }
}

Monitor *monitor_init_qmp(Chardev *chr, bool pretty, GError **errp)
{
    Monitor *mon = g_new0(Monitor, 1);

    mon->chr = chr;
    mon->pretty = pretty;
    mon->negotiating = true;
    mon->stream = json_stream_new(handle_value, mon);
    mon->fds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!monitors) {
        monitors = g_ptr_array_new();
    }
    g_ptr_array_add(monitors, mon);
    qemu_chr_fe_set_handlers(chr, qmp_can_read, qmp_read, qmp_event, mon);
    return mon;
}

static void close_fd(gpointer key, gpointer value, gpointer opaque)
{
    close(GPOINTER_TO_INT(value));
}

void monitor_cleanup(void)
{
    monitor_cleanup_hmp();
    if (!monitors) {
        return;
    }
    for (guint i = 0; i < monitors->len; i++) {
        Monitor *mon = g_ptr_array_index(monitors, i);

        /* Replies such as quit's {} must reach the client before exit. */
        if (mon->connected) {
            qemu_chr_fe_flush(mon->chr, 1000);
        }
        qemu_chr_fe_set_handlers(mon->chr, NULL, NULL, NULL, NULL);
        json_stream_free(mon->stream);
        g_hash_table_foreach(mon->fds, close_fd, NULL);
        g_hash_table_destroy(mon->fds);
        g_free(mon);
    }
    g_ptr_array_free(monitors, TRUE);
    monitors = NULL;
}

Monitor *monitor_cur(void)
{
    return cur_mon;
}

void monitor_add_fd(Monitor *mon, const char *name, int fd)
{
    gpointer old;

    if (g_hash_table_lookup_extended(mon->fds, name, NULL, &old)) {
        close(GPOINTER_TO_INT(old));
    }
    g_hash_table_insert(mon->fds, g_strdup(name), GINT_TO_POINTER(fd));
}

int monitor_get_fd(Monitor *mon, const char *name, GError **errp)
{
    gpointer key, fd;

    if (!mon || !g_hash_table_steal_extended(mon->fds, name, &key, &fd)) {
        error_setg(errp, "File descriptor named '%s' has not been found",
                   name);
        return -1;
    }
    g_free(key);
    return GPOINTER_TO_INT(fd);
}
