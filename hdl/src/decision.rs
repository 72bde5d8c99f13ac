//! The FIG. 6–10 decision (R3) for one port: from the parser's report to "where does this
//! frame go". Holds the address CAM (R2), the TM table and the hash selector (R4).
//!
//! Only well-formed frames are decided (malformed ones are dropped and counted at the
//! parser); they are at least 64 bytes, so their reports come at least 64 cycles apart and
//! one decision at a time suffices: the unit is busy 2^(CB+1)/2 + 3 cycles of CAM scan plus
//! 6 (41 for a 64-entry CAM, CB = 5). A larger CAM must scan more entries per cycle to keep
//! under 64 (`Classifier::new` refuses one that would not).
//!
//! In order: from a TM → `OUTBOUND`; not addressed to the group MAC → `BRIDGE`; not IPv4 →
//! `ROUTE`; destination has the `own` attribute → `LOCAL`; destination is a TM address with
//! an owner → `TO_TM` that owner; the connection table (R9) holds the frame's connection for
//! a TM that is up → `TO_TM` that TM (`dec_conn`); the FIG. 9 cell of
//! (source row, destination column): goto_dst → the destination's owner TM, or `ROUTE` when
//! it has none; hash_src / hash_dst → the hash selector on that side's key hash, `NO_TM` when
//! the bucket's primary and backup are both down; route → `ROUTE`.
//!
//! Connection table (R9, shared by both ports through `ConnArbiter`): with `ct_enable`, every
//! IPv4 frame to the group MAC asks the table for its key (`ct_req`, `ct_key`) when its CAM
//! scan starts, and the decision waits for the answer (`ct_done`, usually long before the
//! CAM finishes). The key is canonical, so both directions of a connection share one entry:
//! {the lower of (source address, source port) and (destination address, destination port),
//! then the higher, protocol, VLAN id (tagged frames; else 0)}, ports 0 unless the frame is
//! TCP or UDP and not a fragment. With `ct_learn`, a frame that the hash delivered to a TM
//! and the table did not hold (or held for a TM that is down: that entry is replaced) asks
//! for its key to be learned for that TM (`ln_req`, `ln_tm`, `ln_keep`).
//!
//! Then the delivery plan (R5, R6), two cycles later with `dec_valid`: from a TM → out of the
//! other port, the TM's delivery tag popped when the frame carries it, the source MAC set to
//! the group MAC when it differs; to a TM → on its own port unchanged, or on the trunk with
//! its VLAN tag pushed (untagged frame) or its VLAN id set (tagged), or on the trunk with the
//! destination MAC set to the TM's; bridge → out of the other port unchanged, unless
//! filtered; route → to the route's next hop (R8), else out of the other port unchanged;
//! local and no-TM → dropped.
//!
//! MAC learning table (R7, shared by both ports through `MacArbiter`): with `mt_enable`,
//! every frame decided learns its source (`ml_req`, `ml_key`: MAC and the outer VLAN id, 0
//! untagged) when that is a unicast address other than 0, and a frame not to the group MAC
//! with a unicast destination asks where that station was heard (`mt_req`, `mt_key`); the
//! decision waits for the answer (`mt_done`, `mt_hit`, `mt_port`). A `BRIDGE` whose
//! destination was heard on its own ingress port is filtered (`dec_filtered`, dropped):
//! both stations are on that side. Unknown and multicast destinations go out of the other
//! port (flooding, with two ports).
//!
//! Configuration bus: `cfg_addr` 0x0000.. CAM, 0x1000.. buckets, 0x2000.. TM table.
//! Model twin: `flowdist_model::decision`.
use crate::address_cam::AddressCam;
use crate::checksum_update::ChecksumUpdate;
use crate::hash_selector::HashSelector;
use crate::route_table::RouteTable;
use crate::tm_table::TmTable;
use rust_hdl::prelude::*;

/// Decision codes (`dec_kind`; written as literals inside `update`).
pub mod kind {
    pub const OUTBOUND: u64 = 1;
    pub const BRIDGE: u64 = 2;
    pub const TO_TM: u64 = 3;
    pub const ROUTE: u64 = 4;
    pub const LOCAL: u64 = 5;
    pub const NO_TM: u64 = 6;
    pub const ARP_REPLY: u64 = 7;
}

