//! One output port: a queue per ingress pipeline, arbitration between them, and the transmit
//! side of the MAC (preamble, start-of-frame delimiter, inter-frame gap) as GMII bytes.
//!
//! Input: the frames the two ingress ports send here (`a_*`, `b_*`: `valid`, `data`, `last`
//! on the final FCS byte; no back-pressure, the ingress ports never wait), and the control
//! port's replies (`c_*`, R10: back out of the port a request came in on). Each source has its
//! own 2 KB block-RAM ring of 9-bit words (byte + last flag). A frame is written as it comes
//! and committed at its last byte; when a byte finds its ring full, the frame is abandoned
//! (the write pointer goes back to the frame's start, so nothing of it is ever read), the rest
//! of it is skipped and `a_drop`/`b_drop` pulses at its end. Only committed frames are
//! transmitted, so a frame is never cut, truncated or mixed with another, whatever the load.
//!
//! Transmit: when the line is idle and at least one ring holds a committed frame, the rings
//! are served in turn (round robin by frame over a, b, c, so a busy pipeline cannot starve
//! another):
//! 7 × 0x55, 0xD5, the frame, then 12 idle cycles (the minimum inter-frame gap). The ring is
//! read two cycles ahead (the block RAM's output register) so the frame follows the
//! delimiter with no gap. `tx_en`/`txd` come from registers; `tx_frame` pulses once per frame
//! sent.
//!
//! Store-and-forward, or cut-through for the ingress pipelines (`cut_through`): with it set,
//! a frame that is still arriving on `a` or `b` (its first byte written, `RingWriter::open`)
//! into a ring with no committed frame waiting may be started at once, in the same round
//! robin; it is not counted again when it commits. This is right only for a source that
//! pauses for at most [`CUT_THROUGH_MAX_PAUSE`] cycles in all inside a frame: the preamble
//! (8 cycles) puts the read of byte i at least 7 cycles after the write of byte 0 plus i, so
//! a frame written one byte per cycle with at most that many idle cycles in it is always
//! written ahead of its reader. The ingress ports meet it (the editor's tag pop is 4 idle
//! cycles; a tag push or an outer header 1 each; `classifier_harness::ingress_outputs`
//! checks every frame in the tests). A frame started early cannot be abandoned for a full
//! ring: the ring then holds only that frame's unread bytes, a handful. The control port's
//! replies (`c`) are always sent store-and-forward.
//!
//! Model twin: `flowdist_model::egress_port` (framing and the merge rule).
use crate::block_ram::BlockRam;
use rust_hdl::prelude::*;

/// The most idle cycles, in all, a cut-through source (`a`, `b` with `cut_through`) may leave
/// inside one frame (between its first and last byte).
pub const CUT_THROUGH_MAX_PAUSE: usize = 6;

// Transmit states (`state`): 0 idle, 1 preamble, 2 data, 3 inter-frame gap.

