/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QMP about accelerators. */
#include "qapi/qapi-commands.h"

KvmInfo *qmp_query_kvm(GError **errp)
{
    KvmInfo *info = g_new0(KvmInfo, 1);

    /* baton has no KVM accelerator at all. */
    info->enabled = false;
    info->present = false;
    return info;
}
