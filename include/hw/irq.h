/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Interrupt lines: a handler plus its argument, set to a level. */
#ifndef HW_IRQ_H
#define HW_IRQ_H

#include <stdbool.h>

typedef struct IRQState *qemu_irq;
typedef void (*qemu_irq_handler)(void *opaque, int n, int level);

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n);
void qemu_free_irq(qemu_irq irq);
/* Re-point an existing line (qtest irq interception). */
void qemu_irq_set_handler(qemu_irq irq, qemu_irq_handler handler,
                          void *opaque);
/*
 * Take over an existing line: irq now calls handler(opaque, n, level) and
 * the returned new line carries its previous handler, so the interceptor
 * can pass levels on (qtest irq_intercept_in).
 */
qemu_irq qemu_irq_intercept(qemu_irq irq, qemu_irq_handler handler,
                            void *opaque);
void qemu_set_irq(qemu_irq irq, int level);     /* NULL irq: ignored */
static inline void qemu_irq_raise(qemu_irq irq) { qemu_set_irq(irq, 1); }
static inline void qemu_irq_lower(qemu_irq irq) { qemu_set_irq(irq, 0); }
void qemu_irq_pulse(qemu_irq irq);

#endif
