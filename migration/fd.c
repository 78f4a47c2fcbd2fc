/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fd: URIs: a descriptor passed to the monitor with getfd (outgoing and
 * incoming), or a decimal descriptor number inherited by the process
 * (incoming, as QEMU allows).
 */
#include "migration/internal.h"

#include <errno.h>
#include <fcntl.h>

#include "monitor/monitor.h"
#include "qapi/error.h"

int mig_fd_outgoing(const char *name, GError **errp)
{
    return monitor_get_fd(monitor_cur(), name, errp);
}

int mig_fd_incoming(const char *name, GError **errp)
{
    char *end;
    long n;

    if (g_ascii_isdigit(name[0])) {
        errno = 0;
        n = strtol(name, &end, 10);
        if (!*end && !errno && n >= 0 && n <= G_MAXINT &&
            fcntl((int)n, F_GETFD) >= 0) {
            return (int)n;
        }
    }
    if (!monitor_cur()) {
        error_setg(errp, "File descriptor named '%s' not found", name);
        return -1;
    }
    return monitor_get_fd(monitor_cur(), name, errp);
}
