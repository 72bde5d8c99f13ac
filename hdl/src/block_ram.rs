//! A simple dual-port block RAM with registered output: 2^A words of `W` bits, one write port, one
//! read port, one clock. `read_data` is the word at the `read_address` presented two rising
//! edges before (the address is registered inside the RAM, the data in the RAM's own output
//! register).
//!
//! Why not rust-hdl's `RAM`: yosys maps it onto DP16KD blocks without their output register
//! (REGMODE = NOREG), so every path out of it starts with the block's 5.8 ns clock-to-output
//! (LFE5U speed 6) and the frame buffer and queues stopped at 120–127 MHz. yosys does not fold
//! a register behind the memory into the block, so this module instantiates the DP16KD
//! primitives itself with `REGMODE_B = "OUTREG"`.
//!
//! Mapping (Lattice FPGA-TN-02204, ECP5 Memory Usage Guide, DP16KD): the block is configured
//! as 16384×1, 8192×2, 4096×4, 2048×9 or 1024×18; the narrowest word that still gives 2^A
//! entries is used and enough blocks are placed side by side to cover the width. The address
//! sits in the top bits of ADx13..ADx0 (ADx13..ADx4 for ×18, ADx13..ADx3 for ×9, ADx13..ADx2
//! for ×4, ...); in ×18 mode ADA1..ADA0 are the write port's byte enables (tied high). Port A
//! writes, port B reads.
//!
//! Port A also reads when it does not write: `write_port_data` is the word at the
//! `write_address` presented two rising edges before without `write_enable` (its own output
//! register), so a table can read two words a cycle (`ConnTable` scans both candidate buckets
//! at once). Users that leave it unconnected lose nothing: synthesis drops the output.
//!
//! Initial contents (build-time table images, R14) go into the blocks' INITVAL_00..3F
//! parameters: each holds 16 rows of 18 bits, row r in bits 20r..20r+17. A row is one ×18
//! word, two ×9 words (the even address low), or, for ×1/×2/×4, two bytes of the block's
//! bit-linear data space (word a of width w at data bit w·a; byte 2r in row bits 7..0, byte
//! 2r+1 in bits 16..9), the layout yosys's own ECP5 mapping uses.
//!
//! Simulation: Verilator compiles `sim/verilog/dp16kd.v`, the project's behavioural model of
//! the primitive (the yosys ECP5 library has only a stub); rust-hdl's simulator uses
//! `update` below. Both give the same two-edge read latency.
use rust_hdl::prelude::*;
use std::collections::BTreeMap;

#[derive(LogicBlock, Default)]
pub struct BlockRam<const W: usize, const A: usize> {
    pub clock: Signal<In, Clock>,
    pub write_enable: Signal<In, Bit>,
    pub write_address: Signal<In, Bits<A>>,
    pub write_data: Signal<In, Bits<W>>,
    pub read_address: Signal<In, Bits<A>>,
    pub read_data: Signal<Out, Bits<W>>,
    /// Port A's read: the word at `write_address` two edges before, when not writing.
    pub write_port_data: Signal<Out, Bits<W>>,
    _mem: BTreeMap<Bits<A>, Bits<W>>,
    _init: BTreeMap<Bits<A>, Bits<W>>,
    _latch: Bits<W>,
    _latch_a: Bits<W>,
}

impl<const W: usize, const A: usize> BlockRam<W, A> {
    /// With these initial contents (every other word zero).
    pub fn new(contents: BTreeMap<Bits<A>, Bits<W>>) -> Self {
        Self {
            _mem: contents.clone(),
            _init: contents,
            ..Default::default()
        }
    }
}

/// DP16KD word width for 2^A entries: (data bits per block, address bits used).
pub fn dp16kd_mode(a: usize) -> (usize, usize) {
    match a {
        0..=10 => (18, 10),
        11 => (9, 11),
        12 => (4, 12),
        13 => (2, 13),
        14 => (1, 14),
        _ => panic!("BlockRam: 2^{a} entries do not fit one DP16KD column (at most 2^14)"),
    }
}

