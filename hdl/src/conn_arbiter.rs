//! One connection table (R9) shared by both ingress pipelines and the control side.
//!
//! Clients, each holding at most one request of each kind:
//! - **lookups** (`lk_req` bit p, key `key_p`): port p's decision asks for the key of the
//!   frame it decides; the answer comes back on `lk_done` bit p with `lk_hit` and `lk_tm`.
//! - **learns** (`ln_req` bit p, TM `ln_tm_p`, `ln_keep` bit p; the key is `key_p` as it is
//!   when the request comes): after a miss, the TM the hash chose. A learn that finds the
//!   port's previous learn still waiting is dropped (`ln_skipped` bit p); the frame was
//!   delivered by hash anyway and the flow's next frame learns again.
//! - **control** (`ctl_req` with `ctl_op`, `ctl_key`, `ctl_tm`, `ctl_keep`, while not
//!   `ctl_busy`): TM signals (memorize = insert, forget = delete) and slot reads for table
//!   dumps; its answer is the `op_*` record with source 4.
//!
//! Order: lookups first (a decision waits for them), the older first, port 0 on a tie; then
//! learns, the same way; then control. One operation at a time (`ConnTable`, 18 cycles plus
//! one to issue), so with both ports at minimum-frame line rate (a report per port every 84
//! cycles) a lookup and a learn per frame per port fit: 4 × 19 = 76.
//!
//! Every finished operation is reported on `op_done` with `op_src` (bit 0 the port; bits 2..1
//! 0 lookup, 1 learn, 2 control), `op_result` and `op_tm`, and every epoch tick the table
//! applied on `ticked`: the counters count them, and the cross-check replays the model's table
//! in this order (the interleaving of two independent ports is the hardware's choice; what
//! each operation does is the model's).
//!
//! Epochs: a tick every `epoch_cycles` core cycles (0: never). Model twin:
//! `flowdist_model::conn_arbiter` (the replay).
use crate::conn_table::{ConnTable, ENTRY_BITS};
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct ConnArbiter<const A: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub timeout: Signal<In, Bits<8>>,
    pub epoch_cycles: Signal<In, Bits<32>>,
    pub key_0: Signal<In, Bits<120>>,
    pub key_1: Signal<In, Bits<120>>,
    pub lk_req: Signal<In, Bits<2>>,
    pub lk_done: Signal<Out, Bits<2>>,
    pub lk_hit: Signal<Out, Bit>,
    pub lk_tm: Signal<Out, Bits<4>>,
    pub ln_req: Signal<In, Bits<2>>,
    pub ln_tm_0: Signal<In, Bits<4>>,
    pub ln_tm_1: Signal<In, Bits<4>>,
    pub ln_keep: Signal<In, Bits<2>>,
    pub ln_skipped: Signal<Out, Bits<2>>,
    pub ctl_req: Signal<In, Bit>,
    pub ctl_op: Signal<In, Bits<2>>,
    pub ctl_key: Signal<In, Bits<120>>,
    pub ctl_tm: Signal<In, Bits<4>>,
    pub ctl_keep: Signal<In, Bit>,
    pub ctl_busy: Signal<Out, Bit>,
    pub op_done: Signal<Out, Bit>,
    pub op_src: Signal<Out, Bits<3>>,
    pub op_result: Signal<Out, Bits<3>>,
    pub op_tm: Signal<Out, Bits<4>>,
    pub op_entry: Signal<Out, Bits<ENTRY_BITS>>,
    pub ticked: Signal<Out, Bit>,
    /// The sweep after a tick ended, having emptied `expired` slots (`ConnTable`).
    pub swept: Signal<Out, Bit>,
    pub expired: Signal<Out, Bits<12>>,
    store: ConnTable<A>,
    lk_pend: DFF<Bits<2>>,
    lk_first: DFF<Bit>,
    lk_key_0: DFF<Bits<120>>,
    lk_key_1: DFF<Bits<120>>,
    ln_pend: DFF<Bits<2>>,
    ln_first: DFF<Bit>,
    ln_key_0: DFF<Bits<120>>,
    ln_key_1: DFF<Bits<120>>,
    ln_t0: DFF<Bits<4>>,
    ln_t1: DFF<Bits<4>>,
    ln_k: DFF<Bits<2>>,
    ctl_pend: DFF<Bit>,
    ctl_op_q: DFF<Bits<2>>,
    ctl_key_q: DFF<Bits<120>>,
    ctl_tm_q: DFF<Bits<4>>,
    ctl_keep_q: DFF<Bit>,
    inflight: DFF<Bit>,
    t_valid: DFF<Bit>,
    t_op: DFF<Bits<2>>,
    t_key: DFF<Bits<120>>,
    t_tm: DFF<Bits<4>>,
    t_keep: DFF<Bit>,
    src: DFF<Bits<3>>,
    ep_cnt: DFF<Bits<32>>,
    o_skipped: DFF<Bits<2>>,
    ep_reload: Signal<Local, Bits<32>>,
    tick_q: DFF<Bit>,
    issue: Signal<Local, Bits<3>>,
    choice: Signal<Local, Bits<3>>,
    issue_q: DFF<Bits<3>>,
    go: Signal<Local, Bit>,
    lk_left: Signal<Local, Bits<2>>,
    ln_left: Signal<Local, Bits<2>>,
    lk_new: Signal<Local, Bits<2>>,
    ln_new: Signal<Local, Bits<2>>,
}

