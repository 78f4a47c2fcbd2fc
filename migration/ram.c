/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest RAM pre-copy.  Each pass sends the pages dirtied since the last
 * synchronisation; zero pages travel as a record without data.
 *
 * The first pass would have to look at every page, and reading a page of
 * anonymous memory that was never written faults it in.  So we remember,
 * per block, which pages were ever written (every synchronisation adds to
 * it) and treat the others as zero without reading them: the destination
 * starts from zeroed RAM.  File-backed blocks may hold anything, so all
 * their pages count as written.
 */
#include "migration/internal.h"

#include "qapi/error.h"

#define BITS_PER_LONG (sizeof(unsigned long) * 8)

typedef struct RamTouched {
    RAMBlock *block;
    uint64_t size;
    unsigned long *bits;
} RamTouched;

static GPtrArray *touched_list;

static uint64_t block_pages(const RAMBlock *b)
{
    return (b->size + TARGET_PAGE_SIZE - 1) >> TARGET_PAGE_BITS;
}

static size_t bitmap_longs(uint64_t pages)
{
    return (pages + BITS_PER_LONG - 1) / BITS_PER_LONG;
}

static RamTouched *touched_for(RAMBlock *block)
{
    RamTouched *t;

    if (!touched_list) {
        touched_list = g_ptr_array_new();
    }
    for (guint i = 0; i < touched_list->len; i++) {
        t = g_ptr_array_index(touched_list, i);
        if (t->block == block) {
            if (t->size == block->size) {
                return t;
            }
            /* A new block at a freed one's address. */
            g_ptr_array_remove_index_fast(touched_list, i);
            g_free(t->bits);
            g_free(t);
            break;
        }
    }
    t = g_new0(RamTouched, 1);
    t->block = block;
    t->size = block->size;
    t->bits = g_new0(unsigned long, bitmap_longs(block_pages(block)) + 1);
    if (block->fd >= 0) {
        memset(t->bits, 0xff, bitmap_longs(block_pages(block)) *
               sizeof(unsigned long));
    }
    g_ptr_array_add(touched_list, t);
    return t;
}

void ram_mark_touched(RAMBlock *block, uint64_t first, uint64_t n)
{
    RamTouched *t = touched_for(block);

    /* Atomic: multifd channels mark pages of one block concurrently. */
    for (uint64_t p = first; p < first + n; p++) {
        __atomic_fetch_or(&t->bits[p / BITS_PER_LONG],
                          1UL << (p % BITS_PER_LONG), __ATOMIC_RELAXED);
    }
}

/* Word-at-a-time check; stops at the first non-zero word. */
bool ram_page_is_zero(const uint8_t *page)
{
    const uint64_t *w = (const uint64_t *)page;

    for (size_t i = 0; i < TARGET_PAGE_SIZE / 8; i += 8) {
        if (w[i] | w[i + 1] | w[i + 2] | w[i + 3] | w[i + 4] | w[i + 5] |
            w[i + 6] | w[i + 7]) {
            return false;
        }
    }
    return true;
}

/*
 * The first access to each 4 KiB page of a file mapping costs a page-table
 * fill; on this kind of VM (shadow page tables) ~4 us a page, more than
 * copying the page, and the source would pay it for every page of a block
 * that its guest never touched through this process.  A shared file is
 * the same memory as the mapping, so pread reads it through the kernel's
 * own mapping instead.  Should the read come short, the mapping it is.
 */
uint8_t *ram_read_pages(RAMBlock *block, uint64_t first, uint64_t n,
                        uint8_t *buf)
{
    size_t len = n << TARGET_PAGE_BITS, done = 0;
    off_t off = (off_t)first << TARGET_PAGE_BITS;

    while (block->fd >= 0 && block->file_shared && done < len) {
        ssize_t r = pread(block->fd, buf + done, len - done, off + done);

        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        done += r;
    }
    return done == len ? buf : block->host + off;
}

static bool test_bit(const unsigned long *map, uint64_t n)
{
    return map[n / BITS_PER_LONG] & (1UL << (n % BITS_PER_LONG));
}


static uint32_t zero_page_crc_be(void)
{
    static uint32_t crc;
    static bool done;

    if (!done) {
        static const uint8_t zero[TARGET_PAGE_SIZE];

        crc = GUINT32_TO_BE(mig_crc32c(0, zero, sizeof(zero)));
        done = true;
    }
    return crc;
}

