//! Address CAM (R2): the source and the destination of a packet looked up at once.
//!
//! 2^(B+1) entries in two block-RAM banks (even and odd entries), scanned two entries per
//! cycle; both sides are compared against both entries. An entry matches an address when
//! `addr & mask == value & mask` and each qualifier it has (L4 port of that side, outer VLAN
//! id, ingress port) equals the packet's; a packet without ports or without a tag never
//! matches an entry qualified by them. Result per side: the OR of the attributes of all
//! matching entries, the owner TM of the first matching entry (lowest index), and whether
//! anything matched. Entry layout: `flowdist_model::tables::CamEntry::pack`.
//!
//! Timing: `start` (ignored while `busy`) latches the keys; `done` pulses 2^B + 3 cycles
//! later with the results, which hold until the next `start`. 64 entries: 35 cycles, well
//! inside the 84-cycle budget of a minimum frame.
//!
//! Configuration: 32-bit words at `cfg_addr` = entry index × 4 + word; words 0–2 are staged,
//! writing word 3 stores the whole entry.
//! Model twin: `flowdist_model::address_cam`.
use crate::entry_scan::EntryScan;
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct AddressCam<const B: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub cfg_we: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<16>>,
    pub cfg_data: Signal<In, Bits<32>>,
    pub start: Signal<In, Bit>,
    pub src_addr: Signal<In, Bits<32>>,
    pub dst_addr: Signal<In, Bits<32>>,
    pub src_port: Signal<In, Bits<16>>,
    pub dst_port: Signal<In, Bits<16>>,
    pub ports_valid: Signal<In, Bit>,
    /// Match entries whatever their port qualifier (ARP requests).
    pub any_port: Signal<In, Bit>,
    pub vlan: Signal<In, Bits<12>>,
    pub vlan_valid: Signal<In, Bit>,
    pub ingress: Signal<In, Bit>,
    pub busy: Signal<Out, Bit>,
    pub done: Signal<Out, Bit>,
    pub src_matched: Signal<Out, Bit>,
    pub src_attrs: Signal<Out, Bits<6>>,
    pub src_owner_en: Signal<Out, Bit>,
    pub src_owner: Signal<Out, Bits<4>>,
    pub dst_matched: Signal<Out, Bit>,
    pub dst_attrs: Signal<Out, Bits<6>>,
    pub dst_owner_en: Signal<Out, Bit>,
    pub dst_owner: Signal<Out, Bits<4>>,

    even: RAM<Bits<108>, B>,
    odd: RAM<Bits<108>, B>,
    w0: DFF<Bits<32>>,
    w1: DFF<Bits<32>>,
    w2: DFF<Bits<32>>,
    // keys
    k_src: DFF<Bits<32>>,
    k_dst: DFF<Bits<32>>,
    k_sport: DFF<Bits<16>>,
    k_dport: DFF<Bits<16>>,
    k_ports: DFF<Bit>,
    k_any: DFF<Bit>,
    k_vlan: DFF<Bits<12>>,
    k_vlan_ok: DFF<Bit>,
    k_ingress: DFF<Bit>,
    // scan
    r_busy: DFF<Bit>,
    scan: EntryScan<B>,
    cmpv: DFF<Bit>,
    cmp_last: DFF<Bit>,
    r_done: DFF<Bit>,
    // compare stage: [src even, src odd, dst even, dst odd]
    m: [DFF<Bit>; 4],
    ent_attrs: [DFF<Bits<6>>; 2],
    ent_owner: [DFF<Bits<5>>; 2],
    // accumulators: [src, dst]
    found: [DFF<Bit>; 2],
    attrs: [DFF<Bits<6>>; 2],
    owner: [DFF<Bits<5>>; 2],
    ent: [Signal<Local, Bits<108>>; 2],
    hit: [Signal<Local, Bit>; 4],
    last_row: Constant<Bits<B>>,
}