#[derive(LogicBlock, Default)]
pub struct EgressPort {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub a_valid: Signal<In, Bit>,
    pub a_data: Signal<In, Bits<8>>,
    pub a_last: Signal<In, Bit>,
    pub b_valid: Signal<In, Bit>,
    pub b_data: Signal<In, Bits<8>>,
    pub b_last: Signal<In, Bit>,
    pub c_valid: Signal<In, Bit>,
    pub c_data: Signal<In, Bits<8>>,
    pub c_last: Signal<In, Bit>,
    /// Start a frame from `a` or `b` while it is still arriving (see the module text).
    pub cut_through: Signal<In, Bit>,
    pub tx_en: Signal<Out, Bit>,
    pub txd: Signal<Out, Bits<8>>,
    pub tx_frame: Signal<Out, Bit>,
    pub a_drop: Signal<Out, Bit>,
    pub b_drop: Signal<Out, Bit>,
    pub c_drop: Signal<Out, Bit>,
    ring_a: BlockRam<9, 11>,
    ring_b: BlockRam<9, 11>,
    ring_c: BlockRam<9, 11>,
    wa: RingWriter,
    wb: RingWriter,
    wc: RingWriter,
    // frames committed and not yet started, per ring
    ready_a: DFF<Bits<7>>,
    ready_b: DFF<Bits<7>>,
    ready_c: DFF<Bits<7>>,
    /// `ready_x != 0`, kept in a register (timing: the round robin and the read-address mux
    /// follow it; a 7-bit compare in front of them missed 125 MHz)
    has_a: DFF<Bit>,
    has_b: DFF<Bit>,
    has_c: DFF<Bit>,
    /// the frame being written into ring a (b) was started before it was whole: its commit
    /// adds nothing to `ready_a` (`ready_b`)
    early_a: DFF<Bit>,
    early_b: DFF<Bit>,
    state: DFF<Bits<2>>,
    k: DFF<Bits<4>>,
    /// the ring being sent (0 a, 1 b, 2 c), and the last one chosen
    sel: DFF<Bits<2>>,
    last: DFF<Bits<2>>,
    rd: DFF<Bits<11>>,
    issuing: DFF<Bit>,
    o_en: DFF<Bit>,
    o_d: DFF<Bits<8>>,
    o_frame: DFF<Bit>,
    word: Signal<Local, Bits<9>>,
    start_a: Signal<Local, Bit>,
    start_b: Signal<Local, Bit>,
    start_c: Signal<Local, Bit>,
    /// a ring the round robin may start: a committed frame waits, or (cut-through) a frame
    /// not started yet is arriving
    e_a: Signal<Local, Bit>,
    e_b: Signal<Local, Bit>,
    /// frames committed to be counted (not started early), and committed frames started
    add_a: Signal<Local, Bit>,
    add_b: Signal<Local, Bit>,
    take_a: Signal<Local, Bit>,
    take_b: Signal<Local, Bit>,
}

