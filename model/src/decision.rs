//! The FIG. 6–10 decision (twin of `hdl::decision`), R3.
use crate::address_cam::{lookup, CamKey, CompiledCam};
use crate::hash_selector::select;
use crate::header_parser::{flag, HeaderFields, L3_ARP, L3_IPV4};
use crate::route_table;
use crate::tables::{attr, dst_col, src_row, Action, CamMatch, DataPlaneConfig};
use crate::tm_table::{from_tm, CompiledTms};

/// Where a frame goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Kind {
    /// A control request (R10: to the group MAC, EtherType 0x88B5 after at most one tag):
    /// taken by the control port, never forwarded.
    Control = 0,
    /// From a TM: strip its delivery tag, fix the source MAC, forward (R6).
    Outbound = 1,
    /// Not addressed to the distributor: L2 bridge (R7).
    Bridge = 2,
    /// To a TM (R5).
    ToTm = 3,
    /// Forward normally: route (R8).
    Route = 4,
    /// Addressed to the distributor itself (`own`).
    Local = 5,
    /// The hash chose a bucket whose primary and backup TMs are both down: dropped, counted.
    NoTm = 6,
    /// An ARP request for one of the distributor's own or virtual addresses: answered from
    /// the group MAC, back out of the port it came in on (R7).
    ArpReply = 7,
}

impl Kind {
    pub fn from_code(c: u8) -> Option<Kind> {
        Some(match c {
            0 => Kind::Control,
            1 => Kind::Outbound,
            2 => Kind::Bridge,
            3 => Kind::ToTm,
            4 => Kind::Route,
            5 => Kind::Local,
            6 => Kind::NoTm,
            7 => Kind::ArpReply,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            Kind::Control => "control",
            Kind::Outbound => "outbound",
            Kind::Bridge => "bridge",
            Kind::ToTm => "to_tm",
            Kind::Route => "route",
            Kind::Local => "local",
            Kind::NoTm => "no_tm",
            Kind::ArpReply => "arp_reply",
        }
    }
}

/// The decision for one frame, as the hardware reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decision {
    pub kind: Kind,
    /// The TM (`Outbound`: the sender; `ToTm`: the receiver; otherwise 0).
    pub tm: u8,
    /// The FIG. 9 cell used, when the decision got that far.
    pub cell: Option<(u8, u8, Action)>,
    /// The bucket's backup TM served (its primary is down).
    pub backup: bool,
    /// The connection table chose the TM (R9).
    pub conn: bool,
    /// `Route` of an IPv4 frame that matched route table entry i (R8, `route_table`).
    pub route: Option<u8>,
    /// Routed, but its TTL is 0 or 1: dropped, counted.
    pub ttl_expired: bool,
    /// `Bridge` to a station the MAC table holds on the ingress port (R7): dropped, counted.
    pub filtered: bool,
}

impl Decision {
    fn plain(kind: Kind, tm: u8) -> Self {
        Decision {
            kind,
            tm,
            cell: None,
            backup: false,
            conn: false,
            route: None,
            ttl_expired: false,
            filtered: false,
        }
    }
}

/// The control protocol's EtherType (R10, `docs/PROTOCOL.md`).
pub const CONTROL_ETHERTYPE: u16 = 0x88B5;

/// A control request: a well-formed frame to the group MAC whose EtherType, after at most one
/// VLAN tag, is [`CONTROL_ETHERTYPE`]. Not decided by FIG. 9: the control port takes it
/// (`control_port`), whoever sent it (the control port judges the sender).
pub fn is_control(h: &HeaderFields, group_mac: u64) -> bool {
    !h.malformed()
        && h.dst_mac == group_mac & 0xFFFF_FFFF_FFFF
        && h.vlan_count <= 1
        && h.ethertype == CONTROL_ETHERTYPE
}

