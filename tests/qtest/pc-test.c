/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pc-test: the pc machine (pc-i440fx-8.1) as a guest and management see
 * it: the functions on pci.0 and their registers, PIRQ routing to the
 * I/O APIC, the PIIX4 PM block, ACPI PCI hotplug at 0xae00, and what
 * QEMU's libqos virtio-net tests under /x86_64/pc/i440FX-pcihost/ do: a
 * virtio-net-pci at 04.0 carrying frames, RX across stop/cont, hotplug
 * at 06.0 and its ACPI unplug.  Failover on pc: pci.0 is not PCI Express.
 */
#include <string.h>

#include "libqtest.h"
#include "libqos/query-pci.h"
#include "libqos/stream-peer.h"
#include "libqos/virtio-net.h"

#define PC "-M pc -nodefaults "
#define PIIX_PCIHP_EJ   0xae08
#define PIIX_PCIHP_UP   0xae00
#define PIIX_PCIHP_DOWN 0xae04
#define PIIX_PCIHP_SEL  0xae10
#define PIIX_GPE_STS    0xafe0
#define PIIX_GPE_EN     0xafe2
#define PMBASE          0x600
#define NIC_DEVFN       QPCI_BDF(0, 4, 0)
#define TIMEOUT_US      (5 * 1000 * 1000)

static uint8_t cfg8(QPCIBus *bus, int devfn, uint8_t off)
{
    QPCIDevice d = qpci_device_at(bus, devfn);

    return qpci_config_readb(&d, off);
}

static uint32_t cfg32(QPCIBus *bus, int devfn, uint8_t off)
{
    QPCIDevice d = qpci_device_at(bus, devfn);

    return qpci_config_readl(&d, off);
}

static void cfg_write8(QPCIBus *bus, int devfn, uint8_t off, uint8_t v)
{
    QPCIDevice d = qpci_device_at(bus, devfn);

    qpci_config_writeb(&d, off, v);
}

/* vendor | device << 16, class << 8 | revision, as a guest reads them. */
static void check_function(QPCIBus *bus, int devfn, uint32_t id,
                           uint32_t class_rev)
{
    g_assert_cmphex(cfg32(bus, devfn, 0), ==, id);
    g_assert_cmphex(cfg32(bus, devfn, 8), ==, class_rev);
}

