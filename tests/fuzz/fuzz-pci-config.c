/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: PCI configuration space as a guest writes it, through
 * 0xcf8/0xcfc and through the ECAM window, to the host bridge, root
 * ports (bus numbers, windows, slot control: hotplug), a virtio-net and
 * a test device behind them and one on the root bus; with ACPI hotplug's
 * ports and virtual time moving.  Each input starts from a reset machine
 * with every device present (one the previous input ejected is added
 * again) and the buses numbered as firmware would leave them.
 *
 * The fuzzer is the guest, so the machine runs under qtest: with tcg the
 * built-in guest's firmware would enumerate the whole bus after every
 * reset, which took half of each run and is not what is fuzzed here.
 *
 * An input ends at the second reset it asks for: what follows one
 * reset is covered, and a reset costs more than a hundred config
 * writes.  libFuzzer favoured inputs that reset again and again, which
 * held a long run at a quarter of its speed.
 */
#include "fuzz.h"
#include "fuzz-pci.h"

#include <glib.h>

#include "hw/qdev-core.h"
#include "qemu/option.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "system/qdev-monitor.h"
#include "system/runstate.h"

static const char *const args[] = {
    "fuzz-pci-config", "-M", "q35", "-accel", "qtest", "-nodefaults",
    "-m", "16M",
    "-display", "none",
    "-device", "pcie-root-port,id=rp0,chassis=1,addr=0x2",
    "-device", "pcie-root-port,id=rp1,chassis=2,addr=0x3",
    "-device", "pcie-root-port,id=rp2,chassis=3,addr=0x4",
    "-netdev", "hubport,id=n0,hubid=0",
    NULL,
};

/* Plugged at start-up and again whenever an input ejected them. */
static const struct {
    const char *id;
    const char *opts;
} devices[] = {
    { "nic0", "driver=virtio-net-pci,id=nic0,bus=rp0,netdev=n0" },
    { "td0", "driver=pci-testdev,id=td0,bus=rp1" },
    { "td1", "driver=pci-testdev,id=td1,addr=0x5" },
};

static void ensure_devices(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(devices); i++) {
        g_autofree char *path = g_strdup_printf("/machine/peripheral/%s",
                                                devices[i].id);
        g_autoptr(QemuOpts) opts = NULL;
        GError *err = NULL;

        if (object_resolve_path(path, NULL)) {
            continue;
        }
        opts = qemu_opts_parse(devices[i].opts, NULL, NULL);
        qdev_device_add(opts, false, &err);
        if (err) {
            g_error_free(err);
        }
    }
}

static unsigned resets;          /* guest resets since the input began */

static void count_reset(void *opaque)
{
    resets++;
}

static void ecam_access(FuzzInput *in, bool write)
{
    unsigned bus = fuzz_take(in, 1) % 4;
    unsigned devfn = fuzz_take(in, 1);
    unsigned off = fuzz_take(in, 2) % 4096;
    unsigned size = fuzz_access_size(fuzz_take(in, 1));
    hwaddr a = FUZZ_ECAM_BASE + (bus << 20 | devfn << 12 | off);
    uint64_t v = write ? fuzz_take(in, 4) : 0;

    if (write) {
        address_space_write_sized(&address_space_memory, a, size, v);
    } else {
        address_space_read_sized(&address_space_memory, a, size, &v);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool counting;
    FuzzInput in = { data, size, 0 };

    if (!counting) {
        qemu_register_reset(count_reset, NULL);
        counting = true;
    }
    fuzz_machine_init(args);
    ensure_devices();
    qemu_system_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    resets = 0;
    /* Firmware's part: the MMCONFIG window at 0xb0000000, 256 buses. */
    fuzz_pci_cfg_write(0, 0, 0x60, 4, (uint32_t)FUZZ_ECAM_BASE | 1);
    fuzz_pci_cfg_write(0, 0, 0x64, 4, 0);
    /* Root ports 0x2..0x4 get buses 1..3: primary, secondary, subordinate. */
    for (unsigned i = 0; i < 3; i++) {
        fuzz_pci_cfg_write(0, (2 + i) << 3, 0x18, 4,
                           (i + 1) << 16 | (i + 1) << 8);
    }
    while (fuzz_more(&in) && resets < 2) {
        uint8_t op = fuzz_take(&in, 1);

        switch (op % 6) {
        case 0: {
            unsigned bus = fuzz_take(&in, 1) % 4;
            unsigned devfn = fuzz_take(&in, 1);
            unsigned off = fuzz_take(&in, 1);
            unsigned sz = fuzz_access_size(fuzz_take(&in, 1));
            fuzz_pci_cfg_write(bus, devfn, off, sz, fuzz_take(&in, 4));
            break;
        }
        case 1: {
            unsigned bus = fuzz_take(&in, 1) % 4;
            unsigned devfn = fuzz_take(&in, 1);
            unsigned off = fuzz_take(&in, 1);
            fuzz_pci_cfg_read(bus, devfn, off,
                              fuzz_access_size(fuzz_take(&in, 1)));
            break;
        }
        case 2:
            ecam_access(&in, true);
            break;
        case 3:
            ecam_access(&in, false);
            break;
        case 4: {                       /* ACPI hotplug and PM ports */
            unsigned port = 0xc00 + fuzz_take(&in, 1);
            unsigned sz = fuzz_access_size(fuzz_take(&in, 1));
            address_space_write_sized(&address_space_io, port, sz,
                                      fuzz_take(&in, 4));
            break;
        }
        case 5:                         /* time passes: unplug timeouts */
            qemu_clock_advance_virtual(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                                       (int64_t)fuzz_take(&in, 2) * 1000000);
            break;
        }
        fuzz_main_loop_drain();
    }
    return 0;
}

void fuzz_replay_check(const char *name, const uint8_t *data, size_t size)
{
    LLVMFuzzerTestOneInput(data, size);
}
