//! A first-in first-out queue of 2^A words of `Bits<W>` in a [`BlockRam`] (output register
//! in the block, so nothing slow leaves it).
//!
//! Write: `write` with `data_in` stores a word unless `full`. Read: `pop` (honoured only when
//! not `empty`) takes the head; the word comes out on `data_out` with `out_valid` two cycles
//! later. `empty` and `full` come straight from registers (all registers power up to an empty
//! queue, so it works before the first reset too). A word written in one cycle can be
//! popped in the next.
use crate::block_ram::BlockRam;
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct BlockFifo<const W: usize, const A: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub write: Signal<In, Bit>,
    pub data_in: Signal<In, Bits<W>>,
    pub full: Signal<Out, Bit>,
    /// Words held, modulo 2^A (0 when empty or full: tell them apart by `empty`/`full`),
    /// from a register.
    pub level: Signal<Out, Bits<A>>,
    pub pop: Signal<In, Bit>,
    pub empty: Signal<Out, Bit>,
    pub out_valid: Signal<Out, Bit>,
    pub data_out: Signal<Out, Bits<W>>,
    ram: BlockRam<W, A>,
    wr: DFF<Bits<A>>,
    rd: DFF<Bits<A>>,
    wr_lap: DFF<Bit>,
    rd_lap: DFF<Bit>,
    has_data: DFF<Bit>,
    full_q: DFF<Bit>,
    level_q: DFF<Bits<A>>,
    v1: DFF<Bit>,
    v2: DFF<Bit>,
    push_ok: Signal<Local, Bit>,
    pop_ok: Signal<Local, Bit>,
    wr_next: Signal<Local, Bits<A>>,
    rd_next: Signal<Local, Bits<A>>,
    wr_lap_next: Signal<Local, Bit>,
    rd_lap_next: Signal<Local, Bit>,
}

impl<const W: usize, const A: usize> Logic for BlockFifo<W, A> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, wr, rd, wr_lap, rd_lap, has_data, full_q, level_q, v1, v2);
        self.ram.clock.next = self.clock.val();
        self.push_ok.next = self.write.val() & !self.full_q.q.val();
        self.pop_ok.next = self.pop.val() & self.has_data.q.val();
        self.ram.write_enable.next = self.push_ok.val();
        self.ram.write_address.next = self.wr.q.val();
        self.ram.write_data.next = self.data_in.val();
        self.ram.read_address.next = self.rd.q.val();
        self.wr_next.next = self.wr.q.val();
        self.wr_lap_next.next = self.wr_lap.q.val();
        if self.push_ok.val() {
            self.wr_next.next = self.wr.q.val() + 1;
            if self.wr.q.val().all() {
                self.wr_lap_next.next = !self.wr_lap.q.val();
            }
        }
        self.rd_next.next = self.rd.q.val();
        self.rd_lap_next.next = self.rd_lap.q.val();
        if self.pop_ok.val() {
            self.rd_next.next = self.rd.q.val() + 1;
            if self.rd.q.val().all() {
                self.rd_lap_next.next = !self.rd_lap.q.val();
            }
        }
        self.wr.d.next = self.wr_next.val();
        self.rd.d.next = self.rd_next.val();
        self.wr_lap.d.next = self.wr_lap_next.val();
        self.rd_lap.d.next = self.rd_lap_next.val();
        self.has_data.d.next = (self.wr_next.val() != self.rd_next.val())
            | (self.wr_lap_next.val() != self.rd_lap_next.val());
        self.full_q.d.next = (self.wr_next.val() == self.rd_next.val())
            & (self.wr_lap_next.val() != self.rd_lap_next.val());
        self.level_q.d.next = self.wr_next.val() - self.rd_next.val();
        self.v1.d.next = self.pop_ok.val();
        self.v2.d.next = self.v1.q.val();
        if self.reset.val() {
            self.wr.d.next = bits::<A>(0);
            self.rd.d.next = bits::<A>(0);
            self.wr_lap.d.next = false;
            self.rd_lap.d.next = false;
            self.has_data.d.next = false;
            self.full_q.d.next = false;
            self.level_q.d.next = bits::<A>(0);
            self.v1.d.next = false;
            self.v2.d.next = false;
        }
        self.empty.next = !self.has_data.q.val();
        self.full.next = self.full_q.q.val();
        self.level.next = self.level_q.q.val();
        self.out_valid.next = self.v2.q.val();
        self.data_out.next = self.ram.read_data.val();
    }
}
