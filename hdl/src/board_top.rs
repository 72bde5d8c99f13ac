//! The Colorlight 5A-75B top: both gigabit ports as a bump-in-the-wire distributor.
//!
//! ```text
//!  clk25 ─ EHXPLLL ─ 125 MHz core clock ─────────────────────────────┐
//!  rgmii0_rxc ─┐                                                      │
//!  rgmii0_rxd/rx_ctl ─ DELAYG ─ IDDRX1F ─┐                            │
//!                                         SwitchCore (rx0, rx1 in the PHYs' clocks,
//!  rgmii1_* likewise ────────────────────┘  crossing into the core clock)
//!  rgmii0_txd/tx_ctl ─ ODDRX1F (core clock); rgmii0_txc ─ ODDRX1F(1, 0) ─ DELAYG
//! ```
//!
//! - Receive: RXD/RX_CTL are delayed 2.0 ns (80 `DELAYG` taps) in the FPGA and sampled on
//!   both edges of the PHY's RXC, so the design does not depend on the PHY's RX-delay strap
//!   (the same choice LiteEth makes on this board). RX_CTL's rising-edge sample is RX_DV, its
//!   falling-edge sample RX_DV xor RX_ER.
//! - Transmit: from the core clock; TXC is the core clock through an `ODDRX1F` (1 on the
//!   rising, 0 on the falling edge) delayed 2.0 ns, so data change ~2 ns before each TXC
//!   edge as RGMII 2.0 wants without relying on the PHY's TX-delay strap.
//! - PHY reset: `phy_rst_n` is held high. On v8.x boards the 25 MHz clock comes from PHY1,
//!   so holding the PHYs in reset would stop the clock the PLL (and this logic) runs on; the
//!   PHYs leave their own power-on reset before the FPGA is configured.
//! - MDIO (`mdc`, `mdio`, shared by both PHYs): [`MDIO_WAIT_CYCLES`] after reset, every PHY
//!   address 0..31 is told to advertise 1000BASE-T full duplex only and to restart
//!   auto-negotiation ([`PHY_ADVERTISE`], registers 4, 9, 0 of IEEE 802.3 clause 22, the
//!   same on the RTL8211FD of v8.x and the B50612D of v7.0). The MACs run at 1000 Mb/s only,
//!   so a 10/100-only partner must get no link rather than a link that carries nothing.
//!   Writes only: MDIO is driven push-pull (a PHY drives it only when read).
//! - Reset: the core is held in reset until 128 cycles after the PLL locks and while the
//!   button is pressed (the counters zero themselves during reset, one per cycle).
//! - LED (active low, open drain): on while the PLL is locked, blinking off for ~34 ms after
//!   frames go out.
//! - The configuration (group MAC, FIG. 9 table, TMs up, trunk port, hash options, and every
//!   table through the configuration-bus image) is fixed at build time (R14): a flashed board
//!   distributes with no host attached.
use crate::ecp5_io::{CorePll, DdrIn, DdrOut};
use crate::mdio_writer::{frame, MdioWriter};
use crate::switch_core::SwitchCore;
use rust_hdl::prelude::*;

/// 2.0 ns in `DELAYG` taps of ~25 ps.
pub const RGMII_DELAY_TAPS: u32 = 80;

/// The PHY register writes at start-up, in order (register, value; clause 22): advertise no
/// 10/100 abilities and no pause (4: selector 802.3 only), 1000BASE-T full duplex only
/// (9: bit 9), then auto-negotiation on and restarted (0: bits 12 and 9, with the 1000 Mb/s
/// full-duplex bits 6 and 8 as a forced mode would have them).
pub const PHY_ADVERTISE: [(u8, u16); 3] = [(4, 0x0001), (9, 0x0200), (0, 0x1340)];

/// Core cycles from reset to the first MDIO write (2^24: 134 ms, well past the PHYs' own
/// start-up).
pub const MDIO_WAIT_CYCLES: u32 = 1 << 24;

