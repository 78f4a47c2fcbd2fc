/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * isa-serial: a 16550A UART at COM1..COM4 (0x3f8/IRQ 4, 0x2f8/IRQ 3,
 * 0x3e8/IRQ 4, 0x2e8/IRQ 3) with its chardev as the line.
 *
 * Transmission is instantaneous: a byte written to THR goes to the chardev
 * at once (the chardev queues what its peer cannot take yet), so THR is
 * empty again by the time the guest looks.  Reception fills RBR, or the
 * 16-byte FIFO when FCR enabled it, at the speed the chardev delivers;
 * the character timeout runs on the virtual clock (4 character times at
 * the programmed divisor), as on QEMU.  The IRQ line is the IIR state
 * itself: raised while an enabled interrupt is pending.  Like QEMU, MCR
 * OUT2 does not gate it.
 */
#include "qapi/error.h"
#include "hw/char/serial.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qemu/timer.h"

/* Register offsets */
#define UART_RBR 0      /* read; THR on write; DLL with DLAB */
#define UART_IER 1      /* DLM with DLAB */
#define UART_IIR 2      /* read; FCR on write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define UART_LCR_DLAB   0x80

#define UART_IER_RDI    0x01
#define UART_IER_THRI   0x02
#define UART_IER_RLSI   0x04
#define UART_IER_MSI    0x08

#define UART_IIR_NO_INT 0x01
#define UART_IIR_ID     0x06
#define UART_IIR_MSI    0x00
#define UART_IIR_THRI   0x02
#define UART_IIR_RDI    0x04
#define UART_IIR_RLSI   0x06
#define UART_IIR_CTI    0x0c
#define UART_IIR_FE     0xc0    /* FIFOs enabled */

#define UART_FCR_FE     0x01
#define UART_FCR_RFR    0x02
#define UART_FCR_XFR    0x04
#define UART_FCR_DMS    0x08
#define UART_FCR_ITL    0xc0

#define UART_LSR_DR     0x01
#define UART_LSR_OE     0x02
#define UART_LSR_PE     0x04
#define UART_LSR_FE     0x08
#define UART_LSR_BI     0x10
#define UART_LSR_THRE   0x20
#define UART_LSR_TEMT   0x40
#define UART_LSR_INT_ANY 0x1e

#define UART_MCR_LOOP   0x10
#define UART_MCR_OUT2   0x08

#define UART_MSR_CTS    0x10
#define UART_MSR_DSR    0x20
#define UART_MSR_DCD    0x80
#define UART_MSR_ANY_DELTA 0x0f

static const uint16_t isa_serial_io[MAX_ISA_SERIAL_PORTS] = {
    0x3f8, 0x2f8, 0x3e8, 0x2e8
};
static const uint8_t isa_serial_irq[MAX_ISA_SERIAL_PORTS] = { 4, 3, 4, 3 };

/* ---- Interrupt and line state ------------------------------------------ */

static void serial_update_irq(ISASerialState *s)
{
    uint8_t id = UART_IIR_NO_INT;

    /* Highest priority first, as the 16550A orders its sources. */
    if ((s->ier & UART_IER_RLSI) && (s->lsr & UART_LSR_INT_ANY)) {
        id = UART_IIR_RLSI;
    } else if ((s->ier & UART_IER_RDI) && s->timeout_ipending) {
        id = UART_IIR_CTI;
    } else if ((s->ier & UART_IER_RDI) && (s->lsr & UART_LSR_DR) &&
               (!(s->fcr & UART_FCR_FE) || s->rx_count >= s->rx_trigger)) {
        id = UART_IIR_RDI;
    } else if ((s->ier & UART_IER_THRI) && s->thr_ipending) {
        id = UART_IIR_THRI;
    } else if ((s->ier & UART_IER_MSI) && (s->msr & UART_MSR_ANY_DELTA)) {
        id = UART_IIR_MSI;
    }
    s->iir = id | (s->fcr & UART_FCR_FE ? UART_IIR_FE : 0);
    qemu_set_irq(s->irq, id != UART_IIR_NO_INT);
}

