/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The commands about the QMP session itself. */
#include <unistd.h>
#include "config-host.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qapi/qapi-introspect.h"
#include "monitor/monitor-internal.h"

void qmp_qmp_capabilities(QMPCapabilityList *enable, GError **errp)
{
    Monitor *mon = monitor_cur();

    if (!mon) {
        error_setg(errp, "qmp_capabilities needs a monitor");
        return;
    }
    if (!mon->negotiating) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Capabilities negotiation is already complete, "
                  "command ignored");
        return;
    }
    for (; enable; enable = enable->next) {
        if (enable->value == QMP_CAPABILITY_OOB) {
            mon->oob_enabled = true;
        }
    }
    mon->negotiating = false;
}

VersionInfo *qmp_query_version(GError **errp)
{
    VersionInfo *info = g_new0(VersionInfo, 1);

    info->qemu = g_new0(VersionTriple, 1);
    info->qemu->major = 8;
    info->qemu->minor = 1;
    info->qemu->micro = 0;
    info->package = g_strdup("baton-" BATON_VERSION);
    return info;
}

CommandInfoList *qmp_query_commands(GError **errp)
{
    CommandInfoList *head = NULL, **tail = &head;

    for (size_t i = 0; i < qmp_commands_count; i++) {
        CommandInfoList *elt = g_new0(CommandInfoList, 1);

        elt->value = g_new0(CommandInfo, 1);
        elt->value->name = g_strdup(qmp_commands[i].name);
        *tail = elt;
        tail = &elt->next;
    }
    return head;
}

/* Parsed once: the schema does not change while we run. */
JsonNode *qmp_schema_node(void)
{
    static JsonNode *schema;

    if (!schema) {
        g_autoptr(JsonParser) parser = json_parser_new();

        if (!json_parser_load_from_data(parser, qmp_schema_json, -1, NULL)) {
            g_assert_not_reached();     /* the generator wrote bad JSON */
        }
        schema = json_parser_steal_root(parser);
    }
    return schema;
}

void qmp_marshal_query_qmp_schema(JsonObject *args, JsonNode **ret,
                                  GError **errp)
{
    if (args && json_object_get_size(args)) {
        g_autoptr(GList) names = json_object_get_members(args);

        error_setg(errp, "Parameter '%s' is unexpected",
                   (const char *)names->data);
        return;
    }
    *ret = json_node_copy(qmp_schema_node());
}

void qmp_getfd(const char *fdname, GError **errp)
{
    Monitor *mon = monitor_cur();
    int fds[16];
    int n = mon ? qemu_chr_fe_get_msgfds(mon->chr, fds, G_N_ELEMENTS(fds))
                : 0;

    /* Only the first descriptor of the message is kept, as in QEMU. */
    for (int i = 1; i < n; i++) {
        close(fds[i]);
    }
    if (n <= 0) {
        error_setg(errp, "No file descriptor supplied via SCM_RIGHTS");
        return;
    }
    if (g_ascii_isdigit(fdname[0])) {
        close(fds[0]);
        error_setg(errp, "Parameter 'fdname' expects a name not starting "
                   "with a digit");
        return;
    }
    monitor_add_fd(mon, fdname, fds[0]);
}

void qmp_closefd(const char *fdname, GError **errp)
{
    Monitor *mon = monitor_cur();
    int fd = monitor_get_fd(mon, fdname, NULL);

    if (fd < 0) {
        error_setg(errp, "File descriptor named '%s' not found", fdname);
        return;
    }
    close(fd);
}
