//! The two-port data path (`SwitchCore`: GMII receive framing, clock crossing, both ingress
//! pipelines, both egress ports) through Verilator at the GMII level, each receive clock on
//! its own frequency against the core's, compared with the model port by port, every byte
//! including the FCS.
use flowdist_sim::Dut;
use flowdist_tests::configs::{config_strategy, frame_for};
use flowdist_tests::frames;
use flowdist_tests::prop::check_cases;
use flowdist_tests::switch_harness::{SwitchSim, CORE_HALF_PS};
use proptest::prelude::*;

#[test]
fn generated_configs_both_ports_at_once() {
    generated_configs(Dut::SwitchCore, 40);
}

/// Post-synthesis: the netlist yosys makes of the core, on the same checks (fewer cases: a
/// gate-level simulation is slower).
#[test]
fn netlist_generated_configs() {
    generated_configs(Dut::SwitchCoreNetlist, 8);
}

#[test]
fn netlist_fig11_both_ports() {
    fig11(Dut::SwitchCoreNetlist);
}

#[test]
fn netlist_line_rate_and_two_to_one() {
    line_rate(Dut::SwitchCoreNetlist, 2_000);
    two_to_one(Dut::SwitchCoreNetlist, 2_000);
}

fn generated_configs(dut: Dut, cases: u32) {
    let strat = config_strategy().prop_flat_map(|cfg| {
        let fs = || {
            proptest::collection::vec(
                prop_oneof![6 => frame_for(&cfg), 1 => frames::wire_frame_strategy()],
                0..25,
            )
        };
        // receive clocks: the core's ± up to 200 ppm (in 1 ps steps of a 4000 ps half period)
        (Just(cfg.clone()), fs(), fs(), -1i64..=1, -1i64..=1)
    });
    let sent = std::cell::Cell::new(0usize);
    check_cases(cases, strat, |(cfg, f0, f1, d0, d1)| {
        let mut s = SwitchSim::of(dut, &cfg);
        let half = |d: i64| (CORE_HALF_PS as i64 + d) as u64;
        let (n, _) = s.check([&f0, &f1], [half(d0), half(d1)], |i| 12 + i % 7)?;
        sent.set(sent.get() + n[0] + n[1]);
        Ok(())
    });
    eprintln!("{} frames out", sent.get());
    assert!(
        sent.get() > cases as usize,
        "only {} frames came out",
        sent.get()
    );
}

/// The FIG. 11 scenario on both ports at once (`examples/fig11.toml`): client requests in
/// on the network port, TM and server answers in on the trunk, every output frame checked.
#[test]
fn fig11_both_ports() {
    fig11(Dut::SwitchCore);
}

fn fig11(dut: Dut) {
    let (net, trunk) = flowdist_tests::fig11::captures();
    let mut s = SwitchSim::of(dut, &flowdist_tests::fig11::config());
    let (n, w) = s
        .check([&net, &trunk], [CORE_HALF_PS, CORE_HALF_PS + 1], |_| 12)
        .unwrap();
    assert_eq!((w.overruns, w.egress_drops), ([0, 0], [0, 0]));
    assert!(n[0] > 3 && n[1] > 60, "{n:?}");
}

/// Minimum frames back to back on both ports at once (the line-rate proof in simulation:
/// 1.488 Mpps per port): clients on port 0 to TMs on the trunk (MAC delivery, so frames stay
/// 64 bytes), TM answers on port 1 out to the network; receive clocks 250 ppm fast on one
/// port and slow on the other. Every frame out bit-exact and in order, none dropped.
#[test]
fn both_ports_line_rate_minimum_frames() {
    let n: usize = std::env::var("FLOWDIST_LINE_RATE_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    line_rate(Dut::SwitchCore, n);
}

fn line_rate(dut: Dut, n: usize) {
    use flowdist_model::tables::Delivery;
    use flowdist_tests::configs::{all_hashed, line_rate_to_tms};
    let cfg = all_hashed(Delivery::Mac);
    let to_tms = line_rate_to_tms(n);
    let from_tms: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            let mut f = frames::tcp4(0xCB00_710A, 0x0A00_0000 | (i as u32 & 0xFFFF), 80, 1024);
            f.src = cfg.tms[i % 4].mac;
            f.dst = cfg.group_mac;
            f.bytes()
        })
        .collect();
    assert!(to_tms.iter().chain(&from_tms).all(|f| f.len() == 64));
    let mut s = SwitchSim::of(dut, &cfg);
    let (sent, w) = s
        .check(
            [&to_tms, &from_tms],
            [CORE_HALF_PS - 1, CORE_HALF_PS + 1],
            |_| 12,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "{n} minimum frames per port at line rate: sent {sent:?}, drops {:?} {:?}",
        w.overruns, w.egress_drops
    );
    assert_eq!((w.overruns, w.egress_drops), ([0, 0], [0, 0]));
    assert_eq!(sent, [n, n]);
}