static void serial_update_parameters(ISASerialState *s)
{
    /* start bit + 5..8 data bits + parity + 1 or 2 stop bits */
    int frame = 1 + (s->lcr & 0x03) + 5 + !!(s->lcr & 0x08) +
                (s->lcr & 0x04 ? 2 : 1);
    uint32_t speed;

    if (!s->divider || !s->baudbase) {
        return;
    }
    speed = MAX(s->baudbase / s->divider, 1);
    s->char_time_ns = NANOSECONDS_PER_SECOND / speed * frame;
}

static void serial_arm_timeout(ISASerialState *s)
{
    timer_mod(s->fifo_timeout, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
              s->char_time_ns * 4);
}

/* Data waited 4 character times in the FIFO without being read. */
static void serial_fifo_timeout(void *opaque)
{
    ISASerialState *s = opaque;

    if (s->rx_count) {
        s->timeout_ipending = true;
        serial_update_irq(s);
    }
}

static void rx_fifo_reset(ISASerialState *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    timer_del(s->fifo_timeout);
    s->timeout_ipending = false;
}

static uint8_t rx_fifo_pop(ISASerialState *s)
{
    uint8_t c;

    if (!s->rx_count) {
        return 0;
    }
    c = s->rx_fifo[s->rx_head];
    s->rx_head = (s->rx_head + 1) % UART_FIFO_LENGTH;
    s->rx_count--;
    return c;
}

/* A received character; an overrun keeps what is queued (16550A). */
static void serial_receive_byte(ISASerialState *s, uint8_t c)
{
    if (s->fcr & UART_FCR_FE) {
        if (s->rx_count < UART_FIFO_LENGTH) {
            s->rx_fifo[(s->rx_head + s->rx_count) % UART_FIFO_LENGTH] = c;
            s->rx_count++;
        } else {
            s->lsr |= UART_LSR_OE;
        }
    } else {
        if (s->lsr & UART_LSR_DR) {
            s->lsr |= UART_LSR_OE;
        }
        s->rbr = c;
    }
    s->lsr |= UART_LSR_DR;
}

static void serial_receive(void *opaque, const uint8_t *buf, int size)
{
    ISASerialState *s = opaque;

    for (int i = 0; i < size; i++) {
        serial_receive_byte(s, buf[i]);
    }
    if (s->fcr & UART_FCR_FE) {
        serial_arm_timeout(s);
    }
    serial_update_irq(s);
}

/*
 * How much the line may deliver now.  Up to the trigger level, so the
 * guest gets its interrupt at the level it chose rather than a full FIFO.
 */
static int serial_can_receive(void *opaque)
{
    ISASerialState *s = opaque;

    if (s->mcr & UART_MCR_LOOP) {
        return 0;               /* the line is disconnected in loopback */
    }
    if (s->fcr & UART_FCR_FE) {
        if (s->rx_count >= UART_FIFO_LENGTH) {
            return 0;
        }
        return s->rx_count < s->rx_trigger ? s->rx_trigger - s->rx_count : 1;
    }
    return !(s->lsr & UART_LSR_DR);
}

static void serial_transmit(ISASerialState *s, uint8_t c)
{
    if (s->mcr & UART_MCR_LOOP) {
        serial_receive(s, &c, 1);
    } else if (s->chr) {
        /* Not connected (a server with no client yet): the byte is lost,
         * as on a real line with nothing attached. */
        qemu_chr_fe_write_all(s->chr, &c, 1);
    }
    s->lsr |= UART_LSR_THRE | UART_LSR_TEMT;
    s->thr_ipending = true;
}

/* ---- Registers ---------------------------------------------------------- */

static uint8_t fcr_trigger(uint8_t fcr)
{
    static const uint8_t trigger[4] = { 1, 4, 8, 14 };

    return trigger[(fcr & UART_FCR_ITL) >> 6];
}

