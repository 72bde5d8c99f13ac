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
    /// The entry the hardware's 108 stored bits describe (bits above 107 ignored): the
    /// inverse of [`CamEntry::pack`] for every entry whose fields are in range (VLAN 12 bits,
    /// ingress 0..1, attributes 6 bits, owner 0..15).
    pub fn unpack(v: u128) -> CamEntry {
        let bit = |i: u32| (v >> i) & 1 == 1;
        CamEntry {
            valid: bit(107),
            value: v as u32,
            mask: (v >> 32) as u32,
            port: bit(92).then_some((v >> 64) as u16),
            vlan: bit(93).then_some(((v >> 80) & 0xFFF) as u16),
            ingress: bit(94).then_some(bit(95) as u8),
            attrs: ((v >> 96) & 0x3F) as u8,
            owner: bit(106).then_some(((v >> 102) & 0xF) as u8),
        }
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
    /// The entry 64 stored bits describe (the valid bit ignored), with `up` and, for IP-in-IP
    /// delivery, the tunnel address `tunnel` (both live elsewhere in the hardware): the
    /// inverse of [`TmEntry::pack`] for entries whose fields are in range.
    pub fn unpack(v: u64, up: bool, tunnel: u32) -> TmEntry {
        let delivery = match (v >> 61) & 3 {
            0 => Delivery::Port(((v >> 60) & 1) as u8),
            1 => Delivery::Vlan(((v >> 48) & 0xFFF) as u16),
            2 => Delivery::Mac,
            _ => Delivery::IpInIp(tunnel),
        };
        TmEntry {
            up,
            mac: v & 0xFFFF_FFFF_FFFF,
            delivery,
        }
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
    /// The router's table (R8), most specific first (`route_table`).
    pub routes: Vec<crate::route_table::Route>,
}

use crate::route_table::{Route, MAX_ROUTES, ROUTE_BASE};

/// Configuration-bus address of TM t's tunnel address (IP-in-IP delivery).
pub const TUNNEL_DST_BASE: u16 = 0x2100;
/// Configuration-bus address of the tunnel source address.
pub const TUNNEL_SRC_ADDR: u16 = 0x2180;

impl DataPlaneConfig {
    /// The tables as configuration-bus writes (address, data): the register map the
    /// hardware's tables are loaded through at run time, and baked into its RAMs at build
    /// time. CAM entry i at 0x0000 + 4i + word, bucket b at 0x1000 + b (primary bits 3..0,
    /// backup 7..4), TM t at 0x2000 + 2t + word, TM t's tunnel address at 0x2100 + t (IP-in-IP
    /// TMs only), the tunnel source at 0x2180, route r at 0x4000 + 4r + word (`route_table`).
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
        for (i, r) in self.routes.iter().enumerate().take(MAX_ROUTES) {
            for (k, word) in r.words().iter().enumerate() {
                w.push((ROUTE_BASE + (i * 4 + k) as u16, *word));
            }
        }
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

/// Registers on the configuration bus (the values that are top-level inputs of the hardware
/// at build time): the control protocol reads and writes them like the tables.
pub mod reg {
    /// Group MAC, low 32 bits.
    pub const GROUP_MAC_LO: u16 = 0x3000;
    /// Group MAC, high 16 bits (bits 31..16 read 0, ignored on write).
    pub const GROUP_MAC_HI: u16 = 0x3001;
    /// FIG. 9 action table, packed as [`super::ActionTable::pack`].
    pub const ACTIONS: u16 = 0x3002;
    /// TMs up: bit t for TM t (bits of TMs that do not exist read 0, ignored on write).
    pub const TM_UP: u16 = 0x3003;
    /// The trunk port (bit 0; the other port is the network port).
    pub const TRUNK_PORT: u16 = 0x3004;
    /// Hash key options: bit 0 the L4 port, bit 1 the outer VLAN id (the polynomial is a
    /// build-time choice, not a register).
    pub const HASH_FLAGS: u16 = 0x3005;
    /// Read only: log2 of the number of hash buckets (a build parameter).
    pub const BUCKET_BITS: u16 = 0x3006;
}

/// Entries of the CAM on the configuration bus (addresses 0x0000..0x0100).
pub const CAM_CAPACITY: usize = 64;
/// Configuration-bus address of bucket 0.
pub const BUCKET_BASE: u16 = 0x1000;
/// Configuration-bus address of TM 0's word 0.
pub const TM_BASE: u16 = 0x2000;

/// Why a configuration-bus access failed (the control protocol answers `bad_address`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BusError {
    /// Nothing at this address (outside the map, past the bucket table, a read-only
    /// register written).
    BadAddress(u16),
    /// The address exists but the value cannot be stored there: a TM entry marked invalid
    /// that is not the last TM (the TM table cannot have a hole).
    BadValue(u16),
}

impl std::fmt::Display for BusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BusError::BadAddress(a) => write!(f, "address {a:#06x}: not in the register map"),
            BusError::BadValue(a) => write!(
                f,
                "address {a:#06x}: only the last TM can be removed (valid bit cleared)"
            ),
        }
    }
}

