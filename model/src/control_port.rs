//! The control port (R10; model twin of `hdl::control_port`): which received frames are
//! control requests, who may send them, and the reply.
//!
//! A control frame is what the decision calls one (`decision::is_control`: well-formed, to
//! the group MAC, EtherType 0x88B5 directly or after one VLAN tag; `docs/PROTOCOL.md` has the
//! wire format). It never reaches the data path. The
//! request is read here at fixed offsets, as the hardware will read it, independently of the
//! host library's decoder (`flowdist_control::protocol`), so that tests of one against the
//! other mean something.
//!
//! # Who may send what ([`Access`])
//!
//! The sender's classes are decided first, from the frame's ingress port, its outer VLAN
//! tag and its source MAC (a TM on a management port is both management and a TM):
//! - **management**: the ingress port is a management port, or the frame is tagged with a
//!   management VLAN and came in on the trunk port (tags on the network port are the
//!   clients' to forge, so a management VLAN counts only on the trunk);
//! - **TM t**: the source MAC is TM t's MAC and the frame came in where TM t's own traffic
//!   does: on its own port (port delivery), tagged with its VLAN on the trunk (VLAN delivery),
//!   on the trunk (MAC and IP-in-IP delivery);
//! - **peer**: the source MAC is a configured peer distributor's and the frame came in on the
//!   trunk port.
//!
//! read, write, counters and stations need management; memorize, forget, age and relate a TM; mirror a
//! peer. A sender of none of these classes gets nothing: the frame is dropped and counted
//! (`rejected`), with no reply, whatever it holds. A sender of some class gets a reply to
//! every request: `bad_version`, `bad_op`, `bad_length` for malformed requests (with no
//! items), `not_permitted` for an operation its class may not do, and otherwise the outcome.
//! Replies that arrive here (bit 7 of the op set) are dropped and counted as rejected, so
//! that two devices never answer each other's answers.
//!
//! # Operations
//!
//! Items are done in order; the first that fails stops the request: the reply's status is
//! its code and the reply carries the items done and the failing one last (`count` says how
//! many). Done here: read and write ([`DataPlaneConfig::read_bus`],
//! [`DataPlaneConfig::apply_bus_write`]; a write's reply carries each word as read back after
//! the write; values wider than 32 bits are `bad_address`), counters (the 36-bit values of
//! [`EventCounters`], addresses 0..127), stations (the bridge's MAC table, op 0x04: address
//! 2s + w is word w of slot s, [`station_word`]; past the table `bad_address`), memorize and mirror (insert with the item's TM;
//! `table_full`; a TM id with no TM is `bad_address`), forget (`not_found`), relate (the
//! first key's TM, looked up, which refreshes it, is inserted for the second key; `not_found`
//! when the first key is absent). **age** answers `bad_op`: the connection table has one
//! timeout for all entries ([`ConnTable::timeout`]), no per-entry timeout to set.
//!
//! The reply goes to the requester's MAC from the group MAC, with the request's VLAN tag
//! (TPID and TCI), out of the ingress port; padded to 60 bytes and given its FCS.
//!
//! The counts of accepted, rejected and error requests are fields of [`ControlPort`] and R13
//! counters 76..78 ([`Counter::ControlAccepted`] ..), which `handle` counts with the table
//! operations it makes; the frame's own decision (kind `Control`) is the data path's to count.
//! The hardware differs in two ways the tests keep clear of: it takes one request at a time
//! (one arriving meanwhile is dropped, counted as rejected) and does not answer read and
//! write yet (bad_op).
use crate::conn_arbiter::Source;
use crate::conn_table::{ConnKey, ConnTable, Outcome};
use crate::decision::is_control;
use crate::event_counters::{Counter, EventCounters, COUNTERS};
use crate::fcs_checker::with_fcs;
use crate::header_parser;
use crate::mac_table::{MacTable, Slot as MacSlot};
use crate::tables::{DataPlaneConfig, Delivery};
use crate::tm_table::from_tm;

/// The control protocol's EtherType.
pub const ETHERTYPE: u16 = 0x88B5;
/// Header bytes.
const HEADER: usize = 8;
/// Most items in a message.
const MAX_ITEMS: usize = 124;

