//! Streaming frame editor (R5, R6, R12): rewrites MACs, pushes / re-tags / pops the outer
//! VLAN tag, pads to the Ethernet minimum and appends a fresh FCS, one byte per cycle.
//!
//! Input: the frame without FCS (`in_valid`, `in_data`, `in_last`) under `in_ready`
//! back-pressure (the editor pauses its source for an inserted tag, the padding and the
//! FCS). The edits (`set_dst`/`dst_mac`, `set_src`/`src_mac`, `tag_op` with `tci`) must be
//! held for the whole frame. `tag_op`: 0 keep, 1 push an 802.1Q tag (0x8100, `tci`) after the
//! source MAC (when the frame is longer than 12 bytes), 2 set the VLAN id of the outer tag to
//! `tci`'s low 12 bits (bytes 14–15; priority and DEI kept), 3 pop the outer tag (bytes
//! 12–15). `encap` inserts an IP-in-IP outer header ([`IpIpHeader`]: `tun_src` → `tun_dst`,
//! total length `tun_len` + 20) before input byte `encap_at` (14, 18 or 22: the inner IPv4
//! header; with `tag_op` keep or push), when the frame has that byte. `arp` turns an ARP
//! request into its reply in place (R7): the ARP body starts at `encap_at`; operation := 2,
//! sender MAC := `src_mac`, sender address := `tun_dst`, target MAC / address := the
//! request's sender MAC / address (captured as they pass; with `tag_op` keep). `ttl` (a
//! routed frame, R8) writes the IPv4 header's TTL and checksum (at `encap_at` + 8, + 10, + 11)
//! from `tun_dst`. Output (`out_valid`, `out_data`, `out_last` on the last FCS byte): the edited
//! frame, zero-padded to 60 bytes, then its CRC-32, registered; no back-pressure.
//! Model twin: `flowdist_model::frame_editor`.
use crate::crc32_byte::{Crc32Byte, POLY_IEEE};
use crate::ipip_header::IpIpHeader;
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct FrameEditor {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub in_valid: Signal<In, Bit>,
    pub in_data: Signal<In, Bits<8>>,
    pub in_last: Signal<In, Bit>,
    pub in_ready: Signal<Out, Bit>,
    pub set_dst: Signal<In, Bit>,
    pub dst_mac: Signal<In, Bits<48>>,
    pub set_src: Signal<In, Bit>,
    pub src_mac: Signal<In, Bits<48>>,
    pub tag_op: Signal<In, Bits<2>>,
    pub tci: Signal<In, Bits<16>>,
    pub encap: Signal<In, Bit>,
    pub encap_at: Signal<In, Bits<5>>,
    pub tun_src: Signal<In, Bits<32>>,
    pub tun_dst: Signal<In, Bits<32>>,
    pub tun_len: Signal<In, Bits<16>>,
    pub arp: Signal<In, Bit>,
    /// Routed (R8): the IPv4 header starts at `encap_at`; its TTL (byte 8) := `tun_dst[23:16]`,
    /// its checksum (bytes 10–11) := `tun_dst[15:0]`.
    pub ttl: Signal<In, Bit>,
    pub out_valid: Signal<Out, Bit>,
    pub out_data: Signal<Out, Bits<8>>,
    pub out_last: Signal<Out, Bit>,
    crc_step: Crc32Byte,
    outer: IpIpHeader,
    /// emitting the outer header: its byte count, and whether it went in already
    enc_on: DFF<Bit>,
    enc_k: DFF<Bits<5>>,
    enc_done: DFF<Bit>,
    enc_here: Signal<Local, Bit>,
    /// ARP reply: inside the ARP body (from `encap_at`), the position in it (saturating),
    /// and the request's sender MAC and address as they passed
    in_l3: DFF<Bit>,
    arel: DFF<Bits<5>>,
    sha_cap: DFF<Bits<48>>,
    spa_cap: DFF<Bits<32>>,
    arp_new: DFF<Bits<80>>,
    f_lo: DFF<Bit>,
    f_two: DFF<Bit>,
    f_mac: DFF<Bit>,
    f_ip: DFF<Bit>,
    f_sha: DFF<Bit>,
    f_spa: DFF<Bit>,
    f_ttl: DFF<Bit>,
    f_ckh: DFF<Bit>,
    f_ckl: DFF<Bit>,
    sub_here: Signal<Local, Bit>,
    sub_byte: Signal<Local, Bits<8>>,
    a_sub: DFF<Bit>,
    a_byte: DFF<Bits<8>>,
    /// the byte that goes out: `o_data`, or the ARP replacement for it
    sent: Signal<Local, Bits<8>>,
    /// no tag or outer header due before the next input byte, for the next cycle (from this
    /// cycle's next-state values: the source's fetch logic hangs off `in_ready`)
    ready_q: DFF<Bit>,
    // 0 stream, 1 insert tag, 2 pad, 3 FCS
    state: DFF<Bits<2>>,
    /// input position, saturating at 31 (only the first 16 bytes are edited)
    ipos: DFF<Bits<5>>,
    opos: DFF<Bits<12>>,
    k: DFF<Bits<2>>,
    inserted: DFF<Bit>,
    crc: DFF<Bits<32>>,
    o_valid: DFF<Bit>,
    o_data: DFF<Bits<8>>,
    o_last: DFF<Bit>,
    o_fcs: DFF<Bit>,
    ge59: DFF<Bit>,
    ge60: DFF<Bit>,
    take: Signal<Local, Bit>,
    emit: Signal<Local, Bit>,
    out_byte: Signal<Local, Bits<8>>,
    fcs: Signal<Local, Bits<32>>,
}

