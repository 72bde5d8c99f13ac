//! Safe Rust binding to the Verilator simulations of the flowdist hdl tops.
//!
//! `build.rs` emits each top's Verilog from `flowdist-hdl`, verilates it and compiles a
//! generated C++ shim; this wraps the shim. Work is batched: [`Sim::run`] drives a whole
//! stimulus (many cycles) per FFI call and collects the strobed outputs, so a test runs at
//! close to Verilator's own speed. A VCD is written when [`Sim::trace`] was called, or for
//! every simulation when `FLOWDIST_VCD` names a directory.
use std::ffi::{c_char, c_void, CString};
use std::path::Path;

/// A port of a simulated top.
#[derive(Debug, Clone, Copy)]
pub struct PortInfo {
    pub name: &'static str,
    pub width: u32,
    pub input: bool,
}

impl PortInfo {
    pub fn words(&self) -> usize {
        self.width.div_ceil(32) as usize
    }
}

pub(crate) struct DutFns {
    name: &'static str,
    new: unsafe extern "C" fn() -> *mut c_void,
    free: unsafe extern "C" fn(*mut c_void),
    trace: unsafe extern "C" fn(*mut c_void, *const c_char),
    set: unsafe extern "C" fn(*mut c_void, i32, u64),
    get: unsafe extern "C" fn(*mut c_void, i32, *mut u32),
    set_wide: unsafe extern "C" fn(*mut c_void, i32, *const u32),
    poke: unsafe extern "C" fn(*mut c_void, i32, u64),
    eval: unsafe extern "C" fn(*mut c_void, u64),
    #[allow(clippy::type_complexity)]
    run: unsafe extern "C" fn(
        *mut c_void,
        *const u64,
        usize,
        *const i32,
        usize,
        i32,
        *const i32,
        usize,
        *mut u32,
        usize,
        *mut usize,
    ) -> usize,
    #[allow(clippy::type_complexity)]
    run_src: unsafe extern "C" fn(
        *mut c_void,
        *const u64,
        usize,
        *const i32,
        usize,
        i32,
        i32,
        *mut usize,
        usize,
        *mut usize,
        i32,
        *const i32,
        usize,
        *mut u32,
        usize,
        *mut usize,
    ) -> usize,
    ports: &'static [PortInfo],
}

mod duts {
    use super::*;
    include!(concat!(env!("OUT_DIR"), "/duts.rs"));
}

/// The simulated tops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dut {
    /// `HeaderParser` (FCS check + parser + key hashes) with the build's hash polynomial.
    HeaderParser,
    /// `KeyHasher` with the IEEE 802.3 polynomial.
    HasherIeee,
    /// `KeyHasher` with the Castagnoli polynomial.
    HasherCastagnoli,
    /// `AddressCam` with 64 entries.
    AddressCam,
    /// `FrameEditor`.
    FrameEditor,
    /// `IngressPort` (classifier, frame buffer, editor): 64-entry CAM, 4096 buckets.
    IngressPort,
    /// `Classifier` with the tables of `examples/fig11.toml` baked in at build time.
    ClassifierFig11,
    /// `Classifier` (parser + decision): 64-entry CAM, 4096 buckets, build's hash polynomial.
    Classifier,
    /// `BlockFifo` of 16 words of 20 bits.
    BlockFifo,
    /// `ChecksumUpdate` (RFC 1624).
    ChecksumUpdate,
    /// `EventCounters` (the data path's 128 counters).
    EventCounters,
    /// `AsyncFifo` of 16 words of 9 bits (clocks `write_clock`, `read_clock`).
    AsyncFifo,
    /// `GmiiRx`.
    GmiiRx,
    /// `EgressPort`.
    EgressPort,
    /// `MdioWriter` with the board's PHY writes (`board_top::phy_writes`).
    MdioWriter,
    /// `SwitchCore`: both ports at the GMII level, 64-entry CAM, 4096 buckets (clocks
    /// `clock`, `rx0_clock`, `rx1_clock`).
    SwitchCore,
    /// `SwitchCore` as yosys synthesizes it (`synth -flatten`: gates, flip-flops, the DP16KD
    /// instances), for the post-synthesis cross-check.
    SwitchCoreNetlist,
    /// `BoardTop` (the 5A-75B top, RGMII pins) with `examples/fig11.toml` baked in; the
    /// ECP5 primitives from `sim/verilog/ecp5_io.v` (the PLL passes `clk25` through).
    BoardFig11,
    /// `ConnTable` with 1024 slots (2 × 64 buckets of 8).
    ConnTable,
    /// `MacTable` with 1024 slots (512 buckets of 2).
    MacTable,
}

