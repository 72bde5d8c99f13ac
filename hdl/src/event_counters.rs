//! The data path's counters (R13) in block RAM: 128 counters of 36 bits, incremented by
//! read-modify-write and readable one at a time.
//!
//! Layout (the model twin names them, `flowdist_model::event_counters`): addresses 0..63 are
//! per port, address = 32 × port + index:
//!
//! | index | counts |
//! |---|---|
//! | 0, 1 | frames and bytes received (every frame that ends, FCS included, preamble not) |
//! | 2, 3 | frames and bytes sent (FCS included, preamble and delimiter not) |
//! | 4 | malformed frames (the parser's flags: bad FCS, runt, truncated header, ...) |
//! | 5 | frames not admitted to the ingress ring (overload) |
//! | 6, 7 | frames dropped at this port's egress queue (full), coming from ingress 0 / 1 |
//! | 8 + k | decisions of kind k (0..7: `decision::Kind`) for frames received here |
//! | 16 + t | decisions for TM t (kind "to TM") for frames received here |
//!
//! and 64.. the connection table's (R9; `ConnArbiter`'s reports, `SwitchCore::ct_op_*`):
//!
//! | address | counts |
//! |---|---|
//! | 64, 65 | lookups that hit, that missed (both ports) |
//! | 66 | learns that inserted their key |
//! | 67 | learns that found their key live (kept, refreshed: result "hit") |
//! | 68 | learns that replaced their key's entry (updated: its TM was down) |
//! | 69 | learns that failed (both buckets full) |
//! | 70 | learns dropped: the port's previous learn was still waiting (`ln_skipped`, both ports) |
//! | 71 | control inserts done (inserted or updated) |
//! | 72 | control deletes done |
//! | 73 | control operations that failed: insert into a full table, delete (or lookup) of a key not there |
//! | 74, 75 | decisions the table made (`dec_conn`: a hit for a TM that is up), frames received on port 0 / 1 |
//! | 76, 77, 78 | the control port (R10): requests answered ok, frames dropped without a reply, requests answered with an error |
//! | 79 | entries emptied because they had expired (the sweep after each epoch tick; added once per sweep) |
//! | 80, 81 | frames routed (R8: a route matched, TTL decremented), received on port 0 / 1 |
//! | 82, 83 | frames a route matched with TTL 0 or 1 (dropped), received on port 0 / 1 |
//! | 84, 85 | bridged frames filtered (R7: the destination was heard on the ingress port; dropped), received on port 0 / 1 |
//! | 86..127 | spare, read 0 |
//!
//! Control slot reads (result 6, table dumps), control lookups that hit and learns by the
//! control side that kept their entry are not counted; a result that cannot occur for its
//! source is not counted either.
//!
//! Events arrive as pulses (or, for rx/tx, as the byte streams, whose lengths are counted
//! here). Each sets a pending bit per counter to update (35 bits; a frame's record sets one or
//! two; a table operation one, its counter decoded when it finishes). Every cycle the first
//! pending bit, in priority order, whose counter is not already in the read-modify-write
//! pipeline is issued: read (two edges, the RAM's output register), add, write. Three ops may
//! be in flight, never two on the same counter, so no update is lost to a stale read (the two
//! ports' learn drops share one counter: while either is in the pipeline, both wait).
//!
//! No event is lost: a new event must find its pending bit clear (or being issued that
//! cycle). Priority and rates:
//! - a table operation first: the counted ones finish at least 20 cycles apart (19 cycles each,
//!   one at a time; slot reads, quicker, are not counted), and one is issued the cycle after it
//!   finishes (its previous update left the pipeline long before);
//! - then the per-port events in the order of the table above (rx 0, rx 1, decisions 0, 1, tx 0,
//!   1, malformed, overrun, egress full). The quick ones (rx, malformed, overrun) recur at most
//!   once per frame on the wire, 21 cycles for a one-byte runt (preamble 8, gap 12), and the
//!   last of them has 15 bits and at most 2 table operations before it: issued within 18;
//! - last the learn drops, the table's decisions, the router's routed / TTL-expired and the
//!   bridge's filtered. These,
//!   decisions, tx and egress drops come only with frames that get a decision, at least 64
//!   bytes (84 cycles on the wire; two decisions of a port are at least 40 cycles apart even
//!   when the first waited for the table: at most 57 cycles, its own lookup behind two
//!   others). Everything pending drains within 40 cycles: 26 other bits once (a decision is
//!   routed, expired or filtered, one at most: 2 of those 6), 8 quick ones once more, 2 table
//!   operations, 3 cycles waiting for the shared learn-drop counter (39).
//!
//! Events can all coincide (a table operation done, both ports' decisions, drops and learn
//! drops in one cycle): each has its own pending bit.
//!
//! A read (`rd_req` with `rd_addr`) takes a cycle when nothing else is issued and returns
//! `rd_data` with a one-cycle `rd_valid` five cycles later at the soonest; one read waits at a
//! time (`rd_busy`). While `reset` is high the counters are zeroed, one per cycle: a reset
//! shorter than 128 cycles leaves some standing (the board top holds reset for 128).
//! Counters wrap at 2^36 (68.7 GB of bytes, over nine minutes at line rate: software reading
//! them keeps the carries).
use crate::block_ram::BlockRam;
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct EventCounters {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// Each port's received stream (the bytes entering its ingress pipeline, FCS included).
    pub rx_valid: Signal<In, Bits<2>>,
    pub rx_last: Signal<In, Bits<2>>,
    /// Each port's GMII transmit enable (preamble and delimiter are not counted).
    pub tx_en: Signal<In, Bits<2>>,
    /// Per port: a decision was made (pulse), its kind and TM.
    pub dec_valid: Signal<In, Bits<2>>,
    pub dec0_kind: Signal<In, Bits<3>>,
    pub dec0_tm: Signal<In, Bits<4>>,
    pub dec1_kind: Signal<In, Bits<3>>,
    pub dec1_tm: Signal<In, Bits<4>>,
    /// Per port: a malformed frame was reported (pulse).
    pub malformed: Signal<In, Bits<2>>,
    /// `SwitchCore::drops`: ingress overrun 0/1; egress 0 full from ingress 0/1; egress 1 full
    /// from ingress 0/1.
    pub drops: Signal<In, Bits<6>>,
    /// Per port: the decision (with `dec_valid`) was the connection table's (`dec_conn`).
    pub dec_conn: Signal<In, Bits<2>>,
    /// A connection-table operation finished (`ConnArbiter::op_done`), who asked (bit 0 the
    /// port; bits 2..1: 0 lookup, 1 learn, 2 control) and its result (`ConnTable::result`).
    pub ct_done: Signal<In, Bit>,
    pub ct_src: Signal<In, Bits<3>>,
    pub ct_result: Signal<In, Bits<3>>,
    /// Per port: a learn dropped (`ConnArbiter::ln_skipped`).
    pub ct_skipped: Signal<In, Bits<2>>,
    /// The control port (R10), one cycle each: bit 0 a request answered ok, bit 1 a frame
    /// dropped without a reply, bit 2 a request answered with an error.
    pub ctl_ev: Signal<In, Bits<3>>,
    /// The connection table's sweep ended having emptied `ct_expired` slots
    /// (`ConnTable::swept`; sweeps are over 100 cycles apart).
    pub ct_swept: Signal<In, Bit>,
    pub ct_expired: Signal<In, Bits<12>>,
    /// Per port, with `dec_valid`: the frame was routed (R8) / a route matched but its TTL
    /// was 0 or 1 (dropped).
    pub routed: Signal<In, Bits<2>>,
    pub ttl_expired: Signal<In, Bits<2>>,
    /// Per port, with `dec_valid`: a bridged frame filtered (R7: its destination was heard
    /// on its ingress port).
    pub filtered: Signal<In, Bits<2>>,
    pub rd_req: Signal<In, Bit>,
    pub rd_addr: Signal<In, Bits<7>>,
    /// A read is waiting (a new `rd_req` now would replace it).
    pub rd_busy: Signal<Out, Bit>,
    pub rd_valid: Signal<Out, Bit>,
    pub rd_data: Signal<Out, Bits<36>>,
    ram: BlockRam<36, 7>,
    rx_n0: DFF<Bits<14>>,
    rx_n1: DFF<Bits<14>>,
    rx_len0: DFF<Bits<14>>,
    rx_len1: DFF<Bits<14>>,
    tx_n0: DFF<Bits<14>>,
    tx_n1: DFF<Bits<14>>,
    tx_len0: DFF<Bits<14>>,
    tx_len1: DFF<Bits<14>>,
    tx_was: DFF<Bits<2>>,
    kind0: DFF<Bits<3>>,
    tm0: DFF<Bits<4>>,
    kind1: DFF<Bits<3>>,
    tm1: DFF<Bits<4>>,
    /// the counter of the last counted table operation
    op_a: DFF<Bits<7>>,
    pend: DFF<Bits<35>>,
    /// slots the last sweep emptied
    exp_q: DFF<Bits<14>>,
    rd_pend: DFF<Bit>,
    rd_a: DFF<Bits<7>>,
    clr_a: DFF<Bits<7>>,
    // the read-modify-write pipeline: issued (address to the RAM), waiting, data out, write
    v1: DFF<Bit>,
    a1: DFF<Bits<7>>,
    n1: DFF<Bits<14>>,
    id1: DFF<Bits<35>>,
    r1: DFF<Bit>,
    v2: DFF<Bit>,
    a2: DFF<Bits<7>>,
    n2: DFF<Bits<14>>,
    id2: DFF<Bits<35>>,
    r2: DFF<Bit>,
    v3: DFF<Bit>,
    a3: DFF<Bits<7>>,
    n3: DFF<Bits<14>>,
    id3: DFF<Bits<35>>,
    r3: DFF<Bit>,
    v4: DFF<Bit>,
    a4: DFF<Bits<7>>,
    sum4: DFF<Bits<36>>,
    out_v: DFF<Bit>,
    out_d: DFF<Bits<36>>,
    busy: Signal<Local, Bits<35>>,
    elig: Signal<Local, Bits<35>>,
    elig_p: Signal<Local, Bits<35>>,
    first_p: Signal<Local, Bits<35>>,
    sel: Signal<Local, Bits<35>>,
    sel_a: Signal<Local, Bits<7>>,
    sel_n: Signal<Local, Bits<14>>,
    arm: Signal<Local, Bits<35>>,
    op_addr: Signal<Local, Bits<7>>,
    op_counted: Signal<Local, Bit>,
}

