//! MacTable (R7: the bridge's MAC learning table in block RAM) through Verilator against
//! `flowdist_model::mac_table`: generated sequences of lookups, learns (stations moving
//! between ports), epoch ticks and idle stretches (so the scrub runs) over a small station
//! population (stations repeat, entries age) or a wide one (buckets overflow and replace);
//! every result compared as it completes and every one of the 1,024 slots read back at the
//! end. Entries left alone for more than 256 epochs do not come back (the scrub).
use flowdist_model::mac_table::{MacTable, Slot, LOOKUP_HIT, SLOT_READ};
use flowdist_sim::{Dut, Sim};
use flowdist_tests::prop::check_cases;
use flowdist_tests::table_ops::{issue, wait_idle};
use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Results seen over the generated cases, by code (0 miss .. 5 replaced).
static SEEN: [AtomicUsize; 6] = [const { AtomicUsize::new(0) }; 6];

const SBITS: u32 = 10;

#[derive(Clone, Copy, Debug)]
enum Op {
    Lookup(u32),
    Learn(u32, u8),
    Tick,
    /// Cycles with nothing to do (the scrub's).
    Idle(u32),
}

/// Station i: a MAC (same vendor, consecutive NICs, a few locally administered) and a VLAN.
fn station(i: u32) -> (u64, u16) {
    let mac = if i % 7 == 3 {
        0x0200_0000_0000 | (i as u64) << 8
    } else {
        0x0019_B900_0000 | i as u64
    };
    (mac, [0u16, 10, 4095][(i % 3) as usize])
}

struct Rtl {
    sim: Sim,
    /// Cycles from `op_valid` to `done` of the last operation.
    cycles: usize,
}

impl Rtl {
    fn new(timeout: u8) -> Self {
        let mut sim = Sim::new(Dut::MacTable);
        sim.set("timeout", timeout as u64).unwrap();
        sim.reset(2).unwrap();
        Rtl { sim, cycles: 0 }
    }

    fn idle(&mut self, n: usize) {
        self.sim.run(&[], &[], n, None, &[]).unwrap();
    }

    /// One operation to completion: (result, port, slot words).
    fn op(&mut self, op: u64, mac: u64, vlan: u16, port: u8) -> (u8, u8, Vec<u32>) {
        let s = &mut self.sim;
        wait_idle(s, 100);
        s.set("op", op).unwrap();
        s.set("mac", mac).unwrap();
        s.set("vlan", vlan as u64).unwrap();
        s.set("port", port as u64).unwrap();
        self.cycles = issue(s);
        (
            s.get("result").unwrap() as u8,
            s.get("hit_port").unwrap() as u8,
            s.get_words("entry").unwrap(),
        )
    }

    /// A tick; true when the table reported it applied.
    fn tick(&mut self) -> bool {
        self.sim.set("tick", 1).unwrap();
        self.idle(1);
        self.sim.set("tick", 0).unwrap();
        for _ in 0..20 {
            if self.sim.get("ticked").unwrap() != 0 {
                return true;
            }
            self.idle(1);
        }
        false
    }

    fn slot(&mut self, a: usize) -> Slot {
        let (r, _, w) = self.op(2, a as u64, 0, 0);
        assert_eq!(r, SLOT_READ, "slot read result");
        Slot::from_bits(&w)
    }
}

fn run(ops: &[Op], timeout: u8) -> Result<(), String> {
    let mut rtl = Rtl::new(timeout);
    let mut model = MacTable::new(SBITS, timeout);
    for (i, op) in ops.iter().enumerate() {
        let (want, got) = match *op {
            Op::Tick => {
                model.tick();
                if !rtl.tick() {
                    return Err(format!("op {i}: the tick was not reported"));
                }
                continue;
            }
            Op::Idle(n) => {
                rtl.idle(n as usize);
                continue;
            }
            Op::Lookup(k) => {
                let (mac, vlan) = station(k);
                let want = match model.lookup(mac, vlan) {
                    Some(p) => (LOOKUP_HIT, p),
                    None => (0, 0),
                };
                let g = rtl.op(0, mac, vlan, 0);
                (want, (g.0, g.1))
            }
            Op::Learn(k, p) => {
                let (mac, vlan) = station(k);
                let want = (model.learn(mac, vlan, p).code(), 0);
                let g = rtl.op(1, mac, vlan, p);
                (want, (g.0, 0))
            }
        };
        SEEN[want.0 as usize].fetch_add(1, Relaxed);
        if want != got {
            return Err(format!(
                "op {i} {op:?} (station {:x?}): model {want:?}, RTL {got:?}",
                match op {
                    Op::Lookup(k) | Op::Learn(k, _) => station(*k),
                    _ => (0, 0),
                }
            ));
        }
    }
    for a in 0..(1usize << SBITS) {
        let got = rtl.slot(a);
        if !model.slots[a].same_as(&got, model.now, timeout) {
            return Err(format!(
                "slot {a}: model {:?}, RTL {got:?} (now {})",
                model.slots[a], model.now
            ));
        }
    }
    Ok(())
}

