/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What migration tests do on either side over QMP: query, enable events,
 * set parameters and capabilities, start a migration and wait for its
 * states.  Every wait is for an event or a reply (libqtest bounds them).
 */
#ifndef LIBQOS_MIGRATE_H
#define LIBQOS_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libqtest.h"

/* query-migrate's reply (unref it). */
JsonObject *mig_query(QTestState *qts);
/* Its status, "" when there is none (g_free it). */
char *mig_status(QTestState *qts);
/* query-status's status (g_free it). */
char *mig_run_status(QTestState *qts);
void mig_set_cap(QTestState *qts, const char *cap, bool on);
/* The `events` capability, so that MIGRATION events are sent. */
void mig_enable_events(QTestState *qts);
void mig_set_param(QTestState *qts, const char *name, int64_t v);
/* migrate to uri; the command must succeed. */
void mig_migrate(QTestState *qts, const char *uri);
/*
 * name in the test program's scratch directory (g_free it); the directory
 * is made on first use, and mig_tmp_cleanup() removes it with its files.
 */
char *mig_tmp_path(const char *name);
void mig_tmp_cleanup(void);
/* Pseudo-random bytes from seed (the same on both sides of a test). */
void mig_fill_pattern(uint8_t *buf, size_t len, uint32_t seed);
/* Wait for a MIGRATION event with status a (or b); returns it (g_free). */
char *mig_wait_event(QTestState *qts, const char *a, const char *b);
/* Events on, then migrate to uri. */
void mig_start(QTestState *qts, const char *uri);
/*
 * Wait for a MIGRATION event with this status; `failed` first fails (when
 * waiting for `failed`, `completed` first fails).
 */
void mig_wait_status(QTestState *qts, const char *status);

#endif
