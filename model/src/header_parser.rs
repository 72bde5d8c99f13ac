//! Streaming header parser, as a function of the whole frame (twin of `hdl::header_parser`).
//!
//! The hardware sees one byte per cycle; this sees the frame at once and computes the same
//! fields from offsets. Rules shared with the hardware (see docs/ARCHITECTURE.md):
//! - the FCS is checked and removed first; only the payload is parsed;
//! - a multi-byte field is the big-endian value of those of its bytes that are present
//!   (a field cut short by the end of the frame keeps what arrived);
//! - up to two VLAN tags (0x8100 or 0x88A8) are taken; a third tag is the EtherType;
//! - `truncated`: the payload ends before the header it announces (L2, then the L3 header
//!   of IPv4 (IHL×4, at least 20), IPv6 (40), ARP (28), then TCP (20) or UDP (8) when ports
//!   are to be read).
use crate::fcs_checker;
use crate::key_hasher::HashPoly;

pub const L3_NONE: u8 = 0;
pub const L3_IPV4: u8 = 1;
pub const L3_IPV6: u8 = 2;
pub const L3_ARP: u8 = 3;

/// Flag bits of [`HeaderFields::flags`]: malformations, and two facts about the packet.
pub mod flag {
    pub const RUNT: u16 = 1 << 0;
    pub const GIANT: u16 = 1 << 1;
    pub const BAD_FCS: u16 = 1 << 2;
    pub const TRUNCATED: u16 = 1 << 3;
    pub const BAD_VERSION: u16 = 1 << 4;
    pub const BAD_IHL: u16 = 1 << 5;
    pub const BAD_LENGTH: u16 = 1 << 6;
    pub const BAD_CHECKSUM: u16 = 1 << 7;
    pub const NON_FIRST_FRAGMENT: u16 = 1 << 8;
    /// Any IPv4 fragment (MF set or offset non-zero): hashed on addresses only.
    pub const FRAGMENT: u16 = 1 << 9;
    pub const BAD_ARP: u16 = 1 << 10;
    /// TCP/UDP ports were read.
    pub const L4_VALID: u16 = 1 << 11;
    /// The flags that make a frame malformed (it is dropped and counted).
    pub const MALFORMED: u16 = RUNT
        | GIANT
        | BAD_FCS
        | TRUNCATED
        | BAD_VERSION
        | BAD_IHL
        | BAD_LENGTH
        | BAD_CHECKSUM
        | BAD_ARP;
    /// Names, in bit order, for reports.
    pub const NAMES: [&str; 12] = [
        "runt",
        "giant",
        "bad_fcs",
        "truncated",
        "bad_version",
        "bad_ihl",
        "bad_length",
        "bad_checksum",
        "non_first_fragment",
        "fragment",
        "bad_arp",
        "l4_valid",
    ];
}

/// What the parser reports for one frame. Field names are the hardware's output ports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderFields {
    pub frame_len: u16,
    pub dst_mac: u64,
    pub src_mac: u64,
    pub vlan_count: u8,
    pub tpid0: u16,
    pub vlan0: u16,
    pub tpid1: u16,
    pub vlan1: u16,
    pub ethertype: u16,
    pub l3: u8,
    pub l3_off: u16,
    pub ip_ver: u8,
    pub ip_ihl: u8,
    /// IPv4 total length, or IPv6 payload length.
    pub ip_len: u16,
    pub ip_ident: u16,
    /// IPv4 flags (top 3 bits) and fragment offset (low 13).
    pub ip_frag: u16,
    /// IPv4 TTL or IPv6 hop limit.
    pub ttl: u8,
    /// IPv4 protocol or IPv6 next header.
    pub protocol: u8,
    pub ip_csum: u16,
    /// IPv6 address; IPv4 address or ARP sender protocol address in the low 32 bits.
    pub src_ip: u128,
    pub dst_ip: u128,
    pub l4_en: bool,
    pub l4_off: u16,
    pub src_port: u16,
    pub dst_port: u16,
    pub tcp_seq: u32,
    pub tcp_flags: u8,
    pub arp_oper: u16,
    pub arp_sha: u64,
    pub arp_tha: u64,
    pub src_hash: u32,
    pub dst_hash: u32,
    pub flags: u16,
}

