//! Running CRC-32 over the bytes of a hash key, fed one byte per cycle as they stream past.
//!
//! `start` restarts the register at all-ones (a new frame; a byte offered in the same cycle
//! is not taken, which keeps the restart off the CRC logic's path); otherwise on `en` the
//! byte `data` is folded in. `hash` is the finished CRC (register complemented), i.e. the standard
//! CRC-32/CRC-32C of all bytes fed since `start`. One key per frame, no stall at line rate:
//! the key bytes are hashed while they arrive, so the hash is ready with the header.
//! Model twin: `flowdist_model::key_hasher`.
use crate::crc32_byte::Crc32Byte;
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct KeyHasher {
    pub clock: Signal<In, Clock>,
    pub start: Signal<In, Bit>,
    pub en: Signal<In, Bit>,
    pub data: Signal<In, Bits<8>>,
    pub hash: Signal<Out, Bits<32>>,
    crc: DFF<Bits<32>>,
    step: Crc32Byte,
}

impl KeyHasher {
    pub fn new(poly: u32) -> Self {
        Self {
            clock: Default::default(),
            start: Default::default(),
            en: Default::default(),
            data: Default::default(),
            hash: Default::default(),
            crc: DFF::default(),
            step: Crc32Byte::new(poly),
        }
    }
}

impl Logic for KeyHasher {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, crc);
        self.step.data.next = self.data.val();
        self.step.crc_in.next = self.crc.q.val();
        if self.en.val() {
            self.crc.d.next = self.step.crc_out.val();
        }
        if self.start.val() {
            self.crc.d.next = bits::<32>(0xFFFF_FFFF_u64);
        }
        self.hash.next = !self.crc.q.val();
    }
}
