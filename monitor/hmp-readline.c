/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The human monitor on a chardev (-monitor DEV, -mon chardev=ID,
 * mode=readline): QEMU's banner and "(qemu) " prompt, typed characters
 * echoed, a line run when CR or LF ends it (CR LF counts once), backspace
 * and DEL erase, cursor-key sequences are swallowed.  There is no history
 * or completion.  On a terminal's stdio the terminal's own line mode
 * echoes and edits instead.
 */
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qemu/timer.h"
#include "monitor/monitor.h"
#include "monitor/hmp-internal.h"

/* QEMU's readline buffer holds 4095 characters; the rest is dropped. */
#define HMP_LINE_MAX 4095

typedef enum {
    IN_NORMAL,
    IN_ESC,                     /* after ESC */
    IN_CSI,                     /* after ESC [ or ESC O, until a final byte */
} InputState;

typedef struct MonitorReadline {
    MonitorHMP hmp;
    Chardev *chr;
    bool connected;
    GString *line;              /* typed so far */
    GString *pending;           /* received, not yet looked at */
    InputState state;
    bool after_cr;
    /*
     * Echo typed characters.  Not on a terminal's stdio: baton leaves the
     * terminal in its line mode, which echoes and edits the line itself.
     */
    bool echo;
    QEMUTimer *migration_timer; /* polls while "migrate" holds the prompt */
} MonitorReadline;

static GPtrArray *hmp_monitors;

static void rl_send(MonitorReadline *m, const char *text)
{
    if (m->connected && *text) {
        qemu_chr_fe_write_all(m->chr, (const uint8_t *)text, strlen(text));
    }
}

/* Send what the last command printed, with "\r\n" line ends. */
static void rl_flush(MonitorReadline *m)
{
    g_autofree char *text = hmp_crlf(m->hmp.out->str);

    g_string_truncate(m->hmp.out, 0);
    rl_send(m, text);
}

static void rl_prompt(MonitorReadline *m)
{
    rl_send(m, "(qemu) ");
}

static bool rl_busy(MonitorReadline *m)
{
    return m->hmp.wait_migration || m->hmp.quitting;
}

static void rl_process(MonitorReadline *m);

static void rl_migration_poll(void *opaque)
{
    MonitorReadline *m = opaque;
    GError *err = NULL;

    if (hmp_migration_running(&err)) {
        timer_mod(m->migration_timer,
                  qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + 100);
        return;
    }
    if (err) {
        hmp_printf(&m->hmp, "%s\n", err->message);
        g_error_free(err);
    }
    m->hmp.wait_migration = false;
    rl_flush(m);
    rl_prompt(m);
    rl_process(m);
}

static void rl_run_line(MonitorReadline *m)
{
    g_autofree char *cmdline = g_strdup(m->line->str);

    g_string_truncate(m->line, 0);
    if (m->echo) {
        rl_send(m, "\r\n");
    }
    hmp_handle_command(&m->hmp, cmdline);
    rl_flush(m);
    if (m->hmp.quitting) {
        return;
    }
    if (m->hmp.wait_migration) {
        if (!m->migration_timer) {
            m->migration_timer = timer_new_ms(QEMU_CLOCK_REALTIME,
                                              rl_migration_poll, m);
        }
        timer_mod(m->migration_timer, qemu_clock_get_ms(QEMU_CLOCK_REALTIME));
        return;
    }
    rl_prompt(m);
}

static void rl_byte(MonitorReadline *m, unsigned char c)
{
    bool after_cr = m->after_cr;

    m->after_cr = false;
    switch (m->state) {
    case IN_ESC:
        m->state = (c == '[' || c == 'O') ? IN_CSI : IN_NORMAL;
        return;
    case IN_CSI:
        if (c >= 0x40 && c <= 0x7e) {
            m->state = IN_NORMAL;
        }
        return;
    case IN_NORMAL:
        break;
    }
    switch (c) {
    case '\r':
        m->after_cr = true;
        rl_run_line(m);
        return;
    case '\n':
    case '\0':
        /* The second half of a CR LF (or telnet's CR NUL) ends nothing. */
        if (!after_cr && c == '\n') {
            rl_run_line(m);
        }
        return;
    case 8:
    case 127:
        if (m->line->len) {
            g_string_truncate(m->line, m->line->len - 1);
            if (m->echo) {
                rl_send(m, "\b \b");
            }
        }
        return;
    case 27:
        m->state = IN_ESC;
        return;
    }
    if (c < 32 || m->line->len >= HMP_LINE_MAX) {
        return;
    }
    g_string_append_c(m->line, c);
    if (m->connected && m->echo) {
        qemu_chr_fe_write_all(m->chr, &c, 1);
    }
}

