//! Build-time table images (R14): the configuration-bus writes that load the tables at run
//! time (`flowdist_model::tables::DataPlaneConfig::bus_writes`) turned into initial RAM
//! contents, so a flashed board distributes with no host attached.
use rust_hdl::prelude::*;
use std::collections::BTreeMap;

/// Configuration-bus writes: (address, 32-bit word).
pub type BusWrites = [(u16, u32)];

/// The words written in `base..base + span`, by offset.
fn window(writes: &BusWrites, base: u16, span: u16) -> BTreeMap<u16, u32> {
    writes
        .iter()
        .filter(|(a, _)| *a >= base && *a < base + span)
        .map(|&(a, d)| (a - base, d))
        .collect()
}

/// The entries of `n` words each written in `base..base + span`, by entry index: the entry's
/// words concatenated, word 0 lowest (a word not written is 0).
fn entries(writes: &BusWrites, base: u16, span: u16, n: u16) -> BTreeMap<u16, u128> {
    let w = window(writes, base, span);
    let indices = w
        .keys()
        .map(|a| a / n)
        .collect::<std::collections::BTreeSet<_>>();
    indices
        .into_iter()
        .map(|i| {
            let v = (0..n).fold(0u128, |v, k| {
                v | (*w.get(&(n * i + k)).unwrap_or(&0) as u128) << (32 * k)
            });
            (i, v)
        })
        .collect()
}

/// A value of up to 128 bits as `Bits<N>`.
fn wide<const N: usize>(v: u128) -> Bits<N> {
    let lo: Bits<N> = bit_cast::<N, 64>(bits::<64>(v as u64));
    let hi: Bits<N> = bit_cast::<N, 64>(bits::<64>((v >> 64) as u64));
    (hi << 64) | lo
}

/// Address-CAM banks (even, odd) from the writes at 0x0000: entry i = words 4i..4i+3.
pub fn cam_banks<const B: usize>(
    writes: &BusWrites,
) -> (BTreeMap<Bits<B>, Bits<108>>, BTreeMap<Bits<B>, Bits<108>>) {
    let (mut even, mut odd) = (BTreeMap::new(), BTreeMap::new());
    for (i, v) in entries(writes, 0x0000, 0x1000, 4) {
        // the entry is 108 bits: word 3's low 12
        let v = v & ((1u128 << 108) - 1);
        let bank = if i % 2 == 0 { &mut even } else { &mut odd };
        bank.insert(bits::<B>((i / 2) as u64), wide::<108>(v));
    }
    (even, odd)
}

/// Bucket table from the writes at 0x1000.
pub fn buckets<const K: usize>(writes: &BusWrites) -> BTreeMap<Bits<K>, Bits<8>> {
    window(writes, 0x1000, 0x1000)
        .into_iter()
        .filter(|(b, _)| (*b as usize) < (1 << K))
        .map(|(b, d)| (bits::<K>(b as u64), bits::<8>((d & 0xFF) as u64)))
        .collect()
}

/// TM table from the writes at 0x2000: TM t = words 2t, 2t+1.
pub fn tm_entries(writes: &BusWrites) -> BTreeMap<Bits<4>, Bits<64>> {
    entries(writes, 0x2000, 0x20, 2)
        .into_iter()
        .map(|(t, v)| (bits::<4>(t as u64), bits::<64>(v as u64)))
        .collect()
}

/// Tunnel addresses of IP-in-IP TMs from the writes at 0x2100: TM t at 0x2100 + t.
pub fn tunnels(writes: &BusWrites) -> BTreeMap<Bits<4>, Bits<32>> {
    window(writes, 0x2100, 0x10)
        .into_iter()
        .map(|(t, d)| (bits::<4>(t as u64), bits::<32>(d as u64)))
        .collect()
}

/// The tunnel source address written at 0x2180 (0 when absent).
pub fn tunnel_src(writes: &BusWrites) -> u32 {
    *window(writes, 0x2180, 1).get(&0).unwrap_or(&0)
}

/// Route table from the writes at 0x4000: route r = words 4r..4r+3.
pub fn route_entries(writes: &BusWrites) -> BTreeMap<Bits<4>, Bits<128>> {
    entries(writes, 0x4000, 0x40, 4)
        .into_iter()
        .map(|(r, v)| (bits::<4>(r as u64), wide::<128>(v)))
        .collect()
}
