/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net-test: virtio-net-pci as a guest driver and management see it:
 * PCI identity and capability layout (modern behind a root port,
 * transitional on pcie.0), feature negotiation (STANDBY only with
 * failover=on), the status machine and reset, frames both ways through a
 * stream netdev whose socket the test owns, link changes, reset during
 * traffic, a stopped VM leaving the rings alone, and hotplug onto a root
 * port.
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "libqtest.h"
#include "libqos/stream-peer.h"
#include "libqos/virtio-net.h"
#include "libqos/pci-hotplug.h"

#define ROOT_PORT "-device pcie-root-port,id=root0,bus=pcie.0,addr=0x1," \
                  "chassis=1 "
#define NIC_DEVFN QPCI_BDF(1, 0, 0)
#define TIMEOUT_US (5 * 1000 * 1000)

/* Offered with -netdev user and failover=on (virtio-pci.md §7). */
#define FEATURES_FAILOVER 0x4000010130bf8024ULL
#define F_STANDBY (1ULL << 62)

typedef struct Machine {
    QTestState *qts;
    QPCIBus *bus;
    QGuestAllocator alloc;
} Machine;

static void machine_start(Machine *m, int nports, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void machine_start(Machine *m, int nports, const char *fmt, ...)
{
    g_autofree char *args = NULL;
    va_list ap;

    va_start(ap, fmt);
    args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* Root ports: q35, which is not the default machine. */
    m->qts = qtest_initf("-M q35 %s", args);
    pc_alloc_init(&m->alloc, m->qts);
    m->bus = qpci_new_pc(m->qts);
    g_assert_cmpint(qpci_secondary_buses_init(m->bus), ==, nports);
    qvirtio_net_map_root_ports(m->bus, nports);
}

static void machine_stop(Machine *m)
{
    qpci_free_pc(m->bus);
    alloc_destroy(&m->alloc);
    qtest_quit(m->qts);
}

/* Capability ids in list order from 0x34. */
static GString *cap_walk(QPCIDevice *dev)
{
    GString *s = g_string_new(NULL);
    uint8_t pos = qpci_config_readb(dev, 0x34);

    for (int guard = 0; pos && guard < 48; guard++) {
        g_string_append_printf(s, "%s%02x@%02x", s->len ? " " : "",
                               qpci_config_readb(dev, pos), pos);
        pos = qpci_config_readb(dev, pos + 1);
    }
    return s;
}

static uint32_t bar_size(QPCIDevice *dev, int bar, uint32_t *type)
{
    uint8_t off = 0x10 + 4 * bar;
    uint32_t orig = qpci_config_readl(dev, off), v;

    *type = orig & ((orig & 1) ? 0x3 : 0xf);
    qpci_config_writel(dev, off, 0xffffffff);
    v = qpci_config_readl(dev, off);
    qpci_config_writel(dev, off, orig);
    v &= (v & 1) ? ~3u : ~0xfu;
    return v ? v & -v : 0;
}

static void test_modern_identity(void)
{
    Machine m;
    QPCIDevice dev;
    g_autoptr(GString) caps = NULL;
    uint32_t type;

    machine_start(&m, 1, ROOT_PORT "-netdev user,id=n0 "
                  "-device virtio-net-pci,bus=root0,netdev=n0,id=nic0");
    dev = qpci_device_at(m.bus, NIC_DEVFN);
    g_assert_cmphex(qpci_config_readw(&dev, 0x00), ==, 0x1af4);
    g_assert_cmphex(qpci_config_readw(&dev, 0x02), ==, 0x1041);
    g_assert_cmphex(qpci_config_readb(&dev, 0x08), ==, 0x01);
    g_assert_cmphex(qpci_config_readl(&dev, 0x08) >> 8, ==, 0x020000);
    g_assert_cmphex(qpci_config_readw(&dev, 0x2c), ==, 0x1af4);
    g_assert_cmphex(qpci_config_readw(&dev, 0x2e), ==, 0x1100);
    g_assert_cmphex(qpci_config_readb(&dev, 0x3d), ==, 1);
    g_assert_cmphex(qpci_config_readb(&dev, 0x0e), ==, 0);
    caps = cap_walk(&dev);
    g_assert_cmpstr(caps->str, ==, "11@dc 09@c8 09@b4 09@a4 09@94 09@84 "
                    "01@7c 10@40");
    /* Virtio capabilities: type, BAR, offset, length; notify multiplier. */
    for (int i = 0; i < 4; i++) {
        static const uint8_t pos[] = { 0x84, 0x94, 0xa4, 0xb4 };
        static const uint8_t cfg_type[] = { 1, 3, 4, 2 };

        g_assert_cmpint(qpci_config_readb(&dev, pos[i] + 3), ==, cfg_type[i]);
        g_assert_cmpint(qpci_config_readb(&dev, pos[i] + 4), ==, 4);
        g_assert_cmphex(qpci_config_readl(&dev, pos[i] + 8), ==,
                        i == 0 ? 0 : i == 1 ? 0x1000 : i == 2 ? 0x2000
                                                             : 0x3000);
        g_assert_cmphex(qpci_config_readl(&dev, pos[i] + 12), ==, 0x1000);
    }
    g_assert_cmpint(qpci_config_readb(&dev, 0xb4 + 2), ==, 0x14);
    g_assert_cmpint(qpci_config_readl(&dev, 0xb4 + 16), ==, 4);
    g_assert_cmpint(qpci_config_readb(&dev, 0xc8 + 3), ==, 5);
    g_assert_cmphex(qpci_config_readw(&dev, 0xdc + 2), ==, 0x0003);
    g_assert_cmphex(qpci_config_readl(&dev, 0xdc + 4), ==, 0x1);
    g_assert_cmphex(qpci_config_readl(&dev, 0xdc + 8), ==, 0x801);
    g_assert_cmphex(qpci_config_readw(&dev, 0x40 + 2), ==, 0x0002);
    g_assert_cmphex(qpci_config_readl(&dev, 0x40 + 4), ==, 0x10008000);
    g_assert_cmphex(qpci_config_readl(&dev, 0x40 + 0x0c), ==, 0x411);
    g_assert_cmphex(qpci_config_readw(&dev, 0x7c + 2), ==, 0x0003);
    /* BARs: no legacy I/O, MSI-X 4 KiB, 16 KiB 64-bit prefetchable. */
    g_assert_cmphex(qpci_config_readl(&dev, 0x10), ==, 0);
    g_assert_cmphex(qpci_config_readl(&dev, 0x20), ==, 0xc);
    g_assert_cmpuint(bar_size(&dev, 1, &type), ==, 4096);
    g_assert_cmphex(type, ==, 0);
    g_assert_cmpuint(bar_size(&dev, 4, &type), ==, 16384);
    g_assert_cmphex(type, ==, 0xc);
    machine_stop(&m);
}

static void test_transitional_identity(void)
{
    Machine m;
    QPCIDevice dev;
    g_autoptr(GString) caps = NULL;
    uint32_t type;

    machine_start(&m, 0, "-netdev user,id=n0 "
                  "-device virtio-net-pci,addr=0x2,netdev=n0,id=nic0");
    dev = qpci_device_at(m.bus, QPCI_DEVFN(2, 0));
    g_assert_cmphex(qpci_config_readl(&dev, 0x00), ==, 0x10001af4);
    g_assert_cmphex(qpci_config_readb(&dev, 0x08), ==, 0x00);
    g_assert_cmphex(qpci_config_readl(&dev, 0x2c), ==, 0x00011af4);
    caps = cap_walk(&dev);
    /* Root bus: no PCIe endpoint or PM capability. */
    g_assert(!strstr(caps->str, "10@"));
    g_assert(g_str_has_prefix(caps->str, "11@"));
    g_assert_cmpuint(bar_size(&dev, 0, &type), ==, 32);
    g_assert_cmphex(type, ==, 1);
    g_assert_cmpuint(bar_size(&dev, 4, &type), ==, 16384);
    machine_stop(&m);
}

/* The legacy interface of a transitional device works on its own. */
static void test_legacy_driver(void)
{
    Machine m;
    QVirtioNet n;
    uint64_t f;

    machine_start(&m, 0, "-netdev user,id=n0 "
                  "-device virtio-net-pci,addr=0x2,netdev=n0,id=nic0,"
                  "mac=52:54:00:aa:bb:cc");
    qvirtio_net_start(&n, m.bus, &m.alloc, QPCI_DEVFN(2, 0), 0, true);
    f = n.pci.vdev.bus->get_features(&n.pci.vdev);
    /* 32 bits, with the legacy-only ones and without VERSION_1. */
    g_assert_cmphex(f >> 32, ==, 0);
    g_assert_cmphex(f & (1u << 30), ==, 1u << 30);
    g_assert_cmphex(f & (1u << 6), ==, 1u << 6);
    g_assert_cmphex(n.pci.vdev.bus->config_readb(&n.pci.vdev, 5), ==, 0xcc);
    g_assert_cmphex(qvirtio_get_status(&n.pci.vdev), ==, 0x07);
    qvirtio_net_stop(&n);
    machine_stop(&m);
}

static uint64_t negotiate_like_libqos(QVirtioPCIDevice *p)
{
    QVirtioDevice *d = &p->vdev;
    uint64_t offered;

    qvirtio_reset(d);
    qvirtio_set_acknowledge(d);
    g_assert_cmphex(qvirtio_get_status(d), ==, 1);
    qvirtio_set_driver(d);
    g_assert_cmphex(qvirtio_get_status(d), ==, 3);
    offered = qvirtio_get_features(d);
    qvirtio_set_features(d, offered & ~((1ULL << 30) | (1ULL << 28) |
                                        (1ULL << 29)));
    qvirtio_set_features_ok(d);
    g_assert_cmphex(qvirtio_get_status(d), ==, 0x0b);
    qvirtio_set_driver_ok(d);
    g_assert_cmphex(qvirtio_get_status(d), ==, 0x0f);
    return offered;
}

static void test_features(void)
{
    Machine m;
    QVirtioPCIDevice p;

    machine_start(&m, 1, ROOT_PORT "-netdev user,id=n0 "
                  "-device virtio-net-pci,bus=root0,netdev=n0,id=nic0,"
                  "failover=on");
    g_assert(qvirtio_pci_init(&p, m.bus, NIC_DEVFN));
    g_assert(p.modern);
    g_assert_cmphex(negotiate_like_libqos(&p), ==, FEATURES_FAILOVER);
    /* Guest features read back what the driver wrote, masked to offers. */
    g_assert_cmphex(p.vdev.bus->get_guest_features(&p.vdev) & F_STANDBY, ==,
                    F_STANDBY);
    machine_stop(&m);

    machine_start(&m, 1, ROOT_PORT "-netdev user,id=n0 "
                  "-device virtio-net-pci,bus=root0,netdev=n0,id=nic0");
    g_assert(qvirtio_pci_init(&p, m.bus, NIC_DEVFN));
    g_assert_cmphex(negotiate_like_libqos(&p), ==,
                    FEATURES_FAILOVER & ~F_STANDBY);
    machine_stop(&m);
}

static void test_failover_property(void)
{
    QTestState *qts = qtest_init("-nodefaults");
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'device-list-properties', "
        "'arguments': {'typename': 'virtio-net-pci'}}");
    JsonArray *props = json_node_get_array(ret);
    bool found = false;

    for (guint i = 0; i < json_array_get_length(props); i++) {
        JsonObject *p = json_array_get_object_element(props, i);

        if (!strcmp(json_object_get_string_member(p, "name"), "failover")) {
            g_assert_cmpstr(json_object_get_string_member(p, "type"), ==,
                            "bool");
            g_assert_false(json_node_get_boolean(
                json_object_get_member(p, "default-value")));
            found = true;
        }
    }
    g_assert_true(found);
    qtest_quit(qts);
}

