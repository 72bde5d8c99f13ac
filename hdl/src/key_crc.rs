//! CRC-32 of a whole 15-byte key in one combinational step (the connection table's bucket
//! hashes, R9).
//!
//! A CRC with a fixed length is affine in its input bits: crc(key) = crc(0) ^ L(key), L
//! linear. So output bit j is a constant XOR the parity of `key & M_j`, where bit p of the mask
//! M_j is bit j of crc(e_p) ^ crc(0) for the key e_p with only bit p set. The masks are worked
//! out here when the block is built. The parity is split in two halves of the key
//! (`part_lo`: bits 59..0 and the constant, `part_hi`: bits 119..60; the CRC is their XOR) so
//! that a user can register the halves and XOR them a cycle later: each half is a tree of
//! about 30 inputs (three LUT4 levels), where the whole key in one tree still missed 125 MHz
//! on the 25F (abc shares terms between the two CRCs and the paths grow to six levels), and
//! chaining byte-wide CRC steps made ten.
//!
//! Key layout as the connection table's: byte 0 in bits 119..112, each byte fed LSB first
//! (the reflected CRC). `crc` is the finished value (initial 0xFFFFFFFF, final XOR
//! 0xFFFFFFFF), the CRC-32 of the 15 bytes. Model twin: `flowdist_model::crc32_byte` checksums
//! over `ConnKey::bytes`.
use rust_hdl::prelude::*;

/// Key bytes.
pub const KEY_BYTES: usize = 15;

#[derive(LogicBlock)]
pub struct KeyCrc {
    pub key: Signal<In, Bits<120>>,
    /// crc = part_lo ^ part_hi.
    pub part_lo: Signal<Out, Bits<32>>,
    pub part_hi: Signal<Out, Bits<32>>,
    masks_lo: [Constant<Bits<120>>; 32],
    masks_hi: [Constant<Bits<120>>; 32],
    zero: Constant<Bits<32>>,
    acc_lo: [Signal<Local, Bits<32>>; 33],
    acc_hi: [Signal<Local, Bits<32>>; 33],
}

/// Bits of the key in the low half.
const LOW_BITS: usize = 60;

/// The reflected CRC-32 of `bytes` (initial 0xFFFFFFFF, final XOR 0xFFFFFFFF).
pub(crate) fn checksum(poly: u32, bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 == 1 { (c >> 1) ^ poly } else { c >> 1 };
        }
    }
    !c
}

/// The key whose only set bit is bit `p` (of 120, byte 0 on top).
fn unit(p: usize) -> [u8; KEY_BYTES] {
    let mut k = [0u8; KEY_BYTES];
    k[KEY_BYTES - 1 - p / 8] = 1 << (p % 8);
    k
}

impl KeyCrc {
    /// For the reflected polynomial `poly` (`crc32_byte::POLY_IEEE`, `POLY_CASTAGNOLI`).
    pub fn new(poly: u32) -> Self {
        let zero = checksum(poly, &[0u8; KEY_BYTES]);
        let cols: Vec<u32> = (0..120).map(|p| checksum(poly, &unit(p)) ^ zero).collect();
        let mask = |j: usize, range: std::ops::Range<usize>| {
            let m = range.fold(0u128, |m, p| m | (((cols[p] >> j) & 1) as u128) << p);
            let lo = bits::<64>(m as u64);
            let hi = bits::<64>((m >> 64) as u64);
            Constant::new((bit_cast::<120, 64>(hi) << 64) | bit_cast::<120, 64>(lo))
        };
        Self {
            key: Default::default(),
            part_lo: Default::default(),
            part_hi: Default::default(),
            masks_lo: std::array::from_fn(|j| mask(j, 0..LOW_BITS)),
            masks_hi: std::array::from_fn(|j| mask(j, LOW_BITS..120)),
            zero: Constant::new(bits(zero as u64)),
            acc_lo: std::array::from_fn(|_| Default::default()),
            acc_hi: std::array::from_fn(|_| Default::default()),
        }
    }
}

impl Logic for KeyCrc {
    #[hdl_gen]
    fn update(&mut self) {
        self.acc_lo[0].next = self.zero.val();
        self.acc_hi[0].next = bits::<32>(0);
        for j in 0..32 {
            self.acc_lo[j + 1].next = self.acc_lo[j].val().replace_bit(
                j,
                self.acc_lo[j].val().get_bit(j) ^ (self.key.val() & self.masks_lo[j].val()).xor(),
            );
            self.acc_hi[j + 1].next = self.acc_hi[j]
                .val()
                .replace_bit(j, (self.key.val() & self.masks_hi[j].val()).xor());
        }
        self.part_lo.next = self.acc_lo[32].val();
        self.part_hi.next = self.acc_hi[32].val();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The affine decomposition reproduces the CRC of arbitrary keys (the known answer for
    /// "123456789" is checked in the model's tests; here: random keys, both polynomials).
    #[test]
    fn masks_give_the_crc() {
        assert_eq!(
            checksum(crate::crc32_byte::POLY_IEEE, b"123456789"),
            0xCBF4_3926
        );
        assert_eq!(
            checksum(crate::crc32_byte::POLY_CASTAGNOLI, b"123456789"),
            0xE306_9283
        );
        for poly in [
            crate::crc32_byte::POLY_IEEE,
            crate::crc32_byte::POLY_CASTAGNOLI,
        ] {
            let zero = checksum(poly, &[0u8; KEY_BYTES]);
            let mut x = 0x9E37_79B9_7F4A_7C15u64;
            for _ in 0..200 {
                let mut key = [0u8; KEY_BYTES];
                for b in key.iter_mut() {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    *b = x as u8;
                }
                let mut c = zero;
                for p in 0..120 {
                    if key[KEY_BYTES - 1 - p / 8] >> (p % 8) & 1 == 1 {
                        c ^= checksum(poly, &unit(p)) ^ zero;
                    }
                }
                assert_eq!(c, checksum(poly, &key));
            }
        }
    }
}
