//! Ingress FCS check and FCS strip for one port.
//!
//! Input: the received frame, one byte per cycle (`rx_valid`, `rx_data`), `rx_last` on
//! its final byte (the last FCS byte). Frames may follow each other with no gap.
//! Output, one cycle later: the frame without its four FCS bytes (`out_valid`,
//! `out_data`) and, on the cycle that carries the last payload byte (or alone, for a frame
//! of four bytes or fewer), `out_end` with the frame length (FCS included, saturating at
//! 65535) and `out_fcs_ok`. The three end outputs are valid only while `out_end` is high.
//!
//! The CRC runs over every byte, FCS included; a good frame leaves the CRC-32 residue
//! 0xDEBB20E3 in the register. Frames shorter than four bytes are always bad.
//! Model twin: `flowdist_model::fcs_checker`.
use crate::crc32_byte::{Crc32Byte, POLY_IEEE};
use rust_hdl::prelude::*;

/// Register contents after a whole frame with a correct FCS (no final complement).
pub const CRC32_RESIDUE: u32 = 0xDEBB_20E3;

#[derive(LogicBlock)]
pub struct FcsChecker {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub rx_valid: Signal<In, Bit>,
    pub rx_data: Signal<In, Bits<8>>,
    pub rx_last: Signal<In, Bit>,
    pub out_valid: Signal<Out, Bit>,
    pub out_data: Signal<Out, Bits<8>>,
    pub out_end: Signal<Out, Bit>,
    pub out_len: Signal<Out, Bits<16>>,
    pub out_fcs_ok: Signal<Out, Bit>,
    in_frame: DFF<Bit>,
    fill: DFF<Bits<3>>,
    d0: DFF<Bits<8>>,
    d1: DFF<Bits<8>>,
    d2: DFF<Bits<8>>,
    d3: DFF<Bits<8>>,
    len: DFF<Bits<16>>,
    crc: DFF<Bits<32>>,
    o_valid: DFF<Bit>,
    o_data: DFF<Bits<8>>,
    ended: DFF<Bit>,
    len4: DFF<Bit>,
    step: Crc32Byte,
    residue: Constant<Bits<32>>,
    len_next: Signal<Local, Bits<16>>,
}

impl Default for FcsChecker {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            rx_valid: Default::default(),
            rx_data: Default::default(),
            rx_last: Default::default(),
            out_valid: Default::default(),
            out_data: Default::default(),
            out_end: Default::default(),
            out_len: Default::default(),
            out_fcs_ok: Default::default(),
            in_frame: Default::default(),
            fill: Default::default(),
            d0: Default::default(),
            d1: Default::default(),
            d2: Default::default(),
            d3: Default::default(),
            len: Default::default(),
            crc: Default::default(),
            o_valid: Default::default(),
            o_data: Default::default(),
            ended: Default::default(),
            len4: Default::default(),
            step: Crc32Byte::new(POLY_IEEE),
            residue: Constant::new(bits(CRC32_RESIDUE as u64)),
            len_next: Default::default(),
        }
    }
}

impl Logic for FcsChecker {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, in_frame, fill, d0, d1, d2, d3, len, crc, o_valid, o_data, ended, len4
        );
        self.out_valid.next = self.o_valid.q.val();
        self.out_data.next = self.o_data.q.val();
        // The end marker is formed the cycle after the last byte, from registers: the CRC
        // compare then starts at a flip-flop (timing). A next frame's first byte may arrive
        // in that cycle; it changes `crc` and `len` only at the cycle's end.
        self.out_end.next = self.ended.q.val();
        self.out_len.next = self.len.q.val();
        self.out_fcs_ok.next = (self.crc.q.val() == self.residue.val()) & self.len4.q.val();

        self.step.data.next = self.rx_data.val();
        if self.in_frame.q.val() {
            self.step.crc_in.next = self.crc.q.val();
        } else {
            self.step.crc_in.next = bits::<32>(0xFFFF_FFFF_u64);
        }
        if !self.in_frame.q.val() {
            self.len_next.next = bits::<16>(1);
        } else if self.len.q.val() == bits::<16>(0xFFFF) {
            self.len_next.next = self.len.q.val();
        } else {
            self.len_next.next = self.len.q.val() + 1;
        }

        self.o_valid.d.next = false;
        self.ended.d.next = false;
        if self.rx_valid.val() {
            // at least four bytes, counting this one
            self.len4.d.next = self.in_frame.q.val()
                & (((self.len.q.val() & bits::<16>(0xFFFC)) != bits::<16>(0))
                    | ((self.len.q.val() & bits::<16>(3)) == bits::<16>(3)));
            self.crc.d.next = self.step.crc_out.val();
            self.len.d.next = self.len_next.val();
            self.d0.d.next = self.rx_data.val();
            self.d1.d.next = self.d0.q.val();
            self.d2.d.next = self.d1.q.val();
            self.d3.d.next = self.d2.q.val();
            if !self.in_frame.q.val() {
                self.fill.d.next = bits::<3>(1);
            } else if self.fill.q.val() != bits::<3>(4) {
                self.fill.d.next = self.fill.q.val() + 1;
            }
            // The oldest of four held bytes leaves once a fifth arrives: it cannot be FCS.
            if self.in_frame.q.val() & (self.fill.q.val() == bits::<3>(4)) {
                self.o_valid.d.next = true;
                self.o_data.d.next = self.d3.q.val();
            }
            self.in_frame.d.next = !self.rx_last.val();
            self.ended.d.next = self.rx_last.val();
        }
        if self.reset.val() {
            self.in_frame.d.next = false;
            self.fill.d.next = bits::<3>(0);
            self.o_valid.d.next = false;
            self.ended.d.next = false;
        }
    }
}
