// Behavioural model of the Lattice ECP5 DP16KD block RAM, for Verilator only (synthesis uses
// the real primitive; the yosys ECP5 cell library carries just a stub). Written from the
// port and parameter description in Lattice FPGA-TN-02204 (ECP5 Memory Usage Guide).
//
// Covers what flowdist's BlockRam uses: both ports the same width (1, 2, 4, 9 or 18 bits),
// one clock per port, CE/OCE/WE, REGMODE NOREG or OUTREG per port, WRITEMODE NORMAL, byte
// enables on ADx1..ADx0 in x18 mode, chip selects tied to their decode, INITVAL_00..3F.
// Reset, GSR and READBEFOREWRITE/WRITETHROUGH are not modelled.
//
// Storage is the block's 1024 rows of 18 bits. INITVAL_k holds rows 16k..16k+15, row j of it
// in bits 20j..20j+17. A x18 word is a row; x9 word a is row a/2, bits 9(a%2)..+8; x1/x2/x4
// words live in a bit-linear data space of 2048 bytes, byte b in row b/2, bits 9(b%2)..+7.
/* verilator lint_off UNUSEDSIGNAL */
/* verilator lint_off UNUSEDPARAM */
module DP16KD(
  input DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7, DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0,
  input ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0,
  input CEA, OCEA, CLKA, WEA, RSTA,
  input CSA2, CSA1, CSA0,
  output DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5, DOA4, DOA3, DOA2, DOA1, DOA0,
  input DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8, DIB7, DIB6, DIB5, DIB4, DIB3, DIB2, DIB1, DIB0,
  input ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0,
  input CEB, OCEB, CLKB, WEB, RSTB,
  input CSB2, CSB1, CSB0,
  output DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5, DOB4, DOB3, DOB2, DOB1, DOB0
);
  parameter DATA_WIDTH_A = 18;
  parameter DATA_WIDTH_B = 18;
  parameter REGMODE_A = "NOREG";
  parameter REGMODE_B = "NOREG";
  parameter RESETMODE = "SYNC";
  parameter ASYNC_RESET_RELEASE = "SYNC";
  parameter CSDECODE_A = "0b000";
  parameter CSDECODE_B = "0b000";
  parameter WRITEMODE_A = "NORMAL";
  parameter WRITEMODE_B = "NORMAL";
  parameter GSR = "ENABLED";
  parameter INIT_DATA = "STATIC";
  parameter [319:0] INITVAL_00 = 320'h0;
  parameter [319:0] INITVAL_01 = 320'h0;
  parameter [319:0] INITVAL_02 = 320'h0;
  parameter [319:0] INITVAL_03 = 320'h0;
  parameter [319:0] INITVAL_04 = 320'h0;
  parameter [319:0] INITVAL_05 = 320'h0;
  parameter [319:0] INITVAL_06 = 320'h0;
  parameter [319:0] INITVAL_07 = 320'h0;
  parameter [319:0] INITVAL_08 = 320'h0;
  parameter [319:0] INITVAL_09 = 320'h0;
  parameter [319:0] INITVAL_0A = 320'h0;
  parameter [319:0] INITVAL_0B = 320'h0;
  parameter [319:0] INITVAL_0C = 320'h0;
  parameter [319:0] INITVAL_0D = 320'h0;
  parameter [319:0] INITVAL_0E = 320'h0;
  parameter [319:0] INITVAL_0F = 320'h0;
  parameter [319:0] INITVAL_10 = 320'h0;
  parameter [319:0] INITVAL_11 = 320'h0;
  parameter [319:0] INITVAL_12 = 320'h0;
  parameter [319:0] INITVAL_13 = 320'h0;
  parameter [319:0] INITVAL_14 = 320'h0;
  parameter [319:0] INITVAL_15 = 320'h0;
  parameter [319:0] INITVAL_16 = 320'h0;
  parameter [319:0] INITVAL_17 = 320'h0;
  parameter [319:0] INITVAL_18 = 320'h0;
  parameter [319:0] INITVAL_19 = 320'h0;
  parameter [319:0] INITVAL_1A = 320'h0;
  parameter [319:0] INITVAL_1B = 320'h0;
  parameter [319:0] INITVAL_1C = 320'h0;
  parameter [319:0] INITVAL_1D = 320'h0;
  parameter [319:0] INITVAL_1E = 320'h0;
  parameter [319:0] INITVAL_1F = 320'h0;
  parameter [319:0] INITVAL_20 = 320'h0;
  parameter [319:0] INITVAL_21 = 320'h0;
  parameter [319:0] INITVAL_22 = 320'h0;
  parameter [319:0] INITVAL_23 = 320'h0;
  parameter [319:0] INITVAL_24 = 320'h0;
  parameter [319:0] INITVAL_25 = 320'h0;
  parameter [319:0] INITVAL_26 = 320'h0;
  parameter [319:0] INITVAL_27 = 320'h0;
  parameter [319:0] INITVAL_28 = 320'h0;
  parameter [319:0] INITVAL_29 = 320'h0;
  parameter [319:0] INITVAL_2A = 320'h0;
  parameter [319:0] INITVAL_2B = 320'h0;
  parameter [319:0] INITVAL_2C = 320'h0;
  parameter [319:0] INITVAL_2D = 320'h0;
  parameter [319:0] INITVAL_2E = 320'h0;
  parameter [319:0] INITVAL_2F = 320'h0;
  parameter [319:0] INITVAL_30 = 320'h0;
  parameter [319:0] INITVAL_31 = 320'h0;
  parameter [319:0] INITVAL_32 = 320'h0;
  parameter [319:0] INITVAL_33 = 320'h0;
  parameter [319:0] INITVAL_34 = 320'h0;
  parameter [319:0] INITVAL_35 = 320'h0;
  parameter [319:0] INITVAL_36 = 320'h0;
  parameter [319:0] INITVAL_37 = 320'h0;
  parameter [319:0] INITVAL_38 = 320'h0;
  parameter [319:0] INITVAL_39 = 320'h0;
  parameter [319:0] INITVAL_3A = 320'h0;
  parameter [319:0] INITVAL_3B = 320'h0;
  parameter [319:0] INITVAL_3C = 320'h0;
  parameter [319:0] INITVAL_3D = 320'h0;
  parameter [319:0] INITVAL_3E = 320'h0;
  parameter [319:0] INITVAL_3F = 320'h0;

  localparam W = DATA_WIDTH_A;
  localparam AB = (W == 18) ? 10 : (W == 9) ? 11 : (W == 4) ? 12 : (W == 2) ? 13 : 14;
  localparam [17:0] MASK = (W == 18) ? 18'h3ffff : (18'h3ffff >> (18 - W));

  reg [17:0] mem [0:1023];
  task load(input integer k, input [319:0] v);
    integer j;
    for (j = 0; j < 16; j = j + 1) mem[16 * k + j] = v[20 * j +: 18];
  endtask
  initial begin
    if (DATA_WIDTH_A != DATA_WIDTH_B) $error("DP16KD model: both ports must have the same width");
    if (!(W == 1 || W == 2 || W == 4 || W == 9 || W == 18)) $error("DP16KD model: width %0d", W);
    load(0, INITVAL_00);
    load(1, INITVAL_01);
    load(2, INITVAL_02);
    load(3, INITVAL_03);
    load(4, INITVAL_04);
    load(5, INITVAL_05);
    load(6, INITVAL_06);
    load(7, INITVAL_07);
    load(8, INITVAL_08);
    load(9, INITVAL_09);
    load(10, INITVAL_0A);
    load(11, INITVAL_0B);
    load(12, INITVAL_0C);
    load(13, INITVAL_0D);
    load(14, INITVAL_0E);
    load(15, INITVAL_0F);
    load(16, INITVAL_10);
    load(17, INITVAL_11);
    load(18, INITVAL_12);
    load(19, INITVAL_13);
    load(20, INITVAL_14);
    load(21, INITVAL_15);
    load(22, INITVAL_16);
    load(23, INITVAL_17);
    load(24, INITVAL_18);
    load(25, INITVAL_19);
    load(26, INITVAL_1A);
    load(27, INITVAL_1B);
    load(28, INITVAL_1C);
    load(29, INITVAL_1D);
    load(30, INITVAL_1E);
    load(31, INITVAL_1F);
    load(32, INITVAL_20);
    load(33, INITVAL_21);
    load(34, INITVAL_22);
    load(35, INITVAL_23);
    load(36, INITVAL_24);
    load(37, INITVAL_25);
    load(38, INITVAL_26);
    load(39, INITVAL_27);
    load(40, INITVAL_28);
    load(41, INITVAL_29);
    load(42, INITVAL_2A);
    load(43, INITVAL_2B);
    load(44, INITVAL_2C);
    load(45, INITVAL_2D);
    load(46, INITVAL_2E);
    load(47, INITVAL_2F);
    load(48, INITVAL_30);
    load(49, INITVAL_31);
    load(50, INITVAL_32);
    load(51, INITVAL_33);
    load(52, INITVAL_34);
    load(53, INITVAL_35);
    load(54, INITVAL_36);
    load(55, INITVAL_37);
    load(56, INITVAL_38);
    load(57, INITVAL_39);
    load(58, INITVAL_3A);
    load(59, INITVAL_3B);
    load(60, INITVAL_3C);
    load(61, INITVAL_3D);
    load(62, INITVAL_3E);
    load(63, INITVAL_3F);
  end

  // row and bit offset of the word at address bits `a` (the top AB bits of AD13..AD0)
  function [9:0] row_of(input [13:0] ad);
    reg [13:0] a;
    reg [17:0] d;
    begin
      a = ad >> (14 - AB);
      if (W == 18) row_of = a[9:0];
      else if (W == 9) row_of = a[10:1];
      else begin d = W * a; row_of = d[13:4]; end
    end
  endfunction
  function [4:0] off_of(input [13:0] ad);
    reg [13:0] a;
    reg [17:0] d;
    begin
      a = ad >> (14 - AB);
      if (W == 18) off_of = 0;
      else if (W == 9) off_of = a[0] ? 9 : 0;
      else begin d = W * a; off_of = (d[3] ? 9 : 0) + d[2:0]; end
    end
  endfunction

  wire [13:0] ada = {ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0};
  wire [13:0] adb = {ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0};
  wire [17:0] dia = {DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7, DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0};
  wire [17:0] dib = {DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8, DIB7, DIB6, DIB5, DIB4, DIB3, DIB2, DIB1, DIB0};
  // bits of the row a write touches: the word, and in x18 mode only its enabled bytes
  wire [17:0] wma = (W == 18) ? {{9{ada[1]}}, {9{ada[0]}}} : (MASK << off_of(ada));
  wire [17:0] wmb = (W == 18) ? {{9{adb[1]}}, {9{adb[0]}}} : (MASK << off_of(adb));

  reg [17:0] latch_a = 18'h0, latch_b = 18'h0, oreg_a = 18'h0, oreg_b = 18'h0;
  always @(posedge CLKA) if (CEA) begin
    if (WEA) mem[row_of(ada)] <= (mem[row_of(ada)] & ~wma) | (((dia & MASK) << off_of(ada)) & wma);
    else latch_a <= (mem[row_of(ada)] >> off_of(ada)) & MASK;
  end
  always @(posedge CLKA) if (OCEA) oreg_a <= latch_a;
  always @(posedge CLKB) if (CEB) begin
    if (WEB) mem[row_of(adb)] <= (mem[row_of(adb)] & ~wmb) | (((dib & MASK) << off_of(adb)) & wmb);
    else latch_b <= (mem[row_of(adb)] >> off_of(adb)) & MASK;
  end
  always @(posedge CLKB) if (OCEB) oreg_b <= latch_b;

  wire [17:0] doa = (REGMODE_A == "OUTREG") ? oreg_a : latch_a;
  wire [17:0] dob = (REGMODE_B == "OUTREG") ? oreg_b : latch_b;
  assign {DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5, DOA4, DOA3, DOA2, DOA1, DOA0} = doa;
  assign {DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5, DOB4, DOB3, DOB2, DOB1, DOB0} = dob;
endmodule
