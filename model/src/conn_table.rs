//! Model of the hardware's `ConnTable` (R9): which TM owns a connection, by its full key.
//!
//! A d-left hash table with d = 2: two halves of 2^(A-1) entries, buckets of 8 slots; a key's
//! candidate bucket in the left half is given by CRC-32 (IEEE) of its 15 key bytes, in the
//! right half by CRC-32C, each folded (`fold`) and reduced to its low A-4 bits. The first
//! failed insert comes at 82-95 % load depending on the key pattern (`first_failure_loads`);
//! with 4-slot buckets it was about 10 points lower. A slot holds the key, the TM, the
//! epoch it was last seen in, and a valid bit.
//!
//! Time is an 8-bit epoch counter (`tick` advances it); an entry is live while
//! `(now - last_seen) mod 256 < timeout`, and an expired entry counts as empty everywhere.
//! Each tick also sweeps a 64th of the table, emptying its expired slots, so that an
//! entry nobody touches cannot come back to life when the epoch wraps.
//! Operations, one at a time:
//! - lookup: the first live slot holding the key, left bucket slots 0..7 then right 0..7; a hit
//!   refreshes `last_seen` to now.
//! - insert: a live entry for the key is updated (TM, last seen); otherwise the key goes into
//!   the bucket with more empty slots (left on a tie), in its first empty slot; with no empty
//!   slot in either bucket the insert fails (`Full`) and no entry is disturbed.
//! - learn (the data path's insert after a miss): like insert, except that a live entry for
//!   the key keeps its TM (only `last_seen` refreshed) and the outcome is a hit with that TM,
//!   so a flow learned by one port is never moved by the other's late learn.
//! - delete: the live entry for the key, if any, is emptied (every field zero).
//!
//! The slot order, tie rule and expiry are exactly the hardware's, so the two tables agree on
//! every slot after any sequence of operations.
use crate::crc32_byte::{CRC32_C, CRC32_IEEE};
use crate::header_parser::{flag, HeaderFields, L3_IPV4};

/// Slots per bucket.
pub const SLOTS: usize = 8;

/// A tick sweeps one of this many parts of the table (the hardware: 16 of its 1,024 slots,
/// 22 cycles, so that a lookup waiting behind a sweep is still answered within a minimum
/// frame's time).
pub const SWEEP_PARTS: usize = 64;

/// The longest timeout (epochs) with which no expired entry can come back to life: an
/// expired entry is emptied within [`SWEEP_PARTS`] ticks, before `now - seen` wraps.
pub const MAX_TIMEOUT: u8 = (256 - SWEEP_PARTS) as u8;

/// A connection key: the 5-tuple and the VLAN (12 bits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ConnKey {
    pub src_ip: u32,
    pub dst_ip: u32,
    pub src_port: u16,
    pub dst_port: u16,
    pub proto: u8,
    pub vlan: u16,
}

impl ConnKey {
    /// The 15 key bytes, in the order the hardware hashes them: source address, destination
    /// address, source port, destination port, protocol, VLAN (16 bits, id in the low 12).
    pub fn bytes(&self) -> [u8; 15] {
        let mut b = [0u8; 15];
        b[0..4].copy_from_slice(&self.src_ip.to_be_bytes());
        b[4..8].copy_from_slice(&self.dst_ip.to_be_bytes());
        b[8..10].copy_from_slice(&self.src_port.to_be_bytes());
        b[10..12].copy_from_slice(&self.dst_port.to_be_bytes());
        b[12] = self.proto;
        b[13..15].copy_from_slice(&(self.vlan & 0xFFF).to_be_bytes());
        b
    }

    /// The key of a frame the data path looks up: well-formed IPv4 to the group MAC
    /// (`group_mac`), else `None`. Canonical, so both directions of a connection have the same
    /// key: the lower of (source address, source port) and (destination address, destination
    /// port) first; ports 0 unless the frame is TCP or UDP and not a fragment; VLAN the outer
    /// tag's id, 0 untagged.
    pub fn of(h: &HeaderFields, group_mac: u64) -> Option<ConnKey> {
        if h.malformed() || h.l3 != L3_IPV4 || h.dst_mac != group_mac & 0xFFFF_FFFF_FFFF {
            return None;
        }
        let ports = h.has(flag::L4_VALID) && !h.has(flag::FRAGMENT);
        let port = |p: u16| if ports { p } else { 0 };
        let k = ConnKey {
            src_ip: h.src_ip as u32,
            dst_ip: h.dst_ip as u32,
            src_port: port(h.src_port),
            dst_port: port(h.dst_port),
            proto: h.protocol,
            vlan: if h.vlan_count > 0 { h.vlan0 & 0xFFF } else { 0 },
        };
        Some(k.canonical())
    }

