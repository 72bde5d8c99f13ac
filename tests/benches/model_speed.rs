//! The golden model as a software distributor, for BENCHMARKS.md:
//! `cargo bench -p flowdist-tests --bench model_speed`.
//!
//! Per frame: parse (FCS check, every field, both key hashes), CAM lookups, the FIG. 6-10
//! decision, hash selection, delivery plan and the frame edit with a fresh FCS
//! (`classify` + `plan` + `edit_into` a buffer reused across frames), on 64-byte TCP/IPv4 frames from 4096 flows to a virtual
//! address delivered by VLAN push. One core, then two threads each with half of the flows.
use flowdist_model::classifier::classify;
use flowdist_model::delivery::plan;
use flowdist_model::fcs_checker::payload;
use flowdist_model::frame_editor::edit_into;
use flowdist_model::tables::Delivery;
use flowdist_tests::configs::{all_hashed, line_rate_to_tms};
use std::time::Instant;

fn distribute(
    frames: &[Vec<u8>],
    rounds: usize,
    cfg: &flowdist_model::tables::DataPlaneConfig,
) -> (usize, usize) {
    let mut sent = 0usize;
    let mut bytes = 0usize;
    let mut out = Vec::new();
    for _ in 0..rounds {
        for f in frames {
            let (h, d) = classify(f, 0, cfg);
            if let Some(d) = d {
                let p = plan(&d, &h, 0, cfg);
                if !p.drop {
                    edit_into(payload(f), &p.edits, &mut out);
                    bytes += out.len();
                    sent += 1;
                }
            }
        }
    }
    (sent, bytes)
}

fn main() {
    let cfg = all_hashed(Delivery::Vlan(101));
    let frames = line_rate_to_tms(4096);
    assert!(frames.iter().all(|f| f.len() == 64));
    let rounds = 300;
    let n = frames.len() * rounds;
    distribute(&frames, 5, &cfg); // warm up
    let t = Instant::now();
    let (sent, bytes) = distribute(&frames, rounds, &cfg);
    let dt = t.elapsed().as_secs_f64();
    assert_eq!(sent, n);
    println!(
        "1 thread : {:.2} M frames/s ({n} frames of 64 B in {dt:.2} s, {:.0} MB/s out)",
        n as f64 / dt / 1e6,
        bytes as f64 / dt / 1e6
    );
    let (a, b) = frames.split_at(frames.len() / 2);
    let t = Instant::now();
    let (s1, s2) = std::thread::scope(|s| {
        let h1 = s.spawn(|| distribute(a, rounds, &cfg));
        let h2 = s.spawn(|| distribute(b, rounds, &cfg));
        (h1.join().unwrap(), h2.join().unwrap())
    });
    let dt = t.elapsed().as_secs_f64();
    assert_eq!(s1.0 + s2.0, n);
    println!(
        "2 threads: {:.2} M frames/s (flows sharded by halves)",
        n as f64 / dt / 1e6
    );
}
