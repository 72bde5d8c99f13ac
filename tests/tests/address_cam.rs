//! AddressCam (R2) through Verilator against the model: generated tables and lookups.
use flowdist_model::address_cam::{lookup, CamKey};
use flowdist_model::tables::{attr, CamEntry, CamMatch};
use flowdist_sim::{Dut, Sim};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const ENTRIES: usize = 64;
const INPUTS: [&str; 13] = [
    "cfg_we",
    "cfg_addr",
    "cfg_data",
    "start",
    "src_addr",
    "dst_addr",
    "src_port",
    "dst_port",
    "ports_valid",
    "vlan",
    "vlan_valid",
    "ingress",
    "reset",
];
const OUTPUTS: [&str; 8] = [
    "src_matched",
    "src_attrs",
    "src_owner_en",
    "src_owner",
    "dst_matched",
    "dst_attrs",
    "dst_owner_en",
    "dst_owner",
];

/// One lookup: (src key, dst key) sharing VLAN and ingress port.
#[derive(Clone, Debug)]
struct Lookup {
    src: u32,
    dst: u32,
    ports: Option<(u16, u16)>,
    vlan: Option<u16>,
    ingress: u8,
}

fn row(we: bool, addr: u64, data: u64, start: bool, l: Option<&Lookup>) -> [u64; 13] {
    let (s, d, sp, dp, pv, v, vv, ing) = match l {
        Some(l) => {
            let (sp, dp) = l.ports.unwrap_or((0, 0));
            (
                l.src,
                l.dst,
                sp,
                dp,
                l.ports.is_some(),
                l.vlan.unwrap_or(0),
                l.vlan.is_some(),
                l.ingress,
            )
        }
        None => (0, 0, 0, 0, false, 0, false, 0),
    };
    [
        we as u64,
        addr,
        data,
        start as u64,
        s as u64,
        d as u64,
        sp as u64,
        dp as u64,
        pv as u64,
        v as u64,
        vv as u64,
        ing as u64,
        0,
    ]
}

/// Load the table, run the lookups one after another; the RTL's results in order.
fn rtl(entries: &[CamEntry], lookups: &[Lookup]) -> Vec<(CamMatch, CamMatch)> {
    let mut sim = Sim::new(Dut::AddressCam);
    sim.reset(2).unwrap();
    let mut stim: Vec<u64> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        for (w, word) in e.words().iter().enumerate() {
            stim.extend_from_slice(&row(true, (i * 4 + w) as u64, *word as u64, false, None));
        }
    }
    for l in lookups {
        stim.extend_from_slice(&row(false, 0, 0, true, Some(l)));
        for _ in 0..40 {
            stim.extend_from_slice(&row(false, 0, 0, false, None));
        }
    }
    let cycles = stim.len() / INPUTS.len();
    let recs = sim
        .run(&INPUTS, &stim, cycles, Some("done"), &OUTPUTS)
        .unwrap();
    recs.iter()
        .map(|r| {
            let side = |o: usize| CamMatch {
                matched: r[o] != 0,
                attrs: r[o + 1] as u8,
                owner: if r[o + 2] != 0 {
                    Some(r[o + 3] as u8)
                } else {
                    None
                },
            };
            (side(0), side(4))
        })
        .collect()
}

fn model(entries: &[CamEntry], l: &Lookup) -> (CamMatch, CamMatch) {
    let k = |a: u32, p: Option<u16>| CamKey {
        addr: a,
        port: p,
        vlan: l.vlan,
        ingress: l.ingress,
        any_port: false,
    };
    (
        lookup(entries, &k(l.src, l.ports.map(|p| p.0))),
        lookup(entries, &k(l.dst, l.ports.map(|p| p.1))),
    )
}