impl<const W: usize, const A: usize> Logic for BlockRam<W, A> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.read_data.next = self._latch;
            self.write_port_data.next = self._latch_a;
            self._latch = *self
                ._mem
                .get(&self.read_address.val())
                .unwrap_or(&Bits::<W>::default());
            if self.write_enable.val() {
                self._mem
                    .insert(self.write_address.val(), self.write_data.val());
            } else {
                self._latch_a = *self
                    ._mem
                    .get(&self.write_address.val())
                    .unwrap_or(&Bits::<W>::default());
            }
        }
    }

    fn connect(&mut self) {
        self.read_data.connect();
        self.write_port_data.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Wrapper(Wrapper {
            code: dp16kd_columns(W, A, &init_words(&self._init)),
            cores: String::new(),
        })
    }
}

/// Initial contents as (address, bits LSB first).
fn init_words<const W: usize, const A: usize>(
    m: &BTreeMap<Bits<A>, Bits<W>>,
) -> Vec<(usize, Vec<bool>)> {
    m.iter()
        .map(|(a, d)| (a.to_u64() as usize, (0..W).map(|i| d.get_bit(i)).collect()))
        .collect()
}

/// The 64 INITVAL values (320 bits each, as 80 hex digits) of block `b` of a column of
/// ×`w` blocks holding `words`.
fn initvals(w: usize, b: usize, words: &[(usize, Vec<bool>)]) -> Vec<String> {
    let mut rows = vec![0u32; 1024]; // 18-bit rows
    for (a, bits) in words {
        for i in 0..w {
            if !bits.get(b * w + i).copied().unwrap_or(false) {
                continue;
            }
            let (row, bit) = match w {
                18 => (*a, i),
                9 => (a / 2, 9 * (a % 2) + i),
                _ => {
                    let d = w * a + i; // bit-linear data space
                    let byte = d / 8;
                    (byte / 2, 9 * (byte % 2) + d % 8)
                }
            };
            rows[row] |= 1 << bit;
        }
    }
    (0..64)
        .map(|k| {
            // 16 rows in 20-bit slots, most significant slot first
            (0..16)
                .rev()
                .map(|j| format!("{:05X}", rows[16 * k + j]))
                .collect()
        })
        .collect()
}

