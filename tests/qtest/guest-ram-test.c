/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest RAM as the host kernel sees it (/proc/PID/smaps): anonymous RAM is
 * 2 MiB-aligned and advised for transparent huge pages, as QEMU's is;
 * memory-backend-ram share=on is a shared mapping and prealloc=on faults
 * every page in before the guest starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libqtest.h"

#define MiB (1024 * 1024ULL)

typedef struct Mapping {
    unsigned long long start;
    unsigned long long size_kb;
    unsigned long long rss_kb;
    char flags[256];
} Mapping;

/* The mapping of exactly size bytes in the binary's address space. */
static bool find_mapping(QTestState *qts, unsigned long long size,
                         Mapping *out)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/smaps",
                                            (int)qtest_pid(qts));
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    Mapping cur = { 0 };
    bool in_match = false, found = false;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        unsigned long long a, b, v;

        /* A mapping's first line starts "start-end perms ..."; field
         * lines start with a capitalised name. */
        if (g_ascii_isxdigit(**l) && !g_ascii_isupper(**l) &&
            sscanf(*l, "%llx-%llx ", &a, &b) == 2) {
            in_match = (b - a == size);
            if (in_match) {
                memset(&cur, 0, sizeof(cur));
                cur.start = a;
            }
        } else if (!in_match) {
            continue;
        } else if (sscanf(*l, "Size: %llu kB", &v) == 1) {
            cur.size_kb = v;
        } else if (sscanf(*l, "Rss: %llu kB", &v) == 1) {
            cur.rss_kb = v;
        } else if (g_str_has_prefix(*l, "VmFlags:")) {
            g_strlcpy(cur.flags, *l + 8, sizeof(cur.flags));
            *out = cur;
            found = true;
        }
    }
    return found;
}

static bool has_flag(const Mapping *m, const char *flag)
{
    g_auto(GStrv) words = g_strsplit(m->flags, " ", -1);

    for (char **w = words; *w; w++) {
        if (!strcmp(*w, flag)) {
            return true;
        }
    }
    return false;
}

static void test_default_ram_hugepage(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M q35 -m 96");
    Mapping m;

    g_assert_true(find_mapping(qts, 96 * MiB, &m));
    g_assert_cmpuint(m.start % (2 * MiB), ==, 0);
    g_assert_true(has_flag(&m, "hg"));
    g_assert_false(has_flag(&m, "sh"));
    /* Reserved, not touched: a small guest costs nothing at idle. */
    g_assert_cmpuint(m.rss_kb, <, 16 * 1024);
}

static void test_backend_share_prealloc(void)
{
    g_autoptr(QTestState) qts = qtest_init(
        "-M q35,memory-backend=r -m 80 "
        "-object memory-backend-ram,id=r,size=80M,share=on,prealloc=on");
    Mapping m;

    g_assert_true(find_mapping(qts, 80 * MiB, &m));
    g_assert_true(has_flag(&m, "sh"));
    g_assert_cmpuint(m.rss_kb, ==, 80 * 1024);
    /* Preallocation keeps RAM usable and zero. */
    g_assert_cmphex(qtest_readq(qts, 0x100000), ==, 0);
    qtest_writeq(qts, 0x100000, 0x1122334455667788ULL);
    g_assert_cmphex(qtest_readq(qts, 0x100000), ==, 0x1122334455667788ULL);
}

static void test_backend_lazy(void)
{
    g_autoptr(QTestState) qts = qtest_init(
        "-M q35,memory-backend=r -m 80 "
        "-object memory-backend-ram,id=r,size=80M");
    Mapping m;

    g_assert_true(find_mapping(qts, 80 * MiB, &m));
    g_assert_true(has_flag(&m, "hg"));
    g_assert_false(has_flag(&m, "sh"));
    g_assert_cmpuint(m.rss_kb, <, 16 * 1024);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/guest-ram/default-hugepage", test_default_ram_hugepage);
    qtest_add_func("/guest-ram/backend-share-prealloc",
                   test_backend_share_prealloc);
    qtest_add_func("/guest-ram/backend-lazy", test_backend_lazy);
    return g_test_run();
}
