//! Table formats shared by the control plane, the model and the hardware loaders: what a
//! CAM entry, a bucket, a TM and the FIG. 9 action table hold. Plain data; each side
//! implements the behaviour on its own.

/// Address attribute bits of a CAM entry (R2).
pub mod attr {
    pub const VIRTUAL: u8 = 1 << 0;
    pub const NODE: u8 = 1 << 1;
    pub const NATABLE: u8 = 1 << 2;
    pub const NAT_XLATE: u8 = 1 << 3;
    pub const TM_ADDRESS: u8 = 1 << 4;
    pub const OWN: u8 = 1 << 5;
    pub const NAMES: [&str; 6] = [
        "virtual",
        "node",
        "natable",
        "nat_xlate",
        "tm_address",
        "own",
    ];
}

/// Most TMs a distributor serves (TM ids are 0..MAX_TMS).
pub const MAX_TMS: usize = 16;

/// One entry of the address CAM (R2). An entry matches an address when
/// `addr & mask == value & mask` and every optional qualifier present equals the packet's:
/// the L4 port on that side (a packet without ports never matches a port-qualified entry),
/// the outer VLAN id (untagged never matches a VLAN-qualified entry), the ingress port.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CamEntry {
    pub valid: bool,
    pub value: u32,
    pub mask: u32,
    pub port: Option<u16>,
    pub vlan: Option<u16>,
    pub ingress: Option<u8>,
    pub attrs: u8,
    pub owner: Option<u8>,
}

/// The result of looking one address up: the OR of the attributes of every matching entry,
/// the owner TM of the first matching entry (in table order; `None` if that entry has none),
/// and whether anything matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CamMatch {
    pub matched: bool,
    pub attrs: u8,
    pub owner: Option<u8>,
}

/// FIG. 9 actions (R3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Action {
    GotoDst = 0,
    HashSrc = 1,
    HashDst = 2,
    Route = 3,
}

impl Action {
    pub fn from_code(c: u8) -> Action {
        match c & 3 {
            0 => Action::GotoDst,
            1 => Action::HashSrc,
            2 => Action::HashDst,
            _ => Action::Route,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Action::GotoDst => "goto_dst",
            Action::HashSrc => "hash_src",
            Action::HashDst => "hash_dst",
            Action::Route => "route",
        }
    }
}

/// Source rows of FIG. 9, in order.
pub const ROWS: [&str; 4] = ["natable_node", "natable", "node", "unknown"];
/// Destination columns of FIG. 9, in order.
pub const COLS: [&str; 4] = ["nat_xlate_virtual", "virtual", "nat_xlate", "unknown"];

/// FIG. 9 row of a source address's attributes.
pub fn src_row(attrs: u8) -> usize {
    let nat = attrs & attr::NATABLE != 0;
    let node = attrs & attr::NODE != 0;
    match (nat, node) {
        (true, true) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (false, false) => 3,
    }
}

/// FIG. 9 column of a destination address's attributes.
pub fn dst_col(attrs: u8) -> usize {
    let x = attrs & attr::NAT_XLATE != 0;
    let v = attrs & attr::VIRTUAL != 0;
    match (x, v) {
        (true, true) => 0,
        (false, true) => 1,
        (true, false) => 2,
        (false, false) => 3,
    }
}

/// The FIG. 9 action table, `[row][col]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionTable(pub [[Action; 4]; 4]);

impl Default for ActionTable {
    /// FIG. 9 as FIG. 10 and the text of US 7,102,996 define it: both unknown → route;
    /// unknown source → hash on the source, except towards a NAT translation address, which
    /// belongs to the TM that translated (goto_dst, the text's stock-price example); known
    /// source → hash on an unknown destination, hash on the source towards a virtual address
    /// that is not a translation address, else goto_dst.
    fn default() -> Self {
        use Action::*;
        let known = [GotoDst, HashSrc, GotoDst, HashDst];
        ActionTable([known, known, known, [GotoDst, HashSrc, GotoDst, Route]])
    }
}

