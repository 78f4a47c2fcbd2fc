/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI Express capability and native hotplug of a downstream port's slot.
 *
 * The slot interrupt is asserted while Hot-Plug Interrupt Enable is set and
 * an event bit in Slot Status has its enable bit set in Slot Control; it is
 * delivered through MSI-X vector 0, else MSI, else INTx.
 */
#include "qapi/error.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pci_bridge.h"
#include "qemu/timer.h"

/* Event bits 0..4 of SltSta line up with enable bits 0..4 of SltCtl. */
#define SLT_EVENTS (PCI_EXP_SLTSTA_ABP | PCI_EXP_SLTSTA_PFD | \
                    PCI_EXP_SLTSTA_MRLSC | PCI_EXP_SLTSTA_PDC | \
                    PCI_EXP_SLTSTA_CC)
#define LNKCAP_DLLLARC 0x00100000

static uint8_t *exp_cap(PCIDevice *dev)
{
    return dev->config + dev->exp.exp_cap;
}

int pcie_cap_init(PCIDevice *dev, uint8_t offset, uint8_t type, uint8_t port,
                  GError **errp)
{
    int pos = pci_add_capability(dev, PCI_CAP_ID_EXP, offset,
                                 PCI_EXP_VER2_SIZEOF, errp);
    uint8_t *c, *wm;

    if (pos < 0) {
        return pos;
    }
    dev->exp.exp_cap = pos;
    c = dev->config + pos;
    wm = dev->wmask + pos;
    pci_set_word(c + PCI_EXP_FLAGS, 2 | (type << 4));
    pci_set_long(c + PCI_EXP_DEVCAP, 0x00008000);       /* RBER */
    pci_set_long(c + PCI_EXP_LNKCAP, ((uint32_t)port << 24) | 0x11);
    pci_set_word(c + PCI_EXP_LNKSTA, 0x0011);           /* 2.5 GT/s x1 */
    if (type == PCI_EXP_TYPE_ROOT_PORT) {
        pci_set_long(c + PCI_EXP_LNKCAP,
                     pci_get_long(c + PCI_EXP_LNKCAP) | LNKCAP_DLLLARC);
    }
    pci_set_word(wm + PCI_EXP_DEVCTL, 0x7cff);
    pci_set_word(dev->w1cmask + pos + PCI_EXP_DEVSTA, 0x000f);
    pci_set_word(wm + PCI_EXP_LNKCTL, 0x0fc3);
    pci_set_word(dev->w1cmask + pos + PCI_EXP_LNKSTA, 0xc000);
    /* Version 2 registers */
    pci_set_long(c + PCI_EXP_DEVCAP2, 0x00300000);
    pci_set_word(wm + PCI_EXP_DEVCTL2, 0x041f);
    pci_set_word(wm + PCI_EXP_LNKCTL2, 0x003f);
    return pos;
}

void pcie_cap_lnkcap_set(PCIDevice *dev, uint8_t speed, uint8_t width)
{
    uint8_t *c = exp_cap(dev);
    uint32_t lnkcap = pci_get_long(c + PCI_EXP_LNKCAP) & ~0x3ffu;

    /* ASPM L0s, link bandwidth notification */
    lnkcap |= speed | (width << 4) | 0x400 | 0x00200000;
    pci_set_long(c + PCI_EXP_LNKCAP, lnkcap);
    pci_set_long(c + PCI_EXP_LNKCAP2, ((1u << speed) - 1) << 1);
    pci_set_word(c + PCI_EXP_LNKCTL2, speed);
}

void pcie_cap_arifwd_init(PCIDevice *dev)
{
    uint8_t *c = exp_cap(dev);

    pci_set_long(c + PCI_EXP_DEVCAP2,
                 pci_get_long(c + PCI_EXP_DEVCAP2) | 0x20);
}

void pcie_aer_init(PCIDevice *dev, uint16_t offset)
{
    pcie_add_capability(dev, PCI_EXT_CAP_ID_ERR, 2, offset, PCI_ERR_SIZEOF);
    dev->exp.aer_cap = offset;
    /* Default severities and masks of the AER registers. */
    pci_set_long(dev->config + offset + PCI_ERR_UNCOR_SEVER, 0x00462030);
    pci_set_long(dev->config + offset + PCI_ERR_COR_MASK, 0x00002000);
    pci_set_long(dev->wmask + offset + PCI_ERR_UNCOR_MASK, 0x03fff010);
    pci_set_long(dev->wmask + offset + PCI_ERR_UNCOR_SEVER, 0x03fff010);
    pci_set_long(dev->w1cmask + offset + 4, 0x03fff010);
    pci_set_long(dev->wmask + offset + PCI_ERR_COR_MASK, 0x0000f1c1);
    pci_set_long(dev->w1cmask + offset + 0x10, 0x0000f1c1);
}

