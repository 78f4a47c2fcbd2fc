/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The qtest protocol server (see docs/devel/qtest.rst). */
#ifndef SYSTEM_QTEST_H
#define SYSTEM_QTEST_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* -qtest SPEC [-qtest-log FILE]; log NULL: stderr, "none": no log. */
bool qtest_server_init(const char *spec, const char *logfile, GError **errp);
bool qtest_enabled(void);
/* -accel qtest was given (virtual clock driven by the protocol). */
void qtest_set_accel(bool on);
void qtest_server_cleanup(void);
/*
 * Largest read/write a command may ask for (default and maximum 64 MiB).
 * The fuzz target lowers it: a fuzzer that finds "read 0 64M" would
 * otherwise spend a second on every mutation of that line.  A lowered
 * cap bounds memset too (a fill of a device's MMIO is one register write
 * per 8 bytes); by default memset, which needs no buffer, has no limit.
 */
void qtest_set_max_transfer(uint64_t bytes);

#endif