/// The MDIO frames the board sends ([`frame`] words): [`PHY_ADVERTISE`] to each PHY address.
pub fn phy_writes() -> Vec<u32> {
    (0..32u8)
        .flat_map(|phy| PHY_ADVERTISE.iter().map(move |&(r, v)| frame(phy, r, v)))
        .collect()
}

/// What the board's configuration sets besides the tables.
#[derive(Clone, Debug, Default)]
pub struct BoardSettings {
    pub group_mac: u64,
    pub actions: u32,
    pub tm_up: u16,
    pub trunk_port: bool,
    pub hash_use_port: bool,
    pub hash_use_vlan: bool,
    /// The tables as configuration-bus writes, baked into the block RAMs.
    pub writes: Vec<(u16, u32)>,
    /// Connection table (R9): lookups, learning, timeout in epochs, core cycles per epoch.
    pub conn_enable: bool,
    pub conn_learn: bool,
    pub conn_timeout: u8,
    pub epoch_cycles: u32,
    /// MAC learning table (R7): lookups and learning, timeout in epochs, core cycles per
    /// epoch.
    pub mac_enable: bool,
    pub mac_timeout: u8,
    pub mac_epoch_cycles: u32,
    /// Control requests (R10): management ports (bit p), management VLAN ids (at most
    /// [`MGMT_VLANS`]), peer distributors' MACs (at most [`PEERS`]).
    pub mgmt_ports: u8,
    pub mgmt_vlans: Vec<u16>,
    pub peers: Vec<u64>,
    /// Core cycles from reset to the PHYs' MDIO writes ([`MDIO_WAIT_CYCLES`] on a board).
    pub mdio_wait: u32,
}

/// Management VLANs the control port compares a request's tag with.
pub const MGMT_VLANS: usize = 4;
/// Peer distributors the control port knows.
pub const PEERS: usize = 2;

#[derive(LogicBlock)]
pub struct BoardTop {
    pub clk25: Signal<In, Clock>,
    pub button: Signal<In, Bit>,
    pub led: Signal<Out, Bit>,
    pub phy_rst_n: Signal<Out, Bit>,
    pub rgmii0_rxc: Signal<In, Clock>,
    pub rgmii0_rxd: Signal<In, Bits<4>>,
    pub rgmii0_rx_ctl: Signal<In, Bit>,
    pub rgmii0_txc: Signal<Out, Bit>,
    pub rgmii0_txd: Signal<Out, Bits<4>>,
    pub rgmii0_tx_ctl: Signal<Out, Bit>,
    pub rgmii1_rxc: Signal<In, Clock>,
    pub rgmii1_rxd: Signal<In, Bits<4>>,
    pub rgmii1_rx_ctl: Signal<In, Bit>,
    pub rgmii1_txc: Signal<Out, Bit>,
    pub rgmii1_txd: Signal<Out, Bits<4>>,
    pub rgmii1_tx_ctl: Signal<Out, Bit>,
    pub mdc: Signal<Out, Bit>,
    pub mdio: Signal<Out, Bit>,
    pll: CorePll,
    phy_cfg: MdioWriter<7, 5>,
    /// cycles since reset, up to `mdio_wait`
    mdio_t: DFF<Bits<25>>,
    mdio_wait: Constant<Bits<25>>,
    core: SwitchCore<12>,
    rx0: DdrIn<5>,
    rx1: DdrIn<5>,
    tx0: DdrOut<5>,
    tx1: DdrOut<5>,
    txc0: DdrOut<1>,
    txc1: DdrOut<1>,
    rst_sync: DFF<Bits<3>>,
    /// counts 128 cycles after the synchroniser lets go (the counters zero during reset)
    rst_hold: DFF<Bits<8>>,
    blink: DFF<Bits<22>>,
    led_q: DFF<Bit>,
    group_mac: Constant<Bits<48>>,
    actions: Constant<Bits<32>>,
    tm_up: Constant<Bits<16>>,
    trunk_port: Constant<Bit>,
    hash_use_port: Constant<Bit>,
    hash_use_vlan: Constant<Bit>,
    conn_enable: Constant<Bit>,
    conn_learn: Constant<Bit>,
    conn_timeout: Constant<Bits<8>>,
    epoch_cycles: Constant<Bits<32>>,
    mac_enable: Constant<Bit>,
    mac_timeout: Constant<Bits<8>>,
    mac_epoch_cycles: Constant<Bits<32>>,
    mgmt_ports: Constant<Bits<2>>,
    mgmt_vlans: Constant<Bits<48>>,
    peers: Constant<Bits<96>>,
}

