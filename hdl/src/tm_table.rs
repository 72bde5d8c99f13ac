//! The traffic-manager table: who the TMs are and how to reach them (R5), and the test
//! "did this frame come from a TM?" (R3 step 1, R6).
//!
//! 16 entries of 64 bits in block RAM: MAC 47..0, VLAN id 59..48, port 60, delivery kind
//! 62..61 (0 own port, 1 VLAN on the trunk, 2 MAC rewrite), valid 63; written as two 32-bit
//! words at `cfg_addr` = TM × 2 + word (word 1 stores the entry). A frame comes from TM t
//! when t is valid and its source MAC is t's MAC, or t is delivered by VLAN and the frame
//! came in on the trunk port tagged with t's VLAN id, or t has its own port and the frame
//! came in on it. The lowest such t wins. `start` → `done` 20 cycles later. Between scans,
//! `rd_en`/`rd_idx` read one entry (the delivery planner's way to reach a TM) and its tunnel
//! address.
//!
//! Delivery kind 3 is IP-in-IP: TM t's tunnel address is written at 0x2100 + t (a table of
//! its own, so the entry keeps its two words), the distributor's tunnel source at 0x2180
//! (`tunnel_src`). Writes elsewhere in this block's window are ignored.
//! Model twin: `flowdist_model::tm_table`.
use crate::entry_scan::EntryScan;
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct TmTable {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub cfg_we: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<16>>,
    pub cfg_data: Signal<In, Bits<32>>,
    pub start: Signal<In, Bit>,
    pub src_mac: Signal<In, Bits<48>>,
    pub vlan: Signal<In, Bits<12>>,
    pub vlan_valid: Signal<In, Bit>,
    pub ingress: Signal<In, Bit>,
    pub trunk_port: Signal<In, Bit>,
    pub done: Signal<Out, Bit>,
    pub from_tm: Signal<Out, Bit>,
    pub tm: Signal<Out, Bits<4>>,
    /// With `done`: some valid TM has the frame's source MAC *and* the frame came in where that
    /// TM's traffic does (its own port; its VLAN on the trunk; the trunk for MAC and IP-in-IP
    /// delivery): the sender may send TM signals (R10, `ControlPort`).
    pub sender: Signal<Out, Bit>,
    /// Read one entry by index (when no scan runs): `rd_entry` holds it from the next cycle.
    pub rd_en: Signal<In, Bit>,
    pub rd_idx: Signal<In, Bits<4>>,
    pub rd_entry: Signal<Out, Bits<64>>,
    pub rd_tunnel: Signal<Out, Bits<32>>,
    pub tunnel_src: Signal<Out, Bits<32>>,
    entries: RAM<Bits<64>, 4>,
    tunnels: RAM<Bits<32>, 4>,
    src_reg: InitReg<32>,
    entry_we: Signal<Local, Bit>,
    tunnel_we: Signal<Local, Bit>,
    src_we: Signal<Local, Bit>,
    w0: DFF<Bits<32>>,
    k_mac: DFF<Bits<48>>,
    k_vlan: DFF<Bits<12>>,
    k_tagged: DFF<Bit>,
    k_ingress: DFF<Bit>,
    k_on_trunk: DFF<Bit>,
    scan: EntryScan<4>,
    r_done: DFF<Bit>,
    hit_q: DFF<Bit>,
    hit_idx: DFF<Bits<4>>,
    hit_last: DFF<Bit>,
    found: DFF<Bit>,
    r_tm: DFF<Bits<4>>,
    s_hit_q: DFF<Bit>,
    s_found: DFF<Bit>,
    s_hit: Signal<Local, Bit>,
    e: Signal<Local, Bits<64>>,
    hit: Signal<Local, Bit>,
}

/// A register with a build-time initial value (rust-hdl's `DFFWithInit`, which has no
/// `Default`, so it cannot sit in a derived-`Default` block directly).
#[derive(LogicBlock)]
pub struct InitReg<const N: usize> {
    pub clock: Signal<In, Clock>,
    pub d: Signal<In, Bits<N>>,
    pub q: Signal<Out, Bits<N>>,
    held: DFFWithInit<Bits<N>>,
}

impl<const N: usize> InitReg<N> {
    pub fn new(init: Bits<N>) -> Self {
        Self {
            clock: Default::default(),
            d: Default::default(),
            q: Default::default(),
            held: DFFWithInit::new(init),
        }
    }
}

impl<const N: usize> Default for InitReg<N> {
    fn default() -> Self {
        Self::new(Bits::<N>::default())
    }
}

impl<const N: usize> Logic for InitReg<N> {
    #[hdl_gen]
    fn update(&mut self) {
        self.held.clock.next = self.clock.val();
        self.held.d.next = self.d.val();
        self.q.next = self.held.q.val();
    }
}

impl TmTable {
    /// With its entries loaded at build time from configuration-bus writes.
    pub fn with_tables(writes: &crate::table_image::BusWrites) -> Self {
        Self {
            entries: RAM::new(crate::table_image::tm_entries(writes)),
            tunnels: RAM::new(crate::table_image::tunnels(writes)),
            src_reg: InitReg::new(bits::<32>(crate::table_image::tunnel_src(writes) as u64)),
            ..Default::default()
        }
    }
}