impl Dut {
    fn fns(self) -> &'static DutFns {
        match self {
            Dut::HeaderParser => &duts::HEADER_PARSER,
            Dut::HasherIeee => &duts::HASHER_IEEE,
            Dut::HasherCastagnoli => &duts::HASHER_C,
            Dut::AddressCam => &duts::ADDRESS_CAM,
            Dut::FrameEditor => &duts::FRAME_EDITOR,
            Dut::IngressPort => &duts::INGRESS_PORT,
            Dut::ClassifierFig11 => &duts::CLASSIFIER_FIG11,
            Dut::Classifier => &duts::CLASSIFIER,
            Dut::BlockFifo => &duts::BLOCK_FIFO,
            Dut::ChecksumUpdate => &duts::CHECKSUM_UPDATE,
            Dut::EventCounters => &duts::EVENT_COUNTERS,
            Dut::AsyncFifo => &duts::ASYNC_FIFO,
            Dut::GmiiRx => &duts::GMII_RX,
            Dut::EgressPort => &duts::EGRESS_PORT,
            Dut::MdioWriter => &duts::MDIO_WRITER,
            Dut::SwitchCore => &duts::SWITCH_CORE,
            Dut::SwitchCoreNetlist => &duts::SWITCH_CORE_NETLIST,
            Dut::BoardFig11 => &duts::BOARD_FIG11,
            Dut::ConnTable => &duts::CONN_TABLE,
            Dut::MacTable => &duts::MAC_TABLE,
        }
    }
}

/// Errors from the binding: a port name that the top does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    NoSuchPort { dut: &'static str, port: String },
    NotAnInput { dut: &'static str, port: String },
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::NoSuchPort { dut, port } => write!(f, "{dut} has no port `{port}`"),
            SimError::NotAnInput { dut, port } => write!(f, "{dut}: `{port}` is not an input"),
        }
    }
}
impl std::error::Error for SimError {}

/// In [`Sim::run_clocks`], a clock that drives no input.
pub const VIRTUAL_CLOCK: usize = usize::MAX;

/// One output record: the values of the requested outputs, in request order.
pub type Record = Vec<u128>;

/// A running simulation of one top. Not `Sync`; each test owns its own.
pub struct Sim {
    fns: &'static DutFns,
    h: *mut c_void,
    cycles: u64,
}

// The Verilated model is owned by this handle alone and may move between threads.
unsafe impl Send for Sim {}

impl Sim {
    pub fn new(dut: Dut) -> Self {
        let fns = dut.fns();
        // SAFETY: the shim allocates a fresh model; freed once in Drop.
        let h = unsafe { (fns.new)() };
        let mut s = Sim { fns, h, cycles: 0 };
        if let Ok(dir) = std::env::var("FLOWDIST_VCD") {
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let _ = std::fs::create_dir_all(&dir);
            s.trace(Path::new(&dir).join(format!("{}-{}-{n}.vcd", fns.name, std::process::id())));
        }
        s
    }