/// Status codes of replies (`docs/PROTOCOL.md`).
pub mod status {
    pub const OK: u8 = 0;
    pub const BAD_VERSION: u8 = 1;
    pub const BAD_OP: u8 = 2;
    pub const BAD_LENGTH: u8 = 3;
    pub const NOT_PERMITTED: u8 = 4;
    pub const BAD_ADDRESS: u8 = 5;
    pub const TABLE_FULL: u8 = 6;
    pub const NOT_FOUND: u8 = 7;
}

/// Who may send control requests (the configuration's `[control]` section).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// Bit p: port p is a management port.
    pub management_ports: u8,
    /// Management VLAN ids (12 bits), accepted on the trunk port.
    pub management_vlans: Vec<u16>,
    /// MACs of the peer distributors allowed to mirror.
    pub peers: Vec<u64>,
}

/// The sender's classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Classes {
    management: bool,
    tm: bool,
    peer: bool,
}

/// What the control port does with a received frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Not a control frame: the data path takes it.
    NotControl,
    /// A control frame from a sender with no right to send any: dropped, no reply.
    Rejected,
    /// A reply (FCS included) to send out of the ingress port; `wrote` when the request
    /// changed the configuration (the classifier must be rebuilt).
    Reply { frame: Vec<u8>, wrote: bool },
}

/// The control port's state: its access rules and counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ControlPort {
    pub access: Access,
    /// Requests answered with status ok.
    pub accepted: u64,
    /// Control frames dropped without a reply (sender of no class, or a reply).
    pub rejected: u64,
    /// Requests answered with an error status.
    pub errors: u64,
}

/// The parts of a frame the control port looks at.
struct Parsed<'a> {
    dst: u64,
    src: u64,
    /// The VLAN tag (TPID 0x8100 or 0x88A8, TCI), if tagged.
    tag: Option<(u16, u16)>,
    /// After the EtherType, FCS excluded.
    payload: &'a [u8],
}

fn mac_at(f: &[u8], at: usize) -> u64 {
    f[at..at + 6].iter().fold(0u64, |v, &b| v << 8 | b as u64)
}

fn u16_at(f: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([f[at], f[at + 1]])
}

fn u32_at(f: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([f[at], f[at + 1], f[at + 2], f[at + 3]])
}

fn parse<'a>(frame: &'a [u8], cfg: &DataPlaneConfig) -> Option<Parsed<'a>> {
    // what the data path's parser and decision call a control frame (`decision::is_control`)
    let h = header_parser::parse(frame, &cfg.hash);
    if !is_control(&h, cfg.group_mac) {
        return None;
    }
    let body = &frame[..frame.len() - 4];
    let (tag, et_at) = if h.vlan_count == 1 {
        (Some((u16_at(body, 12), u16_at(body, 14))), 16)
    } else {
        (None, 12)
    };
    Some(Parsed {
        dst: mac_at(body, 0),
        src: mac_at(body, 6),
        tag,
        payload: &body[et_at + 2..],
    })
}

/// A key item (16 bytes): the key, as the table keeps it (canonical: either direction of a
/// connection names the same entry, as the data path looks it up), and its TM byte.
fn key_at(b: &[u8]) -> (ConnKey, u8) {
    (
        ConnKey {
            src_ip: u32_at(b, 0),
            dst_ip: u32_at(b, 4),
            src_port: u16_at(b, 8),
            dst_port: u16_at(b, 10),
            proto: b[12],
            vlan: u16_at(b, 14) & 0xFFF,
        }
        .canonical(),
        b[13],
    )
}

/// Word `w` of a MAC table slot as op 0x04 reads it: 0 the MAC; 1 VLAN id 11..0, port 12,
/// epochs since last heard 23..16, bit 31 (live). A slot with no live station reads 0.
pub fn station_word(slot: &MacSlot, w: u32, t: &MacTable) -> u64 {
    if !slot.live(t.now, t.timeout) {
        0
    } else if w == 0 {
        slot.mac & 0xFFFF_FFFF_FFFF
    } else {
        1 << 31
            | u64::from(t.now.wrapping_sub(slot.seen)) << 16
            | u64::from(slot.port & 1) << 12
            | u64::from(slot.vlan & 0xFFF)
    }
}

/// Item size of an operation code, `None` for codes that are no operation.
fn item_len(op: u8) -> Option<usize> {
    match op {
        0x01..=0x04 => Some(12),
        0x10..=0x13 => Some(16),
        0x14 => Some(32),
        _ => None,
    }
}

impl ControlPort {
    pub fn new(access: Access) -> Self {
        ControlPort {
            access,
            ..Default::default()
        }
    }

