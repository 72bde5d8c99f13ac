//! The MAC learning table shared by both ingress ports (twin of `hdl::mac_arbiter`): what
//! each frame's decision does with the table (R7), replayed in a given order of operations.
//!
//! Each port's decisions use the table in its own frame order ([`StationUse::of`]): every
//! frame decided learns its source when that is a unicast address other than 0, and a frame
//! not to the group MAC with a unicast destination looks that station up. A bridged frame
//! whose destination was heard on its own ingress port is filtered ([`filter`]). How the
//! two ports' operations interleave depends on when their frames arrive, down to the cycle,
//! and on the hardware's arbitration, so the order is an input here (the hardware reports
//! every operation it finishes, `SwitchCore::mt_op_*`); what each operation does (hit or
//! miss, the port, what a learn did, the decision) is the model's own and is checked against
//! what the hardware reported.
use crate::decision::{Decision, Kind};
use crate::header_parser::HeaderFields;
use crate::mac_table::{MacTable, LOOKUP_HIT, LOOKUP_MISS, SLOT_READ};
use std::collections::VecDeque;

/// The MAC table's registers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BridgeSettings {
    /// Learn sources and look bridged destinations up (off: every bridged frame goes out of
    /// the other port, as a hub would).
    pub learning: bool,
    /// Stations stay this many epochs after they were last heard.
    pub timeout: u8,
    /// Core cycles per epoch (0: time stands still).
    pub epoch_cycles: u32,
}

/// Epochs a station lives for ([`BridgeSettings::with_aging`]): the aging time is cut into
/// this many, so a station goes between 249/250 of it and all of it after it was last heard.
pub const AGING_EPOCHS: u8 = 250;

/// Core clock (the board's).
pub const CORE_HZ: u64 = 125_000_000;

/// The longest aging time the registers hold: 250 epochs of at most 2^32 - 1 cycles.
pub const MAX_AGING_S: u32 = ((u32::MAX as u64 * AGING_EPOCHS as u64) / CORE_HZ) as u32;

impl BridgeSettings {
    /// Learning on (or off), stations forgotten `aging_s` seconds (1..=[`MAX_AGING_S`]) after
    /// they were last heard, at the board's 125 MHz.
    pub fn with_aging(learning: bool, aging_s: u32) -> Self {
        let aging_s = aging_s.clamp(1, MAX_AGING_S);
        BridgeSettings {
            learning,
            timeout: AGING_EPOCHS,
            epoch_cycles: (aging_s as u64 * CORE_HZ / AGING_EPOCHS as u64) as u32,
        }
    }

    /// What a board runs with unless configured otherwise: learning on, 300 s aging (IEEE
    /// 802.1D's default).
    pub fn board() -> Self {
        Self::with_aging(true, 300)
    }
}

/// A station: MAC (48 bits) and VLAN id (the outer tag's, 0 untagged).
pub type Station = (u64, u16);

/// What one decided frame asks of the table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StationUse {
    /// Where is the destination? (frames not to the group MAC, unicast destination)
    pub lookup: Option<Station>,
    /// The source was heard here (unicast, not 0).
    pub learn: Option<Station>,
}

impl StationUse {
    /// For a well-formed frame (one that is decided), with learning on; nothing otherwise.
    pub fn of(h: &HeaderFields, group_mac: u64, settings: &BridgeSettings) -> StationUse {
        if !settings.learning || h.malformed() {
            return StationUse::default();
        }
        let vlan = if h.vlan_count > 0 { h.vlan0 & 0xFFF } else { 0 };
        let unicast = |m: u64| (m >> 40) & 1 == 0;
        let (dst, src) = (h.dst_mac & 0xFFFF_FFFF_FFFF, h.src_mac & 0xFFFF_FFFF_FFFF);
        StationUse {
            lookup: (dst != group_mac & 0xFFFF_FFFF_FFFF && unicast(dst)).then_some((dst, vlan)),
            learn: (src != 0 && unicast(src)).then_some((src, vlan)),
        }
    }
}

/// The decision once the destination's lookup answered (`held`: the port it was heard on):
/// a `Bridge` to a station heard on its own ingress port is filtered.
pub fn filter(d: Decision, held: Option<u8>, ingress: u8) -> Decision {
    Decision {
        filtered: d.kind == Kind::Bridge && held == Some(ingress & 1),
        ..d
    }
}

/// One frame at a time, as the hardware treats a frame whose table operations are not
/// interleaved with another port's (the software distributor): the destination looked up,
/// then the source learned, then the decision filtered.
pub fn with_stations(
    h: &HeaderFields,
    d: Decision,
    ingress: u8,
    group_mac: u64,
    table: &mut MacTable,
    settings: &BridgeSettings,
) -> Decision {
    let u = StationUse::of(h, group_mac, settings);
    let held = u.lookup.and_then(|(m, v)| table.lookup(m, v));
    if let Some((m, v)) = u.learn {
        table.learn(m, v, ingress & 1);
    }
    filter(d, held, ingress)
}

