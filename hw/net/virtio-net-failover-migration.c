/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net failover across live migration.
 *
 * Source: when the migration's channel is connected, every plugged
 * primary whose standby's driver accepted STANDBY is unplugged through
 * its slot's hotplug mechanism but kept alive (partial unplug), its state
 * is left out of the stream, and UNPLUG_PRIMARY is sent.  One "unplug
 * pending" check per pair holds the migration in wait-unplug; the guest's
 * eject clears it and tells migration at once (no polling).  On failure
 * or cancel the primaries come back; on completion they stay ejected, as
 * in QEMU: the guest now runs on the destination.
 *
 * Destination: a standby whose loaded state says STANDBY was accepted is
 * treated as a fresh negotiation: FAILOVER_NEGOTIATED, then the hidden
 * primary is plugged, before the VM resumes.
 *
 * A primary must never end up on neither side: whatever a failed or
 * cancelled migration cannot plug back is reported with
 * __org.baton_FAILOVER_REPLUG_FAILED.
 */
#include "hw/virtio/virtio-net-failover.h"
#include "migration/misc.h"
#include "qapi/error.h"
#include "qapi/qapi-events.h"
#include "system/runstate.h"

/* Pairs whose primary this migration unplugged, in unplug order. */
static GPtrArray *held;

static int exclude_child(Object *obj, void *opaque)
{
    DeviceState *dev = (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);

    if (dev) {
        vmstate_set_device_excluded(dev, *(bool *)opaque);
    }
    return 0;
}

/*
 * The primary and everything it is made of (a virtio primary's backend)
 * stay out of the stream: the destination has only a hidden primary.
 */
static void set_excluded(PCIDevice *primary, bool excluded)
{
    vmstate_set_device_excluded(DEVICE(primary), excluded);
    object_child_foreach_recursive(OBJECT(primary), exclude_child,
                                   &excluded);
}

static bool pair_unplug_pending(void *opaque)
{
    FailoverPair *p = opaque;

    return failover_pair_state(p) == FAILOVER_PRIMARY_STATE_UNPLUG_REQUESTED;
}

static void hold(FailoverPair *p)
{
    FailoverPairMigration *m = failover_pair_migration(p);

    m->held = true;
    m->replug_on_eject = false;
    m->migrated = false;
    m->has_times = true;
    m->request_us = g_get_real_time();
    m->eject_us = 0;
    g_ptr_array_add(held, p);
    migration_add_unplug_pending_check(pair_unplug_pending, p);
}

static void release(FailoverPair *p)
{
    failover_pair_migration(p)->held = false;
    migration_remove_unplug_pending_check(pair_unplug_pending, p);
}

/* Unplug one pair's primary for the migration that is starting. */
static void unplug_for_migration(FailoverPair *p)
{
    FailoverPairMigration *m = failover_pair_migration(p);
    PCIDevice *primary = failover_pair_primary(p);
    FailoverPrimaryState st = failover_pair_state(p);
    GError *err = NULL;

    if (!primary || !failover_pair_negotiated(p)) {
        return;
    }
    if (st == FAILOVER_PRIMARY_STATE_UNPLUG_REQUESTED && m->replug_on_eject) {
        /* An earlier migration's request is still with the guest. */
        hold(p);
    } else if (st == FAILOVER_PRIMARY_STATE_PLUGGED) {
        /* Held first: a powered-off native slot completes at once. */
        hold(p);
        if (!failover_pair_unplug_primary(p, "migration", &err)) {
            g_ptr_array_remove(held, p);
            release(p);
            m->has_times = false;
            g_prefix_error(&err, "couldn't unplug primary device: ");
            failover_pair_report_error(p, err);
            g_error_free(err);
            return;
        }
    } else {
        return;
    }
    set_excluded(primary, true);
    qapi_event_send_unplug_primary(failover_pair_primary_id(p));
}

