//! Incremental IPv4 header checksum update, RFC 1624 eqn. 3 (twin of
//! `hdl::checksum_update`): the checksum after a 16-bit header word changes from `old` to
//! `new`.

/// HC' = ~(~HC + ~m + m') in ones'-complement arithmetic.
pub fn update(checksum: u16, old: u16, new: u16) -> u16 {
    let mut s = u32::from(!checksum) + u32::from(!old) + u32::from(new);
    while s > 0xFFFF {
        s = (s & 0xFFFF) + (s >> 16);
    }
    !(s as u16)
}

/// The checksum after decrementing the TTL of a header whose TTL/protocol word is
/// `ttl << 8 | protocol` (TTL must be at least 1; the router drops TTL ≤ 1 before this).
pub fn ttl_decrement(checksum: u16, ttl: u8, protocol: u8) -> u16 {
    let old = u16::from_be_bytes([ttl, protocol]);
    let new = u16::from_be_bytes([ttl.wrapping_sub(1), protocol]);
    update(checksum, old, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 1624 section 4: m = 0x5555 → m' = 0x3285 in a header whose other words sum to
    /// 0xCD7A: HC = 0xDD2F; recomputation gives 0x0000, eqn. 2 would give 0xFFFF.
    #[test]
    fn rfc1624_example() {
        assert_eq!(update(0xDD2F, 0x5555, 0x3285), 0x0000);
    }
}
