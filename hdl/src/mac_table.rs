//! The bridge's MAC learning table (R7): which port a station (MAC address + VLAN id) was
//! last heard on, with aging, in block RAM.
//!
//! 2^S slots in buckets of two ways (slot = 2 × bucket + way; both ways are read at once, way
//! 0 on the RAM's read port, way 1 on its write port, which reads when it does not write). A
//! station's bucket is the low S-1 bits of the CRC-32 (IEEE) of its 8 key bytes (VLAN id as
//! two bytes, then the MAC in wire order), folded (c ^ c>>11 ^ c>>22): each bucket bit is a
//! constant XOR the parity of the 60 key bits under a mask worked out when the block is built
//! (the CRC is affine in its input, as in `KeyCrc`), three LUT levels, registered.
//!
//! One operation at a time (`op_valid` while not `busy`): 0 lookup (`result` 1 hit with
//! `hit_port`, 0 miss), 1 learn on `port` (2 refreshed, 3 moved from the other port, 4
//! inserted into a free or expired way, 5 replaced the way heard longer ago, way 0 on a tie:
//! a learn always succeeds), 2 read slot `mac[S-1:0]` (6, the raw slot on `entry`).
//! Cycles: accept, hash, read, RAM latency, words registered, judged (live, same station,
//! age; registered), act with at most one write (registered, it lands the next cycle):
//! `done` 8 cycles after `op_valid`.
//!
//! Aging: `now` is an 8-bit epoch advanced by `tick` between operations (a tick that comes
//! during one waits for it: one is kept); `ticked` pulses when it applies. A slot is live
//! while valid and `now - seen < timeout` (mod 256); expired slots count as empty for lookups
//! and learns. Each tick starts a scrub: every slot in turn, while no operation or tick is
//! waiting, read, judged against the current `now` and emptied if it is valid but expired
//! (one slot per 7 cycles: 2^S × 7 cycles a pass, 7,168 for 1,024 slots), so an expired
//! entry is gone long before `now - seen` wraps back under the timeout. The scrub only
//! removes what lookups and learns already ignore, so when it runs changes no result; a raw
//! slot read can see an expired slot it has not reached yet.
//!
//! Slot layout (bits): valid 0, MAC 48..1, VLAN 60..49, port 61, last heard 69..62.
//! Model twin: `flowdist_model::mac_table` (same hash, ways, tie rule and expiry).
use crate::block_ram::BlockRam;
use crate::crc32_byte::POLY_IEEE;
use crate::key_crc::checksum;
use rust_hdl::prelude::*;

/// Bits of one slot.
pub const SLOT_BITS: usize = 70;

/// Bucket bits the hash can give (so at most 2^15 slots; the block RAM allows 2^14).
const HASH_BITS: usize = 14;

#[derive(LogicBlock)]
pub struct MacTable<const S: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub op_valid: Signal<In, Bit>,
    pub op: Signal<In, Bits<2>>,
    pub mac: Signal<In, Bits<48>>,
    pub vlan: Signal<In, Bits<12>>,
    pub port: Signal<In, Bit>,
    pub busy: Signal<Out, Bit>,
    pub tick: Signal<In, Bit>,
    pub timeout: Signal<In, Bits<8>>,
    pub done: Signal<Out, Bit>,
    pub ticked: Signal<Out, Bit>,
    pub result: Signal<Out, Bits<3>>,
    pub hit_port: Signal<Out, Bit>,
    pub entry: Signal<Out, Bits<SLOT_BITS>>,
    /// The epoch (`now`), for readers of raw slots who judge them (the control port).
    pub epoch: Signal<Out, Bits<8>>,
    ram: BlockRam<SLOT_BITS, S>,
    /// bucket bit j: parity of the key under `masks[j]`, XOR bit j of `zero`
    masks: [Constant<Bits<64>>; HASH_BITS],
    zero: Constant<Bits<16>>,
    acc: [Signal<Local, Bits<16>>; 15],
    key: Signal<Local, Bits<64>>,
    // 0 idle, 1 hash, 2 read, 3 RAM latency, 4 words registered, 5 judge, 6 act
    state: DFF<Bits<3>>,
    /// 0..2 as `op`, 3 a scrub step
    op_q: DFF<Bits<2>>,
    mac_q: DFF<Bits<48>>,
    vlan_q: DFF<Bits<12>>,
    port_q: DFF<Bit>,
    /// the bucket's first slot (lookup, learn) or the slot (read, scrub)
    base: DFF<Bits<S>>,
    now: DFF<Bits<8>>,
    tick_pend: DFF<Bit>,
    o_ticked: DFF<Bit>,
    scrub_on: DFF<Bit>,
    scrub_at: DFF<Bits<S>>,
    w0: DFF<Bits<SLOT_BITS>>,
    w1: DFF<Bits<SLOT_BITS>>,
    live0: DFF<Bit>,
    live1: DFF<Bit>,
    same0: DFF<Bit>,
    same1: DFF<Bit>,
    older0: DFF<Bit>,
    age0: Signal<Local, Bits<8>>,
    age1: Signal<Local, Bits<8>>,
    way: Signal<Local, Bit>,
    wr_en: DFF<Bit>,
    wr_addr: DFF<Bits<S>>,
    wr_data: DFF<Bits<SLOT_BITS>>,
    o_done: DFF<Bit>,
    o_result: DFF<Bits<3>>,
    o_port: DFF<Bit>,
    o_entry: DFF<Bits<SLOT_BITS>>,
    last_slot: Constant<Bits<S>>,
}