    /// The sender's classes (a TM on a management port is both).
    fn classes(&self, p: &Parsed, ingress: u8, cfg: &DataPlaneConfig) -> Classes {
        let ingress = ingress & 1;
        let mgmt_port = self.access.management_ports >> ingress & 1 == 1;
        let vlan = p.tag.map(|(_, t)| t & 0xFFF);
        let on_trunk = ingress == cfg.trunk_port & 1;
        Classes {
            management: mgmt_port
                || (on_trunk && vlan.is_some_and(|v| self.access.management_vlans.contains(&v))),
            tm: self.tm_of(p, ingress, cfg).is_some(),
            peer: on_trunk
                && self
                    .access
                    .peers
                    .iter()
                    .any(|&m| m & 0xFFFF_FFFF_FFFF == p.src),
        }
    }

    /// The TM the frame comes from: its MAC, on its port or VLAN.
    fn tm_of(&self, p: &Parsed, ingress: u8, cfg: &DataPlaneConfig) -> Option<u8> {
        let vlan = p.tag.map(|(_, t)| t & 0xFFF);
        cfg.tms
            .iter()
            .take(16)
            .enumerate()
            .find_map(|(i, t)| {
                let here = match t.delivery {
                    Delivery::Port(q) => ingress == q & 1,
                    Delivery::Vlan(v) => ingress == cfg.trunk_port & 1 && vlan == Some(v & 0xFFF),
                    Delivery::Mac | Delivery::IpInIp(_) => ingress == cfg.trunk_port & 1,
                };
                (t.mac & 0xFFFF_FFFF_FFFF == p.src && here).then_some(i as u8)
            })
            // and the decision's "from a TM" test (R3 step 1) agrees
            .filter(|_| from_tm(&cfg.tms, p.src, vlan, ingress, cfg.trunk_port).is_some())
    }

    /// What to do with `frame` (FCS included) received on `ingress`, given the device's
    /// state; an accepted request is carried out on `cfg` and `conn` (`stations`, the
    /// bridge's table, is only read).
    pub fn handle(
        &mut self,
        frame: &[u8],
        ingress: u8,
        cfg: &mut DataPlaneConfig,
        counters: &mut EventCounters,
        conn: &mut ConnTable,
        stations: &MacTable,
    ) -> Verdict {
        let Some(p) = parse(frame, cfg) else {
            return Verdict::NotControl;
        };
        let class = self.classes(&p, ingress, cfg);
        let b = p.payload;
        if !(class.management || class.tm || class.peer) || (b.len() >= 2 && b[1] & 0x80 != 0) {
            self.rejected += 1;
            counters.control(Counter::ControlRejected);
            return Verdict::Rejected;
        }
        let (op, seq) = match b.len() {
            0 | 1 => (0, 0),
            2 | 3 => (b[1], 0),
            _ => (b[1], u16_at(b, 2)),
        };
        let mut wrote = false;
        let (status, items) = if b.len() < HEADER {
            (status::BAD_LENGTH, Vec::new())
        } else if b[0] != 1 {
            (status::BAD_VERSION, Vec::new())
        } else if let Some(len) = item_len(op) {
            let n = usize::from(b[5]);
            if n > MAX_ITEMS || b.len() < HEADER + n * len {
                (status::BAD_LENGTH, Vec::new())
            } else {
                let allowed = match op {
                    0x01..=0x04 => class.management,
                    0x12 => class.peer,
                    _ => class.tm,
                };
                if !allowed {
                    (status::NOT_PERMITTED, Vec::new())
                } else {
                    let items = &b[HEADER..HEADER + n * len];
                    self.run(op, items, len, cfg, counters, conn, stations, &mut wrote)
                }
            }
        } else {
            (status::BAD_OP, Vec::new())
        };
        if status == status::OK {
            self.accepted += 1;
            counters.control(Counter::ControlAccepted);
        } else {
            self.errors += 1;
            counters.control(Counter::ControlErrors);
        }
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(&p.src.to_be_bytes()[2..]);
        out.extend_from_slice(&p.dst.to_be_bytes()[2..]);
        if let Some((tpid, tci)) = p.tag {
            out.extend_from_slice(&tpid.to_be_bytes());
            out.extend_from_slice(&tci.to_be_bytes());
        }
        out.extend_from_slice(&ETHERTYPE.to_be_bytes());
        let count = items.len() / item_len(op).unwrap_or(1).max(1);
        out.extend_from_slice(&[1, op | 0x80]);
        out.extend_from_slice(&seq.to_be_bytes());
        out.extend_from_slice(&[status, count as u8, 0, 0]);
        out.extend_from_slice(&items);
        if out.len() < 60 {
            out.resize(60, 0);
        }
        Verdict::Reply {
            frame: with_fcs(&out),
            wrote,
        }
    }

