/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qtest protocol server: text commands, one per line, each answered by
 * one line once its side effects are complete.  The test reads and writes
 * guest memory and I/O ports, moves the virtual clock and watches interrupt
 * lines.  Where QEMU 8.1 aborts on malformed input, this answers FAIL and
 * keeps serving.
 */
#include "system/qtest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chardev/char.h"
#include "exec/memory.h"
#include "hw/irq.h"
#include "hw/qdev-core.h"
#include "qapi/error.h"
#include "qemu/timer.h"

/* Guards memory use; libqtest's largest transfers are a few MiB. */
#define QTEST_MAX_LINE (64u << 20)
#define QTEST_MAX_SIZE (64u << 20)
#define QTEST_MAX_IRQ 256

static Chardev *qtest_chr;
static bool qtest_accel;
static FILE *qtest_log_fp;
static gint64 qtest_start_us;

static GString *inbuf;
static gsize scan_pos;          /* inbuf before this holds no newline */
static bool discarding;         /* inside an over-long line */
static GString *outbuf;
static bool in_batch;

static uint64_t max_transfer = QTEST_MAX_SIZE;
static int irq_levels[QTEST_MAX_IRQ];
static DeviceState *irq_intercept_dev;

void qtest_set_max_transfer(uint64_t bytes)
{
    max_transfer = MIN(bytes, QTEST_MAX_SIZE);
}

static double elapsed(void)
{
    return (g_get_monotonic_time() - qtest_start_us) / 1e6;
}

static void qtest_flush(void)
{
    if (outbuf->len) {
        qemu_chr_fe_write_all(qtest_chr, (const uint8_t *)outbuf->str,
                              outbuf->len);
        g_string_truncate(outbuf, 0);
    }
    if (qtest_log_fp) {
        fflush(qtest_log_fp);
    }
}

static const char hex_digits[] = "0123456789abcdef";

/*
 * A reply was appended to outbuf from start on: log it, and send it
 * unless the rest of this read's lines follow (replies from one read go
 * out with one write, in order).
 */
static void reply_sent(gsize start)
{
    if (qtest_log_fp) {
        fprintf(qtest_log_fp, "[S +%.6f] %s", elapsed(), outbuf->str + start);
    }
    if (!in_batch) {
        qtest_flush();
    }
}

static void qtest_send(const char *line)
{
    gsize start = outbuf->len;

    g_string_append(outbuf, line);
    reply_sent(start);
}

static void G_GNUC_PRINTF(1, 2) qtest_sendf(const char *fmt, ...)
{
    gsize start = outbuf->len;
    va_list ap;

    /* Formatted straight into the output buffer: no line allocated. */
    va_start(ap, fmt);
    g_string_append_vprintf(outbuf, fmt, ap);
    va_end(ap);
    reply_sent(start);
}

static int hex_nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c |= 0x20;
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/*
 * Numbers as C's strtoull with base 0, but the whole word must parse.
 * libqtest sends "0x" and up to 16 hex digits, or plain decimal, which
 * are parsed here directly; everything else (signs, octal, spaces,
 * overflow) is left to strtoull so that its exact rules apply.
 */
static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    uint64_t x = 0;
    int i, d;

    if (!s || !*s) {
        return false;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (i = 2; i < 18 && (d = hex_nibble(s[i])) >= 0; i++) {
            x = x << 4 | d;
        }
        if (i > 2 && !s[i]) {
            *v = x;
            return true;
        }
    } else if (s[0] >= '1' && s[0] <= '9') {
        for (i = 0; i < 19 && s[i] >= '0' && s[i] <= '9'; i++) {
            x = x * 10 + (s[i] - '0');
        }
        if (!s[i]) {
            *v = x;
            return true;
        }
    }
    errno = 0;
    *v = strtoull(s, &end, 0);
    return !errno && !*end;
}

static bool parse_i64(const char *s, int64_t *v)
{
    char *end;

    if (!s || !*s) {
        return false;
    }
    errno = 0;
    *v = strtoll(s, &end, 0);
    return !errno && !*end;
}

static unsigned width_of(char c)
{
    switch (c) {
    case 'b': return 1;
    case 'w': return 2;
    case 'l': return 4;
    case 'q': return 8;
    }
    return 0;
}

/* IRQ lines */

