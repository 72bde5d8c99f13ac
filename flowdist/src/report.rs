//! `flowdist report`: how a run spread its traffic over the TMs and the hash buckets, how
//! full it left the connection table, how the configuration spreads its buckets, and what the
//! last build used and reached (R18).
//!
//! Reads the run folder's `decisions.jsonl` (from `flowdist run`, or `flowdist live --log`),
//! counts per TM the frames, bytes and distinct flows (5-tuples) sent to it, and writes
//! `spread.svg`. With `--config`: the buckets each TM serves as primary (`buckets.svg`), and
//! the hash buckets' occupancy: how many buckets the run's connections filled with 0, 1, 2 ...
//! each, against what a uniform hash gives (`occupancy.svg`). With the run's
//! `conn_table.json` (`flowdist run` writes it): the connection table's buckets by live
//! entries (`conn_table.svg`). With a build folder holding `summary.json` (`flowdist
//! build`), utilization and Fmax per clock.
use flowdist_model::conn_table::{ConnTable, SLOTS};
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
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

/// What a decision log says.
#[derive(Default, Debug)]
pub struct LogFigures {
    /// Per TM: frames decided "to TM" and sent (not dropped).
    pub tms: BTreeMap<u8, TmLoad>,
    /// Per hash bucket: the distinct connections whose frames hashed there, a connection
    /// being a 5-tuple with its two ends in order (both directions count once). With the
    /// line of the log that first named the bucket.
    pub buckets: BTreeMap<u32, (BTreeSet<String>, usize)>,
}

/// Reads a decision log.
pub fn read_log(log: &Path) -> Result<LogFigures, String> {
    let f = std::fs::File::open(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut fig = LogFigures::default();
    let mut flows: BTreeMap<u8, BTreeSet<String>> = BTreeMap::new();
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", log.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{} line {}", log.display(), n + 1);
        let v: Value =
            serde_json::from_str(&line).map_err(|e| format!("{}: not JSON: {e}", at()))?;
        let end = |ip: &str, port: &str| format!("{} {}", v[ip], v[port]);
        if !v["bucket"].is_null() {
            let b = v["bucket"]
                .as_u64()
                .filter(|b| *b < 1 << 12)
                .ok_or_else(|| format!("{}: \"bucket\" not 0..4095", at()))?;
            let (a, z) = (end("src_ip", "src_port"), end("dst_ip", "dst_port"));
            let (a, z) = if a <= z { (a, z) } else { (z, a) };
            fig.buckets
                .entry(b as u32)
                .or_insert_with(|| (BTreeSet::new(), n + 1))
                .0
                .insert(format!("{a} {z} {}", v["protocol"]));
        }
        if v["kind"] != "to_tm" || v["sent"].is_null() {
            continue;
        }
        let tm = v["tm"]
            .as_u64()
            .filter(|t| *t < 16)
            .ok_or_else(|| format!("{}: \"tm\" missing or not 0..15", at()))?
            as u8;
        let l = fig.tms.entry(tm).or_default();
        l.frames += 1;
        l.bytes += v["len"].as_u64().unwrap_or(0);
        let key = ["src_ip", "dst_ip", "protocol", "src_port", "dst_port"]
            .map(|k| v[k].to_string())
            .join(" ");
        flows.entry(tm).or_default().insert(key);
    }
    for (tm, set) in flows {
        if let Some(l) = fig.tms.get_mut(&tm) {
            l.flows = set.len();
        }
    }
    Ok(fig)
}

/// The connection table's fill at the end of a run (`conn_table.json`): its buckets of
/// `slots_per_bucket` slots (the left half's buckets, then the right half's) by how many live
/// entries each holds.
#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
pub struct ConnFill {
    pub slots: usize,
    pub slots_per_bucket: usize,
    /// Live entries (expired ones count as empty, as in the table).
    pub live: usize,
    /// `buckets_holding[k]`: the buckets holding k live entries, k = 0 ..= slots_per_bucket.
    pub buckets_holding: Vec<usize>,
}

impl ConnFill {
    pub fn of(t: &ConnTable) -> ConnFill {
        let mut holding = vec![0; SLOTS + 1];
        for b in t.slots.chunks(SLOTS) {
            holding[b.iter().filter(|s| t.is_live(s)).count()] += 1;
        }
        ConnFill {
            slots: t.slots.len(),
            slots_per_bucket: SLOTS,
            live: holding.iter().enumerate().map(|(k, n)| k * n).sum(),
            buckets_holding: holding,
        }
    }
}

/// How many of `buckets` buckets a uniform hash of `items` items leaves holding k of them,
/// for k = 0 .. `bins` - 1, the last bin counting k ≥ `bins` - 1 (binomial).
pub fn uniform_occupancy(items: usize, buckets: usize, bins: usize) -> Vec<f64> {
    let p = 1.0 / buckets.max(1) as f64;
    let mut out = Vec::with_capacity(bins);
    // P(k) = C(n, k) p^k (1-p)^(n-k), in logs so that large n stays finite
    let mut ln_c = 0.0f64;
    let mut left = 1.0f64;
    for k in 0..bins.saturating_sub(1) {
        if k > items {
            out.push(0.0);
            continue;
        }
        if k > 0 {
            ln_c += ((items + 1 - k) as f64).ln() - (k as f64).ln();
        }
        let pk = if p >= 1.0 {
            (k == items) as u8 as f64
        } else {
            (ln_c + k as f64 * p.ln() + (items - k) as f64 * (1.0 - p).ln()).exp()
        };
        out.push(buckets as f64 * pk);
        left -= pk;
    }
    if bins > 0 {
        out.push(buckets as f64 * left.max(0.0));
    }
    out
}

