//! The MAC learning table in the data path (R7): one `MacTable` shared by both ingress
//! pipelines through `MacArbiter`, inside `SwitchCore`, through Verilator against the model.
//!
//! Every run is checked whole (`SwitchSim::check`): the frames out of both ports byte for
//! byte, the 128 counters, and every one of the table's 1024 slots read back at the end; each
//! operation the hardware reports (`mt_op_*`) is replayed on the model's table in the
//! hardware's order and its result checked (`flowdist_model::mac_arbiter::replay`), and the
//! replay decides which bridged frames are filtered.
use flowdist_model::conn_arbiter::ConnSettings;
use flowdist_model::decision::Kind;
use flowdist_model::egress_port::frames_on_wire;
use flowdist_model::event_counters::Counter;
use flowdist_model::mac_arbiter::{filtered, BridgeSettings, MacEvent, MacSource};
use flowdist_sim::Dut;
use flowdist_tests::configs::base;
use flowdist_tests::frames::{tcp4, Frame};
use flowdist_tests::prop::check_cases;
use flowdist_tests::switch_harness::{SwitchSim, CORE_HALF_PS};
use proptest::prelude::*;
use std::cell::RefCell;

/// Station `i` (not a TM's MAC, not the group MAC).
fn station(i: usize) -> u64 {
    0x02_00_00_50_00_00 | i as u64
}

/// A bridged frame: TCP/IPv4 between two hosts, `pad` bytes of payload, on `vlan` (tagged)
/// or untagged.
fn bridged(src: u64, dst: u64, vlan: Option<u16>, pad: usize) -> Vec<u8> {
    let mut f: Frame = tcp4(0x0A00_0001, 0x0A00_0002, 1000, 80);
    f.src = src;
    f.dst = dst;
    f.tags = vlan.map(|v| vec![(0x8100, v)]).unwrap_or_default();
    f.payload = vec![0x5A; pad];
    f.bytes()
}

fn learning(epoch_cycles: u32, timeout: u8) -> BridgeSettings {
    BridgeSettings {
        learning: true,
        timeout,
        epoch_cycles,
    }
}

fn sim(bridge: &BridgeSettings) -> SwitchSim {
    SwitchSim::with_tables(
        Dut::SwitchCore,
        &base(Vec::new()),
        &ConnSettings::default(),
        bridge,
    )
}

/// Frames out of each port in the last run.
fn sent(w: &flowdist_tests::switch_harness::Wire) -> [Vec<Vec<u8>>; 2] {
    [0, 1].map(|p| frames_on_wire(&w.tx[p]).expect("framing"))
}

/// A learns on port 0 and is flooded; B answers from port 1 and goes straight to A; C, on
/// A's side, sends to A and is filtered (counted); a station moves; the same MAC on another
/// VLAN is another station; learning off filters nothing.
#[test]
fn stations_learned_filtered_and_moved() {
    let (a, b, c) = (station(1), station(2), station(3));
    let mut s = sim(&learning(0, 250));
    // A → B: B unknown, out of port 1; A learned on port 0
    let f1 = [bridged(a, b, None, 0)];
    let (n, _) = s.check([&f1, &[]], [CORE_HALF_PS; 2], |_| 12).unwrap();
    assert_eq!(n, [0, 1]);
    // B → A from port 1: A is on port 0, out there; C → A on port 0: filtered
    let (f0, f1) = ([bridged(c, a, None, 10)], [bridged(b, a, None, 0)]);
    let (n, w) = s.check([&f0, &f1], [CORE_HALF_PS; 2], |_| 12).unwrap();
    assert_eq!(n, [1, 0], "C's frame to A must not leave");
    assert_eq!(sent(&w)[1].len(), 0);
    assert_eq!(s.counts.read(Counter::Filtered(0).index()), 1);
    assert!(s.last_decisions[0][0].unwrap().filtered);
    assert_eq!(s.last_decisions[0][0].unwrap().kind, Kind::Bridge);
    // A on VLAN 7 is a station not heard yet: C's tagged frame to it is flooded
    let f0 = [bridged(c, a, Some(7), 0)];
    let (n, _) = s.check([&f0, &[]], [CORE_HALF_PS; 2], |_| 12).unwrap();
    assert_eq!(n, [0, 1]);
    // A moves to port 1: C's next frame to A goes out of port 1
    let f1 = [bridged(a, c, None, 0)];
    s.check([&[], &f1], [CORE_HALF_PS; 2], |_| 12).unwrap();
    let f0 = [bridged(c, a, None, 0)];
    let (n, w) = s.check([&f0, &[]], [CORE_HALF_PS; 2], |_| 12).unwrap();
    assert_eq!(n, [0, 1]);
    assert!(w.mac_events.contains(&MacEvent::Done {
        src: MacSource::Lookup(0),
        result: 1,
        port: 1
    }));
    // learning off: nothing asked of the table, nothing filtered
    let mut s = sim(&BridgeSettings::default());
    let f0 = [bridged(a, b, None, 0), bridged(b, a, None, 0)];
    let (n, w) = s.check([&f0, &[]], [CORE_HALF_PS; 2], |_| 12).unwrap();
    assert_eq!(n, [0, 2]);
    assert!(w.mac_events.is_empty());
}

