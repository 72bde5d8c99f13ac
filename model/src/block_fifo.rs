//! Cycle model of the hardware's `BlockFifo`: a queue of `capacity` words whose popped word
//! appears two cycles after the pop.
use std::collections::VecDeque;

/// What the queue shows in one cycle, before that cycle's edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FifoView {
    pub empty: bool,
    pub full: bool,
    /// Words held modulo the capacity.
    pub level: usize,
    /// The word popped two cycles ago, if any.
    pub out: Option<u128>,
}

#[derive(Clone, Debug)]
pub struct BlockFifo {
    capacity: usize,
    words: VecDeque<u128>,
    /// Words on their way out: [popped last cycle, popped two cycles ago].
    pipe: [Option<u128>; 2],
}

impl BlockFifo {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            words: VecDeque::with_capacity(capacity),
            pipe: [None, None],
        }
    }

    /// The outputs in the current cycle.
    pub fn view(&self) -> FifoView {
        FifoView {
            empty: self.words.is_empty(),
            full: self.words.len() == self.capacity,
            level: self.words.len() % self.capacity,
            out: self.pipe[1],
        }
    }

    /// One clock edge with these inputs: a write is dropped when full, a pop ignored when
    /// empty (both as seen in this cycle's view).
    pub fn step(&mut self, write: Option<u128>, pop: bool) {
        let view = self.view();
        let popped = if pop && !view.empty {
            self.words.pop_front()
        } else {
            None
        };
        if let Some(w) = write {
            if !view.full {
                self.words.push_back(w);
            }
        }
        self.pipe = [popped, self.pipe[0]];
    }
}