/// Who asked for an operation (`SwitchCore::mt_op_src`: bit 0 the port, bit 1 a learn, bit
/// 2 control).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacSource {
    Lookup(u8),
    Learn(u8),
    Control,
}

impl MacSource {
    pub fn from_code(c: u8) -> MacSource {
        match c {
            0 | 1 => MacSource::Lookup(c),
            2 | 3 => MacSource::Learn(c - 2),
            _ => MacSource::Control,
        }
    }
}

/// Something the shared table did, in the order it did it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacEvent {
    /// An operation finished: who asked, its result code and the port a lookup found.
    Done {
        src: MacSource,
        result: u8,
        port: u8,
    },
    /// The epoch advanced.
    Tick,
    /// Port p's learn was dropped: its previous one was still waiting.
    Skipped(u8),
}

/// The frames' decisions (`decisions[p][i]`, `None` for malformed frames, made without the
/// MAC table: `classify`, or the connection table's replay) filtered by the MAC table when
/// its operations happened in the order of `events`, each checked against the result the
/// hardware reported; `table` is left as the model's table after them. Control operations in `events` must be slot reads.
pub fn replay(
    frames: [&[HeaderFields]; 2],
    group_mac: u64,
    settings: &BridgeSettings,
    table: &mut MacTable,
    events: &[MacEvent],
    decisions: &mut [Vec<Option<Decision>>; 2],
) -> Result<(), String> {
    // each port's lookups and learns in frame order: (frame, station)
    let mut lookups: [VecDeque<(usize, Station)>; 2] = [VecDeque::new(), VecDeque::new()];
    let mut learns: [VecDeque<(usize, Station)>; 2] = [VecDeque::new(), VecDeque::new()];
    for p in 0..2 {
        for (i, h) in frames[p].iter().enumerate() {
            if decisions[p].get(i).copied().flatten().is_none() {
                continue;
            }
            let u = StationUse::of(h, group_mac, settings);
            if let Some(s) = u.lookup {
                lookups[p].push_back((i, s));
            }
            if let Some(s) = u.learn {
                learns[p].push_back((i, s));
            }
        }
    }
    for (n, e) in events.iter().enumerate() {
        match *e {
            MacEvent::Tick => table.tick(),
            MacEvent::Skipped(p) => {
                // the port's previous learn waits (the queue's front: one waits at most),
                // the one after it is dropped
                let p = p as usize & 1;
                if learns[p].remove(1).is_none() {
                    return Err(format!(
                        "event {n}: port {p} dropped a learn it never asked for"
                    ));
                }
            }
            MacEvent::Done { src, result, port } => match src {
                MacSource::Lookup(p) => {
                    let p = p as usize & 1;
                    let Some((i, (mac, vlan))) = lookups[p].pop_front() else {
                        return Err(format!(
                            "event {n}: port {p} looked up a station no frame has"
                        ));
                    };
                    let held = table.lookup(mac, vlan);
                    let want = match held {
                        Some(q) => (LOOKUP_HIT, q),
                        None => (LOOKUP_MISS, 0),
                    };
                    if want != (result, port) {
                        return Err(format!(
                            "event {n}, port {p} frame {i}: lookup of {mac:012x} VLAN {vlan}: \
                             model {held:?}, hardware result {result} port {port}"
                        ));
                    }
                    if let Some(d) = decisions[p][i] {
                        decisions[p][i] = Some(filter(d, held, p as u8));
                    }
                }
                MacSource::Learn(p) => {
                    let Some((i, (mac, vlan))) = learns[p as usize & 1].pop_front() else {
                        return Err(format!(
                            "event {n}: port {p} learned a station no frame has"
                        ));
                    };
                    let l = table.learn(mac, vlan, p & 1);
                    if l.code() != result {
                        return Err(format!(
                            "event {n}, port {p} frame {i}: learn of {mac:012x} VLAN {vlan}: \
                             model {l:?}, hardware result {result}"
                        ));
                    }
                }
                MacSource::Control => {
                    if result != SLOT_READ {
                        return Err(format!(
                            "event {n}: a control operation (result {result}) during traffic: \
                             not replayed"
                        ));
                    }
                }
            },
        }
    }
    for p in 0..2 {
        if let Some((i, s)) = lookups[p].front() {
            return Err(format!("port {p} frame {i}: lookup of {s:x?} not made"));
        }
        if let Some((i, s)) = learns[p].front() {
            return Err(format!("port {p} frame {i}: learn of {s:x?} not made"));
        }
    }
    Ok(())
}

/// The filtered frames among decisions, per port (the counters count them with the frames:
/// `EventCounters::ingress_decided`).
pub fn filtered(decisions: &[Vec<Option<Decision>>; 2]) -> [usize; 2] {
    [0, 1].map(|p| decisions[p].iter().flatten().filter(|d| d.filtered).count())
}
