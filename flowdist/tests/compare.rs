//! `flowdist compare` and `flowdist run --sim` (built with the `sim` feature, as
//! tools/test.sh builds the workspace): the shipped example through the RTL core agrees with
//! the model, and `run --sim` writes what `run` writes for the same capture.
#![cfg(feature = "sim")]
mod common;
use common::{flowdist, read, tmp};

#[test]
fn compare_the_example_on_both_ports() {
    for (pcap, ingress, min_frames) in [
        ("examples/fig11-network.pcap", "0", 60),
        ("examples/fig11-trunk.pcap", "1", 5),
    ] {
        let o = flowdist(&[
            "compare",
            "--config",
            "examples/fig11.toml",
            "--pcap",
            pcap,
            "--ingress",
            ingress,
        ]);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let frames: usize = text
            .lines()
            .filter(|l| l.ends_with("identical"))
            .map(|l| {
                l.split_whitespace()
                    .nth(2)
                    .unwrap()
                    .parse::<usize>()
                    .unwrap()
            })
            .sum();
        assert!(frames >= min_frames, "{text}");
        assert!(text.contains("counters: all 128 equal"), "{text}");
    }
}

#[test]
fn run_sim_writes_what_run_writes() {
    let dir = tmp("runsim");
    let (model, rtl) = (dir.join("model"), dir.join("rtl"));
    for (out, sim) in [(&model, false), (&rtl, true)] {
        let mut args = vec![
            "run",
            "--config",
            "examples/fig11.toml",
            "--pcap",
            "examples/fig11-network.pcap",
            "--out",
            out.to_str().unwrap(),
        ];
        if sim {
            args.push("--sim");
        }
        let o = flowdist(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // the frames, not the timestamps (`run` keeps the capture's; the rtl has none)
    let mut total = 0;
    for port in ["port0.pcap", "port1.pcap"] {
        let (a, b) = (read(&model.join(port)), read(&rtl.join(port)));
        assert_eq!(a, b, "{port}: the rtl's frames differ from the model's");
        total += a.len();
    }
    assert!(total > 60, "{total} frames");
    let counters = std::fs::read_to_string(rtl.join("counters.txt")).unwrap();
    assert!(counters.contains("port 0 rx_frames 70"), "{counters}");
    let _ = std::fs::remove_dir_all(&dir);
}
