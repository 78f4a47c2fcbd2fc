/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QMP monitor as a client sees it: greeting, negotiation, request
 * validation and error texts, id echo, framing of the input stream, size
 * and depth limits, events, several monitors, quit.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "libqtest.h"

static JsonObject *ret_object(JsonObject *rsp)
{
    g_assert_true(json_object_has_member(rsp, "return"));
    return json_object_get_object_member(rsp, "return");
}

static void assert_status(QTestState *qts, const char *status)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': 'query-status'}");

    g_assert_cmpstr(json_object_get_string_member(ret_object(rsp), "status"),
                    ==, status);
}

static void check_greeting(JsonObject *greeting)
{
    JsonObject *qmp, *version, *qemu;
    JsonArray *caps;

    g_assert_true(json_object_has_member(greeting, "QMP"));
    qmp = json_object_get_object_member(greeting, "QMP");
    version = json_object_get_object_member(qmp, "version");
    qemu = json_object_get_object_member(version, "qemu");
    g_assert_cmpint(json_object_get_int_member(qemu, "major"), ==, 8);
    g_assert_cmpint(json_object_get_int_member(qemu, "minor"), ==, 1);
    g_assert_cmpint(json_object_get_int_member(qemu, "micro"), ==, 0);
    g_assert_true(g_str_has_prefix(
                      json_object_get_string_member(version, "package"),
                      "baton-"));
    caps = json_object_get_array_member(qmp, "capabilities");
    g_assert_cmpuint(json_array_get_length(caps), ==, 1);
    g_assert_cmpstr(json_array_get_string_element(caps, 0), ==, "oob");
}

static void test_greeting_wire_format(void)
{
    QTestState *qts = qtest_init_without_qmp_handshake("");
    g_autofree char *line = qtest_qmp_recv_line(qts);
    g_autofree char *reply = NULL;

    /* QEMU's layout: compact with ": " and ", ", lines end in CR LF. */
    g_assert_true(g_str_has_prefix(line, "{\"QMP\": {\"version\": "));
    g_assert_true(g_str_has_suffix(line,
                                   "}, \"capabilities\": [\"oob\"]}}\r\n"));
    g_assert_nonnull(strstr(line, "\"qemu\": {\"micro\": 0, \"minor\": 1, "
                                  "\"major\": 8}"));
    qtest_qmp_send_raw(qts, "{'execute': 'qmp_capabilities', 'id': 'x'}");
    reply = qtest_qmp_recv_line(qts);
    g_assert_cmpstr(reply, ==, "{\"return\": {}, \"id\": \"x\"}\r\n");
    qtest_quit(qts);
}