static void ram_digest_init(RamDigest *d, uint64_t pages)
{
    uint64_t done = 1;

    d->page_crc = g_new(uint32_t, pages ? pages : 1);
    d->page_crc[0] = zero_page_crc_be();
    /* Doubling copies: an incoming stream does this per block it lists. */
    while (done < pages) {
        uint64_t n = MIN(done, pages - done);

        memcpy(d->page_crc + done, d->page_crc, n * sizeof(uint32_t));
        done += n;
    }
    d->data_pages = d->zero_pages = 0;
}

/*
 * Pages first..first+n-1 were sent (or received) as data / as zero.  The
 * counters are atomic: multifd channels add to them concurrently, each
 * for other pages (passes are kept apart by the channels' barriers).
 */
void ram_digest_data(RamDigest *d, uint64_t first, uint64_t n,
                     const uint8_t *data)
{
    for (uint64_t i = 0; i < n; i++) {
        d->page_crc[first + i] = GUINT32_TO_BE(
            mig_crc32c(0, data + (i << TARGET_PAGE_BITS), TARGET_PAGE_SIZE));
    }
    __atomic_fetch_add(&d->data_pages, n, __ATOMIC_RELAXED);
}

void ram_digest_zero(RamDigest *d, uint64_t first, uint64_t n)
{
    uint32_t z = zero_page_crc_be();

    for (uint64_t i = 0; i < n; i++) {
        d->page_crc[first + i] = z;
    }
    __atomic_fetch_add(&d->zero_pages, n, __ATOMIC_RELAXED);
}

static uint32_t ram_digest_value(const RamDigest *d, uint64_t pages)
{
    return mig_crc32c(0, d->page_crc, pages * sizeof(uint32_t));
}

/* Save side */

typedef struct RamSaveBlock {
    RAMBlock *block;
    uint64_t pages;
    unsigned long *todo;        /* pages to send in this pass */
    RamDigest sent;
} RamSaveBlock;

struct RamSaveState {
    GPtrArray *blocks;          /* RamSaveBlock * */
    guint cur;                  /* block being sent */
    uint64_t next_page;         /* next page to look at in cur */
    uint64_t todo_pages;        /* left in this pass */
    bool first_sync_done;
    int64_t last_sync_ns;
    RamStats stats;
};

static void free_save_block(gpointer p)
{
    RamSaveBlock *b = p;

    g_free(b->todo);
    g_free(b->sent.page_crc);
    g_free(b);
}

/* The one outgoing migration's RAM, for its END section. */
static RamSaveState *current_save;

RamSaveState *ram_save_setup(void)
{
    RamSaveState *rs = g_new0(RamSaveState, 1);
    GPtrArray *list = ram_block_list();

    rs->blocks = g_ptr_array_new_with_free_func(free_save_block);
    for (guint i = 0; i < list->len; i++) {
        RAMBlock *block = g_ptr_array_index(list, i);
        RamSaveBlock *b = g_new0(RamSaveBlock, 1);

        b->block = block;
        b->pages = block_pages(block);
        b->todo = g_new0(unsigned long, bitmap_longs(b->pages) + 1);
        ram_digest_init(&b->sent, b->pages);
        g_ptr_array_add(rs->blocks, b);
        rs->stats.total += block->size;
    }
    current_save = rs;
    return rs;
}

void ram_save_free(RamSaveState *rs)
{
    if (current_save == rs) {
        current_save = NULL;
    }
    if (rs) {
        g_ptr_array_unref(rs->blocks);
        g_free(rs);
    }
}

static uint64_t count_bits(const unsigned long *map, size_t longs)
{
    uint64_t n = 0;

    for (size_t i = 0; i < longs; i++) {
        n += __builtin_popcountl(map[i]);
    }
    return n;
}

/* Bits set among the first pages of map. */
static uint64_t count_pages(const unsigned long *map, uint64_t pages)
{
    uint64_t n = count_bits(map, pages / BITS_PER_LONG);

    if (pages % BITS_PER_LONG) {
        n += __builtin_popcountl(map[pages / BITS_PER_LONG] &
                                 ((1UL << (pages % BITS_PER_LONG)) - 1));
    }
    return n;
}

