/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * q35-smram-test: the MCH's SMRAM controls as a CPU outside SMM sees them
 * (QEMU's q35-test and more): SMRAM D_OPEN/D_LCK, the legacy window at
 * 0xa0000, TSEG of 1/2/8 MiB and extended size reading as all-ones at the
 * top of low RAM, the extended TSEG register at 0x50, SMRAM at SMBASE
 * negotiated and locked through 0x9c, and a reset undoing all of it.
 */
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "libqtest.h"
#include "libqos/pci.h"
#include "libqos/migrate.h"

#define SMRAM           0x9d
#define D_OPEN          0x40
#define D_CLS           0x20
#define D_LCK           0x10
#define G_SMRAME        0x08
#define ESMRAMC         0x9e
#define H_SMRAME        0x80
#define TSEG_SZ_MASK    0x06
#define T_EN            0x01
#define EXT_TSEG_MBYTES 0x50
#define F_SMBASE        0x9c

#define SMBASE          0x30000

typedef struct Mch {
    QTestState *qts;
    QPCIBus *bus;
    QPCIDevice dev;
} Mch;

static void mch_start(Mch *m, const char *args)
{
    m->qts = qtest_initf("-M q35 -nodefaults %s", args);
    m->bus = qpci_new_pc(m->qts);
    m->dev = qpci_device_at(m->bus, 0);
}

static void mch_stop(Mch *m)
{
    qpci_free_pc(m->bus);
    qtest_quit(m->qts);
}

static void smram_set(Mch *m, uint8_t mask, bool on)
{
    uint8_t v = qpci_config_readb(&m->dev, SMRAM);

    qpci_config_writeb(&m->dev, SMRAM, on ? v | mask : v & ~mask);
}

static bool smram_test(Mch *m, uint8_t mask)
{
    return qpci_config_readb(&m->dev, SMRAM) & mask;
}

static void system_reset(QTestState *qts)
{
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
}

static void test_smram_lock(void)
{
    Mch m;

    mch_start(&m, "");
    g_assert_cmphex(qpci_config_readb(&m.dev, SMRAM), ==, 0x02);
    g_assert_cmphex(qpci_config_readb(&m.dev, ESMRAMC), ==, 0x38);
    smram_set(&m, D_OPEN, false);
    g_assert_false(smram_test(&m, D_OPEN));
    smram_set(&m, D_OPEN, true);
    g_assert_true(smram_test(&m, D_OPEN));

    /* D_LCK closes the window and D_OPEN cannot be set again. */
    smram_set(&m, D_LCK, true);
    g_assert_false(smram_test(&m, D_OPEN));
    smram_set(&m, D_OPEN, true);
    g_assert_false(smram_test(&m, D_OPEN));
    /* Nor can the lock be undone, nor ESMRAMC changed; D_CLS still works. */
    smram_set(&m, D_LCK, false);
    g_assert_true(smram_test(&m, D_LCK));
    qpci_config_writeb(&m.dev, ESMRAMC, 0x87);
    g_assert_cmphex(qpci_config_readb(&m.dev, ESMRAMC), ==, 0x38);
    smram_set(&m, D_CLS, true);
    g_assert_true(smram_test(&m, D_CLS));

    system_reset(m.qts);
    g_assert_cmphex(qpci_config_readb(&m.dev, SMRAM), ==, 0x02);
    smram_set(&m, D_OPEN, false);
    g_assert_false(smram_test(&m, D_OPEN));
    smram_set(&m, D_OPEN, true);
    g_assert_true(smram_test(&m, D_OPEN));
    mch_stop(&m);
}

/*
 * 0xa0000-0xbffff shows PCI space while SMRAM is closed and RAM once
 * D_OPEN is set.  A pci-testdev BAR placed there makes the difference
 * visible (with nothing in PCI space there, RAM shows through, as in QEMU).
 */
static void test_legacy_window(void)
{
    Mch m;
    QPCIDevice td;

    mch_start(&m, "-device pci-testdev,addr=0x3");
    td = qpci_device_at(m.bus, QPCI_DEVFN(3, 0));
    g_assert_cmphex(qpci_config_readw(&td, 0), ==, 0x1b36);

    /* RAM first, with the BAR not yet decoded. */
    qtest_writeb(m.qts, 0xa0000, 0x11);
    g_assert_cmphex(qtest_readb(m.qts, 0xa0000), ==, 0x11);
    qpci_config_writel(&td, 0x10, 0xa0000);
    qpci_config_writew(&td, 0x04, 0x2);         /* memory decode on */

    /* Closed: the device answers, and keeps what is written to it. */
    g_assert_cmphex(qtest_readb(m.qts, 0xa0000), ==, 0x00);
    qtest_writeb(m.qts, 0xa0000, 0x22);
    g_assert_cmphex(qtest_readb(m.qts, 0xa0000), ==, 0x22);

    /* Open: RAM, untouched by the write above. */
    smram_set(&m, D_OPEN, true);
    g_assert_cmphex(qtest_readb(m.qts, 0xa0000), ==, 0x11);
    qtest_writeb(m.qts, 0xa0000, 0x33);

    /* Open with H_SMRAME: low SMRAM hidden again, shown at 0xfeda0000. */
    qpci_config_writeb(&m.dev, ESMRAMC, 0x38 | H_SMRAME);
    g_assert_cmphex(qtest_readb(m.qts, 0xa0000), ==, 0x22);
    g_assert_cmphex(qtest_readb(m.qts, 0xfeda0000), ==, 0x33);
    qpci_config_writeb(&m.dev, ESMRAMC, 0x38);
    g_assert_cmphex(qtest_readb(m.qts, 0xa0000), ==, 0x33);

    /* Closed again: the device. */
    smram_set(&m, D_OPEN, false);
    g_assert_cmphex(qtest_readb(m.qts, 0xa0000), ==, 0x22);
    mch_stop(&m);
}

typedef struct TsegCase {
    uint8_t sz;                 /* ESMRAMC TSEG_SZ field */
    uint16_t ext_mbytes;        /* -global mch.extended-tseg-mbytes */
    uint16_t expect_mbytes;
} TsegCase;

static const TsegCase tseg_1mb = { 0x00, 0, 1 };
static const TsegCase tseg_2mb = { 0x02, 0, 2 };
static const TsegCase tseg_8mb = { 0x04, 0, 8 };
static const TsegCase tseg_ext_16mb = { TSEG_SZ_MASK, 16, 16 };
static const TsegCase tseg_ext_default = { TSEG_SZ_MASK, 0, 16 };
static const TsegCase tseg_ext_24mb = { TSEG_SZ_MASK, 24, 24 };

static void test_tseg_size(const void *data)
{
    const TsegCase *c = data;
    g_autofree char *args = c->ext_mbytes ?
        g_strdup_printf("-m 128M -global mch.extended-tseg-mbytes=%u",
                        c->ext_mbytes) : g_strdup("-m 128M");
    uint64_t below = (128 - c->expect_mbytes) * 1024 * 1024 - 1;
    uint8_t esmramc, smram;
    Mch m;

    mch_start(&m, args);
    esmramc = qpci_config_readb(&m.dev, ESMRAMC);
    esmramc = (esmramc & ~TSEG_SZ_MASK) | c->sz | T_EN;
    qpci_config_writeb(&m.dev, ESMRAMC, esmramc);
    /* Not yet: TSEG needs G_SMRAME too. */
    qtest_writeb(m.qts, below + 1, 0x5a);
    g_assert_cmphex(qtest_readb(m.qts, below + 1), ==, 0x5a);

    smram = qpci_config_readb(&m.dev, SMRAM);
    smram &= ~(D_OPEN | D_LCK);
    smram |= D_CLS | G_SMRAME;
    qpci_config_writeb(&m.dev, SMRAM, smram);
    qpci_config_writeb(&m.dev, SMRAM, smram | D_LCK);

    /* The byte below TSEG is RAM; TSEG's first byte reads all-ones. */
    g_assert_cmphex(qtest_readb(m.qts, below), ==, 0);
    qtest_writeb(m.qts, below, 1);
    g_assert_cmphex(qtest_readb(m.qts, below), ==, 1);
    g_assert_cmphex(qtest_readb(m.qts, below + 1), ==, 0xff);
    qtest_writeb(m.qts, below + 1, 1);
    g_assert_cmphex(qtest_readb(m.qts, below + 1), ==, 0xff);
    g_assert_cmphex(qtest_readl(m.qts, 128 * 1024 * 1024 - 4), ==,
                    0xffffffff);

    /* A reset drops TSEG: the RAM kept its byte. */
    system_reset(m.qts);
    g_assert_cmphex(qtest_readb(m.qts, below + 1), ==, 0x5a);
    mch_stop(&m);
}

/* 0x50 reads the extended TSEG size after reset and on a 0xffff query. */
static void test_ext_tseg_register(void)
{
    Mch m;

    mch_start(&m, "");
    g_assert_cmphex(qpci_config_readw(&m.dev, EXT_TSEG_MBYTES), ==, 16);
    qpci_config_writew(&m.dev, EXT_TSEG_MBYTES, 0x1234);
    g_assert_cmphex(qpci_config_readw(&m.dev, EXT_TSEG_MBYTES), ==, 0x1234);
    qpci_config_writew(&m.dev, EXT_TSEG_MBYTES, 0xffff);
    g_assert_cmphex(qpci_config_readw(&m.dev, EXT_TSEG_MBYTES), ==, 16);
    mch_stop(&m);

    mch_start(&m, "-global mch.extended-tseg-mbytes=48");
    g_assert_cmphex(qpci_config_readw(&m.dev, EXT_TSEG_MBYTES), ==, 48);
    g_assert_true(qtest_qom_get_bool(m.qts, "/machine/q35/mch",
                                     "smbase-smram"));
    mch_stop(&m);
}

static void test_smbase_lock(void)
{
    Mch m;

    mch_start(&m, "");
    /* Not negotiated: RAM at SMBASE, and junk written to 0x9c reads 0. */
    g_assert_cmphex(qpci_config_readb(&m.dev, F_SMBASE), ==, 0);
    qtest_writeb(m.qts, SMBASE, 0x32);
    g_assert_cmphex(qtest_readb(m.qts, SMBASE), ==, 0x32);
    for (int i = 0; i < 0xff; i++) {
        qpci_config_writeb(&m.dev, F_SMBASE, i);
        g_assert_cmphex(qpci_config_readb(&m.dev, F_SMBASE), ==, 0);
    }
    /* 0xff asks for SMRAM at SMBASE: 0x01; bit 1 then locks it: 0x02. */
    qpci_config_writeb(&m.dev, F_SMBASE, 0xff);
    g_assert_cmphex(qpci_config_readb(&m.dev, F_SMBASE), ==, 0x01);
    g_assert_cmphex(qtest_readb(m.qts, SMBASE), ==, 0x32);
    qpci_config_writeb(&m.dev, F_SMBASE, 0x02);
    g_assert_cmphex(qpci_config_readb(&m.dev, F_SMBASE), ==, 0x02);

    /* Locked: the register is frozen and SMBASE..+128K is a black hole. */
    g_assert_cmphex(qtest_readb(m.qts, SMBASE), ==, 0xff);
    g_assert_cmphex(qtest_readl(m.qts, SMBASE + 0x1fffc), ==, 0xffffffff);
    for (int i = 0; i <= 0xff; i++) {
        qpci_config_writeb(&m.dev, F_SMBASE, i);
        g_assert_cmphex(qpci_config_readb(&m.dev, F_SMBASE), ==, 0x02);
        qtest_writeb(m.qts, SMBASE, 0x32);
        g_assert_cmphex(qtest_readb(m.qts, SMBASE), ==, 0xff);
    }
    /* Just past the area is RAM. */
    qtest_writeb(m.qts, SMBASE + 0x20000, 0x44);
    g_assert_cmphex(qtest_readb(m.qts, SMBASE + 0x20000), ==, 0x44);

    system_reset(m.qts);
    g_assert_cmphex(qtest_readb(m.qts, SMBASE), ==, 0x32);
    g_assert_cmphex(qpci_config_readb(&m.dev, F_SMBASE), ==, 0);
    qtest_writeb(m.qts, SMBASE, 0x23);
    g_assert_cmphex(qtest_readb(m.qts, SMBASE), ==, 0x23);
    mch_stop(&m);
}

/* mch.smbase-smram=off (QEMU's pc-q35-4.1 and older): 0x9c is plain. */
static void test_without_smbase_smram(void)
{
    Mch m;

    mch_start(&m, "-global mch.smbase-smram=off");
    qtest_writeb(m.qts, SMBASE, 0x32);
    for (int i = 0; i <= 0xff; i++) {
        qpci_config_writeb(&m.dev, F_SMBASE, i);
        g_assert_cmphex(qpci_config_readb(&m.dev, F_SMBASE), ==, i);
    }
    g_assert_cmphex(qtest_readb(m.qts, SMBASE), ==, 0x32);
    mch_stop(&m);
}

/* What the guest locked and opened comes along in a migration. */
static void test_migration(void)
{
    g_autofree char *sock = g_strdup_printf("%s/q35-smram-%d.sock",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf("-M q35 -nodefaults -m 128M -incoming %s",
                                  uri);
    g_autofree char *st = NULL;
    Mch m, d;

    mch_start(&m, "-m 128M");
    qpci_config_writeb(&m.dev, 0x92, 0x03);             /* 0xc8000: RAM */
    qtest_writeb(m.qts, 0xc8000, 0x66);
    qpci_config_writeb(&m.dev, ESMRAMC, 0x38 | 0x02 | T_EN);   /* 2 MiB */
    qpci_config_writeb(&m.dev, SMRAM, 0x02 | G_SMRAME | D_LCK);
    qpci_config_writeb(&m.dev, F_SMBASE, 0xff);
    qpci_config_writeb(&m.dev, F_SMBASE, 0x02);

    mig_enable_events(m.qts);
    mig_migrate(m.qts, uri);
    st = mig_wait_event(m.qts, "completed", "failed");
    g_assert_cmpstr(st, ==, "completed");
    qtest_qmp_eventwait(dst, "RESUME");

    d.qts = dst;
    d.bus = qpci_new_pc(dst);
    d.dev = qpci_device_at(d.bus, 0);
    g_assert_cmphex(qpci_config_readb(&d.dev, SMRAM), ==,
                    0x02 | G_SMRAME | D_LCK);
    g_assert_cmphex(qtest_readb(dst, 126 << 20), ==, 0xff);   /* TSEG */
    g_assert_cmphex(qtest_readb(dst, SMBASE), ==, 0xff);
    g_assert_cmphex(qtest_readb(dst, 0xc8000), ==, 0x66);     /* PAM */
    /* Still locked on the destination. */
    smram_set(&d, D_OPEN, true);
    g_assert_false(smram_test(&d, D_OPEN));
    qpci_config_writeb(&d.dev, ESMRAMC, 0x38);
    g_assert_cmphex(qpci_config_readb(&d.dev, ESMRAMC), ==, 0x38 | 0x03);
    qpci_config_writeb(&d.dev, F_SMBASE, 0);
    g_assert_cmphex(qpci_config_readb(&d.dev, F_SMBASE), ==, 0x02);
    mch_stop(&d);
    mch_stop(&m);
    unlink(sock);
}

/* Bad input: QEMU's check of the property, at start-up. */
static void test_bad_ext_tseg(void)
{
    int status;
    g_autofree char *err = qtest_run_stderr(
        "-M q35 -global mch.extended-tseg-mbytes=4096", &status);

    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_nonnull(strstr(err, "invalid extended-tseg-mbytes value: "
                            "4096"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/q35/smram/lock", test_smram_lock);
    qtest_add_func("/q35/smram/legacy-window", test_legacy_window);
    qtest_add_data_func("/q35/tseg-size/1mb", &tseg_1mb, test_tseg_size);
    qtest_add_data_func("/q35/tseg-size/2mb", &tseg_2mb, test_tseg_size);
    qtest_add_data_func("/q35/tseg-size/8mb", &tseg_8mb, test_tseg_size);
    qtest_add_data_func("/q35/tseg-size/ext/16mb", &tseg_ext_16mb,
                        test_tseg_size);
    qtest_add_data_func("/q35/tseg-size/ext/default", &tseg_ext_default,
                        test_tseg_size);
    qtest_add_data_func("/q35/tseg-size/ext/24mb", &tseg_ext_24mb,
                        test_tseg_size);
    qtest_add_func("/q35/tseg/ext-register", test_ext_tseg_register);
    qtest_add_func("/q35/smram/smbase_lock", test_smbase_lock);
    qtest_add_func("/q35/smram/no-smbase-smram", test_without_smbase_smram);
    qtest_add_func("/q35/smram/migration", test_migration);
    qtest_add_func("/q35/tseg/bad-ext-size", test_bad_ext_tseg);
    return g_test_run();
}