static void migration_setup(void)
{
    GList *standbys = g_list_reverse(g_list_copy(virtio_net_list()));

    g_ptr_array_set_size(held, 0);
    /* QEMU's notifiers run most recently created standby first. */
    for (GList *l = standbys; l; l = l->next) {
        FailoverPair *p = failover_pair_of_standby(l->data);

        if (p) {
            unplug_for_migration(p);
        }
    }
    g_list_free(standbys);
}

static void replug_failed(FailoverPair *p, const char *reason)
{
    g_autoptr(GError) err = g_error_new(BATON_ERROR, 0, "%s", reason);

    failover_pair_report_error(p, err);
    qapi_event_send___org_baton_failover_replug_failed(
        failover_pair_standby_id(p),
        failover_pair_primary_id(p) ? failover_pair_primary_id(p) : "",
        reason);
}

/* Failed or cancelled: the guest gets its primary back. */
static void plug_back(FailoverPair *p, const char *why)
{
    FailoverPairMigration *m = failover_pair_migration(p);
    PCIDevice *primary = failover_pair_primary(p);
    GError *err = NULL;

    release(p);
    if (!primary) {
        replug_failed(p, "the primary device no longer exists");
        return;
    }
    switch (failover_pair_state(p)) {
    case FAILOVER_PRIMARY_STATE_UNPLUG_REQUESTED:
        /*
         * The guest still holds it and has the request: a hot-add now
         * would race its eject.  The eject plugs it back at once.
         */
        m->replug_on_eject = true;
        set_excluded(primary, false);
        return;
    case FAILOVER_PRIMARY_STATE_UNPLUGGED:
        if (!failover_pair_plug_primary(p, why, &err)) {
            replug_failed(p, err->message);
            g_error_free(err);
            return;
        }
        set_excluded(primary, false);
        return;
    default:
        /* Plugged again meanwhile (re-plug from elsewhere). */
        set_excluded(primary, false);
        return;
    }
}

static void migration_over(MigrationEventType ev)
{
    for (guint i = 0; i < held->len; i++) {
        FailoverPair *p = held->pdata[i];

        if (ev == MIG_EVENT_COMPLETED) {
            /*
             * The guest lives on the destination; these stay ejected (a
             * stray eject does not bring them back; a new STANDBY
             * negotiation after `cont` does).
             */
            release(p);
            failover_pair_migration(p)->migrated = true;
        } else {
            plug_back(p, ev == MIG_EVENT_FAILED ? "migration-failed"
                                                : "migration-cancelled");
        }
    }
    g_ptr_array_set_size(held, 0);
}

/*
 * Destination: standbys whose loaded state says STANDBY was accepted, in
 * stream order.  Their primaries are plugged once the whole stream is in:
 * plugging one as soon as its standby is loaded would signal the hot-add
 * into hotplug registers that a later section (ICH9 LPC, root port)
 * then overwrites with the source's values, and the guest would never
 * hear of it.
 */
static GPtrArray *loaded_standbys;

static void incoming_loaded(void)
{
    for (guint i = 0; i < loaded_standbys->len; i++) {
        failover_standby_negotiated(loaded_standbys->pdata[i]);
    }
    g_ptr_array_set_size(loaded_standbys, 0);
}

static void failover_migration_notify(MigrationEventType ev, void *opaque)
{
    switch (ev) {
    case MIG_EVENT_SETUP:
        migration_setup();
        break;
    case MIG_EVENT_COMPLETED:
    case MIG_EVENT_FAILED:
    case MIG_EVENT_CANCELLED:
        migration_over(ev);
        break;
    case MIG_EVENT_INCOMING_LOADED:
        incoming_loaded();
        break;
    }
}

