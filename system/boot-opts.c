/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -boot, checked as QEMU 8.1 checks it: the keys of its BootConfiguration
 * (the first without a key is "order"), then the ranges fw_cfg enforces,
 * with QEMU's words.  Only menu, splash-time and reboot-timeout reach the
 * guest (pc.c's fw_cfg items); there are no boot devices to order.
 */
#include <errno.h>
#include <stdlib.h>

#include "qapi/error.h"
#include "hw/boards.h"
#include "system/system.h"

static bool boot_int(const char *name, const char *str, int64_t *v,
                     GError **errp)
{
    char *end;

    errno = 0;
    *v = strtoll(str, &end, 0);
    if (errno || end == str || *end) {
        error_setg(errp, "Parameter 'boot.%s' expects integer", name);
        return false;
    }
    return true;
}

bool boot_config_parse(const QemuOpts *opts, BootConfig *bc, GError **errp)
{
    static const char *const keys[] = {
        "order", "once", "menu", "splash", "splash-time", "reboot-timeout",
        "strict", NULL,
    };
    int64_t v;
    bool strict;

    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (!g_strv_contains(keys, opt->name)) {
            error_setg(errp, "Parameter 'boot.%s' is unexpected", opt->name);
            return false;
        }
    }
    if ((qemu_opt_has(opts, "menu") &&
         !qapi_bool_parse("boot.menu", qemu_opt_get(opts, "menu"),
                          &bc->menu, errp)) ||
        (qemu_opt_has(opts, "strict") &&
         !qapi_bool_parse("boot.strict", qemu_opt_get(opts, "strict"),
                          &strict, errp))) {
        return false;
    }
    if (qemu_opt_has(opts, "splash-time")) {
        if (!boot_int("splash-time", qemu_opt_get(opts, "splash-time"), &v,
                      errp)) {
            return false;
        }
        if (v < 0 || v > 0xffff) {
            error_setg(errp, "splash-time is invalid,"
                       "it should be a value between 0 and 65535");
            return false;
        }
        bc->has_splash_time = true;
        bc->splash_time = v;
    }
    if (qemu_opt_has(opts, "reboot-timeout")) {
        if (!boot_int("reboot-timeout", qemu_opt_get(opts, "reboot-timeout"),
                      &v, errp)) {
            return false;
        }
        if (v < -1 || v > 0xffff) {
            error_setg(errp, "reboot timeout is invalid,"
                       "it should be a value between -1 and 65535");
            return false;
        }
        bc->has_reboot_timeout = true;
        bc->reboot_timeout = v;
    }
    return true;
}
