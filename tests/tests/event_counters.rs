//! EventCounters (R13) through Verilator against the model's counting: generated schedules
//! of received and sent frames (lengths counted from the byte streams), decisions (the table's
//! among them), malformed reports, overrun and egress-full drops on both ports, connection-table
//! operations (every source and result code) and dropped learns, all sources at once, with reads
//! in between; afterwards every one of the 128 counters is read and compared. Each source keeps
//! the spacing `hdl::event_counters` argues from (quick ones 21 cycles, the rest 40, table
//! operations 20). Last, the table's counters through the whole core (`SwitchCore`), learns
//! dropped and control operations included.
use flowdist_model::conn_arbiter::Source;
use flowdist_model::decision::Kind;
use flowdist_model::event_counters::{address, describe, Counter, EventCounters, COUNTERS};
use flowdist_sim::{Dut, Sim};
use flowdist_tests::prop::check_cases;
use proptest::prelude::*;

const INPUTS: [&str; 17] = [
    "rx_valid",
    "rx_last",
    "tx_en",
    "dec_valid",
    "dec0_kind",
    "dec0_tm",
    "dec1_kind",
    "dec1_tm",
    "malformed",
    "drops",
    "dec_conn",
    "ct_done",
    "ct_src",
    "ct_result",
    "ct_skipped",
    "rd_req",
    "rd_addr",
];

/// One cycle's inputs.
#[derive(Clone, Copy, Default, Debug)]
struct Row {
    rx_valid: u8,
    rx_last: u8,
    tx_en: u8,
    dec_valid: u8,
    kind: [u8; 2],
    tm: [u8; 2],
    malformed: u8,
    drops: u8,
    dec_conn: u8,
    /// A table operation finished: (source code, result code).
    op: Option<(u8, u8)>,
    skipped: u8,
    rd: Option<u8>,
}

/// What happens: per port, received frames (length, valid every `1 + gap` cycles), sent
/// frames (length), decisions (kind, tm, the table's), learns dropped; pulses of malformed and
/// the six drop reasons; table operations (source, result); the spacing of each source's
/// events.
#[derive(Clone, Debug)]
struct Schedule {
    rx: [Vec<(u16, u8, u8)>; 2],
    tx: [Vec<(u16, u8)>; 2],
    dec: [Vec<(u8, u8, bool, u8)>; 2],
    skips: [Vec<u8>; 2],
    pulses: Vec<(u8, u8)>,
    ops: Vec<(u8, u8, u8)>,
    reads: Vec<(u16, u8)>,
}

fn schedules() -> impl Strategy<Value = Schedule> {
    // rx: (length, gap between bytes 0..2, idle cycles after 20..60)
    let rx = proptest::collection::vec(
        (
            prop_oneof![1u16..80, 60u16..1600, Just(9018u16)],
            0u8..3,
            20u8..60,
        ),
        0..12,
    );
    // frames sent are at least 64 bytes (the editor pads)
    let tx = proptest::collection::vec((prop_oneof![64u16..80, 64u16..1600], 12u8..40), 0..12);
    let dec = proptest::collection::vec((1u8..8, 0u8..16, any::<bool>(), 40u8..200), 0..20);
    let skips = proptest::collection::vec(40u8..200, 0..12);
    let pulses = proptest::collection::vec((0u8..8, 21u8..200), 0..40);
    // every source and result code, also those the table never reports (not counted)
    let ops = proptest::collection::vec((0u8..8, 0u8..8, 20u8..120), 0..30);
    let reads = proptest::collection::vec((0u16..400, 0u8..128), 0..10);
    (
        (rx.clone(), rx, tx.clone(), tx),
        (dec.clone(), dec, skips.clone(), skips),
        pulses,
        ops,
        reads,
    )
        .prop_map(
            |((r0, r1, t0, t1), (d0, d1, s0, s1), pulses, ops, reads)| Schedule {
                rx: [r0, r1],
                tx: [t0, t1],
                dec: [d0, d1],
                skips: [s0, s1],
                pulses,
                ops,
                reads,
            },
        )
}

