//! BlockFifo (the block-RAM queue with the DP16KD output register) through Verilator against
//! its cycle model: random writes and pops, including writes when full, pops when empty,
//! back-to-back write/pop of the same word and reset in the middle; empty, full and every
//! popped word compared cycle by cycle.
use flowdist_model::block_fifo::{BlockFifo, FifoView};
use flowdist_sim::{Dut, Sim};
use flowdist_tests::prop::check_cases;
use proptest::prelude::*;

const CAPACITY: usize = 16;
const INPUTS: [&str; 4] = ["write", "data_in", "pop", "reset"];
const OUTPUTS: [&str; 5] = ["empty", "full", "out_valid", "data_out", "level"];

#[derive(Clone, Copy, Debug)]
struct Cycle {
    write: Option<u32>,
    pop: bool,
}

fn cycles() -> impl Strategy<Value = Vec<Cycle>> {
    // phases of mostly-writing and mostly-popping so the queue fills and drains
    let phase = (0u32..=100, 0u32..=100, 1usize..60).prop_flat_map(|(pw, pp, n)| {
        proptest::collection::vec(
            (0u32..100, 0u32..(1 << 20), 0u32..100).prop_map(move |(w, d, p)| Cycle {
                write: (w < pw).then_some(d),
                pop: p < pp,
            }),
            n,
        )
    });
    proptest::collection::vec(phase, 1..8).prop_map(|v| v.concat())
}

/// The views the RTL shows before each cycle's edge (as recorded after the previous edge).
fn rtl_views(sim: &mut Sim, cs: &[Cycle]) -> Vec<FifoView> {
    let mut stim = Vec::new();
    for c in cs {
        stim.extend([
            c.write.is_some() as u64,
            c.write.unwrap_or(0) as u64,
            c.pop as u64,
            0,
        ]);
    }
    let recs = sim.run(&INPUTS, &stim, cs.len(), None, &OUTPUTS).unwrap();
    recs.iter()
        .map(|r| FifoView {
            empty: r[0] != 0,
            full: r[1] != 0,
            out: (r[2] != 0).then_some(r[3]),
            level: r[4] as usize,
        })
        .collect()
}

fn check(cs: &[Cycle]) -> Result<(), String> {
    let mut sim = Sim::new(Dut::BlockFifo);
    sim.reset(2).unwrap();
    let got = rtl_views(&mut sim, cs);
    let mut model = BlockFifo::new(CAPACITY);
    for (i, c) in cs.iter().enumerate() {
        model.step(c.write.map(u128::from), c.pop);
        if got[i] != model.view() {
            return Err(format!(
                "after cycle {i} ({c:?}): model {:?}, rtl {:?}",
                model.view(),
                got[i]
            ));
        }
    }
    Ok(())
}

#[test]
fn generated_write_pop_sequences() {
    check_cases(300, cycles(), |cs| check(&cs));
}

#[test]
fn fills_to_capacity_then_refuses_and_drains_in_order() {
    let mut cs: Vec<Cycle> = (0..CAPACITY as u32 + 4)
        .map(|d| Cycle {
            write: Some(d + 1),
            pop: false,
        })
        .collect();
    cs.extend((0..CAPACITY + 6).map(|_| Cycle {
        write: None,
        pop: true,
    }));
    check(&cs).unwrap();
    let mut sim = Sim::new(Dut::BlockFifo);
    sim.reset(2).unwrap();
    let got = rtl_views(&mut sim, &cs);
    let words: Vec<u128> = got.iter().filter_map(|v| v.out).collect();
    assert_eq!(words, (1..=CAPACITY as u128).collect::<Vec<_>>());
    assert!(got[CAPACITY - 1].full && got.last().unwrap().empty);
}

#[test]
fn reset_empties_a_full_queue() {
    let mut sim = Sim::new(Dut::BlockFifo);
    sim.reset(2).unwrap();
    let fill: Vec<Cycle> = (0..CAPACITY as u32)
        .map(|d| Cycle {
            write: Some(d),
            pop: false,
        })
        .collect();
    assert!(rtl_views(&mut sim, &fill).last().unwrap().full);
    sim.reset(1).unwrap();
    let after = rtl_views(
        &mut sim,
        &[Cycle {
            write: None,
            pop: true,
        }; 4],
    );
    assert!(after
        .iter()
        .all(|v| v.empty && !v.full && v.out.is_none() && v.level == 0));
}