impl<const B: usize> Default for AddressCam<B> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            cfg_we: Default::default(),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            start: Default::default(),
            src_addr: Default::default(),
            dst_addr: Default::default(),
            src_port: Default::default(),
            dst_port: Default::default(),
            ports_valid: Default::default(),
            any_port: Default::default(),
            vlan: Default::default(),
            vlan_valid: Default::default(),
            ingress: Default::default(),
            busy: Default::default(),
            done: Default::default(),
            src_matched: Default::default(),
            src_attrs: Default::default(),
            src_owner_en: Default::default(),
            src_owner: Default::default(),
            dst_matched: Default::default(),
            dst_attrs: Default::default(),
            dst_owner_en: Default::default(),
            dst_owner: Default::default(),
            even: Default::default(),
            odd: Default::default(),
            w0: Default::default(),
            w1: Default::default(),
            w2: Default::default(),
            k_src: Default::default(),
            k_dst: Default::default(),
            k_sport: Default::default(),
            k_dport: Default::default(),
            k_ports: Default::default(),
            k_any: Default::default(),
            k_vlan: Default::default(),
            k_vlan_ok: Default::default(),
            k_ingress: Default::default(),
            r_busy: Default::default(),
            scan: Default::default(),
            cmpv: Default::default(),
            cmp_last: Default::default(),
            r_done: Default::default(),
            m: Default::default(),
            ent_attrs: Default::default(),
            ent_owner: Default::default(),
            found: Default::default(),
            attrs: Default::default(),
            owner: Default::default(),
            ent: Default::default(),
            hit: Default::default(),
            last_row: Constant::new(bits((1u64 << B) - 1)),
        }
    }
}

impl<const B: usize> AddressCam<B> {
    /// With its entries loaded at build time from configuration-bus writes.
    pub fn with_tables(writes: &crate::table_image::BusWrites) -> Self {
        let (even, odd) = crate::table_image::cam_banks::<B>(writes);
        Self {
            even: RAM::new(even),
            odd: RAM::new(odd),
            ..Default::default()
        }
    }
}