impl ActionTable {
    pub fn get(&self, row: usize, col: usize) -> Action {
        self.0[row][col]
    }
    /// Packed as the hardware holds it: 2 bits per cell, cell (r, c) at bits 2*(4r+c).
    pub fn pack(&self) -> u32 {
        let mut v = 0u32;
        for r in 0..4 {
            for c in 0..4 {
                v |= (self.0[r][c] as u32) << (2 * (4 * r + c));
            }
        }
        v
    }
    pub fn unpack(v: u32) -> Self {
        let mut t = [[Action::Route; 4]; 4];
        for (r, row) in t.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                *cell = Action::from_code(((v >> (2 * (4 * r + c))) & 3) as u8);
            }
        }
        ActionTable(t)
    }
}

/// One bucket of the hash selector (R4): a primary TM and a backup used when the primary is
/// marked down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    pub primary: u8,
    pub backup: u8,
}

/// How packets reach a TM (R5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// On its own physical port.
    Port(u8),
    /// With an 802.1Q tag carrying this VLAN id, on the trunk port.
    Vlan(u16),
    /// Destination MAC rewritten to the TM's MAC, through an L2 switch on the trunk port.
    Mac,
    /// IP-in-IP (RFC 2003) to this tunnel address of the TM, from the distributor's
    /// `tunnel_src`, on the trunk port, to the TM's MAC: the TM is on the trunk's segment (its
    /// MAC also tells its outbound frames apart, so TMs behind a shared router are not
    /// supported).
    IpInIp(u32),
}

/// A traffic manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TmEntry {
    pub up: bool,
    pub mac: u64,
    pub delivery: Delivery,
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn action_table_packs() {
        let t = ActionTable::default();
        assert_eq!(ActionTable::unpack(t.pack()), t);
        assert_eq!(t.get(3, 3), Action::Route);
        assert_eq!(t.get(0, 3), Action::HashDst);
        assert_eq!(t.get(3, 1), Action::HashSrc);
    }
    #[test]
    fn rows_and_cols() {
        assert_eq!(src_row(attr::NATABLE | attr::NODE | attr::VIRTUAL), 0);
        assert_eq!(src_row(attr::NATABLE), 1);
        assert_eq!(src_row(attr::NODE), 2);
        assert_eq!(src_row(attr::VIRTUAL), 3);
        assert_eq!(dst_col(attr::NAT_XLATE | attr::VIRTUAL), 0);
        assert_eq!(dst_col(attr::VIRTUAL | attr::NODE), 1);
        assert_eq!(dst_col(attr::NAT_XLATE), 2);
        assert_eq!(dst_col(0), 3);
    }
}

/// Bit layout of a CAM entry as the hardware stores it (108 bits, written as four 32-bit
/// words, word 0 = bits 31..0): value 0..32, mask 32..64, port 64..80, vlan 80..92,
/// port_en 92, vlan_en 93, ingress_en 94, ingress 95, attrs 96..102, owner 102..106,
/// owner_en 106, valid 107.
pub const CAM_ENTRY_BITS: u32 = 108;

impl CamEntry {
    /// The entry as the hardware stores it.
    pub fn pack(&self) -> u128 {
        let mut v = self.value as u128 | (self.mask as u128) << 32;
        if let Some(p) = self.port {
            v |= (p as u128) << 64 | 1 << 92;
        }
        if let Some(vl) = self.vlan {
            v |= ((vl & 0xFFF) as u128) << 80 | 1 << 93;
        }
        if let Some(i) = self.ingress {
            v |= 1 << 94 | ((i & 1) as u128) << 95;
        }
        v |= ((self.attrs & 0x3F) as u128) << 96;
        if let Some(o) = self.owner {
            v |= ((o & 0xF) as u128) << 102 | 1 << 106;
        }
        if self.valid {
            v |= 1 << 107;
        }
        v
    }
    /// The four configuration words of the entry, word 0 first.
    pub fn words(&self) -> [u32; 4] {
        let v = self.pack();
        [
            v as u32,
            (v >> 32) as u32,
            (v >> 64) as u32,
            (v >> 96) as u32,
        ]
    }
}