void pcie_acs_init(PCIDevice *dev, uint16_t offset)
{
    /* Source validation, translation blocking, P2P redirects, upstream
     * forwarding: what a downstream port offers. */
    pcie_add_capability(dev, PCI_EXT_CAP_ID_ACS, 1, offset, PCI_ACS_SIZEOF);
    pci_set_word(dev->config + offset + 4, 0x001f);
    pci_set_word(dev->wmask + offset + 6, 0x001f);
}

/* ---- Slot --------------------------------------------------------------- */

static PCIBus *slot_bus(PCIDevice *port)
{
    return pci_bridge_get_sec_bus(PCI_BRIDGE(port));
}

void pcie_cap_slot_init(PCIDevice *dev, uint16_t slot_nr,
                        bool power_controller)
{
    uint8_t *c = exp_cap(dev);
    int pos = dev->exp.exp_cap;
    uint32_t sltcap = PCI_EXP_SLTCAP_ABP | PCI_EXP_SLTCAP_AIP |
                      PCI_EXP_SLTCAP_PIP | PCI_EXP_SLTCAP_HPS |
                      PCI_EXP_SLTCAP_HPC | PCI_EXP_SLTCAP_EIP;
    uint16_t wmask = PCI_EXP_SLTCTL_ABPE | PCI_EXP_SLTCTL_PDCE |
                     PCI_EXP_SLTCTL_CCIE | PCI_EXP_SLTCTL_HPIE |
                     PCI_EXP_SLTCTL_AIC | PCI_EXP_SLTCTL_PIC |
                     PCI_EXP_SLTCTL_EIC | PCI_EXP_SLTCTL_DLLSCE;

    if (power_controller) {
        sltcap |= PCI_EXP_SLTCAP_PCP;
        wmask |= PCI_EXP_SLTCTL_PCC;
    }
    sltcap |= (uint32_t)slot_nr << PCI_EXP_SLTCAP_PSN_SHIFT;
    pci_set_word(c + PCI_EXP_FLAGS,
                 pci_get_word(c + PCI_EXP_FLAGS) | PCI_EXP_FLAGS_SLOT);
    pci_set_long(c + PCI_EXP_SLTCAP, sltcap);
    pci_set_word(c + PCI_EXP_SLTCTL,
                 PCI_EXP_SLTCTL_PIC_OFF | PCI_EXP_SLTCTL_AIC_OFF);
    pci_set_word(dev->wmask + pos + PCI_EXP_SLTCTL, wmask);
    pci_set_word(dev->w1cmask + pos + PCI_EXP_SLTSTA,
                 SLT_EVENTS | PCI_EXP_SLTSTA_DLLSC);
}

static bool pcie_hp_irq_level(PCIDevice *dev)
{
    uint8_t *c = exp_cap(dev);
    uint16_t ctl = pci_get_word(c + PCI_EXP_SLTCTL);
    uint16_t sta = pci_get_word(c + PCI_EXP_SLTSTA);

    if (!(ctl & PCI_EXP_SLTCTL_HPIE)) {
        return false;
    }
    return (sta & ctl & SLT_EVENTS) ||
           ((sta & PCI_EXP_SLTSTA_DLLSC) && (ctl & PCI_EXP_SLTCTL_DLLSCE));
}

/*
 * Deliver the slot interrupt on a change of its level.  Message interrupts
 * are edge-like: only the rising edge sends one.
 */
void pcie_cap_slot_update_irq(PCIDevice *dev)
{
    bool level = pcie_hp_irq_level(dev);

    if (level == dev->exp.hpev_notified) {
        return;
    }
    dev->exp.hpev_notified = level;
    if (msix_enabled(dev)) {
        if (level) {
            msix_notify(dev, 0);
        }
    } else if (msi_enabled(dev)) {
        if (level) {
            msi_notify(dev, 0);
        }
    } else if (pci_intx(dev) >= 0) {
        pci_set_irq(dev, level);
    }
}

static void pcie_cap_slot_event(PCIDevice *dev, uint16_t events)
{
    uint8_t *c = exp_cap(dev);
    uint16_t sta = pci_get_word(c + PCI_EXP_SLTSTA);

    if ((sta & events) == events) {
        return;
    }
    pci_set_word(c + PCI_EXP_SLTSTA, sta | events);
    pcie_cap_slot_update_irq(dev);
}

