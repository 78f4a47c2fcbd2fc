/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -nic TYPE[,id=ID][,mac=MAC][,model=MODEL][,backend options]: QEMU's
 * shorthand for a -netdev plus the machine's NIC on it.  The backend is
 * made with the other netdevs; the NIC (the machine's default model unless
 * model= says otherwise) goes on the machine's PCI bus before any
 * -device.  "-nic none" only asks for no default NIC (baton makes none).
 */
#include <stdio.h>
#include <string.h>

#include "net/net.h"
#include "hw/pci/pci.h"
#include "hw/qdev-core.h"
#include "qapi/error.h"
#include "system/qdev-monitor.h"

typedef struct NicRequest {
    QemuOpts *netdev;           /* the backend's options, id included */
    char *loc;                  /* "-nic ..." for error messages */
    char *model;                /* NULL: the machine's default */
    char *mac;
} NicRequest;

static GPtrArray *nics;         /* NicRequest *, in command-line order */
static unsigned generated_ids;

/* PCI NIC models: user-creatable network devices with a netdev property. */
static GPtrArray *nic_models(void)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_PCI_DEVICE, false);
    GPtrArray *models = g_ptr_array_new();

    for (GSList *l = list; l; l = l->next) {
        DeviceClass *dc = l->data;

        if (dc->user_creatable && dc->category &&
            !strcmp(dc->category, DEVICE_CATEGORY_NETWORK) &&
            object_class_property_find(l->data, "netdev")) {
            g_ptr_array_add(models, (char *)object_class_get_name(l->data));
        }
    }
    return models;
}

static void print_nic_models(void)
{
    g_autoptr(GPtrArray) models = nic_models();

    printf("Available NIC models:\n");
    for (guint i = 0; i < models->len; i++) {
        printf("%s\n", (char *)g_ptr_array_index(models, i));
    }
}

bool net_nic_parse(QemuOpts *opts, const char *loc, GError **errp)
{
    const char *type = qemu_opt_get(opts, "type");
    const char *model = qemu_opt_get(opts, "model");
    const char *mac = qemu_opt_get(opts, "mac");
    NicRequest *nic;
    uint8_t a[6];

    if (type && !strcmp(type, "none")) {
        return true;
    }
    if (type && (!strcmp(type, "help") || !strcmp(type, "?"))) {
        printf("Available netdev backend types:\n");
        net_print_backend_types();
        printf("\n");
        print_nic_models();
        exit(0);
    }
    if (model && (!strcmp(model, "help") || !strcmp(model, "?"))) {
        print_nic_models();
        exit(0);
    }
    if (mac && !net_parse_macaddr(a, mac)) {
        error_setg(errp, "invalid syntax for ethernet address");
        return false;
    }
    if (mac && (a[0] & 1)) {
        error_setg(errp, "NIC cannot have multicast MAC address");
        return false;
    }
    nic = g_new0(NicRequest, 1);
    nic->model = g_strdup(model);
    nic->mac = g_strdup(mac);
    nic->loc = g_strdup(loc);
    nic->netdev = qemu_opts_new();
    qemu_opt_set(nic->netdev, "type", type ? type : "user");
    if (!qemu_opt_get(opts, "id")) {
        /* Not a valid user id, so it cannot clash with one. */
        g_autofree char *id = g_strdup_printf("#net%u", generated_ids++);
        qemu_opt_set(nic->netdev, "id", id);
    }
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (strcmp(o->name, "type") && strcmp(o->name, "model") &&
            strcmp(o->name, "mac")) {
            qemu_opt_set(nic->netdev, o->name, o->str);
        }
    }
    if (!nics) {
        nics = g_ptr_array_new();
    }
    g_ptr_array_add(nics, nic);
    return true;
}

bool net_nic_init_backends(GError **errp)
{
    for (guint i = 0; nics && i < nics->len; i++) {
        NicRequest *nic = g_ptr_array_index(nics, i);

        GError *err = NULL;

        if (!net_client_init(nic->netdev, false, &err)) {
            g_propagate_prefixed_error(errp, err, "%s: ", nic->loc);
            return false;
        }
    }
    return true;
}

static bool nic_model_known(const char *model)
{
    g_autoptr(GPtrArray) models = nic_models();

    for (guint i = 0; i < models->len; i++) {
        if (!strcmp(model, g_ptr_array_index(models, i))) {
            return true;
        }
    }
    return false;
}

bool net_nic_create_devices(const char *default_model, GError **errp)
{
    for (guint i = 0; nics && i < nics->len; i++) {
        NicRequest *nic = g_ptr_array_index(nics, i);
        const char *id = qemu_opt_get(nic->netdev, "id");
        const char *model = nic->model ? nic->model : default_model;
        g_autoptr(QemuOpts) dev = qemu_opts_new();

        if (!default_model) {
            warn_report("requested NIC (%s, model %s) was not created (not "
                        "supported by this machine?)", id,
                        nic->model ? nic->model : "unspecified");
            continue;
        }
        if (!strcmp(model, "virtio")) {
            model = "virtio-net-pci";
        }
        if (!nic_model_known(model)) {
            error_setg(errp, "Unsupported NIC model: %s", model);
            return false;
        }
        qemu_opt_set(dev, "driver", model);
        qemu_opt_set(dev, "netdev", id);
        if (nic->mac) {
            qemu_opt_set(dev, "mac", nic->mac);
        }
        if (!qdev_device_add(dev, false, errp)) {
            return false;
        }
    }
    return true;
}

void net_nic_cleanup(void)
{
    for (guint i = 0; nics && i < nics->len; i++) {
        NicRequest *nic = g_ptr_array_index(nics, i);

        qemu_opts_free(nic->netdev);
        g_free(nic->model);
        g_free(nic->mac);
        g_free(nic->loc);
        g_free(nic);
    }
    g_clear_pointer(&nics, g_ptr_array_unref);
}
