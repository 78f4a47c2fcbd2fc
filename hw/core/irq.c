/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Interrupt lines: a level goes straight to whoever handles the line. */
#include "hw/irq.h"

#include <glib.h>

struct IRQState {
    qemu_irq_handler handler;
    void *opaque;
    int n;
};

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n)
{
    qemu_irq irq = g_new0(struct IRQState, 1);

    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
    return irq;
}

void qemu_free_irq(qemu_irq irq)
{
    g_free(irq);
}

void qemu_irq_set_handler(qemu_irq irq, qemu_irq_handler handler,
                          void *opaque)
{
    if (irq) {
        irq->handler = handler;
        irq->opaque = opaque;
    }
}

qemu_irq qemu_irq_intercept(qemu_irq irq, qemu_irq_handler handler,
                            void *opaque)
{
    qemu_irq old = qemu_allocate_irq(irq->handler, irq->opaque, irq->n);

    irq->handler = handler;
    irq->opaque = opaque;
    return old;
}

void qemu_set_irq(qemu_irq irq, int level)
{
    /* An unconnected output is common (optional wiring), not an error. */
    if (irq && irq->handler) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

void qemu_irq_pulse(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
    qemu_set_irq(irq, 0);
}
