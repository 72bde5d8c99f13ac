//! The router's table (R8): 16 IPv4 routes in LUT RAM, searched in order for a frame's
//! destination address; the first match wins (the control plane stores the longest prefix
//! first, so the first match is the longest).
//!
//! Entry (128 bits, written as four 32-bit words at `cfg_addr` = 4 × entry + word, word 3
//! stores the entry with the three staged before it): word 0 prefix, word 1 mask, word 2
//! next-hop MAC bits 31..0, word 3: MAC bits 47..32 in 15..0, VLAN id 27..16, tagged 28,
//! port 29, valid 31. An entry matches when it is valid and `(addr ^ prefix) & mask` is 0.
//! `start` (with `addr`) → `done` 19 cycles later with `hit` and the first matching entry's
//! next hop (`mac`, `port`, `vlan`, `on_vlan`: tagged), held until the next `start`.
//! Model twin: `flowdist_model::route_table`.
use crate::entry_scan::EntryScan;
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct RouteTable {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub cfg_we: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<16>>,
    pub cfg_data: Signal<In, Bits<32>>,
    pub start: Signal<In, Bit>,
    pub addr: Signal<In, Bits<32>>,
    pub done: Signal<Out, Bit>,
    pub hit: Signal<Out, Bit>,
    pub idx: Signal<Out, Bits<4>>,
    pub mac: Signal<Out, Bits<48>>,
    pub port: Signal<Out, Bit>,
    pub vlan: Signal<Out, Bits<12>>,
    pub on_vlan: Signal<Out, Bit>,
    entries: RAM<Bits<128>, 4>,
    entry_we: Signal<Local, Bit>,
    w0: DFF<Bits<32>>,
    w1: DFF<Bits<32>>,
    w2: DFF<Bits<32>>,
    k_addr: DFF<Bits<32>>,
    scan: EntryScan<4>,
    hit_q: DFF<Bit>,
    hit_idx: DFF<Bits<4>>,
    hit_last: DFF<Bit>,
    /// the next hop of the entry compared last cycle (registered with its compare)
    e_hop: DFF<Bits<62>>,
    found: DFF<Bit>,
    r_idx: DFF<Bits<4>>,
    r_hop: DFF<Bits<62>>,
    r_done: DFF<Bit>,
    e: Signal<Local, Bits<128>>,
    m: Signal<Local, Bit>,
}

impl RouteTable {
    /// With its entries loaded at build time from configuration-bus writes (R14).
    pub fn with_tables(writes: &crate::table_image::BusWrites) -> Self {
        Self {
            entries: RAM::new(crate::table_image::route_entries(writes)),
            ..Default::default()
        }
    }
}

impl Logic for RouteTable {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, w0, w1, w2, k_addr, hit_q, hit_idx, hit_last, e_hop, found, r_idx, r_hop,
            r_done
        );
        // configuration: words 0..2 staged, word 3 writes the entry (window 0x000..0x03F)
        self.entries.read_clock.next = self.clock.val();
        self.entries.write_clock.next = self.clock.val();
        self.entry_we.next =
            self.cfg_we.val() & (self.cfg_addr.val().get_bits::<6>(6) == bits::<6>(0));
        if self.entry_we.val() & (self.cfg_addr.val().get_bits::<2>(0) == bits::<2>(0)) {
            self.w0.d.next = self.cfg_data.val();
        }
        if self.entry_we.val() & (self.cfg_addr.val().get_bits::<2>(0) == bits::<2>(1)) {
            self.w1.d.next = self.cfg_data.val();
        }
        if self.entry_we.val() & (self.cfg_addr.val().get_bits::<2>(0) == bits::<2>(2)) {
            self.w2.d.next = self.cfg_data.val();
        }
        self.entries.write_enable.next =
            self.entry_we.val() & (self.cfg_addr.val().get_bits::<2>(0) == bits::<2>(3));
        self.entries.write_address.next = self.cfg_addr.val().get_bits::<4>(2);
        self.entries.write_data.next = (bit_cast::<128, 32>(self.cfg_data.val()) << 96)
            | (bit_cast::<128, 32>(self.w2.q.val()) << 64)
            | (bit_cast::<128, 32>(self.w1.q.val()) << 32)
            | bit_cast::<128, 32>(self.w0.q.val());

        // the scan: one entry read per cycle, compared the cycle it arrives, registered
        self.scan.clock.next = self.clock.val();
        self.scan.reset.next = self.reset.val();
        self.scan.start.next = self.start.val();
        self.scan.last.next = bits::<4>(15);
        self.entries.read_address.next = self.scan.addr.val();
        if self.start.val() {
            self.found.d.next = false;
            self.r_idx.d.next = bits::<4>(0);
            self.r_hop.d.next = bits::<62>(0);
            self.k_addr.d.next = self.addr.val();
        }
        self.e.next = self.entries.read_data.val();
        self.m.next = self.e.val().get_bit(127)
            & (((self.k_addr.q.val() ^ self.e.val().get_bits::<32>(0))
                & self.e.val().get_bits::<32>(32))
                == bits::<32>(0));
        self.hit_q.d.next = self.scan.issued.val() & self.m.val();
        self.hit_idx.d.next = self.scan.issued_idx.val();
        self.hit_last.d.next = self.scan.issued.val() & self.scan.issued_last.val();
        // MAC 47..0, VLAN 59..48, tagged 60, port 61
        self.e_hop.d.next = (bit_cast::<62, 30>(self.e.val().get_bits::<30>(96)) << 32)
            | bit_cast::<62, 32>(self.e.val().get_bits::<32>(64));
        if self.hit_q.q.val() & !self.found.q.val() {
            self.found.d.next = true;
            self.r_idx.d.next = self.hit_idx.q.val();
            self.r_hop.d.next = self.e_hop.q.val();
        }
        self.r_done.d.next = self.hit_last.q.val();
        if self.reset.val() {
            self.hit_q.d.next = false;
            self.hit_last.d.next = false;
            self.r_done.d.next = false;
        }
        self.done.next = self.r_done.q.val();
        self.hit.next = self.found.q.val();
        self.idx.next = self.r_idx.q.val();
        self.mac.next = self.r_hop.q.val().get_bits::<48>(0);
        self.vlan.next = self.r_hop.q.val().get_bits::<12>(48);
        self.on_vlan.next = self.r_hop.q.val().get_bit(60);
        self.port.next = self.r_hop.q.val().get_bit(61);
    }
}
