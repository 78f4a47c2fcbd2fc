/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -smp and the CPU objects.  No guest ISA is emulated, but QEMU under
 * qtest still has one CPU object per -smp CPU, and management software
 * (libvirt's query-cpus-fast, qom-list of /machine/unattached/device[0])
 * expects to find them, so boards create inert ones.
 */
#include <errno.h>
#include <string.h>

#include "hw/boards.h"
#include "qapi/error.h"

static CpuTopology smp_config;
static bool smp_given;

static bool smp_get(QemuOpts *opts, const char *name, unsigned *out,
                    GError **errp)
{
    const char *s = qemu_opt_get(opts, name);
    char *end;
    guint64 v;

    *out = 0;
    if (!s) {
        return true;
    }
    errno = 0;
    v = g_ascii_strtoull(s, &end, 0);
    if (errno || end == s || *end || v > G_MAXINT32) {
        error_setg(errp, "Parameter '%s' expects a number", name);
        return false;
    }
    *out = v;
    return true;
}

bool machine_parse_smp(QemuOpts *opts, GError **errp)
{
    static const char *const keys[] = {
        "cpus", "maxcpus", "sockets", "dies", "clusters", "cores",
        "threads", NULL
    };
    CpuTopology t = { 0 };
    unsigned *fields[] = {
        &t.cpus, &t.max_cpus, &t.sockets, &t.dies, &t.clusters, &t.cores,
        &t.threads,
    };

    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->list, i);

        if (!g_strv_contains(keys, opt->name)) {
            error_setg(errp, "Invalid parameter '%s'", opt->name);
            return false;
        }
    }
    for (int i = 0; keys[i]; i++) {
        if (!smp_get(opts, keys[i], fields[i], errp)) {
            return false;
        }
    }
    smp_config = t;
    smp_given = true;
    return true;
}

/* QEMU's rules: missing topology members default to 1, sockets last. */
static bool smp_resolve(MachineClass *mc, CpuTopology *t, GError **errp)
{
    unsigned dies = t->dies ? t->dies : 1;
    unsigned clusters = t->clusters ? t->clusters : 1;
    unsigned threads = t->threads ? t->threads : 1;
    unsigned max_allowed = mc->max_cpus ? mc->max_cpus : 1;
    unsigned maxcpus = t->max_cpus;
    unsigned cores = t->cores;
    unsigned sockets = t->sockets;
    unsigned cpus = t->cpus;

    if (!maxcpus) {
        maxcpus = cpus;
    }
    if (!cores) {
        unsigned per = (sockets ? sockets : 1) * dies * clusters * threads;
        cores = maxcpus && sockets ? maxcpus / per : 1;
        cores = cores ? cores : 1;
    }
    if (!sockets) {
        unsigned per = dies * clusters * cores * threads;
        sockets = maxcpus ? maxcpus / per : 1;
        sockets = sockets ? sockets : 1;
    }
    if (!maxcpus) {
        maxcpus = sockets * dies * clusters * cores * threads;
    }
    if (!cpus) {
        cpus = maxcpus;
    }
    if (sockets * dies * clusters * cores * threads != maxcpus) {
        error_setg(errp, "Invalid CPU topology: product of the hierarchy "
                   "must match maxcpus: sockets (%u) * dies (%u) * "
                   "cores (%u) * threads (%u) != maxcpus (%u)",
                   sockets, dies, cores, threads, maxcpus);
        return false;
    }
    if (cpus > maxcpus) {
        error_setg(errp, "Invalid CPU topology: maxcpus must be equal to or "
                   "greater than smp: sockets (%u) * dies (%u) * cores (%u) "
                   "* threads (%u) == maxcpus (%u) < smp_cpus (%u)",
                   sockets, dies, cores, threads, maxcpus, cpus);
        return false;
    }
    if (maxcpus > max_allowed) {
        error_setg(errp, "Invalid SMP CPUs %u. The max CPUs supported by "
                   "machine '%s' is %u", maxcpus, mc->name, max_allowed);
        return false;
    }
    *t = (CpuTopology) {
        .cpus = cpus, .max_cpus = maxcpus, .sockets = sockets,
        .dies = dies, .clusters = clusters, .cores = cores,
        .threads = threads,
    };
    return true;
}

bool machine_smp_init(MachineState *ms, MachineClass *mc, GError **errp)
{
    CpuTopology t = smp_given ? smp_config : (CpuTopology) { .cpus = 1 };

    if (!smp_resolve(mc, &t, errp)) {
        return false;
    }
    ms->smp = t;
    ms->cpus = g_ptr_array_new();
    if (mc->default_cpu_type) {
        ms->cpu_type = g_strdup(mc->default_cpu_type);
    }
    return true;
}

bool machine_create_cpus(MachineState *ms, GError **errp)
{
    for (unsigned i = 0; ms->cpu_type && i < ms->smp.cpus; i++) {
        DeviceState *cpu = qdev_new(ms->cpu_type);
        g_autoptr(CpuInstanceProperties) p = machine_cpu_props(ms, i);
        Object *o = OBJECT(cpu);

        if (!object_property_set_int(o, "apic-id", i, errp) ||
            !object_property_set_int(o, "socket-id", p->socket_id, errp) ||
            !object_property_set_int(o, "die-id", p->die_id, errp) ||
            !object_property_set_int(o, "core-id", p->core_id, errp) ||
            !object_property_set_int(o, "thread-id", p->thread_id, errp) ||
            !qdev_realize(cpu, NULL, errp)) {
            object_unref(cpu);
            return false;
        }
        g_ptr_array_add(ms->cpus, cpu);
        object_unref(cpu);
    }
    return true;
}

GPtrArray *machine_cpus(MachineState *ms)
{
    return ms->cpus;
}

CpuInstanceProperties *machine_cpu_props(MachineState *ms, unsigned i)
{
    CpuInstanceProperties *p = g_new0(CpuInstanceProperties, 1);
    const CpuTopology *t = &ms->smp;
    unsigned per_die = t->clusters * t->cores * t->threads;

    /* x86 names sockets, cores and threads; dies only when there are some. */
    p->has_socket_id = true;
    p->socket_id = i / (per_die * t->dies);
    if (t->dies > 1) {
        p->has_die_id = true;
        p->die_id = (i / per_die) % t->dies;
    }
    p->has_core_id = true;
    p->core_id = (i / t->threads) % t->cores;
    p->has_thread_id = true;
    p->thread_id = i % t->threads;
    return p;
}
