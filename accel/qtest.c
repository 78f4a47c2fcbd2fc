/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest-accel: no vCPU; a test drives the machine over the qtest protocol
 * and moves the virtual clock itself.
 */
#include "qemu/accel.h"
#include "system/qtest.h"

static bool qtest_init_machine(GError **errp)
{
    qtest_set_accel(true);
    return true;
}

static void qtest_accel_class_init(ObjectClass *oc, void *data)
{
    AccelClass *ac = ACCEL_CLASS(oc);

    ac->name = "qtest";
    ac->init_machine = qtest_init_machine;
}

static const TypeInfo qtest_accel_info = {
    .name = ACCEL_CLASS_NAME("qtest"),
    .parent = TYPE_ACCEL,
    .class_init = qtest_accel_class_init,
};

static void qtest_accel_register_types(void)
{
    type_register_static(&qtest_accel_info);
}

type_init(qtest_accel_register_types)
