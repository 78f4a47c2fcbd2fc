/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * migration-multifd-test: RAM over `multifd-channels` extra connections,
 * as QEMU names it (capability `multifd` on both sides, the destination
 * with -incoming).  A proxy between source and destination counts the
 * connections and breaks one channel: connected late, never, twice, with
 * another migration's id, closed or damaged mid-stream.  Whatever
 * happens, the source ends `completed` with the destination running the
 * guest's RAM, or `failed` and running itself, and then migrates again.
 */
#include "libqtest.h"
#include "libqos/migrate.h"
#include "libqos/mig-proxy.h"

#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MACHINE "-M q35 -nodefaults -m 64M "
#define RAM_BASE 0x100000ULL
#define DATA_MB 8

/* DATA_MB of data with zero pages between, from seed. */
static void write_ram(QTestState *qts, uint32_t seed)
{
    g_autofree uint8_t *buf = g_malloc(DATA_MB << 20);

    mig_fill_pattern(buf, DATA_MB << 20, seed);
    for (size_t p = 0; p < (DATA_MB << 20) / 4096; p += 7) {
        memset(buf + p * 4096, 0, 4096);
    }
    qtest_memwrite(qts, RAM_BASE, buf, DATA_MB << 20);
}

static void check_ram(QTestState *qts, uint32_t seed)
{
    g_autofree uint8_t *want = g_malloc(DATA_MB << 20);
    g_autofree uint8_t *got = g_malloc(DATA_MB << 20);

    mig_fill_pattern(want, DATA_MB << 20, seed);
    for (size_t p = 0; p < (DATA_MB << 20) / 4096; p += 7) {
        memset(want + p * 4096, 0, 4096);
    }
    qtest_memread(qts, RAM_BASE, got, DATA_MB << 20);
    g_assert(memcmp(want, got, DATA_MB << 20) == 0);
}

static void set_multifd(QTestState *qts, int channels)
{
    mig_set_cap(qts, "multifd", true);
    mig_set_param(qts, "multifd-channels", channels);
}

/* A destination with multifd set up before the source connects. */
static QTestState *destination(const char *sock, int channels)
{
    QTestState *dst = qtest_init(MACHINE "-incoming defer");

    mig_enable_events(dst);
    if (channels) {
        set_multifd(dst, channels);
    }
    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': 'unix:%s'}}", sock);
    return dst;
}

static void check_destination(QTestState *dst, uint32_t seed)
{
    g_autofree char *st = NULL;

    qtest_qmp_eventwait(dst, "RESUME");
    st = mig_status(dst);
    g_assert_cmpstr(st, ==, "completed");
    check_ram(dst, seed);
}

/* The source failed with a reason containing want, and runs. */
static void check_source_failed(QTestState *src, const char *want)
{
    g_autoptr(JsonObject) info = mig_query(src);
    g_autofree char *rs = mig_run_status(src);
    const char *desc = json_object_get_string_member(info, "error-desc");

    g_assert_cmpstr(json_object_get_string_member(info, "status"), ==,
                    "failed");
    if (!strstr(desc, want)) {
        g_test_message("error-desc: %s (expected \"%s\")", desc, want);
        g_assert_not_reached();
    }
    g_assert_cmpstr(rs, ==, "running");
}