static void test_status_and_reset(void)
{
    Machine m;
    QVirtioPCIDevice p;
    QVirtioDevice *d = &p.vdev;

    machine_start(&m, 1, ROOT_PORT "-netdev user,id=n0 "
                  "-device virtio-net-pci,bus=root0,netdev=n0,id=nic0,"
                  "mac=52:54:00:12:34:99");
    g_assert(qvirtio_pci_init(&p, m.bus, NIC_DEVFN));
    negotiate_like_libqos(&p);
    /* Config: MAC, status (link up), all-ones past the end. */
    g_assert_cmphex(d->bus->config_readb(d, 0), ==, 0x52);
    g_assert_cmphex(d->bus->config_readb(d, 5), ==, 0x99);
    g_assert_cmphex(d->bus->config_readw(d, 6), ==, 1);
    g_assert_cmphex(d->bus->config_readw(d, 8), ==, 0xffff);
    /* Queues: 3, sizes 256/256/64, notify offsets = index. */
    g_assert_cmpint(qvirtio_pci_common_readw(&p, 0x12), ==, 3);
    for (int q = 0; q < 4; q++) {
        qvirtio_pci_common_writew(&p, 0x16, q);
        g_assert_cmpint(qvirtio_pci_common_readw(&p, 0x18), ==,
                        q < 2 ? 256 : q == 2 ? 64 : 0);
    }
    /* Past the device's queues, to the top of the index space: none. */
    for (int q = 3; q < 1024; q += q < 16 ? 1 : 101) {
        qvirtio_pci_common_writew(&p, 0x16, q);
        qvirtio_pci_common_writew(&p, 0x1a, 1);
        qvirtio_pci_common_writel(&p, 0x20, 0x5000);
        g_assert_cmpint(qvirtio_pci_common_readw(&p, 0x18), ==, 0);
        g_assert_cmphex(qvirtio_pci_common_readw(&p, 0x1a), ==, 0xffff);
        if (q >= 8) {
            /* Past the queues any device here can have: nothing kept. */
            g_assert_cmphex(qvirtio_pci_common_readl(&p, 0x20), ==, 0);
        }
    }
    qvirtio_pci_common_writew(&p, 0x16, 0);
    qvirtio_pci_common_writel(&p, 0x20, 0x123000);
    g_assert_cmphex(qvirtio_pci_common_readl(&p, 0x20), ==, 0x123000);
    /* An out-of-range MSI-X vector reads back NO_VECTOR. */
    qvirtio_pci_set_msix_config(&p, 7);
    g_assert_cmphex(qvirtio_pci_common_readw(&p, 0x10), ==, 0xffff);
    qvirtio_pci_set_msix_config(&p, 1);
    g_assert_cmphex(qvirtio_pci_common_readw(&p, 0x10), ==, 1);
    /* Reset clears status and queue registers, not the feature dwords. */
    qvirtio_reset(d);
    g_assert_cmphex(qvirtio_pci_common_readl(&p, 0x20), ==, 0);
    g_assert_cmphex(qvirtio_pci_common_readw(&p, 0x10), ==, 0xffff);
    g_assert_cmphex(d->bus->get_guest_features(d) >> 32, ==, 0x101);
    /* FEATURES_OK is refused when a required feature is not acked. */
    machine_stop(&m);

    machine_start(&m, 1, ROOT_PORT "-device virtio-net-pci,bus=root0,"
                  "iommu_platform=on");
    g_assert(qvirtio_pci_init(&p, m.bus, NIC_DEVFN));
    qvirtio_reset(d);
    qvirtio_set_acknowledge(d);
    qvirtio_set_driver(d);
    qvirtio_set_features(d, qvirtio_get_features(d) & ~(1ULL << 33));
    qvirtio_set_status(d, 0x0b);
    g_assert_cmphex(qvirtio_get_status(d), ==, 0x03);
    machine_stop(&m);
}

