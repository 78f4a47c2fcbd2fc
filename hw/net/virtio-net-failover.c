/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net failover: hide the primary NIC until the guest's driver of
 * its virtio-net standby accepts VIRTIO_NET_F_STANDBY, then plug it.
 *
 * Pairs are keyed by the standby's id and live here, not in the standby:
 * a primary can be seen before its standby (command-line order) and can
 * outlive it (device_del of the standby), and one table makes the state
 * of every pair visible to __org.baton_query-failover.
 *
 * What the hooks are:
 *  - one device listener for the whole machine: hide_device decides about
 *    every -device/device_add that carries failover_pair_id; realize and
 *    unrealize follow primaries coming and going;
 *  - virtio-net's failover ops: standby realize/unrealize, FEATURES_OK
 *    (the only place STANDBY is acted on), virtio reset;
 *  - the PCI partial-eject notification (the guest let go of a primary);
 *  - a reset handler (system_reset) and device_del of hidden primaries.
 */
#include <stdlib.h>
#include <string.h>

#include "hw/virtio/virtio-net-failover.h"
#include "hw/boards.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qapi/qapi-events.h"
#include "system/qdev-monitor.h"
#include "system/qtest.h"
#include "system/runstate.h"

#define FAILOVER_HISTORY 8

struct FailoverPair {
    char *standby_id;
    VirtIONet *standby;         /* NULL: no failover=on device of that id */
    bool negotiated;            /* STANDBY accepted since the last reset */
    QemuOpts *opts;             /* the primary's options, kept for re-use */
    char *primary_id;
    PCIDevice *primary;         /* realized primary, or NULL */
    FailoverPrimaryState state;
    /* Start-up: the primary came before any device of standby_id. */
    bool deferred;
    char *last_error;
    FailoverTransition history[FAILOVER_HISTORY];
    char *reasons[FAILOVER_HISTORY];
    unsigned nhistory;          /* total transitions; ring of the last 8 */
    FailoverPairMigration mig;
};

static GPtrArray *pairs;
/* We are creating a primary ourselves: no hiding, known reason. */
static const char *creating_reason;
static bool startup_resolved;

GPtrArray *failover_pairs(void)
{
    if (!pairs) {
        pairs = g_ptr_array_new();
    }
    return pairs;
}

/* ---- Lookups ------------------------------------------------------------ */

static DeviceState *standby_proxy(VirtIONet *n)
{
    BusState *bus = DEVICE(n)->parent_bus;

    return bus ? bus->parent : NULL;
}

static const char *standby_id_of(VirtIONet *n)
{
    DeviceState *proxy = standby_proxy(n);

    return proxy ? proxy->id : NULL;
}

/* A realized failover=on standby with that id. */
static VirtIONet *find_standby(const char *id)
{
    for (GList *l = virtio_net_list(); l; l = l->next) {
        VirtIONet *n = l->data;

        if (n->conf.failover && !g_strcmp0(standby_id_of(n), id)) {
            return n;
        }
    }
    return NULL;
}

static bool any_standby_exists(void)
{
    for (GList *l = virtio_net_list(); l; l = l->next) {
        if (((VirtIONet *)l->data)->conf.failover) {
            return true;
        }
    }
    return false;
}

static DeviceState *find_peripheral(const char *id)
{
    Object *periph = container_get(qdev_get_machine(), "/peripheral");
    Object *obj = object_resolve_path_at(periph, id);

    return obj ? (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE) : NULL;
}

FailoverPair *failover_pair_find(const char *standby_id)
{
    GPtrArray *all = failover_pairs();

    for (guint i = 0; i < all->len; i++) {
        FailoverPair *p = all->pdata[i];

        if (!strcmp(p->standby_id, standby_id)) {
            return p;
        }
    }
    return NULL;
}

FailoverPair *failover_pair_of_standby(VirtIONet *n)
{
    GPtrArray *all = failover_pairs();

    for (guint i = 0; i < all->len; i++) {
        FailoverPair *p = all->pdata[i];

        if (p->standby == n) {
            return p;
        }
    }
    return NULL;
}

