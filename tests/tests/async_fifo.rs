//! AsyncFifo (gray-coded clock-crossing queue) through Verilator with the two clocks on
//! unrelated periods: every word the reader gets is one the writer wrote, in order, none
//! twice; a word is missing only where the writer was told `overflow`; and when the reader's
//! clock is at least as fast as the writer's (the receive path: PHY clock into the core
//! clock, ±100 ppm), a writer writing every cycle is never refused.
use flowdist_model::async_fifo::crossed;
use flowdist_sim::{Dut, Sim};
use flowdist_tests::prop::check_cases;
use proptest::prelude::*;

/// Result of one run: words written, refused (by index), read.
struct Run {
    written: Vec<u64>,
    refused: Vec<usize>,
    read: Vec<u64>,
}

/// Writes `pattern` (true: write the next word this cycle) with the write clock's half period
/// `w_half` and the read clock's `r_half` (picoseconds), then lets the reader drain.
fn run(pattern: &[bool], w_half: u64, r_half: u64, r_start: u64) -> Run {
    let mut sim = Sim::new(Dut::AsyncFifo);
    let wc = sim.poke_index("write_clock").unwrap();
    let rc = sim.poke_index("read_clock").unwrap();
    let we = sim.poke_index("write").unwrap();
    let wd = sim.poke_index("data_in").unwrap();
    let ovf = sim.port("overflow").unwrap();
    let ov = sim.port("out_valid").unwrap();
    let od = sim.port("data_out").unwrap();
    let mut next = 0usize;
    let mut written = Vec::new();
    let pending: std::cell::Cell<Option<usize>> = Default::default(); // index of the write at the coming edge
    let mut refused = Vec::new();
    let mut read = Vec::new();
    let until = (pattern.len() as u64 + 4) * 2 * w_half + 200 * 2 * r_half;
    sim.run_clocks(
        &[(wc, w_half, w_half), (rc, r_half, r_start)],
        until,
        |s, d| {
            if d == 0 {
                let w = pattern.get(next).copied().unwrap_or(false);
                next += 1;
                if w {
                    let v = (written.len() as u64 * 37 + 5) & 0x1FF;
                    written.push(v);
                    pending.set(Some(written.len() - 1));
                } else {
                    pending.set(None);
                }
                s.poke(we, w as u64);
                s.poke(wd, written.last().copied().unwrap_or(0));
            }
        },
        |s, d| {
            if d == 0 {
                // `overflow` after this edge: the write at this edge was refused
                if s.get_index(ovf) != 0 {
                    refused.push(pending.get().expect("overflow with no write"));
                }
            } else if s.get_index(ov) != 0 {
                read.push(s.get_index(od) as u64);
            }
        },
    );
    Run {
        written,
        refused,
        read,
    }
}

fn check(r: &Run) -> Result<(), String> {
    let accepted: Vec<u64> = r
        .written
        .iter()
        .enumerate()
        .filter(|(i, _)| !r.refused.contains(i))
        .map(|(_, v)| *v)
        .collect();
    if r.read != crossed(&accepted) {
        return Err(format!(
            "read {} words, accepted {} (written {}, refused {}); first difference at {:?}",
            r.read.len(),
            accepted.len(),
            r.written.len(),
            r.refused.len(),
            r.read.iter().zip(&accepted).position(|(a, b)| a != b)
        ));
    }
    Ok(())
}

#[test]
fn generated_patterns_and_clock_ratios() {
    let s = (
        proptest::collection::vec(prop_oneof![3 => Just(true), 1 => Just(false)], 1..400),
        3000u64..9000,
        3000u64..9000,
        0u64..9000,
    );
    check_cases(60, s, |(p, w, r, start)| check(&run(&p, w, r, start)));
}

#[test]
fn slow_reader_refuses_and_loses_nothing_else() {
    let r = run(&vec![true; 300], 4000, 6000, 1234);
    assert!(
        !r.refused.is_empty(),
        "a reader at 2/3 of the writer's rate must fill the queue"
    );
    check(&r).unwrap();
}

#[test]
fn reader_100ppm_slower_each_way_never_refuses() {
    // 125 MHz: 4000 ps half period; ±100 ppm is ±0.4 ps, so use ±1 ps (250 ppm) to be sure.
    for (w, r) in [(4000, 4001), (4001, 4000), (4000, 4000)] {
        let run = run(&vec![true; 3000], w, r, 1717);
        assert_eq!(run.refused.len(), 0, "write {w} ps, read {r} ps");
        check(&run).unwrap();
        assert_eq!(run.read.len(), 3000);
    }
}