impl BoardTop {
    pub fn new(hash_poly: u32, s: &BoardSettings) -> Self {
        Self {
            clk25: Default::default(),
            button: Default::default(),
            led: Default::default(),
            phy_rst_n: Default::default(),
            rgmii0_rxc: Default::default(),
            rgmii0_rxd: Default::default(),
            rgmii0_rx_ctl: Default::default(),
            rgmii0_txc: Default::default(),
            rgmii0_txd: Default::default(),
            rgmii0_tx_ctl: Default::default(),
            rgmii1_rxc: Default::default(),
            rgmii1_rxd: Default::default(),
            rgmii1_rx_ctl: Default::default(),
            rgmii1_txc: Default::default(),
            rgmii1_txd: Default::default(),
            rgmii1_tx_ctl: Default::default(),
            mdc: Default::default(),
            mdio: Default::default(),
            pll: Default::default(),
            phy_cfg: MdioWriter::new(&phy_writes()),
            mdio_t: Default::default(),
            mdio_wait: Constant::new(bits::<25>(s.mdio_wait as u64)),
            core: SwitchCore::new(hash_poly, &s.writes),
            rx0: DdrIn::new(RGMII_DELAY_TAPS),
            rx1: DdrIn::new(RGMII_DELAY_TAPS),
            tx0: DdrOut::new(0),
            tx1: DdrOut::new(0),
            txc0: DdrOut::new(RGMII_DELAY_TAPS),
            txc1: DdrOut::new(RGMII_DELAY_TAPS),
            rst_sync: Default::default(),
            rst_hold: Default::default(),
            blink: Default::default(),
            led_q: Default::default(),
            group_mac: Constant::new(bits::<48>(s.group_mac & 0xFFFF_FFFF_FFFF)),
            actions: Constant::new(bits::<32>(s.actions as u64)),
            tm_up: Constant::new(bits::<16>(s.tm_up as u64)),
            trunk_port: Constant::new(s.trunk_port),
            hash_use_port: Constant::new(s.hash_use_port),
            hash_use_vlan: Constant::new(s.hash_use_vlan),
            conn_enable: Constant::new(s.conn_enable),
            conn_learn: Constant::new(s.conn_learn),
            conn_timeout: Constant::new(bits(s.conn_timeout as u64)),
            epoch_cycles: Constant::new(bits(s.epoch_cycles as u64)),
            mac_enable: Constant::new(s.mac_enable),
            mac_timeout: Constant::new(bits(s.mac_timeout as u64)),
            mac_epoch_cycles: Constant::new(bits(s.mac_epoch_cycles as u64)),
            mgmt_ports: Constant::new(bits::<2>(s.mgmt_ports as u64 & 3)),
            mgmt_vlans: Constant::new(bits::<48>(
                s.mgmt_vlans
                    .iter()
                    .take(MGMT_VLANS)
                    .enumerate()
                    .fold(0u64, |v, (i, &x)| v | u64::from(x & 0xFFF) << (12 * i)),
            )),
            peers: Constant::new(s.peers.iter().take(PEERS).enumerate().fold(
                Bits::<96>::default(),
                |v, (i, &m)| {
                    v | (bit_cast::<96, 48>(bits::<48>(m & 0xFFFF_FFFF_FFFF))
                        << bits::<96>(48 * i as u64))
                },
            )),
        }
    }
}

