/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the incoming migration loader.  Each input is a whole
 * stream loaded into a q35 destination.
 */
#include "fuzz.h"

#include <glib.h>
#include <string.h>

#include "migration/internal.h"

static const char *const args[] = {
    "fuzz-loadvm", "-M", "q35", "-nodefaults", "-m", "16M",
    "-display", "none", "-incoming", "defer",
    "-device", "pcie-root-port,id=rp0,chassis=1,slot=1,addr=0x2",
    "-device", "pci-testdev,id=td0,bus=rp0",
    NULL,
};

static bool load(const uint8_t *data, size_t size)
{
    GError *err = NULL;

    fuzz_machine_init(args);
    if (!loadvm_buffer(data, size, &err)) {
        g_error_free(err);
        return false;
    }
    return true;
}

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load(data, size);
    if (size > MIG_HEADER_SIZE) {
        g_autofree uint8_t *copy = g_memdup2(data, size);
        fix_checksums(copy, size);
        load(copy, size);
    }
    return 0;
}

/* Seeds named "stream-valid*" are good streams: check they still are. */
void fuzz_replay_check(const char *name, const uint8_t *data, size_t size)
{
    bool ok;

    if (!strcmp(name, "stream-pci-fixed-byte")) {
        GError *err = NULL;

        fuzz_machine_init(args);
        g_assert_false(loadvm_buffer(data, size, &err));
        g_assert_nonnull(err);
        g_assert_nonnull(strstr(err->message, "PCI config byte 0x2 is 0x06, "
                                "this device has 0x05 (mask 0xff)"));
        g_error_free(err);
        return;
    }
    ok = load(data, size);

    if (g_str_has_prefix(name, "stream-valid")) {
        g_assert_true(ok);
    } else if (g_str_has_prefix(name, "stream-")) {
        /* The other hand-made seeds are each broken in one way. */
        g_assert_false(ok);
    }
}
