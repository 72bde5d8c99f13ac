//! R4: "Low-entropy keys (sequential client addresses, ports stepping by the TM count) must
//! still spread evenly." The keys are hashed exactly as the data path does
//! (`flowdist_model::key_hasher::key_hash` over the key bytes, bucket = low `k` bits,
//! TM = the bucket's primary), over tables from the control plane's fill.
//!
//! Run with `--nocapture` to see the measured imbalance per TM count.
use flowdist_control::{hash_key, maglev::try_fill};
use flowdist_model::header_parser::HashKeyConfig;
use flowdist_model::key_hasher::{key_hash, HashPoly};

const K: u8 = 12;
const MASK: u32 = (1 << K) - 1;
const CLIENT: u32 = 0x0a00_0001; // 10.0.0.1
const POLYS: [HashPoly; 2] = [HashPoly::Ieee, HashPoly::Castagnoli];

/// Largest relative deviation of a TM's flow count from its (equal) share.
fn imbalance(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    let fair = total as f64 / counts.len() as f64;
    counts
        .iter()
        .map(|&c| (c as f64 / fair - 1.0).abs())
        .fold(0.0, f64::max)
}

/// Flow counts per TM for N equal-weight TMs.
fn spread(poly: HashPoly, n: usize, keys: impl Iterator<Item = Vec<u8>>) -> Vec<u64> {
    let names: Vec<String> = (0..n).map(|i| format!("tm-{i}")).collect();
    let tms: Vec<(&str, u32, bool)> = names.iter().map(|s| (s.as_str(), 1, true)).collect();
    let table = try_fill(&tms, K).unwrap();
    let mut counts = vec![0u64; n];
    for key in keys {
        let b = (key_hash(poly, &key) & MASK) as usize;
        counts[table[b].primary as usize] += 1;
    }
    counts
}

fn address_keys(poly: HashPoly) -> impl Iterator<Item = Vec<u8>> {
    let cfg = HashKeyConfig {
        poly,
        use_port: false,
        use_vlan: false,
    };
    (0..65_536u32).map(move |i| hash_key(&cfg, 0x0a00_0000 + i, None, None))
}

/// 65,536 flows of one client, the source port stepping by `step` (wrapping at 2^16, as a
/// client cycling through its port range does).
fn port_keys(poly: HashPoly, step: u32) -> impl Iterator<Item = Vec<u8>> {
    let cfg = HashKeyConfig {
        poly,
        use_port: true,
        use_vlan: false,
    };
    (0..65_536u32).map(move |j| hash_key(&cfg, CLIENT, Some((1024 + j * step) as u16), None))
}

/// GF(2) rank of the bucket bits as a function of the port bits `from..16` (the CRC is
/// affine, so bucket(p) = L(p) ^ c and the rank of L is what a sweep can reach: a sweep
/// that moves only those port bits hits at most 2^rank buckets).
fn port_rank(poly: HashPoly, from: u32) -> u32 {
    let cfg = HashKeyConfig {
        poly,
        use_port: true,
        use_vlan: false,
    };
    let h = |p: u16| key_hash(poly, &hash_key(&cfg, CLIENT, Some(p), None)) & MASK;
    let zero = h(0);
    let mut basis: Vec<u32> = Vec::new();
    for bit in from..16 {
        let mut v = h(1 << bit) ^ zero;
        for b in &basis {
            v = v.min(v ^ b);
        }
        if v != 0 {
            basis.push(v);
        }
    }
    basis.len() as u32
}

/// Whether the hash's low bits can tell apart the ports of a sweep stepping by `step`: the
/// port bits that move (all above the trailing zero bits of `step`) must reach
/// min(k, their number) dimensions of bucket bits.
fn hash_separates_sweep(poly: HashPoly, step: u32) -> bool {
    let from = step.trailing_zeros();
    port_rank(poly, from) == (16 - from).min(u32::from(K))
}

#[test]
fn crc_is_the_standard_one() {
    assert_eq!(key_hash(HashPoly::Ieee, b"123456789"), 0xCBF4_3926);
    assert_eq!(key_hash(HashPoly::Castagnoli, b"123456789"), 0xE306_9283);
}

#[test]
fn sequential_addresses_spread_evenly() {
    for poly in POLYS {
        let mut worst = (0.0, 0);
        for n in 2..=16 {
            let imb = imbalance(&spread(poly, n, address_keys(poly)));
            assert!(imb <= 0.05, "{poly:?}, {n} TMs: imbalance {imb:.4}");
            if imb > worst.0 {
                worst = (imb, n);
            }
        }
        println!(
            "{poly:?} k={K}: 65,536 sequential addresses, N=2..16: max imbalance {:.2}% (N={})",
            100.0 * worst.0,
            worst.1
        );
    }
}

