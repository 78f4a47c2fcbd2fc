/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the migration files: the stream format constants,
 * the bounded reader used on untrusted input, the buffered channel, and
 * the entry points between the state machine, RAM and device state.
 */
#ifndef MIGRATION_INTERNAL_H
#define MIGRATION_INTERNAL_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "exec/memory.h"
#include "qapi/qapi-types.h"
#include "migration/misc.h"

/*
 * Stream format (see docs/devel/migration.rst): big-endian
 *   header:  u32 MIG_MAGIC, u32 MIG_VERSION
 *   sections: u8 type, u32 payload length, payload, u32 CRC-32C over the
 *             type, the length and the payload
 * CONFIG first, then RAM sections (several passes), DEVICE sections, END.
 */
#define MIG_MAGIC               0x4254564dU     /* "BTVM" */
#define MIG_VERSION             4
#define MIG_HEADER_SIZE         8
#define MIG_SECTION_HEAD        5
#define MIG_SECTION_TAIL        4
/* Nothing legitimate is bigger: RAM sections carry at most a few MiB. */
#define MIG_MAX_SECTION         (16u << 20)

enum {
    MIG_SEC_CONFIG = 0x01,
    MIG_SEC_RAM = 0x02,
    MIG_SEC_DEVICE = 0x03,
    MIG_SEC_MULTIFD = 0x04,     /* RAM went over the channels: wait for it */
    MIG_SEC_PING = 0x05,        /* return path: answer PONG once loaded */
    MIG_SEC_END = 0x7e,
    MIG_SEC_COMMIT = 0x7f,      /* after END, answering LOADED */
};

/* CONFIG flags */
#define MIG_CONFIG_RETURN_PATH  0x1     /* the source waits for LOADED */
#define MIG_CONFIG_MULTIFD      0x2     /* u16 channels, u8 id[16] follow */
#define MIG_CONFIG_KNOWN        (MIG_CONFIG_RETURN_PATH | MIG_CONFIG_MULTIFD)

/*
 * Multifd channels (multifd-send.c, multifd-recv.c): each starts with a
 * hello, u32 MIG_MF_MAGIC, u32 MIG_VERSION, u8 id[16] (the migration's, as
 * in CONFIG), u16 index, u16 channels, u32 CRC-32C of the 28 bytes before;
 * then packets: u8 type, u8 0, u16 block, u32 epoch, u32 runs, u32 CRC-32C
 * of those 12 bytes and the run table; PAGES: runs x (u8 kind, u32 first,
 * u32 count), then the pages of the DATA runs.  SYNC ends a pass (the
 * channels wait for each other there), BYE ends the channel.
 */
#define MIG_MF_MAGIC            0x42544d46U     /* "BTMF" */
#define MIG_MF_HELLO            32
#define MIG_MF_HEAD             16
#define MIG_MF_ID               16
#define MIG_MF_MAX_CHANNELS     255
enum {
    MIG_MF_PAGES = 1,
    MIG_MF_SYNC = 2,
    MIG_MF_BYE = 3,
};
/* All channels must be there this long after the main channel's CONFIG. */
#define MIG_MF_TIMEOUT_MS       10000

/* RAM section records */
enum {
    MIG_RAM_DATA = 0x01,        /* u32 first page, u32 count, pages */
    MIG_RAM_ZERO = 0x02,        /* u32 first page, u32 count */
};
/* Pages per RAM section (1 MiB of data). */
#define MIG_RAM_CHUNK_PAGES     256
/*
 * Pages per multifd packet: 2 MiB, never across a 2 MiB boundary of its
 * block, so that two channels never fault in the same huge page of the
 * destination's guest RAM (blocks are 2 MiB aligned).
 */
#define MIG_JOB_PAGES           512

#define MIG_MAX_NAME            1024

/* CRC-32C (Castagnoli); hardware accelerated where the CPU has it. */
uint32_t mig_crc32c(uint32_t crc, const void *buf, size_t len);
/* The same from tables alone, what the unit test compares with. */
uint32_t mig_crc32c_portable(uint32_t crc, const void *buf, size_t len);

