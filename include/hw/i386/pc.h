/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the two PC machines (pc-q35-8.1 and pc-i440fx-8.1) share: the PC
 * machine options libvirt sets, and fw_cfg with the RAM size and e820.
 */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "hw/boards.h"

/* The PC machine options; stored for qom-get, except acpi on pc. */
typedef struct PCMachineState {
    MachineState parent_obj;
    OnOffAuto vmport;           /* no VMware backdoor port is emulated */
    OnOffAuto smm;              /* there is no CPU to enter SMM */
    OnOffAuto acpi;             /* pc: off removes PIIX4_PM */
    bool hpet;                  /* no HPET is emulated */
} PCMachineState;

#define PC_MACHINE(obj) ((PCMachineState *)(obj))

void pc_machine_instance_init(Object *obj);
/* vmport, smm, acpi, hpet on a machine class whose state is a PCMachineState. */
void pc_machine_class_add_options(ObjectClass *oc);
/* fw_cfg at 0x510: RAM size and a one-entry e820 table. */
bool pc_machine_fw_cfg_init(MachineState *ms, GError **errp);

#endif
