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

/// What one run showed: frames the model sends, frames the RTL sent, frames not admitted.
struct Outcome {
    want: usize,
    got: usize,
    overruns: usize,
}

/// RTL against the model. With no overload (no `drop_overrun`) the outputs must be identical;
/// under overload every frame the RTL sends must still be bit-exact and in order (the model's
/// list with whole frames left out), and no more frames may be missing than were dropped.
fn check(
    cfg: &flowdist_model::tables::DataPlaneConfig,
    ingress: u8,
    frames: &[Vec<u8>],
    gap: impl Fn(usize) -> usize,
) -> Result<Outcome, String> {
    let mut sim = ClassifierSim::new_on(Dut::IngressPort, cfg, ingress);
    let (got, overruns) = sim.ingress_outputs(frames, gap);
    let want = ingress_outputs(frames, ingress, cfg);
    let outcome = Outcome {
        want: want.len(),
        got: got.len(),
        overruns,
    };
    if overruns == 0 {
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
        return Ok(outcome);
    }
    // overload: an order-preserving subsequence of the model's frames
    let mut k = 0;
    for (i, g) in got.iter().enumerate() {
        while k < want.len() && want[k] != *g {
            k += 1;
        }
        if k == want.len() {
            return Err(format!(
                "RTL frame {i} (port {}) is not the model's next frame or a later one (a cut or \
                 mixed frame?): {}",
                g.0,
                hex(&g.1)
            ));
        }
        k += 1;
    }
    if want.len() - got.len() > overruns {
        return Err(format!(
            "{} frames missing but only {overruns} dropped for overload",
            want.len() - got.len()
        ));
    }
    Ok(outcome)
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
            // Ethernet spacing: preamble 8 + gap 12 and more
            let o = check(&cfg, ingress, &frames, |i| 20 + i % 5).map_err(TestCaseError::fail)?;
            sent.set(sent.get() + o.got);
            Ok(())
        })
        .unwrap();
    assert!(
        sent.get() > 100,
        "only {} frames sent: the test would not see much",
        sent.get()
    );
}

/// Minimum frames back to back at line rate (20 idle cycles: preamble and gap), all to a TM.
fn line_rate_to_tms(n: usize) -> Vec<Vec<u8>> {
    use flowdist_tests::frames::tcp4;
    let virt = 0xCB00_710A;
    (0..n)
        .map(|i| tcp4(0x0A00_0000 | (i as u32 & 0xFFFF), virt, 1024 + i as u16, 80).bytes())
        .collect()
}

fn all_hashed(
    delivery: flowdist_model::tables::Delivery,
) -> flowdist_model::tables::DataPlaneConfig {
    use flowdist_model::tables::attr;
    use flowdist_tests::configs::{base, prefix};
    let mut cfg = base(vec![prefix(0xCB00_710A, 32, attr::VIRTUAL, None)]);
    for t in cfg.tms.iter_mut() {
        t.delivery = delivery;
    }
    cfg
}

/// R12 under load: minimum frames at line rate delivered by VLAN re-tag (output no longer
/// than input): nothing dropped, every frame out bit-exact.
#[test]
fn line_rate_minimum_frames_no_drops() {
    let cfg = all_hashed(flowdist_model::tables::Delivery::Vlan(101));
    let frames = line_rate_to_tms(3000);
    assert!(frames.iter().all(|f| f.len() == 64));
    let o = check(&cfg, 0, &frames, |_| 20).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((o.overruns, o.got, o.want), (0, 3000, 3000));
}

/// Overload: minimum frames at line rate all encapsulated IP-in-IP (20 bytes more out than
/// in): the ring drops whole frames, counted; every frame sent is bit-exact and in order.
#[test]
fn ipip_overload_drops_whole_frames_only() {
    let cfg = all_hashed(flowdist_model::tables::Delivery::IpInIp(0xC000_020A));
    let frames = line_rate_to_tms(3000);
    let o = check(&cfg, 0, &frames, |_| 20).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "IP-in-IP at line rate: {} of 3000 sent, {} dropped",
        o.got, o.overruns
    );
    assert!(
        o.overruns > 0,
        "no overload seen: the test does not test it"
    );
    assert_eq!(
        o.got + o.overruns,
        3000,
        "sent + dropped must be every frame"
    );
    assert!(o.got > 2000, "only {} of 3000 sent", o.got);
}
