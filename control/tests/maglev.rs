//! Bounds of the bucket fill (R4): weights, disruption, backups. Each test prints what it
//! measured (`cargo test -p flowdist-control --test maglev -- --nocapture`).
use flowdist_control::maglev::{try_fill, try_update};
use flowdist_model::tables::Bucket;

const K: u8 = 12;
const M: usize = 1 << K;

/// Three families of TM names, so that no bound holds by luck of one naming scheme.
fn names(family: usize, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| match family {
            0 => format!("tm-{i}"),
            1 => format!("{}", (b'a' + i as u8) as char),
            _ => format!("lb{:02}.dc3.example.net", 7 * i + 3),
        })
        .collect()
}

fn equal(names: &[String]) -> Vec<(&str, u32, bool)> {
    names.iter().map(|n| (n.as_str(), 1, true)).collect()
}

/// Primary of every bucket, by name.
fn owners<'a>(t: &[Bucket], names: &'a [String]) -> Vec<&'a str> {
    t.iter()
        .map(|b| names[b.primary as usize].as_str())
        .collect()
}

fn changed(a: &[&str], b: &[&str]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x != y).count() as f64 / a.len() as f64
}

#[test]
fn weights_respected_within_one_percent() {
    let sets: Vec<Vec<u32>> = vec![
        vec![1, 1],
        vec![1, 2],
        vec![1, 2, 3],
        vec![3, 7, 11, 13],
        vec![1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        vec![5, 10, 20, 40, 80, 160, 320, 640],
        vec![1000, 999, 998, 997, 500, 250, 125, 100, 10, 3, 2, 1],
        vec![1, 1000],
        (1..=16).map(|i| i * 61 % 997 + 1).collect(),
    ];
    let mut worst_rel = 0f64; // relative error of TMs expecting >= 100 buckets
    let mut worst_abs = 0f64; // error in buckets, any TM
    for (s, weights) in sets.iter().enumerate() {
        for family in 0..3 {
            let nm = names(family, weights.len());
            let tms: Vec<(&str, u32, bool)> = nm
                .iter()
                .zip(weights)
                .map(|(n, &w)| (n.as_str(), w, true))
                .collect();
            let t = try_fill(&tms, K).unwrap();
            let total: u32 = weights.iter().sum();
            for (id, &w) in weights.iter().enumerate() {
                let got = t.iter().filter(|b| b.primary as usize == id).count() as f64;
                let want = M as f64 * f64::from(w) / f64::from(total);
                let abs = (got - want).abs();
                worst_abs = worst_abs.max(abs);
                // the bound: 1% of the weight share, or one bucket where 1% is less than
                // the one-bucket granularity of the table
                assert!(
                    abs <= (0.01 * want).max(1.0),
                    "set {s} family {family} TM {id}: {got} buckets, weight share {want:.2}"
                );
                if want >= 100.0 {
                    worst_rel = worst_rel.max(abs / want);
                }
            }
        }
    }
    println!(
        "weights (k=12): max imbalance {:.3}% of the weight share (TMs with >= 100 buckets), \
         max {:.2} buckets from the weight share (any TM)",
        100.0 * worst_rel,
        worst_abs
    );
}

/// Disruption of the pure fill, removing each of N TMs and adding one, N = 2..=16 (adding up
/// to 16). Returns the worst (remove, add) excess over the minimum (1/N, 1/(N+1)).
fn fill_disruption() -> (f64, f64) {
    let mut worst = (0f64, 0f64);
    for family in 0..3 {
        let all = names(family, 16);
        for n in 2..=16 {
            let base_names = &all[..n];
            let base = owners(&try_fill(&equal(base_names), K).unwrap(), base_names);
            for x in 0..n {
                // marking a TM down and deleting it from the list give the same table
                let mut down = equal(base_names);
                down[x].2 = false;
                let t = owners(&try_fill(&down, K).unwrap(), base_names);
                let rest: Vec<String> = base_names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != x)
                    .map(|(_, s)| s.clone())
                    .collect();
                let t2 = owners(&try_fill(&equal(&rest), K).unwrap(), &rest);
                assert_eq!(t, t2);
                worst.0 = worst.0.max(changed(&base, &t) - 1.0 / n as f64);
            }
            if n < 16 {
                let more = &all[..n + 1];
                let t = owners(&try_fill(&equal(more), K).unwrap(), more);
                worst.1 = worst.1.max(changed(&base, &t) - 1.0 / (n + 1) as f64);
            }
        }
    }
    worst
}

#[test]
fn fill_disruption_is_bounded() {
    let (remove, add) = fill_disruption();
    println!(
        "fill disruption (k=12, N=2..16): removing a TM moves at most 1/N + {:.2}%, adding \
         one at most 1/(N+1) + {:.2}%",
        100.0 * remove,
        100.0 * add
    );
    // Maglev is minimal-disruption only approximately: at 4096 buckets and up to 16 TMs the
    // excess reaches ~1.7% (it shrinks roughly as 1/sqrt(buckets): ~0.8% at 2^14). The
    // runtime path, try_update, is exactly minimal (next test).
    assert!(remove <= 0.02, "remove excess {remove}");
    assert!(add <= 0.02, "add excess {add}");
}

