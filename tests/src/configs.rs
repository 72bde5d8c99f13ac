//! Data-plane configurations for the tests: a hand-made base and a proptest generator.
use crate::frames::{tcp4, L3, L4};
use flowdist_model::header_parser::HashKeyConfig;
use flowdist_model::route_table::Route;
use flowdist_model::tables::{
    attr, ActionTable, Bucket, CamEntry, DataPlaneConfig, Delivery, TmEntry,
};
use proptest::prelude::*;

pub const GROUP_MAC: u64 = 0x02_00_00_00_00_01;

/// A simple even bucket fill: bucket b → TM b mod n, backup the next one.
pub fn round_robin(n: u8, bits: u8) -> Vec<Bucket> {
    (0..1u32 << bits)
        .map(|b| Bucket {
            primary: (b % n as u32) as u8,
            backup: ((b + 1) % n as u32) as u8,
        })
        .collect()
}

/// A CAM entry for a /plen prefix with attributes and an owner.
pub fn prefix(value: u32, plen: u32, attrs: u8, owner: Option<u8>) -> CamEntry {
    CamEntry {
        valid: true,
        value,
        mask: if plen == 0 {
            0
        } else {
            u32::MAX << (32 - plen)
        },
        attrs,
        owner,
        ..Default::default()
    }
}

/// Four TMs delivered by VLAN 101..104 on trunk port 1, all up, a round-robin fill.
pub fn base(cam: Vec<CamEntry>) -> DataPlaneConfig {
    DataPlaneConfig {
        group_mac: GROUP_MAC,
        trunk_port: 1,
        cam,
        tms: (0..4)
            .map(|i| TmEntry {
                up: true,
                mac: 0x02_00_00_00_0A_00 | i as u64,
                delivery: Delivery::Vlan(101 + i as u16),
            })
            .collect(),
        buckets: round_robin(4, 12),
        bucket_bits: 12,
        actions: ActionTable::default(),
        hash: HashKeyConfig {
            poly: crate::parser_harness::built_poly(),
            ..Default::default()
        },
        tunnel_src: TUNNEL_SRC,
        routes: Vec::new(),
    }
}

/// The distributor's tunnel address in generated configurations.
pub const TUNNEL_SRC: u32 = 0xC000_0201; // 192.0.2.1

/// A small address pool so that generated frames hit generated CAM entries.
pub fn pool_addr() -> impl Strategy<Value = u32> {
    (0u32..4, 0u32..6).prop_map(|(n, h)| 0x0A00_0000 | n << 8 | h)
}

fn cam_entry() -> impl Strategy<Value = CamEntry> {
    (
        pool_addr(),
        prop_oneof![Just(32u32), Just(24), Just(16)],
        0u8..64,
        proptest::option::weighted(0.5, 0u8..16),
        proptest::option::weighted(0.2, prop_oneof![Just(80u16), Just(443)]),
    )
        .prop_map(|(a, plen, attrs, owner, port)| {
            let mut e = prefix(a, plen, attrs, owner);
            e.port = port;
            e
        })
}

fn tm() -> impl Strategy<Value = TmEntry> {
    (
        any::<bool>(),
        0u64..0xFFFF,
        prop_oneof![
            1 => (0u8..2).prop_map(Delivery::Port),
            4 => (100u16..110).prop_map(Delivery::Vlan),
            2 => Just(Delivery::Mac),
            2 => any::<u32>().prop_map(Delivery::IpInIp),
        ],
    )
        .prop_map(|(up, m, delivery)| TmEntry {
            up,
            mac: 0x02_00_00_00_00_00 | (m << 8) | 0x10,
            delivery,
        })
}

/// Generated configurations: 1–16 TMs (some down), 0–64 CAM entries, any FIG. 9 table,
/// any hash-key options, a seeded bucket fill, 0–16 routes.
pub fn config_strategy() -> impl Strategy<Value = DataPlaneConfig> {
    (
        proptest::collection::vec(tm(), 1..=16),
        proptest::collection::vec(cam_entry(), 0..=64),
        prop_oneof![2 => Just(ActionTable::default().pack()), 1 => any::<u32>()],
        any::<u64>(),
        any::<bool>(),
        any::<bool>(),
        0u8..2,
        (
            prop_oneof![Just(TUNNEL_SRC), any::<u32>()],
            proptest::collection::vec(route(), 0..=16),
        ),
    )
        .prop_map(
            |(tms, cam, actions, seed, use_port, use_vlan, trunk_port, (tunnel_src, routes))| {
                let n = tms.len() as u64;
                let mut x = seed | 1;
                let buckets = (0..4096)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        Bucket {
                            primary: (x % n) as u8,
                            backup: ((x >> 20) % n) as u8,
                        }
                    })
                    .collect();
                DataPlaneConfig {
                    group_mac: GROUP_MAC,
                    trunk_port,
                    cam,
                    tms,
                    buckets,
                    bucket_bits: 12,
                    actions: ActionTable::unpack(actions),
                    hash: HashKeyConfig {
                        poly: crate::parser_harness::built_poly(),
                        use_port,
                        use_vlan,
                    },
                    tunnel_src,
                    routes,
                }
            },
        )
}

