//! The connection table in the data path (R9): one `ConnTable` shared by both ingress
//! pipelines through `ConnArbiter`, inside `SwitchCore`, through Verilator against the model.
//!
//! Every run is checked whole: the frames out of both ports byte for byte, the 128 counters,
//! and every one of the table's 1024 slots read back at the end; each table operation the
//! hardware reports (`ct_op_*`) is replayed on the model's table in the hardware's order and
//! its result checked (`flowdist_model::conn_arbiter::replay`).
use flowdist_model::conn_arbiter::{ConnEvent, ConnSettings, Source};
use flowdist_model::conn_table::MAX_TIMEOUT;
use flowdist_model::decision::Kind;
use flowdist_model::egress_port::frames_on_wire;
use flowdist_model::event_counters::Counter;
use flowdist_model::tables::{Bucket, Delivery};
use flowdist_sim::Dut;
use flowdist_tests::configs::{all_hashed, config_strategy, flow_for};
use flowdist_tests::frames::{tcp4, Frame, L3, L4};
use flowdist_tests::prop::check_cases;
use flowdist_tests::switch_harness::{SwitchSim, CORE_HALF_PS};
use proptest::prelude::*;
use std::cell::Cell;

/// The other direction of a frame's flow: addresses and ports swapped.
fn reversed(f: &Frame) -> Frame {
    let mut r = f.clone();
    if let L3::V4 { src, dst, l4, .. } = &mut r.l3 {
        std::mem::swap(src, dst);
        match l4 {
            L4::Tcp { sport, dport, .. } | L4::Udp { sport, dport } => std::mem::swap(sport, dport),
            L4::Other => {}
        }
    }
    r
}

/// `n` TCP flows to the virtual address of `all_hashed` (203.0.113.10), one per client
/// `client0 + i` from port `sport0 + i`, addressed to the group MAC.
fn vip_flows(n: u32, client0: u32, sport0: u16, dport: u16) -> Vec<Vec<u8>> {
    let group = all_hashed(Delivery::Mac).group_mac;
    (0..n)
        .map(|i| {
            let mut f = tcp4(
                client0 + i,
                0xCB00_710A,
                sport0.wrapping_add(i as u16),
                dport,
            );
            f.dst = group;
            f.bytes()
        })
        .collect()
}

/// Table settings with lookups and learning on, no epochs passing.
fn learning() -> ConnSettings {
    ConnSettings {
        enable: true,
        learn: true,
        timeout: 255,
        epoch_cycles: 0,
    }
}

/// Learning on, the longest timeout, an epoch every `cycles` core cycles.
fn epochs_every(cycles: u32) -> ConnSettings {
    ConnSettings {
        enable: true,
        learn: true,
        timeout: MAX_TIMEOUT,
        epoch_cycles: cycles,
    }
}

/// Epoch ticks in a run's events.
fn ticks(events: &[ConnEvent]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, ConnEvent::Tick))
        .count()
}

/// Lookups that hit and learns that inserted, in a run's events.
fn hits_and_learns(events: &[ConnEvent]) -> (usize, usize) {
    let mut n = (0, 0);
    for e in events {
        if let ConnEvent::Done { src, result, .. } = *e {
            match (src, result) {
                (Source::Lookup(_), 1) => n.0 += 1,
                (Source::Learn(_), 2) => n.1 += 1,
                _ => {}
            }
        }
    }
    n
}

/// Generated configurations and a small population of flows sent on both ports at once, in
/// both directions (so a connection learned on one port is hit on the other), with learning
/// on or off, short or long timeouts, and epochs passing during the run or not.
#[test]
fn generated_flows_on_both_ports() {
    let strat = config_strategy().prop_flat_map(|cfg| {
        let picks = || proptest::collection::vec((0usize..64, any::<bool>()), 0..30);
        (
            Just(cfg.clone()),
            proptest::collection::vec(flow_for(&cfg), 1..8),
            picks(),
            picks(),
            prop_oneof![3 => Just(true), 1 => Just(false)],
            prop_oneof![Just(2u8), Just(255)],
            prop_oneof![Just(0u32), Just(700), Just(5000)],
        )
    });
    let (hits, learns) = (Cell::new(0), Cell::new(0));
    check_cases(64, strat, |(cfg, flows, p0, p1, learn, timeout, epoch)| {
        let conn = ConnSettings {
            enable: true,
            learn,
            timeout,
            epoch_cycles: epoch,
        };
        let frames = |picks: &[(usize, bool)]| -> Vec<Vec<u8>> {
            picks
                .iter()
                .map(|&(i, rev)| {
                    let f = &flows[i % flows.len()];
                    if rev { reversed(f) } else { f.clone() }.bytes()
                })
                .collect()
        };
        let (f0, f1) = (frames(&p0), frames(&p1));
        let mut s = SwitchSim::with_conn(Dut::SwitchCore, &cfg, &conn);
        let (_, w) = s.check([&f0, &f1], [CORE_HALF_PS, CORE_HALF_PS + 1], |i| 12 + i % 5)?;
        let (h, l) = hits_and_learns(&w.conn_events);
        hits.set(hits.get() + h);
        learns.set(learns.get() + l);
        Ok(())
    });
    eprintln!(
        "{} lookups hit, {} learns inserted",
        hits.get(),
        learns.get()
    );
    assert!(
        hits.get() >= 30 && learns.get() >= 10,
        "the table was hardly used"
    );
}

