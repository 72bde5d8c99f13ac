//! EgressPort (two source rings, round-robin arbitration, transmit framing) through
//! Verilator against `flowdist_model::egress_port`: generated frames from both sources at
//! once, with any gaps (also inside frames) and any lengths up to 1518 bytes; on the wire
//! every frame has its preamble and delimiter and at least 12 idle cycles before the next,
//! the frames are the sources' frames interleaved whole (each source in order), and a frame
//! is missing only when its source was told it was dropped. 2:1 oversubscription: both
//! sources at line rate into one port. Cut-through (`cut_through`): the same with sources
//! that pause at most `CUT_THROUGH_MAX_PAUSE` cycles inside a frame.
use flowdist_model::egress_port::{frames_on_wire, merge_of};
use flowdist_sim::{Dut, Sim};
use flowdist_tests::prop::check_cases;
use proptest::prelude::*;

/// A source's frames, each followed by `gap` idle cycles, with `hole` idle cycles after
/// byte `hole_at` (a source pausing inside a frame).
#[derive(Clone, Debug)]
struct Sent {
    frame: Vec<u8>,
    gap: usize,
    hole_at: usize,
    hole: usize,
}

fn rows(src: &[Sent]) -> Vec<(u64, u64, u64)> {
    let mut v = Vec::new();
    for s in src {
        for (k, &b) in s.frame.iter().enumerate() {
            v.push((1, b as u64, (k + 1 == s.frame.len()) as u64));
            if k == s.hole_at && k + 1 != s.frame.len() {
                v.extend(std::iter::repeat_n((0, 0, 0), s.hole));
            }
        }
        v.extend(std::iter::repeat_n((0, 0, 0), s.gap));
    }
    v
}

struct Outcome {
    wire: Vec<(bool, u8)>,
    drops: (usize, usize),
    sent_pulses: usize,
}

fn simulate(a: &[Sent], b: &[Sent]) -> Outcome {
    simulate_with(a, b, false)
}

fn simulate_with(a: &[Sent], b: &[Sent], cut_through: bool) -> Outcome {
    let (ra, rb) = (rows(a), rows(b));
    let total: usize = a.iter().chain(b).map(|s| s.frame.len() + 20).sum();
    let cycles = ra.len().max(rb.len()) + total + 100;
    let mut stim = Vec::with_capacity(cycles * 6);
    for c in 0..cycles {
        let x = ra.get(c).copied().unwrap_or((0, 0, 0));
        let y = rb.get(c).copied().unwrap_or((0, 0, 0));
        stim.extend([x.0, x.1, x.2, y.0, y.1, y.2]);
    }
    let mut sim = Sim::new(Dut::EgressPort);
    sim.set("cut_through", cut_through as u64).unwrap();
    sim.reset(2).unwrap();
    let recs = sim
        .run(
            &["a_valid", "a_data", "a_last", "b_valid", "b_data", "b_last"],
            &stim,
            cycles,
            None,
            &["tx_en", "txd", "a_drop", "b_drop", "tx_frame"],
        )
        .unwrap();
    Outcome {
        wire: recs.iter().map(|r| (r[0] != 0, r[1] as u8)).collect(),
        drops: (
            recs.iter().filter(|r| r[2] != 0).count(),
            recs.iter().filter(|r| r[3] != 0).count(),
        ),
        sent_pulses: recs.iter().filter(|r| r[4] != 0).count(),
    }
}

fn check(a: &[Sent], b: &[Sent], expect_no_drops: bool) -> Result<(), String> {
    check_with(a, b, expect_no_drops, false)
}

fn check_with(
    a: &[Sent],
    b: &[Sent],
    expect_no_drops: bool,
    cut_through: bool,
) -> Result<(), String> {
    let o = simulate_with(a, b, cut_through);
    let out = frames_on_wire(&o.wire).map_err(|e| format!("framing: {e:?}"))?;
    let fa: Vec<Vec<u8>> = a.iter().map(|s| s.frame.clone()).collect();
    let fb: Vec<Vec<u8>> = b.iter().map(|s| s.frame.clone()).collect();
    let dropped = o.drops.0 + o.drops.1;
    if out.len() + dropped != fa.len() + fb.len() {
        return Err(format!(
            "{} frames sent + {dropped} dropped != {} offered",
            out.len(),
            fa.len() + fb.len()
        ));
    }
    if o.sent_pulses != out.len() {
        return Err(format!(
            "tx_frame pulsed {} times for {} frames",
            o.sent_pulses,
            out.len()
        ));
    }
    if expect_no_drops && dropped != 0 {
        return Err(format!("{dropped} frames dropped with no overload"));
    }
    if !merge_of(&out, &fa, &fb, dropped) {
        return Err("the frames sent are not the sources' frames interleaved whole".into());
    }
    Ok(())
}

fn sent(max_len: usize, max_gap: usize) -> impl Strategy<Value = Sent> {
    (
        proptest::collection::vec(any::<u8>(), 1..max_len),
        0..max_gap,
        0usize..2000,
        prop_oneof![3 => Just(0usize), 1 => 1usize..30],
    )
        .prop_map(|(frame, gap, hole_at, hole)| Sent {
            frame,
            gap,
            hole_at,
            hole,
        })
}

#[test]
fn generated_sources_interleave_whole() {
    let s = (
        proptest::collection::vec(sent(1519, 3000), 0..8),
        proptest::collection::vec(sent(1519, 3000), 0..8),
    );
    check_cases(40, s, |(a, b)| check(&a, &b, false));
}

