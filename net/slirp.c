/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev user: the guest's network is libslirp's, which answers DHCP and
 * DNS and turns the guest's TCP/UDP into host sockets (NAT).  hostfwd=
 * opens a host port that leads to a guest port.
 *
 * libslirp's sockets and timers are served by the GLib main loop: a GSource
 * asks slirp which fds to poll before each iteration and hands it the
 * results after; its timers are QEMU_CLOCK_REALTIME timers, since slirp's
 * TCP must keep running while a qtest holds the virtual clock still.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <slirp/libslirp.h>

#include "net/clients.h"
#include "qapi/error.h"
#include "qemu/timer.h"

typedef struct NetSlirpState NetSlirpState;

typedef struct SlirpSource {
    GSource source;
    NetSlirpState *s;
    GArray *pfds;               /* of GPollFD, registered with the source */
    gint64 deadline;            /* slirp's next timeout (monotonic us) */
} SlirpSource;

struct NetSlirpState {
    NetClientState *nc;
    Slirp *slirp;
    SlirpSource *src;
    uint8_t *buf;               /* for frames that come in pieces */
};

typedef struct NetSlirpTimer {
    NetSlirpState *s;
    QEMUTimer *timer;
    SlirpTimerId id;
    void *cb_opaque;
} NetSlirpTimer;

/* Main-loop glue */

static int slirp_add_poll(int fd, int events, void *opaque)
{
    SlirpSource *src = opaque;
    GPollFD pfd = { .fd = fd };

    if (events & SLIRP_POLL_IN) {
        pfd.events |= G_IO_IN;
    }
    if (events & SLIRP_POLL_OUT) {
        pfd.events |= G_IO_OUT;
    }
    if (events & SLIRP_POLL_PRI) {
        pfd.events |= G_IO_PRI;
    }
    if (events & SLIRP_POLL_ERR) {
        pfd.events |= G_IO_ERR;
    }
    if (events & SLIRP_POLL_HUP) {
        pfd.events |= G_IO_HUP;
    }
    g_array_append_val(src->pfds, pfd);
    return src->pfds->len - 1;
}

static int slirp_get_revents(int idx, void *opaque)
{
    SlirpSource *src = opaque;
    GPollFD *pfd;
    int r = 0;

    if (idx < 0 || (guint)idx >= src->pfds->len) {
        return 0;
    }
    pfd = &g_array_index(src->pfds, GPollFD, idx);
    if (pfd->revents & G_IO_IN) {
        r |= SLIRP_POLL_IN;
    }
    if (pfd->revents & G_IO_OUT) {
        r |= SLIRP_POLL_OUT;
    }
    if (pfd->revents & G_IO_PRI) {
        r |= SLIRP_POLL_PRI;
    }
    if (pfd->revents & G_IO_ERR) {
        r |= SLIRP_POLL_ERR;
    }
    if (pfd->revents & G_IO_HUP) {
        r |= SLIRP_POLL_HUP;
    }
    return r;
}

static void slirp_source_unregister(SlirpSource *src)
{
    for (guint i = 0; i < src->pfds->len; i++) {
        g_source_remove_poll(&src->source,
                             &g_array_index(src->pfds, GPollFD, i));
    }
    g_array_set_size(src->pfds, 0);
}

static gboolean slirp_source_prepare(GSource *source, gint *timeout)
{
    SlirpSource *src = (SlirpSource *)source;
    uint32_t t = UINT32_MAX;

    slirp_source_unregister(src);
    slirp_pollfds_fill(src->s->slirp, &t, slirp_add_poll, src);
    /* The array is complete: its elements no longer move. */
    for (guint i = 0; i < src->pfds->len; i++) {
        g_source_add_poll(source, &g_array_index(src->pfds, GPollFD, i));
    }
    *timeout = t == UINT32_MAX ? -1 : (gint)MIN(t, (uint32_t)G_MAXINT);
    src->deadline = t == UINT32_MAX ? G_MAXINT64
                                    : g_get_monotonic_time() + t * 1000LL;
    return t == 0;
}

static gboolean slirp_source_check(GSource *source)
{
    SlirpSource *src = (SlirpSource *)source;

    /*
     * Dispatch only for a ready fd or slirp's own timeout (its TCP timers
     * run from pollfds_poll): an always-ready source would starve the
     * lower-priority ones.
     */
    for (guint i = 0; i < src->pfds->len; i++) {
        if (g_array_index(src->pfds, GPollFD, i).revents) {
            return TRUE;
        }
    }
    return g_get_monotonic_time() >= src->deadline;
}