static void qtest_irq_handler(void *opaque, int n, int level)
{
    /* The line still reaches whatever it was wired to. */
    qemu_set_irq(opaque, level);
    if (n < 0 || n >= QTEST_MAX_IRQ) {
        return;
    }
    level = level != 0;
    if (irq_levels[n] != level) {
        irq_levels[n] = level;
        qtest_sendf("IRQ %s %d\n", level ? "raise" : "lower", n);
    }
}

static DeviceState *find_device(const char *path)
{
    bool ambiguous = false;
    Object *obj = object_resolve_path(path, &ambiguous);

    if (!obj || !object_dynamic_cast(obj, TYPE_DEVICE)) {
        return NULL;
    }
    return (DeviceState *)obj;
}

static void cmd_irq_intercept(char **words, bool in)
{
    DeviceState *dev = find_device(words[1]);

    if (!dev) {
        qtest_send("FAIL Unknown device\n");
        return;
    }
    if (irq_intercept_dev) {
        qtest_send(irq_intercept_dev == dev ? "OK\n"
                   : "FAIL IRQ intercept already enabled\n");
        return;
    }
    irq_intercept_dev = dev;
    if (in) {
        for (int i = 0; i < dev->num_gpio_in; i++) {
            if (dev->gpio_in[i]) {
                qemu_irq old = qemu_irq_intercept(dev->gpio_in[i],
                                                  qtest_irq_handler, NULL);
                qemu_irq_set_handler(dev->gpio_in[i], qtest_irq_handler,
                                     old);
            }
        }
    } else {
        for (int i = 0; i < dev->num_gpio_out; i++) {
            if (dev->gpio_out[i]) {
                qemu_irq old = *dev->gpio_out[i];
                *dev->gpio_out[i] = qemu_allocate_irq(qtest_irq_handler, old,
                                                      i);
            }
        }
    }
    qtest_send("OK\n");
}

static void cmd_set_irq_in(char **words)
{
    DeviceState *dev = find_device(words[1]);
    int64_t num, level;

    if (!dev) {
        qtest_send("FAIL Unknown device\n");
        return;
    }
    if (!parse_i64(words[3], &num) || !parse_i64(words[4], &level)) {
        qtest_send("FAIL Invalid number\n");
        return;
    }
    if (strcmp(words[2], "unnamed-gpio-in")) {
        qtest_sendf("FAIL Unknown GPIO '%s'\n", words[2]);
        return;
    }
    if (num < 0 || num >= dev->num_gpio_in) {
        qtest_send("FAIL GPIO number out of range\n");
        return;
    }
    qemu_set_irq(dev->gpio_in[num], level);
    qtest_send("OK\n");
}

/* Memory */

/*
 * Room for a reply of at most n bytes at the end of outbuf; the reply is
 * then built in place and ended with reply_done.  A read of 64 MiB this
 * way costs one encoding pass, not three copies of 128 MiB of text.
 */
static char *reply_space(gsize n)
{
    gsize start = outbuf->len;

    g_string_set_size(outbuf, start + n);
    return outbuf->str + start;
}

static void reply_done(gsize start, gsize len)
{
    g_string_truncate(outbuf, start + len);
    reply_sent(start);
}

/* "OK 0x" and val in at least digits lower-case hex digits, as %0*x. */
static void qtest_send_hex(uint64_t val, int digits)
{
    gsize start = outbuf->len;
    int n = 1;
    char *p;

    while (n < 16 && val >> (n * 4)) {
        n++;
    }
    n = MAX(n, digits);
    p = reply_space(5 + n + 1);
    memcpy(p, "OK 0x", 5);
    for (int i = 0; i < n; i++) {
        p[5 + i] = hex_digits[(val >> ((n - 1 - i) * 4)) & 15];
    }
    p[5 + n] = '\n';
    reply_done(start, 5 + n + 1);
}

