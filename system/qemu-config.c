/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * query-command-line-options: the option groups of the command line that
 * baton acts on, under QEMU's group names, with the parameters each one
 * takes.  Groups that take anything (-device, -netdev, -object) have an
 * empty list, as in QEMU; "machine" lists the machine types' properties.
 */
#include <string.h>

#include "hw/boards.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "system/system.h"

#define S COMMAND_LINE_PARAMETER_TYPE_STRING
#define B COMMAND_LINE_PARAMETER_TYPE_BOOLEAN
#define N COMMAND_LINE_PARAMETER_TYPE_NUMBER
#define Z COMMAND_LINE_PARAMETER_TYPE_SIZE

typedef struct OptParam {
    const char *name;
    CommandLineParameterType type;
} OptParam;

typedef struct OptGroup {
    const char *group;          /* QEMU's name for it */
    const char *option;         /* the command-line option */
    OptParam params[20];        /* ends at a NULL name */
} OptGroup;

static const OptGroup opt_groups[] = {
    { "accel", "accel", { { "accel", S } } },
    { "chardev", "chardev", {
        { "backend", S }, { "path", S }, { "host", S }, { "port", S },
        { "to", N }, { "ipv4", B }, { "ipv6", B }, { "server", B },
        { "wait", B }, { "nodelay", B }, { "reconnect", N }, { "fd", S },
        { "append", B }, { "signal", B }, { "mux", B } } },
    { "device", "device" },
    { "global", "global", {
        { "driver", S }, { "property", S }, { "value", S } } },
    { "memory", "m", { { "size", Z } } },
    { "mon", "mon", { { "mode", S }, { "chardev", S }, { "pretty", B } } },
    { "name", "name", { { "guest", S }, { "debug-threads", B } } },
    { "netdev", "netdev" },
    { "object", "object" },
    { "smp-opts", "smp", {
        { "cpus", N }, { "maxcpus", N }, { "sockets", N }, { "dies", N },
        { "clusters", N }, { "cores", N }, { "threads", N } } },
};

static CommandLineParameterInfo *param_info(const char *name,
                                            CommandLineParameterType type)
{
    CommandLineParameterInfo *info = g_new0(CommandLineParameterInfo, 1);

    info->name = g_strdup(name);
    info->type = type;
    return info;
}

static void prepend_param(CommandLineParameterInfoList **list,
                          CommandLineParameterInfo *info)
{
    CommandLineParameterInfoList *elt = g_new0(CommandLineParameterInfoList, 1);

    elt->value = info;
    elt->next = *list;
    *list = elt;
}

static CommandLineParameterType prop_type(const char *type)
{
    if (!strcmp(type, "bool")) {
        return B;
    }
    if (!strcmp(type, "size")) {
        return Z;
    }
    if (g_str_has_prefix(type, "int") || g_str_has_prefix(type, "uint")) {
        return N;
    }
    return S;
}

static void add_machine_prop(ObjectProperty *prop, void *opaque)
{
    CommandLineParameterInfoList **list = opaque;

    if (!prop->set || !strcmp(prop->name, "type")) {
        return;
    }
    for (CommandLineParameterInfoList *l = *list; l; l = l->next) {
        if (!strcmp(l->value->name, prop->name)) {
            return;
        }
    }
    prepend_param(list, param_info(prop->name, prop_type(prop->type)));
    (*list)->value->help = g_strdup(prop->description);
}

/* Every machine type's settable properties, once each, then "type". */
static CommandLineParameterInfoList *machine_params(void)
{
    g_autoptr(GSList) classes = object_class_get_list(TYPE_MACHINE, false);
    CommandLineParameterInfoList *list = NULL;
    CommandLineParameterInfo *type;

    for (GSList *l = classes; l; l = l->next) {
        object_class_property_foreach(l->data, add_machine_prop, &list);
    }
    type = param_info("type", S);
    type->help = g_strdup("machine type");
    prepend_param(&list, type);
    return list;
}

static CommandLineParameterInfoList *group_params(const OptGroup *g)
{
    CommandLineParameterInfoList *list = NULL;
    int n = 0;

    while (n < G_N_ELEMENTS(g->params) && g->params[n].name) {
        n++;
    }
    while (n--) {
        prepend_param(&list, param_info(g->params[n].name,
                                        g->params[n].type));
    }
    return list;
}

static void prepend_option(CommandLineOptionInfoList **list,
                           const char *option,
                           CommandLineParameterInfoList *params)
{
    CommandLineOptionInfoList *elt = g_new0(CommandLineOptionInfoList, 1);

    elt->value = g_new0(CommandLineOptionInfo, 1);
    elt->value->option = g_strdup(option);
    elt->value->parameters = params;
    elt->next = *list;
    *list = elt;
}

CommandLineOptionInfoList *qmp_query_command_line_options(const char *option,
                                                          GError **errp)
{
    CommandLineOptionInfoList *list = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(opt_groups); i++) {
        const OptGroup *g = &opt_groups[i];

        if ((!option || !strcmp(option, g->group)) &&
            qemu_option_exists(g->option)) {
            prepend_option(&list, g->group, group_params(g));
        }
    }
    if (!option || !strcmp(option, "machine")) {
        prepend_option(&list, "machine", machine_params());
    }
    if (!list) {
        error_setg(errp, "invalid option name: %s", option);
    }
    return list;
}
