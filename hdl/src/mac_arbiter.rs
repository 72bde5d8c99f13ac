//! One MAC learning table (R7) shared by both ingress pipelines' decisions and the control
//! side.
//!
//! Clients, each holding at most one request of each kind:
//! - **lookups** (`lk_req` bit p, station `lk_key_p`: MAC 47..0, VLAN id 59..48): port p's
//!   decision asks where a bridged frame's destination was heard; the answer comes back on
//!   `lk_done` bit p with `lk_hit` and `lk_port`.
//! - **learns** (`ln_req` bit p, station `ln_key_p`): a well-formed frame's source was heard
//!   on port p. A learn that finds the port's previous one still waiting is dropped
//!   (`ln_skipped` bit p); the station's next frame learns it again.
//! - **control** (`ctl_req` with `ctl_op` and `ctl_key`, while not `ctl_busy`): `MacTable`
//!   operations, slot reads (op 2, the slot in the key's low bits) for table dumps; answered
//!   by the `op_*` record with source 4.
//!
//! Order: port 0's lookup, port 1's, port 0's learn, port 1's, control. Nothing starves: a
//! port asks for at most one lookup and one learn per frame, and its well-formed frames
//! are at least 84 cycles apart on the wire, against 9 cycles an operation (8 in the table,
//! one to issue): four operations fit in 36.
//!
//! Every finished operation is reported on `op_done` with `op_src` (bit 0 the port, bit 1 a
//! learn, bit 2 control), `op_result`, `op_port`, `op_entry`, and every epoch tick the table
//! applied on `ticked`: the cross-check replays the model's table in this order (how two
//! independent ports interleave is the hardware's choice; what each operation does is the
//! model's).
//!
//! The chosen operation is held out to the table (`op_valid`) until the table takes it
//! (not `busy`): the choice is registered, and in between the table may have started a
//! scrub step. Epochs: a tick every `epoch_cycles` core cycles (0: never), handed to the
//! table only while no operation is held out (the table takes a tick before an operation in
//! the same cycle). Model twin:
//! `flowdist_model::mac_arbiter` (the replay).
use crate::mac_table::{MacTable, SLOT_BITS};
use rust_hdl::prelude::*;

/// A station as the clients give it: MAC 47..0, VLAN id 59..48.
pub const KEY_BITS: usize = 60;

#[derive(LogicBlock, Default)]
pub struct MacArbiter<const S: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub timeout: Signal<In, Bits<8>>,
    pub epoch_cycles: Signal<In, Bits<32>>,
    pub lk_req: Signal<In, Bits<2>>,
    pub lk_key_0: Signal<In, Bits<KEY_BITS>>,
    pub lk_key_1: Signal<In, Bits<KEY_BITS>>,
    pub lk_done: Signal<Out, Bits<2>>,
    pub lk_hit: Signal<Out, Bit>,
    pub lk_port: Signal<Out, Bit>,
    pub ln_req: Signal<In, Bits<2>>,
    pub ln_key_0: Signal<In, Bits<KEY_BITS>>,
    pub ln_key_1: Signal<In, Bits<KEY_BITS>>,
    pub ln_skipped: Signal<Out, Bits<2>>,
    pub ctl_req: Signal<In, Bit>,
    pub ctl_op: Signal<In, Bits<2>>,
    pub ctl_key: Signal<In, Bits<KEY_BITS>>,
    pub ctl_port: Signal<In, Bit>,
    pub ctl_busy: Signal<Out, Bit>,
    pub op_done: Signal<Out, Bit>,
    pub op_src: Signal<Out, Bits<3>>,
    pub op_result: Signal<Out, Bits<3>>,
    pub op_port: Signal<Out, Bit>,
    pub op_entry: Signal<Out, Bits<SLOT_BITS>>,
    pub ticked: Signal<Out, Bit>,
    /// The table's epoch (`MacTable::epoch`).
    pub epoch: Signal<Out, Bits<8>>,
    store: MacTable<S>,
    lk_pend: DFF<Bits<2>>,
    lk_k0: DFF<Bits<KEY_BITS>>,
    lk_k1: DFF<Bits<KEY_BITS>>,
    ln_pend: DFF<Bits<2>>,
    ln_k0: DFF<Bits<KEY_BITS>>,
    ln_k1: DFF<Bits<KEY_BITS>>,
    ctl_pend: DFF<Bit>,
    ctl_op_q: DFF<Bits<2>>,
    ctl_key_q: DFF<Bits<KEY_BITS>>,
    ctl_port_q: DFF<Bit>,
    inflight: DFF<Bit>,
    t_valid: DFF<Bit>,
    t_op: DFF<Bits<2>>,
    t_key: DFF<Bits<KEY_BITS>>,
    t_port: DFF<Bit>,
    src: DFF<Bits<3>>,
    ep_cnt: DFF<Bits<32>>,
    ep_reload: Signal<Local, Bits<32>>,
    tick_wait: DFF<Bit>,
    o_skipped: DFF<Bits<2>>,
    /// the registered choice: 0, 1 lookups of port 0, 1; 2, 3 learns; 4 control; 7 none
    issue_q: DFF<Bits<3>>,
    choice: Signal<Local, Bits<3>>,
    issue: Signal<Local, Bits<3>>,
    go: Signal<Local, Bit>,
    lk_left: Signal<Local, Bits<2>>,
    ln_left: Signal<Local, Bits<2>>,
    ln_new: Signal<Local, Bits<2>>,
}