/* ---- Frames through a stream netdev ----------------------------------- */

/* The MAC a NIC gets by default: frames from the peer are for it. */
static const uint8_t nic_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static void start_stream(Machine *m, QStreamPeer *p, QVirtioNet *n)
{
    qstream_peer_listen(p);
    machine_start(m, 1, ROOT_PORT
                  "-netdev stream,id=n0,server=off,addr.type=unix,"
                  "addr.path=%s "
                  "-device virtio-net-pci,bus=root0,netdev=n0,id=nic0",
                  p->path);
    qstream_peer_accept(p);
    qvirtio_net_start(n, m->bus, &m->alloc, NIC_DEVFN, 0, false);
}

static void check_rx(Machine *m, QVirtioNet *n, uint64_t buf,
                     const uint8_t *frame, size_t len)
{
    uint8_t got[2048];
    uint32_t id, used_len;

    g_assert(qvirtqueue_wait_used(m->qts, n->rx, &id, &used_len,
                                  TIMEOUT_US));
    g_assert_cmpuint(used_len, ==, n->hdr_len + len);
    qtest_memread(m->qts, buf, got, used_len);
    /* num_buffers (last header field) is 1; the rest of the header 0. */
    g_assert_cmpint(got[10] | got[11] << 8, ==, 1);
    g_assert(!memcmp(got + n->hdr_len, frame, len));
}

