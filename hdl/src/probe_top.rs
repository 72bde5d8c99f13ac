//! A synthesis harness for the 5A-75B until the real board top (RGMII, PLL, CDC) lands: one
//! port's [`IngressPort`] (parser, CAM, TM table, hash selector, decision, delivery plan,
//! frame ring, frame editor) kept whole in synthesis so the build reports its true area and
//! Fmax. Not a working network device.
//!
//! Clocked by PHY0's 125 MHz RX clock; the byte input is the two PHYs' RX nibbles side by
//! side (SDR), `rx_valid`/`rx_last` their RX_CTL pins. Everything the control plane would
//! set (group MAC, FIG. 9 table, TM up mask, configuration-bus writes) comes from a shift
//! register fed by one pin, and every output is folded, in two register stages, into one
//! XOR bit on the LED.
use crate::ingress_port::IngressPort;
use rust_hdl::prelude::*;

/// Width of the configuration shift register: group MAC 48, actions 32, TM up 16,
/// 4 flags, configuration bus 1 + 16 + 32.
const SR_BITS: usize = 149;

#[derive(LogicBlock)]
pub struct ProbeTop {
    pub rgmii0_rxc: Signal<In, Clock>,
    pub rgmii0_rxd: Signal<In, Bits<4>>,
    pub rgmii0_rx_ctl: Signal<In, Bit>,
    pub rgmii1_rxd: Signal<In, Bits<4>>,
    pub rgmii1_rx_ctl: Signal<In, Bit>,
    pub button: Signal<In, Bit>,
    pub led: Signal<Out, Bit>,
    port: IngressPort<5, 12>,
    rx_valid: DFF<Bit>,
    rx_last: DFF<Bit>,
    rx_data: DFF<Bits<8>>,
    sr: DFF<Bits<SR_BITS>>,
    g: [DFF<Bit>; 3],
    fold: DFF<Bit>,
    rst_sync: DFF<Bits<2>>,
}

impl ProbeTop {
    /// With the tables of a configuration baked in (configuration-bus writes; empty: none).
    pub fn new(poly: u32, writes: &crate::table_image::BusWrites) -> Self {
        Self {
            rgmii0_rxc: Default::default(),
            rgmii0_rxd: Default::default(),
            rgmii0_rx_ctl: Default::default(),
            rgmii1_rxd: Default::default(),
            rgmii1_rx_ctl: Default::default(),
            button: Default::default(),
            led: Default::default(),
            port: IngressPort::with_tables(poly, writes),
            rx_valid: Default::default(),
            rx_last: Default::default(),
            rx_data: Default::default(),
            sr: Default::default(),
            g: Default::default(),
            fold: Default::default(),
            rst_sync: Default::default(),
        }
    }
}

impl Logic for ProbeTop {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, rgmii0_rxc, rx_valid, rx_last, rx_data, sr, fold, rst_sync);
        for k in 0..3 {
            self.g[k].clock.next = self.rgmii0_rxc.val();
        }
        self.port.clock.next = self.rgmii0_rxc.val();
        // the button is active low; reset while pressed, synchronised
        self.rst_sync.d.next = self.rst_sync.q.val() << 1;
        if !self.button.val() {
            self.rst_sync.d.next = (self.rst_sync.q.val() << 1) | bits::<2>(1);
        }
        self.port.reset.next = self.rst_sync.q.val().get_bit(1);
        self.rx_valid.d.next = self.rgmii0_rx_ctl.val();
        self.rx_last.d.next = self.rgmii1_rx_ctl.val();
        self.rx_data.d.next = (bit_cast::<8, 4>(self.rgmii1_rxd.val()) << 4)
            | bit_cast::<8, 4>(self.rgmii0_rxd.val());
        self.port.rx_valid.next = self.rx_valid.q.val();
        self.port.rx_last.next = self.rx_last.q.val();
        self.port.rx_data.next = self.rx_data.q.val();

        self.sr.d.next = self.sr.q.val() << 1;
        if self.rgmii0_rxd.val().get_bit(3) {
            self.sr.d.next = (self.sr.q.val() << 1) | bits::<SR_BITS>(1);
        }
        self.port.group_mac.next = self.sr.q.val().get_bits::<48>(0);
        self.port.actions.next = self.sr.q.val().get_bits::<32>(48);
        self.port.tm_up.next = self.sr.q.val().get_bits::<16>(80);
        self.port.trunk_port.next = self.sr.q.val().get_bit(96);
        self.port.ingress.next = self.sr.q.val().get_bit(97);
        self.port.hash_use_port.next = self.sr.q.val().get_bit(98);
        self.port.hash_use_vlan.next = self.sr.q.val().get_bit(99);
        self.port.cfg_we.next = self.sr.q.val().get_bit(100);
        self.port.cfg_addr.next = self.sr.q.val().get_bits::<16>(101);
        self.port.cfg_data.next = self.sr.q.val().get_bits::<32>(117);

        self.g[0].d.next =
            self.port.out_valid.val() ^ self.port.out_last.val() ^ self.port.drop_overrun.val();
        self.g[1].d.next = self.port.out_data.val().xor();
        self.g[2].d.next = self.port.out_port.val();
        self.fold.d.next = self.g[0].q.val() ^ self.g[1].q.val() ^ self.g[2].q.val();
        self.led.next = self.fold.q.val();
    }
}
