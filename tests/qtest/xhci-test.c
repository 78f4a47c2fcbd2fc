/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xhci-test: qemu-xhci as a guest enumerates it (IDs, class, BAR0,
 * capabilities) and as its driver finds the controller (xHCI capability
 * registers, halt/run/reset, empty root ports); with libvirt's options.
 */
#include <string.h>

#include "libqtest.h"
#include "libqos/pci.h"

#define XHCI_DEVFN QPCI_DEVFN(5, 0)
#define CFG_VENDOR 0x00
#define CFG_DEVICE 0x02
#define CFG_REVISION 0x08
#define CFG_BAR0 0x10
#define CFG_INT_PIN 0x3d
#define CFG_SBRN 0x60
#define CAP_ID_MSI 0x05
#define CAP_ID_EXP 0x10
#define CAP_ID_MSIX 0x11
#define CAP_HCSPARAMS1 0x04
#define CAP_HCCPARAMS1 0x10
#define CAP_DBOFF 0x14
#define CAP_RTSOFF 0x18
#define OP_USBCMD 0x40
#define OP_USBSTS 0x44
#define OP_PAGESIZE 0x48
#define OP_DCBAAP 0x70
#define PORTSC(n) (0x440 + 0x10 * (n))

static void test_enumerate(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults -device "
                                 "'{\"driver\":\"qemu-xhci\",\"p2\":15,"
                                 "\"p3\":15,\"id\":\"usb\","
                                 "\"bus\":\"pcie.0\",\"addr\":\"0x5\"}'");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice *dev = qpci_device_find(bus, XHCI_DEVFN);
    uint64_t size;
    QPCIBar bar;

    g_assert_nonnull(dev);
    g_assert_cmphex(qpci_config_readw(dev, CFG_VENDOR), ==, 0x1b36);
    g_assert_cmphex(qpci_config_readw(dev, CFG_DEVICE), ==, 0x000d);
    g_assert_cmphex(qpci_config_readb(dev, CFG_REVISION), ==, 0x01);
    g_assert_cmphex(qpci_config_readl(dev, CFG_REVISION) >> 8, ==,
                    0x0c0330);
    g_assert_cmphex(qpci_config_readb(dev, CFG_INT_PIN), ==, 1);
    g_assert_cmphex(qpci_config_readb(dev, CFG_SBRN), ==, 0x30);
    /* BAR0: 64-bit memory. */
    g_assert_cmphex(qpci_config_readl(dev, CFG_BAR0) & 0x7, ==,
                    0x4);
    g_assert_cmpuint(qpci_find_capability(dev, CAP_ID_MSIX, 0), ==, 0x90);
    g_assert_cmpuint(qpci_find_capability(dev, CAP_ID_MSI, 0), ==, 0x70);
    g_assert_cmpuint(qpci_find_capability(dev, CAP_ID_EXP, 0), ==, 0xa0);
    /* 16 MSI-X vectors, one per interrupter. */
    g_assert_cmphex(qpci_config_readw(dev, 0x90 + 2) & 0x7ff,
                    ==, 15);

    bar = qpci_iomap(dev, 0, &size);
    g_assert_cmphex(size, ==, 0x4000);
    qpci_device_enable(dev);
    g_assert_cmphex(qpci_io_readl(dev, bar, 0), ==, 0x01000040);
    g_assert_cmphex(qpci_io_readl(dev, bar, CAP_HCSPARAMS1), ==,
                    (30u << 24) | (16 << 8) | 64);
    g_assert_cmphex(qpci_io_readl(dev, bar, CAP_HCCPARAMS1) & 0xffff0001,
                    ==, 0x00080001);
    g_assert_cmphex(qpci_io_readl(dev, bar, CAP_DBOFF), ==, 0x2000);
    g_assert_cmphex(qpci_io_readl(dev, bar, CAP_RTSOFF), ==, 0x1000);
    g_assert_cmphex(qpci_io_readl(dev, bar, OP_PAGESIZE), ==, 1);
    g_assert_cmphex(qpci_io_readl(dev, bar, OP_USBSTS) & 1, ==, 1);
    /* Run: no longer halted; a driver's pointers read back. */
    qpci_io_writel(dev, bar, OP_DCBAAP, 0x12340000);
    qpci_io_writel(dev, bar, OP_USBCMD, 1);
    g_assert_cmphex(qpci_io_readl(dev, bar, OP_USBSTS) & 1, ==, 0);
    g_assert_cmphex(qpci_io_readl(dev, bar, OP_DCBAAP), ==, 0x12340000);
    /* Every root port: powered, nothing attached. */
    for (int i = 0; i < 30; i++) {
        g_assert_cmphex(qpci_io_readl(dev, bar, PORTSC(i)), ==, 0x2a0);
    }
    /* HCRST: halted again, registers cleared. */
    qpci_io_writel(dev, bar, OP_USBCMD, 2);
    g_assert_cmphex(qpci_io_readl(dev, bar, OP_USBCMD), ==, 0);
    g_assert_cmphex(qpci_io_readl(dev, bar, OP_USBSTS) & 1, ==, 1);
    g_assert_cmphex(qpci_io_readl(dev, bar, OP_DCBAAP), ==, 0);

    g_free(dev);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

/* What libvirt's probe and its start see. */
static void test_qmp(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults "
                                 "-device qemu-xhci,id=usb,addr=0x5");
    g_autoptr(JsonNode) props = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'device-list-properties', "
        "'arguments': {'typename': 'qemu-xhci'}}");
    JsonArray *a = json_node_get_array(props);
    g_autoptr(GString) names = g_string_new(NULL);
    QPCIBus *bus;
    QPCIDevice *dev;
    QPCIBar bar;

    for (guint i = 0; i < json_array_get_length(a); i++) {
        g_string_append_printf(names, "%s,", json_object_get_string_member(
                                   json_array_get_object_element(a, i),
                                   "name"));
    }
    for (const char *const *p = (const char *const[]) {
             "p2,", "p3,", "msi,", "msix,", "intrs,", "slots,", NULL };
         *p; p++) {
        g_assert_nonnull(strstr(names->str, *p));
    }
    qtest_quit(qts);

    /* Out-of-range sizes are clamped as QEMU clamps them. */
    qts = qtest_init("-M q35 -nodefaults -device qemu-xhci,addr=0x5,"
                     "p2=16,p3=2,intrs=5,slots=0");
    bus = qpci_new_pc(qts);
    dev = qpci_device_find(bus, XHCI_DEVFN);
    bar = qpci_iomap(dev, 0, NULL);
    qpci_device_enable(dev);
    g_assert_cmphex(qpci_io_readl(dev, bar, CAP_HCSPARAMS1), ==,
                    (17u << 24) | (8 << 8) | 1);
    g_assert_cmphex(qpci_config_readw(dev, 0x90 + 2) & 0x7ff, ==, 7);
    g_free(dev);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/xhci/enumerate", test_enumerate);
    qtest_add_func("/xhci/qmp", test_qmp);
    return g_test_run();
}
