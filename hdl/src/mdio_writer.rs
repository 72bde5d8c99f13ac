//! MDIO management writes (IEEE 802.3 clause 22) from a table fixed at build time: the board
//! tells its PHYs what to advertise before they negotiate.
//!
//! After `start` (a pulse, taken once after reset), each table word is sent as one write
//! frame, back to back: 32 preamble ones, then the word's 32 bits most significant first
//! (start 01, op 01 = write, PHY address 5, register 5, turnaround 10, data 16; [`frame`]
//! builds them). `mdc` is the core clock divided by 2 × 2^`D` (D = 5: 64 cycles, 1.95 MHz at
//! 125 MHz, under clause 22's 2.5 MHz); `mdio` changes only on MDC's falling edge, so it is
//! stable for half a period around each rising edge, where the PHY samples it. Between
//! frames and after the last one `mdio` is 1 (idle) and `mdc` low; `done` stays set after
//! the last frame.
//!
//! Writes only: the station never reads, so nothing ever drives MDIO but this block, which may
//! drive it push-pull (the PHY drives MDIO only in the second half of a read).
//! Model twin: `flowdist_model::mdio_writer` (the frames decoded from the pins).
use rust_hdl::prelude::*;
use std::collections::BTreeMap;

/// The 32 bits after the preamble of a clause-22 write of `data` to register `reg` of the PHY
/// at address `phy` (both 0..31).
pub fn frame(phy: u8, reg: u8, data: u16) -> u32 {
    (0b0101 << 28)
        | ((phy as u32 & 31) << 23)
        | ((reg as u32 & 31) << 18)
        | (0b10 << 16)
        | data as u32
}

#[derive(LogicBlock)]
pub struct MdioWriter<const A: usize, const D: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub start: Signal<In, Bit>,
    pub mdc: Signal<Out, Bit>,
    pub mdio: Signal<Out, Bit>,
    pub done: Signal<Out, Bit>,
    words: ROM<Bits<32>, A>,
    /// frames in the table
    count: Constant<Bits<A>>,
    div: DFF<Bits<D>>,
    busy: DFF<Bit>,
    fin: DFF<Bit>,
    mdc_q: DFF<Bit>,
    mdio_q: DFF<Bit>,
    /// the next bit to present (0..63 in the frame; 64: the frame is over)
    pos: DFF<Bits<7>>,
    idx: DFF<Bits<A>>,
    sh: DFF<Bits<32>>,
    tick: Signal<Local, Bit>,
}

impl<const A: usize, const D: usize> MdioWriter<A, D> {
    /// Words as [`frame`] makes them, sent in order (at least one, fewer than 2^A).
    pub fn new(words: &[u32]) -> Self {
        assert!(
            !words.is_empty() && words.len() < 1 << A,
            "1 to 2^A - 1 words"
        );
        let rom: BTreeMap<Bits<A>, Bits<32>> = words
            .iter()
            .enumerate()
            .map(|(i, &w)| (bits::<A>(i as u64), bits::<32>(w as u64)))
            .collect();
        Self {
            clock: Default::default(),
            reset: Default::default(),
            start: Default::default(),
            mdc: Default::default(),
            mdio: Default::default(),
            done: Default::default(),
            words: ROM::new(rom),
            count: Constant::new(bits::<A>(words.len() as u64)),
            div: Default::default(),
            busy: Default::default(),
            fin: Default::default(),
            mdc_q: Default::default(),
            mdio_q: Default::default(),
            pos: Default::default(),
            idx: Default::default(),
            sh: Default::default(),
            tick: Default::default(),
        }
    }
}

impl<const A: usize, const D: usize> Logic for MdioWriter<A, D> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, div, busy, fin, mdc_q, mdio_q, pos, idx, sh);
        self.words.address.next = self.idx.q.val();
        self.div.d.next = self.div.q.val() + 1;
        self.tick.next = self.busy.q.val() & self.div.q.val().all();
        if self.start.val() & !self.busy.q.val() & !self.fin.q.val() {
            // bit 0 (a preamble one) is on the line already: the idle level
            self.busy.d.next = true;
            self.pos.d.next = bits::<7>(1);
            self.idx.d.next = bits::<A>(0);
            self.div.d.next = bits::<D>(0);
        }
        if self.tick.val() {
            self.mdc_q.d.next = !self.mdc_q.q.val();
            if self.mdc_q.q.val() {
                // falling edge: present bit `pos`
                self.pos.d.next = self.pos.q.val() + 1;
                if self.pos.q.val() < bits::<7>(32) {
                    self.mdio_q.d.next = true;
                    if self.pos.q.val() == bits::<7>(31) {
                        self.sh.d.next = self.words.data.val();
                    }
                } else if self.pos.q.val() < bits::<7>(64) {
                    self.mdio_q.d.next = self.sh.q.val().get_bit(31);
                    self.sh.d.next = self.sh.q.val() << 1;
                } else {
                    // the frame is over: the next one's first preamble bit, or idle
                    self.mdio_q.d.next = true;
                    self.pos.d.next = bits::<7>(1);
                    self.idx.d.next = self.idx.q.val() + 1;
                    if self.idx.q.val() + 1 == self.count.val() {
                        self.busy.d.next = false;
                        self.fin.d.next = true;
                    }
                }
            }
        }
        if self.reset.val() {
            self.busy.d.next = false;
            self.fin.d.next = false;
            self.mdc_q.d.next = false;
            self.mdio_q.d.next = true;
        }
        self.mdc.next = self.mdc_q.q.val();
        self.mdio.next = self.mdio_q.q.val();
        self.done.next = self.fin.q.val();
    }
}