/// Flows to a virtual address from 150 clients, learned; then every bucket is given to
/// another TM (as when a TM joins and the buckets are refilled): the same flows must keep
/// their TM, all decided by the table. The same change without the table moves them (so
/// the first half of the test can fail).
#[test]
fn learned_flows_keep_their_tm_when_buckets_change() {
    let cfg = all_hashed(Delivery::Mac);
    let flows = vip_flows(150, 0x0A00_0100, 20_000, 80);
    let none: Vec<Vec<u8>> = Vec::new();
    let n = cfg.tms.len() as u8;
    let mut moved = cfg.clone();
    for b in moved.buckets.iter_mut() {
        *b = Bucket {
            primary: (b.primary + 1) % n,
            backup: (b.backup + 1) % n,
        };
    }
    let writes: Vec<(u16, u32)> = moved
        .bus_writes()
        .into_iter()
        .filter(|&(a, _)| a & 0xF000 == 0x1000)
        .collect();
    for learn in [true, false] {
        let conn = ConnSettings {
            enable: learn,
            learn,
            timeout: 255,
            epoch_cycles: 0,
        };
        let mut s = SwitchSim::with_conn(Dut::SwitchCore, &cfg, &conn);
        let (_, before) = s.check([&flows, &none], [CORE_HALF_PS; 2], |_| 12).unwrap();
        s.write_bus(&writes, &moved);
        let (_, after) = s.check([&flows, &none], [CORE_HALF_PS; 2], |_| 12).unwrap();
        let out =
            |w: &flowdist_tests::switch_harness::Wire, p: usize| frames_on_wire(&w.tx[p]).unwrap();
        assert_eq!((out(&before, 0).len(), out(&before, 1).len()), (0, 150));
        let same = out(&before, 1) == out(&after, 1);
        if learn {
            assert!(same, "learned flows moved to other TMs");
            let d = &s.last_decisions[0];
            assert!(d
                .iter()
                .all(|d| d.is_some_and(|d| d.conn && d.kind == Kind::ToTm)));
            assert_eq!(hits_and_learns(&after.conn_events), (150, 0));
        } else {
            assert!(
                !same,
                "without the table the new buckets must move the flows"
            );
        }
    }
}

/// A TM goes down: the flows the table held for it are hashed again (bucket backups) and
/// learned for their new TM, replacing the old entries; when it comes back up they stay
/// where they went.
#[test]
fn flows_of_a_tm_that_goes_down_are_learned_again() {
    let cfg = all_hashed(Delivery::Mac);
    let flows = vip_flows(120, 0x0A00_0200, 30_000, 443);
    let none: Vec<Vec<u8>> = Vec::new();
    let conn = learning();
    let mut s = SwitchSim::with_conn(Dut::SwitchCore, &cfg, &conn);
    s.check([&flows, &none], [CORE_HALF_PS; 2], |_| 12).unwrap();
    let on_tm0 = s.last_decisions[0]
        .iter()
        .filter(|d| d.is_some_and(|d| d.tm == 0))
        .count();
    assert!(on_tm0 > 0, "no flow on TM 0");
    let all = cfg.tm_up();
    s.set_tm_up(all & !1);
    let (_, w) = s.check([&flows, &none], [CORE_HALF_PS; 2], |_| 12).unwrap();
    // every flow of TM 0 inserted again (replacing its entry), the others hit
    let replaced = w
        .conn_events
        .iter()
        .filter(|e| {
            matches!(
                e,
                ConnEvent::Done {
                    src: Source::Learn(_),
                    result: 3,
                    ..
                }
            )
        })
        .count();
    assert_eq!(replaced, on_tm0);
    assert!(s.last_decisions[0]
        .iter()
        .all(|d| d.is_some_and(|d| d.tm != 0)));
    s.set_tm_up(all);
    s.check([&flows, &none], [CORE_HALF_PS; 2], |_| 12).unwrap();
    assert!(s.last_decisions[0]
        .iter()
        .all(|d| d.is_some_and(|d| d.conn && d.tm != 0)));
}

