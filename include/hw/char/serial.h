/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * isa-serial: a 16550A UART on the ISA bus (COM1..COM4), the device
 * behind -serial and libvirt's <serial>/<console>.
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include "hw/isa/isa.h"
#include "chardev/char.h"

#define TYPE_ISA_SERIAL "isa-serial"
#define MAX_ISA_SERIAL_PORTS 4
#define UART_FIFO_LENGTH 16

typedef struct ISASerialState {
    ISADevice parent_obj;
    /* Properties */
    uint32_t index;             /* COM1..4 = 0..3; -1: next free */
    uint32_t iobase;            /* -1: from index */
    uint32_t isairq;            /* -1: from index */
    uint32_t baudbase;
    Chardev *chr;               /* NULL: output dropped, no input */
    /* Registers */
    uint16_t divider;           /* DLL/DLM */
    uint8_t rbr;                /* receive buffer with FIFOs off */
    uint8_t ier;
    uint8_t iir;
    uint8_t lcr;
    uint8_t mcr;
    uint8_t lsr;
    uint8_t msr;
    uint8_t scr;
    uint8_t fcr;                /* the bits that stick: FE, DMA, trigger */
    /* Receive FIFO: a ring of rx_count bytes starting at rx_head */
    uint8_t rx_fifo[UART_FIFO_LENGTH];
    uint8_t rx_head;
    uint8_t rx_count;
    uint8_t rx_trigger;         /* 1, 4, 8 or 14 */
    bool thr_ipending;          /* THRE interrupt armed */
    bool timeout_ipending;      /* character timeout interrupt */
    int64_t char_time_ns;       /* one character at the current speed */
    struct QEMUTimer *fifo_timeout;
    qemu_irq irq;
    MemoryRegion io;
} ISASerialState;

#define ISA_SERIAL(obj) OBJECT_CHECK(ISASerialState, (obj), TYPE_ISA_SERIAL)

/*
 * -serial backends by index (serial0..serial3), filled from the command
 * line before the machine is built; the board creates an isa-serial for
 * each one on its ISA bus.
 */
void serial_hds_set(int index, Chardev *chr);
Chardev *serial_hd(int index);
bool serial_hds_isa_init(ISABus *bus, GError **errp);

#endif
