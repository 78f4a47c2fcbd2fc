/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The file backend: output only, truncated or appended to. */
#include "chardev/char-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "qapi/error.h"
#include "qemu/fdset.h"

static const char *const file_params[] = { "path", "append", NULL };

bool chr_open_file(Chardev *chr, QemuOpts *opts, GError **errp)
{
    const char *path = qemu_opt_get(opts, "path");
    GError *err = NULL;
    bool append;
    int fd;

    if (!chr_check_params(opts, file_params, errp)) {
        return false;
    }
    if (!path) {
        error_setg(errp, "chardev: file: no filename given");
        return false;
    }
    append = qemu_opt_get_bool(opts, "append", false, &err);
    if (err) {
        g_propagate_error(errp, err);
        return false;
    }
    /* path may be /dev/fdset/N: a file libvirt opened for us */
    fd = qemu_open_path(path, O_WRONLY | O_CREAT |
                        (append ? O_APPEND : O_TRUNC), 0666, errp);
    if (fd < 0) {
        return false;
    }
    chr->filename = g_strdup_printf("file:%s", path);
    chr_connect(chr, -1, fd, false, true);
    return true;
}
