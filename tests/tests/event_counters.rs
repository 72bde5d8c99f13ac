//! EventCounters (R13) through Verilator against the model's counting: generated schedules
//! of received and sent frames (lengths counted from the byte streams), decisions, malformed
//! reports, overrun and egress-full drops on both ports, all sources at once, with reads in
//! between; afterwards every one of the 64 counters is read and compared.
use flowdist_model::decision::Kind;
use flowdist_model::event_counters::{address, Counter, EventCounters, COUNTERS, PER_PORT};
use flowdist_sim::{Dut, Sim};
use flowdist_tests::prop::check_cases;
use proptest::prelude::*;

const INPUTS: [&str; 12] = [
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
    rd: Option<u8>,
}

/// What happens: per port, received frames (length, valid every `1 + gap` cycles), sent
/// frames (length), decisions (kind, tm); pulses of malformed and the six drop reasons; the
/// spacing of each source's events.
#[derive(Clone, Debug)]
struct Schedule {
    rx: [Vec<(u16, u8, u8)>; 2],
    tx: [Vec<(u16, u8)>; 2],
    dec: [Vec<(u8, u8, u8)>; 2],
    pulses: Vec<(u8, u8)>,
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
    let tx = proptest::collection::vec((prop_oneof![1u16..80, 60u16..1600], 12u8..40), 0..12);
    let dec = proptest::collection::vec((1u8..8, 0u8..16, 21u8..200), 0..20);
    let pulses = proptest::collection::vec((0u8..8, 21u8..200), 0..40);
    let reads = proptest::collection::vec((0u16..400, 0u8..64), 0..10);
    (
        rx.clone(),
        rx,
        tx.clone(),
        tx,
        dec.clone(),
        dec,
        pulses,
        reads,
    )
        .prop_map(|(r0, r1, t0, t1, d0, d1, pulses, reads)| Schedule {
            rx: [r0, r1],
            tx: [t0, t1],
            dec: [d0, d1],
            pulses,
            reads,
        })
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
        for &(kind, tm, space) in &s.dec[p as usize] {
            at(&mut rows, t);
            rows[t].dec_valid |= bit;
            rows[t].kind[p as usize] = kind;
            rows[t].tm[p as usize] = tm;
            m.decided(p, Kind::from_code(kind).expect("kind 0..7"), tm);
            t += space as usize;
        }
    }
    // pulses: reason r (0, 1 malformed on port 0/1; 2..7 the six drop bits), each reason's
    // pulses at least 21 cycles apart
    let mut next = [0usize; 8];
    for &(r, space) in &s.pulses {
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
                r.rd.is_some() as u64,
                r.rd.unwrap_or(0) as u64,
            ]
        })
        .collect()
}

/// Run the rows from reset, then read all 64 counters; returns the reads answered during the
/// rows and the 64 values.
fn rtl(rows: &[Row]) -> Result<(usize, Vec<u64>), String> {
    let mut sim = Sim::new(Dut::EventCounters);
    sim.reset(70).map_err(|e| e.to_string())?;
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
            let c = Counter::at(a % PER_PORT).unwrap();
            return Err(format!(
                "port {} {}: rtl {v}, model {}",
                a / PER_PORT,
                c.name(),
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

#[test]
fn every_source_at_once() {
    // all twenty pending bits armed in the same cycle, then again 21 cycles later
    let mut rows = vec![Row::default(); 200];
    let mut m = EventCounters::default();
    for p in 0..2u8 {
        let bit = 1 << p;
        for start in [0usize, 31] {
            for i in 0..30 {
                rows[start + i].tx_en |= bit;
            }
        }
        m.sent(p, 22);
        m.sent(p, 22);
        for t in [37usize, 58] {
            rows[t - 9].rx_valid |= bit;
            rows[t - 9].rx_last |= bit;
            rows[t].dec_valid |= bit;
            rows[t].kind[p as usize] = 3;
            rows[t].tm[p as usize] = 5 + p;
            rows[t].malformed |= bit;
            m.received(p, 1);
            m.decided(p, Kind::ToTm, 5 + p);
            m.malformed(p);
        }
    }
    for t in [39usize, 60] {
        rows[t].drops = 0x3F;
        for p in 0..2 {
            m.overrun(p);
            m.egress_full(p, 0);
            m.egress_full(p, 1);
        }
    }
    let (_, got) = rtl(&rows).unwrap();
    for (a, &v) in got.iter().enumerate() {
        assert_eq!(v, m.read(a), "address {a}");
    }
    assert_eq!(m.value(1, Counter::ToTm(6)), 2);
    assert_eq!(m.read(address(0, Counter::TxBytes)), 44);
}

#[test]
fn same_counter_twice_within_the_pipeline() {
    // a counter's second event while its first update is still being read and written: the
    // second waits for the first (else it would add to a stale value and one would be lost)
    // (pairs of one counter at a time: two events of one counter before its first update
    // even starts are beyond what a pending bit holds, and cannot happen on the wire)
    let mut rows = vec![Row::default(); 90];
    let mut m = EventCounters::default();
    for (t, gap) in [(0usize, 1usize), (10, 2), (20, 3), (30, 4)] {
        for k in [t, t + gap] {
            rows[k].malformed |= 1;
            m.malformed(0);
            rows[k + 45].drops |= 0x20;
            m.egress_full(1, 1);
        }
    }
    let (_, got) = rtl(&rows).unwrap();
    assert_eq!(got[address(0, Counter::Malformed)], 8);
    assert_eq!(got[address(1, Counter::EgressFull(1))], 8);
    for (a, &v) in got.iter().enumerate() {
        assert_eq!(v, m.read(a), "address {a}");
    }
}