uint64_t ram_save_sync(RamSaveState *rs)
{
    uint64_t total = 0;
    uint64_t dirtied = 0;
    int64_t now = g_get_monotonic_time() * 1000;

    for (guint i = 0; i < rs->blocks->len; i++) {
        RamSaveBlock *b = g_ptr_array_index(rs->blocks, i);
        RamTouched *t = touched_for(b->block);
        size_t longs = bitmap_longs(b->pages);

        /* Pages of an unfinished pass stay to do. */
        dirtied += ram_block_sync_dirty(b->block, b->todo);
        for (size_t w = 0; w < longs; w++) {
            t->bits[w] |= b->todo[w];
            if (!rs->first_sync_done) {
                b->todo[w] |= t->bits[w];
            }
        }
        /*
         * QEMU's first pass reads every page and sends a zero one as a
         * zero-page record, counted in duplicate; baton sends nothing for
         * a never-written page (the destination starts zeroed) but counts
         * it the same.
         */
        if (!rs->first_sync_done) {
            rs->stats.duplicate += b->pages - count_pages(t->bits, b->pages);
        }
        total += count_bits(b->todo, longs);
    }
    if (rs->first_sync_done && now > rs->last_sync_ns) {
        rs->stats.dirty_pages_rate = dirtied * 1000000000.0 /
                                     (now - rs->last_sync_ns);
    }
    rs->last_sync_ns = now;
    rs->first_sync_done = true;
    rs->cur = 0;
    rs->next_page = 0;
    rs->todo_pages = total;
    rs->stats.dirty_sync_count++;
    rs->stats.remaining_pages = total;
    return total;
}

/* First set bit at or after *bit among the first size of map. */
static bool find_next_bit(const unsigned long *map, uint64_t size,
                          uint64_t *bit)
{
    uint64_t p = *bit;

    while (p < size) {
        unsigned long w = map[p / BITS_PER_LONG] >> (p % BITS_PER_LONG);
        if (w) {
            p += __builtin_ctzl(w);
            if (p >= size) {
                return false;
            }
            *bit = p;
            return true;
        }
        p = (p / BITS_PER_LONG + 1) * BITS_PER_LONG;
    }
    return false;
}

/* Next page to send at or after *page in b, false if none. */
static bool find_next(RamSaveBlock *b, uint64_t *page)
{
    return find_next_bit(b->todo, b->pages, page);
}

static void clear_bit(unsigned long *map, uint64_t n)
{
    map[n / BITS_PER_LONG] &= ~(1UL << (n % BITS_PER_LONG));
}

/*
 * One RAM section: runs of consecutive to-do pages of one block, as DATA
 * and ZERO records, up to MIG_RAM_CHUNK_PAGES pages.
 */
static size_t put_section(RamSaveState *rs, RamSaveBlock *b, guint index,
                          GByteArray *out, uint32_t max_pages)
{
    static uint8_t *window;     /* pages wfirst..wend-1, if read */
    uint64_t wfirst = 0, wend = 0;
    size_t start = mig_section_begin(out, MIG_SEC_RAM);
    size_t before = out->len;
    uint32_t pages = 0;
    uint64_t page = rs->next_page;
    const uint8_t *data = NULL;

    if (!window) {
        window = g_malloc(MIG_RAM_CHUNK_PAGES << TARGET_PAGE_BITS);
    }
    mig_put_u16(out, index);
    while (pages < max_pages && find_next(b, &page)) {
        const uint8_t *host;
        bool zero;
        uint64_t run = 1;

        if (page >= wend) {
            /* The to-do pages from here on, as far as they go together. */
            wfirst = page;
            wend = page + 1;
            while (wend - wfirst < MIG_RAM_CHUNK_PAGES && wend < b->pages &&
                   test_bit(b->todo, wend)) {
                wend++;
            }
            data = ram_read_pages(b->block, wfirst, wend - wfirst, window);
        }
        host = data + ((page - wfirst) << TARGET_PAGE_BITS);
        zero = ram_page_is_zero(host);
        /* Extend the run over following to-do pages of the same kind. */
        while (pages + run < max_pages && page + run < wend &&
               test_bit(b->todo, page + run) &&
               ram_page_is_zero(host + (run << TARGET_PAGE_BITS)) == zero) {
            run++;
        }
        mig_put_u8(out, zero ? MIG_RAM_ZERO : MIG_RAM_DATA);
        mig_put_u32(out, page);
        mig_put_u32(out, run);
        if (zero) {
            rs->stats.duplicate += run;
            ram_digest_zero(&b->sent, page, run);
        } else {
            g_byte_array_append(out, host, run << TARGET_PAGE_BITS);
            rs->stats.normal += run;
            /* What was copied, not RAM again: the guest may be running. */
            ram_digest_data(&b->sent, page, run,
                            out->data + out->len - (run << TARGET_PAGE_BITS));
        }
        for (uint64_t i = 0; i < run; i++) {
            clear_bit(b->todo, page + i);
        }
        pages += run;
        page += run;
    }
    rs->next_page = page;
    rs->todo_pages -= pages;
    rs->stats.remaining_pages = rs->todo_pages;
    mig_section_end(out, start);
    rs->stats.transferred += out->len - before + MIG_SECTION_HEAD +
                             MIG_SECTION_TAIL;
    return pages;
}

