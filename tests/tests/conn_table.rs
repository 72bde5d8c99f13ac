//! ConnTable (R9: d-left connection table in block RAM) through Verilator against
//! `flowdist_model::conn_table`: generated sequences of lookups, inserts, deletes and epoch
//! ticks (and learns: insert unless present) over a small key population (so keys repeat, buckets fill and entries expire);
//! every operation's result and TM compared as it completes, and every one of the 1024 slots
//! read back and compared at the end. A flood of new keys until the table is full: the first
//! failure's load, no live entry disturbed by the failed inserts.
use flowdist_model::conn_table::{ConnKey, ConnTable, Outcome, Slot};
use flowdist_sim::{Dut, Sim};
use flowdist_tests::prop::check_cases;
use flowdist_tests::table_ops::{issue, wait_idle};
use proptest::prelude::*;

const ABITS: u32 = 10;

#[derive(Clone, Copy, Debug)]
enum Op {
    Lookup(u32),
    Insert(u32, u8),
    Learn(u32, u8),
    Delete(u32),
    Tick,
}

fn key(i: u32) -> ConnKey {
    ConnKey {
        src_ip: 0x0A00_0000 | (i & 0xFFFF),
        dst_ip: 0xCB00_710A ^ (i >> 16),
        src_port: 1024 + (i % 30_000) as u16,
        dst_port: 443,
        proto: 6,
        vlan: (i % 3) as u16 * 100,
    }
}

struct Rtl {
    sim: Sim,
    /// Cycles from `op_valid` to `done` of the last operation.
    cycles: usize,
}

impl Rtl {
    fn new(timeout: u8) -> Self {
        let mut sim = Sim::new(Dut::ConnTable);
        sim.set("timeout", timeout as u64).unwrap();
        sim.reset(2).unwrap();
        Rtl { sim, cycles: 0 }
    }

    /// One operation to completion: (result, tm, entry words).
    fn op(&mut self, op: u64, key: u128, tm: u8) -> (u8, u8, Vec<u32>) {
        self.op_keep(op, key, tm, false)
    }

    fn op_keep(&mut self, op: u64, key: u128, tm: u8, keep: bool) -> (u8, u8, Vec<u32>) {
        let s = &mut self.sim;
        // an operation starts when the table is idle (a tick's sweep keeps it busy)
        wait_idle(s, 1000);
        s.set("op", op).unwrap();
        s.set("op_keep", keep as u64).unwrap();
        s.set_u128("key", key).unwrap();
        s.set("op_tm", tm as u64).unwrap();
        self.cycles = issue(s);
        let r = s.get("result").unwrap() as u8;
        let t = s.get("tm").unwrap() as u8;
        (r, t, s.get_words("entry").unwrap())
    }

    fn tick(&mut self) {
        self.sim.set("tick", 1).unwrap();
        self.sim.run(&[], &[], 1, None, &[]).unwrap();
        self.sim.set("tick", 0).unwrap();
    }

    fn slot(&mut self, addr: usize) -> Slot {
        let (r, _, w) = self.op(3, addr as u128, 0);
        assert_eq!(r, 6, "slot read result");
        Slot::from_bits(&w)
    }
}

fn run(ops: &[Op], timeout: u8) -> Result<(), String> {
    let mut rtl = Rtl::new(timeout);
    let mut model = ConnTable::new(ABITS, timeout);
    for (i, op) in ops.iter().enumerate() {
        let (want, got) = match *op {
            Op::Tick => {
                model.tick();
                rtl.tick();
                continue;
            }
            Op::Lookup(k) => (model.lookup(&key(k)), rtl.op(0, key(k).packed(), 0)),
            Op::Insert(k, t) => (model.insert(&key(k), t), rtl.op(1, key(k).packed(), t)),
            Op::Learn(k, t) => (
                model.learn(&key(k), t),
                rtl.op_keep(1, key(k).packed(), t, true),
            ),
            Op::Delete(k) => (model.delete(&key(k)), rtl.op(2, key(k).packed(), 0)),
        };
        if want.code() != (got.0, got.1) {
            return Err(format!(
                "op {i} {op:?}: model {want:?}, RTL result {} tm {}",
                got.0, got.1
            ));
        }
    }
    for a in 0..(1usize << ABITS) {
        let got = rtl.slot(a);
        if got != model.slots[a] {
            return Err(format!("slot {a}: model {:?}, RTL {got:?}", model.slots[a]));
        }
    }
    Ok(())
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    // a small population (keys repeat) or a wide one (buckets fill)
    (prop_oneof![Just(40u32), Just(3000u32)]).prop_flat_map(|n| {
        proptest::collection::vec(
            prop_oneof![
                3 => (0..n).prop_map(Op::Lookup),
                3 => (0..n, 0u8..16).prop_map(|(k, t)| Op::Insert(k, t)),
                2 => (0..n, 0u8..16).prop_map(|(k, t)| Op::Learn(k, t)),
                1 => (0..n).prop_map(Op::Delete),
                1 => Just(Op::Tick),
            ],
            1..400,
        )
    })
}

#[test]
fn generated_operations_every_slot() {
    check_cases(
        24,
        (ops(), prop_oneof![Just(3u8), Just(20), Just(255)]),
        |(ops, t)| run(&ops, t),
    );
}

/// A SYN flood of new keys (R9 adversarial): inserts until the first failure, then more;
/// every entry inserted before stays, the table reports `full` and is left as it was.
#[test]
fn flood_until_full() {
    let mut rtl = Rtl::new(255);
    let mut model = ConnTable::new(ABITS, 255);
    let mut i = 0u32;
    loop {
        let want = model.insert(&key(i), (i % 16) as u8);
        let got = rtl.op(1, key(i).packed(), (i % 16) as u8);
        assert_eq!(want.code(), (got.0, got.1), "insert {i}");
        if want == Outcome::Full {
            break;
        }
        i += 1;
    }
    let load = model.len() as f64 / 1024.0;
    println!(
        "first failed insert at key {i}, load {load:.3}; an operation takes {} cycles",
        rtl.cycles
    );
    assert!(load > 0.8, "load at first failure {load}");
    for j in i..i + 200 {
        let w = model.insert(&key(j), 1);
        assert_eq!(w.code(), {
            let g = rtl.op(1, key(j).packed(), 1);
            (g.0, g.1)
        });
    }
    for j in 0..i {
        assert_eq!(rtl.op(0, key(j).packed(), 0).0, 1, "key {j} lost");
    }
}
