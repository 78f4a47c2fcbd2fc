/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-rings-test: a hostile guest writes broken rings.  For each case
 * the device must stop processing, set DEVICE_NEEDS_RESET (0x40) with a
 * config interrupt, log one line saying why (QEMU's words where QEMU has
 * them) and that it needs a reset, keep serving QMP, and work again after
 * a reset.
 */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "libqtest.h"
#include "libqos/virtio-net.h"

#define CMDLINE "-M q35 -device pcie-root-port,id=root0,bus=pcie.0,addr=0x1," \
                "chassis=1 -netdev user,id=n0 " \
                "-device virtio-net-pci,bus=root0,netdev=n0,id=nic0"
#define NIC_DEVFN QPCI_BDF(1, 0, 0)
#define NOT_RAM 0x100000000000ULL       /* far above any guest RAM */

typedef struct Fixture {
    QTestState *qts;
    char *log;                  /* the process's stderr */
    QPCIBus *bus;
    QGuestAllocator alloc;
    QVirtioNet n;
    uint64_t buf;               /* 4 KiB of valid guest RAM */
} Fixture;

typedef void (*BreakFn)(Fixture *f, QVirtQueue *vq);

typedef struct Case {
    const char *name;
    BreakFn fn;
    const char *why;            /* in the device's log line */
} Case;

static void fixture_start(Fixture *f)
{
    int fd = g_file_open_tmp("virtio-rings-XXXXXX", &f->log, NULL);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    f->qts = qtest_initf(CMDLINE " 2>%s", f->log);
    pc_alloc_init(&f->alloc, f->qts);
    f->bus = qpci_new_pc(f->qts);
    g_assert_cmpint(qpci_secondary_buses_init(f->bus), ==, 1);
    qvirtio_net_map_root_ports(f->bus, 1);
    qvirtio_net_start(&f->n, f->bus, &f->alloc, NIC_DEVFN, 0, false);
    f->buf = guest_alloc(&f->alloc, 4096);
}

static void fixture_stop(Fixture *f)
{
    qvirtio_net_stop(&f->n);
    qpci_free_pc(f->bus);
    alloc_destroy(&f->alloc);
    qtest_quit(f->qts);
    g_unlink(f->log);
    g_free(f->log);
}

/* Exactly one line, naming the device, the reason and the way out. */
static void check_log(Fixture *f, const char *why)
{
    g_autofree char *text = NULL;
    g_autofree char *want = g_strdup_printf(
        "virtio-net (/machine/peripheral/nic0/virtio-backend): virtqueue %d: ",
        f->n.tx->index);
    const char *nl;

    g_assert(g_file_get_contents(f->log, &text, NULL, NULL));
    nl = strchr(text, '\n');
    g_assert(nl && !nl[1]);
    g_assert(strstr(text, want));
    g_assert(strstr(text, why));
    g_assert(g_str_has_suffix(text, "; device needs reset\n"));
}

static void break_loop(Fixture *f, QVirtQueue *vq)
{
    /* 0 -> 1 -> 0 -> ... */
    qvirtqueue_write_desc(f->qts, vq, 0, f->buf, 64, QVRING_DESC_F_NEXT, 1);
    qvirtqueue_write_desc(f->qts, vq, 1, f->buf, 64, QVRING_DESC_F_NEXT, 0);
    qvirtqueue_publish(f->qts, vq, 0);
}

static void break_too_long(Fixture *f, QVirtQueue *vq)
{
    /* Every descriptor chained to the next, the last back to the first. */
    for (int i = 0; i < vq->size; i++) {
        qvirtqueue_write_desc(f->qts, vq, i, f->buf, 16, QVRING_DESC_F_NEXT,
                              (i + 1) % vq->size);
    }
    qvirtqueue_publish(f->qts, vq, 0);
}

static void break_next_out_of_range(Fixture *f, QVirtQueue *vq)
{
    qvirtqueue_write_desc(f->qts, vq, 0, f->buf, 64, QVRING_DESC_F_NEXT,
                          vq->size + 5);
    qvirtqueue_publish(f->qts, vq, 0);
}

static void break_outside_ram(Fixture *f, QVirtQueue *vq)
{
    qvirtqueue_write_desc(f->qts, vq, 0, NOT_RAM, 64, 0, 0);
    qvirtqueue_publish(f->qts, vq, 0);
}

static void break_mmio_address(Fixture *f, QVirtQueue *vq)
{
    /* The device's own BAR is not RAM: DMA must not reach it. */
    qvirtqueue_write_desc(f->qts, vq, 0, f->n.pci.bar.addr, 64, 0, 0);
    qvirtqueue_publish(f->qts, vq, 0);
}

static void break_zero_len(Fixture *f, QVirtQueue *vq)
{
    qvirtqueue_write_desc(f->qts, vq, 0, f->buf, 0, 0, 0);
    qvirtqueue_publish(f->qts, vq, 0);
}

