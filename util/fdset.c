/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * File descriptor sets (-add-fd) and opening "/dev/fdset/N".  The sets
 * live as long as the process: nothing removes them (QEMU's remove-fd is
 * not implemented), so the descriptors stay open for re-opens, as a
 * chardev's reconnect or a second open of the same path would need.
 */
#include "qemu/fdset.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "qapi/error.h"
#include "qapi/qapi-commands.h"

typedef struct FdsetFd {
    int fd;
    char *opaque;
} FdsetFd;

typedef struct Fdset {
    int64_t id;
    GArray *fds;                /* of FdsetFd */
} Fdset;

static GPtrArray *fdsets;       /* of Fdset *, reachable until exit */

static Fdset *fdset_find(int64_t id)
{
    for (guint i = 0; fdsets && i < fdsets->len; i++) {
        Fdset *s = g_ptr_array_index(fdsets, i);
        if (s->id == id) {
            return s;
        }
    }
    return NULL;
}

/* A non-negative decimal number, the whole string; else -1. */
static int64_t parse_number(const char *s)
{
    char *end;
    gint64 v;

    if (!s || !g_ascii_isdigit(s[0])) {
        return -1;
    }
    errno = 0;
    v = g_ascii_strtoll(s, &end, 10);
    if (*end || errno) {
        return -1;
    }
    return v;
}

/* fd= and set=: absent or negative is -1, as QEMU reads them. */
static bool get_number(QemuOpts *opts, const char *name, int64_t *out,
                       GError **errp)
{
    const char *v = qemu_opt_get(opts, name);

    *out = -1;
    if (!v) {
        return true;
    }
    *out = parse_number(v[0] == '-' ? v + 1 : v);
    if (*out < 0) {
        error_setg(errp, "Parameter '%s' expects a number", name);
        return false;
    }
    if (v[0] == '-') {
        *out = -1;
    }
    return true;
}

int fdset_add_fd_opts(QemuOpts *opts, GError **errp)
{
    static const char *const allowed[] = { "fd", "set", "opaque", NULL };
    int64_t fd, set;
    int flags, dupfd;

    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);
        if (!g_strv_contains(allowed, opt->name)) {
            error_setg(errp, "Invalid parameter '%s'", opt->name);
            return -1;
        }
    }
    if (!get_number(opts, "fd", &fd, errp) ||
        !get_number(opts, "set", &set, errp)) {
        return -1;
    }
    if (fd < 0 || fd > G_MAXINT) {
        error_setg(errp, "fd option is required and must be non-negative");
        return -1;
    }
    if (fd <= STDERR_FILENO) {
        error_setg(errp, "fd cannot be a standard I/O stream");
        return -1;
    }
    /* Inherited descriptors have FD_CLOEXEC clear; all of ours set it. */
    flags = fcntl(fd, F_GETFD);
    if (flags == -1 || (flags & FD_CLOEXEC)) {
        error_setg(errp, "fd is not valid or already in use");
        return -1;
    }
    if (set < 0) {
        error_setg(errp, "set option is required and must be non-negative");
        return -1;
    }
    dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dupfd == -1) {
        error_setg(errp, "error duplicating fd: %s", g_strerror(errno));
        return -1;
    }

    Fdset *s = fdset_find(set);
    if (!s) {
        if (!fdsets) {
            fdsets = g_ptr_array_new();
        }
        s = g_new0(Fdset, 1);
        s->id = set;
        s->fds = g_array_new(false, false, sizeof(FdsetFd));
        g_ptr_array_add(fdsets, s);
    }
    FdsetFd f = { dupfd, g_strdup(qemu_opt_get(opts, "opaque")) };
    g_array_append_val(s->fds, f);
    return fd;
}

/*
 * A duplicate of a set member for flags: the first member with the same
 * access mode; the status flags open(2) would have given (O_APPEND,
 * O_NONBLOCK) set on it, and truncated where open(2) would truncate.
 */
static int fdset_dup(int64_t id, int flags)
{
    Fdset *s = fdset_find(id);
    int fd = -1, dupfd, fl;

    if (!s) {
        errno = ENOENT;
        return -1;
    }
    for (guint i = 0; i < s->fds->len; i++) {
        int cand = g_array_index(s->fds, FdsetFd, i).fd;
        fl = fcntl(cand, F_GETFL);
        if (fl != -1 && (fl & O_ACCMODE) == (flags & O_ACCMODE)) {
            fd = cand;
            break;
        }
    }
    if (fd == -1) {
        errno = EACCES;
        return -1;
    }
    dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dupfd == -1) {
        return -1;
    }
    fl = fcntl(dupfd, F_GETFL);
    fl = (fl & ~(O_APPEND | O_NONBLOCK)) | (flags & (O_APPEND | O_NONBLOCK));
    if (fcntl(dupfd, F_SETFL, fl) == -1 ||
        ((flags & O_TRUNC) && ftruncate(dupfd, 0) == -1)) {
        int e = errno;
        close(dupfd);
        errno = e;
        return -1;
    }
    return dupfd;
}

int qemu_open_path(const char *name, int flags, mode_t mode, GError **errp)
{
    int fd;

    if (g_str_has_prefix(name, "/dev/fdset/")) {
        int64_t id = parse_number(name + strlen("/dev/fdset/"));
        if (id < 0) {
            error_setg(errp, "Could not parse fdset %s", name);
            errno = EINVAL;
            return -1;
        }
        fd = fdset_dup(id, flags);
        if (fd < 0) {
            error_setg_errno(errp, errno, "Could not dup FD for %s flags %x",
                             name, flags);
        }
        return fd;
    }
    fd = open(name, flags | O_CLOEXEC, mode);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not %s '%s'",
                         (flags & O_CREAT) ? "create" : "open", name);
    }
    return fd;
}

/* query-fdsets: every set and its descriptors, in the order they came. */
FdsetInfoList *qmp_query_fdsets(GError **errp)
{
    FdsetInfoList *head = NULL, **tail = &head;

    for (guint i = 0; fdsets && i < fdsets->len; i++) {
        Fdset *s = g_ptr_array_index(fdsets, i);
        FdsetInfoList *elt = g_new0(FdsetInfoList, 1);
        FdsetFdInfoList **ftail;

        elt->value = g_new0(FdsetInfo, 1);
        elt->value->fdset_id = s->id;
        ftail = &elt->value->fds;
        for (guint j = 0; j < s->fds->len; j++) {
            FdsetFd *f = &g_array_index(s->fds, FdsetFd, j);
            FdsetFdInfoList *fe = g_new0(FdsetFdInfoList, 1);

            fe->value = g_new0(FdsetFdInfo, 1);
            fe->value->fd = f->fd;
            fe->value->opaque = g_strdup(f->opaque);
            *ftail = fe;
            ftail = &fe->next;
        }
        *tail = elt;
        tail = &elt->next;
    }
    return head;
}
