/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMP "info" pages that print what a QMP query returns, in QEMU's words
 * and layout.
 */
#include <inttypes.h>
#include <string.h>
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qemu/option.h"
#include "net/net.h"
#include "system/qdev-monitor.h"
#include "monitor/hmp-internal.h"

void hmp_info_version(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(VersionInfo) info = qmp_query_version(NULL);
    const char *pkg = info->package;

    /*
     * QEMU appends the package as built (" (Debian 1:8.1.2+ds-1)"); ours
     * is a bare "baton-X", so it gets the parentheses here.
     */
    hmp_printf(mon, "%" PRId64 ".%" PRId64 ".%" PRId64 "%s%s%s\n",
               info->qemu->major, info->qemu->minor, info->qemu->micro,
               *pkg && *pkg != ' ' ? " (" : "", pkg,
               *pkg && *pkg != ' ' ? ")" : "");
}

void hmp_info_status(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(StatusInfo) info = qmp_query_status(NULL);

    hmp_printf(mon, "VM status: %s", info->running ? "running" : "paused");
    if (!info->running && info->status != RUN_STATE_PAUSED) {
        hmp_printf(mon, " (%s)", RunState_str(info->status));
    }
    hmp_printf(mon, "\n");
}

void hmp_info_name(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(NameInfo) info = qmp_query_name(NULL);

    if (info->name) {
        hmp_printf(mon, "%s\n", info->name);
    }
}

void hmp_info_uuid(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(UuidInfo) info = qmp_query_uuid(NULL);

    hmp_printf(mon, "%s\n", info->UUID);
}

void hmp_info_kvm(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(KvmInfo) info = qmp_query_kvm(NULL);

    hmp_printf(mon, "kvm support: %s\n",
               !info->present ? "not compiled" :
               info->enabled ? "enabled" : "disabled");
}

void hmp_info_network(MonitorHMP *mon, JsonObject *args)
{
    net_info_network(mon->out);
}

void hmp_info_chardev(MonitorHMP *mon, JsonObject *args)
{
    ChardevInfoList *list = qmp_query_chardev(NULL);

    for (ChardevInfoList *l = list; l; l = l->next) {
        hmp_printf(mon, "%s: filename=%s\n", l->value->label,
                   l->value->filename);
    }
    qapi_free_ChardevInfoList(list);
}

void hmp_info_cpus(MonitorHMP *mon, JsonObject *args)
{
    CpuInfoFastList *list = qmp_query_cpus_fast(NULL);
    int64_t cur = hmp_cur_cpu(mon);

    for (CpuInfoFastList *l = list; l; l = l->next) {
        hmp_printf(mon, "%c CPU #%" PRId64 ": thread_id=%" PRId64 "\n",
                   l->value->cpu_index == cur ? '*' : ' ',
                   l->value->cpu_index, l->value->thread_id);
    }
    qapi_free_CpuInfoFastList(list);
}

