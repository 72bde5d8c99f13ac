//! The data path's counters (R13; twin of `hdl::event_counters`): 32 per port, 36 bits,
//! wrapping. What each counts, and where it sits (address = 32 × port + index), is
//! [`Counter`]; [`EventCounters`] is what they hold after a stream of events.
use crate::classifier::classify;
use crate::decision::Kind;
use crate::tables::DataPlaneConfig;

/// Counters per port.
pub const PER_PORT: usize = 32;
/// Counters in all (two ports).
pub const COUNTERS: usize = 2 * PER_PORT;
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
}

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
        }
    }

    /// The counter at this index of a port's block (every index 0..32 is one).
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
        }
    }
}

/// Address of a port's counter.
pub fn address(port: u8, c: Counter) -> usize {
    usize::from(port & 1) * PER_PORT + c.index()
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
        }
    }

    /// A port's counter.
    pub fn value(&self, port: u8, c: Counter) -> u64 {
        self.counts[address(port, c)]
    }

    /// The counter at an address (0 beyond the 64).
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