impl Logic for EgressPort {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, ready_a, ready_b, ready_c, has_a, has_b, has_c, early_a, early_b, state,
            k, sel, last, rd, issuing, o_en, o_d, o_frame
        );
        self.ring_a.clock.next = self.clock.val();
        self.ring_b.clock.next = self.clock.val();
        self.ring_c.clock.next = self.clock.val();
        self.wa.clock.next = self.clock.val();
        self.wb.clock.next = self.clock.val();
        self.wc.clock.next = self.clock.val();
        self.wa.reset.next = self.reset.val();
        self.wb.reset.next = self.reset.val();
        self.wc.reset.next = self.reset.val();
        // writers
        self.wa.valid.next = self.a_valid.val();
        self.wa.data.next = self.a_data.val();
        self.wa.last.next = self.a_last.val();
        self.wb.valid.next = self.b_valid.val();
        self.wb.data.next = self.b_data.val();
        self.wb.last.next = self.b_last.val();
        self.wc.valid.next = self.c_valid.val();
        self.wc.data.next = self.c_data.val();
        self.wc.last.next = self.c_last.val();
        self.ring_c.write_enable.next = self.wc.write.val();
        self.ring_c.write_address.next = self.wc.address.val();
        self.ring_c.write_data.next = self.wc.word.val();
        self.c_drop.next = self.wc.drop.val();
        self.ring_a.write_enable.next = self.wa.write.val();
        self.ring_a.write_address.next = self.wa.address.val();
        self.ring_a.write_data.next = self.wa.word.val();
        self.ring_b.write_enable.next = self.wb.write.val();
        self.ring_b.write_address.next = self.wb.address.val();
        self.ring_b.write_data.next = self.wb.word.val();
        self.a_drop.next = self.wa.drop.val();
        self.b_drop.next = self.wb.drop.val();
        // reader
        self.ring_a.read_address.next = self.rd.q.val();
        self.ring_b.read_address.next = self.rd.q.val();
        self.ring_c.read_address.next = self.rd.q.val();
        self.word.next = self.ring_a.read_data.val();
        if self.sel.q.val() == bits::<2>(1) {
            self.word.next = self.ring_b.read_data.val();
        } else if self.sel.q.val() == bits::<2>(2) {
            self.word.next = self.ring_c.read_data.val();
        }
        if self.issuing.q.val() {
            self.rd.d.next = self.rd.q.val() + 1;
        }
        self.wa.free.next = false;
        self.wb.free.next = false;
        self.wc.free.next = false;
        self.wa.free_at.next = self.rd.q.val() - 2;
        self.wb.free_at.next = self.rd.q.val() - 2;
        self.wc.free_at.next = self.rd.q.val() - 2;
        self.start_a.next = false;
        self.start_b.next = false;
        self.start_c.next = false;
        self.o_en.d.next = false;
        self.o_d.d.next = bits::<8>(0);
        self.o_frame.d.next = false;
        // the word out now has been read: its place is free (a frame's words are freed as it
        // goes out, so a ring holds what is waiting, not what is being sent as well)
        if self.state.q.val() == bits::<2>(2) {
            self.wa.free.next = self.sel.q.val() == bits::<2>(0);
            self.wb.free.next = self.sel.q.val() == bits::<2>(1);
            self.wc.free.next = self.sel.q.val() == bits::<2>(2);
        }
        // a frame still arriving may start only when its ring has no whole one waiting (so
        // the ring holds nothing before it)
        self.e_a.next = self.has_a.q.val()
            | (self.cut_through.val() & self.wa.open.val() & !self.early_a.q.val());
        self.e_b.next = self.has_b.q.val()
            | (self.cut_through.val() & self.wb.open.val() & !self.early_b.q.val());
        if self.state.q.val() == bits::<2>(0) {
            // pick a ring: the first that has a frame after the one chosen last time
            if self.last.q.val() == bits::<2>(0) {
                if self.e_b.val() {
                    self.start_b.next = true;
                } else if self.has_c.q.val() {
                    self.start_c.next = true;
                } else if self.e_a.val() {
                    self.start_a.next = true;
                }
            } else if self.last.q.val() == bits::<2>(1) {
                if self.has_c.q.val() {
                    self.start_c.next = true;
                } else if self.e_a.val() {
                    self.start_a.next = true;
                } else if self.e_b.val() {
                    self.start_b.next = true;
                }
            } else if self.e_a.val() {
                self.start_a.next = true;
            } else if self.e_b.val() {
                self.start_b.next = true;
            } else if self.has_c.q.val() {
                self.start_c.next = true;
            }
            if self.start_a.val() | self.start_b.val() | self.start_c.val() {
                self.state.d.next = bits::<2>(1);
                self.k.d.next = bits::<4>(1);
                self.o_en.d.next = true;
                self.o_d.d.next = bits::<8>(0x55);
                self.sel.d.next = bits::<2>(0);
                self.rd.d.next = self.wa.start.val();
                if self.start_b.val() {
                    self.sel.d.next = bits::<2>(1);
                    self.rd.d.next = self.wb.start.val();
                }
                if self.start_c.val() {
                    self.sel.d.next = bits::<2>(2);
                    self.rd.d.next = self.wc.start.val();
                }
                self.last.d.next = self.sel.d.val();
            }
        } else if self.state.q.val() == bits::<2>(1) {
            self.o_en.d.next = true;
            self.o_d.d.next = bits::<8>(0x55);
            self.k.d.next = self.k.q.val() + 1;
            // the first data word is read during k = 6, so it leaves the RAM at k = 8
            if self.k.q.val() == bits::<4>(5) {
                self.issuing.d.next = true;
            }
            if self.k.q.val() == bits::<4>(7) {
                self.o_d.d.next = bits::<8>(0xD5);
                self.state.d.next = bits::<2>(2);
            }
        } else if self.state.q.val() == bits::<2>(2) {
            self.o_en.d.next = true;
            self.o_d.d.next = self.word.val().get_bits::<8>(0);
            if self.word.val().get_bit(8) {
                // the word read two cycles ago ends the frame
                self.issuing.d.next = false;
                self.state.d.next = bits::<2>(3);
                self.k.d.next = bits::<4>(0);
                self.o_frame.d.next = true;
            }
        } else {
            self.k.d.next = self.k.q.val() + 1;
            if self.k.q.val() == bits::<4>(11) {
                self.state.d.next = bits::<2>(0);
            }
        }
        // frames ready: + committed (unless started early), - started (when committed)
        self.take_a.next = self.start_a.val() & self.has_a.q.val();
        self.take_b.next = self.start_b.val() & self.has_b.q.val();
        // (a commit in the cycle its own frame is started early is not counted either)
        self.add_a.next = self.wa.commit.val()
            & !self.early_a.q.val()
            & (!self.start_a.val() | self.has_a.q.val());
        self.add_b.next = self.wb.commit.val()
            & !self.early_b.q.val()
            & (!self.start_b.val() | self.has_b.q.val());
        if self.add_a.val() & !self.take_a.val() {
            self.ready_a.d.next = self.ready_a.q.val() + 1;
        }
        if !self.add_a.val() & self.take_a.val() {
            self.ready_a.d.next = self.ready_a.q.val() - 1;
        }
        if self.add_b.val() & !self.take_b.val() {
            self.ready_b.d.next = self.ready_b.q.val() + 1;
        }
        if !self.add_b.val() & self.take_b.val() {
            self.ready_b.d.next = self.ready_b.q.val() - 1;
        }
        // a frame started early stays so until its writer commits (or abandons) it
        if self.start_a.val() & !self.has_a.q.val() & !self.wa.commit.val() {
            self.early_a.d.next = true;
        }
        if self.wa.commit.val() | self.wa.drop.val() {
            self.early_a.d.next = false;
        }
        if self.start_b.val() & !self.has_b.q.val() & !self.wb.commit.val() {
            self.early_b.d.next = true;
        }
        if self.wb.commit.val() | self.wb.drop.val() {
            self.early_b.d.next = false;
        }
        if self.wc.commit.val() & !self.start_c.val() {
            self.ready_c.d.next = self.ready_c.q.val() + 1;
        }
        if !self.wc.commit.val() & self.start_c.val() {
            self.ready_c.d.next = self.ready_c.q.val() - 1;
        }
        // next != 0: a frame committed, or more than one waited, or one that is not started
        self.has_a.d.next = self.add_a.val()
            | self.ready_a.q.val().get_bits::<6>(1).any()
            | (self.has_a.q.val() & !self.take_a.val());
        self.has_b.d.next = self.add_b.val()
            | self.ready_b.q.val().get_bits::<6>(1).any()
            | (self.has_b.q.val() & !self.take_b.val());
        self.has_c.d.next = self.wc.commit.val()
            | self.ready_c.q.val().get_bits::<6>(1).any()
            | (self.has_c.q.val() & !self.start_c.val());
        if self.reset.val() {
            self.has_a.d.next = false;
            self.has_b.d.next = false;
            self.has_c.d.next = false;
            self.early_a.d.next = false;
            self.early_b.d.next = false;
            self.ready_a.d.next = bits::<7>(0);
            self.ready_b.d.next = bits::<7>(0);
            self.ready_c.d.next = bits::<7>(0);
            self.state.d.next = bits::<2>(0);
            self.issuing.d.next = false;
            self.o_en.d.next = false;
        }
        self.tx_en.next = self.o_en.q.val();
        self.txd.next = self.o_d.q.val();
        self.tx_frame.next = self.o_frame.q.val();
    }
}

