//! The distributor's configuration: a TOML file, parsed with serde and validated.
//!
//! # Schema
//!
//! ```toml
//! [distributor]
//! mac = "02:00:00:00:00:01"   # group MAC: source MAC of outbound frames (R6), ARP replies (R7)
//! bucket_bits = 12             # 2^k hash buckets, 8..=12 (must match the hardware build)
//! tunnel_src = "192.0.2.1"     # optional: source address of IP-in-IP delivery's outer
//!                              # header (required when a TM uses "ipip:...")
//!
//! [hash]                       # optional; these are the defaults
//! poly = "crc32"               # "crc32" (IEEE 802.3) or "crc32c" (Castagnoli)
//! port = false                 # include the L4 port in the hash key
//! vlan = false                 # include the outer VLAN id in the hash key
//!
//! [[ports]]                    # optional; exactly 2 when given (default: 0 network, 1 trunk)
//! index = 0                    # 0 or 1
//! role = "network"             # "network" (clients, routers) or "trunk" (TMs, servers)
//! [[ports]]
//! index = 1
//! role = "trunk"
//!
//! [[tms]]                      # 1..=16 traffic managers; the id of a TM is its position here
//! name = "tm-a"                # unique, not empty
//! weight = 1                   # optional, 1..=1000 (default 1): share of the hash buckets
//! mac = "02:00:00:00:0a:01"    # unicast, unique
//! delivery = "vlan:101"        # "port:N" (a trunk port), "vlan:ID" (1..=4094, on the trunk
//!                              # port), "mac" (MAC rewrite through an L2 switch) or
//!                              # "ipip:ADDR" (IP-in-IP, RFC 2003, to the TM's address ADDR,
//!                              # sent to the TM's `mac` on the trunk segment)
//! up = true                    # optional (default true); at least one TM must be up
//!
//! [[addresses]]                # CAM entries (R2), any number up to the CAM's capacity
//! prefix = "203.0.113.10/32"   # IPv4 address or prefix; host bits must be zero
//! attrs = ["virtual"]          # one or more of: virtual node natable nat_xlate tm_address own
//! port = 80                    # optional L4 port (1..=65535)
//! vlan = 10                    # optional outer VLAN id (1..=4094)
//! ingress = 0                  # optional ingress port (0 or 1)
//! owner = "tm-a"               # optional owner TM, by name (required with tm_address)
//!
//! [control]                    # optional: who may send control requests (R10); without
//!                              # it no one may (docs/PROTOCOL.md "Who may send what")
//! management_ports = [1]       # ports whose frames may read/write/read counters (the
//!                              # network port is refused: clients must never program it)
//! management_vlans = [99]      # VLAN ids (1..=4094) that may do so on the trunk port
//! peers = ["02:00:00:00:05:06"] # peer distributors (R11) that may mirror entries
//! conn_table_bits = 12         # optional: 2^bits connection-table slots, 5..=16 (default 12)
//! conn_timeout = 192           # optional: entry timeout in epochs, 1..=192 (default 192)
//! conn_learn = true            # optional (default true): a new flow the hash delivers to a
//!                              # TM is remembered for it (R9 learn mode); false: only the
//!                              # TMs' memorize signals fill the table
//!
//! [bridge]                     # optional: the L2 bridge's MAC learning table (R7)
//! learning = true              # optional (default true): learn where stations are and do
//!                              # not send a frame back to the side it came from; false:
//!                              # every bridged frame goes out of the other port
//! aging = 300                  # optional: seconds a station is remembered after it was
//!                              # last heard, 1..=8589 (default 300, IEEE 802.1D's)
//!
//! [fig9]                       # optional overrides of FIG. 9 cells: "row.col" = action
//! "unknown.virtual" = "hash_src"
//! # rows:    natable_node natable node unknown
//! # columns: nat_xlate_virtual virtual nat_xlate unknown
//! # actions: goto_dst hash_src hash_dst route
//! ```
//!
//! `[fig9]` also takes the nested form `[fig9.unknown]` / `virtual = "hash_src"`.
//! Unknown keys anywhere are errors (a misspelt key is never silently ignored).
//!
//! # Errors
//!
//! Every error is a [`ConfigError`] naming the field as a path and saying what is wrong,
//! e.g. `tms[2].mac: "02:00" is not a MAC address (expected six hex bytes, e.g.
//! 02:00:00:00:00:01)`. TOML syntax errors name the line and column instead of a field.
use flowdist_model::header_parser::HashKeyConfig;
use flowdist_model::key_hasher::HashPoly;
use flowdist_model::tables::{attr, Action, ActionTable, Delivery, COLS, MAX_TMS, ROWS};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::net::Ipv4Addr;
use std::path::Path;

/// Smallest `distributor.bucket_bits`.
pub const MIN_BUCKET_BITS: u8 = 8;
/// Largest `distributor.bucket_bits`.
pub const MAX_BUCKET_BITS: u8 = 12;
/// Largest TM weight.
pub const MAX_WEIGHT: u32 = 1000;
/// Number of physical ports of the distributor.
pub const NUM_PORTS: usize = 2;

