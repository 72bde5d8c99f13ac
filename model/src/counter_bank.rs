//! Event counters (twin of `hdl::counter_bank`): N wrapping 32-bit counters, each adding the
//! cycle's amount when its event bit is set; clear zeroes all.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterBank {
    pub counts: Vec<u32>,
}

impl CounterBank {
    pub fn new(n: usize) -> Self {
        Self { counts: vec![0; n] }
    }

    /// One cycle: `events` bit i counts `amount` into counter i; `clear` wins.
    pub fn step(&mut self, events: u128, amount: u16, clear: bool) {
        for (i, c) in self.counts.iter_mut().enumerate() {
            if clear {
                *c = 0;
            } else if i < 128 && events >> i & 1 == 1 {
                *c = c.wrapping_add(u32::from(amount));
            }
        }
    }

    /// What a read of counter `addr` returns (0 beyond the bank).
    pub fn read(&self, addr: usize) -> u32 {
        self.counts.get(addr).copied().unwrap_or(0)
    }
}
