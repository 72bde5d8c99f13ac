//! One port's ingress path: [`Classifier`] → frame buffer → delivery plan → [`FrameEditor`].
//!
//! The frame (without FCS) is written into a 4 KB block-RAM ring as it arrives; its
//! descriptor (start, length, malformed) is queued when the parser reports it, and the plan
//! when the decision comes (in frame order, for well-formed frames only). The reader pops a
//! descriptor: a malformed frame is skipped; otherwise the next plan is popped and the frame
//! is dropped or streamed through the editor with the plan's edits; `out_port` says where the
//! frame in `out_*` goes (egress queues: forwarding issue).
//!
//! The ring is not guarded against overrun: the output (length + 8 cycles per frame at most)
//! is faster than the wire (length + 20 with preamble and gap), so with line-rate Ethernet
//! input the backlog stays under two maximum frames. Model twin: `flowdist_model::ingress_port`.
use crate::classifier::Classifier;
use crate::frame_editor::FrameEditor;
use rust_hdl::prelude::*;

/// Descriptor: start 11..0, length 23..12, malformed 24.
type Desc = Bits<25>;
/// Plan: drop 0, port 1, set_dst 2, set_src 3, tag_op 5..4, tci 21..6, dst MAC 69..22.
type PlanBits = Bits<70>;

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
    classifier: Classifier<CB, K>,
    ring: RAM<Bits<8>, 12>,
    editor: FrameEditor,
    descs: SynchronousFIFO<Desc, 6, 7, 1>,
    plans: SynchronousFIFO<PlanBits, 6, 7, 1>,
    // writer
    wr: DFF<Bits<12>>,
    first: DFF<Bit>,
    fstart: DFF<Bits<12>>,
    cnt: DFF<Bits<12>>,
    // (start, length) of frames between their end and their report (3 cycles)
    d1: DFF<Bits<24>>,
    d2: DFF<Bits<24>>,
    d3: DFF<Bits<24>>,
    e1: DFF<Bit>,
    e2: DFF<Bit>,
    e3: DFF<Bit>,
    // reader
    busy: DFF<Bit>,
    plan: DFF<PlanBits>,
    nxt: DFF<Bits<12>>,
    remain: DFF<Bits<12>>,
    last_addr: DFF<Bits<12>>,
    cur_valid: DFF<Bit>,
    cur_last: DFF<Bit>,
    cur_first: DFF<Bit>,
    port_q: DFF<Bit>,
    fetch: Signal<Local, Bit>,
    take: Signal<Local, Bit>,
    start_now: Signal<Local, Bits<12>>,
    len_now: Signal<Local, Bits<12>>,
    head: Signal<Local, Desc>,
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
            classifier: Classifier::new(hash_poly),
            ring: Default::default(),
            editor: Default::default(),
            descs: Default::default(),
            plans: Default::default(),
            wr: Default::default(),
            first: Default::default(),
            fstart: Default::default(),
            cnt: Default::default(),
            d1: Default::default(),
            d2: Default::default(),
            d3: Default::default(),
            e1: Default::default(),
            e2: Default::default(),
            e3: Default::default(),
            busy: Default::default(),
            plan: Default::default(),
            nxt: Default::default(),
            remain: Default::default(),
            last_addr: Default::default(),
            cur_valid: Default::default(),
            cur_last: Default::default(),
            cur_first: Default::default(),
            port_q: Default::default(),
            fetch: Default::default(),
            take: Default::default(),
            start_now: Default::default(),
            len_now: Default::default(),
            head: Default::default(),
        }
    }
}

