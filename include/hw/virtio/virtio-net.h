/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net: the network device ("virtio-net-device", the backend of
 * virtio-net-pci).  One RX/TX queue pair plus the control queue; frames go
 * to and come from a NetClientState peered with a -netdev backend.
 */
#ifndef HW_VIRTIO_VIRTIO_NET_H
#define HW_VIRTIO_VIRTIO_NET_H

#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/qdev-properties.h"
#include "net/net.h"

#define TYPE_VIRTIO_NET "virtio-net-device"
#define TYPE_VIRTIO_NET_PCI "virtio-net-pci"
#define TYPE_VIRTIO_NET_PCI_BASE "virtio-net-pci-base"

#define VIRTIO_ID_NET 1

/* Feature bits */
#define VIRTIO_NET_F_CSUM               0
#define VIRTIO_NET_F_GUEST_CSUM         1
#define VIRTIO_NET_F_CTRL_GUEST_OFFLOADS 2
#define VIRTIO_NET_F_MTU                3
#define VIRTIO_NET_F_MAC                5
#define VIRTIO_NET_F_GSO                6
#define VIRTIO_NET_F_GUEST_TSO4         7
#define VIRTIO_NET_F_GUEST_TSO6         8
#define VIRTIO_NET_F_GUEST_ECN          9
#define VIRTIO_NET_F_GUEST_UFO          10
#define VIRTIO_NET_F_HOST_TSO4          11
#define VIRTIO_NET_F_HOST_TSO6          12
#define VIRTIO_NET_F_HOST_ECN           13
#define VIRTIO_NET_F_HOST_UFO           14
#define VIRTIO_NET_F_MRG_RXBUF          15
#define VIRTIO_NET_F_STATUS             16
#define VIRTIO_NET_F_CTRL_VQ            17
#define VIRTIO_NET_F_CTRL_RX            18
#define VIRTIO_NET_F_CTRL_VLAN          19
#define VIRTIO_NET_F_CTRL_RX_EXTRA      20
#define VIRTIO_NET_F_GUEST_ANNOUNCE     21
#define VIRTIO_NET_F_MQ                 22
#define VIRTIO_NET_F_CTRL_MAC_ADDR      23
#define VIRTIO_NET_F_HASH_REPORT        57
#define VIRTIO_NET_F_RSS                60
#define VIRTIO_NET_F_RSC_EXT            61
#define VIRTIO_NET_F_STANDBY            62
#define VIRTIO_NET_F_SPEED_DUPLEX       63

/* Config status field */
#define VIRTIO_NET_S_LINK_UP            1
#define VIRTIO_NET_S_ANNOUNCE           2

/* Control queue: class / command codes, ack values */
#define VIRTIO_NET_OK                   0
#define VIRTIO_NET_ERR                  1
#define VIRTIO_NET_CTRL_RX              0
#define  VIRTIO_NET_CTRL_RX_PROMISC     0
#define  VIRTIO_NET_CTRL_RX_ALLMULTI    1
#define  VIRTIO_NET_CTRL_RX_ALLUNI      2
#define  VIRTIO_NET_CTRL_RX_NOMULTI     3
#define  VIRTIO_NET_CTRL_RX_NOUNI       4
#define  VIRTIO_NET_CTRL_RX_NOBCAST     5
#define VIRTIO_NET_CTRL_MAC             1
#define  VIRTIO_NET_CTRL_MAC_TABLE_SET  0
#define  VIRTIO_NET_CTRL_MAC_ADDR_SET   1
#define VIRTIO_NET_CTRL_VLAN            2
#define  VIRTIO_NET_CTRL_VLAN_ADD       0
#define  VIRTIO_NET_CTRL_VLAN_DEL       1
#define VIRTIO_NET_CTRL_ANNOUNCE        3
#define  VIRTIO_NET_CTRL_ANNOUNCE_ACK   0
#define VIRTIO_NET_CTRL_MQ              4
#define VIRTIO_NET_CTRL_GUEST_OFFLOADS  5

#define MAC_TABLE_ENTRIES 64
#define MAX_VLAN (1 << 12)

/* The header in front of every frame in the rings. */
typedef struct VirtioNetHdr {
    uint8_t flags;
    uint8_t gso_type;
    uint16_t hdr_len;
    uint16_t gso_size;
    uint16_t csum_start;
    uint16_t csum_offset;
} VirtioNetHdr;

typedef struct VirtioNetHdrMrgRxbuf {
    VirtioNetHdr hdr;
    uint16_t num_buffers;
} VirtioNetHdrMrgRxbuf;

/* The device's properties, shared by the device and its PCI proxy. */
typedef struct VirtioNetConf {
    MACAddr macaddr;
    char *netdev;
    uint64_t host_features;     /* feature bit properties */
    uint16_t host_mtu;
    bool mtu_bypass_backend;
    uint16_t rx_queue_size;
    uint16_t tx_queue_size;
    int32_t speed;
    char *duplex_str;
    char *tx;
    uint32_t txtimer;
    int32_t txburst;
    uint32_t rsc_timeout;
    bool failover;
} VirtioNetConf;

