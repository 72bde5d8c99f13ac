//! One port's ingress classification: [`HeaderParser`] (R1, with FCS check and key hashes)
//! feeding [`Decision`] (R2–R4). The decision for a well-formed frame follows its report.
//! Model twin: `flowdist_model::classifier`.
use crate::decision::Decision;
use crate::header_parser::HeaderParser;
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct Classifier<const CB: usize, const K: usize> {
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
    pub pl_valid: Signal<Out, Bit>,
    pub pl_data: Signal<Out, Bits<8>>,
    pub pl_end: Signal<Out, Bit>,
    pub hdr_valid: Signal<Out, Bit>,
    pub malformed: Signal<Out, Bit>,
    pub dec_valid: Signal<Out, Bit>,
    pub dec_kind: Signal<Out, Bits<3>>,
    pub dec_tm: Signal<Out, Bits<4>>,
    pub dec_cell: Signal<Out, Bit>,
    pub dec_row: Signal<Out, Bits<2>>,
    pub dec_col: Signal<Out, Bits<2>>,
    pub dec_action: Signal<Out, Bits<2>>,
    pub dec_backup: Signal<Out, Bit>,
    pub plan_drop: Signal<Out, Bit>,
    pub plan_port: Signal<Out, Bit>,
    pub plan_set_dst: Signal<Out, Bit>,
    pub plan_dst_mac: Signal<Out, Bits<48>>,
    pub plan_set_src: Signal<Out, Bit>,
    pub plan_tag_op: Signal<Out, Bits<2>>,
    pub plan_tci: Signal<Out, Bits<16>>,
    pub plan_encap: Signal<Out, Bit>,
    pub plan_encap_at: Signal<Out, Bits<5>>,
    pub plan_tun_dst: Signal<Out, Bits<32>>,
    pub plan_tun_len: Signal<Out, Bits<16>>,
    pub plan_arp: Signal<Out, Bit>,
    pub plan_ttl: Signal<Out, Bit>,
    pub plan_ctl: Signal<Out, Bit>,
    pub plan_sender: Signal<Out, Bit>,
    pub tunnel_src: Signal<Out, Bits<32>>,
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
    pub dec_route: Signal<Out, Bit>,
    pub dec_route_idx: Signal<Out, Bits<4>>,
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
    parser: HeaderParser,
    decision: Decision<CB, K>,
    bad: Signal<Local, Bit>,
}

impl<const CB: usize, const K: usize> Classifier<CB, K> {
    pub fn new(hash_poly: u32) -> Self {
        // a decision must finish within the 64 cycles between reports of minimum frames
        assert!(
            CB <= 5,
            "a CAM of 2^(CB+1) entries scanned two per cycle is too slow"
        );
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
            pl_valid: Default::default(),
            pl_data: Default::default(),
            pl_end: Default::default(),
            hdr_valid: Default::default(),
            malformed: Default::default(),
            dec_valid: Default::default(),
            dec_kind: Default::default(),
            dec_tm: Default::default(),
            dec_cell: Default::default(),
            dec_row: Default::default(),
            dec_col: Default::default(),
            dec_action: Default::default(),
            dec_backup: Default::default(),
            plan_drop: Default::default(),
            plan_port: Default::default(),
            plan_set_dst: Default::default(),
            plan_dst_mac: Default::default(),
            plan_set_src: Default::default(),
            plan_tag_op: Default::default(),
            plan_tci: Default::default(),
            plan_encap: Default::default(),
            plan_encap_at: Default::default(),
            plan_tun_dst: Default::default(),
            plan_tun_len: Default::default(),
            plan_arp: Default::default(),
            plan_ttl: Default::default(),
            plan_ctl: Default::default(),
            plan_sender: Default::default(),
            tunnel_src: Default::default(),
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
            dec_route: Default::default(),
            dec_route_idx: Default::default(),
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
            parser: HeaderParser::new(hash_poly),
            decision: Default::default(),
            bad: Default::default(),
        }
    }
}

impl<const CB: usize, const K: usize> Classifier<CB, K> {
    /// With its tables loaded at build time from configuration-bus writes (R14): works from
    /// reset with no host; the configuration bus can still change them.
    pub fn with_tables(hash_poly: u32, writes: &crate::table_image::BusWrites) -> Self {
        let mut c = Self::new(hash_poly);
        c.decision = Decision::with_tables(writes);
        c
    }
}

