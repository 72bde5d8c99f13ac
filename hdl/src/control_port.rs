//! The control port (R10): control requests in, replies out, with no host CPU.
//!
//! A control request is a frame the decision marked kind 0 (to the group MAC, EtherType
//! 0x88B5 after at most one tag, well-formed); its ingress pipeline streams it here unchanged
//! (`a_*` from port 0, `b_*` from port 1, FCS included) instead of to an egress port, with
//! `*_sender` (the decision's TM-table test: a TM's MAC where that TM's traffic arrives).
//! `docs/PROTOCOL.md` has the wire format, the access rules and the status codes; the model
//! twin is `flowdist_model::control_port`.
//!
//! One request at a time, in one 2 KB block RAM:
//! 1. **capture**: the frame is written at 0.. as it comes; the source MAC, the tag (bytes
//!    12..15) and the 8-byte header are picked off on the way. A request that starts while
//!    another is in hand is dropped and counted as rejected (the requester retries).
//! 2. **check** (three registered steps): the sender's classes (management: a management
//!    port, or a management VLAN on the trunk; TM: `*_sender`; peer: a peer MAC on the trunk);
//!    no class, or the reply bit set: dropped, counted as rejected, no reply. Otherwise the
//!    status, in the model's order: bad_version, bad_op, bad_length, not_permitted, then
//!    bad_op for age.
//! 3. **items**, in order, each read from the buffer into a register: counters (a read on
//!    the counters' port, the 36-bit value written back into the item), stations (a slot
//!    read of the MAC table, its word written back: 0 unless the slot is live), memorize and mirror
//!    (insert; a TM byte with no valid TM is bad_address), forget (delete), relate (lookup of
//!    the first key, insert of the second with its TM, the TM written back). Keys are made
//!    canonical (lower (address, port) first) as the data path makes them. The first item
//!    that fails ends the request; the reply counts the items done and the failing one.
//! 4. **reply**, in place: destination ← requester, source ← group MAC, op | 0x80, status,
//!    count; zeros up to 60 bytes; then the frame is streamed out of `tx_*` (to the egress
//!    port of the ingress port, `tx_port`) with a new FCS, and `ev` counts it (bit 0 ok, bit
//!    2 error; bit 1 rejected, spaced 8 cycles apart so that the counters see every one).
//!
//! Not here yet: read and write of the configuration registers and tables (op 0x01, 0x02)
//! are answered bad_op.
use crate::block_ram::BlockRam;
use crate::crc32_byte::Crc32Byte;
use crate::mac_table::SLOT_BITS as MAC_SLOT_BITS;
use crate::switch_core::MAC_BITS;
use crate::tm_table::InitReg;
use rust_hdl::prelude::*;

// States (`st`, one-hot: bit k set in state k, all zero when idle):
// 0 station read (MAC table wait), 1 capture, 2/3/13/20/16 check, 21 its verdict, 4 load item, 5/17 item:
// key, counter or station, 6 table key, 14 table wait, 7 counter wait, 8 write back, 9 next
// item, 11/10/18/19 reply MACs, header and padding, 12 send, 15 FCS.

