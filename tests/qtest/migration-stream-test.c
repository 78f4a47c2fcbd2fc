/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * migration-stream-test: streams a destination must refuse.  A source
 * migrates to a file; the file is damaged (truncated, a byte flipped) or
 * edited so that every section checksum stays intact (a section left out,
 * repeated, moved, re-checksummed after an edit), and a destination
 * loading it exits with status 1 and a one-line reason instead of
 * reporting completed.
 */
#include "libqtest.h"
#include "libqos/mig-proxy.h"
#include "libqos/migrate.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MACHINE "-M q35 -nodefaults -m 64M "
#define RAM_BASE 0x100000ULL

/* A few pages of distinct bytes, 1 MiB apart. */
static void write_pages(QTestState *qts)
{
    for (int i = 0; i < 8; i++) {
        qtest_memset(qts, RAM_BASE + ((uint64_t)i << 20) + 0x3000, 0x11 * i,
                     4096);
    }
}

/* Migrate to uri (events on) and wait for completed. */
static void migrate_to(QTestState *src, const char *uri)
{
    mig_start(src, uri);
    mig_wait_status(src, "completed");
}

/* ---- Damaged streams ---------------------------------------------------- */

typedef struct Child {
    GMainLoop *loop;
    int status;
    bool exited;
} Child;

static void child_exited(GPid pid, gint status, gpointer opaque)
{
    Child *c = opaque;

    c->status = status;
    c->exited = true;
    g_spawn_close_pid(pid);
    g_main_loop_quit(c->loop);
}

static gboolean child_timeout(gpointer opaque)
{
    g_main_loop_quit(((Child *)opaque)->loop);
    return G_SOURCE_REMOVE;
}

/* Load file in a destination; return its exit status, stderr in *err. */
static int load_stream(const char *file, char **err)
{
    g_autofree char *incoming = g_strdup_printf("exec:cat %s", file);
    const char *argv[] = {
        g_getenv("QTEST_QEMU_BINARY"), "-M", "q35", "-nodefaults",
        "-m", "64M", "-display", "none", "-incoming", incoming, NULL,
    };
    GPid pid;
    int errfd;
    Child c = { .loop = g_main_loop_new(NULL, FALSE) };
    GString *out = g_string_new(NULL);
    char buf[512];
    ssize_t n;

    g_assert(g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                      G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                      &pid, NULL, NULL, &errfd, NULL));
    g_child_watch_add(pid, child_exited, &c);
    guint t = g_timeout_add_seconds(20, child_timeout, &c);
    g_main_loop_run(c.loop);
    if (!c.exited) {
        kill(pid, SIGKILL);
        g_main_loop_run(c.loop);
        g_string_append(out, "(timed out: stream accepted?)");
    } else {
        g_source_remove(t);
    }
    while ((n = read(errfd, buf, sizeof(buf))) > 0) {
        g_string_append_len(out, buf, n);
    }
    close(errfd);
    g_main_loop_unref(c.loop);
    *err = g_string_free(out, FALSE);
    return WIFEXITED(c.status) ? WEXITSTATUS(c.status) : -1;
}

static void check_rejected(const char *file, const char *what)
{
    g_autofree char *err = NULL;
    int st = load_stream(file, &err);
    const char *nl = strchr(err, '\n');

    if (st != 1 || !strstr(err, "load of migration failed: ") ||
        !nl || nl[1]) {
        g_test_message("%s: status %d, stderr: %s", what, st, err);
        g_assert_not_reached();
    }
}

