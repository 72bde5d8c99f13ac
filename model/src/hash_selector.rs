//! Hash selector (twin of `hdl::hash_selector`), R4.
use crate::tables::Bucket;

/// The bucket a key hash selects among 2^`bucket_bits`: four rotated copies of the CRC XOR-ed
/// together, low bits. The CRC is linear in the key, and its own low bits cannot tell apart
/// the ports of a client stepping its source port by a power of two ≥ 8 (only 2^11 of 4096
/// buckets are reachable); this fold gives full rank (12) on address bits 0–15 and on port
/// bits 4–15 for CRC-32 and CRC-32C, so such sweeps and sequential addresses fill every
/// bucket equally (measured: control/examples/index_search.rs).
pub fn bucket_index(hash: u32, bucket_bits: u8) -> u32 {
    let folded =
        hash.rotate_right(4) ^ hash.rotate_right(9) ^ hash.rotate_right(26) ^ hash.rotate_right(29);
    folded & ((1u32 << bucket_bits.min(31)) - 1)
}

/// The TM a hash selects: `Some((tm, used_backup))`, or `None` when the bucket's primary and
/// backup are both down. `up` has bit t set when TM t is up.
pub fn select(buckets: &[Bucket], bucket_bits: u8, up: u16, hash: u32) -> Option<(u8, bool)> {
    let b = buckets
        .get(bucket_index(hash, bucket_bits) as usize)
        .copied()
        .unwrap_or_default();
    let is_up = |t: u8| up >> (t & 0xF) & 1 == 1;
    if is_up(b.primary) {
        Some((b.primary & 0xF, false))
    } else if is_up(b.backup) {
        Some((b.backup & 0xF, true))
    } else {
        None
    }
}
