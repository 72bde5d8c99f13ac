//! Model of the hardware's `EgressPort`: the transmit framing and the merge rule.
//!
//! On the wire each frame is 7 × 0x55, 0xD5, the frame, then at least 12 idle cycles. What
//! leaves a port is an interleaving, by whole frames, of what each of the two ingress
//! pipelines sent it, each in its own order; under overload whole frames are missing, never
//! parts. Which interleaving depends on timing, which this model leaves out: [`merge_of`]
//! checks that an output is one of the allowed ones.

/// A transmit-side framing fault in a captured GMII output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FramingError {
    /// Frame `index` did not start with 7 × 0x55, 0xD5.
    Preamble { index: usize },
    /// Fewer than 12 idle cycles before frame `index`.
    Gap { index: usize, idle: usize },
}

/// Frames in a transmit capture (`(tx_en, txd)` per cycle), checking preamble and gaps.
pub fn frames_on_wire(cycles: &[(bool, u8)]) -> Result<Vec<Vec<u8>>, FramingError> {
    let mut frames = Vec::new();
    let mut i = 0;
    let mut idle = usize::MAX;
    while i < cycles.len() {
        if !cycles[i].0 {
            idle = idle.saturating_add(1);
            i += 1;
            continue;
        }
        let index = frames.len();
        if idle < 12 {
            return Err(FramingError::Gap { index, idle });
        }
        let start = i;
        while i < cycles.len() && cycles[i].0 {
            i += 1;
        }
        let burst: Vec<u8> = cycles[start..i].iter().map(|c| c.1).collect();
        if burst.len() < 8 || burst[..7].iter().any(|&b| b != 0x55) || burst[7] != 0xD5 {
            return Err(FramingError::Preamble { index });
        }
        frames.push(burst[8..].to_vec());
        idle = 0;
    }
    Ok(frames)
}

/// Whether `out` is `a` and `b` interleaved frame by frame, each in order, with some whole
/// frames left out (at most `missing` of them in all).
pub fn merge_of(out: &[Vec<u8>], a: &[Vec<u8>], b: &[Vec<u8>], missing: usize) -> bool {
    // (i, j) = frames of a and b consumed (sent or skipped) so far; after k frames of `out`,
    // i + j - k were skipped. Taking each frame from the earliest place it can come from
    // never loses a solution (the later ones stay available), and a state consuming no more
    // of either source than another is at least as good, so only the minimal states are kept.
    let first = |src: &[Vec<u8>], from: usize, f: &[u8]| {
        src[from.min(src.len())..]
            .iter()
            .position(|g| g == f)
            .map(|p| from + p)
    };
    let mut states = vec![(0usize, 0usize)];
    for (k, f) in out.iter().enumerate() {
        let mut next: Vec<(usize, usize)> = Vec::new();
        for &(i, j) in &states {
            let cands = [
                first(a, i, f).map(|ii| (ii + 1, j)),
                first(b, j, f).map(|jj| (i, jj + 1)),
            ];
            for (ni, nj) in cands.into_iter().flatten() {
                if ni + nj - (k + 1) <= missing {
                    next.push((ni, nj));
                }
            }
        }
        next.sort_unstable();
        next.dedup();
        // keep the minimal states: sorted by i, each must have a smaller j than all before
        let mut kept: Vec<(usize, usize)> = Vec::new();
        for (i, j) in next {
            if kept.iter().all(|&(_, kj)| j < kj) {
                kept.push((i, j));
            }
        }
        if kept.is_empty() {
            return false;
        }
        states = kept;
    }
    states
        .iter()
        .any(|&(i, j)| i + j - out.len() + (a.len() - i) + (b.len() - j) <= missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(frames: &[&[u8]], gap: usize) -> Vec<(bool, u8)> {
        let mut v = vec![(false, 0); 12];
        for f in frames {
            v.extend((0..7).map(|_| (true, 0x55)));
            v.push((true, 0xD5));
            v.extend(f.iter().map(|&b| (true, b)));
            v.extend((0..gap).map(|_| (false, 0)));
        }
        v
    }

    #[test]
    fn framing() {
        assert_eq!(
            frames_on_wire(&wire(&[&[1, 2], &[3]], 12)),
            Ok(vec![vec![1, 2], vec![3]])
        );
        assert_eq!(
            frames_on_wire(&wire(&[&[1, 2], &[3]], 11)),
            Err(FramingError::Gap { index: 1, idle: 11 })
        );
        let mut w = wire(&[&[1]], 12);
        w[14].1 = 0x54;
        assert_eq!(frames_on_wire(&w), Err(FramingError::Preamble { index: 0 }));
    }

    #[test]
    fn merges() {
        let f = |x: u8| vec![x];
        let (a, b) = (vec![f(1), f(2)], vec![f(1), f(3)]);
        assert!(merge_of(&[f(1), f(3), f(1), f(2)], &a, &b, 0));
        assert!(!merge_of(&[f(2), f(1), f(1), f(3)], &a, &b, 0));
        assert!(!merge_of(&[f(1), f(3), f(2)], &a, &b, 0));
        assert!(merge_of(&[f(1), f(3), f(2)], &a, &b, 1));
        assert!(!merge_of(&[f(3)], &a, &b, 2));
        assert!(merge_of(&[f(3)], &a, &b, 3));
    }
}