/// The key as the hash sees it: MAC in bits 47..0, VLAN id in 59..48.
fn key_bytes(key: u64) -> [u8; 8] {
    let vlan = ((key >> 48) & 0xFFF) as u16;
    let m = key.to_be_bytes();
    let v = vlan.to_be_bytes();
    [v[0], v[1], m[2], m[3], m[4], m[5], m[6], m[7]]
}

/// The folded bucket hash of a key, computed bit by bit (the masks are built from it).
fn bucket_hash(key: u64) -> u32 {
    let c = checksum(POLY_IEEE, &key_bytes(key));
    c ^ (c >> 11) ^ (c >> 22)
}

impl<const S: usize> MacTable<S> {
    pub fn new() -> Self {
        assert!((2..=14).contains(&S), "MacTable: 2^2 to 2^14 slots");
        let zero = bucket_hash(0);
        let mask = |j: usize| {
            let m = (0..60).fold(0u64, |m, p| {
                m | ((((bucket_hash(1 << p) ^ zero) >> j) & 1) as u64) << p
            });
            // bucket bits beyond the table's are not used
            Constant::new(bits::<64>(if j + 1 < S { m } else { 0 }))
        };
        let zero_bits = ((zero as u64) << 1) & ((1u64 << S) - 2);
        Self {
            clock: Default::default(),
            reset: Default::default(),
            op_valid: Default::default(),
            op: Default::default(),
            mac: Default::default(),
            vlan: Default::default(),
            port: Default::default(),
            busy: Default::default(),
            tick: Default::default(),
            timeout: Default::default(),
            done: Default::default(),
            ticked: Default::default(),
            result: Default::default(),
            hit_port: Default::default(),
            entry: Default::default(),
            epoch: Default::default(),
            ram: Default::default(),
            masks: std::array::from_fn(mask),
            zero: Constant::new(bits::<16>(zero_bits)),
            acc: Default::default(),
            key: Default::default(),
            state: Default::default(),
            op_q: Default::default(),
            mac_q: Default::default(),
            vlan_q: Default::default(),
            port_q: Default::default(),
            base: Default::default(),
            now: Default::default(),
            tick_pend: Default::default(),
            o_ticked: Default::default(),
            scrub_on: Default::default(),
            scrub_at: Default::default(),
            w0: Default::default(),
            w1: Default::default(),
            live0: Default::default(),
            live1: Default::default(),
            same0: Default::default(),
            same1: Default::default(),
            older0: Default::default(),
            age0: Default::default(),
            age1: Default::default(),
            way: Default::default(),
            wr_en: Default::default(),
            wr_addr: Default::default(),
            wr_data: Default::default(),
            o_done: Default::default(),
            o_result: Default::default(),
            o_port: Default::default(),
            o_entry: Default::default(),
            last_slot: Constant::new(bits::<S>((1u64 << S) - 1)),
        }
    }
}