static void test_functions(void)
{
    QTestState *qts = qtest_init(PC);
    QPCIBus *bus = qpci_new_pc(qts);
    g_autoptr(JsonNode) type = NULL;

    check_function(bus, QPCI_DEVFN(0, 0), 0x12378086, 0x06000002);
    check_function(bus, QPCI_DEVFN(1, 0), 0x70008086, 0x06010000);
    check_function(bus, QPCI_DEVFN(1, 1), 0x70108086, 0x01018000);
    check_function(bus, QPCI_DEVFN(1, 3), 0x71138086, 0x06800003);
    /* PIIX3 is multifunction; nothing else answers on pci.0. */
    g_assert_cmphex(cfg8(bus, QPCI_DEVFN(1, 0), 0x0e), ==, 0x80);
    g_assert_cmphex(cfg32(bus, QPCI_DEVFN(1, 2), 0), ==, 0xffffffff);
    g_assert_cmphex(cfg32(bus, QPCI_DEVFN(2, 0), 0), ==, 0xffffffff);
    g_assert_cmphex(cfg32(bus, QPCI_DEVFN(0x1f, 0), 0), ==, 0xffffffff);
    /* The host and its bus, where libqos's graph puts them. */
    type = qtest_qmp_assert_success_ref(qts, "{'execute': 'qom-get', "
        "'arguments': {'path': '/machine/i440fx', 'property': 'type'}}");
    g_assert_cmpstr(json_node_get_string(type), ==, "i440FX-pcihost");
    qtest_qmp_assert_success(qts, "{'execute': 'qom-list', 'arguments': "
                             "{'path': '/machine/i440fx/pci.0'}}");
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_host_registers(void)
{
    QTestState *qts = qtest_init(PC "-m 256M");
    QPCIBus *bus = qpci_new_pc(qts);
    int host = QPCI_DEVFN(0, 0);

    /* SMRAM: C_BASE_SEG only; PAM: everything to PCI (reset). */
    g_assert_cmphex(cfg8(bus, host, 0x72), ==, 0x02);
    for (int i = 0; i < 7; i++) {
        g_assert_cmphex(cfg8(bus, host, 0x59 + i), ==, 0);
    }
    /* RAM size in 8 MiB units at 0x57. */
    g_assert_cmphex(cfg8(bus, host, 0x57), ==, 32);
    /* The firmware opens the BIOS area read/write and SMRAM: read back. */
    for (int i = 0; i < 7; i++) {
        cfg_write8(bus, host, 0x59 + i, 0x33);
    }
    cfg_write8(bus, host, 0x72, 0x4a);          /* D_OPEN | G_SMRAME */
    for (int i = 0; i < 7; i++) {
        g_assert_cmphex(cfg8(bus, host, 0x59 + i), ==, 0x33);
    }
    g_assert_cmphex(cfg8(bus, host, 0x72), ==, 0x4a);
    /* The standard header stays read-only. */
    cfg_write8(bus, host, 0x00, 0x00);
    g_assert_cmphex(cfg32(bus, host, 0), ==, 0x12378086);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_piix3_registers(void)
{
    QTestState *qts = qtest_init(PC);
    QPCIBus *bus = qpci_new_pc(qts);
    int isa = QPCI_DEVFN(1, 0);
    static const uint8_t regs[][2] = {
        { 0x04, 0x07 }, { 0x4c, 0x4d }, { 0x4e, 0x03 }, { 0x60, 0x80 },
        { 0x61, 0x80 }, { 0x62, 0x80 }, { 0x63, 0x80 }, { 0x69, 0x02 },
        { 0x70, 0x80 }, { 0x76, 0x0c }, { 0x77, 0x0c }, { 0x78, 0x02 },
        { 0xa0, 0x08 }, { 0xa8, 0x0f },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(regs); i++) {
        g_assert_cmphex(cfg8(bus, isa, regs[i][0]), ==, regs[i][1]);
    }
    /* The firmware routes PIRQA..D; a reset puts them back. */
    cfg_write8(bus, isa, 0x60, 0x0b);
    g_assert_cmphex(cfg8(bus, isa, 0x60), ==, 0x0b);
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
    g_assert_cmphex(cfg8(bus, isa, 0x60), ==, 0x80);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

/* ---- PIIX4 PM ----------------------------------------------------------- */

static void pm_enable(QPCIBus *bus)
{
    int pm = QPCI_DEVFN(1, 3);
    QPCIDevice d = qpci_device_at(bus, pm);

    qpci_config_writel(&d, 0x40, PMBASE | 1);
    cfg_write8(bus, pm, 0x80, 0x01);
}

static void test_pm_registers(void)
{
    QTestState *qts = qtest_init(PC);
    QPCIBus *bus = qpci_new_pc(qts);
    int pm = QPCI_DEVFN(1, 3);

    g_assert_cmphex(cfg8(bus, pm, 0x40), ==, 0x01);
    g_assert_cmphex(cfg8(bus, pm, 0x80), ==, 0x00);
    g_assert_cmphex(cfg8(bus, pm, 0x90), ==, 0x01);      /* SMBus 0xb100 */
    g_assert_cmphex(cfg8(bus, pm, 0x91), ==, 0xb1);
    g_assert_cmphex(cfg8(bus, pm, 0xd2), ==, 0x09);
    g_assert_cmphex(cfg8(bus, pm, 0x3d), ==, 1);
    /* PM1 is decoded only once the firmware enables it at its base. */
    g_assert_cmphex(qtest_inw(qts, PMBASE + 2), ==, 0xffff);
    pm_enable(bus);
    qtest_outw(qts, PMBASE + 2, 0x0121);
    g_assert_cmphex(qtest_inw(qts, PMBASE + 2), ==, 0x0121);
    qtest_outw(qts, PMBASE + 4, 0x0001);
    g_assert_cmphex(qtest_inw(qts, PMBASE + 4), ==, 0x0001);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

/* system_powerdown: PM1_STS.PWRBTN and the SCI (GSI 9), as on q35. */
static void test_power_button(void)
{
    QTestState *qts = qtest_init(PC);
    QPCIBus *bus = qpci_new_pc(qts);

    pm_enable(bus);
    qtest_irq_intercept_in(qts, "ioapic");
    qtest_outw(qts, PMBASE + 4, 0x0001);                /* SCI_EN */
    /* Not enabled by the guest: the press is not latched. */
    qtest_qmp_assert_success(qts, "{'execute': 'system_powerdown'}");
    qtest_qmp_eventwait(qts, "POWERDOWN");
    g_assert_cmphex(qtest_inw(qts, PMBASE), ==, 0);
    g_assert_false(qtest_get_irq(qts, 9));

    qtest_outw(qts, PMBASE + 2, 0x0100);                /* PWRBTN_EN */
    qtest_qmp_assert_success(qts, "{'execute': 'system_powerdown'}");
    qtest_qmp_eventwait(qts, "POWERDOWN");
    g_assert_cmphex(qtest_inw(qts, PMBASE), ==, 0x0100);
    g_assert_true(qtest_get_irq(qts, 9));
    /* Write 1 to clear: the SCI goes with it. */
    qtest_outw(qts, PMBASE, 0x0100);
    g_assert_cmphex(qtest_inw(qts, PMBASE), ==, 0);
    g_assert_false(qtest_get_irq(qts, 9));
    qpci_free_pc(bus);
    qtest_quit(qts);
}

/* ---- INTx through PIIX3 ------------------------------------------------- */

static void test_pirq_routing(void)
{
    QTestState *qts = qtest_init(PC "-netdev user,id=n0 "
                                 "-device virtio-net-pci,netdev=n0,id=nic0,"
                                 "addr=04.0");
    QPCIBus *bus = qpci_new_pc(qts);
    QGuestAllocator alloc;
    QVirtioNet n;

    pc_alloc_init(&alloc, qts);
    qtest_irq_intercept_in(qts, "ioapic");
    qvirtio_net_start(&n, bus, &alloc, NIC_DEVFN, 0, false);
    /* Slot 4 INTA is PIRQD; route it to IRQ 10. */
    cfg_write8(bus, QPCI_DEVFN(1, 0), 0x63, 10);
    g_assert_false(qtest_get_irq(qts, 10));
    /* A config change with MSI-X off raises INTx. */
    qtest_qmp_assert_success(qts, "{'execute': 'set_link', 'arguments': "
                             "{'name': 'nic0', 'up': false}}");
    g_assert_true(qtest_get_irq(qts, 10));
    /* Re-routed: the old line drops, the new one rises. */
    cfg_write8(bus, QPCI_DEVFN(1, 0), 0x63, 11);
    g_assert_false(qtest_get_irq(qts, 10));
    g_assert_true(qtest_get_irq(qts, 11));
    /* Disabled route (bit 7): nothing. */
    cfg_write8(bus, QPCI_DEVFN(1, 0), 0x63, 0x80);
    g_assert_false(qtest_get_irq(qts, 11));
    /* Reading the ISR acknowledges it. */
    cfg_write8(bus, QPCI_DEVFN(1, 0), 0x63, 11);
    g_assert_true(qtest_get_irq(qts, 11));
    n.pci.vdev.bus->get_isr(&n.pci.vdev);
    g_assert_false(qtest_get_irq(qts, 11));
    qvirtio_net_stop(&n);
    qpci_free_pc(bus);
    alloc_destroy(&alloc);
    qtest_quit(qts);
}

/* ---- virtio-net as QEMU's qos-test drives it on pc ---------------------- */

static const uint8_t nic_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

typedef struct Net {
    QTestState *qts;
    QPCIBus *bus;
    QGuestAllocator alloc;
    QStreamPeer peer;
    QVirtioNet n;
} Net;

static void net_start(Net *t)
{
    qstream_peer_listen(&t->peer);
    t->qts = qtest_initf(PC "-netdev stream,id=hs0,server=off,"
                         "addr.type=unix,addr.path=%s "
                         "-device virtio-net-pci,netdev=hs0,addr=04.0",
                         t->peer.path);
    qstream_peer_accept(&t->peer);
    pc_alloc_init(&t->alloc, t->qts);
    t->bus = qpci_new_pc(t->qts);
    qvirtio_net_start(&t->n, t->bus, &t->alloc, NIC_DEVFN, 0, false);
}

static void net_stop(Net *t)
{
    qvirtio_net_stop(&t->n);
    qstream_peer_close(&t->peer);
    qpci_free_pc(t->bus);
    alloc_destroy(&t->alloc);
    qtest_quit(t->qts);
}

static void check_rx(Net *t, uint64_t buf, const uint8_t *frame, size_t len)
{
    uint8_t got[2048];
    uint32_t id, used_len;

    g_assert(qvirtqueue_wait_used(t->qts, t->n.rx, &id, &used_len,
                                  TIMEOUT_US));
    g_assert_cmpuint(used_len, ==, t->n.hdr_len + len);
    qtest_memread(t->qts, buf, got, used_len);
    g_assert(!memcmp(got + t->n.hdr_len, frame, len));
}

static void test_net_tx_rx(void)
{
    Net t;
    uint8_t frame[1514], got[2048];
    uint64_t rxbuf;

    net_start(&t);
    qstream_make_frame(frame, 1514, nic_mac, 3);
    qvirtio_net_tx(&t.n, frame, 1514);
    g_assert_cmpuint(qstream_peer_recv(&t.peer, got, sizeof(got)), ==, 1514);
    g_assert(!memcmp(got, frame, 1514));
    rxbuf = guest_alloc(&t.alloc, 2048);
    qvirtio_net_rx_post(&t.n, rxbuf, 2048);
    qstream_make_frame(frame, 98, nic_mac, 4);
    qstream_peer_send(&t.peer, frame, 98);
    check_rx(&t, rxbuf, frame, 98);
    net_stop(&t);
}

/* QEMU's rx_stop_cont: a frame sent while stopped arrives after cont. */
static void test_net_rx_stop_cont(void)
{
    Net t;
    uint8_t frame[128];
    uint64_t rxbuf;

    net_start(&t);
    rxbuf = guest_alloc(&t.alloc, 2048);
    qvirtio_net_rx_post(&t.n, rxbuf, 2048);
    qtest_qmp_assert_success(t.qts, "{'execute': 'stop'}");
    qtest_qmp_eventwait(t.qts, "STOP");
    qstream_make_frame(frame, sizeof(frame), nic_mac, 5);
    qstream_peer_send(&t.peer, frame, sizeof(frame));
    qtest_qmp_assert_success(t.qts, "{'execute': 'cont'}");
    qtest_qmp_eventwait(t.qts, "RESUME");
    check_rx(&t, rxbuf, frame, sizeof(frame));
    net_stop(&t);
}

/* QEMU's virtio-net hotplug case on pc: add at 06.0, ACPI unplug. */
static void test_net_hotplug(void)
{
    QTestState *qts = qtest_init(PC "-netdev user,id=hs0 "
                                 "-device virtio-net-pci,netdev=hs0,"
                                 "addr=04.0");
    QPCIBus *bus = qpci_new_pc(qts);
    g_autoptr(JsonObject) ev = NULL;

    qtest_qmp_device_add(qts, "virtio-net-pci", "net1", "{'addr': '0x06'}");
    g_assert_true(qpci_query_has(qts, "net1"));
    g_assert_cmphex(cfg32(bus, QPCI_DEVFN(6, 0), 0) & 0xffff, ==, 0x1af4);
    /* pci.0 is BSEL 0: the hot-add shows in UP, GPE0 bit 1 is set. */
    g_assert_cmphex(qtest_inl(qts, PIIX_PCIHP_SEL), ==, 0);
    g_assert_cmphex(qtest_inl(qts, PIIX_PCIHP_UP), ==, 1u << 6);
    g_assert_cmphex(qtest_inb(qts, PIIX_GPE_STS), ==, 0x02);
    qtest_outb(qts, PIIX_GPE_STS, 0x02);
    g_assert_cmphex(qtest_inb(qts, PIIX_GPE_STS), ==, 0x00);

    qtest_qmp_assert_success(qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'net1'}}");
    g_assert_cmphex(qtest_inl(qts, PIIX_PCIHP_DOWN), ==, 1u << 6);
    qtest_outl(qts, PIIX_PCIHP_EJ, 1u << 6);
    ev = qtest_qmp_eventwait_ref(qts, "DEVICE_DELETED");
    qtest_qmp_eventwait(qts, "DEVICE_DELETED");
    g_assert_false(qpci_query_has(qts, "net1"));
    g_assert_cmphex(cfg32(bus, QPCI_DEVFN(6, 0), 0), ==, 0xffffffff);
    /* The chipset's own functions cannot be ejected. */
    qtest_outl(qts, PIIX_PCIHP_EJ, 1u << 1);
    g_assert_cmphex(cfg32(bus, QPCI_DEVFN(1, 0), 0), ==, 0x70008086);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

/* The hotplug SCI: GPE0 enabled, the PM's interrupt is GSI 9. */
static void test_hotplug_sci(void)
{
    QTestState *qts = qtest_init(PC);

    qtest_irq_intercept_in(qts, "ioapic");
    qtest_outb(qts, PIIX_GPE_EN, 0x02);
    g_assert_false(qtest_get_irq(qts, 9));
    qtest_qmp_device_add(qts, "pci-testdev", "hp0", "{'addr': '0x05'}");
    g_assert_true(qtest_get_irq(qts, 9));
    qtest_outb(qts, PIIX_GPE_STS, 0x02);
    g_assert_false(qtest_get_irq(qts, 9));
    qtest_quit(qts);
}

/* acpi=off (or -no-acpi): no PIIX4_PM, pci.0 cannot hotplug. */
static void test_no_acpi(void)
{
    QTestState *qts = qtest_init(PC "-no-acpi");
    QPCIBus *bus = qpci_new_pc(qts);

    g_assert_cmphex(cfg32(bus, QPCI_DEVFN(1, 3), 0), ==, 0xffffffff);
    qtest_qmp_expect_error(qts, "GenericError",
        "Bus 'pci.0' does not support hotplugging",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'id': 'hp0'}}");
    g_assert_cmphex(qtest_inl(qts, PIIX_PCIHP_UP), ==, 0xffffffff);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

/* -serial: COM1 on PIIX3's ISA bus; without it nothing decodes 0x3f8. */
static void test_serial(void)
{
    QTestState *qts = qtest_init(PC "-serial null");

    g_assert_cmphex(qtest_inb(qts, 0x3fd), ==, 0x60);   /* LSR: THRE|TEMT */
    qtest_outb(qts, 0x3ff, 0xa5);                       /* scratch */
    g_assert_cmphex(qtest_inb(qts, 0x3ff), ==, 0xa5);
    qtest_quit(qts);
    qts = qtest_init(PC);
    g_assert_cmphex(qtest_inb(qts, 0x3fd), ==, 0xff);
    qtest_quit(qts);
}

/* ---- Failover: a primary must be on PCI Express ------------------------- */

#define STANDBY_PCI0 "-netdev user,id=hs0 -netdev user,id=hs1 " \
    "-device virtio-net-pci,failover=on,netdev=hs0,id=standby0," \
    "bus=pci.0,addr=0x3 "

static void test_failover_primary(void)
{
    QTestState *qts = qtest_init(PC STANDBY_PCI0);

    qtest_qmp_expect_error(qts, "GenericError",
        "failover primary device must be on PCIExpress bus",
        "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net-pci',"
        " 'id': 'primary0', 'bus': 'pci.0', 'netdev': 'hs1', "
        "'failover_pair_id': 'standby0'}}");
    g_assert_false(qpci_query_has(qts, "primary0"));
    /* The standby itself is an ordinary NIC that offers STANDBY. */
    g_assert_true(qpci_query_has(qts, "standby0"));
    qtest_quit(qts);

    /* Without ACPI the bus cannot hotplug: QEMU says that first. */
    qts = qtest_init(PC "-machine acpi=off " STANDBY_PCI0);
    qtest_qmp_expect_error(qts, "GenericError",
        "Bus 'pci.0' does not support hotplugging",
        "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net-pci',"
        " 'id': 'primary0', 'bus': 'pci.0', 'netdev': 'hs1', "
        "'failover_pair_id': 'standby0'}}");
    g_assert_false(qpci_query_has(qts, "primary0"));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/pc/functions", test_functions);
    qtest_add_func("/pc/i440fx/registers", test_host_registers);
    qtest_add_func("/pc/piix3/registers", test_piix3_registers);
    qtest_add_func("/pc/piix3/pirq", test_pirq_routing);
    qtest_add_func("/pc/piix4-pm/registers", test_pm_registers);
    qtest_add_func("/pc/piix4-pm/hotplug-sci", test_hotplug_sci);
    qtest_add_func("/pc/piix4-pm/power-button", test_power_button);
    qtest_add_func("/pc/no-acpi", test_no_acpi);
    qtest_add_func("/pc/piix3/serial", test_serial);
    qtest_add_func("/pc/virtio-net/tx-rx", test_net_tx_rx);
    qtest_add_func("/pc/virtio-net/rx-stop-cont", test_net_rx_stop_cont);
    qtest_add_func("/pc/virtio-net/hotplug", test_net_hotplug);
    qtest_add_func("/pc/failover/primary", test_failover_primary);
    return g_test_run();
}
