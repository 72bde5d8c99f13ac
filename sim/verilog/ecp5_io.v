// Behavioural models of the ECP5 I/O and clock primitives the board top instantiates, for
// simulation only (yosys maps the real ones). Written from Lattice FPGA-TN-02035 (ECP5
// High-Speed I/O) and FPGA-TN-02200 (sysCLOCK PLL); timing is not modelled:
// - IDDRX1F: D sampled on the rising (Q0) and the following falling (Q1) edge of SCLK, both
//   presented on the next rising edge.
// - ODDRX1F: D0 and D1 registered on the rising edge; Q shows D0 while SCLK is high, D1 while
//   it is low.
// - DELAYG: no delay (a simulation drives and samples the pins a quarter period off the
//   clock edges instead, as the 2 ns delays place them on the board).
// - EHXPLLL: CLKOP is CLKI (a simulation feeds the core frequency on CLKI); LOCK rises after
//   16 CLKI cycles, as the real one locks some time after configuration.
module IDDRX1F(input D, input SCLK, input RST, output reg Q0, output reg Q1);
  reg r, f;
  always @(posedge SCLK) begin
    r <= D;
    Q0 <= r;
    Q1 <= f;
  end
  always @(negedge SCLK) f <= D;
endmodule

module ODDRX1F(input D0, input D1, input SCLK, input RST, output Q);
  reg a, b;
  always @(posedge SCLK) begin
    a <= D0;
    b <= D1;
  end
  assign Q = SCLK ? a : b;
endmodule

module DELAYG #(parameter DEL_MODE = "USER_DEFINED", parameter DEL_VALUE = 0) (input A, output Z);
  assign Z = A;
endmodule

module EHXPLLL #(
  parameter CLKI_DIV = 1, parameter CLKFB_DIV = 1, parameter CLKOP_DIV = 8,
  parameter CLKOS_DIV = 8, parameter CLKOS2_DIV = 8, parameter CLKOS3_DIV = 8,
  parameter CLKOP_ENABLE = "ENABLED", parameter CLKOS_ENABLE = "DISABLED",
  parameter CLKOS2_ENABLE = "DISABLED", parameter CLKOS3_ENABLE = "DISABLED",
  parameter CLKOP_CPHASE = 0, parameter CLKOS_CPHASE = 0, parameter CLKOS2_CPHASE = 0,
  parameter CLKOS3_CPHASE = 0, parameter CLKOP_FPHASE = 0, parameter CLKOS_FPHASE = 0,
  parameter CLKOS2_FPHASE = 0, parameter CLKOS3_FPHASE = 0, parameter FEEDBK_PATH = "CLKOP",
  parameter CLKOP_TRIM_POL = "RISING", parameter CLKOP_TRIM_DELAY = 0,
  parameter CLKOS_TRIM_POL = "RISING", parameter CLKOS_TRIM_DELAY = 0,
  parameter OUTDIVIDER_MUXA = "DIVA", parameter OUTDIVIDER_MUXB = "DIVB",
  parameter OUTDIVIDER_MUXC = "DIVC", parameter OUTDIVIDER_MUXD = "DIVD",
  parameter PLL_LOCK_MODE = 0, parameter PLL_LOCK_DELAY = 200, parameter STDBY_ENABLE = "DISABLED",
  parameter REFIN_RESET = "DISABLED", parameter SYNC_ENABLE = "DISABLED",
  parameter INT_LOCK_STICKY = "ENABLED", parameter DPHASE_SOURCE = "DISABLED",
  parameter PLLRST_ENA = "DISABLED", parameter INTFB_WAKE = "DISABLED"
) (
  input CLKI, input CLKFB, input PHASESEL1, input PHASESEL0, input PHASEDIR, input PHASESTEP,
  input PHASELOADREG, input STDBY, input PLLWAKESYNC, input RST, input ENCLKOP, input ENCLKOS,
  input ENCLKOS2, input ENCLKOS3,
  output CLKOP, output CLKOS, output CLKOS2, output CLKOS3, output LOCK, output INTLOCK,
  output REFCLK, output CLKINTFB
);
  assign CLKOP = CLKI;
  assign CLKOS = CLKI;
  assign CLKOS2 = CLKI;
  assign CLKOS3 = CLKI;
  reg [4:0] lock_count = 5'd0;
  always @(posedge CLKI) if (!lock_count[4]) lock_count <= lock_count + 5'd1;
  assign LOCK = lock_count[4];
  assign INTLOCK = lock_count[4];
  assign REFCLK = CLKI;
  assign CLKINTFB = CLKI;
endmodule
