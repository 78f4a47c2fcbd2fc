/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration capabilities and parameters: QEMU 8.1's names and defaults,
 * set and queried over QMP, read by the state machine.
 */
#include <string.h>

#include "exec/memory.h"
#include "migration/internal.h"
#include "migration/misc.h"

#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qapi/qapi-visit.h"

#define DEFAULT_MAX_BANDWIDTH   (128u << 20)     /* bytes/s */
#define DEFAULT_DOWNTIME_MS     300
#define MAX_DOWNTIME_MS         2000000          /* QEMU: 2000 s */
/* Failover: QEMU waits 30 s after a cancel; an hour is plenty of room. */
#define DEFAULT_UNPLUG_TIMEOUT_MS 30000
#define MAX_UNPLUG_WAIT_MS      3600000

static bool caps[MigrationCapability__MAX];
static MigrationParameters params;

bool migrate_events_enabled(void)
{
    return caps[MIGRATION_CAPABILITY_EVENTS];
}

const MigrationParameters *migrate_params(void)
{
    return &params;
}

/* What QEMU 8.1 checks of the capabilities as they would be. */
static bool caps_check(const bool *new_caps, GError **errp)
{
    if (new_caps[MIGRATION_CAPABILITY_POSTCOPY_PREEMPT] &&
        !new_caps[MIGRATION_CAPABILITY_POSTCOPY_RAM]) {
        error_setg(errp, "Postcopy preempt requires postcopy-ram");
        return false;
    }
    if (new_caps[MIGRATION_CAPABILITY_SWITCHOVER_ACK] &&
        !new_caps[MIGRATION_CAPABILITY_RETURN_PATH]) {
        error_setg(errp, "Capability 'switchover-ack' requires capability "
                   "'return-path'");
        return false;
    }
    return true;
}

void qmp_migrate_set_capabilities(MigrationCapabilityStatusList *capabilities,
                                  GError **errp)
{
    bool new_caps[MigrationCapability__MAX];

    if (migration_is_running()) {
        error_setg(errp, "There's a migration process in progress");
        return;
    }
    memcpy(new_caps, caps, sizeof(caps));
    for (MigrationCapabilityStatusList *l = capabilities; l; l = l->next) {
        new_caps[l->value->capability] = l->value->state;
    }
    if (caps_check(new_caps, errp)) {
        memcpy(caps, new_caps, sizeof(caps));
    }
}

MigrationCapabilityStatusList *qmp_query_migrate_capabilities(GError **errp)
{
    MigrationCapabilityStatusList *head = NULL, **tail = &head;

    for (int i = 0; i < MigrationCapability__MAX; i++) {
        MigrationCapabilityStatusList *l =
            g_new0(MigrationCapabilityStatusList, 1);
        l->value = g_new0(MigrationCapabilityStatus, 1);
        l->value->capability = i;
        l->value->state = caps[i];
        *tail = l;
        tail = &l->next;
    }
    return head;
}

static void params_init(void)
{
    MigrationParameters *p = &params;

#define SET(field, v) do { p->has_##field = true; p->field = (v); } while (0)
    SET(announce_initial, 50);
    SET(announce_max, 550);
    SET(announce_rounds, 5);
    SET(announce_step, 100);
    SET(compress_level, 1);
    SET(compress_threads, 8);
    SET(compress_wait_thread, true);
    SET(decompress_threads, 2);
    SET(throttle_trigger_threshold, 50);
    SET(cpu_throttle_initial, 20);
    SET(cpu_throttle_increment, 10);
    SET(cpu_throttle_tailslow, false);
    SET(max_bandwidth, DEFAULT_MAX_BANDWIDTH);
    SET(downtime_limit, DEFAULT_DOWNTIME_MS);
    SET(x_checkpoint_delay, 20000);
    SET(block_incremental, false);
    SET(multifd_channels, 2);
    SET(xbzrle_cache_size, 64u << 20);
    SET(max_postcopy_bandwidth, 0);
    SET(max_cpu_throttle, 99);
    SET(multifd_compression, MULTIFD_COMPRESSION_NONE);
    SET(multifd_zlib_level, 1);
    SET(multifd_zstd_level, 1);
    SET(x_vcpu_dirty_limit_period, 1000);
    SET(vcpu_dirty_limit, 1);
    SET(__org_baton_unplug_timeout, DEFAULT_UNPLUG_TIMEOUT_MS);
    SET(__org_baton_wait_unplug_limit, 0);
#undef SET
    p->tls_creds = g_strdup("");
    p->tls_hostname = g_strdup("");
    p->tls_authz = g_strdup("");
}

