/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Machine types (-machine/-M). */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

#include "qom/object.h"
#include "hw/qdev-core.h"
#include "exec/memory.h"
#include "qapi/qapi-types.h"

#define TYPE_MACHINE "machine"
#define TYPE_MACHINE_SUFFIX "-machine"
/* QOM type name of machine NAME: "NAME-machine". */
#define MACHINE_TYPE_NAME(name) (name TYPE_MACHINE_SUFFIX)

/* -smp: CPU count and topology (QEMU's SMPConfiguration, resolved). */
typedef struct CpuTopology {
    unsigned cpus;              /* present at start */
    unsigned max_cpus;
    unsigned sockets, dies, clusters, cores, threads;
} CpuTopology;

/* -boot: what the firmware reads from fw_cfg (QEMU's BootConfiguration). */
typedef struct BootConfig {
    bool menu;
    bool has_splash_time;
    int64_t splash_time;        /* ms, 0..65535 */
    bool has_reboot_timeout;
    int64_t reboot_timeout;     /* ms, -1..65535; -1: never reboot */
} BootConfig;

/* Set by the command line before the machine is created. */
extern BootConfig boot_config;

typedef struct MachineState {
    Object parent_obj;
    CpuTopology smp;
    char *cpu_type;             /* QOM type of the (inert) CPUs */
    GPtrArray *cpus;            /* DeviceState *, by CPU index */
    uint64_t ram_size;
    char *memory_backend;       /* -machine memory-backend=ID */
    MemoryRegion *ram;          /* the guest's RAM region (NULL: none) */
    RAMBlock *ram_block;
    bool nodefaults;
    BusState *main_bus;         /* sysbus root */
    /* -machine options kept for qom-get; nothing here emulates them. */
    bool usb;
    bool dump_guest_core;
    bool mem_merge;
    bool graphics;
    bool suppress_vmdesc;
    char *kernel_irqchip;       /* "on", "off", "split" or NULL */
} MachineState;

typedef struct MachineClass {
    ObjectClass parent_class;
    const char *name;           /* "pc-q35-8.1" */
    const char *alias;          /* "q35" */
    const char *desc;
    bool is_default;
    int max_cpus;               /* 0: 1 */
    const char *default_cpu_type;   /* NULL: no CPU objects */
    bool has_hotpluggable_cpus;
    uint64_t default_ram_size;
    const char *default_ram_id; /* RAM block name; NULL: "ram" ("pc.ram" on PCs) */
    /* NIC model for -nic without model= (NULL: the board has no NICs). */
    const char *default_nic;
    /* Build the board: RAM is already allocated into ms->ram. */
    void (*init)(MachineState *ms, GError **errp);
    void (*reset)(MachineState *ms, ShutdownCause reason);
    /* Hotplug handler for devices without a bus handler (may be NULL). */
    HotplugHandler *(*get_hotplug_handler)(MachineState *ms,
                                           DeviceState *dev);
    /* Veto a hot-plug before the device is created (may be NULL). */
    bool (*hotplug_allowed)(MachineState *ms, DeviceState *dev,
                            GError **errp);
} MachineClass;

#define MACHINE(obj) OBJECT_CHECK(MachineState, (obj), TYPE_MACHINE)
#define MACHINE_CLASS(oc) OBJECT_CLASS_CHECK(MachineClass, (oc), TYPE_MACHINE)
#define MACHINE_GET_CLASS(obj) \
    OBJECT_GET_CLASS(MachineClass, (obj), TYPE_MACHINE)

extern MachineState *current_machine;

/* "pc-q35-8.1", "none": the name -machine takes. */
const char *machine_class_get_name(MachineClass *mc);
/* Find by name or alias; NULL: the default machine. */
MachineClass *machine_find_class(const char *name);
/*
 * Create /machine of class mc, apply opts (from -machine; the implied key
 * "type" is skipped), allocate RAM and run mc->init.  ram_size 0 means
 * -m was not given: the memory backend's size, else mc->default_ram_size.
 */
MachineState *machine_create(MachineClass *mc, QemuOpts *opts,
                             uint64_t ram_size, GError **errp);

/* Machine properties stored at offset in the instance (type "bool"). */
void machine_class_add_bool(ObjectClass *oc, const char *name,
                            size_t offset);
/* An OnOffAuto stored at offset (type "OnOffAuto": on, off, auto). */
void machine_class_add_on_off_auto(ObjectClass *oc, const char *name,
                                   size_t offset);
/*
 * -smp [cpus=]n[,maxcpus=,sockets=,dies=,clusters=,cores=,threads=]: kept
 * until machine_create() checks it against the machine type.
 */
bool machine_parse_smp(QemuOpts *opts, GError **errp);
/* Resolve the -smp topology for ms (from machine_create). */
bool machine_smp_init(MachineState *ms, MachineClass *mc, GError **errp);
/*
 * The board's CPUs: one inert object of ms->cpu_type per present CPU, at
 * /machine/unattached/device[N] as QEMU has them (boards call this first).
 */
bool machine_create_cpus(MachineState *ms, GError **errp);
/* Topology properties of CPU index i (socket-id, die-id, core-id, ...). */
CpuInstanceProperties *machine_cpu_props(MachineState *ms, unsigned i);
/* The CPU objects created by machine_create_cpus(), in index order. */
GPtrArray *machine_cpus(MachineState *ms);
/* List machines for -machine help. */
void machine_print_help(void);
Object *qdev_get_machine(void);

#endif
