/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "guest-console.h"

void guest_console_init(GuestConsole *c, const char *dir, const char *name)
{
    c->path = g_build_filename(dir, name, NULL);
    c->pos = 0;
    g_file_set_contents(c->path, "", 0, NULL);
}

char *guest_console_arg(GuestConsole *c)
{
    return g_strdup_printf("-serial file:%s", c->path);
}

void guest_console_clear(GuestConsole *c)
{
    g_free(c->path);
    c->path = NULL;
}

char *guest_console_read(GuestConsole *c)
{
    char *text = NULL;

    if (!g_file_get_contents(c->path, &text, NULL, NULL)) {
        return g_strdup("");
    }
    return text;
}

gboolean guest_console_has(GuestConsole *c, const char *text)
{
    g_autofree char *all = guest_console_read(c);

    return strstr(all, text) != NULL;
}

char *guest_console_wait(GuestConsole *c, const char *text, int timeout_s)
{
    gint64 deadline = g_get_monotonic_time() + timeout_s * G_USEC_PER_SEC;

    for (;;) {
        g_autofree char *all = guest_console_read(c);
        const char *hit = strlen(all) >= c->pos ? strstr(all + c->pos, text)
                                                : NULL;

        if (hit) {
            const char *start = hit, *end = strchr(hit, '\n');

            while (start > all && start[-1] != '\n') {
                start--;
            }
            c->pos = hit - all + strlen(text);
            return g_strndup(start, end ? end - start : strlen(start));
        }
        if (g_get_monotonic_time() > deadline) {
            g_test_message("console so far:\n%s", all);
            g_error("'%s' did not appear on the guest console within %d s",
                    text, timeout_s);
        }
        g_usleep(2000);         /* the file has no change notification */
    }
}
