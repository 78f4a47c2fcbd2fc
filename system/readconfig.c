/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -readconfig: the ini parser, line by line as QEMU reads the format
 * (the same sscanf patterns decide what a line is, so odd files are taken
 * or refused alike), and the table of sections baton knows.
 */
#include "system/readconfig.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qapi/error.h"

typedef struct ConfigGroup {
    const char *group;          /* [group] */
    const char *opt;            /* the option it stands for; NULL: ignored */
} ConfigGroup;

static const ConfigGroup groups[] = {
    { "machine", "machine" },
    { "accel", "accel" },
    { "memory", "m" },
    { "device", "device" },
    { "netdev", "netdev" },
    { "nic", "nic" },
    { "chardev", "chardev" },
    { "object", "object" },
    { "global", "global" },
    { "mon", "mon" },
    { "name", "name" },
    /* options baton accepts and ignores */
    { "smp-opts", NULL },
    { "boot-opts", NULL },
    { "rtc", NULL },
    { "msg", NULL },
    { "sandbox", NULL },
    { "overcommit", NULL },
    { "trace", NULL },
};

typedef struct Section {
    char group[64];
    GString *args;              /* "k=v,k=v", commas in values doubled */
} Section;

static void section_add(Section *s, const char *key, const char *value)
{
    if (s->args->len) {
        g_string_append_c(s->args, ',');
    }
    g_string_append_printf(s->args, "%s=", key);
    for (const char *p = value; *p; p++) {
        if (*p == ',') {
            g_string_append_c(s->args, ',');
        }
        g_string_append_c(s->args, *p);
    }
}

/* A section is complete: hand it over (QEMU checks the group only now). */
static bool section_done(Section *s, const char *loc, ReadConfigFunc *fn,
                         void *opaque, GError **errp)
{
    for (size_t i = 0; i < G_N_ELEMENTS(groups); i++) {
        if (!strcmp(groups[i].group, s->group)) {
            fn(groups[i].opt, s->args->str, loc, opaque);
            return true;
        }
    }
    error_setg(errp, "There is no option group '%s'", s->group);
    return false;
}

bool qemu_read_config_file(const char *path, ReadConfigFunc *fn,
                           void *opaque, char **err_loc, GError **errp)
{
    char line[1024], group[64], id[64], arg[64], value[1024];
    g_autofree char *loc = NULL;   /* of the last option line read */
    Section cur = { .args = NULL };
    bool ok = false;
    FILE *f;
    int lno = 0;

    *err_loc = NULL;
    f = fopen(path, "r");
    if (!f) {
        error_setg_errno(errp, errno, "Could not open '%s'", path);
        return false;
    }
    while (fgets(line, sizeof(line), f)) {
        lno++;
        if (line[0] == '\n' || line[0] == '#') {
            continue;
        }
        if (line[0] == '[') {
            bool with_id = sscanf(line, "[%63s \"%63[^\"]\"]", group,
                                  id) == 2;

            if (with_id || sscanf(line, "[%63[^]]]", group) == 1) {
                if (cur.args && !section_done(&cur, loc, fn, opaque, errp)) {
                    goto out;
                }
                if (cur.args) {
                    g_string_free(cur.args, true);
                }
                g_strlcpy(cur.group, group, sizeof(cur.group));
                cur.args = g_string_new("");
                if (with_id) {
                    section_add(&cur, "id", id);
                }
                continue;
            }
        }
        g_free(loc);
        loc = g_strdup_printf("%s:%d", path, lno);
        value[0] = '\0';
        if (sscanf(line, " %63s = \"%1023[^\"]\"", arg, value) == 2 ||
            sscanf(line, " %63s = \"\"", arg) == 1) {
            if (!cur.args) {
                error_setg(errp, "no group defined");
                goto out;
            }
            section_add(&cur, arg, value);
            continue;
        }
        error_setg(errp, "parse error");
        goto out;
    }
    if (ferror(f)) {
        error_setg_errno(errp, errno, "Cannot read config file");
        g_clear_pointer(&loc, g_free);
        goto out;
    }
    ok = !cur.args || section_done(&cur, loc, fn, opaque, errp);
out:
    if (!ok) {
        *err_loc = g_steal_pointer(&loc);
    }
    if (cur.args) {
        g_string_free(cur.args, true);
    }
    fclose(f);
    return ok;
}