static void serial_write_fcr(ISASerialState *s, uint8_t val)
{
    /* Turning the FIFOs on or off clears them. */
    if ((val ^ s->fcr) & UART_FCR_FE) {
        val |= UART_FCR_RFR | UART_FCR_XFR;
    }
    if (val & UART_FCR_RFR) {
        rx_fifo_reset(s);
        if (val & UART_FCR_FE) {
            s->lsr &= ~UART_LSR_DR;
        }
    }
    s->rx_trigger = fcr_trigger(val);
    s->fcr = val & (UART_FCR_FE | UART_FCR_DMS | UART_FCR_ITL);
    serial_update_irq(s);
}

static void serial_io_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    ISASerialState *s = opaque;
    bool dlab = s->lcr & UART_LCR_DLAB;

    val &= 0xff;
    switch (addr & 7) {
    case UART_RBR:
        if (dlab) {
            s->divider = (s->divider & 0xff00) | val;
            serial_update_parameters(s);
            break;
        }
        s->lsr &= ~(UART_LSR_THRE | UART_LSR_TEMT);
        s->thr_ipending = false;
        serial_transmit(s, val);
        serial_update_irq(s);
        break;
    case UART_IER:
        if (dlab) {
            s->divider = (s->divider & 0x00ff) | (val << 8);
            serial_update_parameters(s);
            break;
        }
        s->ier = val & 0x0f;
        /* Enabling (or rewriting) IER with THR empty re-arms THRE. */
        if (s->lsr & UART_LSR_THRE) {
            s->thr_ipending = true;
        }
        serial_update_irq(s);
        break;
    case UART_IIR:
        if (val != s->fcr) {
            serial_write_fcr(s, val);
        }
        break;
    case UART_LCR:
        s->lcr = val;
        serial_update_parameters(s);
        break;
    case UART_MCR:
        s->mcr = val & 0x1f;
        break;
    case UART_LSR:
    case UART_MSR:
        break;                  /* read-only: factory test registers */
    case UART_SCR:
        s->scr = val;
        break;
    }
}

static uint8_t serial_read_rbr(ISASerialState *s)
{
    uint8_t c;

    if (s->fcr & UART_FCR_FE) {
        c = rx_fifo_pop(s);
        if (!s->rx_count) {
            s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
            timer_del(s->fifo_timeout);
        } else {
            serial_arm_timeout(s);
        }
        s->timeout_ipending = false;
    } else {
        c = s->rbr;
        s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
    }
    serial_update_irq(s);
    /* The chardev polls can_receive from the main loop: more input
     * arrives on its next round without a kick from here. */
    return c;
}

static uint8_t serial_read_msr(ISASerialState *s)
{
    uint8_t ret;

    if (s->mcr & UART_MCR_LOOP) {
        /* Outputs fed back: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
        ret = (s->mcr & 0x0c) << 4;
        ret |= (s->mcr & 0x02) << 3;
        ret |= (s->mcr & 0x01) << 5;
        return ret;
    }
    ret = s->msr;
    if (s->msr & UART_MSR_ANY_DELTA) {
        s->msr &= 0xf0;
        serial_update_irq(s);
    }
    return ret;
}

static uint64_t serial_io_read(void *opaque, hwaddr addr, unsigned size)
{
    ISASerialState *s = opaque;
    bool dlab = s->lcr & UART_LCR_DLAB;
    uint8_t ret = 0;

    switch (addr & 7) {
    case UART_RBR:
        ret = dlab ? s->divider & 0xff : serial_read_rbr(s);
        break;
    case UART_IER:
        ret = dlab ? s->divider >> 8 : s->ier;
        break;
    case UART_IIR:
        ret = s->iir;
        /* Reading IIR acknowledges a THRE interrupt. */
        if ((ret & 0x0f) == UART_IIR_THRI) {
            s->thr_ipending = false;
            serial_update_irq(s);
        }
        break;
    case UART_LCR:
        ret = s->lcr;
        break;
    case UART_MCR:
        ret = s->mcr;
        break;
    case UART_LSR:
        ret = s->lsr;
        /* Reading LSR clears the error bits and their interrupt. */
        if (s->lsr & (UART_LSR_BI | UART_LSR_OE)) {
            s->lsr &= ~(UART_LSR_BI | UART_LSR_OE);
            serial_update_irq(s);
        }
        break;
    case UART_MSR:
        ret = serial_read_msr(s);
        break;
    case UART_SCR:
        ret = s->scr;
        break;
    }
    return ret;
}

