/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the QMP monitor, from bytes to responses.  Each input is
 * what a client sends in one session (a fresh connection: the stream
 * splitter and negotiation start over); it goes through the chardev
 * frontend, the JSON stream parser, the dispatcher, the generated
 * marshallers and the commands, on a q35 machine with a failover pair.
 * Commands that would run programs or create files are disabled.
 */
#include "fuzz.h"

#include <glib.h>

#include "chardev/char.h"
#include "monitor/monitor.h"

static const char *const args[] = {
    "fuzz-qmp", "-M", "q35", "-nodefaults", "-m", "16M", "-display", "none",
    "-device", "pcie-root-port,id=rp0,chassis=1,addr=0x2",
    "-device", "pcie-root-port,id=rp1,chassis=2,addr=0x3",
    "-device", "pcie-root-port,id=rp2,chassis=3,addr=0x4",
    "-netdev", "hubport,id=hs0,hubid=0",
    "-netdev", "hubport,id=hs1,hubid=1",
    "-device", "virtio-net-pci,id=standby0,bus=rp0,netdev=hs0,failover=on",
    "-device", "virtio-net-pci,id=primary0,bus=rp1,netdev=hs1,"
               "failover_pair_id=standby0",
    NULL,
};

static Chardev *chr;

static void init(void)
{
    GError *err = NULL;

    if (chr) {
        return;
    }
    fuzz_machine_init(args);
    fuzz_disable_dangerous_commands();
    chr = qemu_chr_new("fuzz-qmp", "null", &err);
    g_assert_no_error(err);
    monitor_init_qmp(chr, false, &err);
    g_assert_no_error(err);
    fuzz_main_loop_drain();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init();
    fuzz_chardev_session(chr, data, size);
    return 0;
}

void fuzz_replay_check(const char *name, const uint8_t *data, size_t size)
{
    LLVMFuzzerTestOneInput(data, size);
}