    /// The same connection named from its lower end: (source address, source port) and
    /// (destination address, destination port) swapped when the source's is the higher, as
    /// [`ConnKey::of`] makes keys.
    pub fn canonical(&self) -> ConnKey {
        if (self.src_ip, self.src_port) > (self.dst_ip, self.dst_port) {
            ConnKey {
                src_ip: self.dst_ip,
                dst_ip: self.src_ip,
                src_port: self.dst_port,
                dst_port: self.src_port,
                ..*self
            }
        } else {
            *self
        }
    }

    /// The key as the hardware's 120-bit input (byte 0 in the top bits).
    pub fn packed(&self) -> u128 {
        self.bytes()
            .iter()
            .fold(0u128, |a, &b| (a << 8) | b as u128)
    }
}

/// One slot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slot {
    pub valid: bool,
    pub key: ConnKey,
    pub tm: u8,
    pub seen: u8,
}

/// What an operation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Lookup or delete of a key not in the table.
    Miss,
    /// Lookup hit (with the TM).
    Hit(u8),
    /// Insert of a new key.
    Inserted,
    /// Insert of a key already there: TM and last seen updated.
    Updated,
    /// Insert with both candidate buckets full of live entries.
    Full,
    /// Delete of a key that was there.
    Deleted,
}

impl Outcome {
    /// The hardware's `result` code and `tm` output.
    pub fn code(self) -> (u8, u8) {
        match self {
            Outcome::Miss => (0, 0),
            Outcome::Hit(t) => (1, t),
            Outcome::Inserted => (2, 0),
            Outcome::Updated => (3, 0),
            Outcome::Full => (4, 0),
            Outcome::Deleted => (5, 0),
        }
    }
}

/// The table: 2^`abits` slots.
#[derive(Clone, Debug)]
pub struct ConnTable {
    abits: u32,
    pub slots: Vec<Slot>,
    pub now: u8,
    pub timeout: u8,
    /// The part (a 64th) of the table the next tick sweeps.
    pub sweep_part: u8,
}

/// A bucket index from a CRC: its low bits alone are a linear function of few key bits for
/// keys that differ only in a few places (consecutive client addresses), so fold the high
/// bits in (wiring and one XOR level in hardware).
pub fn fold(crc: u32) -> u32 {
    crc ^ (crc >> 11) ^ (crc >> 22)
}

/// A slot as the hardware stores it (valid 0, key 120..1, TM 124..121, last seen 132..125).
impl Slot {
    pub fn from_bits(v: &[u32]) -> Slot {
        let bit = |i: usize| v.get(i / 32).is_some_and(|w| (w >> (i % 32)) & 1 == 1);
        let field =
            |lo: usize, n: usize| (0..n).fold(0u128, |a, i| a | ((bit(lo + i) as u128) << i));
        let key = field(1, 120);
        let b: Vec<u8> = (0..15).rev().map(|i| (key >> (8 * i)) as u8).collect();
        Slot {
            valid: bit(0),
            key: ConnKey {
                src_ip: u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
                dst_ip: u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
                src_port: u16::from_be_bytes([b[8], b[9]]),
                dst_port: u16::from_be_bytes([b[10], b[11]]),
                proto: b[12],
                vlan: u16::from_be_bytes([b[13], b[14]]),
            },
            tm: field(121, 4) as u8,
            seen: field(125, 8) as u8,
        }
    }
}

impl ConnTable {
    pub fn new(abits: u32, timeout: u8) -> Self {
        assert!(abits >= 5, "at least one bucket per half");
        ConnTable {
            abits,
            slots: vec![Slot::default(); 1 << abits],
            now: 0,
            timeout,
            sweep_part: 0,
        }
    }