/* Work through received input until a command holds the prompt. */
static void rl_process(MonitorReadline *m)
{
    gsize done = 0;

    while (done < m->pending->len && !rl_busy(m)) {
        rl_byte(m, m->pending->str[done++]);
    }
    g_string_erase(m->pending, 0, done);
}

static int rl_can_read(void *opaque)
{
    MonitorReadline *m = opaque;

    return rl_busy(m) ? 0 : 4096;
}

static void rl_read(void *opaque, const uint8_t *buf, int size)
{
    MonitorReadline *m = opaque;

    g_string_append_len(m->pending, (const char *)buf, size);
    rl_process(m);
}

static void rl_event(void *opaque, QEMUChrEvent event)
{
    MonitorReadline *m = opaque;

    g_string_truncate(m->line, 0);
    g_string_truncate(m->pending, 0);
    m->state = IN_NORMAL;
    m->after_cr = false;
    switch (event) {
    case CHR_EVENT_OPENED: {
        g_autoptr(VersionInfo) v = qmp_query_version(NULL);
        g_autofree char *banner = g_strdup_printf(
            "QEMU %" PRId64 ".%" PRId64 ".%" PRId64 " monitor - type 'help' "
            "for more information\r\n", v->qemu->major, v->qemu->minor,
            v->qemu->micro);

        m->connected = true;
        rl_send(m, banner);
        if (!rl_busy(m)) {
            rl_prompt(m);
        }
        break;
    }
    case CHR_EVENT_CLOSED:
        m->connected = false;
        break;
    }
}

/* Is chr the stdio backend on a terminal? */
static bool is_terminal(Chardev *chr)
{
    ChardevInfoList *list = qmp_query_chardev(NULL);
    bool stdio = false;

    for (ChardevInfoList *l = list; l; l = l->next) {
        stdio |= !strcmp(l->value->label, qemu_chr_get_label(chr)) &&
                 !strcmp(l->value->filename, "stdio");
    }
    qapi_free_ChardevInfoList(list);
    return stdio && isatty(STDIN_FILENO);
}

void monitor_init_hmp(Chardev *chr)
{
    MonitorReadline *m = g_new0(MonitorReadline, 1);

    m->hmp.out = g_string_new(NULL);
    m->hmp.cpu_index = -1;
    m->hmp.interactive = true;
    m->chr = chr;
    m->echo = !is_terminal(chr);
    m->line = g_string_new(NULL);
    m->pending = g_string_new(NULL);
    if (!hmp_monitors) {
        hmp_monitors = g_ptr_array_new();
    }
    g_ptr_array_add(hmp_monitors, m);
    qemu_chr_fe_set_handlers(chr, rl_can_read, rl_read, rl_event, m);
}

void monitor_cleanup_hmp(void)
{
    for (guint i = 0; hmp_monitors && i < hmp_monitors->len; i++) {
        MonitorReadline *m = g_ptr_array_index(hmp_monitors, i);

        if (m->connected) {
            qemu_chr_fe_flush(m->chr, 1000);
        }
        qemu_chr_fe_set_handlers(m->chr, NULL, NULL, NULL, NULL);
        timer_free(m->migration_timer);
        g_string_free(m->hmp.out, true);
        g_string_free(m->line, true);
        g_string_free(m->pending, true);
        g_free(m);
    }
    if (hmp_monitors) {
        g_ptr_array_free(hmp_monitors, true);
        hmp_monitors = NULL;
    }
}
