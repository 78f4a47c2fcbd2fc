/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest-side load generator for `make bench` (benchmarks/run.py).
 *
 *   bench-qtest BINARY pio SECS    outl/inl round trips per second
 *   bench-qtest BINARY mem SECS    writel/readl round trips per second
 *
 * Each command and its reply count as one round trip; the client waits
 * for every reply before sending the next command, as libqos drivers do.
 */
#include <stdio.h>
#include <stdlib.h>
#include "libqtest.h"

static double now_ms(void)
{
    return g_get_monotonic_time() / 1000.0;
}

/* The PCI config-cycle pattern libqos uses on q35: 0xcf8 then 0xcfc. */
static void bench_pio(double secs)
{
    QTestState *qts = qtest_init("");
    double start, elapsed;
    long n = 0;

    start = now_ms();
    do {
        for (int i = 0; i < 256; i++) {
            qtest_outl(qts, 0xcf8, 0x80000000 | (i & 0xfc));
            qtest_inl(qts, 0xcfc);
        }
        n += 512;
        elapsed = now_ms() - start;
    } while (elapsed < secs * 1000);
    printf("qtest_pio_rt_per_s %.0f\n", n / (elapsed / 1000));
    qtest_quit(qts);
}

static void bench_mem(double secs)
{
    QTestState *qts = qtest_init("-m 128M");
    double start, elapsed;
    long n = 0;

    start = now_ms();
    do {
        for (int i = 0; i < 256; i++) {
            qtest_writel(qts, 0x100000 + i * 4, i);
            if (qtest_readl(qts, 0x100000 + i * 4) != (uint32_t)i) {
                g_error("readl returned a different value");
            }
        }
        n += 512;
        elapsed = now_ms() - start;
    } while (elapsed < secs * 1000);
    printf("qtest_mem_rt_per_s %.0f\n", n / (elapsed / 1000));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    double arg;

    if (argc < 3) {
        fprintf(stderr, "usage: %s BINARY pio|mem [SECS]\n", argv[0]);
        return 2;
    }
    g_setenv("QTEST_QEMU_BINARY", argv[1], TRUE);
    arg = argc > 3 ? atof(argv[3]) : 1.0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (g_str_equal(argv[2], "pio")) {
        bench_pio(arg);
    } else if (g_str_equal(argv[2], "mem")) {
        bench_mem(arg);
    } else {
        fprintf(stderr, "unknown benchmark '%s'\n", argv[2]);
        return 2;
    }
    return 0;
}