/// Decide for a parsed frame that came in on `ingress`. `None` for malformed frames (they are
/// dropped and counted before any decision).
pub fn decide(h: &HeaderFields, ingress: u8, cfg: &DataPlaneConfig) -> Option<Decision> {
    decide_by(
        h,
        ingress,
        cfg,
        |k| lookup(&cfg.cam, k),
        |mac, vlan, ingress| from_tm(&cfg.tms, mac, vlan, ingress, cfg.trunk_port),
        || cfg.tm_up(),
    )
}

/// [`decide`] with the configuration's CAM and TM table compiled once and its up mask
/// ([`crate::classifier::Classifier`]): the same decisions when `cam`, `tms` and `up` were
/// built from `cfg`.
pub fn decide_compiled(
    h: &HeaderFields,
    ingress: u8,
    cfg: &DataPlaneConfig,
    cam: &CompiledCam,
    tms: &CompiledTms,
    up: u16,
) -> Option<Decision> {
    decide_by(
        h,
        ingress,
        cfg,
        |k| cam.lookup(k),
        |mac, vlan, ingress| tms.from_tm(mac, vlan, ingress),
        || up,
    )
}

/// The decision, given how to look an address up in the CAM, how to ask the TM table and
/// which TMs are up; a `Route` of an IPv4 frame with the route table's answer (R8).
#[inline(always)]
fn decide_by(
    h: &HeaderFields,
    ingress: u8,
    cfg: &DataPlaneConfig,
    lookup: impl Fn(&CamKey) -> CamMatch,
    from_tm: impl FnOnce(u64, Option<u16>, u8) -> Option<u8>,
    tm_up: impl Fn() -> u16,
) -> Option<Decision> {
    let mut d = decide_steps(h, ingress, cfg, lookup, from_tm, tm_up)?;
    if d.kind == Kind::Route && h.l3 == L3_IPV4 && !cfg.routes.is_empty() {
        if let Some((i, _)) = route_table::lookup(&cfg.routes, h.dst_ip as u32) {
            d.route = Some(i);
            d.ttl_expired = route_table::ttl_expires(h.ttl);
        }
    }
    Some(d)
}

/// What an IPv4 packet's source and destination offer to the CAM (FIG. 9's row and column
/// lookups).
#[inline(always)]
pub fn cam_keys(h: &HeaderFields, ingress: u8) -> [CamKey; 2] {
    let vlan = (h.vlan_count > 0).then_some(h.vlan0 & 0xFFF);
    // every fragment is classified without ports, like the rest of its datagram
    let ports = h.has(flag::L4_VALID) && !h.has(flag::FRAGMENT);
    let key = |addr: u128, port: u16| CamKey {
        addr: addr as u32,
        port: ports.then_some(port),
        vlan,
        ingress: ingress & 1,
        any_port: false,
    };
    [key(h.src_ip, h.src_port), key(h.dst_ip, h.dst_port)]
}

