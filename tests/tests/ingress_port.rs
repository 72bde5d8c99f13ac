//! IngressPort (classifier + frame buffer + frame editor) through Verilator against the
//! model: for generated configurations and frames, every frame it sends, every byte, and the
//! egress port.
use flowdist_model::ingress_port::ingress_outputs;
use flowdist_sim::Dut;
use flowdist_tests::classifier_harness::ClassifierSim;
use flowdist_tests::configs::{config_strategy, frame_for};
use flowdist_tests::frames;
use flowdist_tests::parser_harness::hex;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn check(
    cfg: &flowdist_model::tables::DataPlaneConfig,
    ingress: u8,
    frames: &[Vec<u8>],
    gap: impl Fn(usize) -> usize,
) -> Result<usize, String> {
    let mut sim = ClassifierSim::new_on(Dut::IngressPort, cfg, ingress);
    let got = sim.ingress_outputs(frames, gap);
    let want = ingress_outputs(frames, ingress, cfg);
    for (i, w) in want.iter().enumerate() {
        match got.get(i) {
            Some(g) if g == w => {}
            Some(g) => {
                return Err(format!(
                    "output frame {i} diverges\n model port {} {}\n rtl   port {} {}",
                    w.0,
                    hex(&w.1),
                    g.0,
                    hex(&g.1)
                ))
            }
            None => {
                return Err(format!(
                    "RTL sent {} frames, model {}",
                    got.len(),
                    want.len()
                ))
            }
        }
    }
    if got.len() != want.len() {
        return Err(format!(
            "RTL sent {} frames, model {}",
            got.len(),
            want.len()
        ));
    }
    Ok(want.len())
}

#[test]
fn generated_configs_and_frames_every_output_byte() {
    let mut runner = TestRunner::new(Config {
        cases: 100,
        ..Config::default()
    });
    let strat = (config_strategy(), 0u8..2).prop_flat_map(|(cfg, ingress)| {
        let fs = proptest::collection::vec(
            prop_oneof![6 => frame_for(&cfg), 1 => frames::wire_frame_strategy()],
            1..50,
        );
        (Just(cfg), Just(ingress), fs)
    });
    let sent = std::cell::Cell::new(0usize);
    runner
        .run(&strat, |(cfg, ingress, frames)| {
            let n = check(&cfg, ingress, &frames, |i| 12 + i % 5).map_err(TestCaseError::fail)?;
            sent.set(sent.get() + n);
            Ok(())
        })
        .unwrap();
    assert!(
        sent.get() > 100,
        "only {} frames sent: the test would not see much",
        sent.get()
    );
}
