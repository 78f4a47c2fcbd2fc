/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Picking the transport from a migration URI, in both directions.
 */
#include "migration/internal.h"

#include "qapi/error.h"

bool mig_connect_outgoing(const char *uri, MigConnectedFunc *cb,
                          void *opaque, GError **errp)
{
    const char *p;
    GError *err = NULL;
    int fd = -1;
    GPid child = 0;

    if ((p = g_str_has_prefix(uri, "tcp:") ? uri + 4 : NULL)) {
        return mig_socket_connect(p, false, cb, opaque, errp);
    }
    if ((p = g_str_has_prefix(uri, "unix:") ? uri + 5 : NULL)) {
        return mig_socket_connect(p, true, cb, opaque, errp);
    }
    if (g_str_has_prefix(uri, "exec:")) {
        mig_exec_outgoing(uri + 5, &fd, &child, &err);
    } else if (g_str_has_prefix(uri, "fd:")) {
        fd = mig_fd_outgoing(uri + 3, &err);
    } else {
        error_setg(errp, "Parameter 'uri' expects a valid migration protocol");
        return false;
    }
    /* These fail at once (no descriptor, no command): say so at once. */
    if (err) {
        g_propagate_error(errp, err);
        return false;
    }
    cb(fd, child, NULL, opaque);
    return true;
}

void mig_connect_cancel(void)
{
    mig_socket_connect_cancel();
}

typedef struct ImmediateAccept {
    MigAcceptFunc *cb;
    void *opaque;
    int fd;
    GPid child;
} ImmediateAccept;

static gboolean immediate_accept(gpointer data)
{
    ImmediateAccept *a = data;

    a->cb(a->fd, a->child, a->opaque);
    g_free(a);
    return G_SOURCE_REMOVE;
}

/* QEMU's check: multifd (or a feature needing several sockets) on tcp:/unix:. */
bool migrate_uri_check(const char *uri, GError **errp)
{
    if (migrate_multifd_enabled() && !g_str_has_prefix(uri, "tcp:") &&
        !g_str_has_prefix(uri, "unix:")) {
        error_setg(errp, "Migration requires multi-channel URIs (e.g. tcp)");
        return false;
    }
    return true;
}

bool mig_listen_incoming(const char *uri, MigAcceptFunc *cb, void *opaque,
                         MigrationSocketAddressList **addrs, GError **errp)
{
    int fd = -1;
    GPid child = 0;

    if (g_str_has_prefix(uri, "tcp:")) {
        return mig_socket_listen(uri + 4, false, cb, opaque, addrs, errp);
    }
    if (g_str_has_prefix(uri, "unix:")) {
        return mig_socket_listen(uri + 5, true, cb, opaque, addrs, errp);
    }
    if (g_str_has_prefix(uri, "exec:")) {
        if (!mig_exec_incoming(uri + 5, &fd, &child, errp)) {
            return false;
        }
    } else if (g_str_has_prefix(uri, "fd:")) {
        fd = mig_fd_incoming(uri + 3, errp);
        if (fd < 0) {
            return false;
        }
    } else {
        error_setg(errp, "unknown migration protocol: %s", uri);
        return false;
    }
    /* Start reading from the main loop, after the command returned. */
    ImmediateAccept *a = g_new(ImmediateAccept, 1);
    a->cb = cb;
    a->opaque = opaque;
    a->fd = fd;
    a->child = child;
    g_idle_add(immediate_accept, a);
    return true;
}