static bool sltctl_powered_off(uint16_t ctl)
{
    return (ctl & PCI_EXP_SLTCTL_PCC) &&
           (ctl & PCI_EXP_SLTCTL_PIC) == PCI_EXP_SLTCTL_PIC_OFF;
}

void pcie_cap_update_power(PCIDevice *dev)
{
    uint8_t *c = exp_cap(dev);
    PCIBus *bus = slot_bus(dev);
    bool power = true;

    if (pci_get_long(c + PCI_EXP_SLTCAP) & PCI_EXP_SLTCAP_PCP) {
        power = !(pci_get_word(c + PCI_EXP_SLTCTL) & PCI_EXP_SLTCTL_PCC);
    }
    for (int devfn = 0; devfn < PCI_SLOT_MAX * PCI_FUNC_MAX; devfn++) {
        if (bus->devices[devfn]) {
            pci_set_power(bus->devices[devfn], power);
        }
    }
}

void pcie_cap_slot_enable_power(PCIDevice *dev)
{
    uint8_t *c = exp_cap(dev);

    pci_set_word(c + PCI_EXP_SLTCTL,
                 pci_get_word(c + PCI_EXP_SLTCTL) & ~PCI_EXP_SLTCTL_PCC);
    pcie_cap_update_power(dev);
}

void pcie_cap_slot_set_presence(PCIDevice *dev, bool present)
{
    uint8_t *c = exp_cap(dev);
    uint16_t sta = pci_get_word(c + PCI_EXP_SLTSTA);
    uint16_t lnk = pci_get_word(c + PCI_EXP_LNKSTA);

    if (present) {
        sta |= PCI_EXP_SLTSTA_PDS;
        lnk |= PCI_EXP_LNKSTA_DLLLA;
    } else {
        sta &= ~PCI_EXP_SLTSTA_PDS;
        lnk &= ~PCI_EXP_LNKSTA_DLLLA;
    }
    pci_set_word(c + PCI_EXP_SLTSTA, sta);
    pci_set_word(c + PCI_EXP_LNKSTA, lnk);
}

void pcie_cap_slot_reset(PCIDevice *dev)
{
    uint8_t *c = exp_cap(dev);
    uint16_t ctl = pci_get_word(c + PCI_EXP_SLTCTL);
    uint16_t sta = pci_get_word(c + PCI_EXP_SLTSTA);
    bool populated = slot_bus(dev)->devices[0] != NULL;

    ctl &= ~(PCI_EXP_SLTCTL_ABPE | PCI_EXP_SLTCTL_PFDE |
             PCI_EXP_SLTCTL_MRLSCE | PCI_EXP_SLTCTL_PDCE |
             PCI_EXP_SLTCTL_CCIE | PCI_EXP_SLTCTL_HPIE |
             PCI_EXP_SLTCTL_DLLSCE | PCI_EXP_SLTCTL_PCC);
    ctl |= PCI_EXP_SLTCTL_PIC_OFF | PCI_EXP_SLTCTL_AIC_OFF;
    if ((pci_get_long(c + PCI_EXP_SLTCAP) & PCI_EXP_SLTCAP_PCP) &&
        !populated) {
        /* An empty slot starts powered off; a populated one powered on. */
        ctl |= PCI_EXP_SLTCTL_PCC;
    }
    sta &= ~(SLT_EVENTS | PCI_EXP_SLTSTA_EIS | PCI_EXP_SLTSTA_DLLSC);
    pci_set_word(c + PCI_EXP_SLTCTL, ctl);
    pci_set_word(c + PCI_EXP_SLTSTA, sta);
    dev->exp.hpev_notified = false;
    pcie_cap_update_power(dev);
}

/* The guest powered the slot off: detach what is below. */
static void pcie_cap_slot_do_unplug(PCIDevice *dev)
{
    PCIBus *bus = slot_bus(dev);
    uint8_t *c = exp_cap(dev);

    for (int devfn = 0; devfn < PCI_SLOT_MAX * PCI_FUNC_MAX; devfn++) {
        PCIDevice *d = bus->devices[devfn];

        if (d) {
            pci_device_guest_eject(d);
        }
    }
    /*
     * An eject may hand a failover primary straight back (a migration
     * cancelled while the guest was deciding): then the slot is occupied
     * again and says so, next to the Presence Detect Changed it reports.
     */
    pcie_cap_slot_set_presence(dev, bus->devices[0] &&
                               !pci_device_is_ejected(bus->devices[0]));
    pci_set_word(c + PCI_EXP_SLTSTA,
                 pci_get_word(c + PCI_EXP_SLTSTA) | PCI_EXP_SLTSTA_PDC);
}