impl TmEntry {
    /// The entry as the hardware stores it (64 bits): MAC 47..0, VLAN id 59..48, port 60,
    /// delivery kind 62..61 (0 port, 1 VLAN, 2 MAC, 3 IP-in-IP), valid 63. (`up` lives in its
    /// own register, so that marking a TM down takes effect at once; an IP-in-IP TM's tunnel
    /// address is in the tunnel table, [`DataPlaneConfig::bus_writes`].)
    pub fn pack(&self) -> u64 {
        let (kind, vlan, port) = match self.delivery {
            Delivery::Port(p) => (0u64, 0u64, (p & 1) as u64),
            Delivery::Vlan(v) => (1, (v & 0xFFF) as u64, 0),
            Delivery::Mac => (2, 0, 0),
            Delivery::IpInIp(_) => (3, 0, 0),
        };
        (self.mac & 0xFFFF_FFFF_FFFF) | vlan << 48 | port << 60 | kind << 61 | 1 << 63
    }
    /// The two configuration words, word 0 first.
    pub fn words(&self) -> [u32; 2] {
        let v = self.pack();
        [v as u32, (v >> 32) as u32]
    }
}

/// Everything the data path is configured with (the control plane compiles it; the model
/// runs on it; the hardware is loaded with it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataPlaneConfig {
    pub group_mac: u64,
    pub trunk_port: u8,
    pub cam: Vec<CamEntry>,
    pub tms: Vec<TmEntry>,
    pub buckets: Vec<Bucket>,
    pub bucket_bits: u8,
    pub actions: ActionTable,
    pub hash: crate::header_parser::HashKeyConfig,
    /// Source address of IP-in-IP delivery's outer header.
    pub tunnel_src: u32,
}

/// Configuration-bus address of TM t's tunnel address (IP-in-IP delivery).
pub const TUNNEL_DST_BASE: u16 = 0x2100;
/// Configuration-bus address of the tunnel source address.
pub const TUNNEL_SRC_ADDR: u16 = 0x2180;

impl DataPlaneConfig {
    /// The tables as configuration-bus writes (address, data): the register map the
    /// hardware's tables are loaded through at run time, and baked into its RAMs at build
    /// time. CAM entry i at 0x0000 + 4i + word, bucket b at 0x1000 + b (primary bits 3..0,
    /// backup 7..4), TM t at 0x2000 + 2t + word, TM t's tunnel address at 0x2100 + t (IP-in-IP
    /// TMs only), the tunnel source at 0x2180.
    pub fn bus_writes(&self) -> Vec<(u16, u32)> {
        let mut w = Vec::new();
        for (i, e) in self.cam.iter().enumerate().take(64) {
            for (k, word) in e.words().iter().enumerate() {
                w.push(((i * 4 + k) as u16, *word));
            }
        }
        for (i, b) in self.buckets.iter().enumerate().take(1 << 12) {
            w.push((
                0x1000 + i as u16,
                (b.primary & 0xF) as u32 | ((b.backup & 0xF) as u32) << 4,
            ));
        }
        for (i, t) in self.tms.iter().enumerate().take(MAX_TMS) {
            for (k, word) in t.words().iter().enumerate() {
                w.push((0x2000 + (i * 2 + k) as u16, *word));
            }
            if let Delivery::IpInIp(ip) = t.delivery {
                w.push((TUNNEL_DST_BASE + i as u16, ip));
            }
        }
        w.push((TUNNEL_SRC_ADDR, self.tunnel_src));
        w
    }

    /// Bit t set when TM t exists and is up.
    pub fn tm_up(&self) -> u16 {
        self.tms
            .iter()
            .enumerate()
            .filter(|(_, t)| t.up)
            .fold(0, |m, (i, _)| m | 1 << i)
    }
}