impl<const S: usize> Logic for MacArbiter<S> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, lk_pend, lk_k0, lk_k1, ln_pend, ln_k0, ln_k1, ctl_pend, ctl_op_q,
            ctl_key_q, ctl_port_q, inflight, t_valid, t_op, t_key, t_port, src, ep_cnt, tick_wait,
            o_skipped, issue_q
        );
        self.store.clock.next = self.clock.val();
        self.store.reset.next = self.reset.val();
        self.store.timeout.next = self.timeout.val();

        // epochs: a down-counter reloaded with epoch_cycles - 1; the tick waits for a cycle
        // in which no operation is handed over
        self.ep_reload.next = self.epoch_cycles.val() - 1;
        if self.epoch_cycles.val().any() {
            self.ep_cnt.d.next = self.ep_cnt.q.val() - 1;
            if !self.ep_cnt.q.val().any() {
                self.ep_cnt.d.next = self.ep_reload.val();
                self.tick_wait.d.next = true;
            }
        }
        self.store.tick.next = self.tick_wait.q.val() & !self.t_valid.q.val();
        if self.tick_wait.q.val() & !self.t_valid.q.val() {
            self.tick_wait.d.next = false;
        }

        // ---- the next operation, by fixed priority; registered (timing: it selects a
        // 60-bit key) and acted on the next cycle the table is free. What it names still
        // waits then: only an issue takes a request away, and the table is busy for many
        // cycles after one.
        self.go.next = !self.inflight.q.val() & !self.store.busy.val();
        self.choice.next = bits::<3>(7);
        if self.lk_pend.q.val().get_bit(0) {
            self.choice.next = bits::<3>(0);
        } else if self.lk_pend.q.val().get_bit(1) {
            self.choice.next = bits::<3>(1);
        } else if self.ln_pend.q.val().get_bit(0) {
            self.choice.next = bits::<3>(2);
        } else if self.ln_pend.q.val().get_bit(1) {
            self.choice.next = bits::<3>(3);
        } else if self.ctl_pend.q.val() {
            self.choice.next = bits::<3>(4);
        }
        self.issue_q.d.next = self.choice.val();
        self.issue.next = self.issue_q.q.val();
        // the operation is held out to the table until it takes it: between the choice and
        // the hand-over the table may have started a scrub step (or a tick may wait in it)
        self.t_valid.d.next = self.t_valid.q.val() & self.store.busy.val();
        self.store.op_valid.next = self.t_valid.q.val();
        self.store.op.next = self.t_op.q.val();
        self.store.mac.next = self.t_key.q.val().get_bits::<48>(0);
        self.store.vlan.next = self.t_key.q.val().get_bits::<12>(48);
        self.store.port.next = self.t_port.q.val();
        self.t_op.d.next = bits::<2>(0);
        self.t_key.d.next = self.lk_k0.q.val();
        self.t_port.d.next = false;
        if self.t_valid.q.val() {
            // held: still the one handed over
            self.t_op.d.next = self.t_op.q.val();
            self.t_key.d.next = self.t_key.q.val();
            self.t_port.d.next = self.t_port.q.val();
        } else if self.issue.val() == bits::<3>(1) {
            self.t_key.d.next = self.lk_k1.q.val();
        } else if self.issue.val() == bits::<3>(2) {
            self.t_op.d.next = bits::<2>(1);
            self.t_key.d.next = self.ln_k0.q.val();
        } else if self.issue.val() == bits::<3>(3) {
            self.t_op.d.next = bits::<2>(1);
            self.t_key.d.next = self.ln_k1.q.val();
            self.t_port.d.next = true;
        } else if self.issue.val() == bits::<3>(4) {
            self.t_op.d.next = self.ctl_op_q.q.val();
            self.t_key.d.next = self.ctl_key_q.q.val();
            self.t_port.d.next = self.ctl_port_q.q.val();
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

        // ---- new requests (a port asks for a lookup again only after its answer) ----
        self.lk_pend.d.next = self.lk_left.val() | self.lk_req.val();
        if self.lk_req.val().get_bit(0) {
            self.lk_k0.d.next = self.lk_key_0.val();
        }
        if self.lk_req.val().get_bit(1) {
            self.lk_k1.d.next = self.lk_key_1.val();
        }
        // learns: one waiting per port; another while it waits (or is being issued) is dropped
        self.ln_new.next = self.ln_req.val() & !self.ln_pend.q.val();
        self.o_skipped.d.next = self.ln_req.val() & self.ln_pend.q.val();
        self.ln_pend.d.next = self.ln_left.val() | self.ln_new.val();
        if self.ln_new.val().get_bit(0) {
            self.ln_k0.d.next = self.ln_key_0.val();
        }
        if self.ln_new.val().get_bit(1) {
            self.ln_k1.d.next = self.ln_key_1.val();
        }
        if self.ctl_req.val() & !self.ctl_pend.q.val() {
            self.ctl_pend.d.next = true;
            self.ctl_op_q.d.next = self.ctl_op.val();
            self.ctl_key_q.d.next = self.ctl_key.val();
            self.ctl_port_q.d.next = self.ctl_port.val();
        }
        self.ctl_busy.next =
            self.ctl_pend.q.val() | (self.inflight.q.val() & self.src.q.val().get_bit(2));

        if self.reset.val() {
            self.lk_pend.d.next = bits::<2>(0);
            self.ln_pend.d.next = bits::<2>(0);
            self.ctl_pend.d.next = false;
            self.inflight.d.next = false;
            self.t_valid.d.next = false;
            self.issue_q.d.next = bits::<3>(7);
            self.ep_cnt.d.next = self.ep_reload.val();
            self.tick_wait.d.next = false;
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
        self.lk_port.next = self.store.hit_port.val();
        self.ln_skipped.next = self.o_skipped.q.val();
        self.op_done.next = self.store.done.val();
        // the record's source: bit 0 the port, bit 1 a learn, bit 2 control
        self.op_src.next = self.src.q.val();
        self.op_result.next = self.store.result.val();
        self.op_port.next = self.store.hit_port.val();
        self.op_entry.next = self.store.entry.val();
        self.ticked.next = self.store.ticked.val();
        self.epoch.next = self.store.epoch.val();
    }
}