/// Eight stations that fall into two buckets (so their ways are taken and replaced).
fn crowded() -> &'static [u32] {
    static C: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        let t = MacTable::new(SBITS, 1);
        let bucket = |k: u32| {
            let (mac, vlan) = station(k);
            t.bucket(mac, vlan)
        };
        let (b0, b1) = (bucket(0), bucket(1));
        (0..)
            .filter(|&k| [b0, b1].contains(&bucket(k)))
            .take(8)
            .collect()
    })
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    // a small population (stations repeat and move), a wide one, or a crowded one (two
    // buckets: ways replaced)
    (0usize..3).prop_flat_map(|pop| {
        let ids: Vec<u32> = match pop {
            0 => (0..30).collect(),
            1 => (0..3000).collect(),
            _ => crowded().to_vec(),
        };
        let station = proptest::sample::select(ids);
        proptest::collection::vec(
            prop_oneof![
                4 => station.clone().prop_map(Op::Lookup),
                5 => (station, 0u8..2).prop_map(|(k, p)| Op::Learn(k, p)),
                1 => Just(Op::Tick),
                1 => (1u32..9000).prop_map(Op::Idle),
            ],
            1..500,
        )
    })
}

#[test]
fn generated_operations_every_slot() {
    check_cases(
        24,
        (ops(), prop_oneof![Just(2u8), Just(5), Just(255)]),
        |(ops, t)| run(&ops, t),
    );
    let seen: Vec<usize> = SEEN.iter().map(|n| n.load(Relaxed)).collect();
    println!("miss, hit, refreshed, moved, inserted, replaced: {seen:?}");
    assert!(
        seen.iter().all(|&n| n > 0),
        "some result never came up: {seen:?}"
    );
}

/// Known answers: learn, hit, a station moving, the same MAC on another VLAN, aging out.
#[test]
fn learn_move_and_age_known_answers() {
    let mut rtl = Rtl::new(3);
    let a = 0x0019_B900_0001u64;
    assert_eq!(rtl.op(0, a, 0, 0).0, 0, "empty table: miss");
    assert_eq!(rtl.op(1, a, 0, 1).0, 4, "inserted");
    let (r, p, _) = rtl.op(0, a, 0, 0);
    assert_eq!((r, p), (1, 1), "hit on port 1");
    assert_eq!(rtl.op(0, a, 7, 0).0, 0, "another VLAN: another station");
    assert_eq!(rtl.op(1, a, 0, 1).0, 2, "refreshed");
    assert_eq!(rtl.op(1, a, 0, 0).0, 3, "moved");
    let (r, p, _) = rtl.op(0, a, 0, 0);
    assert_eq!((r, p), (1, 0), "now on port 0");
    println!("an operation takes {} cycles", rtl.cycles);
    assert!(rtl.tick() && rtl.tick());
    assert_eq!(
        rtl.op(0, a, 0, 0).0,
        1,
        "2 epochs unheard, timeout 3: still there"
    );
    assert!(rtl.tick());
    assert_eq!(rtl.op(0, a, 0, 0).0, 0, "3 epochs unheard: gone");
}

/// 100 stations learned, then 260 epochs of silence with the scrub's time between ticks:
/// none of them is found again. Without the scrub they would (their age wraps to 4 < 20).
#[test]
fn entries_nobody_hears_do_not_come_back_when_the_epoch_wraps() {
    let mut rtl = Rtl::new(20);
    let mut model = MacTable::new(SBITS, 20);
    for k in 0..100 {
        let (mac, vlan) = station(k);
        let want = model.learn(mac, vlan, (k % 2) as u8).code();
        assert_eq!(rtl.op(1, mac, vlan, (k % 2) as u8).0, want, "learn {k}");
    }
    for _ in 0..260 {
        model.tick();
        assert!(rtl.tick());
        rtl.idle(7 * 1024 + 50);
    }
    for k in 0..100 {
        let (mac, vlan) = station(k);
        assert_eq!(model.lookup(mac, vlan), None);
        assert_eq!(rtl.op(0, mac, vlan, 0).0, 0, "station {k} came back");
    }
    for a in 0..(1usize << SBITS) {
        assert!(!rtl.slot(a).valid, "slot {a} not scrubbed");
    }
}