/// The cycle-by-cycle inputs for a schedule, and what the model counts for it.
fn expand(s: &Schedule) -> (Vec<Row>, EventCounters) {
    let mut rows: Vec<Row> = Vec::new();
    let mut m = EventCounters::default();
    let at = |rows: &mut Vec<Row>, t: usize| {
        if rows.len() <= t {
            rows.resize(t + 1, Row::default());
        }
    };
    for p in 0..2u8 {
        let bit = 1 << p;
        let mut t = 0usize;
        for &(len, gap, idle) in &s.rx[p as usize] {
            for i in 0..len {
                at(&mut rows, t);
                rows[t].rx_valid |= bit;
                if i + 1 == len {
                    rows[t].rx_last |= bit;
                }
                t += 1 + gap as usize;
            }
            t += idle as usize;
            m.received(p, len as usize);
        }
        let mut t = 3usize;
        for &(len, idle) in &s.tx[p as usize] {
            for _ in 0..8 + len {
                at(&mut rows, t);
                rows[t].tx_en |= bit;
                t += 1;
            }
            t += idle as usize;
            m.sent(p, len as usize);
        }
        let mut t = 5usize;
        for &(kind, tm, conn, space) in &s.dec[p as usize] {
            at(&mut rows, t);
            rows[t].dec_valid |= bit;
            rows[t].kind[p as usize] = kind;
            rows[t].tm[p as usize] = tm;
            m.decided(p, Kind::from_code(kind).expect("kind 0..7"), tm);
            if conn {
                rows[t].dec_conn |= bit;
                m.conn_decided(p);
            }
            t += space as usize;
        }
        let mut t = 7usize;
        for &space in &s.skips[p as usize] {
            at(&mut rows, t);
            rows[t].skipped |= bit;
            m.learn_dropped(p);
            t += space as usize;
        }
    }
    let mut t = 2usize;
    for &(src, result, space) in &s.ops {
        at(&mut rows, t);
        rows[t].op = Some((src, result));
        m.table_op(Source::from_code(src), result);
        t += space as usize;
    }
    // pulses: reason r (0, 1 malformed on port 0/1; 2..7 the six drop bits), each reason's
    // pulses at least 21 cycles apart (the egress drops, which come with decided frames, 40)
    let mut next = [0usize; 8];
    for &(r, space) in &s.pulses {
        let space = if r >= 4 { space.max(40) } else { space };
        let t = next[r as usize];
        at(&mut rows, t);
        match r {
            0 | 1 => {
                rows[t].malformed |= 1 << r;
                m.malformed(r);
            }
            _ => {
                rows[t].drops |= 1 << (r - 2);
                match r - 2 {
                    0 | 1 => m.overrun(r - 2),
                    d => m.egress_full((d - 2) / 2, (d - 2) % 2),
                }
            }
        }
        next[r as usize] = t + space as usize;
    }
    for &(t, a) in &s.reads {
        let t = t as usize;
        at(&mut rows, t);
        rows[t].rd = Some(a);
    }
    (rows, m)
}

fn stim(rows: &[Row]) -> Vec<u64> {
    rows.iter()
        .flat_map(|r| {
            [
                r.rx_valid as u64,
                r.rx_last as u64,
                r.tx_en as u64,
                r.dec_valid as u64,
                r.kind[0] as u64,
                r.tm[0] as u64,
                r.kind[1] as u64,
                r.tm[1] as u64,
                r.malformed as u64,
                r.drops as u64,
                r.dec_conn as u64,
                r.op.is_some() as u64,
                r.op.map_or(0, |o| o.0) as u64,
                r.op.map_or(0, |o| o.1) as u64,
                r.skipped as u64,
                r.rd.is_some() as u64,
                r.rd.unwrap_or(0) as u64,
            ]
        })
        .collect()
}

