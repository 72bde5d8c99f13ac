//! MdioWriter (the board's PHY start-up writes) through Verilator against
//! `flowdist_model::mdio_writer`: what a PHY samples off MDC/MDIO is the board's table, every
//! write to every PHY address, in order, with MDC at most 2.5 MHz and MDIO steady around each
//! rising edge; once per reset, whatever `start` does afterwards.
use flowdist_hdl::board_top::phy_writes;
use flowdist_model::mdio_writer::decode;
use flowdist_sim::{Dut, Sim};

/// Clause 22: MDC period at least 400 ns (50 cycles of 8 ns), MDIO set up and held 10 ns.
const MIN_HALF: usize = 25;
const HOLD: usize = 2;

/// Runs `cycles` with `start` high in the given cycles; (mdc, mdio) per cycle and `done` at
/// the end.
fn run(starts: &[usize], cycles: usize) -> (Vec<(bool, bool)>, Vec<bool>) {
    let mut sim = Sim::new(Dut::MdioWriter);
    sim.reset(2).unwrap();
    let stim: Vec<u64> = (0..cycles).map(|c| starts.contains(&c) as u64).collect();
    let recs = sim
        .run(&["start"], &stim, cycles, None, &["mdc", "mdio", "done"])
        .unwrap();
    (
        recs.iter().map(|r| (r[0] != 0, r[1] != 0)).collect(),
        recs.iter().map(|r| r[2] != 0).collect(),
    )
}

#[test]
fn every_phy_gets_the_advertisement() {
    let frames = phy_writes().len();
    assert_eq!(frames, 96);
    // 64 bits of 64 cycles a frame, and some idle after
    let cycles = 10 + frames * 64 * 64 + 2000;
    let (pins, done) = run(&[10, 50_000, 300_000], cycles);
    assert!(
        pins[..10].iter().all(|&p| p == (false, true)),
        "idle before start"
    );
    let got = decode(&pins, MIN_HALF, HOLD).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(got, flowdist_tests::phy_advertisement());
    // done once the last frame's last bit is out, and the line idle from there on
    let end = done.iter().position(|&d| d).expect("never done");
    assert!(done[end..].iter().all(|&d| d));
    assert!(
        pins[end..].iter().all(|&p| p == (false, true)),
        "not idle after the end"
    );
    assert!(
        end > frames * 64 * 64,
        "done at {end}, before the frames could be sent"
    );
}

#[test]
fn nothing_before_start() {
    let (pins, done) = run(&[], 20_000);
    assert!(pins.iter().all(|&p| p == (false, true)));
    assert!(!done.iter().any(|&d| d));
}