#[derive(LogicBlock, Default)]
pub struct Decision<const CB: usize, const K: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub cfg_we: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<16>>,
    pub cfg_data: Signal<In, Bits<32>>,
    pub group_mac: Signal<In, Bits<48>>,
    pub actions: Signal<In, Bits<32>>,
    pub tm_up: Signal<In, Bits<16>>,
    pub trunk_port: Signal<In, Bit>,
    pub ingress: Signal<In, Bit>,
    // the parser's report
    pub hdr_valid: Signal<In, Bit>,
    pub malformed: Signal<In, Bit>,
    pub dst_mac: Signal<In, Bits<48>>,
    pub src_mac: Signal<In, Bits<48>>,
    pub vlan_tagged: Signal<In, Bit>,
    pub vlan_count: Signal<In, Bits<2>>,
    pub vlan: Signal<In, Bits<12>>,
    pub ip_len: Signal<In, Bits<16>>,
    pub is_ipv4: Signal<In, Bit>,
    /// An ARP request that is not gratuitous (operation 1, sender ≠ target address); its
    /// target is `dst_ip`, its sender `src_ip`.
    pub arp_request: Signal<In, Bit>,
    pub arp_sha: Signal<In, Bits<48>>,
    pub src_ip: Signal<In, Bits<32>>,
    pub dst_ip: Signal<In, Bits<32>>,
    pub ports_valid: Signal<In, Bit>,
    pub src_port: Signal<In, Bits<16>>,
    pub dst_port: Signal<In, Bits<16>>,
    pub src_hash: Signal<In, Bits<32>>,
    pub dst_hash: Signal<In, Bits<32>>,
    pub protocol: Signal<In, Bits<8>>,
    /// IPv4 TTL and header checksum (the router's edit, R8).
    pub ttl: Signal<In, Bits<8>>,
    pub ip_csum: Signal<In, Bits<16>>,
    /// The EtherType after the tags (control requests: 0x88B5 after at most one).
    pub ethertype: Signal<In, Bits<16>>,
    // the connection table (R9)
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
    // the MAC learning table (R7, shared through `MacArbiter`)
    pub mt_enable: Signal<In, Bit>,
    pub mt_req: Signal<Out, Bit>,
    pub mt_key: Signal<Out, Bits<60>>,
    pub mt_done: Signal<In, Bit>,
    pub mt_hit: Signal<In, Bit>,
    pub mt_port: Signal<In, Bit>,
    pub ml_req: Signal<Out, Bit>,
    pub ml_key: Signal<Out, Bits<60>>,
    // the decision
    pub dec_valid: Signal<Out, Bit>,
    pub dec_kind: Signal<Out, Bits<3>>,
    pub dec_tm: Signal<Out, Bits<4>>,
    pub dec_cell: Signal<Out, Bit>,
    pub dec_row: Signal<Out, Bits<2>>,
    pub dec_col: Signal<Out, Bits<2>>,
    pub dec_action: Signal<Out, Bits<2>>,
    pub dec_backup: Signal<Out, Bit>,
    /// The connection table chose the TM.
    pub dec_conn: Signal<Out, Bit>,
    /// A `ROUTE` of an IPv4 frame that matched route `dec_route_idx` (R8); its TTL was 0 or
    /// 1 (`dec_ttl_expired`: dropped).
    pub dec_route: Signal<Out, Bit>,
    pub dec_route_idx: Signal<Out, Bits<4>>,
    pub dec_ttl_expired: Signal<Out, Bit>,
    /// A `BRIDGE` whose destination the MAC table holds on the ingress port (R7): filtered
    /// (dropped, counted).
    pub dec_filtered: Signal<Out, Bit>,
    // the delivery plan (R5, R6): drop, egress port, edits for the frame editor
    pub plan_drop: Signal<Out, Bit>,
    pub plan_port: Signal<Out, Bit>,
    pub plan_set_dst: Signal<Out, Bit>,
    pub plan_dst_mac: Signal<Out, Bits<48>>,
    pub plan_set_src: Signal<Out, Bit>,
    pub plan_tag_op: Signal<Out, Bits<2>>,
    pub plan_tci: Signal<Out, Bits<16>>,
    /// IP-in-IP: encapsulate before byte `plan_encap_at`, to `plan_tun_dst`, inner length
    /// `plan_tun_len`; from `tunnel_src` (a table register, not per frame).
    pub plan_encap: Signal<Out, Bit>,
    pub plan_encap_at: Signal<Out, Bits<5>>,
    pub plan_tun_dst: Signal<Out, Bits<32>>,
    pub plan_tun_len: Signal<Out, Bits<16>>,
    /// ARP reply (R7): rewrite the request's ARP body (at `plan_encap_at`), new sender
    /// protocol address `plan_tun_dst`.
    pub plan_arp: Signal<Out, Bit>,
    /// Routed (R8): the IPv4 header at `plan_encap_at` leaves with TTL `plan_tun_dst[23:16]`
    /// and checksum `plan_tun_dst[15:0]`.
    pub plan_ttl: Signal<Out, Bit>,
    /// A control request (kind 0, R10): streamed unchanged to the control port, not out;
    /// `plan_sender`: its source is a TM where that TM's traffic arrives (`TmTable::sender`).
    pub plan_ctl: Signal<Out, Bit>,
    pub plan_sender: Signal<Out, Bit>,
    pub tunnel_src: Signal<Out, Bits<32>>,

    cam: AddressCam<CB>,
    tms: TmTable,
    sel: HashSelector<K>,
    routes: RouteTable,
    route_seen: DFF<Bit>,
    r_ttl: DFF<Bits<8>>,
    r_csum: DFF<Bits<16>>,
    /// the routed checksum: RFC 1624 eqn. 3 for the TTL byte one less (the protocol byte
    /// that shares its word is the same in m and m', so it is left out of both)
    csum_update: ChecksumUpdate,
    ttl_less: Signal<Local, Bits<8>>,
    a_csum: DFF<Bits<16>>,
    a_ttl_low: DFF<Bit>,
    route_now: Signal<Local, Bit>,
    o_route: DFF<Bit>,
    o_route_idx: DFF<Bits<4>>,
    o_ttl_exp: DFF<Bit>,
    p_ttl: DFF<Bit>,
    state: DFF<Bits<2>>,
    to_us: DFF<Bit>,
    pending: DFF<Bit>,
    r_src_mac: DFF<Bits<48>>,
    r_tagged: DFF<Bit>,
    r_vlan_count: DFF<Bits<2>>,
    r_ip_len: DFF<Bits<16>>,
    p_encap: DFF<Bit>,
    p_encap_at: DFF<Bits<5>>,
    p_tun_dst: DFF<Bits<32>>,
    p_tun_len: DFF<Bits<16>>,
    r_vlan: DFF<Bits<12>>,
    r_v4: DFF<Bit>,
    r_arp: DFF<Bit>,
    r_ctl: DFF<Bit>,
    o_sender: DFF<Bit>,
    p_ctl: DFF<Bit>,
    p_sender: DFF<Bit>,
    r_arp_sha: DFF<Bits<48>>,
    a_arp_ours: DFF<Bit>,
    p_arp: DFF<Bit>,
    r_src_ip: DFF<Bits<32>>,
    r_dst_ip: DFF<Bits<32>>,
    r_ports: DFF<Bit>,
    r_sport: DFF<Bits<16>>,
    r_dport: DFF<Bits<16>>,
    h_src: DFF<Bits<32>>,
    h_dst: DFF<Bits<32>>,
    cam_seen: DFF<Bit>,
    use_dst: DFF<Bit>,
    /// the hash the selector is asked with (chosen at decision time, off the request path)
    h_sel: DFF<Bits<32>>,
    tm_seen: DFF<Bit>,
    a_row: DFF<Bits<2>>,
    a_col: DFF<Bits<2>>,
    a_action: DFF<Bits<2>>,
    a_local: DFF<Bit>,
    a_direct: DFF<Bit>,
    a_owner_en: DFF<Bit>,
    /// the frame will be decided by hashing unless its sender is a TM or the connection
    /// table holds it up: every other condition of the hash branch, registered with the
    /// `a_*` flags (timing: the branch's whole priority chain in front of `state` missed
    /// 125 MHz)
    a_hash: DFF<Bit>,
    r_proto: DFF<Bits<8>>,
    k_key: DFF<Bits<120>>,
    k_req: DFF<Bit>,
    k_ip_gt: DFF<Bit>,
    k_ip_eq: DFF<Bit>,
    k_port_gt: DFF<Bit>,
    k_swap: Signal<Local, Bit>,
    start2: DFF<Bit>,
    ct_wait: DFF<Bit>,
    ct_looked: DFF<Bit>,
    ct_hit_q: DFF<Bit>,
    ct_up_q: DFF<Bit>,
    ct_tm_q: DFF<Bits<4>>,
    l_req: DFF<Bit>,
    l_tm: DFF<Bits<4>>,
    l_keep: DFF<Bit>,
    o_conn: DFF<Bit>,
    r_dst_mac: DFF<Bits<48>>,
    m_req: DFF<Bit>,
    m_learn: DFF<Bit>,
    m_key: DFF<Bits<60>>,
    m_src_key: DFF<Bits<60>>,
    mt_wait: DFF<Bit>,
    mt_hit_q: DFF<Bit>,
    mt_port_q: DFF<Bit>,
    o_filtered: DFF<Bit>,
    m_vlan: Signal<Local, Bits<12>>,
    /// the frame asks where its destination is (and its decision waits for the answer)
    m_ask: Signal<Local, Bit>,
    k_src: Signal<Local, Bits<48>>,
    k_dst: Signal<Local, Bits<48>>,
    k_vlan: Signal<Local, Bits<16>>,
    k_lo: Signal<Local, Bits<48>>,
    k_hi: Signal<Local, Bits<48>>,
    eligible: Signal<Local, Bit>,
    up_shift: Signal<Local, Bits<16>>,
    o_valid: DFF<Bit>,
    o_kind: DFF<Bits<3>>,
    o_tm: DFF<Bits<4>>,
    o_cell: DFF<Bit>,
    o_row: DFF<Bits<2>>,
    o_col: DFF<Bits<2>>,
    o_action: DFF<Bits<2>>,
    o_backup: DFF<Bit>,
    fetched: DFF<Bit>,
    p_valid: DFF<Bit>,
    p_drop: DFF<Bit>,
    p_port: DFF<Bit>,
    p_set_dst: DFF<Bit>,
    p_dst_mac: DFF<Bits<48>>,
    p_set_src: DFF<Bit>,
    p_tag_op: DFF<Bits<2>>,
    p_tci: DFF<Bits<16>>,
    tm_e: Signal<Local, Bits<64>>,
    pdrop: Signal<Local, Bit>,
    accept: Signal<Local, Bit>,
    start: Signal<Local, Bit>,
    ready: Signal<Local, Bit>,
    go_hash: Signal<Local, Bit>,
    row: Signal<Local, Bits<2>>,
    col: Signal<Local, Bits<2>>,
    action: Signal<Local, Bits<2>>,
    cell_index: Signal<Local, Bits<5>>,
    cell_bits: Signal<Local, Bits<32>>,
}