static bool check_range(const char *name, bool has, uint64_t v, uint64_t min,
                        uint64_t max, const char *what, GError **errp)
{
    if (has && (v < min || v > max)) {
        error_setg(errp, "Parameter '%s' expects %s", name, what);
        return false;
    }
    return true;
}

static bool check_xbzrle_cache_size(MigrateSetParameters *s, GError **errp)
{
    uint64_t v = s->xbzrle_cache_size;

    if (s->has_xbzrle_cache_size &&
        (v < TARGET_PAGE_SIZE || (v & (v - 1)))) {
        error_setg(errp, "Parameter 'xbzrle_cache_size' expects a power of "
                   "two no less than the target page size");
        return false;
    }
    return true;
}

void qmp_migrate_set_parameters(MigrateSetParameters *s, GError **errp)
{
    MigrationParameters *p = &params;

    if (!check_range("compress_level", s->has_compress_level,
                     s->compress_level, 0, 9,
                     "a value between 0 and 9", errp) ||
        !check_range("compress_threads", s->has_compress_threads,
                     s->compress_threads, 1, 255,
                     "a value between 1 and 255", errp) ||
        !check_range("decompress_threads", s->has_decompress_threads,
                     s->decompress_threads, 1, 255,
                     "a value between 1 and 255", errp) ||
        !check_range("throttle_trigger_threshold",
                     s->has_throttle_trigger_threshold,
                     s->throttle_trigger_threshold, 1, 100,
                     "an integer in the range of 1 to 100", errp) ||
        !check_range("cpu_throttle_initial", s->has_cpu_throttle_initial,
                     s->cpu_throttle_initial, 1, 99,
                     "an integer in the range of 1 to 99", errp) ||
        !check_range("cpu_throttle_increment",
                     s->has_cpu_throttle_increment,
                     s->cpu_throttle_increment, 1, 99,
                     "an integer in the range of 1 to 99", errp) ||
        !check_range("max_bandwidth", s->has_max_bandwidth,
                     s->max_bandwidth, 0, SIZE_MAX,
                     "an integer in the range of 0 to 18446744073709551615 "
                     "bytes/second", errp) ||
        !check_range("downtime_limit", s->has_downtime_limit,
                     s->downtime_limit, 0, MAX_DOWNTIME_MS,
                     "an integer in the range of 0 to 2000 seconds", errp) ||
        !check_range("multifd_channels", s->has_multifd_channels,
                     s->multifd_channels, 1, 255,
                     "a value between 1 and 255", errp) ||
        !check_range("multifd_zlib_level", s->has_multifd_zlib_level,
                     s->multifd_zlib_level, 0, 9,
                     "a value between 0 and 9", errp) ||
        !check_range("multifd_zstd_level", s->has_multifd_zstd_level,
                     s->multifd_zstd_level, 0, 20,
                     "a value between 0 and 20", errp) ||
        !check_xbzrle_cache_size(s, errp) ||
        !check_range("max_cpu_throttle", s->has_max_cpu_throttle,
                     s->max_cpu_throttle, 1, 99,
                     "an integer in the range of cpu_throttle_initial to "
                     "99", errp) ||
        !check_range("announce_initial", s->has_announce_initial,
                     s->announce_initial, 0, 100000,
                     "a value between 0 and 100000", errp) ||
        !check_range("announce_max", s->has_announce_max,
                     s->announce_max, 0, 100000,
                     "a value between 0 and 100000", errp) ||
        !check_range("announce_rounds", s->has_announce_rounds,
                     s->announce_rounds, 0, 1000,
                     "a value between 0 and 1000", errp) ||
        /* QEMU's text says 0, its check says 1. */
        !check_range("announce_step", s->has_announce_step,
                     s->announce_step, 1, 10000,
                     "a value between 0 and 10000", errp) ||
        !check_range("x-vcpu-dirty-limit-period",
                     s->has_x_vcpu_dirty_limit_period,
                     s->x_vcpu_dirty_limit_period, 1, 1000,
                     "a value between 1 and 1000", errp) ||
        /* QEMU 8.1's own words, grammar and all. */
        !check_range("vcpu_dirty_limit", s->has_vcpu_dirty_limit,
                     s->vcpu_dirty_limit, 1, UINT64_MAX,
                     "is invalid, it must greater then 1 MB/s", errp) ||
        !check_range("__org.baton_unplug-timeout",
                     s->has___org_baton_unplug_timeout,
                     s->__org_baton_unplug_timeout, 1, MAX_UNPLUG_WAIT_MS,
                     "an integer in the range of 1 to 3600000 ms", errp) ||
        !check_range("__org.baton_wait-unplug-limit",
                     s->has___org_baton_wait_unplug_limit,
                     s->__org_baton_wait_unplug_limit, 0, MAX_UNPLUG_WAIT_MS,
                     "an integer in the range of 0 to 3600000 ms", errp)) {
        return;
    }

#define COPY(field) do {                                    \
        if (s->has_##field) {                               \
            p->field = s->field;                            \
        }                                                   \
    } while (0)
    COPY(announce_initial);
    COPY(announce_max);
    COPY(announce_rounds);
    COPY(announce_step);
    COPY(compress_level);
    COPY(compress_threads);
    COPY(compress_wait_thread);
    COPY(decompress_threads);
    COPY(throttle_trigger_threshold);
    COPY(cpu_throttle_initial);
    COPY(cpu_throttle_increment);
    COPY(cpu_throttle_tailslow);
    COPY(max_bandwidth);
    COPY(downtime_limit);
    COPY(x_checkpoint_delay);
    COPY(block_incremental);
    COPY(multifd_channels);
    COPY(xbzrle_cache_size);
    COPY(max_postcopy_bandwidth);
    COPY(max_cpu_throttle);
    COPY(multifd_compression);
    COPY(multifd_zlib_level);
    COPY(multifd_zstd_level);
    COPY(x_vcpu_dirty_limit_period);
    COPY(vcpu_dirty_limit);
    COPY(__org_baton_unplug_timeout);
    COPY(__org_baton_wait_unplug_limit);
#undef COPY
    if (s->tls_creds) {
        g_free(p->tls_creds);
        p->tls_creds = g_strdup(s->tls_creds);
    }
    if (s->tls_hostname) {
        g_free(p->tls_hostname);
        p->tls_hostname = g_strdup(s->tls_hostname);
    }
    if (s->tls_authz) {
        g_free(p->tls_authz);
        p->tls_authz = g_strdup(s->tls_authz);
    }
    if (s->has_max_bandwidth) {
        migration_bandwidth_changed();
    }
}

MigrationParameters *qmp_query_migrate_parameters(GError **errp)
{
    JsonNode *node = qapi_MigrationParameters_to_json(&params);
    MigrationParameters *copy =
        qapi_MigrationParameters_from_json(node, NULL, errp);

    json_node_unref(node);
    return copy;
}

static void __attribute__((constructor)) options_register(void)
{
    params_init();
}