/// 2:1 oversubscription: both ports at minimum-frame line rate into one egress port (clients
/// on port 0 to TMs on the trunk, port 1 ARP requests for the virtual address, answered back
/// out of port 1). Port 1's queue drops whole frames from both pipelines, every frame sent is
/// bit-exact and in order, and the counters read back are exact: every frame bound for port 1
/// is either sent or counted dropped, by pipeline.
#[test]
fn two_to_one_oversubscription_counted_exactly() {
    two_to_one(Dut::SwitchCore, 20_000);
}

fn two_to_one(dut: Dut, n: usize) {
    use flowdist_model::event_counters::{address, Counter};
    use flowdist_model::tables::Delivery;
    use flowdist_tests::configs::{all_hashed, line_rate_to_tms};
    let cfg = all_hashed(Delivery::Mac);
    let to_tms = line_rate_to_tms(n);
    let asks: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            let mut f = frames::tcp4(0, 0, 0, 0);
            f.dst = 0xFFFF_FFFF_FFFF;
            f.src = 0x02_00_00_00_0B_00 | (i as u64 & 0xFF);
            f.l3 = frames::L3::Arp {
                oper: 1,
                sha: f.src,
                spa: 0x0A01_0000 | (i as u32 & 0xFFFF),
                tha: 0,
                tpa: 0xCB00_710A,
            };
            f.bytes()
        })
        .collect();
    assert!(to_tms.iter().chain(&asks).all(|f| f.len() == 64));
    let mut s = SwitchSim::of(dut, &cfg);
    let (sent, w) = s
        .check([&to_tms, &asks], [CORE_HALF_PS, CORE_HALF_PS + 1], |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    let c = s.read_counters();
    let from = |e: u8, s: u8| c[address(e, Counter::EgressFull(s))];
    println!(
        "2:1 into port 1: {} sent, dropped {} from port 0 and {} from port 1",
        sent[1],
        from(1, 0),
        from(1, 1)
    );
    assert_eq!(w.overruns, [0, 0]);
    assert_eq!(sent[0], 0);
    assert!(
        from(1, 0) > n as u64 / 10 && from(1, 1) > n as u64 / 10,
        "{w:?}",
        w = w.drop_pulses
    );
    assert_eq!(c[address(1, Counter::TxFrames)] as usize, sent[1]);
    assert_eq!(
        c[address(1, Counter::TxFrames)] + from(1, 0) + from(1, 1),
        2 * n as u64,
        "sent + dropped = bound for port 1"
    );
    assert_eq!(c[address(0, Counter::RxFrames)], n as u64);
    assert_eq!(c[address(1, Counter::Kind(7))], n as u64);
}

#[test]
fn first_divergence_finds_frame_and_byte() {
    use flowdist_tests::switch_harness::first_divergence;
    let a = vec![vec![1u8, 2, 3], vec![4, 5, 6]];
    assert_eq!(first_divergence(&a, &a), None);
    assert_eq!(
        first_divergence(&a, &[vec![1, 2, 3], vec![4, 9, 6]]),
        Some((1, 1))
    );
    assert_eq!(first_divergence(&a, &a[..1]), Some((1, 0)));
    assert_eq!(first_divergence(&a[..1], &a), Some((1, 0)));
    assert_eq!(first_divergence(&a, &[vec![1, 2]]), Some((0, 2)));
}
