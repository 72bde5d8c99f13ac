//! The data path's counters (R13; twin of `hdl::event_counters`): 36 bits, wrapping; 32 per
//! port at addresses 0..63 (address = 32 × port + index), then the connection table's at
//! 64.. (the rest spare). What each counts, and where it sits, is
//! [`Counter`]; [`EventCounters`] is what they hold after a stream of events.
use crate::classifier::classify;
use crate::conn_arbiter::Source;
use crate::conn_table::Outcome;
use crate::decision::Kind;
use crate::tables::DataPlaneConfig;

/// Counters per port.
pub const PER_PORT: usize = 32;
/// Where the connection table's counters start (after both ports' blocks).
pub const TABLE_BASE: usize = 2 * PER_PORT;
/// Counters in all (addresses 0..128; `SwitchCore::ctr_addr` has 7 bits).
pub const COUNTERS: usize = 128;
/// Counter width: values wrap at 2^36.
pub const BITS: u32 = 36;

/// One port's counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    /// Frames received (every frame that ends, good or not).
    RxFrames,
    /// Bytes of those frames, FCS included, preamble not.
    RxBytes,
    /// Frames sent.
    TxFrames,
    /// Bytes sent, FCS included, preamble and delimiter not.
    TxBytes,
    /// Frames the parser flagged malformed (dropped).
    Malformed,
    /// Frames not admitted to the ingress buffer (overload, dropped whole).
    Overrun,
    /// Frames dropped at this port's egress queue (full), by the ingress port they came from.
    EgressFull(u8),
    /// Decisions of this kind (`decision::Kind` code 0..7) for frames received here.
    Kind(u8),
    /// Decisions "to TM t" for frames received here.
    ToTm(u8),
    // ---- the connection table's (R9), at TABLE_BASE.. (`index` is the address) ----
    /// Lookups that hit (both ports).
    LookupHit,
    /// Lookups that missed.
    LookupMiss,
    /// Learns that inserted their key.
    LearnInserted,
    /// Learns that found their key live: kept and refreshed (result "hit").
    LearnKept,
    /// Learns that replaced their key's entry (updated: its TM was down).
    LearnUpdated,
    /// Learns that failed: both buckets full.
    LearnFull,
    /// Learns dropped: the port's previous learn was still waiting (both ports).
    LearnDropped,
    /// Control inserts done (inserted or updated).
    CtlInserted,
    /// Control deletes done.
    CtlDeleted,
    /// Control operations that failed: insert into a full table, delete (or lookup) of a key
    /// not there.
    CtlFailed,
    /// Decisions the table made (a hit for a TM that is up) for frames received on port p.
    ConnDecided(u8),
    /// Control port (R10): requests answered with status ok.
    ControlAccepted,
    /// Control port: frames dropped without a reply (a sender of no class, a reply, or the
    /// hardware's control port busy with another request).
    ControlRejected,
    /// Control port: requests answered with an error status.
    ControlErrors,
    /// Entries emptied because they had expired (the sweep after each epoch tick).
    ConnExpired,
    /// Router (R8): frames received on port p forwarded by a route (TTL decremented).
    Routed(u8),
    /// Router: frames received on port p that a route matched with TTL 0 or 1 (dropped).
    TtlExpired(u8),
    /// Bridge (R7): frames received on port p filtered: their destination was heard on p.
    Filtered(u8),
}

/// The first spare address (up to [`COUNTERS`]: read 0).
pub const SPARE: usize = TABLE_BASE + 22;

