//! rust-hdl's own simulator on the HeaderParser, for BENCHMARKS.md:
//! `cargo run --release -p flowdist-hdl --example rusthdl_sim_speed -- [cycles]`
use flowdist_hdl::crc32_byte::POLY_IEEE;
use flowdist_hdl::header_parser::HeaderParser;
use rust_hdl::prelude::*;
use std::time::Instant;

fn main() {
    let cycles: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let mut uut = HeaderParser::new(POLY_IEEE);
    uut.connect_all();
    let mut sim: Simulation<HeaderParser> = Simulation::new();
    sim.add_clock(5, |x: &mut Box<HeaderParser>| x.clock.next = !x.clock.val());
    sim.add_testbench(move |mut sim: Sim<HeaderParser>| {
        let mut x = sim.init()?;
        x.reset.next = true;
        wait_clock_cycles!(sim, clock, x, 2);
        x.reset.next = false;
        let mut k = 0u64;
        for _ in 0..cycles {
            x.rx_valid.next = k % 84 < 64;
            x.rx_last.next = k % 84 == 63;
            x.rx_data.next = bits((k * 7 % 256) as u64);
            k += 1;
            wait_clock_cycle!(sim, clock, x);
        }
        sim.done(x)
    });
    let t = Instant::now();
    sim.run(Box::new(uut), 10 * (cycles + 10)).unwrap();
    let s = t.elapsed().as_secs_f64();
    println!(
        "rust-hdl simulation: {cycles} cycles in {s:.2} s = {:.0} cycles/s",
        cycles as f64 / s
    );
}