/// The write side of one ring: where the next byte goes, the start of the oldest frame not
/// yet sent (`start`; `free` moves it past `free_at`, the word just sent), commit and abandon.
#[derive(LogicBlock, Default)]
pub struct RingWriter {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub valid: Signal<In, Bit>,
    pub data: Signal<In, Bits<8>>,
    pub last: Signal<In, Bit>,
    pub free: Signal<In, Bit>,
    pub free_at: Signal<In, Bits<11>>,
    pub write: Signal<Out, Bit>,
    pub address: Signal<Out, Bits<11>>,
    pub word: Signal<Out, Bits<9>>,
    /// One cycle per frame completely written.
    pub commit: Signal<Out, Bit>,
    /// One cycle per frame abandoned (ring full), the cycle after its last byte.
    pub drop: Signal<Out, Bit>,
    /// First word of the oldest frame still in the ring (the reader starts there).
    pub start: Signal<Out, Bits<11>>,
    /// A frame is being written: its first byte is in, its last is not yet (registered).
    pub open: Signal<Out, Bit>,
    open_q: DFF<Bit>,
    // the input, registered (the ingress port's output mux is a long path already)
    v_q: DFF<Bit>,
    d_q: DFF<Bits<8>>,
    l_q: DFF<Bit>,
    wr: DFF<Bits<11>>,
    /// `wr` + 1, kept in a register so that `full` is a plain compare
    wr1: DFF<Bits<11>>,
    fstart: DFF<Bits<11>>,
    skipping: DFF<Bit>,
    oldest: DFF<Bits<11>>,
    dropped: DFF<Bit>,
    /// the ring is (or, after one more write, will be) full: registered, so one word early
    /// at worst (the oldest word only moves forward, the write position by one at a time)
    full_q: DFF<Bit>,
    full: Signal<Local, Bit>,
    /// `wr1` + 1 in 11 bits (in a compare, Verilog would add in 32 bits and never wrap)
    wr2: Signal<Local, Bits<11>>,
}

