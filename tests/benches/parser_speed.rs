//! Simulation and model speed on the parser, for BENCHMARKS.md:
//! `cargo bench -p flowdist-tests --bench parser_speed`
use flowdist_model::header_parser::{parse, HashKeyConfig};
use flowdist_tests::frames::{apply, tcp4, Mutation};
use flowdist_tests::parser_harness::{stream, ParserSim};
use std::time::Instant;

fn main() {
    let f64b = tcp4(0x0A00_0001, 0x0A00_0002, 1000, 80).bytes();
    let f1500 = apply(
        &tcp4(0x0A00_0001, 0x0A00_0002, 1000, 80),
        &Mutation::Pad(1518),
    );
    assert_eq!((f64b.len(), f1500.len()), (64, 1518));

    // Verilator: 20,000 minimum frames with the 20-byte preamble+gap budget as idle cycles
    let frames: Vec<Vec<u8>> = (0..20_000).map(|_| f64b.clone()).collect();
    let stim = stream(&frames, |_| 20);
    let cycles = stim.len() / 3;
    let mut ps = ParserSim::new(false, false);
    let t = Instant::now();
    let out = ps
        .sim
        .run(
            &["rx_valid", "rx_data", "rx_last"],
            &stim,
            cycles,
            Some("hdr_valid"),
            &["src_hash"],
        )
        .unwrap();
    let s = t.elapsed().as_secs_f64();
    assert_eq!(out.len(), frames.len());
    println!(
        "verilator HeaderParser: {cycles} cycles in {s:.3} s = {:.2} M cycles/s",
        cycles as f64 / s / 1e6
    );

    let cfg = HashKeyConfig::default();
    for (name, f, n) in [
        ("64 B", &f64b, 2_000_000usize),
        ("1518 B", &f1500, 2_000_000),
    ] {
        let t = Instant::now();
        let mut acc = 0u32;
        for _ in 0..n {
            acc ^= parse(std::hint::black_box(f), &cfg).src_hash;
        }
        let s = t.elapsed().as_secs_f64();
        println!(
            "model parse {name}: {:.2} M frames/s (1 core) [{acc:x}]",
            n as f64 / s / 1e6
        );
    }
}