impl<const A: usize> Logic for ConnArbiter<A> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, lk_pend, lk_first, lk_key_0, lk_key_1, ln_pend, ln_first, ln_key_0,
            ln_key_1, ln_t0, ln_t1, ln_k, ctl_pend, ctl_op_q, ctl_key_q, ctl_tm_q, ctl_keep_q,
            inflight, issue_q, t_valid, t_op, t_key, t_tm, t_keep, src, ep_cnt, tick_q, o_skipped
        );
        self.store.clock.next = self.clock.val();
        self.store.reset.next = self.reset.val();
        self.store.timeout.next = self.timeout.val();

        // epochs: a down-counter reloaded with epoch_cycles - 1, the tick registered (timing)
        self.ep_reload.next = self.epoch_cycles.val() - 1;
        self.tick_q.d.next = false;
        self.store.tick.next = self.tick_q.q.val();
        if self.epoch_cycles.val().any() {
            self.ep_cnt.d.next = self.ep_cnt.q.val() - 1;
            if !self.ep_cnt.q.val().any() {
                self.ep_cnt.d.next = self.ep_reload.val();
                self.tick_q.d.next = true;
            }
        }

        // ---- choose the next operation: lookups, then learns, then control ----
        // The choice is made from what waits now and registered (timing: it selects a 120-bit
        // key); it is acted on the next cycle the table is free. What it names still waits
        // then (only an issue takes a request away, and the table is busy for many cycles
        // after one), so at worst a request that came meanwhile waits for the next choice.
        self.go.next = !self.inflight.q.val() & !self.store.busy.val();
        self.choice.next = bits::<3>(7);
        if self.lk_pend.q.val().any() {
            self.choice.next = bits::<3>(0);
            if self.lk_pend.q.val().get_bit(1)
                & (!self.lk_pend.q.val().get_bit(0) | self.lk_first.q.val())
            {
                self.choice.next = bits::<3>(1);
            }
        } else if self.ln_pend.q.val().any() {
            self.choice.next = bits::<3>(2);
            if self.ln_pend.q.val().get_bit(1)
                & (!self.ln_pend.q.val().get_bit(0) | self.ln_first.q.val())
            {
                self.choice.next = bits::<3>(3);
            }
        } else if self.ctl_pend.q.val() {
            self.choice.next = bits::<3>(4);
        }
        self.issue_q.d.next = self.choice.val();
        self.issue.next = self.issue_q.q.val();
        self.t_valid.d.next = false;
        // the table takes the operation from registers (timing): it starts a cycle later
        self.store.op_valid.next = self.t_valid.q.val();
        self.store.op.next = self.t_op.q.val();
        self.store.key.next = self.t_key.q.val();
        self.store.op_tm.next = self.t_tm.q.val();
        self.store.op_keep.next = self.t_keep.q.val();
        // the operation's fields follow the registered choice every cycle (only `t_valid`
        // depends on the table being free: timing)
        self.t_op.d.next = bits::<2>(0);
        self.t_key.d.next = self.lk_key_0.q.val();
        self.t_tm.d.next = bits::<4>(0);
        self.t_keep.d.next = false;
        if self.issue.val() == bits::<3>(1) {
            self.t_key.d.next = self.lk_key_1.q.val();
        } else if self.issue.val() == bits::<3>(2) {
            self.t_op.d.next = bits::<2>(1);
            self.t_key.d.next = self.ln_key_0.q.val();
            self.t_tm.d.next = self.ln_t0.q.val();
            self.t_keep.d.next = self.ln_k.q.val().get_bit(0);
        } else if self.issue.val() == bits::<3>(3) {
            self.t_op.d.next = bits::<2>(1);
            self.t_key.d.next = self.ln_key_1.q.val();
            self.t_tm.d.next = self.ln_t1.q.val();
            self.t_keep.d.next = self.ln_k.q.val().get_bit(1);
        } else if self.issue.val() == bits::<3>(4) {
            self.t_op.d.next = self.ctl_op_q.q.val();
            self.t_key.d.next = self.ctl_key_q.q.val();
            self.t_tm.d.next = self.ctl_tm_q.q.val();
            self.t_keep.d.next = self.ctl_keep_q.q.val();
        }
        self.lk_left.next = self.lk_pend.q.val();
        self.ln_left.next = self.ln_pend.q.val();
        if self.go.val() & (self.issue.val() != bits::<3>(7)) {
            self.t_valid.d.next = true;
            self.inflight.d.next = true;
            self.src.d.next = self.issue.val();
            if self.issue.val() == bits::<3>(0) {
                self.lk_left.next = self.lk_pend.q.val() & bits::<2>(2);
            } else if self.issue.val() == bits::<3>(1) {
                self.lk_left.next = self.lk_pend.q.val() & bits::<2>(1);
            } else if self.issue.val() == bits::<3>(2) {
                self.ln_left.next = self.ln_pend.q.val() & bits::<2>(2);
            } else if self.issue.val() == bits::<3>(3) {
                self.ln_left.next = self.ln_pend.q.val() & bits::<2>(1);
            } else {
                self.ctl_pend.d.next = false;
            }
        }
        if self.store.done.val() {
            self.inflight.d.next = false;
        }

        // ---- new requests (a port asks again only after its answer) ----
        self.lk_pend.d.next = self.lk_left.val() | self.lk_req.val();
        if self.lk_req.val().get_bit(0) {
            self.lk_key_0.d.next = self.key_0.val();
        }
        if self.lk_req.val().get_bit(1) {
            self.lk_key_1.d.next = self.key_1.val();
        }
        // the older of two waiting requests: a new one that finds the other port's waiting
        // comes second; two new at once, port 0 first. (Judged on what waited before this
        // cycle's issue, off the issue logic for timing: if the other one leaves now, the
        // flag no longer matters.)
        self.lk_new.next = self.lk_req.val() & !self.lk_pend.q.val();
        if self.lk_new.val() == bits::<2>(1) {
            self.lk_first.d.next = self.lk_pend.q.val().get_bit(1);
        } else if self.lk_new.val() == bits::<2>(2) {
            self.lk_first.d.next = !self.lk_pend.q.val().get_bit(0);
        } else if self.lk_new.val() == bits::<2>(3) {
            self.lk_first.d.next = false;
        }
        // learns: one waiting per port; a second one while it waits (or is being issued) is
        // dropped
        self.ln_new.next = self.ln_req.val() & !self.ln_pend.q.val();
        self.o_skipped.d.next = self.ln_req.val() & self.ln_pend.q.val();
        self.ln_pend.d.next = self.ln_left.val() | self.ln_new.val();
        if self.ln_new.val().get_bit(0) {
            self.ln_key_0.d.next = self.key_0.val();
            self.ln_t0.d.next = self.ln_tm_0.val();
        }
        if self.ln_new.val().get_bit(1) {
            self.ln_key_1.d.next = self.key_1.val();
            self.ln_t1.d.next = self.ln_tm_1.val();
        }
        self.ln_k.d.next =
            (self.ln_k.q.val() & self.ln_left.val()) | (self.ln_keep.val() & self.ln_new.val());
        if self.ln_new.val() == bits::<2>(1) {
            self.ln_first.d.next = self.ln_pend.q.val().get_bit(1);
        } else if self.ln_new.val() == bits::<2>(2) {
            self.ln_first.d.next = !self.ln_pend.q.val().get_bit(0);
        } else if self.ln_new.val() == bits::<2>(3) {
            self.ln_first.d.next = false;
        }
        if self.ctl_req.val() & !self.ctl_pend.q.val() {
            self.ctl_pend.d.next = true;
            self.ctl_op_q.d.next = self.ctl_op.val();
            self.ctl_key_q.d.next = self.ctl_key.val();
            self.ctl_tm_q.d.next = self.ctl_tm.val();
            self.ctl_keep_q.d.next = self.ctl_keep.val();
        }
        self.ctl_busy.next =
            self.ctl_pend.q.val() | (self.inflight.q.val() & self.src.q.val().get_bit(2));

        if self.reset.val() {
            self.ep_cnt.d.next = bits::<32>(0);
            self.lk_pend.d.next = bits::<2>(0);
            self.ln_pend.d.next = bits::<2>(0);
            self.ctl_pend.d.next = false;
            self.inflight.d.next = false;
            self.t_valid.d.next = false;
            self.issue_q.d.next = bits::<3>(7);
            self.ep_cnt.d.next = self.ep_reload.val();
            self.tick_q.d.next = false;
            self.o_skipped.d.next = bits::<2>(0);
        }

        // ---- answers ----
        self.lk_done.next = bits::<2>(0);
        if self.store.done.val() & (self.src.q.val() == bits::<3>(0)) {
            self.lk_done.next = bits::<2>(1);
        }
        if self.store.done.val() & (self.src.q.val() == bits::<3>(1)) {
            self.lk_done.next = bits::<2>(2);
        }
        self.lk_hit.next = self.store.result.val() == bits::<3>(1);
        self.lk_tm.next = self.store.tm.val();
        self.ln_skipped.next = self.o_skipped.q.val();
        self.op_done.next = self.store.done.val();
        self.op_src.next = self.src.q.val();
        self.op_result.next = self.store.result.val();
        self.op_tm.next = self.store.tm.val();
        self.op_entry.next = self.store.entry.val();
        self.ticked.next = self.store.ticked.val();
        self.swept.next = self.store.swept.val();
        self.expired.next = self.store.expired.val();
    }
}
