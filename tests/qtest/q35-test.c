/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * q35-test: the q35 machine as a guest driver enumerates it -- the
 * built-in functions, configuration access through 0xcf8/0xcfc and
 * MMCONFIG, fw_cfg, a root port's registers after reset, query-pci of the
 * built-in devices, and config writes of any width at any offset.
 */
#include "libqtest.h"
#include "libqos/pci.h"
#include "libqos/fw_cfg.h"
#include "libqos/malloc.h"

static QTestState *start(const char *extra)
{
    return qtest_initf("-M q35 -nodefaults %s", extra ? extra : "");
}

typedef struct Builtin {
    int devfn;
    uint16_t vendor, device, class;
    uint8_t prog, rev, header;
    uint8_t pin;
} Builtin;

static const Builtin builtins[] = {
    { QPCI_DEVFN(0, 0), 0x8086, 0x29c0, 0x0600, 0, 0, 0x00, 0 },
    { QPCI_DEVFN(0x1f, 0), 0x8086, 0x2918, 0x0601, 0, 2, 0x80, 0 },
    { QPCI_DEVFN(0x1f, 2), 0x8086, 0x2922, 0x0106, 1, 2, 0x80, 1 },
    { QPCI_DEVFN(0x1f, 3), 0x8086, 0x2930, 0x0c05, 0, 2, 0x80, 1 },
};

