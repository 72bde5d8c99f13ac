//! The FIG. 6–10 decision (R2–R4) through Verilator against the model: every FIG. 9 cell,
//! every branch, the symmetry invariant of claims 1/12/20/33, generated configs and frames.
use flowdist_model::classifier::classify;
use flowdist_model::decision::{Decision, Kind};
use flowdist_model::tables::{attr, Action, ActionTable, DataPlaneConfig, Delivery, COLS, ROWS};
use flowdist_tests::classifier_harness::ClassifierSim;
use flowdist_tests::configs::{
    base, config_strategy, frame_for, prefix, COL_ATTRS, GROUP_MAC, ROW_ATTRS,
};
use flowdist_tests::frames::{tcp4, Frame, L3, L4};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const SRC0: u32 = 0x0A01_0000; // row r: 10.1.r.1
const DST0: u32 = 0x0A02_0000; // col c: 10.2.c.1

fn model_decisions(
    cfg: &DataPlaneConfig,
    ingress: u8,
    frames: &[Vec<u8>],
) -> Vec<Option<Decision>> {
    frames.iter().map(|f| classify(f, ingress, cfg).1).collect()
}

/// RTL and model agree on every frame; the model's decisions.
fn check(cfg: &DataPlaneConfig, ingress: u8, frames: &[Vec<u8>]) -> Vec<Option<Decision>> {
    let mut sim = ClassifierSim::new(cfg, ingress);
    if let Err(e) = sim.cross_check(frames, |_| 12) {
        panic!("{e}");
    }
    model_decisions(cfg, ingress, frames)
}

/// A CAM with one source address per FIG. 9 row and one destination per column; the
/// destinations of columns 0 and 2 (NAT translation addresses) are owned by TM 2.
fn fig9_config(actions: ActionTable) -> DataPlaneConfig {
    let mut cam = Vec::new();
    for r in 0..4 {
        cam.push(prefix(SRC0 | (r as u32) << 8 | 1, 32, ROW_ATTRS[r], None));
    }
    for c in 0..4 {
        let owner = (c == 0 || c == 2).then_some(2);
        cam.push(prefix(DST0 | (c as u32) << 8 | 1, 32, COL_ATTRS[c], owner));
    }
    let mut cfg = base(cam);
    cfg.actions = actions;
    cfg
}

fn cell_frame(r: usize, c: usize) -> Vec<u8> {
    tcp4(
        SRC0 | (r as u32) << 8 | 1,
        DST0 | (c as u32) << 8 | 1,
        40000 + r as u16,
        80 + c as u16,
    )
    .bytes()
}

#[test]
fn every_fig9_cell_default_table() {
    let cfg = fig9_config(ActionTable::default());
    let frames: Vec<Vec<u8>> = (0..16).map(|i| cell_frame(i / 4, i % 4)).collect();
    let got = check(&cfg, 0, &frames);
    for i in 0..16 {
        let (r, c) = (i / 4, i % 4);
        let d = got[i].unwrap_or_else(|| panic!("cell {}/{}: no decision", ROWS[r], COLS[c]));
        let action = cfg.actions.get(r, c);
        assert_eq!(
            d.cell,
            Some((r as u8, c as u8, action)),
            "cell {}/{}",
            ROWS[r],
            COLS[c]
        );
        let want_kind = match action {
            Action::GotoDst if c == 0 || c == 2 => Kind::ToTm,
            Action::GotoDst | Action::Route => Kind::Route,
            Action::HashSrc | Action::HashDst => Kind::ToTm,
        };
        assert_eq!(
            d.kind,
            want_kind,
            "cell {}/{} ({})",
            ROWS[r],
            COLS[c],
            action.name()
        );
        if action == Action::GotoDst && want_kind == Kind::ToTm {
            assert_eq!(
                d.tm, 2,
                "cell {}/{}: goto_dst delivers to the owner",
                ROWS[r], COLS[c]
            );
        }
    }
    // FIG. 10: both unknown → route; unknown source → hash on it (except towards a translation
    // address); known source → hash on an unknown destination
    assert_eq!(cfg.actions.get(3, 3), Action::Route);
    assert_eq!(cfg.actions.get(3, 1), Action::HashSrc);
    assert_eq!(cfg.actions.get(0, 3), Action::HashDst);
    assert_eq!(cfg.actions.get(2, 1), Action::HashSrc);
    assert_eq!(cfg.actions.get(1, 2), Action::GotoDst);
}