/// The wrapper body: DP16KD blocks side by side covering `width` bits of 2^`abits` words,
/// loaded with `words`.
fn dp16kd_columns(width: usize, abits: usize, words: &[(usize, Vec<bool>)]) -> String {
    let (w, used) = dp16kd_mode(abits);
    let blocks = width.div_ceil(w);
    let padded = blocks * w;
    let mut s = String::new();
    s.push_str(&format!(
        "wire [{p}:0] wd = {{{{{pad}{{1'b0}}}}, write_data}};\nwire [{p}:0] rd;\nwire [{p}:0] ra;\nassign read_data = rd[{hi}:0];\nassign write_port_data = ra[{hi}:0];\n",
        p = padded - 1,
        pad = padded - width,
        hi = width - 1
    ));
    // 14 address pins: the address in the top `used` bits above the low pins
    let low = 14 - used;
    let addr = |port: &str, sig: &str| -> String {
        let mut pins = Vec::new();
        for pin in (0..14).rev() {
            let v = if pin >= low && pin - low < abits {
                format!("{sig}[{}]", pin - low)
            } else if w == 18 && port == "A" && pin < 2 {
                "1'b1".to_string() // byte enables
            } else {
                "1'b0".to_string()
            };
            pins.push(format!(".AD{port}{pin}({v})"));
        }
        pins.join(", ")
    };
    for b in 0..blocks {
        let mut pins = Vec::new();
        for i in 0..18 {
            if i < w {
                pins.push(format!(".DIA{i}(wd[{}])", b * w + i));
                pins.push(format!(".DOB{i}(rd[{}])", b * w + i));
                pins.push(format!(".DOA{i}(ra[{}])", b * w + i));
            } else {
                pins.push(format!(".DIA{i}(1'b0)"));
            }
            pins.push(format!(".DIB{i}(1'b0)"));
        }
        let init: String = if words.is_empty() {
            String::new()
        } else {
            initvals(w, b, words)
                .iter()
                .enumerate()
                .map(|(k, v)| format!(".INITVAL_{k:02X}(320'h{v}), "))
                .collect()
        };
        s.push_str(&format!(
            "DP16KD #({init}.DATA_WIDTH_A({w}), .DATA_WIDTH_B({w}), .REGMODE_A(\"OUTREG\"), \
.REGMODE_B(\"OUTREG\"), .WRITEMODE_A(\"NORMAL\"), .WRITEMODE_B(\"NORMAL\"), \
.CSDECODE_A(\"0b000\"), .CSDECODE_B(\"0b000\"), .RESETMODE(\"SYNC\"), .GSR(\"DISABLED\")) \
bram_{b} (\n  {}, {},\n  .CLKA(clock), .CEA(1'b1), .OCEA(1'b1), .WEA(write_enable), .RSTA(1'b0), \
.CSA2(1'b0), .CSA1(1'b0), .CSA0(1'b0),\n  .CLKB(clock), .CEB(1'b1), .OCEB(1'b1), .WEB(1'b0), \
.RSTB(1'b0), .CSB2(1'b0), .CSB1(1'b0), .CSB0(1'b0),\n  {}\n);\n",
            addr("A", "write_address"),
            addr("B", "read_address"),
            pins.join(", ")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_cover_the_depth() {
        for a in 1..=14 {
            let (w, used) = dp16kd_mode(a);
            assert!(used >= a);
            assert!(w * (1 << used) <= 18 * 1024);
        }
    }

    #[test]
    fn verilog_names_every_block_and_pin() {
        let v = dp16kd_columns(70, 6, &[]);
        assert_eq!(v.matches("DP16KD #").count(), 4);
        assert!(v.contains(".ADB4(read_address[0])"));
        assert!(v.contains(".ADA0(1'b1)"));
        assert!(v.contains(".DOB17(rd[71])"));
        let v = dp16kd_columns(8, 12, &[]);
        assert_eq!(v.matches("DP16KD #").count(), 2);
        assert!(v.contains(".ADB2(read_address[0])"));
        assert!(v.contains(".ADA1(1'b0)"));
        assert!(v.contains(".DOB3(rd[7])"));
        assert!(!v.contains(".DOB4("));
        assert!(!v.contains("INITVAL"));
    }

    #[test]
    fn initial_contents_land_in_the_documented_rows() {
        let bits = |v: u32, w: usize| (0..w).map(|i| v >> i & 1 == 1).collect::<Vec<_>>();
        // x18: word 17 = row 17 = INITVAL_01, slot 1
        let iv = initvals(18, 0, &[(17, bits(0x2_ABCD, 18))]);
        assert_eq!(&iv[1][70..75], "2ABCD");
        // x9: word 3 = row 1 bits 17..9
        let iv = initvals(9, 0, &[(3, bits(0x1FF, 9))]);
        assert_eq!(&iv[0][70..75], "3FE00");
        // x4: nibbles 0..3 = bytes 0 (row 0, bits 7..0) and 1 (row 0, bits 16..9)
        let words: Vec<_> = (0..4).map(|a| (a, bits(a as u32 + 1, 4))).collect();
        let iv = initvals(4, 0, &words);
        assert_eq!(&iv[0][75..80], format!("{:05X}", (0x43 << 9) | 0x21));
        // the second x4 block of an 8-bit column takes the high nibbles
        let iv = initvals(4, 1, &[(0, bits(0xA5, 8))]);
        assert_eq!(&iv[0][75..80], "0000A");
    }
}