impl<const B: usize> Logic for AddressCam<B> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, w0, w1, w2, k_src, k_dst, k_sport, k_dport, k_ports, k_any, k_vlan,
            k_vlan_ok, k_ingress, r_busy, cmpv, cmp_last, r_done
        );
        for i in 0..4 {
            self.m[i].clock.next = self.clock.val();
            self.m[i].d.next = self.m[i].q.val();
        }
        for i in 0..2 {
            self.ent_attrs[i].clock.next = self.clock.val();
            self.ent_attrs[i].d.next = self.ent_attrs[i].q.val();
            self.ent_owner[i].clock.next = self.clock.val();
            self.ent_owner[i].d.next = self.ent_owner[i].q.val();
            self.found[i].clock.next = self.clock.val();
            self.found[i].d.next = self.found[i].q.val();
            self.attrs[i].clock.next = self.clock.val();
            self.attrs[i].d.next = self.attrs[i].q.val();
            self.owner[i].clock.next = self.clock.val();
            self.owner[i].d.next = self.owner[i].q.val();
        }
        self.even.read_clock.next = self.clock.val();
        self.even.write_clock.next = self.clock.val();
        self.odd.read_clock.next = self.clock.val();
        self.odd.write_clock.next = self.clock.val();

        // ---- configuration writes ----
        self.even.write_enable.next = false;
        self.odd.write_enable.next = false;
        self.even.write_address.next = self.cfg_addr.val().get_bits::<B>(3);
        self.odd.write_address.next = self.cfg_addr.val().get_bits::<B>(3);
        self.even.write_data.next = (bit_cast::<108, 12>(self.cfg_data.val().get_bits::<12>(0))
            << 96)
            | (bit_cast::<108, 32>(self.w2.q.val()) << 64)
            | (bit_cast::<108, 32>(self.w1.q.val()) << 32)
            | bit_cast::<108, 32>(self.w0.q.val());
        self.odd.write_data.next = self.even.write_data.val();
        if self.cfg_we.val() {
            if self.cfg_addr.val().get_bits::<2>(0) == bits::<2>(0) {
                self.w0.d.next = self.cfg_data.val();
            }
            if self.cfg_addr.val().get_bits::<2>(0) == bits::<2>(1) {
                self.w1.d.next = self.cfg_data.val();
            }
            if self.cfg_addr.val().get_bits::<2>(0) == bits::<2>(2) {
                self.w2.d.next = self.cfg_data.val();
            }
            if self.cfg_addr.val().get_bits::<2>(0) == bits::<2>(3) {
                if self.cfg_addr.val().get_bit(2) {
                    self.odd.write_enable.next = true;
                } else {
                    self.even.write_enable.next = true;
                }
            }
        }

        // ---- scan: issue reads ----
        self.scan.clock.next = self.clock.val();
        self.scan.reset.next = self.reset.val();
        self.scan.start.next = self.start.val() & !self.r_busy.q.val();
        self.scan.last.next = self.last_row.val();
        self.even.read_address.next = self.scan.addr.val();
        self.odd.read_address.next = self.scan.addr.val();
        if self.start.val() & !self.r_busy.q.val() {
            self.r_busy.d.next = true;
            self.k_src.d.next = self.src_addr.val();
            self.k_dst.d.next = self.dst_addr.val();
            self.k_sport.d.next = self.src_port.val();
            self.k_dport.d.next = self.dst_port.val();
            self.k_ports.d.next = self.ports_valid.val();
            self.k_any.d.next = self.any_port.val();
            self.k_vlan.d.next = self.vlan.val();
            self.k_vlan_ok.d.next = self.vlan_valid.val();
            self.k_ingress.d.next = self.ingress.val();
            for i in 0..2 {
                self.found[i].d.next = false;
                self.attrs[i].d.next = bits::<6>(0);
                self.owner[i].d.next = bits::<5>(0);
            }
        }

        // ---- compare: the two entries just read, against both sides ----
        self.ent[0].next = self.even.read_data.val();
        self.ent[1].next = self.odd.read_data.val();
        self.cmpv.d.next = self.scan.issued.val();
        self.cmp_last.d.next = self.scan.issued_last.val();
        for e in 0..2 {
            // valid, and the qualifiers common to both sides (VLAN, ingress port)
            self.hit[e].next = self.ent[e].val().get_bit(107)
                & (!self.ent[e].val().get_bit(93)
                    | (self.k_vlan_ok.q.val()
                        & (self.ent[e].val().get_bits::<12>(80) == self.k_vlan.q.val())))
                & (!self.ent[e].val().get_bit(94)
                    | (self.ent[e].val().get_bit(95) == self.k_ingress.q.val()));
            self.hit[e + 2].next = self.hit[e].val();
            self.ent_attrs[e].d.next = self.ent[e].val().get_bits::<6>(96);
            self.ent_owner[e].d.next = self.ent[e].val().get_bits::<5>(102);
            self.m[e].d.next = self.hit[e].val()
                & (((self.k_src.q.val() ^ self.ent[e].val().get_bits::<32>(0))
                    & self.ent[e].val().get_bits::<32>(32))
                    == bits::<32>(0))
                & (!self.ent[e].val().get_bit(92)
                    | self.k_any.q.val()
                    | (self.k_ports.q.val()
                        & (self.ent[e].val().get_bits::<16>(64) == self.k_sport.q.val())));
            self.m[e + 2].d.next = self.hit[e + 2].val()
                & (((self.k_dst.q.val() ^ self.ent[e].val().get_bits::<32>(0))
                    & self.ent[e].val().get_bits::<32>(32))
                    == bits::<32>(0))
                & (!self.ent[e].val().get_bit(92)
                    | self.k_any.q.val()
                    | (self.k_ports.q.val()
                        & (self.ent[e].val().get_bits::<16>(64) == self.k_dport.q.val())));
        }

        // ---- accumulate: OR of attributes, owner of the first match (even before odd) ----
        if self.cmpv.q.val() {
            for s in 0..2 {
                if self.m[2 * s].q.val() {
                    self.attrs[s].d.next = self.attrs[s].q.val() | self.ent_attrs[0].q.val();
                } else if self.m[2 * s + 1].q.val() {
                    self.attrs[s].d.next = self.attrs[s].q.val() | self.ent_attrs[1].q.val();
                }
                if self.m[2 * s].q.val() & self.m[2 * s + 1].q.val() {
                    self.attrs[s].d.next = self.attrs[s].q.val()
                        | self.ent_attrs[0].q.val()
                        | self.ent_attrs[1].q.val();
                }
                if !self.found[s].q.val() {
                    if self.m[2 * s].q.val() {
                        self.owner[s].d.next = self.ent_owner[0].q.val();
                    } else if self.m[2 * s + 1].q.val() {
                        self.owner[s].d.next = self.ent_owner[1].q.val();
                    }
                }
                if self.m[2 * s].q.val() | self.m[2 * s + 1].q.val() {
                    self.found[s].d.next = true;
                }
            }
        }
        self.r_done.d.next = self.cmpv.q.val() & self.cmp_last.q.val();
        if self.r_done.q.val() {
            self.r_busy.d.next = false;
        }
        if self.reset.val() {
            self.r_busy.d.next = false;
            self.cmpv.d.next = false;
            self.cmp_last.d.next = false;
            self.r_done.d.next = false;
        }

        self.busy.next = self.r_busy.q.val();
        self.done.next = self.r_done.q.val();
        self.src_matched.next = self.found[0].q.val();
        self.src_attrs.next = self.attrs[0].q.val();
        self.src_owner_en.next = self.owner[0].q.val().get_bit(4);
        self.src_owner.next = self.owner[0].q.val().get_bits::<4>(0);
        self.dst_matched.next = self.found[1].q.val();
        self.dst_attrs.next = self.attrs[1].q.val();
        self.dst_owner_en.next = self.owner[1].q.val().get_bit(4);
        self.dst_owner.next = self.owner[1].q.val().get_bits::<4>(0);
    }
}