typedef struct VirtIONet {
    VirtIODevice parent_obj;
    VirtioNetConf conf;
    NetClientState *nic;        /* our side; peer is the -netdev */
    MACAddr mac;                /* current MAC (config space) */
    uint16_t status;
    VirtQueue *rx_vq;
    VirtQueue *tx_vq;
    VirtQueue *ctrl_vq;
    size_t guest_hdr_len;       /* 10 or 12 bytes in the rings */
    bool mergeable_rx_bufs;
    bool has_vnet_hdr;          /* backend frames carry the header */
    uint32_t mac_index;         /* default-MAC slot, 0: none taken */
    uint8_t duplex;
    uint64_t curr_guest_offloads;

    /* RX filter state (control queue) */
    bool promisc;
    bool allmulti;
    bool alluni;
    bool nomulti;
    bool nouni;
    bool nobcast;
    struct {
        uint32_t in_use;
        uint32_t first_multi;
        bool multi_overflow;
        bool uni_overflow;
        uint8_t *macs;          /* MAC_TABLE_ENTRIES * 6 */
    } mac_table;
    uint32_t *vlans;            /* MAX_VLAN bits */
    /* NIC_RX_FILTER_CHANGED is sent once until query-rx-filter reads it */
    bool rx_filter_event_enabled;

    uint64_t rx_dropped;        /* frames the guest had no buffer for */
    char *nic_name;             /* id of the proxy (NetClientState name) */
    char *nic_model;            /* type of the proxy */
    /*
     * TX batch: the frames given to the backend since the batch began
     * (their pieces in tx_iov, their heads in tx_heads), completed in the
     * used ring once the backend has written them all.
     */
    struct iovec *tx_iov;
    unsigned int tx_iov_used;
    uint16_t *tx_heads;
    unsigned int tx_batch;
    bool tx_busy;               /* in handle_tx (not re-entered) */
    bool tx_again;              /* asked again meanwhile: go on */
    bool tx_waiting;            /* kicked while the VM was stopped */
    bool rx_notify_pending;     /* an RX interrupt owed at batch end */
    void *failover;             /* state of the failover code (issue 5) */
} VirtIONet;

#define VIRTIO_NET(obj) OBJECT_CHECK(VirtIONet, (obj), TYPE_VIRTIO_NET)

typedef struct VirtIONetPCI {
    VirtIOPCIProxy parent_obj;
    VirtioNetConf conf;         /* the proxy's view of the NIC properties */
    VirtIONet *vdev;            /* child "virtio-backend" */
} VirtIONetPCI;

#define VIRTIO_NET_PCI(obj) \
    OBJECT_CHECK(VirtIONetPCI, (obj), TYPE_VIRTIO_NET_PCI_BASE)

/*
 * NIC properties, for the device and aliased on virtio-net-pci: the table
 * entries point into a VirtioNetConf member _f of _s.
 */
#define DEFINE_VIRTIO_NET_FEATURE(_n, _s, _f, _bit, _d) \
    DEFINE_PROP_BIT64(_n, _s, _f.host_features, _bit, _d)

