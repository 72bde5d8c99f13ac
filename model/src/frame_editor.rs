//! Frame edits (twin of `hdl::frame_editor`): MAC rewrites, VLAN tag push / re-tag / pop,
//! IP-in-IP encapsulation (RFC 2003), padding to the Ethernet minimum, fresh FCS.
use crate::crc32_byte::CRC32_IEEE;
use crate::fcs_checker::with_fcs;

/// What to do to the outer VLAN tag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TagOp {
    #[default]
    Keep,
    /// Insert an 802.1Q tag (TPID 0x8100, this TCI) after the source MAC.
    Push(u16),
    /// Set the VLAN id (low 12 bits of the TCI at bytes 14–15) of the outer tag.
    SetVid(u16),
    /// Remove the outer tag (bytes 12–15).
    Pop,
}

impl TagOp {
    /// (`tag_op`, `tci`) as the hardware takes them.
    pub fn code(self) -> (u8, u16) {
        match self {
            TagOp::Keep => (0, 0),
            TagOp::Push(t) => (1, t),
            TagOp::SetVid(v) => (2, v),
            TagOp::Pop => (3, 0),
        }
    }
}

/// IP-in-IP encapsulation (RFC 2003): an outer IPv4 header inserted before input byte `at`
/// (the inner IPv4 header's first byte, right after the EtherType).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Encap {
    pub at: usize,
    /// Outer source: the distributor's tunnel address.
    pub src: u32,
    /// Outer destination: the TM's tunnel address.
    pub dst: u32,
    /// The inner packet's IPv4 total length (the outer one is 20 more).
    pub inner_len: u16,
}

/// TTL of the outer header.
pub const ENCAP_TTL: u8 = 64;

impl Encap {
    /// The outer header: version 4, IHL 5, TOS 0, total length, identification 0 with DF set
    /// (an atomic datagram, RFC 6864), TTL 64, protocol 4 (IPv4), checksum, addresses.
    pub fn header(&self) -> [u8; 20] {
        let total = self.inner_len.wrapping_add(20);
        let mut h = [0u8; 20];
        h[0] = 0x45;
        h[2..4].copy_from_slice(&total.to_be_bytes());
        h[6] = 0x40;
        h[8] = ENCAP_TTL;
        h[9] = 4;
        h[12..16].copy_from_slice(&self.src.to_be_bytes());
        h[16..20].copy_from_slice(&self.dst.to_be_bytes());
        let c = crate::header_parser::ipv4_checksum(&h);
        h[10..12].copy_from_slice(&c.to_be_bytes());
        h
    }
}

/// An ARP request turned into its reply in place (R7): the ARP body starts at byte `at`
/// (after the MACs, the tags and the EtherType). Operation := 2 (reply); sender hardware
/// address := `sha` (the group MAC); sender protocol address := `spa` (the address asked
/// for); target hardware / protocol address := the request's sender hardware / protocol
/// address. Bytes the frame does not have are not written. The Ethernet addresses are the
/// plan's MAC edits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArpReply {
    pub at: usize,
    pub sha: u64,
    pub spa: u32,
}

impl ArpReply {
    /// The ARP body (from `at`) rewritten, in place: the request's sender addresses (bytes
    /// 8..18 of the body) are read before anything is written.
    fn apply(&self, v: &mut [u8]) {
        let at = self.at;
        let get = |v: &[u8], i: usize| {
            at.checked_add(i)
                .and_then(|k| v.get(k))
                .copied()
                .unwrap_or(0)
        };
        let mut new = [0u8; 28];
        new[6..8].copy_from_slice(&2u16.to_be_bytes());
        new[8..14].copy_from_slice(&self.sha.to_be_bytes()[2..]);
        new[14..18].copy_from_slice(&self.spa.to_be_bytes());
        for i in 0..6 {
            new[18 + i] = get(v, 8 + i);
        }
        for i in 0..4 {
            new[24 + i] = get(v, 14 + i);
        }
        // bytes 0..6 (hardware/protocol type and sizes) are kept; 6..28 rewritten
        if let Some(body) = at.checked_add(6).and_then(|s| v.get_mut(s..)) {
            let n = body.len().min(22);
            body[..n].copy_from_slice(&new[6..6 + n]);
        }
    }