static const MemoryRegionOps serial_io_ops = {
    .read = serial_io_read,
    .write = serial_io_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 1,
};

/* ---- Device ------------------------------------------------------------- */

static void serial_reset(DeviceState *dev)
{
    ISASerialState *s = ISA_SERIAL(dev);

    s->rbr = 0;
    s->ier = 0;
    s->lcr = 0;
    s->lsr = UART_LSR_TEMT | UART_LSR_THRE;
    /* Nothing drives the modem lines: carrier, DSR and CTS present. */
    s->msr = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
    s->divider = 12;            /* 9600 baud with the 1.8432 MHz clock */
    s->mcr = UART_MCR_OUT2;
    s->scr = 0;
    s->fcr = 0;
    s->rx_trigger = 1;
    rx_fifo_reset(s);
    s->thr_ipending = false;
    serial_update_parameters(s);
    serial_update_irq(s);
}

static void serial_realize(DeviceState *dev, GError **errp)
{
    static uint32_t next_index;
    ISASerialState *s = ISA_SERIAL(dev);
    ISADevice *isa = ISA_DEVICE(dev);

    if (s->index == UINT32_MAX) {
        s->index = next_index;
    }
    if (s->index >= MAX_ISA_SERIAL_PORTS) {
        error_setg(errp, "Max. supported number of ISA serial ports is %d.",
                   MAX_ISA_SERIAL_PORTS);
        return;
    }
    if (s->iobase == UINT32_MAX) {
        s->iobase = isa_serial_io[s->index];
    }
    if (s->isairq == UINT32_MAX) {
        s->isairq = isa_serial_irq[s->index];
    }
    if (s->isairq >= ISA_NUM_IRQS) {
        error_setg(errp, "Invalid IRQ %u for the isa device (limit is %u)",
                   s->isairq, ISA_NUM_IRQS - 1);
        return;
    }
    if (s->iobase > 0xfff8) {
        error_setg(errp, "isa-serial: iobase 0x%x is beyond the I/O space",
                   s->iobase);
        return;
    }
    next_index++;
    s->irq = isa_get_irq(isa, s->isairq);
    s->fifo_timeout = timer_new_ns(QEMU_CLOCK_VIRTUAL, serial_fifo_timeout,
                                   s);
    memory_region_init_io(&s->io, OBJECT(dev), &serial_io_ops, s, "serial",
                          8);
    isa_register_ioport(isa, &s->io, s->iobase);
    if (s->chr) {
        qemu_chr_fe_set_handlers(s->chr, serial_can_receive, serial_receive,
                                 NULL, s);
    }
    serial_reset(dev);
}

static void serial_unrealize(DeviceState *dev)
{
    ISASerialState *s = ISA_SERIAL(dev);

    if (s->chr) {
        qemu_chr_fe_set_handlers(s->chr, NULL, NULL, NULL, NULL);
    }
    isa_unregister_ioport(ISA_DEVICE(dev), &s->io);
    timer_free(s->fifo_timeout);
    s->fifo_timeout = NULL;
}

