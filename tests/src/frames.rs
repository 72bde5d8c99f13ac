//! Frame builders and proptest generators: valid Ethernet / VLAN / QinQ / IPv4 (with options)
//! / IPv6 / TCP / UDP / ARP frames, and malformed ones made from them.
use flowdist_model::fcs_checker::with_fcs;
use flowdist_model::header_parser::ipv4_checksum;
use proptest::prelude::*;

#[derive(Clone, Debug)]
pub enum L4 {
    Tcp {
        sport: u16,
        dport: u16,
        seq: u32,
        flags: u8,
    },
    Udp {
        sport: u16,
        dport: u16,
    },
    Other,
}

#[derive(Clone, Debug)]
pub enum L3 {
    V4 {
        src: u32,
        dst: u32,
        ttl: u8,
        ident: u16,
        frag: u16,
        options: Vec<u8>,
        proto: u8,
        l4: L4,
    },
    V6 {
        src: u128,
        dst: u128,
        hop: u8,
        next: u8,
        l4: L4,
    },
    Arp {
        oper: u16,
        sha: u64,
        spa: u32,
        tha: u64,
        tpa: u32,
    },
    Raw {
        ethertype: u16,
    },
}

#[derive(Clone, Debug)]
pub struct Frame {
    pub dst: u64,
    pub src: u64,
    pub tags: Vec<(u16, u16)>,
    pub l3: L3,
    pub payload: Vec<u8>,
}

fn mac(v: u64) -> [u8; 6] {
    let b = v.to_be_bytes();
    [b[2], b[3], b[4], b[5], b[6], b[7]]
}

fn l4_bytes(l4: &L4, payload_len: usize) -> Vec<u8> {
    match l4 {
        L4::Tcp {
            sport,
            dport,
            seq,
            flags,
        } => {
            let mut v = Vec::new();
            v.extend_from_slice(&sport.to_be_bytes());
            v.extend_from_slice(&dport.to_be_bytes());
            v.extend_from_slice(&seq.to_be_bytes());
            v.extend_from_slice(&0u32.to_be_bytes());
            v.push(0x50);
            v.push(*flags);
            v.extend_from_slice(&[0xFF, 0xFF, 0, 0, 0, 0]);
            v
        }
        L4::Udp { sport, dport } => {
            let mut v = Vec::new();
            v.extend_from_slice(&sport.to_be_bytes());
            v.extend_from_slice(&dport.to_be_bytes());
            v.extend_from_slice(&((8 + payload_len) as u16).to_be_bytes());
            v.extend_from_slice(&[0, 0]);
            v
        }
        L4::Other => Vec::new(),
    }
}

impl Frame {
    /// The frame without FCS.
    pub fn payload_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&mac(self.dst));
        v.extend_from_slice(&mac(self.src));
        for (tpid, tci) in &self.tags {
            v.extend_from_slice(&tpid.to_be_bytes());
            v.extend_from_slice(&tci.to_be_bytes());
        }
        match &self.l3 {
            L3::V4 {
                src,
                dst,
                ttl,
                ident,
                frag,
                options,
                proto,
                l4,
            } => {
                v.extend_from_slice(&0x0800u16.to_be_bytes());
                let mut opts = options.clone();
                opts.truncate(40);
                while opts.len() % 4 != 0 {
                    opts.push(0);
                }
                let l4b = l4_bytes(l4, self.payload.len());
                let ihl = 5 + opts.len() / 4;
                let total = ihl * 4 + l4b.len() + self.payload.len();
                let mut h = vec![(0x40 | ihl) as u8, 0];
                h.extend_from_slice(&(total as u16).to_be_bytes());
                h.extend_from_slice(&ident.to_be_bytes());
                h.extend_from_slice(&frag.to_be_bytes());
                h.push(*ttl);
                h.push(*proto);
                h.extend_from_slice(&[0, 0]);
                h.extend_from_slice(&src.to_be_bytes());
                h.extend_from_slice(&dst.to_be_bytes());
                h.extend_from_slice(&opts);
                let c = ipv4_checksum(&h);
                h[10..12].copy_from_slice(&c.to_be_bytes());
                v.extend_from_slice(&h);
                v.extend_from_slice(&l4b);
            }
            L3::V6 {
                src,
                dst,
                hop,
                next,
                l4,
            } => {
                v.extend_from_slice(&0x86DDu16.to_be_bytes());
                let l4b = l4_bytes(l4, self.payload.len());
                v.extend_from_slice(&[0x60, 0, 0, 0]);
                v.extend_from_slice(&((l4b.len() + self.payload.len()) as u16).to_be_bytes());
                v.push(*next);
                v.push(*hop);
                v.extend_from_slice(&src.to_be_bytes());
                v.extend_from_slice(&dst.to_be_bytes());
                v.extend_from_slice(&l4b);
            }
            L3::Arp {
                oper,
                sha,
                spa,
                tha,
                tpa,
            } => {
                v.extend_from_slice(&0x0806u16.to_be_bytes());
                v.extend_from_slice(&[0, 1, 8, 0, 6, 4]);
                v.extend_from_slice(&oper.to_be_bytes());
                v.extend_from_slice(&mac(*sha));
                v.extend_from_slice(&spa.to_be_bytes());
                v.extend_from_slice(&mac(*tha));
                v.extend_from_slice(&tpa.to_be_bytes());
            }
            L3::Raw { ethertype } => v.extend_from_slice(&ethertype.to_be_bytes()),
        }
        v.extend_from_slice(&self.payload);
        // Ethernet minimum: pad to 60 bytes before the FCS
        while v.len() < 60 {
            v.push(0);
        }
        v
    }

    /// The frame as sent: payload, padding and a correct FCS.
    pub fn bytes(&self) -> Vec<u8> {
        with_fcs(&self.payload_bytes())
    }
}