#[derive(LogicBlock)]
pub struct ControlPort {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub a_valid: Signal<In, Bit>,
    pub a_data: Signal<In, Bits<8>>,
    pub a_last: Signal<In, Bit>,
    pub a_sender: Signal<In, Bit>,
    pub b_valid: Signal<In, Bit>,
    pub b_data: Signal<In, Bits<8>>,
    pub b_last: Signal<In, Bit>,
    pub b_sender: Signal<In, Bit>,
    pub group_mac: Signal<In, Bits<48>>,
    pub trunk_port: Signal<In, Bit>,
    /// Bit p: port p is a management port.
    pub mgmt_ports: Signal<In, Bits<2>>,
    /// Four management VLAN ids, 12 bits each (0: none).
    pub mgmt_vlans: Signal<In, Bits<48>>,
    /// Two peer distributors' MACs (0: none).
    pub peers: Signal<In, Bits<96>>,
    /// The configuration bus, watched for the TM table's valid bits.
    pub cfg_we: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<16>>,
    pub cfg_data: Signal<In, Bits<32>>,
    /// The counters' read port (`EventCounters::rd_*`).
    pub ctr_rd: Signal<Out, Bit>,
    pub ctr_addr: Signal<Out, Bits<7>>,
    pub ctr_valid: Signal<In, Bit>,
    pub ctr_data: Signal<In, Bits<36>>,
    /// The connection table's control client (`ConnArbiter::ctl_*`); `ct_done` is its
    /// `op_done` for control operations, with the result and TM.
    pub ct_req: Signal<Out, Bit>,
    pub ct_op: Signal<Out, Bits<2>>,
    pub ct_key: Signal<Out, Bits<120>>,
    pub ct_tm: Signal<Out, Bits<4>>,
    pub ct_busy: Signal<In, Bit>,
    pub ct_done: Signal<In, Bit>,
    pub ct_result: Signal<In, Bits<3>>,
    pub ct_rtm: Signal<In, Bits<4>>,
    /// The MAC table's control client (`MacArbiter::ctl_*`) for op 0x04: slot reads (table
    /// op 2, the slot `mt_slot`); `mt_done` is its `op_done` for control operations, with the
    /// slot on `mt_entry`, judged here against the table's `mt_epoch` and `mt_timeout`.
    pub mt_req: Signal<Out, Bit>,
    pub mt_slot: Signal<Out, Bits<16>>,
    pub mt_busy: Signal<In, Bit>,
    pub mt_done: Signal<In, Bit>,
    pub mt_entry: Signal<In, Bits<MAC_SLOT_BITS>>,
    pub mt_epoch: Signal<In, Bits<8>>,
    pub mt_timeout: Signal<In, Bits<8>>,
    /// The reply, FCS included (`tx_last` on its last byte), for egress port `tx_port`.
    pub tx_valid: Signal<Out, Bit>,
    pub tx_data: Signal<Out, Bits<8>>,
    pub tx_last: Signal<Out, Bit>,
    pub tx_port: Signal<Out, Bit>,
    /// Events for the counters: bit 0 answered ok, bit 1 dropped, bit 2 answered with an error.
    pub ev: Signal<Out, Bits<3>>,
    ram: BlockRam<8, 11>,
    crc: Crc32Byte,
    tm_valid: InitReg<16>,
    a_valid_q: DFF<Bit>,
    a_data_q: DFF<Bits<8>>,
    a_last_q: DFF<Bit>,
    a_sender_q: DFF<Bit>,
    b_valid_q: DFF<Bit>,
    b_data_q: DFF<Bits<8>>,
    b_last_q: DFF<Bit>,
    b_sender_q: DFF<Bit>,
    /// the counter read and the table request, registered
    ctr_rd_q: DFF<Bit>,
    addr_big: DFF<Bit>,
    ct_req_q: DFF<Bit>,
    mt_req_q: DFF<Bit>,
    /// 2 × the MAC table's slots: the first station address past the table
    sta_limit: Constant<Bits<32>>,
    /// the MAC table's answer, registered (timing: the table is far away)
    m_got: DFF<Bit>,
    m_entry: DFF<Bits<MAC_SLOT_BITS>>,
    m_epoch: DFF<Bits<8>>,
    m_age: Signal<Local, Bits<8>>,
    m_live: Signal<Local, Bit>,
    /// ... and judged a cycle later (timing: a subtract and a compare)
    m_ready: DFF<Bit>,
    m_age_q: DFF<Bits<8>>,
    m_live_q: DFF<Bit>,
    a_in: DFF<Bit>,
    b_in: DFF<Bit>,
    a_drop: DFF<Bit>,
    b_drop: DFF<Bit>,
    /// one-hot (timing): bit k is state k; all zero is idle
    st: DFF<Bits<22>>,
    /// the next state: each transition clears its state's bit and sets its target's, so a
    /// bit's logic holds only the transitions into and out of it (timing)
    nx: Signal<Local, Bits<22>>,
    /// `st` is not all zero: a request is in hand (its own register, timing: a 22-bit
    /// compare in front of the capture's input mux)
    act: DFF<Bit>,
    from_b: DFF<Bit>,
    port: DFF<Bit>,
    sender: DFF<Bit>,
    n: DFF<Bits<11>>,
    src: DFF<Bits<48>>,
    b12: DFF<Bits<16>>,
    tci: DFF<Bits<16>>,
    hq: DFF<Bits<64>>,
    h12: DFF<Bits<96>>,
    kb_q: DFF<Bits<128>>,
    /// the operation, decoded once (timing): counters, memorize or mirror, forget, relate,
    /// one of read/write/counters/stations, mirror, no operation the RTL does (age, read, write);
    /// the request shorter than its items or with too many
    f_cnt: DFF<Bit>,
    f_sta: DFF<Bit>,
    f_ins: DFF<Bit>,
    f_fgt: DFF<Bit>,
    f_rel: DFF<Bit>,
    f_mgmt: DFF<Bit>,
    f_mir: DFF<Bit>,
    f_none: DFF<Bit>,
    f_short: DFF<Bit>,
    /// `i` + 1, and where item `i` ends (kept in registers: timing)
    i1: DFF<Bits<8>>,
    end_n: DFF<Bits<11>>,
    hk: DFF<Bits<3>>,
    w_en: DFF<Bit>,
    w_addr: DFF<Bits<11>>,
    w_data: DFF<Bits<8>>,
    is_tagged: DFF<Bit>,
    po: DFF<Bits<11>>,
    plen: DFF<Bits<14>>,
    mgmt: DFF<Bit>,
    peer: DFF<Bit>,
    ilen: DFF<Bits<11>>,
    need: DFF<Bits<14>>,
    status: DFF<Bits<8>>,
    cnt_out: DFF<Bits<8>>,
    i: DFF<Bits<8>>,
    ia: DFF<Bits<11>>,
    j: DFF<Bits<11>>,
    /// item bytes still to come from the buffer (counted down: timing)
    rem: DFF<Bits<11>>,
    rv1: DFF<Bit>,
    rv2: DFF<Bit>,
    item: DFF<Bits<256>>,
    second: DFF<Bit>,
    swap: DFF<Bit>,
    key: DFF<Bits<120>>,
    k_op: DFF<Bits<2>>,
    k_tm: DFF<Bits<4>>,
    sent: DFF<Bit>,
    tmq: DFF<Bits<4>>,
    val: DFF<Bits<64>>,
    wb_n: DFF<Bits<4>>,
    wa: DFF<Bits<11>>,
    end_a: DFF<Bits<11>>,
    len: DFF<Bits<11>>,
    fx: DFF<Bits<11>>,
    macs: DFF<Bits<96>>,
    rs: DFF<Bits<11>>,
    s1: DFF<Bit>,
    s1l: DFF<Bit>,
    s2: DFF<Bit>,
    s2l: DFF<Bit>,
    crc_q: DFF<Bits<32>>,
    fcs: DFF<Bits<32>>,
    fk: DFF<Bits<3>>,
    o_v: DFF<Bit>,
    o_d: DFF<Bits<8>>,
    o_l: DFF<Bit>,
    rej_n: DFF<Bits<3>>,
    cool: DFF<Bits<3>>,
    ev_q: DFF<Bits<3>>,
    start_a: Signal<Local, Bit>,
    start_b: Signal<Local, Bit>,
    in_v: Signal<Local, Bit>,
    in_d: Signal<Local, Bits<8>>,
    in_l: Signal<Local, Bit>,
    hs: Signal<Local, Bits<11>>,
    rej_inc: Signal<Local, Bits<3>>,
    op: Signal<Local, Bits<8>>,
    cnt: Signal<Local, Bits<8>>,
    vid: Signal<Local, Bits<12>>,
    allowed: Signal<Local, Bit>,
    kb: Signal<Local, Bits<128>>,
    k_src: Signal<Local, Bits<48>>,
    k_dst: Signal<Local, Bits<48>>,
    k_lo: Signal<Local, Bits<48>>,
    k_hi: Signal<Local, Bits<48>>,
    tm_bits: Signal<Local, Bits<16>>,
    hb: Signal<Local, Bits<8>>,
    fail: Signal<Local, Bit>,
    fail_code: Signal<Local, Bits<8>>,
}

