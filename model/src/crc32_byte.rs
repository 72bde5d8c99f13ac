//! Reflected CRC-32, byte at a time, table-driven (twin of `hdl::crc32_byte`, written
//! independently: the hardware shifts bit by bit, this looks bytes up in a table).

/// Reflected IEEE 802.3 polynomial: Ethernet FCS, default hash.
pub const POLY_IEEE: u32 = 0xEDB8_8320;
/// Reflected Castagnoli polynomial: CRC-32C.
pub const POLY_CASTAGNOLI: u32 = 0x82F6_3B78;

/// A byte-indexed lookup table for one reflected polynomial.
#[derive(Clone)]
pub struct Crc32 {
    table: [u32; 256],
}

impl Crc32 {
    pub const fn new(poly: u32) -> Self {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { (c >> 1) ^ poly } else { c >> 1 };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        Self { table }
    }

    /// One byte into the CRC register (no init, no final complement).
    #[inline]
    pub fn byte(&self, crc: u32, b: u8) -> u32 {
        (crc >> 8) ^ self.table[((crc ^ b as u32) & 0xFF) as usize]
    }

    /// The register after `data`, starting from `crc`.
    pub fn update(&self, crc: u32, data: &[u8]) -> u32 {
        data.iter().fold(crc, |c, &b| self.byte(c, b))
    }

    /// The standard checksum: init all-ones, final complement.
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
}
