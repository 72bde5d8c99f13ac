//! One port's ingress path: [`Classifier`] → frame buffer → delivery plan → [`FrameEditor`].
//!
//! The frame (without FCS) is written into a 4 KB block-RAM ring as it arrives; its
//! descriptor (start, length, malformed) is queued when the parser reports it, and the plan
//! when the decision comes (in frame order, for well-formed frames only). The reader pops a
//! descriptor: a malformed frame is skipped; otherwise the next plan is popped and the frame
//! is dropped or streamed through the editor with the plan's edits; `out_port` says where the
//! frame in `out_*` goes (egress queues: forwarding issue).
//!
//! Overload: a frame is admitted to the ring only if, when its first byte arrives, the ring
//! holds less than 2 KB not yet read and the descriptor queue less than 32 entries; so a
//! frame always fits whole and nothing unread is ever overwritten. A frame not admitted is
//! not written (`drop_overrun` pulses at its end); if it is well-formed its decision still
//! comes, so an empty "overrun" descriptor keeps the plans in step and the reader drops the
//! plan with it. The output normally outruns the wire (length + ~12 cycles per frame against
//! length + 20), but IP-in-IP adds 20 bytes per frame, so a port receiving minimum frames at
//! line rate that all go out encapsulated has more to send than time to send it: whole frames
//! are dropped then, never cut or mixed. Model twin: `flowdist_model::ingress_port` (without
//! overload).
use crate::block_fifo::BlockFifo;
use crate::block_ram::BlockRam;
use crate::classifier::Classifier;
use crate::frame_editor::FrameEditor;
use rust_hdl::prelude::*;

/// Descriptor: start 11..0, length 23..12, malformed 24, overrun (not written) 25.
type Desc = Bits<26>;
/// Plan: drop 0, port 1, set_dst 2, set_src 3, tag_op 5..4, tci 21..6, dst MAC 69..22,
/// encap 70, encap_at 75..71, tunnel dst 107..76, inner length 123..108, ARP reply 124,
/// routed 125 (R8: TTL and checksum in the tunnel-dst field, the IPv4 header at encap_at).
/// A control request (R10) is drop 1 with port 1 (a dropped frame's port is otherwise 0),
/// set_dst its sender being a TM: streamed unchanged to the control port. (126 bits: 7 EBR of
/// ×18, full; one bit more would take an eighth.)
type PlanBits = Bits<126>;

