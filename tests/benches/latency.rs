//! Port-to-port latency of the two-port data path (`SwitchCore`) in core cycles, for
//! BENCHMARKS.md: `cargo bench -p flowdist-tests --bench latency`.
//!
//! One frame at a time into port 0 (to a TM on the trunk by MAC rewrite, so it leaves port 1
//! the same length), receive clock in phase with the core; latency is from the first
//! preamble byte on the receive side to the first preamble byte on the transmit side
//! ("first bit in, first bit out"), and the same minus the frame's own length + 8 (what a
//! store-and-forward device cannot avoid).
use flowdist_model::tables::Delivery;
use flowdist_tests::configs::all_hashed;
use flowdist_tests::frames::{apply, tcp4, Mutation};
use flowdist_tests::switch_harness::{SwitchSim, CORE_HALF_PS};

fn main() {
    let cfg = all_hashed(Delivery::Mac);
    let base = tcp4(0x0A00_0001, 0xCB00_710A, 1000, 80);
    for len in [64usize, 512, 1518] {
        let f = if len == 64 {
            base.bytes()
        } else {
            apply(&base, &Mutation::Pad(len))
        };
        assert_eq!(f.len(), len);
        let mut s = SwitchSim::new(&cfg);
        let w = s.run(
            [&[f.clone()][..], &[][..]],
            [CORE_HALF_PS, CORE_HALF_PS],
            |_| 12,
        );
        // receive: 4 idle cycles, then the preamble; the receive clock's first rising edge
        // is 1111 ps after the core's, so its cycle k is core cycle k (+ 0.14)
        let rx_first = 4usize;
        let tx_first = w.tx[1].iter().position(|c| c.0).expect("frame not sent");
        let lat = tx_first - rx_first;
        println!(
            "{len:>5} B: first bit in → first bit out {lat} cycles ({:.2} µs at 125 MHz); \
             beyond store-and-forward ({} cycles): {} cycles",
            lat as f64 * 0.008,
            len + 8,
            lat - (len + 8)
        );
    }
}
