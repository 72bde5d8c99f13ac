//! `flowdist report` after `flowdist run` on the shipped example: per-TM figures that agree
//! with the decision log, the plots, the bucket spread of the configuration, and bad inputs.
mod common;
use common::{flowdist, tmp};

#[test]
fn report_after_run_on_the_example() {
    let out = tmp("report-fig11");
    let o = flowdist(&[
        "run",
        "--config",
        "examples/fig11.toml",
        "--pcap",
        "examples/fig11-network.pcap",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = flowdist(&[
        "report",
        out.to_str().unwrap(),
        "--config",
        "examples/fig11.toml",
        "--build",
        out.join("no-build").to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // frames per TM, counted here from the log
    let log = std::fs::read_to_string(out.join("decisions.jsonl")).unwrap();
    let mut per_tm = std::collections::BTreeMap::<u64, u64>::new();
    for line in log.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["kind"] == "to_tm" && !v["sent"].is_null() {
            *per_tm.entry(v["tm"].as_u64().unwrap()).or_default() += 1;
        }
    }
    assert!(
        per_tm.len() >= 2,
        "the example reaches several TMs: {per_tm:?}"
    );
    for (tm, n) in &per_tm {
        let row = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(&tm.to_string()))
            .unwrap_or_else(|| panic!("no row for TM {tm}:\n{text}"));
        let frames: u64 = row.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert_eq!(frames, *n, "TM {tm}: {row}");
    }
    // the configuration's 4096 buckets are all someone's
    let buckets: u64 = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("TM "))
        .filter_map(|l| l.split(": ").nth(1)?.trim().parse::<u64>().ok())
        .sum();
    assert_eq!(buckets, 4096, "{text}");
    for svg in ["spread.svg", "buckets.svg"] {
        let s = std::fs::read_to_string(out.join(svg)).unwrap();
        assert!(s.starts_with("<svg") && s.contains("TM 1"), "{svg}");
    }
    assert!(text.contains("no build summary"), "{text}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn report_names_what_is_wrong() {
    let out = tmp("report-bad");
    std::fs::create_dir_all(&out).unwrap();
    let o = flowdist(&["report", out.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("decisions.jsonl"), "{err}");
    for (log, line) in [
        ("{\"kind\":\"to_tm\"}\nnot json\n", "line 1"),
        ("{\"kind\":\"bridge\"}\nnot json\n", "line 2"),
    ] {
        std::fs::write(out.join("decisions.jsonl"), log).unwrap();
        let o = flowdist(&["report", out.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success() && err.contains(line), "{err}");
    }
    let _ = std::fs::remove_dir_all(&out);
}