static void test_bad_streams(void)
{
    g_autofree char *file = mig_tmp_path("good.mig");
    g_autofree char *bad = mig_tmp_path("bad.mig");
    g_autofree char *out = g_strdup_printf("exec:cat > %s", file);
    QTestState *src = qtest_init(MACHINE);
    g_autofree char *data = NULL;
    gsize len;

    write_pages(src);
    migrate_to(src, out);
    qtest_quit(src);
    g_assert(g_file_get_contents(file, &data, &len, NULL));
    g_assert_cmpuint(len, >, 64);

    /* Truncated at many places, including inside the header. */
    for (gsize cut = 0; cut < len; cut += cut < 64 ? 7 : len / 23 + 1) {
        g_autofree char *what = g_strdup_printf("truncated at %zu", cut);
        g_assert(g_file_set_contents(bad, data, cut, NULL));
        check_rejected(bad, what);
    }
    /* One flipped byte at many places. */
    for (gsize at = 0; at < len; at += at < 64 ? 5 : len / 31 + 1) {
        g_autofree char *what = g_strdup_printf("byte %zu flipped", at);
        g_autofree char *copy = g_memdup2(data, len);
        copy[at] ^= 0x5a;
        g_assert(g_file_set_contents(bad, copy, len, NULL));
        check_rejected(bad, what);
    }
    /* Garbage. */
    g_assert(g_file_set_contents(bad, "hello, world\n", -1, NULL));
    check_rejected(bad, "garbage");
}

/* ---- Edited streams: sections intact, the stream not ------------------ */

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

typedef struct Section {
    gsize off;
    gsize size;                 /* head + payload + CRC */
    uint8_t type;
} Section;

/* The sections of a stream (docs/devel/migration.rst). */
static GArray *split_stream(const uint8_t *d, gsize len)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(Section));
    gsize pos = 8;

    while (pos + 9 <= len) {
        Section s = { pos, 5 + get_be32(d + pos + 1) + 4, d[pos] };

        g_assert_cmpuint(pos + s.size, <=, len);
        g_array_append_val(a, s);
        pos += s.size;
    }
    g_assert_cmpuint(pos, ==, len);
    return a;
}

static Section *sec_at(GArray *a, guint i)
{
    return &g_array_index(a, Section, i);
}

/* A stream of the given sections of d, in the order given. */
static GByteArray *join_stream(const uint8_t *d, GArray *secs,
                               const guint *order, guint n)
{
    GByteArray *b = g_byte_array_new();

    g_byte_array_append(b, d, 8);
    for (guint i = 0; i < n; i++) {
        Section *s = sec_at(secs, order[i]);

        g_byte_array_append(b, d + s->off, s->size);
    }
    return b;
}

/* Recompute the checksum of the section at off in b. */
static void fix_crc(GByteArray *b, gsize off)
{
    uint32_t len = get_be32(b->data + off + 1);

    put_be32(b->data + off + 5 + len, mig_proxy_crc32c(0, b->data + off, 5 + len));
}

/*
 * Make END vouch for the sections before it (as a forger would), so that
 * what is left to catch the edit is the RAM summary.
 */
static void forge_end_tally(GByteArray *b)
{
    g_autoptr(GArray) secs = split_stream(b->data, b->len);
    Section *end = sec_at(secs, secs->len - 1);
    uint32_t digest = 0;

    g_assert_cmpint(end->type, ==, 0x7e);
    for (guint i = 0; i + 1 < secs->len; i++) {
        Section *s = sec_at(secs, i);

        digest = mig_proxy_crc32c(digest, b->data + s->off + s->size - 4, 4);
    }
    put_be32(b->data + end->off + 6, secs->len - 1);
    put_be32(b->data + end->off + 10, digest);
    fix_crc(b, end->off);
}

static void check_rejected_because(GByteArray *b, const char *why)
{
    g_autofree char *bad = mig_tmp_path("edited.mig");
    g_autofree char *err = NULL;
    int st;

    g_assert(g_file_set_contents(bad, (char *)b->data, b->len, NULL));
    st = load_stream(bad, &err);
    if (st != 1 || !strstr(err, why)) {
        g_test_message("expected \"%s\": status %d, stderr: %s", why, st,
                       err);
        g_assert_not_reached();
    }
}

