/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The stdio backend: read stdin, write stdout. */
#include "chardev/char-internal.h"

#include <fcntl.h>
#include <unistd.h>

#include "qapi/error.h"

static const char *const stdio_params[] = { "signal", NULL };

static bool stdio_in_use;

static void stdio_close(Chardev *chr)
{
    stdio_in_use = false;
}

bool chr_open_stdio(Chardev *chr, QemuOpts *opts, GError **errp)
{
    GError *err = NULL;

    if (!chr_check_params(opts, stdio_params, errp)) {
        return false;
    }
    qemu_opt_get_bool(opts, "signal", true, &err);
    if (err) {
        g_propagate_error(errp, err);
        return false;
    }
    if (stdio_in_use) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return false;
    }
    stdio_in_use = true;
    chr->close = stdio_close;
    chr->filename = g_strdup("stdio");
    /*
     * Reads must not block the loop; stdout stays blocking since it is
     * often shared with stderr.
     */
    fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
    chr_connect(chr, 0, 1, false, false);
    return true;
}