/* The source, failed or cancelled before, migrates with multifd again. */
static void migrate_again(QTestState *src, int channels, uint32_t seed)
{
    g_autofree char *sock = mig_tmp_path("again.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = destination(sock, channels);

    mig_migrate(src, uri);
    mig_wait_status(src, "completed");
    check_destination(dst, seed);
    qtest_quit(dst);
}

static void test_unix(void)
{
    g_autofree char *dsock = mig_tmp_path("dst.sock");
    g_autofree char *psock = mig_tmp_path("proxy.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", psock);
    QTestState *dst = destination(dsock, 4);
    QTestState *src = qtest_init(MACHINE);
    MigProxy *proxy = mig_proxy_start(psock, dsock, MIG_PROXY_PASS, 0, 0);
    g_autoptr(JsonObject) info = NULL;
    JsonObject *ram;

    write_ram(src, 1);
    mig_enable_events(src);
    set_multifd(src, 4);
    mig_migrate(src, uri);
    mig_wait_status(src, "completed");
    check_destination(dst, 1);
    /* The main channel and four more. */
    g_assert_cmpint(mig_proxy_connections(proxy), ==, 5);
    /*
     * Round robin: the five windows of the data (1 MiB, then 2 MiB
     * aligned) go to channels 0, 1, 2, 3, 0; each carries at least one.
     */
    for (int i = 0; i < 4; i++) {
        g_test_message("channel %d: %" PRIu64 " bytes", i,
                       mig_proxy_channel_bytes(proxy, i));
        g_assert_cmpuint(mig_proxy_channel_bytes(proxy, i), >=, 1 << 20);
    }
    info = mig_query(src);
    ram = json_object_get_object_member(info, "ram");
    g_assert_cmpint(json_object_get_int_member(ram, "multifd-bytes"), >=,
                    (DATA_MB << 20) / 7 * 6);
    /* The whole stream: the main channel's bytes and the channels'. */
    g_assert_cmpint(json_object_get_int_member(ram, "transferred"), >,
                    json_object_get_int_member(ram, "multifd-bytes"));
    g_assert_cmpint(json_object_get_int_member(ram, "normal"), >=,
                    (DATA_MB << 20) / 4096 * 6 / 7);
    g_assert_cmpint(json_object_get_int_member(ram, "duplicate"), >=,
                    (DATA_MB << 20) / 4096 / 7);
    mig_proxy_stop(proxy);
    qtest_quit(src);
    qtest_quit(dst);
}

/* KiB of pid's mapping of file resident in its page tables, -1: none. */
static long mapped_kib(pid_t pid, const char *file)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/smaps", (int)pid);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    bool in = false;

    g_assert(g_file_get_contents(path, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (strchr(*l, '-') && strchr(*l, ' ') < strchr(*l, '/')) {
            in = g_str_has_suffix(*l, file);
        } else if (in && g_str_has_prefix(*l, "Rss:")) {
            return atol(*l + 4);
        }
    }
    return -1;
}

/*
 * Guest RAM in a shared file (memory-backend-file, share=on), migrated
 * with channels (0: without multifd).  The source reads the pages from
 * the file rather than through its mapping: the pages it never touched
 * itself stay out of its page tables (and the migration is spared a page
 * table fill for each).
 */
static void test_shared_file(gconstpointer opaque)
{
    int channels = GPOINTER_TO_INT(opaque);
    g_autofree char *sock = mig_tmp_path("file.sock");
    g_autofree char *memfile = mig_tmp_path("guest.ram");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    g_autofree uint8_t *mem = g_malloc(64 << 20);
    QTestState *src, *dst;

    /* Data everywhere, and what write_ram writes over the start of it. */
    mig_fill_pattern(mem, 64 << 20, 9);
    g_assert(g_file_set_contents(memfile, (char *)mem, 64 << 20, NULL));
    dst = qtest_initf(MACHINE "-object memory-backend-ram,id=mem,size=64M "
                      "-machine memory-backend=mem -incoming defer");
    if (channels) {
        set_multifd(dst, channels);
    }
    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': '%s'}}", uri);
    src = qtest_initf(MACHINE "-object memory-backend-file,id=mem,size=64M,"
                      "mem-path=%s,share=on -machine memory-backend=mem",
                      memfile);
    write_ram(src, 3);
    mig_enable_events(src);
    if (channels) {
        set_multifd(src, channels);
    }
    mig_migrate(src, uri);
    mig_wait_status(src, "completed");
    check_destination(dst, 3);
    {
        g_autofree uint8_t *got = g_malloc(1 << 20);
        uint64_t tail = RAM_BASE + (DATA_MB << 20);

        qtest_memread(dst, tail, got, 1 << 20);
        g_assert(memcmp(got, mem + tail, 1 << 20) == 0);
        qtest_memread(dst, (63 << 20), got, 1 << 20);
        g_assert(memcmp(got, mem + (63 << 20), 1 << 20) == 0);
    }
    /* What write_ram touched (DATA_MB), not the 64 MiB sent. */
    g_assert_cmpint(mapped_kib(qtest_pid(src), "/guest.ram"), >=, 0);
    g_assert_cmpint(mapped_kib(qtest_pid(src), "/guest.ram"), <,
                    (DATA_MB + 8) << 10);
    qtest_quit(src);
    qtest_quit(dst);
    unlink(memfile);
}

static void test_tcp(void)
{
    QTestState *dst = qtest_init(MACHINE "-incoming defer");
    QTestState *src = qtest_init(MACHINE);
    g_autoptr(JsonObject) info = NULL;
    g_autofree char *uri = NULL;
    JsonArray *addrs;

    set_multifd(dst, 2);
    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': 'tcp:127.0.0.1:0'}}");
    info = mig_query(dst);
    addrs = json_object_get_array_member(info, "socket-address");
    uri = g_strdup_printf("tcp:127.0.0.1:%s", json_object_get_string_member(
        json_array_get_object_element(addrs, 0), "port"));
    write_ram(src, 2);
    mig_enable_events(src);
    set_multifd(src, 2);
    mig_migrate(src, uri);
    mig_wait_status(src, "completed");
    check_destination(dst, 2);
    qtest_quit(src);
    qtest_quit(dst);
}

/* QEMU's words for what cannot work. */
static void test_errors(void)
{
    g_autofree char *file = mig_tmp_path("multifd.mig");
    QTestState *src = qtest_init(MACHINE);
    QTestState *dst = qtest_init(MACHINE "-incoming defer");
    g_autofree char *st = NULL;

    set_multifd(src, 2);
    qtest_qmp_expect_error(src, "GenericError",
        "Migration requires multi-channel URIs (e.g. tcp)",
        "{'execute': 'migrate', 'arguments': {'uri': 'exec:cat > %s'}}",
        file);
    /* Nothing started. */
    st = mig_status(src);
    g_assert_cmpstr(st, ==, "");
    set_multifd(dst, 2);
    qtest_qmp_expect_error(dst, "GenericError",
        "Migration requires multi-channel URIs (e.g. tcp)",
        "{'execute': 'migrate-incoming', 'arguments': "
        "{'uri': 'exec:cat %s'}}", file);
    qtest_quit(dst);
    qtest_quit(src);
}

/*
 * The destination must be set up as the source is (as QEMU requires):
 * otherwise it says why, and the source fails with that and runs on.
 */
static void test_mismatch(void)
{
    g_autofree char *sock = mig_tmp_path("dst.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *src = qtest_init(MACHINE);
    QTestState *dst = destination(sock, 3);

    write_ram(src, 3);
    mig_enable_events(src);
    set_multifd(src, 2);
    qtest_set_expected_status(dst, 1);
    mig_migrate(src, uri);
    mig_wait_status(src, "failed");
    check_source_failed(src, "the source uses 2 multifd channels, "
                        "multifd-channels is 3 here");
    qtest_wait_qemu(dst);
    qtest_quit(dst);

    /* Capability off on the destination. */
    dst = destination(sock, 0);
    qtest_set_expected_status(dst, 1);
    mig_migrate(src, uri);
    mig_wait_status(src, "failed");
    qtest_wait_qemu(dst);
    qtest_quit(dst);
    migrate_again(src, 2, 3);
    qtest_quit(src);
}

typedef struct FaultCase {
    MigProxyFault fault;
    uint64_t at;
    int channel;
    const char *error;          /* in error-desc; NULL: completes */
} FaultCase;

/* One channel broken by the proxy. */
static void test_fault(gconstpointer opaque)
{
    const FaultCase *fc = opaque;
    g_autofree char *dsock = mig_tmp_path("dst.sock");
    g_autofree char *psock = mig_tmp_path("proxy.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", psock);
    QTestState *dst = destination(dsock, 2);
    QTestState *src = qtest_init(MACHINE);
    MigProxy *proxy = mig_proxy_start(psock, dsock, fc->fault, fc->at,
                                      fc->channel);
    g_autofree char *st = NULL;

    write_ram(src, 4);
    mig_enable_events(src);
    set_multifd(src, 2);
    if (fc->error) {
        qtest_set_expected_status(dst, 1);
    }
    mig_migrate(src, uri);
    st = mig_wait_event(src, "completed", "failed");
    /* A fault past the end of what its channel carried tests nothing. */
    if (!mig_proxy_fired(proxy)) {
        g_test_message("the fault never fired (migration %s, channel %d "
                       "carried %" PRIu64 " bytes)", st, fc->channel,
                       mig_proxy_channel_bytes(proxy, fc->channel));
        g_assert_not_reached();
    }
    if (!fc->error) {
        g_assert_cmpstr(st, ==, "completed");
        check_destination(dst, 4);
    } else {
        g_assert_cmpstr(st, ==, "failed");
        check_source_failed(src, fc->error);
        qtest_wait_qemu(dst);
        migrate_again(src, 2, 4);
    }
    mig_proxy_stop(proxy);
    qtest_quit(src);
    qtest_quit(dst);
}

static const FaultCase faults[] = {
    { MIG_PROXY_CH_LATE, 1500, 1, NULL },
    { MIG_PROXY_CH_NEVER, 0, 1, "multifd: 1 of 2 channels connected "
      "within 10 s" },
    { MIG_PROXY_CH_TWICE, 0, 1, "multifd channel 1 connected twice" },
    { MIG_PROXY_CH_WRONG_ID, 0, 0, "multifd channel 0 belongs to another "
      "migration" },
    /*
     * The source's write or the destination's read fails first.  Early in
     * the channel: how many pages each channel carries varies.
     */
    { MIG_PROXY_CH_CLOSE, 64 << 10, 1, "multifd channel 1: " },
    { MIG_PROXY_CH_FLIP, 100, 0, "the destination failed to load the "
      "migration stream: multifd channel 0: checksum mismatch" },
    /*
     * In a page of the channel's first packet (after its hello, header
     * and run table): only the END section's RAM digest can tell.
     */
    { MIG_PROXY_CH_FLIP, 8 << 10, 1, "the destination failed to load the "
      "migration stream: RAM block " },
};
static const char *const fault_names[] = {
    "late", "never", "twice", "wrong-migration", "closed",
    "header-flipped", "page-flipped",
};

typedef enum OrphanEnd {
    ORPHAN_CLOSED,              /* the source died: the connection closes */
    ORPHAN_HALF_CLOSED,         /* only its sending side (a TCP FIN) */
    ORPHAN_SILENT,              /* held open, nothing more */
} OrphanEnd;

/*
 * A multifd channel says hello, but the main channel never comes (its
 * source died or gave up first): the destination fails the migration and
 * ends with status 1 instead of waiting in `setup` for ever.
 */
static void test_orphan_channel(gconstpointer opaque)
{
    OrphanEnd end = GPOINTER_TO_INT(opaque);
    g_autofree char *sock = mig_tmp_path("dst.sock");
    QTestState *dst = destination(sock, 4);
    /* magic "BTMF", version, id, index 1 of 4, CRC: unchecked so far */
    uint8_t hello[32] = { 'B', 'T', 'M', 'F', 0, 0, 0, 4, [25] = 1,
                          [27] = 4 };
    uint32_t crc = mig_proxy_crc32c(0, hello, 28);
    int fd = qtest_unix_connect(sock);

    for (int i = 0; i < 4; i++) {
        hello[28 + i] = crc >> (24 - 8 * i);
    }
    g_assert_cmpint(write(fd, hello, sizeof(hello)), ==, sizeof(hello));
    if (end == ORPHAN_CLOSED) {
        close(fd);
    } else if (end == ORPHAN_HALF_CLOSED) {
        shutdown(fd, SHUT_WR);
    }
    qtest_set_expected_status(dst, 1);
    /* SILENT: after MIG_MF_TIMEOUT_MS (10 s). */
    g_free(mig_wait_event(dst, "failed", NULL));
    qtest_wait_qemu(dst);
    if (end != ORPHAN_CLOSED) {
        close(fd);
    }
    qtest_quit(dst);
}

/* Cancel while the channels are busy: the source runs, and migrates. */
static void test_cancel(void)
{
    g_autofree char *sock = mig_tmp_path("dst.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = destination(sock, 2);
    QTestState *src = qtest_init(MACHINE);
    g_autofree char *rs = NULL;

    write_ram(src, 5);
    mig_enable_events(src);
    set_multifd(src, 2);
    mig_set_param(src, "max-bandwidth", 1 << 20);
    qtest_set_expected_status(dst, 1);
    mig_migrate(src, uri);
    g_free(mig_wait_event(src, "active", NULL));
    qtest_qmp_assert_success(src, "{'execute': 'migrate_cancel'}");
    g_free(mig_wait_event(src, "cancelled", NULL));
    rs = mig_run_status(src);
    g_assert_cmpstr(rs, ==, "running");
    qtest_wait_qemu(dst);
    qtest_quit(dst);
    mig_set_param(src, "max-bandwidth", 0);
    migrate_again(src, 2, 5);
    qtest_quit(src);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/migration/multifd/unix", test_unix);
    qtest_add_func("/migration/multifd/tcp", test_tcp);
    qtest_add_func("/migration/multifd/errors", test_errors);
    qtest_add_func("/migration/multifd/mismatch", test_mismatch);
    qtest_add_func("/migration/multifd/cancel", test_cancel);
    qtest_add_data_func("/migration/multifd/orphan-channel-closed",
                        GINT_TO_POINTER(ORPHAN_CLOSED), test_orphan_channel);
    qtest_add_data_func("/migration/multifd/orphan-channel-half-closed",
                        GINT_TO_POINTER(ORPHAN_HALF_CLOSED),
                        test_orphan_channel);
    qtest_add_data_func("/migration/multifd/orphan-channel-silent",
                        GINT_TO_POINTER(ORPHAN_SILENT), test_orphan_channel);
    qtest_add_data_func("/migration/multifd/shared-file",
                        GINT_TO_POINTER(3), test_shared_file);
    qtest_add_data_func("/migration/multifd/shared-file-single-channel",
                        GINT_TO_POINTER(0), test_shared_file);
    for (size_t i = 0; i < G_N_ELEMENTS(faults); i++) {
        g_autofree char *path = g_strdup_printf("/migration/multifd/channel-"
                                                "%s", fault_names[i]);
        qtest_add_data_func(path, &faults[i], test_fault);
    }
    ret = g_test_run();
    mig_tmp_cleanup();
    return ret;
}
