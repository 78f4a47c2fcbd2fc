/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqtest: start the binary under test the way QEMU 8.1's libqtest starts
 * QEMU, then drive it over the qtest protocol and QMP.
 *
 * Names and semantics follow QEMU's libqtest so tests read the same, with
 * one difference: QMP messages are json-glib objects.  Every function that
 * returns a JsonObject * gives the caller a reference (g_autoptr(JsonObject)
 * works).  qtest_qmp() and friends format with printf and send the text as
 * is; the server accepts QEMU's single-quoted strings, so
 *     qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
 *                    "{'path': '%s', 'property': 'type'}}", path);
 * is the usual idiom.  Quote or escape values yourself.
 *
 * Nothing blocks forever: each read waits at most qtest_get_timeout()
 * seconds (30 by default, env QTEST_TIMEOUT or qtest_set_timeout() to
 * change it); a timeout, a closed connection or an unexpected reply fails
 * the running test with a message saying what was awaited.
 */
#ifndef LIBQTEST_H
#define LIBQTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include "libqmp.h"

typedef struct QTestState QTestState;

/* --- Life cycle -------------------------------------------------------- */

/*
 * Start the binary named by $QTEST_QEMU_BINARY with extra_args pasted into
 * the command line, wait for it to connect, check endianness and do the
 * QMP handshake (greeting + qmp_capabilities).
 */
QTestState *qtest_init(const char *extra_args);
QTestState *qtest_initf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
QTestState *qtest_vinitf(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);
/*
 * Like qtest_init, but with no qtest socket and no "-accel qtest": the
 * caller's extra_args choose the accelerator ("-accel tcg": the built-in
 * guest runs).  Only QMP is available; qtest_* protocol calls fail.
 */
QTestState *qtest_init_without_qtest(const char *extra_args);
/*
 * Run the binary with args (no qtest, no QMP) to completion; returns its
 * stderr and stores the wait status.  For start-up errors.
 */
char *qtest_run_stderr(const char *args, int *status);
/* Like qtest_init, but leave the greeting unread and QMP unnegotiated. */
QTestState *qtest_init_without_qmp_handshake(const char *extra_args);

/* SIGTERM the binary, wait for it, check its exit status, free s. */
void qtest_quit(QTestState *s);
/* SIGTERM the binary and wait for it (checking the exit status). */
void qtest_kill_qemu(QTestState *s);
/* Wait for the binary to exit by itself (after `quit`), check status. */
void qtest_wait_qemu(QTestState *s);
/* Exit status qtest_quit/qtest_wait_qemu expect (default 0). */
void qtest_set_expected_status(QTestState *s, int status);
/* true while the binary runs; reaps it once it has exited. */
bool qtest_probe_child(QTestState *s);
pid_t qtest_pid(QTestState *s);

