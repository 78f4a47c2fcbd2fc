/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_cfg: the firmware configuration interface.  A selector port picks an
 * item by key; the data port streams its bytes.  x86 puts the selector at
 * 0x510 (16-bit), data at 0x511 and the DMA address at 0x514.
 */
#ifndef HW_NVRAM_FW_CFG_H
#define HW_NVRAM_FW_CFG_H

#include "hw/qdev-core.h"
#include "exec/memory.h"
#include "qemu/option.h"

#define TYPE_FW_CFG_IO "fw_cfg_io"

#define FW_CFG_SIGNATURE        0x00
#define FW_CFG_ID               0x01
#define FW_CFG_UUID             0x02
#define FW_CFG_RAM_SIZE         0x03
#define FW_CFG_NOGRAPHIC        0x04
#define FW_CFG_NB_CPUS          0x05
#define FW_CFG_MACHINE_ID       0x06
#define FW_CFG_NUMA             0x0d
#define FW_CFG_BOOT_MENU        0x0e
#define FW_CFG_MAX_CPUS         0x0f
#define FW_CFG_FILE_DIR         0x19
#define FW_CFG_FILE_FIRST       0x20
#define FW_CFG_MAX_ENTRY        0x4000

#define FW_CFG_IO_BASE          0x510
#define FW_CFG_DMA_SIGNATURE    0x51454d5520434647ULL   /* "QEMU CFG" */

typedef struct FWCfgEntry {
    uint8_t *data;
    uint32_t len;
} FWCfgEntry;

typedef struct FWCfgState {
    DeviceState parent_obj;
    FWCfgEntry entries[FW_CFG_MAX_ENTRY];
    uint16_t cur_entry;
    uint32_t cur_offset;
    uint16_t file_count;
    uint8_t *dir;               /* big-endian file directory */
    uint64_t dma_addr;
    MemoryRegion ctl_io;
    MemoryRegion data_io;
    MemoryRegion dma_io;
} FWCfgState;

#define FW_CFG(obj) OBJECT_CHECK(FWCfgState, (obj), TYPE_FW_CFG_IO)

/* Create /machine/fw_cfg on the system I/O space at iobase. */
FWCfgState *fw_cfg_init_io(uint16_t iobase, GError **errp);
/* data is owned by fw_cfg from now on. */
void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, void *data, size_t len);
void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value);
void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value);
void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value);
void fw_cfg_add_file(FWCfgState *s, const char *filename, void *data,
                     size_t len);
/*
 * -fw_cfg name=NAME,string=TEXT | name=NAME,file=PATH: a file in the
 * board's fw_cfg, with QEMU's checks and error texts.
 */
bool fw_cfg_add_from_opts(QemuOpts *opts, GError **errp);

#endif
