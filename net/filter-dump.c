/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -object filter-dump,netdev=N,file=PATH[,maxlen=BYTES][,queue=]: every
 * frame is appended to a pcap file (Ethernet link type), cut to maxlen
 * bytes, and continues unchanged.  Timestamps are guest time from when
 * the filter was created onwards, as QEMU writes them.
 */
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "net/filter.h"
#include "qapi/error.h"
#include "qemu/timer.h"

#define TYPE_FILTER_DUMP "filter-dump"
#define PCAP_MAGIC 0xa1b2c3d4

typedef struct FilterDumpState {
    NetFilterState parent_obj;
    char *file;
    uint32_t maxlen;
    int fd;
    int64_t start_ts;           /* wall-clock seconds at creation */
} FilterDumpState;

#define FILTER_DUMP(obj) OBJECT_CHECK(FilterDumpState, (obj), TYPE_FILTER_DUMP)

/* pcap headers are in the writer's byte order; readers check the magic. */
typedef struct PcapFileHeader {
    uint32_t magic;
    uint16_t version_major, version_minor;
    int32_t thiszone;
    uint32_t sigfigs;
    uint32_t snaplen;
    uint32_t linktype;
} PcapFileHeader;

typedef struct PcapRecordHeader {
    int32_t ts_sec, ts_usec;
    uint32_t caplen;
    uint32_t len;
} PcapRecordHeader;

static ssize_t dump_receive_iov(NetFilterState *nf, NetClientState *sender,
                                const struct iovec *iov, int iovcnt)
{
    FilterDumpState *s = FILTER_DUMP(nf);
    g_autofree struct iovec *v = g_new(struct iovec, iovcnt + 1);
    int64_t us = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) / SCALE_US;
    PcapRecordHeader h = {
        .ts_sec = us / 1000000 + s->start_ts,
        .ts_usec = us % 1000000,
    };
    size_t left = s->maxlen;
    int n = 1;

    if (s->fd < 0) {
        return 0;               /* stopped after a write error */
    }
    for (int i = 0; i < iovcnt; i++) {
        h.len += iov[i].iov_len;
        if (left && iov[i].iov_len) {
            v[n].iov_base = iov[i].iov_base;
            v[n].iov_len = MIN(left, iov[i].iov_len);
            left -= v[n].iov_len;
            h.caplen += v[n].iov_len;
            n++;
        }
    }
    v[0].iov_base = &h;
    v[0].iov_len = sizeof(h);
    if (writev(s->fd, v, n) != (ssize_t)(sizeof(h) + h.caplen)) {
        error_report("network dump write error - stopping dump");
        close(s->fd);
        s->fd = -1;
    }
    return 0;
}

static bool dump_setup(NetFilterState *nf, GError **errp)
{
    FilterDumpState *s = FILTER_DUMP(nf);
    PcapFileHeader h = {
        .magic = PCAP_MAGIC,
        .version_major = 2,
        .version_minor = 4,
        .snaplen = s->maxlen,
        .linktype = 1,
    };

    if (!s->file) {
        error_setg(errp, "dump filter needs 'file' property set!");
        return false;
    }
    s->fd = open(s->file, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
    if (s->fd < 0) {
        error_setg_errno(errp, errno, "net dump: can't open %s", s->file);
        return false;
    }
    if (write(s->fd, &h, sizeof(h)) != sizeof(h)) {
        error_setg_errno(errp, errno, "net dump write error");
        close(s->fd);
        s->fd = -1;
        return false;
    }
    s->start_ts = time(NULL);
    return true;
}

static void dump_cleanup(NetFilterState *nf)
{
    FilterDumpState *s = FILTER_DUMP(nf);

    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}

static JsonNode *get_maxlen(Object *obj, ObjectProperty *prop, GError **errp)
{
    return qom_value_from_int(FILTER_DUMP(obj)->maxlen);
}

static bool set_maxlen(Object *obj, ObjectProperty *prop, JsonNode *value,
                       GError **errp)
{
    uint64_t v;

    if (!qom_value_to_uint(value, "maxlen", &v, errp)) {
        return false;
    }
    if (v > UINT32_MAX) {
        error_setg(errp, "Parameter 'maxlen' expects uint32_t");
        return false;
    }
    if (!v) {
        error_setg(errp, "Property 'filter-dump.maxlen' doesn't take value "
                   "'0'");
        return false;
    }
    FILTER_DUMP(obj)->maxlen = v;
    return true;
}

static char *get_file(Object *obj, GError **errp)
{
    return g_strdup(FILTER_DUMP(obj)->file);
}

static void set_file(Object *obj, const char *v, GError **errp)
{
    FilterDumpState *s = FILTER_DUMP(obj);

    g_free(s->file);
    s->file = g_strdup(v);
}

static void dump_init(Object *obj)
{
    FilterDumpState *s = FILTER_DUMP(obj);

    s->maxlen = 65536;
    s->fd = -1;
}

static void dump_finalize(Object *obj)
{
    g_free(FILTER_DUMP(obj)->file);
}

static void dump_class_init(ObjectClass *oc, void *data)
{
    NetFilterClass *nfc = NETFILTER_CLASS(oc);

    nfc->setup = dump_setup;
    nfc->cleanup = dump_cleanup;
    nfc->receive_iov = dump_receive_iov;
    object_class_property_add(oc, "maxlen", "uint32", get_maxlen, set_maxlen,
                              NULL, NULL);
    object_class_property_add_str(oc, "file", get_file, set_file);
}

static void dump_register(void)
{
    static const TypeInfo info = {
        .name = TYPE_FILTER_DUMP,
        .parent = TYPE_NETFILTER,
        .instance_size = sizeof(FilterDumpState),
        .instance_init = dump_init,
        .instance_finalize = dump_finalize,
        .class_init = dump_class_init,
    };

    type_register_static(&info);
}
type_init(dump_register)