impl Counter {
    /// Index within the port's block.
    pub fn index(self) -> usize {
        match self {
            Counter::RxFrames => 0,
            Counter::RxBytes => 1,
            Counter::TxFrames => 2,
            Counter::TxBytes => 3,
            Counter::Malformed => 4,
            Counter::Overrun => 5,
            Counter::EgressFull(s) => 6 + usize::from(s & 1),
            Counter::Kind(k) => 8 + usize::from(k & 7),
            Counter::ToTm(t) => 16 + usize::from(t & 15),
            Counter::LookupHit => TABLE_BASE,
            Counter::LookupMiss => TABLE_BASE + 1,
            Counter::LearnInserted => TABLE_BASE + 2,
            Counter::LearnKept => TABLE_BASE + 3,
            Counter::LearnUpdated => TABLE_BASE + 4,
            Counter::LearnFull => TABLE_BASE + 5,
            Counter::LearnDropped => TABLE_BASE + 6,
            Counter::CtlInserted => TABLE_BASE + 7,
            Counter::CtlDeleted => TABLE_BASE + 8,
            Counter::CtlFailed => TABLE_BASE + 9,
            Counter::ConnDecided(p) => TABLE_BASE + 10 + usize::from(p & 1),
            Counter::ControlAccepted => TABLE_BASE + 12,
            Counter::ControlRejected => TABLE_BASE + 13,
            Counter::ControlErrors => TABLE_BASE + 14,
            Counter::ConnExpired => TABLE_BASE + 15,
            Counter::Routed(p) => TABLE_BASE + 16 + usize::from(p & 1),
            Counter::TtlExpired(p) => TABLE_BASE + 18 + usize::from(p & 1),
            Counter::Filtered(p) => TABLE_BASE + 20 + usize::from(p & 1),
        }
    }

    /// One of the counters at [`TABLE_BASE`].. (not per port: `index` is its address).
    pub fn is_global(self) -> bool {
        self.index() >= TABLE_BASE
    }

    /// The counter at this index of a port's block (every index 0..32 is one), or at this
    /// address from [`TABLE_BASE`] (up to [`SPARE`]); `None` elsewhere.
    pub fn at(index: usize) -> Option<Counter> {
        Some(match index {
            0 => Counter::RxFrames,
            1 => Counter::RxBytes,
            2 => Counter::TxFrames,
            3 => Counter::TxBytes,
            4 => Counter::Malformed,
            5 => Counter::Overrun,
            6 | 7 => Counter::EgressFull(index as u8 - 6),
            8..=15 => Counter::Kind(index as u8 - 8),
            16..=31 => Counter::ToTm(index as u8 - 16),
            a if a == Counter::LookupHit.index() => Counter::LookupHit,
            a if a == Counter::LookupMiss.index() => Counter::LookupMiss,
            a if a == Counter::LearnInserted.index() => Counter::LearnInserted,
            a if a == Counter::LearnKept.index() => Counter::LearnKept,
            a if a == Counter::LearnUpdated.index() => Counter::LearnUpdated,
            a if a == Counter::LearnFull.index() => Counter::LearnFull,
            a if a == Counter::LearnDropped.index() => Counter::LearnDropped,
            a if a == Counter::CtlInserted.index() => Counter::CtlInserted,
            a if a == Counter::CtlDeleted.index() => Counter::CtlDeleted,
            a if a == Counter::CtlFailed.index() => Counter::CtlFailed,
            a if a == Counter::ConnDecided(0).index() => Counter::ConnDecided(0),
            a if a == Counter::ConnDecided(1).index() => Counter::ConnDecided(1),
            a if a == Counter::ControlAccepted.index() => Counter::ControlAccepted,
            a if a == Counter::ControlRejected.index() => Counter::ControlRejected,
            a if a == Counter::ControlErrors.index() => Counter::ControlErrors,
            a if a == Counter::ConnExpired.index() => Counter::ConnExpired,
            80 | 81 => Counter::Routed(index as u8 - 80),
            82 | 83 => Counter::TtlExpired(index as u8 - 82),
            84 | 85 => Counter::Filtered(index as u8 - 84),
            _ => return None,
        })
    }