impl Default for FrameEditor {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            in_valid: Default::default(),
            in_data: Default::default(),
            in_last: Default::default(),
            in_ready: Default::default(),
            set_dst: Default::default(),
            dst_mac: Default::default(),
            set_src: Default::default(),
            src_mac: Default::default(),
            tag_op: Default::default(),
            tci: Default::default(),
            out_valid: Default::default(),
            out_data: Default::default(),
            out_last: Default::default(),
            crc_step: Crc32Byte::new(POLY_IEEE),
            outer: Default::default(),
            enc_on: Default::default(),
            enc_k: Default::default(),
            enc_done: Default::default(),
            enc_here: Default::default(),
            ready_q: Default::default(),
            encap: Default::default(),
            encap_at: Default::default(),
            tun_src: Default::default(),
            tun_dst: Default::default(),
            tun_len: Default::default(),
            arp: Default::default(),
            ttl: Default::default(),
            f_ttl: Default::default(),
            f_ckh: Default::default(),
            f_ckl: Default::default(),
            in_l3: Default::default(),
            arel: Default::default(),
            sha_cap: Default::default(),
            spa_cap: Default::default(),
            arp_new: Default::default(),
            f_lo: Default::default(),
            f_two: Default::default(),
            f_mac: Default::default(),
            f_ip: Default::default(),
            f_sha: Default::default(),
            f_spa: Default::default(),
            sub_here: Default::default(),
            sub_byte: Default::default(),
            a_sub: Default::default(),
            a_byte: Default::default(),
            sent: Default::default(),
            state: Default::default(),
            ipos: Default::default(),
            opos: Default::default(),
            k: Default::default(),
            inserted: Default::default(),
            crc: Default::default(),
            o_valid: Default::default(),
            o_data: Default::default(),
            o_last: Default::default(),
            o_fcs: Default::default(),
            ge59: Default::default(),
            ge60: Default::default(),
            take: Default::default(),
            emit: Default::default(),
            out_byte: Default::default(),
            fcs: Default::default(),
        }
    }
}

