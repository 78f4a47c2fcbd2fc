/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-crc32c: the migration stream's CRC-32C.  The fast paths (crc32
 * instruction, three lanes joined with PCLMUL) must give the table-driven
 * result for every length and start value, since the source and the
 * destination may not have the same CPU.
 */
#include "migration/internal.h"

static void test_check_value(void)
{
    /* The check value of CRC-32C (RFC 3720, iSCSI). */
    g_assert_cmphex(mig_crc32c(0, "123456789", 9), ==, 0xe3069283);
    g_assert_cmphex(mig_crc32c_portable(0, "123456789", 9), ==, 0xe3069283);
    g_assert_cmphex(mig_crc32c(0, "", 0), ==, 0);
}

static void test_lengths(void)
{
    enum { MAX = 3 * 4096 + 64 };
    g_autofree uint8_t *buf = g_malloc(MAX);
    GRand *r = g_rand_new_with_seed(14);

    for (size_t i = 0; i < MAX; i++) {
        buf[i] = g_rand_int(r);
    }
    for (size_t len = 0; len <= MAX; len += len < 64 ? 1 : 13) {
        for (size_t off = 0; off < 8 && off + len <= MAX; off += 3) {
            uint32_t start = g_rand_int(r);

            g_assert_cmphex(mig_crc32c(start, buf + off, len), ==,
                            mig_crc32c_portable(start, buf + off, len));
        }
    }
    /* Around three lanes' worth (4080) and a page. */
    for (size_t len = 4070; len <= 4100; len++) {
        g_assert_cmphex(mig_crc32c(0, buf, len), ==,
                        mig_crc32c_portable(0, buf, len));
    }
    /* Chained: the CRC of a whole is the CRC of its parts in turn. */
    g_assert_cmphex(mig_crc32c(mig_crc32c(0, buf, 5000), buf + 5000, 7000),
                    ==, mig_crc32c(0, buf, 12000));
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/crc32c/check-value", test_check_value);
    g_test_add_func("/crc32c/lengths", test_lengths);
    return g_test_run();
}