    /// A name for reports: `rx_frames`, `egress_full_from_1`, `kind_to_tm`, `to_tm_3`, ...
    pub fn name(self) -> String {
        match self {
            Counter::RxFrames => "rx_frames".into(),
            Counter::RxBytes => "rx_bytes".into(),
            Counter::TxFrames => "tx_frames".into(),
            Counter::TxBytes => "tx_bytes".into(),
            Counter::Malformed => "malformed".into(),
            Counter::Overrun => "overrun".into(),
            Counter::EgressFull(s) => format!("egress_full_from_{s}"),
            Counter::Kind(k) => match Kind::from_code(k) {
                Some(kind) => format!("kind_{}", kind.name()),
                None => format!("kind_{k}"),
            },
            Counter::ToTm(t) => format!("to_tm_{t}"),
            Counter::LookupHit => "conn_lookup_hit".into(),
            Counter::LookupMiss => "conn_lookup_miss".into(),
            Counter::LearnInserted => "conn_learn_inserted".into(),
            Counter::LearnKept => "conn_learn_kept".into(),
            Counter::LearnUpdated => "conn_learn_updated".into(),
            Counter::LearnFull => "conn_learn_full".into(),
            Counter::LearnDropped => "conn_learn_dropped".into(),
            Counter::CtlInserted => "conn_ctl_inserted".into(),
            Counter::CtlDeleted => "conn_ctl_deleted".into(),
            Counter::CtlFailed => "conn_ctl_failed".into(),
            Counter::ConnDecided(p) => format!("conn_decided_port{p}"),
            Counter::ControlAccepted => "control_accepted".into(),
            Counter::ControlRejected => "control_rejected".into(),
            Counter::ControlErrors => "control_errors".into(),
            Counter::ConnExpired => "conn_expired".into(),
            Counter::Routed(p) => format!("routed_port{p}"),
            Counter::TtlExpired(p) => format!("ttl_expired_port{p}"),
            Counter::Filtered(p) => format!("filtered_port{p}"),
        }
    }

    /// The counter of a connection-table operation that finished: who asked, its result code
    /// (`ConnTable::result`: 0 miss, 1 hit, 2 inserted, 3 updated, 4 full, 5 deleted, 6 slot
    /// read). `None`: not counted (slot reads, control lookups that hit, control learns that
    /// kept their entry, results a source cannot have).
    pub fn of_table_op(src: Source, result: u8) -> Option<Counter> {
        match (src, result) {
            (Source::Lookup(_), 1) => Some(Counter::LookupHit),
            (Source::Lookup(_), 0) => Some(Counter::LookupMiss),
            (Source::Learn(_), 2) => Some(Counter::LearnInserted),
            (Source::Learn(_), 1) => Some(Counter::LearnKept),
            (Source::Learn(_), 3) => Some(Counter::LearnUpdated),
            (Source::Learn(_), 4) => Some(Counter::LearnFull),
            (Source::Control, 2 | 3) => Some(Counter::CtlInserted),
            (Source::Control, 5) => Some(Counter::CtlDeleted),
            (Source::Control, 0 | 4) => Some(Counter::CtlFailed),
            _ => None,
        }
    }
}

/// Address of a port's counter (a global counter's own, whatever `port`).
pub fn address(port: u8, c: Counter) -> usize {
    if c.is_global() {
        c.index()
    } else {
        usize::from(port & 1) * PER_PORT + c.index()
    }
}

/// The counter at an address, with its port when it is one of a port's.
pub fn counter_at(addr: usize) -> Option<(Option<u8>, Counter)> {
    if addr < TABLE_BASE {
        Counter::at(addr % PER_PORT).map(|c| (Some((addr / PER_PORT) as u8), c))
    } else {
        Counter::at(addr).map(|c| (None, c))
    }
}

/// A counter's name for reports: `port 0 rx_frames`, `conn_lookup_hit`, `spare_100`.
pub fn describe(addr: usize) -> String {
    match counter_at(addr) {
        Some((Some(p), c)) => format!("port {p} {}", c.name()),
        Some((None, c)) => c.name(),
        None => format!("spare_{addr}"),
    }
}

/// The counters' values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventCounters {
    counts: [u64; COUNTERS],
}

impl Default for EventCounters {
    fn default() -> Self {
        Self {
            counts: [0; COUNTERS],
        }
    }
}

