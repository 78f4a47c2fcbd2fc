/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/system.h"

int main(int argc, char **argv)
{
    qemu_init(argc, argv);
    int status = qemu_main_loop();
    qemu_cleanup();
    return status;
}