bool failover_migration_ejected(FailoverPair *p)
{
    FailoverPairMigration *m = failover_pair_migration(p);
    GError *err = NULL;

    if (m->migrated) {
        return true;
    }
    if (m->held) {
        if (!m->eject_us) {
            m->eject_us = g_get_real_time();
        }
        migration_unplug_pending_changed();
        return true;
    }
    if (m->replug_on_eject) {
        /* A migration ended before the guest answered: give it back. */
        m->replug_on_eject = false;
        if (!failover_pair_plug_primary(p, "migration-cancelled", &err)) {
            replug_failed(p, err->message);
            g_error_free(err);
        }
        return true;
    }
    return false;
}

bool failover_migration_device_del(FailoverPair *p, const char *id,
                                   GError **errp)
{
    FailoverPairMigration *m = failover_pair_migration(p);

    if (!m->held) {
        return false;
    }
    if (failover_pair_state(p) == FAILOVER_PRIMARY_STATE_UNPLUG_REQUESTED) {
        error_setg(errp, "Device %s is already in the process of unplug", id);
    } else {
        /*
         * Deleting it now would leave nothing to plug back if the
         * migration fails: the source would lose the NIC.
         */
        error_setg(errp, "Device %s is a failover primary unplugged for "
                   "the migration in progress; delete it when the "
                   "migration is over", id);
    }
    return true;
}

void failover_migration_reset_done(void)
{
    if (held && held->len) {
        migration_unplug_pending_changed();
    }
}

void failover_migration_fill_info(FailoverPair *p, FailoverPairInfo *info)
{
    FailoverPairMigration *m = failover_pair_migration(p);
    FailoverMigrationUnplug *u;

    if (!m->has_times) {
        return;
    }
    u = g_new0(FailoverMigrationUnplug, 1);
    u->request_time_us = m->request_us;
    if (m->eject_us) {
        u->has_eject_time_us = true;
        u->eject_time_us = m->eject_us;
        u->has_latency_us = true;
        u->latency_us = m->eject_us - m->request_us;
    }
    info->migration_unplug = u;
}

void failover_migration_forget(FailoverPair *p)
{
    if (failover_pair_migration(p)->held) {
        release(p);
    }
    if (held) {
        g_ptr_array_remove(held, p);
    }
}

/*
 * A paused guest cannot answer the unplug request: QEMU (before its
 * rework) waited for ever.  Refuse at once instead.
 */
static bool failover_migration_start_check(void *opaque, GError **errp)
{
    GPtrArray *all = failover_pairs();

    if (runstate_is_running()) {
        return true;
    }
    for (guint i = 0; i < all->len; i++) {
        FailoverPair *p = all->pdata[i];

        if (failover_pair_negotiated(p) &&
            failover_pair_state(p) == FAILOVER_PRIMARY_STATE_PLUGGED) {
            error_setg(errp, "Cannot migrate a paused guest that has the "
                       "failover primary device '%s' plugged: the guest "
                       "cannot unplug it; resume the guest with 'cont' first",
                       failover_pair_primary_id(p));
            return false;
        }
    }
    return true;
}

/* Destination: the standby's state was loaded (in stream order). */
static void failover_device_loaded(DeviceState *dev, void *opaque)
{
    VirtIONet *n = (VirtIONet *)object_dynamic_cast(OBJECT(dev),
                                                    TYPE_VIRTIO_NET);
    VirtIODevice *vdev = n ? VIRTIO_DEVICE(n) : NULL;

    if (!n || !n->conf.failover ||
        !virtio_vdev_has_feature(vdev, VIRTIO_NET_F_STANDBY) ||
        !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK)) {
        return;
    }
    g_ptr_array_add(loaded_standbys, n);
}

static void failover_migration_register(void)
{
    held = g_ptr_array_new();
    loaded_standbys = g_ptr_array_new();
    migration_add_notifier(failover_migration_notify, NULL);
    migration_add_start_check(failover_migration_start_check, NULL);
    migration_add_device_loaded_hook(failover_device_loaded, NULL);
}

type_init(failover_migration_register)