#[test]
fn update_disruption_is_minimal() {
    let mut worst = (0f64, 0f64);
    for family in 0..3 {
        let all = names(family, 16);
        for n in 2..=16 {
            let base_names = &all[..n];
            let base_t = try_fill(&equal(base_names), K).unwrap();
            let base = owners(&base_t, base_names);
            for x in 0..n {
                let rest: Vec<String> = base_names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != x)
                    .map(|(_, s)| s.clone())
                    .collect();
                let t = try_update(&base_t, base_names, &equal(&rest), K).unwrap();
                let t = owners(&t, &rest);
                // only x's buckets moved
                for (b, (old, new)) in base.iter().zip(&t).enumerate() {
                    assert!(
                        old == new || *old == base_names[x],
                        "bucket {b}: {old} -> {new}"
                    );
                }
                // and the result is as balanced as a fill
                for r in &rest {
                    let c = t.iter().filter(|o| **o == r.as_str()).count() as f64;
                    assert!((c - M as f64 / (n - 1) as f64).abs() <= 1.0);
                }
                worst.0 = worst.0.max(changed(&base, &t) - 1.0 / n as f64);
            }
            if n < 16 {
                let more = &all[..n + 1];
                let t = try_update(&base_t, base_names, &equal(more), K).unwrap();
                let t = owners(&t, more);
                for (old, new) in base.iter().zip(&t) {
                    assert!(old == new || *new == more[n]);
                }
                worst.1 = worst.1.max(changed(&base, &t) - 1.0 / (n + 1) as f64);
            }
        }
    }
    println!(
        "update disruption (k=12, N=2..16): removing a TM moves at most 1/N + {:.3}%, adding \
         one at most 1/(N+1) + {:.3}%",
        100.0 * worst.0,
        100.0 * worst.1
    );
    assert!(worst.0 <= 0.01 && worst.1 <= 0.01);
}

#[test]
fn backups_differ_and_are_up() {
    for family in 0..3 {
        let all = names(family, 16);
        for n in 1..=16 {
            for down in [None, Some(0), Some(n / 2)] {
                let mut tms: Vec<(&str, u32, bool)> = all[..n]
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.as_str(), 1 + (i as u32 % 3), true))
                    .collect();
                if let Some(d) = down {
                    if n > 1 {
                        tms[d].2 = false;
                    }
                }
                let up = tms.iter().filter(|t| t.2).count();
                let t = try_fill(&tms, K).unwrap();
                let u = try_update(&t, &all[..n], &tms, K).unwrap();
                for table in [&t, &u] {
                    for b in table.iter() {
                        assert!(tms[b.primary as usize].2, "primary is down");
                        assert!(tms[b.backup as usize].2, "backup is down");
                        if up >= 2 {
                            assert_ne!(b.primary, b.backup);
                        } else {
                            assert_eq!(b.primary, b.backup);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn update_of_a_fill_is_the_fill() {
    for n in [1, 2, 5, 16] {
        let nm = names(2, n);
        let tms: Vec<(&str, u32, bool)> = nm
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), 1 + i as u32, true))
            .collect();
        let t = try_fill(&tms, K).unwrap();
        let u = try_update(&t, &nm, &tms, K).unwrap();
        // same primaries; the backups differ: try_update's are its own minimal refills
        let moved = t
            .iter()
            .zip(&u)
            .filter(|(a, b)| a.primary != b.primary)
            .count();
        assert_eq!(moved, 0, "{n} TMs");
    }
}

#[test]
fn failover_matches_the_refill() {
    // when a TM goes down, the hardware sends its buckets to their backups at once; the
    // host's refill (try_update with the TM down) must give the very same table
    let nm = names(0, 8);
    let mut tms = equal(&nm);
    let t = try_update(&try_fill(&tms, K).unwrap(), &nm, &tms, K).unwrap();
    for x in 0..8u8 {
        tms[x as usize].2 = false;
        let refill = try_update(&t, &nm, &tms, K).unwrap();
        tms[x as usize].2 = true;
        for (b, (before, after)) in t.iter().zip(&refill).enumerate() {
            let stopgap = if before.primary == x {
                before.backup
            } else {
                before.primary
            };
            assert_eq!(stopgap, after.primary, "bucket {b}, TM {x} down");
        }
    }
}

#[test]
fn update_across_a_list_change() {
    // TMs matched by name: reordering the list and renaming ids loses nothing
    let old = names(1, 6);
    let t = try_fill(&equal(&old), K).unwrap();
    let mut new = old.clone();
    new.reverse();
    let u = try_update(&t, &old, &equal(&new), K).unwrap();
    assert_eq!(owners(&t, &old), owners(&u, &new));
}