static bool serial_post_load(void *opaque, int version_id, GError **errp)
{
    ISASerialState *s = opaque;

    s->rx_trigger = fcr_trigger(s->fcr);
    serial_update_parameters(s);
    if (s->rx_count && (s->fcr & UART_FCR_FE)) {
        serial_arm_timeout(s);
    }
    serial_update_irq(s);
    return true;
}

/* The registers; IIR and the IRQ level are recomputed from them. */
static const VMStateDescription vmstate_isa_serial = {
    .name = "serial",
    .version_id = 1,
    .post_load = serial_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT16(divider, ISASerialState),
        VMSTATE_UINT8(rbr, ISASerialState),
        VMSTATE_UINT8(ier, ISASerialState),
        VMSTATE_UINT8(lcr, ISASerialState),
        VMSTATE_UINT8(mcr, ISASerialState),
        VMSTATE_UINT8(lsr, ISASerialState),
        VMSTATE_UINT8(msr, ISASerialState),
        VMSTATE_UINT8(scr, ISASerialState),
        VMSTATE_UINT8(fcr, ISASerialState),
        VMSTATE_BUFFER(rx_fifo, ISASerialState),
        VMSTATE_UINT8_MAX(rx_head, ISASerialState, UART_FIFO_LENGTH - 1),
        VMSTATE_UINT8_MAX(rx_count, ISASerialState, UART_FIFO_LENGTH),
        VMSTATE_BOOL(thr_ipending, ISASerialState),
        VMSTATE_BOOL(timeout_ipending, ISASerialState),
        VMSTATE_END_OF_LIST()
    },
};

static Property serial_isa_props[] = {
    DEFINE_PROP_UINT32("index", ISASerialState, index, -1),
    DEFINE_PROP_UINT32("iobase", ISASerialState, iobase, -1),
    DEFINE_PROP_UINT32("irq", ISASerialState, isairq, -1),
    DEFINE_PROP_CHR("chardev", ISASerialState, chr),
    DEFINE_PROP_UINT32("baudbase", ISASerialState, baudbase, 115200),
    DEFINE_PROP_END_OF_LIST(),
};

static void serial_isa_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "16550A UART (COM port)";
    dc->category = DEVICE_CATEGORY_INPUT;
    dc->realize = serial_realize;
    dc->unrealize = serial_unrealize;
    dc->reset = serial_reset;
    dc->vmsd = &vmstate_isa_serial;
    dc->user_creatable = true;
    device_class_set_props(dc, serial_isa_props);
}

static const TypeInfo serial_isa_info = {
    .name = TYPE_ISA_SERIAL,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(ISASerialState),
    .class_init = serial_isa_class_init,
};

static void serial_isa_register_types(void)
{
    type_register_static(&serial_isa_info);
}

type_init(serial_isa_register_types)

/* ---- -serial ------------------------------------------------------------ */

static Chardev *serial_hds[MAX_ISA_SERIAL_PORTS];

void serial_hds_set(int index, Chardev *chr)
{
    if (index >= 0 && index < MAX_ISA_SERIAL_PORTS) {
        serial_hds[index] = chr;
    }
}

Chardev *serial_hd(int index)
{
    return index >= 0 && index < MAX_ISA_SERIAL_PORTS ? serial_hds[index]
                                                      : NULL;
}

bool serial_hds_isa_init(ISABus *bus, GError **errp)
{
    for (int i = 0; i < MAX_ISA_SERIAL_PORTS; i++) {
        DeviceState *dev;
        g_autofree char *idx = NULL;

        if (!serial_hds[i]) {
            continue;
        }
        dev = qdev_new(TYPE_ISA_SERIAL);
        idx = g_strdup_printf("%d", i);
        if (!qdev_prop_parse(dev, "index", idx, errp) ||
            !qdev_prop_parse(dev, "chardev",
                             qemu_chr_get_label(serial_hds[i]), errp)) {
            object_unref(OBJECT(dev));
            return false;
        }
        if (!qdev_realize_and_unref(dev, BUS(bus), errp)) {
            return false;
        }
    }
    return true;
}