static gboolean slirp_source_dispatch(GSource *source, GSourceFunc cb,
                                      gpointer data)
{
    SlirpSource *src = (SlirpSource *)source;

    slirp_pollfds_poll(src->s->slirp, 0, slirp_get_revents, src);
    return G_SOURCE_CONTINUE;
}

static void slirp_source_finalize(GSource *source)
{
    SlirpSource *src = (SlirpSource *)source;

    g_array_free(src->pfds, true);
}

static GSourceFuncs slirp_source_funcs = {
    .prepare = slirp_source_prepare,
    .check = slirp_source_check,
    .dispatch = slirp_source_dispatch,
    .finalize = slirp_source_finalize,
};

/* libslirp callbacks */

static ssize_t slirp_cb_send(const void *buf, size_t len, void *opaque)
{
    NetSlirpState *s = opaque;

    /* A frame the guest cannot take now waits (bounded) in its queue. */
    qemu_send_packet(s->nc, buf, len);
    return len;
}

static void slirp_cb_guest_error(const char *msg, void *opaque)
{
    g_debug("user network: guest error: %s", msg);
}

static int64_t slirp_cb_clock_get_ns(void *opaque)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
}

static void slirp_timer_fire(void *opaque)
{
    NetSlirpTimer *t = opaque;

    slirp_handle_timer(t->s->slirp, t->id, t->cb_opaque);
}

static void *slirp_cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque,
                                       void *opaque)
{
    NetSlirpTimer *t = g_new0(NetSlirpTimer, 1);

    t->s = opaque;
    t->id = id;
    t->cb_opaque = cb_opaque;
    t->timer = timer_new_ms(QEMU_CLOCK_REALTIME, slirp_timer_fire, t);
    return t;
}

static void slirp_cb_timer_free(void *timer, void *opaque)
{
    NetSlirpTimer *t = timer;

    timer_free(t->timer);
    g_free(t);
}

static void slirp_cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    NetSlirpTimer *t = timer;

    timer_mod(t->timer, expire_ms);
}

static void slirp_cb_fd_nop(int fd, void *opaque)
{
}

static void slirp_cb_notify(void *opaque)
{
    g_main_context_wakeup(NULL);
}

static const SlirpCb slirp_callbacks = {
    .send_packet = slirp_cb_send,
    .guest_error = slirp_cb_guest_error,
    .clock_get_ns = slirp_cb_clock_get_ns,
    .timer_free = slirp_cb_timer_free,
    .timer_mod = slirp_cb_timer_mod,
    .register_poll_fd = slirp_cb_fd_nop,
    .unregister_poll_fd = slirp_cb_fd_nop,
    .notify = slirp_cb_notify,
    .timer_new_opaque = slirp_cb_timer_new_opaque,
};

/* The client */

static ssize_t user_receive(NetClientState *nc, const struct iovec *iov,
                            int iovcnt)
{
    NetSlirpState *s = nc->opaque;
    size_t size = 0;

    if (iovcnt == 1) {
        slirp_input(s->slirp, iov[0].iov_base, iov[0].iov_len);
        return iov[0].iov_len;
    }
    for (int i = 0; i < iovcnt; i++) {
        memcpy(s->buf + size, iov[i].iov_base, iov[i].iov_len);
        size += iov[i].iov_len;
    }
    slirp_input(s->slirp, s->buf, size);
    return size;
}

static void user_cleanup(NetClientState *nc)
{
    NetSlirpState *s = nc->opaque;

    if (s->src) {
        g_source_destroy(&s->src->source);
        g_source_unref(&s->src->source);
    }
    if (s->slirp) {
        slirp_cleanup(s->slirp);
    }
    g_free(s->buf);
    g_free(s);
}

static const NetClientInfo user_info = {
    .type = "user",
    .receive_iov = user_receive,
    .cleanup = user_cleanup,
};

/* Options */

/* Split "a:b" style rules at sep; false if sep is absent. */
static bool take_field(const char **p, char sep, char *buf, size_t size)
{
    const char *q = strchr(*p, sep);
    size_t n;

    if (!q) {
        return false;
    }
    n = MIN((size_t)(q - *p), size - 1);
    memcpy(buf, *p, n);
    buf[n] = '\0';
    *p = q + 1;
    return true;
}

static bool parse_port(const char *s, int min, int *port)
{
    char *end;
    long v = strtol(s, &end, 0);

    if (!*s || *end || v < min || v > 65535) {
        return false;
    }
    *port = v;
    return true;
}