impl<const CB: usize, const K: usize> Decision<CB, K> {
    /// With its tables loaded at build time from configuration-bus writes (R14).
    pub fn with_tables(writes: &crate::table_image::BusWrites) -> Self {
        Self {
            cam: AddressCam::with_tables(writes),
            tms: TmTable::with_tables(writes),
            sel: HashSelector::with_tables(writes),
            routes: RouteTable::with_tables(writes),
            ..Default::default()
        }
    }
}

impl<const CB: usize, const K: usize> Logic for Decision<CB, K> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            state,
            to_us,
            pending,
            r_src_mac,
            r_tagged,
            r_vlan_count,
            r_ip_len,
            p_encap,
            p_encap_at,
            p_tun_dst,
            p_tun_len,
            r_vlan,
            r_v4,
            r_arp,
            r_ctl,
            o_sender,
            p_ctl,
            p_sender,
            r_arp_sha,
            a_arp_ours,
            p_arp,
            r_src_ip,
            r_dst_ip,
            r_ports,
            r_sport,
            r_dport,
            h_src,
            h_dst,
            cam_seen,
            use_dst,
            h_sel,
            tm_seen,
            a_row,
            a_col,
            a_action,
            a_local,
            a_direct,
            a_owner_en,
            a_hash,
            o_valid,
            o_kind,
            o_tm,
            o_cell,
            o_row,
            o_col,
            o_action,
            o_backup,
            fetched,
            p_valid,
            p_drop,
            p_port,
            p_set_dst,
            p_dst_mac,
            p_set_src,
            p_tag_op,
            p_tci,
            r_proto,
            k_key,
            k_req,
            k_ip_gt,
            k_ip_eq,
            k_port_gt,
            start2,
            ct_wait,
            ct_looked,
            ct_hit_q,
            ct_up_q,
            ct_tm_q,
            l_req,
            l_tm,
            l_keep,
            o_conn,
            route_seen,
            r_ttl,
            r_csum,
            a_csum,
            a_ttl_low,
            o_route,
            o_route_idx,
            o_ttl_exp,
            p_ttl,
            r_dst_mac,
            m_req,
            m_learn,
            m_key,
            m_src_key,
            mt_wait,
            mt_hit_q,
            mt_port_q,
            o_filtered
        );
        self.routes.clock.next = self.clock.val();
        self.routes.reset.next = self.reset.val();
        self.routes.cfg_addr.next = self.cfg_addr.val();
        self.routes.cfg_data.next = self.cfg_data.val();
        self.routes.cfg_we.next =
            self.cfg_we.val() & (self.cfg_addr.val().get_bits::<4>(12) == bits::<4>(4));
        self.cam.clock.next = self.clock.val();
        self.tms.clock.next = self.clock.val();
        self.sel.clock.next = self.clock.val();
        self.cam.reset.next = self.reset.val();
        self.tms.reset.next = self.reset.val();
        self.sel.reset.next = self.reset.val();
        // configuration bus, decoded on the top nibble
        self.cam.cfg_addr.next = self.cfg_addr.val();
        self.tms.cfg_addr.next = self.cfg_addr.val();
        self.sel.cfg_addr.next = self.cfg_addr.val();
        self.cam.cfg_data.next = self.cfg_data.val();
        self.tms.cfg_data.next = self.cfg_data.val();
        self.sel.cfg_data.next = self.cfg_data.val();
        self.cam.cfg_we.next =
            self.cfg_we.val() & (self.cfg_addr.val().get_bits::<4>(12) == bits::<4>(0));
        self.sel.cfg_we.next =
            self.cfg_we.val() & (self.cfg_addr.val().get_bits::<4>(12) == bits::<4>(1));
        self.tms.cfg_we.next =
            self.cfg_we.val() & (self.cfg_addr.val().get_bits::<4>(12) == bits::<4>(2));
        self.sel.tm_up.next = self.tm_up.val();

        // the lookups start on the report of a well-formed frame
        // The report of a frame to decide is latched as it passes (hdr_valid lasts one cycle),
        // and the lookups start the cycle after from the latched copy (timing). Reports of
        // malformed frames may come while a decision runs: they must not touch the latch.
        self.accept.next =
            self.hdr_valid.val() & !self.malformed.val() & (self.state.q.val() == bits::<2>(0));
        if self.accept.val() {
            self.r_src_mac.d.next = self.src_mac.val();
            self.r_tagged.d.next = self.vlan_tagged.val();
            self.r_vlan_count.d.next = self.vlan_count.val();
            self.r_ip_len.d.next = self.ip_len.val();
            self.r_vlan.d.next = self.vlan.val();
            self.r_v4.d.next = self.is_ipv4.val();
            self.r_arp.d.next = self.arp_request.val();
            self.r_ctl.d.next =
                (self.ethertype.val() == bits::<16>(0x88B5)) & !self.vlan_count.val().get_bit(1);
            self.r_arp_sha.d.next = self.arp_sha.val();
            self.r_src_ip.d.next = self.src_ip.val();
            self.r_dst_ip.d.next = self.dst_ip.val();
            self.r_ports.d.next = self.ports_valid.val();
            self.r_sport.d.next = self.src_port.val();
            self.r_dport.d.next = self.dst_port.val();
            self.h_src.d.next = self.src_hash.val();
            self.h_dst.d.next = self.dst_hash.val();
            self.r_proto.d.next = self.protocol.val();
            self.r_ttl.d.next = self.ttl.val();
            self.r_csum.d.next = self.ip_csum.val();
            self.to_us.d.next = self.dst_mac.val() == self.group_mac.val();
            self.r_dst_mac.d.next = self.dst_mac.val();
        }
        self.pending.d.next = self.accept.val();
        self.start.next = self.pending.q.val();
        // IPv4 frames look both addresses up; ARP requests their target (in `dst_ip`)
        self.cam.start.next = self.start.val() & (self.r_v4.q.val() | self.r_arp.q.val());
        self.cam.src_addr.next = self.r_src_ip.q.val();
        self.cam.dst_addr.next = self.r_dst_ip.q.val();
        self.cam.src_port.next = self.r_sport.q.val();
        self.cam.dst_port.next = self.r_dport.q.val();
        self.cam.ports_valid.next = self.r_ports.q.val();
        self.cam.any_port.next = self.r_arp.q.val();
        self.cam.vlan.next = self.r_vlan.q.val();
        self.cam.vlan_valid.next = self.r_tagged.q.val();
        self.cam.ingress.next = self.ingress.val();
        self.tms.start.next = self.start.val();
        self.routes.start.next = self.start.val();
        self.routes.addr.next = self.r_dst_ip.q.val();
        // the routed frame's TTL and checksum, from the latched report (stable from the start)
        // (ready comes after the route scan, well after the update's two cycles)
        self.csum_update.clock.next = self.clock.val();
        self.csum_update.valid.next = true;
        self.csum_update.checksum.next = self.r_csum.q.val();
        self.csum_update.old_word.next = bit_cast::<16, 8>(self.r_ttl.q.val()) << 8;
        self.ttl_less.next = self.r_ttl.q.val() - bits::<8>(1);
        self.csum_update.new_word.next = bit_cast::<16, 8>(self.ttl_less.val()) << 8;
        self.a_csum.d.next = self.csum_update.result.val();
        self.a_ttl_low.d.next = self.r_ttl.q.val() < bits::<8>(2);
        self.tms.src_mac.next = self.r_src_mac.q.val();
        self.tms.vlan.next = self.r_vlan.q.val();
        self.tms.vlan_valid.next = self.r_tagged.q.val();
        self.tms.ingress.next = self.ingress.val();
        self.tms.trunk_port.next = self.trunk_port.val();
        self.sel.req.next = false;
        self.sel.hash.next = self.h_sel.q.val();
        // the connection table: the canonical key, asked for the cycle after the start
        self.k_src.next = (bit_cast::<48, 32>(self.r_src_ip.q.val()) << 16)
            | bit_cast::<48, 16>(self.r_sport.q.val());
        self.k_dst.next = (bit_cast::<48, 32>(self.r_dst_ip.q.val()) << 16)
            | bit_cast::<48, 16>(self.r_dport.q.val());
        if !self.r_ports.q.val() {
            self.k_src.next = bit_cast::<48, 32>(self.r_src_ip.q.val()) << 16;
            self.k_dst.next = bit_cast::<48, 32>(self.r_dst_ip.q.val()) << 16;
        }
        // which end is lower, registered (timing: a 48-bit compare, then a 120-bit mux); the
        // report's fields are stable from the start on, so this is right a cycle after it
        self.k_ip_gt.d.next = self.r_src_ip.q.val() > self.r_dst_ip.q.val();
        self.k_ip_eq.d.next = self.r_src_ip.q.val() == self.r_dst_ip.q.val();
        self.k_port_gt.d.next =
            self.r_ports.q.val() & (self.r_sport.q.val() > self.r_dport.q.val());
        self.k_swap.next = self.k_ip_gt.q.val() | (self.k_ip_eq.q.val() & self.k_port_gt.q.val());
        self.k_lo.next = self.k_src.val();
        self.k_hi.next = self.k_dst.val();
        if self.k_swap.val() {
            self.k_lo.next = self.k_dst.val();
            self.k_hi.next = self.k_src.val();
        }
        self.k_vlan.next = bits::<16>(0);
        if self.r_tagged.q.val() {
            self.k_vlan.next = bit_cast::<16, 12>(self.r_vlan.q.val());
        }
        self.eligible.next = self.ct_enable.val() & self.r_v4.q.val() & self.to_us.q.val();
        self.k_req.d.next = false;
        self.start2.d.next = self.start.val();
        if self.start.val() {
            self.ct_wait.d.next = self.eligible.val();
            self.ct_looked.d.next = self.eligible.val();
            self.ct_hit_q.d.next = false;
            self.ct_up_q.d.next = false;
        }
        if self.start2.q.val() {
            // {lo address, hi address, lo port, hi port, protocol, VLAN}: byte 0 on top
            self.k_key.d.next = (bit_cast::<120, 32>(self.k_lo.val().get_bits::<32>(16)) << 88)
                | (bit_cast::<120, 32>(self.k_hi.val().get_bits::<32>(16)) << 56)
                | (bit_cast::<120, 16>(self.k_lo.val().get_bits::<16>(0)) << 40)
                | (bit_cast::<120, 16>(self.k_hi.val().get_bits::<16>(0)) << 24)
                | (bit_cast::<120, 8>(self.r_proto.q.val()) << 16)
                | bit_cast::<120, 16>(self.k_vlan.val());
            self.k_req.d.next = self.eligible.val();
        }
        self.up_shift.next = self.tm_up.val() >> bit_cast::<16, 4>(self.ct_tm.val());
        if self.ct_done.val() {
            self.ct_wait.d.next = false;
            self.ct_hit_q.d.next = self.ct_hit.val();
            self.ct_tm_q.d.next = self.ct_tm.val();
            self.ct_up_q.d.next = self.up_shift.val().get_bit(0);
        }
        // the MAC table (R7): at the start, a frame not to the group MAC with a unicast
        // destination asks where that station is; a unicast source other than 0 is learned
        // on this port. Stations are (MAC, VLAN id of the outer tag, 0 untagged).
        self.m_vlan.next = bits::<12>(0);
        if self.r_tagged.q.val() {
            self.m_vlan.next = self.r_vlan.q.val();
        }
        self.m_ask.next =
            self.mt_enable.val() & !self.to_us.q.val() & !self.r_dst_mac.q.val().get_bit(40);
        self.m_req.d.next = false;
        self.m_learn.d.next = false;
        self.m_key.d.next = (bit_cast::<60, 12>(self.m_vlan.val()) << 48)
            | bit_cast::<60, 48>(self.r_dst_mac.q.val());
        self.m_src_key.d.next = (bit_cast::<60, 12>(self.m_vlan.val()) << 48)
            | bit_cast::<60, 48>(self.r_src_mac.q.val());
        if self.start.val() {
            self.m_req.d.next = self.m_ask.val();
            self.mt_wait.d.next = self.m_ask.val();
            self.m_learn.d.next = self.mt_enable.val()
                & !self.r_src_mac.q.val().get_bit(40)
                & self.r_src_mac.q.val().any();
            self.mt_hit_q.d.next = false;
            self.mt_port_q.d.next = false;
        }
        if self.mt_done.val() {
            self.mt_wait.d.next = false;
            self.mt_hit_q.d.next = self.mt_hit.val();
            self.mt_port_q.d.next = self.mt_port.val();
        }
        self.mt_req.next = self.m_req.q.val();
        self.mt_key.next = self.m_key.q.val();
        self.ml_req.next = self.m_learn.q.val();
        self.ml_key.next = self.m_src_key.q.val();
        self.ct_req.next = self.k_req.q.val();
        self.ct_key.next = self.k_key.q.val();
        self.l_req.d.next = false;
        self.ln_req.next = self.l_req.q.val();
        self.ln_tm.next = self.l_tm.q.val();
        self.ln_keep.next = self.l_keep.q.val();

        if self.start.val() {
            self.state.d.next = bits::<2>(1);
            self.cam_seen.d.next = !(self.r_v4.q.val() | self.r_arp.q.val());
            self.tm_seen.d.next = false;
            self.route_seen.d.next = false;
        }
        if self.routes.done.val() {
            self.route_seen.d.next = true;
        }
        if self.cam.done.val() {
            self.cam_seen.d.next = true;
        }
        if self.tms.done.val() {
            self.tm_seen.d.next = true;
        }

        // FIG. 9 cell from the attributes
        self.row.next = bits::<2>(3);
        if self.cam.src_attrs.val().get_bit(2) & self.cam.src_attrs.val().get_bit(1) {
            self.row.next = bits::<2>(0);
        } else if self.cam.src_attrs.val().get_bit(2) {
            self.row.next = bits::<2>(1);
        } else if self.cam.src_attrs.val().get_bit(1) {
            self.row.next = bits::<2>(2);
        }
        self.col.next = bits::<2>(3);
        if self.cam.dst_attrs.val().get_bit(3) & self.cam.dst_attrs.val().get_bit(0) {
            self.col.next = bits::<2>(0);
        } else if self.cam.dst_attrs.val().get_bit(0) {
            self.col.next = bits::<2>(1);
        } else if self.cam.dst_attrs.val().get_bit(3) {
            self.col.next = bits::<2>(2);
        }
        self.cell_index.next =
            (bit_cast::<5, 2>(self.row.val()) << 3) | (bit_cast::<5, 2>(self.col.val()) << 1);
        self.cell_bits.next = self.actions.val() >> bit_cast::<32, 5>(self.cell_index.val());
        self.action.next = self.cell_bits.val().get_bits::<2>(0);
        // registered every cycle: by the time both lookups are seen (`ready`, from registered
        // flags) the CAM's answers have been stable for a cycle, so the decision reads these
        // instead of the whole attribute-to-action chain (timing)
        self.a_row.d.next = self.row.val();
        self.a_col.d.next = self.col.val();
        self.a_action.d.next = self.action.val();
        self.a_local.d.next = self.cam.dst_attrs.val().get_bit(5);
        self.a_arp_ours.d.next =
            self.cam.dst_attrs.val().get_bit(5) | self.cam.dst_attrs.val().get_bit(0);
        self.a_direct.d.next = self.cam.dst_attrs.val().get_bit(4) & self.cam.dst_owner_en.val();
        self.a_owner_en.d.next = self.cam.dst_owner_en.val();
        // the chain below to its hash branch: not our ARP, not a control request, to us,
        // IPv4, not local, not direct, a cell that says hash
        self.a_hash.d.next = !(self.r_arp.q.val()
            & (self.cam.dst_attrs.val().get_bit(5) | self.cam.dst_attrs.val().get_bit(0)))
            & !self.r_ctl.q.val()
            & self.to_us.q.val()
            & self.r_v4.q.val()
            & !self.cam.dst_attrs.val().get_bit(5)
            & !(self.cam.dst_attrs.val().get_bit(4) & self.cam.dst_owner_en.val())
            & (self.action.val() != bits::<2>(0))
            & (self.action.val() != bits::<2>(3));

        self.ready.next = (self.state.q.val() == bits::<2>(1))
            & self.cam_seen.q.val()
            & self.tm_seen.q.val()
            & self.route_seen.q.val()
            & !self.ct_wait.q.val()
            & !self.mt_wait.q.val();
        self.o_valid.d.next = false;
        if self.ready.val() {
            self.state.d.next = bits::<2>(0);
            self.o_valid.d.next = true;
            self.o_tm.d.next = bits::<4>(0);
            self.o_cell.d.next = false;
            self.o_backup.d.next = false;
            self.o_conn.d.next = false;
            self.o_filtered.d.next = false;
            self.o_row.d.next = bits::<2>(0);
            self.o_col.d.next = bits::<2>(0);
            self.o_action.d.next = bits::<2>(0);
            self.o_sender.d.next = self.tms.sender.val();
            if self.r_arp.q.val() & self.a_arp_ours.q.val() {
                self.o_kind.d.next = bits::<3>(7);
            } else if self.to_us.q.val() & self.r_ctl.q.val() {
                // a control request: the control port judges its sender
                self.o_kind.d.next = bits::<3>(0);
            } else if self.tms.from_tm.val() {
                self.o_kind.d.next = bits::<3>(1);
                self.o_tm.d.next = self.tms.tm.val();
            } else if !self.to_us.q.val() {
                self.o_kind.d.next = bits::<3>(2);
                // its destination was heard on this port: the station is on this side
                self.o_filtered.d.next =
                    self.mt_hit_q.q.val() & (self.mt_port_q.q.val() == self.ingress.val());
            } else if !self.r_v4.q.val() {
                self.o_kind.d.next = bits::<3>(4);
            } else if self.a_local.q.val() {
                self.o_kind.d.next = bits::<3>(5);
            } else if self.a_direct.q.val() {
                self.o_kind.d.next = bits::<3>(3);
                self.o_tm.d.next = self.cam.dst_owner.val();
            } else if self.ct_hit_q.q.val() & self.ct_up_q.q.val() {
                self.o_kind.d.next = bits::<3>(3);
                self.o_tm.d.next = self.ct_tm_q.q.val();
                self.o_conn.d.next = true;
            } else {
                self.o_cell.d.next = true;
                self.o_row.d.next = self.a_row.q.val();
                self.o_col.d.next = self.a_col.q.val();
                self.o_action.d.next = self.a_action.q.val();
                if self.a_action.q.val() == bits::<2>(0) {
                    if self.a_owner_en.q.val() {
                        self.o_kind.d.next = bits::<3>(3);
                        self.o_tm.d.next = self.cam.dst_owner.val();
                    } else {
                        self.o_kind.d.next = bits::<3>(4);
                    }
                } else if self.a_action.q.val() == bits::<2>(3) {
                    self.o_kind.d.next = bits::<3>(4);
                }
            }
        }
        // hash (the chain's last branch, `a_hash`): ask the selector next cycle (timing),
        // decide when it answers
        self.go_hash.next = self.ready.val()
            & self.a_hash.q.val()
            & !self.tms.from_tm.val()
            & !(self.ct_hit_q.q.val() & self.ct_up_q.q.val());
        if self.go_hash.val() {
            self.o_valid.d.next = false;
            self.state.d.next = bits::<2>(3);
            self.use_dst.d.next = self.a_action.q.val() == bits::<2>(2);
            self.h_sel.d.next = self.h_src.q.val();
            if self.a_action.q.val() == bits::<2>(2) {
                self.h_sel.d.next = self.h_dst.q.val();
            }
        }
        // a route decision of an IPv4 frame: the route table's answer (R8)
        self.route_now.next =
            self.routes.hit.val() & self.r_v4.q.val() & (self.o_kind.d.val() == bits::<3>(4));
        if self.ready.val() {
            self.o_route.d.next = self.route_now.val();
            self.o_route_idx.d.next = bits::<4>(0);
            if self.route_now.val() {
                self.o_route_idx.d.next = self.routes.idx.val();
            }
            self.o_ttl_exp.d.next = self.route_now.val() & self.a_ttl_low.q.val();
        }
        if self.state.q.val() == bits::<2>(3) {
            self.state.d.next = bits::<2>(2);
            self.sel.req.next = true;
            self.o_route.d.next = false;
            self.o_route_idx.d.next = bits::<4>(0);
            self.o_ttl_exp.d.next = false;
        }
        if (self.state.q.val() == bits::<2>(2)) & self.sel.done.val() {
            self.state.d.next = bits::<2>(0);
            self.o_valid.d.next = true;
            self.o_tm.d.next = self.sel.tm.val();
            self.o_backup.d.next = self.sel.used_backup.val();
            if self.sel.tm_valid.val() {
                self.o_kind.d.next = bits::<3>(3);
                // learn: the table did not hold the connection for a TM that is up
                self.l_req.d.next = self.ct_learn.val() & self.ct_looked.q.val();
                self.l_tm.d.next = self.sel.tm.val();
                self.l_keep.d.next = !self.ct_hit_q.q.val();
            } else {
                self.o_kind.d.next = bits::<3>(6);
                self.o_tm.d.next = bits::<4>(0);
                self.o_backup.d.next = false;
            }
        }
        if self.reset.val() {
            self.state.d.next = bits::<2>(0);
            self.pending.d.next = false;
            self.o_valid.d.next = false;
            self.k_req.d.next = false;
            self.ct_wait.d.next = false;
            self.l_req.d.next = false;
            self.m_req.d.next = false;
            self.m_learn.d.next = false;
            self.mt_wait.d.next = false;
        }
        // ---- delivery plan: read the decided TM's entry, then plan (two cycles) ----
        self.tms.rd_en.next = self.o_valid.q.val();
        self.tms.rd_idx.next = self.o_tm.q.val();
        self.fetched.d.next = self.o_valid.q.val();
        self.tm_e.next = self.tms.rd_entry.val();
        self.p_valid.d.next = self.fetched.q.val();
        // local, no TM, or an owner that is not a configured TM: dropped (plan all zero)
        self.pdrop.next = (self.o_kind.q.val() == bits::<3>(5))
            | (self.o_kind.q.val() == bits::<3>(6))
            | ((self.o_kind.q.val() == bits::<3>(3)) & !self.tm_e.val().get_bit(63))
            | self.o_ttl_exp.q.val()
            | self.o_filtered.q.val();
        if self.fetched.q.val() {
            self.p_drop.d.next = false;
            self.p_port.d.next = !self.ingress.val();
            self.p_set_dst.d.next = false;
            self.p_dst_mac.d.next = self.tm_e.val().get_bits::<48>(0);
            self.p_set_src.d.next = false;
            self.p_tag_op.d.next = bits::<2>(0);
            self.p_tci.d.next = bit_cast::<16, 12>(self.tm_e.val().get_bits::<12>(48));
            self.p_encap.d.next = false;
            // the inner IPv4 header starts after the MACs, the tags and the EtherType
            self.p_encap_at.d.next =
                bits::<5>(14) + (bit_cast::<5, 2>(self.r_vlan_count.q.val()) << 2);
            self.p_tun_dst.d.next = self.tms.rd_tunnel.val();
            self.p_tun_len.d.next = self.r_ip_len.q.val();
            self.p_arp.d.next = false;
            self.p_ttl.d.next = false;
            self.p_ctl.d.next = self.o_kind.q.val() == bits::<3>(0);
            self.p_sender.d.next = self.o_sender.q.val() & (self.o_kind.q.val() == bits::<3>(0));
            if self.o_kind.q.val() == bits::<3>(7) {
                // ARP reply: back out of the ingress port to the asker, from the group MAC,
                // the ARP body rewritten (new sender address: the one asked for)
                self.p_port.d.next = self.ingress.val();
                self.p_set_dst.d.next = true;
                self.p_dst_mac.d.next = self.r_arp_sha.q.val();
                self.p_set_src.d.next = true;
                self.p_arp.d.next = true;
                self.p_tun_dst.d.next = self.r_dst_ip.q.val();
            }
            if self.o_route.q.val() {
                // routed (R8): to the next hop from the group MAC, on the route's VLAN or
                // untagged, TTL one less and the checksum updated
                self.p_port.d.next = self.routes.port.val();
                self.p_set_dst.d.next = true;
                self.p_dst_mac.d.next = self.routes.mac.val();
                self.p_set_src.d.next = true;
                self.p_tci.d.next = bit_cast::<16, 12>(self.routes.vlan.val());
                if self.routes.on_vlan.val() {
                    if self.r_tagged.q.val() {
                        self.p_tag_op.d.next = bits::<2>(2);
                    } else {
                        self.p_tag_op.d.next = bits::<2>(1);
                    }
                } else if self.r_tagged.q.val() {
                    self.p_tag_op.d.next = bits::<2>(3);
                }
                self.p_ttl.d.next = true;
                self.p_tun_dst.d.next = (bit_cast::<32, 8>(self.ttl_less.val()) << 16)
                    | bit_cast::<32, 16>(self.a_csum.q.val());
            }
            if self.o_kind.q.val() == bits::<3>(1) {
                // outbound: strip the TM's delivery tag, send from the group MAC
                if (self.tm_e.val().get_bits::<2>(61) == bits::<2>(1))
                    & self.r_tagged.q.val()
                    & (self.r_vlan.q.val() == self.tm_e.val().get_bits::<12>(48))
                {
                    self.p_tag_op.d.next = bits::<2>(3);
                }
                self.p_set_src.d.next = self.r_src_mac.q.val() != self.group_mac.val();
            }
            if self.o_kind.q.val() == bits::<3>(3) {
                if self.tm_e.val().get_bits::<2>(61) == bits::<2>(0) {
                    self.p_port.d.next = self.tm_e.val().get_bit(60);
                } else {
                    self.p_port.d.next = self.trunk_port.val();
                }
                if self.tm_e.val().get_bits::<2>(61) == bits::<2>(1) {
                    if self.r_tagged.q.val() {
                        self.p_tag_op.d.next = bits::<2>(2);
                    } else {
                        self.p_tag_op.d.next = bits::<2>(1);
                    }
                }
                if self.tm_e.val().get_bits::<2>(61) == bits::<2>(2) {
                    self.p_set_dst.d.next = true;
                }
                if self.tm_e.val().get_bits::<2>(61) == bits::<2>(3) {
                    // IP-in-IP: the distributor sends the outer packet to the TM's MAC
                    self.p_set_dst.d.next = true;
                    self.p_set_src.d.next = true;
                    self.p_encap.d.next = true;
                }
            }
            if self.pdrop.val() {
                self.p_drop.d.next = true;
                self.p_port.d.next = false;
                self.p_set_dst.d.next = false;
                self.p_set_src.d.next = false;
                self.p_tag_op.d.next = bits::<2>(0);
                self.p_encap.d.next = false;
                self.p_ttl.d.next = false;
            }
        }
        if self.reset.val() {
            self.fetched.d.next = false;
            self.p_valid.d.next = false;
        }
        self.plan_drop.next = self.p_drop.q.val();
        self.plan_port.next = self.p_port.q.val();
        self.plan_set_dst.next = self.p_set_dst.q.val();
        self.plan_dst_mac.next = self.p_dst_mac.q.val();
        self.plan_set_src.next = self.p_set_src.q.val();
        self.plan_tag_op.next = self.p_tag_op.q.val();
        self.plan_tci.next = self.p_tci.q.val();
        self.plan_encap.next = self.p_encap.q.val();
        self.plan_encap_at.next = self.p_encap_at.q.val();
        self.plan_tun_dst.next = self.p_tun_dst.q.val();
        self.plan_tun_len.next = self.p_tun_len.q.val();
        self.plan_arp.next = self.p_arp.q.val();
        self.plan_ttl.next = self.p_ttl.q.val();
        self.plan_ctl.next = self.p_ctl.q.val();
        self.plan_sender.next = self.p_sender.q.val();
        self.tunnel_src.next = self.tms.tunnel_src.val();
        self.dec_valid.next = self.p_valid.q.val();
        self.dec_kind.next = self.o_kind.q.val();
        self.dec_tm.next = self.o_tm.q.val();
        self.dec_cell.next = self.o_cell.q.val();
        self.dec_row.next = self.o_row.q.val();
        self.dec_col.next = self.o_col.q.val();
        self.dec_action.next = self.o_action.q.val();
        self.dec_backup.next = self.o_backup.q.val();
        self.dec_conn.next = self.o_conn.q.val();
        self.dec_route.next = self.o_route.q.val();
        self.dec_route_idx.next = self.o_route_idx.q.val();
        self.dec_ttl_expired.next = self.o_ttl_exp.q.val();
        self.dec_filtered.next = self.o_filtered.q.val();
    }
}