impl std::error::Error for BusError {}

impl DataPlaneConfig {
    /// A configuration with nothing in it but `2^bucket_bits` buckets to TM 0 (the state of a
    /// hardware without a configuration): applying [`DataPlaneConfig::bus_writes`] and
    /// [`DataPlaneConfig::register_writes`] of a configuration with the same `bucket_bits`
    /// to it gives that configuration back.
    pub fn blank(bucket_bits: u8) -> DataPlaneConfig {
        DataPlaneConfig {
            group_mac: 0,
            trunk_port: 1,
            cam: Vec::new(),
            tms: Vec::new(),
            buckets: vec![Bucket::default(); 1usize << bucket_bits.min(12)],
            bucket_bits: bucket_bits.min(12),
            actions: ActionTable::default(),
            hash: Default::default(),
            tunnel_src: 0,
            routes: Vec::new(),
        }
    }

    /// The registers ([`reg`]) as configuration-bus writes (the read-only bucket size left
    /// out).
    pub fn register_writes(&self) -> Vec<(u16, u32)> {
        [
            reg::GROUP_MAC_LO,
            reg::GROUP_MAC_HI,
            reg::ACTIONS,
            reg::TM_UP,
            reg::TRUNK_PORT,
            reg::HASH_FLAGS,
        ]
        .into_iter()
        .map(|a| (a, self.read_bus(a).unwrap_or(0)))
        .collect()
    }

    /// The word at a configuration-bus address: a CAM word (entries past the table read as
    /// an invalid entry, 0), a bucket, a TM word (TMs past the table read 0), a tunnel
    /// address (0 unless the TM uses IP-in-IP), the tunnel source or a register.
    pub fn read_bus(&self, addr: u16) -> Result<u32, BusError> {
        let a = usize::from(addr);
        Ok(match addr {
            0x0000..=0x00FF => self.cam.get(a / 4).map(|e| e.words()[a % 4]).unwrap_or(0),
            0x1000..=0x1FFF => {
                let b = self
                    .buckets
                    .get(a - 0x1000)
                    .ok_or(BusError::BadAddress(addr))?;
                (b.primary & 0xF) as u32 | ((b.backup & 0xF) as u32) << 4
            }
            0x2000..=0x201F => self
                .tms
                .get((a - 0x2000) / 2)
                .map(|t| t.words()[a % 2])
                .unwrap_or(0),
            0x2100..=0x210F => match self.tms.get(a - 0x2100).map(|t| t.delivery) {
                Some(Delivery::IpInIp(ip)) => ip,
                _ => 0,
            },
            TUNNEL_SRC_ADDR => self.tunnel_src,
            0x4000..=0x403F => self
                .routes
                .get((a - 0x4000) / 4)
                .map(|r| r.words()[a % 4])
                .unwrap_or(0),
            reg::GROUP_MAC_LO => self.group_mac as u32,
            reg::GROUP_MAC_HI => ((self.group_mac >> 32) & 0xFFFF) as u32,
            reg::ACTIONS => self.actions.pack(),
            reg::TM_UP => self.tm_up() as u32,
            reg::TRUNK_PORT => (self.trunk_port & 1) as u32,
            reg::HASH_FLAGS => self.hash.use_port as u32 | (self.hash.use_vlan as u32) << 1,
            reg::BUCKET_BITS => self.bucket_bits as u32,
            _ => return Err(BusError::BadAddress(addr)),
        })
    }

