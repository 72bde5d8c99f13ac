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

/// The CAM compiled once per configuration for [`CompiledCam::lookup`]: same results as
/// [`lookup`] on the entries it was built from. Bit-sliced, like the hardware's parallel
/// compare: the valid entries, in table order, 64 to a chunk; for each byte of the key
/// (address bytes 0–3, port bytes 0–1, VLAN id low byte and high nibble) a table from the
/// byte's value to the set of entries that accept it. A lookup ANDs one word per key byte
/// (and one for the ingress port): the set of matching entries, without a branch per entry.
#[derive(Clone, Debug, Default)]
pub struct CompiledCam {
    chunks: Vec<Chunk>,
}

#[derive(Clone, Debug)]
struct Chunk {
    /// `addr[k][b]`: entries whose masked value accepts `b` as address byte `k` (LSB = 0).
    addr: [[u64; 256]; 4],
    /// `port[k][b]`: entries with no port qualifier or with `b` as byte `k` of their port.
    port: [[u64; 256]; 2],
    /// Entries with no port qualifier (all a key without ports can match).
    no_port: u64,
    /// Entries with no VLAN qualifier or with this low byte / high nibble of the VLAN id.
    vlan_lo: [u64; 256],
    vlan_hi: [u64; 16],
    /// Entries with no VLAN qualifier (all an untagged key can match).
    no_vlan: u64,
    /// `ingress[j]`: entries with no ingress qualifier or qualified with port `j`.
    ingress: [u64; 2],
    /// `attr[j]`: entries with attribute bit `j`.
    attr: [u64; 6],
    /// Owner TM (low 4 bits) of each entry, 0xFF for none.
    owner: [u8; 64],
}

impl Chunk {
    fn new() -> Box<Self> {
        Box::new(Chunk {
            addr: [[0; 256]; 4],
            port: [[0; 256]; 2],
            no_port: 0,
            vlan_lo: [0; 256],
            vlan_hi: [0; 16],
            no_vlan: 0,
            ingress: [0; 2],
            attr: [0; 6],
            owner: [0xFF; 64],
        })
    }

    fn add(&mut self, i: usize, e: &CamEntry) {
        let bit = 1u64 << i;
        for k in 0..4 {
            let (v, m) = ((e.value >> (8 * k)) as u8, (e.mask >> (8 * k)) as u8);
            for b in 0..256usize {
                if (b as u8 ^ v) & m == 0 {
                    self.addr[k][b] |= bit;
                }
            }
        }
        for k in 0..2 {
            for b in 0..256usize {
                if e.port.is_none_or(|p| (p >> (8 * k)) as u8 == b as u8) {
                    self.port[k][b] |= bit;
                }
            }
        }
        if e.port.is_none() {
            self.no_port |= bit;
        }
        for b in 0..256usize {
            if e.vlan.is_none_or(|v| v & 0xFF == b as u16) {
                self.vlan_lo[b] |= bit;
            }
        }
        for n in 0..16usize {
            if e.vlan.is_none_or(|v| (v >> 8) & 0xF == n as u16) {
                self.vlan_hi[n] |= bit;
            }
        }
        if e.vlan.is_none() {
            self.no_vlan |= bit;
        }
        for j in 0..2u8 {
            if e.ingress.is_none_or(|g| g & 1 == j) {
                self.ingress[j as usize] |= bit;
            }
        }
        for j in 0..6 {
            if e.attrs >> j & 1 == 1 {
                self.attr[j] |= bit;
            }
        }
        self.owner[i] = e.owner.map_or(0xFF, |o| o & 0xF);
    }

    /// The entries of this chunk that match `k`.
    #[inline(always)]
    fn matches(&self, k: &CamKey) -> u64 {
        let a = k.addr;
        let addr = self.addr[0][(a & 0xFF) as usize]
            & self.addr[1][(a >> 8 & 0xFF) as usize]
            & self.addr[2][(a >> 16 & 0xFF) as usize]
            & self.addr[3][(a >> 24) as usize];
        let port = match (k.any_port, k.port) {
            (true, _) => !0,
            (false, Some(p)) => self.port[0][(p & 0xFF) as usize] & self.port[1][(p >> 8) as usize],
            (false, None) => self.no_port,
        };
        let vlan = match k.vlan {
            Some(v) => self.vlan_lo[(v & 0xFF) as usize] & self.vlan_hi[(v >> 8 & 0xF) as usize],
            None => self.no_vlan,
        };
        addr & port & vlan & self.ingress[(k.ingress & 1) as usize]
    }

    #[inline(always)]
    fn attrs(&self, bits: u64) -> u8 {
        let mut a = 0u8;
        for j in 0..6 {
            a |= ((self.attr[j] & bits != 0) as u8) << j;
        }
        a
    }
}

impl CompiledCam {
    pub fn new(entries: &[CamEntry]) -> Self {
        let mut chunks: Vec<Box<Chunk>> = Vec::new();
        for (n, e) in entries.iter().filter(|e| e.valid).enumerate() {
            if n % 64 == 0 {
                chunks.push(Chunk::new());
            }
            chunks.last_mut().unwrap().add(n % 64, e);
        }
        CompiledCam {
            chunks: chunks.into_iter().map(|c| *c).collect(),
        }
    }

    /// [`lookup`] of `k` in the entries this was compiled from.
    #[inline]
    pub fn lookup(&self, k: &CamKey) -> CamMatch {
        let mut m = CamMatch::default();
        for c in &self.chunks {
            let bits = c.matches(k);
            if bits == 0 {
                continue;
            }
            if !m.matched {
                let o = c.owner[bits.trailing_zeros() as usize];
                m.owner = (o != 0xFF).then_some(o);
                m.matched = true;
            }
            m.attrs |= c.attrs(bits);
        }
        m
    }
}
