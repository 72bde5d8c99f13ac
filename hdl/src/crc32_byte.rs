//! One byte of a reflected CRC-32 (IEEE 802.3 or Castagnoli), combinational.
//!
//! `crc_out` is the CRC register after shifting the eight bits of `data` (LSB first)
//! into `crc_in`. The polynomial is given in its reflected form, fixed at build time.
//! Model twin: `flowdist_model::crc32_byte`.
use rust_hdl::prelude::*;

/// Reflected IEEE 802.3 polynomial (0x04C11DB7 reversed): Ethernet FCS and the default hash.
pub const POLY_IEEE: u32 = 0xEDB8_8320;
/// Reflected Castagnoli polynomial (0x1EDC6F41 reversed): CRC-32C, selectable for the hash.
pub const POLY_CASTAGNOLI: u32 = 0x82F6_3B78;

#[derive(LogicBlock)]
pub struct Crc32Byte {
    pub crc_in: Signal<In, Bits<32>>,
    pub data: Signal<In, Bits<8>>,
    pub crc_out: Signal<Out, Bits<32>>,
    poly: Constant<Bits<32>>,
    step: [Signal<Local, Bits<32>>; 9],
}

impl Crc32Byte {
    pub fn new(poly: u32) -> Self {
        Self {
            crc_in: Default::default(),
            data: Default::default(),
            crc_out: Default::default(),
            poly: Constant::new(bits(poly as u64)),
            step: Default::default(),
        }
    }
}

impl Default for Crc32Byte {
    fn default() -> Self {
        Self::new(POLY_IEEE)
    }
}

impl Logic for Crc32Byte {
    #[hdl_gen]
    fn update(&mut self) {
        self.step[0].next = self.crc_in.val();
        for i in 0..8 {
            if self.step[i].val().get_bit(0) ^ self.data.val().get_bit(i) {
                self.step[i + 1].next = (self.step[i].val() >> 1) ^ self.poly.val();
            } else {
                self.step[i + 1].next = self.step[i].val() >> 1;
            }
        }
        self.crc_out.next = self.step[8].val();
    }
}