/// Minimum frames at line rate on both ports, every frame a new flow (the SYN-flood shape):
/// every frame is looked up, and learned unless the port's previous learn still waits. How
/// many learns fit is a figure for BENCHMARKS.md; the test checks the model agrees on every
/// one and that no ingress drops a frame (both ports send to the TMs on the trunk, so its
/// egress is 2:1 oversubscribed and drops whole frames, counted and checked).
#[test]
fn new_flows_at_line_rate_on_both_ports() {
    let cfg = all_hashed(Delivery::Mac);
    let (f0, f1) = (
        vip_flows(300, 0x0A01_0000, 1024, 80),
        vip_flows(300, 0x0A02_0000, 1024, 80),
    );
    let conn = learning();
    let mut s = SwitchSim::with_conn(Dut::SwitchCore, &cfg, &conn);
    let (_, w) = s
        .check([&f0, &f1], [CORE_HALF_PS, CORE_HALF_PS + 1], |_| 12)
        .unwrap();
    let skipped = w
        .conn_events
        .iter()
        .filter(|e| matches!(e, ConnEvent::Skipped(_)))
        .count();
    let (_, learned) = hits_and_learns(&w.conn_events);
    println!(
        "600 new flows at line rate on two ports: {learned} learned, {skipped} learns dropped \
         (the previous learn still waiting), {} in the table",
        s.table.len()
    );
    assert_eq!(learned + skipped, 600);
    assert_eq!(w.overruns, [0, 0]);
}

/// One port alone: the hardware's operations come in frame order, so the model's one-frame-
/// at-a-time path (`Classifier::classify_tracked`, what `flowdist run`, `live` and `compare`
/// use) makes the same decisions as the replay in the hardware's order, and leaves the same
/// table.
#[test]
fn one_port_needs_no_order_from_the_hardware() {
    let strat = config_strategy().prop_flat_map(|cfg| {
        (
            Just(cfg.clone()),
            proptest::collection::vec(flow_for(&cfg), 1..6),
            proptest::collection::vec((0usize..64, any::<bool>()), 1..40),
            0u8..2,
        )
    });
    check_cases(24, strat, |(cfg, flows, picks, port)| {
        let frames: Vec<Vec<u8>> = picks
            .iter()
            .map(|&(i, rev)| {
                let f = &flows[i % flows.len()];
                if rev { reversed(f) } else { f.clone() }.bytes()
            })
            .collect();
        let none: Vec<Vec<u8>> = Vec::new();
        let conn = learning();
        let mut s = SwitchSim::with_conn(Dut::SwitchCore, &cfg, &conn);
        let input: [&[Vec<u8>]; 2] = if port == 0 {
            [&frames, &none]
        } else {
            [&none, &frames]
        };
        s.check(input, [CORE_HALF_PS; 2], |_| 12)?;
        let c = flowdist_model::classifier::Classifier::new(&cfg);
        let mut t = flowdist_model::conn_table::ConnTable::new(10, conn.timeout);
        for (i, f) in frames.iter().enumerate() {
            let (_, d, _) = c.classify_tracked(f, port, &mut t, &conn);
            if d != s.last_decisions[port as usize][i] {
                return Err(format!(
                    "frame {i}: one at a time {d:?}, in the hardware's order {:?}",
                    s.last_decisions[port as usize][i]
                ));
            }
        }
        if t.slots != s.table.slots {
            return Err("the tables differ".into());
        }
        Ok(())
    });
}

