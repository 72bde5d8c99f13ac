//! `flowdist report` after `flowdist run` on the shipped example: per-TM figures that agree
//! with the decision log, the plots, the bucket spread of the configuration, the hash
//! buckets' and the connection table's occupancy, and bad inputs.
mod common;
use common::{flowdist, tmp};
use std::collections::{BTreeMap, BTreeSet};

/// The rows of the table under the report's line starting with `heading`: first column as
/// text, the others as numbers, up to the "plot:" line.
fn table(text: &str, heading: &str) -> Vec<(String, Vec<f64>)> {
    text.lines()
        .skip_while(|l| !l.starts_with(heading))
        .skip(2)
        .take_while(|l| !l.trim().starts_with("plot:"))
        .map(|l| {
            let mut w = l.split_whitespace();
            let k = w.next().unwrap().to_string();
            (k, w.map(|x| x.parse().unwrap()).collect())
        })
        .collect()
}

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

    // the hash buckets: every frame of a hash cell names its bucket, and a frame the hash
    // sent (no table hit, no backup) went to that bucket's primary TM
    let cfg = flowdist_control::config::Config::load(&common::root().join("examples/fig11.toml"))
        .unwrap();
    let tables = flowdist_control::compile::compile(&cfg, 64).unwrap();
    let mut conns: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    let mut hashed = 0;
    for line in log.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let hash_cell = v["cell"]["action"]
            .as_str()
            .is_some_and(|a| a.starts_with("hash"));
        assert_eq!(hash_cell, !v["bucket"].is_null(), "{line}");
        let Some(b) = v["bucket"].as_u64() else {
            continue;
        };
        if v["kind"] == "to_tm" && v["table"] != "hit" && v["used_backup"] == false {
            assert_eq!(
                v["tm"].as_u64().unwrap(),
                tables.buckets[b as usize].primary as u64,
                "{line}"
            );
            hashed += 1;
        }
        let mut ends = [
            format!("{} {}", v["src_ip"], v["src_port"]),
            format!("{} {}", v["dst_ip"], v["dst_port"]),
        ];
        ends.sort();
        conns
            .entry(b)
            .or_default()
            .insert(format!("{ends:?} {}", v["protocol"]));
    }
    assert!(hashed >= 10, "the example hashes frames: {hashed}");
    // ... and the occupancy table counts the buckets by their connections
    let mut holding = BTreeMap::<usize, f64>::new();
    for c in conns.values() {
        *holding.entry(c.len()).or_default() += 1.0;
    }
    *holding.entry(0).or_default() += (4096 - conns.len()) as f64;
    let occ = table(&text, "hash bucket occupancy");
    assert!(occ.len() >= 3, "{text}");
    for (k, row) in &occ {
        let want = k
            .parse()
            .map_or(0.0, |k: usize| holding.get(&k).copied().unwrap_or(0.0));
        assert_eq!(row[0], want, "buckets holding {k}:\n{text}");
        assert!(row[1] >= 0.0, "{text}");
    }
    let expected: f64 = occ.iter().map(|(_, r)| r[1]).sum();
    assert!(
        (expected - 4096.0).abs() < 0.5,
        "expected counts sum to the buckets: {text}"
    );

    // the connection table: nothing ages in a replay, so every learned key is live
    let learned = log
        .lines()
        .filter(|l| l.contains("\"learn\":\"learned\""))
        .count();
    assert!(learned >= 10, "the example learns keys: {learned}");
    let fill: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("conn_table.json")).unwrap())
            .unwrap();
    assert_eq!(fill["live"].as_u64().unwrap() as usize, learned);
    let conn = table(&text, "connection table at the end");
    assert_eq!(conn.len(), 9, "buckets of 8 slots hold 0..=8: {text}");
    let (buckets, entries) = conn.iter().fold((0.0, 0.0), |(b, e), (k, r)| {
        (b + r[0], e + r[0] * k.parse::<f64>().unwrap())
    });
    assert_eq!(
        (buckets, entries as usize),
        (4096.0 / 8.0, learned),
        "{text}"
    );
    for svg in ["occupancy.svg", "conn_table.svg"] {
        let s = std::fs::read_to_string(out.join(svg)).unwrap();
        assert!(
            s.starts_with("<svg") && s.contains("observed") == (svg == "occupancy.svg"),
            "{svg}"
        );
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
    // a bucket past the hash selector's, and one past the configuration's 256 buckets
    let small = out.join("small.toml");
    let fig11 = std::fs::read_to_string(common::root().join("examples/fig11.toml")).unwrap();
    std::fs::write(&small, fig11.replace("bucket_bits = 12", "bucket_bits = 8")).unwrap();
    for (bucket, says) in [
        (5000, "line 2: \"bucket\" not 0..4095"),
        (300, "line 2: bucket 300"),
    ] {
        let log = format!("{{\"bucket\":3}}\n{{\"bucket\":{bucket}}}\n");
        std::fs::write(out.join("decisions.jsonl"), log).unwrap();
        let o = flowdist(&[
            "report",
            out.to_str().unwrap(),
            "--config",
            small.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success() && err.contains(says), "{err}");
    }
    // a connection table fill that does not add up
    std::fs::write(out.join("decisions.jsonl"), "").unwrap();
    std::fs::write(
        out.join("conn_table.json"),
        r#"{"slots":64,"slots_per_bucket":8,"live":0,"buckets_holding":[7,0,0,0,0,0,0,0,0]}"#,
    )
    .unwrap();
    let o = flowdist(&["report", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("conn_table.json") && err.contains("add up"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&out);
}