static bool user_hostfwd(NetSlirpState *s, const char *rule, GError **errp)
{
    struct sockaddr_in host = { .sin_family = AF_INET };
    struct sockaddr_in guest = { .sin_family = AF_INET };
    const char *p = rule;
    const char *why;
    char buf[256];
    bool udp = false;
    int hport, gport;

    if (!take_field(&p, ':', buf, sizeof(buf))) {
        why = "No : separators";
        goto bad;
    }
    if (!strcmp(buf, "udp")) {
        udp = true;
    } else if (strcmp(buf, "tcp") && buf[0]) {
        why = "Bad protocol name";
        goto bad;
    }
    if (!take_field(&p, ':', buf, sizeof(buf))) {
        why = "Missing : separator";
        goto bad;
    }
    if (buf[0] && !inet_aton(buf, &host.sin_addr)) {
        why = "Bad host address";
        goto bad;
    }
    if (!take_field(&p, '-', buf, sizeof(buf))) {
        why = "Bad host port separator";
        goto bad;
    }
    if (!parse_port(buf, 0, &hport)) {
        why = "Bad host port";
        goto bad;
    }
    host.sin_port = htons(hport);
    if (!take_field(&p, ':', buf, sizeof(buf))) {
        why = "Missing guest address";
        goto bad;
    }
    if (buf[0] && !inet_aton(buf, &guest.sin_addr)) {
        why = "Bad guest address";
        goto bad;
    }
    if (!parse_port(p, 1, &gport)) {
        why = "Bad guest port";
        goto bad;
    }
    guest.sin_port = htons(gport);
    if (slirp_add_hostxfwd(s->slirp, (struct sockaddr *)&host, sizeof(host),
                           (struct sockaddr *)&guest, sizeof(guest),
                           udp ? SLIRP_HOSTFWD_UDP : 0) < 0) {
        error_setg(errp, "Could not set up host forwarding rule '%s'", rule);
        return false;
    }
    return true;

bad:
    error_setg(errp, "Invalid host forwarding rule '%s' (%s)", rule, why);
    return false;
}

typedef struct UserConfig {
    SlirpConfig cfg;
    GPtrArray *dnssearch;       /* NULL-terminated for slirp */
} UserConfig;

static bool opt_bool(const QemuOpts *opts, const char *name, bool def,
                     bool *out, GError **errp)
{
    GError *err = NULL;

    *out = qemu_opt_get_bool(opts, name, def, &err);
    if (err) {
        g_propagate_error(errp, err);
        return false;
    }
    return true;
}

static bool parse_net(const char *vnet, struct in_addr *net,
                      struct in_addr *mask, GError **errp)
{
    g_auto(GStrv) parts = g_strsplit(vnet, "/", 2);
    uint32_t a;

    if (!inet_aton(parts[0], net)) {
        error_setg(errp, "Failed to parse netmask");
        return false;
    }
    if (parts[1]) {
        char *end;
        long shift = strtol(parts[1], &end, 10);

        if (*end) {
            if (!inet_aton(parts[1], mask)) {
                error_setg(errp, "Failed to parse netmask (trailing chars)");
                return false;
            }
        } else if (shift < 4 || shift > 32) {
            error_setg(errp, "Invalid netmask provided (must be in range "
                       "4-32)");
            return false;
        } else {
            mask->s_addr = htonl(shift == 32 ? 0xffffffff
                                             : ~(0xffffffffu >> shift));
        }
        return true;
    }
    /* No mask given: the address's class decides, as it always has. */
    a = ntohl(net->s_addr);
    if (!(a & 0x80000000)) {
        mask->s_addr = htonl(0xff000000);
    } else if ((a & 0xfff00000) == 0xac100000) {
        mask->s_addr = htonl(0xfff00000);
    } else if ((a & 0xc0000000) == 0x80000000 ||
               (a & 0xffff0000) == 0xc0a80000) {
        mask->s_addr = htonl(0xffff0000);
    } else if ((a & 0xffff0000) == 0xc6120000) {
        mask->s_addr = htonl(0xfffe0000);
    } else if ((a & 0xe0000000) == 0xe0000000) {
        mask->s_addr = htonl(0xffffff00);
    } else {
        mask->s_addr = htonl(0xfffffff0);
    }
    return true;
}