/// A station's entry ages out: `timeout` epochs without a frame from it, and a frame to it
/// from its own side is flooded again instead of filtered.
#[test]
fn stations_age_out() {
    let (a, c) = (station(1), station(3));
    let mut s = sim(&learning(500, 2));
    // A learned; the run goes on for thousands of cycles after, epochs ticking
    let f0 = [bridged(a, c, None, 0)];
    let (_, w) = s.check([&f0, &[]], [CORE_HALF_PS; 2], |_| 12).unwrap();
    let ticks = w
        .mac_events
        .iter()
        .filter(|e| **e == MacEvent::Tick)
        .count();
    assert!(ticks >= 2, "{ticks} ticks");
    let f0 = [bridged(c, a, None, 0)];
    let (n, _) = s.check([&f0, &[]], [CORE_HALF_PS; 2], |_| 12).unwrap();
    assert_eq!(n, [0, 1], "an aged-out station is unknown: flooded");
    assert!(!s.last_decisions[0][0].unwrap().filtered);
}

/// Generated traffic on both ports at once: stations on each side talking to stations on
/// both sides, to the broadcast address, to unknown stations and to the group MAC; some
/// stations move, some frames tagged (another VLAN, other stations), epochs ticking so that
/// entries age out mid-run. Every frame, counter and slot against the model; coverage of
/// every outcome asserted over the run.
#[test]
fn generated_bridging_both_ports() {
    // (sender station 0..12, on the wrong side, destination choice 0..28, tagged, pad)
    let frame = (0..12usize, 0..10u8, 0..28usize, 0..6u8, 0..40usize);
    let round = (
        prop::collection::vec(frame.clone(), 10..50),
        prop::collection::vec(frame, 10..50),
    );
    let strategy = prop::collection::vec(round, 2..4);
    let seen = RefCell::new([0usize; 8]);
    check_cases(8, strategy, |rounds| {
        let group = base(Vec::new()).group_mac;
        let mut s = sim(&learning(3_000, 4));
        for (r0, r1) in rounds {
            let build = |side: usize, fs: &Vec<(usize, u8, usize, u8, usize)>| -> Vec<Vec<u8>> {
                fs.iter()
                    .map(|&(i, wrong, d, tag, pad)| {
                        // stations 0..12 live on port 0's side, 12..24 on port 1's; one in
                        // ten frames comes from the other side's station (it moved)
                        let home = if wrong == 0 { 1 - side } else { side };
                        let src = station(12 * home + i);
                        let dst = match d {
                            0..=23 => station(d),
                            24 => 0xFFFF_FFFF_FFFF,
                            25 => 0x01_00_5E_00_00_01,
                            26 => group,
                            _ => station(100 + pad),
                        };
                        bridged(src, dst, (tag == 0).then_some(7), pad)
                    })
                    .collect()
            };
            let (f0, f1) = (build(0, &r0), build(1, &r1));
            let (_, w) = s.check([&f0, &f1], [CORE_HALF_PS; 2], |i| 12 + (i % 5) * 7)?;
            let mut c = seen.borrow_mut();
            for e in &w.mac_events {
                match *e {
                    MacEvent::Done {
                        src: MacSource::Lookup(_),
                        result,
                        ..
                    } => c[result as usize & 1] += 1,
                    MacEvent::Done {
                        src: MacSource::Learn(_),
                        result,
                        ..
                    } => c[result as usize & 7] += 1,
                    MacEvent::Tick => c[6] += 1,
                    _ => {}
                }
            }
            c[7] += filtered(&s.last_decisions).iter().sum::<usize>();
        }
        Ok(())
    });
    let c = seen.into_inner();
    eprintln!(
        "lookups: {} miss, {} hit; learns: {} refreshed, {} moved, {} inserted, {} replaced; \
         {} ticks; {} frames filtered",
        c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]
    );
    for (k, what) in [
        (0, "lookup misses"),
        (1, "lookup hits"),
        (2, "refreshes"),
        (3, "moves"),
        (4, "inserts"),
        (6, "ticks"),
        (7, "filtered frames"),
    ] {
        assert!(
            c[k] > 0,
            "no {what}: the generated traffic does not cover them"
        );
    }
}