static void test_negotiation(void)
{
    QTestState *qts = qtest_init_without_qmp_handshake("");
    g_autoptr(JsonObject) greeting = qtest_qmp_receive_dict(qts);
    g_autoptr(JsonObject) rsp = NULL;

    check_greeting(greeting);
    /* Anything but qmp_capabilities is refused, even unknown commands. */
    rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    qmp_assert_error(rsp, "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    g_clear_pointer(&rsp, json_object_unref);
    rsp = qtest_qmp(qts, "{'execute': 'no-such-command'}");
    qmp_assert_error(rsp, "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    g_clear_pointer(&rsp, json_object_unref);
    /* Shape errors come first, as in QEMU. */
    qtest_qmp_raw_expect_error(qts, "[]", "GenericError",
                     "QMP input must be a JSON object");
    /* Argument checking applies to qmp_capabilities too. */
    rsp = qtest_qmp(qts, "{'execute': 'qmp_capabilities', "
                         "'arguments': {'enable': ['foo']}}");
    qmp_assert_error(rsp, "GenericError",
                 "Parameter 'null' does not accept value 'foo'");
    g_clear_pointer(&rsp, json_object_unref);

    rsp = qtest_qmp(qts, "{'execute': 'qmp_capabilities', "
                         "'arguments': {'enable': ['oob']}}");
    g_assert_cmpuint(json_object_get_size(ret_object(rsp)), ==, 0);
    g_clear_pointer(&rsp, json_object_unref);
    rsp = qtest_qmp(qts, "{'execute': 'qmp_capabilities'}");
    qmp_assert_error(rsp, "CommandNotFound",
                 "Capabilities negotiation is already complete, command "
                 "ignored");
    g_clear_pointer(&rsp, json_object_unref);
    assert_status(qts, "running");
    qtest_quit(qts);
}

static void test_request_errors(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    g_autoptr(JsonObject) rsp = NULL;

    rsp = qtest_qmp(qts, "{'execute': 'no-such-command'}");
    qmp_assert_error(rsp, "CommandNotFound",
                 "The command no-such-command has not been found");
    g_clear_pointer(&rsp, json_object_unref);

    /* A bare word ends only at a delimiter, as in QEMU's lexer. */
    qtest_qmp_raw_expect_error(qts, "42\n", "GenericError",
                     "QMP input must be a JSON object");
    qtest_qmp_raw_expect_error(qts, "'a string'", "GenericError",
                     "QMP input must be a JSON object");
    qtest_qmp_raw_expect_error(qts, "[{'execute': 'stop'}]", "GenericError",
                     "QMP input must be a JSON object");
    qtest_qmp_raw_expect_error(qts, "{}", "GenericError",
                     "QMP input lacks member 'execute'");
    qtest_qmp_raw_expect_error(qts, "{'execute': 1}", "GenericError",
                     "QMP input member 'execute' must be a string");
    qtest_qmp_raw_expect_error(qts, "{'execute': 'query-status', 'arguments': []}",
                     "GenericError",
                     "QMP input member 'arguments' must be an object");
    qtest_qmp_raw_expect_error(qts, "{'execute': 'query-status', 'bogus': 1}",
                     "GenericError", "QMP input member 'bogus' is unexpected");
    /* exec-oob is only known once the oob capability is on. */
    qtest_qmp_raw_expect_error(qts, "{'exec-oob': 'query-status'}", "GenericError",
                     "QMP input member 'exec-oob' is unexpected");
    qtest_qmp_raw_expect_error(qts, "foo\n", "GenericError",
                     "JSON parse error, invalid keyword 'foo'");
    assert_status(qts, "running");
}

static void test_argument_errors(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    g_autoptr(JsonObject) rsp = NULL;

    rsp = qtest_qmp(qts, "{'execute': 'qom-get', "
                         "'arguments': {'path': '/machine'}}");
    qmp_assert_error(rsp, "GenericError", "Parameter 'property' is missing");
    g_clear_pointer(&rsp, json_object_unref);
    rsp = qtest_qmp(qts, "{'execute': 'qom-list', "
                         "'arguments': {'path': '/machine', 'deep': true}}");
    qmp_assert_error(rsp, "GenericError", "Parameter 'deep' is unexpected");
    g_clear_pointer(&rsp, json_object_unref);
    rsp = qtest_qmp(qts, "{'execute': 'qom-list', 'arguments': {'path': 1}}");
    qmp_assert_error(rsp, "GenericError",
                 "Invalid parameter type for 'path', expected: string");
    g_clear_pointer(&rsp, json_object_unref);
    rsp = qtest_qmp(qts, "{'execute': 'qom-list-types', "
                         "'arguments': {'abstract': 'yes'}}");
    qmp_assert_error(rsp, "GenericError",
                 "Invalid parameter type for 'abstract', expected: boolean");
    g_clear_pointer(&rsp, json_object_unref);
    rsp = qtest_qmp(qts, "{'execute': 'query-status', "
                         "'arguments': {'verbose': true}}");
    qmp_assert_error(rsp, "GenericError", "Parameter 'verbose' is unexpected");
    g_clear_pointer(&rsp, json_object_unref);
    rsp = qtest_qmp(qts, "{'execute': 'device_del', 'arguments': {}}");
    qmp_assert_error(rsp, "GenericError", "Parameter 'id' is missing");
}

static void test_id_echo(void)
{
    static const char *const ids[] = {
        "1", "-7", "'text'", "{'a': [1, 'b']}", "[]", "true", "null", "2.5",
    };
    g_autoptr(QTestState) qts = qtest_init("");

    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        g_autofree char *ok = g_strdup_printf(
            "{'execute': 'query-status', 'id': %s}", ids[i]);
        g_autofree char *bad = g_strdup_printf(
            "{'execute': 'nope', 'id': %s}", ids[i]);
        g_autofree char *expect = g_strdup(ids[i]);
        g_autoptr(JsonObject) r1 = NULL, r2 = NULL, want = NULL;
        g_autofree char *want_json = NULL;
        JsonNode *got1, *got2;

        g_strdelimit(expect, "'", '"');
        want_json = g_strdup_printf("{\"id\": %s}", expect);
        want = qmp_parse_object(want_json, NULL);
        r1 = qtest_qmp(qts, "%s", ok);
        r2 = qtest_qmp(qts, "%s", bad);
        got1 = json_object_get_member(r1, "id");
        got2 = json_object_get_member(r2, "id");
        g_assert_nonnull(got1);
        g_assert_nonnull(got2);
        g_assert_true(json_node_equal(got1,
                                      json_object_get_member(want, "id")));
        g_assert_true(json_node_equal(got2,
                                      json_object_get_member(want, "id")));
        g_assert_true(json_object_has_member(r1, "return"));
        qmp_assert_error(r2, "CommandNotFound", NULL);
    }
    /* Requests rejected for their shape still get their id back. */
    {
        g_autoptr(JsonObject) rsp = NULL;

        qtest_qmp_send_raw(qts, "{'id': 'lost'}");
        rsp = qtest_qmp_receive(qts);
        qmp_assert_error(rsp, "GenericError", "QMP input lacks member 'execute'");
        g_assert_cmpstr(json_object_get_string_member(rsp, "id"), ==, "lost");
    }
}

static void test_framing(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    const char *cmd = "{'execute': 'query-status', 'id': 'split'}";
    g_autoptr(JsonObject) rsp = NULL;

    /* Several requests in one write, no separators: answered in order. */
    qtest_qmp_send_raw(qts, "{'execute': 'query-status', 'id': 1}"
                            "{'execute': 'nope', 'id': 2}"
                            "{\"execute\": \"query-version\", \"id\": 3}\n");
    for (int i = 1; i <= 3; i++) {
        g_autoptr(JsonObject) r = qtest_qmp_receive(qts);

        g_assert_cmpint(json_object_get_int_member(r, "id"), ==, i);
        g_assert_cmpint(json_object_has_member(r, "error"), ==, i == 2);
    }
    /* One request dribbled a byte at a time. */
    for (size_t i = 0; cmd[i]; i++) {
        qtest_qmp_send_bytes(qts, cmd + i, 1);
    }
    rsp = qtest_qmp_receive(qts);
    g_assert_cmpstr(json_object_get_string_member(rsp, "id"), ==, "split");
    g_assert_true(json_object_has_member(rsp, "return"));
    g_clear_pointer(&rsp, json_object_unref);
    /* Single quotes with escapes and embedded double quotes. */
    rsp = qtest_qmp(qts, "{'execute': 'query-status', "
                         "'id': 'it\\'s a \"quoted\" id'}");
    g_assert_cmpstr(json_object_get_string_member(rsp, "id"), ==,
                    "it's a \"quoted\" id");
}

static void test_limits(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    GString *big = g_string_new("{'execute': 'qom-list', 'arguments': "
                                "{'path': '/");
    GString *deep = g_string_new("{'execute': 'qom-list', 'arguments': ");
    g_autoptr(JsonObject) rsp = NULL;
    gint64 start;

    /* A 1 MiB string argument is processed, as QEMU does (64 MiB limit). */
    while (big->len < 1024 * 1024 + 16) {
        g_string_append(big, "0123456789abcdef");
    }
    g_string_append(big, "'}}");
    start = g_get_monotonic_time();
    qtest_qmp_send_bytes(qts, big->str, big->len);
    rsp = qtest_qmp_receive(qts);
    qmp_assert_error(rsp, "DeviceNotFound", NULL);
    g_assert_true(g_str_has_prefix(qmp_rsp_error_desc(rsp),
                                   "Device '/0123456789abcdef0123"));
    g_assert_cmpuint(strlen(qmp_rsp_error_desc(rsp)), >, 1000 * 1000);
    g_clear_pointer(&rsp, json_object_unref);
    g_test_message("1 MiB message answered in %" G_GINT64_FORMAT " us",
                   g_get_monotonic_time() - start);
    assert_status(qts, "running");

    /*
     * Nesting past 1024 is answered when crossed; the rest of the value is
     * then new input (here an unclosed one), and 0xFF resynchronises.
     */
    for (int i = 0; i < 1100; i++) {
        g_string_append(deep, "[");
    }
    qtest_qmp_send_bytes(qts, deep->str, deep->len);
    rsp = qtest_qmp_receive(qts);
    qmp_assert_error(rsp, "GenericError", "JSON nesting depth limit exceeded");
    g_clear_pointer(&rsp, json_object_unref);
    qtest_qmp_raw_expect_error(qts, "\xff", "GenericError",
                     "JSON parse error, stray '\xef\xbf\xbd'");
    assert_status(qts, "running");
    g_string_free(big, TRUE);
    g_string_free(deep, TRUE);
}

static void check_timestamp(JsonObject *ev)
{
    JsonObject *ts = json_object_get_object_member(ev, "timestamp");
    gint64 now = g_get_real_time() / G_USEC_PER_SEC;
    gint64 secs = json_object_get_int_member(ts, "seconds");
    gint64 usecs = json_object_get_int_member(ts, "microseconds");

    g_assert_cmpint(secs, <=, now);
    g_assert_cmpint(secs, >=, now - 60);
    g_assert_cmpint(usecs, >=, 0);
    g_assert_cmpint(usecs, <, 1000000);
}

static void test_events(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    g_autoptr(JsonObject) stop = NULL, resume = NULL, reset = NULL;
    JsonObject *data;

    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    stop = qtest_qmp_eventwait_ref(qts, "STOP");
    check_timestamp(stop);
    g_assert_false(json_object_has_member(stop, "data"));
    assert_status(qts, "paused");
    /* Already stopped: no second STOP. */
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    resume = qtest_qmp_eventwait_ref(qts, "RESUME");
    check_timestamp(resume);
    g_assert_null(qtest_qmp_event_ref(qts, "STOP"));
    assert_status(qts, "running");

    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    reset = qtest_qmp_eventwait_ref(qts, "RESET");
    data = json_object_get_object_member(reset, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "host-qmp-system-reset");
}

static void test_introspection(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    g_autoptr(JsonObject) ver = qtest_qmp(qts, "{'execute': 'query-version'}");
    g_autoptr(JsonObject) cmds = qtest_qmp(qts,
                                           "{'execute': 'query-commands'}");
    g_autoptr(JsonObject) schema = qtest_qmp(qts,
                                             "{'execute': 'query-qmp-schema'}");
    JsonObject *qemu = json_object_get_object_member(ret_object(ver), "qemu");
    JsonArray *a;
    bool found_caps = false, found_status = false, found_stop_event = false;

    g_assert_cmpint(json_object_get_int_member(qemu, "major"), ==, 8);
    g_assert_cmpint(json_object_get_int_member(qemu, "minor"), ==, 1);
    a = json_object_get_array_member(cmds, "return");
    for (guint i = 0; i < json_array_get_length(a); i++) {
        const char *name = json_object_get_string_member(
            json_array_get_object_element(a, i), "name");

        found_caps |= !strcmp(name, "qmp_capabilities");
        found_status |= !strcmp(name, "query-status");
    }
    g_assert_true(found_caps && found_status);
    a = json_object_get_array_member(schema, "return");
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *info = json_array_get_object_element(a, i);

        if (!strcmp(json_object_get_string_member(info, "name"), "STOP")) {
            g_assert_cmpstr(json_object_get_string_member(info, "meta-type"),
                            ==, "event");
            found_stop_event = true;
        }
    }
    g_assert_true(found_stop_event);
}