#[derive(LogicBlock)]
pub struct IngressPort<const CB: usize, const K: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub rx_valid: Signal<In, Bit>,
    pub rx_data: Signal<In, Bits<8>>,
    pub rx_last: Signal<In, Bit>,
    pub hash_use_port: Signal<In, Bit>,
    pub hash_use_vlan: Signal<In, Bit>,
    pub cfg_we: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<16>>,
    pub cfg_data: Signal<In, Bits<32>>,
    pub group_mac: Signal<In, Bits<48>>,
    pub actions: Signal<In, Bits<32>>,
    pub tm_up: Signal<In, Bits<16>>,
    pub trunk_port: Signal<In, Bit>,
    pub ingress: Signal<In, Bit>,
    pub out_valid: Signal<Out, Bit>,
    pub out_data: Signal<Out, Bits<8>>,
    pub out_last: Signal<Out, Bit>,
    pub out_port: Signal<Out, Bit>,
    /// The frame in `out_*` is a control request (R10) for the control port, not for an
    /// egress port; `out_sender`: its source is a TM where that TM's traffic arrives.
    pub out_ctl: Signal<Out, Bit>,
    pub out_sender: Signal<Out, Bit>,
    /// One cycle per frame not admitted to the ring (overload).
    pub drop_overrun: Signal<Out, Bit>,
    /// The classifier's decision for each well-formed frame (one cycle), for the counters.
    pub dec_valid: Signal<Out, Bit>,
    pub dec_kind: Signal<Out, Bits<3>>,
    pub dec_tm: Signal<Out, Bits<4>>,
    /// One cycle per frame the parser found malformed.
    pub bad_frame: Signal<Out, Bit>,
    // the connection table (R9): see `Decision`
    pub ct_enable: Signal<In, Bit>,
    pub ct_learn: Signal<In, Bit>,
    pub ct_req: Signal<Out, Bit>,
    pub ct_key: Signal<Out, Bits<120>>,
    pub ct_done: Signal<In, Bit>,
    pub ct_hit: Signal<In, Bit>,
    pub ct_tm: Signal<In, Bits<4>>,
    pub ln_req: Signal<Out, Bit>,
    pub ln_tm: Signal<Out, Bits<4>>,
    pub ln_keep: Signal<Out, Bit>,
    pub dec_conn: Signal<Out, Bit>,
    /// Routed (R8) / routed with TTL 0 or 1 (dropped), with `dec_valid`.
    pub dec_routed: Signal<Out, Bit>,
    pub dec_ttl_expired: Signal<Out, Bit>,
    /// the MAC learning table (R7): see `Decision`
    pub mt_enable: Signal<In, Bit>,
    pub mt_req: Signal<Out, Bit>,
    pub mt_key: Signal<Out, Bits<60>>,
    pub mt_done: Signal<In, Bit>,
    pub mt_hit: Signal<In, Bit>,
    pub mt_port: Signal<In, Bit>,
    pub ml_req: Signal<Out, Bit>,
    pub ml_key: Signal<Out, Bits<60>>,
    pub dec_filtered: Signal<Out, Bit>,
    classifier: Classifier<CB, K>,
    ring: BlockRam<8, 12>,
    editor: FrameEditor,
    descs: BlockFifo<26, 6>,
    plans: BlockFifo<126, 6>,
    // writer
    wr: DFF<Bits<12>>,
    first: DFF<Bit>,
    fstart: DFF<Bits<12>>,
    cnt: DFF<Bits<12>>,
    // admission: the frame being received is not written; unread bytes in the ring
    dropping: DFF<Bit>,
    used: DFF<Bits<12>>,
    rd_floor: DFF<Bits<12>>,
    crowded: DFF<Bit>,
    // (overrun, start, length) of frames between their end and their report (3 cycles)
    d1: DFF<Bits<25>>,
    d2: DFF<Bits<25>>,
    d3: DFF<Bits<25>>,
    e1: DFF<Bit>,
    e2: DFF<Bit>,
    e3: DFF<Bit>,
    push: DFF<Bit>,
    desc_in: DFF<Desc>,
    // reader
    dh_v: DFF<Bit>,
    dh: DFF<Desc>,
    ph_v: DFF<Bit>,
    ph: DFF<PlanBits>,
    dh_pop: DFF<Bit>,
    ph_pop: DFF<Bit>,
    busy: DFF<Bit>,
    plan: DFF<PlanBits>,
    nxt: DFF<Bits<12>>,
    remain: DFF<Bits<12>>,
    inflight: DFF<Bit>,
    inflight_last: DFF<Bit>,
    inflight2: DFF<Bit>,
    inflight_last2: DFF<Bit>,
    inflight3: DFF<Bit>,
    inflight_last3: DFF<Bit>,
    ra: DFF<Bits<12>>,
    sd: [DFF<Bits<8>>; 4],
    sl: [DFF<Bit>; 4],
    wp: DFF<Bits<2>>,
    rp: DFF<Bits<2>>,
    /// the slot at `rp`, in registers of its own (the editor's input, off the slot mux)
    h_data: DFF<Bits<8>>,
    h_last: DFF<Bit>,
    count: DFF<Bits<3>>,
    cur_first: DFF<Bit>,
    port_q: DFF<Bit>,
    ctl_q: DFF<Bit>,
    /// the plan's set_dst, but not for a control request (whose bit 2 is its sender)
    e_set_dst: DFF<Bit>,
    sender_q: DFF<Bit>,
    fetch: Signal<Local, Bit>,
    take: Signal<Local, Bit>,
    held: Signal<Local, Bits<3>>,
    room: Signal<Local, Bit>,
    start_now: Signal<Local, Bits<12>>,
    len_now: Signal<Local, Bits<12>>,
    head: Signal<Local, Desc>,
    dropping_now: Signal<Local, Bit>,
}

