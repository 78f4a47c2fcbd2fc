/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "guest-console.h"
#include "query-pci.h"

#define GUEST_WAIT_S 30

const char guest_failover_pair[] =
    "-M q35 -nodefaults -accel tcg "
    "-device pcie-root-port,id=root0,chassis=1,addr=0x2 "
    "-device pcie-root-port,id=root1,chassis=2,addr=0x3 "
    "-netdev user,id=hs0 "
    "-device virtio-net-pci,netdev=hs0,id=standby0,failover=on,bus=root0,"
    "mac=" GUEST_MAC " "
    "-netdev user,id=hs1 "
    "-device virtio-net-pci,netdev=hs1,id=primary0,"
    "failover_pair_id=standby0,bus=root1,mac=" GUEST_MAC;

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

QTestState *guest_vm_start(GuestConsole *con, const char *dir,
                           const char *name, const char *args, bool stopped)
{
    g_autofree char *serial = NULL;
    g_autofree char *all = NULL;
    QTestState *qts;

    guest_console_init(con, dir, name);
    serial = guest_console_arg(con);
    all = g_strdup_printf("-S %s %s", serial, args);
    qts = qtest_init_without_qtest(all);
    if (!stopped) {
        qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    }
    return qts;
}

void guest_expect(GuestConsole *con, const char *text)
{
    g_autofree char *line = guest_console_wait(con, text, GUEST_WAIT_S);

    g_test_message("console: %s", line);
}

void guest_expect_failover_up(QTestState *qts, GuestConsole *con)
{
    guest_expect(con, GUEST_MAC " (STANDBY)");
    guest_expect(con, "is its standby");
    guest_expect(con, "registered as primary");
    guest_expect(con, "link up, TX via primary");
    guest_expect(con, "echo replies through eth1");
    g_assert_true(qpci_query_has(qts, "primary0"));
}