/* Appending big-endian values to a byte array. */
void mig_put_u8(GByteArray *b, uint8_t v);
void mig_put_u16(GByteArray *b, uint16_t v);
void mig_put_u32(GByteArray *b, uint32_t v);
void mig_put_u64(GByteArray *b, uint64_t v);
void mig_put_str(GByteArray *b, const char *s);     /* u16 length + bytes */
/* Start a section in b; returns the position for mig_section_end. */
size_t mig_section_begin(GByteArray *b, uint8_t type);
void mig_section_end(GByteArray *b, size_t start);

/*
 * What END vouches for about the sections before it: how many, and a
 * CRC-32C over their CRCs (big-endian, in stream order).  The source's
 * tally counts every section mig_section_end closes since
 * mig_out_tally_reset; the loader keeps its own.
 */
typedef struct MigStreamTally {
    uint32_t sections;
    uint32_t digest;
} MigStreamTally;

void mig_tally_add(MigStreamTally *t, uint32_t section_crc);
void mig_out_tally_reset(void);
MigStreamTally mig_out_tally(void);

/*
 * Bounded reader over untrusted bytes.  Every get checks the remaining
 * length first and fails (false) rather than reading past the end.
 */
typedef struct MigReader {
    const uint8_t *data;
    size_t len;
    size_t pos;
} MigReader;

static inline void mig_reader_init(MigReader *r, const uint8_t *d, size_t len)
{
    r->data = d;
    r->len = len;
    r->pos = 0;
}
static inline size_t mig_reader_left(const MigReader *r)
{
    return r->len - r->pos;
}
bool mig_get_u8(MigReader *r, uint8_t *v);
bool mig_get_u16(MigReader *r, uint16_t *v);
bool mig_get_u32(MigReader *r, uint32_t *v);
bool mig_get_u64(MigReader *r, uint64_t *v);
/* n bytes in place (no copy). */
bool mig_get_bytes(MigReader *r, size_t n, const uint8_t **p);
/* A string of at most MIG_MAX_NAME bytes, no NULs; g_free the result. */
bool mig_get_str(MigReader *r, char **s);

/*
 * Channel: a non-blocking fd with an output buffer.  The owner drives it
 * from the main loop (mig_channel_flush when the fd is writable).
 */
typedef struct MigChannel {
    int fd;
    GByteArray *out;
    size_t out_pos;             /* bytes of out already written */
    uint64_t written;           /* total bytes written to fd */
    GPid child;                 /* exec: the command, 0 if none */
} MigChannel;

MigChannel *mig_channel_new(int fd, GPid child);
void mig_channel_free(MigChannel *ch);
/* Bytes buffered but not yet written. */
size_t mig_channel_pending(MigChannel *ch);
/*
 * Write buffered bytes without blocking.  Returns false on an I/O error
 * (errp set); *would_block tells whether the fd refused more.
 */
bool mig_channel_flush(MigChannel *ch, bool *would_block, GError **errp);
/*
 * Write everything, waiting (poll) up to timeout_ms for the fd each time.
 * Runs outside the main loop (see mig_wait_fd).
 */
bool mig_channel_flush_all(MigChannel *ch, int timeout_ms, GError **errp);
/*
 * Wait until fd has one of events (poll(2) bits), up to the monotonic
 * deadline_ms; false with errp set on a timeout, an error, or when the
 * process is terminating (main_loop_termination_pending()): signals and
 * QMP wait for the main loop, so this gives up for them within 100 ms.
 */
bool mig_wait_fd(int fd, short events, int64_t deadline_ms, GError **errp);

/* Transports (channel.c, socket.c, exec.c, fd.c). */
typedef void MigConnectedFunc(int fd, GPid child, GError *err, void *opaque);
/*
 * Outgoing: start connecting to uri.  Returns false with errp set when
 * that fails at once (unknown scheme, fd: naming no descriptor, exec:
 * that cannot start); cb does not run then.  Otherwise cb runs exactly
 * once, possibly from inside this call, with a connected fd or an error.
 */
bool mig_connect_outgoing(const char *uri, MigConnectedFunc *cb,
                          void *opaque, GError **errp);
/* Abandon a connect in progress (its callback will not run). */
void mig_connect_cancel(void);

/* Returns whether to keep listening for more connections (multifd). */
typedef bool MigAcceptFunc(int fd, GPid child, void *opaque);
/*
 * Incoming: listen on / open uri; cb runs once with the fd to read.  Fills
 * *addrs with where a socket listens (tcp:, unix:).
 */
bool mig_listen_incoming(const char *uri, MigAcceptFunc *cb, void *opaque,
                         MigrationSocketAddressList **addrs, GError **errp);

