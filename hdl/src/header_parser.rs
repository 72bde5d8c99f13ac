//! Streaming header parser (R1) for one port: one byte per cycle, never stalls.
//!
//! Input is the received frame, FCS included (`rx_valid`, `rx_data`, `rx_last` on its final
//! byte; frames may follow with no gap). An internal [`FcsChecker`] checks and strips the
//! FCS and hands on the payload with an end marker (`in_end`, with the frame length and the
//! FCS verdict), through one more register stage. Three cycles after `in_end` (the flags
//! are formed in two register stages),
//! `hdr_valid` is high for exactly one cycle and every output below describes that frame;
//! the consumer latches what it needs in that cycle (the working registers clear behind
//! it). The next frame's first payload byte arrives no earlier than five cycles after the
//! previous frame's last byte (the FCS delay line), so nothing is lost, even with no gap.
//!
//! Multi-byte fields are shift registers that start at zero: a field cut short by the end of
//! the frame holds the bytes that did arrive (the model does the same), and `f_truncated`
//! says the header was incomplete. Offsets: `l3_off` is where the L3 header starts (14, 18
//! or 22), `l4_off` where TCP/UDP starts (valid when `l4_en`). IPv4, ARP sender/target
//! and IPv6 addresses share `src_ip`/`dst_ip` (IPv4 and ARP in the low 32 bits).
//!
//! `src_hash`/`dst_hash` are the CRC-32 of the source/destination hash keys, fed by two
//! [`KeyHasher`]s while the bytes pass: key = [outer VLAN id (2 bytes, top nibble zero) when
//! `hash_use_vlan` and tagged] ++ address bytes ++ [L4 port (2 bytes) when `hash_use_port`,
//! ports present and the packet is not a fragment]. A non-first fragment has no ports, and
//! the first fragment must go with it, so every fragment hashes on addresses only (R1, R4).
//! Model twin: `flowdist_model::header_parser`.
use crate::fcs_checker::FcsChecker;
use crate::key_hasher::KeyHasher;
use rust_hdl::prelude::*;

/// `l3` codes (written as literals inside `update`, where consts cannot be named).
pub const L3_NONE: u64 = 0;
pub const L3_IPV4: u64 = 1;
pub const L3_IPV6: u64 = 2;
pub const L3_ARP: u64 = 3;

#[derive(LogicBlock)]
pub struct HeaderParser {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub rx_valid: Signal<In, Bit>,
    pub rx_data: Signal<In, Bits<8>>,
    pub rx_last: Signal<In, Bit>,
    pub hash_use_port: Signal<In, Bit>,
    pub hash_use_vlan: Signal<In, Bit>,

    /// The payload stream as the parser sees it (FCS stripped), for a frame buffer.
    pub pl_valid: Signal<Out, Bit>,
    pub pl_data: Signal<Out, Bits<8>>,
    pub pl_end: Signal<Out, Bit>,
    pub hdr_valid: Signal<Out, Bit>,
    pub frame_len: Signal<Out, Bits<16>>,
    pub dst_mac: Signal<Out, Bits<48>>,
    pub src_mac: Signal<Out, Bits<48>>,
    pub vlan_count: Signal<Out, Bits<2>>,
    pub tpid0: Signal<Out, Bits<16>>,
    pub vlan0: Signal<Out, Bits<16>>,
    pub tpid1: Signal<Out, Bits<16>>,
    pub vlan1: Signal<Out, Bits<16>>,
    pub ethertype: Signal<Out, Bits<16>>,
    pub l3: Signal<Out, Bits<2>>,
    pub l3_off: Signal<Out, Bits<16>>,
    pub ip_ver: Signal<Out, Bits<4>>,
    pub ip_ihl: Signal<Out, Bits<4>>,
    pub ip_len: Signal<Out, Bits<16>>,
    pub ip_ident: Signal<Out, Bits<16>>,
    pub ip_frag: Signal<Out, Bits<16>>,
    pub ttl: Signal<Out, Bits<8>>,
    pub protocol: Signal<Out, Bits<8>>,
    pub ip_csum: Signal<Out, Bits<16>>,
    pub src_ip: Signal<Out, Bits<128>>,
    pub dst_ip: Signal<Out, Bits<128>>,
    pub l4_en: Signal<Out, Bit>,
    pub l4_off: Signal<Out, Bits<16>>,
    pub src_port: Signal<Out, Bits<16>>,
    pub dst_port: Signal<Out, Bits<16>>,
    pub tcp_seq: Signal<Out, Bits<32>>,
    pub tcp_flags: Signal<Out, Bits<8>>,
    pub arp_oper: Signal<Out, Bits<16>>,
    pub arp_sha: Signal<Out, Bits<48>>,
    pub arp_tha: Signal<Out, Bits<48>>,
    pub src_hash: Signal<Out, Bits<32>>,
    pub dst_hash: Signal<Out, Bits<32>>,
    pub f_runt: Signal<Out, Bit>,
    pub f_giant: Signal<Out, Bit>,
    pub f_bad_fcs: Signal<Out, Bit>,
    pub f_truncated: Signal<Out, Bit>,
    pub f_bad_version: Signal<Out, Bit>,
    pub f_bad_ihl: Signal<Out, Bit>,
    pub f_bad_length: Signal<Out, Bit>,
    pub f_bad_checksum: Signal<Out, Bit>,
    pub f_non_first_fragment: Signal<Out, Bit>,
    pub f_fragment: Signal<Out, Bit>,
    pub f_bad_arp: Signal<Out, Bit>,
    pub f_l4_valid: Signal<Out, Bit>,

    fcs: FcsChecker,
    src_hasher: KeyHasher,
    dst_hasher: KeyHasher,