FailoverPair *failover_pair_of_primary(PCIDevice *dev)
{
    GPtrArray *all = failover_pairs();

    for (guint i = 0; i < all->len; i++) {
        FailoverPair *p = all->pdata[i];

        if (p->primary == dev) {
            return p;
        }
    }
    return NULL;
}

static FailoverPair *pair_of_hidden_id(const char *primary_id)
{
    GPtrArray *all = failover_pairs();

    for (guint i = 0; i < all->len; i++) {
        FailoverPair *p = all->pdata[i];

        if (!p->primary && p->opts && !g_strcmp0(p->primary_id, primary_id)) {
            return p;
        }
    }
    return NULL;
}

FailoverPrimaryState failover_pair_state(FailoverPair *pair)
{
    return pair->state;
}

PCIDevice *failover_pair_primary(FailoverPair *pair)
{
    return pair->primary;
}

VirtIONet *failover_pair_standby(FailoverPair *pair)
{
    return pair->standby;
}

const char *failover_pair_standby_id(FailoverPair *pair)
{
    return pair->standby_id;
}

const char *failover_pair_primary_id(FailoverPair *pair)
{
    return pair->primary_id;
}

bool failover_pair_negotiated(FailoverPair *pair)
{
    return pair->negotiated;
}

FailoverPairMigration *failover_pair_migration(FailoverPair *pair)
{
    return &pair->mig;
}

/* ---- Pair life and state ------------------------------------------------ */

static FailoverPair *pair_new(const char *standby_id)
{
    FailoverPair *p = g_new0(FailoverPair, 1);

    p->standby_id = g_strdup(standby_id);
    p->state = FAILOVER_PRIMARY_STATE_ABSENT;
    g_ptr_array_add(failover_pairs(), p);
    return p;
}

static void pair_forget_primary(FailoverPair *p)
{
    g_clear_pointer(&p->opts, qemu_opts_free);
    g_clear_pointer(&p->primary_id, g_free);
    p->primary = NULL;
}

/* A pair with nothing left in it disappears from the query. */
static void pair_maybe_free(FailoverPair *p)
{
    if (p->standby || p->primary || p->opts) {
        return;
    }
    failover_migration_forget(p);
    g_ptr_array_remove(failover_pairs(), p);
    for (unsigned i = 0; i < FAILOVER_HISTORY; i++) {
        g_free(p->reasons[i]);
    }
    g_free(p->standby_id);
    g_free(p->last_error);
    g_free(p);
}

void failover_pair_set_state(FailoverPair *pair, FailoverPrimaryState state,
                             const char *reason)
{
    unsigned slot = pair->nhistory % FAILOVER_HISTORY;

    if (pair->state == state) {
        return;
    }
    pair->state = state;
    pair->history[slot].state = state;
    pair->history[slot].time_us = g_get_real_time();
    g_free(pair->reasons[slot]);
    pair->reasons[slot] = g_strdup(reason);
    pair->nhistory++;
}

void failover_pair_report_error(FailoverPair *pair, GError *err)
{
    FailoverPair *p = pair;

    g_free(p->last_error);
    p->last_error = g_strdup(err->message);
    /* QEMU warns on stderr, except under qtest. */
    if (!qtest_enabled()) {
        warn_report("failover: standby '%s': %s", p->standby_id,
                    err->message);
    }
}

/* ---- Plug / unplug ------------------------------------------------------ */

bool failover_pair_unplug_primary(FailoverPair *pair, const char *reason,
                                  GError **errp)
{
    if (!pair->primary || pair->state != FAILOVER_PRIMARY_STATE_PLUGGED) {
        error_setg(errp, "failover: no plugged primary for '%s'",
                   pair->standby_id);
        return false;
    }
    if (!pci_device_partial_unplug_request(pair->primary, errp)) {
        return false;
    }
    failover_pair_set_state(pair, FAILOVER_PRIMARY_STATE_UNPLUG_REQUESTED,
                            reason);
    return true;
}

static bool pair_create_primary(FailoverPair *p, bool coldplug,
                                const char *reason, GError **errp)
{
    DeviceState *dev;

    creating_reason = reason;
    dev = qdev_device_add_unhidden(p->opts, coldplug, errp);
    creating_reason = NULL;
    return dev != NULL;
}