bool mig_socket_connect(const char *uri, bool is_unix, MigConnectedFunc *cb,
                        void *opaque, GError **errp);
void mig_socket_connect_cancel(void);
bool mig_socket_listen(const char *uri, bool is_unix, MigAcceptFunc *cb,
                       void *opaque, MigrationSocketAddressList **addrs,
                       GError **errp);
/* Stop listening (incoming done or failed). */
void mig_listen_stop(void);
/*
 * One more connection to a tcp:/unix: uri (multifd channels); cb runs
 * once from the main loop unless the returned handle is abandoned.
 */
typedef struct MigExtraConnect MigExtraConnect;
MigExtraConnect *mig_connect_extra(const char *uri, MigConnectedFunc *cb,
                                   void *opaque, GError **errp);
void mig_connect_extra_abandon(MigExtraConnect *c);
bool mig_exec_outgoing(const char *cmd, int *fd, GPid *child, GError **errp);
bool mig_exec_incoming(const char *cmd, int *fd, GPid *child, GError **errp);
int mig_fd_outgoing(const char *name, GError **errp);
int mig_fd_incoming(const char *name, GError **errp);

/*
 * Return path (return-path.c): destination -> source messages on the
 * main channel when it is a socket: u32 MIG_RP_MAGIC, u8 type, u16 length,
 * payload (FAILED: the reason), u32 CRC-32C of all before it.
 */
#define MIG_RP_MAGIC            0x42545250U     /* "BTRP" */
enum {
    MIG_RP_LOADED = 1,          /* loaded and checked: waiting for COMMIT */
    MIG_RP_FAILED = 2,          /* the load failed: the reason */
    MIG_RP_PONG = 3,          /* every section up to a PING is loaded */
};
/* Both sides wait this long for the other's answer. */
#define MIG_RP_TIMEOUT_MS       30000

bool mig_fd_is_socket(int fd);
/* Destination: send a message (best effort: false if it could not). */
bool mig_rp_send(int fd, uint8_t type, const char *reason);

typedef enum MigRpEvent {
    MIG_RP_EV_LOADED,           /* the destination loaded the stream */
    MIG_RP_EV_FAILED,           /* it failed (err: its reason), or garbage */
    MIG_RP_EV_CLOSED,           /* end of file or error (err may be NULL) */
    MIG_RP_EV_PONG,           /* it answered a PING (the watch goes on) */
} MigRpEvent;
typedef void MigRpFunc(MigRpEvent ev, GError *err);
/*
 * Source: read fd for messages; cb runs for each PONG, then once for
 * the answer that ends the watch.
 */
void mig_rp_watch(int fd, MigRpFunc *cb);
/* Source: fail with MIG_RP_EV_FAILED if no message came in timeout_ms. */
void mig_rp_deadline(unsigned timeout_ms);
void mig_rp_stop(void);
/*
 * Source: wait up to timeout_ms for what the destination sends (its
 * reason for failing) and take it now.
 */
void mig_rp_poll(int timeout_ms);

/* RAM (ram.c) */
typedef struct RamSaveState RamSaveState;
typedef struct RamStats {
    uint64_t transferred;       /* bytes of RAM sections */
    uint64_t duplicate;         /* zero pages */
    uint64_t normal;            /* pages with data */
    uint64_t dirty_sync_count;
    uint64_t remaining_pages;
    uint64_t total;             /* bytes of guest RAM */
    uint64_t dirty_pages_rate;
    uint64_t precopy_bytes;
    uint64_t downtime_bytes;
} RamStats;

/*
 * The RAM digest (END section): per page, the CRC-32C of its content as
 * last sent (a page never sent is zero on both sides), stored big-endian;
 * the block's digest is the CRC-32C of that array.
 */
typedef struct RamDigest {
    uint32_t *page_crc;         /* big-endian */
    uint64_t data_pages;        /* pages sent (or received) as DATA */
    uint64_t zero_pages;        /* ... as ZERO */
} RamDigest;
void ram_digest_data(RamDigest *d, uint64_t first, uint64_t n,
                     const uint8_t *data);
void ram_digest_zero(RamDigest *d, uint64_t first, uint64_t n);
bool ram_page_is_zero(const uint8_t *page);
/*
 * Pages first..first+n-1 of block, to be read for sending: the block's
 * memory, or a copy in buf (n pages) read from its shared file.
 */
