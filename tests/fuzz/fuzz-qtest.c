/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the qtest line protocol.  Each input is what a test sends
 * in one session: reads and writes of memory and ports, clock steps, IRQ
 * interception, on a q35 machine with root ports and a virtio-net.
 */
#include "fuzz.h"

#include <glib.h>

#include "chardev/char.h"
#include "system/qtest.h"

static const char *const args[] = {
    "fuzz-qtest", "-M", "q35", "-nodefaults", "-m", "16M",
    "-display", "none", "-qtest", "null",
    /* The default log (stderr) would cost more than the commands. */
    "-qtest-log", "none",
    "-device", "pcie-root-port,id=rp0,chassis=1,addr=0x2",
    "-netdev", "hubport,id=n0,hubid=0",
    "-device", "virtio-net-pci,id=nic0,bus=rp0,netdev=n0",
    "-device", "pci-testdev,id=td0",
    NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Chardev *chr;

    if (!chr) {
        fuzz_machine_init(args);
        /* Bigger transfers and fills run the same code, only longer. */
        qtest_set_max_transfer(4 * 1024);
        chr = qemu_chr_find("qtest");
        g_assert(chr);
    }
    fuzz_chardev_session(chr, data, size);
    return 0;
}

void fuzz_replay_check(const char *name, const uint8_t *data, size_t size)
{
    LLVMFuzzerTestOneInput(data, size);
}
