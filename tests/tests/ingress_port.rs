//! IngressPort (classifier + frame buffer + frame editor) through Verilator against the
//! model: for generated configurations and frames, every frame it sends, every byte, and the
//! egress port.
use flowdist_sim::Dut;
use flowdist_tests::classifier_harness::check_ingress;
use flowdist_tests::configs::{all_hashed, config_strategy, frame_for, line_rate_to_tms};
use flowdist_tests::frames;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

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
            let o = check_ingress(Dut::IngressPort, &cfg, ingress, &frames, |i| 20 + i % 5)
                .map_err(TestCaseError::fail)?;
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

/// R12 under load: minimum frames at line rate delivered by VLAN re-tag (output no longer
/// than input): nothing dropped, every frame out bit-exact.
#[test]
fn line_rate_minimum_frames_no_drops() {
    let cfg = all_hashed(flowdist_model::tables::Delivery::Vlan(101));
    let frames = line_rate_to_tms(3000);
    assert!(frames.iter().all(|f| f.len() == 64));
    let o =
        check_ingress(Dut::IngressPort, &cfg, 0, &frames, |_| 20).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((o.overruns, o.got, o.want), (0, 3000, 3000));
}

/// Overload: minimum frames at line rate all encapsulated IP-in-IP (20 bytes more out than
/// in): the ring drops whole frames, counted; every frame sent is bit-exact and in order.
#[test]
fn ipip_overload_drops_whole_frames_only() {
    let cfg = all_hashed(flowdist_model::tables::Delivery::IpInIp(0xC000_020A));
    let frames = line_rate_to_tms(3000);
    let o =
        check_ingress(Dut::IngressPort, &cfg, 0, &frames, |_| 20).unwrap_or_else(|e| panic!("{e}"));
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
