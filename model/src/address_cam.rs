//! Address CAM lookup (twin of `hdl::address_cam`), R2.
use crate::tables::{CamEntry, CamMatch};

/// What one side of a packet offers to the CAM.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CamKey {
    pub addr: u32,
    /// The L4 port on this side, when the packet has ports.
    pub port: Option<u16>,
    /// The outer VLAN id, when tagged.
    pub vlan: Option<u16>,
    pub ingress: u8,
    /// Match entries whatever their port qualifier (an ARP request asks for an address, and
    /// a virtual address may be configured per port).
    pub any_port: bool,
}

/// Does one entry match the key?
pub fn entry_matches(e: &CamEntry, k: &CamKey) -> bool {
    e.valid
        && (k.addr ^ e.value) & e.mask == 0
        && (k.any_port || e.port.is_none_or(|p| k.port == Some(p)))
        && e.vlan
            .is_none_or(|v| k.vlan.map(|x| x & 0xFFF) == Some(v & 0xFFF))
        && e.ingress.is_none_or(|i| k.ingress & 1 == i & 1)
}

/// Look one address up in the whole table.
pub fn lookup(entries: &[CamEntry], k: &CamKey) -> CamMatch {
    let mut m = CamMatch::default();
    for e in entries.iter().filter(|e| entry_matches(e, k)) {
        if !m.matched {
            m.owner = e.owner.map(|o| o & 0xF);
        }
        m.matched = true;
        m.attrs |= e.attrs & 0x3F;
    }
    m
}

/// Bits of a packed key / entry: the address, then the qualifiers.
const K_PORT: u32 = 32;
const K_VLAN: u32 = 48;
const K_INGRESS: u64 = 1 << 60;
const K_HAS_PORT: u64 = 1 << 61;
const K_HAS_VLAN: u64 = 1 << 62;
const PORT_BITS: u64 = 0xFFFF << K_PORT | K_HAS_PORT;

/// The CAM compiled once per configuration for [`CompiledCam::lookup`]: same results as
/// [`lookup`] on the entries it was built from. Each valid entry, in table order, becomes a
/// (want, care) pair over a packed 64-bit key (address, L4 port, VLAN id, ingress,
/// has-port, has-VLAN): it matches when `(key ^ want) & care == 0`. Entries are grouped by
/// address mask and hashed by masked address, so a lookup probes one slot per distinct
/// mask and checks only the entries whose masked address is the key's, instead of
/// scanning the table.
#[derive(Clone, Debug, Default)]
pub struct CompiledCam {
    want: Vec<u64>,
    care: Vec<u64>,
    attrs: Vec<u8>,
    /// Owner TM (low 4 bits), or 0xFF for none.
    owner: Vec<u8>,
    /// The distinct address masks, in order of first appearance.
    masks: Vec<u32>,
    /// Open addressing, linear probing, a power of two long (at least four times the chains).
    slots: Vec<Slot>,
    /// The next entry of the same chain (same mask, same masked value), in table order.
    next: Vec<u32>,
}

const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// The masked address.
    key: u32,
    /// Index into `masks`.
    mask: u32,
    /// The chain's first entry, `NONE` for an empty slot.
    head: u32,
}

impl CompiledCam {
    pub fn new(entries: &[CamEntry]) -> Self {
        let mut c = CompiledCam::default();
        let mut chains: Vec<(u32, u32, Vec<u32>)> = Vec::new();
        for e in entries.iter().filter(|e| e.valid) {
            let mut want = (e.value & e.mask) as u64;
            let mut care = e.mask as u64;
            if let Some(p) = e.port {
                want |= (p as u64) << K_PORT | K_HAS_PORT;
                care |= PORT_BITS;
            }
            if let Some(v) = e.vlan {
                want |= ((v & 0xFFF) as u64) << K_VLAN | K_HAS_VLAN;
                care |= 0xFFF << K_VLAN | K_HAS_VLAN;
            }
            if let Some(i) = e.ingress {
                want |= if i & 1 == 1 { K_INGRESS } else { 0 };
                care |= K_INGRESS;
            }
            let idx = c.want.len() as u32;
            c.want.push(want);
            c.care.push(care);
            c.attrs.push(e.attrs & 0x3F);
            c.owner.push(e.owner.map_or(0xFF, |o| o & 0xF));
            let g = match c.masks.iter().position(|&m| m == e.mask) {
                Some(g) => g as u32,
                None => {
                    c.masks.push(e.mask);
                    c.masks.len() as u32 - 1
                }
            };
            let key = e.value & e.mask;
            match chains.iter_mut().find(|(k, m, _)| *k == key && *m == g) {
                Some((_, _, v)) => v.push(idx),
                None => chains.push((key, g, vec![idx])),
            }
        }
        let len = (4 * chains.len()).next_power_of_two().max(4);
        c.slots = vec![
            Slot {
                key: 0,
                mask: 0,
                head: NONE
            };
            len
        ];
        c.next = vec![NONE; c.want.len()];
        for (key, g, idx) in &chains {
            for w in idx.windows(2) {
                c.next[w[0] as usize] = w[1];
            }
            let mut s = slot_of(*key, *g, len);
            while c.slots[s].head != NONE {
                s = (s + 1) & (len - 1);
            }
            c.slots[s] = Slot {
                key: *key,
                mask: *g,
                head: idx[0],
            };
        }
        c
    }

    /// [`lookup`] of `k` in the entries this was compiled from.
    #[inline]
    pub fn lookup(&self, k: &CamKey) -> CamMatch {
        let mut key = k.addr as u64;
        if let Some(p) = k.port {
            key |= (p as u64) << K_PORT | K_HAS_PORT;
        }
        if let Some(v) = k.vlan {
            key |= ((v & 0xFFF) as u64) << K_VLAN | K_HAS_VLAN;
        }
        if k.ingress & 1 == 1 {
            key |= K_INGRESS;
        }
        let keep = if k.any_port { !PORT_BITS } else { !0 };
        let len = self.slots.len();
        let mut first = NONE;
        let mut attrs = 0u8;
        for (g, &mask) in self.masks.iter().enumerate() {
            let kv = k.addr & mask;
            let mut s = slot_of(kv, g as u32, len);
            loop {
                let slot = self.slots[s];
                if slot.head == NONE {
                    break;
                }
                if slot.key == kv && slot.mask == g as u32 {
                    let mut e = slot.head;
                    while e != NONE {
                        let i = e as usize;
                        if (key ^ self.want[i]) & self.care[i] & keep == 0 {
                            first = first.min(e);
                            attrs |= self.attrs[i];
                        }
                        e = self.next[i];
                    }
                    break;
                }
                s = (s + 1) & (len - 1);
            }
        }
        if first == NONE {
            return CamMatch::default();
        }
        let o = self.owner[first as usize];
        CamMatch {
            matched: true,
            attrs,
            owner: (o != 0xFF).then_some(o),
        }
    }
}

/// The home slot of a masked address of mask group `g` in a table of `len` (a power of two).
#[inline(always)]
fn slot_of(key: u32, g: u32, len: usize) -> usize {
    let h = (key ^ g.wrapping_mul(0x9E37_79B9)).wrapping_mul(0x85EB_CA6B);
    let h = h ^ (h >> 15);
    (h.wrapping_mul(0xC2B2_AE35) >> 7) as usize & (len - 1)
}