bool ram_save_chunk(RamSaveState *rs, GByteArray *out, size_t max_bytes)
{
    size_t start_len = out->len;

    while (rs->cur < rs->blocks->len) {
        RamSaveBlock *b = g_ptr_array_index(rs->blocks, rs->cur);
        uint64_t page = rs->next_page;

        if (!find_next(b, &page)) {
            rs->cur++;
            rs->next_page = 0;
            continue;
        }
        rs->next_page = page;
        /* Zero pages cost almost nothing: only data counts against max. */
        uint64_t left = max_bytes > out->len - start_len
                        ? max_bytes - (out->len - start_len) : 0;
        put_section(rs, b, rs->cur, out,
                    MAX(1, MIN(MIG_RAM_CHUNK_PAGES, left >> TARGET_PAGE_BITS)));
        if (out->len - start_len >= max_bytes) {
            return true;
        }
    }
    return out->len > start_len;
}

bool ram_save_take_job(RamSaveState *rs, RamJob *job, uint32_t max_pages)
{
    while (rs->cur < rs->blocks->len) {
        RamSaveBlock *b = g_ptr_array_index(rs->blocks, rs->cur);
        uint64_t page = rs->next_page;
        uint64_t end = b->pages;
        uint32_t pages = 0;

        job->nruns = 0;
        while (pages < max_pages && job->nruns < MIG_JOB_PAGES &&
               find_next(b, &page) && page < end) {
            uint32_t run = 0;

            if (!pages) {
                /* Up to the next boundary of max_pages pages. */
                end = MIN(b->pages, (page / max_pages + 1) * max_pages);
            }
            while (pages + run < max_pages && page + run < end &&
                   test_bit(b->todo, page + run)) {
                clear_bit(b->todo, page + run);
                run++;
            }
            job->runs[job->nruns].first = page;
            job->runs[job->nruns].count = run;
            job->nruns++;
            pages += run;
            page += run;
        }
        rs->next_page = page;
        if (!pages) {
            rs->cur++;
            rs->next_page = 0;
            continue;
        }
        rs->todo_pages -= pages;
        rs->stats.remaining_pages = rs->todo_pages;
        job->index = rs->cur;
        job->block = b->block;
        job->digest = &b->sent;
        job->stats = &rs->stats;
        job->pages = pages;
        return true;
    }
    return false;
}

const RamStats *ram_save_stats(RamSaveState *rs)
{
    return &rs->stats;
}

uint64_t ram_save_remaining_bytes(RamSaveState *rs)
{
    return rs->todo_pages << TARGET_PAGE_BITS;
}

void ram_save_put_summary(GByteArray *out)
{
    RamSaveState *rs = current_save;
    guint n = rs ? rs->blocks->len : 0;

    mig_put_u32(out, n);
    for (guint i = 0; i < n; i++) {
        RamSaveBlock *b = g_ptr_array_index(rs->blocks, i);

        mig_put_u64(out, b->sent.data_pages);
        mig_put_u64(out, b->sent.zero_pages);
        mig_put_u32(out, ram_digest_value(&b->sent, b->pages));
    }
}