/* ---- a second monitor, driven by hand -------------------------------- */

typedef struct Client {
    int fd;
    QmpStream st;
} Client;

static void client_connect(Client *c, const char *path)
{
    c->fd = qtest_unix_connect(path);
    qmp_stream_init(&c->st);
}

static void client_close(Client *c)
{
    close(c->fd);
    qmp_stream_destroy(&c->st);
}

static void client_send(Client *c, const char *text)
{
    size_t len = strlen(text);

    g_assert_cmpint(send(c->fd, text, len, MSG_NOSIGNAL), ==, len);
}

/* Next message, waiting at most 30 s. */
static JsonObject *client_recv(Client *c)
{
    for (;;) {
        g_autofree char *text = qmp_stream_next(&c->st);
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
        char buf[4096];
        ssize_t n;

        if (text) {
            JsonObject *obj = qmp_parse_object(text, NULL);

            g_assert_nonnull(obj);
            return obj;
        }
        g_assert_cmpint(poll(&pfd, 1, 30000), ==, 1);
        n = recv(c->fd, buf, sizeof(buf), 0);
        g_assert_cmpint(n, >, 0);
        qmp_stream_feed(&c->st, buf, n);
    }
}

static void client_negotiate(Client *c)
{
    g_autoptr(JsonObject) greeting = client_recv(c);
    g_autoptr(JsonObject) rsp = NULL;

    check_greeting(greeting);
    client_send(c, "{'execute': 'qmp_capabilities'}");
    rsp = client_recv(c);
    g_assert_true(json_object_has_member(rsp, "return"));
}