fn entry_strategy() -> impl Strategy<Value = CamEntry> {
    (
        any::<bool>(),
        0u32..8,
        prop_oneof![Just(32u32), Just(24), Just(16), Just(8), Just(0), 0u32..=32],
        proptest::option::weighted(0.3, 0u16..4),
        proptest::option::weighted(0.3, 0u16..3),
        proptest::option::weighted(0.3, 0u8..2),
        0u8..64,
        proptest::option::weighted(0.6, 0u8..16),
        any::<u8>(),
    )
        .prop_map(
            |(valid, host, plen, port, vlan, ingress, attrs, owner, net)| CamEntry {
                valid: valid || plen > 0,
                value: 0x0A00_0000 | (net as u32 % 4) << 8 | host,
                mask: if plen == 0 {
                    0
                } else {
                    u32::MAX << (32 - plen)
                },
                port: port.map(|p| 80 + p),
                vlan: vlan.map(|v| 100 + v),
                ingress,
                attrs,
                owner,
            },
        )
}

fn lookup_strategy() -> impl Strategy<Value = Lookup> {
    let addr = (0u32..4, 0u32..8).prop_map(|(n, h)| 0x0A00_0000 | n << 8 | h);
    (
        addr.clone(),
        prop_oneof![addr, any::<u32>()],
        proptest::option::of((78u16..84, 78u16..84)),
        proptest::option::of(99u16..104),
        0u8..2,
    )
        .prop_map(|(src, dst, ports, vlan, ingress)| Lookup {
            src,
            dst,
            ports,
            vlan,
            ingress,
        })
}

#[test]
fn generated_tables_and_lookups_match_model() {
    let mut runner = TestRunner::new(Config {
        cases: 48,
        ..Config::default()
    });
    runner
        .run(
            &(
                proptest::collection::vec(entry_strategy(), 0..=ENTRIES),
                proptest::collection::vec(lookup_strategy(), 1..60),
            ),
            |(entries, lookups)| {
                let got = rtl(&entries, &lookups);
                prop_assert_eq!(got.len(), lookups.len());
                for (i, l) in lookups.iter().enumerate() {
                    prop_assert_eq!(got[i], model(&entries, l), "lookup {} {:?}", i, l);
                }
                Ok(())
            },
        )
        .unwrap();
}

/// Hand-made: attributes OR-ed over all matches, owner of the first match, qualifiers.
#[test]
fn or_of_attributes_and_first_owner() {
    let e = |value: u32, plen: u32, attrs: u8, owner: Option<u8>| CamEntry {
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
    };
    let mut with_port = e(0xCB00_710A, 32, attr::VIRTUAL, Some(3));
    with_port.port = Some(80);
    let entries = vec![
        with_port,
        e(0xC0A8_0100, 24, attr::NODE, Some(7)),
        e(0xC0A8_0000, 16, attr::NATABLE, Some(9)),
        e(0x0A00_0000, 8, attr::NAT_XLATE, None),
    ];
    let l = |src: u32, dst: u32, ports: Option<(u16, u16)>| Lookup {
        src,
        dst,
        ports,
        vlan: None,
        ingress: 0,
    };
    let lookups = vec![
        l(0xC0A8_0105, 0xCB00_710A, Some((5555, 80))), // node+natable (owner 7) → virtual:80 (owner 3)
        l(0xC0A8_0205, 0xCB00_710A, Some((5555, 81))), // natable only (owner 9) → no match (port 81)
        l(0x0A01_0203, 0x0808_0808, None),             // nat_xlate, no owner → unknown
    ];
    let want = [
        (
            CamMatch {
                matched: true,
                attrs: attr::NODE | attr::NATABLE,
                owner: Some(7),
            },
            CamMatch {
                matched: true,
                attrs: attr::VIRTUAL,
                owner: Some(3),
            },
        ),
        (
            CamMatch {
                matched: true,
                attrs: attr::NATABLE,
                owner: Some(9),
            },
            CamMatch::default(),
        ),
        (
            CamMatch {
                matched: true,
                attrs: attr::NAT_XLATE,
                owner: None,
            },
            CamMatch::default(),
        ),
    ];
    let got = rtl(&entries, &lookups);
    for i in 0..3 {
        assert_eq!(model(&entries, &lookups[i]), want[i], "model, lookup {i}");
        assert_eq!(got[i], want[i], "rtl, lookup {i}");
    }
}