void ram_save_config(GByteArray *out)
{
    GPtrArray *list = ram_block_list();

    mig_put_u32(out, list->len);
    for (guint i = 0; i < list->len; i++) {
        RAMBlock *block = g_ptr_array_index(list, i);
        mig_put_str(out, block->idstr);
        mig_put_u64(out, block->size);
    }
}

/* Load side */

struct RamLoadState {
    GPtrArray *blocks;          /* RAMBlock *, indexed as the source's */
    RamDigest *got;             /* per block: what was loaded */
};

/*
 * The destination's RAM must end up equal to the source's, and the source
 * sends only pages it ever wrote: clear what we wrote ourselves first.
 */
static void ram_load_clear(RAMBlock *block)
{
    RamTouched *t = touched_for(block);
    uint64_t pages = block_pages(block);

    ram_block_sync_dirty(block, t->bits);
    /* Only the touched pages are visited (most are not). */
    for (uint64_t p = 0; find_next_bit(t->bits, pages, &p); p++) {
        uint8_t *host = block->host + (p << TARGET_PAGE_BITS);

        if (!ram_page_is_zero(host)) {
            memset(host, 0, TARGET_PAGE_SIZE);
        }
    }
}

RamLoadState *ram_load_config(MigReader *r, GError **errp)
{
    g_autoptr(GPtrArray) blocks = g_ptr_array_new();
    GPtrArray *local = ram_block_list();
    uint32_t n;

    if (!mig_get_u32(r, &n)) {
        error_setg(errp, "truncated RAM block list");
        return NULL;
    }
    if (n != local->len) {
        error_setg(errp, "RAM blocks: %u received, %u here", n, local->len);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) {
        g_autofree char *name = NULL;
        uint64_t size;
        RAMBlock *block;

        if (!mig_get_str(r, &name) || !mig_get_u64(r, &size)) {
            error_setg(errp, "truncated RAM block list");
            return NULL;
        }
        block = ram_block_by_name(name);
        if (!block) {
            error_setg(errp, "Unknown ramblock \"%s\", cannot accept "
                       "migration", name);
            return NULL;
        }
        if (block->size != size) {
            error_setg(errp, "Length mismatch: %s: 0x%" PRIx64 " in != 0x%"
                       PRIx64, name, size, block->size);
            return NULL;
        }
        for (guint k = 0; k < blocks->len; k++) {
            if (g_ptr_array_index(blocks, k) == block) {
                error_setg(errp, "RAM block \"%s\" listed twice", name);
                return NULL;
            }
        }
        g_ptr_array_add(blocks, block);
    }
    for (guint i = 0; i < blocks->len; i++) {
        ram_load_clear(g_ptr_array_index(blocks, i));
    }
    RamLoadState *rl = g_new0(RamLoadState, 1);
    rl->blocks = g_steal_pointer(&blocks);
    rl->got = g_new0(RamDigest, rl->blocks->len ? rl->blocks->len : 1);
    for (guint i = 0; i < rl->blocks->len; i++) {
        ram_digest_init(&rl->got[i], block_pages(rl->blocks->pdata[i]));
    }
    return rl;
}

bool ram_load_section(RamLoadState *rl, MigReader *r, GError **errp)
{
    uint16_t index;
    RAMBlock *block;
    uint64_t pages;

    if (!mig_get_u16(r, &index)) {
        error_setg(errp, "truncated RAM section");
        return false;
    }
    if (index >= rl->blocks->len) {
        error_setg(errp, "RAM section for block %u of %u", index,
                   rl->blocks->len);
        return false;
    }
    block = g_ptr_array_index(rl->blocks, index);
    pages = block_pages(block);
    while (mig_reader_left(r)) {
        uint8_t kind;
        uint32_t first, count;
        const uint8_t *data;

        if (!mig_get_u8(r, &kind) || !mig_get_u32(r, &first) ||
            !mig_get_u32(r, &count)) {
            error_setg(errp, "truncated RAM record");
            return false;
        }
        if (!count || first >= pages || count > pages - first) {
            error_setg(errp, "RAM record out of range: pages %u+%u of %s "
                       "(%" PRIu64 " pages)", first, count, block->idstr,
                       pages);
            return false;
        }
        uint8_t *host = block->host + ((uint64_t)first << TARGET_PAGE_BITS);
        size_t bytes = (size_t)count << TARGET_PAGE_BITS;
        switch (kind) {
        case MIG_RAM_DATA:
            if (!mig_get_bytes(r, bytes, &data)) {
                error_setg(errp, "truncated RAM data");
                return false;
            }
            memcpy(host, data, bytes);
            ram_mark_touched(block, first, count);
            ram_digest_data(&rl->got[index], first, count, data);
            break;
        case MIG_RAM_ZERO: {
            RamTouched *t = touched_for(block);
            /* Untouched pages here are zero already: don't fault them in. */
            for (uint32_t i = 0; i < count; i++) {
                if (test_bit(t->bits, first + i) &&
                    !ram_page_is_zero(host + ((size_t)i << TARGET_PAGE_BITS))) {
                    memset(host + ((size_t)i << TARGET_PAGE_BITS), 0,
                           TARGET_PAGE_SIZE);
                }
            }
            ram_digest_zero(&rl->got[index], first, count);
            break;
        }
        default:
            error_setg(errp, "unknown RAM record type 0x%x", kind);
            return false;
        }
    }
    return true;
}