/// A configuration error: which field (as a path such as `tms[2].mac`, or a line and column
/// for TOML syntax errors) and why. Displays as `"<field>: <reason>"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Where: a path into the document (`distributor.bucket_bits`, `addresses[0].owner`), a
    /// section (`tms`), `line L, column C` for syntax errors, or a file name for I/O errors.
    pub field: String,
    /// What is wrong, for a person.
    pub reason: String,
}

impl ConfigError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for ConfigError {}

/// What a physical port faces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortRole {
    /// Clients and routers: packets arriving here are distributed to the TMs.
    Network,
    /// TMs and servers: VLAN and MAC delivery go out here; TMs' outbound comes in here.
    Trunk,
}

impl PortRole {
    /// The name used in the configuration file.
    pub fn name(self) -> &'static str {
        match self {
            PortRole::Network => "network",
            PortRole::Trunk => "trunk",
        }
    }
}

/// The `[distributor]` section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Distributor {
    /// The group MAC (48 bits, in the low bits).
    pub mac: u64,
    /// log2 of the number of hash buckets.
    pub bucket_bits: u8,
    /// Source address of IP-in-IP delivery's outer header (required when a TM uses it).
    pub tunnel_src: Option<Ipv4Addr>,
}

/// One traffic manager (`[[tms]]`). Its id is its index in [`Config::tms`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tm {
    /// Unique name; the bucket fill hashes it, so renaming a TM moves its buckets.
    pub name: String,
    /// Share of the buckets, `1..=MAX_WEIGHT`.
    pub weight: u32,
    /// Unicast MAC (48 bits, in the low bits).
    pub mac: u64,
    /// How packets reach it.
    pub delivery: Delivery,
    /// Whether it takes traffic now.
    pub up: bool,
}

/// An IPv4 prefix: `addr` with its low `32 - len` bits zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ipv4Prefix {
    /// The network address, host byte order.
    pub addr: u32,
    /// Prefix length, `0..=32`.
    pub len: u8,
}

impl Ipv4Prefix {
    /// The netmask of the prefix (`/24` → `0xFFFF_FF00`).
    pub fn mask(self) -> u32 {
        match self.len {
            0 => 0,
            l if l >= 32 => u32::MAX,
            l => u32::MAX << (32 - u32::from(l)),
        }
    }
}

impl fmt::Display for Ipv4Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.addr), self.len)
    }
}

/// One address entry (`[[addresses]]`), the source of one CAM entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// The prefix matched.
    pub prefix: Ipv4Prefix,
    /// Attribute bits ([`flowdist_model::tables::attr`]).
    pub attrs: u8,
    /// Only packets with this L4 port on the looked-up side.
    pub port: Option<u16>,
    /// Only packets with this outer VLAN id.
    pub vlan: Option<u16>,
    /// Only packets arriving on this port.
    pub ingress: Option<u8>,
    /// Owner TM id (index into [`Config::tms`]).
    pub owner: Option<u8>,
}

/// A validated configuration. Build it with [`Config::from_toml_str`] or [`Config::load`];
/// every value in it has been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Group MAC and table size.
    pub distributor: Distributor,
    /// Hash key options.
    pub hash: HashKeyConfig,
    /// Role of port 0 and port 1.
    pub ports: [PortRole; NUM_PORTS],
    /// The TMs; a TM's id is its index here.
    pub tms: Vec<Tm>,
    /// Address entries, in file order.
    pub addresses: Vec<Address>,
    /// FIG. 9 with the `[fig9]` overrides applied.
    pub actions: ActionTable,
    /// Who may send control requests, and the connection table's size.
    pub control: Control,
    /// The router's table (`[[routes]]`, R8), in file order.
    pub routes: Vec<RouteConfig>,
    /// The bridge's MAC learning table (`[bridge]`, R7).
    pub bridge: Bridge,
}

/// Default `bridge.aging` (seconds).
pub const DEFAULT_AGING_S: u32 = 300;

/// The `[bridge]` section (R7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bridge {
    /// Learn stations; filter frames to a station on their own side.
    pub learning: bool,
    /// Seconds a station is remembered after it was last heard.
    pub aging_s: u32,
}

impl Default for Bridge {
    fn default() -> Self {
        Bridge {
            learning: true,
            aging_s: DEFAULT_AGING_S,
        }
    }
}

impl Bridge {
    /// The MAC table's registers at the board's clock.
    pub fn settings(&self) -> flowdist_model::mac_arbiter::BridgeSettings {
        flowdist_model::mac_arbiter::BridgeSettings::with_aging(self.learning, self.aging_s)
    }
}

/// Most `[[routes]]` (the hardware's route table).
pub const MAX_ROUTES: usize = flowdist_model::route_table::MAX_ROUTES;