impl<const S: usize> Default for MacTable<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const S: usize> Logic for MacTable<S> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, state, op_q, mac_q, vlan_q, port_q, base, now, tick_pend, o_ticked,
            scrub_on, scrub_at, w0, w1, live0, live1, same0, same1, older0, wr_en, wr_addr,
            wr_data, o_done, o_result, o_port, o_entry
        );
        self.ram.clock.next = self.clock.val();
        // the bucket hash of the registered station: bucket bit j is slot bit j + 1
        self.key.next = (bit_cast::<64, 12>(self.vlan_q.q.val()) << 48)
            | bit_cast::<64, 48>(self.mac_q.q.val());
        self.acc[0].next = self.zero.val();
        for j in 0..14 {
            self.acc[j + 1].next = self.acc[j].val().replace_bit(
                j + 1,
                self.acc[j].val().get_bit(j + 1) ^ (self.key.val() & self.masks[j].val()).xor(),
            );
        }
        // the write port: the registered write, else way 1's read
        self.ram.write_enable.next = self.wr_en.q.val();
        self.ram.write_address.next = self.base.q.val() | bits::<S>(1);
        if self.wr_en.q.val() {
            self.ram.write_address.next = self.wr_addr.q.val();
        }
        self.ram.write_data.next = self.wr_data.q.val();
        self.ram.read_address.next = self.base.q.val();
        self.wr_en.d.next = false;
        self.o_done.d.next = false;
        self.o_ticked.d.next = false;
        if self.tick.val() {
            self.tick_pend.d.next = true;
        }
        self.busy.next =
            (self.state.q.val() != bits::<3>(0)) | self.tick.val() | self.tick_pend.q.val();

        self.epoch.next = self.now.q.val();
        // judging the two ways (registered words)
        self.age0.next = self.now.q.val() - self.w0.q.val().get_bits::<8>(62);
        self.age1.next = self.now.q.val() - self.w1.q.val().get_bits::<8>(62);
        self.way.next = false;

        if self.state.q.val() == bits::<3>(0) {
            if self.tick.val() | self.tick_pend.q.val() {
                // a tick applies between operations, and starts a scrub pass
                self.now.d.next = self.now.q.val() + 1;
                self.o_ticked.d.next = true;
                self.tick_pend.d.next = false;
                self.scrub_on.d.next = true;
            } else if self.op_valid.val() {
                self.op_q.d.next = self.op.val();
                self.mac_q.d.next = self.mac.val();
                self.vlan_q.d.next = self.vlan.val();
                self.port_q.d.next = self.port.val();
                self.base.d.next = bit_cast::<S, 48>(self.mac.val());
                self.state.d.next = bits::<3>(1);
            } else if self.scrub_on.q.val() {
                self.op_q.d.next = bits::<2>(3);
                self.base.d.next = self.scrub_at.q.val();
                self.scrub_at.d.next = self.scrub_at.q.val() + 1;
                if self.scrub_at.q.val() == self.last_slot.val() {
                    self.scrub_on.d.next = false;
                }
                self.state.d.next = bits::<3>(2);
            }
        } else if self.state.q.val() == bits::<3>(1) {
            if !self.op_q.q.val().get_bit(1) {
                self.base.d.next = bit_cast::<S, 16>(self.acc[14].val());
            }
            self.state.d.next = bits::<3>(2);
        } else if self.state.q.val() == bits::<3>(2) {
            self.state.d.next = bits::<3>(3);
        } else if self.state.q.val() == bits::<3>(3) {
            self.state.d.next = bits::<3>(4);
        } else if self.state.q.val() == bits::<3>(4) {
            self.w0.d.next = self.ram.read_data.val();
            self.w1.d.next = self.ram.write_port_data.val();
            self.state.d.next = bits::<3>(5);
        } else if self.state.q.val() == bits::<3>(5) {
            self.live0.d.next = self.w0.q.val().get_bit(0) & (self.age0.val() < self.timeout.val());
            self.live1.d.next = self.w1.q.val().get_bit(0) & (self.age1.val() < self.timeout.val());
            self.same0.d.next = (self.w0.q.val().get_bits::<48>(1) == self.mac_q.q.val())
                & (self.w0.q.val().get_bits::<12>(49) == self.vlan_q.q.val());
            self.same1.d.next = (self.w1.q.val().get_bits::<48>(1) == self.mac_q.q.val())
                & (self.w1.q.val().get_bits::<12>(49) == self.vlan_q.q.val());
            self.older0.d.next = self.age0.val() >= self.age1.val();
            self.state.d.next = bits::<3>(6);
        } else {
            // act
            self.state.d.next = bits::<3>(0);
            self.o_done.d.next = self.op_q.q.val() != bits::<2>(3);
            self.o_entry.d.next = self.w0.q.val();
            self.o_port.d.next = false;
            self.wr_data.d.next = (bit_cast::<SLOT_BITS, 8>(self.now.q.val()) << 62)
                | (bit_cast::<SLOT_BITS, 1>(self.port_q.q.val().into()) << 61)
                | (bit_cast::<SLOT_BITS, 12>(self.vlan_q.q.val()) << 49)
                | (bit_cast::<SLOT_BITS, 48>(self.mac_q.q.val()) << 1)
                | bits::<SLOT_BITS>(1);
            if self.op_q.q.val() == bits::<2>(0) {
                self.o_result.d.next = bits::<3>(0);
                if self.live0.q.val() & self.same0.q.val() {
                    self.o_result.d.next = bits::<3>(1);
                    self.o_port.d.next = self.w0.q.val().get_bit(61);
                } else if self.live1.q.val() & self.same1.q.val() {
                    self.o_result.d.next = bits::<3>(1);
                    self.o_port.d.next = self.w1.q.val().get_bit(61);
                }
            } else if self.op_q.q.val() == bits::<2>(1) {
                self.wr_en.d.next = true;
                if self.live0.q.val() & self.same0.q.val() {
                    self.o_result.d.next = bits::<3>(2);
                    if self.w0.q.val().get_bit(61) != self.port_q.q.val() {
                        self.o_result.d.next = bits::<3>(3);
                    }
                } else if self.live1.q.val() & self.same1.q.val() {
                    self.way.next = true;
                    self.o_result.d.next = bits::<3>(2);
                    if self.w1.q.val().get_bit(61) != self.port_q.q.val() {
                        self.o_result.d.next = bits::<3>(3);
                    }
                } else if !self.live0.q.val() {
                    self.o_result.d.next = bits::<3>(4);
                } else if !self.live1.q.val() {
                    self.way.next = true;
                    self.o_result.d.next = bits::<3>(4);
                } else {
                    self.way.next = !self.older0.q.val();
                    self.o_result.d.next = bits::<3>(5);
                }
            } else if self.op_q.q.val() == bits::<2>(2) {
                self.o_result.d.next = bits::<3>(6);
            } else {
                // scrub: empty the slot if it holds an expired entry
                self.wr_data.d.next = bits::<SLOT_BITS>(0);
                self.wr_en.d.next = self.w0.q.val().get_bit(0) & !self.live0.q.val();
            }
            self.wr_addr.d.next = self.base.q.val() | bit_cast::<S, 1>(self.way.val().into());
        }
        if self.reset.val() {
            self.state.d.next = bits::<3>(0);
            self.now.d.next = bits::<8>(0);
            self.tick_pend.d.next = false;
            self.o_ticked.d.next = false;
            self.scrub_on.d.next = false;
            self.scrub_at.d.next = bits::<S>(0);
            self.wr_en.d.next = false;
            self.o_done.d.next = false;
        }
        self.done.next = self.o_done.q.val();
        self.ticked.next = self.o_ticked.q.val();
        self.result.next = self.o_result.q.val();
        self.hit_port.next = self.o_port.q.val();
        self.entry.next = self.o_entry.q.val();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The masks reproduce the folded CRC of arbitrary keys (the bit-by-bit CRC itself has
    /// its known answers in `key_crc`).
    #[test]
    fn masks_give_the_bucket_hash() {
        let t = MacTable::<14>::new();
        let zero = bucket_hash(0);
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..300 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let key = x & 0x0FFF_FFFF_FFFF_FFFF;
            let mut h = zero;
            for j in 0..13 {
                let m = t.masks[j].val().to_u64();
                let p = (key & m).count_ones() & 1;
                h ^= p << j;
            }
            assert_eq!(h & 0x1FFF, bucket_hash(key) & 0x1FFF, "key {key:#x}");
        }
    }
}
