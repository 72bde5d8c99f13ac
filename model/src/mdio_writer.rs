//! Model of the hardware's `MdioWriter`: what a PHY reads off MDC/MDIO (IEEE 802.3
//! clause 22), decoded from the pins cycle by cycle.
//!
//! A PHY samples MDIO on each rising edge of MDC. A frame is at least 32 ones (preamble), then
//! start 01, op (01 write, 10 read), PHY address (5 bits), register (5), turnaround, data (16),
//! most significant bit first. [`decode`] returns the writes on the line, and checks what the
//! PHY needs besides: MDC no faster than 2.5 MHz (at least `min_half` core cycles high and
//! low) and MDIO steady for `hold` cycles on each side of every rising edge.

/// One register write as a PHY receives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Write {
    pub phy: u8,
    pub reg: u8,
    pub data: u16,
}

/// What is wrong on the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MdioError {
    /// MDC high or low for only `cycles` core cycles, at cycle `at`.
    FastClock { at: usize, cycles: usize },
    /// MDIO changed within the hold margin of the rising edge at cycle `at`.
    Unsteady { at: usize },
    /// A frame after fewer than 32 preamble ones (`ones`), ending at bit `bit` of the line.
    ShortPreamble { bit: usize, ones: usize },
    /// Not a write: start/op bits `code`, or turnaround `ta` not 10, at bit `bit`.
    NotAWrite { bit: usize, code: u8, ta: u8 },
    /// The line ended inside a frame.
    Truncated,
}

/// The writes on a capture of (MDC, MDIO), one pair per core cycle.
pub fn decode(
    pins: &[(bool, bool)],
    min_half: usize,
    hold: usize,
) -> Result<Vec<Write>, MdioError> {
    // the clock's phases, and the bits sampled at its rising edges
    let mut bits = Vec::new();
    let mut run = 0usize;
    for (i, w) in pins.windows(2).enumerate() {
        run += 1;
        if w[0].0 != w[1].0 {
            // a phase ends at cycle i; the first phase of the capture may be cut short
            if run < min_half && run != i + 1 {
                return Err(MdioError::FastClock { at: i, cycles: run });
            }
            run = 0;
            if w[1].0 {
                let at = i + 1;
                let lo = at.saturating_sub(hold);
                let hi = (at + hold).min(pins.len() - 1);
                if pins[lo..=hi].iter().any(|p| p.1 != pins[at].1) {
                    return Err(MdioError::Unsteady { at });
                }
                bits.push(pins[at].1);
            }
        }
    }
    let mut writes = Vec::new();
    let mut ones = 0usize;
    let mut i = 0;
    while i < bits.len() {
        if bits[i] {
            ones += 1;
            i += 1;
            continue;
        }
        // a zero after ones: the first bit of start (01)
        if ones < 32 {
            return Err(MdioError::ShortPreamble { bit: i, ones });
        }
        if i + 32 > bits.len() {
            return Err(MdioError::Truncated);
        }
        let word = bits[i..i + 32]
            .iter()
            .fold(0u32, |w, &b| (w << 1) | b as u32);
        let code = (word >> 28) as u8;
        let ta = ((word >> 16) & 3) as u8;
        if code != 0b0101 || ta != 0b10 {
            return Err(MdioError::NotAWrite { bit: i, code, ta });
        }
        writes.push(Write {
            phy: ((word >> 23) & 31) as u8,
            reg: ((word >> 18) & 31) as u8,
            data: word as u16,
        });
        ones = 0;
        i += 32;
    }
    Ok(writes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line driven by hand: (preamble ones, word after the preamble) per frame, with MDC of half period `half`,
    /// MDIO changed `shift` cycles after each falling edge.
    fn line(frames: &[(usize, u32)], half: usize, shift: usize) -> Vec<(bool, bool)> {
        let mut bits = Vec::new();
        for &(pre, w) in frames {
            bits.extend(std::iter::repeat_n(true, pre));
            bits.extend((0..32).rev().map(|k| w >> k & 1 == 1));
        }
        let (mut pins, mut prev) = (Vec::new(), true);
        for b in bits {
            pins.extend((0..half).map(|k| (false, if k < shift { prev } else { b })));
            pins.extend(std::iter::repeat_n((true, b), half));
            prev = b;
        }
        pins.extend(std::iter::repeat_n((false, prev), half));
        pins
    }

    #[test]
    fn decodes_writes_and_rejects_bad_lines() {
        let w1 = (0b0101 << 28) | (3 << 23) | (9 << 18) | (0b10 << 16) | 0x0200;
        let w2 = (0b0101 << 28) | (31 << 23) | (0b10 << 16) | 0x1340;
        let got = decode(&line(&[(32, w1), (40, w2)], 32, 1), 20, 4).unwrap();
        assert_eq!(
            got,
            vec![
                Write {
                    phy: 3,
                    reg: 9,
                    data: 0x0200
                },
                Write {
                    phy: 31,
                    reg: 0,
                    data: 0x1340
                }
            ]
        );
        assert!(matches!(
            decode(&line(&[(31, w1)], 32, 1), 20, 4),
            Err(MdioError::ShortPreamble { ones: 31, .. })
        ));
        let read = (0b0110 << 28) | (3 << 23) | (9 << 18);
        assert!(matches!(
            decode(&line(&[(32, read)], 32, 1), 20, 4),
            Err(MdioError::NotAWrite { code: 0b0110, .. })
        ));
        assert!(matches!(
            decode(&line(&[(32, w1)], 10, 1), 20, 4),
            Err(MdioError::FastClock { .. })
        ));
        // MDIO changing right before the rising edge
        assert!(matches!(
            decode(&line(&[(32, w1)], 32, 30), 20, 4),
            Err(MdioError::Unsteady { .. })
        ));
        let mut cut = line(&[(32, w1)], 32, 1);
        cut.truncate(cut.len() - 64 * 4);
        assert_eq!(decode(&cut, 20, 4), Err(MdioError::Truncated));
    }
}
