//! GmiiRx (GMII receive framing) through Verilator against `flowdist_model::gmii_rx`:
//! generated carriers with preambles of any length, junk before the delimiter, false
//! carriers, receive errors anywhere, delimiters with nothing after them, and gaps of any
//! length (including none between carriers); every delivered byte, the last-byte marks and
//! the bad-frame pulses compared.
use flowdist_model::gmii_rx::{receive, GmiiCycle, Received};
use flowdist_sim::{Dut, Sim};
use flowdist_tests::prop::check_cases;
use proptest::prelude::*;

/// One carrier: `pre` preamble bytes (0x55 or junk), optionally a delimiter, a body, then
/// `gap` idle cycles; `er_at` sets `rx_er` on one cycle of the carrier.
#[derive(Clone, Debug)]
struct Carrier {
    pre: Vec<u8>,
    sfd: bool,
    body: Vec<u8>,
    er_at: Option<usize>,
    gap: usize,
}

fn carrier() -> impl Strategy<Value = Carrier> {
    (
        proptest::collection::vec(prop_oneof![4 => Just(0x55u8), 1 => any::<u8>()], 0..9),
        prop_oneof![9 => Just(true), 1 => Just(false)],
        proptest::collection::vec(any::<u8>(), 0..80),
        prop_oneof![4 => Just(None), 1 => (0usize..100).prop_map(Some)],
        prop_oneof![Just(0usize), Just(1), 2usize..20],
    )
        .prop_map(|(pre, sfd, body, er_at, gap)| Carrier {
            pre,
            sfd,
            body,
            er_at,
            gap,
        })
}

fn cycles(cs: &[Carrier]) -> Vec<GmiiCycle> {
    let mut v = vec![GmiiCycle::default(); 2];
    for c in cs {
        let start = v.len();
        v.extend(c.pre.iter().map(|&d| GmiiCycle {
            dv: true,
            er: false,
            d,
        }));
        if c.sfd {
            v.push(GmiiCycle {
                dv: true,
                er: false,
                d: 0xD5,
            });
        }
        v.extend(c.body.iter().map(|&d| GmiiCycle {
            dv: true,
            er: false,
            d,
        }));
        if let Some(k) = c.er_at {
            if start + k < v.len() {
                v[start + k].er = true;
            }
        }
        // idle cycles may carry rx_er (false carrier) and any data
        v.extend((0..c.gap).map(|i| GmiiCycle {
            dv: false,
            er: i % 3 == 1,
            d: i as u8,
        }));
    }
    v.extend(vec![GmiiCycle::default(); 6]);
    v
}

fn rtl(sim: &mut Sim, cs: &[GmiiCycle]) -> Vec<Received> {
    let stim: Vec<u64> = cs
        .iter()
        .flat_map(|c| [c.dv as u64, c.er as u64, c.d as u64])
        .collect();
    let recs = sim
        .run(
            &["rx_dv", "rx_er", "rxd"],
            &stim,
            cs.len(),
            Some("out_valid"),
            &["out_data", "out_last", "bad_frame"],
        )
        .unwrap();
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for r in recs {
        cur.push(r[0] as u8);
        if r[1] != 0 {
            out.push(Received {
                bytes: std::mem::take(&mut cur),
                bad: r[2] != 0,
            });
        } else if r[2] != 0 {
            out.push(Received {
                bytes: vec![],
                bad: true,
            }); // never expected: bad without last
        }
    }
    if !cur.is_empty() {
        out.push(Received {
            bytes: cur,
            bad: false,
        }); // bytes with no last: a divergence
    }
    out
}

#[test]
fn generated_carriers_match_model() {
    check_cases(200, proptest::collection::vec(carrier(), 1..12), |cs| {
        let c = cycles(&cs);
        let mut sim = Sim::new(Dut::GmiiRx);
        let got = rtl(&mut sim, &c);
        let want = receive(&c);
        if got != want {
            return Err(format!("RTL {got:?}\nmodel {want:?}"));
        }
        Ok(())
    });
}

#[test]
fn known_frame_and_error() {
    let mut c = vec![GmiiCycle::default(); 3];
    c.extend(flowdist_model::gmii_rx::transmit(&[0xAA, 0xBB, 0xCC]));
    c.extend(vec![GmiiCycle::default(); 12]);
    c.extend(flowdist_model::gmii_rx::transmit(&[1, 2, 3, 4]));
    c[3 + 8 + 3 + 12 + 9].er = true;
    c.extend(vec![GmiiCycle::default(); 6]);
    let got = rtl(&mut Sim::new(Dut::GmiiRx), &c);
    assert_eq!(
        got,
        vec![
            Received {
                bytes: vec![0xAA, 0xBB, 0xCC],
                bad: false
            },
            Received {
                bytes: vec![1, 2, 3, !4],
                bad: true
            },
        ]
    );
}