impl Logic for TmTable {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, w0, k_mac, k_vlan, k_tagged, k_ingress, k_on_trunk, r_done, hit_q,
            hit_idx, hit_last, found, r_tm, s_hit_q, s_found
        );
        self.entries.read_clock.next = self.clock.val();
        self.entries.write_clock.next = self.clock.val();
        self.entries.write_address.next = self.cfg_addr.val().get_bits::<4>(1);
        self.entries.write_data.next =
            (bit_cast::<64, 32>(self.cfg_data.val()) << 32) | bit_cast::<64, 32>(self.w0.q.val());
        // window decode: entries 0x2000..0x201F, tunnels 0x2100..0x210F, source 0x2180
        self.entry_we.next =
            self.cfg_we.val() & (self.cfg_addr.val().get_bits::<7>(5) == bits::<7>(0));
        self.tunnel_we.next =
            self.cfg_we.val() & (self.cfg_addr.val().get_bits::<8>(4) == bits::<8>(0x10));
        self.src_we.next =
            self.cfg_we.val() & (self.cfg_addr.val().get_bits::<12>(0) == bits::<12>(0x180));
        self.entries.write_enable.next = self.entry_we.val() & self.cfg_addr.val().get_bit(0);
        if self.entry_we.val() & !self.cfg_addr.val().get_bit(0) {
            self.w0.d.next = self.cfg_data.val();
        }
        self.tunnels.read_clock.next = self.clock.val();
        self.tunnels.write_clock.next = self.clock.val();
        self.tunnels.write_enable.next = self.tunnel_we.val();
        self.tunnels.write_address.next = self.cfg_addr.val().get_bits::<4>(0);
        self.tunnels.write_data.next = self.cfg_data.val();
        self.tunnels.read_address.next = self.rd_idx.val();
        self.rd_tunnel.next = self.tunnels.read_data.val();
        self.src_reg.clock.next = self.clock.val();
        self.src_reg.d.next = self.src_reg.q.val();
        if self.src_we.val() {
            self.src_reg.d.next = self.cfg_data.val();
        }
        self.tunnel_src.next = self.src_reg.q.val();

        self.scan.clock.next = self.clock.val();
        self.scan.reset.next = self.reset.val();
        self.scan.start.next = self.start.val();
        self.scan.last.next = bits::<4>(15);
        self.entries.read_address.next = self.scan.addr.val();
        if self.rd_en.val() & !self.scan.busy.val() {
            self.entries.read_address.next = self.rd_idx.val();
        }
        self.rd_entry.next = self.entries.read_data.val();
        if self.start.val() {
            self.found.d.next = false;
            self.s_found.d.next = false;
            self.r_tm.d.next = bits::<4>(0);
            self.k_mac.d.next = self.src_mac.val();
            self.k_vlan.d.next = self.vlan.val();
            self.k_tagged.d.next = self.vlan_valid.val();
            self.k_ingress.d.next = self.ingress.val();
            self.k_on_trunk.d.next = self.ingress.val() == self.trunk_port.val();
        }
        self.e.next = self.entries.read_data.val();
        self.hit.next = self.e.val().get_bit(63)
            & ((self.e.val().get_bits::<48>(0) == self.k_mac.q.val())
                | ((self.e.val().get_bits::<2>(61) == bits::<2>(1))
                    & self.k_tagged.q.val()
                    & self.k_on_trunk.q.val()
                    & (self.e.val().get_bits::<12>(48) == self.k_vlan.q.val()))
                | ((self.e.val().get_bits::<2>(61) == bits::<2>(0))
                    & (self.e.val().get_bit(60) == self.k_ingress.q.val())));
        self.s_hit.next = self.e.val().get_bit(63)
            & (self.e.val().get_bits::<48>(0) == self.k_mac.q.val())
            & (((self.e.val().get_bits::<2>(61) == bits::<2>(0))
                & (self.e.val().get_bit(60) == self.k_ingress.q.val()))
                | ((self.e.val().get_bits::<2>(61) == bits::<2>(1))
                    & self.k_tagged.q.val()
                    & self.k_on_trunk.q.val()
                    & (self.e.val().get_bits::<12>(48) == self.k_vlan.q.val()))
                | (self.e.val().get_bit(62) & self.k_on_trunk.q.val()));
        // the compare result is registered before it is used (timing)
        self.hit_q.d.next = self.scan.issued.val() & self.hit.val();
        self.s_hit_q.d.next = self.scan.issued.val() & self.s_hit.val();
        if self.s_hit_q.q.val() {
            self.s_found.d.next = true;
        }
        self.hit_idx.d.next = self.scan.issued_idx.val();
        self.hit_last.d.next = self.scan.issued.val() & self.scan.issued_last.val();
        if self.hit_q.q.val() & !self.found.q.val() {
            self.found.d.next = true;
            self.r_tm.d.next = self.hit_idx.q.val();
        }
        self.r_done.d.next = self.hit_last.q.val();
        if self.reset.val() {
            self.hit_q.d.next = false;
            self.s_hit_q.d.next = false;
            self.hit_last.d.next = false;
            self.r_done.d.next = false;
        }
        self.done.next = self.r_done.q.val();
        self.from_tm.next = self.found.q.val();
        self.sender.next = self.s_found.q.val();
        self.tm.next = self.r_tm.q.val();
    }
}