/// One route (`[[routes]]`): IPv4 frames the decision routes whose destination is in
/// `prefix` go to `next_hop` on `port`, on `vlan` (tagged) or untagged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteConfig {
    /// The destinations routed.
    pub prefix: Ipv4Prefix,
    /// The next hop's MAC (48 bits in the low bits).
    pub next_hop: u64,
    /// The port the next hop is on.
    pub port: u8,
    /// The VLAN the next hop is on (`None`: untagged).
    pub vlan: Option<u16>,
}

/// Default `control.conn_table_bits`.
pub const DEFAULT_CONN_TABLE_BITS: u8 = 12;
/// Default `control.conn_timeout` (epochs).
pub const DEFAULT_CONN_TIMEOUT: u8 = flowdist_model::conn_table::MAX_TIMEOUT;

/// The `[control]` section: who may send control requests (R10) and the connection table
/// (R9) the TMs' signals go to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control {
    /// Management ports (indices; never the network port).
    pub management_ports: Vec<u8>,
    /// Management VLAN ids, accepted on the trunk port.
    pub management_vlans: Vec<u16>,
    /// MACs of the peer distributors allowed to mirror.
    pub peers: Vec<u64>,
    /// log2 of the connection table's slots.
    pub conn_table_bits: u8,
    /// Connection entry timeout in epochs.
    pub conn_timeout: u8,
    /// Learn mode: flows the hash delivers are remembered for their TM.
    pub conn_learn: bool,
}

impl Default for Control {
    fn default() -> Self {
        Control {
            management_ports: Vec::new(),
            management_vlans: Vec::new(),
            peers: Vec::new(),
            conn_table_bits: DEFAULT_CONN_TABLE_BITS,
            conn_timeout: DEFAULT_CONN_TIMEOUT,
            conn_learn: true,
        }
    }
}

impl Control {
    /// The connection table's settings for the model's data path (lookups always on; time
    /// advances where the distributor runs: `live` by the wall clock, `run` not at all).
    pub fn conn_settings(&self) -> flowdist_model::conn_arbiter::ConnSettings {
        flowdist_model::conn_arbiter::ConnSettings {
            enable: true,
            learn: self.conn_learn,
            timeout: self.conn_timeout,
            epoch_cycles: 0,
        }
    }

