//! The connection table shared by both ingress ports (twin of `hdl::conn_arbiter`): what
//! each frame's decision does with the table, replayed in a given order of operations.
//!
//! Each port's decisions use the table in its own frame order: a lookup for every frame that
//! has a key ([`ConnKey::of`]), then, when the hash delivered the frame to a TM and the table
//! did not hold it ([`with_conn`]), a learn. How the two ports' operations interleave depends
//! on when their frames arrive, down to the cycle, and on the hardware's arbitration, which
//! the specification leaves open; so the order is an input here (the hardware reports every
//! operation it finishes, `SwitchCore::ct_op_*`), and everything each operation does (hit or
//! miss, the TM, the slot an insert takes, the decision, the learn) is the model's own and is
//! checked against what the hardware reported.
use crate::classifier::Classifier;
use crate::conn_table::{ConnKey, ConnTable, Outcome};
use crate::decision::{with_conn, Decision, Learn};
use crate::event_counters::EventCounters;
use crate::tables::DataPlaneConfig;
use std::collections::VecDeque;

/// The connection table's registers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConnSettings {
    /// Decisions look their key up (a hit overrides FIG. 9).
    pub enable: bool,
    /// A frame the hash delivered to a TM learns its key for that TM.
    pub learn: bool,
    /// Entries live this many epochs after they were last seen.
    pub timeout: u8,
    /// Core cycles per epoch (0: time stands still).
    pub epoch_cycles: u32,
}

impl ConnSettings {
    /// What a board runs with unless configured otherwise: lookups and learning on, one
    /// epoch a second at 125 MHz, entries idle for two minutes expire.
    pub fn board() -> Self {
        ConnSettings {
            enable: true,
            learn: true,
            timeout: 120,
            epoch_cycles: 125_000_000,
        }
    }
}

/// Who asked for an operation (`SwitchCore::ct_op_src`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Lookup(u8),
    Learn(u8),
    Control,
}

impl Source {
    pub fn from_code(c: u8) -> Source {
        match c {
            0 | 1 => Source::Lookup(c),
            2 | 3 => Source::Learn(c - 2),
            _ => Source::Control,
        }
    }
}

/// Something the shared table did, in the order it did it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnEvent {
    /// An operation finished: who asked, its result code and TM (`ConnTable` outputs).
    Done { src: Source, result: u8, tm: u8 },
    /// The epoch advanced.
    Tick,
    /// Port p's learn was dropped: its previous one was still waiting.
    Skipped(u8),
}

/// Every frame's decision (`None` for malformed frames) when the table's operations happened
/// in the order of `events`, each checked against the result the hardware reported; `table`
/// is left as the model's table after them. Control operations in `events` must be reads
/// (they change nothing).
pub fn replay(
    frames: [&[Vec<u8>]; 2],
    cfg: &DataPlaneConfig,
    settings: &ConnSettings,
    table: &mut ConnTable,
    events: &[ConnEvent],
) -> Result<[Vec<Option<Decision>>; 2], String> {
    let mut scratch = EventCounters::default();
    replay_counting(frames, cfg, settings, table, events, &mut scratch)
}

/// [`replay`], also adding to `counts` what the counters count of the table's work (R13,
/// `EventCounters::table_outcome`, `learn_dropped`): each lookup and learn by the model's own
/// outcome, each learn dropped (the model's learn it drops). The frames' decisions (and with
/// them the decisions the table made) are counted with the frames
/// (`EventCounters::ingress_decided`); slot reads are not counted.
pub fn replay_counting(
    frames: [&[Vec<u8>]; 2],
    cfg: &DataPlaneConfig,
    settings: &ConnSettings,
    table: &mut ConnTable,
    events: &[ConnEvent],
    counts: &mut EventCounters,
) -> Result<[Vec<Option<Decision>>; 2], String> {
    let c = Classifier::new(cfg);
    let up = cfg.tm_up();
    let mut out: [Vec<Option<Decision>>; 2] = [Vec::new(), Vec::new()];
    let mut next = [0usize; 2];
    let mut learns: [VecDeque<(usize, ConnKey, Learn)>; 2] = [VecDeque::new(), VecDeque::new()];
    // decide frames of port p that need no table, up to the next one that does
    let advance = |p: usize, next: &mut [usize; 2], out: &mut [Vec<Option<Decision>>; 2]| {
        while let Some(f) = frames[p].get(next[p]) {
            let (h, d) = c.classify(f, p as u8);
            let key = ConnKey::of(&h, cfg.group_mac).filter(|_| settings.enable);
            match key {
                Some(k) => return Some((next[p], k, d)),
                None => {
                    out[p].push(d);
                    next[p] += 1;
                }
            }
        }
        None
    };
    for (n, e) in events.iter().enumerate() {
        match *e {
            ConnEvent::Tick => counts.expired(table.tick()),
            ConnEvent::Skipped(p) => {
                let p = p as usize & 1;
                if learns[p].pop_back().is_none() {
                    return Err(format!(
                        "event {n}: port {p} dropped a learn it never asked for"
                    ));
                }
                counts.learn_dropped(p as u8);
            }
            ConnEvent::Done { src, result, tm } => {
                let (want, what) = match src {
                    Source::Lookup(p) => {
                        let p = p as usize & 1;
                        let Some((i, key, d)) = advance(p, &mut next, &mut out) else {
                            return Err(format!(
                                "event {n}: port {p} looked up a key after its last frame"
                            ));
                        };
                        let o = table.lookup(&key);
                        let held = match o {
                            Outcome::Hit(t) => Some(t),
                            _ => None,
                        };
                        let (d, l) = match d {
                            Some(d) => {
                                let (d, l) = with_conn(d, held, up, settings.learn);
                                (Some(d), l)
                            }
                            None => (None, None),
                        };
                        if let Some(l) = l {
                            learns[p].push_back((i, key, l));
                        }
                        out[p].push(d);
                        next[p] += 1;
                        (o, format!("port {p} frame {i}: lookup of {key:?}"))
                    }
                    Source::Learn(p) => {
                        let p = p as usize & 1;
                        let Some((i, key, l)) = learns[p].pop_front() else {
                            return Err(format!(
                                "event {n}: port {p} learned a key no frame asked to learn"
                            ));
                        };
                        let o = l.apply(table, &key);
                        (
                            o,
                            format!("port {p} frame {i}: learn of {key:?} for TM {}", l.tm),
                        )
                    }
                    Source::Control => {
                        if result != 6 {
                            return Err(format!(
                                "event {n}: a control operation (result {result}) during \
                                 traffic: not replayed"
                            ));
                        }
                        continue;
                    }
                };
                counts.table_outcome(src, want);
                if want.code() != (result, tm) {
                    return Err(format!(
                        "event {n}, {what}: model {want:?}, hardware result {result} TM {tm}"
                    ));
                }
            }
        }
    }
    for p in 0..2 {
        if let Some((i, key, _)) = advance(p, &mut next, &mut out) {
            return Err(format!(
                "port {p} frame {i} needed a lookup of {key:?} the hardware did not make"
            ));
        }
        if let Some((i, key, l)) = learns[p].front() {
            return Err(format!(
                "port {p} frame {i}: learn of {key:?} for TM {} not made",
                l.tm
            ));
        }
    }
    Ok(out)
}
