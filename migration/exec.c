/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec: URIs.  The command runs under /bin/sh -c; the outgoing stream goes
 * to its stdin, the incoming one is read from its stdout.
 */
#include "migration/internal.h"

#include "qapi/error.h"

static bool spawn(const char *cmd, bool to_stdin, int *fd, GPid *child,
                  GError **errp)
{
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    GError *err = NULL;

    if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD,
                                  NULL, NULL, child,
                                  to_stdin ? fd : NULL,
                                  to_stdin ? NULL : fd, NULL, &err)) {
        error_setg(errp, "Unable to start command '%s': %s", cmd,
                   err->message);
        g_error_free(err);
        return false;
    }
    return true;
}

bool mig_exec_outgoing(const char *cmd, int *fd, GPid *child, GError **errp)
{
    return spawn(cmd, true, fd, child, errp);
}

bool mig_exec_incoming(const char *cmd, int *fd, GPid *child, GError **errp)
{
    return spawn(cmd, false, fd, child, errp);
}