static bool user_config(const QemuOpts *opts, UserConfig *uc, GError **errp)
{
    SlirpConfig *c = &uc->cfg;
    const char *vnet = qemu_opt_get(opts, "net");
    const char *vhost = qemu_opt_get(opts, "host");
    const char *vdns = qemu_opt_get(opts, "dns");
    const char *vdhcp = qemu_opt_get(opts, "dhcpstart");
    const char *p6 = qemu_opt_get(opts, "ipv6-prefix");
    const char *h6 = qemu_opt_get(opts, "ipv6-host");
    const char *d6 = qemu_opt_get(opts, "ipv6-dns");
    const char *p6len = qemu_opt_get(opts, "ipv6-prefixlen");
    const char *domain = qemu_opt_get(opts, "domainname");
    const char *hostname = qemu_opt_get(opts, "hostname");
    bool restricted, ipv4, ipv6;
    struct in_addr net = { htonl(0x0a000200) }, mask = { htonl(0xffffff00) };

    const char *r = qemu_opt_get(opts, "restrict");
    const char *p6net = qemu_opt_get(opts, "ipv6-net");
    g_auto(GStrv) p6parts = NULL;

    /* restrict= has taken y/n since before QEMU had on/off. */
    if (r && (!strcmp(r, "y") || !strcmp(r, "n"))) {
        restricted = r[0] == 'y';
    } else if (!opt_bool(opts, "restrict", false, &restricted, errp)) {
        return false;
    }
    if (p6net) {
        /* ipv6-net=PREFIX[/LEN] is short for ipv6-prefix= + ipv6-prefixlen= */
        p6parts = g_strsplit(p6net, "/", 2);
        p6 = p6parts[0];
        p6len = p6parts[1];
    }
    if (!opt_bool(opts, "ipv4", true, &ipv4, errp) ||
        !opt_bool(opts, "ipv6", true, &ipv6, errp)) {
        return false;
    }
    if (!ipv4 && (vnet || vhost || vdns)) {
        error_setg(errp, "IPv4 disabled but netmask/host/dns provided");
        return false;
    }
    if (!ipv6 && (p6 || h6 || d6)) {
        error_setg(errp, "IPv6 disabled but prefix/host6/dns6 provided");
        return false;
    }
    if (!ipv4 && !ipv6) {
        error_setg(errp, "IPv4 and IPv6 disabled");
        return false;
    }
    c->version = 4;
    c->restricted = restricted;
    c->in_enabled = ipv4;
    c->in6_enabled = ipv6;
    if (vnet && !parse_net(vnet, &net, &mask, errp)) {
        return false;
    }
    net.s_addr &= mask.s_addr;
    c->vnetwork = net;
    c->vnetmask = mask;
    c->vhost.s_addr = net.s_addr | (htonl(0x0202) & ~mask.s_addr);
    c->vdhcp_start.s_addr = net.s_addr | (htonl(0x020f) & ~mask.s_addr);
    c->vnameserver.s_addr = net.s_addr | (htonl(0x0203) & ~mask.s_addr);

    if (vhost && !inet_aton(vhost, &c->vhost)) {
        error_setg(errp, "Failed to parse host");
        return false;
    }
    if ((c->vhost.s_addr & mask.s_addr) != net.s_addr) {
        error_setg(errp, "Host doesn't belong to network");
        return false;
    }
    if (vdns && !inet_aton(vdns, &c->vnameserver)) {
        error_setg(errp, "Failed to parse DNS");
        return false;
    }
    if (restricted && (c->vnameserver.s_addr & mask.s_addr) != net.s_addr) {
        error_setg(errp, "DNS doesn't belong to network");
        return false;
    }
    if (c->vnameserver.s_addr == c->vhost.s_addr) {
        error_setg(errp, "DNS must be different from host");
        return false;
    }
    if (vdhcp && !inet_aton(vdhcp, &c->vdhcp_start)) {
        error_setg(errp, "Failed to parse DHCP start address");
        return false;
    }
    if ((c->vdhcp_start.s_addr & mask.s_addr) != net.s_addr) {
        error_setg(errp, "DHCP doesn't belong to network");
        return false;
    }
    if (c->vdhcp_start.s_addr == c->vhost.s_addr ||
        c->vdhcp_start.s_addr == c->vnameserver.s_addr) {
        error_setg(errp, "DHCP must be different from host and DNS");
        return false;
    }

    if (!inet_pton(AF_INET6, p6 ? p6 : "fec0::", &c->vprefix_addr6)) {
        error_setg(errp, "Failed to parse IPv6 prefix");
        return false;
    }
    c->vprefix_len = 64;
    if (p6len) {
        char *end;
        long v = strtol(p6len, &end, 10);

        if (!*p6len || *end || v < 0 || v > 126) {
            error_setg(errp, "Invalid IPv6 prefix provided (IPv6 prefix "
                       "length must be between 0 and 126)");
            return false;
        }
        c->vprefix_len = v;
    }
    c->vhost6 = c->vprefix_addr6;
    c->vhost6.s6_addr[15] |= 2;
    if (h6 && !inet_pton(AF_INET6, h6, &c->vhost6)) {
        error_setg(errp, "Failed to parse IPv6 host");
        return false;
    }
    c->vnameserver6 = c->vprefix_addr6;
    c->vnameserver6.s6_addr[15] |= 3;
    if (d6 && !inet_pton(AF_INET6, d6, &c->vnameserver6)) {
        error_setg(errp, "Failed to parse IPv6 DNS");
        return false;
    }

    if (domain && !*domain) {
        error_setg(errp, "'domainname' parameter cannot be empty");
        return false;
    }
    if (domain && strlen(domain) > 255) {
        error_setg(errp, "'domainname' parameter cannot exceed 255 bytes");
        return false;
    }
    if (hostname && strlen(hostname) > 255) {
        error_setg(errp, "'vhostname' parameter cannot exceed 255 bytes");
        return false;
    }
    c->vdomainname = domain;
    c->vhostname = hostname;
    c->tftp_path = qemu_opt_get(opts, "tftp");
    c->bootfile = qemu_opt_get(opts, "bootfile");
    c->tftp_server_name = qemu_opt_get(opts, "tftp-server-name");

    uc->dnssearch = g_ptr_array_new();
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (!strcmp(o->name, "dnssearch")) {
            g_ptr_array_add(uc->dnssearch, o->str);
        }
    }
    if (uc->dnssearch->len) {
        g_ptr_array_add(uc->dnssearch, NULL);
        c->vdnssearch = (const char **)uc->dnssearch->pdata;
    }
    return true;
}