bool ram_load_run(RamLoadState *rl, uint16_t index, uint8_t kind,
                  uint32_t first, uint32_t count, MigReadFunc *read,
                  void *opaque, GError **errp)
{
    RAMBlock *block;
    uint64_t pages;
    uint8_t *host;
    RamTouched *t;

    if (index >= rl->blocks->len) {
        error_setg(errp, "RAM for block %u of %u", index, rl->blocks->len);
        return false;
    }
    block = g_ptr_array_index(rl->blocks, index);
    pages = block_pages(block);
    if (!count || first >= pages || count > pages - first) {
        error_setg(errp, "RAM record out of range: pages %u+%u of %s "
                   "(%" PRIu64 " pages)", first, count, block->idstr, pages);
        return false;
    }
    host = block->host + ((uint64_t)first << TARGET_PAGE_BITS);
    switch (kind) {
    case MIG_RAM_DATA:
        /* Straight into guest RAM: no copy; this thread faults it in. */
        if (!read(opaque, host, (size_t)count << TARGET_PAGE_BITS, errp)) {
            return false;
        }
        ram_mark_touched(block, first, count);
        ram_digest_data(&rl->got[index], first, count, host);
        return true;
    case MIG_RAM_ZERO:
        t = touched_for(block);
        for (uint32_t i = 0; i < count; i++) {
            uint8_t *p = host + ((size_t)i << TARGET_PAGE_BITS);

            if (test_bit(t->bits, first + i) && !ram_page_is_zero(p)) {
                memset(p, 0, TARGET_PAGE_SIZE);
            }
        }
        ram_digest_zero(&rl->got[index], first, count);
        return true;
    }
    error_setg(errp, "unknown RAM record type 0x%x", kind);
    return false;
}

bool ram_load_check_summary(RamLoadState *rl, MigReader *r, GError **errp)
{
    uint32_t n;

    if (!mig_get_u32(r, &n) || n != rl->blocks->len) {
        error_setg(errp, "malformed end section");
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        RAMBlock *block = g_ptr_array_index(rl->blocks, i);
        RamDigest *d = &rl->got[i];
        uint64_t data_pages, zero_pages;
        uint32_t digest, have;

        if (!mig_get_u64(r, &data_pages) || !mig_get_u64(r, &zero_pages) ||
            !mig_get_u32(r, &digest)) {
            error_setg(errp, "malformed end section");
            return false;
        }
        if (data_pages != d->data_pages || zero_pages != d->zero_pages) {
            error_setg(errp, "RAM block %s: %" PRIu64 " data and %" PRIu64
                       " zero pages received, the source sent %" PRIu64
                       " and %" PRIu64, block->idstr, d->data_pages,
                       d->zero_pages, data_pages, zero_pages);
            return false;
        }
        have = ram_digest_value(d, block_pages(block));
        if (digest != have) {
            error_setg(errp, "RAM block %s: digest 0x%08x, the source's "
                       "is 0x%08x", block->idstr, have, digest);
            return false;
        }
    }
    return true;
}

void ram_load_free(RamLoadState *rl)
{
    if (rl) {
        for (guint i = 0; i < rl->blocks->len; i++) {
            g_free(rl->got[i].page_crc);
        }
        g_free(rl->got);
        g_ptr_array_unref(rl->blocks);
        g_free(rl);
    }
}
