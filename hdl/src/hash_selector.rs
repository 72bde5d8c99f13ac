//! Hash selector (R4): a fold of the key hash (`flowdist_model::hash_selector::bucket_index`
//! says why) indexes a bucket table of 2^K entries,
//! each naming a primary and a backup TM; a TM marked down in `tm_up` is skipped at once
//! (the backup serves its buckets) with no table rewrite.
//!
//! Fully pipelined: a request every cycle, result three cycles later (two for the
//! [`BlockRam`], whose output register keeps its slow clock-to-output away from logic, one for
//! the up/down choice) (`done`, `tm`, `tm_valid` false when primary and backup are both down,
//! `used_backup`). Bucket entry: primary in
//! bits 3..0, backup in bits 7..4; written at `cfg_addr` = bucket index.
//! Model twin: `flowdist_model::hash_selector`.
use crate::block_ram::BlockRam;
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct HashSelector<const K: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub cfg_we: Signal<In, Bit>,
    pub cfg_addr: Signal<In, Bits<16>>,
    pub cfg_data: Signal<In, Bits<32>>,
    pub tm_up: Signal<In, Bits<16>>,
    pub req: Signal<In, Bit>,
    pub hash: Signal<In, Bits<32>>,
    pub done: Signal<Out, Bit>,
    pub tm: Signal<Out, Bits<4>>,
    pub tm_valid: Signal<Out, Bit>,
    pub used_backup: Signal<Out, Bit>,
    buckets: BlockRam<8, K>,
    read: DFF<Bit>,
    read2: DFF<Bit>,
    r_done: DFF<Bit>,
    r_tm: DFF<Bits<4>>,
    r_valid: DFF<Bit>,
    r_backup: DFF<Bit>,
    folded: Signal<Local, Bits<32>>,
    up_p: Signal<Local, Bits<16>>,
    up_b: Signal<Local, Bits<16>>,
    primary_up: Signal<Local, Bit>,
    backup_up: Signal<Local, Bit>,
}

impl<const K: usize> HashSelector<K> {
    /// With its buckets loaded at build time from configuration-bus writes.
    pub fn with_tables(writes: &crate::table_image::BusWrites) -> Self {
        Self {
            buckets: BlockRam::new(crate::table_image::buckets::<K>(writes)),
            ..Default::default()
        }
    }
}

impl<const K: usize> Logic for HashSelector<K> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, read, read2, r_done, r_tm, r_valid, r_backup);
        self.buckets.clock.next = self.clock.val();
        self.buckets.write_address.next = self.cfg_addr.val().get_bits::<K>(0);
        self.buckets.write_data.next = self.cfg_data.val().get_bits::<8>(0);
        self.buckets.write_enable.next = self.cfg_we.val();
        // bucket index: four rotations of the CRC XOR-ed (rotr 4, 9, 26, 29), low K bits;
        // the CRC's own low bits cannot separate power-of-two port strides (R4)
        self.folded.next = ((self.hash.val() >> 4) | (self.hash.val() << 28))
            ^ ((self.hash.val() >> 9) | (self.hash.val() << 23))
            ^ ((self.hash.val() >> 26) | (self.hash.val() << 6))
            ^ ((self.hash.val() >> 29) | (self.hash.val() << 3));
        self.buckets.read_address.next = self.folded.val().get_bits::<K>(0);
        self.read.d.next = self.req.val() & !self.reset.val();

        self.up_p.next =
            self.tm_up.val() >> bit_cast::<16, 4>(self.buckets.read_data.val().get_bits::<4>(0));
        self.up_b.next =
            self.tm_up.val() >> bit_cast::<16, 4>(self.buckets.read_data.val().get_bits::<4>(4));
        self.read2.d.next = self.read.q.val();
        self.primary_up.next = self.up_p.val().get_bit(0);
        self.backup_up.next = self.up_b.val().get_bit(0);
        self.r_done.d.next = self.read2.q.val();
        if self.primary_up.val() {
            self.r_tm.d.next = self.buckets.read_data.val().get_bits::<4>(0);
        } else {
            self.r_tm.d.next = self.buckets.read_data.val().get_bits::<4>(4);
        }
        self.r_valid.d.next = self.primary_up.val() | self.backup_up.val();
        self.r_backup.d.next = !self.primary_up.val() & self.backup_up.val();
        if self.reset.val() {
            self.read2.d.next = false;
            self.r_done.d.next = false;
        }
        self.done.next = self.r_done.q.val();
        self.tm.next = self.r_tm.q.val();
        self.tm_valid.next = self.r_valid.q.val();
        self.used_backup.next = self.r_backup.q.val();
    }
}
