//! A bank of N 32-bit event counters (R13): counter i adds `amount` (frames: 1, bytes: the
//! frame's length) in every cycle its bit of `events` is set; any number of counters can
//! count in the same cycle. Counters wrap at 2^32 (the reader takes differences). `clear`
//! zeroes them all (a count arriving in the same cycle is lost with the rest).
//!
//! Read port: `rd_addr` → `rd_data` two cycles later (the address is registered, then the
//! N-way select), so reading never disturbs counting. The events come from registers in the
//! blocks that raise them; the increment is one 32-bit adder per counter.
//! Model twin: `flowdist_model::counter_bank`.
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct CounterBank<const N: usize> {
    pub clock: Signal<In, Clock>,
    pub clear: Signal<In, Bit>,
    pub events: Signal<In, Bits<N>>,
    pub amount: Signal<In, Bits<16>>,
    pub rd_addr: Signal<In, Bits<8>>,
    pub rd_data: Signal<Out, Bits<32>>,
    count: Vec<DFF<Bits<32>>>,
    addr_q: DFF<Bits<8>>,
    data_q: DFF<Bits<32>>,
}

impl<const N: usize> Default for CounterBank<N> {
    fn default() -> Self {
        assert!((1..=256).contains(&N), "CounterBank: 1..=256 counters");
        Self {
            clock: Default::default(),
            clear: Default::default(),
            events: Default::default(),
            amount: Default::default(),
            rd_addr: Default::default(),
            rd_data: Default::default(),
            count: (0..N).map(|_| Default::default()).collect(),
            addr_q: Default::default(),
            data_q: Default::default(),
        }
    }
}

impl<const N: usize> Logic for CounterBank<N> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, addr_q, data_q);
        for i in 0..N {
            self.count[i].clock.next = self.clock.val();
            self.count[i].d.next = self.count[i].q.val();
            if self.events.val().get_bit(i) {
                self.count[i].d.next =
                    self.count[i].q.val() + bit_cast::<32, 16>(self.amount.val());
            }
            if self.clear.val() {
                self.count[i].d.next = bits::<32>(0);
            }
        }
        self.addr_q.d.next = self.rd_addr.val();
        self.data_q.d.next = bits::<32>(0);
        for i in 0..N {
            if self.addr_q.q.val().index() == i {
                self.data_q.d.next = self.count[i].q.val();
            }
        }
        self.rd_data.next = self.data_q.q.val();
    }
}