/// Run the rows from reset, then read all 128 counters; returns the reads answered during the
/// rows and the 128 values.
fn rtl(rows: &[Row]) -> Result<(usize, Vec<u64>), String> {
    let mut sim = Sim::new(Dut::EventCounters);
    sim.reset(130).map_err(|e| e.to_string())?;
    // the rows, then a drain (the zeroing after reset may still be going on)
    let mut rows = rows.to_vec();
    rows.extend([Row::default(); 100]);
    let during = sim
        .run(
            &INPUTS,
            &stim(&rows),
            rows.len(),
            Some("rd_valid"),
            &["rd_data"],
        )
        .map_err(|e| e.to_string())?
        .len();
    // one read every 8 cycles
    let mut tail: Vec<Row> = Vec::new();
    for a in 0..COUNTERS as u8 {
        tail.push(Row {
            rd: Some(a),
            ..Row::default()
        });
        tail.extend([Row::default(); 7]);
    }
    let reads = sim
        .run(
            &INPUTS,
            &stim(&tail),
            tail.len(),
            Some("rd_valid"),
            &["rd_data"],
        )
        .map_err(|e| e.to_string())?;
    Ok((during, reads.iter().map(|r| r[0] as u64).collect()))
}

fn check(s: &Schedule) -> Result<(), String> {
    let (rows, m) = expand(s);
    let (during, got) = rtl(&rows)?;
    if got.len() != COUNTERS {
        return Err(format!("{} reads answered, want {COUNTERS}", got.len()));
    }
    for (a, &v) in got.iter().enumerate() {
        if v != m.read(a) {
            return Err(format!(
                "{a} ({}): rtl {v}, model {}",
                describe(a),
                m.read(a)
            ));
        }
    }
    // reads issued during the rows are answered (one outstanding at a time: the schedule's
    // reads can coincide, so at most as many)
    let issued = rows.iter().filter(|r| r.rd.is_some()).count();
    if during > issued || (issued > 0 && during == 0) {
        return Err(format!("{during} reads answered of {issued} issued"));
    }
    Ok(())
}

#[test]
fn generated_schedules() {
    check_cases(120, schedules(), |s| check(&s));
}

/// The counters read against the model's, by name.
fn agree(got: &[u64], m: &EventCounters) {
    assert_eq!(got.len(), COUNTERS);
    for (a, &v) in got.iter().enumerate() {
        assert_eq!(v, m.read(a), "{a} ({})", describe(a));
    }
}

#[test]
fn every_source_at_once() {
    // all twenty-five pending bits armed in the same cycle (a table operation finished, both
    // ports' frames, decisions by the table, malformed reports, the six drops, both ports'
    // dropped learns), twice, 42 cycles apart; the quick ones (malformed, overrun) also
    // halfway, and table operations every 20 cycles in between
    let mut rows = vec![Row::default(); 200];
    let mut m = EventCounters::default();
    let bases = [40usize, 82];
    for p in 0..2u8 {
        let bit = 1 << p;
        for b in bases {
            // a 22-byte frame sent, ending at b (its enable falls)
            for i in b - 30..b {
                rows[i].tx_en |= bit;
            }
            m.sent(p, 22);
            rows[b].rx_valid |= bit;
            rows[b].rx_last |= bit;
            m.received(p, 1);
            rows[b].dec_valid |= bit;
            rows[b].kind[p as usize] = 3;
            rows[b].tm[p as usize] = 5 + p;
            rows[b].dec_conn |= bit;
            m.decided(p, Kind::ToTm, 5 + p);
            m.conn_decided(p);
            rows[b].skipped |= bit;
            m.learn_dropped(p);
        }
        for t in [40usize, 61, 82, 103] {
            rows[t].malformed |= bit;
            m.malformed(p);
            rows[t].drops |= bit;
            m.overrun(p);
        }
    }
    for b in bases {
        rows[b].drops = 0x3F;
        for p in 0..2 {
            m.egress_full(p, 0);
            m.egress_full(p, 1);
        }
    }
    for (t, src, result) in [(40usize, 0u8, 1u8), (60, 3, 3), (82, 4, 5), (102, 2, 4)] {
        rows[t].op = Some((src, result));
        m.table_op(Source::from_code(src), result);
    }
    let (_, got) = rtl(&rows).unwrap();
    agree(&got, &m);
    assert_eq!(m.value(1, Counter::ToTm(6)), 2);
    assert_eq!(m.read(address(0, Counter::TxBytes)), 44);
    assert_eq!(m.read(Counter::LearnDropped.index()), 4);
    assert_eq!(m.read(Counter::ConnDecided(1).index()), 2);
    assert_eq!(m.read(Counter::CtlDeleted.index()), 1);
}

