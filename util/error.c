/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GError helpers carrying QMP error classes, and user-facing reports. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "qapi/error.h"
#include "qemu/qemu-print.h"

G_DEFINE_QUARK(baton-error-quark, baton_error)

static const char *const class_names[] = {
    [ERROR_CLASS_GENERIC_ERROR] = "GenericError",
    [ERROR_CLASS_COMMAND_NOT_FOUND] = "CommandNotFound",
    [ERROR_CLASS_DEVICE_NOT_ACTIVE] = "DeviceNotActive",
    [ERROR_CLASS_DEVICE_NOT_FOUND] = "DeviceNotFound",
    [ERROR_CLASS_KVM_MISSING_CAP] = "KVMMissingCap",
};

const char *error_class_name(ErrorClass cls)
{
    if ((unsigned)cls >= G_N_ELEMENTS(class_names)) {
        return "GenericError";
    }
    return class_names[cls];
}

ErrorClass error_get_class(const GError *err)
{
    if (err->domain != BATON_ERROR ||
        (unsigned)err->code >= G_N_ELEMENTS(class_names)) {
        return ERROR_CLASS_GENERIC_ERROR;
    }
    return err->code;
}

static void error_setv(GError **errp, ErrorClass cls, const char *suffix,
                       const char *fmt, va_list ap)
{
    if (!errp) {
        return;
    }
    /* A second error would be a bug in the caller; keep the first one. */
    g_return_if_fail(*errp == NULL);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    if (suffix) {
        *errp = g_error_new(BATON_ERROR, cls, "%s: %s", msg, suffix);
    } else {
        *errp = g_error_new_literal(BATON_ERROR, cls, msg);
    }
}

void error_setg(GError **errp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(errp, ERROR_CLASS_GENERIC_ERROR, NULL, fmt, ap);
    va_end(ap);
}

void error_set(GError **errp, ErrorClass cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(errp, cls, NULL, fmt, ap);
    va_end(ap);
}

void error_setg_errno(GError **errp, int os_errno, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(errp, ERROR_CLASS_GENERIC_ERROR, g_strerror(os_errno), fmt,
               ap);
    va_end(ap);
}

static char *error_location;

void error_set_location(const char *loc)
{
    g_free(error_location);
    error_location = g_strdup(loc);
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    GString *mon = qemu_print_capture();

    /* Reported to the HMP user who asked, as QEMU does: no program name. */
    if (mon) {
        g_string_append_printf(mon, "%s%s\n", kind, msg);
        return;
    }
    fprintf(stderr, "baton-system-x86_64: %s%s%s%s\n",
            error_location ? error_location : "",
            error_location ? ": " : "", kind, msg);
}

void error_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void error_report_err(GError *err)
{
    error_report("%s", err->message);
    g_error_free(err);
}
