//! Hash of a key (twin of `hdl::key_hasher`): the standard CRC-32 / CRC-32C of its bytes.
use crate::crc32_byte::Crc32;

/// Which polynomial the hash uses (a build-time choice in hardware).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HashPoly {
    #[default]
    Ieee,
    Castagnoli,
}

impl HashPoly {
    pub fn table(self) -> &'static Crc32 {
        match self {
            HashPoly::Ieee => &crate::crc32_byte::CRC32_IEEE,
            HashPoly::Castagnoli => &crate::crc32_byte::CRC32_C,
        }
    }
}

/// CRC of the key bytes (all-ones init, final complement).
pub fn key_hash(poly: HashPoly, key: &[u8]) -> u32 {
    poly.table().checksum(key)
}
