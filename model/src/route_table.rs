//! The router's table (R8; twin of `hdl::route_table`): IPv4 prefix → next hop (MAC, port,
//! VLAN).
//!
//! Up to [`MAX_ROUTES`] entries, searched in order, the first match wins; the control plane
//! stores them most specific first, so the first match is the longest prefix. A routed frame
//! leaves on the route's port to the next hop's MAC from the group MAC, carrying the route's
//! VLAN tag (pushed, or its VLAN id set when the frame is tagged) or none (a tag popped), its
//! TTL one less and its header checksum updated incrementally (RFC 1624). A frame whose TTL
//! is 0 or 1 is not forwarded: dropped and counted (`ttl_expired`; no ICMP time exceeded is
//! sent). IPv4 frames the decision routes that match no entry leave unchanged on the other
//! port (the distributor is a wire for them, as with no routes at all).
//!
//! Bus layout (0x4000 + 4 × entry + word; word 3 commits the entry): word 0 prefix, word 1
//! mask, word 2 next-hop MAC bits 31..0, word 3: MAC bits 47..32 in 15..0, VLAN id in 27..16,
//! tagged 28, port 29, valid 31.
use crate::checksum_update::ttl_decrement;

/// Entries in the table (the hardware scans them all for every routed frame).
pub const MAX_ROUTES: usize = 16;
/// Configuration-bus address of entry 0, word 0.
pub const ROUTE_BASE: u16 = 0x4000;

/// One route.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Route {
    pub valid: bool,
    /// The prefix's address bits (bits outside `mask` are ignored on lookup).
    pub prefix: u32,
    pub mask: u32,
    pub next_hop: u64,
    pub port: u8,
    /// The VLAN the next hop is on (`None`: untagged).
    pub vlan: Option<u16>,
}

impl Route {
    /// A route to `prefix/len` (len 0..=32).
    pub fn to_prefix(prefix: u32, len: u8, next_hop: u64, port: u8, vlan: Option<u16>) -> Route {
        let mask = mask_of(len);
        Route {
            valid: true,
            prefix: prefix & mask,
            mask,
            next_hop: next_hop & 0xFFFF_FFFF_FFFF,
            port: port & 1,
            vlan: vlan.map(|v| v & 0xFFF),
        }
    }

    pub fn matches(&self, addr: u32) -> bool {
        self.valid && addr & self.mask == self.prefix & self.mask
    }

    /// The four configuration-bus words.
    pub fn words(&self) -> [u32; 4] {
        let w3 = ((self.next_hop >> 32) & 0xFFFF) as u32
            | u32::from(self.vlan.unwrap_or(0) & 0xFFF) << 16
            | u32::from(self.vlan.is_some()) << 28
            | u32::from(self.port & 1) << 29
            | u32::from(self.valid) << 31;
        [self.prefix, self.mask, self.next_hop as u32, w3]
    }

    /// The inverse of [`Route::words`] (bits no field has are dropped).
    pub fn from_words(w: [u32; 4]) -> Route {
        let tagged = w[3] >> 28 & 1 == 1;
        Route {
            valid: w[3] >> 31 == 1,
            prefix: w[0],
            mask: w[1],
            next_hop: u64::from(w[2]) | u64::from(w[3] & 0xFFFF) << 32,
            port: (w[3] >> 29 & 1) as u8,
            vlan: tagged.then_some((w[3] >> 16 & 0xFFF) as u16),
        }
    }
}

/// The mask of a prefix length (0..=32; more counts as 32).
pub fn mask_of(len: u8) -> u32 {
    match len {
        0 => 0,
        l => u32::MAX << (32 - u32::from(l.min(32))),
    }
}

/// The first route (index, route) that matches `addr`.
pub fn lookup(routes: &[Route], addr: u32) -> Option<(u8, Route)> {
    routes
        .iter()
        .take(MAX_ROUTES)
        .enumerate()
        .find(|(_, r)| r.matches(addr))
        .map(|(i, r)| (i as u8, *r))
}

/// A frame with this TTL is not forwarded by a route.
pub fn ttl_expires(ttl: u8) -> bool {
    ttl <= 1
}

/// The TTL and header checksum a routed frame leaves with (`ttl` ≥ 2).
pub fn forwarded(ttl: u8, protocol: u8, checksum: u16) -> (u8, u16) {
    (ttl.wrapping_sub(1), ttl_decrement(checksum, ttl, protocol))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header_parser::ipv4_checksum;

    #[test]
    fn words_round_trip() {
        let r = Route::to_prefix(0x0A01_0000, 16, 0x0200_0000_0A0B, 1, Some(300));
        assert_eq!(Route::from_words(r.words()), r);
        assert_eq!(
            r.words()[3],
            0x8000_0000 | 1 << 29 | 1 << 28 | 300 << 16 | 0x0200
        );
        let u = Route::to_prefix(0, 0, 0x1122_3344_5566, 0, None);
        assert_eq!(Route::from_words(u.words()), u);
    }

    #[test]
    fn first_match_is_the_most_specific_when_sorted() {
        let routes = [
            Route::to_prefix(0x0A01_0200, 24, 3, 0, None),
            Route::to_prefix(0x0A01_0000, 16, 2, 1, None),
            Route::to_prefix(0, 0, 1, 1, Some(5)),
        ];
        assert_eq!(lookup(&routes, 0x0A01_0203).map(|r| r.0), Some(0));
        assert_eq!(lookup(&routes, 0x0A01_0303).map(|r| r.0), Some(1));
        assert_eq!(lookup(&routes, 0xC0A8_0001).map(|r| r.0), Some(2));
        assert_eq!(lookup(&routes[..2], 0xC0A8_0001), None);
        let mut off = routes;
        off[0].valid = false;
        assert_eq!(lookup(&off, 0x0A01_0203).map(|r| r.0), Some(1));
        assert_eq!(mask_of(32), u32::MAX);
        assert_eq!(mask_of(1), 0x8000_0000);
    }

    /// The incremental update equals a full recomputation for every TTL and protocol, over
    /// headers whose checksums cover the corner values (RFC 1624's 0x0000 / 0xFFFF cases).
    #[test]
    fn forwarded_checksum_equals_recomputation() {
        for ttl in 2..=255u8 {
            for (k, proto) in [1u8, 6, 17, 0xFF].into_iter().enumerate() {
                let mut h = [
                    0x45, 0, 0, 40, 0, 0, 0, 0, ttl, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
                ];
                // a word chosen so that the checksum before or after lands on 0x0000
                let w = (usize::from(ttl) * 257 + k * 4099) as u16;
                h[4..6].copy_from_slice(&w.to_be_bytes());
                let c = ipv4_checksum(&h);
                h[10..12].copy_from_slice(&c.to_be_bytes());
                let (t, c2) = forwarded(ttl, proto, c);
                h[8] = t;
                h[10..12].copy_from_slice(&[0, 0]);
                let want = ipv4_checksum(&h);
                assert_eq!(c2, want, "ttl {ttl} proto {proto} checksum {c:#06x}");
            }
        }
        assert!(ttl_expires(1) && ttl_expires(0) && !ttl_expires(2));
    }
}
