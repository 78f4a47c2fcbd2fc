/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net failover: the pairs of a failover=on virtio-net "standby" and
 * the PCI "primary" whose failover_pair_id names it.  One module owns each
 * pair's state machine; every change of a primary's state goes through
 * failover_pair_set_state() so that it is timestamped and reported.
 *
 *   absent --(primary seen)--> hidden --(STANDBY at FEATURES_OK)--> plugged
 *   plugged --(virtio reset / migration)--> unplug-requested
 *   unplug-requested --(guest ejects)--> unplugged
 *   plugged | unplug-requested --(system_reset)--> unplugged
 *   unplugged | unplug-requested --(next STANDBY / cancel)--> re-plugging
 *   re-plugging --> plugged
 *
 * Migration (issue 7) adds its transitions through the same functions.
 */
#ifndef HW_VIRTIO_VIRTIO_NET_FAILOVER_H
#define HW_VIRTIO_VIRTIO_NET_FAILOVER_H

#include "hw/pci/pci.h"
#include "hw/virtio/virtio-net.h"
#include "qapi/qapi-types.h"

typedef struct FailoverPair FailoverPair;

/* The pair whose standby id is standby_id, or NULL. */
FailoverPair *failover_pair_find(const char *standby_id);
/* The pair of a realized standby / of a realized primary, or NULL. */
FailoverPair *failover_pair_of_standby(VirtIONet *n);
FailoverPair *failover_pair_of_primary(PCIDevice *dev);
/* Every pair, in creation order (FailoverPair *); do not modify. */
GPtrArray *failover_pairs(void);

FailoverPrimaryState failover_pair_state(FailoverPair *pair);
/* The realized primary (plugged, unplug-requested, unplugged) or NULL. */
PCIDevice *failover_pair_primary(FailoverPair *pair);
VirtIONet *failover_pair_standby(FailoverPair *pair);
const char *failover_pair_standby_id(FailoverPair *pair);
const char *failover_pair_primary_id(FailoverPair *pair);

/* Record a transition (timestamp, reason); no-op if already in state. */
void failover_pair_set_state(FailoverPair *pair, FailoverPrimaryState state,
                             const char *reason);

/*
 * Ask the guest to let go of a plugged primary through its slot's hotplug
 * mechanism, keeping the device (plugged -> unplug-requested).
 */
bool failover_pair_unplug_primary(FailoverPair *pair, const char *reason,
                                  GError **errp);
/*
 * Make the primary visible again: re-plug a kept device (unplug-requested
 * or unplugged -> re-plugging -> plugged) or create a hidden one from its
 * saved options (hidden -> plugged).
 */
bool failover_pair_plug_primary(FailoverPair *pair, const char *reason,
                                GError **errp);

/*
 * The standby's driver accepted STANDBY (FEATURES_OK, or a migration
 * stream restored such features): emit FAILOVER_NEGOTIATED, plug the
 * primary.  Exposed for the migration load path.
 */
void failover_standby_negotiated(VirtIONet *n);

/* Whether the standby's current driver accepted STANDBY. */
bool failover_pair_negotiated(FailoverPair *pair);
/* Record (and warn about, outside qtest) why a plug or unplug failed. */
void failover_pair_report_error(FailoverPair *pair, GError *err);

/*
 * Migration side (hw/net/virtio-net-failover-migration.c).  What one
 * outgoing migration did to a pair; times are wall clock, microseconds.
 */
typedef struct FailoverPairMigration {
    bool held;                  /* unplugged for the running migration */
    bool replug_on_eject;       /* migration over, request still pending */
    bool migrated;              /* completed: the guest runs elsewhere */
    bool has_times;             /* a migration unplugged this pair */
    int64_t request_us;         /* the unplug request */
    int64_t eject_us;           /* the guest's eject, 0 if none */
} FailoverPairMigration;

FailoverPairMigration *failover_pair_migration(FailoverPair *pair);
/*
 * The guest ejected pair's primary (state is unplugged now).  True when
 * the migration side took care of it: the caller must not re-plug.
 */
bool failover_migration_ejected(FailoverPair *pair);
/*
 * device_del of pair's realized primary: true if the migration side
 * decided (errp set when refused), false to go on as usual.
 */
bool failover_migration_device_del(FailoverPair *pair, const char *id,
                                   GError **errp);
/* system_reset completed every pending request: let migration move. */
void failover_migration_reset_done(void);
/* The last migration's unplug times for the query. */
void failover_migration_fill_info(FailoverPair *pair, FailoverPairInfo *info);
/* pair is about to be freed. */
void failover_migration_forget(FailoverPair *pair);

#endif