    /// The 16 candidate slot addresses: left bucket slots 0..7, right bucket slots 0..7.
    pub fn candidates(&self, key: &ConnKey) -> [usize; 2 * SLOTS] {
        let b = key.bytes();
        let bucket_bits = self.abits - 4;
        let mask = (1usize << bucket_bits) - 1;
        let left = fold(CRC32_IEEE.checksum(&b)) as usize & mask;
        let right = fold(CRC32_C.checksum(&b)) as usize & mask;
        let half = 1usize << (self.abits - 1);
        let mut a = [0usize; 2 * SLOTS];
        for s in 0..SLOTS {
            a[s] = left * SLOTS + s;
            a[SLOTS + s] = half + right * SLOTS + s;
        }
        a
    }

    fn live(&self, s: &Slot) -> bool {
        s.valid && self.now.wrapping_sub(s.seen) < self.timeout
    }

    /// Whether a slot holds a live entry now (expired entries count as empty).
    pub fn is_live(&self, s: &Slot) -> bool {
        self.live(s)
    }

    fn find(&self, key: &ConnKey) -> Option<usize> {
        self.candidates(key)
            .into_iter()
            .find(|&a| self.live(&self.slots[a]) && self.slots[a].key == *key)
    }

    /// The next epoch; then a 64th of the table is swept: its expired slots emptied (every
    /// field zero), the parts in turn (slots `part * 2^abits / 64 ..`; tables under 64 slots:
    /// one slot a tick). An entry is emptied
    /// at most eight ticks after it expired, so it can never come back to life when the epoch
    /// wraps (`now - seen` passing 255) as long as `timeout` is at most [`MAX_TIMEOUT`].
    /// Returns how many it emptied.
    pub fn tick(&mut self) -> usize {
        self.now = self.now.wrapping_add(1);
        let n = (self.slots.len() / SWEEP_PARTS).max(1);
        let first = self.sweep_part as usize % (self.slots.len() / n) * n;
        let mut emptied = 0;
        for a in first..first + n {
            if self.slots[a].valid && !self.live(&self.slots[a]) {
                self.slots[a] = Slot::default();
                emptied += 1;
            }
        }
        self.sweep_part = (self.sweep_part + 1) % SWEEP_PARTS as u8;
        emptied
    }

    pub fn lookup(&mut self, key: &ConnKey) -> Outcome {
        match self.find(key) {
            Some(a) => {
                self.slots[a].seen = self.now;
                Outcome::Hit(self.slots[a].tm)
            }
            None => Outcome::Miss,
        }
    }

    pub fn insert(&mut self, key: &ConnKey, tm: u8) -> Outcome {
        if let Some(a) = self.find(key) {
            self.slots[a].tm = tm & 0xF;
            self.slots[a].seen = self.now;
            return Outcome::Updated;
        }
        let c = self.candidates(key);
        let free = |r: &[usize]| r.iter().filter(|&&a| !self.live(&self.slots[a])).count();
        let (fl, fr) = (free(&c[..SLOTS]), free(&c[SLOTS..]));
        if fl + fr == 0 {
            return Outcome::Full;
        }
        let bucket = if fl >= fr { &c[..SLOTS] } else { &c[SLOTS..] };
        let a = *bucket
            .iter()
            .find(|&&a| !self.live(&self.slots[a]))
            .expect("a free slot");
        self.slots[a] = Slot {
            valid: true,
            key: *key,
            tm: tm & 0xF,
            seen: self.now,
        };
        Outcome::Inserted
    }

    /// Insert unless the key is there: then it keeps its TM, is refreshed, and the outcome
    /// is `Hit` with its TM.
    pub fn learn(&mut self, key: &ConnKey, tm: u8) -> Outcome {
        match self.lookup(key) {
            Outcome::Miss => self.insert(key, tm),
            hit => hit,
        }
    }

    pub fn delete(&mut self, key: &ConnKey) -> Outcome {
        match self.find(key) {
            Some(a) => {
                self.slots[a] = Slot::default();
                Outcome::Deleted
            }
            None => Outcome::Miss,
        }
    }

