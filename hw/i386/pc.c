/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parts of the q35 and pc machines that are the same. */
#include "qapi/error.h"
#include "hw/i386/pc.h"
#include "hw/nvram/fw_cfg.h"

void pc_machine_instance_init(Object *obj)
{
    PCMachineState *pcms = PC_MACHINE(obj);

    pcms->vmport = ON_OFF_AUTO_AUTO;
    pcms->smm = ON_OFF_AUTO_AUTO;
    pcms->acpi = ON_OFF_AUTO_AUTO;
    pcms->hpet = true;
}

void pc_machine_class_add_options(ObjectClass *oc)
{
    machine_class_add_on_off_auto(oc, "vmport",
                                  offsetof(PCMachineState, vmport));
    machine_class_add_on_off_auto(oc, "smm", offsetof(PCMachineState, smm));
    machine_class_add_on_off_auto(oc, "acpi",
                                  offsetof(PCMachineState, acpi));
    machine_class_add_bool(oc, "hpet", offsetof(PCMachineState, hpet));
}

bool pc_machine_fw_cfg_init(MachineState *ms, GError **errp)
{
    FWCfgState *fw_cfg = fw_cfg_init_io(FW_CFG_IO_BASE, errp);
    uint8_t *e820;

    if (!fw_cfg) {
        return false;
    }
    fw_cfg_add_i64(fw_cfg, FW_CFG_RAM_SIZE, ms->ram_size);
    /* One e820 entry: RAM from 0 (address, length, type 1). */
    e820 = g_malloc0(20);
    *(uint64_t *)(e820 + 8) = GUINT64_TO_LE(ms->ram_size);
    *(uint32_t *)(e820 + 16) = GUINT32_TO_LE(1);
    fw_cfg_add_file(fw_cfg, "etc/e820", e820, 20);
    return true;
}