impl HeaderFields {
    pub fn has(&self, f: u16) -> bool {
        self.flags & f != 0
    }
    pub fn malformed(&self) -> bool {
        self.flags & flag::MALFORMED != 0
    }
    /// (name, value) of every field, for reports that name the first divergence.
    pub fn named(&self) -> Vec<(&'static str, u128)> {
        let mut v = vec![
            ("frame_len", self.frame_len as u128),
            ("dst_mac", self.dst_mac as u128),
            ("src_mac", self.src_mac as u128),
            ("vlan_count", self.vlan_count as u128),
            ("tpid0", self.tpid0 as u128),
            ("vlan0", self.vlan0 as u128),
            ("tpid1", self.tpid1 as u128),
            ("vlan1", self.vlan1 as u128),
            ("ethertype", self.ethertype as u128),
            ("l3", self.l3 as u128),
            ("l3_off", self.l3_off as u128),
            ("ip_ver", self.ip_ver as u128),
            ("ip_ihl", self.ip_ihl as u128),
            ("ip_len", self.ip_len as u128),
            ("ip_ident", self.ip_ident as u128),
            ("ip_frag", self.ip_frag as u128),
            ("ttl", self.ttl as u128),
            ("protocol", self.protocol as u128),
            ("ip_csum", self.ip_csum as u128),
            ("src_ip", self.src_ip),
            ("dst_ip", self.dst_ip),
            ("l4_en", self.l4_en as u128),
            ("l4_off", self.l4_off as u128),
            ("src_port", self.src_port as u128),
            ("dst_port", self.dst_port as u128),
            ("tcp_seq", self.tcp_seq as u128),
            ("tcp_flags", self.tcp_flags as u128),
            ("arp_oper", self.arp_oper as u128),
            ("arp_sha", self.arp_sha as u128),
            ("arp_tha", self.arp_tha as u128),
            ("src_hash", self.src_hash as u128),
            ("dst_hash", self.dst_hash as u128),
        ];
        for (i, name) in flag::NAMES.iter().enumerate() {
            v.push((name, ((self.flags >> i) & 1) as u128));
        }
        v
    }
}

/// Hash-key options (R4), runtime configuration in hardware.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HashKeyConfig {
    pub poly: HashPoly,
    pub use_port: bool,
    pub use_vlan: bool,
}

/// Big-endian value of the bytes of `p[off..off+len]` that exist (any `len` ≤ 16).
#[inline]
fn be(p: &[u8], off: usize, len: usize) -> u128 {
    let end = (off + len).min(p.len());
    if off >= end {
        return 0;
    }
    p[off..end].iter().fold(0u128, |v, &b| (v << 8) | b as u128)
}

/// [`be`] for fields of `N` ≤ 8 bytes: one load when the whole field is present.
#[inline(always)]
fn be_n<const N: usize>(p: &[u8], off: usize) -> u64 {
    match p.get(off..off + N) {
        Some(w) => w.iter().fold(0u64, |v, &b| (v << 8) | b as u64),
        None => be(p, off, N) as u64,
    }
}

#[inline(always)]
fn be8(p: &[u8], off: usize) -> u8 {
    p.get(off).copied().unwrap_or(0)
}

#[inline(always)]
fn be16(p: &[u8], off: usize) -> u16 {
    match p.get(off..off + 2) {
        Some(w) => u16::from_be_bytes([w[0], w[1]]),
        None => be8(p, off) as u16,
    }
}

#[inline(always)]
fn be32(p: &[u8], off: usize) -> u32 {
    match p.get(off..off + 4) {
        Some(w) => u32::from_be_bytes([w[0], w[1], w[2], w[3]]),
        None => be(p, off, 4) as u32,
    }
}

#[inline(always)]
fn be128(p: &[u8], off: usize) -> u128 {
    match p.get(off..off + 16) {
        Some(w) => u128::from_be_bytes(w.try_into().unwrap()),
        None => be(p, off, 16),
    }
}

/// The present bytes of `p[off..off+len]`.
#[inline(always)]
fn bytes(p: &[u8], off: usize, len: usize) -> &[u8] {
    let end = (off + len).min(p.len());
    if off >= end {
        &[]
    } else {
        &p[off..end]
    }
}

