//! Compiling a [`Config`] into the tables the hardware (and the model) load.
//!
//! # What the loaders must know
//!
//! * **TM ids** are positions in the configuration's `[[tms]]` list (first TM = 0); the
//!   bucket table, CAM owners and [`Tables::tms`] all use them.
//! * **CAM order** is "most specific first": entries are sorted by prefix length, longest
//!   first; among equal lengths, entries with more qualifiers (port, VLAN, ingress) come
//!   before entries with fewer; otherwise the file order is kept (the sort is stable). The
//!   hardware keeps the owner of the *first* matching entry (R2), so "first match" means
//!   "most specific match". [`Tables::cam`] holds only valid entries; CAM slots past its
//!   length must be written invalid ([`Tables::cam_image`] pads for you).
//! * **Buckets**: filled by [`maglev::try_fill`] ([`compile`]) or refilled from the previous
//!   table by [`maglev::try_update`] ([`recompile`]); every primary and backup is a TM that
//!   is up; `backup == primary` only when a single TM is up.
//! * **Bucket index**: `2^bucket_bits` entries, bucket `b` is selected by
//!   `flowdist_model::hash_selector::bucket_index(key_hash(poly, key), bucket_bits)`; see
//!   [`hash_key`] for the key bytes.
use crate::config::{Config, ConfigError, PortRole, NUM_PORTS};
use crate::maglev;
use flowdist_model::header_parser::HashKeyConfig;
use flowdist_model::key_hasher::key_hash;
use flowdist_model::tables::{ActionTable, Bucket, CamEntry, TmEntry};

/// Everything the data path needs, compiled from a [`Config`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tables {
    /// Valid CAM entries, most specific first (see the [module documentation](self)).
    pub cam: Vec<CamEntry>,
    /// FIG. 9, with the configuration's overrides.
    pub actions: ActionTable,
    /// `2^bucket_bits` buckets, filled by [`maglev::fill`].
    pub buckets: Vec<Bucket>,
    /// The TMs, indexed by TM id.
    pub tms: Vec<TmEntry>,
    /// Hash key options.
    pub hash: HashKeyConfig,
    /// The group MAC (48 bits in the low bits).
    pub group_mac: u64,
    /// log2 of `buckets.len()`.
    pub bucket_bits: u8,
    /// Role of port 0 and port 1.
    pub port_roles: [PortRole; NUM_PORTS],
    /// Source address of IP-in-IP delivery (0 when no TM uses it).
    pub tunnel_src: u32,
    /// The router's table, longest prefix first (so the hardware's first match is the
    /// longest match; equal lengths keep the file's order).
    pub routes: Vec<flowdist_model::route_table::Route>,
}

/// Number of qualifiers (port, VLAN, ingress) an entry has.
fn qualifiers(e: &CamEntry) -> u32 {
    u32::from(e.port.is_some()) + u32::from(e.vlan.is_some()) + u32::from(e.ingress.is_some())
}

/// Sorts CAM entries most specific first: longer prefix (more mask bits) first, then more
/// qualifiers first; stable, so equally specific entries keep their order.
pub fn sort_most_specific_first(cam: &mut [CamEntry]) {
    cam.sort_by_key(|e| {
        (
            std::cmp::Reverse(e.mask.count_ones()),
            std::cmp::Reverse(qualifiers(e)),
        )
    });
}

/// Compiles `cfg` for a CAM of `cam_capacity` entries (per side). Fails when the
/// configuration has more address entries than that.
pub fn compile(cfg: &Config, cam_capacity: usize) -> Result<Tables, ConfigError> {
    if cfg.addresses.len() > cam_capacity {
        return Err(ConfigError::new(
            "addresses",
            format!(
                "{} address entries, but the CAM holds {cam_capacity}",
                cfg.addresses.len()
            ),
        ));
    }
    let mut cam: Vec<CamEntry> = cfg
        .addresses
        .iter()
        .map(|a| {
            let mask = a.prefix.mask();
            CamEntry {
                valid: true,
                value: a.prefix.addr & mask,
                mask,
                port: a.port,
                vlan: a.vlan,
                ingress: a.ingress,
                attrs: a.attrs,
                owner: a.owner,
            }
        })
        .collect();
    sort_most_specific_first(&mut cam);

    let fill_in: Vec<(&str, u32, bool)> = cfg
        .tms
        .iter()
        .map(|t| (t.name.as_str(), t.weight, t.up))
        .collect();
    let buckets = maglev::try_fill(&fill_in, cfg.distributor.bucket_bits)
        .map_err(|e| ConfigError::new("tms", e.to_string()))?;

    Ok(Tables {
        cam,
        actions: cfg.actions,
        buckets,
        tms: cfg
            .tms
            .iter()
            .map(|t| TmEntry {
                up: t.up,
                mac: t.mac,
                delivery: t.delivery,
            })
            .collect(),
        hash: cfg.hash,
        tunnel_src: cfg.distributor.tunnel_src.map(u32::from).unwrap_or(0),
        group_mac: cfg.distributor.mac,
        bucket_bits: cfg.distributor.bucket_bits,
        port_roles: cfg.ports,
        routes: routes_longest_first(&cfg.routes),
    })
}

/// The `[[routes]]` as the route table holds them: longest prefix first, stable.
pub fn routes_longest_first(
    routes: &[crate::config::RouteConfig],
) -> Vec<flowdist_model::route_table::Route> {
    let mut v: Vec<_> = routes.iter().collect();
    v.sort_by_key(|r| std::cmp::Reverse(r.prefix.len));
    v.into_iter()
        .map(|r| {
            flowdist_model::route_table::Route::to_prefix(
                r.prefix.addr,
                r.prefix.len,
                r.next_hop,
                r.port,
                r.vlan,
            )
        })
        .collect()
}

