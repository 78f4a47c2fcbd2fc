/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libqos fw_cfg: select with a 16-bit write, stream bytes from data. */
#include "fw_cfg.h"

#define FW_CFG_CTL 0x510
#define FW_CFG_DATA 0x511

void qfw_cfg_read_data(QTestState *qts, uint16_t key, void *buf, size_t len)
{
    uint8_t *p = buf;

    qtest_outw(qts, FW_CFG_CTL, key);
    for (size_t i = 0; i < len; i++) {
        p[i] = qtest_inb(qts, FW_CFG_DATA);
    }
}

uint16_t qfw_cfg_get_u16(QTestState *qts, uint16_t key)
{
    uint16_t v;

    qfw_cfg_read_data(qts, key, &v, sizeof(v));
    return GUINT16_FROM_LE(v);
}

uint32_t qfw_cfg_get_u32(QTestState *qts, uint16_t key)
{
    uint32_t v;

    qfw_cfg_read_data(qts, key, &v, sizeof(v));
    return GUINT32_FROM_LE(v);
}

uint64_t qfw_cfg_get_u64(QTestState *qts, uint16_t key)
{
    uint64_t v;

    qfw_cfg_read_data(qts, key, &v, sizeof(v));
    return GUINT64_FROM_LE(v);
}

size_t qfw_cfg_find_file(QTestState *qts, const char *name, uint16_t *key)
{
    uint32_t count;

    qtest_outw(qts, FW_CFG_CTL, FW_CFG_FILE_DIR);
    count = 0;
    for (int i = 0; i < 4; i++) {
        count = (count << 8) | qtest_inb(qts, FW_CFG_DATA);
    }
    for (uint32_t n = 0; n < count; n++) {
        uint8_t ent[64];

        for (int i = 0; i < 64; i++) {
            ent[i] = qtest_inb(qts, FW_CFG_DATA);
        }
        if (!strncmp((char *)ent + 8, name, 56)) {
            if (key) {
                *key = (ent[4] << 8) | ent[5];
            }
            return ((uint32_t)ent[0] << 24) | (ent[1] << 16) |
                   (ent[2] << 8) | ent[3];
        }
    }
    return 0;
}

uint64_t pc_fw_cfg_ram_size(QTestState *qts)
{
    return qfw_cfg_get_u64(qts, FW_CFG_RAM_SIZE);
}