impl<const CB: usize, const K: usize> IngressPort<CB, K> {
    pub fn new(hash_poly: u32) -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            rx_valid: Default::default(),
            rx_data: Default::default(),
            rx_last: Default::default(),
            hash_use_port: Default::default(),
            hash_use_vlan: Default::default(),
            cfg_we: Default::default(),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            group_mac: Default::default(),
            actions: Default::default(),
            tm_up: Default::default(),
            trunk_port: Default::default(),
            ingress: Default::default(),
            out_valid: Default::default(),
            out_data: Default::default(),
            out_last: Default::default(),
            out_port: Default::default(),
            out_ctl: Default::default(),
            out_sender: Default::default(),
            drop_overrun: Default::default(),
            dec_valid: Default::default(),
            dec_kind: Default::default(),
            dec_tm: Default::default(),
            bad_frame: Default::default(),
            ct_enable: Default::default(),
            ct_learn: Default::default(),
            ct_req: Default::default(),
            ct_key: Default::default(),
            ct_done: Default::default(),
            ct_hit: Default::default(),
            ct_tm: Default::default(),
            ln_req: Default::default(),
            ln_tm: Default::default(),
            ln_keep: Default::default(),
            dec_conn: Default::default(),
            dec_routed: Default::default(),
            dec_ttl_expired: Default::default(),
            mt_enable: Default::default(),
            mt_req: Default::default(),
            mt_key: Default::default(),
            mt_done: Default::default(),
            mt_hit: Default::default(),
            mt_port: Default::default(),
            ml_req: Default::default(),
            ml_key: Default::default(),
            dec_filtered: Default::default(),
            classifier: Classifier::new(hash_poly),
            ring: Default::default(),
            editor: Default::default(),
            descs: Default::default(),
            plans: Default::default(),
            wr: Default::default(),
            first: Default::default(),
            fstart: Default::default(),
            cnt: Default::default(),
            dropping: Default::default(),
            used: Default::default(),
            rd_floor: Default::default(),
            crowded: Default::default(),
            dropping_now: Default::default(),
            d1: Default::default(),
            d2: Default::default(),
            d3: Default::default(),
            e1: Default::default(),
            e2: Default::default(),
            e3: Default::default(),
            push: Default::default(),
            desc_in: Default::default(),
            dh_v: Default::default(),
            dh: Default::default(),
            ph_v: Default::default(),
            ph: Default::default(),
            dh_pop: Default::default(),
            ph_pop: Default::default(),
            busy: Default::default(),
            plan: Default::default(),
            nxt: Default::default(),
            remain: Default::default(),
            inflight: Default::default(),
            inflight_last: Default::default(),
            inflight2: Default::default(),
            inflight_last2: Default::default(),
            inflight3: Default::default(),
            inflight_last3: Default::default(),
            ra: Default::default(),
            sd: Default::default(),
            sl: Default::default(),
            wp: Default::default(),
            rp: Default::default(),
            h_data: Default::default(),
            h_last: Default::default(),
            count: Default::default(),
            cur_first: Default::default(),
            port_q: Default::default(),
            ctl_q: Default::default(),
            e_set_dst: Default::default(),
            sender_q: Default::default(),
            fetch: Default::default(),
            take: Default::default(),
            held: Default::default(),
            room: Default::default(),
            start_now: Default::default(),
            len_now: Default::default(),
            head: Default::default(),
        }
    }
}

impl<const CB: usize, const K: usize> IngressPort<CB, K> {
    /// With the classifier's tables loaded at build time from configuration-bus writes (R14).
    pub fn with_tables(hash_poly: u32, writes: &crate::table_image::BusWrites) -> Self {
        let mut p = Self::new(hash_poly);
        p.classifier = Classifier::with_tables(hash_poly, writes);
        p
    }
}

