//! Model of the hardware's `AsyncFifo`: what crosses is exactly what was written and not
//! refused, in order; a write is refused only when the queue holds its capacity. The
//! cycle-level timing of the crossing (two-flop synchronisers, pessimistic full/empty) has no
//! counterpart here: the cross-check compares sequences and checks the bounds below.

/// Words the reader gets for the writer's accepted words: the same sequence.
pub fn crossed<T: Clone>(accepted: &[T]) -> Vec<T> {
    accepted.to_vec()
}

/// The synchronisers make the writer see the reader's progress late: a write can be refused
/// while up to `SYNC_LAG` reads are still on their way over. With a capacity of `capacity`
/// words, a writer that never has more than `capacity - SYNC_LAG` words outstanding is never
/// refused.
pub const SYNC_LAG: usize = 4;