#[test]
fn every_fig9_cell_each_action() {
    // each action in every cell, by rotating a table through all four actions
    for k in 0..4u8 {
        let mut t = [[Action::Route; 4]; 4];
        for (r, row) in t.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                *cell = Action::from_code((r as u8 + c as u8 + k) % 4);
            }
        }
        let cfg = fig9_config(ActionTable(t));
        let frames: Vec<Vec<u8>> = (0..16).map(|i| cell_frame(i / 4, i % 4)).collect();
        let got = check(&cfg, 1, &frames);
        for i in 0..16 {
            let (r, c) = (i / 4, i % 4);
            let d = got[i].unwrap();
            assert_eq!(
                d.cell.map(|x| x.2),
                Some(t[r][c]),
                "cell {}/{} rotation {k}",
                ROWS[r],
                COLS[c]
            );
        }
    }
}

fn with_src_mac(mut f: Frame, mac: u64) -> Frame {
    f.src = mac;
    f
}

#[test]
fn every_fig6_branch() {
    let client = 0xC633_6401; // 198.51.100.1, unknown
    let virt = 0xCB00_710A; // 203.0.113.10, virtual
    let node = 0x0A00_0A01; // 10.0.10.1, natable node
    let own = 0x0A00_00FE; // the distributor's own address
    let tm_addr = 0x0A00_00F1; // TM 3's own address
    let cam = vec![
        prefix(virt, 32, attr::VIRTUAL, None),
        prefix(node, 24, attr::NATABLE | attr::NODE, None),
        prefix(own, 32, attr::OWN, None),
        prefix(tm_addr, 32, attr::TM_ADDRESS, Some(3)),
    ];
    let mut cfg = base(cam);
    cfg.tms[0].delivery = Delivery::Port(0);
    let c2v = tcp4(client, virt, 5555, 80);
    let mut tagged_from_tm1 = c2v.clone();
    tagged_from_tm1.tags = vec![(0x8100, 102)];
    let mut v6 = c2v.clone();
    v6.l3 = L3::V6 {
        src: 1,
        dst: 2,
        hop: 64,
        next: 6,
        l4: L4::Tcp {
            sport: 1,
            dport: 2,
            seq: 3,
            flags: 2,
        },
    };
    let mut bridged = c2v.clone();
    bridged.dst = 0x02_00_00_00_99_99;
    let cases: Vec<(&str, u8, Vec<u8>, Kind, Option<u8>)> = vec![
        (
            "outbound: source MAC of TM 2",
            1,
            with_src_mac(c2v.clone(), 0x02_00_00_00_0A_02).bytes(),
            Kind::Outbound,
            Some(2),
        ),
        (
            "outbound: TM 1's VLAN on the trunk",
            1,
            tagged_from_tm1.bytes(),
            Kind::Outbound,
            Some(1),
        ),
        (
            "outbound: TM 0's own port",
            0,
            c2v.bytes(),
            Kind::Outbound,
            Some(0),
        ),
        (
            "bridge: not to the group MAC",
            1,
            bridged.bytes(),
            Kind::Bridge,
            None,
        ),
        ("route: not IPv4", 1, v6.bytes(), Kind::Route, None),
        (
            "local: own address",
            1,
            tcp4(client, own, 1, 22).bytes(),
            Kind::Local,
            None,
        ),
        (
            "to TM: a TM's address",
            1,
            tcp4(client, tm_addr, 1, 22).bytes(),
            Kind::ToTm,
            Some(3),
        ),
        (
            "fig9 unknown→virtual: hash_src",
            1,
            c2v.bytes(),
            Kind::ToTm,
            None,
        ),
        (
            "fig9 node→unknown: hash_dst",
            1,
            tcp4(node, client, 80, 5555).bytes(),
            Kind::ToTm,
            None,
        ),
        (
            "fig9 unknown→unknown: route",
            1,
            tcp4(client, 0x0808_0808, 1, 53).bytes(),
            Kind::Route,
            None,
        ),
        (
            "fig9 node→virtual: hash_src",
            1,
            tcp4(node, virt, 1, 80).bytes(),
            Kind::ToTm,
            None,
        ),
    ];
    let frames: Vec<Vec<u8>> = cases.iter().map(|c| c.2.clone()).collect();
    for ingress in [0u8, 1] {
        let sel: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].1 == ingress)
            .collect();
        let fs: Vec<Vec<u8>> = sel.iter().map(|&i| frames[i].clone()).collect();
        let got = check(&cfg, ingress, &fs);
        for (k, &i) in sel.iter().enumerate() {
            let d = got[k].unwrap();
            assert_eq!(d.kind, cases[i].3, "{}", cases[i].0);
            if let Some(tm) = cases[i].4 {
                assert_eq!(d.tm, tm, "{}", cases[i].0);
            }
        }
    }
    // TM down: its buckets go to the backup at once; all down: no TM
    let mut down = cfg.clone();
    let d = classify(&c2v.bytes(), 1, &cfg).1.unwrap();
    down.tms[d.tm as usize].up = false;
    let got = check(&down, 1, &[c2v.bytes()]);
    let d2 = got[0].unwrap();
    assert!(
        d2.backup && d2.tm != d.tm && d2.kind == Kind::ToTm,
        "{d2:?}"
    );
    for t in down.tms.iter_mut() {
        t.up = false;
    }
    assert_eq!(check(&down, 1, &[c2v.bytes()])[0].unwrap().kind, Kind::NoTm);
    // malformed: no decision
    let mut bad = c2v.bytes();
    bad[30] ^= 1;
    assert_eq!(check(&cfg, 1, &[bad])[0], None);
}

