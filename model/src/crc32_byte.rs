//! Reflected CRC-32, table-driven (twin of `hdl::crc32_byte`, written independently: the
//! hardware shifts bit by bit, this looks bytes up in tables).
//!
//! [`Crc32::update`] consumes 16 bytes per step (slicing-by-16: sixteen 256-entry tables, table
//! k advancing a byte through k further zero bytes), then the tail a byte at a time;
//! [`Crc32::update_bytewise`] is the plain one-table loop, kept as the reference the sliced
//! path is tested against.

/// Reflected IEEE 802.3 polynomial: Ethernet FCS, default hash.
pub const POLY_IEEE: u32 = 0xEDB8_8320;
/// Reflected Castagnoli polynomial: CRC-32C.
pub const POLY_CASTAGNOLI: u32 = 0x82F6_3B78;

/// Lookup tables for one reflected polynomial.
#[derive(Clone)]
pub struct Crc32 {
    /// `slices[0]` is the byte table; `slices[k][n] = advance(slices[k-1][n])` by one zero
    /// byte.
    slices: [[u32; 256]; 16],
}

impl Crc32 {
    pub const fn new(poly: u32) -> Self {
        let mut slices = [[0u32; 256]; 16];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { (c >> 1) ^ poly } else { c >> 1 };
                k += 1;
            }
            slices[0][n] = c;
            n += 1;
        }
        let mut k = 1;
        while k < 16 {
            let mut n = 0;
            while n < 256 {
                let prev = slices[k - 1][n];
                slices[k][n] = (prev >> 8) ^ slices[0][(prev & 0xFF) as usize];
                n += 1;
            }
            k += 1;
        }
        Self { slices }
    }

    /// One byte into the CRC register (no init, no final complement).
    #[inline]
    pub fn byte(&self, crc: u32, b: u8) -> u32 {
        (crc >> 8) ^ self.slices[0][((crc ^ b as u32) & 0xFF) as usize]
    }

    /// The register after `data`, starting from `crc`, a byte at a time (the reference).
    pub fn update_bytewise(&self, crc: u32, data: &[u8]) -> u32 {
        data.iter().fold(crc, |c, &b| self.byte(c, b))
    }

    /// The register after `data`, starting from `crc` (sixteen bytes per step).
    #[inline]
    pub fn update(&self, crc: u32, data: &[u8]) -> u32 {
        let t = &self.slices;
        let mut c = crc;
        let mut chunks = data.chunks_exact(16);
        for ch in &mut chunks {
            let a = u32::from_le_bytes([ch[0], ch[1], ch[2], ch[3]]) ^ c;
            let b = u32::from_le_bytes([ch[4], ch[5], ch[6], ch[7]]);
            let d = u32::from_le_bytes([ch[8], ch[9], ch[10], ch[11]]);
            let e = u32::from_le_bytes([ch[12], ch[13], ch[14], ch[15]]);
            c = t[15][(a & 0xFF) as usize]
                ^ t[14][(a >> 8 & 0xFF) as usize]
                ^ t[13][(a >> 16 & 0xFF) as usize]
                ^ t[12][(a >> 24) as usize]
                ^ t[11][(b & 0xFF) as usize]
                ^ t[10][(b >> 8 & 0xFF) as usize]
                ^ t[9][(b >> 16 & 0xFF) as usize]
                ^ t[8][(b >> 24) as usize]
                ^ t[7][(d & 0xFF) as usize]
                ^ t[6][(d >> 8 & 0xFF) as usize]
                ^ t[5][(d >> 16 & 0xFF) as usize]
                ^ t[4][(d >> 24) as usize]
                ^ t[3][(e & 0xFF) as usize]
                ^ t[2][(e >> 8 & 0xFF) as usize]
                ^ t[1][(e >> 16 & 0xFF) as usize]
                ^ t[0][(e >> 24) as usize];
        }
        let mut rest = chunks.remainder();
        if rest.len() >= 8 {
            let a = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) ^ c;
            let b = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
            c = t[7][(a & 0xFF) as usize]
                ^ t[6][(a >> 8 & 0xFF) as usize]
                ^ t[5][(a >> 16 & 0xFF) as usize]
                ^ t[4][(a >> 24) as usize]
                ^ t[3][(b & 0xFF) as usize]
                ^ t[2][(b >> 8 & 0xFF) as usize]
                ^ t[1][(b >> 16 & 0xFF) as usize]
                ^ t[0][(b >> 24) as usize];
            rest = &rest[8..];
        }
        if rest.len() >= 4 {
            let a = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) ^ c;
            c = t[3][(a & 0xFF) as usize]
                ^ t[2][(a >> 8 & 0xFF) as usize]
                ^ t[1][(a >> 16 & 0xFF) as usize]
                ^ t[0][(a >> 24) as usize];
            rest = &rest[4..];
        }
        for &b in rest {
            c = self.byte(c, b);
        }
        c
    }

    /// The standard checksum: init all-ones, final complement.
    #[inline]
    pub fn checksum(&self, data: &[u8]) -> u32 {
        !self.update(0xFFFF_FFFF, data)
    }
}

pub static CRC32_IEEE: Crc32 = Crc32::new(POLY_IEEE);
pub static CRC32_C: Crc32 = Crc32::new(POLY_CASTAGNOLI);

/// The table for a polynomial given by value.
pub fn for_poly(poly: u32) -> Crc32 {
    Crc32::new(poly)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn known_answers() {
        assert_eq!(CRC32_IEEE.checksum(b"123456789"), 0xCBF4_3926);
        assert_eq!(CRC32_C.checksum(b"123456789"), 0xE306_9283);
        assert_eq!(CRC32_IEEE.checksum(b""), 0);
    }

    /// The sliced path equals the byte loop for every length up to 100 and every start
    /// register tried, both polynomials.
    #[test]
    fn sliced_equals_bytewise() {
        let data: Vec<u8> = (0..100u32)
            .map(|i| (i.wrapping_mul(0x9E37_79B9) >> 13) as u8)
            .collect();
        for t in [&CRC32_IEEE, &CRC32_C] {
            for len in 0..=data.len() {
                for start in 0..len.min(5) {
                    for init in [0, 0xFFFF_FFFF, 0x1234_5678] {
                        let d = &data[start..len];
                        assert_eq!(t.update(init, d), t.update_bytewise(init, d));
                    }
                }
            }
        }
    }
}
