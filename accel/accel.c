/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The abstract "accel" type and choosing an accelerator from the command
 * line (-accel, -machine accel=, -enable-kvm) with QEMU's fallback rules:
 * each name in turn, a failure is reported and the next one tried, and
 * "falling back to" is said when a later one worked.
 */
#include <stdio.h>
#include <string.h>

#include "qapi/error.h"
#include "qemu/accel.h"

static AccelClass *current_accel;

static AccelClass *accel_find(const char *name)
{
    g_autofree char *type = g_strconcat(name, ACCEL_CLASS_SUFFIX, NULL);
    ObjectClass *oc = object_class_by_name(type);

    if (!oc || object_class_is_abstract(oc) ||
        !object_class_dynamic_cast(oc, TYPE_ACCEL)) {
        return NULL;
    }
    return ACCEL_CLASS(oc);
}

static void report_at(const char *loc, const char *fmt, const char *a,
                      const char *b)
{
    if (loc) {
        fprintf(stderr, "baton-system-x86_64: %s: ", loc);
    } else {
        fprintf(stderr, "baton-system-x86_64: ");
    }
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
}

bool accel_try(const char *list, const char *loc, bool *failed)
{
    g_auto(GStrv) names = g_strsplit(list, ":", -1);

    for (int i = 0; names[i]; i++) {
        AccelClass *ac = accel_find(names[i]);
        GError *err = NULL;

        if (!strcmp(names[i], "kvm")) {
            /* QEMU's words on a host without /dev/kvm. */
            fprintf(stderr, "Could not access KVM kernel module: "
                    "No such file or directory\n");
            report_at(loc, "failed to initialize %s: %s", "kvm",
                      "No such file or directory");
            *failed = true;
            continue;
        }
        if (!ac) {
            report_at(loc, "invalid accelerator %s%s", names[i], "");
            *failed = true;
            continue;
        }
        if (ac->init_machine && !ac->init_machine(&err)) {
            report_at(loc, "failed to initialize %s: %s", ac->name,
                      err->message);
            g_error_free(err);
            *failed = true;
            continue;
        }
        current_accel = ac;
        return true;
    }
    return false;
}

void accel_print_help(void)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_ACCEL, false);

    printf("Accelerators supported in QEMU binary:\n");
    for (GSList *l = list; l; l = l->next) {
        AccelClass *ac = ACCEL_CLASS(l->data);

        /* As QEMU: qtest is for tests and not listed. */
        if (strcmp(ac->name, "qtest")) {
            printf("%s\n", ac->name);
        }
    }
}

bool accel_setup_post(GError **errp)
{
    if (current_accel && current_accel->setup_post) {
        return current_accel->setup_post(errp);
    }
    return true;
}

const char *current_accel_name(void)
{
    return current_accel ? current_accel->name : NULL;
}

bool tcg_enabled(void)
{
    return current_accel && !strcmp(current_accel->name, "tcg");
}

static const TypeInfo accel_info = {
    .name = TYPE_ACCEL,
    .parent = TYPE_OBJECT,
    .class_size = sizeof(AccelClass),
    .abstract = true,
};

static void accel_register_types(void)
{
    type_register_static(&accel_info);
}

type_init(accel_register_types)
