//! The receive side of a gigabit MAC, in the PHY's receive clock domain: GMII bytes
//! (`rx_dv`, `rx_er`, `rxd`, one per `clock` cycle, as the RGMII DDR inputs deliver them) in,
//! frames out (`out_valid`, `out_data`, `out_last` on the final byte, FCS included) for the
//! clock-crossing queue.
//!
//! - Preamble: bytes before the start-of-frame delimiter 0xD5 are dropped, however many
//!   there are (PHYs may shorten the preamble); a carrier that ends before a 0xD5 yields
//!   nothing.
//! - The end of a frame is known only when `rx_dv` falls, so each byte is held one cycle and
//!   goes out when the next arrives, or as the last when `rx_dv` falls.
//! - A receive error (`rx_er` with `rx_dv`, IEEE 802.3 clause 35) anywhere in a frame
//!   inverts its final byte: the frame then fails its FCS check in the ingress port (CRC-32
//!   detects every error burst of 8 bits) and is flagged, counted and dropped there, never
//!   forwarded. `rx_er` without `rx_dv` (false carrier, carrier extension) is ignored.
//! - `bad_frame` pulses once per frame with a receive error.
//!
//! Model twin: `flowdist_model::gmii_rx`.
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct GmiiRx {
    pub clock: Signal<In, Clock>,
    pub rx_dv: Signal<In, Bit>,
    pub rx_er: Signal<In, Bit>,
    pub rxd: Signal<In, Bits<8>>,
    pub out_valid: Signal<Out, Bit>,
    pub out_data: Signal<Out, Bits<8>>,
    pub out_last: Signal<Out, Bit>,
    pub bad_frame: Signal<Out, Bit>,
    // input registers (the DDR outputs go straight into them)
    dv: DFF<Bit>,
    er: DFF<Bit>,
    d: DFF<Bits<8>>,
    in_frame: DFF<Bit>,
    held_v: DFF<Bit>,
    held: DFF<Bits<8>>,
    err: DFF<Bit>,
    o_valid: DFF<Bit>,
    o_data: DFF<Bits<8>>,
    o_last: DFF<Bit>,
    o_bad: DFF<Bit>,
}

impl Logic for GmiiRx {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, dv, er, d, in_frame, held_v, held, err, o_valid, o_data, o_last, o_bad
        );
        self.dv.d.next = self.rx_dv.val();
        self.er.d.next = self.rx_er.val();
        self.d.d.next = self.rxd.val();
        self.o_valid.d.next = false;
        self.o_last.d.next = false;
        self.o_bad.d.next = false;
        if !self.in_frame.q.val() {
            if self.dv.q.val() & (self.d.q.val() == bits::<8>(0xD5)) {
                self.in_frame.d.next = true;
                self.err.d.next = self.er.q.val();
                self.held_v.d.next = false;
            }
        } else if self.dv.q.val() {
            // a byte of the frame: pass the held one on, hold this one
            if self.held_v.q.val() {
                self.o_valid.d.next = true;
                self.o_data.d.next = self.held.q.val();
            }
            self.held.d.next = self.d.q.val();
            self.held_v.d.next = true;
            if self.er.q.val() {
                self.err.d.next = true;
            }
        } else {
            // carrier gone: the held byte was the last
            self.in_frame.d.next = false;
            self.held_v.d.next = false;
            if self.held_v.q.val() {
                self.o_valid.d.next = true;
                self.o_last.d.next = true;
                self.o_data.d.next = self.held.q.val();
                if self.err.q.val() {
                    self.o_data.d.next = !self.held.q.val();
                }
                self.o_bad.d.next = self.err.q.val();
            }
        }
        self.out_valid.next = self.o_valid.q.val();
        self.out_data.next = self.o_data.q.val();
        self.out_last.next = self.o_last.q.val();
        self.bad_frame.next = self.o_bad.q.val();
    }
}
