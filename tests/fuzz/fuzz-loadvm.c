/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target for the incoming migration loader.  The machine is built
 * once, from the command line a destination would use; every input is
 * then loaded into it, so device state and RAM left by earlier inputs are
 * part of what the loader must cope with.
 */
#include "fuzz-loadvm.h"

#include <glib.h>

#include "migration/internal.h"
#include "system/system.h"

void fuzz_loadvm_init(void)
{
    static bool done;
    char *argv[] = {
        (char *)"fuzz-loadvm", (char *)"-M", (char *)"q35",
        (char *)"-nodefaults", (char *)"-m", (char *)"16M",
        (char *)"-display", (char *)"none", (char *)"-incoming",
        (char *)"defer",
        (char *)"-device",
        (char *)"pcie-root-port,id=rp0,chassis=1,slot=1,addr=0x2",
        (char *)"-device", (char *)"pci-testdev,id=td0,bus=rp0",
        NULL,
    };

    if (!done) {
        done = true;
        qemu_init(G_N_ELEMENTS(argv) - 1, argv);
    }
}

bool fuzz_loadvm_one(const uint8_t *data, size_t size)
{
    GError *err = NULL;

    fuzz_loadvm_init();
    if (!loadvm_buffer(data, size, &err)) {
        g_error_free(err);
        return false;
    }
    return true;
}

#ifdef FUZZ_LIBFUZZER
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}

/*
 * Mutations almost never keep a section's checksum right, which would
 * stop them at the framing; so each input is also tried with every
 * section's checksum recomputed, to reach the parsers behind it.
 */
static void fix_checksums(uint8_t *d, size_t len)
{
    size_t pos = MIG_HEADER_SIZE;

    while (len - pos >= MIG_SECTION_HEAD && pos < len) {
        uint64_t l = be32(d + pos + 1);
        if (l > len - pos - MIG_SECTION_HEAD ||
            len - pos - MIG_SECTION_HEAD - l < MIG_SECTION_TAIL) {
            break;
        }
        uint32_t crc = mig_crc32c(0, d + pos, MIG_SECTION_HEAD + l);
        uint8_t *t = d + pos + MIG_SECTION_HEAD + l;
        t[0] = crc >> 24;
        t[1] = crc >> 16;
        t[2] = crc >> 8;
        t[3] = crc;
        pos += MIG_SECTION_HEAD + l + MIG_SECTION_TAIL;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_loadvm_one(data, size);
    if (size > MIG_HEADER_SIZE) {
        g_autofree uint8_t *copy = g_memdup2(data, size);
        fix_checksums(copy, size);
        fuzz_loadvm_one(copy, size);
    }
    return 0;
}
#endif
