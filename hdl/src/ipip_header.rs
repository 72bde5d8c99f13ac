//! The outer IPv4 header of IP-in-IP delivery (RFC 2003, R5), built while a frame's first
//! bytes stream past and then shifted out a byte per cycle by the frame editor.
//!
//! `start` (one cycle) takes `src`, `dst` and `inner_len` (which must stay put for the
//! frame); ten cycles later `header` holds version 4 / IHL 5, TOS 0, total length
//! `inner_len` + 20, identification 0, flags DF, TTL 64, protocol 4, the header checksum and
//! the addresses — before the editor reaches the inner header (at least 14 bytes in). The
//! checksum is summed one registered 16-bit term per cycle into a 20-bit accumulator, then
//! folded twice (end-around carry), all sequenced by a one-hot phase register: nothing but an
//! adder between registers. `shift` moves the next byte to `next_byte`.
//! Model twin: `flowdist_model::frame_editor::Encap::header`.
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct IpIpHeader {
    pub clock: Signal<In, Clock>,
    pub start: Signal<In, Bit>,
    pub src: Signal<In, Bits<32>>,
    pub dst: Signal<In, Bits<32>>,
    pub inner_len: Signal<In, Bits<16>>,
    pub shift: Signal<In, Bit>,
    /// The header's next byte (its first after the load).
    pub next_byte: Signal<Out, Bits<8>>,
    /// phase, one-hot: 0 total, 1..4 the address halves (terms), 1..5 summing, 6..7 folds,
    /// 8 load
    ph: DFF<Bits<9>>,
    adding: DFF<Bit>,
    total: DFF<Bits<16>>,
    term: DFF<Bits<16>>,
    acc: DFF<Bits<20>>,
    header: DFF<Bits<160>>,
    sum: Signal<Local, Bits<16>>,
}

impl Logic for IpIpHeader {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, ph, adding, total, term, acc, header);
        self.ph.d.next = self.ph.q.val() << 1;
        // the next term, registered
        self.term.d.next = self.total.q.val();
        if self.ph.q.val().get_bit(1) {
            self.term.d.next = self.src.val().get_bits::<16>(16);
        }
        if self.ph.q.val().get_bit(2) {
            self.term.d.next = self.src.val().get_bits::<16>(0);
        }
        if self.ph.q.val().get_bit(3) {
            self.term.d.next = self.dst.val().get_bits::<16>(16);
        }
        if self.ph.q.val().get_bit(4) {
            self.term.d.next = self.dst.val().get_bits::<16>(0);
        }
        // phases 1..5 add the five terms; 6 and 7 fold the carries back in (the second
        // cannot carry again)
        if self.ph.q.val().get_bit(0) {
            self.adding.d.next = true;
        }
        if self.ph.q.val().get_bit(5) {
            self.adding.d.next = false;
        }
        if self.adding.q.val() {
            self.acc.d.next = self.acc.q.val() + bit_cast::<20, 16>(self.term.q.val());
        }
        if self.ph.q.val().get_bit(6) | self.ph.q.val().get_bit(7) {
            self.acc.d.next = bit_cast::<20, 16>(self.acc.q.val().get_bits::<16>(0))
                + bit_cast::<20, 4>(self.acc.q.val().get_bits::<4>(16));
        }
        self.sum.next = !self.acc.q.val().get_bits::<16>(0);
        if self.ph.q.val().get_bit(8) {
            self.header.d.next = (bits::<160>(0x4500) << 144)
                | (bit_cast::<160, 16>(self.total.q.val()) << 128)
                | (bits::<160>(0x4000) << 96)
                | (bits::<160>(0x4004) << 80)
                | (bit_cast::<160, 16>(self.sum.val()) << 64)
                | (bit_cast::<160, 32>(self.src.val()) << 32)
                | bit_cast::<160, 32>(self.dst.val());
        }
        if self.shift.val() {
            self.header.d.next = self.header.q.val() << 8;
        }
        if self.start.val() {
            self.ph.d.next = bits::<9>(1);
            self.adding.d.next = false;
            self.total.d.next = self.inner_len.val() + bits::<16>(20);
            // 0x4500 + 0x4000 (DF) + 0x4004 (TTL 64, protocol 4)
            self.acc.d.next = bits::<20>(0xC504);
        }
        self.next_byte.next = self.header.q.val().get_bits::<8>(152);
    }
}