static void test_two_monitors(void)
{
    g_autofree char *path = g_strdup_printf("%s/qmp-test-%d.sock",
                                            g_get_tmp_dir(), getpid());
    QTestState *qts = qtest_initf("-qmp unix:%s,server=on,wait=off", path);
    Client c;
    g_autoptr(JsonObject) rsp = NULL, ev = NULL;

    client_connect(&c, path);
    client_negotiate(&c);
    /* An event reaches every negotiated monitor. */
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    qtest_qmp_eventwait(qts, "STOP");
    ev = client_recv(&c);
    g_assert_cmpstr(json_object_get_string_member(ev, "event"), ==, "STOP");
    check_timestamp(ev);
    g_clear_pointer(&ev, json_object_unref);
    /* Commands on the second monitor act on the same VM. */
    client_send(&c, "{'execute': 'cont', 'id': 'c2'}");
    /* As in QEMU, the event is emitted while the command runs. */
    ev = client_recv(&c);
    g_assert_cmpstr(json_object_get_string_member(ev, "event"), ==, "RESUME");
    g_clear_pointer(&ev, json_object_unref);
    rsp = client_recv(&c);
    g_assert_cmpstr(json_object_get_string_member(rsp, "id"), ==, "c2");
    g_clear_pointer(&rsp, json_object_unref);
    qtest_qmp_eventwait(qts, "RESUME");

    /* A reconnecting client gets a fresh session. */
    client_close(&c);
    client_connect(&c, path);
    {
        g_autoptr(JsonObject) greeting = client_recv(&c);

        check_greeting(greeting);
    }
    /* Events are dropped, not queued, while it negotiates. */
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    qtest_qmp_eventwait(qts, "STOP");
    client_send(&c, "{'execute': 'query-status'}");
    rsp = client_recv(&c);
    qmp_assert_error(rsp, "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    g_clear_pointer(&rsp, json_object_unref);
    client_send(&c, "{'execute': 'qmp_capabilities'}");
    rsp = client_recv(&c);
    g_assert_true(json_object_has_member(rsp, "return"));
    g_clear_pointer(&rsp, json_object_unref);
    client_send(&c, "{'execute': 'query-status'}");
    rsp = client_recv(&c);
    g_assert_cmpstr(json_object_get_string_member(ret_object(rsp), "status"),
                    ==, "paused");
    client_close(&c);
    qtest_quit(qts);
    unlink(path);
}

static void test_getfd(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    g_autoptr(JsonObject) rsp = NULL;
    struct pollfd pfd;
    int p[2];
    char c;

    rsp = qtest_qmp(qts, "{'execute': 'getfd', "
                         "'arguments': {'fdname': 'fd1'}}");
    qmp_assert_error(rsp, "GenericError",
                 "No file descriptor supplied via SCM_RIGHTS");
    g_clear_pointer(&rsp, json_object_unref);

    g_assert_cmpint(pipe(p), ==, 0);
    rsp = qtest_qmp_fds(qts, &p[1], 1, "{'execute': 'getfd', "
                        "'arguments': {'fdname': '1st'}}");
    qmp_assert_error(rsp, "GenericError",
                 "Parameter 'fdname' expects a name not starting with a "
                 "digit");
    g_clear_pointer(&rsp, json_object_unref);
    rsp = qtest_qmp_fds(qts, &p[1], 1, "{'execute': 'getfd', "
                        "'arguments': {'fdname': 'fd1'}}");
    g_assert_true(json_object_has_member(rsp, "return"));
    g_clear_pointer(&rsp, json_object_unref);
    close(p[1]);
    /* The binary holds the write end: no EOF yet. */
    pfd = (struct pollfd) { .fd = p[0], .events = POLLIN };
    g_assert_cmpint(poll(&pfd, 1, 0), ==, 0);

    qtest_qmp_assert_success(qts, "{'execute': 'closefd', "
                                  "'arguments': {'fdname': 'fd1'}}");
    /* Closed before the reply was sent: EOF now. */
    g_assert_cmpint(read(p[0], &c, 1), ==, 0);
    close(p[0]);
    rsp = qtest_qmp(qts, "{'execute': 'closefd', "
                         "'arguments': {'fdname': 'fd1'}}");
    qmp_assert_error(rsp, "GenericError", "File descriptor named 'fd1' not found");
}

static void test_quit(void)
{
    QTestState *qts = qtest_init("");
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': 'quit'}");
    g_autoptr(JsonObject) ev = NULL;
    JsonObject *data;

    g_assert_cmpuint(json_object_get_size(ret_object(rsp)), ==, 0);
    ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    data = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "host-qmp-quit");
    qtest_wait_qemu(qts);       /* asserts exit status 0 */
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/qmp/greeting-wire-format", test_greeting_wire_format);
    qtest_add_func("/qmp/negotiation", test_negotiation);
    qtest_add_func("/qmp/request-errors", test_request_errors);
    qtest_add_func("/qmp/argument-errors", test_argument_errors);
    qtest_add_func("/qmp/id-echo", test_id_echo);
    qtest_add_func("/qmp/framing", test_framing);
    qtest_add_func("/qmp/limits", test_limits);
    qtest_add_func("/qmp/events", test_events);
    qtest_add_func("/qmp/introspection", test_introspection);
    qtest_add_func("/qmp/two-monitors", test_two_monitors);
    qtest_add_func("/qmp/getfd", test_getfd);
    qtest_add_func("/qmp/quit", test_quit);
    return g_test_run();
}