    /// Applies one configuration-bus write (the inverse of [`DataPlaneConfig::bus_writes`]
    /// and [`DataPlaneConfig::register_writes`]). Bits a field does not have are ignored
    /// (read back as 0). A CAM word past the table grows it with invalid entries; a TM word
    /// past the table grows it with TMs that are down (MAC 0, port delivery) until their words
    /// are written; clearing the valid bit (word 1 bit 31) of the last TM removes it. On an
    /// error nothing changes.
    pub fn apply_bus_write(&mut self, addr: u16, value: u32) -> Result<(), BusError> {
        let a = usize::from(addr);
        match addr {
            0x0000..=0x00FF => {
                let (i, k) = (a / 4, a % 4);
                if self.cam.len() <= i {
                    self.cam.resize(i + 1, CamEntry::default());
                }
                let mut w = self.cam[i].words();
                w[k] = value;
                let v = w
                    .iter()
                    .enumerate()
                    .fold(0u128, |v, (k, x)| v | (*x as u128) << (32 * k));
                self.cam[i] = CamEntry::unpack(v);
            }
            0x1000..=0x1FFF => {
                let b = self
                    .buckets
                    .get_mut(a - 0x1000)
                    .ok_or(BusError::BadAddress(addr))?;
                b.primary = (value & 0xF) as u8;
                b.backup = ((value >> 4) & 0xF) as u8;
            }
            0x2000..=0x201F => {
                let (t, k) = ((a - 0x2000) / 2, a % 2);
                if k == 1 && value >> 31 == 0 {
                    return match t.cmp(&self.tms.len()) {
                        std::cmp::Ordering::Less if t + 1 == self.tms.len() => {
                            self.tms.pop();
                            Ok(())
                        }
                        std::cmp::Ordering::Less => Err(BusError::BadValue(addr)),
                        _ => Ok(()),
                    };
                }
                if self.tms.len() <= t {
                    self.tms.resize(
                        t + 1,
                        TmEntry {
                            up: false,
                            mac: 0,
                            delivery: Delivery::Port(0),
                        },
                    );
                }
                let old = self.tms[t];
                let mut w = old.words();
                w[k] = value;
                let tunnel = match old.delivery {
                    Delivery::IpInIp(ip) => ip,
                    _ => 0,
                };
                self.tms[t] = TmEntry::unpack(w[0] as u64 | (w[1] as u64) << 32, old.up, tunnel);
            }
            0x2100..=0x210F => {
                if let Some(TmEntry {
                    delivery: Delivery::IpInIp(ip),
                    ..
                }) = self.tms.get_mut(a - 0x2100)
                {
                    *ip = value;
                }
            }
            TUNNEL_SRC_ADDR => self.tunnel_src = value,
            0x4000..=0x403F => {
                let (i, k) = ((a - 0x4000) / 4, a % 4);
                if self.routes.len() <= i {
                    self.routes.resize(i + 1, Route::default());
                }
                let mut w = self.routes[i].words();
                w[k] = value;
                self.routes[i] = Route::from_words(w);
            }
            reg::GROUP_MAC_LO => {
                self.group_mac = (self.group_mac & 0xFFFF_0000_0000) | value as u64;
            }
            reg::GROUP_MAC_HI => {
                self.group_mac = (self.group_mac & 0xFFFF_FFFF) | ((value & 0xFFFF) as u64) << 32;
            }
            reg::ACTIONS => self.actions = ActionTable::unpack(value),
            reg::TM_UP => {
                for (i, t) in self.tms.iter_mut().enumerate() {
                    t.up = (value >> i) & 1 == 1;
                }
            }
            reg::TRUNK_PORT => self.trunk_port = (value & 1) as u8,
            reg::HASH_FLAGS => {
                self.hash.use_port = value & 1 == 1;
                self.hash.use_vlan = value & 2 == 2;
            }
            _ => return Err(BusError::BadAddress(addr)),
        }
        Ok(())
    }
}

#[cfg(test)]
mod bus_tests {
    use super::*;
    use proptest::prelude::*;

    fn cam_entry() -> impl Strategy<Value = CamEntry> {
        (
            any::<bool>(),
            any::<u32>(),
            any::<u32>(),
            proptest::option::of(any::<u16>()),
            proptest::option::of(0u16..4096),
            proptest::option::of(0u8..2),
            0u8..64,
            proptest::option::of(0u8..16),
        )
            .prop_map(
                |(valid, value, mask, port, vlan, ingress, attrs, owner)| CamEntry {
                    valid,
                    value,
                    mask,
                    port,
                    vlan,
                    ingress,
                    attrs,
                    owner,
                },
            )
    }

    fn tm_entry() -> impl Strategy<Value = TmEntry> {
        (
            any::<bool>(),
            0u64..1 << 48,
            prop_oneof![
                (0u8..2).prop_map(Delivery::Port),
                (0u16..4096).prop_map(Delivery::Vlan),
                Just(Delivery::Mac),
                any::<u32>().prop_map(Delivery::IpInIp),
            ],
        )
            .prop_map(|(up, mac, delivery)| TmEntry { up, mac, delivery })
    }

    fn route() -> impl Strategy<Value = Route> {
        (
            any::<bool>(),
            any::<u32>(),
            0u8..=32,
            0u64..1 << 48,
            0u8..2,
            proptest::option::of(0u16..4096),
        )
            .prop_map(|(valid, prefix, len, mac, port, vlan)| Route {
                valid,
                ..Route::to_prefix(prefix, len, mac, port, vlan)
            })
    }

