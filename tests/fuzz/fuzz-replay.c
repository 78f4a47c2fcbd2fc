/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replay a fuzz target's corpus, one test per file, so that `make check`
 * runs every stored input through the target (under ASan in the
 * sanitizer build) without libFuzzer.  Usage: fuzz-replay-NAME CORPUS_DIR
 * [GLib test options]
 */
#include "fuzz.h"

#include <string.h>

#include <glib.h>

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay(gconstpointer path)
{
    g_autofree char *data = NULL;
    g_autofree char *base = g_path_get_basename(path);
    gsize len;

    g_assert(g_file_get_contents(path, &data, &len, NULL));
    fuzz_replay_check(base, (const uint8_t *)data, len);
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) dir = NULL;
    g_autofree char *target = NULL;
    const char *dir_path, *name;

    g_test_init(&argc, &argv, NULL);
    dir_path = argc > 1 ? argv[1] : NULL;
    if (!dir_path) {
        g_printerr("usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    dir = g_dir_open(dir_path, 0, NULL);
    g_assert(dir);
    target = g_path_get_basename(dir_path);
    while ((name = g_dir_read_name(dir))) {
        g_ptr_array_add(files, g_build_filename(dir_path, name, NULL));
    }
    g_ptr_array_sort(files, by_name);
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);
        g_autofree char *base = g_path_get_basename(path);
        g_autofree char *test = g_strdup_printf("/fuzz/%s/%s", target, base);

        g_test_add_data_func(test, path, replay);
    }
    return g_test_run();
}