    /// input stage: the FCS checker's output registered once more, with byte classes
    b_valid: DFF<Bit>,
    b_data: DFF<Bits<8>>,
    b_end: DFF<Bit>,
    b_len: DFF<Bits<16>>,
    b_ok: DFF<Bit>,
    c00: DFF<Bit>,
    c01: DFF<Bit>,
    c04: DFF<Bit>,
    c06: DFF<Bit>,
    c08: DFF<Bit>,
    c11: DFF<Bit>,
    c81: DFF<Bit>,
    c86: DFF<Bit>,
    c88: DFF<Bit>,
    ca8: DFF<Bit>,
    cdd: DFF<Bit>,
    fl_stage2: DFF<Bit>,
    t_fresh: DFF<Bit>,
    t_runt: DFF<Bit>,
    t_giant: DFF<Bit>,
    t_fcs_ok: DFF<Bit>,
    t_need: DFF<Bits<8>>,
    t_pos: DFF<Bits<16>>,
    t_present: DFF<Bit>,
    t_ver4: DFF<Bit>,
    t_ver6: DFF<Bit>,
    t_ihl5: DFF<Bit>,
    t_len4: DFF<Bit>,
    t_len6: DFF<Bit>,
    t_v4_len_bad: DFF<Bit>,
    t_v6_len_bad: DFF<Bit>,
    t_hdr_in: DFF<Bit>,
    t_csum_ok: DFF<Bit>,
    t_offset: DFF<Bit>,
    t_mf: DFF<Bit>,
    t_arp_bad: DFF<Bit>,
    t_l4_en: DFF<Bit>,
    t_l3: DFF<Bits<2>>,
    t_len: DFF<Bits<16>>,
    end_d: DFF<Bit>,
    /// one-hot position of the next byte while in the L2 header (bit k: position k)
    l2hot: DFF<Bits<24>>,
    /// the high byte of the current type field is 0x81 / 0x88 (a TPID may follow)
    hi_81: DFF<Bit>,
    hi_88: DFF<Bit>,
    hi_08: DFF<Bit>,
    hi_86: DFF<Bit>,
    rf_runt: DFF<Bit>,
    rf_giant: DFF<Bit>,
    rf_bad_fcs: DFF<Bit>,
    rf_truncated: DFF<Bit>,
    rf_bad_version: DFF<Bit>,
    rf_bad_ihl: DFF<Bit>,
    rf_bad_length: DFF<Bit>,
    rf_bad_checksum: DFF<Bit>,
    rf_non_first_fragment: DFF<Bit>,
    rf_fragment: DFF<Bit>,
    rf_bad_arp: DFF<Bit>,
    rf_l4_valid: DFF<Bit>,
    len_d: DFF<Bits<16>>,
    ok_d: DFF<Bit>,
    finish: DFF<Bit>,
    hash_byte_q: DFF<Bits<8>>,
    feed_src_q: DFF<Bit>,
    feed_dst_q: DFF<Bit>,
    flen: DFF<Bits<16>>,
    pos: DFF<Bits<16>>,
    l3_known: DFF<Bit>,
    r_l3: DFF<Bits<2>>,
    r_l3_off: DFF<Bits<16>>,
    r_dst_mac: DFF<Bits<48>>,
    r_src_mac: DFF<Bits<48>>,
    r_vlan_count: DFF<Bits<2>>,
    r_tpid0: DFF<Bits<16>>,
    r_vlan0: DFF<Bits<16>>,
    r_tpid1: DFF<Bits<16>>,
    r_vlan1: DFF<Bits<16>>,
    r_ethertype: DFF<Bits<16>>,
    r_ver: DFF<Bits<4>>,
    r_ihl: DFF<Bits<4>>,
    r_ip_len: DFF<Bits<16>>,
    r_ident: DFF<Bits<16>>,
    r_frag: DFF<Bits<16>>,
    r_ttl: DFF<Bits<8>>,
    r_proto: DFF<Bits<8>>,
    /// `r_proto == 6` (TCP), registered with it from the byte's compare, for timing
    r_tcp: DFF<Bit>,
    r_csum: DFF<Bits<16>>,
    csum_hi: DFF<Bits<8>>,
    /// ones'-complement sum with the carry folded back at every add (17 bits)
    csum_acc: DFF<Bits<17>>,
    r_src_ip: DFF<Bits<128>>,
    r_dst_ip: DFF<Bits<128>>,
    r_l4_en: DFF<Bit>,
    r_l4_off: DFF<Bits<16>>,
    r_src_port: DFF<Bits<16>>,
    r_dst_port: DFF<Bits<16>>,
    r_seq: DFF<Bits<32>>,
    r_tcp_flags: DFF<Bits<8>>,
    r_arp_oper: DFF<Bits<16>>,
    r_arp_sha: DFF<Bits<48>>,
    r_arp_tha: DFF<Bits<48>>,
    arp_bad: DFF<Bit>,
    /// offset of the current byte from the L3 start (valid once `l3_known`)
    r_rel3: DFF<Bits<16>>,
    /// offset of the current byte from the L4 start, negative (bit 7) before it
    r_rel4: DFF<Bits<8>>,
    /// `r_rel3` saturating at 255, for the position compares
    r_rel3s: DFF<Bits<8>>,
    v4_l4_ok: DFF<Bit>,

    in_valid: Signal<Local, Bit>,
    in_data: Signal<Local, Bits<8>>,
    in_end: Signal<Local, Bit>,
    in_len: Signal<Local, Bits<16>>,
    in_fcs_ok: Signal<Local, Bit>,
    data16: Signal<Local, Bits<16>>,
    full_type: Signal<Local, Bits<16>>,
    rel3: Signal<Local, Bits<8>>,
    rel4: Signal<Local, Bits<8>>,
    ihl4s: Signal<Local, Bits<8>>,
    type_hi: Signal<Local, Bit>,
    type_lo: Signal<Local, Bit>,
    tci_hi: Signal<Local, Bit>,
    tci_lo: Signal<Local, Bit>,
    l3_start: Signal<Local, Bits<8>>,
    need: Signal<Local, Bits<8>>,
    l3_need: Signal<Local, Bits<8>>,
    l4_need: Signal<Local, Bits<8>>,
    t_short: Signal<Local, Bit>,
    ihl4: Signal<Local, Bits<16>>,
    avail: Signal<Local, Bits<16>>,
    fresh: Signal<Local, Bit>,
    v6_need: Signal<Local, Bits<17>>,
    is_v4: Signal<Local, Bit>,
    is_v6: Signal<Local, Bit>,
    is_arp: Signal<Local, Bit>,
    hash_byte: Signal<Local, Bits<8>>,
    feed_src: Signal<Local, Bit>,
    feed_dst: Signal<Local, Bit>,
}