#[test]
fn every_table_result() {
    // every source (lookup, learn of either port, control) with every result code, 20
    // cycles apart: what is counted, where
    let mut rows = vec![Row::default(); 20 * 64 + 10];
    let mut m = EventCounters::default();
    let mut t = 3;
    for src in 0..8u8 {
        for result in 0..8u8 {
            rows[t].op = Some((src, result));
            m.table_op(Source::from_code(src), result);
            t += 20;
        }
    }
    let (_, got) = rtl(&rows).unwrap();
    agree(&got, &m);
    let v = |c: Counter| got[c.index()];
    assert_eq!((v(Counter::LookupHit), v(Counter::LookupMiss)), (2, 2));
    assert_eq!(v(Counter::LearnInserted), 2);
    assert_eq!(v(Counter::LearnKept), 2);
    assert_eq!((v(Counter::LearnUpdated), v(Counter::LearnFull)), (2, 2));
    // control: sources 4..7 (only 4 occurs), inserted or updated, deleted, full or not found
    assert_eq!(v(Counter::CtlInserted), 8);
    assert_eq!(v(Counter::CtlDeleted), 4);
    assert_eq!(v(Counter::CtlFailed), 8);
    assert_eq!(got.iter().sum::<u64>(), 32);
}

#[test]
fn same_counter_twice_within_the_pipeline() {
    // a counter's second event while its first update is still being read and written: the
    // second waits for the first (else it would add to a stale value and one would be lost)
    // (pairs of one counter at a time: two events of one counter before its first update
    // even starts are beyond what a pending bit holds, and cannot happen on the wire)
    let mut rows = vec![Row::default(); 140];
    let mut m = EventCounters::default();
    for (t, gap) in [(0usize, 1usize), (10, 2), (20, 3), (30, 4)] {
        for k in [t, t + gap] {
            rows[k].malformed |= 1;
            m.malformed(0);
            rows[k + 45].drops |= 0x20;
            m.egress_full(1, 1);
        }
    }
    // the two ports' dropped learns share one counter: together, and one to four cycles
    // apart, each waits while the other is in the pipeline
    for (t, gap) in [(90usize, 0usize), (100, 1), (110, 2), (120, 3), (130, 4)] {
        rows[t].skipped |= 1;
        rows[t + gap].skipped |= 2;
        m.learn_dropped(0);
        m.learn_dropped(1);
    }
    let (_, got) = rtl(&rows).unwrap();
    assert_eq!(got[address(0, Counter::Malformed)], 8);
    assert_eq!(got[address(1, Counter::EgressFull(1))], 8);
    assert_eq!(got[Counter::LearnDropped.index()], 10);
    agree(&got, &m);
}