static void cmd_read(uint64_t addr, uint64_t size, bool b64)
{
    g_autofree uint8_t *data = g_malloc(size ? size : 1);
    gsize start = outbuf->len;
    char *p;
    gsize n;

    address_space_read(&address_space_memory, addr, data, size);
    if (b64) {
        gint state = 0, save = 0;

        p = reply_space(3 + (size / 3 + 1) * 4 + 4 + 1);
        memcpy(p, "OK ", 3);
        n = 3 + g_base64_encode_step(data, size, FALSE, p + 3, &state, &save);
        n += g_base64_encode_close(FALSE, p + n, &state, &save);
    } else {
        p = reply_space(5 + size * 2 + 1);
        memcpy(p, "OK 0x", 5);
        n = 5;
        for (uint64_t i = 0; i < size; i++) {
            p[n++] = hex_digits[data[i] >> 4];
            p[n++] = hex_digits[data[i] & 15];
        }
    }
    p[n++] = '\n';
    reply_done(start, n);
}

static void cmd_write(uint64_t addr, uint64_t size, const char *hexdata)
{
    size_t dlen = strlen(hexdata);
    g_autofree uint8_t *data = NULL;

    if (dlen < 3) {
        qtest_send("ERR invalid argument size\n");
        return;
    }
    /* Digits follow "0x"; a short string is zero-filled, extra ignored. */
    data = g_malloc0(size ? size : 1);
    for (uint64_t i = 0; i < size && i * 2 + 4 <= dlen; i++) {
        int hi = hex_nibble(hexdata[i * 2 + 2]);
        int lo = hex_nibble(hexdata[i * 2 + 3]);
        if (hi < 0 || lo < 0) {
            qtest_send("FAIL Invalid hex data\n");
            return;
        }
        data[i] = hi << 4 | lo;
    }
    address_space_write(&address_space_memory, addr, data, size);
    qtest_send("OK\n");
}

static void cmd_b64write(uint64_t addr, uint64_t size, char *b64)
{
    gsize out_len;
    guchar *data;

    if (strlen(b64) < 3) {
        qtest_send("ERR invalid argument size\n");
        return;
    }
    data = g_base64_decode_inplace(b64, &out_len);
    if (out_len < size) {
        /* QEMU would write past the decoded data here. */
        qtest_sendf("FAIL b64write: data length mismatch (told %" PRIu64
                    ", found %zu)\n", size, (size_t)out_len);
        return;
    }
    if (out_len > size && qtest_log_fp) {
        fprintf(qtest_log_fp, "b64write: data length mismatch (told %" PRIu64
                ", found %zu)\n", size, (size_t)out_len);
    }
    address_space_write(&address_space_memory, addr, data, size);
    qtest_send("OK\n");
}