/// Compiles `cfg` like [`compile`], but refills the buckets from `previous` (compiled from
/// `previous_cfg`) with [`maglev::try_update`]: the fewest buckets move, so a TM marked down,
/// removed or added moves only its own share of flows. Use this for run-time changes;
/// [`compile`] (a pure function of the configuration) for build-time images. TMs are
/// matched by name between the two configurations.
pub fn recompile(
    cfg: &Config,
    cam_capacity: usize,
    previous_cfg: &Config,
    previous: &Tables,
) -> Result<Tables, ConfigError> {
    let mut t = compile(cfg, cam_capacity)?;
    let prev_names: Vec<&str> = previous_cfg.tms.iter().map(|t| t.name.as_str()).collect();
    let fill_in: Vec<(&str, u32, bool)> = cfg
        .tms
        .iter()
        .map(|t| (t.name.as_str(), t.weight, t.up))
        .collect();
    t.buckets = maglev::try_update(
        &previous.buckets,
        &prev_names,
        &fill_in,
        cfg.distributor.bucket_bits,
    )
    .map_err(|e| ConfigError::new("tms", e.to_string()))?;
    Ok(t)
}

/// The bytes the hash selector hashes for one address (R4), as the parser builds them:
/// `[outer VLAN id, 12 bits as 2 bytes big-endian]` (when `use_vlan` and the packet is
/// tagged) ++ the 4 address bytes big-endian ++ `[L4 port, 2 bytes big-endian]` (when
/// `use_port` and the packet has ports, i.e. is not a fragment).
pub fn hash_key(hash: &HashKeyConfig, addr: u32, port: Option<u16>, vlan: Option<u16>) -> Vec<u8> {
    let mut k = Vec::with_capacity(8);
    if hash.use_vlan {
        if let Some(v) = vlan {
            k.extend_from_slice(&(v & 0x0FFF).to_be_bytes());
        }
    }
    k.extend_from_slice(&addr.to_be_bytes());
    if hash.use_port {
        if let Some(p) = port {
            k.extend_from_slice(&p.to_be_bytes());
        }
    }
    k
}

impl Tables {
    /// The CAM as a `capacity`-entry image: the valid entries, then invalid ones. Entries
    /// beyond `capacity` are cut (cannot happen for tables from [`compile`] with the same
    /// capacity).
    pub fn cam_image(&self, capacity: usize) -> Vec<CamEntry> {
        let mut v: Vec<CamEntry> = self.cam.iter().take(capacity).copied().collect();
        v.resize(capacity, CamEntry::default());
        v
    }

    /// Bucket index of a hash value: its low `bucket_bits` bits.
    pub fn bucket_of(&self, hash: u32) -> usize {
        flowdist_model::hash_selector::bucket_index(hash, self.bucket_bits) as usize
    }

    /// The bucket the hash selector picks for this address (and port / VLAN, when the hash
    /// key includes them), or `None` if the table is empty.
    pub fn select(&self, addr: u32, port: Option<u16>, vlan: Option<u16>) -> Option<Bucket> {
        let h = key_hash(self.hash.poly, &hash_key(&self.hash, addr, port, vlan));
        self.buckets.get(self.bucket_of(h)).copied()
    }
}

impl Tables {
    /// The data-plane configuration the model runs on and the hardware is loaded with.
    pub fn data_plane(&self) -> flowdist_model::tables::DataPlaneConfig {
        let trunk_port = self
            .port_roles
            .iter()
            .position(|r| *r == PortRole::Trunk)
            .unwrap_or(1) as u8;
        flowdist_model::tables::DataPlaneConfig {
            group_mac: self.group_mac,
            trunk_port,
            cam: self.cam.clone(),
            tms: self.tms.clone(),
            buckets: self.buckets.clone(),
            bucket_bits: self.bucket_bits,
            actions: self.actions,
            hash: self.hash,
            tunnel_src: self.tunnel_src,
            routes: self.routes.clone(),
        }
    }
}

/// What a configuration fixes in the board top at build time (R14): its registers (group MAC,
/// FIG. 9 table, TMs up, trunk port, hash options), its tables as configuration-bus writes
/// who may send control requests (`[control]`, R10) and the bridge's MAC table (`[bridge]`,
/// R7).
pub fn board_settings(
    dp: &flowdist_model::tables::DataPlaneConfig,
    access: &flowdist_model::control_port::Access,
    bridge: &flowdist_model::mac_arbiter::BridgeSettings,
) -> flowdist_hdl::board_top::BoardSettings {
    let conn = flowdist_model::conn_arbiter::ConnSettings::board();
    flowdist_hdl::board_top::BoardSettings {
        group_mac: dp.group_mac,
        actions: dp.actions.pack(),
        tm_up: dp.tm_up(),
        trunk_port: dp.trunk_port != 0,
        hash_use_port: dp.hash.use_port,
        hash_use_vlan: dp.hash.use_vlan,
        writes: dp.bus_writes(),
        // the connection table's registers are not in the TOML yet: the board's defaults
        conn_enable: conn.enable,
        conn_learn: conn.learn,
        conn_timeout: conn.timeout,
        epoch_cycles: conn.epoch_cycles,
        mac_enable: bridge.learning,
        mac_timeout: bridge.timeout,
        mac_epoch_cycles: bridge.epoch_cycles,
        mgmt_ports: access.management_ports & 3,
        mgmt_vlans: access.management_vlans.clone(),
        peers: access.peers.clone(),
        mdio_wait: flowdist_hdl::board_top::MDIO_WAIT_CYCLES,
    }
}
