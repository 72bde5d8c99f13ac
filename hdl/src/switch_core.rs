//! The whole two-port data path, board I/O aside: per port, GMII receive framing in the PHY's
//! receive clock domain, a clock-domain crossing queue into the core clock, the ingress
//! pipeline (classifier, frame ring, delivery plan, editor); per output port, the egress
//! queues, arbitration and transmit framing in the core clock.
//!
//! ```text
//!  rx0 (PHY0 clock) ─ GmiiRx ─ AsyncFifo ─┐            ┌─ EgressPort 0 ─ tx0
//!                                          ├ IngressPort 0 ┤
//!                                          │ IngressPort 1 ┤  (a: from port 0, b: from port 1)
//!  rx1 (PHY1 clock) ─ GmiiRx ─ AsyncFifo ─┘            └─ EgressPort 1 ─ tx1
//! ```
//!
//! One connection table ([`ConnArbiter`], R9) serves both ingress pipelines' decisions
//! (lookups, learns) and the control side (`ct_ctl_*`: TM signals, slot reads); every
//! operation it finishes is reported on `ct_op_*` (the cross-check's replay order) and
//! counted (`event_counters`, 64..: results, learns dropped, decisions the table made).
//!
//! One MAC learning table ([`MacArbiter`], R7) serves both decisions (learn every frame's
//! source, look up a bridged frame's destination) and the control side (`mt_ctl_*`); its
//! operations are reported on `mt_op_*` the same way.
//!
//! The board top ([`crate::board_top`]) wraps it with the ECP5 I/O primitives and the PLL;
//! the tests drive it at the GMII level with each receive clock on its own frequency.
//! `tx*` are in the core clock domain (the transmit clock is generated from it).
use crate::async_fifo::AsyncFifo;
use crate::conn_arbiter::ConnArbiter;
use crate::conn_table::ENTRY_BITS;
use crate::control_port::ControlPort;
use crate::egress_port::EgressPort;
use crate::event_counters::EventCounters;
use crate::gmii_rx::GmiiRx;
use crate::ingress_port::IngressPort;
use crate::mac_arbiter::MacArbiter;
use crate::mac_table::SLOT_BITS as MAC_SLOT_BITS;
use rust_hdl::prelude::*;

/// Connection table size: 2^CONN_BITS slots (1024: 8 EBR).
pub const CONN_BITS: usize = 10;

/// MAC learning table size: 2^MAC_BITS stations (1024: 4 EBR).
pub const MAC_BITS: usize = 10;

