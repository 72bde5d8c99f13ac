//! The golden model as a software distributor, for BENCHMARKS.md:
//! `cargo bench -p flowdist-tests --bench model_speed`.
//!
//! Per frame: parse (FCS check, every field, both key hashes), CAM lookups, the FIG. 6-10
//! decision, hash selection, delivery plan and the frame edit with a fresh FCS
//! (`Classifier::classify` on a configuration compiled once + `plan` + `edit_into` a buffer
//! reused across frames), on 64-byte TCP/IPv4 frames from 4096 flows to a virtual address
//! delivered by VLAN push. One core, then two threads each with half of the flows; then the
//! same with every feature on (64-entry CAM, 16 TMs, keys hashed with ports and VLAN); then
//! the plain entry points (`classify`, scanning the tables as given, and `edit`, a fresh
//! `Vec` per frame).
use flowdist_model::classifier::{classify, Classifier};
use flowdist_model::delivery::plan;
use flowdist_model::fcs_checker::payload;
use flowdist_model::frame_editor::{edit, edit_into};
use flowdist_model::tables::{attr, DataPlaneConfig, Delivery, TmEntry};
use flowdist_tests::configs::{all_hashed, line_rate_to_tms, prefix, round_robin};
use std::time::Instant;

fn distribute(frames: &[Vec<u8>], rounds: usize, c: &Classifier) -> (usize, usize) {
    let mut sent = 0usize;
    let mut bytes = 0usize;
    let mut out = Vec::new();
    for _ in 0..rounds {
        for f in frames {
            let (h, d) = c.classify(f, 0);
            if let Some(d) = d {
                let p = plan(&d, &h, 0, c.config());
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

/// The first version of this loop: no compiled configuration, a fresh `Vec` per frame.
fn distribute_plain(frames: &[Vec<u8>], rounds: usize, cfg: &DataPlaneConfig) -> (usize, usize) {
    let mut sent = 0usize;
    let mut bytes = 0usize;
    for _ in 0..rounds {
        for f in frames {
            let (h, d) = classify(f, 0, cfg);
            if let Some(d) = d {
                let p = plan(&d, &h, 0, cfg);
                if !p.drop {
                    let out = edit(payload(f), &p.edits);
                    bytes += out.len();
                    sent += 1;
                }
            }
        }
    }
    (sent, bytes)
}

/// Every feature on: 63 other CAM entries (/24 node prefixes, every third qualified by
/// port 443, with owners) before the virtual address, 16 TMs by VLAN, keys with ports and
/// the VLAN id.
fn all_features() -> DataPlaneConfig {
    let mut cfg = all_hashed(Delivery::Vlan(101));
    let virt = cfg.cam.pop().unwrap();
    for i in 0..63u32 {
        let mut e = prefix(0xC0A8_0000 | i << 8, 24, attr::NODE, Some((i % 16) as u8));
        e.port = (i % 3 == 0).then_some(443);
        cfg.cam.push(e);
    }
    cfg.cam.push(virt);
    cfg.tms = (0..16)
        .map(|i| TmEntry {
            up: true,
            mac: 0x02_00_00_00_0A_00 | i as u64,
            delivery: Delivery::Vlan(101 + i as u16),
        })
        .collect();
    cfg.buckets = round_robin(16, 12);
    cfg.hash.use_port = true;
    cfg.hash.use_vlan = true;
    cfg
}

/// Best of three runs (the build machine is shared): frames/s and bytes/s.
fn timed(n: usize, mut run: impl FnMut() -> (usize, usize)) -> (f64, f64) {
    let mut best = (0.0f64, 0.0f64);
    for _ in 0..3 {
        let t = Instant::now();
        let (sent, bytes) = run();
        let dt = t.elapsed().as_secs_f64();
        assert_eq!(sent, n);
        if n as f64 / dt > best.0 {
            best = (n as f64 / dt, bytes as f64 / dt);
        }
    }
    best
}

fn main() {
    let frames = line_rate_to_tms(4096);
    assert!(frames.iter().all(|f| f.len() == 64));
    let rounds = 300;
    let n = frames.len() * rounds;
    for (name, cfg) in [
        ("bench config", all_hashed(Delivery::Vlan(101))),
        ("all features", all_features()),
    ] {
        let c = Classifier::new(&cfg);
        distribute(&frames, 5, &c); // warm up
        let (fps, bps) = timed(n, || distribute(&frames, rounds, &c));
        println!(
            "{name}, 1 thread : {:.2} M frames/s ({n} frames of 64 B, {:.0} MB/s out)",
            fps / 1e6,
            bps / 1e6
        );
        let (a, b) = frames.split_at(frames.len() / 2);
        let (fps, _) = timed(n, || {
            let (s1, s2) = std::thread::scope(|s| {
                let h1 = s.spawn(|| distribute(a, rounds, &c));
                let h2 = s.spawn(|| distribute(b, rounds, &c));
                (h1.join().unwrap(), h2.join().unwrap())
            });
            (s1.0 + s2.0, s1.1 + s2.1)
        });
        println!(
            "{name}, 2 threads: {:.2} M frames/s (flows sharded by halves)",
            fps / 1e6
        );
        let (fps, _) = timed(n, || distribute_plain(&frames, rounds, &cfg));
        println!(
            "{name}, plain classify + edit, 1 thread: {:.2} M frames/s",
            fps / 1e6
        );
    }
}
