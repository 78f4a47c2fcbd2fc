/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What management does around a migration: events on, start, wait. */
#ifndef LIBQOS_MIGRATION_H
#define LIBQOS_MIGRATION_H

#include "../libqtest.h"

/* Turn on the `events` capability so MIGRATION events are sent. */
void qmigrate_events_on(QTestState *qts);

/* Events on, then `migrate` to uri; the command itself must succeed. */
void qmigrate_start(QTestState *qts, const char *uri);

/*
 * Wait for a MIGRATION event with this status; a `failed` on the way
 * (when failed is not what is awaited) fails the test.
 */
void qmigrate_wait_status(QTestState *qts, const char *status);

#endif
