/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pam-test: the PAM registers of the i440FX (0x59..0x5f) and of the q35
 * MCH (0x90..0x96) decide what a CPU reaches at 0xc0000..0xfffff: QEMU's
 * i440fx-test /i440fx/pam and /i440fx/defaults, written again, and the
 * same on q35.  RE|WE is RAM, RE alone reads RAM and drops writes, and
 * otherwise the access goes to PCI space (zeros here: no firmware).
 */
#include <string.h>
#include <unistd.h>
#include "libqtest.h"
#include "libqos/pci.h"
#include "libqos/migrate.h"

typedef struct Area {
    uint32_t start, end;
} Area;

/* Index i: PAM register base + i / 2, high nibble for odd i. */
static const Area pam_area[] = {
    { 0, 0 },                   /* reserved (PAM0 low nibble) */
    { 0xf0000, 0xfffff },       /* BIOS */
    { 0xc0000, 0xc3fff }, { 0xc4000, 0xc7fff },
    { 0xc8000, 0xcbfff }, { 0xcc000, 0xcffff },
    { 0xd0000, 0xd3fff }, { 0xd4000, 0xd7fff },
    { 0xd8000, 0xdbfff }, { 0xdc000, 0xdffff },
    { 0xe0000, 0xe3fff }, { 0xe4000, 0xe7fff },
    { 0xe8000, 0xebfff }, { 0xec000, 0xeffff },
};

#define RE 1
#define WE 2

static void pam_set(QPCIDevice *dev, uint8_t base, int i, int flags)
{
    uint8_t reg = qpci_config_readb(dev, base + i / 2);

    reg = i & 1 ? (reg & 0x0f) | (flags << 4) : (reg & 0xf0) | flags;
    qpci_config_writeb(dev, base + i / 2, reg);
}

static bool area_is(QTestState *qts, const Area *a, uint8_t v)
{
    size_t size = a->end - a->start + 1;
    g_autofree uint8_t *buf = g_malloc(size);

    qtest_memread(qts, a->start, buf, size);
    for (size_t i = 0; i < size; i++) {
        if (buf[i] != v) {
            return false;
        }
    }
    return true;
}

static void area_fill(QTestState *qts, const Area *a, uint8_t v)
{
    size_t size = a->end - a->start + 1;
    g_autofree uint8_t *buf = g_malloc(size);

    memset(buf, v, size);
    qtest_memwrite(qts, a->start, buf, size);
}