#[test]
fn one_source_at_line_rate_never_drops() {
    // a frame every length + 20 cycles, as a port receiving at line rate delivers them
    let a: Vec<Sent> = (0..400)
        .map(|i| Sent {
            frame: (0..(60 + (i * 37) % 1400))
                .map(|k| (k * 7 + i) as u8)
                .collect(),
            gap: 20,
            hole_at: 0,
            hole: 0,
        })
        .collect();
    check(&a, &[], true).unwrap();
    check(&[], &a, true).unwrap();
}

/// 300 frames of 60..559 bytes at line rate (a frame every length + 20 cycles), each pausing
/// `hole` cycles after one of its bytes 12..20 (none when `hole` is 0).
fn line_rate_source(seed: usize, hole: usize) -> Vec<Sent> {
    (0..300)
        .map(|i| Sent {
            frame: (0..(60 + (i * 53 + seed) % 500))
                .map(|k| (k * 13 + i + seed) as u8)
                .collect(),
            gap: 20,
            hole_at: if hole == 0 { 0 } else { 12 + i % 9 },
            hole,
        })
        .collect()
}

#[test]
fn two_sources_at_line_rate_drop_whole_frames() {
    let (a, b) = (line_rate_source(0, 0), line_rate_source(1, 0));
    let o = simulate(&a, &b);
    assert!(
        o.drops.0 > 0 && o.drops.1 > 0,
        "2:1 must drop from both sources: {:?}",
        o.drops
    );
    check(&a, &b, false).unwrap();
    // round robin: neither source gets much less than half of what is sent
    let out = frames_on_wire(&o.wire).unwrap();
    let from_a = out
        .iter()
        .filter(|f| a.iter().any(|s| &s.frame == *f))
        .count();
    assert!(
        from_a * 3 > out.len() && from_a * 3 < 2 * out.len(),
        "{from_a} of {}",
        out.len()
    );
}

#[test]
fn two_sources_of_minimum_frames_in_step() {
    // both sources at line rate with 64-byte frames arriving in the same cycles (two
    // ingress ports receiving in step): every frame is sent or counted dropped
    for skew in [0usize, 1, 2, 5, 30] {
        let mk = |seed: usize, lead: usize| -> Vec<Sent> {
            let mut v: Vec<Sent> = (0..2000)
                .map(|i| Sent {
                    frame: (0..64)
                        .map(|k| (k * 13 + i * 7 + seed) as u8 ^ (i >> 8) as u8)
                        .collect(),
                    gap: 20,
                    hole_at: 0,
                    hole: 0,
                })
                .collect();
            v.insert(
                0,
                Sent {
                    frame: vec![seed as u8; 1],
                    gap: lead,
                    hole_at: 0,
                    hole: 0,
                },
            );
            v
        };
        let (a, b) = (mk(0, 20), mk(1, 20 + skew));
        let o = simulate(&a, &b);
        assert!(o.drops.0 > 0 && o.drops.1 > 0, "skew {skew}: {:?}", o.drops);
        check(&a, &b, false).unwrap_or_else(|e| panic!("skew {skew}: {e}"));
    }
}

/// Cut-through: sources that pause at most `CUT_THROUGH_MAX_PAUSE` cycles inside a frame (as
/// the ingress ports do), frames started while still arriving: every frame whole and
/// bit-exact on the wire, interleaved by whole frames, missing only when counted dropped.
/// (With pauses up to 20 cycles longer it fails at once: bytes sent before they are in.)
#[test]
fn cut_through_sources_interleave_whole() {
    let max = flowdist_hdl::egress_port::CUT_THROUGH_MAX_PAUSE;
    let paced = move |max_len: usize, max_gap: usize| {
        (
            proptest::collection::vec(any::<u8>(), 1..max_len),
            0..max_gap,
            0usize..100,
            0..=max,
        )
            .prop_map(|(frame, gap, hole_at, hole)| Sent {
                frame,
                gap,
                hole_at,
                hole,
            })
    };
    let s = (
        proptest::collection::vec(paced(1519, 200), 0..10),
        proptest::collection::vec(paced(1519, 200), 0..10),
    );
    check_cases(40, s, |(a, b)| check_with(&a, &b, false, true));
}

/// Cut-through at 2:1 (both sources at line rate, the longest pauses allowed): whole frames
/// only, from both sources.
#[test]
fn cut_through_two_sources_at_line_rate() {
    let max = flowdist_hdl::egress_port::CUT_THROUGH_MAX_PAUSE;
    let (a, b) = (line_rate_source(0, max), line_rate_source(1, max));
    let o = simulate_with(&a, &b, true);
    assert!(o.drops.0 > 0 && o.drops.1 > 0, "{:?}", o.drops);
    check_with(&a, &b, false, true).unwrap();
}

/// With `cut_through` a long frame into an idle port starts on the wire before its last byte
/// has arrived; without it, only after.
#[test]
fn cut_through_starts_before_the_frame_is_in() {
    let f = Sent {
        frame: (0..1500).map(|k| (k * 29) as u8).collect(),
        gap: 0,
        hole_at: 30,
        hole: flowdist_hdl::egress_port::CUT_THROUGH_MAX_PAUSE,
    };
    let last_in = rows(std::slice::from_ref(&f)).len() - 1;
    for cut in [false, true] {
        for (a, b) in [(vec![f.clone()], vec![]), (vec![], vec![f.clone()])] {
            let o = simulate_with(&a, &b, cut);
            let first_out = o.wire.iter().position(|c| c.0).expect("nothing sent");
            assert_eq!(
                first_out < last_in,
                cut,
                "cut_through {cut}: first byte out at cycle {first_out}, last in at {last_in}"
            );
            assert_eq!(frames_on_wire(&o.wire).unwrap(), vec![f.frame.clone()]);
        }
    }
}
