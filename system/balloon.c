/* SPDX-License-Identifier: GPL-2.0-or-later */
/* balloon and query-balloon: forwarded to the registered balloon device. */
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "system/balloon.h"

static QEMUBalloonEvent *balloon_event_fn;
static QEMUBalloonStatus *balloon_stat_fn;
static void *balloon_opaque;

bool qemu_add_balloon_handler(QEMUBalloonEvent *event_func,
                              QEMUBalloonStatus *stat_func, void *opaque)
{
    if (balloon_event_fn || balloon_stat_fn || balloon_opaque) {
        return false;
    }
    balloon_event_fn = event_func;
    balloon_stat_fn = stat_func;
    balloon_opaque = opaque;
    return true;
}

void qemu_remove_balloon_handler(void *opaque)
{
    if (balloon_opaque == opaque) {
        balloon_event_fn = NULL;
        balloon_stat_fn = NULL;
        balloon_opaque = NULL;
    }
}

static bool have_balloon(GError **errp)
{
    if (!balloon_event_fn) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_ACTIVE,
                  "No balloon device has been activated");
        return false;
    }
    return true;
}

BalloonInfo *qmp_query_balloon(GError **errp)
{
    BalloonInfo *info;

    if (!have_balloon(errp)) {
        return NULL;
    }
    info = g_new0(BalloonInfo, 1);
    balloon_stat_fn(balloon_opaque, info);
    return info;
}

void qmp_balloon(int64_t target, GError **errp)
{
    if (!have_balloon(errp)) {
        return;
    }
    if (target <= 0) {
        error_setg(errp, "Parameter 'target' expects a size");
        return;
    }
    balloon_event_fn(balloon_opaque, target);
}