/// Claims 1/12/20/33: client→server hashed on the client as source and server→client hashed
/// on the client as destination reach the same TM, for generated clients, servers and configs.
#[test]
fn symmetry_client_server() {
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    runner
        .run(
            &(
                config_strategy(),
                proptest::collection::vec((any::<u32>(), any::<u16>()), 1..40),
                any::<bool>(),
            ),
            |(mut cfg, clients, vlan)| {
                let virt = 0xCB00_710A;
                let node = 0x0A00_0A01;
                cfg.cam = vec![
                    prefix(virt, 32, attr::VIRTUAL, None),
                    prefix(node, 32, attr::NATABLE | attr::NODE, None),
                ];
                cfg.actions = ActionTable::default();
                cfg.hash.use_vlan = vlan;
                // nobody is a TM by port or MAC here
                for t in cfg.tms.iter_mut() {
                    if let Delivery::Port(_) = t.delivery {
                        t.delivery = Delivery::Mac;
                    }
                }
                let mut frames = Vec::new();
                for &(c, p) in &clients {
                    let c = c | 0x0100_0000; // never the virtual or node address
                    frames.push(tcp4(c, virt, p, 80).bytes());
                    frames.push(tcp4(node, c, 80, p).bytes());
                }
                let mut sim = ClassifierSim::new(&cfg, 0);
                let got = sim
                    .cross_check(&frames, |_| 12)
                    .map_err(TestCaseError::fail)?;
                for pair in got.chunks(2) {
                    prop_assert_eq!(pair[0].kind, pair[1].kind);
                    prop_assert_eq!(
                        pair[0].tm,
                        pair[1].tm,
                        "request {:?} response {:?}",
                        pair[0],
                        pair[1]
                    );
                    prop_assert_eq!(pair[0].cell.map(|c| c.2), Some(Action::HashSrc));
                    prop_assert_eq!(pair[1].cell.map(|c| c.2), Some(Action::HashDst));
                }
                Ok(())
            },
        )
        .unwrap();
}