impl<const CB: usize, const K: usize> Logic for IngressPort<CB, K> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            wr,
            first,
            fstart,
            cnt,
            dropping,
            used,
            rd_floor,
            crowded,
            d1,
            d2,
            d3,
            e1,
            e2,
            e3,
            push,
            desc_in,
            dh_v,
            dh,
            ph_v,
            ph,
            dh_pop,
            ph_pop,
            busy,
            plan,
            nxt,
            remain,
            inflight,
            inflight_last,
            inflight2,
            inflight_last2,
            inflight3,
            inflight_last3,
            ra,
            wp,
            rp,
            h_data,
            h_last,
            count,
            cur_first,
            port_q,
            ctl_q,
            e_set_dst,
            sender_q
        );
        for i in 0..4 {
            self.sd[i].clock.next = self.clock.val();
            self.sd[i].d.next = self.sd[i].q.val();
            self.sl[i].clock.next = self.clock.val();
            self.sl[i].d.next = self.sl[i].q.val();
        }
        self.classifier.clock.next = self.clock.val();
        self.editor.clock.next = self.clock.val();
        self.descs.clock.next = self.clock.val();
        self.plans.clock.next = self.clock.val();
        self.ring.clock.next = self.clock.val();
        self.descs.reset.next = self.reset.val();
        self.plans.reset.next = self.reset.val();
        self.classifier.reset.next = self.reset.val();
        self.editor.reset.next = self.reset.val();
        self.classifier.rx_valid.next = self.rx_valid.val();
        self.classifier.rx_data.next = self.rx_data.val();
        self.classifier.rx_last.next = self.rx_last.val();
        self.classifier.hash_use_port.next = self.hash_use_port.val();
        self.classifier.hash_use_vlan.next = self.hash_use_vlan.val();
        self.classifier.cfg_we.next = self.cfg_we.val();
        self.classifier.cfg_addr.next = self.cfg_addr.val();
        self.classifier.cfg_data.next = self.cfg_data.val();
        self.classifier.group_mac.next = self.group_mac.val();
        self.classifier.actions.next = self.actions.val();
        self.classifier.tm_up.next = self.tm_up.val();
        self.classifier.trunk_port.next = self.trunk_port.val();
        self.classifier.ingress.next = self.ingress.val();
        self.dec_valid.next = self.classifier.dec_valid.val();
        self.dec_kind.next = self.classifier.dec_kind.val();
        self.dec_tm.next = self.classifier.dec_tm.val();
        self.bad_frame.next = self.classifier.hdr_valid.val() & self.classifier.malformed.val();
        self.classifier.ct_enable.next = self.ct_enable.val();
        self.classifier.ct_learn.next = self.ct_learn.val();
        self.classifier.mt_enable.next = self.mt_enable.val();
        self.mt_req.next = self.classifier.mt_req.val();
        self.mt_key.next = self.classifier.mt_key.val();
        self.classifier.mt_done.next = self.mt_done.val();
        self.classifier.mt_hit.next = self.mt_hit.val();
        self.classifier.mt_port.next = self.mt_port.val();
        self.ml_req.next = self.classifier.ml_req.val();
        self.ml_key.next = self.classifier.ml_key.val();
        self.dec_filtered.next = self.classifier.dec_filtered.val();
        self.ct_req.next = self.classifier.ct_req.val();
        self.ct_key.next = self.classifier.ct_key.val();
        self.classifier.ct_done.next = self.ct_done.val();
        self.classifier.ct_hit.next = self.ct_hit.val();
        self.classifier.ct_tm.next = self.ct_tm.val();
        self.ln_req.next = self.classifier.ln_req.val();
        self.ln_tm.next = self.classifier.ln_tm.val();
        self.ln_keep.next = self.classifier.ln_keep.val();
        self.dec_conn.next = self.classifier.dec_conn.val();
        self.dec_routed.next =
            self.classifier.dec_route.val() & !self.classifier.dec_ttl_expired.val();
        self.dec_ttl_expired.next = self.classifier.dec_ttl_expired.val();

        // ---- writer: payload bytes into the ring, whole frames only ----
        // unread bytes (from the oldest frame not yet read) and a crowded descriptor queue,
        // registered: a cycle stale, which a 2 KB margin over the largest frame absorbs
        self.used.d.next = self.wr.q.val() - self.rd_floor.q.val();
        self.crowded.d.next = self.descs.level.val().get_bit(5) | self.descs.full.val();
        self.dropping_now.next = self.dropping.q.val();
        if self.first.q.val() {
            self.dropping_now.next = self.used.q.val().get_bit(11) | self.crowded.q.val();
        }
        self.ring.write_enable.next = self.classifier.pl_valid.val() & !self.dropping_now.val();
        self.ring.write_address.next = self.wr.q.val();
        self.ring.write_data.next = self.classifier.pl_data.val();
        if self.classifier.pl_valid.val() {
            self.first.d.next = false;
            self.dropping.d.next = self.dropping_now.val();
            if self.first.q.val() {
                self.fstart.d.next = self.wr.q.val();
            }
            if !self.dropping_now.val() {
                self.wr.d.next = self.wr.q.val() + 1;
                if self.first.q.val() {
                    self.cnt.d.next = bits::<12>(1);
                } else {
                    self.cnt.d.next = self.cnt.q.val() + 1;
                }
            }
        }
        // this frame's start and length, counting a byte that arrives with the end marker
        if self.first.q.val() {
            self.start_now.next = self.wr.q.val();
            self.len_now.next = bits::<12>(0);
        } else {
            self.start_now.next = self.fstart.q.val();
            self.len_now.next = self.cnt.q.val();
        }
        if self.classifier.pl_valid.val() {
            self.len_now.next = self.len_now.val() + 1;
        }
        if self.dropping_now.val() {
            self.len_now.next = bits::<12>(0);
        }
        self.e1.d.next = self.classifier.pl_end.val();
        self.d1.d.next = (bit_cast::<25, 1>(self.dropping_now.val().into()) << 24)
            | (bit_cast::<25, 12>(self.len_now.val()) << 12)
            | bit_cast::<25, 12>(self.start_now.val());
        if self.classifier.pl_end.val() {
            self.first.d.next = true;
            self.dropping.d.next = false;
        }
        self.drop_overrun.next = self.e1.q.val() & self.d1.q.val().get_bit(24);
        self.e2.d.next = self.e1.q.val();
        self.d2.d.next = self.d1.q.val();
        self.e3.d.next = self.e2.q.val();
        self.d3.d.next = self.d2.q.val();
        // the report comes three cycles after the end marker: the descriptor is queued the
        // cycle after (registered: the parser's flags arrive late in their cycle); a frame
        // not written that is malformed needs none: no bytes to skip, no plan to drop
        self.push.d.next =
            self.e3.q.val() & !(self.d3.q.val().get_bit(24) & self.classifier.malformed.val());
        self.desc_in.d.next = (bit_cast::<26, 1>(self.d3.q.val().get_bit(24).into()) << 25)
            | (bit_cast::<26, 1>(self.classifier.malformed.val().into()) << 24)
            | bit_cast::<26, 24>(self.d3.q.val().get_bits::<24>(0));
        self.descs.write.next = self.push.q.val();
        self.descs.data_in.next = self.desc_in.q.val();

        // ---- plans, in frame order ----
        self.plans.write.next = self.classifier.dec_valid.val();
        self.plans.data_in.next = (bit_cast::<126, 1>(self.classifier.plan_ttl.val().into())
            << 125)
            | (bit_cast::<126, 1>(self.classifier.plan_arp.val().into()) << 124)
            | (bit_cast::<126, 16>(self.classifier.plan_tun_len.val()) << 108)
            | (bit_cast::<126, 32>(self.classifier.plan_tun_dst.val()) << 76)
            | (bit_cast::<126, 5>(self.classifier.plan_encap_at.val()) << 71)
            | (bit_cast::<126, 1>(self.classifier.plan_encap.val().into()) << 70)
            | (bit_cast::<126, 48>(self.classifier.plan_dst_mac.val()) << 22)
            | (bit_cast::<126, 16>(self.classifier.plan_tci.val()) << 6)
            | (bit_cast::<126, 2>(self.classifier.plan_tag_op.val()) << 4)
            | (bit_cast::<126, 1>(self.classifier.plan_set_src.val().into()) << 3)
            | (bit_cast::<126, 1>(
                (self.classifier.plan_set_dst.val() | self.classifier.plan_sender.val()).into(),
            ) << 2)
            | (bit_cast::<126, 1>(
                (self.classifier.plan_port.val() | self.classifier.plan_ctl.val()).into(),
            ) << 1)
            | bit_cast::<126, 1>(
                (self.classifier.plan_drop.val() | self.classifier.plan_ctl.val()).into(),
            );

        // ---- reader: each queue's head is popped into a register ----
        // (dh_pop/ph_pop: a pop is on its way, its word arrives with out_valid)
        self.descs.pop.next = !self.dh_v.q.val() & !self.dh_pop.q.val() & !self.descs.empty.val();
        if self.descs.pop.val() {
            self.dh_pop.d.next = true;
        }
        if self.descs.out_valid.val() {
            self.dh_pop.d.next = false;
            self.dh_v.d.next = true;
            self.dh.d.next = self.descs.data_out.val();
        }
        self.plans.pop.next = !self.ph_v.q.val() & !self.ph_pop.q.val() & !self.plans.empty.val();
        if self.plans.pop.val() {
            self.ph_pop.d.next = true;
        }
        if self.plans.out_valid.val() {
            self.ph_pop.d.next = false;
            self.ph_v.d.next = true;
            self.ph.d.next = self.plans.data_out.val();
        }
        self.head.next = self.dh.q.val();
        if !self.busy.q.val() & self.dh_v.q.val() {
            if self.head.val().get_bit(24)
                | (!self.head.val().get_bit(25)
                    & (self.head.val().get_bits::<12>(12) == bits::<12>(0)))
            {
                // malformed (no plan): skip its bytes
                self.dh_v.d.next = false;
                self.rd_floor.d.next =
                    self.head.val().get_bits::<12>(0) + self.head.val().get_bits::<12>(12);
            } else if self.ph_v.q.val() {
                self.dh_v.d.next = false;
                self.ph_v.d.next = false;
                self.rd_floor.d.next =
                    self.head.val().get_bits::<12>(0) + self.head.val().get_bits::<12>(12);
                if (!self.ph.q.val().get_bit(0) | self.ph.q.val().get_bit(1))
                    & !self.head.val().get_bit(25)
                {
                    // streamed: its bytes stay reserved until the last one is taken
                    self.rd_floor.d.next = self.rd_floor.q.val();
                    self.busy.d.next = true;
                    self.plan.d.next = self.ph.q.val();
                    self.e_set_dst.d.next =
                        self.ph.q.val().get_bit(2) & !self.ph.q.val().get_bit(0);
                    self.nxt.d.next = self.head.val().get_bits::<12>(0);
                    self.remain.d.next = self.head.val().get_bits::<12>(12);
                    self.cur_first.d.next = true;
                }
            }
        }
        // Bytes reach the editor through a four-slot ring written straight from the block
        // RAM's output register (write-enabled registers, no mux in front) and read at `rp`.
        // The RAM's address comes from a register of its own, `ra`, and the RAM takes two
        // edges, so a byte reaches the slots three cycles after its fetch.
        self.editor.in_valid.next = self.count.q.val() != bits::<3>(0);
        self.editor.in_data.next = self.h_data.q.val();
        self.editor.in_last.next = self.h_last.q.val();
        self.editor.set_dst.next = self.e_set_dst.q.val();
        self.editor.dst_mac.next = self.plan.q.val().get_bits::<48>(22);
        self.editor.set_src.next = self.plan.q.val().get_bit(3);
        self.editor.src_mac.next = self.group_mac.val();
        self.editor.tag_op.next = self.plan.q.val().get_bits::<2>(4);
        self.editor.tci.next = self.plan.q.val().get_bits::<16>(6);
        self.editor.encap.next = self.plan.q.val().get_bit(70);
        self.editor.encap_at.next = self.plan.q.val().get_bits::<5>(71);
        self.editor.tun_dst.next = self.plan.q.val().get_bits::<32>(76);
        self.editor.arp.next = self.plan.q.val().get_bit(124);
        self.editor.ttl.next = self.plan.q.val().get_bit(125);
        self.editor.tun_len.next = self.plan.q.val().get_bits::<16>(108);
        self.editor.tun_src.next = self.classifier.tunnel_src.val();
        self.take.next = self.editor.in_ready.val() & (self.count.q.val() != bits::<3>(0));
        // bytes held or on their way before this cycle's take; whether there is room for one
        // more is worked out for both outcomes from registers, and the take (late: it hangs
        // off the editor's `in_ready`) only picks one
        self.held.next = self.count.q.val()
            + bit_cast::<3, 1>(self.inflight.q.val().into())
            + bit_cast::<3, 1>(self.inflight2.q.val().into())
            + bit_cast::<3, 1>(self.inflight3.q.val().into());
        self.room.next = self.held.val() < bits::<3>(4);
        if self.take.val() {
            self.room.next = self.held.val() < bits::<3>(5);
        }
        self.fetch.next =
            self.busy.q.val() & (self.remain.q.val() != bits::<12>(0)) & self.room.val();
        self.ra.d.next = self.nxt.q.val();
        self.ring.read_address.next = self.ra.q.val();
        self.inflight.d.next = self.fetch.val();
        self.inflight2.d.next = self.inflight.q.val();
        self.inflight_last2.d.next = self.inflight_last.q.val();
        self.inflight3.d.next = self.inflight2.q.val();
        self.inflight_last3.d.next = self.inflight_last2.q.val();
        if self.fetch.val() {
            self.nxt.d.next = self.nxt.q.val() + 1;
            self.remain.d.next = self.remain.q.val() - 1;
            self.inflight_last.d.next = self.remain.q.val() == bits::<12>(1);
        }
        if self.inflight3.q.val() {
            for i in 0..4 {
                if self.wp.q.val().index() == i {
                    self.sd[i].d.next = self.ring.read_data.val();
                    self.sl[i].d.next = self.inflight_last3.q.val();
                }
            }
            self.wp.d.next = self.wp.q.val() + 1;
        }
        if self.take.val() {
            self.rp.d.next = self.rp.q.val() + 1;
        }
        self.count.d.next = self.count.q.val() + bit_cast::<3, 1>(self.inflight3.q.val().into());
        if self.take.val() {
            self.count.d.next =
                self.count.q.val() + bit_cast::<3, 1>(self.inflight3.q.val().into()) - 1;
        }
        if self.take.val() {
            self.cur_first.d.next = false;
            if self.cur_first.q.val() {
                self.port_q.d.next = self.plan.q.val().get_bit(1);
                self.ctl_q.d.next = self.plan.q.val().get_bit(0);
                self.sender_q.d.next = self.plan.q.val().get_bit(2);
            }
            if self.editor.in_last.val() {
                self.busy.d.next = false;
                self.rd_floor.d.next = self.nxt.q.val();
            }
        }
        if self.reset.val() {
            self.dh_v.d.next = false;
            self.ph_v.d.next = false;
            self.dh_pop.d.next = false;
            self.ph_pop.d.next = false;
            self.busy.d.next = false;
            self.inflight.d.next = false;
            self.inflight2.d.next = false;
            self.inflight3.d.next = false;
            self.count.d.next = bits::<3>(0);
            self.wp.d.next = bits::<2>(0);
            self.rp.d.next = bits::<2>(0);
            self.first.d.next = true;
            self.e1.d.next = false;
            self.e2.d.next = false;
            self.e3.d.next = false;
            self.push.d.next = false;
            self.dropping.d.next = false;
            self.rd_floor.d.next = self.wr.q.val();
        }
        // the head slot after this cycle (its write, the editor's take, reset)
        self.h_data.d.next = self.sd[0].d.val();
        self.h_last.d.next = self.sl[0].d.val();
        for i in 1..4 {
            if self.rp.d.val().index() == i {
                self.h_data.d.next = self.sd[i].d.val();
                self.h_last.d.next = self.sl[i].d.val();
            }
        }
        self.out_valid.next = self.editor.out_valid.val();
        self.out_data.next = self.editor.out_data.val();
        self.out_last.next = self.editor.out_last.val();
        self.out_port.next = self.port_q.q.val();
        self.out_ctl.next = self.ctl_q.q.val();
        self.out_sender.next = self.sender_q.q.val();
    }
}