bool failover_pair_plug_primary(FailoverPair *pair, const char *reason,
                                GError **errp)
{
    switch (pair->state) {
    case FAILOVER_PRIMARY_STATE_PLUGGED:
    case FAILOVER_PRIMARY_STATE_RE_PLUGGING:
        return true;
    case FAILOVER_PRIMARY_STATE_HIDDEN:
        return pair_create_primary(pair, false, reason, errp);
    case FAILOVER_PRIMARY_STATE_UNPLUG_REQUESTED:
        /*
         * The guest was asked to let go and has not answered: a hot-add
         * on top of a pending removal would leave it both.  Plug it back
         * when it ejects (failover_partial_eject).
         */
        return true;
    case FAILOVER_PRIMARY_STATE_UNPLUGGED:
        failover_pair_set_state(pair, FAILOVER_PRIMARY_STATE_RE_PLUGGING,
                                reason);
        if (!pci_device_replug(pair->primary, errp)) {
            failover_pair_set_state(pair, FAILOVER_PRIMARY_STATE_UNPLUGGED,
                                    "replug-failed");
            return false;
        }
        pair->mig.migrated = false;
        failover_pair_set_state(pair, FAILOVER_PRIMARY_STATE_PLUGGED, reason);
        return true;
    default:
        error_setg(errp, "Primary device not found. Virtio-net failover "
                   "will not work. Make sure primary device has parameter "
                   "failover_pair_id=%s", pair->standby_id);
        return false;
    }
}

void failover_standby_negotiated(VirtIONet *n)
{
    FailoverPair *p = failover_pair_of_standby(n);
    GError *err = NULL;

    if (!p) {
        return;
    }
    qapi_event_send_failover_negotiated(p->standby_id);
    p->negotiated = true;
    if (!failover_pair_plug_primary(p, "negotiated", &err)) {
        failover_pair_report_error(p, err);
        g_error_free(err);
    }
}

/* ---- Hiding (device listener) ------------------------------------------- */

static BusState *opts_bus(const QemuOpts *opts)
{
    const char *path = qemu_opt_get(opts, "bus");

    if (path) {
        return qbus_find(path, NULL);
    }
    return qbus_find_recursive(sysbus_get_default(), NULL, TYPE_PCI_BUS);
}

static ObjectClass *opts_class(const QemuOpts *opts)
{
    const char *driver = qemu_opt_get(opts, "driver");
    ObjectClass *oc;

    if (!driver) {
        return NULL;
    }
    oc = object_class_by_name(driver);
    if (!oc && qdev_driver_by_alias(driver)) {
        oc = object_class_by_name(qdev_driver_by_alias(driver));
    }
    return oc;
}

/* addr=S.F: a function other than 0 shares a slot. */
static bool opts_function_nonzero(const QemuOpts *opts)
{
    const char *addr = qemu_opt_get(opts, "addr");
    const char *dot = addr ? strchr(addr, '.') : NULL;

    return dot && strtoul(dot + 1, NULL, 0) != 0;
}

/*
 * The checks QEMU makes only when the hidden primary is finally created
 * (where a failure is a warning nobody sees), made up front so that
 * device_add / -device fails cleanly with the same text.
 */
static bool check_primary_opts(const QemuOpts *opts, GError **errp)
{
    ObjectClass *oc = opts_class(opts);
    PCIDeviceClass *pc = (PCIDeviceClass *)object_class_dynamic_cast(
        oc, TYPE_PCI_DEVICE);
    BusState *bus = opts_bus(opts);
    PCIBus *pbus = bus ? (PCIBus *)object_dynamic_cast(OBJECT(bus),
                                                       TYPE_PCI_BUS) : NULL;
    bool multifunction = false;

    if (pbus && !pci_bus_is_express(pbus)) {
        error_setg(errp, "failover primary device must be on PCIExpress bus");
        return false;
    }
    if (pc && pc->class_id && pc->class_id != PCI_CLASS_NETWORK_ETHERNET) {
        error_setg(errp, "failover primary device is not an Ethernet device");
        return false;
    }
    if (qemu_opt_get(opts, "multifunction") &&
        !qapi_bool_parse("multifunction", qemu_opt_get(opts, "multifunction"),
                         &multifunction, errp)) {
        return false;
    }
    if (multifunction || opts_function_nonzero(opts)) {
        error_setg(errp, "failover: primary device must be in its own PCI "
                   "slot");
        return false;
    }
    return true;
}

