/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev tap: frames to and from a host tap interface (/dev/net/tun).
 * With vnet_hdr=on each frame carries a 12-byte virtio-net header (the
 * virtio 1.0 layout), which the NIC reads and writes as is.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_tun.h>

#include "net/clients.h"
#include "qapi/error.h"

#define TAP_VNET_HDR_LEN 12

typedef struct NetTapState {
    NetClientState *nc;
    int fd;
    char ifname[IFNAMSIZ];
    char *downscript;
    NetFdWatch watch;
    uint8_t *buf;
} NetTapState;

static void tap_update_watch(NetTapState *s)
{
    net_fd_watch_set(&s->watch, net_fd_watch_wanted(s->nc));
}

static ssize_t tap_receive(NetClientState *nc, const struct iovec *iov,
                           int iovcnt)
{
    NetTapState *s = nc->opaque;
    size_t size = 0;
    ssize_t n;

    for (int i = 0; i < iovcnt; i++) {
        size += iov[i].iov_len;
    }
    if (iovcnt > IOV_MAX) {
        g_autofree uint8_t *flat = g_malloc(size);
        size_t len = net_iov_to_buf(iov, iovcnt, flat);

        do {
            n = write(s->fd, flat, len);
        } while (n < 0 && errno == EINTR);
    } else {
        do {
            n = writev(s->fd, iov, iovcnt);
        } while (n < 0 && errno == EINTR);
    }
    if (n < 0 && errno == EAGAIN) {
        net_fd_watch_set(&s->watch, s->watch.cond | G_IO_OUT);
        return 0;
    }
    if (n < 0) {
        nc->rx_dropped++;       /* e.g. the interface is down */
    }
    return size;
}

static gboolean tap_ready(int fd, GIOCondition cond, void *opaque)
{
    NetTapState *s = opaque;

    if (cond & G_IO_OUT) {
        qemu_flush_queued_packets(s->nc);
    }
    if (cond & G_IO_IN) {
        /* What one wake-up reads reaches the guest with one interrupt. */
        G_GNUC_UNUSED g_auto(NetBatch) batch =
            { qemu_net_batch_begin(s->nc) };

        for (int i = 0; i < 64 && qemu_can_send_packet(s->nc); i++) {
            ssize_t n = read(fd, s->buf, NET_BUFSIZE);

            if (n <= 0) {
                break;
            }
            qemu_send_packet(s->nc, s->buf, n);
        }
    }
    tap_update_watch(s);
    return G_SOURCE_CONTINUE;
}

static void tap_send_ready(NetClientState *nc)
{
    tap_update_watch(nc->opaque);
}

static bool run_script(const char *script, const char *ifname, GError **errp)
{
    char *argv[] = { (char *)script, (char *)ifname, NULL };
    int status;

    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                      NULL, &status, NULL)) {
        error_setg(errp, "could not launch network script %s", script);
        return false;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        error_setg(errp, "network script %s failed with status %d", script,
                   status);
        return false;
    }
    return true;
}

static void tap_cleanup(NetClientState *nc)
{
    NetTapState *s = nc->opaque;

    net_fd_watch_stop(&s->watch);
    if (s->downscript) {
        run_script(s->downscript, s->ifname, NULL);
    }
    close(s->fd);
    g_free(s->downscript);
    g_free(s->buf);
    g_free(s);
}

static const NetClientInfo tap_info = {
    .type = "tap",
    .receive_iov = tap_receive,
    .send_ready = tap_send_ready,
    .cleanup = tap_cleanup,
};

static bool no_script(const char *s)
{
    return !s || !*s || !strcmp(s, "no");
}

static int tap_open(const char *ifname, bool vnet_hdr, char *name_out,
                    GError **errp)
{
    struct ifreq ifr = { 0 };
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        error_setg_errno(errp, errno, "could not open %s", "/dev/net/tun");
        return -1;
    }
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
    if (ifname) {
        g_strlcpy(ifr.ifr_name, ifname, IFNAMSIZ);
    }
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        if (ifname) {
            error_setg_errno(errp, errno, "could not configure %s (%s)",
                             "/dev/net/tun", ifname);
        } else {
            error_setg_errno(errp, errno, "could not configure %s",
                             "/dev/net/tun");
        }
        close(fd);
        return -1;
    }
    if (vnet_hdr) {
        int len = TAP_VNET_HDR_LEN;
        ioctl(fd, TUNSETVNETHDRSZ, &len);
    }
    g_strlcpy(name_out, ifr.ifr_name, IFNAMSIZ);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

NetClientState *net_init_tap(QemuOpts *opts, const char *id, GError **errp)
{
    static const char *const allowed[] = {
        "ifname", "script", "downscript", "vnet_hdr", "fd", "br", "helper",
        "sndbuf", "vhost", "queues", NULL,
    };
    const char *ifname = qemu_opt_get(opts, "ifname");
    const char *script = qemu_opt_get(opts, "script");
    const char *downscript = qemu_opt_get(opts, "downscript");
    const char *fdstr = qemu_opt_get(opts, "fd");
    char name[IFNAMSIZ] = "";
    NetTapState *s;
    GError *err = NULL;
    bool vnet_hdr;
    int fd;

    if (!net_opts_check(opts, allowed, NULL, errp)) {
        return NULL;
    }
    if (qemu_opt_has(opts, "helper") || qemu_opt_has(opts, "br")) {
        error_setg(errp, "helper= and br= are not supported by this binary");
        return NULL;
    }
    vnet_hdr = qemu_opt_get_bool(opts, "vnet_hdr", false, &err);
    if (err) {
        g_propagate_error(errp, err);
        return NULL;
    }
    if (fdstr) {
        char *end;
        long v = strtol(fdstr, &end, 10);

        if (ifname || script || downscript || qemu_opt_has(opts, "vnet_hdr")) {
            error_setg(errp, "ifname=, script=, downscript=, vnet_hdr=, "
                       "helper=, queues=, fds=, and vhostfds= are invalid "
                       "with fd=");
            return NULL;
        }
        if (!*fdstr || *end || v < 0 || fcntl(v, F_GETFD) < 0) {
            error_setg(errp, "Invalid file descriptor %s", fdstr);
            return NULL;
        }
        fd = v;
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    } else {
        fd = tap_open(ifname, vnet_hdr, name, errp);
        if (fd < 0) {
            return NULL;
        }
        if (!no_script(script) && !run_script(script, name, errp)) {
            close(fd);
            return NULL;
        }
    }
    s = g_new0(NetTapState, 1);
    s->fd = fd;
    g_strlcpy(s->ifname, name, sizeof(s->ifname));
    s->downscript = no_script(downscript) || fdstr ? NULL
                                                   : g_strdup(downscript);
    s->buf = g_malloc(NET_BUFSIZE);
    s->nc = qemu_new_net_client(&tap_info, NULL, "tap", id, s);
    s->nc->has_vnet_hdr = vnet_hdr;
    if (fdstr) {
        qemu_set_info_str(s->nc, "fd=%d", fd);
    } else {
        qemu_set_info_str(s->nc, "ifname=%s,script=%s,downscript=%s", name,
                          script ? script : "/etc/qemu-ifup",
                          downscript ? downscript : "/etc/qemu-ifdown");
    }
    s->watch.fd = -1;
    net_fd_watch_init(&s->watch, fd, tap_ready, s);
    tap_update_watch(s);
    return s->nc;
}