static void test_stream_tx_rx(void)
{
    Machine m;
    QStreamPeer p;
    QVirtioNet n;
    uint8_t frame[1514], got[2048];
    uint64_t rxbuf;

    start_stream(&m, &p, &n);
    /* TX: the peer reads exactly the frame, without the virtio header. */
    for (int i = 0; i < 3; i++) {
        size_t len = i == 0 ? 60 : i == 1 ? 1514 : 342;

        qstream_make_frame(frame, len, nic_mac, i);
        qvirtio_net_tx(&n, frame, len);
        g_assert_cmpuint(qstream_peer_recv(&p, got, sizeof(got)), ==, len);
        g_assert(!memcmp(got, frame, len));
    }
    /* RX: the guest finds the frame after a virtio-net header. */
    rxbuf = guest_alloc(&m.alloc, 2048);
    qvirtio_net_rx_post(&n, rxbuf, 2048);
    qstream_make_frame(frame, 98, nic_mac, 7);
    qstream_peer_send(&p, frame, 98);
    check_rx(&m, &n, rxbuf, frame, 98);
    /* A frame arriving before any buffer waits for one. */
    qstream_make_frame(frame, 200, nic_mac, 9);
    qstream_peer_send(&p, frame, 200);
    qvirtio_net_rx_post(&n, rxbuf, 2048);
    check_rx(&m, &n, rxbuf, frame, 200);
    qvirtio_net_stop(&n);
    qstream_peer_close(&p);
    machine_stop(&m);
}

/*
 * A backend that cannot take more (the peer stops reading and the socket
 * fills) leaves the guest's TX frames in the ring instead of consuming
 * them into a queue that would overflow; when the peer reads again, every
 * frame arrives, in order.
 */
