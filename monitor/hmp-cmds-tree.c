/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMP pages that walk a tree: "info qtree" (buses and devices with their
 * properties), "info qom-tree" (the composition tree) and "info mtree"
 * (memory regions), laid out as QEMU lays them out.
 */
#include <inttypes.h>
#include <string.h>
#include "qapi/error.h"
#include "exec/memory.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_regs.h"
#include "qemu/json-num.h"
#include "monitor/hmp-internal.h"

/* ---- info qtree ------------------------------------------------------- */

/* QEMU's size_to_str(): "1 MiB", "2.5 GiB". */
static char *size_to_str(uint64_t val)
{
    static const char *const suffixes[] = { "", "Ki", "Mi", "Gi", "Ti",
                                            "Pi", "Ei" };
    int i = 0;

    /* The next unit from 1000 of the current one on, as QEMU switches. */
    while (i + 1 < (int)G_N_ELEMENTS(suffixes) &&
           (double)val >= 1000.0 * (double)(1ULL << (i * 10))) {
        i++;
    }
    return g_strdup_printf("%0.3g %sB", (double)val / (1ULL << (i * 10)),
                           suffixes[i]);
}

/* A property's value as QEMU's human-readable property printer shows it. */
static char *prop_value_text(DeviceState *dev, Property *prop)
{
    g_autoptr(JsonNode) val = NULL;
    const char *type = prop->info->name;

    if (prop->info == &qdev_prop_pci_devfn) {
        int32_t devfn = *(int32_t *)((char *)dev + prop->offset);

        return devfn < 0 ? g_strdup("<unset>")
                         : g_strdup_printf("%02x.%x", devfn >> 3, devfn & 7);
    }
    val = object_property_get(OBJECT(dev), prop->name, NULL);
    if (!val || JSON_NODE_HOLDS_NULL(val)) {
        return g_strdup("\"\"");
    }
    if (!JSON_NODE_HOLDS_VALUE(val)) {
        return NULL;
    }
    switch (json_node_get_value_type(val)) {
    case G_TYPE_BOOLEAN:
        return g_strdup(json_node_get_boolean(val) ? "true" : "false");
    case G_TYPE_STRING:
        return g_strdup_printf("\"%s\"", json_node_get_string(val));
    case G_TYPE_INT64: {
        int64_t i = json_node_get_int(val);

        if (!strcmp(type, "size")) {
            g_autofree char *human = size_to_str((uint64_t)i);

            return g_strdup_printf("%" PRIu64 " (%s)", (uint64_t)i, human);
        }
        if (g_str_has_prefix(type, "uint") || json_node_is_big_uint(val)) {
            return g_strdup_printf("%" PRIu64 " (0x%" PRIx64 ")",
                                   (uint64_t)i, (uint64_t)i);
        }
        return g_strdup_printf("%" PRId64 " (0x%" PRIx64 ")", i,
                               (uint64_t)i);
    }
    default:
        return NULL;
    }
}

typedef struct QtreeCtx {
    MonitorHMP *mon;
    DeviceState *dev;
    int indent;
} QtreeCtx;

static void print_prop(Property *prop, void *opaque)
{
    QtreeCtx *c = opaque;
    g_autofree char *value = prop_value_text(c->dev, prop);

    if (value) {
        hmp_printf(c->mon, "%*s%s = %s\n", c->indent, "", prop->name,
                   *value ? value : "<null>");
    }
}

/* What a PCI bus adds about its devices: class, address, ids, BARs. */
static void print_pci_dev(MonitorHMP *mon, DeviceState *dev, int indent)
{
    PCIDevice *d = (PCIDevice *)object_dynamic_cast(OBJECT(dev),
                                                    TYPE_PCI_DEVICE);

    uint16_t class;
    g_autofree char *desc = NULL;

    if (!d || !d->bus) {
        return;
    }
    class = pci_get_word(d->config + PCI_CLASS_DEVICE);
    desc = pci_class_desc(class);
    if (!desc) {
        desc = g_strdup_printf("Class %04x", class);
    }
    hmp_printf(mon, "%*sclass %s, addr %02x:%02x.%x, pci id %04x:%04x "
               "(sub %04x:%04x)\n", indent, "", desc,
               pci_bus_num(d->bus), PCI_SLOT(d->devfn), PCI_FUNC(d->devfn),
               pci_get_word(d->config + PCI_VENDOR_ID),
               pci_get_word(d->config + PCI_DEVICE_ID),
               pci_get_word(d->config + PCI_SUBSYSTEM_VENDOR_ID),
               pci_get_word(d->config + PCI_SUBSYSTEM_ID));
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &d->io_regions[i];

        if (!r->size) {
            continue;
        }
        hmp_printf(mon, "%*sbar %d: %s at 0x%" PRIx64 " [0x%" PRIx64 "]\n",
                   indent, "", i,
                   r->type & PCI_BASE_ADDRESS_SPACE_IO ? "i/o" : "mem",
                   (uint64_t)r->addr, (uint64_t)(r->addr + r->size - 1));
    }
}

static void print_bus(MonitorHMP *mon, BusState *bus, int indent);

static void print_dev(MonitorHMP *mon, DeviceState *dev, int indent)
{
    QtreeCtx c = { mon, dev, indent + 2 };

    hmp_printf(mon, "%*sdev: %s, id \"%s\"\n", indent, "",
               object_get_typename(OBJECT(dev)), dev->id ? dev->id : "");
    if (dev->num_gpio_in) {
        hmp_printf(mon, "%*sgpio-in \"\" %d\n", c.indent, "",
                   dev->num_gpio_in);
    }
    if (dev->num_gpio_out) {
        hmp_printf(mon, "%*sgpio-out \"\" %d\n", c.indent, "",
                   dev->num_gpio_out);
    }
    qdev_class_foreach_prop(DEVICE_GET_CLASS(dev), print_prop, &c);
    print_pci_dev(mon, dev, c.indent);
    /* QEMU keeps child buses and bus children newest first. */
    for (GList *l = g_list_last(dev->child_buses); l; l = l->prev) {
        print_bus(mon, l->data, c.indent);
    }
}