static void clock_advance_to(int64_t dest)
{
    qemu_clock_advance_virtual(dest);
    qtest_sendf("OK %" PRIi64 "\n", qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
}

/* Dispatch */

static bool need_args(char **words, int n)
{
    for (int i = 1; i <= n; i++) {
        if (!words[i]) {
            qtest_sendf("FAIL Missing argument for '%s'\n", words[0]);
            return false;
        }
    }
    return true;
}

static bool need_u64(const char *word, uint64_t *v)
{
    if (!parse_u64(word, v)) {
        qtest_sendf("FAIL Invalid number '%s'\n", word);
        return false;
    }
    return true;
}

static void qtest_process_command(char **words)
{
    const char *cmd = words[0];
    uint64_t addr, size, val;
    unsigned width;

    if (!cmd || !*cmd) {
        qtest_send("FAIL Empty command\n");
        return;
    }
    if (!strcmp(cmd, "endianness")) {
        qtest_send("OK little\n");
    } else if ((g_str_has_prefix(cmd, "out") || g_str_has_prefix(cmd, "in"))
               && (width = width_of(cmd[strlen(cmd) - 1])) && width < 8 &&
               strlen(cmd) == (cmd[0] == 'o' ? 4 : 3)) {
        bool out = cmd[0] == 'o';
        if (!need_args(words, out ? 2 : 1) || !need_u64(words[1], &addr) ||
            (out && !need_u64(words[2], &val))) {
            return;
        }
        if (addr > 0xffff) {
            qtest_sendf("FAIL I/O port 0x%" PRIx64 " out of range\n", addr);
            return;
        }
        if (out) {
            address_space_write_sized(&address_space_io, addr, width, val);
            qtest_send("OK\n");
        } else {
            address_space_read_sized(&address_space_io, addr, width, &val);
            qtest_send_hex(val, 4);
        }
    } else if ((g_str_has_prefix(cmd, "write") || g_str_has_prefix(cmd, "read"))
               && (width = width_of(cmd[strlen(cmd) - 1])) &&
               strlen(cmd) == (cmd[0] == 'w' ? 6 : 5)) {
        bool wr = cmd[0] == 'w';
        if (!need_args(words, wr ? 2 : 1) || !need_u64(words[1], &addr) ||
            (wr && !need_u64(words[2], &val))) {
            return;
        }
        if (wr) {
            address_space_write_sized(&address_space_memory, addr, width, val);
            qtest_send("OK\n");
        } else {
            address_space_read_sized(&address_space_memory, addr, width, &val);
            qtest_send_hex(val, 16);
        }
    } else if (!strcmp(cmd, "read") || !strcmp(cmd, "b64read")) {
        if (!need_args(words, 2) || !need_u64(words[1], &addr) ||
            !need_u64(words[2], &size)) {
            return;
        }
        if (size == 0 && cmd[0] == 'r') {
            qtest_send("FAIL Invalid size 0\n");
        } else if (size > max_transfer) {
            qtest_sendf("FAIL Size %" PRIu64 " too large\n", size);
        } else {
            cmd_read(addr, size, cmd[0] == 'b');
        }
    } else if (!strcmp(cmd, "write") || !strcmp(cmd, "b64write")) {
        if (!need_args(words, 3) || !need_u64(words[1], &addr) ||
            !need_u64(words[2], &size)) {
            return;
        }
        if (size > max_transfer) {
            qtest_sendf("FAIL Size %" PRIu64 " too large\n", size);
        } else if (cmd[0] == 'w') {
            cmd_write(addr, size, words[3]);
        } else {
            cmd_b64write(addr, size, words[3]);
        }
    } else if (!strcmp(cmd, "memset")) {
        if (!need_args(words, 3) || !need_u64(words[1], &addr) ||
            !need_u64(words[2], &size) || !need_u64(words[3], &val)) {
            return;
        }
        /* memset fills in place: only a lowered cap bounds it. */
        if (max_transfer < QTEST_MAX_SIZE && size > max_transfer) {
            qtest_sendf("FAIL Size %" PRIu64 " too large\n", size);
            return;
        }
        address_space_set(&address_space_memory, addr, val, size);
        qtest_send("OK\n");
    } else if (!strcmp(cmd, "clock_step")) {
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ns;
        if (words[1]) {
            if (!parse_i64(words[1], &ns)) {
                qtest_sendf("FAIL Invalid number '%s'\n", words[1]);
                return;
            }
            clock_advance_to(ns > INT64_MAX - now ? INT64_MAX : now + ns);
        } else {
            int64_t deadline = qemu_clock_deadline_virtual();
            clock_advance_to(deadline < 0 ? now : deadline);
        }
    } else if (!strcmp(cmd, "clock_set")) {
        int64_t ns;
        if (!need_args(words, 1)) {
            return;
        }
        if (!parse_i64(words[1], &ns)) {
            qtest_sendf("FAIL Invalid number '%s'\n", words[1]);
            return;
        }
        clock_advance_to(ns);
    } else if (!strcmp(cmd, "irq_intercept_in") ||
               !strcmp(cmd, "irq_intercept_out")) {
        if (need_args(words, 1)) {
            cmd_irq_intercept(words, cmd[14] == 'i');
        }
    } else if (!strcmp(cmd, "set_irq_in")) {
        if (need_args(words, 4)) {
            cmd_set_irq_in(words);
        }
    } else if (!strcmp(cmd, "module_load")) {
        /* Nothing is built as a module. */
        if (need_args(words, 2)) {
            qtest_send("FAIL\n");
        }
    } else {
        qtest_sendf("FAIL Unknown command '%s'\n", cmd);
    }
}

/*
 * Words are separated by single spaces (two spaces make an empty word), as
 * g_strsplit(line, " ", 0) would split them, but in place: no command
 * looks past its fifth word, so the rest of the line stays one last word.
 */
#define QTEST_MAX_WORDS 6

static void qtest_process_line(char *line)
{
    char *words[QTEST_MAX_WORDS + 1];
    char *p = line;
    int n = 0;

    if (qtest_log_fp) {
        fprintf(qtest_log_fp, "[R +%.6f]%s%s\n", elapsed(), *line ? " " : "",
                line);
    }
    if (!*line) {
        qtest_send("FAIL Empty command\n");
        return;
    }
    for (;;) {
        char *sp;

        words[n++] = p;
        if (n == QTEST_MAX_WORDS || !(sp = strchr(p, ' '))) {
            break;
        }
        *sp = '\0';
        p = sp + 1;
    }
    words[n] = NULL;
    qtest_process_command(words);
}

static int qtest_can_read(void *opaque)
{
    return 1 << 20;
}

static void qtest_read(void *opaque, const uint8_t *buf, int size)
{
    gsize start = 0;

    g_string_append_len(inbuf, (const char *)buf, size);
    in_batch = true;
    for (;;) {
        char *nl = memchr(inbuf->str + scan_pos, '\n',
                          inbuf->len - scan_pos);
        if (!nl) {
            break;
        }
        *nl = '\0';
        if (discarding) {
            discarding = false;
            qtest_send("FAIL Line too long\n");
        } else {
            qtest_process_line(inbuf->str + start);
        }
        start = scan_pos = nl - inbuf->str + 1;
    }
    g_string_erase(inbuf, 0, start);
    scan_pos = inbuf->len;
    if (inbuf->len > QTEST_MAX_LINE) {
        /* Drop the rest of this line; it is answered when it ends. */
        discarding = true;
        g_string_truncate(inbuf, 0);
        scan_pos = 0;
    }
    in_batch = false;
    qtest_flush();
}

static void qtest_event(void *opaque, QEMUChrEvent event)
{
    switch (event) {
    case CHR_EVENT_OPENED:
        memset(irq_levels, 0, sizeof(irq_levels));
        qtest_start_us = g_get_monotonic_time();
        g_string_truncate(inbuf, 0);
        scan_pos = 0;
        discarding = false;
        if (qtest_log_fp) {
            fprintf(qtest_log_fp, "[I %.6f] OPENED\n",
                    g_get_real_time() / 1e6);
            fflush(qtest_log_fp);
        }
        break;
    case CHR_EVENT_CLOSED:
        if (qtest_log_fp) {
            fprintf(qtest_log_fp, "[I +%.6f] CLOSED\n", elapsed());
            fflush(qtest_log_fp);
        }
        break;
    }
}

bool qtest_server_init(const char *spec, const char *logfile, GError **errp)
{
    FILE *log = NULL;

    if (!logfile) {
        log = stderr;
    } else if (strcmp(logfile, "none") && strcmp(logfile, "/dev/null")) {
        /* /dev/null is what libqtest passes: skip the formatting cost. */
        log = fopen(logfile, "w");
        if (!log) {
            error_setg_errno(errp, errno, "Could not open '%s'", logfile);
            return false;
        }
    }
    qtest_chr = qemu_chr_new("qtest", spec, errp);
    if (!qtest_chr) {
        if (log && log != stderr) {
            fclose(log);
        }
        return false;
    }
    qtest_log_fp = log;
    inbuf = g_string_new(NULL);
    outbuf = g_string_new(NULL);
    scan_pos = 0;
    qtest_start_us = g_get_monotonic_time();
    qemu_chr_fe_set_handlers(qtest_chr, qtest_can_read, qtest_read,
                             qtest_event, NULL);
    /*
     * The client waits for each reply before it sends the next line.  Half
     * a millisecond covers a client that answers at once, even on a loaded
     * host; a client that has gone quiet costs the loop that once.
     */
    qemu_chr_fe_set_read_ahead(qtest_chr, 500);
    return true;
}

bool qtest_enabled(void)
{
    return qtest_chr != NULL;
}

void qtest_set_accel(bool on)
{
    qtest_accel = on;
}

void qtest_server_cleanup(void)
{
    if (!qtest_chr) {
        return;
    }
    qemu_chr_fe_set_read_ahead(qtest_chr, 0);
    qemu_chr_fe_set_handlers(qtest_chr, NULL, NULL, NULL, NULL);
    qtest_chr = NULL;
    if (qtest_log_fp && qtest_log_fp != stderr) {
        fclose(qtest_log_fp);
    }
    qtest_log_fp = NULL;
    g_string_free(inbuf, TRUE);
    g_string_free(outbuf, TRUE);
    inbuf = outbuf = NULL;
    irq_intercept_dev = NULL;
}
