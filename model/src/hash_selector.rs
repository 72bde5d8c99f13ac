//! Hash selector (twin of `hdl::hash_selector`), R4.
use crate::tables::Bucket;

/// The TM a hash selects: `Some((tm, used_backup))`, or `None` when the bucket's primary and
/// backup are both down. `up` has bit t set when TM t is up.
pub fn select(buckets: &[Bucket], bucket_bits: u8, up: u16, hash: u32) -> Option<(u8, bool)> {
    let b = buckets
        .get((hash & ((1u32 << bucket_bits) - 1)) as usize)
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
