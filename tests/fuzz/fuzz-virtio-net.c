/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: virtio-net's ring processing behind a guest the fuzzer
 * drives.  Every input starts from a device the target resets and sets
 * up like a driver (modern interface, features the input chooses, three
 * queues at fixed guest addresses, rings cleared); the rest of the input
 * is a list of guest actions: write RAM, write descriptors, publish and
 * kick, deliver a frame from the network, write the transport's
 * registers or the function's config space.
 */
#include "fuzz.h"
#include "fuzz-pci.h"

#include <glib.h>

#include "hw/virtio/virtio.h"
#include "net/net.h"

static const char *const args[] = {
    "fuzz-virtio-net", "-M", "q35", "-nodefaults", "-m", "16M",
    "-display", "none",
    "-netdev", "hubport,id=n0,hubid=0",
    "-device", "virtio-net-pci,id=nic0,netdev=n0,addr=0x3",
    NULL,
};

#define NIC_DEVFN   0x18
#define BAR4        0xe0000000ULL
#define COMMON      (BAR4 + 0x0000)
#define NOTIFY      (BAR4 + 0x3000)
#define RINGS       0x200000ULL     /* per queue 64 KiB: desc, avail, used */
#define BUFS        0x300000ULL
#define BUFS_SIZE   0x40000ULL
#define NQUEUES     3

static NetClientState *backend;

static void common_write(unsigned off, unsigned size, uint64_t v)
{
    address_space_write_sized(&address_space_memory, COMMON + off, size, v);
}

static uint64_t common_read(unsigned off, unsigned size)
{
    uint64_t v = 0;

    address_space_read_sized(&address_space_memory, COMMON + off, size, &v);
    return v;
}

static hwaddr ring_desc(int q)
{
    return RINGS + (hwaddr)q * 0x10000;
}

static hwaddr ring_avail(int q)
{
    return ring_desc(q) + 0x4000;
}

static hwaddr ring_used(int q)
{
    return ring_desc(q) + 0x8000;
}

/* What a driver does: reset, features, queues, DRIVER_OK. */
static void driver_start(uint64_t feature_mask)
{
    uint64_t f;

    fuzz_pci_cfg_write(0, NIC_DEVFN, 0x20, 4, (uint32_t)BAR4 | 0x4);
    fuzz_pci_cfg_write(0, NIC_DEVFN, 0x24, 4, BAR4 >> 32);
    fuzz_pci_cfg_write(0, NIC_DEVFN, 0x04, 2, 0x7);
    common_write(0x14, 1, 0);
    common_write(0x14, 1, 0x3);
    common_write(0x00, 4, 0);
    f = common_read(0x04, 4);
    common_write(0x00, 4, 1);
    f |= common_read(0x04, 4) << 32;
    f &= feature_mask | (1ULL << 32);           /* VERSION_1 stays */
    common_write(0x08, 4, 0);
    common_write(0x0c, 4, (uint32_t)f);
    common_write(0x08, 4, 1);
    common_write(0x0c, 4, f >> 32);
    common_write(0x14, 1, 0xb);
    address_space_set(&address_space_memory, RINGS, 0, NQUEUES * 0x10000);
    for (int q = 0; q < NQUEUES; q++) {
        common_write(0x16, 2, q);
        common_write(0x20, 4, ring_desc(q));
        common_write(0x24, 4, 0);
        common_write(0x28, 4, ring_avail(q));
        common_write(0x2c, 4, 0);
        common_write(0x30, 4, ring_used(q));
        common_write(0x34, 4, 0);
        common_write(0x1c, 2, 1);
    }
    common_write(0x14, 1, 0xf);
}

