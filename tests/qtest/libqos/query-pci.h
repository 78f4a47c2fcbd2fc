/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What management sees of PCI: query-pci searched for a device id. */
#ifndef LIBQOS_QUERY_PCI_H
#define LIBQOS_QUERY_PCI_H

#include "../libqtest.h"

/* Does query-pci list a device with this qdev_id, behind bridges too? */
bool qpci_query_has(QTestState *qts, const char *id);

#endif