impl HeaderParser {
    pub fn new(hash_poly: u32) -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            rx_valid: Default::default(),
            rx_data: Default::default(),
            rx_last: Default::default(),
            hash_use_port: Default::default(),
            hash_use_vlan: Default::default(),
            pl_valid: Default::default(),
            pl_data: Default::default(),
            pl_end: Default::default(),
            hdr_valid: Default::default(),
            frame_len: Default::default(),
            dst_mac: Default::default(),
            src_mac: Default::default(),
            vlan_count: Default::default(),
            tpid0: Default::default(),
            vlan0: Default::default(),
            tpid1: Default::default(),
            vlan1: Default::default(),
            ethertype: Default::default(),
            l3: Default::default(),
            l3_off: Default::default(),
            ip_ver: Default::default(),
            ip_ihl: Default::default(),
            ip_len: Default::default(),
            ip_ident: Default::default(),
            ip_frag: Default::default(),
            ttl: Default::default(),
            protocol: Default::default(),
            ip_csum: Default::default(),
            src_ip: Default::default(),
            dst_ip: Default::default(),
            l4_en: Default::default(),
            l4_off: Default::default(),
            src_port: Default::default(),
            dst_port: Default::default(),
            tcp_seq: Default::default(),
            tcp_flags: Default::default(),
            arp_oper: Default::default(),
            arp_sha: Default::default(),
            arp_tha: Default::default(),
            src_hash: Default::default(),
            dst_hash: Default::default(),
            f_runt: Default::default(),
            f_giant: Default::default(),
            f_bad_fcs: Default::default(),
            f_truncated: Default::default(),
            f_bad_version: Default::default(),
            f_bad_ihl: Default::default(),
            f_bad_length: Default::default(),
            f_bad_checksum: Default::default(),
            f_non_first_fragment: Default::default(),
            f_fragment: Default::default(),
            f_bad_arp: Default::default(),
            f_l4_valid: Default::default(),
            fcs: FcsChecker::default(),
            in_valid: Default::default(),
            in_data: Default::default(),
            in_end: Default::default(),
            in_len: Default::default(),
            in_fcs_ok: Default::default(),
            src_hasher: KeyHasher::new(hash_poly),
            dst_hasher: KeyHasher::new(hash_poly),
            b_valid: Default::default(),
            b_data: Default::default(),
            b_end: Default::default(),
            b_len: Default::default(),
            b_ok: Default::default(),
            c00: Default::default(),
            c01: Default::default(),
            c04: Default::default(),
            c06: Default::default(),
            c08: Default::default(),
            c11: Default::default(),
            c81: Default::default(),
            c86: Default::default(),
            c88: Default::default(),
            ca8: Default::default(),
            cdd: Default::default(),
            fl_stage2: Default::default(),
            t_fresh: Default::default(),
            t_runt: Default::default(),
            t_giant: Default::default(),
            t_fcs_ok: Default::default(),
            t_need: Default::default(),
            t_pos: Default::default(),
            t_present: Default::default(),
            t_ver4: Default::default(),
            t_ver6: Default::default(),
            t_ihl5: Default::default(),
            t_len4: Default::default(),
            t_len6: Default::default(),
            t_v4_len_bad: Default::default(),
            t_v6_len_bad: Default::default(),
            t_hdr_in: Default::default(),
            t_csum_ok: Default::default(),
            t_offset: Default::default(),
            t_mf: Default::default(),
            t_arp_bad: Default::default(),
            t_l4_en: Default::default(),
            t_l3: Default::default(),
            t_len: Default::default(),
            end_d: Default::default(),
            l2hot: Default::default(),
            hi_81: Default::default(),
            hi_88: Default::default(),
            hi_08: Default::default(),
            hi_86: Default::default(),
            rf_runt: Default::default(),
            rf_giant: Default::default(),
            rf_bad_fcs: Default::default(),
            rf_truncated: Default::default(),
            rf_bad_version: Default::default(),
            rf_bad_ihl: Default::default(),
            rf_bad_length: Default::default(),
            rf_bad_checksum: Default::default(),
            rf_non_first_fragment: Default::default(),
            rf_fragment: Default::default(),
            rf_bad_arp: Default::default(),
            rf_l4_valid: Default::default(),
            len_d: Default::default(),
            ok_d: Default::default(),
            finish: Default::default(),
            hash_byte_q: Default::default(),
            feed_src_q: Default::default(),
            feed_dst_q: Default::default(),
            flen: Default::default(),
            pos: Default::default(),
            l3_known: Default::default(),
            r_l3: Default::default(),
            r_l3_off: Default::default(),
            r_dst_mac: Default::default(),
            r_src_mac: Default::default(),
            r_vlan_count: Default::default(),
            r_tpid0: Default::default(),
            r_vlan0: Default::default(),
            r_tpid1: Default::default(),
            r_vlan1: Default::default(),
            r_ethertype: Default::default(),
            r_ver: Default::default(),
            r_ihl: Default::default(),
            r_ip_len: Default::default(),
            r_ident: Default::default(),
            r_frag: Default::default(),
            r_ttl: Default::default(),
            r_proto: Default::default(),
            r_tcp: Default::default(),
            r_csum: Default::default(),
            csum_hi: Default::default(),
            csum_acc: Default::default(),
            r_src_ip: Default::default(),
            r_dst_ip: Default::default(),
            r_l4_en: Default::default(),
            r_l4_off: Default::default(),
            r_src_port: Default::default(),
            r_dst_port: Default::default(),
            r_seq: Default::default(),
            r_tcp_flags: Default::default(),
            r_arp_oper: Default::default(),
            r_arp_sha: Default::default(),
            r_arp_tha: Default::default(),
            arp_bad: Default::default(),
            r_rel3: Default::default(),
            r_rel4: Default::default(),
            r_rel3s: Default::default(),
            v4_l4_ok: Default::default(),
            type_hi: Default::default(),
            type_lo: Default::default(),
            tci_hi: Default::default(),
            tci_lo: Default::default(),
            l3_start: Default::default(),
            need: Default::default(),
            l3_need: Default::default(),
            l4_need: Default::default(),
            t_short: Default::default(),
            data16: Default::default(),
            full_type: Default::default(),
            rel3: Default::default(),
            rel4: Default::default(),
            ihl4s: Default::default(),
            ihl4: Default::default(),
            avail: Default::default(),
            fresh: Default::default(),
            v6_need: Default::default(),
            is_v4: Default::default(),
            is_v6: Default::default(),
            is_arp: Default::default(),
            hash_byte: Default::default(),
            feed_src: Default::default(),
            feed_dst: Default::default(),
        }
    }
}