/// How a bar chart scales its series.
#[derive(Clone, Copy, PartialEq)]
enum Scale {
    /// Each series to its own maximum (frames and flows differ by orders of magnitude), the
    /// maxima in the legend.
    EachToItsMax,
    /// All on one axis (observed against expected).
    Shared,
}

/// Grouped bars: one group per label, one bar per series.
fn bars(
    path: &Path,
    title: &str,
    labels: &[String],
    x_desc: &str,
    scale: Scale,
    series: &[(&str, Vec<f64>)],
) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let root =
        SVGBackend::new(path, (160 + 90 * labels.len().max(1) as u32, 420)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let groups = labels.len().max(1) as f64;
    let top = match scale {
        Scale::EachToItsMax => 105.0,
        Scale::Shared => {
            series
                .iter()
                .flat_map(|(_, v)| v.iter().cloned())
                .fold(0.0, f64::max)
                .max(1e-9)
                * 1.05
        }
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5f64..groups - 0.5, 0f64..top)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len().max(1))
        .x_label_formatter(&|x| {
            // groups are centred on 0, 1, 2, ...
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                labels[i as usize].clone()
            } else {
                String::new()
            }
        })
        .x_desc(x_desc)
        .y_desc(match scale {
            Scale::EachToItsMax => "% of the largest",
            Scale::Shared => "count",
        })
        .draw()
        .map_err(|e| err(&e))?;
    let width = 0.8 / series.len().max(1) as f64;
    for (s, (name, values)) in series.iter().enumerate() {
        let max = values.iter().cloned().fold(0.0, f64::max).max(1e-9);
        let (factor, label) = match scale {
            Scale::EachToItsMax => (100.0 / max, format!("{name} (max {max:.0})")),
            Scale::Shared => (1.0, name.to_string()),
        };
        let colour = Palette99::pick(s).to_rgba();
        chart
            .draw_series(values.iter().enumerate().map(|(i, v)| {
                let x0 = i as f64 - 0.4 + s as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width * 0.9, factor * v)], colour.filled())
            }))
            .map_err(|e| err(&e))?
            .label(label)
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

fn tm_labels(tms: &[u8]) -> Vec<String> {
    tms.iter().map(|t| format!("TM {t}")).collect()
}

/// "0", "1", ... with the last bin "≥ n".
fn count_labels(bins: usize) -> Vec<String> {
    (0..bins)
        .map(|k| {
            if k + 1 == bins && bins > 1 {
                format!(">={k}")
            } else {
                k.to_string()
            }
        })
        .collect()
}

/// The configuration's buckets per TM as primary, and how the run's connections filled the
/// hash buckets against a uniform hash.
fn config_spread(path: &Path, log: &Path, fig: &LogFigures, out: &Path) -> Result<(), String> {
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
        &tm_labels(&tms),
        "",
        Scale::EachToItsMax,
        &[("buckets", share)],
    )?;
    println!("  plot: {}", svg.display());

    let n = t.buckets.len();
    if let Some((b, (_, line))) = fig.buckets.iter().find(|(b, _)| **b as usize >= n) {
        return Err(format!(
            "{} line {line}: bucket {b}, but {} has {n} buckets (a run of another configuration?)",
            log.display(),
            path.display()
        ));
    }
    let per: Vec<usize> = fig.buckets.values().map(|(c, _)| c.len()).collect();
    let conns: usize = per.iter().sum();
    let most = per.iter().copied().max().unwrap_or(0);
    // bins 0 ..= most, at least up to where a uniform hash leaves under one bucket
    let expect_all = uniform_occupancy(conns, n, most + 8);
    let tail = expect_all.iter().rposition(|e| *e >= 0.5).unwrap_or(0);
    let bins = (most.max(tail) + 2).min(most + 8);
    let expected = uniform_occupancy(conns, n, bins);
    let mut observed = vec![0usize; bins];
    observed[0] = n - per.len();
    for c in &per {
        observed[(*c).min(bins - 1)] += 1;
    }
    println!(
        "hash bucket occupancy ({}): {conns} connections in {} of {n} buckets, at most {most} in one",
        log.display(),
        per.len()
    );
    println!(
        "  {:>11} {:>8} {:>13}",
        "connections", "buckets", "uniform hash"
    );
    let labels = count_labels(bins);
    for k in 0..bins {
        println!(
            "  {:>11} {:>8} {:>13.1}",
            labels[k], observed[k], expected[k]
        );
    }
    let svg = out.join("occupancy.svg");
    bars(
        &svg,
        "hash buckets by connections held",
        &labels,
        "connections in the bucket",
        Scale::Shared,
        &[
            ("observed", observed.iter().map(|&o| o as f64).collect()),
            ("uniform hash", expected),
        ],
    )?;
    println!("  plot: {}", svg.display());
    Ok(())
}

