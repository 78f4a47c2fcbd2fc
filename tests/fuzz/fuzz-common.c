/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the fuzz targets (see fuzz.h). */
#include "fuzz.h"

#include <glib.h>

#include "chardev/char.h"
#include "monitor/monitor.h"
#include "system/system.h"

void fuzz_machine_init(const char *const *argv)
{
    static bool done;
    int argc = 0;

    if (done) {
        return;
    }
    done = true;
    while (argv[argc]) {
        argc++;
    }
    qemu_init(argc, (char **)argv);
    fuzz_main_loop_drain();
}

void fuzz_main_loop_drain(void)
{
    /* Bounded: a timer that re-arms itself must not hang the input. */
    for (int i = 0; i < 64 && g_main_context_iteration(NULL, FALSE); i++) {
    }
}

void fuzz_disable_dangerous_commands(void)
{
    static const char *const cmds[] = {
        "migrate",              /* exec: runs a shell command */
        "migrate-incoming",
        "netdev_add",           /* tap scripts, socket files, real traffic */
        "object-add",           /* memory-backend-file creates files */
        "quit",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
        qmp_disable_command(cmds[i], "not while fuzzing");
    }
}

uint64_t fuzz_take(FuzzInput *in, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++) {
        if (in->pos < in->size) {
            v |= (uint64_t)in->data[in->pos] << (8 * i);
        }
        in->pos++;
    }
    if (in->pos > in->size) {
        in->pos = in->size;
    }
    return v;
}

void fuzz_chardev_session(Chardev *chr, const uint8_t *data, size_t size)
{
    qemu_chr_be_reopen(chr);
    qemu_chr_be_write(chr, data, size);
    fuzz_main_loop_drain();
}