static void print_pci_device(MonitorHMP *mon, const PciDeviceInfo *dev)
{
    hmp_printf(mon, "  Bus %2" PRId64 ", device %3" PRId64 ", function %"
               PRId64 ":\n", dev->bus, dev->slot, dev->function);
    if (dev->class_info->desc) {
        hmp_printf(mon, "    %s", dev->class_info->desc);
    } else {
        hmp_printf(mon, "    Class %04" PRIx64,
                   (uint64_t)dev->class_info->class);
    }
    hmp_printf(mon, ": PCI device %04" PRIx64 ":%04" PRIx64 "\n",
               (uint64_t)dev->id->vendor, (uint64_t)dev->id->device);
    if (dev->id->has_subsystem_vendor && dev->id->has_subsystem) {
        hmp_printf(mon, "      PCI subsystem %04" PRIx64 ":%04" PRIx64 "\n",
                   (uint64_t)dev->id->subsystem_vendor,
                   (uint64_t)dev->id->subsystem);
    }
    if (dev->has_irq) {
        hmp_printf(mon, "      IRQ %" PRId64 ", pin %c\n", dev->irq,
                   (char)('A' + dev->irq_pin - 1));
    }
    if (dev->pci_bridge) {
        PciBusInfo *b = dev->pci_bridge->bus;

        hmp_printf(mon, "      BUS %" PRId64 ".\n", b->number);
        hmp_printf(mon, "      secondary bus %" PRId64 ".\n", b->secondary);
        hmp_printf(mon, "      subordinate bus %" PRId64 ".\n",
                   b->subordinate);
        hmp_printf(mon, "      IO range [0x%04" PRIx64 ", 0x%04" PRIx64
                   "]\n", (uint64_t)b->io_range->base,
                   (uint64_t)b->io_range->limit);
        hmp_printf(mon, "      memory range [0x%08" PRIx64 ", 0x%08" PRIx64
                   "]\n", (uint64_t)b->memory_range->base,
                   (uint64_t)b->memory_range->limit);
        hmp_printf(mon, "      prefetchable memory range [0x%08" PRIx64
                   ", 0x%08" PRIx64 "]\n",
                   (uint64_t)b->prefetchable_range->base,
                   (uint64_t)b->prefetchable_range->limit);
    }
    for (PciMemoryRegionList *r = dev->regions; r; r = r->next) {
        uint64_t addr = r->value->address, size = r->value->size;

        hmp_printf(mon, "      BAR%" PRId64 ": ", r->value->bar);
        if (!strcmp(r->value->type, "io")) {
            hmp_printf(mon, "I/O at 0x%04" PRIx64 " [0x%04" PRIx64 "].\n",
                       addr, addr + size - 1);
        } else {
            hmp_printf(mon, "%d bit%s memory at 0x%08" PRIx64 " [0x%08"
                       PRIx64 "].\n", r->value->mem_type_64 ? 64 : 32,
                       r->value->prefetch ? " prefetchable" : "", addr,
                       addr + size - 1);
        }
    }
    hmp_printf(mon, "      id \"%s\"\n", dev->qdev_id);
    if (dev->pci_bridge) {
        for (PciDeviceInfoList *d = dev->pci_bridge->devices; d; d = d->next) {
            print_pci_device(mon, d->value);
        }
    }
}

void hmp_info_pci(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(GError) err = NULL;
    PciInfoList *list = qmp_query_pci(&err);

    if (err) {
        hmp_printf(mon, "PCI devices not supported\n");
        return;
    }
    for (PciInfoList *bus = list; bus; bus = bus->next) {
        for (PciDeviceInfoList *d = bus->value->devices; d; d = d->next) {
            print_pci_device(mon, d->value);
        }
    }
    qapi_free_PciInfoList(list);
}

void hmp_info_balloon(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;
    g_autoptr(BalloonInfo) info = qmp_query_balloon(&err);

    if (!hmp_handle_error(mon, err)) {
        hmp_printf(mon, "balloon: actual=%" PRId64 "\n", info->actual >> 20);
    }
}

void hmp_info_qdm(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();

    qemu_opt_set(opts, "driver", "help");
    qdev_device_help(opts);
}

void hmp_info_memdev(MonitorHMP *mon, JsonObject *args)
{
    MemdevList *list = qmp_query_memdev(NULL);

    for (MemdevList *l = list; l; l = l->next) {
        Memdev *m = l->value;

        hmp_printf(mon, "memory backend: %s\n", m->id ? m->id : "");
        hmp_printf(mon, "  size:  %" PRIu64 "\n", m->size);
        hmp_printf(mon, "  merge: %s\n", m->merge ? "true" : "false");
        hmp_printf(mon, "  dump: %s\n", m->dump ? "true" : "false");
        hmp_printf(mon, "  prealloc: %s\n", m->prealloc ? "true" : "false");
        hmp_printf(mon, "  share: %s\n", m->share ? "true" : "false");
        if (m->has_reserve) {
            hmp_printf(mon, "  reserve: %s\n", m->reserve ? "true" : "false");
        }
        hmp_printf(mon, "  policy: %s\n", HostMemPolicy_str(m->policy));
        hmp_printf(mon, "  host nodes: ");
        for (uint16List *n = m->host_nodes; n; n = n->next) {
            hmp_printf(mon, "%s%u", n == m->host_nodes ? "" : ",",
                       n->value);
        }
        hmp_printf(mon, "\n");
    }
    qapi_free_MemdevList(list);
}