static void put_desc(FuzzInput *in)
{
    int q = fuzz_take(in, 1) % NQUEUES;
    unsigned i = fuzz_take(in, 2) % 256;
    uint64_t addr = fuzz_take(in, 1) & 1 ? fuzz_take(in, 8)
                                          : BUFS + fuzz_take(in, 3) % BUFS_SIZE;
    VRingDesc d = {
        .addr = GUINT64_TO_LE(addr),
        .len = GUINT32_TO_LE(fuzz_take(in, 2)),
        .flags = GUINT16_TO_LE(fuzz_take(in, 1) & 7),
        .next = GUINT16_TO_LE(fuzz_take(in, 2)),
    };

    address_space_write(&address_space_memory, ring_desc(q) + 16 * i, &d,
                        sizeof(d));
}

static void publish(FuzzInput *in)
{
    int q = fuzz_take(in, 1) % NQUEUES;
    uint16_t head = fuzz_take(in, 2);
    uint64_t idx = 0;

    address_space_read_sized(&address_space_memory, ring_avail(q) + 2, 2,
                             &idx);
    address_space_write_sized(&address_space_memory,
                              ring_avail(q) + 4 + 2 * (idx % 256), 2, head);
    address_space_write_sized(&address_space_memory, ring_avail(q) + 2, 2,
                              (uint16_t)(idx + 1));
    address_space_write_sized(&address_space_memory, NOTIFY + 4 * q, 2, q);
}

static void deliver_frame(FuzzInput *in)
{
    size_t len = fuzz_take(in, 2) % 1600;
    g_autofree uint8_t *frame = g_malloc0(len ? len : 1);

    for (size_t i = 0; i < len && fuzz_more(in); i++) {
        frame[i] = fuzz_take(in, 1);
    }
    qemu_send_packet(backend, frame, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in = { data, size, 0 };

    if (!backend) {
        fuzz_machine_init(args);
        backend = qemu_find_netdev("n0");
        g_assert(backend);
    }
    driver_start(fuzz_take(&in, 8));
    while (fuzz_more(&in)) {
        uint8_t op = fuzz_take(&in, 1);

        switch (op % 8) {
        case 0: {                       /* guest RAM: rings and buffers */
            hwaddr a = RINGS + fuzz_take(&in, 3) % (BUFS + BUFS_SIZE - RINGS);
            unsigned n = fuzz_take(&in, 1);
            uint8_t buf[256];

            for (unsigned i = 0; i < n; i++) {
                buf[i] = fuzz_take(&in, 1);
            }
            address_space_write(&address_space_memory, a, buf, n);
            break;
        }
        case 1:
            put_desc(&in);
            break;
        case 2:
            publish(&in);
            break;
        case 3: {                       /* kick */
            int q = fuzz_take(&in, 1) % 4;
            address_space_write_sized(&address_space_memory, NOTIFY + 4 * q,
                                      2, q);
            break;
        }
        case 4:
            deliver_frame(&in);
            break;
        case 5: {                       /* transport registers */
            unsigned off = fuzz_take(&in, 2) % 0x4000;
            unsigned sz = fuzz_access_size(fuzz_take(&in, 1));
            address_space_write_sized(&address_space_memory, BAR4 + off, sz,
                                      fuzz_take(&in, 4));
            break;
        }
        case 6: {                       /* config space */
            unsigned off = fuzz_take(&in, 1);
            unsigned sz = fuzz_access_size(fuzz_take(&in, 1));
            fuzz_pci_cfg_write(0, NIC_DEVFN, off, sz, fuzz_take(&in, 4));
            break;
        }
        case 7: {                       /* reads: ISR clears, config */
            uint64_t v;
            unsigned off = fuzz_take(&in, 2) % 0x4000;
            address_space_read_sized(&address_space_memory, BAR4 + off,
                                     fuzz_access_size(fuzz_take(&in, 1)),
                                     &v);
            break;
        }
        }
    }
    fuzz_main_loop_drain();
    return 0;
}

void fuzz_replay_check(const char *name, const uint8_t *data, size_t size)
{
    LLVMFuzzerTestOneInput(data, size);
}