#[derive(LogicBlock)]
pub struct SwitchCore<const K: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub rx0_clock: Signal<In, Clock>,
    pub rx0_dv: Signal<In, Bit>,
    pub rx0_er: Signal<In, Bit>,
    pub rx0_d: Signal<In, Bits<8>>,
    pub rx1_clock: Signal<In, Clock>,
    pub rx1_dv: Signal<In, Bit>,
    pub rx1_er: Signal<In, Bit>,
    pub rx1_d: Signal<In, Bits<8>>,
    pub tx0_en: Signal<Out, Bit>,
    pub tx0_d: Signal<Out, Bits<8>>,
    pub tx1_en: Signal<Out, Bit>,
    pub tx1_d: Signal<Out, Bits<8>>,
    pub hash_use_port: Signal<In, Bit>,
    pub hash_use_vlan: Signal<In, Bit>,
    pub cfg_we: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<16>>,
    pub cfg_data: Signal<In, Bits<32>>,
    pub group_mac: Signal<In, Bits<48>>,
    pub actions: Signal<In, Bits<32>>,
    pub tm_up: Signal<In, Bits<16>>,
    pub trunk_port: Signal<In, Bit>,
    /// One core cycle per frame sent on either port (the activity LED).
    pub activity: Signal<Out, Bit>,
    /// Whole frames dropped, one pulse each: bit 0/1 ingress port 0/1 overload (not
    /// admitted to its ring); bits 2/3 egress port 0 ring full for frames from ingress 0/1;
    /// bits 4/5 the same at egress port 1.
    pub drops: Signal<Out, Bits<6>>,
    /// Counter read (R13): `ctr_rd` with `ctr_addr` (128 counters, layout: `event_counters`);
    /// the value comes back in `ctr_data` with `ctr_valid`.
    pub ctr_rd: Signal<In, Bit>,
    pub ctr_addr: Signal<In, Bits<7>>,
    pub ctr_valid: Signal<Out, Bit>,
    pub ctr_data: Signal<Out, Bits<36>>,
    /// Connection table (R9): lookups on, learning on, timeout in epochs, core cycles per
    /// epoch (0: time stands still).
    pub conn_enable: Signal<In, Bit>,
    pub conn_learn: Signal<In, Bit>,
    pub conn_timeout: Signal<In, Bits<8>>,
    pub epoch_cycles: Signal<In, Bits<32>>,
    /// Control operations on the table (`ConnTable` op codes; `ct_ctl_keep` makes an insert a
    /// learn), one at a time while not `ct_ctl_busy`; answered on `ct_op_*` with source 4.
    pub ct_ctl_req: Signal<In, Bit>,
    pub ct_ctl_op: Signal<In, Bits<2>>,
    pub ct_ctl_key: Signal<In, Bits<120>>,
    pub ct_ctl_tm: Signal<In, Bits<4>>,
    pub ct_ctl_keep: Signal<In, Bit>,
    pub ct_ctl_busy: Signal<Out, Bit>,
    /// Every table operation finished: source (bit 0 port; bits 2..1: 0 lookup, 1 learn, 2
    /// control), result, TM, the slot (slot reads); epoch ticks; learns dropped per port.
    pub ct_op_done: Signal<Out, Bit>,
    pub ct_op_src: Signal<Out, Bits<3>>,
    pub ct_op_result: Signal<Out, Bits<3>>,
    pub ct_op_tm: Signal<Out, Bits<4>>,
    pub ct_op_entry: Signal<Out, Bits<ENTRY_BITS>>,
    pub ct_ticked: Signal<Out, Bit>,
    pub ct_skipped: Signal<Out, Bits<2>>,
    /// MAC learning table (R7): lookups and learning on, timeout in epochs, core cycles per
    /// epoch (0: time stands still).
    pub mac_enable: Signal<In, Bit>,
    pub mac_timeout: Signal<In, Bits<8>>,
    pub mac_epoch_cycles: Signal<In, Bits<32>>,
    /// Control operations on it (`MacTable` op codes, the station in `mt_ctl_key`, learns on
    /// `mt_ctl_port`), one at a time while not `mt_ctl_busy`; answered on `mt_op_*` with
    /// source 4.
    pub mt_ctl_req: Signal<In, Bit>,
    pub mt_ctl_op: Signal<In, Bits<2>>,
    pub mt_ctl_key: Signal<In, Bits<60>>,
    pub mt_ctl_port: Signal<In, Bit>,
    pub mt_ctl_busy: Signal<Out, Bit>,
    /// Every operation it finished: source (bit 0 port, bit 1 learn, bit 2 control), result,
    /// the port a lookup found, the slot (slot reads); epoch ticks; learns dropped per port.
    pub mt_op_done: Signal<Out, Bit>,
    pub mt_op_src: Signal<Out, Bits<3>>,
    pub mt_op_result: Signal<Out, Bits<3>>,
    pub mt_op_port: Signal<Out, Bit>,
    pub mt_op_entry: Signal<Out, Bits<MAC_SLOT_BITS>>,
    pub mt_ticked: Signal<Out, Bit>,
    pub mt_skipped: Signal<Out, Bits<2>>,
    /// Who may send control requests (R10, `ControlPort`): management ports (bit p), four
    /// management VLAN ids (12 bits each, 0 none), two peer MACs (0 none).
    pub mgmt_ports: Signal<In, Bits<2>>,
    pub mgmt_vlans: Signal<In, Bits<48>>,
    pub peers: Signal<In, Bits<96>>,
    /// The control port in use. The board ties it to 0 for now (the control port's state
    /// machine meets ~105-110 MHz, not 125): synthesis then removes it, and control requests
    /// are dropped (decision kind 0) unanswered.
    pub ctl_enable: Signal<In, Bit>,
    rx0: GmiiRx,
    rx1: GmiiRx,
    cross0: AsyncFifo<9, 4, 5>,
    cross1: AsyncFifo<9, 4, 5>,
    in0: IngressPort<5, K>,
    in1: IngressPort<5, K>,
    out0: EgressPort,
    out1: EgressPort,
    counters: EventCounters,
    conns: ConnArbiter<CONN_BITS>,
    stations: MacArbiter<MAC_BITS>,
    control: ControlPort,
}