/* Seconds any single read may wait (default 30 or $QTEST_TIMEOUT). */
void qtest_set_timeout(QTestState *s, int seconds);
int qtest_get_timeout(QTestState *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(QTestState, qtest_quit)

/* --- QMP ---------------------------------------------------------------- */

/* Send a command (a newline is appended) and return its reply. */
JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
JsonObject *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);
/* Same, passing fds with SCM_RIGHTS along with the message (getfd). */
JsonObject *qtest_qmp_fds(QTestState *s, int *fds, size_t nfds,
                          const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* Send a command without waiting for the reply. */
void qtest_qmp_send(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void qtest_qmp_vsend(QTestState *s, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);
/* Send formatted text as is: no newline appended. */
void qtest_qmp_send_raw(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* Send arbitrary bytes on the QMP socket. */
void qtest_qmp_send_bytes(QTestState *s, const void *buf, size_t len);
/*
 * Next raw line from the QMP socket, including its "\r\n": for tests of
 * the wire format.  Do not mix with the JSON readers mid-message.
 */
char *qtest_qmp_recv_line(QTestState *s);

/*
 * Next message that is not an event (events read meanwhile are queued
 * for qtest_qmp_eventwait and friends).
 */
JsonObject *qtest_qmp_receive(QTestState *s);
/* Next message of any kind, straight from the socket. */
JsonObject *qtest_qmp_receive_dict(QTestState *s);
/* Wait for event `name` (queued or new); non-matching events are kept. */
void qtest_qmp_eventwait(QTestState *s, const char *name);
JsonObject *qtest_qmp_eventwait_ref(QTestState *s, const char *name);
/* An event `name` already received, removed from the queue, or NULL. */
JsonObject *qtest_qmp_event_ref(QTestState *s, const char *name);

/* Run a command and assert it returned success. */
void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* Same, returning a reference to the "return" value. */
JsonNode *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/*
 * Run a command and assert it failed with class err_class and, unless
 * desc is NULL, exactly that description.
 */
void qtest_qmp_expect_error(QTestState *s, const char *err_class,
                            const char *desc, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
/*
 * Send raw as it is (no newline appended, nothing formatted) and assert
 * the one reply it earns is that error; _ref returns the reply for more
 * checks.
 */
void qtest_qmp_raw_expect_error(QTestState *s, const char *raw,
                                const char *err_class, const char *desc);
JsonObject *qtest_qmp_raw_expect_error_ref(QTestState *s, const char *raw,
                                           const char *err_class,
                                           const char *desc);

/*
 * device_add with driver and id (id may be NULL) plus the members of the
 * JSON object fmt, e.g. "{'addr': '0x3', 'netdev': 'hs0'}"; asserts success.
 */
void qtest_qmp_device_add(QTestState *s, const char *driver, const char *id,
                          const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* device_del, assert success, wait for the first DEVICE_DELETED. */
void qtest_qmp_device_del_send(QTestState *s, const char *id);
void qtest_qmp_device_del(QTestState *s, const char *id);

/*
 * Run an HMP command line through human-monitor-command and return its
 * output (with QEMU's "\r\n" line ends); asserts the reply is a string.
 */
char *qtest_hmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
char *qtest_vhmp(QTestState *s, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);

bool qtest_qom_get_bool(QTestState *s, const char *path, const char *prop);
void qtest_qom_set_bool(QTestState *s, const char *path, const char *prop,
                        bool value);

/* --- qtest protocol ----------------------------------------------------- */

bool qtest_big_endian(QTestState *s);

void qtest_outb(QTestState *s, uint16_t addr, uint8_t value);
void qtest_outw(QTestState *s, uint16_t addr, uint16_t value);
void qtest_outl(QTestState *s, uint16_t addr, uint32_t value);
uint8_t qtest_inb(QTestState *s, uint16_t addr);
uint16_t qtest_inw(QTestState *s, uint16_t addr);
uint32_t qtest_inl(QTestState *s, uint16_t addr);

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t value);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t value);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value);
uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);

/* read/write (hex), b64read/b64write (base64), memset. */
void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size);
void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size);
void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t patt, size_t size);

/* Virtual clock; each returns the new time in ns. */
int64_t qtest_clock_step_next(QTestState *s);
int64_t qtest_clock_step(QTestState *s, int64_t step);
int64_t qtest_clock_set(QTestState *s, int64_t val);

void qtest_irq_intercept_in(QTestState *s, const char *qom_path);
void qtest_irq_intercept_out(QTestState *s, const char *qom_path);
void qtest_set_irq_in(QTestState *s, const char *qom_path, const char *name,
                      int num, int level);
/* Level of intercepted line num, after flushing pending IRQ messages. */
bool qtest_get_irq(QTestState *s, int num);

/*
 * Raw access for protocol tests.  qtest_sendf_raw sends the formatted
 * text as is (add "\n" yourself); qtest_recv_line returns the next reply
 * line without its "\n", consuming (and recording) asynchronous IRQ lines;
 * qtest_recv_line_any returns IRQ lines too.  qtest_raw_cmd sends one
 * line (adding "\n") and returns whatever reply line comes back.
 */
void qtest_send_raw(QTestState *s, const void *buf, size_t len);
void qtest_sendf_raw(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
char *qtest_recv_line(QTestState *s);
char *qtest_recv_line_any(QTestState *s);
char *qtest_raw_cmd(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* --- Sockets ----------------------------------------------------------- */

/*
 * A connected, blocking, close-on-exec stream socket to the Unix socket
 * path (a chardev or netdev listening there); asserts it connects.
 */
int qtest_unix_connect(const char *path);

/* --- Test registration -------------------------------------------------- */

/* "x86_64" from $QTEST_QEMU_BINARY (exits if unset or oddly named). */
const char *qtest_get_arch(void);
/* g_test_add_func / g_test_add_data_func under "/<arch>/". */
void qtest_add_func(const char *path, void (*fn)(void));
void qtest_add_data_func(const char *path, const void *data,
                         void (*fn)(const void *));
void qtest_add_data_func_full(const char *path, void *data,
                              void (*fn)(const void *),
                              GDestroyNotify data_free_func);

#endif
