//! CounterBank (R13) through Verilator against its model: random event patterns (several
//! counters at once, amounts up to 65535, wrap-around), clears, and a read every cycle at a
//! random address, compared cycle by cycle.
use flowdist_model::counter_bank::CounterBank;
use flowdist_sim::{Dut, Sim};
use flowdist_tests::prop::check_cases;
use proptest::prelude::*;

const N: usize = 24;

#[derive(Clone, Copy, Debug)]
struct Cycle {
    events: u32,
    amount: u16,
    clear: bool,
    addr: u8,
}

fn cycles() -> impl Strategy<Value = Vec<Cycle>> {
    proptest::collection::vec(
        (
            prop_oneof![any::<u32>(), (0u32..24).prop_map(|b| 1 << b), Just(0)],
            prop_oneof![Just(1u16), any::<u16>(), Just(0xFFFF)],
            proptest::bool::weighted(0.02),
            0u8..32,
        )
            .prop_map(|(events, amount, clear, addr)| Cycle {
                events: events & ((1 << N) - 1),
                amount,
                clear,
                addr,
            }),
        1..400,
    )
}

/// Counter values read back: entry k is the read issued in cycle k.
fn rtl_reads(cs: &[Cycle], start: &[Cycle]) -> Vec<u32> {
    let mut sim = Sim::new(Dut::CounterBank);
    let mut stim = Vec::new();
    for c in start.iter().chain(cs) {
        stim.extend([
            c.events as u64,
            c.amount as u64,
            c.clear as u64,
            c.addr as u64,
        ]);
    }
    stim.extend([0, 0, 0, 0, 0, 0, 0, 0]);
    let recs = sim
        .run(
            &["events", "amount", "clear", "rd_addr"],
            &stim,
            start.len() + cs.len() + 2,
            None,
            &["rd_data"],
        )
        .unwrap();
    // the read issued in cycle k comes out after edge k + 1
    recs[start.len() + 1..start.len() + 1 + cs.len()]
        .iter()
        .map(|r| r[0] as u32)
        .collect()
}

fn check(cs: &[Cycle]) -> Result<(), String> {
    // clear first: the counters power up at zero, but say so explicitly
    let start = [Cycle {
        events: 0,
        amount: 0,
        clear: true,
        addr: 0,
    }];
    let got = rtl_reads(cs, &start);
    let mut m = CounterBank::new(N);
    for (k, c) in cs.iter().enumerate() {
        m.step(u128::from(c.events), c.amount, c.clear);
        let want = m.read(c.addr as usize);
        if got[k] != want {
            return Err(format!("cycle {k} ({c:?}): model {want}, rtl {}", got[k]));
        }
    }
    Ok(())
}

#[test]
fn generated_event_streams() {
    check_cases(200, cycles(), |cs| check(&cs));
}

#[test]
fn counters_wrap_at_two_to_the_32() {
    // 65,540 × 0xFFFF into counter 5 passes 2^32 once
    let mut cs: Vec<Cycle> = (0..65_540)
        .map(|_| Cycle {
            events: 1 << 5,
            amount: 0xFFFF,
            clear: false,
            addr: 5,
        })
        .collect();
    cs.push(Cycle {
        events: 0,
        amount: 0,
        clear: false,
        addr: 5,
    });
    let got = rtl_reads(&cs, &[]);
    let want = (65_540u64 * 0xFFFF % (1 << 32)) as u32;
    assert_eq!(*got.last().unwrap(), want);
    assert!(65_540u64 * 0xFFFF > 1 << 32);
    check(&cs).unwrap();
}
