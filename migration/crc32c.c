/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CRC-32C (Castagnoli), the checksum of the migration stream's sections,
 * multifd packets and the per-page RAM digest.  The digest covers every
 * page on both sides, so this runs over all of guest RAM twice per
 * migration and has to keep up with a socket copy.
 *
 * With SSE 4.2 the crc32 instruction does 8 bytes per step, but each step
 * waits for the previous one (3 cycles), so one chain uses a third of what
 * the CPU could do.  Long buffers are therefore cut into blocks of three
 * lanes of LANE bytes whose CRCs run side by side and are joined after:
 * a lane's CRC moved past n more bytes is its value times x^(8n) modulo
 * the polynomial, one carry-less multiply (PCLMUL) by a constant and one
 * crc32 step to reduce.  Without SSE 4.2 a table-driven version serves.
 */
#include "migration/internal.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define CRC32C_POLY 0x82f63b78u     /* reflected Castagnoli polynomial */
#define LANE 1360                   /* 3 lanes: 4080 bytes, a page's worth */

static uint32_t crc32c_table[8][256];

static void crc32c_init_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ ((c & 1) ? CRC32C_POLY : 0);
        }
        crc32c_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++) {
        for (int t = 1; t < 8; t++) {
            uint32_t prev = crc32c_table[t - 1][i];
            crc32c_table[t][i] = (prev >> 8) ^ crc32c_table[0][prev & 0xff];
        }
    }
}

/* Eight bytes per step through eight tables: portable and decent. */
static uint32_t crc32c_sw(uint32_t crc, const uint8_t *p, size_t len)
{
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= crc;
        crc = crc32c_table[7][w & 0xff] ^
              crc32c_table[6][(w >> 8) & 0xff] ^
              crc32c_table[5][(w >> 16) & 0xff] ^
              crc32c_table[4][(w >> 24) & 0xff] ^
              crc32c_table[3][(w >> 32) & 0xff] ^
              crc32c_table[2][(w >> 40) & 0xff] ^
              crc32c_table[1][(w >> 48) & 0xff] ^
              crc32c_table[0][w >> 56];
        p += 8;
        len -= 8;
    }
    while (len--) {
        crc = (crc >> 8) ^ crc32c_table[0][(crc ^ *p++) & 0xff];
    }
    return crc;
}

#if defined(__x86_64__)
/* x^n modulo the polynomial, bit-reflected as the CRC is. */
static uint32_t xpow_mod(uint32_t n)
{
    uint32_t r = 0x80000000u;       /* x^0 */

    while (n--) {
        r = (r >> 1) ^ ((r & 1) ? CRC32C_POLY : 0);
    }
    return r;
}

/* Multipliers moving a lane's CRC past one and two more lanes. */
static uint32_t shift_1lane, shift_2lanes;

__attribute__((target("sse4.2")))
static uint32_t crc32c_hw(uint32_t crc, const uint8_t *p, size_t len)
{
    uint64_t c = crc;

    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = __builtin_ia32_crc32di(c, w);
        p += 8;
        len -= 8;
    }
    while (len--) {
        c = __builtin_ia32_crc32qi(c, *p++);
    }
    return c;
}

/*
 * crc * x^(8n) mod P for the multiplier k = x^(8n - 33): the 64-bit
 * reflected product carries one more factor x, and the crc32 step over
 * it (from 0) multiplies by x^32 and reduces.
 */
__attribute__((target("sse4.2,pclmul")))
static uint32_t crc32c_shift(uint32_t crc, uint32_t k)
{
    __m128i prod = _mm_clmulepi64_si128(_mm_cvtsi32_si128(crc),
                                        _mm_cvtsi32_si128(k), 0);

    return __builtin_ia32_crc32di(0, _mm_cvtsi128_si64(prod));
}

__attribute__((target("sse4.2,pclmul")))
static uint32_t crc32c_hw3(uint32_t crc, const uint8_t *p, size_t len)
{
    while (len >= 3 * LANE) {
        uint64_t a = crc, b = 0, c = 0;

        for (size_t i = 0; i < LANE; i += 8) {
            uint64_t wa, wb, wc;

            memcpy(&wa, p + i, 8);
            memcpy(&wb, p + LANE + i, 8);
            memcpy(&wc, p + 2 * LANE + i, 8);
            a = __builtin_ia32_crc32di(a, wa);
            b = __builtin_ia32_crc32di(b, wb);
            c = __builtin_ia32_crc32di(c, wc);
        }
        crc = crc32c_shift(a, shift_2lanes) ^ crc32c_shift(b, shift_1lane) ^
              c;
        p += 3 * LANE;
        len -= 3 * LANE;
    }
    return crc32c_hw(crc, p, len);
}
#endif

/* 0: tables, 1: crc32 instruction, 2: and three lanes with PCLMUL. */
static int crc32c_kind(void)
{
    static gsize kind;

    if (g_once_init_enter(&kind)) {
        gsize k = 1;

        crc32c_init_table();
#if defined(__x86_64__)
        __builtin_cpu_init();
        if (__builtin_cpu_supports("sse4.2")) {
            k = __builtin_cpu_supports("pclmul") ? 3 : 2;
        }
        shift_1lane = xpow_mod(8 * LANE - 33);
        shift_2lanes = xpow_mod(8 * 2 * LANE - 33);
#endif
        g_once_init_leave(&kind, k);
    }
    return kind - 1;
}

uint32_t mig_crc32c(uint32_t crc, const void *buf, size_t len)
{
    int kind = crc32c_kind();

    crc = ~crc;
#if defined(__x86_64__)
    if (kind == 2) {
        return ~crc32c_hw3(crc, buf, len);
    }
    if (kind == 1) {
        return ~crc32c_hw(crc, buf, len);
    }
#endif
    return ~crc32c_sw(crc, buf, len);
}

uint32_t mig_crc32c_portable(uint32_t crc, const void *buf, size_t len)
{
    crc32c_kind();
    return ~crc32c_sw(~crc, buf, len);
}