static bool failover_hide_device(DeviceListener *listener,
                                 const QemuOpts *opts, bool from_json,
                                 GError **errp)
{
    const char *pair_id = qemu_opt_get(opts, "failover_pair_id");
    const char *id = qemu_opt_get(opts, "id");
    bool startup = !qdev_machine_creation_done_p();
    VirtIONet *standby;
    FailoverPair *p;
    DeviceState *named;

    if (!pair_id || creating_reason) {
        return false;
    }
    /* Only PCI devices have the property: let creation report the rest. */
    if (!object_class_dynamic_cast(opts_class(opts), TYPE_PCI_DEVICE)) {
        return false;
    }
    if (!id) {
        if (any_standby_exists()) {
            error_setg(errp, "Device with failover_pair_id needs to have id");
        }
        return false;
    }
    if (!strcmp(id, pair_id)) {
        error_setg(errp, "Device '%s' can't be its own failover pair: "
                   "failover_pair_id must name a virtio-net device with "
                   "failover=on", id);
        return false;
    }
    standby = find_standby(pair_id);
    p = failover_pair_find(pair_id);
    if (!standby) {
        named = find_peripheral(pair_id);
        if (named && !object_dynamic_cast(OBJECT(named),
                                          TYPE_VIRTIO_NET_PCI_BASE)) {
            error_setg(errp, "failover_pair_id '%s' of '%s' names a %s, not "
                       "a virtio-net device", pair_id, id,
                       object_get_typename(OBJECT(named)));
            return false;
        }
        /*
         * After start-up, or naming a failover=off NIC: an ordinary device,
         * as in QEMU.  At start-up the standby may still come: keep the
         * options until all -device options are in (unless the bus cannot
         * hotplug: then it stays an ordinary device, as QEMU makes it).
         */
        if (!startup || named) {
            return false;
        }
        if (!opts_bus(opts) || !qbus_is_hotpluggable(opts_bus(opts))) {
            return false;
        }
    }
    /*
     * A bus that cannot hotplug is what QEMU reports first (pc with
     * acpi=off: "Bus 'pci.0' does not support hotplugging"), after hiding.
     */
    if ((!opts_bus(opts) || qbus_is_hotpluggable(opts_bus(opts))) &&
        !check_primary_opts(opts, errp)) {
        return false;
    }
    if (p && p->primary_id && strcmp(p->primary_id, id)) {
        error_setg(errp, "Cannot attach more than one primary device to "
                   "'%s': '%s' and '%s'", pair_id, p->primary_id, id);
        return false;
    }
    if (p && p->primary) {
        /* Same id as a primary that exists: creation fails on the id. */
        return false;
    }
    if (standby && p && p->negotiated) {
        /* Plugged at once; its realize records it with its options. */
        return false;
    }
    if (!p) {
        p = pair_new(pair_id);
    }
    if (!p->opts) {
        p->opts = qemu_opts_copy(opts);
        p->primary_id = g_strdup(id);
    }
    p->deferred = !standby;
    failover_pair_set_state(p, FAILOVER_PRIMARY_STATE_HIDDEN,
                            startup ? "command-line" : "device-add");
    return true;
}

static void failover_device_realize(DeviceListener *listener,
                                    DeviceState *dev)
{
    PCIDevice *pd = (PCIDevice *)object_dynamic_cast(OBJECT(dev),
                                                     TYPE_PCI_DEVICE);
    FailoverPair *p;

    if (!pd || !pd->failover_pair_id || !dev->id) {
        return;
    }
    p = failover_pair_find(pd->failover_pair_id);
    if (!p || (p->primary && p->primary != pd) ||
        (p->primary_id && strcmp(p->primary_id, dev->id))) {
        return;
    }
    p->primary = pd;
    if (!p->primary_id) {
        p->primary_id = g_strdup(dev->id);
    }
    if (!p->opts && dev->opts) {
        p->opts = qemu_opts_copy(dev->opts);
    }
    g_clear_pointer(&p->last_error, g_free);
    p->mig.migrated = false;
    failover_pair_set_state(p, FAILOVER_PRIMARY_STATE_PLUGGED,
                            creating_reason ? creating_reason : "device-add");
}

