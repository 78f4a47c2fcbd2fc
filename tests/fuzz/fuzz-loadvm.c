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
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_loadvm_one(data, size);
    return 0;
}
#endif
