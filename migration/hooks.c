/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What other subsystems hook into an outgoing migration: notifiers at its
 * steps, the "unplug pending" checks that hold it in wait-unplug, and the
 * preconditions of `migrate` (include/migration/misc.h).
 */
#include "migration/internal.h"
#include "migration/misc.h"

static GList *notifiers;
static GList *unplug_checks;
static GList *start_checks;

typedef struct Callback {
    void *fn;
    void *opaque;
} Callback;

/* Registration */

static GList *cb_add(GList *list, void *fn, void *opaque, bool prepend)
{
    Callback *c = g_new(Callback, 1);

    c->fn = fn;
    c->opaque = opaque;
    return prepend ? g_list_prepend(list, c) : g_list_append(list, c);
}

static GList *cb_remove(GList *list, void *fn, void *opaque)
{
    for (GList *l = list; l; l = l->next) {
        Callback *c = l->data;
        if (c->fn == fn && c->opaque == opaque) {
            g_free(c);
            return g_list_delete_link(list, l);
        }
    }
    return list;
}

void migration_add_notifier(MigrationNotifyFunc *fn, void *opaque)
{
    notifiers = cb_add(notifiers, fn, opaque, true);
}

void migration_remove_notifier(MigrationNotifyFunc *fn, void *opaque)
{
    notifiers = cb_remove(notifiers, fn, opaque);
}

void migration_add_unplug_pending_check(MigrationUnplugPendingFunc *fn,
                                        void *opaque)
{
    unplug_checks = cb_add(unplug_checks, fn, opaque, false);
}

void migration_remove_unplug_pending_check(MigrationUnplugPendingFunc *fn,
                                           void *opaque)
{
    unplug_checks = cb_remove(unplug_checks, fn, opaque);
}

void migration_call_notifiers(MigrationEventType ev)
{
    /* A notifier may remove itself: walk a copy. */
    GList *copy = g_list_copy(notifiers);

    for (GList *l = copy; l; l = l->next) {
        Callback *c = l->data;
        ((MigrationNotifyFunc *)c->fn)(ev, c->opaque);
    }
    g_list_free(copy);
}

void migration_add_start_check(MigrationStartCheckFunc *fn, void *opaque)
{
    start_checks = cb_add(start_checks, fn, opaque, false);
}

void migration_remove_start_check(MigrationStartCheckFunc *fn, void *opaque)
{
    start_checks = cb_remove(start_checks, fn, opaque);
}

/* How many registered checks say "pending" (query-migrate shows it). */
int migration_unplug_pending_count(void)
{
    int n = 0;

    for (GList *l = unplug_checks; l; l = l->next) {
        Callback *c = l->data;
        if (((MigrationUnplugPendingFunc *)c->fn)(c->opaque)) {
            n++;
        }
    }
    return n;
}

bool migration_unplug_pending(void)
{
    for (GList *l = unplug_checks; l; l = l->next) {
        Callback *c = l->data;
        if (((MigrationUnplugPendingFunc *)c->fn)(c->opaque)) {
            return true;
        }
    }
    return false;
}

bool migration_start_checks(GError **errp)
{
    for (GList *l = start_checks; l; l = l->next) {
        Callback *c = l->data;
        if (!((MigrationStartCheckFunc *)c->fn)(c->opaque, errp)) {
            return false;
        }
    }
    return true;
}