static void print_bus(MonitorHMP *mon, BusState *bus, int indent)
{
    hmp_printf(mon, "%*sbus: %s\n", indent, "", bus->name);
    hmp_printf(mon, "%*stype %s\n", indent + 2, "",
               object_get_typename(OBJECT(bus)));
    for (GList *l = g_list_last(bus->children); l; l = l->prev) {
        print_dev(mon, l->data, indent + 2);
    }
}

void hmp_info_qtree(MonitorHMP *mon, JsonObject *args)
{
    BusState *root = sysbus_get_default();

    if (root) {
        print_bus(mon, root, 0);
    }
}

/* ---- info qom-tree ---------------------------------------------------- */

static int add_child(Object *child, void *opaque)
{
    g_ptr_array_add(opaque, child);
    return 0;
}

static gint compare_component(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(
        object_get_canonical_path_component(*(Object *const *)a),
        object_get_canonical_path_component(*(Object *const *)b));
}

static void print_qom(MonitorHMP *mon, Object *obj, int indent)
{
    g_autoptr(GPtrArray) children = g_ptr_array_new();

    hmp_printf(mon, "%*s/%s (%s)\n", indent, "",
               obj == object_get_root() ? ""
                   : object_get_canonical_path_component(obj),
               object_get_typename(obj));
    object_child_foreach(obj, add_child, children);
    g_ptr_array_sort(children, compare_component);
    for (guint i = 0; i < children->len; i++) {
        print_qom(mon, children->pdata[i], indent + 2);
    }
}

void hmp_info_qom_tree(MonitorHMP *mon, JsonObject *args)
{
    const char *path = hmp_arg_str(args, "path");
    Object *obj = object_get_root();

    if (path) {
        obj = object_resolve_path(path, NULL);
        if (!obj) {
            hmp_printf(mon, "Path '%s' could not be resolved.\n", path);
            return;
        }
    }
    print_qom(mon, obj, 0);
}

/* ---- info mtree ------------------------------------------------------- */

/* Subregions as QEMU lists them: higher priority first, then by address. */
static gint compare_region(gconstpointer a, gconstpointer b)
{
    const MemoryRegion *x = *(MemoryRegion *const *)a;
    const MemoryRegion *y = *(MemoryRegion *const *)b;

    if (x->priority != y->priority) {
        return x->priority > y->priority ? -1 : 1;
    }
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static const char *region_type(const MemoryRegion *mr)
{
    while (mr->alias) {
        mr = mr->alias;
    }
    return mr->ram_block ? "ram" : "i/o";
}

static void print_region(MonitorHMP *mon, const MemoryRegion *mr, int level,
                         hwaddr base, GPtrArray *aliased, bool disabled)
{
    hwaddr start = base + mr->addr;
    /* A size of UINT64_MAX stands for all 2^64 bytes (QEMU's int128). */
    hwaddr end = start + (mr->size == UINT64_MAX ? mr->size :
                          mr->size ? mr->size - 1 : 0);
    g_autoptr(GPtrArray) subs = NULL;

    if (!disabled && !mr->enabled) {
        return;
    }
    hmp_printf(mon, "%*s%016" PRIx64 "-%016" PRIx64 " (prio %d, %s): ",
               level * 2, "", start, end, mr->priority, region_type(mr));
    if (mr->alias) {
        hmp_printf(mon, "alias %s @%s %016" PRIx64 "-%016" PRIx64,
                   mr->name ? mr->name : "", mr->alias->name ? mr->alias->name
                                                             : "",
                   mr->alias_offset,
                   mr->alias_offset + (mr->size ? mr->size - 1 : 0));
        if (!g_ptr_array_find(aliased, mr->alias, NULL)) {
            g_ptr_array_add(aliased, mr->alias);
        }
    } else {
        hmp_printf(mon, "%s", mr->name ? mr->name : "");
    }
    hmp_printf(mon, "%s\n", mr->enabled ? "" : " [disabled]");
    if (!mr->subregions) {
        return;
    }
    subs = g_ptr_array_copy(mr->subregions, NULL, NULL);
    g_ptr_array_sort(subs, compare_region);
    for (guint i = 0; i < subs->len; i++) {
        print_region(mon, subs->pdata[i], level + 1, start, aliased,
                     disabled);
    }
}

void hmp_info_mtree(MonitorHMP *mon, JsonObject *args)
{
    AddressSpace *spaces[] = { &address_space_memory, &address_space_io };
    bool disabled = hmp_arg_bool(args, "disabled", false);
    g_autoptr(GPtrArray) aliased = g_ptr_array_new();

    for (size_t i = 0; i < G_N_ELEMENTS(spaces); i++) {
        hmp_printf(mon, "address-space: %s\n", spaces[i]->name);
        print_region(mon, spaces[i]->root, 1, 0, aliased, disabled);
        hmp_printf(mon, "\n");
    }
    /* Then every region an alias points into, as a tree of its own. */
    for (guint i = 0; i < aliased->len; i++) {
        const MemoryRegion *mr = aliased->pdata[i];

        hmp_printf(mon, "memory-region: %s\n", mr->name ? mr->name : "");
        print_region(mon, mr, 1, 0, aliased, disabled);
        hmp_printf(mon, "\n");
    }
}