/// Generated configurations (CAM contents, FIG. 9 table, TMs up and down, hash options) and
/// frames: RTL and model decide the same for every frame.
#[test]
fn generated_configs_and_frames_match() {
    let mut runner = TestRunner::new(Config {
        cases: 40,
        ..Config::default()
    });
    let strat = (config_strategy(), 0u8..2).prop_flat_map(|(cfg, ingress)| {
        // malformed frames among them: they get no decision and must not disturb one
        let fs = proptest::collection::vec(
            prop_oneof![6 => frame_for(&cfg), 1 => flowdist_tests::frames::wire_frame_strategy()],
            1..60,
        );
        (Just(cfg), Just(ingress), fs)
    });
    runner
        .run(&strat, |(cfg, ingress, frames)| {
            let mut sim = ClassifierSim::new(&cfg, ingress);
            sim.cross_check(&frames, |i| 12 + i % 7)
                .map_err(TestCaseError::fail)?;
            Ok(())
        })
        .unwrap();
}

/// Delivery plans (R5, R6) for the three delivery kinds and the outbound path.
#[test]
fn delivery_plans() {
    use flowdist_model::frame_editor::TagOp;
    let client = 0xC633_6401;
    let virt = 0xCB00_710A;
    let mut cfg = base(vec![prefix(virt, 32, attr::VIRTUAL, None)]);
    // one TM of each delivery kind (TM 0 on port 1 as its own port; TM 3 keeps VLAN 104)
    cfg.tms[0].delivery = Delivery::Port(1);
    cfg.tms[1].delivery = Delivery::Mac;
    let req = tcp4(client, virt, 5555, 80);
    let (_, d) = classify(&req.bytes(), 0, &cfg);
    let d = d.unwrap();
    assert_eq!(d.kind, Kind::ToTm);
    // each TM alone up, the same request: see how it is delivered
    for (t, want_port, want_tag, want_dst) in [
        (0usize, 1u8, TagOp::Keep, None),
        (1, 1, TagOp::Keep, Some(0x02_00_00_00_0A_01u64)),
        (2, 1, TagOp::Push(103), None),
    ] {
        let mut c = cfg.clone();
        for b in c.buckets.iter_mut() {
            b.primary = t as u8;
        }
        let mut sim = ClassifierSim::new(&c, 0);
        let got = sim
            .cross_check_plans(&[req.bytes()], |_| 12)
            .unwrap_or_else(|e| panic!("{e}"));
        let (d, p) = got[0];
        assert_eq!((d.kind, d.tm), (Kind::ToTm, t as u8));
        assert_eq!(
            (p.drop, p.port, p.edits.tag, p.edits.dst_mac),
            (false, want_port, want_tag, want_dst),
            "TM {t}"
        );
    }
    // a tagged request to the VLAN TM: its VLAN id is set, not a second tag pushed
    let mut tagged = req.clone();
    tagged.tags = vec![(0x8100, 0x2005)];
    let mut c = cfg.clone();
    for b in c.buckets.iter_mut() {
        b.primary = 3;
    }
    let (_, p) = ClassifierSim::new(&c, 0)
        .cross_check_plans(&[tagged.bytes()], |_| 12)
        .unwrap()[0];
    assert_eq!(p.edits.tag, TagOp::SetVid(104));
    // outbound from TM 2 on its VLAN: tag popped, source MAC set to the group MAC
    let mut from_tm = tcp4(virt, client, 80, 5555);
    from_tm.tags = vec![(0x8100, 103)];
    from_tm.src = 0x02_00_00_00_0B_0B;
    let plain = base(vec![prefix(virt, 32, attr::VIRTUAL, None)]);
    let (d, p) = ClassifierSim::new(&plain, 1)
        .cross_check_plans(&[from_tm.bytes()], |_| 12)
        .unwrap()[0];
    assert_eq!((d.kind, d.tm), (Kind::Outbound, 2));
    assert_eq!(
        (p.port, p.edits.tag, p.edits.src_mac),
        (0, TagOp::Pop, Some(GROUP_MAC))
    );
}