impl<const K: usize> SwitchCore<K> {
    /// With the tables of a configuration baked in (configuration-bus writes; empty: none).
    pub fn new(hash_poly: u32, writes: &crate::table_image::BusWrites) -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            rx0_clock: Default::default(),
            rx0_dv: Default::default(),
            rx0_er: Default::default(),
            rx0_d: Default::default(),
            rx1_clock: Default::default(),
            rx1_dv: Default::default(),
            rx1_er: Default::default(),
            rx1_d: Default::default(),
            tx0_en: Default::default(),
            tx0_d: Default::default(),
            tx1_en: Default::default(),
            tx1_d: Default::default(),
            hash_use_port: Default::default(),
            hash_use_vlan: Default::default(),
            cfg_we: Default::default(),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            group_mac: Default::default(),
            actions: Default::default(),
            tm_up: Default::default(),
            trunk_port: Default::default(),
            activity: Default::default(),
            drops: Default::default(),
            ctr_rd: Default::default(),
            ctr_addr: Default::default(),
            ctr_valid: Default::default(),
            ctr_data: Default::default(),
            conn_enable: Default::default(),
            conn_learn: Default::default(),
            conn_timeout: Default::default(),
            epoch_cycles: Default::default(),
            ct_ctl_req: Default::default(),
            ct_ctl_op: Default::default(),
            ct_ctl_key: Default::default(),
            ct_ctl_tm: Default::default(),
            ct_ctl_keep: Default::default(),
            ct_ctl_busy: Default::default(),
            ct_op_done: Default::default(),
            ct_op_src: Default::default(),
            ct_op_result: Default::default(),
            ct_op_tm: Default::default(),
            ct_op_entry: Default::default(),
            ct_ticked: Default::default(),
            ct_skipped: Default::default(),
            mac_enable: Default::default(),
            mac_timeout: Default::default(),
            mac_epoch_cycles: Default::default(),
            mt_ctl_req: Default::default(),
            mt_ctl_op: Default::default(),
            mt_ctl_key: Default::default(),
            mt_ctl_port: Default::default(),
            mt_ctl_busy: Default::default(),
            mt_op_done: Default::default(),
            mt_op_src: Default::default(),
            mt_op_result: Default::default(),
            mt_op_port: Default::default(),
            mt_op_entry: Default::default(),
            mt_ticked: Default::default(),
            mt_skipped: Default::default(),
            mgmt_ports: Default::default(),
            mgmt_vlans: Default::default(),
            peers: Default::default(),
            ctl_enable: Default::default(),
            rx0: Default::default(),
            rx1: Default::default(),
            cross0: AsyncFifo::new(),
            cross1: AsyncFifo::new(),
            in0: IngressPort::with_tables(hash_poly, writes),
            in1: IngressPort::with_tables(hash_poly, writes),
            out0: Default::default(),
            out1: Default::default(),
            counters: Default::default(),
            conns: Default::default(),
            stations: Default::default(),
            control: ControlPort::new(writes),
        }
    }
}