static void test_tx_backpressure(void)
{
    enum { FRAMES = 200, LEN = 60000 };
    Machine m;
    QStreamPeer p;
    QVirtioNet n;
    uint64_t buf;
    uint32_t id, used = 0;
    g_autofree uint8_t *got = g_malloc(LEN + 16);

    start_stream(&m, &p, &n);
    buf = guest_alloc(&m.alloc, n.hdr_len + LEN);
    qtest_memset(m.qts, buf, 0, n.hdr_len);
    qtest_memset(m.qts, buf + n.hdr_len, 0x5a, LEN);
    for (int i = 0; i < FRAMES; i++) {
        uint16_t head = qvirtqueue_add(m.qts, n.tx, buf, n.hdr_len + LEN,
                                       false, false);
        qvirtqueue_kick(&n.pci.vdev, n.tx, head);
    }
    /* The notifications are handled before the qtest replies. */
    while (qvirtqueue_get_used(m.qts, n.tx, &id, NULL)) {
        used++;
    }
    g_assert_cmpuint(used, <, FRAMES);

    for (int i = 0; i < FRAMES; i++) {
        g_assert_cmpuint(qstream_peer_recv(&p, got, LEN + 16), ==, LEN);
        g_assert_cmpint(got[0], ==, 0x5a);
        g_assert_cmpint(got[LEN - 1], ==, 0x5a);
    }
    while (used < FRAMES) {
        g_assert(qvirtqueue_wait_used(m.qts, n.tx, &id, NULL, TIMEOUT_US));
        used++;
    }
    qvirtio_net_stop(&n);
    qstream_peer_close(&p);
    machine_stop(&m);
}

/*
 * A stopped VM's NIC leaves the rings alone, as QEMU's does (vm_running):
 * a driver that still kicks (qtest can, a vCPU cannot) has its frame sent
 * on cont, and a frame from the network waits in the backend until then.
 * A migration source is such a VM once its device state is sent: what it
 * completed after that the destination would never know about (a driver
 * still polling the source then finds the destination's used index
 * "behind" it).
 */
static void test_stopped_vm(void)
{
    Machine m;
    QStreamPeer p;
    QVirtioNet n;
    uint8_t txf[60], f1[98], f2[150], wire[2 * (4 + 150)], got[2048];
    uint64_t rxbuf[2], txbuf;
    size_t w = 0;
    uint16_t head;
    uint32_t id;

    start_stream(&m, &p, &n);
    for (int i = 0; i < 2; i++) {
        rxbuf[i] = guest_alloc(&m.alloc, 2048);
    }
    /*
     * Two frames in one write, so that one read of the backend takes both
     * while the VM runs: the first fills the only buffer, the second
     * waits in the NIC's queue for the next one.
     */
    qvirtio_net_rx_post(&n, rxbuf[0], 2048);
    qstream_make_frame(f1, sizeof(f1), nic_mac, 1);
    qstream_make_frame(f2, sizeof(f2), nic_mac, 2);
    for (int i = 0; i < 2; i++) {
        const uint8_t *f = i ? f2 : f1;
        uint32_t len = i ? sizeof(f2) : sizeof(f1);

        wire[w++] = len >> 24;
        wire[w++] = len >> 16;
        wire[w++] = len >> 8;
        wire[w++] = len;
        memcpy(wire + w, f, len);
        w += len;
    }
    g_assert_cmpint(write(p.fd, wire, w), ==, w);
    check_rx(&m, &n, rxbuf[0], f1, sizeof(f1));

    qtest_qmp_assert_success(m.qts, "{'execute': 'stop'}");
    /* A kick is handled before the qtest write returns: nothing moves. */
    qvirtio_net_rx_post(&n, rxbuf[1], 2048);
    g_assert_cmpuint(qtest_readw(m.qts, n.rx->used + 2), ==, 1);
    txbuf = guest_alloc(&m.alloc, n.hdr_len + sizeof(txf));
    qstream_make_frame(txf, sizeof(txf), nic_mac, 3);
    qtest_memset(m.qts, txbuf, 0, n.hdr_len);
    qtest_memwrite(m.qts, txbuf + n.hdr_len, txf, sizeof(txf));
    head = qvirtqueue_add(m.qts, n.tx, txbuf, n.hdr_len + sizeof(txf),
                          false, false);
    qvirtqueue_kick(&n.pci.vdev, n.tx, head);
    g_assert_cmpuint(qtest_readw(m.qts, n.tx->used + 2), ==, 0);
    g_assert(qstream_fd_idle(p.fd));

    /* cont: the waiting frame comes in, the kicked one goes out. */
    qtest_qmp_assert_success(m.qts, "{'execute': 'cont'}");
    check_rx(&m, &n, rxbuf[1], f2, sizeof(f2));
    g_assert_cmpuint(qstream_peer_recv(&p, got, sizeof(got)), ==,
                     sizeof(txf));
    g_assert(!memcmp(got, txf, sizeof(txf)));
    g_assert(qvirtqueue_wait_used(m.qts, n.tx, &id, NULL, TIMEOUT_US));
    g_assert_cmpuint(id, ==, head);
    qvirtio_net_stop(&n);
    qstream_peer_close(&p);
    machine_stop(&m);
}