impl Logic for HeaderParser {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            b_valid,
            b_data,
            b_end,
            b_len,
            b_ok,
            c00,
            c01,
            c04,
            c06,
            c08,
            c11,
            c81,
            c86,
            c88,
            ca8,
            cdd,
            fl_stage2,
            t_fresh,
            t_runt,
            t_giant,
            t_fcs_ok,
            t_need,
            t_pos,
            t_present,
            t_ver4,
            t_ver6,
            t_ihl5,
            t_len4,
            t_len6,
            t_v4_len_bad,
            t_v6_len_bad,
            t_hdr_in,
            t_csum_ok,
            t_offset,
            t_mf,
            t_arp_bad,
            t_l4_en,
            t_l3,
            t_len,
            end_d,
            l2hot,
            hi_81,
            hi_88,
            hi_08,
            hi_86,
            rf_runt,
            rf_giant,
            rf_bad_fcs,
            rf_truncated,
            rf_bad_version,
            rf_bad_ihl,
            rf_bad_length,
            rf_bad_checksum,
            rf_non_first_fragment,
            rf_fragment,
            rf_bad_arp,
            rf_l4_valid,
            len_d,
            ok_d,
            finish,
            hash_byte_q,
            feed_src_q,
            feed_dst_q,
            flen,
            pos,
            l3_known,
            r_l3,
            r_l3_off,
            r_dst_mac,
            r_src_mac,
            r_vlan_count,
            r_tpid0,
            r_vlan0,
            r_tpid1,
            r_vlan1,
            r_ethertype,
            r_ver,
            r_ihl,
            r_ip_len,
            r_ident,
            r_frag,
            r_ttl,
            r_proto,
            r_tcp,
            r_csum,
            csum_hi,
            csum_acc,
            r_src_ip,
            r_dst_ip,
            r_l4_en,
            r_l4_off,
            r_src_port,
            r_dst_port,
            r_seq,
            r_tcp_flags,
            r_arp_oper,
            r_arp_sha,
            r_arp_tha,
            arp_bad,
            r_rel3,
            r_rel4,
            r_rel3s,
            v4_l4_ok
        );
        self.src_hasher.clock.next = self.clock.val();
        self.fcs.clock.next = self.clock.val();
        self.fcs.reset.next = self.reset.val();
        self.fcs.rx_valid.next = self.rx_valid.val();
        self.fcs.rx_data.next = self.rx_data.val();
        self.fcs.rx_last.next = self.rx_last.val();
        // Input stage (timing): the byte and which constants it equals, registered, so the
        // decisions below start from flip-flops rather than from a wide-fanout compare.
        self.b_valid.d.next = self.fcs.out_valid.val() & !self.reset.val();
        self.b_data.d.next = self.fcs.out_data.val();
        self.b_end.d.next = self.fcs.out_end.val() & !self.reset.val();
        self.b_len.d.next = self.fcs.out_len.val();
        self.b_ok.d.next = self.fcs.out_fcs_ok.val();
        self.c00.d.next = self.fcs.out_data.val() == bits::<8>(0x00);
        self.c01.d.next = self.fcs.out_data.val() == bits::<8>(0x01);
        self.c04.d.next = self.fcs.out_data.val() == bits::<8>(0x04);
        self.c06.d.next = self.fcs.out_data.val() == bits::<8>(0x06);
        self.c08.d.next = self.fcs.out_data.val() == bits::<8>(0x08);
        self.c11.d.next = self.fcs.out_data.val() == bits::<8>(0x11);
        self.c81.d.next = self.fcs.out_data.val() == bits::<8>(0x81);
        self.c86.d.next = self.fcs.out_data.val() == bits::<8>(0x86);
        self.c88.d.next = self.fcs.out_data.val() == bits::<8>(0x88);
        self.ca8.d.next = self.fcs.out_data.val() == bits::<8>(0xa8);
        self.cdd.d.next = self.fcs.out_data.val() == bits::<8>(0xdd);
        self.in_valid.next = self.b_valid.q.val();
        self.in_data.next = self.b_data.q.val();
        self.in_end.next = self.b_end.q.val();
        self.in_len.next = self.b_len.q.val();
        self.in_fcs_ok.next = self.b_ok.q.val();
        self.pl_valid.next = self.b_valid.q.val();
        self.pl_data.next = self.b_data.q.val();
        self.pl_end.next = self.b_end.q.val();
        self.dst_hasher.clock.next = self.clock.val();

        // ---- outputs: the working registers, valid while hdr_valid ----
        self.hdr_valid.next = self.finish.q.val();
        self.frame_len.next = self.flen.q.val();
        self.dst_mac.next = self.r_dst_mac.q.val();
        self.src_mac.next = self.r_src_mac.q.val();
        self.vlan_count.next = self.r_vlan_count.q.val();
        self.tpid0.next = self.r_tpid0.q.val();
        self.vlan0.next = self.r_vlan0.q.val();
        self.tpid1.next = self.r_tpid1.q.val();
        self.vlan1.next = self.r_vlan1.q.val();
        self.ethertype.next = self.r_ethertype.q.val();
        self.l3.next = self.r_l3.q.val();
        self.l3_off.next = self.r_l3_off.q.val();
        self.ip_ver.next = self.r_ver.q.val();
        self.ip_ihl.next = self.r_ihl.q.val();
        self.ip_len.next = self.r_ip_len.q.val();
        self.ip_ident.next = self.r_ident.q.val();
        self.ip_frag.next = self.r_frag.q.val();
        self.ttl.next = self.r_ttl.q.val();
        self.protocol.next = self.r_proto.q.val();
        self.ip_csum.next = self.r_csum.q.val();
        self.src_ip.next = self.r_src_ip.q.val();
        self.dst_ip.next = self.r_dst_ip.q.val();
        self.l4_en.next = self.r_l4_en.q.val();
        self.l4_off.next = self.r_l4_off.q.val();
        self.src_port.next = self.r_src_port.q.val();
        self.dst_port.next = self.r_dst_port.q.val();
        self.tcp_seq.next = self.r_seq.q.val();
        self.tcp_flags.next = self.r_tcp_flags.q.val();
        self.arp_oper.next = self.r_arp_oper.q.val();
        self.arp_sha.next = self.r_arp_sha.q.val();
        self.arp_tha.next = self.r_arp_tha.q.val();
        self.src_hash.next = self.src_hasher.hash.val();
        self.dst_hash.next = self.dst_hasher.hash.val();

        self.f_runt.next = self.rf_runt.q.val();
        self.f_giant.next = self.rf_giant.q.val();
        self.f_bad_fcs.next = self.rf_bad_fcs.q.val();
        self.f_truncated.next = self.rf_truncated.q.val();
        self.f_bad_version.next = self.rf_bad_version.q.val();
        self.f_bad_ihl.next = self.rf_bad_ihl.q.val();
        self.f_bad_length.next = self.rf_bad_length.q.val();
        self.f_bad_checksum.next = self.rf_bad_checksum.q.val();
        self.f_non_first_fragment.next = self.rf_non_first_fragment.q.val();
        self.f_fragment.next = self.rf_fragment.q.val();
        self.f_bad_arp.next = self.rf_bad_arp.q.val();
        self.f_l4_valid.next = self.rf_l4_valid.q.val();

        // ---- flags, in two register stages behind the last byte: first the compares,
        // then their combination. A frame of four bytes or fewer right behind another has
        // its end marker while the other is still in these stages or being reported and
        // cleared (`fl_stage2`, `finish`): it carried no payload, so it is judged empty. ----
        self.fresh.next = self.fl_stage2.q.val() | self.finish.q.val();
        self.avail.next = self.r_rel3.q.val(); // bytes of L3 seen, counted as they passed
        self.ihl4.next = bit_cast::<16, 4>(self.r_ihl.q.val()) << 2;
        self.ihl4s.next = bit_cast::<8, 4>(self.r_ihl.q.val()) << 2;
        self.v6_need.next = bit_cast::<17, 16>(self.r_ip_len.q.val()) + bits::<17>(40);
        // stage 1 (the cycle after the end marker): compares
        self.fl_stage2.d.next = self.end_d.q.val();
        self.t_l3.d.next = self.r_l3.q.val();
        if self.fresh.val() {
            self.t_l3.d.next = bits::<2>(0);
        }
        self.t_fresh.d.next = self.fresh.val();
        self.t_runt.d.next = self.len_d.q.val() < bits::<16>(64);
        self.t_giant.d.next = self.len_d.q.val()
            > (bits::<16>(1518) + (bit_cast::<16, 2>(self.r_vlan_count.q.val()) << 2));
        self.t_fcs_ok.d.next = self.ok_d.q.val();
        // where the announced headers end: L2 (with its tags), L3, L4 (8 bits suffice:
        // at most 22 + 60 + 20)
        self.l3_need.next = bits::<8>(0);
        if self.r_l3.q.val() == bits::<2>(1) {
            self.l3_need.next = bits::<8>(20);
            if self.r_ihl.q.val() >= bits::<4>(5) {
                self.l3_need.next = self.ihl4s.val();
            }
        }
        if self.r_l3.q.val() == bits::<2>(2) {
            self.l3_need.next = bits::<8>(40);
        }
        if self.r_l3.q.val() == bits::<2>(3) {
            self.l3_need.next = bits::<8>(28);
        }
        self.l4_need.next = bits::<8>(0);
        if self.r_l4_en.q.val() {
            if self.r_tcp.q.val() {
                self.l4_need.next = bits::<8>(20);
            } else {
                self.l4_need.next = bits::<8>(8);
            }
        }
        if self.l3_known.q.val() {
            self.need.next =
                self.r_l3_off.q.val().get_bits::<8>(0) + self.l3_need.val() + self.l4_need.val();
        } else {
            self.need.next = bits::<8>(14) + (bit_cast::<8, 2>(self.r_vlan_count.q.val()) << 2);
        }
        self.t_need.d.next = self.need.val();
        self.t_pos.d.next = self.pos.q.val();
        self.t_present.d.next = self.r_rel3.q.val() != bits::<16>(0);
        self.t_ver4.d.next = self.r_ver.q.val() == bits::<4>(4);
        self.t_ver6.d.next = self.r_ver.q.val() == bits::<4>(6);
        self.t_ihl5.d.next = self.r_ihl.q.val() >= bits::<4>(5);
        self.t_len4.d.next = self.avail.val() >= bits::<16>(4);
        self.t_len6.d.next = self.avail.val() >= bits::<16>(6);
        self.t_v4_len_bad.d.next = (self.r_ip_len.q.val() < bits::<16>(20))
            | (self.r_ip_len.q.val() < self.ihl4.val())
            | (self.r_ip_len.q.val() > self.avail.val());
        self.t_v6_len_bad.d.next = self.v6_need.val() > bit_cast::<17, 16>(self.avail.val());
        self.t_hdr_in.d.next = self.avail.val() >= self.ihl4.val();
        // the folded sum is 0xFFFF: low half 0xFFFF with no carry, or 0xFFFE plus the carry
        self.t_csum_ok.d.next = (!self.csum_acc.q.val().get_bit(16)
            & (self.csum_acc.q.val().get_bits::<16>(0) == bits::<16>(0xFFFF)))
            | (self.csum_acc.q.val().get_bit(16)
                & (self.csum_acc.q.val().get_bits::<16>(0) == bits::<16>(0xFFFE)));
        self.t_offset.d.next = (self.r_frag.q.val() & bits::<16>(0x1FFF)) != bits::<16>(0);
        self.t_mf.d.next = self.r_frag.q.val().get_bit(13);
        self.t_arp_bad.d.next = self.arp_bad.q.val();
        self.t_l4_en.d.next = self.r_l4_en.q.val();
        // stage 2: combine
        self.is_v4.next = self.t_l3.q.val() == bits::<2>(1);
        self.is_v6.next = self.t_l3.q.val() == bits::<2>(2);
        self.is_arp.next = self.t_l3.q.val() == bits::<2>(3);
        self.rf_runt.d.next = self.t_runt.q.val();
        self.rf_giant.d.next = self.t_giant.q.val();
        self.rf_bad_fcs.d.next = !self.t_fcs_ok.q.val();
        self.t_short.next = (self.t_pos.q.val().get_bits::<8>(8) == bits::<8>(0))
            & (self.t_pos.q.val().get_bits::<8>(0) < self.t_need.q.val());
        self.rf_truncated.d.next = self.t_fresh.q.val() | self.t_short.val();
        self.rf_bad_version.d.next = self.t_present.q.val()
            & ((self.is_v4.val() & !self.t_ver4.q.val())
                | (self.is_v6.val() & !self.t_ver6.q.val()));
        self.rf_bad_ihl.d.next = self.is_v4.val() & self.t_present.q.val() & !self.t_ihl5.q.val();
        self.rf_bad_length.d.next =
            (self.is_v4.val() & self.t_len4.q.val() & self.t_v4_len_bad.q.val())
                | (self.is_v6.val() & self.t_len6.q.val() & self.t_v6_len_bad.q.val());
        self.rf_bad_checksum.d.next = self.is_v4.val()
            & self.t_ihl5.q.val()
            & self.t_hdr_in.q.val()
            & !self.t_csum_ok.q.val();
        self.rf_non_first_fragment.d.next = self.is_v4.val() & self.t_offset.q.val();
        self.rf_fragment.d.next = self.is_v4.val() & (self.t_offset.q.val() | self.t_mf.q.val());
        self.rf_bad_arp.d.next = self.is_arp.val() & self.t_arp_bad.q.val();
        self.rf_l4_valid.d.next =
            self.t_l4_en.q.val() & !self.t_short.val() & !self.t_fresh.q.val();

        // ---- per byte ----
        self.data16.next = bit_cast::<16, 8>(self.in_data.val());
        self.full_type.next = (self.r_ethertype.q.val() << 8) | self.data16.val();
        // Offsets are kept in counters, not computed by subtraction, for timing.
        // position ranges below are written as compares of aligned bit fields (no carry chains)
        self.rel3.next = self.r_rel3s.q.val();
        self.rel4.next = self.r_rel4.q.val();
        // The type field of the next tag level starts at 12, 16 or 20; its tag control
        // information sits in the two bytes before it.
        self.type_hi.next = false;
        self.type_lo.next = false;
        self.tci_hi.next = false;
        self.tci_lo.next = false;
        self.l3_start.next = bits::<8>(14);
        if self.r_vlan_count.q.val() == bits::<2>(0) {
            self.type_hi.next = self.l2hot.q.val().get_bit(12);
            self.type_lo.next = self.l2hot.q.val().get_bit(13);
        }
        if self.r_vlan_count.q.val() == bits::<2>(1) {
            self.tci_hi.next = self.l2hot.q.val().get_bit(14);
            self.tci_lo.next = self.l2hot.q.val().get_bit(15);
            self.type_hi.next = self.l2hot.q.val().get_bit(16);
            self.type_lo.next = self.l2hot.q.val().get_bit(17);
            self.l3_start.next = bits::<8>(18);
        }
        if self.r_vlan_count.q.val() == bits::<2>(2) {
            self.tci_hi.next = self.l2hot.q.val().get_bit(18);
            self.tci_lo.next = self.l2hot.q.val().get_bit(19);
            self.type_hi.next = self.l2hot.q.val().get_bit(20);
            self.type_lo.next = self.l2hot.q.val().get_bit(21);
            self.l3_start.next = bits::<8>(22);
        }
        self.hash_byte.next = self.in_data.val();
        self.feed_src.next = false;
        self.feed_dst.next = false;

        if self.in_valid.val() {
            if self.pos.q.val() != bits::<16>(0xFFFF) {
                self.pos.d.next = self.pos.q.val() + 1;
            }
            self.l2hot.d.next = self.l2hot.q.val() << 1;
            if self.r_rel3.q.val() != bits::<16>(0xFFFF) {
                self.r_rel3.d.next = self.r_rel3.q.val() + 1;
            }
            if self.r_rel3s.q.val() != bits::<8>(0xFF) {
                self.r_rel3s.d.next = self.r_rel3s.q.val() + 1;
            }
            if self.r_rel4.q.val() != bits::<8>(0x7F) {
                self.r_rel4.d.next = self.r_rel4.q.val() + 1;
            }
            // L2: MACs, VLAN tags, EtherType
            if self.pos.q.val() < bits::<16>(6) {
                self.r_dst_mac.d.next =
                    (self.r_dst_mac.q.val() << 8) | bit_cast::<48, 8>(self.in_data.val());
            } else if self.pos.q.val() < bits::<16>(12) {
                self.r_src_mac.d.next =
                    (self.r_src_mac.q.val() << 8) | bit_cast::<48, 8>(self.in_data.val());
            }
            if !self.l3_known.q.val() {
                if self.type_hi.val() {
                    self.r_ethertype.d.next = self.full_type.val();
                    self.hi_81.d.next = self.c81.q.val();
                    self.hi_88.d.next = self.c88.q.val();
                    self.hi_08.d.next = self.c08.q.val();
                    self.hi_86.d.next = self.c86.q.val();
                }
                if self.type_lo.val() {
                    if ((self.hi_81.q.val() & (self.c00.q.val()))
                        | (self.hi_88.q.val() & (self.ca8.q.val())))
                        & (self.r_vlan_count.q.val() != bits::<2>(2))
                    {
                        self.r_ethertype.d.next = bits::<16>(0);
                        if self.r_vlan_count.q.val() == bits::<2>(0) {
                            self.r_tpid0.d.next = self.full_type.val();
                        } else {
                            self.r_tpid1.d.next = self.full_type.val();
                        }
                        self.r_vlan_count.d.next = self.r_vlan_count.q.val() + 1;
                    } else {
                        self.r_ethertype.d.next = self.full_type.val();
                        self.l3_known.d.next = true;
                        self.r_rel3.d.next = bits::<16>(0);
                        self.r_rel3s.d.next = bits::<8>(0);
                        self.r_l3_off.d.next = bit_cast::<16, 8>(self.l3_start.val());
                        if self.hi_08.q.val() & self.c00.q.val() {
                            self.r_l3.d.next = bits::<2>(1);
                        } else if self.hi_86.q.val() & self.cdd.q.val() {
                            self.r_l3.d.next = bits::<2>(2);
                        } else if self.hi_08.q.val() & self.c06.q.val() {
                            self.r_l3.d.next = bits::<2>(3);
                        }
                    }
                }
                // the tag control information of the tag just recognised
                if self.tci_hi.val() | self.tci_lo.val() {
                    if self.r_vlan_count.q.val() == bits::<2>(1) {
                        self.r_vlan0.d.next = (self.r_vlan0.q.val() << 8) | self.data16.val();
                        if self.hash_use_vlan.val() {
                            self.feed_src.next = true;
                            self.feed_dst.next = true;
                            if self.tci_hi.val() {
                                self.hash_byte.next = self.in_data.val() & bits::<8>(0x0F);
                            }
                        }
                    }
                    if self.r_vlan_count.q.val() == bits::<2>(2) {
                        self.r_vlan1.d.next = (self.r_vlan1.q.val() << 8) | self.data16.val();
                    }
                }
            }
            // L3
            if self.l3_known.q.val() {
                if self.r_l3.q.val() == bits::<2>(1) {
                    if self.rel3.val() == bits::<8>(0) {
                        self.r_ver.d.next = self.in_data.val().get_bits::<4>(4);
                        self.r_ihl.d.next = self.in_data.val().get_bits::<4>(0);
                    }
                    if (self.rel3.val() == bits::<8>(2)) | (self.rel3.val() == bits::<8>(3)) {
                        self.r_ip_len.d.next = (self.r_ip_len.q.val() << 8) | self.data16.val();
                    }
                    if (self.rel3.val() == bits::<8>(4)) | (self.rel3.val() == bits::<8>(5)) {
                        self.r_ident.d.next = (self.r_ident.q.val() << 8) | self.data16.val();
                    }
                    if (self.rel3.val() == bits::<8>(6)) | (self.rel3.val() == bits::<8>(7)) {
                        self.r_frag.d.next = (self.r_frag.q.val() << 8) | self.data16.val();
                    }
                    if self.rel3.val() == bits::<8>(8) {
                        self.r_ttl.d.next = self.in_data.val();
                        // IHL and fragment field are complete: may TCP/UDP ports follow?
                        self.v4_l4_ok.d.next = (self.r_ihl.q.val() >= bits::<4>(5))
                            & ((self.r_frag.q.val() & bits::<16>(0x1FFF)) == bits::<16>(0));
                    }
                    if self.rel3.val() == bits::<8>(9) {
                        // where L4 would start, relative to the next byte (L3 offset 10);
                        // used only if `r_l4_en` is set below
                        self.r_rel4.d.next = bits::<8>(10) - self.ihl4s.val();
                        self.r_proto.d.next = self.in_data.val();
                        self.r_tcp.d.next = self.c06.q.val();
                        if ((self.c06.q.val()) | (self.c11.q.val())) & self.v4_l4_ok.q.val() {
                            self.r_l4_en.d.next = true;
                            self.r_l4_off.d.next = self.r_l3_off.q.val() + self.ihl4.val();
                        }
                    }
                    if (self.rel3.val() == bits::<8>(10)) | (self.rel3.val() == bits::<8>(11)) {
                        self.r_csum.d.next = (self.r_csum.q.val() << 8) | self.data16.val();
                    }
                    if self.rel3.val().get_bits::<6>(2) == bits::<6>(3) {
                        self.r_src_ip.d.next =
                            (self.r_src_ip.q.val() << 8) | bit_cast::<128, 8>(self.in_data.val());
                        self.feed_src.next = true;
                    }
                    if self.rel3.val().get_bits::<6>(2) == bits::<6>(4) {
                        self.r_dst_ip.d.next =
                            (self.r_dst_ip.q.val() << 8) | bit_cast::<128, 8>(self.in_data.val());
                        self.feed_dst.next = true;
                    }
                    if !self.rel3.val().get_bit(0) {
                        self.csum_hi.d.next = self.in_data.val();
                    } else if self.rel3.val() < self.ihl4s.val() {
                        self.csum_acc.d.next = (self.csum_acc.q.val() & bits::<17>(0xFFFF))
                            + (self.csum_acc.q.val() >> 16)
                            + bit_cast::<17, 16>(
                                (bit_cast::<16, 8>(self.csum_hi.q.val()) << 8) | self.data16.val(),
                            );
                    }
                }
                if self.r_l3.q.val() == bits::<2>(2) {
                    if self.rel3.val() == bits::<8>(0) {
                        self.r_ver.d.next = self.in_data.val().get_bits::<4>(4);
                    }
                    if (self.rel3.val() == bits::<8>(4)) | (self.rel3.val() == bits::<8>(5)) {
                        self.r_ip_len.d.next = (self.r_ip_len.q.val() << 8) | self.data16.val();
                    }
                    if self.rel3.val() == bits::<8>(6) {
                        // L4 starts at L3 offset 40; the next byte is at 7
                        self.r_rel4.d.next = bits::<8>(0xDF); // 7 - 40
                        self.r_proto.d.next = self.in_data.val();
                        self.r_tcp.d.next = self.c06.q.val();
                        if (self.c06.q.val()) | (self.c11.q.val()) {
                            self.r_l4_en.d.next = true;
                            self.r_l4_off.d.next = self.r_l3_off.q.val() + 40;
                        }
                    }
                    if self.rel3.val() == bits::<8>(7) {
                        self.r_ttl.d.next = self.in_data.val();
                    }
                    if (self.rel3.val().get_bits::<5>(3) == bits::<5>(1))
                        | (self.rel3.val().get_bits::<5>(3) == bits::<5>(2))
                    {
                        self.r_src_ip.d.next =
                            (self.r_src_ip.q.val() << 8) | bit_cast::<128, 8>(self.in_data.val());
                        self.feed_src.next = true;
                    }
                    if (self.rel3.val().get_bits::<5>(3) == bits::<5>(3))
                        | (self.rel3.val().get_bits::<5>(3) == bits::<5>(4))
                    {
                        self.r_dst_ip.d.next =
                            (self.r_dst_ip.q.val() << 8) | bit_cast::<128, 8>(self.in_data.val());
                        self.feed_dst.next = true;
                    }
                }
                if self.r_l3.q.val() == bits::<2>(3) {
                    // fixed part for Ethernet/IPv4: htype 1, ptype 0x0800, hlen 6, plen 4
                    if ((self.rel3.val() == bits::<8>(0)) & (!self.c00.q.val()))
                        | ((self.rel3.val() == bits::<8>(1)) & (!self.c01.q.val()))
                        | ((self.rel3.val() == bits::<8>(2)) & (!self.c08.q.val()))
                        | ((self.rel3.val() == bits::<8>(3)) & (!self.c00.q.val()))
                        | ((self.rel3.val() == bits::<8>(4)) & (!self.c06.q.val()))
                        | ((self.rel3.val() == bits::<8>(5)) & (!self.c04.q.val()))
                    {
                        self.arp_bad.d.next = true;
                    }
                    if (self.rel3.val() == bits::<8>(6)) | (self.rel3.val() == bits::<8>(7)) {
                        self.r_arp_oper.d.next = (self.r_arp_oper.q.val() << 8) | self.data16.val();
                    }
                    if (self.rel3.val().get_bits::<6>(2) == bits::<6>(2))
                        | (self.rel3.val().get_bits::<7>(1) == bits::<7>(6))
                    {
                        self.r_arp_sha.d.next =
                            (self.r_arp_sha.q.val() << 8) | bit_cast::<48, 8>(self.in_data.val());
                    }
                    if (self.rel3.val().get_bits::<7>(1) == bits::<7>(7))
                        | (self.rel3.val().get_bits::<7>(1) == bits::<7>(8))
                    {
                        self.r_src_ip.d.next =
                            (self.r_src_ip.q.val() << 8) | bit_cast::<128, 8>(self.in_data.val());
                        self.feed_src.next = true;
                    }
                    if (self.rel3.val().get_bits::<7>(1) == bits::<7>(9))
                        | (self.rel3.val().get_bits::<6>(2) == bits::<6>(5))
                    {
                        self.r_arp_tha.d.next =
                            (self.r_arp_tha.q.val() << 8) | bit_cast::<48, 8>(self.in_data.val());
                    }
                    if self.rel3.val().get_bits::<6>(2) == bits::<6>(6) {
                        self.r_dst_ip.d.next =
                            (self.r_dst_ip.q.val() << 8) | bit_cast::<128, 8>(self.in_data.val());
                        self.feed_dst.next = true;
                    }
                }
            }
            // L4: TCP/UDP ports, TCP sequence number and flags
            if self.r_l4_en.q.val() & !self.r_rel4.q.val().get_bit(7) {
                if (self.rel4.val() == bits::<8>(0)) | (self.rel4.val() == bits::<8>(1)) {
                    self.r_src_port.d.next = (self.r_src_port.q.val() << 8) | self.data16.val();
                    if self.hash_use_port.val() & !self.r_frag.q.val().get_bit(13) {
                        self.feed_src.next = true;
                    }
                }
                if (self.rel4.val() == bits::<8>(2)) | (self.rel4.val() == bits::<8>(3)) {
                    self.r_dst_port.d.next = (self.r_dst_port.q.val() << 8) | self.data16.val();
                    if self.hash_use_port.val() & !self.r_frag.q.val().get_bit(13) {
                        self.feed_dst.next = true;
                    }
                }
                if self.r_tcp.q.val() {
                    if self.rel4.val().get_bits::<6>(2) == bits::<6>(1) {
                        self.r_seq.d.next =
                            (self.r_seq.q.val() << 8) | bit_cast::<32, 8>(self.in_data.val());
                    }
                    if self.rel4.val() == bits::<8>(13) {
                        self.r_tcp_flags.d.next = self.in_data.val();
                    }
                }
            }
        }
        // one register stage in front of the hashers (timing); the report waits for it
        self.hash_byte_q.d.next = self.hash_byte.val();
        self.feed_src_q.d.next = self.in_valid.val() & self.feed_src.val();
        self.feed_dst_q.d.next = self.in_valid.val() & self.feed_dst.val();
        self.src_hasher.data.next = self.hash_byte_q.q.val();
        self.dst_hasher.data.next = self.hash_byte_q.q.val();
        self.src_hasher.en.next = self.feed_src_q.q.val();
        self.dst_hasher.en.next = self.feed_dst_q.q.val();
        self.src_hasher.start.next = self.finish.q.val() | self.reset.val();
        self.dst_hasher.start.next = self.finish.q.val() | self.reset.val();

        // ---- end of frame: report next cycle, then clear for the next frame ----
        self.end_d.d.next = self.in_end.val();
        self.finish.d.next = self.fl_stage2.q.val();
        if self.in_end.val() {
            self.len_d.d.next = self.in_len.val();
            self.ok_d.d.next = self.in_fcs_ok.val();
        }
        // the frame length follows the flag stages to the report
        self.t_len.d.next = self.len_d.q.val();
        self.flen.d.next = self.t_len.q.val();
        if self.finish.q.val() | self.reset.val() {
            self.pos.d.next = bits::<16>(0);
            self.l3_known.d.next = false;
            self.r_l3.d.next = bits::<2>(0);
            self.r_l3_off.d.next = bits::<16>(0);
            self.r_dst_mac.d.next = bits::<48>(0);
            self.r_src_mac.d.next = bits::<48>(0);
            self.r_vlan_count.d.next = bits::<2>(0);
            self.r_tpid0.d.next = bits::<16>(0);
            self.r_vlan0.d.next = bits::<16>(0);
            self.r_tpid1.d.next = bits::<16>(0);
            self.r_vlan1.d.next = bits::<16>(0);
            self.r_ethertype.d.next = bits::<16>(0);
            self.r_ver.d.next = bits::<4>(0);
            self.r_ihl.d.next = bits::<4>(0);
            self.r_ip_len.d.next = bits::<16>(0);
            self.r_ident.d.next = bits::<16>(0);
            self.r_frag.d.next = bits::<16>(0);
            self.r_ttl.d.next = bits::<8>(0);
            self.r_proto.d.next = bits::<8>(0);
            self.r_tcp.d.next = false;
            self.r_csum.d.next = bits::<16>(0);
            self.csum_hi.d.next = bits::<8>(0);
            self.csum_acc.d.next = bits::<17>(0);
            self.r_src_ip.d.next = bits::<128>(0);
            self.r_dst_ip.d.next = bits::<128>(0);
            self.r_l4_en.d.next = false;
            self.r_l4_off.d.next = bits::<16>(0);
            self.r_src_port.d.next = bits::<16>(0);
            self.r_dst_port.d.next = bits::<16>(0);
            self.r_seq.d.next = bits::<32>(0);
            self.r_tcp_flags.d.next = bits::<8>(0);
            self.r_arp_oper.d.next = bits::<16>(0);
            self.r_arp_sha.d.next = bits::<48>(0);
            self.r_arp_tha.d.next = bits::<48>(0);
            self.arp_bad.d.next = false;
            self.r_rel3.d.next = bits::<16>(0);
            self.r_rel4.d.next = bits::<8>(0x80);
            self.r_rel3s.d.next = bits::<8>(0);
            self.v4_l4_ok.d.next = false;
            self.l2hot.d.next = bits::<24>(1);
            self.hi_81.d.next = false;
            self.hi_88.d.next = false;
            self.hi_08.d.next = false;
            self.hi_86.d.next = false;
        }
        if self.reset.val() {
            self.end_d.d.next = false;
            self.fl_stage2.d.next = false;
            self.finish.d.next = false;
            self.feed_src_q.d.next = false;
            self.feed_dst_q.d.next = false;
        }
    }
}
