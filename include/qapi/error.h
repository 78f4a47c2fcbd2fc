/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors travel as GError values from where they happen to the user: a QMP
 * reply, a command-line message or a log line.  The error code is the QMP
 * error class, so the monitor can answer with QEMU's "class" member.
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

#include <glib.h>
#include <stdbool.h>

typedef enum ErrorClass {
    ERROR_CLASS_GENERIC_ERROR,
    ERROR_CLASS_COMMAND_NOT_FOUND,
    ERROR_CLASS_DEVICE_NOT_ACTIVE,
    ERROR_CLASS_DEVICE_NOT_FOUND,
    ERROR_CLASS_KVM_MISSING_CAP,
} ErrorClass;

#define BATON_ERROR baton_error_quark()
GQuark baton_error_quark(void);

/* "GenericError", "CommandNotFound", ... as QMP spells them. */
const char *error_class_name(ErrorClass cls);

/* Set *errp (if errp is non-NULL) to a GenericError. */
void error_setg(GError **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Set *errp to an error of the given QMP class. */
void error_set(GError **errp, ErrorClass cls, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* Like error_setg, with ": strerror(os_errno)" appended. */
void error_setg_errno(GError **errp, int os_errno, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* The QMP class of an error; GenericError for foreign GError domains. */
ErrorClass error_get_class(const GError *err);

/* Print "baton-system-x86_64: <msg>" to stderr. */
void error_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void warn_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Report and free an error. */
void error_report_err(GError *err);

/*
 * Context for error_report(): while set, messages are prefixed with it,
 * e.g. "-device foo,bar=1: ".  Used by the command-line parser.
 */
void error_set_location(const char *loc);

#endif