static void test_link(void)
{
    Machine m;
    QStreamPeer p;
    QVirtioNet n;
    QVirtioDevice *d = &n.pci.vdev;

    start_stream(&m, &p, &n);
    g_assert_cmphex(d->bus->config_readw(d, 6), ==, 1);
    d->bus->get_isr(d);
    qtest_qmp_assert_success(m.qts, "{'execute': 'set_link', 'arguments': "
                             "{'name': 'nic0', 'up': false}}");
    g_assert_cmphex(d->bus->config_readw(d, 6), ==, 0);
    /* Config change interrupt; reading ISR acknowledges it. */
    g_assert_cmphex(d->bus->get_isr(d) & 2, ==, 2);
    g_assert_cmphex(d->bus->get_isr(d), ==, 0);
    qtest_qmp_assert_success(m.qts, "{'execute': 'set_link', 'arguments': "
                             "{'name': 'n0', 'up': true}}");
    g_assert_cmphex(d->bus->config_readw(d, 6), ==, 1);
    qvirtio_net_stop(&n);
    qstream_peer_close(&p);
    machine_stop(&m);
}

static void test_reset_during_traffic(void)
{
    Machine m;
    QStreamPeer p;
    QVirtioNet n;
    uint8_t frame[600], got[2048];
    uint64_t rxbuf;

    start_stream(&m, &p, &n);
    rxbuf = guest_alloc(&m.alloc, 2048);
    qvirtio_net_rx_post(&n, rxbuf, 2048);
    /* Frames in flight while the driver resets the device. */
    for (int i = 0; i < 8; i++) {
        qstream_make_frame(frame, sizeof(frame), nic_mac, i);
        qstream_peer_send(&p, frame, sizeof(frame));
    }
    qvirtio_reset(&n.pci.vdev);
    g_assert_cmphex(qtest_readw(m.qts, n.rx->used + 2), <=, 1);
    qvirtio_net_stop(&n);
    /* A fresh start works both ways. */
    qvirtio_net_start(&n, m.bus, &m.alloc, NIC_DEVFN, 0, false);
    qstream_make_frame(frame, 100, nic_mac, 3);
    qvirtio_net_tx(&n, frame, 100);
    g_assert_cmpuint(qstream_peer_recv(&p, got, sizeof(got)), ==, 100);
    rxbuf = guest_alloc(&m.alloc, 2048);
    qvirtio_net_rx_post(&n, rxbuf, 2048);
    qstream_make_frame(frame, 77, nic_mac, 5);
    qstream_peer_send(&p, frame, 77);
    /* Frames sent before the reset may be dropped; this one arrives. */
    for (;;) {
        uint32_t id, len;
        uint8_t buf[2048];

        g_assert(qvirtqueue_wait_used(m.qts, n.rx, &id, &len, TIMEOUT_US));
        qtest_memread(m.qts, rxbuf, buf, len);
        if (len == n.hdr_len + 77 && !memcmp(buf + n.hdr_len, frame, 77)) {
            break;
        }
        qvirtio_net_rx_post(&n, rxbuf, 2048);
    }
    qvirtio_net_stop(&n);
    qstream_peer_close(&p);
    machine_stop(&m);
}

/* A TX chain of the virtio-net header alone: an empty frame. */
static void tx_header_only(Machine *m, QVirtioNet *n)
{
    uint64_t buf = guest_alloc(&m->alloc, n->hdr_len);
    uint32_t id, len;
    uint16_t head;

    qtest_memset(m->qts, buf, 0, n->hdr_len);
    head = qvirtqueue_add(m->qts, n->tx, buf, n->hdr_len, false, false);
    qvirtqueue_kick(&n->pci.vdev, n->tx, head);
    /* Completed at once, nothing written. */
    g_assert(qvirtqueue_wait_used(m->qts, n->tx, &id, &len, TIMEOUT_US));
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(len, ==, 0);
    guest_free(&m->alloc, buf);
}

/* The peer's next frame is exactly this one (no empty frame before it). */
static void tx_and_expect(Machine *m, QStreamPeer *p, QVirtioNet *n,
                          uint8_t seed, size_t len)
{
    uint8_t frame[1514], got[2048];

    qstream_make_frame(frame, len, nic_mac, seed);
    qvirtio_net_tx(n, frame, len);
    g_assert_cmpuint(qstream_peer_recv(p, got, sizeof(got)), ==, len);
    g_assert(!memcmp(got, frame, len));
}