impl ControlPort {
    /// With the TM table's valid bits as the configuration-bus writes built into the
    /// bitstream leave them (R14).
    pub fn new(writes: &crate::table_image::BusWrites) -> Self {
        let valid = crate::table_image::tm_entries(writes)
            .iter()
            .filter(|(_, e)| e.get_bit(63))
            .fold(0u64, |v, (t, _)| v | 1 << t.index());
        Self {
            clock: Default::default(),
            reset: Default::default(),
            a_valid: Default::default(),
            a_data: Default::default(),
            a_last: Default::default(),
            a_sender: Default::default(),
            b_valid: Default::default(),
            b_data: Default::default(),
            b_last: Default::default(),
            b_sender: Default::default(),
            group_mac: Default::default(),
            trunk_port: Default::default(),
            mgmt_ports: Default::default(),
            mgmt_vlans: Default::default(),
            peers: Default::default(),
            cfg_we: Default::default(),
            cfg_addr: Default::default(),
            cfg_data: Default::default(),
            ctr_rd: Default::default(),
            ctr_addr: Default::default(),
            ctr_valid: Default::default(),
            ctr_data: Default::default(),
            ct_req: Default::default(),
            ct_op: Default::default(),
            ct_key: Default::default(),
            ct_tm: Default::default(),
            ct_busy: Default::default(),
            ct_done: Default::default(),
            ct_result: Default::default(),
            ct_rtm: Default::default(),
            mt_req: Default::default(),
            mt_slot: Default::default(),
            mt_busy: Default::default(),
            mt_done: Default::default(),
            mt_entry: Default::default(),
            mt_epoch: Default::default(),
            mt_timeout: Default::default(),
            tx_valid: Default::default(),
            tx_data: Default::default(),
            tx_last: Default::default(),
            tx_port: Default::default(),
            ev: Default::default(),
            ram: Default::default(),
            crc: Default::default(),
            tm_valid: InitReg::new(bits::<16>(valid)),
            a_valid_q: Default::default(),
            a_data_q: Default::default(),
            a_last_q: Default::default(),
            a_sender_q: Default::default(),
            b_valid_q: Default::default(),
            b_data_q: Default::default(),
            b_last_q: Default::default(),
            b_sender_q: Default::default(),
            ctr_rd_q: Default::default(),
            addr_big: Default::default(),
            ct_req_q: Default::default(),
            mt_req_q: Default::default(),
            sta_limit: Constant::new(bits::<32>(2 << MAC_BITS)),
            m_got: Default::default(),
            m_entry: Default::default(),
            m_epoch: Default::default(),
            m_age: Default::default(),
            m_live: Default::default(),
            m_ready: Default::default(),
            m_age_q: Default::default(),
            m_live_q: Default::default(),
            a_in: Default::default(),
            b_in: Default::default(),
            a_drop: Default::default(),
            b_drop: Default::default(),
            st: Default::default(),
            nx: Default::default(),
            act: Default::default(),
            from_b: Default::default(),
            port: Default::default(),
            sender: Default::default(),
            n: Default::default(),
            src: Default::default(),
            b12: Default::default(),
            tci: Default::default(),
            hq: Default::default(),
            h12: Default::default(),
            kb_q: Default::default(),
            f_cnt: Default::default(),
            f_sta: Default::default(),
            f_ins: Default::default(),
            f_fgt: Default::default(),
            f_rel: Default::default(),
            f_mgmt: Default::default(),
            f_mir: Default::default(),
            f_none: Default::default(),
            f_short: Default::default(),
            i1: Default::default(),
            end_n: Default::default(),
            hk: Default::default(),
            w_en: Default::default(),
            w_addr: Default::default(),
            w_data: Default::default(),
            is_tagged: Default::default(),
            po: Default::default(),
            plen: Default::default(),
            mgmt: Default::default(),
            peer: Default::default(),
            ilen: Default::default(),
            need: Default::default(),
            status: Default::default(),
            cnt_out: Default::default(),
            i: Default::default(),
            ia: Default::default(),
            j: Default::default(),
            rem: Default::default(),
            rv1: Default::default(),
            rv2: Default::default(),
            item: Default::default(),
            second: Default::default(),
            swap: Default::default(),
            key: Default::default(),
            k_op: Default::default(),
            k_tm: Default::default(),
            sent: Default::default(),
            tmq: Default::default(),
            val: Default::default(),
            wb_n: Default::default(),
            wa: Default::default(),
            end_a: Default::default(),
            len: Default::default(),
            fx: Default::default(),
            macs: Default::default(),
            rs: Default::default(),
            s1: Default::default(),
            s1l: Default::default(),
            s2: Default::default(),
            s2l: Default::default(),
            crc_q: Default::default(),
            fcs: Default::default(),
            fk: Default::default(),
            o_v: Default::default(),
            o_d: Default::default(),
            o_l: Default::default(),
            rej_n: Default::default(),
            cool: Default::default(),
            ev_q: Default::default(),
            start_a: Default::default(),
            start_b: Default::default(),
            in_v: Default::default(),
            in_d: Default::default(),
            in_l: Default::default(),
            hs: Default::default(),
            rej_inc: Default::default(),
            op: Default::default(),
            cnt: Default::default(),
            vid: Default::default(),
            allowed: Default::default(),
            kb: Default::default(),
            k_src: Default::default(),
            k_dst: Default::default(),
            k_lo: Default::default(),
            k_hi: Default::default(),
            tm_bits: Default::default(),
            hb: Default::default(),
            fail: Default::default(),
            fail_code: Default::default(),
        }
    }
}

impl Default for ControlPort {
    fn default() -> Self {
        Self::new(&[])
    }
}

