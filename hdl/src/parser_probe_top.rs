//! A minimal board top for the 5A-75B that keeps the whole `HeaderParser` alive in synthesis,
//! so the build reports its true area and Fmax until the real board top (RGMII, PLL, CDC)
//! replaces it. Clocked by PHY0's 125 MHz RX clock; the parser's byte input is the two
//! PHYs' RX nibbles side by side (SDR), `rx_valid`/`rx_last` are their RX_CTL pins; every
//! parser output is folded into one registered XOR that drives the LED. Not a working
//! network device: a synthesis harness.
use crate::header_parser::HeaderParser;
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct ParserProbeTop {
    pub rgmii0_rxc: Signal<In, Clock>,
    pub rgmii0_rxd: Signal<In, Bits<4>>,
    pub rgmii0_rx_ctl: Signal<In, Bit>,
    pub rgmii1_rxd: Signal<In, Bits<4>>,
    pub rgmii1_rx_ctl: Signal<In, Bit>,
    pub button: Signal<In, Bit>,
    pub led: Signal<Out, Bit>,
    parser: HeaderParser,
    rx_valid: DFF<Bit>,
    rx_last: DFF<Bit>,
    rx_data: DFF<Bits<8>>,
    g: [DFF<Bit>; 13],
    fold: DFF<Bit>,
    rst_sync: DFF<Bits<2>>,
}

impl ParserProbeTop {
    pub fn new(poly: u32) -> Self {
        Self {
            rgmii0_rxc: Default::default(),
            rgmii0_rxd: Default::default(),
            rgmii0_rx_ctl: Default::default(),
            rgmii1_rxd: Default::default(),
            rgmii1_rx_ctl: Default::default(),
            button: Default::default(),
            led: Default::default(),
            parser: HeaderParser::new(poly),
            rx_valid: Default::default(),
            rx_last: Default::default(),
            rx_data: Default::default(),
            g: Default::default(),
            fold: Default::default(),
            rst_sync: Default::default(),
        }
    }
}

impl Logic for ParserProbeTop {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, rgmii0_rxc, rx_valid, rx_last, rx_data, fold, rst_sync);
        for k in 0..13 {
            self.g[k].clock.next = self.rgmii0_rxc.val();
        }
        self.parser.clock.next = self.rgmii0_rxc.val();
        // the button is active low; reset while pressed, synchronised
        self.rst_sync.d.next = self.rst_sync.q.val() << 1;
        if !self.button.val() {
            self.rst_sync.d.next = (self.rst_sync.q.val() << 1) | bits::<2>(1);
        }
        self.parser.reset.next = self.rst_sync.q.val().get_bit(1);
        self.rx_valid.d.next = self.rgmii0_rx_ctl.val();
        self.rx_last.d.next = self.rgmii1_rx_ctl.val();
        self.rx_data.d.next = (bit_cast::<8, 4>(self.rgmii1_rxd.val()) << 4)
            | bit_cast::<8, 4>(self.rgmii0_rxd.val());
        self.parser.rx_valid.next = self.rx_valid.q.val();
        self.parser.rx_last.next = self.rx_last.q.val();
        self.parser.rx_data.next = self.rx_data.q.val();
        self.parser.hash_use_port.next = self.rgmii0_rxd.val().get_bit(0);
        self.parser.hash_use_vlan.next = self.rgmii1_rxd.val().get_bit(0);
        self.g[0].d.next = self.parser.src_ip.val().xor();
        self.g[1].d.next = self.parser.dst_ip.val().xor();
        self.g[2].d.next = self.parser.hdr_valid.val()
            ^ self.parser.frame_len.val().xor()
            ^ self.parser.dst_mac.val().xor()
            ^ self.parser.src_mac.val().xor();
        self.g[3].d.next = self.parser.vlan_count.val().xor()
            ^ self.parser.tpid0.val().xor()
            ^ self.parser.vlan0.val().xor()
            ^ self.parser.tpid1.val().xor();
        self.g[4].d.next = self.parser.vlan1.val().xor()
            ^ self.parser.ethertype.val().xor()
            ^ self.parser.l3.val().xor()
            ^ self.parser.l3_off.val().xor();
        self.g[5].d.next = self.parser.ip_ver.val().xor()
            ^ self.parser.ip_ihl.val().xor()
            ^ self.parser.ip_len.val().xor()
            ^ self.parser.ip_ident.val().xor();
        self.g[6].d.next = self.parser.ip_frag.val().xor()
            ^ self.parser.ttl.val().xor()
            ^ self.parser.protocol.val().xor()
            ^ self.parser.ip_csum.val().xor();
        self.g[7].d.next = self.parser.l4_en.val()
            ^ self.parser.l4_off.val().xor()
            ^ self.parser.src_port.val().xor()
            ^ self.parser.dst_port.val().xor();
        self.g[8].d.next = self.parser.tcp_seq.val().xor()
            ^ self.parser.tcp_flags.val().xor()
            ^ self.parser.arp_oper.val().xor()
            ^ self.parser.arp_sha.val().xor();
        self.g[9].d.next = self.parser.arp_tha.val().xor()
            ^ self.parser.src_hash.val().xor()
            ^ self.parser.dst_hash.val().xor()
            ^ self.parser.f_runt.val();
        self.g[10].d.next = self.parser.f_giant.val()
            ^ self.parser.f_bad_fcs.val()
            ^ self.parser.f_truncated.val()
            ^ self.parser.f_bad_version.val();
        self.g[11].d.next = self.parser.f_bad_ihl.val()
            ^ self.parser.f_bad_length.val()
            ^ self.parser.f_bad_checksum.val()
            ^ self.parser.f_non_first_fragment.val();
        self.g[12].d.next = self.parser.f_fragment.val()
            ^ self.parser.f_bad_arp.val()
            ^ self.parser.f_l4_valid.val();
        self.fold.d.next = self.g[0].q.val()
            ^ self.g[1].q.val()
            ^ self.g[2].q.val()
            ^ self.g[3].q.val()
            ^ self.g[4].q.val()
            ^ self.g[5].q.val()
            ^ self.g[6].q.val()
            ^ self.g[7].q.val()
            ^ self.g[8].q.val()
            ^ self.g[9].q.val()
            ^ self.g[10].q.val()
            ^ self.g[11].q.val()
            ^ self.g[12].q.val();
        self.led.next = self.fold.q.val();
    }
}