static void test_enumeration(void)
{
    QTestState *qts = start(NULL);
    QPCIBus *bus = qpci_new_pc(qts);
    int found = 0;

    for (int devfn = 0; devfn < 256; devfn++) {
        QPCIDevice d = qpci_device_at(bus, devfn);
        const Builtin *b = NULL;

        for (size_t i = 0; i < G_N_ELEMENTS(builtins); i++) {
            if (builtins[i].devfn == devfn) {
                b = &builtins[i];
            }
        }
        if (!b) {
            /* Nothing else on bus 0, at any width. */
            g_assert_cmphex(qpci_config_readw(&d, 0), ==, 0xffff);
            continue;
        }
        found++;
        g_assert_cmphex(qpci_config_readw(&d, 0x00), ==, b->vendor);
        g_assert_cmphex(qpci_config_readw(&d, 0x02), ==, b->device);
        g_assert_cmphex(qpci_config_readw(&d, 0x0a), ==, b->class);
        g_assert_cmphex(qpci_config_readb(&d, 0x09), ==, b->prog);
        g_assert_cmphex(qpci_config_readb(&d, 0x08), ==, b->rev);
        g_assert_cmphex(qpci_config_readb(&d, 0x0e), ==, b->header);
        g_assert_cmphex(qpci_config_readb(&d, 0x3d), ==, b->pin);
        /* Type-0 functions report the QEMU subsystem. */
        g_assert_cmphex(qpci_config_readw(&d, 0x2c), ==, 0x1af4);
        g_assert_cmphex(qpci_config_readw(&d, 0x2e), ==, 0x1100);
    }
    g_assert_cmpint(found, ==, G_N_ELEMENTS(builtins));
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_builtin_bars_and_caps(void)
{
    QTestState *qts = start(NULL);
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice ahci = qpci_device_at(bus, QPCI_DEVFN(0x1f, 2));
    QPCIDevice smb = qpci_device_at(bus, QPCI_DEVFN(0x1f, 3));
    QPCIDevice mch = qpci_device_at(bus, 0);
    uint64_t size;

    /* AHCI: MSI at 0x80, then SATA at 0xa8. */
    g_assert_cmphex(qpci_config_readw(&ahci, 0x06) & 0x10, ==, 0x10);
    g_assert_cmphex(qpci_config_readb(&ahci, 0x34), ==, 0x80);
    g_assert_cmphex(qpci_config_readb(&ahci, 0x80), ==, 0x05);
    g_assert_cmphex(qpci_config_readb(&ahci, 0x81), ==, 0xa8);
    g_assert_cmphex(qpci_config_readb(&ahci, 0xa8), ==, 0x12);
    g_assert_cmphex(qpci_config_readb(&ahci, 0xa9), ==, 0x00);
    qpci_iomap(&ahci, 4, &size);
    g_assert_cmpint(size, ==, 32);
    qpci_iomap(&ahci, 5, &size);
    g_assert_cmpint(size, ==, 4096);
    qpci_iomap(&smb, 4, &size);
    g_assert_cmpint(size, ==, 64);
    /* No capabilities on the MCH. */
    g_assert_cmphex(qpci_config_readw(&mch, 0x06) & 0x10, ==, 0);
    g_assert_cmphex(qpci_config_readl(&mch, 0x10), ==, 0);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_config_port_semantics(void)
{
    QTestState *qts = start(NULL);

    /* Unaligned offsets ride in the latch; data always at 0xcfc. */
    qtest_outl(qts, 0xcf8, 0x80000002);
    g_assert_cmphex(qtest_inw(qts, 0xcfc), ==, 0x29c0);
    qtest_outl(qts, 0xcf8, 0x80000000);
    g_assert_cmphex(qtest_inw(qts, 0xcfe), ==, 0x29c0);
    g_assert_cmphex(qtest_inb(qts, 0xcfd), ==, 0x80);
    /* Byte and word writes to 0xcf8 do not latch. */
    qtest_outb(qts, 0xcf8, 0x08);
    qtest_outw(qts, 0xcf8, 0x1234);
    g_assert_cmphex(qtest_inl(qts, 0xcf8), ==, 0x80000000);
    /* Without the enable bit, data reads all-ones. */
    qtest_outl(qts, 0xcf8, 0x00000000);
    g_assert_cmphex(qtest_inl(qts, 0xcfc), ==, 0xffffffff);
    /* A missing function reads all-ones at the access width. */
    qtest_outl(qts, 0xcf8, 0x80000800);
    g_assert_cmphex(qtest_inw(qts, 0xcfc), ==, 0xffff);
    g_assert_cmphex(qtest_inb(qts, 0xcfc), ==, 0xff);
    qtest_quit(qts);
}

static void test_mmconfig(void)
{
    QTestState *qts = start("-device pcie-root-port,id=root0,chassis=1,"
                            "slot=1,addr=0x1");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice mch = qpci_device_at(bus, 0);
    uint64_t base = 0xb0000000;

    /* PCIEXBAR resets to 0xb0000000, disabled: nothing decodes there. */
    g_assert_cmphex(qpci_config_readl(&mch, 0x60), ==, 0xb0000000);
    g_assert_cmphex(qpci_config_readl(&mch, 0x64), ==, 0);
    g_assert_cmphex(qtest_readl(qts, base), ==, 0);
    qpci_config_writel(&mch, 0x60, 0xb0000001);
    g_assert_cmphex(qtest_readl(qts, base), ==, 0x29c08086);
    /* Root port 00:01.0: AER v2 at 0x100, next 0x148 (ACS). */
    g_assert_cmphex(qtest_readl(qts, base + (1 << 15)), ==, 0x000c1b36);
    g_assert_cmphex(qtest_readl(qts, base + (1 << 15) + 0x100), ==,
                    0x14820001);
    g_assert_cmphex(qtest_readl(qts, base + (1 << 15) + 0x148) & 0xffff,
                    ==, 0x000d);
    /* The MCH is conventional PCI: no extended space. */
    g_assert_cmphex(qtest_readl(qts, base + 0x100), ==, 0xffffffff);
    /* Writes through ECAM land in config space. */
    qtest_writew(qts, base + (1 << 15) + 0x04, 0x0002);
    g_assert_cmphex(qpci_config_readw(&(QPCIDevice){ bus, 8 }, 0x04), ==,
                    0x0002);
    /* Disabled again: gone. */
    qpci_config_writel(&mch, 0x60, 0xb0000000);
    g_assert_cmphex(qtest_readl(qts, base), ==, 0);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_fw_cfg(void)
{
    QTestState *qts = start("-m 256M");
    char sig[5] = { 0 };
    uint8_t raw[8];
    QGuestAllocator alloc;
    uint64_t a, b;

    qfw_cfg_read_data(qts, FW_CFG_SIGNATURE, sig, 4);
    g_assert_cmpstr(sig, ==, "QEMU");
    g_assert_cmphex(qfw_cfg_get_u32(qts, FW_CFG_ID), ==, 3);
    g_assert_cmpuint(pc_fw_cfg_ram_size(qts), ==, 256 << 20);
    g_assert_cmpuint(qfw_cfg_get_u16(qts, FW_CFG_NB_CPUS), ==, 1);
    /* Reads past the end of an item return 0. */
    qtest_outw(qts, 0x510, FW_CFG_RAM_SIZE);
    for (int i = 0; i < 8; i++) {
        raw[i] = qtest_inb(qts, 0x511);
    }
    g_assert_cmphex(raw[3], ==, 0x10);
    g_assert_cmphex(qtest_inb(qts, 0x511), ==, 0);
    /* DMA register reads back the signature "QEMU CFG". */
    g_assert_cmphex(qtest_inl(qts, 0x514), ==, 0x554d4551);
    g_assert_cmphex(qtest_inl(qts, 0x518), ==, 0x47464320);
    g_assert_cmpuint(qfw_cfg_find_file(qts, "etc/e820", NULL), ==, 20);
    g_assert_cmpuint(qfw_cfg_find_file(qts, "no/such/file", NULL), ==, 0);

    /* The guest allocator sizes itself from fw_cfg. */
    pc_alloc_init(&alloc, qts);
    g_assert_cmphex(alloc.start, ==, 1 << 20);
    g_assert_cmphex(alloc.end, ==, 256 << 20);
    a = guest_alloc(&alloc, 100);
    b = guest_alloc(&alloc, 5000);
    g_assert_cmphex(a, ==, 1 << 20);
    g_assert_cmphex(b, ==, (1 << 20) + 4096);
    guest_free(&alloc, a);
    g_assert_cmphex(guest_alloc(&alloc, 4096), ==, a);
    alloc_destroy(&alloc);
    qtest_quit(qts);
}

static void test_root_port_reset_state(void)
{
    QTestState *qts = start("-device pcie-root-port,id=root0,chassis=1,"
                            "slot=5,addr=0x1 "
                            "-device pcie-root-port,id=root1,chassis=1,"
                            "slot=6,addr=0x2 "
                            "-device pci-testdev,bus=root1");
    QPCIBus *bus = qpci_new_pc(qts);
    QPCIDevice rp = qpci_device_at(bus, QPCI_DEVFN(1, 0));
    QPCIDevice rp1 = qpci_device_at(bus, QPCI_DEVFN(2, 0));

    g_assert_cmphex(qpci_config_readl(&rp, 0x00), ==, 0x000c1b36);
    g_assert_cmphex(qpci_config_readw(&rp, 0x04), ==, 0x0000);
    g_assert_cmphex(qpci_config_readw(&rp, 0x06), ==, 0x0010);
    g_assert_cmphex(qpci_config_readl(&rp, 0x08), ==, 0x06040000);
    g_assert_cmphex(qpci_config_readb(&rp, 0x0e), ==, 0x01);
    g_assert_cmphex(qpci_config_readl(&rp, 0x10), ==, 0);
    g_assert_cmphex(qpci_config_readl(&rp, 0x14), ==, 0);
    g_assert_cmphex(qpci_config_readl(&rp, 0x18), ==, 0);
    g_assert_cmphex(qpci_config_readw(&rp, 0x1c), ==, 0x00f0);
    g_assert_cmphex(qpci_config_readl(&rp, 0x20), ==, 0x0000fff0);
    g_assert_cmphex(qpci_config_readl(&rp, 0x24), ==, 0x0001fff1);
    g_assert_cmphex(qpci_config_readb(&rp, 0x34), ==, 0x54);
    g_assert_cmphex(qpci_config_readw(&rp, 0x3c), ==, 0x0100);
    /* Capability walk: 0x54 PCIe -> 0x48 MSI-X -> 0x40 SSVID -> end. */
    g_assert_cmphex(qpci_config_readw(&rp, 0x54), ==, 0x4810);
    g_assert_cmphex(qpci_config_readw(&rp, 0x48), ==, 0x4011);
    g_assert_cmphex(qpci_config_readw(&rp, 0x40), ==, 0x000d);
    g_assert_cmphex(qpci_config_readl(&rp, 0x44), ==, 0x00001b36);
    g_assert_cmphex(qpci_config_readw(&rp, 0x4a), ==, 0x0000);
    g_assert_cmphex(qpci_config_readl(&rp, 0x4c), ==, 0x00000000);
    g_assert_cmphex(qpci_config_readl(&rp, 0x50), ==, 0x00000800);
    g_assert_cmphex(qpci_config_readw(&rp, 0x56), ==, 0x0142);
    g_assert_cmphex(qpci_config_readl(&rp, 0x58), ==, 0x00008000);
    g_assert_cmphex(qpci_config_readl(&rp, 0x60), ==, 0x00300604);
    g_assert_cmphex(qpci_config_readw(&rp, 0x66), ==, 0x0011);
    g_assert_cmphex(qpci_config_readl(&rp, 0x68), ==, 0x0002007b | 5 << 19);
    g_assert_cmphex(qpci_config_readw(&rp, 0x6c), ==, 0x07c0);  /* empty */
    g_assert_cmphex(qpci_config_readw(&rp1, 0x6c), ==, 0x03c0); /* populated */
    g_assert_cmphex(qpci_config_readl(&rp, 0x78), ==, 0x00300020);
    g_assert_cmphex(qpci_config_readl(&rp, 0x80), ==, 0x1e);
    g_assert_cmphex(qpci_config_readw(&rp, 0x84), ==, 0x4);
    /* ACPI manages the ports by default: no presence shown. */
    g_assert_cmphex(qpci_config_readw(&rp1, 0x6e) & 0x40, ==, 0);
    /* The libqos sizing write of the memory window reads 0xfff0fff0. */
    qpci_config_writel(&rp, 0x20, 0xffffffff);
    g_assert_cmphex(qpci_config_readl(&rp, 0x20), ==, 0xfff0fff0);
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void test_config_fuzz(void)
{
    QTestState *qts = start("-device pcie-root-port,id=root0,chassis=1,"
                            "slot=1,addr=0x1 "
                            "-device pci-testdev,bus=root0");
    QPCIBus *bus = qpci_new_pc(qts);
    const int devfns[] = { 0, QPCI_DEVFN(1, 0), QPCI_DEVFN(0x1f, 0),
                           QPCI_DEVFN(0x1f, 2), QPCI_DEVFN(0x1f, 3) };
    uint32_t pattern = 0x5aa5c33c;

    /* Every width at every offset of every built-in function. */
    for (size_t i = 0; i < G_N_ELEMENTS(devfns); i++) {
        QPCIDevice d = qpci_device_at(bus, devfns[i]);

        for (int off = 0x04; off < 0x100; off++) {
            if (off >= 0x60 && off < 0x68 && devfns[i] == 0) {
                continue;   /* PCIEXBAR: would move MMCONFIG over RAM */
            }
            qpci_config_writeb(&d, off, pattern >> (off % 4 * 8));
            qpci_config_writew(&d, off, pattern >> (off % 2 * 8));
            qpci_config_writel(&d, off, pattern ^ off);
            pattern = pattern * 1103515245 + 12345;
        }
        /* Identity registers are read-only. */
        g_assert_cmphex(qpci_config_readw(&d, 0x00), !=, 0xffff);
    }
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    /* The reset runs from the main loop after the reply; RESET says done. */
    qtest_qmp_eventwait(qts, "RESET");
    /* The machine still enumerates the same. */
    for (size_t i = 0; i < G_N_ELEMENTS(builtins); i++) {
        QPCIDevice d = qpci_device_at(bus, builtins[i].devfn);
        g_assert_cmphex(qpci_config_readw(&d, 2), ==, builtins[i].device);
    }
    qtest_qmp_assert_success(qts, "{'execute': 'query-pci'}");
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static JsonObject *find_dev(JsonArray *devs, int slot, int fn)
{
    for (guint i = 0; i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);

        if (json_object_get_int_member(d, "slot") == slot &&
            json_object_get_int_member(d, "function") == fn) {
            return d;
        }
    }
    return NULL;
}

static void test_query_pci_builtin(void)
{
    QTestState *qts = start(NULL);
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-pci'}");
    JsonArray *buses = json_node_get_array(ret);
    JsonObject *bus0, *d, *cls, *id;
    JsonArray *devs, *regions;

    g_assert_cmpint(json_array_get_length(buses), ==, 1);
    bus0 = json_array_get_object_element(buses, 0);
    g_assert_cmpint(json_object_get_int_member(bus0, "bus"), ==, 0);
    devs = json_object_get_array_member(bus0, "devices");
    g_assert_cmpint(json_array_get_length(devs), ==, 4);

    d = find_dev(devs, 0, 0);
    cls = json_object_get_object_member(d, "class_info");
    g_assert_cmpint(json_object_get_int_member(cls, "class"), ==, 1536);
    g_assert_cmpstr(json_object_get_string_member(cls, "desc"), ==,
                    "Host bridge");
    g_assert_cmpstr(json_object_get_string_member(d, "qdev_id"), ==, "");
    g_assert_false(json_object_has_member(d, "irq"));
    g_assert_cmpint(json_object_get_int_member(d, "irq_pin"), ==, 0);
    id = json_object_get_object_member(d, "id");
    g_assert_cmpint(json_object_get_int_member(id, "vendor"), ==, 0x8086);
    g_assert_cmpint(json_object_get_int_member(id, "subsystem-vendor"), ==,
                    0x1af4);

    d = find_dev(devs, 0x1f, 2);
    cls = json_object_get_object_member(d, "class_info");
    g_assert_cmpstr(json_object_get_string_member(cls, "desc"), ==,
                    "SATA controller");
    g_assert_cmpint(json_object_get_int_member(d, "irq_pin"), ==, 1);
    g_assert_true(json_object_has_member(d, "irq"));
    regions = json_object_get_array_member(d, "regions");
    g_assert_cmpint(json_array_get_length(regions), ==, 2);
    d = json_array_get_object_element(regions, 0);
    g_assert_cmpint(json_object_get_int_member(d, "bar"), ==, 4);
    g_assert_cmpstr(json_object_get_string_member(d, "type"), ==, "io");
    g_assert_cmpint(json_object_get_int_member(d, "address"), ==, -1);
    g_assert_cmpint(json_object_get_int_member(d, "size"), ==, 32);
    g_assert_false(json_object_has_member(d, "prefetch"));
    d = json_array_get_object_element(regions, 1);
    g_assert_cmpstr(json_object_get_string_member(d, "type"), ==, "memory");
    g_assert_false(json_object_get_boolean_member(d, "prefetch"));
    g_assert_false(json_object_get_boolean_member(d, "mem_type_64"));

    d = find_dev(devs, 0x1f, 3);
    cls = json_object_get_object_member(d, "class_info");
    g_assert_cmpint(json_object_get_int_member(cls, "class"), ==, 3077);
    g_assert_cmpstr(json_object_get_string_member(cls, "desc"), ==, "SMBus");
    d = find_dev(devs, 0x1f, 0);
    cls = json_object_get_object_member(d, "class_info");
    g_assert_cmpstr(json_object_get_string_member(cls, "desc"), ==,
                    "ISA bridge");
    qtest_quit(qts);
}

static void test_qom_properties(void)
{
    QTestState *qts = start("-device pcie-root-port,id=root0,chassis=3,"
                            "slot=7,addr=0x4");
    g_autoptr(JsonNode) chassis = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-get', 'arguments': "
        "{'path': '/machine/peripheral/root0', "
        "'property': 'chassis'}}");
    g_autoptr(JsonNode) addr = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-get', 'arguments': "
        "{'path': '/machine/peripheral/root0', "
        "'property': 'addr'}}");
    g_autoptr(JsonNode) parent = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-get', 'arguments': "
        "{'path': '/machine/peripheral/root0', "
        "'property': 'parent_bus'}}");

    g_assert_cmpint(json_node_get_int(chassis), ==, 3);
    g_assert_cmpint(json_node_get_int(addr), ==, 0x20);
    g_assert_cmpstr(json_node_get_string(parent), ==, "/machine/q35/pcie.0");
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/q35/enumeration", test_enumeration);
    qtest_add_func("/q35/builtin-bars-caps", test_builtin_bars_and_caps);
    qtest_add_func("/q35/config-ports", test_config_port_semantics);
    qtest_add_func("/q35/mmconfig", test_mmconfig);
    qtest_add_func("/q35/fw_cfg", test_fw_cfg);
    qtest_add_func("/q35/root-port-reset-state", test_root_port_reset_state);
    qtest_add_func("/q35/config-fuzz", test_config_fuzz);
    qtest_add_func("/q35/query-pci-builtin", test_query_pci_builtin);
    qtest_add_func("/q35/qom-properties", test_qom_properties);
    return g_test_run();
}