/// IP-in-IP delivery (R5): to the TM's MAC from the group MAC, on the trunk port, the outer
/// header from the tunnel source to the TM's tunnel address, inserted after the tags.
#[test]
fn delivery_plan_ipip() {
    use flowdist_model::frame_editor::{Encap, TagOp};
    let client = 0xC633_6401;
    let virt = 0xCB00_710A;
    let mut cfg = base(vec![prefix(virt, 32, attr::VIRTUAL, None)]);
    cfg.tms[2].delivery = Delivery::IpInIp(0xC000_020A);
    for b in cfg.buckets.iter_mut() {
        b.primary = 2;
    }
    for tags in 0..3u16 {
        let mut req = tcp4(client, virt, 5555, 80);
        req.tags = (0..tags).map(|t| (0x8100, 20 + t)).collect();
        let (h, _) = classify(&req.bytes(), 0, &cfg);
        let (d, p) = ClassifierSim::new(&cfg, 0)
            .cross_check_plans(&[req.bytes()], |_| 12)
            .unwrap_or_else(|e| panic!("{e}"))[0];
        assert_eq!((d.kind, d.tm), (Kind::ToTm, 2));
        assert_eq!(
            (
                p.drop,
                p.port,
                p.edits.dst_mac,
                p.edits.src_mac,
                p.edits.tag
            ),
            (false, 1, Some(cfg.tms[2].mac), Some(GROUP_MAC), TagOp::Keep)
        );
        assert_eq!(
            p.edits.encap,
            Some(Encap {
                at: 14 + 4 * tags as usize,
                src: flowdist_tests::configs::TUNNEL_SRC,
                dst: 0xC000_020A,
                inner_len: h.ip_len,
            }),
            "{tags} tags"
        );
    }
}

/// ARP (R7): requests for the distributor's own and virtual addresses (also a virtual address
/// configured for one port only) are answered (kind
/// `arp_reply`, back out of the port they came in on, to the asker, from the group MAC);
/// requests for a TM's or an unknown address, gratuitous requests and replies are not.
/// Through 0, 1 and 2 tags, on both ingress ports.
#[test]
fn arp_requests_answered() {
    let own = 0xC000_0201; // 192.0.2.1
    let virt = 0xCB00_710A; // 203.0.113.10
    let tm_addr = 0x0A00_0005;
    // the virtual address configured per port (as for a web service on 80 only): ARP asks
    // for the address, so the port qualifier must not hide it
    let mut vip80 = prefix(virt, 32, attr::VIRTUAL, None);
    vip80.port = Some(80);
    let cfg = base(vec![
        prefix(own, 32, attr::OWN, None),
        vip80,
        prefix(tm_addr, 32, attr::TM_ADDRESS, Some(1)),
    ]);
    let asker = 0x02_00_00_00_0B_01u64;
    let arp = |oper: u16, spa: u32, tpa: u32, tags: u16| {
        let mut f = tcp4(0, 0, 0, 0);
        f.dst = 0xFFFF_FFFF_FFFF;
        f.src = asker;
        f.tags = (0..tags).map(|t| (0x8100, 30 + t)).collect();
        f.l3 = L3::Arp {
            oper,
            sha: asker,
            spa,
            tha: 0,
            tpa,
        };
        f.bytes()
    };
    for ingress in 0..2u8 {
        let mut frames = Vec::new();
        let mut want = Vec::new();
        for tags in 0..3u16 {
            for (oper, spa, tpa, answered) in [
                (1, 0x0A01_0101, own, true),
                (1, 0x0A01_0101, virt, true),
                (1, 0, virt, true), // an RFC 5227 probe: answered (defends the address)
                (1, 0x0A01_0101, tm_addr, false),
                (1, 0x0A01_0101, 0x0A09_0909, false),
                (1, virt, virt, false), // gratuitous
                (2, 0x0A01_0101, virt, false),
            ] {
                frames.push(arp(oper, spa, tpa, tags));
                want.push(answered);
            }
        }
        let got = ClassifierSim::new(&cfg, ingress)
            .cross_check_plans(&frames, |_| 12)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.len(), frames.len());
        for (i, ((d, p), answered)) in got.iter().zip(&want).enumerate() {
            assert_eq!(d.kind == Kind::ArpReply, *answered, "frame {i}: {d:?}");
            if *answered {
                assert_eq!((p.drop, p.port), (false, ingress));
                assert_eq!(p.edits.dst_mac, Some(asker));
                assert_eq!(p.edits.src_mac, Some(GROUP_MAC));
            }
        }
    }
}
