//! Model of the hardware's `GmiiRx`: GMII receive cycles in, frames out.
//!
//! A frame starts after the first 0xD5 seen with `rx_dv` (everything before it is preamble)
//! and ends when `rx_dv` falls; the bytes in between are the frame, FCS included. A frame with
//! `rx_er` during its carrier (from the delimiter on) is delivered with its final byte
//! inverted, so it fails its FCS check downstream, and is reported bad. A carrier with no byte
//! after the delimiter delivers nothing.

/// One GMII receive cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct GmiiCycle {
    pub dv: bool,
    pub er: bool,
    pub d: u8,
}

/// A received frame: its bytes and whether a receive error marked it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    pub bytes: Vec<u8>,
    pub bad: bool,
}

/// The frames in a run of receive cycles (a frame still open at the end is not delivered).
pub fn receive(cycles: &[GmiiCycle]) -> Vec<Received> {
    let mut out = Vec::new();
    let mut frame: Option<(Vec<u8>, bool)> = None;
    for c in cycles {
        match frame.as_mut() {
            None => {
                if c.dv && c.d == 0xD5 {
                    frame = Some((Vec::new(), c.er));
                }
            }
            Some((bytes, err)) => {
                if c.dv {
                    bytes.push(c.d);
                    *err |= c.er;
                } else {
                    let (mut bytes, err) = frame.take().expect("open frame");
                    if let Some(last) = bytes.last_mut() {
                        if err {
                            *last = !*last;
                        }
                        out.push(Received { bytes, bad: err });
                    }
                }
            }
        }
    }
    out
}

/// The cycles a transmitter sends for `frame`: 7 × 0x55, 0xD5, the frame, with `rx_dv`.
pub fn transmit(frame: &[u8]) -> Vec<GmiiCycle> {
    let mut v: Vec<GmiiCycle> = (0..7)
        .map(|_| GmiiCycle {
            dv: true,
            er: false,
            d: 0x55,
        })
        .collect();
    v.push(GmiiCycle {
        dv: true,
        er: false,
        d: 0xD5,
    });
    v.extend(frame.iter().map(|&d| GmiiCycle {
        dv: true,
        er: false,
        d,
    }));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preamble_stripped_error_marks_last_byte() {
        let mut c = vec![GmiiCycle::default(); 3];
        c.extend(transmit(&[1, 2, 3]));
        c.push(GmiiCycle::default());
        c.extend(transmit(&[4, 5]));
        let n = c.len();
        c[n - 1].er = true;
        c.push(GmiiCycle::default());
        // a carrier with no delimiter, and a delimiter with nothing after it
        c.push(GmiiCycle {
            dv: true,
            er: false,
            d: 0x55,
        });
        c.push(GmiiCycle::default());
        c.push(GmiiCycle {
            dv: true,
            er: false,
            d: 0xD5,
        });
        c.push(GmiiCycle::default());
        let r = receive(&c);
        assert_eq!(
            r,
            vec![
                Received {
                    bytes: vec![1, 2, 3],
                    bad: false
                },
                Received {
                    bytes: vec![4, !5],
                    bad: true
                },
            ]
        );
    }
}