    /// [`ArpReply::apply`] as first written (the reference).
    fn apply_reference(&self, v: &mut [u8]) {
        let at = self.at;
        let old: Vec<u8> = v.get(at..).unwrap_or(&[]).to_vec();
        let get = |i: usize| old.get(i).copied();
        let mut new = [0u8; 28];
        new[6..8].copy_from_slice(&2u16.to_be_bytes());
        new[8..14].copy_from_slice(&self.sha.to_be_bytes()[2..]);
        new[14..18].copy_from_slice(&self.spa.to_be_bytes());
        for i in 0..6 {
            new[18 + i] = get(8 + i).unwrap_or(0);
        }
        for i in 0..4 {
            new[24 + i] = get(14 + i).unwrap_or(0);
        }
        // bytes 0..6 (hardware/protocol type and sizes) are kept; 6..28 rewritten
        for (i, &b) in new.iter().enumerate().skip(6) {
            if let Some(x) = v.get_mut(at + i) {
                *x = b;
            }
        }
    }
}

/// A routed frame's IPv4 header (from input byte `at`) leaves with this TTL (byte 8) and
/// header checksum (bytes 10–11), written in place (R8); bytes the frame does not have are
/// not written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TtlEdit {
    pub at: usize,
    pub ttl: u8,
    pub checksum: u16,
}

impl TtlEdit {
    fn apply(&self, v: &mut [u8]) {
        let [hi, lo] = self.checksum.to_be_bytes();
        for (k, b) in [(8, self.ttl), (10, hi), (11, lo)] {
            if let Some(x) = self.at.checked_add(k).and_then(|i| v.get_mut(i)) {
                *x = b;
            }
        }
    }
}

/// The edits for one frame. Positions are those of the input frame; `encap` combines with
/// `TagOp::Keep` or `TagOp::Push` (the delivery plan never asks for more).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Edits {
    pub dst_mac: Option<u64>,
    pub src_mac: Option<u64>,
    pub tag: TagOp,
    pub encap: Option<Encap>,
    pub arp: Option<ArpReply>,
    pub ttl: Option<TtlEdit>,
}

/// Most bytes the edits add to a frame: an outer IPv4 header and an 802.1Q tag.
pub const MAX_GROWTH: usize = 20 + 4;

/// Edit a frame given without FCS; the result carries padding and a new FCS.
pub fn edit(payload: &[u8], e: &Edits) -> Vec<u8> {
    let mut v = Vec::with_capacity(payload.len().max(60) + MAX_GROWTH + 4);
    edit_into(payload, e, &mut v);
    v
}

/// [`edit`] into a buffer the caller keeps (cleared first; no allocation once it has grown
/// to the frame's length + [`MAX_GROWTH`] + 4): the same bytes as [`edit`] returns.
pub fn edit_into(payload: &[u8], e: &Edits, v: &mut Vec<u8>) {
    v.clear();
    v.reserve(payload.len().max(60) + MAX_GROWTH + 4);
    if e.encap.is_none() && e.arp.is_none() && e.ttl.is_none() && payload.len() >= 16 {
        // the common case, built in one pass: MACs and tag in a 16-byte head, then the rest
        let mut head = [0u8; 16];
        head.copy_from_slice(&payload[..16]);
        if let Some(m) = e.dst_mac {
            head[..6].copy_from_slice(&m.to_be_bytes()[2..]);
        }
        if let Some(m) = e.src_mac {
            head[6..12].copy_from_slice(&m.to_be_bytes()[2..]);
        }
        match e.tag {
            TagOp::Keep => v.extend_from_slice(&head),
            TagOp::Push(tci) => {
                v.extend_from_slice(&head[..12]);
                v.extend_from_slice(&[0x81, 0x00, (tci >> 8) as u8, tci as u8]);
                v.extend_from_slice(&head[12..]);
            }
            TagOp::SetVid(vid) => {
                head[14] = (head[14] & 0xF0) | ((vid >> 8) & 0x0F) as u8;
                head[15] = vid as u8;
                v.extend_from_slice(&head);
            }
            TagOp::Pop => v.extend_from_slice(&head[..12]),
        }
        v.extend_from_slice(&payload[16..]);
        if v.len() < 60 {
            v.resize(60, 0);
        }
        let fcs = CRC32_IEEE.checksum(v);
        v.extend_from_slice(&fcs.to_le_bytes());
        return;
    }
    v.extend_from_slice(payload);
    let put_mac = |v: &mut [u8], at: usize, mac: u64| {
        let b = &mac.to_be_bytes()[2..];
        if let Some(dst) = v.get_mut(at..) {
            let n = dst.len().min(6);
            dst[..n].copy_from_slice(&b[..n]);
        }
    };
    if let Some(m) = e.dst_mac {
        put_mac(v, 0, m);
    }
    if let Some(m) = e.src_mac {
        put_mac(v, 6, m);
    }
    if let Some(a) = e.arp {
        a.apply(v);
    }
    if let Some(t) = e.ttl {
        t.apply(v);
    }
    if let Some(en) = e.encap {
        // inserted before input byte `at`, so only when the frame has that byte
        if v.len() > en.at {
            insert(v, en.at, &en.header());
        }
    }
    match e.tag {
        TagOp::Keep => {}
        TagOp::Push(tci) => {
            if v.len() > 12 {
                insert(v, 12, &[0x81, 0x00, (tci >> 8) as u8, tci as u8]);
            }
        }
        TagOp::SetVid(vid) => {
            if let Some(b) = v.get_mut(14) {
                *b = (*b & 0xF0) | ((vid >> 8) & 0x0F) as u8;
            }
            if let Some(b) = v.get_mut(15) {
                *b = vid as u8;
            }
        }
        TagOp::Pop => {
            let end = v.len().min(16);
            if v.len() > 12 {
                let n = v.len();
                v.copy_within(end..n, 12);
                v.truncate(n - (end - 12));
            }
        }
    }
    if v.len() < 60 {
        v.resize(60, 0);
    }
    let fcs = CRC32_IEEE.checksum(v);
    v.extend_from_slice(&fcs.to_le_bytes());
}