#[test]
fn port_steps_spread_evenly_where_the_crc_separates_them() {
    for poly in POLYS {
        let mut worst = (0.0, 0);
        let mut line = String::new();
        let mut unseparated = Vec::new();
        for n in 2..=16u32 {
            let imb = imbalance(&spread(poly, n as usize, port_keys(poly, n)));
            line += &format!(" {n}:{:.2}%", 100.0 * imb);
            if hash_separates_sweep(poly, n) {
                assert!(imb <= 0.05, "{poly:?}, {n} TMs: imbalance {imb:.4}");
                if imb > worst.0 {
                    worst = (imb, n);
                }
            } else {
                unseparated.push(n);
            }
        }
        println!(
            "{poly:?} k={K}: one client, 65,536 flows, ports stepping by N: max imbalance \
             {:.2}% (N={}) where the CRC separates the sweep; per N:{line}; not separated by \
             the CRC's low {K} bits: N={unseparated:?}",
            100.0 * worst.0,
            worst.1
        );
        // The sweeps the CRC cannot separate are the power-of-two steps of 8 and more
        // (IEEE: port bits 3..15 reach only 11 of the 12 bucket bits, so a sweep hits half
        // of the buckets). Any other step failing to separate would be news.
        for n in &unseparated {
            assert!(
                n.is_power_of_two() && *n >= 8,
                "{poly:?}: step {n} not separated"
            );
        }
    }
}

/// R4 as written, for every N. Fails for N = 8 and 16: the bucket index is the low 12
/// bits of a CRC, a linear function of the key, and a single client stepping its port by a
/// power of two ≥ 8 only reaches 2^11 (CRC-32) or fewer buckets, whatever the fill does.
/// Needs a hardware change of the bucket index. Measured while writing this (not kept as
/// code): an XOR fold of the CRC (bits 0..11 ^ 12..23 ^ 24..31) spreads every sweep here
/// within 0.34% for both polynomials, but the client × port grid below gets worse (5.7% /
/// 10.6%); a non-linear mixer (murmur3's fmix32) does not help at all: at N = 16 the sweep
/// has only 4096 distinct flows and a random-like hash lands 13% off. Kept as the
/// acceptance test for that change.
#[test]
#[ignore = "fails at N = 8, 16: the CRC's low bits cannot separate power-of-two port steps"]
fn port_steps_spread_evenly_for_every_tm_count() {
    for poly in POLYS {
        for n in 2..=16u32 {
            let imb = imbalance(&spread(poly, n as usize, port_keys(poly, n)));
            assert!(
                imb <= 0.05,
                "{poly:?}, {n} TMs: imbalance {imb:.4} (rank of port bits {}..16: {})",
                n.trailing_zeros(),
                port_rank(poly, n.trailing_zeros())
            );
        }
    }
}

/// 256 sequential clients × 256 ports stepping by N (65,536 flows, address+port key). The
/// CRC's linearity shows here too: address and port bits combine linearly into the bucket
/// index, so the grid can reach the buckets unevenly. Measured: CRC-32 within 4.8% for every
/// N, CRC-32C 11% off at N = 15. Asserts R4's ±5%, so it fails today with CRC-32C (same
/// hardware cause as the test above).
#[test]
#[ignore = "fails with CRC-32C at N = 15: the CRC's low bits combine address and port bits linearly"]
fn client_port_grid_spreads_evenly() {
    for poly in POLYS {
        let cfg = HashKeyConfig {
            poly,
            use_port: true,
            use_vlan: false,
        };
        let mut line = String::new();
        let mut worst: f64 = 0.0;
        for n in 2..=16u32 {
            let keys = (0..256u32).flat_map(move |a| {
                (0..256u32).map(move |j| {
                    hash_key(&cfg, 0x0a00_0000 + a, Some((1024 + j * n) as u16), None)
                })
            });
            let imb = imbalance(&spread(poly, n as usize, keys));
            line += &format!(" {n}:{:.2}%", 100.0 * imb);
            worst = worst.max(imb);
        }
        println!("{poly:?} k={K}: 256 clients x 256 ports stepping by N, per N:{line}");
        assert!(worst <= 0.05, "{poly:?}: max imbalance {worst:.4}");
    }
}