    /// Carries out the items of an operation: the status and the reply's items.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        op: u8,
        items: &[u8],
        len: usize,
        cfg: &mut DataPlaneConfig,
        counters: &mut EventCounters,
        conn: &mut ConnTable,
        stations: &MacTable,
        wrote: &mut bool,
    ) -> (u8, Vec<u8>) {
        if op == 0x13 {
            return (status::BAD_OP, Vec::new());
        }
        let mut out = Vec::with_capacity(items.len());
        for it in items.chunks_exact(len) {
            let start = out.len();
            out.extend_from_slice(it);
            let s = match op {
                0x01..=0x04 => {
                    let addr = u32_at(it, 0);
                    let value = u64::from_be_bytes(it[4..12].try_into().unwrap_or([0; 8]));
                    let r = match op {
                        0x03 => (addr < COUNTERS as u32).then(|| counters.read(addr as usize)),
                        0x04 => stations
                            .slots
                            .get(addr as usize / 2)
                            .map(|slot| station_word(slot, addr & 1, stations)),
                        _ => u16::try_from(addr).ok().and_then(|a| {
                            if op == 0x02 {
                                let v = u32::try_from(value).ok()?;
                                cfg.apply_bus_write(a, v).ok()?;
                                *wrote = true;
                            }
                            cfg.read_bus(a).ok().map(u64::from)
                        }),
                    };
                    match r {
                        Some(v) => {
                            out[start + 4..start + 12].copy_from_slice(&v.to_be_bytes());
                            status::OK
                        }
                        None => status::BAD_ADDRESS,
                    }
                }
                0x10 | 0x12 => {
                    let (k, tm) = key_at(it);
                    if usize::from(tm) >= cfg.tms.len().min(16) {
                        status::BAD_ADDRESS
                    } else {
                        let o = conn.insert(&k, tm);
                        counters.table_outcome(Source::Control, o);
                        if o == Outcome::Full {
                            status::TABLE_FULL
                        } else {
                            status::OK
                        }
                    }
                }
                0x11 => {
                    let o = conn.delete(&key_at(it).0);
                    counters.table_outcome(Source::Control, o);
                    match o {
                        Outcome::Deleted => status::OK,
                        _ => status::NOT_FOUND,
                    }
                }
                _ => {
                    // relate: the second key gets the first key's TM
                    let (first, _) = key_at(&it[..16]);
                    let (second, _) = key_at(&it[16..]);
                    let o = conn.lookup(&first);
                    counters.table_outcome(Source::Control, o);
                    match o {
                        Outcome::Hit(tm) => {
                            let o = conn.insert(&second, tm);
                            counters.table_outcome(Source::Control, o);
                            if o == Outcome::Full {
                                status::TABLE_FULL
                            } else {
                                out[start + 29] = tm;
                                status::OK
                            }
                        }
                        _ => status::NOT_FOUND,
                    }
                }
            };
            if s != status::OK {
                return (s, out);
            }
        }
        (status::OK, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cfg() -> DataPlaneConfig {
        let mut c = DataPlaneConfig::blank(8);
        c.group_mac = 0x0200_0000_0505;
        c.tms.push(crate::tables::TmEntry {
            up: true,
            mac: 0x0200_0000_0420,
            delivery: Delivery::Vlan(420),
        });
        c
    }

    fn request(src: u64, tci: Option<u16>, payload: &[u8]) -> Vec<u8> {
        let mut f = 0x0200_0000_0505u64.to_be_bytes()[2..].to_vec();
        f.extend_from_slice(&src.to_be_bytes()[2..]);
        if let Some(t) = tci {
            f.extend_from_slice(&[0x81, 0]);
            f.extend_from_slice(&t.to_be_bytes());
        }
        f.extend_from_slice(&[0x88, 0xB5]);
        f.extend_from_slice(payload);
        f.resize(f.len().max(60), 0);
        with_fcs(&f)
    }

    #[test]
    fn management_port_reads_a_register() {
        let mut port = ControlPort::new(Access {
            management_ports: 2,
            ..Default::default()
        });
        let (mut c, mut e, mut t) = (cfg(), EventCounters::default(), ConnTable::new(8, 10));
        let f = request(
            0x0200_0000_0e0e,
            None,
            &[
                1, 1, 0, 9, 0, 1, 0, 0, 0, 0, 0x30, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
            ],
        );
        let Verdict::Reply { frame, wrote } =
            port.handle(&f, 1, &mut c, &mut e, &mut t, &MacTable::new(4, 8))
        else {
            panic!("no reply");
        };
        assert!(!wrote);
        assert_eq!(frame.len(), 64);
        assert_eq!(frame[0..6], [2, 0, 0, 0, 0x0e, 0x0e]);
        assert_eq!(frame[6..12], [2, 0, 0, 0, 5, 5]);
        assert_eq!(frame[14..22], [1, 0x81, 0, 9, 0, 1, 0, 0]);
        assert_eq!(frame[26..34], [0, 0, 0, 0, 0, 0, 0x05, 0x05]);
        assert_eq!((port.accepted, port.rejected, port.errors), (1, 0, 0));
        // the same from port 0: dropped
        assert_eq!(
            port.handle(&f, 0, &mut c, &mut e, &mut t, &MacTable::new(4, 8)),
            Verdict::Rejected
        );
        assert_eq!(port.rejected, 1);
    }

    #[test]
    fn management_reads_the_stations() {
        let mut port = ControlPort::new(Access {
            management_ports: 2,
            ..Default::default()
        });
        let (mut c, mut e, mut t) = (cfg(), EventCounters::default(), ConnTable::new(8, 10));
        let mut m = MacTable::new(4, 8);
        m.learn(0x0200_0000_0a0b, 7, 1);
        m.tick();
        m.tick();
        let s = m.slots.iter().position(|x| x.valid).expect("learned") as u8;
        // words 2s, 2s + 1 of the learned slot, then one past the table (16 slots: 32)
        let mut p = vec![1, 0x04, 0, 3, 0, 3, 0, 0];
        for a in [2 * s, 2 * s + 1, 32] {
            p.extend_from_slice(&[0, 0, 0, a, 0, 0, 0, 0, 0, 0, 0, 0]);
        }
        let f = request(0x0200_0000_0e0e, None, &p);
        let Verdict::Reply { frame, .. } = port.handle(&f, 1, &mut c, &mut e, &mut t, &m) else {
            panic!("no reply");
        };
        // status bad_address at the third item, which is echoed
        assert_eq!(frame[14..22], [1, 0x84, 0, 3, 5, 3, 0, 0]);
        assert_eq!(frame[26..34], [0, 0, 0x02, 0, 0, 0, 0x0a, 0x0b]);
        // live, age 2, port 1, VLAN 7
        assert_eq!(frame[38..46], [0, 0, 0, 0, 0x80, 0x02, 0x10, 0x07]);
        // after the timeout the slot reads 0
        for _ in 0..6 {
            m.tick();
        }
        let Verdict::Reply { frame, .. } = port.handle(&f, 1, &mut c, &mut e, &mut t, &m) else {
            panic!("no reply");
        };
        assert_eq!(frame[26..34], [0; 8]);
        assert_eq!(frame[38..46], [0; 8]);
    }

    proptest! {
        /// Random bytes after a control header, from anyone on any port: no panic, and from
        /// the network port (no management port) never a reply.
        #[test]
        fn random_frames(body in proptest::collection::vec(any::<u8>(), 0..200),
                         ingress in 0u8..2, tagged in any::<bool>(), tm_mac in any::<bool>()) {
            let mut port = ControlPort::new(Access {
                management_ports: 2,
                management_vlans: vec![99],
                peers: vec![0x0200_0000_0909],
            });
            let (mut c, mut e, mut t) = (cfg(), EventCounters::default(), ConnTable::new(8, 10));
            let src = if tm_mac { 0x0200_0000_0420 } else { 0x0200_0000_0909 };
            let f = request(src, tagged.then_some(420), &body);
            let v = port.handle(&f, ingress, &mut c, &mut e, &mut t, &MacTable::new(4, 8));
            if ingress == 0 {
                prop_assert_eq!(v, Verdict::Rejected);
            }
            // raw random frames too
            let _ = port.handle(&body, ingress, &mut c, &mut e, &mut t, &MacTable::new(4, 8));
        }
    }
}