/// A route into the pool's addresses (or a default route), some invalid, on either port,
/// tagged or not.
pub fn route() -> impl Strategy<Value = Route> {
    (
        pool_addr(),
        prop_oneof![Just(32u8), Just(24), Just(16), Just(0)],
        0u64..0xFFFF,
        0u8..2,
        proptest::option::weighted(0.5, prop_oneof![Just(7u16), 100u16..110]),
        proptest::bool::weighted(0.9),
    )
        .prop_map(|(a, len, m, port, vlan, valid)| Route {
            valid,
            ..Route::to_prefix(a, len, 0x02_00_00_00_00_00 | (m << 8) | 0x20, port, vlan)
        })
}

/// Attribute sets that select each FIG. 9 row (source) and column (destination).
pub const ROW_ATTRS: [u8; 4] = [attr::NATABLE | attr::NODE, attr::NATABLE, attr::NODE, 0];
pub const COL_ATTRS: [u8; 4] = [
    attr::NAT_XLATE | attr::VIRTUAL,
    attr::VIRTUAL,
    attr::NAT_XLATE,
    0,
];

/// Frames that exercise a configuration: addresses from the pool, the group MAC mostly,
/// TM source MACs and TM VLANs sometimes, fragments, TCP and UDP, TTLs 0 to 255.
pub fn frame_for(cfg: &DataPlaneConfig) -> impl Strategy<Value = Vec<u8>> {
    flow_for(cfg).prop_map(|f| f.bytes())
}

/// [`frame_for`] as a [`Frame`], to derive more frames of the same flow from.
pub fn flow_for(cfg: &DataPlaneConfig) -> impl Strategy<Value = crate::frames::Frame> {
    let macs: Vec<u64> = cfg.tms.iter().map(|t| t.mac).collect();
    (
        pool_addr(),
        prop_oneof![pool_addr(), any::<u32>()],
        prop_oneof![Just(80u16), Just(443), any::<u16>()],
        any::<u16>(),
        prop_oneof![4 => Just(GROUP_MAC), 1 => Just(0x02_00_00_00_77_77u64), 1 => Just(0xFFFF_FFFF_FFFFu64)],
        prop_oneof![4 => Just(0x02_00_00_00_00_02u64), 1 => proptest::sample::select(macs)],
        prop_oneof![3 => Just(vec![]), 1 => (100u16..110).prop_map(|v| vec![(0x8100u16, v)])],
        prop_oneof![4 => Just(0u16), 1 => Just(0x2000u16), 1 => Just(0x0010u16)],
        any::<bool>(),
        // TTLs a router expires (0, 1) or forwards (2 and up)
        prop_oneof![6 => Just(64u8), 1 => 0u8..3, 1 => any::<u8>()],
    )
        .prop_map(|(s, d, dport, sport, dst_mac, src_mac, tags, frag, udp, hops)| {
            let mut f = tcp4(s, d, sport, dport);
            f.dst = dst_mac;
            f.src = src_mac;
            f.tags = tags;
            if let L3::V4 { frag: fr, proto, l4, ttl, .. } = &mut f.l3 {
                *fr = frag;
                *ttl = hops;
                if udp {
                    *proto = 17;
                    *l4 = L4::Udp { sport, dport };
                }
            }
            f
        })
}

/// Minimum frames back to back at line rate (20 idle cycles: preamble and gap), all to a TM.
pub fn line_rate_to_tms(n: usize) -> Vec<Vec<u8>> {
    use crate::frames::tcp4;
    let virt = 0xCB00_710A;
    (0..n)
        .map(|i| {
            tcp4(
                0x0A00_0000 | (i as u32 & 0xFFFF),
                virt,
                (1024 + i % 60_000) as u16,
                80,
            )
            .bytes()
        })
        .collect()
}

/// Every TM delivered the same way and one virtual address (203.0.113.10) that hashes.
pub fn all_hashed(
    delivery: flowdist_model::tables::Delivery,
) -> flowdist_model::tables::DataPlaneConfig {
    use flowdist_model::tables::attr;
    let mut cfg = base(vec![prefix(0xCB00_710A, 32, attr::VIRTUAL, None)]);
    for t in cfg.tms.iter_mut() {
        t.delivery = delivery;
    }
    cfg
}
