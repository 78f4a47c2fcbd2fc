/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vCPU's side of the built-in guest: when it runs, and what a CPU can
 * touch.  The host keeps only whether the VM runs and a wake-up timer on
 * the virtual clock, derived from guest RAM after each run; interrupts
 * are recorded in guest RAM (GuestCpu) the way a LAPIC latches them:
 *  - MSI: writes to the LAPIC's window at 0xfee00000 set the vector;
 *  - I/O APIC: a rising input sets its line (the SCI, PCI INTx, the UART).
 * Both then kick the vCPU, which runs from a bottom half.
 */
#include "guest/guest.h"

#include "exec/memory.h"
#include "hw/boards.h"
#include "hw/i386/ioapic.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "system/runstate.h"
#include "guest/guest-cpu.h"

static QEMUTimer *wake_timer;
static QEMUBH *run_bh;
static MemoryRegion msi_window;

/* ---- what a CPU can touch ------------------------------------------- */

uint32_t gio_in(uint16_t port, unsigned size)
{
    uint64_t v = ~0ull;

    address_space_read_sized(&address_space_io, port, size, &v);
    return (uint32_t)v;
}

void gio_out(uint16_t port, unsigned size, uint32_t val)
{
    address_space_write_sized(&address_space_io, port, size, val);
}

uint64_t gmmio_read(uint64_t addr, unsigned size)
{
    uint64_t v = 0;

    address_space_read_sized(&address_space_memory, addr, size, &v);
    return v;
}

void gmmio_write(uint64_t addr, unsigned size, uint64_t val)
{
    address_space_write_sized(&address_space_memory, addr, size, val);
}

void gram_read(uint64_t addr, void *buf, uint64_t len)
{
    address_space_read(&address_space_memory, addr, buf, len);
}

void gram_write(uint64_t addr, const void *buf, uint64_t len)
{
    address_space_write(&address_space_memory, addr, buf, len);
}

int64_t guest_now(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

int64_t guest_wall(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_HOST);
}

uint64_t guest_ram_size(void)
{
    return current_machine ? current_machine->ram_size : 0;
}

/* ---- running -------------------------------------------------------- */

static void guest_kick(void)
{
    if (runstate_is_running()) {
        qemu_bh_schedule(run_bh);
    }
}

void guest_yield(void)
{
    guest_kick();
}

static void guest_run_bh(void *opaque)
{
    int64_t wake;

    if (!runstate_is_running()) {
        return;
    }
    wake = guest_run();
    if (wake >= 0) {
        timer_mod(wake_timer, wake);
    } else {
        timer_del(wake_timer);
    }
}

static void guest_wake_cb(void *opaque)
{
    guest_kick();
}

static void guest_vm_state_change(void *opaque, bool running, RunState state)
{
    if (running) {
        /* Resumed, started, or started on a migration destination. */
        guest_kick();
    } else {
        qemu_bh_cancel(run_bh);
    }
}

/* ---- interrupts ----------------------------------------------------- */

static bool cpu_area_ok(void)
{
    return guest_ram_size() >= GUEST_MIN_RAM;
}

static void cpu_latch(unsigned word_off, uint32_t bit)
{
    uint32_t w;

    if (!cpu_area_ok()) {
        return;
    }
    gram_read(GUEST_CPU_ADDR + word_off, &w, 4);
    w |= GUINT32_TO_LE(bit);
    gram_write(GUEST_CPU_ADDR + word_off, &w, 4);
    guest_kick();
}

static uint64_t msi_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void msi_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
    unsigned vector = data & 0xff;

    /* Vectors 0-15 are reserved exceptions: a LAPIC ignores them. */
    if (vector < 16) {
        return;
    }
    cpu_latch(offsetof(GuestCpu, irr) + (vector / 32) * 4,
              1u << (vector % 32));
}

static const MemoryRegionOps msi_ops = {
    .read = msi_read,
    .write = msi_write,
    .impl_min_access_size = 4,
    .impl_max_access_size = 4,
};

static void guest_ioapic_kick(void *opaque, int gsi, int level)
{
    if (level && gsi >= 0 && gsi < 32) {
        cpu_latch(offsetof(GuestCpu, gsi), 1u << gsi);
    }
}

/* A CPU reset: the guest starts again in firmware. */
static void guest_cpu_reset(void *opaque)
{
    uint64_t zero = 0;
    GuestCpu cpu = { 0 };

    if (!cpu_area_ok()) {
        return;
    }
    gram_write(GUEST_STATE_ADDR, &zero, sizeof(zero));
    gram_write(GUEST_CPU_ADDR, &cpu, sizeof(cpu));
    timer_del(wake_timer);
    guest_kick();
}

void guest_cpu_init(void)
{
    wake_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, guest_wake_cb, NULL);
    run_bh = qemu_bh_new(guest_run_bh, NULL);
    memory_region_init_io(&msi_window, NULL, &msi_ops, NULL, "apic-msi",
                          0x100000);
    memory_region_add_subregion_overlap(get_system_memory(), GUEST_MSI_ADDR,
                                        &msi_window, 1);
    ioapic_set_kick_hook(guest_ioapic_kick, NULL);
    qemu_register_reset(guest_cpu_reset, NULL);
    qemu_add_vm_change_state_handler(guest_vm_state_change, NULL);
    if (runstate_is_running()) {
        guest_kick();
    }
}
