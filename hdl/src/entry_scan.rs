//! The read side of a table scan: `start` → read addresses 0, 1, …, `last` on `addr`, one per
//! cycle while `busy`; a cycle later `issued` marks the read whose data the table's RAM (LUT
//! RAM: data the same cycle as the address) now shows, with its address `issued_idx` and
//! `issued_last` on the last one. A `start` during a scan restarts it; `reset` stops it.
//! Shared by `AddressCam` (rows up to a run-time last row), `TmTable` and `RouteTable`
//! (16 entries each).
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct EntryScan<const A: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub start: Signal<In, Bit>,
    pub last: Signal<In, Bits<A>>,
    pub addr: Signal<Out, Bits<A>>,
    pub busy: Signal<Out, Bit>,
    pub issued: Signal<Out, Bit>,
    pub issued_idx: Signal<Out, Bits<A>>,
    pub issued_last: Signal<Out, Bit>,
    issuing: DFF<Bit>,
    rd: DFF<Bits<A>>,
    r_issued: DFF<Bit>,
    r_idx: DFF<Bits<A>>,
    r_last: DFF<Bit>,
}

impl<const A: usize> Logic for EntryScan<A> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, issuing, rd, r_issued, r_idx, r_last);
        self.r_issued.d.next = self.issuing.q.val();
        self.r_idx.d.next = self.rd.q.val();
        self.r_last.d.next = self.issuing.q.val() & (self.rd.q.val() == self.last.val());
        if self.issuing.q.val() {
            if self.rd.q.val() == self.last.val() {
                self.issuing.d.next = false;
            } else {
                self.rd.d.next = self.rd.q.val() + 1;
            }
        }
        if self.start.val() {
            self.issuing.d.next = true;
            self.rd.d.next = bits::<A>(0);
        }
        if self.reset.val() {
            self.issuing.d.next = false;
            self.r_issued.d.next = false;
            self.r_last.d.next = false;
        }
        self.addr.next = self.rd.q.val();
        self.busy.next = self.issuing.q.val();
        self.issued.next = self.r_issued.q.val();
        self.issued_idx.next = self.r_idx.q.val();
        self.issued_last.next = self.r_last.q.val();
    }
}
