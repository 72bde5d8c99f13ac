//! The bridge's MAC learning table (R7; twin of `hdl::mac_table`): which port a station
//! (MAC address and VLAN) was last heard on, with aging.
//!
//! 2^S slots in buckets of two (slot = 2 × bucket + way). A station's bucket is the low S-1
//! bits of CRC-32 (IEEE) over its 8 key bytes (VLAN id as two bytes, the top four bits
//! zero, then the MAC's six bytes in wire order), folded as the connection table folds
//! ([`fold`]).
//!
//! A slot is *live* while valid and `now - seen < timeout` (mod 256); an expired slot counts
//! as empty. The hardware empties expired slots in the background (its scrub) long before
//! `now - seen` can wrap back under the timeout; the model empties them at the tick that
//! expires them. Where the two differ (an expired slot the scrub has not reached yet) nothing
//! observable differs: lookups miss, learns treat the slot as free; only a raw slot read
//! shows it, and [`Slot::same_as`] compares slots the way that leaves it out.
//!
//! - [`MacTable::lookup`]: the port a live slot holds for the station; read only.
//! - [`MacTable::learn`]: heard on `port` now. A live slot for the station is refreshed and
//!   takes the port (a station that moved); otherwise the first non-live way of the bucket
//!   takes it; otherwise the way last heard longer ago (way 0 on a tie) is replaced. A learn
//!   always succeeds.
use crate::conn_table::fold;
use crate::crc32_byte::CRC32_IEEE;

/// One slot as the hardware stores it: valid 0, MAC 48..1, VLAN 60..49, port 61, last heard
/// 69..62.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slot {
    pub valid: bool,
    pub mac: u64,
    pub vlan: u16,
    pub port: u8,
    pub seen: u8,
}

/// Bits of one slot.
pub const SLOT_BITS: usize = 70;

impl Slot {
    pub fn from_bits(v: &[u32]) -> Slot {
        let bit = |i: usize| v.get(i / 32).is_some_and(|w| (w >> (i % 32)) & 1 == 1);
        let field = |lo: usize, n: usize| (0..n).fold(0u64, |a, i| a | ((bit(lo + i) as u64) << i));
        Slot {
            valid: bit(0),
            mac: field(1, 48),
            vlan: field(49, 12) as u16,
            port: field(61, 1) as u8,
            seen: field(62, 8) as u8,
        }
    }

    /// Live at epoch `now` with `timeout`.
    pub fn live(&self, now: u8, timeout: u8) -> bool {
        self.valid && now.wrapping_sub(self.seen) < timeout
    }

    /// `self` (the model's) and `other` (read from the hardware) hold the same: both live
    /// and equal, or `self` empty and `other` not live (empty, or expired and not yet
    /// scrubbed).
    pub fn same_as(&self, other: &Slot, now: u8, timeout: u8) -> bool {
        if self.valid {
            self == other && other.live(now, timeout)
        } else {
            !other.live(now, timeout)
        }
    }
}

/// What a learn did (the hardware's result code in brackets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Learned {
    /// The station was live on this port: heard again (2).
    Refreshed,
    /// The station was live on the other port: it moved (3).
    Moved,
    /// Into a free (or expired) way (4).
    Inserted,
    /// Both ways live with other stations: the one heard longer ago gave way (5).
    Replaced,
}

impl Learned {
    pub fn code(self) -> u8 {
        match self {
            Learned::Refreshed => 2,
            Learned::Moved => 3,
            Learned::Inserted => 4,
            Learned::Replaced => 5,
        }
    }
}

/// Result code of a lookup: 0 miss, 1 hit.
pub const LOOKUP_MISS: u8 = 0;
pub const LOOKUP_HIT: u8 = 1;
/// Result code of a slot read.
pub const SLOT_READ: u8 = 6;

#[derive(Clone, Debug)]
pub struct MacTable {
    pub sbits: u32,
    pub slots: Vec<Slot>,
    pub now: u8,
    pub timeout: u8,
}

/// The key bytes the bucket hash covers.
pub fn key_bytes(mac: u64, vlan: u16) -> [u8; 8] {
    let v = (vlan & 0xFFF).to_be_bytes();
    let m = mac.to_be_bytes();
    [v[0], v[1], m[2], m[3], m[4], m[5], m[6], m[7]]
}

impl MacTable {
    /// 2^`sbits` slots, entries live `timeout` epochs after they were last heard.
    pub fn new(sbits: u32, timeout: u8) -> Self {
        assert!((2..=14).contains(&sbits), "MacTable: 2^2 to 2^14 slots");
        MacTable {
            sbits,
            slots: vec![Slot::default(); 1 << sbits],
            now: 0,
            timeout,
        }
    }