    /// Live entries.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| self.live(s)).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: u32) -> ConnKey {
        ConnKey {
            src_ip: 0x0A00_0000 | i,
            dst_ip: 0xCB00_710A,
            src_port: 1024 + (i % 50_000) as u16,
            dst_port: 80,
            proto: 6,
            vlan: 0,
        }
    }

    #[test]
    fn insert_lookup_delete_expire() {
        let mut t = ConnTable::new(8, 3);
        assert_eq!(t.lookup(&key(1)), Outcome::Miss);
        assert_eq!(t.insert(&key(1), 5), Outcome::Inserted);
        assert_eq!(t.insert(&key(1), 6), Outcome::Updated);
        assert_eq!(t.learn(&key(1), 9), Outcome::Hit(6));
        assert_eq!(t.learn(&key(3), 9), Outcome::Inserted);
        assert_eq!(t.lookup(&key(3)), Outcome::Hit(9));
        assert_eq!(t.lookup(&key(1)), Outcome::Hit(6));
        assert_eq!(t.delete(&key(1)), Outcome::Deleted);
        assert_eq!(t.lookup(&key(1)), Outcome::Miss);
        t.insert(&key(2), 1);
        t.tick();
        t.tick();
        assert_eq!(t.lookup(&key(2)), Outcome::Hit(1)); // refreshed at now = 2
        t.tick();
        t.tick();
        t.tick();
        assert_eq!(t.lookup(&key(2)), Outcome::Miss); // 5 - 2 = 3: expired
    }

    /// An entry nobody touches is emptied by the sweep within 8 ticks of expiring, and is
    /// still gone after the epoch wraps; live entries are left alone.
    #[test]
    fn sweep_empties_expired_entries_before_the_epoch_wraps() {
        let mut t = ConnTable::new(8, MAX_TIMEOUT);
        for i in 0..60 {
            assert_eq!(t.insert(&key(i), 3), Outcome::Inserted);
        }
        for e in 1..=600u32 {
            t.tick();
            // key 0 is kept alive; the others were last seen at epoch 0
            assert_eq!(t.lookup(&key(0)), Outcome::Hit(3));
            let others = (1..60).filter(|&i| t.find(&key(i)).is_some()).count();
            let stored = t.slots.iter().filter(|s| s.valid).count();
            if e < MAX_TIMEOUT as u32 {
                assert_eq!(others, 59, "epoch {e}");
            } else {
                assert_eq!(others, 0, "epoch {e}: an expired entry came back");
            }
            if e >= MAX_TIMEOUT as u32 + SWEEP_PARTS as u32 {
                assert_eq!(stored, 1, "epoch {e}: expired slots not emptied");
            }
        }
    }

    /// A full table leaves every entry in place.
    #[test]
    fn full_table_keeps_entries() {
        let mut t = ConnTable::new(12, 255);
        let mut i = 0;
        while t.insert(&key(i), 1) == Outcome::Inserted {
            i += 1;
        }
        // a full table leaves every entry in place
        assert!((0..i).all(|k| t.lookup(&key(k)) == Outcome::Hit(1)));
    }
}

#[cfg(test)]
mod load_tests {
    use super::*;

    /// Load at the first failed insert for four key patterns, 1024 and 4096 slots (printed
    /// for BENCHMARKS.md): random 5-tuples, consecutive client addresses, one client's ports,
    /// mixed. d-left with 2 × 8 slots and no relocation: 0.82-0.95.
    #[test]
    fn first_failure_loads() {
        for abits in [10u32, 12] {
            for fam in 0..4u32 {
                let mut t = ConnTable::new(abits, 255);
                let mut i = 0u32;
                let mut x = 0x1234_5678u64;
                loop {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let mut k = ConnKey {
                        src_ip: 0x0A00_0000 + i,
                        dst_ip: 0xCB00_710A,
                        src_port: 40000,
                        dst_port: 80,
                        proto: 17,
                        vlan: 0,
                    };
                    match fam {
                        0 => {
                            k.src_ip = 0x0A00_0000 | (i & 0xFFFF);
                            k.dst_ip ^= i >> 16;
                            k.src_port = 1024 + (i % 30_000) as u16;
                            k.vlan = (i % 3) as u16 * 100;
                        }
                        1 => {
                            k.src_ip = x as u32;
                            k.dst_ip = (x >> 32) as u32;
                            k.src_port = (x >> 8) as u16;
                        }
                        2 => {
                            k.src_ip = 0x0A00_0001;
                            k.src_port = i as u16;
                        }
                        _ => {}
                    }
                    if t.insert(&k, 1) != Outcome::Inserted {
                        break;
                    }
                    i += 1;
                }
                let load = t.len() as f64 / (1u64 << abits) as f64;
                println!(
                    "{} slots, key pattern {fam}: first failed insert at load {load:.3}",
                    1u32 << abits
                );
                assert!(load > 0.8, "{load}");
            }
        }
    }
}