/// A flood of new flows (a SYN flood, or a scan) until the table is full: every frame is still
/// delivered by hash, the learns that find no room fail (counted), and no entry already there
/// is disturbed: the connections learned before the flood are still decided by the table.
#[test]
fn flood_of_new_flows_until_full_leaves_old_entries() {
    let cfg = all_hashed(Delivery::Mac);
    let mut s = SwitchSim::with_conn(Dut::SwitchCore, &cfg, &learning());
    let group = cfg.group_mac;
    let old: Vec<Frame> = (0..50u32)
        .map(|i| {
            let mut f = tcp4(0x0A05_0000 + i, 0xCB00_710A, 2000 + i as u16, 443);
            f.dst = group;
            f
        })
        .collect();
    let old_bytes: Vec<Vec<u8>> = old.iter().map(Frame::bytes).collect();
    s.check([&old_bytes, &[]], [CORE_HALF_PS; 2], |_| 12)
        .unwrap();
    let tms: Vec<u8> = s.last_decisions[0]
        .iter()
        .map(|d| d.expect("decided").tm)
        .collect();
    // 1,400 new flows at line rate into a table of 1,024 slots
    let flood = vip_flows(1400, 0x0A06_0000, 1024, 80);
    let (_, w) = s
        .check([&flood, &[]], [CORE_HALF_PS; 2], |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(w.overruns, [0, 0]);
    let full = s.counts.value(0, Counter::LearnFull);
    println!(
        "flood: {} entries after 1,450 flows, {full} learns found no room",
        s.table.len()
    );
    assert!(full > 0, "the flood did not fill the table");
    assert!(s.last_decisions[0]
        .iter()
        .all(|d| d.is_some_and(|d| d.kind == Kind::ToTm)));
    // the old connections, from the other side: the table's, on their TMs
    let back: Vec<Vec<u8>> = old.iter().map(|f| reversed(f).bytes()).collect();
    s.check([&[], &back], [CORE_HALF_PS; 2], |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    for (i, d) in s.last_decisions[1].iter().enumerate() {
        let d = d.expect("decided");
        assert!(
            d.conn && d.tm == tms[i],
            "old flow {i}: {d:?}, was TM {}",
            tms[i]
        );
    }
}

/// Entries nobody touches for longer than the 8-bit epoch wraps stay gone: the sweep that
/// follows each tick empties them (without it, `now - seen` would wrap back under the
/// timeout after 256 epochs and the old entries would hit again). 100 flows learned, then
/// 265 epochs of silence (one bridged frame, no table work), then the same flows: every one
/// misses and is learned anew, the 1024 slots agree with the model's after both runs, and
/// the expiries were counted (R13 counter 79).
#[test]
fn entries_nobody_touches_do_not_come_back_when_the_epoch_wraps() {
    let cfg = all_hashed(Delivery::Mac);
    let flows = vip_flows(100, 0x0A00_0300, 40_000, 80);
    let none: Vec<Vec<u8>> = Vec::new();
    let mut s = SwitchSim::with_conn(Dut::SwitchCore, &cfg, &epochs_every(300));
    let (_, first) = s.check([&flows, &none], [CORE_HALF_PS; 2], |_| 12).unwrap();
    assert_eq!(hits_and_learns(&first.conn_events), (0, 100));
    // a frame for another MAC (bridged: no key), then the silence
    let mut other = tcp4(0x0A00_0001, 0x0A00_0002, 1000, 2000);
    other.dst = 0x02_00_00_00_99_99;
    let second: Vec<Vec<u8>> = std::iter::once(other.bytes())
        .chain(flows.iter().cloned())
        .collect();
    let (_, again) = s
        .check([&second, &none], [CORE_HALF_PS; 2], |i| {
            if i == 0 {
                265 * 300
            } else {
                12
            }
        })
        .unwrap();
    let ticks = ticks(&again.conn_events);
    assert!(ticks >= 260, "only {ticks} epochs passed");
    assert_eq!(
        hits_and_learns(&again.conn_events),
        (0, 100),
        "old entries came back to life"
    );
    // each of the 100 was emptied by a sweep and counted (the RTL's counter agreed: `check`)
    assert_eq!(s.counts.value(0, Counter::ConnExpired), 100);
}

/// New flows at line rate on both ports while epochs pass every 300 cycles (each tick starts
/// a sweep that keeps the table busy): every frame is still decided and learned, nothing
/// stalls, and outputs, counters and slots agree with the model. (A sweep of 134 cycles made a
/// port's decision fall two frames behind, lose a header and stall: this test caught it.)
#[test]
fn line_rate_on_both_ports_while_epochs_pass() {
    let cfg = all_hashed(Delivery::Mac);
    let f0 = vip_flows(150, 0x0A00_0500, 40_000, 80);
    let f1 = vip_flows(150, 0x0A00_0900, 30_000, 443);
    let mut s = SwitchSim::with_conn(Dut::SwitchCore, &cfg, &epochs_every(300));
    // (the trunk's egress is 2:1 oversubscribed: whole frames dropped there, counted)
    let (_, w) = s.check([&f0, &f1], [CORE_HALF_PS; 2], |_| 12).unwrap();
    let ticks = ticks(&w.conn_events);
    assert!(ticks >= 60, "only {ticks} epochs passed");
    assert_eq!(w.overruns, [0, 0], "frames lost at ingress");
    assert_eq!(hits_and_learns(&w.conn_events), (0, 300));
}