impl EventCounters {
    fn add(&mut self, port: u8, c: Counter, n: u64) {
        let v = &mut self.counts[address(port, c)];
        *v = (*v + n) & ((1 << BITS) - 1);
    }

    /// A frame of `len` bytes (FCS included) ended on `port`'s receive side.
    pub fn received(&mut self, port: u8, len: usize) {
        self.add(port, Counter::RxFrames, 1);
        self.add(port, Counter::RxBytes, len as u64);
    }

    /// A frame of `len` bytes (FCS included) went out on `port`.
    pub fn sent(&mut self, port: u8, len: usize) {
        self.add(port, Counter::TxFrames, 1);
        self.add(port, Counter::TxBytes, len as u64);
    }

    pub fn malformed(&mut self, port: u8) {
        self.add(port, Counter::Malformed, 1);
    }

    pub fn overrun(&mut self, port: u8) {
        self.add(port, Counter::Overrun, 1);
    }

    /// A frame from ingress `from` found egress `port`'s queue full.
    pub fn egress_full(&mut self, port: u8, from: u8) {
        self.add(port, Counter::EgressFull(from), 1);
    }

    /// A decision for a frame received on `port`.
    pub fn decided(&mut self, port: u8, kind: Kind, tm: u8) {
        self.add(port, Counter::Kind(kind as u8), 1);
        if kind == Kind::ToTm {
            self.add(port, Counter::ToTm(tm), 1);
        }
    }

    /// A connection-table operation finished (`src` asked; `result` its code, see
    /// [`Counter::of_table_op`]).
    pub fn table_op(&mut self, src: Source, result: u8) {
        if let Some(c) = Counter::of_table_op(src, result) {
            self.add(0, c, 1);
        }
    }

    /// [`Self::table_op`] with the model table's outcome.
    pub fn table_outcome(&mut self, src: Source, o: Outcome) {
        self.table_op(src, o.code().0);
    }

    /// The control port (R10) answered a request ok ([`Counter::ControlAccepted`]), dropped a
    /// frame ([`Counter::ControlRejected`]) or answered with an error
    /// ([`Counter::ControlErrors`]).
    pub fn control(&mut self, c: Counter) {
        self.add(0, c, 1);
    }

    /// An epoch's sweep emptied `n` expired entries ([`Counter::ConnExpired`]).
    pub fn expired(&mut self, n: usize) {
        self.add(0, Counter::ConnExpired, n as u64);
    }

    /// Port `port`'s learn was dropped (its previous one still waiting).
    pub fn learn_dropped(&mut self, _port: u8) {
        self.add(0, Counter::LearnDropped, 1);
    }

    /// A decision for a frame received on `port` was the connection table's.
    pub fn conn_decided(&mut self, port: u8) {
        self.add(0, Counter::ConnDecided(port & 1), 1);
    }

    /// What the receive side counts for one frame (FCS included) arriving on `port`: the
    /// frame, malformed or its decision.
    pub fn ingress(&mut self, port: u8, frame: &[u8], cfg: &DataPlaneConfig) {
        let (h, d) = classify(frame, port, cfg);
        self.ingress_decided(port, frame.len(), h.malformed(), d);
    }

    /// [`Self::ingress`] of a frame already decided (`decision`: `None` when malformed), e.g.
    /// with the connection table's part (`conn_arbiter::replay`).
    pub fn ingress_decided(
        &mut self,
        port: u8,
        len: usize,
        malformed: bool,
        decision: Option<crate::decision::Decision>,
    ) {
        self.received(port, len);
        if malformed {
            self.malformed(port);
        }
        if let Some(d) = decision {
            self.decided(port, d.kind, d.tm);
            if d.conn {
                self.conn_decided(port);
            }
            if d.route.is_some() {
                let c = match d.ttl_expired {
                    true => Counter::TtlExpired(port & 1),
                    false => Counter::Routed(port & 1),
                };
                self.add(0, c, 1);
            }
            if d.filtered {
                self.add(0, Counter::Filtered(port & 1), 1);
            }
        }
    }