/*
 * An empty frame neither reaches the network nor stalls the queue, and a
 * reset leaves nothing of the old driver's TX behind: the frames after
 * it arrive, alone and in order.
 */
static void test_tx_empty_frame(void)
{
    Machine m;
    QStreamPeer p;
    QVirtioNet n;

    start_stream(&m, &p, &n);
    tx_header_only(&m, &n);
    tx_and_expect(&m, &p, &n, 1, 60);
    tx_header_only(&m, &n);
    tx_header_only(&m, &n);
    tx_and_expect(&m, &p, &n, 2, 1514);
    /* Reset with an empty frame as the last thing sent, start again. */
    tx_header_only(&m, &n);
    qvirtio_net_stop(&n);
    qvirtio_net_start(&n, m.bus, &m.alloc, NIC_DEVFN, 0, false);
    tx_and_expect(&m, &p, &n, 3, 100);
    tx_and_expect(&m, &p, &n, 4, 200);
    qtest_qmp_assert_success(m.qts, "{'execute': 'query-status'}");
    qvirtio_net_stop(&n);
    qstream_peer_close(&p);
    machine_stop(&m);
}

/* An empty frame from the network is dropped; the next one arrives. */
static void test_rx_empty_frame(void)
{
    Machine m;
    QStreamPeer p;
    QVirtioNet n;
    uint8_t frame[128];
    uint64_t rxbuf;

    start_stream(&m, &p, &n);
    rxbuf = guest_alloc(&m.alloc, 2048);
    qvirtio_net_rx_post(&n, rxbuf, 2048);
    qstream_peer_send(&p, frame, 0);
    qstream_make_frame(frame, sizeof(frame), nic_mac, 6);
    qstream_peer_send(&p, frame, sizeof(frame));
    check_rx(&m, &n, rxbuf, frame, sizeof(frame));
    tx_and_expect(&m, &p, &n, 7, 64);
    qvirtio_net_stop(&n);
    qstream_peer_close(&p);
    machine_stop(&m);
}

/*
 * Indirect tables wherever the guest puts them, odd addresses included:
 * descriptors are copied out of guest RAM, never loaded through a
 * pointer (the sanitizer build would stop on a misaligned load).
 */
static void test_indirect_odd_address(void)
{
    Machine m;
    QStreamPeer p;
    QVirtioNet n;
    uint8_t frame[300], got[2048];
    uint64_t area, hdr, data, rxbuf;
    uint32_t id, len;
    uint16_t head;

    start_stream(&m, &p, &n);
    g_assert(n.pci.vdev.features & (1ULL << QVIRTIO_F_INDIRECT_DESC));
    area = guest_alloc(&m.alloc, 8192);
    hdr = area + 4096;
    data = hdr + n.hdr_len;
    rxbuf = guest_alloc(&m.alloc, 2048);
    for (int odd = 1; odd < 16; odd += 6) {
        /* TX: header and frame in two descriptors of an odd table. */
        qstream_make_frame(frame, sizeof(frame), nic_mac, odd);
        qtest_memset(m.qts, hdr, 0, n.hdr_len);
        qtest_memwrite(m.qts, data, frame, sizeof(frame));
        qvirtio_write_desc_at(m.qts, area + odd, hdr, n.hdr_len,
                         QVRING_DESC_F_NEXT, 1);
        qvirtio_write_desc_at(m.qts, area + odd + 16, data, sizeof(frame), 0, 0);
        head = qvirtqueue_add_indirect(m.qts, n.tx, area + odd, 2);
        qvirtqueue_kick(&n.pci.vdev, n.tx, head);
        g_assert(qvirtqueue_wait_used(m.qts, n.tx, &id, NULL, TIMEOUT_US));
        g_assert_cmpuint(qstream_peer_recv(&p, got, sizeof(got)), ==,
                         sizeof(frame));
        g_assert(!memcmp(got, frame, sizeof(frame)));

        /* RX: one writable buffer through an odd table. */
        qvirtio_write_desc_at(m.qts, area + 2048 + odd, rxbuf, 2048,
                         QVRING_DESC_F_WRITE, 0);
        head = qvirtqueue_add_indirect(m.qts, n.rx, area + 2048 + odd, 1);
        qvirtqueue_kick(&n.pci.vdev, n.rx, head);
        qstream_make_frame(frame, 99, nic_mac, odd + 1);
        qstream_peer_send(&p, frame, 99);
        g_assert(qvirtqueue_wait_used(m.qts, n.rx, &id, &len, TIMEOUT_US));
        g_assert_cmpuint(len, ==, n.hdr_len + 99);
        qtest_memread(m.qts, rxbuf + n.hdr_len, got, 99);
        g_assert(!memcmp(got, frame, 99));
    }
    g_assert_cmphex(qvirtio_get_status(&n.pci.vdev), ==, 0x0f);
    qvirtio_net_stop(&n);
    qstream_peer_close(&p);
    machine_stop(&m);
}