/// FIG. 6–10 up to the route lookup.
#[inline(always)]
fn decide_steps(
    h: &HeaderFields,
    ingress: u8,
    cfg: &DataPlaneConfig,
    lookup: impl Fn(&CamKey) -> CamMatch,
    from_tm: impl FnOnce(u64, Option<u16>, u8) -> Option<u8>,
    tm_up: impl Fn() -> u16,
) -> Option<Decision> {
    if h.malformed() {
        return None;
    }
    let vlan = (h.vlan_count > 0).then_some(h.vlan0 & 0xFFF);
    // an ARP request (not a gratuitous one) for an own or virtual address: answer it
    if h.l3 == L3_ARP && h.arp_oper == 1 && h.src_ip != h.dst_ip {
        let target = CamKey {
            addr: h.dst_ip as u32,
            port: None,
            vlan,
            ingress: ingress & 1,
            any_port: true,
        };
        if lookup(&target).attrs & (attr::OWN | attr::VIRTUAL) != 0 {
            return Some(Decision::plain(Kind::ArpReply, 0));
        }
    }
    if is_control(h, cfg.group_mac) {
        return Some(Decision::plain(Kind::Control, 0));
    }
    if let Some(t) = from_tm(h.src_mac, vlan, ingress) {
        return Some(Decision::plain(Kind::Outbound, t));
    }
    if h.dst_mac != cfg.group_mac & 0xFFFF_FFFF_FFFF {
        return Some(Decision::plain(Kind::Bridge, 0));
    }
    if h.l3 != L3_IPV4 {
        return Some(Decision::plain(Kind::Route, 0));
    }
    let [src, dst] = cam_keys(h, ingress);
    let (src, dst) = (lookup(&src), lookup(&dst));
    if dst.attrs & attr::OWN != 0 {
        return Some(Decision::plain(Kind::Local, 0));
    }
    if dst.attrs & attr::TM_ADDRESS != 0 {
        if let Some(o) = dst.owner {
            return Some(Decision::plain(Kind::ToTm, o));
        }
    }
    let (row, col) = (src_row(src.attrs), dst_col(dst.attrs));
    let action = cfg.actions.get(row, col);
    let cell = Some((row as u8, col as u8, action));
    let hashed = |hash: u32| match select(&cfg.buckets, cfg.bucket_bits, tm_up(), hash) {
        Some((tm, backup)) => Decision {
            kind: Kind::ToTm,
            tm,
            cell,
            backup,
            conn: false,
            route: None,
            ttl_expired: false,
            filtered: false,
        },
        None => Decision {
            kind: Kind::NoTm,
            tm: 0,
            cell,
            backup: false,
            conn: false,
            route: None,
            ttl_expired: false,
            filtered: false,
        },
    };
    Some(match action {
        Action::GotoDst => match dst.owner {
            Some(o) => Decision {
                kind: Kind::ToTm,
                tm: o,
                cell,
                backup: false,
                conn: false,
                route: None,
                ttl_expired: false,
                filtered: false,
            },
            None => Decision {
                kind: Kind::Route,
                tm: 0,
                cell,
                backup: false,
                conn: false,
                route: None,
                ttl_expired: false,
                filtered: false,
            },
        },
        Action::Route => Decision {
            kind: Kind::Route,
            tm: 0,
            cell,
            backup: false,
            conn: false,
            route: None,
            ttl_expired: false,
            filtered: false,
        },
        Action::HashSrc => hashed(h.src_hash),
        Action::HashDst => hashed(h.dst_hash),
    })
}

/// What the connection table (R9) asks of a frame after its decision: learn its key for this
/// TM; `keep`: a learn (a live entry keeps its TM), else an insert that replaces an entry
/// held for a TM that is down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Learn {
    pub tm: u8,
    pub keep: bool,
}

impl Learn {
    /// Done on a table: a learn (`keep`) or an insert of `key` for the TM.
    pub fn apply(
        self,
        table: &mut crate::conn_table::ConnTable,
        key: &crate::conn_table::ConnKey,
    ) -> crate::conn_table::Outcome {
        if self.keep {
            table.learn(key, self.tm)
        } else {
            table.insert(key, self.tm)
        }
    }
}

/// The decision with the connection table's answer for the frame's key (`Some(TM)` when it
/// holds the connection; only for frames that asked, see `conn_table::ConnKey::of`): a TM that
/// is up in `up` overrides whatever FIG. 9 decided (the table's step comes right before it);
/// otherwise, with `learn`, a frame the hash delivered to a TM learns that TM.
pub fn with_conn(d: Decision, held: Option<u8>, up: u16, learn: bool) -> (Decision, Option<Learn>) {
    if d.cell.is_none() {
        return (d, None);
    }
    if let Some(tm) = held.filter(|&t| up >> (t & 15) & 1 == 1) {
        let d = Decision {
            kind: Kind::ToTm,
            tm,
            cell: None,
            backup: false,
            conn: true,
            route: None,
            ttl_expired: false,
            filtered: false,
        };
        return (d, None);
    }
    let hashed = matches!(
        d.cell,
        Some((_, _, Action::HashSrc)) | Some((_, _, Action::HashDst))
    ) && d.kind == Kind::ToTm;
    let l = (learn && hashed).then_some(Learn {
        tm: d.tm,
        keep: held.is_none(),
    });
    (d, l)
}