static void failover_device_unrealize(DeviceListener *listener,
                                      DeviceState *dev)
{
    PCIDevice *pd = (PCIDevice *)object_dynamic_cast(OBJECT(dev),
                                                     TYPE_PCI_DEVICE);
    FailoverPair *p = pd ? failover_pair_of_primary(pd) : NULL;

    if (!p) {
        return;
    }
    if (creating_reason) {
        /* Our own creation failed half-way: keep it hidden. */
        p->primary = NULL;
        failover_pair_set_state(p, FAILOVER_PRIMARY_STATE_HIDDEN,
                                "plug-failed");
        return;
    }
    /* device_del of the primary: the user wants it gone for good. */
    pair_forget_primary(p);
    failover_pair_set_state(p, FAILOVER_PRIMARY_STATE_ABSENT, "device-del");
    pair_maybe_free(p);
}

static DeviceListener failover_listener = {
    .realize = failover_device_realize,
    .unrealize = failover_device_unrealize,
    .hide_device = failover_hide_device,
};

/* ---- Standby hooks (virtio-net failover ops) ---------------------------- */

static int adopt_primary(Object *child, void *opaque)
{
    FailoverPair *p = opaque;
    PCIDevice *pd = (PCIDevice *)object_dynamic_cast(child, TYPE_PCI_DEVICE);

    if (pd && DEVICE(pd)->realized &&
        !g_strcmp0(pd->failover_pair_id, p->standby_id)) {
        failover_device_realize(NULL, DEVICE(pd));
        return 1;
    }
    return 0;
}

static void failover_standby_realize(VirtIONet *n, GError **errp)
{
    const char *id = standby_id_of(n);
    FailoverPair *p;

    if (!n->conf.failover) {
        /* A deferred primary naming it ends up ordinary at start-up's end. */
        return;
    }
    if (!id) {
        error_setg(errp, "Device with failover=on needs to have id");
        return;
    }
    p = failover_pair_find(id);
    if (!p) {
        p = pair_new(id);
    }
    p->standby = n;
    p->negotiated = false;
    p->deferred = false;
    if (!p->primary && !p->opts) {
        /* A primary plugged before its standby stays plugged (QEMU too). */
        object_child_foreach(container_get(qdev_get_machine(), "/peripheral"),
                             adopt_primary, p);
    }
}

static void failover_standby_unrealize(VirtIONet *n)
{
    FailoverPair *p = failover_pair_of_standby(n);

    if (!p) {
        return;
    }
    p->standby = NULL;
    p->negotiated = false;
    /*
     * A hidden primary waits for the next standby of that id; a plugged
     * one stays with the guest (it is its only NIC now); one the guest
     * already let go of comes back, for the same reason.
     */
    if (p->state == FAILOVER_PRIMARY_STATE_UNPLUGGED && !p->mig.held) {
        GError *err = NULL;

        if (!failover_pair_plug_primary(p, "standby-deleted", &err)) {
            failover_pair_report_error(p, err);
            g_error_free(err);
        }
    }
    pair_maybe_free(p);
}

static void failover_standby_features_ok(VirtIONet *n, uint64_t features)
{
    if (n->conf.failover &&
        virtio_has_feature(features, VIRTIO_NET_F_STANDBY)) {
        failover_standby_negotiated(n);
    }
}

/* Whether the proxy can be reached by the driver (not a PCI reset). */
static bool standby_mem_enabled(VirtIONet *n)
{
    PCIDevice *proxy = (PCIDevice *)object_dynamic_cast(
        OBJECT(standby_proxy(n)), TYPE_PCI_DEVICE);

    return proxy && proxy->config &&
           (pci_get_word(proxy->config + PCI_COMMAND) & PCI_COMMAND_MEMORY);
}