void pcie_cap_slot_write_config(PCIDevice *dev, uint16_t old_sltctl,
                                uint32_t addr, uint32_t val, int len)
{
    uint32_t pos = dev->exp.exp_cap;
    uint8_t *c = exp_cap(dev);
    uint16_t ctl, sta;

    if (!pos) {
        return;
    }
    if (!(addr < pos + PCI_EXP_SLTCTL + 2 &&
          addr + len > pos + PCI_EXP_SLTCTL)) {
        if (addr < pos + PCI_EXP_SLTSTA + 2 &&
            addr + len > pos + PCI_EXP_SLTSTA) {
            pcie_cap_slot_update_irq(dev);
        }
        return;
    }
    ctl = pci_get_word(c + PCI_EXP_SLTCTL);
    sta = pci_get_word(c + PCI_EXP_SLTSTA);
    if (ctl & PCI_EXP_SLTCTL_EIC) {
        /* Interlock control is a toggle: flip the status, keep 0 here. */
        sta ^= PCI_EXP_SLTSTA_EIS;
        ctl &= ~PCI_EXP_SLTCTL_EIC;
        pci_set_word(c + PCI_EXP_SLTCTL, ctl);
        pci_set_word(c + PCI_EXP_SLTSTA, sta);
    }
    /*
     * Detach only on the transition to "off": guests rewrite the control
     * register of slots that are already off.
     */
    if ((sta & PCI_EXP_SLTSTA_PDS) && sltctl_powered_off(ctl) &&
        !sltctl_powered_off(old_sltctl)) {
        pcie_cap_slot_do_unplug(dev);
    }
    pcie_cap_update_power(dev);
    pcie_cap_slot_update_irq(dev);
    /* Every command completes at once. */
    pcie_cap_slot_event(dev, PCI_EXP_SLTSTA_CC);
}

/* ---- Hotplug handler methods -------------------------------------------- */

static bool slot_hotplug_capable(PCIDevice *port)
{
    return pci_get_long(exp_cap(port) + PCI_EXP_SLTCAP) & PCI_EXP_SLTCAP_HPC;
}

void pcie_cap_slot_pre_plug_cb(PCIDevice *port, DeviceState *dev,
                               GError **errp)
{
    if (dev->hotplugged && !slot_hotplug_capable(port)) {
        error_setg(errp, "Hot-plug failed: unsupported by the port device "
                   "'%s'", DEVICE(port)->id ? DEVICE(port)->id : "");
    }
}

void pcie_cap_slot_plug_cb(PCIDevice *port, DeviceState *dev, GError **errp)
{
    PCIDevice *d = PCI_DEVICE(dev);

    if (!dev->hotplugged) {
        /* Present at boot: no event. */
        pcie_cap_slot_set_presence(port, true);
        return;
    }
    pcie_cap_update_power(port);
    /* A multifunction slot is announced when its function 0 arrives. */
    if (PCI_FUNC(d->devfn) == 0) {
        pcie_cap_slot_set_presence(port, true);
        pcie_cap_slot_event(port, PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_ABP);
    }
}

void pcie_cap_slot_unplug_request_cb(PCIDevice *port, DeviceState *dev,
                                     GError **errp)
{
    PCIDevice *d = PCI_DEVICE(dev);
    uint8_t *c = exp_cap(port);
    uint16_t ctl = pci_get_word(c + PCI_EXP_SLTCTL);
    PCIBus *bus = slot_bus(port);

    if (!slot_hotplug_capable(port)) {
        error_setg(errp, "Hot-unplug failed: unsupported by the port device "
                   "'%s'", DEVICE(port)->id ? DEVICE(port)->id : "");
        return;
    }
    if ((ctl & PCI_EXP_SLTCTL_PIC) == PCI_EXP_SLTCTL_PIC_BLINK) {
        error_setg(errp, "Hot-unplug failed: guest is busy (power indicator "
                   "blinking)");
        return;
    }
    dev->pending_deleted_event = true;
    dev->pending_deleted_expires_ms =
        qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + 5000;
    /* A function the guest never saw (no function 0) goes at once. */
    if (PCI_FUNC(d->devfn) && !bus->devices[0]) {
        pci_device_guest_eject(d);
        return;
    }
    if (sltctl_powered_off(ctl)) {
        /* Powered off: nothing to ask the guest. */
        pcie_cap_slot_do_unplug(port);
        pcie_cap_slot_update_irq(port);
        return;
    }
    pcie_cap_slot_event(port, PCI_EXP_SLTSTA_ABP);
}

void pcie_cap_slot_unplug_cb(PCIDevice *port, DeviceState *dev,
                             GError **errp)
{
    /* Completion goes through pci_device_guest_eject(). */
}
