//! Scratch: search for a cheap bucket index idx(crc) (12 bits out of the 32-bit CRC) that
//! spreads low-entropy keys evenly. `cargo run --release -p flowdist-control --example index_search`
//! A linear idx is kept as its 32 columns (col[j] = idx(1 << j)). Filters: GF(2) rank 12 of
//! idx∘CRC over (a) address bits 0..16 (address-only key) and (b) port bits 4..16 (which makes
//! every sweep p0 + N·i exactly uniform); then (c), the client × port grid, is measured.
use flowdist_control::{hash_key, maglev::try_fill};
use flowdist_model::header_parser::HashKeyConfig;
use flowdist_model::key_hasher::{key_hash, HashPoly};
use std::time::Instant;

const POLYS: [HashPoly; 2] = [HashPoly::Ieee, HashPoly::Castagnoli];
const P0S: [u32; 2] = [1024, 40000];
/// Grid instances the search scores on (base address, first port) and held-out ones for the check.
const SEARCH_BASES: [u32; 3] = [0x0a00_0000, 0xc633_6400, 0xac10_0500];
const SEARCH_P0S: [u32; 6] = [1024, 40000, 2000, 50001, 32768, 12345];
const HOLD_BASES: [u32; 2] = [0xc0a8_0100, 0x6440_0300]; // 192.168.1.0, 100.64.3.0
const HOLD_P0S: [u32; 4] = [5000, 61000, 777, 20480];
const CLIENTS: [u32; 2] = [0x0a00_0001, 0xc633_6407]; // 10.0.0.1, 198.51.100.7
type Idx = [u16; 32];