static void break_huge_len(Fixture *f, QVirtQueue *vq)
{
    qvirtqueue_write_desc(f->qts, vq, 0, f->buf, 0xffffffff, 0, 0);
    qvirtqueue_publish(f->qts, vq, 0);
}

static void break_index_jump(Fixture *f, QVirtQueue *vq)
{
    qvirtqueue_write_desc(f->qts, vq, 0, f->buf, 64, 0, 0);
    qvirtqueue_set_avail_idx(f->qts, vq, vq->size + 7);
}

static void break_head_out_of_range(Fixture *f, QVirtQueue *vq)
{
    qvirtqueue_publish(f->qts, vq, 0xfff0);
}

static void break_indirect_loop(Fixture *f, QVirtQueue *vq)
{
    uint64_t table = f->buf + 2048;
    uint8_t d[32] = { 0 };

    /* Two entries pointing at each other. */
    for (int i = 0; i < 2; i++) {
        uint64_t a = f->buf;

        memcpy(d + 16 * i, &a, 8);
        d[16 * i + 8] = 32;
        d[16 * i + 12] = QVRING_DESC_F_NEXT;
        d[16 * i + 14] = !i;
    }
    qtest_memwrite(f->qts, table, d, sizeof(d));
    qvirtqueue_publish(f->qts, vq, qvirtqueue_add_indirect(f->qts, vq,
                                                           table, 2));
}

static void break_indirect_outside_ram(Fixture *f, QVirtQueue *vq)
{
    qvirtqueue_publish(f->qts, vq, qvirtqueue_add_indirect(f->qts, vq,
                                                           NOT_RAM, 4));
}

static void break_ring_outside_ram(Fixture *f, QVirtQueue *vq)
{
    /* Re-point the TX queue's rings at nothing, then kick it. */
    QVirtioPCIDevice *p = &f->n.pci;

    qvirtio_pci_common_writew(p, 0x16, vq->index);
    qvirtio_pci_common_writel(p, 0x20, 0);
    qvirtio_pci_common_writel(p, 0x24, NOT_RAM >> 32);
    qvirtio_pci_common_writew(p, 0x1c, 1);
}

static void run_case(const void *opaque)
{
    const Case *c = opaque;
    Fixture f;
    QVirtioDevice *d;
    uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

    fixture_start(&f);
    d = &f.n.pci.vdev;
    d->bus->get_isr(d);
    c->fn(&f, f.n.tx);
    d->bus->queue_notify(d, f.n.tx->index);
    g_assert_cmphex(qvirtio_get_status(d) & QVIRTIO_NEEDS_RESET, ==,
                    QVIRTIO_NEEDS_RESET);
    /* Config change interrupt pending. */
    g_assert_cmphex(d->bus->get_isr(d) & 2, ==, 2);
    /* Still processing nothing: a second kick changes nothing. */
    d->bus->queue_notify(d, f.n.tx->index);
    g_assert_cmphex(qtest_readw(f.qts, f.n.tx->used + 2), ==, 0);
    /* The process is fine and answers. */
    qtest_qmp_assert_success(f.qts, "{'execute': 'query-status'}");
    check_log(&f, c->why);
    /* A reset brings the device back. */
    qvirtio_net_stop(&f.n);
    qvirtio_net_start(&f.n, f.bus, &f.alloc, NIC_DEVFN, 0, false);
    g_assert_cmphex(qvirtio_get_status(d), ==, 0x0f);
    qvirtio_net_tx(&f.n, frame, sizeof(frame));
    fixture_stop(&f);
}

int main(int argc, char **argv)
{
    static const Case cases[] = {
        { "descriptor-loop", break_loop,
          "descriptor chain 0 loops or is longer than its table (256)" },
        { "chain-longer-than-queue", break_too_long,
          "descriptor chain 0 loops or is longer than its table (256)" },
        { "next-out-of-range", break_next_out_of_range,
          "descriptor next 261 out of range (256)" },
        { "address-outside-ram", break_outside_ram,
          "descriptor buffer 0x100000000000+0x40 is outside guest RAM" },
        { "address-in-mmio", break_mmio_address,
          "+0x40 is outside guest RAM" },
        { "zero-length", break_zero_len, "zero-length descriptor in chain 0" },
        { "huge-length", break_huge_len,
          "+0xffffffff is outside guest RAM" },
        { "avail-index-jump", break_index_jump,
          "Guest moved used index from 0 to 263 (the available index; "
          "queue size 256)" },
        { "head-out-of-range", break_head_out_of_range,
          "descriptor head 65520 out of range (queue size 256)" },
        { "indirect-loop", break_indirect_loop,
          "descriptor chain 0 loops or is longer than its table (2)" },
        { "indirect-outside-ram", break_indirect_outside_ram,
          "indirect table 0x100000000000+0x40 is outside guest RAM" },
        { "ring-outside-ram", break_ring_outside_ram,
          "ring outside guest RAM (desc 0x100000000000 " },
    };

    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/virtio-rings/%s",
                                                cases[i].name);

        qtest_add_data_func(path, &cases[i], run_case);
    }
    return g_test_run();
}