fn is_tpid(t: u16) -> bool {
    t == 0x8100 || t == 0x88A8
}

/// A hash key under construction, on the stack: [outer VLAN id] ++ address ++ [port] is at
/// most 2 + 16 + 2 bytes.
struct Key {
    buf: [u8; 24],
    len: usize,
}

impl Key {
    #[inline(always)]
    fn new() -> Self {
        Key {
            buf: [0; 24],
            len: 0,
        }
    }
    #[inline(always)]
    fn push(&mut self, b: u8) {
        self.buf[self.len] = b;
        self.len += 1;
    }
    #[inline(always)]
    fn extend(&mut self, s: &[u8]) {
        self.buf[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }
    #[inline(always)]
    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Parse one frame (FCS included) as the hardware does.
pub fn parse(frame: &[u8], cfg: &HashKeyConfig) -> HeaderFields {
    let p = fcs_checker::payload(frame);
    let m = p.len();
    let mut h = HeaderFields {
        frame_len: fcs_checker::frame_len(frame),
        ..Default::default()
    };
    let mut flags = 0u16;
    if h.frame_len < 64 {
        flags |= flag::RUNT;
    }
    if !fcs_checker::fcs_ok(frame) {
        flags |= flag::BAD_FCS;
    }

    // ---- L2 ----
    h.dst_mac = be_n::<6>(p, 0);
    h.src_mac = be_n::<6>(p, 6);
    let mut type_off = 12usize;
    while h.vlan_count < 2 && m >= type_off + 2 && is_tpid(be16(p, type_off)) {
        let tpid = be16(p, type_off);
        let tci = be16(p, type_off + 2);
        if h.vlan_count == 0 {
            h.tpid0 = tpid;
            h.vlan0 = tci;
        } else {
            h.tpid1 = tpid;
            h.vlan1 = tci;
        }
        h.vlan_count += 1;
        type_off += 4;
    }
    if h.frame_len as usize > 1518 + 4 * h.vlan_count as usize {
        flags |= flag::GIANT;
    }
    h.ethertype = be16(p, type_off);
    let l3_known = m >= type_off + 2;
    let q = type_off + 2;
    let mut need = type_off + 2;
    // Hash keys: [outer VLAN id] ++ address ++ [port]
    let mut src_key = Key::new();
    let mut dst_key = Key::new();
    if cfg.use_vlan && h.vlan_count >= 1 {
        let tci = bytes(p, 14, 2);
        for (i, &b) in tci.iter().enumerate() {
            let b = if i == 0 { b & 0x0F } else { b };
            src_key.push(b);
            dst_key.push(b);
        }
    }

    if l3_known {
        h.l3 = match h.ethertype {
            0x0800 => L3_IPV4,
            0x86DD => L3_IPV6,
            0x0806 => L3_ARP,
            _ => L3_NONE,
        };
        h.l3_off = q as u16;
        need = q + match h.l3 {
            L3_IPV4 => 20,
            L3_IPV6 => 40,
            L3_ARP => 28,
            _ => 0,
        };
    }
    let avail = m.saturating_sub(q);
    let present = l3_known && m > q;
    let mut l4: Option<usize> = None;
    match h.l3 {
        L3_IPV4 => {
            let b0 = be8(p, q);
            h.ip_ver = b0 >> 4;
            h.ip_ihl = b0 & 15;
            h.ip_len = be16(p, q + 2);
            h.ip_ident = be16(p, q + 4);
            h.ip_frag = be16(p, q + 6);
            h.ttl = be8(p, q + 8);
            h.protocol = be8(p, q + 9);
            h.ip_csum = be16(p, q + 10);
            h.src_ip = be32(p, q + 12) as u128;
            h.dst_ip = be32(p, q + 16) as u128;
            src_key.extend(bytes(p, q + 12, 4));
            dst_key.extend(bytes(p, q + 16, 4));
            let hlen = h.ip_ihl as usize * 4;
            if present {
                if h.ip_ver != 4 {
                    flags |= flag::BAD_VERSION;
                }
                if h.ip_ihl < 5 {
                    flags |= flag::BAD_IHL;
                    need = q + 20;
                } else {
                    need = q + hlen;
                }
            }
            if avail >= 4 {
                let l = h.ip_len as usize;
                if l < 20 || l < hlen || l > avail {
                    flags |= flag::BAD_LENGTH;
                }
            }
            if h.ip_ihl >= 5 && avail >= hlen && !ipv4_header_sum_ok(&p[q..q + hlen]) {
                flags |= flag::BAD_CHECKSUM;
            }
            let offset = h.ip_frag & 0x1FFF;
            if offset != 0 {
                flags |= flag::NON_FIRST_FRAGMENT;
            }
            if h.ip_frag & 0x3FFF != 0 {
                flags |= flag::FRAGMENT;
            }
            if m > q + 9 && matches!(h.protocol, 6 | 17) && h.ip_ihl >= 5 && offset == 0 {
                l4 = Some(q + hlen);
            }
        }
        L3_IPV6 => {
            h.ip_ver = be8(p, q) >> 4;
            h.ip_len = be16(p, q + 4);
            h.protocol = be8(p, q + 6);
            h.ttl = be8(p, q + 7);
            h.src_ip = be128(p, q + 8);
            h.dst_ip = be128(p, q + 24);
            src_key.extend(bytes(p, q + 8, 16));
            dst_key.extend(bytes(p, q + 24, 16));
            if present && h.ip_ver != 6 {
                flags |= flag::BAD_VERSION;
            }
            if avail >= 6 && h.ip_len as usize + 40 > avail {
                flags |= flag::BAD_LENGTH;
            }
            if m > q + 6 && matches!(h.protocol, 6 | 17) {
                l4 = Some(q + 40);
            }
        }
        L3_ARP => {
            const FIXED: [u8; 6] = [0x00, 0x01, 0x08, 0x00, 0x06, 0x04];
            if bytes(p, q, 6).iter().zip(FIXED.iter()).any(|(a, b)| a != b) {
                flags |= flag::BAD_ARP;
            }
            h.arp_oper = be16(p, q + 6);
            h.arp_sha = be_n::<6>(p, q + 8);
            h.src_ip = be32(p, q + 14) as u128;
            h.arp_tha = be_n::<6>(p, q + 18);
            h.dst_ip = be32(p, q + 24) as u128;
            src_key.extend(bytes(p, q + 14, 4));
            dst_key.extend(bytes(p, q + 24, 4));
        }
        _ => {}
    }
    if let Some(o) = l4 {
        h.l4_en = true;
        h.l4_off = o as u16;
        need = o + if h.protocol == 6 { 20 } else { 8 };
        h.src_port = be16(p, o);
        h.dst_port = be16(p, o + 2);
        if h.protocol == 6 {
            h.tcp_seq = be32(p, o + 4);
            h.tcp_flags = be8(p, o + 13);
        }
        // the first fragment hashes like the rest of its datagram: on addresses only
        if cfg.use_port && h.ip_frag & 0x2000 == 0 {
            src_key.extend(bytes(p, o, 2));
            dst_key.extend(bytes(p, o + 2, 2));
        }
    }
    if m < need {
        flags |= flag::TRUNCATED;
    } else if h.l4_en {
        flags |= flag::L4_VALID;
    }
    h.src_hash = crate::key_hasher::key_hash(cfg.poly, src_key.bytes());
    h.dst_hash = crate::key_hasher::key_hash(cfg.poly, dst_key.bytes());
    h.flags = flags;
    h
}

/// RFC 1071: the ones'-complement sum of a correct header (checksum included) is 0xFFFF.
pub fn ipv4_header_sum_ok(hdr: &[u8]) -> bool {
    ipv4_sum(hdr) == 0xFFFF
}

/// Ones'-complement sum of 16-bit big-endian words (odd tail padded with zero).
pub fn ipv4_sum(hdr: &[u8]) -> u16 {
    let words = hdr.chunks_exact(2);
    let tail = words.remainder().first().map_or(0, |&b| (b as u32) << 8);
    let mut s: u32 = words
        .map(|w| u16::from_be_bytes([w[0], w[1]]) as u32)
        .fold(tail, |a, w| a + w);
    while s > 0xFFFF {
        s = (s & 0xFFFF) + (s >> 16);
    }
    s as u16
}

/// The header checksum to store for a header whose checksum field is zero.
pub fn ipv4_checksum(hdr: &[u8]) -> u16 {
    !ipv4_sum(hdr)
}

// ---- the reference ----

/// Big-endian value of the bytes of `p[off..off+len]` that exist.
fn be_ref(p: &[u8], off: usize, len: usize) -> u128 {
    let end = (off + len).min(p.len());
    if off >= end {
        return 0;
    }
    p[off..end].iter().fold(0u128, |v, &b| (v << 8) | b as u128)
}

/// The present bytes of `p[off..off+len]`.
fn bytes_ref(p: &[u8], off: usize, len: usize) -> &[u8] {
    let end = (off + len).min(p.len());
    if off >= end {
        &[]
    } else {
        &p[off..end]
    }
}

fn is_tpid_ref(t: u128) -> bool {
    t == 0x8100 || t == 0x88A8
}

/// [`parse`] as first written: slices, `u128` folds and a `Vec` per hash key. The plain
/// reference the optimised [`parse`] is tested against (`tests/tests/model_fast_paths.rs`).
pub fn parse_reference(frame: &[u8], cfg: &HashKeyConfig) -> HeaderFields {
    let p = fcs_checker::payload(frame);
    let m = p.len();
    let mut h = HeaderFields {
        frame_len: fcs_checker::frame_len(frame),
        ..Default::default()
    };
    let mut flags = 0u16;
    if h.frame_len < 64 {
        flags |= flag::RUNT;
    }
    if !fcs_checker::fcs_ok(frame) {
        flags |= flag::BAD_FCS;
    }

    // ---- L2 ----
    h.dst_mac = be_ref(p, 0, 6) as u64;
    h.src_mac = be_ref(p, 6, 6) as u64;
    let mut type_off = 12usize;
    while h.vlan_count < 2 && m >= type_off + 2 && is_tpid_ref(be_ref(p, type_off, 2)) {
        let tpid = be_ref(p, type_off, 2) as u16;
        let tci = be_ref(p, type_off + 2, 2) as u16;
        if h.vlan_count == 0 {
            h.tpid0 = tpid;
            h.vlan0 = tci;
        } else {
            h.tpid1 = tpid;
            h.vlan1 = tci;
        }
        h.vlan_count += 1;
        type_off += 4;
    }
    if h.frame_len as usize > 1518 + 4 * h.vlan_count as usize {
        flags |= flag::GIANT;
    }
    h.ethertype = be_ref(p, type_off, 2) as u16;
    let l3_known = m >= type_off + 2;
    let q = type_off + 2;
    let mut need = type_off + 2;
    // Hash keys: [outer VLAN id] ++ address ++ [port]
    let mut src_key: Vec<u8> = Vec::new();
    let mut dst_key: Vec<u8> = Vec::new();
    if cfg.use_vlan && h.vlan_count >= 1 {
        let tci = bytes_ref(p, 14, 2);
        for (i, &b) in tci.iter().enumerate() {
            let b = if i == 0 { b & 0x0F } else { b };
            src_key.push(b);
            dst_key.push(b);
        }
    }

    if l3_known {
        h.l3 = match h.ethertype {
            0x0800 => L3_IPV4,
            0x86DD => L3_IPV6,
            0x0806 => L3_ARP,
            _ => L3_NONE,
        };
        h.l3_off = q as u16;
        need = q + match h.l3 {
            L3_IPV4 => 20,
            L3_IPV6 => 40,
            L3_ARP => 28,
            _ => 0,
        };
    }
    let avail = m.saturating_sub(q);
    let present = l3_known && m > q;
    let mut l4: Option<usize> = None;
    match h.l3 {
        L3_IPV4 => {
            let b0 = be_ref(p, q, 1) as u8;
            h.ip_ver = b0 >> 4;
            h.ip_ihl = b0 & 15;
            h.ip_len = be_ref(p, q + 2, 2) as u16;
            h.ip_ident = be_ref(p, q + 4, 2) as u16;
            h.ip_frag = be_ref(p, q + 6, 2) as u16;
            h.ttl = be_ref(p, q + 8, 1) as u8;
            h.protocol = be_ref(p, q + 9, 1) as u8;
            h.ip_csum = be_ref(p, q + 10, 2) as u16;
            h.src_ip = be_ref(p, q + 12, 4);
            h.dst_ip = be_ref(p, q + 16, 4);
            src_key.extend_from_slice(bytes_ref(p, q + 12, 4));
            dst_key.extend_from_slice(bytes_ref(p, q + 16, 4));
            let hlen = h.ip_ihl as usize * 4;
            if present {
                if h.ip_ver != 4 {
                    flags |= flag::BAD_VERSION;
                }
                if h.ip_ihl < 5 {
                    flags |= flag::BAD_IHL;
                    need = q + 20;
                } else {
                    need = q + hlen;
                }
            }
            if avail >= 4 {
                let l = h.ip_len as usize;
                if l < 20 || l < hlen || l > avail {
                    flags |= flag::BAD_LENGTH;
                }
            }
            if h.ip_ihl >= 5 && avail >= hlen && !ipv4_header_sum_ok(&p[q..q + hlen]) {
                flags |= flag::BAD_CHECKSUM;
            }
            let offset = h.ip_frag & 0x1FFF;
            if offset != 0 {
                flags |= flag::NON_FIRST_FRAGMENT;
            }
            if h.ip_frag & 0x3FFF != 0 {
                flags |= flag::FRAGMENT;
            }
            if m > q + 9 && matches!(h.protocol, 6 | 17) && h.ip_ihl >= 5 && offset == 0 {
                l4 = Some(q + hlen);
            }
        }
        L3_IPV6 => {
            h.ip_ver = be_ref(p, q, 1) as u8 >> 4;
            h.ip_len = be_ref(p, q + 4, 2) as u16;
            h.protocol = be_ref(p, q + 6, 1) as u8;
            h.ttl = be_ref(p, q + 7, 1) as u8;
            h.src_ip = be_ref(p, q + 8, 16);
            h.dst_ip = be_ref(p, q + 24, 16);
            src_key.extend_from_slice(bytes_ref(p, q + 8, 16));
            dst_key.extend_from_slice(bytes_ref(p, q + 24, 16));
            if present && h.ip_ver != 6 {
                flags |= flag::BAD_VERSION;
            }
            if avail >= 6 && h.ip_len as usize + 40 > avail {
                flags |= flag::BAD_LENGTH;
            }
            if m > q + 6 && matches!(h.protocol, 6 | 17) {
                l4 = Some(q + 40);
            }
        }
        L3_ARP => {
            const FIXED: [u8; 6] = [0x00, 0x01, 0x08, 0x00, 0x06, 0x04];
            if bytes_ref(p, q, 6)
                .iter()
                .zip(FIXED.iter())
                .any(|(a, b)| a != b)
            {
                flags |= flag::BAD_ARP;
            }
            h.arp_oper = be_ref(p, q + 6, 2) as u16;
            h.arp_sha = be_ref(p, q + 8, 6) as u64;
            h.src_ip = be_ref(p, q + 14, 4);
            h.arp_tha = be_ref(p, q + 18, 6) as u64;
            h.dst_ip = be_ref(p, q + 24, 4);
            src_key.extend_from_slice(bytes_ref(p, q + 14, 4));
            dst_key.extend_from_slice(bytes_ref(p, q + 24, 4));
        }
        _ => {}
    }
    if let Some(o) = l4 {
        h.l4_en = true;
        h.l4_off = o as u16;
        need = o + if h.protocol == 6 { 20 } else { 8 };
        h.src_port = be_ref(p, o, 2) as u16;
        h.dst_port = be_ref(p, o + 2, 2) as u16;
        if h.protocol == 6 {
            h.tcp_seq = be_ref(p, o + 4, 4) as u32;
            h.tcp_flags = be_ref(p, o + 13, 1) as u8;
        }
        // the first fragment hashes like the rest of its datagram: on addresses only
        if cfg.use_port && h.ip_frag & 0x2000 == 0 {
            src_key.extend_from_slice(bytes_ref(p, o, 2));
            dst_key.extend_from_slice(bytes_ref(p, o + 2, 2));
        }
    }
    if m < need {
        flags |= flag::TRUNCATED;
    } else if h.l4_en {
        flags |= flag::L4_VALID;
    }
    h.src_hash = crate::key_hasher::key_hash(cfg.poly, &src_key);
    h.dst_hash = crate::key_hasher::key_hash(cfg.poly, &dst_key);
    h.flags = flags;
    h
}