impl Logic for FrameEditor {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, state, ipos, opos, k, inserted, crc, o_valid, o_data, o_last, o_fcs, ge59,
            ge60, enc_on, enc_k, enc_done, ready_q, in_l3, arel, sha_cap, spa_cap, arp_new, f_lo,
            f_two, f_mac, f_ip, f_sha, f_spa, a_sub, a_byte, f_ttl, f_ckh, f_ckl
        );
        self.outer.clock.next = self.clock.val();
        self.outer.src.next = self.tun_src.val();
        self.outer.dst.next = self.tun_dst.val();
        self.outer.inner_len.next = self.tun_len.val();
        self.outer.shift.next = self.enc_on.q.val();
        // the outer header is due before this input byte
        self.enc_here.next =
            self.encap.val() & (self.ipos.q.val() == self.encap_at.val()) & !self.enc_done.q.val();
        self.out_valid.next = self.o_valid.q.val();
        self.sent.next = self.o_data.q.val();
        if self.a_sub.q.val() {
            self.sent.next = self.a_byte.q.val();
        }
        self.out_data.next = self.sent.val();
        self.out_last.next = self.o_last.q.val();

        // input is taken while streaming, except where a tag or the outer header goes in
        // (`ready_q`, set at the end from the next-state values)
        self.in_ready.next =
            self.ready_q.q.val() & (self.state.q.val() == bits::<2>(0)) & !self.enc_on.q.val();
        self.take.next = self.in_ready.val() & self.in_valid.val();
        // the outer header is built from the frame's first byte on
        self.outer.start.next = self.take.val() & (self.ipos.q.val() == bits::<5>(0));

        // the byte this cycle, before the CRC
        self.emit.next = false;
        self.out_byte.next = self.in_data.val();
        if self.take.val() {
            self.emit.next = true;
            if self.ipos.q.val() < bits::<5>(6) {
                if self.set_dst.val() {
                    // byte k of the MAC, most significant first (a 6-way select, no shifter)
                    for i in 0..6 {
                        if self.ipos.q.val().index() == i {
                            self.out_byte.next = self.dst_mac.val().get_bits::<8>(40 - 8 * i);
                        }
                    }
                }
            } else if self.ipos.q.val() < bits::<5>(12) {
                if self.set_src.val() {
                    for i in 0..6 {
                        if self.ipos.q.val().index() == i + 6 {
                            self.out_byte.next = self.src_mac.val().get_bits::<8>(40 - 8 * i);
                        }
                    }
                }
            } else if self.ipos.q.val() < bits::<5>(16) {
                if self.tag_op.val() == bits::<2>(3) {
                    self.emit.next = false;
                }
                if self.tag_op.val() == bits::<2>(2) {
                    if self.ipos.q.val() == bits::<5>(14) {
                        self.out_byte.next = (self.in_data.val() & bits::<8>(0xF0))
                            | bit_cast::<8, 4>(self.tci.val().get_bits::<4>(8));
                    }
                    if self.ipos.q.val() == bits::<5>(15) {
                        self.out_byte.next = self.tci.val().get_bits::<8>(0);
                    }
                }
            }
        }
        // Bytes replaced in place: an ARP reply's body bytes 6..27, a routed frame's TTL and
        // checksum. Which field the next input byte is in comes from registered flags, and
        // every replacement byte from the top of a shift register or from `tun_dst`, so the
        // substitution is a short mux off the input path.
        self.sub_here.next = (self.arp.val()
            & (self.f_lo.q.val()
                | self.f_two.q.val()
                | self.f_mac.q.val()
                | self.f_ip.q.val()
                | self.f_sha.q.val()
                | self.f_spa.q.val()))
            | (self.ttl.val() & (self.f_ttl.q.val() | self.f_ckh.q.val() | self.f_ckl.q.val()));
        self.sub_byte.next = bits::<8>(0);
        if self.f_two.q.val() {
            self.sub_byte.next = bits::<8>(2);
        }
        if self.f_mac.q.val() | self.f_ip.q.val() {
            self.sub_byte.next = self.arp_new.q.val().get_bits::<8>(72);
        }
        if self.f_sha.q.val() {
            self.sub_byte.next = self.sha_cap.q.val().get_bits::<8>(40);
        }
        if self.f_spa.q.val() {
            self.sub_byte.next = self.spa_cap.q.val().get_bits::<8>(24);
        }
        if self.ttl.val() & self.f_ttl.q.val() {
            self.sub_byte.next = self.tun_dst.val().get_bits::<8>(16);
        }
        if self.ttl.val() & self.f_ckh.q.val() {
            self.sub_byte.next = self.tun_dst.val().get_bits::<8>(8);
        }
        if self.ttl.val() & self.f_ckl.q.val() {
            self.sub_byte.next = self.tun_dst.val().get_bits::<8>(0);
        }
        // applied after the output register (`a_sub`/`a_byte` ride along with `o_data`), so
        // the replacement adds nothing to the input-to-output path
        self.a_sub.d.next = self.take.val() & self.sub_here.val();
        self.a_byte.d.next = self.sub_byte.val();
        if self.take.val() {
            if self.ipos.q.val() == self.encap_at.val() {
                // the body's byte 0: count from here, load the new sender (MAC, address)
                self.in_l3.d.next = true;
                self.arel.d.next = bits::<5>(1);
                self.arp_new.d.next = (bit_cast::<80, 48>(self.src_mac.val()) << 32)
                    | bit_cast::<80, 32>(self.tun_dst.val());
                self.f_lo.d.next = false;
                self.f_two.d.next = false;
                self.f_mac.d.next = false;
                self.f_ip.d.next = false;
                self.f_sha.d.next = false;
                self.f_spa.d.next = false;
                self.f_ttl.d.next = false;
                self.f_ckh.d.next = false;
                self.f_ckl.d.next = false;
            } else if self.in_l3.q.val() & (self.arel.q.val() != bits::<5>(31)) {
                self.arel.d.next = self.arel.q.val() + 1;
                // the field of the byte after this one (position arel + 1)
                self.f_lo.d.next = self.arel.q.val() == bits::<5>(5);
                self.f_two.d.next = self.arel.q.val() == bits::<5>(6);
                self.f_mac.d.next =
                    (self.arel.q.val() >= bits::<5>(7)) & (self.arel.q.val() < bits::<5>(13));
                self.f_ip.d.next =
                    (self.arel.q.val() >= bits::<5>(13)) & (self.arel.q.val() < bits::<5>(17));
                self.f_sha.d.next =
                    (self.arel.q.val() >= bits::<5>(17)) & (self.arel.q.val() < bits::<5>(23));
                self.f_spa.d.next =
                    (self.arel.q.val() >= bits::<5>(23)) & (self.arel.q.val() < bits::<5>(27));
                // IPv4: TTL at 8, checksum at 10 and 11
                self.f_ttl.d.next = self.arel.q.val() == bits::<5>(7);
                self.f_ckh.d.next = self.arel.q.val() == bits::<5>(9);
                self.f_ckl.d.next = self.arel.q.val() == bits::<5>(10);
            }
            if self.f_mac.q.val() | self.f_ip.q.val() {
                self.arp_new.d.next = self.arp_new.q.val() << 8;
            }
            // the request's sender MAC (8..13) and address (14..17) captured as they pass,
            // shifted out as the target fields (18..23, 24..27)
            if self.f_mac.q.val() | self.f_sha.q.val() {
                self.sha_cap.d.next =
                    (self.sha_cap.q.val() << 8) | bit_cast::<48, 8>(self.in_data.val());
            }
            if self.f_ip.q.val() | self.f_spa.q.val() {
                self.spa_cap.d.next =
                    (self.spa_cap.q.val() << 8) | bit_cast::<32, 8>(self.in_data.val());
            }
        }
        if self.state.q.val() == bits::<2>(1) {
            self.emit.next = true;
            self.out_byte.next = bits::<8>(0x81);
            if self.k.q.val() == bits::<2>(1) {
                self.out_byte.next = bits::<8>(0x00);
            }
            if self.k.q.val() == bits::<2>(2) {
                self.out_byte.next = self.tci.val().get_bits::<8>(8);
            }
            if self.k.q.val() == bits::<2>(3) {
                self.out_byte.next = self.tci.val().get_bits::<8>(0);
            }
        }
        if self.state.q.val() == bits::<2>(2) {
            self.emit.next = true;
            self.out_byte.next = bits::<8>(0);
        }
        if self.enc_on.q.val() {
            self.emit.next = true;
            self.out_byte.next = self.outer.next_byte.val();
        }

        // The CRC folds in the byte sent the cycle before (off the input-to-output path);
        // so the first FCS byte comes from the CRC step itself, the others from the register.
        self.crc_step.crc_in.next = self.crc.q.val();
        self.crc_step.data.next = self.sent.val();
        self.fcs.next = !(self.crc.q.val() >> (bit_cast::<32, 2>(self.k.q.val()) << 3));
        if self.k.q.val() == bits::<2>(0) {
            self.fcs.next = !self.crc_step.crc_out.val();
        }
        if self.o_valid.q.val() & !self.o_fcs.q.val() {
            self.crc.d.next = self.crc_step.crc_out.val();
        }
        self.o_valid.d.next = self.emit.val();
        self.o_data.d.next = self.out_byte.val();
        self.o_last.d.next = false;
        self.o_fcs.d.next = false;
        if self.emit.val() {
            self.opos.d.next = self.opos.q.val() + 1;
            if self.opos.q.val() == bits::<12>(58) {
                self.ge59.d.next = true;
            }
            if self.opos.q.val() == bits::<12>(59) {
                self.ge60.d.next = true;
            }
        }
        if self.take.val() & (self.ipos.q.val() != bits::<5>(31)) {
            self.ipos.d.next = self.ipos.q.val() + 1;
        }

        // where next
        if (self.state.q.val() == bits::<2>(0))
            & (self.tag_op.val() == bits::<2>(1))
            & (self.ipos.q.val() == bits::<5>(12))
            & !self.inserted.q.val()
            & self.in_valid.val()
        {
            self.state.d.next = bits::<2>(1);
            self.k.d.next = bits::<2>(0);
        }
        if (self.state.q.val() == bits::<2>(0))
            & self.enc_here.val()
            & !self.enc_on.q.val()
            & self.in_valid.val()
        {
            self.enc_on.d.next = true;
            self.enc_k.d.next = bits::<5>(0);
        }
        if self.enc_on.q.val() {
            self.enc_k.d.next = self.enc_k.q.val() + 1;
            if self.enc_k.q.val() == bits::<5>(19) {
                self.enc_on.d.next = false;
                self.enc_done.d.next = true;
            }
        }
        if self.state.q.val() == bits::<2>(1) {
            self.k.d.next = self.k.q.val() + 1;
            if self.k.q.val() == bits::<2>(3) {
                self.state.d.next = bits::<2>(0);
                self.inserted.d.next = true;
            }
        }
        if self.take.val() & self.in_last.val() {
            self.k.d.next = bits::<2>(0);
            // pad unless this byte already makes 60 (flags kept as bytes go out: timing)
            if !self.ge60.q.val() & !(self.ge59.q.val() & self.emit.val()) {
                self.state.d.next = bits::<2>(2);
            } else {
                self.state.d.next = bits::<2>(3);
            }
        }
        if (self.state.q.val() == bits::<2>(2)) & self.ge59.q.val() {
            self.state.d.next = bits::<2>(3);
            self.k.d.next = bits::<2>(0);
        }
        if self.state.q.val() == bits::<2>(3) {
            self.o_valid.d.next = true;
            self.o_fcs.d.next = true;
            self.o_data.d.next = self.fcs.val().get_bits::<8>(0);
            self.k.d.next = self.k.q.val() + 1;
            if self.k.q.val() == bits::<2>(3) {
                self.o_last.d.next = true;
                self.state.d.next = bits::<2>(0);
                self.ipos.d.next = bits::<5>(0);
                self.in_l3.d.next = false;
                self.f_lo.d.next = false;
                self.f_two.d.next = false;
                self.f_mac.d.next = false;
                self.f_ip.d.next = false;
                self.f_sha.d.next = false;
                self.f_spa.d.next = false;
                self.f_ttl.d.next = false;
                self.f_ckh.d.next = false;
                self.f_ckl.d.next = false;
                self.opos.d.next = bits::<12>(0);
                self.ge59.d.next = false;
                self.ge60.d.next = false;
                self.inserted.d.next = false;
                self.enc_done.d.next = false;
                self.crc.d.next = bits::<32>(0xFFFF_FFFF_u64);
            }
        }
        if self.reset.val() {
            self.state.d.next = bits::<2>(0);
            self.in_l3.d.next = false;
            self.f_lo.d.next = false;
            self.f_two.d.next = false;
            self.f_mac.d.next = false;
            self.f_ip.d.next = false;
            self.f_sha.d.next = false;
            self.f_spa.d.next = false;
            self.f_ttl.d.next = false;
            self.f_ckh.d.next = false;
            self.f_ckl.d.next = false;
            self.ipos.d.next = bits::<5>(0);
            self.opos.d.next = bits::<12>(0);
            self.ge59.d.next = false;
            self.ge60.d.next = false;
            self.inserted.d.next = false;
            self.enc_on.d.next = false;
            self.enc_done.d.next = false;
            self.crc.d.next = bits::<32>(0xFFFF_FFFF_u64);
            self.o_valid.d.next = false;
            self.o_last.d.next = false;
            self.o_fcs.d.next = false;
            self.a_sub.d.next = false;
        }
        // next cycle's `in_ready` (the edit inputs hold for the whole frame)
        self.ready_q.d.next = !((self.tag_op.val() == bits::<2>(1))
            & (self.ipos.d.val() == bits::<5>(12))
            & !self.inserted.d.val())
            & !(self.encap.val()
                & (self.ipos.d.val() == self.encap_at.val())
                & !self.enc_done.d.val());
    }
}
