/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The qtest protocol server (see docs/devel/qtest.rst). */
#ifndef SYSTEM_QTEST_H
#define SYSTEM_QTEST_H

#include <glib.h>
#include <stdbool.h>

/* -qtest SPEC [-qtest-log FILE]; log NULL: stderr, "none": no log. */
bool qtest_server_init(const char *spec, const char *logfile, GError **errp);
bool qtest_enabled(void);
/* -accel qtest was given (virtual clock driven by the protocol). */
void qtest_set_accel(bool on);
void qtest_server_cleanup(void);

#endif