impl Logic for ControlPort {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, ctr_rd_q, addr_big, ct_req_q, mt_req_q, f_sta, m_got, m_entry, m_epoch,
            m_ready, m_age_q, m_live_q, a_valid_q, a_data_q, a_last_q, a_sender_q, b_valid_q,
            b_data_q, b_last_q, b_sender_q, a_in, b_in, a_drop, b_drop, st, act, from_b, port,
            sender, n, src, b12, tci, hq, h12, kb_q, f_cnt, f_ins, f_fgt, f_rel, f_mgmt, f_mir,
            f_none, f_short, i1, end_n, hk, w_en, w_addr, w_data, is_tagged, po, plen, mgmt, peer,
            ilen, need, status, cnt_out, i, ia, j, rem, rv1, rv2, item, second, swap, key, k_op,
            k_tm, sent, tmq, val, wb_n, wa, end_a, len, fx, macs, rs, s1, s1l, s2, s2l, crc_q, fcs,
            fk, o_v, o_d, o_l, rej_n, cool, ev_q
        );
        self.ram.clock.next = self.clock.val();
        self.tm_valid.clock.next = self.clock.val();
        // the TM table's valid bits (word 1 of TM t at 0x2000 + 2t + 1, bit 31)
        self.tm_valid.d.next = self.tm_valid.q.val();
        if self.cfg_we.val()
            & (self.cfg_addr.val().get_bits::<11>(5) == bits::<11>(0x100))
            & self.cfg_addr.val().get_bit(0)
        {
            if self.cfg_data.val().get_bit(31) {
                self.tm_valid.d.next = self.tm_valid.q.val()
                    | (bits::<16>(1) << bit_cast::<16, 4>(self.cfg_addr.val().get_bits::<4>(1)));
            } else {
                self.tm_valid.d.next = self.tm_valid.q.val()
                    & !(bits::<16>(1) << bit_cast::<16, 4>(self.cfg_addr.val().get_bits::<4>(1)));
            }
        }

        // ---- the two request streams (registered: the ingress ports' output muxes are long
        // paths already): where frames start, which are taken ----
        self.a_valid_q.d.next = self.a_valid.val();
        self.a_data_q.d.next = self.a_data.val();
        self.a_last_q.d.next = self.a_last.val();
        self.a_sender_q.d.next = self.a_sender.val();
        self.b_valid_q.d.next = self.b_valid.val();
        self.b_data_q.d.next = self.b_data.val();
        self.b_last_q.d.next = self.b_last.val();
        self.b_sender_q.d.next = self.b_sender.val();
        self.start_a.next = self.a_valid_q.q.val() & !self.a_in.q.val();
        self.start_b.next = self.b_valid_q.q.val() & !self.b_in.q.val();
        if self.a_valid_q.q.val() {
            self.a_in.d.next = !self.a_last_q.q.val();
        }
        if self.b_valid_q.q.val() {
            self.b_in.d.next = !self.b_last_q.q.val();
        }
        self.rej_inc.next = bits::<3>(0);
        if self.a_valid_q.q.val() & self.a_last_q.q.val() & self.a_drop.q.val() {
            self.a_drop.d.next = false;
            self.rej_inc.next = self.rej_inc.val() + 1;
        }
        if self.b_valid_q.q.val() & self.b_last_q.q.val() & self.b_drop.q.val() {
            self.b_drop.d.next = false;
            self.rej_inc.next = self.rej_inc.val() + 1;
        }
        self.in_v.next = false;
        self.in_d.next = self.a_data_q.q.val();
        self.in_l.next = self.a_last_q.q.val();
        self.nx.next = self.st.q.val();
        if !self.act.q.val() {
            if self.start_a.val() {
                self.in_v.next = true;
                self.from_b.d.next = false;
                self.port.d.next = false;
                self.nx.next = bits::<22>(0x2);
                if self.start_b.val() {
                    self.b_drop.d.next = true;
                }
            } else if self.start_b.val() {
                self.in_v.next = true;
                self.in_d.next = self.b_data_q.q.val();
                self.in_l.next = self.b_last_q.q.val();
                self.from_b.d.next = true;
                self.port.d.next = true;
                self.nx.next = bits::<22>(0x2);
            }
            self.n.d.next = bits::<11>(0);
        } else {
            if self.start_a.val() {
                self.a_drop.d.next = true;
            }
            if self.start_b.val() {
                self.b_drop.d.next = true;
            }
            if self.st.q.val().get_bit(1) {
                if self.from_b.q.val() {
                    self.in_v.next = self.b_valid_q.q.val();
                    self.in_d.next = self.b_data_q.q.val();
                    self.in_l.next = self.b_last_q.q.val();
                } else {
                    self.in_v.next = self.a_valid_q.q.val();
                }
            }
        }
        // ---- capture: into the buffer, the fields picked off on the way ----
        // the buffer's write port, registered (its inputs come from several states)
        self.ram.write_enable.next = self.w_en.q.val();
        self.ram.write_address.next = self.w_addr.q.val();
        self.ram.write_data.next = self.w_data.q.val();
        self.w_en.d.next = self.in_v.val();
        self.w_addr.d.next = self.n.q.val();
        self.w_data.d.next = self.in_d.val();
        self.hs.next = bits::<11>(14);
        if self.b12.q.val() != bits::<16>(0x88B5) {
            self.hs.next = bits::<11>(18);
        }
        if self.in_v.val() {
            self.n.d.next = self.n.q.val() + 1;
            if (self.n.q.val() >= bits::<11>(6)) & (self.n.q.val() < bits::<11>(12)) {
                self.src.d.next = (self.src.q.val() << 8) | bit_cast::<48, 8>(self.in_d.val());
            }
            if (self.n.q.val() == bits::<11>(12)) | (self.n.q.val() == bits::<11>(13)) {
                self.b12.d.next = (self.b12.q.val() << 8) | bit_cast::<16, 8>(self.in_d.val());
            }
            // bytes 14..25: the tag's TCI and the header, wherever the tag puts it
            if (self.n.q.val() >= bits::<11>(14)) & (self.n.q.val() < bits::<11>(26)) {
                self.h12.d.next = (self.h12.q.val() << 8) | bit_cast::<96, 8>(self.in_d.val());
            }
            if self.in_l.val() {
                self.nx.next = (self.nx.val() & !bits::<22>(0x2)) | bits::<22>(0x4);
                self.sender.d.next = self.a_sender_q.q.val();
                if self.from_b.q.val() {
                    self.sender.d.next = self.b_sender_q.q.val();
                }
            }
        }

        // ---- check ----
        self.op.next = self.hq.q.val().get_bits::<8>(48);
        self.cnt.next = self.hq.q.val().get_bits::<8>(16);
        self.vid.next = self.tci.q.val().get_bits::<12>(0);
        if self.st.q.val().get_bit(2) {
            self.nx.next = (self.nx.val() & !bits::<22>(0x4)) | bits::<22>(0x8);
            self.is_tagged.d.next = self.b12.q.val() != bits::<16>(0x88B5);
            self.po.d.next = self.hs.val();
            self.plen.d.next = bit_cast::<14, 11>(self.n.q.val() - self.hs.val() - 4);
            self.tci.d.next = self.h12.q.val().get_bits::<16>(80);
            self.hq.d.next = self.h12.q.val().get_bits::<64>(32);
            if self.b12.q.val() != bits::<16>(0x88B5) {
                self.hq.d.next = self.h12.q.val().get_bits::<64>(0);
            }
        }
        if self.st.q.val().get_bit(3) {
            self.nx.next = (self.nx.val() & !bits::<22>(0x8)) | bits::<22>(0x2000);
            self.mgmt.d.next = ((self.port.q.val() == self.trunk_port.val())
                & self.is_tagged.q.val()
                & (self.vid.val() != bits::<12>(0))
                & ((self.vid.val() == self.mgmt_vlans.val().get_bits::<12>(0))
                    | (self.vid.val() == self.mgmt_vlans.val().get_bits::<12>(12))
                    | (self.vid.val() == self.mgmt_vlans.val().get_bits::<12>(24))
                    | (self.vid.val() == self.mgmt_vlans.val().get_bits::<12>(36))))
                | (!self.port.q.val() & self.mgmt_ports.val().get_bit(0))
                | (self.port.q.val() & self.mgmt_ports.val().get_bit(1));
            self.peer.d.next = (self.port.q.val() == self.trunk_port.val())
                & (((self.src.q.val() == self.peers.val().get_bits::<48>(0))
                    & (self.peers.val().get_bits::<48>(0) != bits::<48>(0)))
                    | ((self.src.q.val() == self.peers.val().get_bits::<48>(48))
                        & (self.peers.val().get_bits::<48>(48) != bits::<48>(0))));
            self.f_cnt.d.next = self.op.val() == bits::<8>(3);
            self.f_sta.d.next = self.op.val() == bits::<8>(4);
            self.f_ins.d.next =
                (self.op.val() == bits::<8>(0x10)) | (self.op.val() == bits::<8>(0x12));
            self.f_fgt.d.next = self.op.val() == bits::<8>(0x11);
            self.f_rel.d.next = self.op.val() == bits::<8>(0x14);
            self.f_mgmt.d.next = (self.op.val() == bits::<8>(1))
                | (self.op.val() == bits::<8>(2))
                | (self.op.val() == bits::<8>(3))
                | (self.op.val() == bits::<8>(4));
            self.f_mir.d.next = self.op.val() == bits::<8>(0x12);
            self.f_none.d.next = (self.op.val() == bits::<8>(0x13))
                | (self.op.val() == bits::<8>(1))
                | (self.op.val() == bits::<8>(2));
            self.ilen.d.next = bits::<11>(0);
            if (self.op.val() == bits::<8>(1))
                | (self.op.val() == bits::<8>(2))
                | (self.op.val() == bits::<8>(3))
                | (self.op.val() == bits::<8>(4))
            {
                self.ilen.d.next = bits::<11>(12);
            }
            if (self.op.val() == bits::<8>(0x10))
                | (self.op.val() == bits::<8>(0x11))
                | (self.op.val() == bits::<8>(0x12))
                | (self.op.val() == bits::<8>(0x13))
            {
                self.ilen.d.next = bits::<11>(16);
            }
            if self.op.val() == bits::<8>(0x14) {
                self.ilen.d.next = bits::<11>(32);
            }
        }
        if self.st.q.val().get_bit(20) {
            self.nx.next = (self.nx.val() & !bits::<22>(0x100000)) | bits::<22>(0x10000);
            self.f_short.d.next =
                (self.cnt.val() > bits::<8>(124)) | (self.plen.q.val() < self.need.q.val());
        }
        if self.st.q.val().get_bit(13) {
            self.nx.next = (self.nx.val() & !bits::<22>(0x2000)) | bits::<22>(0x100000);
            self.need.d.next = (bit_cast::<14, 8>(self.cnt.val()) << 3)
                + (bit_cast::<14, 8>(self.cnt.val()) << 2)
                + bits::<14>(8);
            if self.ilen.q.val() == bits::<11>(16) {
                self.need.d.next = (bit_cast::<14, 8>(self.cnt.val()) << 4) + bits::<14>(8);
            }
            if self.ilen.q.val() == bits::<11>(32) {
                self.need.d.next = (bit_cast::<14, 8>(self.cnt.val()) << 5) + bits::<14>(8);
            }
        }
        self.allowed.next = self.sender.q.val();
        if self.f_mgmt.q.val() {
            self.allowed.next = self.mgmt.q.val();
        }
        if self.f_mir.q.val() {
            self.allowed.next = self.peer.q.val();
        }
        if self.st.q.val().get_bit(16) {
            self.status.d.next = bits::<8>(0);
            self.cnt_out.d.next = bits::<8>(0);
            self.i.d.next = bits::<8>(0);
            self.i1.d.next = bits::<8>(1);
            self.ia.d.next = self.po.q.val() + 8;
            self.end_n.d.next = self.po.q.val() + 8 + self.ilen.q.val();
            self.end_a.d.next = self.po.q.val() + 8;
            self.j.d.next = bits::<11>(0);
            self.rem.d.next = self.ilen.q.val();
            self.second.d.next = false;
            self.nx.next = (self.nx.val() & !bits::<22>(0x10000)) | bits::<22>(0x200000);
            if !(self.mgmt.q.val() | self.sender.q.val() | self.peer.q.val())
                | self.op.val().get_bit(7)
            {
                self.rej_inc.next = self.rej_inc.val() + 1;
                // no reply: out of the check and of the verdict it was headed for
                self.nx.next = self.nx.val() & !bits::<22>(0x210000);
                self.n.d.next = bits::<11>(0);
            } else if self.hq.q.val().get_bits::<8>(56) != bits::<8>(1) {
                self.status.d.next = bits::<8>(1);
            } else if self.ilen.q.val() == bits::<11>(0) {
                self.status.d.next = bits::<8>(2);
            } else if self.f_short.q.val() {
                self.status.d.next = bits::<8>(3);
            } else if !self.allowed.val() {
                self.status.d.next = bits::<8>(4);
            } else if self.f_none.q.val() {
                self.status.d.next = bits::<8>(2);
            }
        }
        // the verdict: the items, or (an error, or no items) the reply
        if self.st.q.val().get_bit(21) {
            if (self.status.q.val() == bits::<8>(0)) & (self.cnt.val() != bits::<8>(0)) {
                self.nx.next = (self.nx.val() & !bits::<22>(0x200000)) | bits::<22>(0x10);
            } else {
                self.nx.next = (self.nx.val() & !bits::<22>(0x200000)) | bits::<22>(0x800);
            }
        }

        // ---- items ----
        self.ram.read_address.next = self.rs.q.val();
        self.rv1.d.next = false;
        self.rv2.d.next = self.rv1.q.val();
        if self.st.q.val().get_bit(4) {
            if self.j.q.val() != self.ilen.q.val() {
                self.ram.read_address.next = self.ia.q.val() + self.j.q.val();
                self.rv1.d.next = true;
                self.j.d.next = self.j.q.val() + 1;
            }
            if self.rv2.q.val() {
                self.item.d.next =
                    (self.item.q.val() << 8) | bit_cast::<256, 8>(self.ram.read_data.val());
                self.rem.d.next = self.rem.q.val() - 1;
                if self.rem.q.val() == bits::<11>(1) {
                    self.nx.next = (self.nx.val() & !bits::<22>(0x10)) | bits::<22>(0x20);
                }
            }
        }
        // the key of this step: relate's first key, then its second; other ops' only key
        self.kb.next = self.item.q.val().get_bits::<128>(0);
        if self.f_rel.q.val() & !self.second.q.val() {
            self.kb.next = self.item.q.val().get_bits::<128>(128);
        }
        self.k_src.next = (bit_cast::<48, 32>(self.kb_q.q.val().get_bits::<32>(96)) << 16)
            | bit_cast::<48, 16>(self.kb_q.q.val().get_bits::<16>(48));
        self.k_dst.next = (bit_cast::<48, 32>(self.kb_q.q.val().get_bits::<32>(64)) << 16)
            | bit_cast::<48, 16>(self.kb_q.q.val().get_bits::<16>(32));
        self.k_lo.next = self.k_src.val();
        self.k_hi.next = self.k_dst.val();
        if self.swap.q.val() {
            self.k_lo.next = self.k_dst.val();
            self.k_hi.next = self.k_src.val();
        }
        self.tm_bits.next =
            self.tm_valid.q.val() >> bit_cast::<16, 4>(self.kb_q.q.val().get_bits::<4>(16));
        self.fail.next = false;
        self.fail_code.next = bits::<8>(0);
        self.ctr_rd_q.d.next = false;
        self.ctr_rd.next = self.ctr_rd_q.q.val();
        self.ctr_addr.next = self.item.q.val().get_bits::<7>(64);
        if self.st.q.val().get_bit(5) {
            self.kb_q.d.next = self.kb.val();
            // a counter address of 128 or more (registered: a 32-bit compare)
            self.addr_big.d.next = self.item.q.val().get_bits::<25>(71) != bits::<25>(0);
            if self.f_sta.q.val() {
                // a station word past the table
                self.addr_big.d.next = self.item.q.val().get_bits::<32>(64) >= self.sta_limit.val();
            }
            self.nx.next = (self.nx.val() & !bits::<22>(0x20)) | bits::<22>(0x20000);
        }
        if self.st.q.val().get_bit(17) {
            self.swap.d.next = self.k_src.val() > self.k_dst.val();
            if self.f_cnt.q.val() | self.f_sta.q.val() {
                // a word item: counter or station address
                if self.addr_big.q.val() {
                    self.fail.next = true;
                    self.fail_code.next = bits::<8>(5);
                    self.nx.next = (self.nx.val() & !bits::<22>(0x20000)) | bits::<22>(0x800);
                } else if self.f_cnt.q.val() {
                    self.ctr_rd_q.d.next = true;
                    self.nx.next = (self.nx.val() & !bits::<22>(0x20000)) | bits::<22>(0x80);
                } else {
                    self.sent.d.next = false;
                    self.nx.next = (self.nx.val() & !bits::<22>(0x20000)) | bits::<22>(0x1);
                }
            } else if self.f_ins.q.val()
                & ((self.kb_q.q.val().get_bits::<4>(20) != bits::<4>(0))
                    | !self.tm_bits.val().get_bit(0))
            {
                // memorize, mirror: a TM byte that names no valid TM
                self.fail.next = true;
                self.fail_code.next = bits::<8>(5);
                self.nx.next = (self.nx.val() & !bits::<22>(0x20000)) | bits::<22>(0x800);
            } else {
                self.nx.next = (self.nx.val() & !bits::<22>(0x20000)) | bits::<22>(0x40);
            }
        }
        if self.st.q.val().get_bit(6) {
            // {lo address, hi address, lo port, hi port, protocol, VLAN}: byte 0 on top
            self.key.d.next = (bit_cast::<120, 32>(self.k_lo.val().get_bits::<32>(16)) << 88)
                | (bit_cast::<120, 32>(self.k_hi.val().get_bits::<32>(16)) << 56)
                | (bit_cast::<120, 16>(self.k_lo.val().get_bits::<16>(0)) << 40)
                | (bit_cast::<120, 16>(self.k_hi.val().get_bits::<16>(0)) << 24)
                | (bit_cast::<120, 8>(self.kb_q.q.val().get_bits::<8>(24)) << 16)
                | bit_cast::<120, 12>(self.kb_q.q.val().get_bits::<12>(0));
            self.k_op.d.next = bits::<2>(1);
            self.k_tm.d.next = self.kb_q.q.val().get_bits::<4>(16);
            if self.f_fgt.q.val() {
                self.k_op.d.next = bits::<2>(2);
            }
            if self.f_rel.q.val() {
                self.k_tm.d.next = self.tmq.q.val();
                if !self.second.q.val() {
                    self.k_op.d.next = bits::<2>(0);
                }
            }
            self.sent.d.next = false;
            self.nx.next = (self.nx.val() & !bits::<22>(0x40)) | bits::<22>(0x4000);
        }
        self.ct_req_q.d.next = false;
        self.ct_req.next = self.ct_req_q.q.val();
        self.ct_op.next = self.k_op.q.val();
        self.ct_key.next = self.key.q.val();
        self.ct_tm.next = self.k_tm.q.val();
        if self.st.q.val().get_bit(14) {
            if !self.sent.q.val() & !self.ct_busy.val() {
                self.ct_req_q.d.next = true;
                self.sent.d.next = true;
            }
            if self.sent.q.val() & self.ct_done.val() {
                if self.f_fgt.q.val() {
                    if self.ct_result.val() != bits::<3>(5) {
                        self.fail.next = true;
                        self.fail_code.next = bits::<8>(7);
                        self.nx.next = (self.nx.val() & !bits::<22>(0x4000)) | bits::<22>(0x800);
                    } else {
                        self.nx.next = (self.nx.val() & !bits::<22>(0x4000)) | bits::<22>(0x200);
                    }
                } else if self.f_rel.q.val() & !self.second.q.val() {
                    if self.ct_result.val() == bits::<3>(1) {
                        self.tmq.d.next = self.ct_rtm.val();
                        self.second.d.next = true;
                        self.nx.next = (self.nx.val() & !bits::<22>(0x4000)) | bits::<22>(0x20);
                    } else {
                        self.fail.next = true;
                        self.fail_code.next = bits::<8>(7);
                        self.nx.next = (self.nx.val() & !bits::<22>(0x4000)) | bits::<22>(0x800);
                    }
                } else if self.ct_result.val() == bits::<3>(4) {
                    self.fail.next = true;
                    self.fail_code.next = bits::<8>(6);
                    self.nx.next = (self.nx.val() & !bits::<22>(0x4000)) | bits::<22>(0x800);
                } else if self.f_rel.q.val() {
                    // the second key's TM byte (item byte 29) carries the TM it was pinned to
                    self.val.d.next = bit_cast::<64, 4>(self.tmq.q.val()) << 56;
                    self.wb_n.d.next = bits::<4>(1);
                    self.wa.d.next = self.ia.q.val() + 29;
                    self.nx.next = (self.nx.val() & !bits::<22>(0x4000)) | bits::<22>(0x100);
                } else {
                    self.nx.next = (self.nx.val() & !bits::<22>(0x4000)) | bits::<22>(0x200);
                }
            }
        }
        // a station read: the slot asked of the MAC table, then its word judged (live: valid
        // and heard fewer than `timeout` epochs ago) and written back
        self.mt_req_q.d.next = false;
        self.mt_req.next = self.mt_req_q.q.val();
        self.mt_slot.next = self.item.q.val().get_bits::<16>(65);
        self.m_got.d.next = false;
        // the answer is held while it is judged
        self.m_entry.d.next = self.m_entry.q.val();
        self.m_epoch.d.next = self.m_epoch.q.val();
        if !self.m_got.q.val() {
            self.m_entry.d.next = self.mt_entry.val();
            self.m_epoch.d.next = self.mt_epoch.val();
        }
        self.m_age.next = self.m_epoch.q.val() - self.m_entry.q.val().get_bits::<8>(62);
        self.m_live.next =
            self.m_entry.q.val().get_bit(0) & (self.m_age.val() < self.mt_timeout.val());
        self.m_ready.d.next = self.m_got.q.val();
        self.m_age_q.d.next = self.m_age.val();
        self.m_live_q.d.next = self.m_live.val();
        if self.st.q.val().get_bit(0) {
            if !self.sent.q.val() & !self.mt_busy.val() {
                self.mt_req_q.d.next = true;
                self.sent.d.next = true;
            }
            if self.sent.q.val() & self.mt_done.val() {
                self.m_got.d.next = true;
            }
            if self.m_ready.q.val() {
                self.val.d.next = bits::<64>(0);
                if self.m_live_q.q.val() {
                    if self.item.q.val().get_bit(64) {
                        self.val.d.next = bits::<64>(0x8000_0000_u64)
                            | (bit_cast::<64, 8>(self.m_age_q.q.val()) << 16)
                            | (bit_cast::<64, 1>(self.m_entry.q.val().get_bits::<1>(61)) << 12)
                            | bit_cast::<64, 12>(self.m_entry.q.val().get_bits::<12>(49));
                    } else {
                        self.val.d.next =
                            bit_cast::<64, 48>(self.m_entry.q.val().get_bits::<48>(1));
                    }
                }
                self.wb_n.d.next = bits::<4>(8);
                self.wa.d.next = self.ia.q.val() + 4;
                self.nx.next = (self.nx.val() & !bits::<22>(0x1)) | bits::<22>(0x100);
            }
        }
        if (self.st.q.val().get_bit(7)) & self.ctr_valid.val() {
            self.val.d.next = bit_cast::<64, 36>(self.ctr_data.val());
            self.wb_n.d.next = bits::<4>(8);
            self.wa.d.next = self.ia.q.val() + 4;
            self.nx.next = (self.nx.val() & !bits::<22>(0x80)) | bits::<22>(0x100);
        }
        if self.st.q.val().get_bit(9) {
            self.i.d.next = self.i1.q.val();
            self.i1.d.next = self.i1.q.val() + 1;
            self.ia.d.next = self.end_n.q.val();
            self.end_n.d.next = self.end_n.q.val() + self.ilen.q.val();
            self.j.d.next = bits::<11>(0);
            self.rem.d.next = self.ilen.q.val();
            self.second.d.next = false;
            if self.i1.q.val() == self.cnt.val() {
                self.cnt_out.d.next = self.cnt.val();
                self.end_a.d.next = self.end_n.q.val();
                self.nx.next = (self.nx.val() & !bits::<22>(0x200)) | bits::<22>(0x800);
            } else {
                self.nx.next = (self.nx.val() & !bits::<22>(0x200)) | bits::<22>(0x10);
            }
        }
        if self.fail.val() {
            self.status.d.next = self.fail_code.val();
            self.cnt_out.d.next = self.i1.q.val();
            self.end_a.d.next = self.end_n.q.val();
        }

        // ---- the reply: header and padding written over the request, then sent ----
        // (write-back and header writes use the write port, free once the capture is over)
        if self.st.q.val().get_bit(8) {
            self.w_en.d.next = true;
            self.w_addr.d.next = self.wa.q.val();
            self.w_data.d.next = self.val.q.val().get_bits::<8>(56);
            self.val.d.next = self.val.q.val() << 8;
            self.wa.d.next = self.wa.q.val() + 1;
            self.wb_n.d.next = self.wb_n.q.val() - 1;
            if self.wb_n.q.val() == bits::<4>(1) {
                self.nx.next = (self.nx.val() & !bits::<22>(0x100)) | bits::<22>(0x200);
            }
        }
        if self.st.q.val().get_bit(11) {
            self.fx.d.next = bits::<11>(0);
            self.macs.d.next = (bit_cast::<96, 48>(self.src.q.val()) << 48)
                | bit_cast::<96, 48>(self.group_mac.val());
            self.nx.next = (self.nx.val() & !bits::<22>(0x800)) | bits::<22>(0x400);
        }
        // the MACs: destination the requester, source the group MAC
        if self.st.q.val().get_bit(10) {
            self.w_en.d.next = true;
            self.w_addr.d.next = self.fx.q.val();
            self.w_data.d.next = self.macs.q.val().get_bits::<8>(88);
            self.macs.d.next = self.macs.q.val() << 8;
            self.fx.d.next = self.fx.q.val() + 1;
            if self.fx.q.val() == bits::<11>(11) {
                self.hk.d.next = bits::<3>(0);
                self.nx.next = (self.nx.val() & !bits::<22>(0x400)) | bits::<22>(0x40000);
            }
        }
        // the header after the tag: version, op | 0x80, (sequence number kept), status,
        // count, reserved
        self.hb.next = bits::<8>(0);
        if self.hk.q.val() == bits::<3>(0) {
            self.hb.next = bits::<8>(1);
        }
        if self.hk.q.val() == bits::<3>(1) {
            self.hb.next = self.op.val() | bits::<8>(0x80);
        }
        if self.hk.q.val() == bits::<3>(4) {
            self.hb.next = self.status.q.val();
        }
        if self.hk.q.val() == bits::<3>(5) {
            self.hb.next = self.cnt_out.q.val();
        }
        if self.st.q.val().get_bit(18) {
            self.w_en.d.next =
                (self.hk.q.val() != bits::<3>(2)) & (self.hk.q.val() != bits::<3>(3));
            self.w_addr.d.next = self.po.q.val() + bit_cast::<11, 3>(self.hk.q.val());
            self.w_data.d.next = self.hb.val();
            self.hk.d.next = self.hk.q.val() + 1;
            if self.hk.q.val() == bits::<3>(7) {
                self.fx.d.next = self.end_a.q.val();
                self.nx.next = (self.nx.val() & !bits::<22>(0x40000)) | bits::<22>(0x80000);
            }
        }
        // zeros after the items up to 60 bytes; then the reply goes
        self.ev_q.d.next = bits::<3>(0);
        if self.st.q.val().get_bit(19) {
            self.w_addr.d.next = self.fx.q.val();
            self.w_data.d.next = bits::<8>(0);
            self.fx.d.next = self.fx.q.val() + 1;
            if self.fx.q.val() < bits::<11>(60) {
                self.w_en.d.next = true;
            } else {
                self.len.d.next = self.end_a.q.val();
                if self.end_a.q.val() < bits::<11>(60) {
                    self.len.d.next = bits::<11>(60);
                }
                self.rs.d.next = bits::<11>(0);
                self.crc_q.d.next = bits::<32>(0xFFFF_FFFF_u64);
                self.nx.next = (self.nx.val() & !bits::<22>(0x80000)) | bits::<22>(0x1000);
                if self.status.q.val() == bits::<8>(0) {
                    self.ev_q.d.next = bits::<3>(1);
                } else {
                    self.ev_q.d.next = bits::<3>(4);
                }
            }
        }
        self.s1.d.next = false;
        self.s1l.d.next = false;
        self.s2.d.next = self.s1.q.val();
        self.s2l.d.next = self.s1l.q.val();
        if (self.st.q.val().get_bit(12)) & (self.rs.q.val() != self.len.q.val()) {
            self.s1.d.next = true;
            self.s1l.d.next = self.rs.q.val() + 1 == self.len.q.val();
            self.rs.d.next = self.rs.q.val() + 1;
        }
        self.crc.crc_in.next = self.crc_q.q.val();
        self.crc.data.next = self.ram.read_data.val();
        self.o_v.d.next = false;
        self.o_l.d.next = false;
        self.o_d.d.next = self.ram.read_data.val();
        if self.s2.q.val() {
            self.o_v.d.next = true;
            self.crc_q.d.next = self.crc.crc_out.val();
            if self.s2l.q.val() {
                self.fcs.d.next = !self.crc.crc_out.val();
                self.fk.d.next = bits::<3>(0);
                self.nx.next = (self.nx.val() & !bits::<22>(0x1000)) | bits::<22>(0x8000);
            }
        }
        if self.st.q.val().get_bit(15) {
            self.o_v.d.next = true;
            self.o_d.d.next = self.fcs.q.val().get_bits::<8>(0);
            self.fcs.d.next = self.fcs.q.val() >> 8;
            self.fk.d.next = self.fk.q.val() + 1;
            if self.fk.q.val() == bits::<3>(3) {
                self.o_l.d.next = true;
                self.nx.next = self.nx.val() & !bits::<22>(0x8000);
                self.n.d.next = bits::<11>(0);
            }
        }
        self.tx_valid.next = self.o_v.q.val();
        self.tx_data.next = self.o_d.q.val();
        self.tx_last.next = self.o_l.q.val();
        self.tx_port.next = self.port.q.val();

        // ---- events: rejected frames counted one at a time, 8 cycles apart ----
        self.ev.next = self.ev_q.q.val();
        self.rej_n.d.next = self.rej_n.q.val() + self.rej_inc.val();
        if self.cool.q.val() != bits::<3>(0) {
            self.cool.d.next = self.cool.q.val() - 1;
        } else if self.rej_n.q.val() != bits::<3>(0) {
            self.ev.next = self.ev_q.q.val() | bits::<3>(2);
            self.rej_n.d.next = self.rej_n.q.val() + self.rej_inc.val() - 1;
            self.cool.d.next = bits::<3>(7);
        }
        self.st.d.next = self.nx.val();
        self.act.d.next = self.nx.val() != bits::<22>(0);
        if self.reset.val() {
            self.st.d.next = bits::<22>(0);
            self.act.d.next = false;
            self.ctr_rd_q.d.next = false;
            self.ct_req_q.d.next = false;
            self.mt_req_q.d.next = false;
            self.a_valid_q.d.next = false;
            self.b_valid_q.d.next = false;
            self.w_en.d.next = false;
            self.n.d.next = bits::<11>(0);
            self.a_in.d.next = false;
            self.b_in.d.next = false;
            self.a_drop.d.next = false;
            self.b_drop.d.next = false;
            self.rej_n.d.next = bits::<3>(0);
            self.cool.d.next = bits::<3>(0);
            self.ev_q.d.next = bits::<3>(0);
            self.o_v.d.next = false;
            self.o_l.d.next = false;
            self.s1.d.next = false;
            self.s2.d.next = false;
            self.rv1.d.next = false;
            self.rv2.d.next = false;
        }
    }
}