    fn config() -> impl Strategy<Value = DataPlaneConfig> {
        (
            0u64..1 << 48,
            0u8..2,
            proptest::collection::vec(cam_entry(), 0..=64),
            proptest::collection::vec(tm_entry(), 0..=16),
            proptest::collection::vec((0u8..16, 0u8..16), 256),
            any::<u32>(),
            any::<bool>(),
            any::<bool>(),
            (any::<u32>(), proptest::collection::vec(route(), 0..=16)),
        )
            .prop_map(
                |(
                    group_mac,
                    trunk_port,
                    cam,
                    tms,
                    b,
                    actions,
                    use_port,
                    use_vlan,
                    (tunnel_src, routes),
                )| {
                    DataPlaneConfig {
                        group_mac,
                        trunk_port,
                        cam,
                        tms,
                        buckets: b
                            .into_iter()
                            .map(|(primary, backup)| Bucket { primary, backup })
                            .collect(),
                        bucket_bits: 8,
                        actions: ActionTable::unpack(actions),
                        hash: crate::header_parser::HashKeyConfig {
                            poly: Default::default(),
                            use_port,
                            use_vlan,
                        },
                        tunnel_src,
                        routes,
                    }
                },
            )
    }

    proptest! {
        /// The bus writes of a configuration, applied to a blank one, give it back; every
        /// address written reads back the value written.
        #[test]
        fn bus_writes_reproduce_the_config(cfg in config()) {
            let mut b = DataPlaneConfig::blank(cfg.bucket_bits);
            let writes: Vec<(u16, u32)> =
                cfg.bus_writes().into_iter().chain(cfg.register_writes()).collect();
            for &(a, v) in &writes {
                prop_assert_eq!(b.apply_bus_write(a, v), Ok(()), "{:#x}", a);
            }
            prop_assert_eq!(&b, &cfg);
            for &(a, v) in &writes {
                prop_assert_eq!(b.read_bus(a), Ok(v), "{:#x}", a);
            }
        }

        /// Any write at any address either fails and changes nothing, or reads back the
        /// value (its defined bits) it wrote; no panic.
        #[test]
        fn any_write_is_applied_or_refused(cfg in config(), addr in any::<u16>(), value in any::<u32>()) {
            let mut c = cfg.clone();
            match c.apply_bus_write(addr, value) {
                Err(_) => prop_assert_eq!(&c, &cfg),
                Ok(()) => {
                    let r = c.read_bus(addr);
                    prop_assert!(r.is_ok(), "{:#x} written but not readable", addr);
                }
            }
        }
    }

    #[test]
    fn register_map() {
        let mut c = DataPlaneConfig::blank(8);
        assert_eq!(c.read_bus(0x10FF), Ok(0));
        assert_eq!(c.read_bus(0x1100), Err(BusError::BadAddress(0x1100)));
        assert_eq!(
            c.apply_bus_write(0x1100, 1),
            Err(BusError::BadAddress(0x1100))
        );
        assert_eq!(
            c.apply_bus_write(reg::BUCKET_BITS, 9),
            Err(BusError::BadAddress(reg::BUCKET_BITS))
        );
        assert_eq!(c.read_bus(reg::BUCKET_BITS), Ok(8));
        assert_eq!(c.read_bus(0x4040), Err(BusError::BadAddress(0x4040)));
        c.apply_bus_write(reg::GROUP_MAC_HI, 0xFFFF_0200).unwrap();
        c.apply_bus_write(reg::GROUP_MAC_LO, 0x0000_0505).unwrap();
        assert_eq!(c.group_mac, 0x0200_0000_0505);
        assert_eq!(c.read_bus(reg::GROUP_MAC_HI), Ok(0x0200));
        c.apply_bus_write(0x1005, 0x123).unwrap();
        assert_eq!(
            c.buckets[5],
            Bucket {
                primary: 3,
                backup: 2
            }
        );
        assert_eq!(c.read_bus(0x1005), Ok(0x23));
        // two TMs; the first cannot be removed while the second exists
        for (a, v) in [
            (0x2000, 1),
            (0x2001, 0x8000_0000),
            (0x2002, 2),
            (0x2003, 0xA000_0000),
        ] {
            c.apply_bus_write(a, v).unwrap();
        }
        assert_eq!(c.tms.len(), 2);
        assert_eq!(c.tms[1].delivery, Delivery::Vlan(0));
        c.apply_bus_write(reg::TM_UP, 0xFFFF).unwrap();
        assert_eq!(c.read_bus(reg::TM_UP), Ok(3));
        assert_eq!(
            c.apply_bus_write(0x2001, 0),
            Err(BusError::BadValue(0x2001))
        );
        c.apply_bus_write(0x2003, 0).unwrap();
        c.apply_bus_write(0x2001, 0).unwrap();
        assert!(c.tms.is_empty());
    }
}