impl<const CB: usize, const K: usize> Logic for IngressPort<CB, K> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, wr, first, fstart, cnt, d1, d2, d3, e1, e2, e3, busy, plan, nxt, remain,
            last_addr, cur_valid, cur_last, cur_first, port_q
        );
        self.classifier.clock.next = self.clock.val();
        self.editor.clock.next = self.clock.val();
        self.descs.clock.next = self.clock.val();
        self.plans.clock.next = self.clock.val();
        self.ring.read_clock.next = self.clock.val();
        self.ring.write_clock.next = self.clock.val();
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

        // ---- writer: payload bytes into the ring ----
        self.ring.write_enable.next = self.classifier.pl_valid.val();
        self.ring.write_address.next = self.wr.q.val();
        self.ring.write_data.next = self.classifier.pl_data.val();
        if self.classifier.pl_valid.val() {
            self.wr.d.next = self.wr.q.val() + 1;
            self.first.d.next = false;
            if self.first.q.val() {
                self.fstart.d.next = self.wr.q.val();
                self.cnt.d.next = bits::<12>(1);
            } else {
                self.cnt.d.next = self.cnt.q.val() + 1;
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
        self.e1.d.next = self.classifier.pl_end.val();
        self.d1.d.next = (bit_cast::<24, 12>(self.len_now.val()) << 12)
            | bit_cast::<24, 12>(self.start_now.val());
        if self.classifier.pl_end.val() {
            self.first.d.next = true;
        }
        self.e2.d.next = self.e1.q.val();
        self.d2.d.next = self.d1.q.val();
        self.e3.d.next = self.e2.q.val();
        self.d3.d.next = self.d2.q.val();
        // the report comes three cycles after the end marker: queue the descriptor then
        self.descs.write.next = self.e3.q.val();
        self.descs.data_in.next = (bit_cast::<25, 1>(self.classifier.malformed.val().into()) << 24)
            | bit_cast::<25, 24>(self.d3.q.val());

        // ---- plans, in frame order ----
        self.plans.write.next = self.classifier.dec_valid.val();
        self.plans.data_in.next = (bit_cast::<70, 48>(self.classifier.plan_dst_mac.val()) << 22)
            | (bit_cast::<70, 16>(self.classifier.plan_tci.val()) << 6)
            | (bit_cast::<70, 2>(self.classifier.plan_tag_op.val()) << 4)
            | (bit_cast::<70, 1>(self.classifier.plan_set_src.val().into()) << 3)
            | (bit_cast::<70, 1>(self.classifier.plan_set_dst.val().into()) << 2)
            | (bit_cast::<70, 1>(self.classifier.plan_port.val().into()) << 1)
            | bit_cast::<70, 1>(self.classifier.plan_drop.val().into());

        // ---- reader ----
        self.descs.read.next = false;
        self.plans.read.next = false;
        self.head.next = self.descs.data_out.val();
        if !self.busy.q.val() & !self.descs.empty.val() {
            if self.head.val().get_bit(24) | (self.head.val().get_bits::<12>(12) == bits::<12>(0)) {
                self.descs.read.next = true;
            } else if !self.plans.empty.val() {
                self.descs.read.next = true;
                self.plans.read.next = true;
                if !self.plans.data_out.val().get_bit(0) {
                    self.busy.d.next = true;
                    self.plan.d.next = self.plans.data_out.val();
                    self.nxt.d.next = self.head.val().get_bits::<12>(0);
                    self.remain.d.next = self.head.val().get_bits::<12>(12);
                    self.cur_first.d.next = true;
                }
            }
        }
        self.editor.in_valid.next = self.cur_valid.q.val();
        self.editor.in_data.next = self.ring.read_data.val();
        self.editor.in_last.next = self.cur_last.q.val();
        self.editor.set_dst.next = self.plan.q.val().get_bit(2);
        self.editor.dst_mac.next = self.plan.q.val().get_bits::<48>(22);
        self.editor.set_src.next = self.plan.q.val().get_bit(3);
        self.editor.src_mac.next = self.group_mac.val();
        self.editor.tag_op.next = self.plan.q.val().get_bits::<2>(4);
        self.editor.tci.next = self.plan.q.val().get_bits::<16>(6);
        self.take.next = self.editor.in_ready.val() & self.cur_valid.q.val();
        self.fetch.next = self.busy.q.val()
            & (self.remain.q.val() != bits::<12>(0))
            & (!self.cur_valid.q.val() | self.take.val());
        self.ring.read_address.next = self.last_addr.q.val();
        if self.fetch.val() {
            self.ring.read_address.next = self.nxt.q.val();
            self.last_addr.d.next = self.nxt.q.val();
            self.nxt.d.next = self.nxt.q.val() + 1;
            self.remain.d.next = self.remain.q.val() - 1;
            self.cur_valid.d.next = true;
            self.cur_last.d.next = self.remain.q.val() == bits::<12>(1);
        } else if self.take.val() {
            self.cur_valid.d.next = false;
        }
        if self.take.val() {
            self.cur_first.d.next = false;
            if self.cur_first.q.val() {
                self.port_q.d.next = self.plan.q.val().get_bit(1);
            }
            if self.cur_last.q.val() {
                self.busy.d.next = false;
            }
        }
        if self.reset.val() {
            self.busy.d.next = false;
            self.cur_valid.d.next = false;
            self.first.d.next = true;
            self.e1.d.next = false;
            self.e2.d.next = false;
            self.e3.d.next = false;
        }
        self.out_valid.next = self.editor.out_valid.val();
        self.out_data.next = self.editor.out_data.val();
        self.out_last.next = self.editor.out_last.val();
        self.out_port.next = self.port_q.q.val();
    }
}