    /// The bucket's first slot.
    pub fn bucket(&self, mac: u64, vlan: u16) -> usize {
        let h = fold(CRC32_IEEE.checksum(&key_bytes(mac, vlan)));
        ((h as usize) & ((1 << (self.sbits - 1)) - 1)) << 1
    }

    fn live(&self, i: usize) -> bool {
        self.slots[i].live(self.now, self.timeout)
    }

    /// The live slot holding the station.
    fn find(&self, mac: u64, vlan: u16) -> Option<usize> {
        let b = self.bucket(mac, vlan);
        let vlan = vlan & 0xFFF;
        let mac = mac & 0xFFFF_FFFF_FFFF;
        (b..b + 2).find(|&i| self.live(i) && self.slots[i].mac == mac && self.slots[i].vlan == vlan)
    }

    /// The port the station was last heard on, while its entry is live.
    pub fn lookup(&self, mac: u64, vlan: u16) -> Option<u8> {
        self.find(mac, vlan).map(|i| self.slots[i].port)
    }

    /// The station was heard on `port`.
    pub fn learn(&mut self, mac: u64, vlan: u16, port: u8) -> Learned {
        let b = self.bucket(mac, vlan);
        let (at, what) = if let Some(i) = self.find(mac, vlan) {
            let w = if self.slots[i].port == port & 1 {
                Learned::Refreshed
            } else {
                Learned::Moved
            };
            (i, w)
        } else if let Some(i) = (b..b + 2).find(|&i| !self.live(i)) {
            (i, Learned::Inserted)
        } else {
            let age = |i: usize| self.now.wrapping_sub(self.slots[i].seen);
            let i = if age(b) >= age(b + 1) { b } else { b + 1 };
            (i, Learned::Replaced)
        };
        self.slots[at] = Slot {
            valid: true,
            mac: mac & 0xFFFF_FFFF_FFFF,
            vlan: vlan & 0xFFF,
            port: port & 1,
            seen: self.now,
        };
        what
    }

    /// The epoch advances; entries that expire with it are emptied.
    pub fn tick(&mut self) {
        self.now = self.now.wrapping_add(1);
        let (now, timeout) = (self.now, self.timeout);
        for s in self.slots.iter_mut() {
            if s.valid && !s.live(now, timeout) {
                *s = Slot::default();
            }
        }
    }

    /// Live entries.
    pub fn len(&self) -> usize {
        (0..self.slots.len()).filter(|&i| self.live(i)).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_moves_and_ages() {
        let mut t = MacTable::new(6, 3);
        let a = 0x0200_0000_0001;
        assert_eq!(t.lookup(a, 0), None);
        assert_eq!(t.learn(a, 0, 1), Learned::Inserted);
        assert_eq!(t.lookup(a, 0), Some(1));
        assert_eq!(t.lookup(a, 5), None, "another VLAN is another station");
        assert_eq!(t.learn(a, 0, 1), Learned::Refreshed);
        assert_eq!(t.learn(a, 0, 0), Learned::Moved);
        assert_eq!(t.lookup(a, 0), Some(0));
        t.tick();
        t.tick();
        assert_eq!(t.lookup(a, 0), Some(0));
        t.tick();
        assert_eq!(t.lookup(a, 0), None, "3 epochs unheard with timeout 3");
        assert!(t.is_empty());
    }

    #[test]
    fn a_full_bucket_gives_up_its_oldest() {
        let mut t = MacTable::new(2, 200); // one bucket of two
        assert_eq!(t.learn(1, 0, 0), Learned::Inserted);
        t.tick();
        assert_eq!(t.learn(2, 0, 1), Learned::Inserted);
        assert_eq!(t.learn(3, 0, 1), Learned::Replaced);
        assert_eq!(t.lookup(1, 0), None, "the older went");
        assert_eq!(t.lookup(2, 0), Some(1));
        assert_eq!(t.lookup(3, 0), Some(1));
        // a tie (both heard this epoch): way 0 goes
        let way0 = t.slots[0].mac;
        assert_eq!(t.learn(4, 0, 0), Learned::Replaced);
        assert_eq!(t.lookup(way0, 0), None);
    }

    #[test]
    fn no_entry_comes_back_when_the_epoch_wraps() {
        let mut t = MacTable::new(4, 10);
        t.learn(7, 1, 1);
        for _ in 0..256 {
            t.tick();
        }
        assert_eq!(t.lookup(7, 1), None);
    }
}