uint8_t *ram_read_pages(RAMBlock *block, uint64_t first, uint64_t n,
                        uint8_t *buf);

/* Pages of one block for one multifd packet, taken from the to-do set. */
typedef struct RamJob {
    uint16_t index;             /* block, as in CONFIG */
    RAMBlock *block;
    RamDigest *digest;          /* what was sent, per page */
    RamStats *stats;
    uint32_t pages;
    uint32_t nruns;
    struct {
        uint32_t first, count;
    } runs[MIG_JOB_PAGES];
} RamJob;

RamSaveState *ram_save_setup(void);
/* Up to max_pages to-do pages of the current pass; false when none left. */
bool ram_save_take_job(RamSaveState *rs, RamJob *job, uint32_t max_pages);
void ram_save_free(RamSaveState *rs);
/* Synchronise dirty bitmaps: starts a new pass (returns pages to send). */
uint64_t ram_save_sync(RamSaveState *rs);
/*
 * Append up to about max_bytes of RAM sections to out; returns false when
 * the current pass has nothing left.
 */
bool ram_save_chunk(RamSaveState *rs, GByteArray *out, size_t max_bytes);
const RamStats *ram_save_stats(RamSaveState *rs);
uint64_t ram_save_remaining_bytes(RamSaveState *rs);
/* CONFIG section part: the blocks (name, size, sparse). */
void ram_save_config(GByteArray *out);

/*
 * END section part: per block the pages sent as data and as zero and a
 * digest of every page as last sent, for the RamSaveState in use.
 */
void ram_save_put_summary(GByteArray *out);

typedef struct RamLoadState RamLoadState;
RamLoadState *ram_load_config(MigReader *r, GError **errp);
bool ram_load_section(RamLoadState *rl, MigReader *r, GError **errp);
/* Read exactly len bytes into buf, or fail. */
typedef bool MigReadFunc(void *opaque, void *buf, size_t len, GError **errp);
/*
 * One run of a multifd packet: checked against the block, then DATA is
 * read straight into guest RAM; ZERO clears what we wrote there before.
 */
bool ram_load_run(RamLoadState *rl, uint16_t index, uint8_t kind,
                  uint32_t first, uint32_t count, MigReadFunc *read,
                  void *opaque, GError **errp);
/* END: what was loaded must be what ram_save_put_summary describes. */
bool ram_load_check_summary(RamLoadState *rl, MigReader *r, GError **errp);
void ram_load_free(RamLoadState *rl);
/* Pages of block ever written (incoming loads mark theirs). */
void ram_mark_touched(RAMBlock *block, uint64_t first_page, uint64_t n);

/* Multifd, source (multifd-send.c) */
typedef struct MultifdSend MultifdSend;
/* Send the hellos on the n connected fds and start their threads. */
MultifdSend *multifd_send_new(const int *fds, int n, const uint8_t *id,
                              GError **errp);
/*
 * Connect n channels to uri (tcp:/unix:) and say hello on each; cb runs
 * once from the main loop, with the channels or the error (also when they
 * are not all connected within MIG_MF_TIMEOUT_MS).  False (errp) if it
 * fails at once; cb does not run then.
 */
typedef void MultifdConnectedFunc(MultifdSend *mf, GError *err);
bool multifd_send_connect(const char *uri, int n, const uint8_t *id,
                          MultifdConnectedFunc *cb, GError **errp);
void multifd_send_connect_cancel(void);
/* Stop the threads (a blocked write returns), close the channels. */
void multifd_send_free(MultifdSend *mf);
/* Readable when a channel finished a job: call multifd_send_fill again. */
int multifd_send_wake_fd(MultifdSend *mf);
/* Make the wake fd readable now. */
void multifd_send_kick(MultifdSend *mf);
uint64_t multifd_send_bytes(MultifdSend *mf);
typedef enum MultifdFill {
    MULTIFD_QUEUED,             /* max_bytes queued: call again */
    MULTIFD_FULL,               /* wait for the wake fd */
    MULTIFD_PASS_DONE,          /* the pass was sent and synced */
    MULTIFD_ERROR,
} MultifdFill;
/* Queue pages of the current pass (about max_bytes at most). */
MultifdFill multifd_send_fill(MultifdSend *mf, RamSaveState *rs,
                              size_t max_bytes, size_t *queued,
                              GError **errp);
