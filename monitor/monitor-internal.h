/* SPDX-License-Identifier: GPL-2.0-or-later */
/* State shared by the QMP monitor's files. */
#ifndef MONITOR_MONITOR_INTERNAL_H
#define MONITOR_MONITOR_INTERNAL_H

#include "monitor/monitor.h"
#include "qemu/json-stream.h"

struct Monitor {
    Chardev *chr;
    JsonStream *stream;
    bool pretty;
    bool connected;
    /* Until qmp_capabilities: only that command runs, events are dropped. */
    bool negotiating;
    bool oob_enabled;
    /*
     * A command is running: read no more input until it is done, in case
     * it spins the main loop (the stream splitter is not re-entrant).
     */
    bool busy;
    GHashTable *fds;            /* getfd name -> fd (GINT_TO_POINTER) */
};

/*
 * Validate one request and run it.  Returns the response object to send
 * (never NULL).
 */
JsonObject *qmp_dispatch(Monitor *mon, JsonNode *request);

/* An error response {"error": {"class", "desc"}} for err. */
JsonObject *qmp_error_response(const GError *err);

/* query-qmp-schema's data, parsed once (do not modify or free it). */
JsonNode *qmp_schema_node(void);

/* Name fd for monitor_get_fd() (getfd); replaces an older one. */
void monitor_add_fd(Monitor *mon, const char *name, int fd);

#endif
