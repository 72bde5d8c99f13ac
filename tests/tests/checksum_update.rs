//! ChecksumUpdate (RFC 1624 eqn. 3, the router's TTL decrement, R8) through Verilator against
//! its model and against a full recomputation (RFC 1071) of the edited header: the RFC's own
//! example and its -0 corner case, generated headers with TTL decremented, and arbitrary
//! (checksum, old word, new word) triples.
use flowdist_model::checksum_update::{ttl_decrement, update};
// RFC 1071 recomputation, for a header whose checksum field is zero
use flowdist_model::header_parser::ipv4_checksum as full_checksum;
use flowdist_sim::{Dut, Sim};
use flowdist_tests::prop::check_cases;
use proptest::prelude::*;

/// The RTL's results for (checksum, old, new) triples, one per cycle back to back.
fn rtl(triples: &[(u16, u16, u16)]) -> Vec<u16> {
    let mut sim = Sim::new(Dut::ChecksumUpdate);
    let mut stim = Vec::new();
    for &(c, o, n) in triples {
        stim.extend([1, u64::from(c), u64::from(o), u64::from(n)]);
    }
    stim.extend([0; 4 * 3]);
    let recs = sim
        .run(
            &["valid", "checksum", "old_word", "new_word"],
            &stim,
            triples.len() + 3,
            Some("done"),
            &["result"],
        )
        .unwrap();
    recs.iter().map(|r| r[0] as u16).collect()
}

#[test]
fn rfc1624_example_and_minus_zero_corner() {
    // section 4: m 0x5555 -> 0x3285, other words sum to 0xCD7A: recomputation gives 0x0000
    // where eqn. 2 would give 0xFFFF
    let got = rtl(&[(0xDD2F, 0x5555, 0x3285), (0x0000, 0x3285, 0x5555)]);
    assert_eq!(got, vec![0x0000, 0xDD2F]);
    assert_eq!(update(0xDD2F, 0x5555, 0x3285), 0x0000);
}

fn header() -> impl Strategy<Value = [u8; 20]> {
    (any::<[u8; 20]>(), 1u8..=255).prop_map(|(mut h, ttl)| {
        h[0] = 0x45;
        h[8] = ttl;
        h[10] = 0;
        h[11] = 0;
        let c = full_checksum(&h);
        h[10..12].copy_from_slice(&c.to_be_bytes());
        h
    })
}

#[test]
fn ttl_decrement_matches_full_recomputation() {
    check_cases(64, proptest::collection::vec(header(), 1..200), |hs| {
        let mut triples = Vec::new();
        let mut want = Vec::new();
        for h in &hs {
            let c = u16::from_be_bytes([h[10], h[11]]);
            let (ttl, proto) = (h[8], h[9]);
            triples.push((
                c,
                u16::from_be_bytes([ttl, proto]),
                u16::from_be_bytes([ttl - 1, proto]),
            ));
            let mut e = *h;
            e[8] = ttl - 1;
            e[10] = 0;
            e[11] = 0;
            let full = full_checksum(&e);
            let model = ttl_decrement(c, ttl, proto);
            if model != full {
                return Err(format!(
                    "model {model:04x}, recomputed {full:04x}, header {h:02x?}"
                ));
            }
            want.push(full);
        }
        let got = rtl(&triples);
        (got == want)
            .then_some(())
            .ok_or_else(|| format!("rtl {got:04x?}\nwant {want:04x?}"))
    });
}

#[test]
fn arbitrary_words_match_model() {
    check_cases(
        64,
        proptest::collection::vec(any::<(u16, u16, u16)>(), 1..300),
        |ts| {
            let want: Vec<u16> = ts.iter().map(|&(c, o, n)| update(c, o, n)).collect();
            let got = rtl(&ts);
            (got == want)
                .then_some(())
                .ok_or_else(|| format!("rtl {got:04x?}\nwant {want:04x?}"))
        },
    );
}