impl Logic for BoardTop {
    #[hdl_gen]
    fn update(&mut self) {
        self.pll.clk25.next = self.clk25.val();
        self.rst_sync.clock.next = self.pll.clk125.val();
        self.blink.clock.next = self.pll.clk125.val();
        self.led_q.clock.next = self.pll.clk125.val();
        self.blink.d.next = self.blink.q.val();
        // core reset: until the PLL locks, and while the button (active low) is pressed
        self.rst_sync.d.next = self.rst_sync.q.val() << 1;
        if !self.pll.locked.val() | !self.button.val() {
            self.rst_sync.d.next = (self.rst_sync.q.val() << 1) | bits::<3>(1);
        }
        self.core.clock.next = self.pll.clk125.val();
        self.rst_hold.clock.next = self.pll.clk125.val();
        self.rst_hold.d.next = self.rst_hold.q.val();
        if !self.rst_hold.q.val().get_bit(7) {
            self.rst_hold.d.next = self.rst_hold.q.val() + 1;
        }
        if self.rst_sync.q.val().get_bit(2) {
            self.rst_hold.d.next = bits::<8>(0);
        }
        self.core.reset.next = !self.rst_hold.q.val().get_bit(7);
        // receive: {RX_CTL, RXD} on both edges of each PHY's clock
        self.rx0.clock.next = self.rgmii0_rxc.val();
        self.rx0.pins.next = (bit_cast::<5, 1>(self.rgmii0_rx_ctl.val().into()) << 4)
            | bit_cast::<5, 4>(self.rgmii0_rxd.val());
        self.core.rx0_clock.next = self.rgmii0_rxc.val();
        self.core.rx0_dv.next = self.rx0.rise.val().get_bit(4);
        self.core.rx0_er.next = self.rx0.rise.val().get_bit(4) ^ self.rx0.fall.val().get_bit(4);
        self.core.rx0_d.next = (bit_cast::<8, 4>(self.rx0.fall.val().get_bits::<4>(0)) << 4)
            | bit_cast::<8, 4>(self.rx0.rise.val().get_bits::<4>(0));
        self.rx1.clock.next = self.rgmii1_rxc.val();
        self.rx1.pins.next = (bit_cast::<5, 1>(self.rgmii1_rx_ctl.val().into()) << 4)
            | bit_cast::<5, 4>(self.rgmii1_rxd.val());
        self.core.rx1_clock.next = self.rgmii1_rxc.val();
        self.core.rx1_dv.next = self.rx1.rise.val().get_bit(4);
        self.core.rx1_er.next = self.rx1.rise.val().get_bit(4) ^ self.rx1.fall.val().get_bit(4);
        self.core.rx1_d.next = (bit_cast::<8, 4>(self.rx1.fall.val().get_bits::<4>(0)) << 4)
            | bit_cast::<8, 4>(self.rx1.rise.val().get_bits::<4>(0));
        // transmit: {TX_EN, TXD} low nibble while TXC is high, high nibble while low
        self.tx0.clock.next = self.pll.clk125.val();
        self.tx0.rise.next = (bit_cast::<5, 1>(self.core.tx0_en.val().into()) << 4)
            | bit_cast::<5, 4>(self.core.tx0_d.val().get_bits::<4>(0));
        self.tx0.fall.next = (bit_cast::<5, 1>(self.core.tx0_en.val().into()) << 4)
            | bit_cast::<5, 4>(self.core.tx0_d.val().get_bits::<4>(4));
        self.rgmii0_txd.next = self.tx0.pins.val().get_bits::<4>(0);
        self.rgmii0_tx_ctl.next = self.tx0.pins.val().get_bit(4);
        self.tx1.clock.next = self.pll.clk125.val();
        self.tx1.rise.next = (bit_cast::<5, 1>(self.core.tx1_en.val().into()) << 4)
            | bit_cast::<5, 4>(self.core.tx1_d.val().get_bits::<4>(0));
        self.tx1.fall.next = (bit_cast::<5, 1>(self.core.tx1_en.val().into()) << 4)
            | bit_cast::<5, 4>(self.core.tx1_d.val().get_bits::<4>(4));
        self.rgmii1_txd.next = self.tx1.pins.val().get_bits::<4>(0);
        self.rgmii1_tx_ctl.next = self.tx1.pins.val().get_bit(4);
        self.txc0.clock.next = self.pll.clk125.val();
        self.txc0.rise.next = bits::<1>(1);
        self.txc0.fall.next = bits::<1>(0);
        self.rgmii0_txc.next = self.txc0.pins.val().any();
        self.txc1.clock.next = self.pll.clk125.val();
        self.txc1.rise.next = bits::<1>(1);
        self.txc1.fall.next = bits::<1>(0);
        self.rgmii1_txc.next = self.txc1.pins.val().any();
        // the configuration fixed at build time
        self.core.group_mac.next = self.group_mac.val();
        self.core.actions.next = self.actions.val();
        self.core.tm_up.next = self.tm_up.val();
        self.core.trunk_port.next = self.trunk_port.val();
        self.core.hash_use_port.next = self.hash_use_port.val();
        self.core.hash_use_vlan.next = self.hash_use_vlan.val();
        self.core.conn_enable.next = self.conn_enable.val();
        self.core.conn_learn.next = self.conn_learn.val();
        self.core.conn_timeout.next = self.conn_timeout.val();
        self.core.epoch_cycles.next = self.epoch_cycles.val();
        self.core.mac_enable.next = self.mac_enable.val();
        self.core.mac_timeout.next = self.mac_timeout.val();
        self.core.mac_epoch_cycles.next = self.mac_epoch_cycles.val();
        self.core.mgmt_ports.next = self.mgmt_ports.val();
        self.core.mgmt_vlans.next = self.mgmt_vlans.val();
        self.core.peers.next = self.peers.val();
        // the control port stays out of the bitstream until it meets 125 MHz (SwitchCore)
        self.core.ctl_enable.next = false;
        // no control side yet (the control protocol will be one)
        self.core.ct_ctl_req.next = false;
        self.core.ct_ctl_op.next = bits::<2>(0);
        self.core.ct_ctl_key.next = bits::<120>(0);
        self.core.ct_ctl_tm.next = bits::<4>(0);
        self.core.ct_ctl_keep.next = false;
        self.core.mt_ctl_req.next = false;
        self.core.mt_ctl_op.next = bits::<2>(0);
        self.core.mt_ctl_key.next = bits::<60>(0);
        self.core.mt_ctl_port.next = false;
        self.core.cfg_we.next = false;
        self.core.cfg_addr.next = bits::<16>(0);
        self.core.cfg_data.next = bits::<32>(0);
        // no reader of the counters on the board yet (the control protocol will be one)
        self.core.ctr_rd.next = false;
        self.core.ctr_addr.next = bits::<7>(0);
        self.phy_rst_n.next = true;
        // MDIO: the PHYs' advertisement, once, `mdio_wait` cycles after reset
        self.mdio_t.clock.next = self.pll.clk125.val();
        self.phy_cfg.clock.next = self.pll.clk125.val();
        self.phy_cfg.reset.next = self.core.reset.val();
        self.mdio_t.d.next = self.mdio_t.q.val();
        if self.mdio_t.q.val() != self.mdio_wait.val() {
            self.mdio_t.d.next = self.mdio_t.q.val() + 1;
        }
        if self.core.reset.val() {
            self.mdio_t.d.next = bits::<25>(0);
        }
        self.phy_cfg.start.next = self.mdio_t.q.val() == self.mdio_wait.val();
        self.mdc.next = self.phy_cfg.mdc.val();
        self.mdio.next = self.phy_cfg.mdio.val();
        // LED: on (0) while locked, off for a while after frames go out
        if self.blink.q.val() != 0 {
            self.blink.d.next = self.blink.q.val() - 1;
        }
        if self.core.activity.val() {
            self.blink.d.next = bits::<22>(0x3F_FFFF);
        }
        self.led_q.d.next = !self.pll.locked.val() | (self.blink.q.val() != 0);
        self.led.next = self.led_q.q.val();
    }
}
