/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pty backend: a pseudo-terminal whose slave (/dev/pts/N, shown by
 * query-chardev as "pty:/dev/pts/N") is the console a user or libvirt's
 * `virsh console` opens.  libvirt's default <serial type='pty'>.
 *
 * We keep a slave descriptor open ourselves, so the master never sees a
 * hang-up while no console is attached: what the guest writes meanwhile
 * stays in the terminal's buffer until it is full, then is dropped (QEMU
 * drops it at once), and reads need no reconnection logic.
 */
#include "chardev/char-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "qapi/error.h"

static void pty_close(Chardev *chr)
{
    close(GPOINTER_TO_INT(chr->be_opaque));
}

static int open_slave(const char *name, GError **errp)
{
    struct termios tio;
    int fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);

    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to open %s", name);
        return -1;
    }
    /* Raw, as QEMU sets it: bytes pass unchanged both ways. */
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(fd, TCSAFLUSH, &tio);
    }
    return fd;
}

bool chr_open_pty(Chardev *chr, QemuOpts *opts, GError **errp)
{
    char name[64];
    int master, slave;

    if (!chr_check_params(opts, NULL, errp)) {
        return false;
    }
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
        ptsname_r(master, name, sizeof(name)) != 0) {
        error_setg_errno(errp, errno, "Failed to create PTY");
        if (master >= 0) {
            close(master);
        }
        return false;
    }
    slave = open_slave(name, errp);
    if (slave < 0) {
        close(master);
        return false;
    }
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    chr->filename = g_strdup_printf("pty:%s", name);
    chr->be_opaque = GINT_TO_POINTER(slave);
    chr->close = pty_close;
    chr->drop_when_full = true;
    error_report("char device redirected to %s (label %s)", name,
                 chr->label);
    chr_connect(chr, master, master, false, true);
    return true;
}