static void failover_standby_reset(VirtIONet *n)
{
    FailoverPair *p = failover_pair_of_standby(n);
    GError *err = NULL;

    if (!p) {
        return;
    }
    p->negotiated = false;
    /*
     * The driver reset the device (status 0 written through the BAR): the
     * next driver may not know failover, so ask the guest to let go of
     * the primary.  A PCI-level reset (system_reset clears the command
     * register first) is left to failover_system_reset.
     */
    if (VIRTIO_DEVICE(n)->status != 0 || !standby_mem_enabled(n) ||
        p->state != FAILOVER_PRIMARY_STATE_PLUGGED) {
        return;
    }
    if (!failover_pair_unplug_primary(p, "virtio-reset", &err)) {
        failover_pair_report_error(p, err);
        g_error_free(err);
    }
}

static const VirtioNetFailoverOps failover_ops = {
    .realize = failover_standby_realize,
    .unrealize = failover_standby_unrealize,
    .reset = failover_standby_reset,
    .features_ok = failover_standby_features_ok,
};

/* ---- Guest eject, system reset, device_del ------------------------------ */

static void failover_partial_eject(PCIDevice *dev)
{
    FailoverPair *p = failover_pair_of_primary(dev);
    GError *err = NULL;

    if (!p) {
        return;
    }
    failover_pair_set_state(p, FAILOVER_PRIMARY_STATE_UNPLUGGED,
                            "guest-eject");
    if (failover_migration_ejected(p)) {
        return;
    }
    /* STANDBY came back (or the standby went) while the guest decided. */
    if ((p->negotiated || !p->standby) &&
        !failover_pair_plug_primary(p, "negotiated", &err)) {
        failover_pair_report_error(p, err);
        g_error_free(err);
    }
}

/* Start-up is over: primaries whose standby never came are ordinary. */
static void failover_resolve_startup(void)
{
    GPtrArray *all = failover_pairs();

    for (guint i = 0; i < all->len;) {
        FailoverPair *p = all->pdata[i];
        g_autoptr(QemuOpts) opts = NULL;
        GError *err = NULL;

        if (p->standby || !p->deferred || !p->opts) {
            p->deferred = false;
            i++;
            continue;
        }
        opts = g_steal_pointer(&p->opts);
        g_clear_pointer(&p->primary_id, g_free);
        pair_maybe_free(p);
        creating_reason = "command-line";
        qdev_device_add_unhidden(opts, true, &err);
        creating_reason = NULL;
        if (err) {
            /* As a failing -device would have: start-up ends here. */
            error_report("-device %s: %s", qemu_opt_get(opts, "id"),
                         err->message);
            g_error_free(err);
            exit(1);
        }
        i = 0;
    }
}

static void failover_system_reset(void *opaque)
{
    GPtrArray *all = failover_pairs();

    if (!startup_resolved) {
        startup_resolved = true;
        failover_resolve_startup();
        return;
    }
    /*
     * The guest restarts from firmware, which may not know failover: the
     * primary is hidden from it until a driver accepts STANDBY again.  No
     * request is needed (nobody is there to answer it): the device is
     * marked ejected at once, as if the guest had let go of it.
     */
    for (guint i = 0; i < all->len; i++) {
        FailoverPair *p = all->pdata[i];

        p->negotiated = false;
        if (!p->standby || !p->primary ||
            (p->state != FAILOVER_PRIMARY_STATE_PLUGGED &&
             p->state != FAILOVER_PRIMARY_STATE_UNPLUG_REQUESTED)) {
            continue;
        }
        p->primary->partially_hotplugged = true;
        DEVICE(p->primary)->pending_deleted_event = false;
        failover_pair_set_state(p, FAILOVER_PRIMARY_STATE_UNPLUGGED,
                                "system-reset");
    }
    failover_migration_reset_done();
}