/// `bytes` inserted before `v[at]` (`at` ≤ `v.len()`).
#[inline]
fn insert(v: &mut Vec<u8>, at: usize, bytes: &[u8]) {
    let n = v.len();
    v.resize(n + bytes.len(), 0);
    v.copy_within(at..n, at + bytes.len());
    v[at..at + bytes.len()].copy_from_slice(bytes);
}

/// [`edit`] as first written: a copy, `splice`/`drain` for the inserts and removals, a second
/// copy for the FCS. The reference [`edit`] and [`edit_into`] are tested against.
pub fn edit_reference(payload: &[u8], e: &Edits) -> Vec<u8> {
    let mut v = payload.to_vec();
    let put_mac = |v: &mut Vec<u8>, at: usize, mac: u64| {
        for i in 0..6 {
            if let Some(b) = v.get_mut(at + i) {
                *b = (mac >> (8 * (5 - i))) as u8;
            }
        }
    };
    if let Some(m) = e.dst_mac {
        put_mac(&mut v, 0, m);
    }
    if let Some(m) = e.src_mac {
        put_mac(&mut v, 6, m);
    }
    if let Some(a) = e.arp {
        a.apply_reference(&mut v);
    }
    if let Some(t) = e.ttl {
        // never on the fast path: the reference writes it as the general path does
        t.apply(&mut v);
    }
    if let Some(en) = e.encap {
        // inserted before input byte `at`, so only when the frame has that byte
        if v.len() > en.at {
            v.splice(en.at..en.at, en.header());
        }
    }
    match e.tag {
        TagOp::Keep => {}
        TagOp::Push(tci) => {
            if v.len() > 12 {
                let tag = [0x81, 0x00, (tci >> 8) as u8, tci as u8];
                v.splice(12..12, tag);
            }
        }
        TagOp::SetVid(vid) => {
            if let Some(b) = v.get_mut(14) {
                *b = (*b & 0xF0) | ((vid >> 8) & 0x0F) as u8;
            }
            if let Some(b) = v.get_mut(15) {
                *b = vid as u8;
            }
        }
        TagOp::Pop => {
            let end = v.len().min(16);
            if v.len() > 12 {
                v.drain(12..end);
            }
        }
    }
    if v.len() < 60 {
        v.resize(60, 0);
    }
    with_fcs(&v)
}

#[cfg(test)]
mod arp_tests {
    use super::*;

    /// A request from 10.0.0.2 (MAC 02:..:02) for 10.0.0.1, turned into the reply.
    #[test]
    fn request_becomes_reply() {
        let mut req = vec![0xFF; 6];
        req.extend([2, 0, 0, 0, 0, 2, 0x08, 0x06]);
        req.extend([0, 1, 8, 0, 6, 4, 0, 1]);
        req.extend([2, 0, 0, 0, 0, 2, 10, 0, 0, 2]);
        req.extend([0, 0, 0, 0, 0, 0, 10, 0, 0, 1]);
        let group = 0x02_00_00_00_05_05u64;
        let e = Edits {
            dst_mac: Some(0x02_00_00_00_00_02),
            src_mac: Some(group),
            arp: Some(ArpReply {
                at: 14,
                sha: group,
                spa: 0x0A00_0001,
            }),
            ..Default::default()
        };
        let out = edit(&req, &e);
        let mut want = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 5, 5, 0x08, 0x06];
        want.extend([0, 1, 8, 0, 6, 4, 0, 2]);
        want.extend([2, 0, 0, 0, 5, 5, 10, 0, 0, 1]);
        want.extend([2, 0, 0, 0, 0, 2, 10, 0, 0, 2]);
        assert_eq!(&out[..42], &want[..]);
        assert_eq!(out.len(), 64);
    }
}
