//! The router (R8) through Verilator against the model: longest-prefix match in the route
//! table, next-hop MAC, port and VLAN, TTL one less with the header checksum updated
//! incrementally (RFC 1624, its 0x0000 corner included), TTL expiry dropped and counted;
//! every routed frame read back by an independent parser (etherparse: header checksum
//! recomputed in full) and its FCS recomputed here.
use etherparse::{Ipv4HeaderSlice, LinkSlice, SlicedPacket, VlanSlice};
use flowdist_model::classifier::classify;
use flowdist_model::decision::Kind;
use flowdist_model::event_counters::{address, Counter};
use flowdist_model::route_table::{Route, ROUTE_BASE};
use flowdist_model::tables::DataPlaneConfig;
use flowdist_sim::Dut;
use flowdist_tests::classifier_harness::ClassifierSim;
use flowdist_tests::configs::{base, config_strategy, flow_for, route, GROUP_MAC};
use flowdist_tests::frames::{tcp4, Frame, L3, L4};
use flowdist_tests::prop::check_cases;
use flowdist_tests::switch_harness::{SwitchSim, CORE_HALF_PS};
use proptest::prelude::*;
use std::cell::Cell;

const HOP_A: u64 = 0x02_00_00_00_00_AA;
const HOP_B: u64 = 0x02_00_00_00_00_BB;
const HOP_C: u64 = 0x02_00_00_00_00_CC;
const HOST: u64 = 0x02_00_00_00_00_02;

/// 198.51.100.0/24 → A on port 0 VLAN 7; 198.51.0.0/16 → B on port 1 untagged; default → C on
/// port 1 VLAN 200 (most specific first, as the control plane stores them). No CAM entries:
/// every IPv4 frame to the group MAC is FIG. 9's both-unknown cell, routed.
fn router_config() -> DataPlaneConfig {
    let mut cfg = base(Vec::new());
    cfg.routes = vec![
        Route::to_prefix(0xC633_6400, 24, HOP_A, 0, Some(7)),
        Route::to_prefix(0xC633_0000, 16, HOP_B, 1, None),
        Route::to_prefix(0, 0, HOP_C, 1, Some(200)),
    ];
    cfg
}

/// A TCP frame to the group MAC, `ident` naming it.
fn to_router(dst: u32, ttl: u8, tags: &[u16], ident: u16) -> Frame {
    let mut f = tcp4(0x0A00_0001, dst, 40000, 80);
    f.dst = GROUP_MAC;
    f.src = HOST;
    f.tags = tags.iter().map(|&v| (0x8100, v)).collect();
    if let L3::V4 {
        ttl: t, ident: i, ..
    } = &mut f.l3
    {
        *t = ttl;
        *i = ident;
    }
    f
}

fn set_options(f: &mut Frame, opts: &[u8]) {
    if let L3::V4 { options, .. } = &mut f.l3 {
        *options = opts.to_vec();
    }
}

/// CRC-32 (IEEE 802.3), bit by bit, written here independently of the model's.
fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// What a routed frame looks like on the wire, read by etherparse.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    dst: u64,
    src: u64,
    vlan: Option<u16>,
    ttl: u8,
    ident: u16,
}

fn mac(b: [u8; 6]) -> u64 {
    b.iter().fold(0, |a, &x| a << 8 | u64::from(x))
}

/// Parses an output frame (FCS included): FCS and header checksum verified, fields returned.
fn read_routed(frame: &[u8]) -> Result<Seen, String> {
    let (body, fcs) = frame.split_at(frame.len() - 4);
    if crc32(body).to_le_bytes() != fcs {
        return Err("bad FCS".into());
    }
    let p = SlicedPacket::from_ethernet(body).map_err(|e| format!("{e:?}"))?;
    let Some(LinkSlice::Ethernet2(eth)) = &p.link else {
        return Err("not Ethernet II".into());
    };
    let vlan = match &p.vlan {
        None => None,
        Some(VlanSlice::SingleVlan(v)) => Some(v.vlan_identifier().value()),
        Some(VlanSlice::DoubleVlan(_)) => return Err("two tags out".into()),
    };
    let at = 14 + 4 * usize::from(vlan.is_some());
    let h = Ipv4HeaderSlice::from_slice(&body[at..]).map_err(|e| format!("{e:?}"))?;
    let full = h.to_header().calc_header_checksum();
    if h.header_checksum() != full {
        return Err(format!(
            "header checksum {:#06x}, recomputed {full:#06x}",
            h.header_checksum()
        ));
    }
    Ok(Seen {
        dst: mac(eth.destination()),
        src: mac(eth.source()),
        vlan,
        ttl: h.ttl(),
        ident: h.identification(),
    })
}

