//! `flowdist report`: how a run spread its traffic over the TMs, how the configuration spreads
//! its buckets, and what the last build used and reached (R18).
//!
//! Reads the run folder's `decisions.jsonl` (from `flowdist run`, or `flowdist live --log`),
//! counts per TM the frames, bytes and distinct flows (5-tuples) sent to it, and writes
//! `spread.svg`; with `--config`, the buckets each TM serves as primary (`buckets.svg`); with a
//! build folder holding `summary.json` (`flowdist build`), utilization and Fmax per clock.
use plotters::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::Path;

/// What was sent to one TM.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct TmLoad {
    pub frames: u64,
    pub bytes: u64,
    pub flows: usize,
}

/// Per TM, from a decision log: frames decided "to TM" and sent (not dropped).
pub fn tm_loads(log: &Path) -> Result<BTreeMap<u8, TmLoad>, String> {
    let f = std::fs::File::open(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut loads: BTreeMap<u8, TmLoad> = BTreeMap::new();
    let mut flows: BTreeMap<u8, BTreeSet<String>> = BTreeMap::new();
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", log.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| format!("{} line {}: not JSON: {e}", log.display(), n + 1))?;
        if v["kind"] != "to_tm" || v["sent"].is_null() {
            continue;
        }
        let tm = v["tm"].as_u64().filter(|t| *t < 16).ok_or_else(|| {
            format!(
                "{} line {}: \"tm\" missing or not 0..15",
                log.display(),
                n + 1
            )
        })? as u8;
        let l = loads.entry(tm).or_default();
        l.frames += 1;
        l.bytes += v["len"].as_u64().unwrap_or(0);
        let key = ["src_ip", "dst_ip", "protocol", "src_port", "dst_port"]
            .map(|k| v[k].to_string())
            .join(" ");
        flows.entry(tm).or_default().insert(key);
    }
    for (tm, set) in flows {
        if let Some(l) = loads.get_mut(&tm) {
            l.flows = set.len();
        }
    }
    Ok(loads)
}

/// Grouped bars: one group per TM, one bar per series, each series scaled to its own maximum
/// (frames and flows differ by orders of magnitude), with the values in the legend.
fn bars(path: &Path, title: &str, tms: &[u8], series: &[(&str, Vec<f64>)]) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let root = SVGBackend::new(path, (160 + 90 * tms.len().max(1) as u32, 420)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let groups = tms.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(35)
        .y_label_area_size(50)
        .build_cartesian_2d(-0.5f64..groups - 0.5, 0f64..105f64)
        .map_err(|e| err(&e))?;
    let labels: Vec<String> = tms.iter().map(|t| format!("TM {t}")).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(tms.len().max(1))
        .x_label_formatter(&|x| {
            // groups are centred on 0, 1, 2, ...
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                labels[i as usize].clone()
            } else {
                String::new()
            }
        })
        .y_desc("% of the largest")
        .draw()
        .map_err(|e| err(&e))?;
    let width = 0.8 / series.len().max(1) as f64;
    for (s, (name, values)) in series.iter().enumerate() {
        let max = values.iter().cloned().fold(0.0, f64::max).max(1e-9);
        let colour = Palette99::pick(s).to_rgba();
        chart
            .draw_series(values.iter().enumerate().map(|(i, v)| {
                let x0 = i as f64 - 0.4 + s as f64 * width;
                Rectangle::new(
                    [(x0, 0.0), (x0 + width * 0.9, 100.0 * v / max)],
                    colour.filled(),
                )
            }))
            .map_err(|e| err(&e))?
            .label(format!("{name} (max {max:.0})"))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled()));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))
}

/// max / mean of the values, the usual imbalance figure (1.0 = perfectly even).
fn imbalance(v: &[f64]) -> f64 {
    let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
    if mean == 0.0 {
        return 1.0;
    }
    v.iter().cloned().fold(0.0, f64::max) / mean
}

pub fn report(
    run: &Path,
    config: Option<&Path>,
    build: &Path,
    out: Option<&Path>,
) -> Result<(), String> {
    let out = out.unwrap_or(run);
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let log = run.join("decisions.jsonl");
    let loads = tm_loads(&log)?;
    println!("traffic to TMs ({}):", log.display());
    println!(
        "  {:>4} {:>10} {:>12} {:>8} {:>7}",
        "TM", "frames", "bytes", "flows", "share"
    );
    let total: u64 = loads.values().map(|l| l.frames).sum();
    for (tm, l) in &loads {
        println!(
            "  {tm:>4} {:>10} {:>12} {:>8} {:>6.1}%",
            l.frames,
            l.bytes,
            l.flows,
            100.0 * l.frames as f64 / total.max(1) as f64
        );
    }
    let tms: Vec<u8> = loads.keys().copied().collect();
    let frames: Vec<f64> = loads.values().map(|l| l.frames as f64).collect();
    let flows: Vec<f64> = loads.values().map(|l| l.flows as f64).collect();
    if loads.is_empty() {
        println!("  (no frames were sent to a TM)");
    } else {
        println!(
            "  imbalance (max / mean): frames {:.3}, flows {:.3}",
            imbalance(&frames),
            imbalance(&flows)
        );
        let svg = out.join("spread.svg");
        bars(
            &svg,
            "frames and flows per TM",
            &tms,
            &[("frames", frames), ("flows", flows)],
        )?;
        println!("  plot: {}", svg.display());
    }
    if let Some(path) = config {
        let cfg = flowdist_control::config::Config::load(path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let t = flowdist_control::compile::compile(&cfg, 64)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let tms: Vec<u8> = (0..t.tms.len() as u8).collect();
        let share: Vec<f64> = tms
            .iter()
            .map(|&i| t.buckets.iter().filter(|b| b.primary == i).count() as f64)
            .collect();
        println!(
            "buckets per TM as primary ({}, {} buckets):",
            path.display(),
            t.buckets.len()
        );
        for (i, s) in share.iter().enumerate() {
            println!("  TM {i}: {s:.0}");
        }
        println!("  imbalance (max / mean): {:.3}", imbalance(&share));
        let svg = out.join("buckets.svg");
        bars(
            &svg,
            "buckets per TM (primary)",
            &tms,
            &[("buckets", share)],
        )?;
        println!("  plot: {}", svg.display());
    }
    let summary = build.join("summary.json");
    match std::fs::read_to_string(&summary) {
        Err(_) => println!(
            "no build summary at {} (run `flowdist build`, or pass --build DIR)",
            summary.display()
        ),
        Ok(text) => {
            let v: Value = serde_json::from_str(&text)
                .map_err(|e| format!("{}: not JSON: {e}", summary.display()))?;
            println!("last build ({}):", summary.display());
            if let Some(u) = v["utilization"].as_object() {
                for (name, x) in u {
                    println!(
                        "  {name:<5} {:>6} / {:<6} ({:.1} %)",
                        x["used"],
                        x["available"],
                        x["percent"].as_f64().unwrap_or(0.0)
                    );
                }
            }
            for c in v["clocks"].as_array().into_iter().flatten() {
                println!(
                    "  clock {:<12} {:>7.2} MHz (needs {:.0}) {}",
                    c["clock"].as_str().unwrap_or("?"),
                    c["achieved_mhz"].as_f64().unwrap_or(0.0),
                    c["required_mhz"].as_f64().unwrap_or(0.0),
                    if c["pass"] == true { "PASS" } else { "FAIL" }
                );
            }
        }
    }
    Ok(())
}
