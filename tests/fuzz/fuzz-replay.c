/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replay a fuzz corpus through the loader, one test per file, so that
 * `make check` runs every stored input (and under ASan in the second
 * pass).  Seeds named stream-valid* must load.  Usage: fuzz-replay CORPUS_DIR [GLib test options]
 */
#include "fuzz-loadvm.h"

#include <glib.h>

static void replay(gconstpointer path)
{
    g_autofree char *data = NULL;
    gsize len;

    g_autofree char *base = g_path_get_basename(path);
    bool ok;

    g_assert(g_file_get_contents(path, &data, &len, NULL));
    ok = fuzz_loadvm_one((const uint8_t *)data, len);
    /* Seeds named "stream-valid*" are good streams: check they still are. */
    if (g_str_has_prefix(base, "stream-valid")) {
        g_assert_true(ok);
    }
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    const char *dir_path;
    g_autoptr(GDir) dir = NULL;
    const char *name;

    g_test_init(&argc, &argv, NULL);
    dir_path = argc > 1 ? argv[1] : NULL;
    if (!dir_path) {
        g_printerr("usage: fuzz-replay CORPUS_DIR\n");
        return 2;
    }
    dir = g_dir_open(dir_path, 0, NULL);
    g_assert(dir);
    while ((name = g_dir_read_name(dir))) {
        g_ptr_array_add(files, g_build_filename(dir_path, name, NULL));
    }
    g_ptr_array_sort(files, (GCompareFunc)g_strcmp0);
    fuzz_loadvm_init();
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);
        g_autofree char *base = g_path_get_basename(path);
        g_autofree char *test = g_strdup_printf("/fuzz/loadvm/%s", base);
        g_test_add_data_func(test, path, replay);
    }
    return g_test_run();
}