    pub fn name(&self) -> &'static str {
        self.fns.name
    }

    pub fn ports(&self) -> &'static [PortInfo] {
        self.fns.ports
    }

    /// Cycles simulated so far.
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// Start writing a VCD of everything from now on.
    pub fn trace(&mut self, path: impl AsRef<Path>) {
        let c = CString::new(path.as_ref().to_string_lossy().as_bytes()).expect("path has NUL");
        // SAFETY: valid handle, NUL-terminated path copied by the shim.
        unsafe { (self.fns.trace)(self.h, c.as_ptr()) }
    }

    /// Index of a port by name.
    pub fn port(&self, name: &str) -> Result<usize, SimError> {
        self.fns
            .ports
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| SimError::NoSuchPort {
                dut: self.fns.name,
                port: name.to_string(),
            })
    }

    fn input(&self, name: &str) -> Result<i32, SimError> {
        let i = self.port(name)?;
        if !self.fns.ports[i].input || name == "clock" || self.fns.ports[i].width > 64 {
            return Err(SimError::NotAnInput {
                dut: self.fns.name,
                port: name.to_string(),
            });
        }
        Ok(i as i32)
    }

    /// Hold an input at a value (until set again or driven by `run`).
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), SimError> {
        let i = self.input(name)?;
        // SAFETY: index checked against the port table.
        unsafe { (self.fns.set)(self.h, i, value) };
        Ok(())
    }

    /// Hold an input of any width (up to 128 bits) at a value.
    pub fn set_u128(&mut self, name: &str, value: u128) -> Result<(), SimError> {
        let i = self.port(name)?;
        let p = &self.fns.ports[i];
        if !p.input || name == "clock" {
            return Err(SimError::NotAnInput {
                dut: self.fns.name,
                port: name.to_string(),
            });
        }
        if p.width <= 64 {
            // SAFETY: index checked against the port table.
            unsafe { (self.fns.set)(self.h, i as i32, value as u64) };
        } else {
            let w: Vec<u32> = (0..p.words()).map(|k| (value >> (32 * k)) as u32).collect();
            // SAFETY: `w` holds as many words as the port has.
            unsafe { (self.fns.set_wide)(self.h, i as i32, w.as_ptr()) };
        }
        Ok(())
    }

    /// Read a port of any width now, as 32-bit words, least significant first.
    pub fn get_words(&self, name: &str) -> Result<Vec<u32>, SimError> {
        let i = self.port(name)?;
        let mut w = vec![0u32; self.fns.ports[i].words()];
        // SAFETY: buffer sized from the port width.
        unsafe { (self.fns.get)(self.h, i as i32, w.as_mut_ptr()) };
        Ok(w)
    }

    /// Read any port now (the low 128 bits).
    pub fn get(&self, name: &str) -> Result<u128, SimError> {
        let i = self.port(name)?;
        let mut w = vec![0u32; self.fns.ports[i].words()];
        // SAFETY: buffer sized from the port width.
        unsafe { (self.fns.get)(self.h, i as i32, w.as_mut_ptr()) };
        Ok(words_to_u128(&w))
    }

    /// Index of an input that [`Sim::poke`] may drive (clocks included).
    pub fn poke_index(&self, name: &str) -> Result<usize, SimError> {
        let i = self.port(name)?;
        if !self.fns.ports[i].input || self.fns.ports[i].width > 64 {
            return Err(SimError::NotAnInput {
                dut: self.fns.name,
                port: name.to_string(),
            });
        }
        Ok(i)
    }

    /// Set an input (by [`Sim::poke_index`]) without evaluating: for tops with several
    /// clocks, driven by [`Sim::run_clocks`].
    pub fn poke(&mut self, input: usize, value: u64) {
        assert!(self.fns.ports[input].input, "poke: not an input");
        // SAFETY: index checked against the port table.
        unsafe { (self.fns.poke)(self.h, input as i32, value) }
    }

    /// Read a port by index.
    pub fn get_index(&self, port: usize) -> u128 {
        let mut w = [0u32; 4];
        assert!(
            self.fns.ports[port].words() <= 4,
            "get_index: port wider than 128 bits"
        );
        // SAFETY: at most 4 words written, for a port of at most 128 bits.
        unsafe { (self.fns.get)(self.h, port as i32, w.as_mut_ptr()) };
        words_to_u128(&w[..self.fns.ports[port].words()])
    }

    /// Run several clocks, each with its own half period (picoseconds), until `until_ps`.
    /// A clock given as [`VIRTUAL_CLOCK`] drives no input: its edges only call `drive` and
    /// `sample` (a testbench acting between the design's clock edges).
    /// Before each falling edge of clock `d`, `drive(self, d)` may poke that domain's inputs
    /// (they settle with the falling edge, half a period before the rising one); after each
    /// rising edge `sample(self, d)` may read outputs. Clocks start low at time 0 and their
    /// first rising edge is at their `start_ps`.
    pub fn run_clocks(
        &mut self,
        clocks: &[(usize, u64, u64)],
        until_ps: u64,
        mut drive: impl FnMut(&mut Sim, usize),
        mut sample: impl FnMut(&mut Sim, usize),
    ) {
        // (next edge time, level after it)
        let mut next: Vec<(u64, bool)> = clocks.iter().map(|&(_, _, s)| (s, true)).collect();
        loop {
            let (d, &(t, rising)) = next
                .iter()
                .enumerate()
                .min_by_key(|(_, (t, _))| *t)
                .expect("no clocks");
            if t > until_ps {
                break;
            }
            if !rising {
                drive(self, d);
            }
            if clocks[d].0 != VIRTUAL_CLOCK {
                self.poke(clocks[d].0, rising as u64);
            }
            // SAFETY: valid handle.
            unsafe { (self.fns.eval)(self.h, t) };
            if rising {
                sample(self, d);
            }
            next[d] = (t + clocks[d].1, !rising);
        }
    }

    /// Assert `reset` for `cycles` cycles, then release it.
    pub fn reset(&mut self, cycles: usize) -> Result<(), SimError> {
        self.set("reset", 1)?;
        self.run(&[], &[], cycles, None, &[])?;
        self.set("reset", 0)
    }

    fn records(
        &self,
        outputs: &[&str],
        strobe: Option<&str>,
    ) -> Result<(Vec<i32>, i32, Vec<usize>), SimError> {
        let outs = outputs
            .iter()
            .map(|n| self.port(n).map(|i| i as i32))
            .collect::<Result<Vec<_>, _>>()?;
        let strobe = match strobe {
            Some(s) => self.port(s)? as i32,
            None => -1,
        };
        let widths = outs
            .iter()
            .map(|&i| self.fns.ports[i as usize].words())
            .collect();
        Ok((outs, strobe, widths))
    }

    /// Feed a source under back-pressure: each cycle the next row of `rows` (one value per
    /// input of `inputs`) is presented with `valid` = 1 and consumed when the output `ready`
    /// is 1 at the clock edge; after the last row, `valid` is 0 for `tail` more cycles.
    /// Records the `outputs` after every edge where `strobe` is non-zero (or every edge).
    #[allow(clippy::too_many_arguments)]
    pub fn stream(
        &mut self,
        valid: &str,
        ready: &str,
        inputs: &[&str],
        rows: &[u64],
        tail: usize,
        strobe: Option<&str>,
        outputs: &[&str],
    ) -> Result<Vec<Record>, SimError> {
        assert!(
            !inputs.is_empty() && rows.len().is_multiple_of(inputs.len()),
            "rows must be whole"
        );
        let n_rows = rows.len() / inputs.len();
        let ins = inputs
            .iter()
            .map(|n| self.input(n))
            .collect::<Result<Vec<_>, _>>()?;
        let valid = self.input(valid)?;
        let ready = self.port(ready)? as i32;
        let (outs, strobe, widths) = self.records(outputs, strobe)?;
        let wpr: usize = widths.iter().sum();
        let chunk = 4096usize;
        let mut buf = vec![0u32; wpr.max(1) * chunk];
        let mut recs = Vec::new();
        let (mut pos, mut tail_done) = (0usize, 0usize);
        while pos < n_rows || tail_done < tail {
            let mut n = 0usize;
            // SAFETY: rows hold n_rows × inputs values; the buffer holds chunk records.
            let ran = unsafe {
                (self.fns.run_src)(
                    self.h,
                    rows.as_ptr(),
                    n_rows,
                    ins.as_ptr(),
                    ins.len(),
                    valid,
                    ready,
                    &mut pos,
                    tail,
                    &mut tail_done,
                    strobe,
                    outs.as_ptr(),
                    outs.len(),
                    buf.as_mut_ptr(),
                    chunk,
                    &mut n,
                )
            };
            decode(&buf, n, wpr, &widths, &mut recs);
            self.cycles += ran as u64;
        }
        Ok(recs)
    }

    /// Run `cycles` cycles. `stim` holds one row of `inputs.len()` values per cycle (may be
    /// empty when `inputs` is). After each rising edge, when `strobe` is `None` or that output
    /// is non-zero, the `outputs` are recorded.
    pub fn run(
        &mut self,
        inputs: &[&str],
        stim: &[u64],
        cycles: usize,
        strobe: Option<&str>,
        outputs: &[&str],
    ) -> Result<Vec<Record>, SimError> {
        assert_eq!(
            stim.len(),
            inputs.len() * cycles,
            "stimulus must have one row per cycle"
        );
        let ins = inputs
            .iter()
            .map(|n| self.input(n))
            .collect::<Result<Vec<_>, _>>()?;
        let (outs, strobe, widths) = self.records(outputs, strobe)?;
        let wpr: usize = widths.iter().sum();
        let chunk = 4096usize;
        let mut buf = vec![0u32; wpr.max(1) * chunk];
        let mut recs = Vec::new();
        let mut done = 0usize;
        while done < cycles {
            let mut n = 0usize;
            // SAFETY: stim rows and the output buffer are sized for what the shim may touch.
            let ran = unsafe {
                (self.fns.run)(
                    self.h,
                    stim.as_ptr().add(done * inputs.len()),
                    cycles - done,
                    ins.as_ptr(),
                    ins.len(),
                    strobe,
                    outs.as_ptr(),
                    outs.len(),
                    buf.as_mut_ptr(),
                    chunk,
                    &mut n,
                )
            };
            decode(&buf, n, wpr, &widths, &mut recs);
            done += ran;
        }
        self.cycles += cycles as u64;
        Ok(recs)
    }
}

/// Split `n` records of `wpr` words into values of the given word widths.
fn decode(buf: &[u32], n: usize, wpr: usize, widths: &[usize], recs: &mut Vec<Record>) {
    for r in 0..n {
        let mut w = &buf[r * wpr..(r + 1) * wpr];
        let mut rec = Vec::with_capacity(widths.len());
        for &k in widths {
            rec.push(words_to_u128(&w[..k]));
            w = &w[k..];
        }
        recs.push(rec);
    }
}

fn words_to_u128(w: &[u32]) -> u128 {
    w.iter()
        .take(4)
        .rev()
        .fold(0u128, |v, &x| (v << 32) | x as u128)
}

impl Drop for Sim {
    fn drop(&mut self) {
        // SAFETY: handle from `new`, freed once.
        unsafe { (self.fns.free)(self.h) }
    }
}