/* The rest of the pass, waiting as needed (the guest is stopped). */
bool multifd_send_flush_all(MultifdSend *mf, RamSaveState *rs,
                            int timeout_ms, GError **errp);
/* BYE on every channel, then the MULTIFD section on the main channel. */
bool multifd_send_finish(MultifdSend *mf, GByteArray *main_out,
                         int timeout_ms, GError **errp);

/* Multifd, destination (multifd-recv.c) */
typedef struct MultifdRecv MultifdRecv;
/*
 * CONFIG asked for n channels of migration id: check it against the
 * local capability and parameter, start the channels that already came.
 * NULL without multifd; with errp set, free what it returns (if any).
 */
MultifdRecv *multifd_recv_start(RamLoadState *rl, int n, const uint8_t *id,
                                GError **errp);
void multifd_recv_free(MultifdRecv *mr);
/* The MULTIFD section: every channel said BYE (false: not yet). */
bool multifd_recv_done(MultifdRecv *mr);
/* ... and each sent as many packets as the source says. */
bool multifd_recv_check(MultifdRecv *mr, MigReader *r, GError **errp);
/*
 * A connection that said it is a multifd channel (hello: its first
 * MIG_MF_HELLO bytes).  Held until CONFIG says which channels to expect.
 */
void multifd_recv_add_channel(int fd, const uint8_t *hello);
/* Main loop callbacks of the incoming side (incoming.c). */
void incoming_multifd_failed(GError *err);
void incoming_multifd_progress(void);

/* Devices (savevm.c) */
/* Append the header and the CONFIG section (flags: MIG_CONFIG_*). */
void savevm_put_config(GByteArray *out, uint32_t flags, int mf_channels,
                       const uint8_t *mf_id);
/* Append the COMMIT section (after END, once the destination loaded). */
void savevm_put_commit(GByteArray *out);
/* A PING section: the destination answers PONG once it loaded it. */
void savevm_put_ping(GByteArray *out);
/* Append a DEVICE section per migratable device, then END. */
void savevm_put_devices_and_end(GByteArray *out, bool vm_running);
/* Number of devices that have state, for the benchmark and tests. */
int savevm_count_devices(void);

/*
 * Incremental loader: feed it bytes as they arrive.  Returns false on
 * any error (errp: the one-line reason); *done once END was processed.
 */
typedef struct LoadState LoadState;
LoadState *loadvm_new(void);
void loadvm_free(LoadState *ls);
bool loadvm_feed(LoadState *ls, const uint8_t *data, size_t len, bool *done,
                 GError **errp);
/* The source VM was running when it stopped (from END). */
bool loadvm_source_was_running(LoadState *ls);
/* CONFIG said the source waits for LOADED (and then sends COMMIT). */
bool loadvm_wants_return_path(LoadState *ls);
/*
 * A PING section was loaded (everything before it is in): fn answers it.
 * Without one (a file, the fuzzer) PING is accepted and not answered.
 */
void loadvm_set_ping_handler(LoadState *ls, bool (*fn)(GError **errp));
/* END was loaded and checked (*done is set then, or after COMMIT). */
bool loadvm_loaded(LoadState *ls);
/* Whole-buffer load (fuzzing, tests): header to END; trailing bytes ok. */
bool loadvm_buffer(const uint8_t *data, size_t len, GError **errp);

/* vmstate.c: load one description from r (no trailing check). */
typedef struct VMStateDescription VMStateDescription;
bool vmstate_load_reader(const VMStateDescription *vmsd, void *opaque,
                         MigReader *r, GError **errp);

/* options.c */
bool migrate_events_enabled(void);
bool migrate_multifd_enabled(void);
/*
 * multifd needs tcp: or unix: (QEMU's check and words); errp set if uri
 * cannot carry it.
 */
bool migrate_uri_check(const char *uri, GError **errp);
const MigrationParameters *migrate_params(void);
/* hooks.c: run the notifiers (most recently added first) */
void migration_call_notifiers(MigrationEventType ev);
/* hooks.c: how many unplug-pending checks say pending; whether any does */
int migration_unplug_pending_count(void);
bool migration_unplug_pending(void);
/* hooks.c: every start check agrees to `migrate` (errp: who did not) */
bool migration_start_checks(GError **errp);
/* precopy.c: max-bandwidth was set */
void migration_bandwidth_changed(void);

#endif
