/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration capabilities and parameters: QEMU 8.1's names and defaults,
 * set and queried over QMP, read by the state machine.
 */
#include <stddef.h>
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

bool migrate_multifd_enabled(void)
{
    return caps[MIGRATION_CAPABILITY_MULTIFD];
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

/*
 * QEMU 8.1's range checks of migrate-set-parameters, in its order, with its
 * names (underscores) and texts: "Parameter '<name>' expects <what>".
 */
typedef struct ParamRange {
    const char *name;
    size_t has;                 /* offsetof the has_ flag */
    size_t val;                 /* offsetof the value */
    size_t size;                /* of the value: 1, 4 or 8 bytes */
    uint64_t min, max;
    const char *what;
    bool (*valid)(uint64_t v);  /* instead of min..max */
} ParamRange;

#define RANGE(field, name, min, max, what) \
    { name, offsetof(MigrateSetParameters, has_##field), \
      offsetof(MigrateSetParameters, field), \
      sizeof(((MigrateSetParameters *)NULL)->field), min, max, what, NULL }

static bool xbzrle_cache_size_valid(uint64_t v)
{
    return v >= TARGET_PAGE_SIZE && !(v & (v - 1));
}

static const ParamRange param_ranges[] = {
    RANGE(compress_level, "compress_level", 0, 9, "a value between 0 and 9"),
    RANGE(compress_threads, "compress_threads", 1, 255,
          "a value between 1 and 255"),
    RANGE(decompress_threads, "decompress_threads", 1, 255,
          "a value between 1 and 255"),
    RANGE(throttle_trigger_threshold, "throttle_trigger_threshold", 1, 100,
          "an integer in the range of 1 to 100"),
    RANGE(cpu_throttle_initial, "cpu_throttle_initial", 1, 99,
          "an integer in the range of 1 to 99"),
    RANGE(cpu_throttle_increment, "cpu_throttle_increment", 1, 99,
          "an integer in the range of 1 to 99"),
    RANGE(max_bandwidth, "max_bandwidth", 0, SIZE_MAX,
          "an integer in the range of 0 to 18446744073709551615 "
          "bytes/second"),
    RANGE(downtime_limit, "downtime_limit", 0, MAX_DOWNTIME_MS,
          "an integer in the range of 0 to 2000 seconds"),
    RANGE(multifd_channels, "multifd_channels", 1, 255,
          "a value between 1 and 255"),
    RANGE(multifd_zlib_level, "multifd_zlib_level", 0, 9,
          "a value between 0 and 9"),
    RANGE(multifd_zstd_level, "multifd_zstd_level", 0, 20,
          "a value between 0 and 20"),
    { "xbzrle_cache_size",
      offsetof(MigrateSetParameters, has_xbzrle_cache_size),
      offsetof(MigrateSetParameters, xbzrle_cache_size), 8, 0, 0,
      "a power of two no less than the target page size",
      xbzrle_cache_size_valid },
    RANGE(max_cpu_throttle, "max_cpu_throttle", 1, 99,
          "an integer in the range of cpu_throttle_initial to 99"),
    RANGE(announce_initial, "announce_initial", 0, 100000,
          "a value between 0 and 100000"),
    RANGE(announce_max, "announce_max", 0, 100000,
          "a value between 0 and 100000"),
    RANGE(announce_rounds, "announce_rounds", 0, 1000,
          "a value between 0 and 1000"),
    /* QEMU's text says 0, its check says 1. */
    RANGE(announce_step, "announce_step", 1, 10000,
          "a value between 0 and 10000"),
    RANGE(x_vcpu_dirty_limit_period, "x-vcpu-dirty-limit-period", 1, 1000,
          "a value between 1 and 1000"),
    /* QEMU 8.1's own words, grammar and all. */
    RANGE(vcpu_dirty_limit, "vcpu_dirty_limit", 1, UINT64_MAX,
          "is invalid, it must greater then 1 MB/s"),
    RANGE(__org_baton_unplug_timeout, "__org.baton_unplug-timeout", 1,
          MAX_UNPLUG_WAIT_MS, "an integer in the range of 1 to 3600000 ms"),
    RANGE(__org_baton_wait_unplug_limit, "__org.baton_wait-unplug-limit", 0,
          MAX_UNPLUG_WAIT_MS, "an integer in the range of 0 to 3600000 ms"),
};
#undef RANGE

static uint64_t param_value(const MigrateSetParameters *s,
                            const ParamRange *r)
{
    const uint8_t *p = (const uint8_t *)s + r->val;
    uint8_t v8;
    uint32_t v32;
    uint64_t v64;

    switch (r->size) {
    case 1:
        memcpy(&v8, p, 1);
        return v8;
    case 4:
        memcpy(&v32, p, 4);
        return v32;
    default:
        memcpy(&v64, p, 8);
        return v64;
    }
}

static bool params_check(MigrateSetParameters *s, GError **errp)
{
    for (size_t i = 0; i < G_N_ELEMENTS(param_ranges); i++) {
        const ParamRange *r = &param_ranges[i];
        uint64_t v = param_value(s, r);
        bool ok = r->valid ? r->valid(v) : v >= r->min && v <= r->max;

        if (*(const bool *)((const char *)s + r->has) && !ok) {
            error_setg(errp, "Parameter '%s' expects %s", r->name, r->what);
            return false;
        }
    }
    /*
     * The channels of a migration are opened when it starts: QEMU would
     * take a new count silently for the next one only; say so instead.
     */
    if (s->has_multifd_channels && migration_is_running() &&
        s->multifd_channels != params.multifd_channels) {
        error_setg(errp, "There's a migration process in progress");
        return false;
    }
    return true;
}

void qmp_migrate_set_parameters(MigrateSetParameters *s, GError **errp)
{
    MigrationParameters *p = &params;

    if (!params_check(s, errp)) {
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
