/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parts of the q35 and pc machines that are the same. */
#include "qapi/error.h"
#include "hw/i386/pc.h"
#include "hw/nvram/fw_cfg.h"
#include "system/system.h"

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

/* -boot: what SeaBIOS and OVMF read (values checked on the command line). */
static void pc_fw_cfg_boot_files(FWCfgState *fw_cfg)
{
    uint32_t *fail_wait = g_new(uint32_t, 1);

    if (boot_config.has_splash_time) {
        uint16_t *menu_wait = g_new(uint16_t, 1);

        *menu_wait = GUINT16_TO_LE(boot_config.splash_time);
        fw_cfg_add_file(fw_cfg, "etc/boot-menu-wait", menu_wait, 2);
    }
    /* -1 (the default) means never reboot after a failed boot. */
    *fail_wait = GUINT32_TO_LE(boot_config.has_reboot_timeout ?
                               (uint32_t)boot_config.reboot_timeout :
                               UINT32_MAX);
    fw_cfg_add_file(fw_cfg, "etc/boot-fail-wait", fail_wait, 4);
}

bool pc_machine_fw_cfg_init(MachineState *ms, GError **errp)
{
    FWCfgState *fw_cfg = fw_cfg_init_io(FW_CFG_IO_BASE, errp);
    uint8_t *e820;

    if (!fw_cfg) {
        return false;
    }
    fw_cfg_add_i64(fw_cfg, FW_CFG_RAM_SIZE, ms->ram_size);
    fw_cfg_add_bytes(fw_cfg, FW_CFG_UUID, g_memdup2(qemu_uuid, 16), 16);
    fw_cfg_add_i16(fw_cfg, FW_CFG_NOGRAPHIC, !ms->graphics);
    fw_cfg_add_i16(fw_cfg, FW_CFG_NB_CPUS, ms->smp.cpus);
    fw_cfg_add_i16(fw_cfg, FW_CFG_MAX_CPUS, ms->smp.max_cpus);
    /* No NUMA nodes: the count 0, then a node per CPU (all 0). */
    fw_cfg_add_bytes(fw_cfg, FW_CFG_NUMA,
                     g_malloc0((1 + ms->smp.max_cpus) * 8),
                     (1 + ms->smp.max_cpus) * 8);
    fw_cfg_add_i16(fw_cfg, FW_CFG_BOOT_MENU, boot_config.menu);
    pc_fw_cfg_boot_files(fw_cfg);
    /* One e820 entry: RAM from 0 (address, length, type 1). */
    e820 = g_malloc0(20);
    *(uint64_t *)(e820 + 8) = GUINT64_TO_LE(ms->ram_size);
    *(uint32_t *)(e820 + 16) = GUINT32_TO_LE(1);
    fw_cfg_add_file(fw_cfg, "etc/e820", e820, 20);
    return true;
}