    /// A port's counter.
    pub fn value(&self, port: u8, c: Counter) -> u64 {
        self.counts[address(port, c)]
    }

    /// The counter at an address (0 beyond the 128).
    pub fn read(&self, addr: usize) -> u64 {
        self.counts.get(addr).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_names_one_counter() {
        for i in 0..PER_PORT {
            let c = Counter::at(i).unwrap();
            assert_eq!(c.index(), i, "{}", c.name());
        }
        assert_eq!(Counter::at(PER_PORT), None);
        assert_eq!(address(1, Counter::ToTm(15)), 63);
        // the table's: one counter per address up to SPARE, each at its own address on
        // either port, none a port's; spare beyond
        for a in TABLE_BASE..SPARE {
            let c = Counter::at(a).unwrap();
            assert_eq!(c.index(), a, "{}", c.name());
            assert!(c.is_global(), "{}", c.name());
            assert_eq!((address(0, c), address(1, c)), (a, a));
            assert_eq!(counter_at(a), Some((None, c)));
        }
        for a in SPARE..COUNTERS {
            assert_eq!(Counter::at(a), None);
            assert_eq!(describe(a), format!("spare_{a}"));
        }
        for a in 0..TABLE_BASE {
            let (p, c) = counter_at(a).unwrap();
            assert!(!c.is_global());
            assert_eq!(address(p.unwrap(), c), a);
        }
        assert_eq!(Counter::LookupHit.index(), 64);
        assert_eq!(Counter::ConnDecided(1).index(), 75);
        assert_eq!(Counter::ControlErrors.index(), 78);
        assert_eq!(Counter::Routed(1).index(), 81);
        assert_eq!(describe(82), "ttl_expired_port0");
        assert_eq!(describe(85), "filtered_port1");
        assert_eq!(describe(33), "port 1 rx_bytes");
        assert_eq!(describe(70), "conn_learn_dropped");
        let names: std::collections::HashSet<String> = (0..COUNTERS).map(describe).collect();
        assert_eq!(names.len(), COUNTERS);
    }

    #[test]
    fn table_results_by_source() {
        let mut c = EventCounters::default();
        for r in 0..8 {
            c.table_op(Source::Lookup(1), r);
            c.table_op(Source::Learn(0), r);
            c.table_op(Source::Control, r);
        }
        c.table_outcome(Source::Learn(1), Outcome::Hit(3));
        c.learn_dropped(0);
        c.learn_dropped(1);
        c.conn_decided(1);
        let v = |x: Counter| c.value(0, x);
        assert_eq!((v(Counter::LookupHit), v(Counter::LookupMiss)), (1, 1));
        assert_eq!(v(Counter::LearnInserted), 1);
        assert_eq!(v(Counter::LearnKept), 2);
        assert_eq!((v(Counter::LearnUpdated), v(Counter::LearnFull)), (1, 1));
        assert_eq!(v(Counter::LearnDropped), 2);
        assert_eq!(v(Counter::CtlInserted), 2);
        assert_eq!((v(Counter::CtlDeleted), v(Counter::CtlFailed)), (1, 2));
        assert_eq!(
            (v(Counter::ConnDecided(0)), v(Counter::ConnDecided(1))),
            (0, 1)
        );
        assert_eq!(c.value(1, Counter::ConnDecided(1)), 1);
        assert_eq!(c.read(Counter::ControlAccepted.index()), 0);
        // 15 events counted in all, nothing else touched
        assert_eq!((0..COUNTERS).map(|a| c.read(a)).sum::<u64>(), 15);
    }

    #[test]
    fn values_wrap_at_36_bits() {
        let mut c = EventCounters::default();
        c.add(0, Counter::RxBytes, (1 << 36) - 2);
        c.received(0, 5);
        assert_eq!(c.value(0, Counter::RxBytes), 3);
        assert_eq!(c.value(0, Counter::RxFrames), 1);
        assert_eq!(c.value(1, Counter::RxFrames), 0);
    }
}
