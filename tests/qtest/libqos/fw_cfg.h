/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libqos fw_cfg: the traditional I/O interface at 0x510/0x511. */
#ifndef LIBQOS_FW_CFG_H
#define LIBQOS_FW_CFG_H

#include "libqtest.h"

#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID 0x01
#define FW_CFG_RAM_SIZE 0x03
#define FW_CFG_NB_CPUS 0x05
#define FW_CFG_FILE_DIR 0x19

void qfw_cfg_read_data(QTestState *qts, uint16_t key, void *buf, size_t len);
uint16_t qfw_cfg_get_u16(QTestState *qts, uint16_t key);
uint32_t qfw_cfg_get_u32(QTestState *qts, uint16_t key);
uint64_t qfw_cfg_get_u64(QTestState *qts, uint16_t key);
/* Size of file `name` from the directory; 0 if absent. *key gets its key. */
size_t qfw_cfg_find_file(QTestState *qts, const char *name, uint16_t *key);
/* RAM size the way libqos learns it (key 0x03). */
uint64_t pc_fw_cfg_ram_size(QTestState *qts);

#endif