/// The connection table's buckets by live entries at the end of the run.
fn conn_fill(f: &ConnFill, path: &Path, out: &Path) -> Result<(), String> {
    let bad = |what: &str| Err(format!("{}: {what}", path.display()));
    if f.slots_per_bucket == 0 || f.buckets_holding.len() != f.slots_per_bucket + 1 {
        return bad("\"buckets_holding\" must have slots_per_bucket + 1 counts");
    }
    if f.buckets_holding.iter().sum::<usize>() * f.slots_per_bucket != f.slots {
        return bad(
            "\"buckets_holding\" does not add up to \"slots\" / \"slots_per_bucket\" buckets",
        );
    }
    println!(
        "connection table at the end of the run ({}): {} live entries in {} slots ({:.1} %)",
        path.display(),
        f.live,
        f.slots,
        100.0 * f.live as f64 / f.slots.max(1) as f64
    );
    println!("  {:>12} {:>8}", "live entries", "buckets");
    for (k, n) in f.buckets_holding.iter().enumerate() {
        println!("  {k:>12} {n:>8}");
    }
    let svg = out.join("conn_table.svg");
    bars(
        &svg,
        &format!(
            "connection table buckets ({} slots each) by live entries",
            f.slots_per_bucket
        ),
        &count_labels(f.buckets_holding.len() + 1)[..f.buckets_holding.len()],
        "live entries in the bucket",
        Scale::Shared,
        &[(
            "buckets",
            f.buckets_holding.iter().map(|&n| n as f64).collect(),
        )],
    )?;
    println!("  plot: {}", svg.display());
    Ok(())
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
    let fig = read_log(&log)?;
    let loads = &fig.tms;
    println!("traffic to TMs ({}):", log.display());
    println!(
        "  {:>4} {:>10} {:>12} {:>8} {:>7}",
        "TM", "frames", "bytes", "flows", "share"
    );
    let total: u64 = loads.values().map(|l| l.frames).sum();
    for (tm, l) in loads {
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
            &tm_labels(&tms),
            "",
            Scale::EachToItsMax,
            &[("frames", frames), ("flows", flows)],
        )?;
        println!("  plot: {}", svg.display());
    }
    match config {
        Some(path) => config_spread(path, &log, &fig, out)?,
        None if !fig.buckets.is_empty() => {
            println!("hash buckets: pass --config (the run's configuration) for their occupancy")
        }
        None => {}
    }
    let fill = run.join("conn_table.json");
    if let Ok(text) = std::fs::read_to_string(&fill) {
        let f: ConnFill = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a connection table fill: {e}", fill.display()))?;
        conn_fill(&f, &fill, out)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use flowdist_model::conn_table::ConnKey;

    #[test]
    fn uniform_occupancy_known_answers() {
        // 2 items in 2 buckets: both in one (prob 1/2, two ways) or one each
        let e = uniform_occupancy(2, 2, 4);
        assert_eq!(e.len(), 4);
        for (got, want) in e.iter().zip([0.5, 1.0, 0.5, 0.0]) {
            assert!((got - want).abs() < 1e-12, "{e:?}");
        }
        // the last bin takes the tail: 3 items in 1 bucket
        assert_eq!(uniform_occupancy(3, 1, 2), vec![0.0, 1.0]);
        // many items: counts sum to the buckets and follow Poisson(1)
        let e = uniform_occupancy(4096, 4096, 6);
        assert!((e.iter().sum::<f64>() - 4096.0).abs() < 1e-6);
        assert!((e[0] - 4096.0 * (-1f64).exp()).abs() < 1.0, "{e:?}");
        assert!((e[2] - 4096.0 * (-1f64).exp() / 2.0).abs() < 1.0, "{e:?}");
        assert_eq!(uniform_occupancy(0, 8, 2), vec![8.0, 0.0]);
    }

    #[test]
    fn conn_fill_counts_live_entries_per_bucket() {
        let mut t = ConnTable::new(6, 3);
        let key = |i: u32| ConnKey {
            src_ip: 0x0A00_0000 + i,
            dst_ip: 0xC0A8_0001,
            src_port: 1000 + i as u16,
            dst_port: 80,
            proto: 6,
            vlan: 0,
        };
        for i in 0..20 {
            t.insert(&key(i), 1);
        }
        let f = ConnFill::of(&t);
        assert_eq!((f.slots, f.slots_per_bucket, f.live), (64, 8, 20));
        assert_eq!(f.buckets_holding.iter().sum::<usize>(), 8);
        // expired entries count as empty, before the sweep empties them
        for _ in 0..3 {
            t.tick();
        }
        t.insert(&key(99), 2);
        let f = ConnFill::of(&t);
        assert_eq!(f.live, 1);
        assert_eq!(f.buckets_holding[0], 7);
        assert_eq!(f.buckets_holding[1], 1);
    }
}