static void test_hotplug(void)
{
    Machine m;
    QVirtioPCIDevice p;
    g_autoptr(JsonObject) ev1 = NULL;
    g_autoptr(JsonObject) ev2 = NULL;
    JsonObject *data;

    machine_start(&m, 1, ROOT_PORT "-netdev user,id=n1");
    qtest_qmp_device_add(m.qts, "virtio-net-pci", "nic1",
                         "{'bus': 'root0', 'netdev': 'n1', "
                         "'mac': '52:54:00:00:00:42'}");
    g_assert(qvirtio_pci_init(&p, m.bus, NIC_DEVFN));
    g_assert(p.modern);
    negotiate_like_libqos(&p);
    g_assert_cmphex(p.vdev.bus->config_readb(&p.vdev, 5), ==, 0x42);

    /* Unplug: the guest ejects, two DEVICE_DELETED, backend first. */
    qtest_qmp_assert_success(m.qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'nic1'}}");
    acpi_pcihp_eject(m.qts, acpi_pcihp_bsel(m.qts,
                     "/machine/peripheral/root0/root0"), 0);
    ev1 = qtest_qmp_eventwait_ref(m.qts, "DEVICE_DELETED");
    data = json_object_get_object_member(ev1, "data");
    g_assert_false(json_object_has_member(data, "device"));
    g_assert_cmpstr(json_object_get_string_member(data, "path"), ==,
                    "/machine/peripheral/nic1/virtio-backend");
    ev2 = qtest_qmp_eventwait_ref(m.qts, "DEVICE_DELETED");
    data = json_object_get_object_member(ev2, "data");
    g_assert_cmpstr(json_object_get_string_member(data, "device"), ==,
                    "nic1");
    g_assert_cmpstr(json_object_get_string_member(data, "path"), ==,
                    "/machine/peripheral/nic1");
    g_assert_cmphex(qpci_config_readw(&p.pdev, 0), ==, 0xffff);
    /* The netdev is free again. */
    qtest_qmp_device_add(m.qts, "virtio-net-pci", "nic2",
                         "{'bus': 'root0', 'netdev': 'n1'}");
    machine_stop(&m);
}

static void test_netdev_errors(void)
{
    QTestState *qts = qtest_init("-M q35 " ROOT_PORT "-netdev user,id=n1 "
                                 "-device pcie-root-port,id=root1,"
                                 "bus=pcie.0,addr=0x2,chassis=2 "
                                 "-device virtio-net-pci,netdev=n1,"
                                 "bus=root0,id=a");

    qtest_qmp_expect_error(qts, "GenericError",
                           "Property 'virtio-net-pci.netdev' can't take "
                           "value 'n1', it's in use",
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'virtio-net-pci', 'netdev': 'n1', "
                           "'bus': 'root1'}}");
    qtest_qmp_expect_error(qts, "GenericError",
                           "Property 'virtio-net-pci.netdev' can't find "
                           "value 'nope'",
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'virtio-net-pci', 'netdev': 'nope', "
                           "'bus': 'root1'}}");
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/virtio-net/pci/modern-identity", test_modern_identity);
    qtest_add_func("/virtio-net/pci/transitional-identity",
                   test_transitional_identity);
    qtest_add_func("/virtio-net/pci/legacy-driver", test_legacy_driver);
    qtest_add_func("/virtio-net/features", test_features);
    qtest_add_func("/virtio-net/failover-property", test_failover_property);
    qtest_add_func("/virtio-net/status-and-reset", test_status_and_reset);
    qtest_add_func("/virtio-net/stream/tx-rx", test_stream_tx_rx);
    qtest_add_func("/virtio-net/stream/tx-backpressure",
                   test_tx_backpressure);
    qtest_add_func("/virtio-net/stream/stopped-vm", test_stopped_vm);
    qtest_add_func("/virtio-net/link", test_link);
    qtest_add_func("/virtio-net/reset-during-traffic",
                   test_reset_during_traffic);
    qtest_add_func("/virtio-net/stream/tx-empty-frame", test_tx_empty_frame);
    qtest_add_func("/virtio-net/stream/rx-empty-frame", test_rx_empty_frame);
    qtest_add_func("/virtio-net/stream/indirect-odd-address",
                   test_indirect_odd_address);
    qtest_add_func("/virtio-net/hotplug", test_hotplug);
    qtest_add_func("/virtio-net/netdev-errors", test_netdev_errors);
    return g_test_run();
}