NetClientState *net_init_user(QemuOpts *opts, const char *id, GError **errp)
{
    static const char *const allowed[] = {
        "net", "host", "dhcpstart", "dns", "hostname", "restrict", "ipv4",
        "ipv6", "ipv6-net", "ipv6-prefix", "ipv6-prefixlen", "ipv6-host",
        "ipv6-dns",
        "hostfwd", "domainname", "dnssearch", "tftp", "bootfile",
        "tftp-server-name", "guestfwd", "smb", "smbserver", NULL,
    };
    UserConfig uc = { 0 };
    NetSlirpState *s;
    NetClientState *nc;

    if (!net_opts_check(opts, allowed, NULL, errp)) {
        return NULL;
    }
    if (qemu_opt_has(opts, "guestfwd") || qemu_opt_has(opts, "smb") ||
        qemu_opt_has(opts, "smbserver")) {
        error_setg(errp, "%s= is not supported by this binary",
                   qemu_opt_has(opts, "guestfwd") ? "guestfwd" : "smb");
        return NULL;
    }
    if (!user_config(opts, &uc, errp)) {
        if (uc.dnssearch) {
            g_ptr_array_free(uc.dnssearch, true);
        }
        return NULL;
    }
    s = g_new0(NetSlirpState, 1);
    s->buf = g_malloc(NET_BUFSIZE);
    nc = qemu_new_net_client(&user_info, NULL, "user", id, s);
    s->nc = nc;
    qemu_set_info_str(nc, "net=%s,restrict=%s", inet_ntoa(uc.cfg.vnetwork),
                      uc.cfg.restricted ? "on" : "off");
    s->slirp = slirp_new(&uc.cfg, &slirp_callbacks, s);
    g_ptr_array_free(uc.dnssearch, true);
    if (!s->slirp) {
        error_setg(errp, "Device 'user' could not be initialized");
        qemu_del_net_client(nc);
        return NULL;
    }
    s->src = (SlirpSource *)g_source_new(&slirp_source_funcs,
                                         sizeof(SlirpSource));
    s->src->s = s;
    s->src->pfds = g_array_new(false, false, sizeof(GPollFD));
    g_source_attach(&s->src->source, NULL);

    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (!strcmp(o->name, "hostfwd") && !user_hostfwd(s, o->str, errp)) {
            qemu_del_net_client(nc);
            return NULL;
        }
    }
    return nc;
}