static void pam_cycle(const char *machine, uint8_t base)
{
    QTestState *qts = qtest_initf("-M %s", machine);
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice dev = qpci_device_at(bus, 0);

    /* After reset every segment is PCI: RAM is hidden. */
    for (int i = 0; i < 7; i++) {
        g_assert_cmphex(qpci_config_readb(&dev, base + i), ==, 0);
    }
    for (size_t i = 1; i < G_N_ELEMENTS(pam_area); i++) {
        const Area *a = &pam_area[i];

        /* Read enable: the RAM below, all zeros. */
        pam_set(&dev, base, i, RE);
        g_assert_true(area_is(qts, a, 0));
        /* Read-only: writes are dropped. */
        area_fill(qts, a, 0x11);
        g_assert_true(area_is(qts, a, 0));
        /* RAM: written and read back. */
        pam_set(&dev, base, i, RE | WE);
        area_fill(qts, a, 0x42);
        g_assert_true(area_is(qts, a, 0x42));
        area_fill(qts, a, 0x82);
        g_assert_true(area_is(qts, a, 0x82));
        /* PCI again: not the RAM; writes don't reach it. */
        pam_set(&dev, base, i, 0);
        g_assert_false(area_is(qts, a, 0x82));
        area_fill(qts, a, 0x33);
        pam_set(&dev, base, i, WE);
        g_assert_false(area_is(qts, a, 0x82));
        /* The RAM kept its contents all along. */
        pam_set(&dev, base, i, RE);
        g_assert_true(area_is(qts, a, 0x82));
    }
    /* Neighbours are independent: 0xc0000 RAM, 0xc4000 PCI. */
    pam_set(&dev, base, 2, RE | WE);
    pam_set(&dev, base, 3, 0);
    qtest_writeb(qts, 0xc3fff, 0x5a);
    g_assert_cmphex(qtest_readb(qts, 0xc3fff), ==, 0x5a);
    g_assert_cmphex(qtest_readb(qts, 0xc4000), ==, 0);
    /* A system reset leaves PAM as it is (QEMU resets only the header). */
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
    g_assert_cmphex(qtest_readb(qts, 0xc3fff), ==, 0x5a);
    g_assert_cmphex(qpci_config_readb(&dev, base + 1) & 0xf, ==, RE | WE);
    /* Below and above the PAM range is plain RAM whatever PAM says. */
    qtest_writeb(qts, 0x100000, 0x77);
    g_assert_cmphex(qtest_readb(qts, 0x100000), ==, 0x77);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_i440fx_pam(void)
{
    pam_cycle("pc", 0x59);
}

static void test_q35_pam(void)
{
    pam_cycle("q35", 0x90);
}

/* QEMU's /i440fx/defaults: the registers it checks after reset. */
static void test_i440fx_defaults(void)
{
    QTestState *qts = qtest_init("-M pc");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice dev = qpci_device_at(bus, 0);

    g_assert_cmphex(qpci_config_readw(&dev, 0x00), ==, 0x8086);
    g_assert_cmphex(qpci_config_readw(&dev, 0x02), ==, 0x1237);
    g_assert_cmphex(qpci_config_readb(&dev, 0x09), ==, 0x00);
    g_assert_cmphex(qpci_config_readw(&dev, 0x0a), ==, 0x0600);
    g_assert_cmphex(qpci_config_readb(&dev, 0x0d), ==, 0x00);
    g_assert_cmphex(qpci_config_readb(&dev, 0x0e), ==, 0x00);
    g_assert_cmphex(qpci_config_readb(&dev, 0x0f), ==, 0x00);
    /* PMCCFG: one CPU, so no WPE; no EPTE. */
    g_assert_cmphex(qpci_config_readw(&dev, 0x50) & 0x8040, ==, 0);
    g_assert_cmphex(qpci_config_readb(&dev, 0x52), ==, 0x00);
    g_assert_cmphex(qpci_config_readb(&dev, 0x54), ==, 0x00);
    g_assert_cmphex(qpci_config_readw(&dev, 0x55), ==, 0x0000);
    for (int i = 0x59; i <= 0x5f; i++) {
        g_assert_cmphex(qpci_config_readb(&dev, i), ==, 0x00);
    }
    g_assert_cmphex(qpci_config_readb(&dev, 0x68), ==, 0x00);
    g_assert_cmphex(qpci_config_readb(&dev, 0x70), ==, 0x00);
    g_assert_cmphex(qpci_config_readb(&dev, 0x72), ==, 0x02);
    g_assert_cmphex(qpci_config_readb(&dev, 0x90), ==, 0x00);
    g_assert_cmphex(qpci_config_readb(&dev, 0x91), ==, 0x00);
    g_assert_cmphex(qpci_config_readb(&dev, 0x93), ==, 0x00);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

/* The destination decodes what the source's guest set. */
static void test_i440fx_migration(void)
{
    g_autofree char *sock = g_strdup_printf("%s/pam-%d.sock",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf("-M pc -incoming %s", uri);
    QTestState *src = qtest_init("-M pc");
    QPCIBus *bus = qpci_new_pc(src);
    QPCIDevice dev = qpci_device_at(bus, 0);

    pam_set(&dev, 0x59, 1, RE | WE);                    /* 0xf0000 RAM */
    qtest_writeb(src, 0xf1234, 0x99);
    pam_set(&dev, 0x59, 1, RE);                         /* then read-only */
    mig_start(src, uri);
    mig_wait_status(src, "completed");
    qtest_qmp_eventwait(dst, "RESUME");
    g_assert_cmphex(qtest_readb(dst, 0xf1234), ==, 0x99);
    qtest_writeb(dst, 0xf1234, 0x11);
    g_assert_cmphex(qtest_readb(dst, 0xf1234), ==, 0x99);
    qpci_free_pc(bus);
    qtest_quit(src);
    qtest_quit(dst);
    unlink(sock);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/pam/i440fx/defaults", test_i440fx_defaults);
    qtest_add_func("/pam/i440fx", test_i440fx_pam);
    qtest_add_func("/pam/q35", test_q35_pam);
    qtest_add_func("/pam/i440fx/migration", test_i440fx_migration);
    return g_test_run();
}
