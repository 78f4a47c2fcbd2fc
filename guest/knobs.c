/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Behaviour knobs, read the way firmware reads host configuration: fw_cfg
 * files under opt/org.baton/ (-fw_cfg name=opt/org.baton/KNOB,string=V),
 * through the selector (0x510, 16-bit) and data (0x511, byte) ports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/guest.h"
#include "qapi/error.h"

#define FW_CFG_CTL      0x510
#define FW_CFG_DATA     0x511
#define FW_CFG_SIG      0x00
#define FW_CFG_DIR      0x19
#define KNOB_PREFIX     "opt/org.baton/"
#define KNOB_MAX        64

static void fwcfg_select(uint16_t key)
{
    gio_out(FW_CFG_CTL, 2, key);
}

static void fwcfg_read(void *buf, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        ((uint8_t *)buf)[i] = gio_in(FW_CFG_DATA, 1);
    }
}

static bool parse_ms(const char *v, int64_t *out, bool never_ok)
{
    char *end;
    long long n;

    if (never_ok && !strcmp(v, "never")) {
        *out = -1;
        return true;
    }
    errno = 0;
    n = strtoll(v, &end, 10);
    if (!*v || *end || errno || n < 0 || n > 3600 * 1000) {
        return false;
    }
    *out = n;
    return true;
}

static bool parse_bool(const char *v, uint8_t *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true")) {
        *out = 1;
    } else if (!strcmp(v, "off") || !strcmp(v, "no") ||
               !strcmp(v, "false")) {
        *out = 0;
    } else {
        return false;
    }
    return true;
}

static bool parse_ipv4(const char *v, uint32_t *out)
{
    unsigned a, b, c, d;
    char tail;

    if (sscanf(v, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 ||
        a > 255 || b > 255 || c > 255 || d > 255) {
        return false;
    }
    *out = a << 24 | b << 16 | c << 8 | d;
    return true;
}

/* One knob: false with an error naming it and saying what it takes. */
static bool knob_set(GuestKnobs *k, const char *name, const char *v,
                     GError **errp)
{
    const char *want;
    int64_t ms;

    if (!strcmp(name, "eject-delay-ms")) {
        want = "milliseconds or 'never'";
        if (parse_ms(v, &k->eject_delay_ms, true)) {
            return true;
        }
    } else if (!strcmp(name, "link-up-delay-ms")) {
        want = "milliseconds";
        if (parse_ms(v, &k->link_up_delay_ms, false)) {
            return true;
        }
    } else if (!strcmp(name, "ping-interval-ms")) {
        want = "milliseconds (0: no traffic)";
        if (parse_ms(v, &ms, false)) {
            k->ping_interval_ms = ms;
            return true;
        }
    } else if (!strcmp(name, "reboot-after-ms")) {
        want = "milliseconds (0: never)";
        if (parse_ms(v, &k->reboot_after_ms, false)) {
            return true;
        }
    } else if (!strcmp(name, "ping-target")) {
        want = "an IPv4 address";
        if (parse_ipv4(v, &k->ping_target)) {
            return true;
        }
    } else if (!strcmp(name, "standby-aware")) {
        want = "on or off";
        if (parse_bool(v, &k->standby_aware)) {
            return true;
        }
    } else if (!strcmp(name, "hotplug")) {
        want = "on or off";
        if (parse_bool(v, &k->hotplug)) {
            return true;
        }
    } else {
        error_setg(errp, "fw_cfg file '" KNOB_PREFIX "%s': unknown knob "
                   "(eject-delay-ms, link-up-delay-ms, ping-interval-ms, "
                   "ping-target, standby-aware, hotplug, reboot-after-ms)", name);
        return false;
    }
    error_setg(errp, "fw_cfg file '" KNOB_PREFIX "%s': invalid value '%s' "
               "(expected %s)", name, v, want);
    return false;
}

static void knobs_default(GuestKnobs *k)
{
    memset(k, 0, sizeof(*k));
    k->eject_delay_ms = 0;
    k->link_up_delay_ms = 0;
    k->ping_interval_ms = 20;
    k->ping_target = 10u << 24 | 2 << 8 | 2;    /* slirp's gateway */
    k->standby_aware = 1;
    k->hotplug = 1;
}

bool guest_knobs_read(GuestKnobs *k, GError **errp)
{
    uint8_t sig[4];
    uint32_t count;

    knobs_default(k);
    fwcfg_select(FW_CFG_SIG);
    fwcfg_read(sig, 4);
    if (memcmp(sig, "QEMU", 4)) {
        return true;            /* no fw_cfg: the defaults */
    }
    fwcfg_select(FW_CFG_DIR);
    fwcfg_read(&count, 4);
    count = MIN(GUINT32_FROM_BE(count), 4096);
    /* The whole directory first: the data port only reads forward. */
    g_autofree uint8_t *dir = g_malloc0(count * 64 + 1);
    fwcfg_read(dir, count * 64);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *ent = dir + i * 64;
        char name[57], value[KNOB_MAX + 1];
        uint32_t size;
        uint16_t select;

        memcpy(&size, ent, 4);
        memcpy(&select, ent + 4, 2);
        size = GUINT32_FROM_BE(size);
        select = GUINT16_FROM_BE(select);
        memcpy(name, ent + 8, 56);
        name[56] = 0;
        if (!g_str_has_prefix(name, KNOB_PREFIX)) {
            continue;
        }
        if (size > KNOB_MAX) {
            error_setg(errp, "fw_cfg file '%s': value too long", name);
            return false;
        }
        fwcfg_select(select);
        fwcfg_read(value, size);
        value[size] = 0;
        g_strstrip(value);
        if (!knob_set(k, name + strlen(KNOB_PREFIX), value, errp)) {
            return false;
        }
    }
    return true;
}