/// The ident that makes `f`'s header checksum `want` before (`after` false) or after the TTL
/// decrement, found by search (recomputed with etherparse).
fn ident_for_checksum(f: &Frame, want: u16, after: bool) -> u16 {
    (0..=u16::MAX)
        .find(|&i| {
            let mut g = f.clone();
            if let L3::V4 { ident, .. } = &mut g.l3 {
                *ident = i;
            }
            let b = g.payload_bytes();
            let mut h = Ipv4HeaderSlice::from_slice(&b[14 + 4 * g.tags.len()..])
                .unwrap()
                .to_header();
            if after {
                h.time_to_live -= 1;
            }
            h.calc_header_checksum() == want
        })
        .expect("some ident gives every checksum")
}

#[test]
fn routed_frames_known_answers() {
    let cfg = router_config();
    // (frame, expected: None = dropped for its TTL, Some(port, next hop, VLAN))
    let mut cases: Vec<(Frame, Option<(u8, u64, Option<u16>)>)> = vec![
        (
            to_router(0xC633_6409, 64, &[], 1),
            Some((0, HOP_A, Some(7))),
        ),
        (to_router(0xC633_0707, 2, &[5], 2), Some((1, HOP_B, None))),
        (
            to_router(0x0808_0808, 255, &[5], 3),
            Some((1, HOP_C, Some(200))),
        ),
        (to_router(0x0808_0808, 1, &[], 4), None),
        (to_router(0xC633_6401, 0, &[9], 5), None),
        (
            to_router(0xC633_64FF, 30, &[], 6),
            Some((0, HOP_A, Some(7))),
        ),
        (
            to_router(0xC633_FF01, 128, &[300], 7),
            Some((1, HOP_B, None)),
        ),
    ];
    // header options move nothing: the TTL and checksum stay at L3 + 8 and + 10
    set_options(&mut cases[5].0, &[0x94, 0x04, 0, 0, 1, 1, 1, 0]);
    // UDP
    let mut udp = to_router(0x0102_0304, 9, &[], 8);
    if let L3::V4 { proto, l4, .. } = &mut udp.l3 {
        *proto = 17;
        *l4 = L4::Udp {
            sport: 53,
            dport: 5353,
        };
    }
    cases.push((udp, Some((1, HOP_C, Some(200)))));
    // RFC 1624's corners: a checksum of 0x0000 in, and one that must come out 0x0000
    let mut zero_in = to_router(0xC633_6402, 17, &[], 0);
    let i = ident_for_checksum(&zero_in, 0x0000, false);
    if let L3::V4 { ident, .. } = &mut zero_in.l3 {
        *ident = i;
    }
    let mut zero_out = to_router(0xC633_0102, 200, &[12], 0);
    let j = ident_for_checksum(&zero_out, 0x0000, true);
    if let L3::V4 { ident, .. } = &mut zero_out.l3 {
        *ident = j;
    }
    assert_eq!(&zero_in.payload_bytes()[24..26], &[0, 0]);
    cases.push((zero_in, Some((0, HOP_A, Some(7)))));
    cases.push((zero_out, Some((1, HOP_B, None))));

    // the same frames into both ports (routes do not depend on the ingress port); between
    // them, frames the router must leave alone: not to the group MAC (bridged), not IPv4
    let mut port_frames: [Vec<Vec<u8>>; 2] = [Vec::new(), Vec::new()];
    let mut bridged = to_router(0xC633_6409, 64, &[], 0xB0);
    bridged.dst = 0x02_00_00_00_99_99;
    let mut v6 = bridged.clone();
    v6.dst = GROUP_MAC;
    v6.l3 = L3::V6 {
        src: 1,
        dst: 2,
        hop: 64,
        next: 17,
        l4: L4::Udp { sport: 1, dport: 2 },
    };
    for p in port_frames.iter_mut() {
        p.extend(cases.iter().map(|(f, _)| f.bytes()));
        p.push(bridged.bytes());
        p.push(v6.bytes());
    }
    let mut s = SwitchSim::of(Dut::SwitchCore, &cfg);
    let (_, w) = s
        .check(
            [&port_frames[0], &port_frames[1]],
            [CORE_HALF_PS, CORE_HALF_PS + 1],
            |_| 12,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((w.overruns, w.egress_drops), ([0, 0], [0, 0]));

    // what went out, read back independently (RTL == model frame by frame: checked above)
    for ingress in 0..2u8 {
        let out = flowdist_model::ingress_port::ingress_outputs(
            &port_frames[usize::from(ingress)],
            ingress,
            &cfg,
        );
        let routed: Vec<&(u8, Vec<u8>)> = out
            .iter()
            .filter(|(_, f)| mac(f[0..6].try_into().unwrap()) != 0x02_00_00_00_99_99)
            .filter(|(_, f)| f[12..14] != [0x86, 0xDD] && f[16..18] != [0x86, 0xDD])
            .collect();
        let want: Vec<_> = cases.iter().filter(|(_, e)| e.is_some()).collect();
        assert_eq!(routed.len(), want.len(), "port {ingress}: routed frames");
        for ((port, frame), (sent, e)) in routed.iter().zip(&want) {
            let (want_port, hop, vlan) = e.unwrap();
            let seen = read_routed(frame).unwrap_or_else(|e| panic!("{e}: {frame:02x?}"));
            let L3::V4 { ttl, ident, .. } = sent.l3 else {
                unreachable!()
            };
            assert_eq!(*port, want_port, "ident {ident}");
            assert_eq!(
                seen,
                Seen {
                    dst: hop,
                    src: GROUP_MAC,
                    vlan,
                    ttl: ttl - 1,
                    ident
                }
            );
        }
        // the bridged and the IPv6 frame: unchanged, to the other port
        let left: Vec<_> = out.iter().filter(|o| !routed.contains(o)).collect();
        assert_eq!(left.len(), 2);
        for (p, f) in &left {
            assert_eq!(*p, ingress ^ 1);
            assert!(port_frames[usize::from(ingress)].contains(f));
        }
    }
    // counters: routed and expired per ingress port (also compared with the model's in check)
    let c = s.read_counters();
    let n_routed = cases.iter().filter(|(_, e)| e.is_some()).count() as u64;
    for p in 0..2 {
        assert_eq!(
            c[address(p, Counter::Routed(p))],
            n_routed,
            "port {p} routed"
        );
        assert_eq!(
            c[address(p, Counter::TtlExpired(p))],
            2,
            "port {p} ttl_expired"
        );
    }

    // a route rewritten while running (word 3 commits it): /24 now to B, untagged, port 1
    let mut cfg2 = cfg.clone();
    cfg2.routes[0] = Route::to_prefix(0xC633_6400, 24, HOP_B, 1, None);
    let writes: Vec<(u16, u32)> = cfg2.routes[0]
        .words()
        .iter()
        .enumerate()
        .map(|(w, &d)| (ROUTE_BASE + w as u16, d))
        .collect();
    s.write_bus(&writes, &cfg2);
    let again = vec![to_router(0xC633_6409, 64, &[], 9).bytes()];
    s.check([&again, &[]], [CORE_HALF_PS, CORE_HALF_PS], |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = flowdist_model::ingress_port::ingress_outputs(&again, 0, &cfg2);
    assert_eq!(out[0].0, 1);
    assert_eq!(read_routed(&out[0].1).unwrap().dst, HOP_B);
}

/// Generated route tables (0–16 entries, some invalid, default routes, both ports, tagged
/// or not) and frames into them with every TTL: decisions and delivery plans agree; the
/// cases between them route frames, expire TTLs and miss.
#[test]
fn generated_route_tables_match() {
    let strat = (
        config_strategy(),
        proptest::collection::vec(route(), 1..=16),
        0u8..2,
        any::<bool>(),
    )
        .prop_flat_map(|(mut cfg, routes, ingress, no_cam)| {
            cfg.routes = routes;
            if no_cam {
                // every IPv4 frame to the group MAC is then FIG. 9's both-unknown cell
                cfg.cam.clear();
            }
            let fs = proptest::collection::vec(
                (flow_for(&cfg), prop_oneof![Just(64u8), 0u8..3, any::<u8>()]).prop_map(
                    |(mut f, hops)| {
                        f.dst = GROUP_MAC;
                        if let L3::V4 { ttl, .. } = &mut f.l3 {
                            *ttl = hops;
                        }
                        f.bytes()
                    },
                ),
                1..40,
            );
            (Just(cfg), Just(ingress), fs)
        });
    let seen = Cell::new([0usize; 3]);
    check_cases(60, strat, |(cfg, ingress, frames)| {
        let mut sim = ClassifierSim::new(&cfg, ingress);
        let got = sim.cross_check_plans(&frames, |i| 12 + i % 5)?;
        let mut n = seen.get();
        for (d, _) in &got {
            if d.kind == Kind::Route {
                n[usize::from(d.route.is_some()) + usize::from(d.ttl_expired)] += 1;
            }
        }
        seen.set(n);
        Ok(())
    });
    let [missed, routed, expired] = seen.get();
    eprintln!("routed {routed}, expired {expired}, no route {missed}");
    assert!(routed > 20 && expired > 5 && missed > 5, "{:?}", seen.get());
}

/// The model routes what the route table says, whatever else the configuration holds: a
/// frame that FIG. 9 routes to an address some route covers gets the first such route.
#[test]
fn first_matching_route_wins() {
    let mut cfg = router_config();
    cfg.routes.insert(
        0,
        Route {
            valid: false,
            ..Route::to_prefix(0xC633_6409, 32, 1, 0, None)
        },
    );
    for (dst, want) in [(0xC633_6409u32, 1u8), (0xC633_0001, 2), (0x0A00_0001, 3)] {
        let f = to_router(dst, 64, &[], 1).bytes();
        let (_, d) = classify(&f, 0, &cfg);
        assert_eq!(d.unwrap().route, Some(want), "{dst:#x}");
    }
    let got = ClassifierSim::new(&cfg, 0)
        .cross_check(&[to_router(0xC633_6409, 64, &[], 1).bytes()], |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got[0].route, Some(1));
}