impl<const CB: usize, const K: usize> Logic for Classifier<CB, K> {
    #[hdl_gen]
    fn update(&mut self) {
        self.parser.clock.next = self.clock.val();
        self.parser.reset.next = self.reset.val();
        self.parser.rx_valid.next = self.rx_valid.val();
        self.parser.rx_data.next = self.rx_data.val();
        self.parser.rx_last.next = self.rx_last.val();
        self.parser.hash_use_port.next = self.hash_use_port.val();
        self.parser.hash_use_vlan.next = self.hash_use_vlan.val();

        self.decision.clock.next = self.clock.val();
        self.decision.reset.next = self.reset.val();
        self.decision.cfg_we.next = self.cfg_we.val();
        self.decision.cfg_addr.next = self.cfg_addr.val();
        self.decision.cfg_data.next = self.cfg_data.val();
        self.decision.group_mac.next = self.group_mac.val();
        self.decision.actions.next = self.actions.val();
        self.decision.tm_up.next = self.tm_up.val();
        self.decision.trunk_port.next = self.trunk_port.val();
        self.decision.ingress.next = self.ingress.val();

        // the malformations that drop a frame (flowdist_model::header_parser::flag::MALFORMED)
        self.bad.next = self.parser.f_runt.val()
            | self.parser.f_giant.val()
            | self.parser.f_bad_fcs.val()
            | self.parser.f_truncated.val()
            | self.parser.f_bad_version.val()
            | self.parser.f_bad_ihl.val()
            | self.parser.f_bad_length.val()
            | self.parser.f_bad_checksum.val()
            | self.parser.f_bad_arp.val();
        self.decision.hdr_valid.next = self.parser.hdr_valid.val();
        self.decision.malformed.next = self.bad.val();
        self.decision.dst_mac.next = self.parser.dst_mac.val();
        self.decision.src_mac.next = self.parser.src_mac.val();
        self.decision.vlan_tagged.next = self.parser.vlan_count.val() != bits::<2>(0);
        self.decision.vlan_count.next = self.parser.vlan_count.val();
        self.decision.ip_len.next = self.parser.ip_len.val();
        self.decision.vlan.next = self.parser.vlan0.val().get_bits::<12>(0);
        self.decision.is_ipv4.next = self.parser.l3.val() == bits::<2>(1);
        self.decision.arp_request.next = (self.parser.l3.val() == bits::<2>(3))
            & (self.parser.arp_oper.val() == bits::<16>(1))
            & (self.parser.src_ip.val().get_bits::<32>(0)
                != self.parser.dst_ip.val().get_bits::<32>(0));
        self.decision.arp_sha.next = self.parser.arp_sha.val();
        self.decision.src_ip.next = self.parser.src_ip.val().get_bits::<32>(0);
        self.decision.dst_ip.next = self.parser.dst_ip.val().get_bits::<32>(0);
        // every fragment is classified without ports, like the rest of its datagram
        self.decision.ports_valid.next =
            self.parser.f_l4_valid.val() & !self.parser.f_fragment.val();
        self.decision.src_port.next = self.parser.src_port.val();
        self.decision.dst_port.next = self.parser.dst_port.val();
        self.decision.src_hash.next = self.parser.src_hash.val();
        self.decision.dst_hash.next = self.parser.dst_hash.val();
        self.decision.ethertype.next = self.parser.ethertype.val();

        self.pl_valid.next = self.parser.pl_valid.val();
        self.pl_data.next = self.parser.pl_data.val();
        self.pl_end.next = self.parser.pl_end.val();
        self.hdr_valid.next = self.parser.hdr_valid.val();
        self.malformed.next = self.bad.val();
        self.dec_valid.next = self.decision.dec_valid.val();
        self.dec_kind.next = self.decision.dec_kind.val();
        self.dec_tm.next = self.decision.dec_tm.val();
        self.dec_cell.next = self.decision.dec_cell.val();
        self.dec_row.next = self.decision.dec_row.val();
        self.dec_col.next = self.decision.dec_col.val();
        self.dec_action.next = self.decision.dec_action.val();
        self.dec_backup.next = self.decision.dec_backup.val();
        self.plan_drop.next = self.decision.plan_drop.val();
        self.plan_port.next = self.decision.plan_port.val();
        self.plan_set_dst.next = self.decision.plan_set_dst.val();
        self.plan_dst_mac.next = self.decision.plan_dst_mac.val();
        self.plan_set_src.next = self.decision.plan_set_src.val();
        self.plan_tag_op.next = self.decision.plan_tag_op.val();
        self.plan_tci.next = self.decision.plan_tci.val();
        self.plan_encap.next = self.decision.plan_encap.val();
        self.plan_encap_at.next = self.decision.plan_encap_at.val();
        self.plan_tun_dst.next = self.decision.plan_tun_dst.val();
        self.plan_tun_len.next = self.decision.plan_tun_len.val();
        self.plan_arp.next = self.decision.plan_arp.val();
        self.plan_ttl.next = self.decision.plan_ttl.val();
        self.plan_ctl.next = self.decision.plan_ctl.val();
        self.plan_sender.next = self.decision.plan_sender.val();
        self.tunnel_src.next = self.decision.tunnel_src.val();
        self.decision.protocol.next = self.parser.protocol.val();
        self.decision.ttl.next = self.parser.ttl.val();
        self.decision.ip_csum.next = self.parser.ip_csum.val();
        self.decision.ct_enable.next = self.ct_enable.val();
        self.decision.ct_learn.next = self.ct_learn.val();
        self.decision.mt_enable.next = self.mt_enable.val();
        self.mt_req.next = self.decision.mt_req.val();
        self.mt_key.next = self.decision.mt_key.val();
        self.decision.mt_done.next = self.mt_done.val();
        self.decision.mt_hit.next = self.mt_hit.val();
        self.decision.mt_port.next = self.mt_port.val();
        self.ml_req.next = self.decision.ml_req.val();
        self.ml_key.next = self.decision.ml_key.val();
        self.dec_filtered.next = self.decision.dec_filtered.val();
        self.ct_req.next = self.decision.ct_req.val();
        self.ct_key.next = self.decision.ct_key.val();
        self.decision.ct_done.next = self.ct_done.val();
        self.decision.ct_hit.next = self.ct_hit.val();
        self.decision.ct_tm.next = self.ct_tm.val();
        self.ln_req.next = self.decision.ln_req.val();
        self.ln_tm.next = self.decision.ln_tm.val();
        self.ln_keep.next = self.decision.ln_keep.val();
        self.dec_conn.next = self.decision.dec_conn.val();
        self.dec_route.next = self.decision.dec_route.val();
        self.dec_route_idx.next = self.decision.dec_route_idx.val();
        self.dec_ttl_expired.next = self.decision.dec_ttl_expired.val();
    }
}