void hmp_info_memory_devices(MonitorHMP *mon, JsonObject *args)
{
    MemoryDeviceInfoList *list = qmp_query_memory_devices(NULL);

    for (MemoryDeviceInfoList *l = list; l; l = l->next) {
        PCDIMMDeviceInfo *di = l->value->u.dimm.data;

        hmp_printf(mon, "Memory device [%s]: \"%s\"\n",
                   MemoryDeviceInfoKind_str(l->value->type),
                   di->id ? di->id : "");
        hmp_printf(mon, "  addr: 0x%" PRIx64 "\n", (uint64_t)di->addr);
        hmp_printf(mon, "  slot: %" PRId64 "\n", di->slot);
        hmp_printf(mon, "  node: %" PRId64 "\n", di->node);
        hmp_printf(mon, "  size: %" PRIu64 "\n", (uint64_t)di->size);
        hmp_printf(mon, "  memdev: %s\n", di->memdev);
        hmp_printf(mon, "  hotplugged: %s\n",
                   di->hotplugged ? "true" : "false");
        hmp_printf(mon, "  hotpluggable: %s\n",
                   di->hotpluggable ? "true" : "false");
    }
    qapi_free_MemoryDeviceInfoList(list);
}

void hmp_info_iothreads(MonitorHMP *mon, JsonObject *args)
{
    IOThreadInfoList *list = qmp_query_iothreads(NULL);

    for (IOThreadInfoList *l = list; l; l = l->next) {
        IOThreadInfo *t = l->value;

        hmp_printf(mon, "%s:\n", t->id);
        hmp_printf(mon, "  thread_id=%" PRId64 "\n", t->thread_id);
        hmp_printf(mon, "  poll-max-ns=%" PRId64 "\n", t->poll_max_ns);
        hmp_printf(mon, "  poll-grow=%" PRId64 "\n", t->poll_grow);
        hmp_printf(mon, "  poll-shrink=%" PRId64 "\n", t->poll_shrink);
        hmp_printf(mon, "  aio-max-batch=%" PRId64 "\n", t->aio_max_batch);
    }
    qapi_free_IOThreadInfoList(list);
}

static void print_cpu_props(MonitorHMP *mon, CpuInstanceProperties *c)
{
    const struct {
        const char *name;
        bool has;
        int64_t val;
    } ids[] = {
        { "node-id", c->has_node_id, c->node_id },
        { "socket-id", c->has_socket_id, c->socket_id },
        { "die-id", c->has_die_id, c->die_id },
        { "cluster-id", c->has_cluster_id, c->cluster_id },
        { "core-id", c->has_core_id, c->core_id },
        { "thread-id", c->has_thread_id, c->thread_id },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        if (ids[i].has) {
            hmp_printf(mon, "    %s: \"%" PRId64 "\"\n", ids[i].name,
                       ids[i].val);
        }
    }
}

void hmp_info_hotpluggable_cpus(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;
    HotpluggableCPUList *list = qmp_query_hotpluggable_cpus(&err);

    if (hmp_handle_error(mon, err)) {
        return;
    }
    hmp_printf(mon, "Hotpluggable CPUs:\n");
    for (HotpluggableCPUList *l = list; l; l = l->next) {
        hmp_printf(mon, "  type: \"%s\"\n", l->value->type);
        hmp_printf(mon, "  vcpus_count: \"%" PRId64 "\"\n",
                   l->value->vcpus_count);
        if (l->value->qom_path) {
            hmp_printf(mon, "  qom_path: \"%s\"\n", l->value->qom_path);
        }
        hmp_printf(mon, "  CPUInstance Properties:\n");
        print_cpu_props(mon, l->value->props);
    }
    qapi_free_HotpluggableCPUList(list);
}

void hmp_info_memory_size_summary(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;
    g_autoptr(MemoryInfo) info = qmp_query_memory_size_summary(&err);

    if (hmp_handle_error(mon, err)) {
        return;
    }
    hmp_printf(mon, "base memory: %" PRIu64 "\n", info->base_memory);
    if (info->has_plugged_memory) {
        hmp_printf(mon, "plugged memory: %" PRIu64 "\n",
                   info->plugged_memory);
    }
}