    /// The access rules of the model's control port.
    pub fn access(&self) -> flowdist_model::control_port::Access {
        flowdist_model::control_port::Access {
            management_ports: self
                .management_ports
                .iter()
                .fold(0, |m, &p| m | 1 << (p & 1)),
            management_vlans: self.management_vlans.clone(),
            peers: self.peers.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The document as written (types checked by serde, values not yet)

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    distributor: RawDistributor,
    #[serde(default)]
    hash: RawHash,
    ports: Option<Vec<RawPort>>,
    #[serde(default)]
    tms: Vec<RawTm>,
    #[serde(default)]
    addresses: Vec<RawAddress>,
    #[serde(default)]
    fig9: toml::Table,
    control: Option<RawControl>,
    #[serde(default)]
    routes: Vec<RawRoute>,
    bridge: Option<RawBridge>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBridge {
    learning: Option<bool>,
    aging: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    prefix: String,
    next_hop: String,
    port: i64,
    vlan: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawControl {
    #[serde(default)]
    management_ports: Vec<i64>,
    #[serde(default)]
    management_vlans: Vec<i64>,
    #[serde(default)]
    peers: Vec<String>,
    conn_table_bits: Option<i64>,
    conn_timeout: Option<i64>,
    conn_learn: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistributor {
    mac: String,
    bucket_bits: i64,
    tunnel_src: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHash {
    poly: Option<String>,
    #[serde(default)]
    port: bool,
    #[serde(default)]
    vlan: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPort {
    index: i64,
    role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTm {
    name: String,
    weight: Option<i64>,
    mac: String,
    delivery: String,
    up: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAddress {
    prefix: String,
    attrs: Vec<String>,
    port: Option<i64>,
    vlan: Option<i64>,
    ingress: Option<i64>,
    owner: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Value parsers

/// Parses a MAC address: six two-digit hex bytes separated by `:` or `-`.
pub fn parse_mac(s: &str) -> Option<u64> {
    let sep = if s.contains('-') { '-' } else { ':' };
    let mut v = 0u64;
    let mut n = 0;
    for part in s.split(sep) {
        if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        v = (v << 8) | u64::from(u8::from_str_radix(part, 16).ok()?);
        n += 1;
    }
    (n == 6).then_some(v)
}

/// Formats a MAC address as `02:00:00:00:00:01`.
pub fn format_mac(mac: u64) -> String {
    let b = mac.to_be_bytes();
    format!(
        "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        b[2], b[3], b[4], b[5], b[6], b[7]
    )
}

fn is_multicast(mac: u64) -> bool {
    (mac >> 40) & 1 == 1
}

/// Parses `a.b.c.d` or `a.b.c.d/len`; errors say what is wrong, for `field`.
fn parse_prefix(s: &str, field: &str) -> Result<Ipv4Prefix, ConfigError> {
    let (a, l) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let addr: Ipv4Addr = a.trim().parse().map_err(|_| {
        ConfigError::new(
            field,
            format!(
                "{s:?} is not an IPv4 prefix (expected a.b.c.d or a.b.c.d/len, e.g. 192.0.2.0/24)"
            ),
        )
    })?;
    let len = match l {
        None => 32,
        Some(l) => match l.trim().parse::<u8>() {
            Ok(n) if n <= 32 => n,
            _ => {
                return Err(ConfigError::new(
                    field,
                    format!("{s:?}: prefix length {l:?} is not a number in 0..=32"),
                ))
            }
        },
    };
    let p = Ipv4Prefix {
        addr: u32::from(addr),
        len,
    };
    if p.addr & !p.mask() != 0 {
        let net = Ipv4Prefix {
            addr: p.addr & p.mask(),
            len,
        };
        return Err(ConfigError::new(
            field,
            format!(
                "{s:?} has host bits set (did you mean \"{net}\", or \"{}/32\" for the single address?)",
                Ipv4Addr::from(p.addr)
            ),
        ));
    }
    Ok(p)
}

/// A unicast host IPv4 address (an IP-in-IP tunnel end).
fn parse_host_addr(s: &str, field: &str) -> Result<Ipv4Addr, ConfigError> {
    let a: Ipv4Addr = s.trim().parse().map_err(|_| {
        ConfigError::new(
            field,
            format!("{s:?} is not an IPv4 address (e.g. 192.0.2.1)"),
        )
    })?;
    let why = if a.is_unspecified() {
        Some("the unspecified address")
    } else if a.is_broadcast() {
        Some("the broadcast address")
    } else if a.is_multicast() {
        Some("a multicast address")
    } else if a.is_loopback() {
        Some("a loopback address")
    } else {
        None
    };
    match why {
        Some(w) => Err(ConfigError::new(
            field,
            format!("{a} is {w}; a tunnel end needs a unicast host address"),
        )),
        None => Ok(a),
    }
}

fn parse_delivery(s: &str, field: &str) -> Result<Delivery, ConfigError> {
    let bad = || {
        ConfigError::new(
            field,
            format!(
                "{s:?} is not a delivery (expected \"port:N\", \"vlan:ID\", \"mac\" or \"ipip:ADDR\")"
            ),
        )
    };
    if s == "mac" {
        return Ok(Delivery::Mac);
    }
    if let Some(addr) = s.strip_prefix("ipip:") {
        return Ok(Delivery::IpInIp(u32::from(parse_host_addr(addr, field)?)));
    }
    let (kind, n) = s.split_once(':').ok_or_else(bad)?;
    let n: i64 = n.trim().parse().map_err(|_| bad())?;
    match kind {
        "port" => {
            let p = in_range(n, 0, NUM_PORTS as i64 - 1, field, "port index")?;
            Ok(Delivery::Port(p as u8))
        }
        "vlan" => Ok(Delivery::Vlan(
            in_range(n, 1, 4094, field, "VLAN id")? as u16
        )),
        _ => Err(bad()),
    }
}

/// `v` if it is in `lo..=hi`, else an error naming `what`.
fn in_range(v: i64, lo: i64, hi: i64, field: &str, what: &str) -> Result<i64, ConfigError> {
    if (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(ConfigError::new(
            field,
            format!("{v} is out of range {lo}..={hi} ({what})"),
        ))
    }
}

fn parse_action(s: &str) -> Option<Action> {
    [
        Action::GotoDst,
        Action::HashSrc,
        Action::HashDst,
        Action::Route,
    ]
    .into_iter()
    .find(|a| a.name() == s)
}

fn list(names: &[&str]) -> String {
    names.join(" ")
}

/// Line and column (1-based, columns in characters) of byte `offset` of `s`.
fn line_col(s: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(s.len());
    while !s.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &s[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// A toml/serde error as a ConfigError: the field path when serde knows it, the line and
/// column from the span when toml knows it.
fn from_toml_error(s: &str, e: serde_path_to_error::Error<toml::de::Error>) -> ConfigError {
    let mut path = e.path().to_string();
    let inner = e.into_inner();
    let mut msg = inner
        .message()
        .trim()
        .replace('\n', "; ")
        .replace("expected i64", "expected an integer");
    // "missing field `x`" names the field one level down
    if let Some(name) = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        path = if path == "." {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        msg = "missing".to_string();
    }
    let at = inner.span().map(|sp| line_col(s, sp.start));
    match (path.as_str(), at) {
        (".", Some((l, c))) => ConfigError::new(format!("line {l}, column {c}"), msg),
        (".", None) => ConfigError::new("(document)", msg),
        (p, Some((l, c))) => ConfigError::new(p, format!("{msg} (line {l}, column {c})")),
        (p, None) => ConfigError::new(p, msg),
    }
}

// ---------------------------------------------------------------------------------------

impl Config {
    /// Parses and validates a configuration from TOML text.
    pub fn from_toml_str(s: &str) -> Result<Config, ConfigError> {
        let de = toml::Deserializer::new(s);
        let raw: RawConfig =
            serde_path_to_error::deserialize(de).map_err(|e| from_toml_error(s, e))?;
        Config::validate(raw)
    }

    /// Reads, parses and validates a configuration file. Errors reading the file name it
    /// as the field.
    pub fn load(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::new(path.display().to_string(), e.to_string()))?;
        Config::from_toml_str(&text)
    }

    /// The id of the TM called `name`.
    pub fn tm_id(&self, name: &str) -> Option<u8> {
        self.tms
            .iter()
            .position(|t| t.name == name)
            .and_then(|i| u8::try_from(i).ok())
    }

    fn validate(raw: RawConfig) -> Result<Config, ConfigError> {
        // [distributor]
        let mac = parse_mac(&raw.distributor.mac)
            .ok_or_else(|| not_a_mac("distributor.mac", &raw.distributor.mac))?;
        if is_multicast(mac) || mac == 0 {
            return Err(ConfigError::new(
                "distributor.mac",
                format!(
                    "{} is not a unicast MAC address (the group MAC is a source address)",
                    format_mac(mac)
                ),
            ));
        }
        let bucket_bits = raw.distributor.bucket_bits;
        if !(i64::from(MIN_BUCKET_BITS)..=i64::from(MAX_BUCKET_BITS)).contains(&bucket_bits) {
            return Err(ConfigError::new(
                "distributor.bucket_bits",
                format!("{bucket_bits} is out of range {MIN_BUCKET_BITS}..={MAX_BUCKET_BITS}"),
            ));
        }
        let tunnel_src = match &raw.distributor.tunnel_src {
            None => None,
            Some(t) => Some(parse_host_addr(t, "distributor.tunnel_src")?),
        };
        let distributor = Distributor {
            tunnel_src,
            mac,
            bucket_bits: bucket_bits as u8,
        };

        // [hash]
        let poly = match raw.hash.poly.as_deref() {
            None | Some("crc32") => HashPoly::Ieee,
            Some("crc32c") => HashPoly::Castagnoli,
            Some(p) => {
                return Err(ConfigError::new(
                    "hash.poly",
                    format!("{p:?} is not a hash polynomial (expected \"crc32\" or \"crc32c\")"),
                ))
            }
        };
        let hash = HashKeyConfig {
            poly,
            use_port: raw.hash.port,
            use_vlan: raw.hash.vlan,
        };

        // [[ports]]
        let ports = match raw.ports {
            None => [PortRole::Network, PortRole::Trunk],
            Some(list) => {
                if list.len() != NUM_PORTS {
                    return Err(ConfigError::new(
                        "ports",
                        format!(
                            "exactly {NUM_PORTS} ports (index 0 and 1) are needed (have {})",
                            list.len()
                        ),
                    ));
                }
                let mut roles: [Option<PortRole>; NUM_PORTS] = [None; NUM_PORTS];
                for (i, p) in list.iter().enumerate() {
                    let f = format!("ports[{i}].index");
                    let idx =
                        in_range(p.index, 0, NUM_PORTS as i64 - 1, &f, "port index")? as usize;
                    let role = match p.role.as_str() {
                        "network" => PortRole::Network,
                        "trunk" => PortRole::Trunk,
                        r => {
                            return Err(ConfigError::new(
                                format!("ports[{i}].role"),
                                format!(
                                    "{r:?} is not a port role (expected \"network\" or \"trunk\")"
                                ),
                            ))
                        }
                    };
                    if roles[idx].is_some() {
                        return Err(ConfigError::new(f, format!("port {idx} is listed twice")));
                    }
                    roles[idx] = Some(role);
                }
                let r0 = roles[0].unwrap_or(PortRole::Network);
                let r1 = roles[1].unwrap_or(PortRole::Trunk);
                if r0 == r1 {
                    return Err(ConfigError::new(
                        "ports",
                        format!(
                            "one network port and one trunk port are needed (both are {})",
                            r0.name()
                        ),
                    ));
                }
                [r0, r1]
            }
        };

        // [[tms]]
        if raw.tms.is_empty() {
            return Err(ConfigError::new(
                "tms",
                "at least one TM is needed (add a [[tms]] table)",
            ));
        }
        if raw.tms.len() > MAX_TMS {
            return Err(ConfigError::new(
                "tms",
                format!("at most {MAX_TMS} TMs (have {})", raw.tms.len()),
            ));
        }
        let mut tms: Vec<Tm> = Vec::with_capacity(raw.tms.len());
        for (i, t) in raw.tms.iter().enumerate() {
            let f = |k: &str| format!("tms[{i}].{k}");
            if t.name.trim().is_empty() {
                return Err(ConfigError::new(f("name"), "empty (every TM needs a name)"));
            }
            if let Some(j) = tms.iter().position(|o| o.name == t.name) {
                return Err(ConfigError::new(
                    f("name"),
                    format!("{:?} is already the name of tms[{j}]", t.name),
                ));
            }
            let weight = in_range(
                t.weight.unwrap_or(1),
                1,
                i64::from(MAX_WEIGHT),
                &f("weight"),
                "weight",
            )? as u32;
            let mac = parse_mac(&t.mac).ok_or_else(|| not_a_mac(&f("mac"), &t.mac))?;
            if is_multicast(mac) || mac == 0 {
                return Err(ConfigError::new(
                    f("mac"),
                    format!(
                        "{} is not a unicast MAC address (a TM needs a unicast MAC)",
                        format_mac(mac)
                    ),
                ));
            }
            if mac == distributor.mac {
                return Err(ConfigError::new(
                    f("mac"),
                    format!("{} is the group MAC (distributor.mac)", format_mac(mac)),
                ));
            }
            if let Some(j) = tms.iter().position(|o| o.mac == mac) {
                return Err(ConfigError::new(
                    f("mac"),
                    format!(
                        "{} is already the MAC of tms[{j}] ({:?})",
                        format_mac(mac),
                        tms[j].name
                    ),
                ));
            }
            let delivery = parse_delivery(&t.delivery, &f("delivery"))?;
            match delivery {
                Delivery::Port(p) => {
                    if ports[usize::from(p)] != PortRole::Trunk {
                        return Err(ConfigError::new(
                            f("delivery"),
                            format!("port {p} is the network port; a TM must be on a trunk port"),
                        ));
                    }
                    if let Some(j) = tms.iter().position(|o| o.delivery == delivery) {
                        return Err(ConfigError::new(
                            f("delivery"),
                            format!("port {p} already delivers to tms[{j}] ({:?}); share a port with VLAN or MAC delivery", tms[j].name),
                        ));
                    }
                }
                Delivery::Vlan(v) => {
                    if let Some(j) = tms.iter().position(|o| o.delivery == delivery) {
                        return Err(ConfigError::new(
                            f("delivery"),
                            format!("VLAN {v} already delivers to tms[{j}] ({:?})", tms[j].name),
                        ));
                    }
                }
                Delivery::IpInIp(ip) => {
                    let addr = Ipv4Addr::from(ip);
                    match distributor.tunnel_src {
                        None => {
                            return Err(ConfigError::new(
                                "distributor.tunnel_src",
                                format!(
                                    "missing: tms[{i}] ({:?}) uses IP-in-IP delivery, which needs the outer source address",
                                    t.name
                                ),
                            ))
                        }
                        Some(src) if src == addr => {
                            return Err(ConfigError::new(
                                f("delivery"),
                                format!("{addr} is distributor.tunnel_src, the distributor's own tunnel address"),
                            ))
                        }
                        Some(_) => {}
                    }
                    if let Some(j) = tms.iter().position(|o| o.delivery == delivery) {
                        return Err(ConfigError::new(
                            f("delivery"),
                            format!(
                                "tunnel address {addr} already belongs to tms[{j}] ({:?})",
                                tms[j].name
                            ),
                        ));
                    }
                }
                Delivery::Mac => {}
            }
            tms.push(Tm {
                name: t.name.clone(),
                weight,
                mac,
                delivery,
                up: t.up.unwrap_or(true),
            });
        }
        if !tms.iter().any(|t| t.up) {
            return Err(ConfigError::new(
                "tms",
                "no TM is up (at least one needs up = true)",
            ));
        }

        // [[addresses]]
        let mut addresses: Vec<Address> = Vec::with_capacity(raw.addresses.len());
        for (i, a) in raw.addresses.iter().enumerate() {
            let f = |k: &str| format!("addresses[{i}].{k}");
            let prefix = parse_prefix(&a.prefix, &f("prefix"))?;
            if a.attrs.is_empty() {
                return Err(ConfigError::new(
                    f("attrs"),
                    format!("empty (give at least one of: {})", list(&attr::NAMES)),
                ));
            }
            let mut attrs = 0u8;
            for (j, name) in a.attrs.iter().enumerate() {
                let bit = attr::NAMES.iter().position(|n| n == name).ok_or_else(|| {
                    ConfigError::new(
                        format!("addresses[{i}].attrs[{j}]"),
                        format!(
                            "{name:?} is not an attribute (expected one of: {})",
                            list(&attr::NAMES)
                        ),
                    )
                })?;
                let bit = 1u8 << bit;
                if attrs & bit != 0 {
                    return Err(ConfigError::new(
                        format!("addresses[{i}].attrs[{j}]"),
                        format!("{name:?} is listed twice"),
                    ));
                }
                attrs |= bit;
            }
            let port = match a.port {
                None => None,
                Some(p) => Some(in_range(p, 1, 65535, &f("port"), "L4 port")? as u16),
            };
            let vlan = match a.vlan {
                None => None,
                Some(v) => Some(in_range(v, 1, 4094, &f("vlan"), "VLAN id")? as u16),
            };
            let ingress = match a.ingress {
                None => None,
                Some(p) => {
                    Some(in_range(p, 0, NUM_PORTS as i64 - 1, &f("ingress"), "port index")? as u8)
                }
            };
            let owner = match &a.owner {
                None => None,
                Some(name) => Some(
                    tms.iter()
                        .position(|t| &t.name == name)
                        .map(|id| id as u8)
                        .ok_or_else(|| {
                            ConfigError::new(f("owner"), format!("no TM named {name:?}"))
                        })?,
                ),
            };
            if attrs & attr::TM_ADDRESS != 0 && owner.is_none() {
                return Err(ConfigError::new(
                    f("owner"),
                    "missing: a tm_address entry needs an owner TM (owner = \"<TM name>\")",
                ));
            }
            let entry = Address {
                prefix,
                attrs,
                port,
                vlan,
                ingress,
                owner,
            };
            if let Some(j) = addresses.iter().position(|o| {
                o.prefix == entry.prefix
                    && o.port == entry.port
                    && o.vlan == entry.vlan
                    && o.ingress == entry.ingress
            }) {
                return Err(ConfigError::new(
                    format!("addresses[{i}]"),
                    format!(
                        "matches exactly what addresses[{j}] matches ({prefix} with the same port, vlan and ingress); merge the two entries"
                    ),
                ));
            }
            addresses.push(entry);
        }

        // [fig9]
        let actions = fig9_overrides(&raw.fig9)?;

        // [control]
        let control = match &raw.control {
            None => Control::default(),
            Some(c) => validate_control(c, &ports, distributor.mac, &tms)?,
        };

        // [[routes]]
        if raw.routes.len() > MAX_ROUTES {
            return Err(ConfigError::new(
                "routes",
                format!(
                    "{} routes, the hardware's table holds {MAX_ROUTES}",
                    raw.routes.len()
                ),
            ));
        }
        let mut routes: Vec<RouteConfig> = Vec::with_capacity(raw.routes.len());
        for (i, r) in raw.routes.iter().enumerate() {
            let f = |k: &str| format!("routes[{i}].{k}");
            let prefix = parse_prefix(&r.prefix, &f("prefix"))?;
            let next_hop =
                parse_mac(&r.next_hop).ok_or_else(|| not_a_mac(&f("next_hop"), &r.next_hop))?;
            if is_multicast(next_hop) || next_hop == 0 {
                return Err(ConfigError::new(
                    f("next_hop"),
                    format!(
                        "{:?} is not a unicast MAC (a next hop is one host)",
                        r.next_hop
                    ),
                ));
            }
            let port = in_range(r.port, 0, NUM_PORTS as i64 - 1, &f("port"), "port index")? as u8;
            let vlan = match r.vlan {
                None => None,
                Some(v) => Some(in_range(v, 1, 4094, &f("vlan"), "VLAN id")? as u16),
            };
            if let Some(j) = routes.iter().position(|o| o.prefix == prefix) {
                return Err(ConfigError::new(
                    format!("routes[{i}].prefix"),
                    format!("{prefix} is also routes[{j}]'s prefix (one next hop per prefix)"),
                ));
            }
            routes.push(RouteConfig {
                prefix,
                next_hop,
                port,
                vlan,
            });
        }

        // [bridge]
        let mut bridge = Bridge::default();
        if let Some(b) = &raw.bridge {
            if let Some(l) = b.learning {
                bridge.learning = l;
            }
            if let Some(a) = b.aging {
                bridge.aging_s = in_range(
                    a,
                    1,
                    flowdist_model::mac_arbiter::MAX_AGING_S as i64,
                    "bridge.aging",
                    "seconds a station is remembered",
                )? as u32;
            }
        }

        Ok(Config {
            bridge,
            routes,
            control,
            distributor,
            hash,
            ports,
            tms,
            addresses,
            actions,
        })
    }
}

fn validate_control(
    c: &RawControl,
    ports: &[PortRole; NUM_PORTS],
    group_mac: u64,
    tms: &[Tm],
) -> Result<Control, ConfigError> {
    let mut out = Control::default();
    for (i, &p) in c.management_ports.iter().enumerate() {
        let f = format!("control.management_ports[{i}]");
        let p = in_range(p, 0, NUM_PORTS as i64 - 1, &f, "port index")? as u8;
        if ports[usize::from(p)] == PortRole::Network {
            return Err(ConfigError::new(
                f,
                format!(
                    "port {p} is the network port; management from the network side would let \
                     clients program the distributor (use the trunk port or a management VLAN)"
                ),
            ));
        }
        if out.management_ports.contains(&p) {
            return Err(ConfigError::new(f, format!("port {p} is listed twice")));
        }
        out.management_ports.push(p);
    }
    // the hardware's control port compares with a fixed number of each
    let (max_vlans, max_peers) = (
        flowdist_hdl::board_top::MGMT_VLANS,
        flowdist_hdl::board_top::PEERS,
    );
    if c.management_vlans.len() > max_vlans {
        return Err(ConfigError::new(
            format!("control.management_vlans[{max_vlans}]"),
            format!(
                "at most {max_vlans} management VLANs (the hardware compares with {max_vlans})"
            ),
        ));
    }
    if c.peers.len() > max_peers {
        return Err(ConfigError::new(
            format!("control.peers[{max_peers}]"),
            format!(
                "at most {max_peers} peer distributors (the hardware compares with {max_peers})"
            ),
        ));
    }
    for (i, &v) in c.management_vlans.iter().enumerate() {
        let f = format!("control.management_vlans[{i}]");
        let v = in_range(v, 1, 4094, &f, "VLAN id")? as u16;
        if out.management_vlans.contains(&v) {
            return Err(ConfigError::new(f, format!("VLAN {v} is listed twice")));
        }
        if let Some(j) = tms.iter().position(|t| t.delivery == Delivery::Vlan(v)) {
            return Err(ConfigError::new(
                f,
                format!(
                    "VLAN {v} delivers to tms[{j}] ({:?}); a management VLAN must be its own",
                    tms[j].name
                ),
            ));
        }
        out.management_vlans.push(v);
    }
    for (i, m) in c.peers.iter().enumerate() {
        let f = format!("control.peers[{i}]");
        let mac = parse_mac(m).ok_or_else(|| not_a_mac(&f, m))?;
        if is_multicast(mac) || mac == 0 {
            return Err(ConfigError::new(
                f,
                format!(
                    "{} is not a unicast MAC address (a peer distributor's group MAC)",
                    format_mac(mac)
                ),
            ));
        }
        if mac == group_mac {
            return Err(ConfigError::new(
                f,
                format!("{} is this distributor's own group MAC", format_mac(mac)),
            ));
        }
        if let Some(j) = tms.iter().position(|t| t.mac == mac) {
            return Err(ConfigError::new(
                f,
                format!(
                    "{} is the MAC of tms[{j}] ({:?})",
                    format_mac(mac),
                    tms[j].name
                ),
            ));
        }
        if out.peers.contains(&mac) {
            return Err(ConfigError::new(
                f,
                format!("{} is listed twice", format_mac(mac)),
            ));
        }
        out.peers.push(mac);
    }
    if let Some(b) = c.conn_table_bits {
        out.conn_table_bits = in_range(
            b,
            5,
            16,
            "control.conn_table_bits",
            "log2 of the connection table's slots",
        )? as u8;
    }
    if let Some(t) = c.conn_timeout {
        out.conn_timeout = in_range(
            t,
            1,
            flowdist_model::conn_table::MAX_TIMEOUT as i64,
            "control.conn_timeout",
            "timeout in epochs",
        )? as u8;
    }
    if let Some(l) = c.conn_learn {
        out.conn_learn = l;
    }
    Ok(out)
}

fn not_a_mac(field: &str, s: &str) -> ConfigError {
    ConfigError::new(
        field,
        format!("{s:?} is not a MAC address (expected six hex bytes, e.g. 02:00:00:00:00:01)"),
    )
}

/// FIG. 9 with the `[fig9]` cells applied; accepts `"row.col" = "action"` and
/// `[fig9.row]` / `col = "action"`.
fn fig9_overrides(t: &toml::Table) -> Result<ActionTable, ConfigError> {
    let mut cells: BTreeMap<(usize, usize), String> = BTreeMap::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut set =
        |row: &str, col: &str, v: &toml::Value, field: String| -> Result<(), ConfigError> {
            let r = ROWS.iter().position(|x| *x == row).ok_or_else(|| {
                ConfigError::new(
                    field.clone(),
                    format!(
                        "{row:?} is not a FIG. 9 row (expected one of: {})",
                        list(&ROWS)
                    ),
                )
            })?;
            let c = COLS.iter().position(|x| *x == col).ok_or_else(|| {
                ConfigError::new(
                    field.clone(),
                    format!(
                        "{col:?} is not a FIG. 9 column (expected one of: {})",
                        list(&COLS)
                    ),
                )
            })?;
            let a = v.as_str().ok_or_else(|| {
                ConfigError::new(
                    field.clone(),
                    format!(
                        "expected an action name as a string, found a {}",
                        v.type_str()
                    ),
                )
            })?;
            if !seen.insert((r, c)) {
                return Err(ConfigError::new(field, "this cell is set twice"));
            }
            cells.insert((r, c), a.to_string());
            Ok(())
        };
    for (k, v) in t {
        match v {
            toml::Value::Table(inner) => {
                for (col, v) in inner {
                    set(k, col, v, format!("fig9.{k}.{col}"))?;
                }
            }
            _ => {
                let field = format!("fig9.\"{k}\"");
                let (row, col) = k.split_once('.').ok_or_else(|| {
                    ConfigError::new(
                        field.clone(),
                        "expected a key \"row.col\", e.g. \"unknown.virtual\"",
                    )
                })?;
                set(row, col, v, field)?;
            }
        }
    }
    let mut table = ActionTable::default();
    for ((r, c), a) in cells {
        let action = parse_action(&a).ok_or_else(|| {
            ConfigError::new(
                format!("fig9.{}.{}", ROWS[r], COLS[c]),
                format!(
                    "{a:?} is not an action (expected one of: goto_dst hash_src hash_dst route)"
                ),
            )
        })?;
        table.0[r][c] = action;
    }
    Ok(table)
}
