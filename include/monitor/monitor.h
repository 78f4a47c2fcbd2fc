/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QMP monitors. */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include "chardev/char.h"

typedef struct Monitor Monitor;

/* Serve QMP on chr (-mon chardev=ID,mode=control, -qmp SPEC). */
Monitor *monitor_init_qmp(Chardev *chr, bool pretty, GError **errp);
void monitor_cleanup(void);
/*
 * Serve the human monitor on chr (-monitor DEV, -mon chardev=ID,
 * mode=readline): banner, "(qemu) " prompt, one command per line.
 */
void monitor_init_hmp(Chardev *chr);

/*
 * Send event NAME to every monitor that finished capability negotiation,
 * with a wall-clock timestamp.  Takes ownership of data (NULL: no "data").
 */
void monitor_qapi_event_emit(const char *name, JsonObject *data);
/* Whether a monitor would receive an event now (else emitting is moot). */
bool monitor_qapi_event_wanted(void);

/* The monitor running the current command (for getfd), or NULL. */
Monitor *monitor_cur(void);
/* Take fd NAME registered with getfd on mon; -1 + error if none. */
int monitor_get_fd(Monitor *mon, const char *name, GError **errp);

/*
 * Render JSON as QEMU does: compact, with ": " and ", " separators.
 * The caller frees the string.
 */
char *qmp_json_to_string(JsonNode *node, bool pretty);
/* The same for the error response to err (no "id"), built directly. */
char *qmp_error_to_string(const GError *err, bool pretty);

/*
 * Refuse a command in this process from now on (CommandNotFound "Command
 * NAME has been disabled: REASON"): fuzz targets switch off what would
 * run programs or create files.
 */
void qmp_disable_command(const char *name, const char *reason);

#endif
