//! Incremental IPv4 header checksum update (RFC 1624 eqn. 3), for the router's TTL decrement
//! (R8) and any other edit of a 16-bit header word: HC' = ~(~HC + ~m + m'), ones'-complement
//! sums with end-around carry. Unlike eqn. 2 (HC - ~m - m') it never produces the -0
//! (0xFFFF) a full recomputation would not, which is the RFC's corner case.
//!
//! Pipelined, a request every cycle: `valid` with `checksum` (HC), `old_word` (m) and
//! `new_word` (m') → `done` with `result` (HC') two cycles later. Stage 1 adds the three
//! terms into 18 bits; stage 2 folds the carries back in twice (the second fold cannot carry
//! again) and complements. Model twin: `flowdist_model::checksum_update`.
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct ChecksumUpdate {
    pub clock: Signal<In, Clock>,
    pub valid: Signal<In, Bit>,
    pub checksum: Signal<In, Bits<16>>,
    pub old_word: Signal<In, Bits<16>>,
    pub new_word: Signal<In, Bits<16>>,
    pub done: Signal<Out, Bit>,
    pub result: Signal<Out, Bits<16>>,
    s1: DFF<Bits<18>>,
    v1: DFF<Bit>,
    r2: DFF<Bits<16>>,
    v2: DFF<Bit>,
    // complements in 16-bit locals: inside a wider expression Verilog would widen first
    not_hc: Signal<Local, Bits<16>>,
    not_m: Signal<Local, Bits<16>>,
    fold1: Signal<Local, Bits<17>>,
    fold2: Signal<Local, Bits<17>>,
}

impl Logic for ChecksumUpdate {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, s1, v1, r2, v2);
        self.not_hc.next = !self.checksum.val();
        self.not_m.next = !self.old_word.val();
        self.s1.d.next = bit_cast::<18, 16>(self.not_hc.val())
            + bit_cast::<18, 16>(self.not_m.val())
            + bit_cast::<18, 16>(self.new_word.val());
        self.v1.d.next = self.valid.val();
        // at most 3 × 0xFFFF = 0x2FFFD: fold the two carry bits, then the one that may remain
        self.fold1.next = bit_cast::<17, 16>(self.s1.q.val().get_bits::<16>(0))
            + bit_cast::<17, 2>(self.s1.q.val().get_bits::<2>(16));
        self.fold2.next = bit_cast::<17, 16>(self.fold1.val().get_bits::<16>(0))
            + bit_cast::<17, 1>(self.fold1.val().get_bits::<1>(16));
        self.r2.d.next = !self.fold2.val().get_bits::<16>(0);
        self.v2.d.next = self.v1.q.val();
        self.done.next = self.v2.q.val();
        self.result.next = self.r2.q.val();
    }
}