impl Logic for EventCounters {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, rx_n0, rx_n1, rx_len0, rx_len1, tx_n0, tx_n1, tx_len0, tx_len1, tx_was,
            kind0, tm0, kind1, tm1, op_a, pend, exp_q, rd_pend, rd_a, clr_a, v1, a1, n1, id1, r1,
            v2, a2, n2, id2, r2, v3, a3, n3, id3, r3, v4, a4, sum4, out_v, out_d
        );
        self.ram.clock.next = self.clock.val();

        // ---- frame lengths and records ----
        self.arm.next = bits::<35>(0);
        if self.rx_valid.val().get_bit(0) {
            self.rx_n0.d.next = self.rx_n0.q.val() + 1;
            if self.rx_last.val().get_bit(0) {
                self.rx_n0.d.next = bits::<14>(0);
                self.rx_len0.d.next = self.rx_n0.q.val() + 1;
                self.arm.next = self.arm.val() | bits::<35>(0x3);
            }
        }
        if self.rx_valid.val().get_bit(1) {
            self.rx_n1.d.next = self.rx_n1.q.val() + 1;
            if self.rx_last.val().get_bit(1) {
                self.rx_n1.d.next = bits::<14>(0);
                self.rx_len1.d.next = self.rx_n1.q.val() + 1;
                self.arm.next = self.arm.val() | bits::<35>(0xC);
            }
        }
        if self.dec_valid.val().get_bit(0) {
            self.kind0.d.next = self.dec0_kind.val();
            self.tm0.d.next = self.dec0_tm.val();
            if self.dec_conn.val().get_bit(0) {
                self.arm.next = self.arm.val() | bits::<35>(0x80_0000);
            }
            self.arm.next = self.arm.val() | bits::<35>(0x10);
            if self.dec0_kind.val() == bits::<3>(3) {
                self.arm.next = self.arm.val() | bits::<35>(0x30);
            }
        }
        if self.dec_valid.val().get_bit(1) {
            self.kind1.d.next = self.dec1_kind.val();
            self.tm1.d.next = self.dec1_tm.val();
            if self.dec_conn.val().get_bit(1) {
                self.arm.next = self.arm.val() | bits::<35>(0x100_0000);
            }
            self.arm.next = self.arm.val() | bits::<35>(0x40);
            if self.dec1_kind.val() == bits::<3>(3) {
                self.arm.next = self.arm.val() | bits::<35>(0xC0);
            }
        }
        // transmit: bytes while tx_en, less the 8 of preamble and delimiter, at its fall
        self.tx_was.d.next = self.tx_en.val();
        if self.tx_en.val().get_bit(0) {
            self.tx_n0.d.next = self.tx_n0.q.val() + 1;
        } else if self.tx_was.q.val().get_bit(0) {
            self.tx_n0.d.next = bits::<14>(0);
            self.tx_len0.d.next = self.tx_n0.q.val() - 8;
            self.arm.next = self.arm.val() | bits::<35>(0x300);
        }
        if self.tx_en.val().get_bit(1) {
            self.tx_n1.d.next = self.tx_n1.q.val() + 1;
        } else if self.tx_was.q.val().get_bit(1) {
            self.tx_n1.d.next = bits::<14>(0);
            self.tx_len1.d.next = self.tx_n1.q.val() - 8;
            self.arm.next = self.arm.val() | bits::<35>(0xC00);
        }
        self.arm.next = self.arm.val()
            | (bit_cast::<35, 2>(self.malformed.val()) << 12)
            | (bit_cast::<35, 6>(self.drops.val()) << 14)
            | (bit_cast::<35, 2>(self.ct_skipped.val()) << 21)
            | (bit_cast::<35, 3>(self.ctl_ev.val()) << 25)
            | (bit_cast::<35, 2>(self.routed.val() & self.dec_valid.val()) << 29)
            | (bit_cast::<35, 2>(self.ttl_expired.val() & self.dec_valid.val()) << 31)
            | (bit_cast::<35, 2>(self.filtered.val() & self.dec_valid.val()) << 33);
        if self.ct_swept.val() {
            self.exp_q.d.next = bit_cast::<14, 12>(self.ct_expired.val());
            self.arm.next = self.arm.val() | bits::<35>(0x1000_0000);
        }
        // a table operation: its counter (see the layout), if it is counted
        self.op_addr.next = bits::<7>(64);
        self.op_counted.next = false;
        if self.ct_src.val().get_bit(2) {
            if (self.ct_result.val() == bits::<3>(2)) | (self.ct_result.val() == bits::<3>(3)) {
                self.op_addr.next = bits::<7>(71);
                self.op_counted.next = true;
            } else if self.ct_result.val() == bits::<3>(5) {
                self.op_addr.next = bits::<7>(72);
                self.op_counted.next = true;
            } else if (self.ct_result.val() == bits::<3>(0))
                | (self.ct_result.val() == bits::<3>(4))
            {
                self.op_addr.next = bits::<7>(73);
                self.op_counted.next = true;
            }
        } else if self.ct_src.val().get_bit(1) {
            if self.ct_result.val() == bits::<3>(2) {
                self.op_addr.next = bits::<7>(66);
                self.op_counted.next = true;
            } else if self.ct_result.val() == bits::<3>(1) {
                self.op_addr.next = bits::<7>(67);
                self.op_counted.next = true;
            } else if self.ct_result.val() == bits::<3>(3) {
                self.op_addr.next = bits::<7>(68);
                self.op_counted.next = true;
            } else if self.ct_result.val() == bits::<3>(4) {
                self.op_addr.next = bits::<7>(69);
                self.op_counted.next = true;
            }
        } else if self.ct_result.val() == bits::<3>(1) {
            self.op_addr.next = bits::<7>(64);
            self.op_counted.next = true;
        } else if self.ct_result.val() == bits::<3>(0) {
            self.op_addr.next = bits::<7>(65);
            self.op_counted.next = true;
        }
        if self.ct_done.val() & self.op_counted.val() {
            self.op_a.d.next = self.op_addr.val();
            self.arm.next = self.arm.val() | bits::<35>(0x10_0000);
        }

        // ---- issue: the first pending counter not in the pipeline (the table operation,
        // then by bit) ----
        // (the two learn-drop bits share a counter: either in the pipeline holds both)
        self.busy.next = self.id1.q.val() | self.id2.q.val() | self.id3.q.val();
        if self.busy.val().get_bit(21) | self.busy.val().get_bit(22) {
            self.busy.next = self.busy.val() | bits::<35>(0x60_0000);
        }
        self.elig.next = self.pend.q.val() & !self.busy.val();
        // the first eligible bit in priority order (20, then 0..19, then 21..34): the bits put
        // in that order (20 to the bottom, 0..19 one up), the lowest set one isolated by the
        // carry chain (e & -e), and put back (timing: a 35-way priority chain was the critical
        // path of a control-port-on build)
        self.elig_p.next = (self.elig.val() & bits::<35>(0x7FFE0_0000_u64))
            | ((self.elig.val() & bits::<35>(0xFFFFF)) << 1)
            | ((self.elig.val() >> 20) & bits::<35>(1));
        self.first_p.next = self.elig_p.val() & (!self.elig_p.val() + 1);
        self.sel.next = (self.first_p.val() & bits::<35>(0x7FFE0_0000_u64))
            | ((self.first_p.val() >> 1) & bits::<35>(0xFFFFF))
            | ((self.first_p.val() & bits::<35>(1)) << 20);
        // one bit at most is set: the counter's address and increment are ORs of the terms
        self.sel_a.next = bits::<7>(0);
        self.sel_n.next = bits::<14>(0);
        // bits 1, 3, 9, 11, 28 add a length (bytes received and sent, slots emptied), not 1
        if !(self.sel.val() & bits::<35>(0x1000_0A0A)).any() {
            self.sel_n.next = bits::<14>(1);
        }
        if self.sel.val().get_bit(20) {
            self.sel_a.next = self.sel_a.val() | self.op_a.q.val();
        }
        if self.sel.val().get_bit(1) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(1);
            self.sel_n.next = self.sel_n.val() | self.rx_len0.q.val();
        }
        if self.sel.val().get_bit(2) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(32);
        }
        if self.sel.val().get_bit(3) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(33);
            self.sel_n.next = self.sel_n.val() | self.rx_len1.q.val();
        }
        if self.sel.val().get_bit(4) {
            self.sel_a.next =
                self.sel_a.val() | bits::<7>(8) | bit_cast::<7, 3>(self.kind0.q.val());
        }
        if self.sel.val().get_bit(5) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(16) | bit_cast::<7, 4>(self.tm0.q.val());
        }
        if self.sel.val().get_bit(6) {
            self.sel_a.next =
                self.sel_a.val() | bits::<7>(40) | bit_cast::<7, 3>(self.kind1.q.val());
        }
        if self.sel.val().get_bit(7) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(48) | bit_cast::<7, 4>(self.tm1.q.val());
        }
        if self.sel.val().get_bit(8) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(2);
        }
        if self.sel.val().get_bit(9) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(3);
            self.sel_n.next = self.sel_n.val() | self.tx_len0.q.val();
        }
        if self.sel.val().get_bit(10) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(34);
        }
        if self.sel.val().get_bit(11) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(35);
            self.sel_n.next = self.sel_n.val() | self.tx_len1.q.val();
        }
        if self.sel.val().get_bit(12) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(4);
        }
        if self.sel.val().get_bit(13) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(36);
        }
        if self.sel.val().get_bit(14) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(5);
        }
        if self.sel.val().get_bit(15) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(37);
        }
        if self.sel.val().get_bit(16) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(6);
        }
        if self.sel.val().get_bit(17) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(7);
        }
        if self.sel.val().get_bit(18) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(38);
        }
        if self.sel.val().get_bit(19) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(39);
        }
        if self.sel.val().get_bit(21) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(70);
        }
        if self.sel.val().get_bit(22) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(70);
        }
        if self.sel.val().get_bit(23) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(74);
        }
        if self.sel.val().get_bit(24) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(75);
        }
        if self.sel.val().get_bit(25) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(76);
        }
        if self.sel.val().get_bit(26) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(77);
        }
        if self.sel.val().get_bit(27) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(78);
        }
        if self.sel.val().get_bit(28) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(79);
            self.sel_n.next = self.sel_n.val() | self.exp_q.q.val();
        }
        if self.sel.val().get_bit(29) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(80);
        }
        if self.sel.val().get_bit(30) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(81);
        }
        if self.sel.val().get_bit(31) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(82);
        }
        if self.sel.val().get_bit(32) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(83);
        }
        if self.sel.val().get_bit(33) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(84);
        }
        if self.sel.val().get_bit(34) {
            self.sel_a.next = self.sel_a.val() | bits::<7>(85);
        }
        self.pend.d.next = (self.pend.q.val() & !self.sel.val()) | self.arm.val();
        self.v1.d.next = self.sel.val().any();
        self.a1.d.next = self.sel_a.val();
        self.n1.d.next = self.sel_n.val();
        self.id1.d.next = self.sel.val();
        self.r1.d.next = false;
        // a read takes a cycle nothing else wants
        if self.rd_req.val() {
            self.rd_pend.d.next = true;
            self.rd_a.d.next = self.rd_addr.val();
        }
        if !self.sel.val().any() & self.rd_pend.q.val() {
            self.rd_pend.d.next = self.rd_req.val();
            self.v1.d.next = true;
            self.a1.d.next = self.rd_a.q.val();
            self.r1.d.next = true;
        }

        // ---- the pipeline ----
        self.ram.read_address.next = self.a1.q.val();
        self.v2.d.next = self.v1.q.val();
        self.a2.d.next = self.a1.q.val();
        self.n2.d.next = self.n1.q.val();
        self.id2.d.next = self.id1.q.val();
        self.r2.d.next = self.r1.q.val();
        self.v3.d.next = self.v2.q.val();
        self.a3.d.next = self.a2.q.val();
        self.n3.d.next = self.n2.q.val();
        self.id3.d.next = self.id2.q.val();
        self.r3.d.next = self.r2.q.val();
        // the RAM's word for the op in stage 3
        self.v4.d.next = self.v3.q.val() & !self.r3.q.val();
        self.a4.d.next = self.a3.q.val();
        self.sum4.d.next = self.ram.read_data.val() + bit_cast::<36, 14>(self.n3.q.val());
        self.out_v.d.next = self.v3.q.val() & self.r3.q.val();
        if self.v3.q.val() & self.r3.q.val() {
            self.out_d.d.next = self.ram.read_data.val();
        }
        self.rd_busy.next = self.rd_pend.q.val();
        self.rd_valid.next = self.out_v.q.val();
        self.rd_data.next = self.out_d.q.val();
        self.ram.write_enable.next = self.v4.q.val();
        self.ram.write_address.next = self.a4.q.val();
        self.ram.write_data.next = self.sum4.q.val();
        // zeroing during reset
        if self.reset.val() {
            self.ram.write_enable.next = true;
            self.ram.write_address.next = self.clr_a.q.val();
            self.ram.write_data.next = bits::<36>(0);
            self.clr_a.d.next = self.clr_a.q.val() + 1;
            self.pend.d.next = bits::<35>(0);
            self.rd_pend.d.next = false;
            self.v1.d.next = false;
            self.v2.d.next = false;
            self.v3.d.next = false;
            self.v4.d.next = false;
            self.id1.d.next = bits::<35>(0);
            self.id2.d.next = bits::<35>(0);
            self.id3.d.next = bits::<35>(0);
            self.out_v.d.next = false;
            self.rx_n0.d.next = bits::<14>(0);
            self.rx_n1.d.next = bits::<14>(0);
            self.tx_n0.d.next = bits::<14>(0);
            self.tx_n1.d.next = bits::<14>(0);
            self.tx_was.d.next = bits::<2>(0);
        }
    }
}