fn crc(poly: HashPoly, addr: u32, port: Option<u16>) -> u32 {
    let cfg = HashKeyConfig {
        poly,
        use_port: port.is_some(),
        use_vlan: false,
    };
    key_hash(poly, &hash_key(&cfg, addr, port, None))
}
fn apply(ix: &Idx, x: u32) -> usize {
    (0..32)
        .filter(|j| x >> j & 1 == 1)
        .fold(0, |r, j| r ^ ix[j]) as usize
}
fn rank(vs: impl Iterator<Item = u32>) -> u32 {
    let mut basis: Vec<u32> = Vec::new();
    for mut v in vs {
        for b in &basis {
            v = v.min(v ^ b);
        }
        if v != 0 {
            basis.push(v);
        }
    }
    basis.len() as u32
}
fn imbalance(counts: &[u64]) -> f64 {
    let fair = counts.iter().sum::<u64>() as f64 / counts.len() as f64;
    counts
        .iter()
        .map(|&c| (c as f64 / fair - 1.0).abs())
        .fold(0.0, f64::max)
}
/// Linear parts of the CRC for one polynomial (the CRC is affine in the key bits).
struct Lin {
    addr: Vec<u32>,    // address-only key, address bits 0..16
    port: Vec<u32>,    // address+port key, port bits 0..16
    gx: Vec<Vec<u32>>, // grid: [base] crc(base + a, port 0), a < 256
    gy: Vec<Vec<u32>>, // grid: [p0][N-2] crc(0, p0 + N·j) ^ crc(0, 0), j < 256
}
fn lin(poly: HashPoly) -> Lin {
    let a0 = crc(poly, 0, None);
    let p0 = crc(poly, 0, Some(0));
    Lin {
        addr: (0..16).map(|b| crc(poly, 1 << b, None) ^ a0).collect(),
        port: (0..16).map(|b| crc(poly, 0, Some(1 << b)) ^ p0).collect(),
        gx: SEARCH_BASES
            .iter()
            .map(|&b| (0..256).map(|a| crc(poly, b + a, Some(0))).collect())
            .collect(),
        gy: SEARCH_P0S
            .iter()
            .flat_map(|&s| (2..=16u32).map(move |n| (s, n)))
            .map(|(s, n)| {
                (0..256)
                    .map(|j| crc(poly, 0, Some((s + n * j) as u16)) ^ p0)
                    .collect()
            })
            .collect(),
    }
}
/// (a) and (b) are exactly uniform over the buckets iff these ranks are 12.
fn ranks_ok(ix: &Idx, l: &Lin) -> bool {
    rank(l.addr.iter().map(|&c| apply(ix, c) as u32)) == 12
        && rank(l.port[4..].iter().map(|&c| apply(ix, c) as u32)) == 12
}
/// Worst grid imbalance over p0 and N (gives up once above `stop`).
fn grid(ix: &Idx, l: &Lin, tables: &[Vec<u8>], stop: f64) -> f64 {
    let mut worst: f64 = 0.0;
    for (k, gy) in
        l.gy.iter()
            .enumerate()
            .flat_map(|e| std::iter::repeat(e).take(SEARCH_BASES.len()))
            .enumerate()
            .map(|(i, (k, gy))| (k, (i % SEARCH_BASES.len(), gy)))
    {
        let (bi, gy) = gy;
        let xs: Vec<usize> = l.gx[bi].iter().map(|&c| apply(ix, c)).collect();
        let n = k % 15 + 2;
        let t = &tables[n - 2];
        let mut counts = vec![0u64; n];
        for &y in gy {
            let y = apply(ix, y);
            for &x in &xs {
                counts[t[x ^ y] as usize] += 1;
            }
        }
        worst = worst.max(imbalance(&counts));
        if worst > stop {
            break;
        }
    }
    worst
}
/// Score: worst grid imbalance over both polynomials, or infinity if a rank filter fails.
fn score(ix: &Idx, ls: &[Lin], tables: &[Vec<u8>], stop: f64) -> f64 {
    if !ls.iter().all(|l| ranks_ok(ix, l)) {
        return f64::INFINITY;
    }
    ls.iter().fold(0.0, |w: f64, l| {
        if w > stop {
            w
        } else {
            w.max(grid(ix, l, tables, stop))
        }
    })
}
/// idx = XOR over s in `rots` of (crc rotated right by s) & 0xFFF.
fn rot_idx(rots: &[u32]) -> Idx {
    let mut ix = [0u16; 32];
    rots.iter()
        .for_each(|s| (0..12).for_each(|i| ix[((i + s) % 32) as usize] ^= 1 << i));
    ix
}
/// Output bit i = XOR of the CRC bits in taps[i].
fn taps_idx(taps: &[Vec<u32>]) -> Idx {
    let mut ix = [0u16; 32];
    taps.iter()
        .enumerate()
        .for_each(|(i, t)| t.iter().for_each(|&j| ix[j as usize] ^= 1 << i));
    ix
}
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        (
            self.0 ^= self.0 << 13,
            self.0 ^= self.0 >> 7,
            self.0 ^= self.0 << 17,
        );
        (self.0 >> 32) as u32
    }
}
fn main() {
    let t0 = Instant::now();
    let tables: Vec<Vec<u8>> = (2..=16usize)
        .map(|n| {
            let names: Vec<String> = (0..n).map(|i| format!("tm-{i}")).collect();
            let tms: Vec<(&str, u32, bool)> = names.iter().map(|s| (s.as_str(), 1, true)).collect();
            try_fill(&tms, 12)
                .unwrap()
                .iter()
                .map(|b| b.primary)
                .collect()
        })
        .collect();
    let ls: Vec<Lin> = POLYS.iter().map(|&p| lin(p)).collect();
    let low12 = rot_idx(&[0]);
    let f = |c: u32| {
        (c.rotate_right(4) ^ c.rotate_right(9) ^ c.rotate_right(26) ^ c.rotate_right(29)) & 0xFFF
    };
    assert!((0..1000u32)
        .map(|i| i.wrapping_mul(0x9e37_79b9))
        .all(|c| apply(&rot_idx(&[4, 9, 26, 29]), c) == f(c) as usize));
    for (p, l) in POLYS.iter().zip(&ls) {
        let r = |v: &[u32]| rank(v.iter().map(|&c| apply(&low12, c) as u32));
        println!(
            "low12 {p:?}: rank addr 0..16 = {}, port 3..16 = {}, port 4..16 = {}, grid {:.2}%",
            r(&l.addr),
            r(&l.port[3..]),
            r(&l.port[4..]),
            100.0 * grid(&low12, l, &tables, 1.0)
        );
    }
    // family 1: XOR of 1..=4 rotated 12-bit windows (each output bit: XOR of <= 4 CRC bits)
    let mut best: (f64, Idx, String) = (f64::INFINITY, low12, String::new());
    let mut by_len: Vec<(f64, Vec<u32>)> = vec![(f64::INFINITY, vec![]); 5];
    let (mut tried, mut passed) = (0, 0);
    let (mut sets, mut level): (Vec<Vec<u32>>, Vec<Vec<u32>>) = (Vec::new(), vec![vec![]]);
    for _ in 0..4 {
        level = level
            .iter()
            .flat_map(|s| {
                (s.last().map_or(0, |&l| l + 1)..32).map(move |x| [s.clone(), vec![x]].concat())
            })
            .collect();
        sets.extend(level.iter().cloned());
    }
    for s in &sets {
        let sc = score(&rot_idx(s), &ls, &tables, by_len[s.len()].0.min(0.2));
        (tried, passed) = (tried + 1, passed + sc.is_finite() as u32);
        if sc < by_len[s.len()].0 {
            by_len[s.len()] = (sc, s.clone());
        }
        if sc < best.0 {
            best = (sc, rot_idx(s), format!("rotations {s:?}"));
        }
    }
    println!(
        "rotations: {tried} tried, {passed} pass the rank filters, best {:.2}% {} ({:.1}s)",
        100.0 * best.0,
        best.2,
        t0.elapsed().as_secs_f64()
    );
    for (k, (sc, s)) in by_len.iter().enumerate().skip(1) {
        println!("  best with {k} window(s): {:.2}% {s:?}", 100.0 * sc);
    }
    // family 2: random taps (each output bit XOR of 1..=MAXT CRC bits), then hill-climb
    let maxt: usize = std::env::var("MAXT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let iters: u32 = std::env::var("ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let start = &by_len[maxt.min(4)].1; // hill-climb from the best rotation set of that size
    let mut taps: Vec<Vec<u32>> = (0..12)
        .map(|i| start.iter().map(|s| (i + s) % 32).collect())
        .collect();
    let mut cur = score(&taps_idx(&taps), &ls, &tables, 1.0);
    for it in 0..iters {
        let mut t = taps.clone();
        let i = (rng.next() % 12) as usize;
        let k = 1 + (rng.next() as usize % maxt);
        t[i] = (0..k)
            .map(|_| rng.next() % 32)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let sc = score(&taps_idx(&t), &ls, &tables, cur);
        if sc <= cur {
            (taps, cur) = (t, sc);
            if sc < best.0 {
                best = (sc, taps_idx(&taps), format!("taps {taps:?}"));
                println!(
                    "  [{:.1}s it {it}] {:.2}% {}",
                    t0.elapsed().as_secs_f64(),
                    100.0 * sc,
                    best.2
                );
            }
        }
    }
    println!(
        "search done in {:.1}s; best {:.2}% {}",
        t0.elapsed().as_secs_f64(),
        100.0 * best.0,
        best.2
    );
    let mut finalists: Vec<(String, Idx)> =
        vec![("low 12 bits".into(), low12), (best.2.clone(), best.1)];
    finalists.extend(
        by_len
            .iter()
            .skip(1)
            .map(|(_, s)| (format!("rotations {s:?}"), rot_idx(s))),
    );
    for (name, ix) in &finalists {
        let r = POLYS.map(|p| 100.0 * robust(ix, p, &tables));
        println!(
            "  40 random grids, worst: IEEE {:.2}%, CRC-32C {:.2}%: {name}",
            r[0], r[1]
        );
    }
    let pick: Vec<u32> = std::env::var("PICK")
        .map(|s| s.split(',').map(|x| x.parse().unwrap()).collect())
        .unwrap_or_default();
    verify(
        &if pick.is_empty() {
            best.1
        } else {
            rot_idx(&pick)
        },
        &tables,
    );
}
/// Direct measurement (key_hash over the real key bytes) of all three patterns, per N.
fn verify(ix: &Idx, tables: &[Vec<u8>]) {
    for poly in POLYS {
        let run = |keys: &mut dyn Iterator<Item = u32>, n: usize| {
            let mut c = vec![0u64; n];
            keys.for_each(|h| c[tables[n - 2][apply(ix, h)] as usize] += 1);
            100.0 * imbalance(&c)
        };
        let (mut a, mut b, mut g, mut gh) =
            (String::new(), String::new(), String::new(), String::new());
        let mut wh = 0f64;
        let (mut wa, mut wb, mut wg) = (0f64, 0f64, 0f64);
        for n in 2..=16usize {
            let x = run(&mut (0..65536).map(|i| crc(poly, 0x0a00_0000 + i, None)), n);
            let y = CLIENTS
                .iter()
                .flat_map(|&c| P0S.iter().map(move |&p| (c, p)))
                .map(|(c, p)| {
                    run(
                        &mut (0..65536u32).map(|i| crc(poly, c, Some((p + n as u32 * i) as u16))),
                        n,
                    )
                })
                .fold(0.0, f64::max);
            let gr = |bases: &[u32], p0s: &[u32]| {
                bases
                    .iter()
                    .flat_map(|&b| p0s.iter().map(move |&p| (b, p)))
                    .map(|(base, p)| {
                        run(
                            &mut (0..65536u32).map(|k| {
                                crc(
                                    poly,
                                    base + (k >> 8),
                                    Some((p + n as u32 * (k & 255)) as u16),
                                )
                            }),
                            n,
                        )
                    })
                    .fold(0.0, f64::max)
            };
            let z = gr(&[0x0a00_0000], &P0S);
            let h = gr(&HOLD_BASES, &HOLD_P0S);
            gh += &format!(" {h:.2}");
            wh = wh.max(h);
            a += &format!(" {x:.2}");
            b += &format!(" {y:.2}");
            g += &format!(" {z:.2}");
            (wa, wb, wg) = (wa.max(x), wb.max(y), wg.max(z));
        }
        println!("{poly:?} N=2..16 (%)\n  (a) addresses:{a}  max {wa:.2}\n  (b) port sweeps:{b}  max {wb:.2}\n  (c) grid:{g}  max {wg:.2}\n  (c') held-out grids:{gh}  max {wh:.2}");
    }
}
/// Worst grid imbalance over 40 random grids (base address with a zero low byte, random p0).
fn robust(ix: &Idx, poly: HashPoly, tables: &[Vec<u8>]) -> f64 {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let z = crc(poly, 0, Some(0));
    let mut worst: f64 = 0.0;
    for _ in 0..40 {
        let (base, p0) = (rng.next() & 0xFFFF_FF00, rng.next() & 0xFFFF);
        let xs: Vec<usize> = (0..256)
            .map(|a| apply(ix, crc(poly, base + a, Some(0))))
            .collect();
        for n in 2..=16usize {
            let mut c = vec![0u64; n];
            for j in 0..256u32 {
                let y = apply(ix, crc(poly, 0, Some((p0 + n as u32 * j) as u16)) ^ z);
                xs.iter()
                    .for_each(|&x| c[tables[n - 2][x ^ y] as usize] += 1);
            }
            worst = worst.max(imbalance(&c));
        }
    }
    worst
}