static bool failover_device_del(const char *id, DeviceState *dev,
                                GError **errp)
{
    PCIDevice *pd;
    FailoverPair *p;

    if (!dev) {
        /* A hidden primary: forget it, as the management layer asked. */
        g_autofree char *path = NULL;

        p = pair_of_hidden_id(id);
        if (!p) {
            return false;
        }
        path = g_strdup_printf("/machine/peripheral/%s", id);
        pair_forget_primary(p);
        failover_pair_set_state(p, FAILOVER_PRIMARY_STATE_ABSENT,
                                "device-del");
        pair_maybe_free(p);
        qapi_event_send_device_deleted(id, path);
        return true;
    }
    pd = (PCIDevice *)object_dynamic_cast(OBJECT(dev), TYPE_PCI_DEVICE);
    p = pd ? failover_pair_of_primary(pd) : NULL;
    if (!p) {
        return false;
    }
    if (failover_migration_device_del(p, id, errp)) {
        return true;
    }
    switch (p->state) {
    case FAILOVER_PRIMARY_STATE_UNPLUGGED:
        /* The guest cannot see it any more: nothing to ask. */
        qdev_unplug_complete(dev);
        return true;
    case FAILOVER_PRIMARY_STATE_UNPLUG_REQUESTED:
        /* The guest's eject now deletes it. */
        pd->partially_hotplugged = false;
        return true;
    default:
        return false;
    }
}

/* ---- QMP ---------------------------------------------------------------- */

static FailoverHotplugMechanism pair_hotplug(FailoverPair *p)
{
    BusState *bus = p->primary ? DEVICE(p->primary)->parent_bus :
                    p->opts ? opts_bus(p->opts) : NULL;

    if (!bus || !qbus_is_hotpluggable(bus)) {
        return FAILOVER_HOTPLUG_MECHANISM_NONE;
    }
    /* Native: the port owning the bus handles it; ACPI: the LPC does. */
    return bus->hotplug_handler == OBJECT(bus->parent) ?
           FAILOVER_HOTPLUG_MECHANISM_NATIVE :
           FAILOVER_HOTPLUG_MECHANISM_ACPI;
}

static FailoverPairInfo *pair_info(FailoverPair *p)
{
    FailoverPairInfo *info = g_new0(FailoverPairInfo, 1);
    FailoverTransitionList **tail = &info->transitions;
    unsigned n = MIN(p->nhistory, FAILOVER_HISTORY);

    info->standby = g_strdup(p->standby_id);
    info->standby_present = p->standby != NULL;
    info->negotiated = p->negotiated;
    info->primary = g_strdup(p->primary_id);
    if (p->primary) {
        info->primary_driver =
            g_strdup(object_get_typename(OBJECT(p->primary)));
    } else if (p->opts && opts_class(p->opts)) {
        info->primary_driver =
            g_strdup(object_class_get_name(opts_class(p->opts)));
    }
    info->state = p->state;
    info->hotplug = pair_hotplug(p);
    for (unsigned i = p->nhistory - n; i < p->nhistory; i++) {
        FailoverTransition *t = g_new0(FailoverTransition, 1);
        unsigned slot = i % FAILOVER_HISTORY;

        t->state = p->history[slot].state;
        t->time_us = p->history[slot].time_us;
        t->reason = g_strdup(p->reasons[slot]);
        *tail = g_new0(FailoverTransitionList, 1);
        (*tail)->value = t;
        tail = &(*tail)->next;
    }
    info->last_error = g_strdup(p->last_error);
    failover_migration_fill_info(p, info);
    return info;
}

FailoverPairInfoList *qmp___org_baton_query_failover(GError **errp)
{
    FailoverPairInfoList *head = NULL, **tail = &head;
    GPtrArray *all = failover_pairs();

    for (guint i = 0; i < all->len; i++) {
        *tail = g_new0(FailoverPairInfoList, 1);
        (*tail)->value = pair_info(all->pdata[i]);
        tail = &(*tail)->next;
    }
    return head;
}

static void failover_register(void)
{
    virtio_net_set_failover_ops(&failover_ops);
    device_listener_register(&failover_listener);
    pci_set_partial_eject_notify(failover_partial_eject);
    qdev_set_device_del_hook(failover_device_del);
    qemu_register_reset(failover_system_reset, NULL);
}

type_init(failover_register)