/// The table's counters through the whole core (`SwitchCore`: `ct_op_*`, `ct_skipped`,
/// `dec_conn` wired to the counters), against the model's own outcomes
/// (`replay_counting`), every check comparing all 128: new flows on both ports with the
/// receive clocks 15 % fast, so the table falls behind and learns are dropped; the same flows
/// again (hits, decisions by the table); control deletes, inserts, updates and failures; the
/// flows once more; new flows on both ports at once (learns that find their key).
#[test]
fn table_counters_through_the_core() {
    use flowdist_model::conn_arbiter::ConnSettings;
    use flowdist_model::conn_table::ConnKey;
    use flowdist_model::tables::Delivery;
    use flowdist_tests::configs::all_hashed;
    use flowdist_tests::frames::tcp4;
    use flowdist_tests::switch_harness::{SwitchSim, CORE_HALF_PS};
    let cfg = all_hashed(Delivery::Mac);
    let make = |base: u32| -> Vec<Vec<u8>> {
        (0..150u32)
            .map(|i| {
                let mut f = tcp4(base + i, 0xCB00_710A, 1024 + i as u16, 80);
                f.dst = cfg.group_mac;
                f.bytes()
            })
            .collect()
    };
    let (f0, f1) = (make(0x0A05_0000), make(0x0A06_0000));
    let conn = ConnSettings {
        enable: true,
        learn: true,
        timeout: 255,
        epoch_cycles: 0,
    };
    let mut s = SwitchSim::with_conn(Dut::SwitchCore, &cfg, &conn);
    let fast = [CORE_HALF_PS * 17 / 20, CORE_HALF_PS * 17 / 20 + 1];
    let v = |s: &SwitchSim, c: Counter| s.counts.read(c.index());
    s.check([&f0, &f1], fast, |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v(&s, Counter::LookupMiss), 300);
    assert!(v(&s, Counter::LearnInserted) > 0);
    assert!(
        v(&s, Counter::LearnDropped) > 0,
        "no learn dropped: the table kept up"
    );
    assert_eq!(
        v(&s, Counter::LearnInserted) + v(&s, Counter::LearnDropped),
        300
    );
    s.check([&f0, &f1], fast, |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(v(&s, Counter::LookupHit) > 0);
    assert!(v(&s, Counter::ConnDecided(0)) > 0 && v(&s, Counter::ConnDecided(1)) > 0);
    // control: delete ten flows, delete one of them again (not found), insert five new keys
    // and one of the deleted ones for another TM, update a held key, keep a held key (a
    // learn that finds it: not counted), look one up (hit: not counted) and a missing one
    let held: Vec<ConnKey> = s
        .table
        .slots
        .iter()
        .filter(|sl| sl.valid)
        .map(|sl| sl.key)
        .take(13)
        .collect();
    assert_eq!(held.len(), 13);
    for k in &held[..10] {
        assert_eq!(s.table_control(2, k, 0, false).unwrap(), 5);
    }
    assert_eq!(s.table_control(2, &held[0], 0, false).unwrap(), 0);
    for i in 0..5u32 {
        let k = ConnKey {
            src_ip: 0x0A07_0000 + i,
            dst_ip: 0xCB00_710A,
            src_port: 999,
            dst_port: 80,
            proto: 6,
            vlan: 0,
        };
        assert_eq!(s.table_control(1, &k, 2, false).unwrap(), 2);
    }
    assert_eq!(s.table_control(1, &held[1], 3, false).unwrap(), 2);
    assert_eq!(s.table_control(1, &held[10], 1, false).unwrap(), 3);
    assert_eq!(s.table_control(1, &held[11], 1, true).unwrap(), 1);
    assert_eq!(s.table_control(0, &held[12], 0, false).unwrap(), 1);
    assert_eq!(s.table_control(0, &held[2], 0, false).unwrap(), 0);
    let got = s.read_counters();
    flowdist_tests::switch_harness::counters_agree(&s.counts, &got).unwrap();
    assert_eq!(got[Counter::CtlDeleted.index()], 10);
    assert_eq!(got[Counter::CtlInserted.index()], 7);
    assert_eq!(got[Counter::CtlFailed.index()], 2);
    s.check([&f0, &f1], fast, |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    // new flows arriving on both ports at once (the same frames): both lookups miss, the
    // first learn inserts, the second finds the key (kept)
    let kept = v(&s, Counter::LearnKept);
    let same: Vec<Vec<u8>> = (0..60u32)
        .map(|i| {
            let mut f = tcp4(0x0A08_0000 + i, 0xCB00_710A, 2000 + i as u16, 80);
            f.dst = cfg.group_mac;
            f.bytes()
        })
        .collect();
    s.check([&same, &same], [CORE_HALF_PS; 2], |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(v(&s, Counter::LearnKept) > kept, "no learn found its key");
}
