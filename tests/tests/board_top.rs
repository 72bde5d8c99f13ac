//! The 5A-75B board top through Verilator at its pins (`examples/fig11.toml` baked in):
//! behavioural PHYs drive RGMII into both ports (both edges of RXC, data changing a quarter
//! period after each edge as the 2 ns delays place it), each port's RXC on its own frequency
//! (±125 ppm against the core), and sample what the board sends on TXD/TX_CTL a quarter period
//! after each core clock edge; the frames are compared with the model port by port, every
//! byte including the FCS, and TXC is checked to run in step with the data.
use flowdist_sim::{Dut, Sim, VIRTUAL_CLOCK};
use flowdist_tests::switch_harness::{compare, gmii_rows, Wire};

/// Core half period in simulation time units of 1/4 ps (125 MHz), so that a receive clock
/// 125 ppm off still has an exact quarter period for its data driver.
const HALF: u64 = 16_000;

/// Runs the frames in (port 0, port 1) with the ports' RXC half periods; returns the wire.
fn run_board(frames: [&[Vec<u8>]; 2], rx_half: [u64; 2]) -> Wire {
    let mut sim = Sim::new(Dut::BoardFig11);
    let input = |s: &Sim, n: &str| s.poke_index(n).unwrap();
    let clk = input(&sim, "clk25");
    let button = input(&sim, "button");
    sim.poke(button, 1); // not pressed (active low)
    let rxc = [input(&sim, "rgmii0_rxc"), input(&sim, "rgmii1_rxc")];
    let rxd = [input(&sim, "rgmii0_rxd"), input(&sim, "rgmii1_rxd")];
    let rxctl = [input(&sim, "rgmii0_rx_ctl"), input(&sim, "rgmii1_rx_ctl")];
    let out = |s: &Sim, n: &str| s.port(n).unwrap();
    let txc = [out(&sim, "rgmii0_txc"), out(&sim, "rgmii1_txc")];
    let txd = [out(&sim, "rgmii0_txd"), out(&sim, "rgmii1_txd")];
    let txctl = [out(&sim, "rgmii0_tx_ctl"), out(&sim, "rgmii1_tx_ctl")];
    // per port: the (RX_CTL, nibble) each RXC edge samples, rising edges first; idle for
    // the first 250 cycles (the PLL locks, then the core stays in reset for 128 cycles)
    let edges: Vec<Vec<(bool, u8)>> = frames
        .iter()
        .map(|fs| {
            std::iter::repeat_n((false, 0), 2 * 250)
                .chain(
                    gmii_rows(fs, |i| 12 + i % 3)
                        .iter()
                        .flat_map(|&(dv, b)| [(dv, b & 0xF), (dv, b >> 4)]),
                )
                .collect()
        })
        .collect();
    let total: usize = frames
        .iter()
        .flat_map(|f| f.iter())
        .map(|f| f.len() + 40)
        .sum();
    let until = edges
        .iter()
        .zip(rx_half)
        .map(|(e, h)| e.len() as u64 * h)
        .max()
        .unwrap()
        + (total as u64 + 4000) * 2 * HALF;
    let mut pos = [1usize; 2]; // edge 0 samples the idle set up before the start
    let mut tx: [Vec<(bool, u8)>; 2] = [Vec::new(), Vec::new()];
    let mut half_byte: [Option<(bool, u8)>; 2] = [None, None];
    let starts = [4_000u64, 10_000];
    assert!(
        rx_half.iter().all(|h| h % 2 == 0),
        "quarter periods must be exact"
    );
    let mut txc_wrong = 0usize;
    sim.run_clocks(
        &[
            (clk, HALF, 0),
            // TX sampling a quarter period after each core edge (rising events)
            (VIRTUAL_CLOCK, HALF / 2, HALF / 2),
            (rxc[0], rx_half[0], starts[0]),
            (rxc[1], rx_half[1], starts[1]),
            // RX drivers: a quarter period after each RXC edge (falling events)
            (VIRTUAL_CLOCK, rx_half[0] / 2, starts[0]),
            (VIRTUAL_CLOCK, rx_half[1] / 2, starts[1]),
        ],
        until,
        |s, d| {
            if d >= 4 {
                let p = d - 4;
                let (ctl, nib) = edges[p].get(pos[p]).copied().unwrap_or((false, 0));
                pos[p] += 1;
                s.poke(rxctl[p], ctl as u64);
                s.poke(rxd[p], nib as u64);
            }
        },
        |s, d| {
            if d == 1 {
                for p in 0..2 {
                    let ctl = s.get_index(txctl[p]) != 0;
                    let nib = s.get_index(txd[p]) as u8;
                    let c = s.get_index(txc[p]) != 0;
                    match half_byte[p].take() {
                        None => {
                            // after a rising edge: TXC high, low nibble and TX_EN
                            txc_wrong += !c as usize;
                            half_byte[p] = Some((ctl, nib));
                        }
                        Some((en, lo)) => {
                            // after the falling edge: TXC low, high nibble, TX_EN xor TX_ER
                            txc_wrong += c as usize;
                            assert_eq!(en, ctl, "TX_ER asserted on port {p}");
                            tx[p].push((en, lo | (nib << 4)));
                        }
                    }
                }
            }
        },
    );
    assert_eq!(txc_wrong, 0, "TXC not in step with the data");
    Wire {
        tx,
        overruns: [0, 0],
        egress_drops: [0, 0],
        drop_pulses: [0; 6],
        conn_events: Vec::new(),
        mac_events: Vec::new(),
    }
}

/// FIG. 11 through the board's pins: client requests on port 0, TM and server answers on
/// port 1, receive clocks 125 ppm slow on one port and fast on the other.
#[test]
fn fig11_through_the_pins() {
    let (net, trunk) = flowdist_tests::fig11::captures();
    let cfg = flowdist_tests::fig11::config();
    let wire = run_board([&net, &trunk], [HALF + 2, HALF - 2]);
    let n = compare(&cfg, [&net, &trunk], &wire).unwrap_or_else(|e| panic!("{e}"));
    assert!(n[0] > 3 && n[1] > 60, "{n:?}");
}

/// The PHYs' start-up writes at the board's pins (`mdc`, `mdio`; the simulated board starts
/// them 1,000 cycles after reset): every PHY address told to advertise 1000BASE-T full
/// duplex only and to restart auto-negotiation, as a PHY decodes them.
#[test]
fn phys_told_to_advertise_gigabit_only() {
    let mut sim = Sim::new(Dut::BoardFig11);
    let clk = sim.poke_index("clk25").unwrap();
    let button = sim.poke_index("button").unwrap();
    sim.poke(button, 1);
    let (mdc, mdio) = (sim.port("mdc").unwrap(), sim.port("mdio").unwrap());
    let cycles = 1500 + 96 * 64 * 64 + 1000;
    let mut pins = Vec::with_capacity(cycles);
    let mut k = 0u64;
    sim.run_clocks(
        &[(clk, HALF, 0), (VIRTUAL_CLOCK, HALF / 2, HALF / 2)],
        cycles as u64 * 2 * HALF,
        |_, _| {},
        |s, d| {
            // a quarter period after each core edge: keep one sample per core cycle
            if d == 1 {
                if k % 2 == 0 {
                    pins.push((s.get_index(mdc) != 0, s.get_index(mdio) != 0));
                }
                k += 1;
            }
        },
    );
    let got = flowdist_model::mdio_writer::decode(&pins, 25, 2).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(got, flowdist_tests::phy_advertisement());
}