impl Logic for RingWriter {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, v_q, d_q, l_q, wr, wr1, fstart, skipping, oldest, dropped, full_q, open_q
        );
        self.v_q.d.next = self.valid.val();
        self.d_q.d.next = self.data.val();
        self.l_q.d.next = self.last.val();
        // full: the next position is the oldest unsent word (a cycle late, so also when it is
        // one short of it)
        self.wr2.next = self.wr1.q.val() + 1;
        self.full_q.d.next =
            (self.wr1.q.val() == self.oldest.q.val()) | (self.wr2.val() == self.oldest.q.val());
        self.full.next = self.full_q.q.val();
        self.write.next = false;
        self.commit.next = false;
        self.dropped.d.next = false;
        self.drop.next = self.dropped.q.val();
        self.address.next = self.wr.q.val();
        self.word.next = bit_cast::<9, 8>(self.d_q.q.val());
        if self.l_q.q.val() {
            self.word.next = bit_cast::<9, 8>(self.d_q.q.val()) | bits::<9>(0x100);
        }
        if self.v_q.q.val() {
            if self.skipping.q.val() | self.full.val() {
                self.wr.d.next = self.fstart.q.val();
                self.wr1.d.next = self.fstart.q.val() + 1;
                self.skipping.d.next = !self.l_q.q.val();
                self.dropped.d.next = self.l_q.q.val();
                self.open_q.d.next = false;
            } else {
                self.write.next = true;
                self.open_q.d.next = !self.l_q.q.val();
                self.wr.d.next = self.wr1.q.val();
                self.wr1.d.next = self.wr1.q.val() + 1;
                if self.l_q.q.val() {
                    self.fstart.d.next = self.wr1.q.val();
                    self.commit.next = true;
                }
            }
        }
        if self.free.val() {
            self.oldest.d.next = self.free_at.val() + 1;
        }
        self.start.next = self.oldest.q.val();
        self.open.next = self.open_q.q.val();
        if self.reset.val() {
            self.open_q.d.next = false;
            self.wr.d.next = bits::<11>(0);
            self.wr1.d.next = bits::<11>(1);
            self.fstart.d.next = bits::<11>(0);
            self.skipping.d.next = false;
            self.oldest.d.next = bits::<11>(0);
        }
    }
}
