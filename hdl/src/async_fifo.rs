//! A clock-domain crossing queue: 2^A words of `Bits<W>` written in one clock domain and
//! read in another (a PHY's receive clock into the core clock).
//!
//! Classic gray-coded pointers: each side keeps a binary pointer of P = A + 1 bits and its
//! gray code (`b ^ (b >> 1)`) in a register; the gray code crosses into the other domain
//! through two flip-flops, so at most one bit of what is sampled is in flight and a sample is
//! always either the old or the new pointer. The reader's view of the writer is therefore
//! late, never ahead: `empty` and `full` are pessimistic, never wrong.
//!
//! Write side: `write` with `data_in` stores a word unless the queue is full; a write into a
//! full queue is refused and pulses `overflow` (the receive path counts it; the frame it
//! belongs to then fails its FCS check downstream, so nothing is passed on silently).
//! Read side: no back-pressure (the ingress port takes a byte every cycle): whenever the
//! reader sees a word it reads it, and the word comes out on `data_out` with `out_valid` one
//! `read_clock` cycle later. All pointers power up at zero (an empty queue), so the crossing
//! works from configuration on with no reset to sequence across the two domains.
//!
//! Storage is rust-hdl's two-clock `RAM` (registered read on `read_clock`); at 2^A ≤ 64 words
//! yosys maps it onto distributed RAM. Model twin: `flowdist_model::async_fifo`.
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct AsyncFifo<const W: usize, const A: usize, const P: usize> {
    pub write_clock: Signal<In, Clock>,
    pub write: Signal<In, Bit>,
    pub data_in: Signal<In, Bits<W>>,
    /// One `write_clock` cycle per refused write.
    pub overflow: Signal<Out, Bit>,
    pub read_clock: Signal<In, Clock>,
    pub out_valid: Signal<Out, Bit>,
    pub data_out: Signal<Out, Bits<W>>,
    ram: RAM<Bits<W>, A>,
    // write domain
    wbin: DFF<Bits<P>>,
    wgray: DFF<Bits<P>>,
    rg1: DFF<Bits<P>>,
    rg2: DFF<Bits<P>>,
    ovf: DFF<Bit>,
    // read domain
    rbin: DFF<Bits<P>>,
    rgray: DFF<Bits<P>>,
    wg1: DFF<Bits<P>>,
    wg2: DFF<Bits<P>>,
    rvalid: DFF<Bit>,
    full: Signal<Local, Bit>,
    wnext: Signal<Local, Bits<P>>,
    rnext: Signal<Local, Bits<P>>,
    /// The two top bits of a pointer: full is "writer one lap ahead" in gray code.
    top2: Constant<Bits<P>>,
}

impl<const W: usize, const A: usize, const P: usize> AsyncFifo<W, A, P> {
    pub fn new() -> Self {
        assert_eq!(P, A + 1, "AsyncFifo: P must be A + 1");
        Self {
            write_clock: Default::default(),
            write: Default::default(),
            data_in: Default::default(),
            overflow: Default::default(),
            read_clock: Default::default(),
            out_valid: Default::default(),
            data_out: Default::default(),
            ram: Default::default(),
            wbin: Default::default(),
            wgray: Default::default(),
            rg1: Default::default(),
            rg2: Default::default(),
            ovf: Default::default(),
            rbin: Default::default(),
            rgray: Default::default(),
            wg1: Default::default(),
            wg2: Default::default(),
            rvalid: Default::default(),
            full: Default::default(),
            wnext: Default::default(),
            rnext: Default::default(),
            top2: Constant::new(bits::<P>(3u64 << (P - 2))),
        }
    }
}

impl<const W: usize, const A: usize, const P: usize> Logic for AsyncFifo<W, A, P> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, write_clock, wbin, wgray, rg1, rg2, ovf);
        dff_setup!(self, read_clock, rbin, rgray, wg1, wg2, rvalid);
        self.ram.write_clock.next = self.write_clock.val();
        self.ram.read_clock.next = self.read_clock.val();
        // write domain
        self.rg1.d.next = self.rgray.q.val();
        self.rg2.d.next = self.rg1.q.val();
        self.full.next = self.wgray.q.val() == (self.rg2.q.val() ^ self.top2.val());
        self.ram.write_address.next = self.wbin.q.val().get_bits::<A>(0);
        self.ram.write_data.next = self.data_in.val();
        self.ram.write_enable.next = self.write.val() & !self.full.val();
        self.wnext.next = self.wbin.q.val() + 1;
        if self.write.val() & !self.full.val() {
            self.wbin.d.next = self.wnext.val();
            self.wgray.d.next = self.wnext.val() ^ (self.wnext.val() >> 1);
        }
        self.ovf.d.next = self.write.val() & self.full.val();
        self.overflow.next = self.ovf.q.val();
        // read domain
        self.wg1.d.next = self.wgray.q.val();
        self.wg2.d.next = self.wg1.q.val();
        self.ram.read_address.next = self.rbin.q.val().get_bits::<A>(0);
        self.rnext.next = self.rbin.q.val() + 1;
        self.rvalid.d.next = self.rgray.q.val() != self.wg2.q.val();
        if self.rgray.q.val() != self.wg2.q.val() {
            self.rbin.d.next = self.rnext.val();
            self.rgray.d.next = self.rnext.val() ^ (self.rnext.val() >> 1);
        }
        self.out_valid.next = self.rvalid.q.val();
        self.data_out.next = self.ram.read_data.val();
    }
}