/// How a valid frame is spoiled.
#[derive(Clone, Debug)]
pub enum Mutation {
    None,
    /// Cut the frame (without FCS) to this many bytes, then add a correct FCS.
    Truncate(usize),
    /// XOR one byte (index modulo the length, before the FCS), then add a correct FCS.
    Flip(usize, u8),
    /// Keep the frame, spoil the FCS.
    BadFcs(u8),
    /// Pad to this length (FCS included) with a correct FCS: giants.
    Pad(usize),
}

pub fn apply(frame: &Frame, m: &Mutation) -> Vec<u8> {
    let p = frame.payload_bytes();
    match m {
        Mutation::None => with_fcs(&p),
        Mutation::Truncate(n) => with_fcs(&p[..(*n).min(p.len())]),
        Mutation::Flip(i, x) => {
            let mut q = p.clone();
            let k = i % q.len();
            q[k] ^= x.max(&1);
            with_fcs(&q)
        }
        Mutation::BadFcs(x) => {
            let mut f = with_fcs(&p);
            let n = f.len();
            f[n - 1] ^= x.max(&1);
            f
        }
        Mutation::Pad(n) => {
            let mut q = p.clone();
            q.resize((*n).max(q.len() + 4) - 4, 0xA5);
            with_fcs(&q)
        }
    }
}

fn l4_strategy() -> impl Strategy<Value = L4> {
    prop_oneof![
        (any::<u16>(), any::<u16>(), any::<u32>(), any::<u8>()).prop_map(
            |(sport, dport, seq, flags)| L4::Tcp {
                sport,
                dport,
                seq,
                flags
            }
        ),
        (any::<u16>(), any::<u16>()).prop_map(|(sport, dport)| L4::Udp { sport, dport }),
        Just(L4::Other),
    ]
}

fn l3_strategy() -> impl Strategy<Value = L3> {
    prop_oneof![
        4 => (any::<u32>(), any::<u32>(), any::<u8>(), any::<u16>(),
              prop_oneof![3 => Just(0u16), 1 => Just(0x4000u16), 1 => Just(0x2000u16), 1 => any::<u16>()],
              prop_oneof![3 => Just(vec![]), 1 => proptest::collection::vec(any::<u8>(), 0..41)],
              l4_strategy())
            .prop_map(|(src, dst, ttl, ident, frag, options, l4)| {
                let proto = match l4 { L4::Tcp { .. } => 6, L4::Udp { .. } => 17, L4::Other => 1 };
                L3::V4 { src, dst, ttl, ident, frag, options, proto, l4 }
            }),
        2 => (any::<u128>(), any::<u128>(), any::<u8>(), l4_strategy()).prop_map(|(src, dst, hop, l4)| {
                let next = match l4 { L4::Tcp { .. } => 6, L4::Udp { .. } => 17, L4::Other => 58 };
                L3::V6 { src, dst, hop, next, l4 }
            }),
        1 => (1u16..3, any::<u64>(), any::<u32>(), any::<u64>(), any::<u32>())
            .prop_map(|(oper, sha, spa, tha, tpa)| L3::Arp { oper, sha: sha & 0xFFFF_FFFF_FFFF, spa, tha: tha & 0xFFFF_FFFF_FFFF, tpa }),
        1 => any::<u16>().prop_map(|ethertype| L3::Raw { ethertype }),
    ]
}

fn tag_strategy() -> impl Strategy<Value = (u16, u16)> {
    (prop_oneof![Just(0x8100u16), Just(0x88A8u16)], any::<u16>())
}

pub fn frame_strategy() -> impl Strategy<Value = Frame> {
    (
        any::<u64>(),
        any::<u64>(),
        prop_oneof![3 => Just(vec![]), 2 => proptest::collection::vec(tag_strategy(), 1..4)],
        l3_strategy(),
        prop_oneof![3 => proptest::collection::vec(any::<u8>(), 0..64), 1 => proptest::collection::vec(any::<u8>(), 0..1500)],
    )
        .prop_map(|(dst, src, tags, l3, payload)| Frame {
            dst: dst & 0xFFFF_FFFF_FFFF,
            src: src & 0xFFFF_FFFF_FFFF,
            tags,
            l3,
            payload,
        })
}

pub fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => Just(Mutation::None),
        3 => (0usize..120).prop_map(Mutation::Truncate),
        3 => (0usize..80, any::<u8>()).prop_map(|(i, x)| Mutation::Flip(i, x)),
        1 => any::<u8>().prop_map(Mutation::BadFcs),
        1 => (1500usize..1540).prop_map(Mutation::Pad),
    ]
}

/// Valid and malformed frames, plus arbitrary bytes.
pub fn wire_frame_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        12 => (frame_strategy(), mutation_strategy()).prop_map(|(f, m)| apply(&f, &m)),
        1 => proptest::collection::vec(any::<u8>(), 1..100),
    ]
}

/// A plain TCP/IPv4 frame, for hand-written tests.
pub fn tcp4(src: u32, dst: u32, sport: u16, dport: u16) -> Frame {
    Frame {
        dst: 0x02_00_00_00_00_01,
        src: 0x02_00_00_00_00_02,
        tags: vec![],
        l3: L3::V4 {
            src,
            dst,
            ttl: 64,
            ident: 1,
            frag: 0x4000,
            options: vec![],
            proto: 6,
            l4: L4::Tcp {
                sport,
                dport,
                seq: 0x1234_5678,
                flags: 0x02,
            },
        },
        payload: vec![],
    }
}
