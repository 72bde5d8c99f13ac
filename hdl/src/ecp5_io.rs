//! ECP5 primitives the board top needs and rust-hdl has no widget for, instantiated as
//! Verilog wrappers (yosys maps them onto the I/O logic and the PLL; Verilator simulates them
//! from `sim/verilog/ecp5_io.v`, the project's behavioural models).
//!
//! Facts from Lattice FPGA-TN-02035 (ECP5 High-Speed I/O), FPGA-TN-02200 (sysCLOCK PLL):
//! - `IDDRX1F`: samples `D` on the rising (Q0) and the falling (Q1) edge of `SCLK`, both
//!   presented together on the next rising edge. RGMII sends bits 3:0 on the rising edge and
//!   7:4 on the falling edge of the same cycle, so Q0 is the low nibble, Q1 the high.
//! - `ODDRX1F`: `D0` goes out while `SCLK` is high, `D1` while it is low (registered).
//! - `DELAYG`: a fixed delay line in the I/O cell, `DEL_VALUE` taps of about 25 ps
//!   (`DEL_MODE = "USER_DEFINED"`, at most 127 taps).
//! - `EHXPLLL`: CLKOP = CLKI / CLKI_DIV × CLKFB_DIV with the feedback from CLKOP; the VCO
//!   (CLKOP × CLKOP_DIV) must lie in 400–800 MHz.
use rust_hdl::prelude::*;

/// `N` pins sampled on both edges of `clock`, each through a `DELAYG` of `_taps` taps
/// (0: no delay element): `rise` bit i from pin i on the rising edge, `fall` on the falling.
#[derive(LogicBlock, Default)]
pub struct DdrIn<const N: usize> {
    pub clock: Signal<In, Clock>,
    pub pins: Signal<In, Bits<N>>,
    pub rise: Signal<Out, Bits<N>>,
    pub fall: Signal<Out, Bits<N>>,
    _taps: u32,
}

impl<const N: usize> DdrIn<N> {
    pub fn new(taps: u32) -> Self {
        assert!(taps < 128, "DELAYG has at most 127 taps");
        Self {
            _taps: taps,
            ..Default::default()
        }
    }
}

impl<const N: usize> Logic for DdrIn<N> {
    fn update(&mut self) {
        // rust-hdl's simulator: both nibbles as seen at the rising edge (not used for timing)
        if self.clock.pos_edge() {
            self.rise.next = self.pins.val();
            self.fall.next = self.pins.val();
        }
    }

    fn connect(&mut self) {
        self.rise.connect();
        self.fall.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = String::new();
        let bit = |name: &str, i: usize| pin(name, N, i);
        for i in 0..N {
            let d = if self._taps > 0 {
                code.push_str(&format!(
                    "wire d{i};\nDELAYG #(.DEL_MODE(\"USER_DEFINED\"), .DEL_VALUE({t})) dly{i} \
                     (.A({p}), .Z(d{i}));\n",
                    t = self._taps,
                    p = bit("pins", i)
                ));
                format!("d{i}")
            } else {
                bit("pins", i)
            };
            code.push_str(&format!(
                "IDDRX1F iddr{i} (.D({d}), .SCLK(clock), .RST(1'b0), .Q0({r}), .Q1({f}));\n",
                r = bit("rise", i),
                f = bit("fall", i)
            ));
        }
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}

/// `N` pins driven on both edges of `clock`: `rise` bit i while the clock is high, `fall`
/// while it is low; with `_taps` > 0 each pin goes through a `DELAYG` after its `ODDRX1F`.
#[derive(LogicBlock, Default)]
pub struct DdrOut<const N: usize> {
    pub clock: Signal<In, Clock>,
    pub rise: Signal<In, Bits<N>>,
    pub fall: Signal<In, Bits<N>>,
    pub pins: Signal<Out, Bits<N>>,
    _taps: u32,
}

impl<const N: usize> DdrOut<N> {
    pub fn new(taps: u32) -> Self {
        assert!(taps < 128, "DELAYG has at most 127 taps");
        Self {
            _taps: taps,
            ..Default::default()
        }
    }
}

impl<const N: usize> Logic for DdrOut<N> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.pins.next = self.rise.val();
        }
    }

    fn connect(&mut self) {
        self.pins.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = String::new();
        let bit = |name: &str, i: usize| pin(name, N, i);
        for i in 0..N {
            let q = if self._taps > 0 {
                code.push_str(&format!(
                    "wire q{i};\nDELAYG #(.DEL_MODE(\"USER_DEFINED\"), .DEL_VALUE({t})) dly{i} \
                     (.A(q{i}), .Z({p}));\n",
                    t = self._taps,
                    p = bit("pins", i)
                ));
                format!("q{i}")
            } else {
                bit("pins", i)
            };
            code.push_str(&format!(
                "ODDRX1F oddr{i} (.D0({r}), .D1({f}), .SCLK(clock), .RST(1'b0), .Q({q}));\n",
                r = bit("rise", i),
                f = bit("fall", i)
            ));
        }
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}

/// Bit `i` of an `n`-bit port in Verilog (rust-hdl declares 1-bit ports as scalars).
fn pin(name: &str, n: usize, i: usize) -> String {
    if n == 1 {
        name.to_string()
    } else {
        format!("{name}[{i}]")
    }
}

/// The core clock: 125 MHz from the board's 25 MHz (VCO 625 MHz), and the PLL's lock.
#[derive(LogicBlock, Default)]
pub struct CorePll {
    pub clk25: Signal<In, Clock>,
    pub clk125: Signal<Out, Clock>,
    pub locked: Signal<Out, Bit>,
}

impl Logic for CorePll {
    fn update(&mut self) {}

    fn connect(&mut self) {
        self.clk125.connect();
        self.locked.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Wrapper(Wrapper {
            code: r#"(* FREQUENCY_PIN_CLKI="25", FREQUENCY_PIN_CLKOP="125", ICP_CURRENT="12", LPF_RESISTOR="8", MFG_ENABLE_FILTEROPAMP="1", MFG_GMCREF_SEL="2" *)
EHXPLLL #(.PLLRST_ENA("DISABLED"), .INTFB_WAKE("DISABLED"), .STDBY_ENABLE("DISABLED"),
  .DPHASE_SOURCE("DISABLED"), .OUTDIVIDER_MUXA("DIVA"), .OUTDIVIDER_MUXB("DIVB"),
  .OUTDIVIDER_MUXC("DIVC"), .OUTDIVIDER_MUXD("DIVD"), .CLKI_DIV(1), .CLKOP_ENABLE("ENABLED"),
  .CLKOP_DIV(5), .CLKOP_CPHASE(2), .CLKOP_FPHASE(0), .FEEDBK_PATH("CLKOP"), .CLKFB_DIV(5))
pll (.RST(1'b0), .STDBY(1'b0), .CLKI(clk25), .CLKOP(clk125), .CLKFB(clk125),
  .CLKINTFB(), .PHASESEL0(1'b0), .PHASESEL1(1'b0), .PHASEDIR(1'b1), .PHASESTEP(1'b1),
  .PHASELOADREG(1'b1), .PLLWAKESYNC(1'b0), .ENCLKOP(1'b0), .LOCK(locked));
"#
            .to_string(),
            cores: String::new(),
        })
    }
}