#define DEFINE_VIRTIO_NET_PROPERTIES(_s, _f) \
    DEFINE_VIRTIO_NET_FEATURE("csum", _s, _f, VIRTIO_NET_F_CSUM, true), \
    DEFINE_VIRTIO_NET_FEATURE("guest_csum", _s, _f, \
                              VIRTIO_NET_F_GUEST_CSUM, true), \
    DEFINE_VIRTIO_NET_FEATURE("gso", _s, _f, VIRTIO_NET_F_GSO, true), \
    DEFINE_VIRTIO_NET_FEATURE("guest_tso4", _s, _f, \
                              VIRTIO_NET_F_GUEST_TSO4, true), \
    DEFINE_VIRTIO_NET_FEATURE("guest_tso6", _s, _f, \
                              VIRTIO_NET_F_GUEST_TSO6, true), \
    DEFINE_VIRTIO_NET_FEATURE("guest_ecn", _s, _f, \
                              VIRTIO_NET_F_GUEST_ECN, true), \
    DEFINE_VIRTIO_NET_FEATURE("guest_ufo", _s, _f, \
                              VIRTIO_NET_F_GUEST_UFO, true), \
    DEFINE_VIRTIO_NET_FEATURE("guest_announce", _s, _f, \
                              VIRTIO_NET_F_GUEST_ANNOUNCE, true), \
    DEFINE_VIRTIO_NET_FEATURE("host_tso4", _s, _f, \
                              VIRTIO_NET_F_HOST_TSO4, true), \
    DEFINE_VIRTIO_NET_FEATURE("host_tso6", _s, _f, \
                              VIRTIO_NET_F_HOST_TSO6, true), \
    DEFINE_VIRTIO_NET_FEATURE("host_ecn", _s, _f, \
                              VIRTIO_NET_F_HOST_ECN, true), \
    DEFINE_VIRTIO_NET_FEATURE("host_ufo", _s, _f, \
                              VIRTIO_NET_F_HOST_UFO, true), \
    DEFINE_VIRTIO_NET_FEATURE("mrg_rxbuf", _s, _f, \
                              VIRTIO_NET_F_MRG_RXBUF, true), \
    DEFINE_VIRTIO_NET_FEATURE("status", _s, _f, VIRTIO_NET_F_STATUS, true), \
    DEFINE_VIRTIO_NET_FEATURE("ctrl_vq", _s, _f, VIRTIO_NET_F_CTRL_VQ, \
                              true), \
    DEFINE_VIRTIO_NET_FEATURE("ctrl_rx", _s, _f, VIRTIO_NET_F_CTRL_RX, \
                              true), \
    DEFINE_VIRTIO_NET_FEATURE("ctrl_vlan", _s, _f, VIRTIO_NET_F_CTRL_VLAN, \
                              true), \
    DEFINE_VIRTIO_NET_FEATURE("ctrl_rx_extra", _s, _f, \
                              VIRTIO_NET_F_CTRL_RX_EXTRA, true), \
    DEFINE_VIRTIO_NET_FEATURE("ctrl_mac_addr", _s, _f, \
                              VIRTIO_NET_F_CTRL_MAC_ADDR, true), \
    DEFINE_VIRTIO_NET_FEATURE("ctrl_guest_offloads", _s, _f, \
                              VIRTIO_NET_F_CTRL_GUEST_OFFLOADS, true), \
    DEFINE_VIRTIO_NET_FEATURE("mq", _s, _f, VIRTIO_NET_F_MQ, false), \
    DEFINE_VIRTIO_NET_FEATURE("rss", _s, _f, VIRTIO_NET_F_RSS, false), \
    DEFINE_VIRTIO_NET_FEATURE("hash", _s, _f, VIRTIO_NET_F_HASH_REPORT, \
                              false), \
    DEFINE_VIRTIO_NET_FEATURE("guest_rsc_ext", _s, _f, \
                              VIRTIO_NET_F_RSC_EXT, false), \
    DEFINE_PROP_UINT32("rsc_interval", _s, _f.rsc_timeout, 300000), \
    DEFINE_PROP_MACADDR("mac", _s, _f.macaddr), \
    DEFINE_PROP_STRING("netdev", _s, _f.netdev), \
    DEFINE_PROP_UINT32("x-txtimer", _s, _f.txtimer, 150000), \
    DEFINE_PROP_INT32("x-txburst", _s, _f.txburst, 256), \
    DEFINE_PROP_STRING("tx", _s, _f.tx), \
    DEFINE_PROP_UINT16("rx_queue_size", _s, _f.rx_queue_size, 256), \
    DEFINE_PROP_UINT16("tx_queue_size", _s, _f.tx_queue_size, 256), \
    DEFINE_PROP_UINT16("host_mtu", _s, _f.host_mtu, 0), \
    DEFINE_PROP_BOOL("x-mtu-bypass-backend", _s, _f.mtu_bypass_backend, \
                     true), \
    DEFINE_PROP_INT32("speed", _s, _f.speed, -1), \
    DEFINE_PROP_STRING("duplex", _s, _f.duplex_str), \
    DEFINE_PROP_BOOL("failover", _s, _f.failover, false), \
    DEFINE_VIRTIO_COMMON_FEATURES(_s, _f.host_features)

/* Copy a VirtioNetConf (strings duplicated); frees what dst held. */
void virtio_net_conf_copy(VirtioNetConf *dst, const VirtioNetConf *src);

/*
 * Failover (issue 5) plugs in here; every hook may be NULL.  features_set
 * runs on every driver feature write with the features the device now
 * accepted (QEMU reacts to STANDBY there, before FEATURES_OK); features_ok
 * runs once the driver set FEATURES_OK and the device accepted it, with the
 * final features (baton decides there).  reset runs on every virtio reset,
 * before the status is cleared: vdev->status is 0 when the driver asked
 * for it and still the old value on a transport (PCI) reset.
 */
typedef struct VirtioNetFailoverOps {
    void (*realize)(VirtIONet *n, GError **errp);
    void (*unrealize)(VirtIONet *n);
    void (*features_set)(VirtIONet *n, uint64_t features);
    void (*reset)(VirtIONet *n);
    void (*features_ok)(VirtIONet *n, uint64_t features);
} VirtioNetFailoverOps;

void virtio_net_set_failover_ops(const VirtioNetFailoverOps *ops);
/* Called from set_features; dispatches to the failover ops. */
void virtio_net_failover_features_ok(VirtIONet *n, uint64_t features);

/* Ask the guest to announce itself (GUEST_ANNOUNCE): status bit + irq. */
void virtio_net_announce(VirtIONet *n);
/* Every realized virtio-net device, oldest first. */
GList *virtio_net_list(void);

/* Control queue and RX filter (hw/net/virtio-net-ctrl.c). */
void virtio_net_handle_ctrl(VirtIODevice *vdev, VirtQueue *vq);
bool virtio_net_receive_filter(VirtIONet *n, const uint8_t *buf, size_t size);
void virtio_net_rx_filter_reset(VirtIONet *n);
void virtio_net_rx_filter_changed(VirtIONet *n);

#endif