impl<const K: usize> Logic for SwitchCore<K> {
    #[hdl_gen]
    fn update(&mut self) {
        // receive framing in each PHY's clock, crossing into the core clock
        self.rx0.clock.next = self.rx0_clock.val();
        self.rx0.rx_dv.next = self.rx0_dv.val();
        self.rx0.rx_er.next = self.rx0_er.val();
        self.rx0.rxd.next = self.rx0_d.val();
        self.cross0.write_clock.next = self.rx0_clock.val();
        self.cross0.read_clock.next = self.clock.val();
        self.cross0.write.next = self.rx0.out_valid.val();
        self.cross0.data_in.next = bit_cast::<9, 8>(self.rx0.out_data.val());
        if self.rx0.out_last.val() {
            self.cross0.data_in.next = bit_cast::<9, 8>(self.rx0.out_data.val()) | bits::<9>(0x100);
        }
        self.rx1.clock.next = self.rx1_clock.val();
        self.rx1.rx_dv.next = self.rx1_dv.val();
        self.rx1.rx_er.next = self.rx1_er.val();
        self.rx1.rxd.next = self.rx1_d.val();
        self.cross1.write_clock.next = self.rx1_clock.val();
        self.cross1.read_clock.next = self.clock.val();
        self.cross1.write.next = self.rx1.out_valid.val();
        self.cross1.data_in.next = bit_cast::<9, 8>(self.rx1.out_data.val());
        if self.rx1.out_last.val() {
            self.cross1.data_in.next = bit_cast::<9, 8>(self.rx1.out_data.val()) | bits::<9>(0x100);
        }
        // the two ingress pipelines
        self.in0.clock.next = self.clock.val();
        self.in1.clock.next = self.clock.val();
        self.in0.reset.next = self.reset.val();
        self.in1.reset.next = self.reset.val();
        self.in0.rx_valid.next = self.cross0.out_valid.val();
        self.in0.rx_data.next = self.cross0.data_out.val().get_bits::<8>(0);
        self.in0.rx_last.next = self.cross0.data_out.val().get_bit(8);
        self.in1.rx_valid.next = self.cross1.out_valid.val();
        self.in1.rx_data.next = self.cross1.data_out.val().get_bits::<8>(0);
        self.in1.rx_last.next = self.cross1.data_out.val().get_bit(8);
        self.in0.ingress.next = false;
        self.in1.ingress.next = true;
        self.in0.hash_use_port.next = self.hash_use_port.val();
        self.in1.hash_use_port.next = self.hash_use_port.val();
        self.in0.hash_use_vlan.next = self.hash_use_vlan.val();
        self.in1.hash_use_vlan.next = self.hash_use_vlan.val();
        self.in0.cfg_we.next = self.cfg_we.val();
        self.in1.cfg_we.next = self.cfg_we.val();
        self.in0.cfg_addr.next = self.cfg_addr.val();
        self.in1.cfg_addr.next = self.cfg_addr.val();
        self.in0.cfg_data.next = self.cfg_data.val();
        self.in1.cfg_data.next = self.cfg_data.val();
        self.in0.group_mac.next = self.group_mac.val();
        self.in1.group_mac.next = self.group_mac.val();
        self.in0.actions.next = self.actions.val();
        self.in1.actions.next = self.actions.val();
        self.in0.tm_up.next = self.tm_up.val();
        self.in1.tm_up.next = self.tm_up.val();
        self.in0.trunk_port.next = self.trunk_port.val();
        self.in1.trunk_port.next = self.trunk_port.val();
        // the connection table, shared
        self.conns.clock.next = self.clock.val();
        self.conns.reset.next = self.reset.val();
        self.conns.timeout.next = self.conn_timeout.val();
        self.conns.epoch_cycles.next = self.epoch_cycles.val();
        self.in0.ct_enable.next = self.conn_enable.val();
        self.in1.ct_enable.next = self.conn_enable.val();
        self.in0.ct_learn.next = self.conn_learn.val();
        self.in1.ct_learn.next = self.conn_learn.val();
        self.conns.key_0.next = self.in0.ct_key.val();
        self.conns.key_1.next = self.in1.ct_key.val();
        self.conns.lk_req.next = bit_cast::<2, 1>(self.in0.ct_req.val().into())
            | (bit_cast::<2, 1>(self.in1.ct_req.val().into()) << 1);
        self.in0.ct_done.next = self.conns.lk_done.val().get_bit(0);
        self.in1.ct_done.next = self.conns.lk_done.val().get_bit(1);
        self.in0.ct_hit.next = self.conns.lk_hit.val();
        self.in1.ct_hit.next = self.conns.lk_hit.val();
        self.in0.ct_tm.next = self.conns.lk_tm.val();
        self.in1.ct_tm.next = self.conns.lk_tm.val();
        self.conns.ln_req.next = bit_cast::<2, 1>(self.in0.ln_req.val().into())
            | (bit_cast::<2, 1>(self.in1.ln_req.val().into()) << 1);
        self.conns.ln_tm_0.next = self.in0.ln_tm.val();
        self.conns.ln_tm_1.next = self.in1.ln_tm.val();
        self.conns.ln_keep.next = bit_cast::<2, 1>(self.in0.ln_keep.val().into())
            | (bit_cast::<2, 1>(self.in1.ln_keep.val().into()) << 1);
        // the table's control client: the control port, or the `ct_ctl_*` inputs
        self.conns.ctl_req.next =
            self.ct_ctl_req.val() | (self.control.ct_req.val() & self.ctl_enable.val());
        self.conns.ctl_op.next = self.ct_ctl_op.val();
        self.conns.ctl_key.next = self.ct_ctl_key.val();
        self.conns.ctl_tm.next = self.ct_ctl_tm.val();
        self.conns.ctl_keep.next = self.ct_ctl_keep.val();
        if self.control.ct_req.val() & self.ctl_enable.val() {
            self.conns.ctl_op.next = self.control.ct_op.val();
            self.conns.ctl_key.next = self.control.ct_key.val();
            self.conns.ctl_tm.next = self.control.ct_tm.val();
            self.conns.ctl_keep.next = false;
        }
        self.ct_ctl_busy.next = self.conns.ctl_busy.val();
        self.ct_op_done.next = self.conns.op_done.val();
        self.ct_op_src.next = self.conns.op_src.val();
        self.ct_op_result.next = self.conns.op_result.val();
        self.ct_op_tm.next = self.conns.op_tm.val();
        self.ct_op_entry.next = self.conns.op_entry.val();
        self.ct_ticked.next = self.conns.ticked.val();
        self.ct_skipped.next = self.conns.ln_skipped.val();
        // the MAC learning table, shared
        self.stations.clock.next = self.clock.val();
        self.stations.reset.next = self.reset.val();
        self.stations.timeout.next = self.mac_timeout.val();
        self.stations.epoch_cycles.next = self.mac_epoch_cycles.val();
        self.in0.mt_enable.next = self.mac_enable.val();
        self.in1.mt_enable.next = self.mac_enable.val();
        self.stations.lk_req.next = bit_cast::<2, 1>(self.in0.mt_req.val().into())
            | (bit_cast::<2, 1>(self.in1.mt_req.val().into()) << 1);
        self.stations.lk_key_0.next = self.in0.mt_key.val();
        self.stations.lk_key_1.next = self.in1.mt_key.val();
        self.in0.mt_done.next = self.stations.lk_done.val().get_bit(0);
        self.in1.mt_done.next = self.stations.lk_done.val().get_bit(1);
        self.in0.mt_hit.next = self.stations.lk_hit.val();
        self.in1.mt_hit.next = self.stations.lk_hit.val();
        self.in0.mt_port.next = self.stations.lk_port.val();
        self.in1.mt_port.next = self.stations.lk_port.val();
        self.stations.ln_req.next = bit_cast::<2, 1>(self.in0.ml_req.val().into())
            | (bit_cast::<2, 1>(self.in1.ml_req.val().into()) << 1);
        self.stations.ln_key_0.next = self.in0.ml_key.val();
        self.stations.ln_key_1.next = self.in1.ml_key.val();
        // the table's control client: the control port (station reads), or `mt_ctl_*`
        self.stations.ctl_req.next =
            self.mt_ctl_req.val() | (self.control.mt_req.val() & self.ctl_enable.val());
        self.stations.ctl_op.next = self.mt_ctl_op.val();
        self.stations.ctl_key.next = self.mt_ctl_key.val();
        self.stations.ctl_port.next = self.mt_ctl_port.val();
        if self.control.mt_req.val() & self.ctl_enable.val() {
            self.stations.ctl_op.next = bits::<2>(2);
            self.stations.ctl_key.next = bit_cast::<60, 16>(self.control.mt_slot.val());
            self.stations.ctl_port.next = false;
        }
        self.control.mt_busy.next = self.stations.ctl_busy.val();
        self.control.mt_done.next =
            self.stations.op_done.val() & (self.stations.op_src.val() == bits::<3>(4));
        self.control.mt_entry.next = self.stations.op_entry.val();
        self.control.mt_epoch.next = self.stations.epoch.val();
        self.control.mt_timeout.next = self.mac_timeout.val();
        self.mt_ctl_busy.next = self.stations.ctl_busy.val();
        self.mt_op_done.next = self.stations.op_done.val();
        self.mt_op_src.next = self.stations.op_src.val();
        self.mt_op_result.next = self.stations.op_result.val();
        self.mt_op_port.next = self.stations.op_port.val();
        self.mt_op_entry.next = self.stations.op_entry.val();
        self.mt_ticked.next = self.stations.ticked.val();
        self.mt_skipped.next = self.stations.ln_skipped.val();
        // each output port takes what either pipeline sends it
        self.out0.clock.next = self.clock.val();
        self.out1.clock.next = self.clock.val();
        self.out0.reset.next = self.reset.val();
        self.out1.reset.next = self.reset.val();
        // control requests go to the control port, its replies out of their ingress port
        self.control.clock.next = self.clock.val();
        self.control.reset.next = self.reset.val();
        self.control.a_valid.next =
            self.in0.out_valid.val() & self.in0.out_ctl.val() & self.ctl_enable.val();
        self.control.a_data.next = self.in0.out_data.val();
        self.control.a_last.next = self.in0.out_last.val();
        self.control.a_sender.next = self.in0.out_sender.val();
        self.control.b_valid.next =
            self.in1.out_valid.val() & self.in1.out_ctl.val() & self.ctl_enable.val();
        self.control.b_data.next = self.in1.out_data.val();
        self.control.b_last.next = self.in1.out_last.val();
        self.control.b_sender.next = self.in1.out_sender.val();
        self.control.group_mac.next = self.group_mac.val();
        self.control.trunk_port.next = self.trunk_port.val();
        self.control.mgmt_ports.next = self.mgmt_ports.val();
        self.control.mgmt_vlans.next = self.mgmt_vlans.val();
        self.control.peers.next = self.peers.val();
        self.control.cfg_we.next = self.cfg_we.val();
        self.control.cfg_addr.next = self.cfg_addr.val();
        self.control.cfg_data.next = self.cfg_data.val();
        self.control.ctr_valid.next = self.counters.rd_valid.val();
        self.control.ctr_data.next = self.counters.rd_data.val();
        self.control.ct_busy.next = self.conns.ctl_busy.val();
        self.control.ct_done.next =
            self.conns.op_done.val() & (self.conns.op_src.val() == bits::<3>(4));
        self.control.ct_result.next = self.conns.op_result.val();
        self.control.ct_rtm.next = self.conns.op_tm.val();
        self.out0.c_valid.next =
            self.control.tx_valid.val() & !self.control.tx_port.val() & self.ctl_enable.val();
        self.out0.c_data.next = self.control.tx_data.val();
        self.out0.c_last.next = self.control.tx_last.val();
        self.out1.c_valid.next =
            self.control.tx_valid.val() & self.control.tx_port.val() & self.ctl_enable.val();
        self.out1.c_data.next = self.control.tx_data.val();
        self.out1.c_last.next = self.control.tx_last.val();
        // the ingress pipelines pause at most 4 cycles inside a frame: cut-through is safe
        self.out0.cut_through.next = true;
        self.out1.cut_through.next = true;
        self.out0.a_valid.next =
            self.in0.out_valid.val() & !self.in0.out_port.val() & !self.in0.out_ctl.val();
        self.out0.a_data.next = self.in0.out_data.val();
        self.out0.a_last.next = self.in0.out_last.val();
        self.out0.b_valid.next =
            self.in1.out_valid.val() & !self.in1.out_port.val() & !self.in1.out_ctl.val();
        self.out0.b_data.next = self.in1.out_data.val();
        self.out0.b_last.next = self.in1.out_last.val();
        self.out1.a_valid.next =
            self.in0.out_valid.val() & self.in0.out_port.val() & !self.in0.out_ctl.val();
        self.out1.a_data.next = self.in0.out_data.val();
        self.out1.a_last.next = self.in0.out_last.val();
        self.out1.b_valid.next =
            self.in1.out_valid.val() & self.in1.out_port.val() & !self.in1.out_ctl.val();
        self.out1.b_data.next = self.in1.out_data.val();
        self.out1.b_last.next = self.in1.out_last.val();
        self.tx0_en.next = self.out0.tx_en.val();
        self.tx0_d.next = self.out0.txd.val();
        self.tx1_en.next = self.out1.tx_en.val();
        self.tx1_d.next = self.out1.txd.val();
        self.activity.next = self.out0.tx_frame.val() | self.out1.tx_frame.val();
        self.drops.next = bit_cast::<6, 1>(self.in0.drop_overrun.val().into())
            | (bit_cast::<6, 1>(self.in1.drop_overrun.val().into()) << 1)
            | (bit_cast::<6, 1>(self.out0.a_drop.val().into()) << 2)
            | (bit_cast::<6, 1>(self.out0.b_drop.val().into()) << 3)
            | (bit_cast::<6, 1>(self.out1.a_drop.val().into()) << 4)
            | (bit_cast::<6, 1>(self.out1.b_drop.val().into()) << 5);
        // the counters see the same events
        self.counters.clock.next = self.clock.val();
        self.counters.reset.next = self.reset.val();
        self.counters.rx_valid.next = bit_cast::<2, 1>(self.cross0.out_valid.val().into())
            | (bit_cast::<2, 1>(self.cross1.out_valid.val().into()) << 1);
        self.counters.rx_last.next = bit_cast::<2, 1>(self.cross0.data_out.val().get_bit(8).into())
            | (bit_cast::<2, 1>(self.cross1.data_out.val().get_bit(8).into()) << 1);
        self.counters.tx_en.next = bit_cast::<2, 1>(self.out0.tx_en.val().into())
            | (bit_cast::<2, 1>(self.out1.tx_en.val().into()) << 1);
        self.counters.dec_valid.next = bit_cast::<2, 1>(self.in0.dec_valid.val().into())
            | (bit_cast::<2, 1>(self.in1.dec_valid.val().into()) << 1);
        self.counters.dec0_kind.next = self.in0.dec_kind.val();
        self.counters.dec0_tm.next = self.in0.dec_tm.val();
        self.counters.dec1_kind.next = self.in1.dec_kind.val();
        self.counters.dec1_tm.next = self.in1.dec_tm.val();
        self.counters.malformed.next = bit_cast::<2, 1>(self.in0.bad_frame.val().into())
            | (bit_cast::<2, 1>(self.in1.bad_frame.val().into()) << 1);
        self.counters.drops.next = self.drops.val();
        self.counters.dec_conn.next = bit_cast::<2, 1>(self.in0.dec_conn.val().into())
            | (bit_cast::<2, 1>(self.in1.dec_conn.val().into()) << 1);
        self.counters.ct_done.next = self.conns.op_done.val();
        self.counters.ct_src.next = self.conns.op_src.val();
        self.counters.ct_result.next = self.conns.op_result.val();
        self.counters.ct_skipped.next = self.conns.ln_skipped.val();
        self.counters.ct_swept.next = self.conns.swept.val();
        self.counters.ct_expired.next = self.conns.expired.val();
        self.counters.routed.next = bit_cast::<2, 1>(self.in0.dec_routed.val().into())
            | (bit_cast::<2, 1>(self.in1.dec_routed.val().into()) << 1);
        self.counters.ttl_expired.next = bit_cast::<2, 1>(self.in0.dec_ttl_expired.val().into())
            | (bit_cast::<2, 1>(self.in1.dec_ttl_expired.val().into()) << 1);
        self.counters.filtered.next = bit_cast::<2, 1>(self.in0.dec_filtered.val().into())
            | (bit_cast::<2, 1>(self.in1.dec_filtered.val().into()) << 1);
        self.counters.ctl_ev.next = self.control.ev.val();
        if !self.ctl_enable.val() {
            self.counters.ctl_ev.next = bits::<3>(0);
        }
        // the counters' read port: the control port, or the `ctr_*` inputs
        self.counters.rd_req.next =
            self.ctr_rd.val() | (self.control.ctr_rd.val() & self.ctl_enable.val());
        self.counters.rd_addr.next = self.ctr_addr.val();
        if self.control.ctr_rd.val() & self.ctl_enable.val() {
            self.counters.rd_addr.next = self.control.ctr_addr.val();
        }
        self.ctr_valid.next = self.counters.rd_valid.val();
        self.ctr_data.next = self.counters.rd_data.val();
    }
}