/*
 * Every section checksum intact, yet not the stream the source sent: a
 * RAM section missing, repeated or moved, a section re-checksummed after
 * an edit.  The destination refuses it instead of reporting completed
 * with RAM the source never had.
 */
static void test_edited_streams(void)
{
    g_autofree char *file = mig_tmp_path("edit.mig");
    g_autofree char *out = g_strdup_printf("exec:cat > %s", file);
    QTestState *src = qtest_init(MACHINE);
    g_autofree uint8_t *data = NULL;
    g_autoptr(GArray) secs = NULL;
    g_autofree guint *order = NULL;
    guint n, first_ram = 0, nram = 0;
    gsize len;

    /* 2 MiB of data: several RAM sections. */
    qtest_memset(src, RAM_BASE, 0x3c, 2 << 20);
    write_pages(src);
    migrate_to(src, out);
    qtest_quit(src);
    g_assert(g_file_get_contents(file, (char **)&data, &len, NULL));
    secs = split_stream(data, len);
    n = secs->len;
    order = g_new(guint, n + 1);
    for (guint i = 0; i < n; i++) {
        order[i] = i;
        if (sec_at(secs, i)->type == 0x02 && !nram++) {
            first_ram = i;
        }
    }
    g_assert_cmpuint(nram, >=, 3);

    /* Split and joined again, it is the same stream. */
    {
        g_autoptr(GByteArray) b = join_stream(data, secs, order, n);

        g_assert_cmpuint(b->len, ==, len);
        g_assert(memcmp(b->data, data, len) == 0);
    }
    /* Each RAM section left out in turn. */
    for (guint skip = first_ram; skip < first_ram + nram; skip++) {
        g_autofree guint *o = g_new(guint, n);
        guint k = 0;

        for (guint i = 0; i < n; i++) {
            if (i != skip) {
                o[k++] = i;
            }
        }
        g_autoptr(GByteArray) b = join_stream(data, secs, o, k);
        check_rejected_because(b, "incomplete stream");
    }
    /* A RAM section sent twice. */
    {
        g_autofree guint *o = g_new(guint, n + 1);

        for (guint i = 0, k = 0; i < n; i++) {
            o[k++] = i;
            if (i == first_ram) {
                o[k++] = i;
            }
        }
        g_autoptr(GByteArray) b = join_stream(data, secs, o, n + 1);
        check_rejected_because(b, "incomplete stream");
    }
    /* Two RAM sections swapped. */
    {
        g_autoptr(GByteArray) b = NULL;

        order[first_ram] = first_ram + 1;
        order[first_ram + 1] = first_ram;
        b = join_stream(data, secs, order, n);
        order[first_ram] = first_ram;
        order[first_ram + 1] = first_ram + 1;
        check_rejected_because(b, "altered stream");
    }
    /* Page data changed and the section's checksum made to match. */
    {
        g_autoptr(GByteArray) b = join_stream(data, secs, order, n);
        gsize off = sec_at(secs, first_ram)->off;

        b->data[off + 5 + 2 + 9 + 100] ^= 0xff;
        fix_crc(b, off);
        check_rejected_because(b, "altered stream");
        /* END forged to match the sections: the RAM digest tells. */
        forge_end_tally(b);
        check_rejected_because(b, "RAM block pc.ram: digest");
    }
    /* A RAM section missing and END forged: the page counts tell. */
    {
        g_autofree guint *o = g_new(guint, n);
        guint k = 0;

        for (guint i = 0; i < n; i++) {
            if (i != first_ram + 1) {
                o[k++] = i;
            }
        }
        g_autoptr(GByteArray) b = join_stream(data, secs, o, k);
        forge_end_tally(b);
        check_rejected_because(b, "RAM block pc.ram: ");
    }
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/migration/bad-streams", test_bad_streams);
    qtest_add_func("/migration/edited-streams", test_edited_streams);
    ret = g_test_run();
    mig_tmp_cleanup();
    return ret;
}
