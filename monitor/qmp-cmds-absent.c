/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Queries about subsystems baton does not have: the block layer and its
 * jobs, TPMs, iothreads, yank instances and migration threads.
 * Management software asks them on every start (libvirt treats an error
 * as fatal), and QEMU answers with lists that are empty when nothing of
 * the kind exists: so do we.
 */
#include "qapi/error.h"
#include "qapi/qapi-commands.h"

BlockDeviceInfoList *qmp_query_named_block_nodes(bool has_flat, bool flat,
                                                 GError **errp)
{
    return NULL;
}

BlockInfoList *qmp_query_block(GError **errp)
{
    return NULL;
}

BlockStatsList *qmp_query_blockstats(bool has_query_nodes, bool query_nodes,
                                     GError **errp)
{
    return NULL;
}

JobInfoList *qmp_query_jobs(GError **errp)
{
    return NULL;
}

TpmModelList *qmp_query_tpm_models(GError **errp)
{
    return NULL;
}

TpmTypeList *qmp_query_tpm_types(GError **errp)
{
    return NULL;
}

TPMInfoList *qmp_query_tpm(GError **errp)
{
    return NULL;
}

IOThreadInfoList *qmp_query_iothreads(GError **errp)
{
    return NULL;
}

YankInstanceList *qmp_query_yank(GError **errp)
{
    return NULL;
}

MigrationThreadInfoList *qmp_query_migrationthreads(GError **errp)
{
    return NULL;
}
