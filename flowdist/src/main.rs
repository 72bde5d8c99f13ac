//! `flowdist`: the project's command line.
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod capture;
#[cfg(feature = "sim")]
mod compare;
mod ctl;
mod flash;
mod live;
#[cfg(feature = "sim")]
mod live_sim;
mod report;
mod run;

#[derive(Parser)]
#[command(
    name = "flowdist",
    version,
    about = "FPGA flow distributor: build, inspect, model"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum)]
enum Top {
    /// The 5A-75B synthesis top (module `flowdist_top`)
    Board,
    /// The per-port HeaderParser (module `top`)
    Parser,
    /// A bare KeyHasher (module `top`)
    Hasher,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Hash {
    Crc32,
    Crc32c,
}

impl Hash {
    fn poly(self) -> u32 {
        match self {
            Hash::Crc32 => flowdist_hdl::crc32_byte::POLY_IEEE,
            Hash::Crc32c => flowdist_hdl::crc32_byte::POLY_CASTAGNOLI,
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Fcs {
    Auto,
    Present,
    Absent,
}

#[derive(Clone, Copy, ValueEnum)]
enum Rev {
    #[value(name = "v8.0")]
    V80,
    #[value(name = "v8.2")]
    V82,
    #[value(name = "v7.0")]
    V70,
}

#[derive(Subcommand)]
enum Cmd {
    /// Print (or write) the Verilog of a top.
    Emit {
        #[arg(long, value_enum, default_value = "board")]
        top: Top,
        #[arg(long, value_enum, default_value = "crc32")]
        hash: Hash,
        /// Output file (default: standard output)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Build the bitstream for the Colorlight 5A-75B: Verilog, yosys, nextpnr-ecp5, ecppack,
    /// with a utilization and Fmax report; fails when timing is not met.
    Build {
        /// Board revision (pins and speed grade)
        #[arg(long, value_enum, default_value = "v8.0")]
        rev: Rev,
        #[arg(long, value_enum, default_value = "crc32")]
        hash: Hash,
        /// Build folder (reports and bitstream land here)
        #[arg(long, default_value = "build/ecp5")]
        out: PathBuf,
        /// nextpnr placement seeds, tried in order until one meets timing (the best run is
        /// kept when none does)
        #[arg(long, value_delimiter = ',', default_values_t = [1, 2, 3, 4])]
        seed: Vec<u32>,
        /// Configuration whose tables are baked into the bitstream (R14)
        #[arg(long, default_value = "examples/fig11.toml")]
        config: PathBuf,
    },
    /// Program the board over JTAG with openFPGALoader (installed from Debian if absent):
    /// into the FPGA's SRAM (until power-off), or with --flash into the SPI flash.
    Flash {
        /// The bitstream
        #[arg(long, default_value = "build/ecp5/flowdist_top.bit")]
        bit: PathBuf,
        /// Write the SPI flash (the board boots with it) instead of the SRAM
        #[arg(long)]
        flash: bool,
        /// JTAG adapter, as openFPGALoader names it (default: its own for `colorlight`)
        #[arg(long)]
        cable: Option<String>,
    },
    /// Check a configuration file and show what it compiles to (CAM, TMs, bucket shares).
    Check {
        /// The TOML configuration
        config: PathBuf,
    },
    /// Run the golden model as a distributor on a capture (pcap or pcapng): every frame is
    /// classified, decided (FIG. 6-10, hash selector) and edited as one ingress port of the
    /// hardware would. DIR gets port0.pcap and port1.pcap (frames sent on each port),
    /// drops.pcap (frames not sent, as they came in) and decisions.jsonl (one JSON object
    /// per input frame: index, ingress, len, malformed reasons, MACs, VLANs, EtherType,
    /// IPs, protocol, ports, the CAM entries the source and destination matched (src_cam,
    /// dst_cam: indices as `check` lists them), decision kind, TM, FIG. 9 cell, the hash
    /// bucket (hash cells), used_backup, the connection table's lookup and learn, and
    /// "sent": port or "drop": reason); conn_table.json, the connection table's buckets by
    /// live entries at the end. Drop reasons: malformed (the parser's flags), local (addressed to
    /// the distributor itself), no_tm_up (the bucket's primary and backup are down),
    /// tm_not_configured (an owner TM that does not exist). A summary goes to stdout.
    Run {
        /// The TOML configuration
        #[arg(long)]
        config: PathBuf,
        /// Capture file (pcap or pcapng)
        #[arg(long)]
        pcap: PathBuf,
        /// Output folder (created)
        #[arg(long)]
        out: PathBuf,
        /// The port the capture arrived on (0 or 1)
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=1))]
        ingress: u8,
        /// Whether the capture's frames end with their FCS: `absent` (usual for Linux
        /// captures: each frame is padded to 60 bytes and given one, as a NIC would, and the
        /// output pcaps are written without it), `present`, or `auto`: present when any
        /// frame's last four bytes are its valid FCS
        #[arg(long, value_enum, default_value = "auto")]
        fcs: Fcs,
        /// Through the Verilator simulation of the RTL core instead of the model: DIR gets
        /// the RTL's port0.pcap, port1.pcap and counters.txt (needs a build with
        /// `--features sim`)
        #[arg(long)]
        sim: bool,
        /// With --sim: idle cycles after each frame on the wire (12 = line rate)
        #[arg(long, default_value_t = 12)]
        gap: usize,
    },
    /// Run a capture through both the model and the Verilator simulation of the RTL core and
    /// report, per output port, whether they agree frame for frame and byte for byte, else
    /// the first divergence (output frame, input frame, byte offset, both bytes); then the 64
    /// counters. Needs a build with `--features sim` (Verilator and yosys at build time).
    Compare {
        /// The TOML configuration
        #[arg(long)]
        config: PathBuf,
        /// Capture file (pcap or pcapng)
        #[arg(long)]
        pcap: PathBuf,
        /// The port the capture arrived on (0 or 1)
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=1))]
        ingress: u8,
        /// Whether the capture's frames end with their FCS (as for `run`)
        #[arg(long, value_enum, default_value = "auto")]
        fcs: Fcs,
        /// Idle cycles after each frame on the wire (12 = line rate)
        #[arg(long, default_value_t = 12)]
        gap: usize,
    },
    /// Run the golden model as a live distributor between two Linux interfaces (raw AF_PACKET
    /// sockets, promiscuous; needs root or CAP_NET_RAW). The first interface of --ports is
    /// the hardware's port 0, the second port 1. Every frame received on a port is
    /// classified, decided and edited as `run` does with a capture frame arriving on that
    /// ingress (padded to 60 bytes and given an FCS, as a NIC sends it; received 802.1Q tags
    /// kept), and the frame the model sends goes out of the interface of its egress port
    /// (an ARP reply back out of the port the request came in on). Frames the host itself
    /// sends on the interfaces are not processed. Stops after --count frames, --seconds, or
    /// on Ctrl-C, and prints a summary: frames in per port, sent per port, not sent by
    /// reason (as `run`, plus send_error: the interface refused the frame). Control frames
    /// (R10, EtherType 0x88B5 to the group MAC) are answered as the hardware answers them
    /// (`flowdist ctl` talks to it; the configuration's [control] section says who may), never
    /// forwarded; writes change the running tables.
    Live {
        /// The TOML configuration
        #[arg(long)]
        config: PathBuf,
        /// The two interfaces, port 0 then port 1 (e.g. eth1,eth2)
        #[arg(long, value_delimiter = ',', num_args = 1, required = true)]
        ports: Vec<String>,
        /// Stop after this many frames received (both ports together)
        #[arg(long)]
        count: Option<u64>,
        /// Stop after this many seconds
        #[arg(long)]
        seconds: Option<f64>,
        /// Write the decision log here (decisions.jsonl records, as `run` writes them)
        #[arg(long)]
        log: Option<PathBuf>,
        /// The Verilator simulation of the RTL core instead of the model (its control port
        /// on): slow, a few hundred frames a second, for trying the hardware's own logic
        /// (e.g. `flowdist ctl` against its control port) on a real network stack. Needs a
        /// build with `--features sim`
        #[arg(long)]
        sim: bool,
    },
    /// After a run: frames, bytes and flows sent to each TM (from DIR/decisions.jsonl, as
    /// `run` or `live --log` write it) with their imbalance and a plot (spread.svg); with
    /// --config, the buckets each TM serves (buckets.svg) and the hash buckets by connections
    /// held against a uniform hash (occupancy.svg); the connection table's buckets by live
    /// entries (conn_table.svg, from the run's conn_table.json); and the last build's
    /// utilization and Fmax per clock (from the build folder's summary.json).
    Report {
        /// The run's output folder (holding decisions.jsonl)
        run: PathBuf,
        /// Configuration whose bucket spread to show
        #[arg(long)]
        config: Option<PathBuf>,
        /// Build folder of `flowdist build`
        #[arg(long, default_value = "build/ecp5")]
        build: PathBuf,
        /// Where the plots go (default: the run's folder)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Speak the control protocol (R10) to a distributor (the board, or `flowdist live`) over
    /// a raw interface (needs root or CAP_NET_RAW): read and write configuration-bus words,
    /// read counters, push a configuration, mark TMs up, down or drained, send a TM's
    /// memorize / forget / relate signals and a peer's mirror. Requests are retried (--tries, same sequence number) and
    /// answered within --timeout, or the command fails saying so. docs/PROTOCOL.md has the
    /// register map and who may send what.
    Ctl(ctl::CtlArgs),
    /// Parse the frames of a pcap/pcapng capture with the golden model, one line per frame.
    Parse {
        /// Capture file
        pcap: PathBuf,
        /// The capture's frames carry no FCS (usual for Linux captures): pad to 60 bytes and
        /// add a correct FCS, as a NIC would
        #[arg(long)]
        add_fcs: bool,
    },
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// What a configuration file sets in the board top: its tables as configuration-bus writes
/// and its registers (group MAC, FIG. 9 table, TMs up, trunk port, hash options).
fn board_settings(path: &Path) -> Result<flowdist_hdl::board_top::BoardSettings, String> {
    let path = if path.is_relative() {
        repo_root().join(path)
    } else {
        path.to_path_buf()
    };
    let cfg = flowdist_control::config::Config::load(&path).map_err(|e| e.to_string())?;
    let t = flowdist_control::compile::compile(&cfg, 64).map_err(|e| e.to_string())?;
    Ok(flowdist_control::compile::board_settings(
        &t.data_plane(),
        &cfg.control.access(),
        &cfg.bridge.settings(),
    ))
}

fn verilog(top: Top, hash: Hash) -> String {
    let poly = hash.poly();
    match top {
        Top::Board => flowdist_hdl::tops::board_top_verilog(poly, &Default::default()),
        Top::Parser => flowdist_hdl::tops::header_parser_verilog(poly),
        Top::Hasher => flowdist_hdl::tops::key_hasher_verilog(poly),
    }
}

fn build(rev: Rev, hash: Hash, out: &Path, seed: &[u32], config: &Path) -> Result<(), String> {
    let root = repo_root();
    let (lpf, speed) = match rev {
        Rev::V80 => ("colorlight_5a75b_v8.0.lpf", "6"),
        Rev::V82 => ("colorlight_5a75b_v8.2.lpf", "7"),
        Rev::V70 => ("colorlight_5a75b_v7.0.lpf", "6"),
    };
    let status = Command::new("bash")
        .arg(root.join("fpga-build/setup-venv.sh"))
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run fpga-build/setup-venv.sh: {e}"))?;
    if !status.success() {
        return Err("installing the FPGA tools failed (fpga-build/setup-venv.sh)".into());
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let vfile = out.join("flowdist_top.v");
    let settings = board_settings(config)?;
    let v = flowdist_hdl::tops::board_top_verilog(hash.poly(), &settings);
    std::fs::write(&vfile, v).map_err(|e| format!("{}: {e}", vfile.display()))?;
    println!(
        "tables of {} baked in ({} words)",
        config.display(),
        settings.writes.len()
    );
    println!("wrote {}", vfile.display());
    let status = Command::new("python3")
        .arg(root.join("fpga-build/build.py"))
        .args(["--verilog"])
        .arg(&vfile)
        .args(["--top", "flowdist_top", "--out"])
        .arg(out)
        .arg("--lpf")
        .arg(root.join("constraints").join(lpf))
        .args(["--device", "25k", "--package", "CABGA256", "--speed", speed])
        .args([
            "--seed",
            &seed
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(","),
        ])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run python3 fpga-build/build.py: {e}"))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(1) => Err("timing not met (see the table above)".into()),
        _ => Err("the FPGA build failed (see the log above)".into()),
    }
}

fn parse(path: &Path, add_fcs: bool) -> Result<(), String> {
    use flowdist_model::header_parser::{flag, parse, HashKeyConfig};
    use std::io::Write;
    let frames = capture::CaptureReader::open(path)?;
    let cfg = HashKeyConfig::default();
    let mut out = std::io::stdout().lock();
    for (i, f) in frames.enumerate() {
        let f = f.map_err(|e| format!("{}: {e}", path.display()))?;
        let f = if add_fcs { as_sent(&f) } else { f };
        let h = parse(&f, &cfg);
        let names: Vec<&str> = (0..flag::NAMES.len())
            .filter(|b| h.flags & (1 << b) != 0)
            .map(|b| flag::NAMES[b])
            .collect();
        let line = writeln!(
            out,
            "{i}: len {} ethertype {:#06x} l3 {} proto {} {:#x}:{} -> {:#x}:{} hash {:08x}/{:08x} flags [{}]",
            h.frame_len, h.ethertype, h.l3, h.protocol, h.src_ip, h.src_port, h.dst_ip, h.dst_port,
            h.src_hash, h.dst_hash, names.join(",")
        );
        if line.is_err() {
            // the reader went away (`| head`): stop quietly
            return Ok(());
        }
    }
    Ok(())
}

fn check(path: &Path) -> Result<(), String> {
    use flowdist_model::tables::{attr, COLS, ROWS};
    let cfg = flowdist_control::config::Config::load(path).map_err(|e| e.to_string())?;
    let t = flowdist_control::compile::compile(&cfg, 64).map_err(|e| e.to_string())?;
    println!("{}: ok", path.display());
    println!(
        "group MAC {:012x}, {} buckets, tunnel source {}",
        t.group_mac,
        t.buckets.len(),
        std::net::Ipv4Addr::from(t.tunnel_src)
    );
    for (i, tm) in t.tms.iter().enumerate() {
        let share = t.buckets.iter().filter(|b| b.primary as usize == i).count();
        println!(
            "  TM {i}: mac {:012x} {} {} — {share} buckets ({:.1} %)",
            tm.mac,
            match tm.delivery {
                flowdist_model::tables::Delivery::IpInIp(ip) =>
                    format!("IP-in-IP to {}", std::net::Ipv4Addr::from(ip)),
                d => format!("{d:?}"),
            },
            if tm.up { "up" } else { "down" },
            100.0 * share as f64 / t.buckets.len() as f64
        );
    }
    println!("CAM, most specific first ({} of 64 entries):", t.cam.len());
    for (i, e) in t.cam.iter().enumerate() {
        let names: Vec<&str> = (0..6)
            .filter(|b| e.attrs & (1 << b) != 0)
            .map(|b| attr::NAMES[b])
            .collect();
        println!(
            "  {i:>2}: {}/{} port {:?} vlan {:?} ingress {:?} [{}] owner {:?}",
            std::net::Ipv4Addr::from(e.value),
            e.mask.count_ones(),
            e.port,
            e.vlan,
            e.ingress,
            names.join(","),
            e.owner
        );
    }
    let c = &cfg.control;
    if c.management_ports.is_empty() && c.management_vlans.is_empty() && c.peers.is_empty() {
        println!("control: no one may send control requests (no [control] section)");
    } else {
        println!(
            "control: management ports {:?}, management VLANs {:?}, peers [{}]",
            c.management_ports,
            c.management_vlans,
            c.peers
                .iter()
                .map(|m| flowdist_control::config::format_mac(*m))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!(
        "connection table: {} slots, timeout {} epochs",
        1u32 << c.conn_table_bits,
        c.conn_timeout
    );
    println!("FIG. 9:");
    for (r, row) in ROWS.iter().enumerate() {
        let cells: Vec<String> = (0..4)
            .map(|c| format!("{}={}", COLS[c], t.actions.get(r, c).name()))
            .collect();
        println!("  {row}: {}", cells.join(" "));
    }
    Ok(())
}

/// The data plane a configuration file compiles to; errors name the file and the field.
/// A configuration file and the data plane it compiles to; errors name the file and the field.
fn load(
    config: &Path,
) -> Result<
    (
        flowdist_control::config::Config,
        flowdist_model::tables::DataPlaneConfig,
    ),
    String,
> {
    let cfg = flowdist_control::config::Config::load(config)
        .map_err(|e| format!("{}: {e}", config.display()))?;
    let t = flowdist_control::compile::compile(&cfg, 64)
        .map_err(|e| format!("{}: {e}", config.display()))?;
    Ok((cfg, t.data_plane()))
}

/// The frames of a capture as they arrive on the wire (FCS included: added when the capture
/// has none), whether the capture had it, and the file's size (for progress).
type Frames = Box<dyn Iterator<Item = Result<Vec<u8>, String>>>;

fn open_frames(pcap: &Path, fcs: Fcs) -> Result<(Frames, bool, u64), String> {
    let size = std::fs::metadata(pcap).map(|m| m.len()).unwrap_or(0);
    let mut reader = capture::CaptureReader::open(pcap)?;
    // look at the first frames to tell whether the capture carries the FCS
    let mut first = Vec::new();
    for f in reader.by_ref().take(1000) {
        first.push(f.map_err(|e| format!("{}: {e}", pcap.display()))?);
    }
    let has_fcs = match fcs {
        Fcs::Present => true,
        Fcs::Absent => false,
        Fcs::Auto => first
            .iter()
            .any(|f| f.len() >= 64 && flowdist_model::fcs_checker::fcs_ok(f)),
    };
    let name = pcap.display().to_string();
    let frames = first
        .into_iter()
        .map(Ok)
        .chain(reader)
        .map(move |f| match f {
            Ok(f) if has_fcs => Ok(f),
            Ok(f) => Ok(as_sent(&f)),
            Err(e) => Err(format!("{name}: {e}")),
        });
    Ok((Box::new(frames), has_fcs, size))
}

fn run_capture(
    config: &Path,
    pcap: &Path,
    out: &Path,
    ingress: u8,
    fcs: Fcs,
) -> Result<(), String> {
    let (c, cfg) = load(config)?;
    let (frames, has_fcs, size) = open_frames(pcap, fcs)?;
    let settings = c.control.conn_settings();
    let mut table = flowdist_model::conn_table::ConnTable::new(
        u32::from(c.control.conn_table_bits),
        settings.timeout,
    );
    // the bridge: time stands still in a capture replay (stations do not age)
    let bridge = flowdist_model::mac_arbiter::BridgeSettings {
        epoch_cycles: 0,
        ..c.bridge.settings()
    };
    let mut stations = flowdist_model::mac_table::MacTable::new(
        flowdist_hdl::switch_core::MAC_BITS as u32,
        bridge.timeout,
    );
    run::run(
        &cfg,
        frames,
        size,
        ingress,
        out,
        has_fcs,
        Some((&mut table, &settings)),
        Some((&mut stations, &bridge)),
        &mut std::io::stdout(),
    )
}

/// Load a configuration and a whole capture (frames as on the wire) for the RTL simulation.
#[cfg(feature = "sim")]
fn through_rtl(
    config: &Path,
    pcap: &Path,
    ingress: u8,
    fcs: Fcs,
    f: impl FnOnce(&flowdist_model::tables::DataPlaneConfig, &[Vec<u8>], bool) -> Result<(), String>,
) -> Result<(), String> {
    let (_, cfg) = load(config)?;
    let (frames, has_fcs, _) = open_frames(pcap, fcs)?;
    let frames = frames.collect::<Result<Vec<_>, _>>()?;
    println!(
        "{} frames from {} into port {ingress} of the RTL core (Verilator)",
        frames.len(),
        pcap.display()
    );
    f(&cfg, &frames, has_fcs)
}

#[cfg(not(feature = "sim"))]
const NO_SIM: &str = "this flowdist was built without the RTL simulation: build it with \
     `cargo run -p flowdist --features sim -- ...` (needs Verilator and yosys: \
     `apt-get install -y verilator yosys`, or run tools/test.sh once)";

/// A frame captured without its FCS as a NIC sends it: padded to 60 bytes, FCS appended.
fn as_sent(f: &[u8]) -> Vec<u8> {
    let mut v = f.to_vec();
    if v.len() < 60 {
        v.resize(60, 0);
    }
    flowdist_model::fcs_checker::with_fcs(&v)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.cmd {
        Cmd::Emit { top, hash, out } => {
            let v = verilog(top, hash);
            match out {
                Some(p) => std::fs::write(&p, v).map_err(|e| format!("{}: {e}", p.display())),
                None => {
                    print!("{v}");
                    Ok(())
                }
            }
        }
        Cmd::Build {
            rev,
            hash,
            out,
            seed,
            config,
        } => build(rev, hash, &out, &seed, &config),
        Cmd::Parse { pcap, add_fcs } => parse(&pcap, add_fcs),
        Cmd::Flash { bit, flash, cable } => flash::flash(
            &bit,
            if flash {
                flash::Target::Flash
            } else {
                flash::Target::Sram
            },
            cable.as_deref(),
        ),
        Cmd::Check { config } => check(&config),
        Cmd::Run {
            config,
            pcap,
            out,
            ingress,
            fcs,
            sim: false,
            ..
        } => run_capture(&config, &pcap, &out, ingress, fcs),
        #[cfg(feature = "sim")]
        Cmd::Run {
            config,
            pcap,
            out,
            ingress,
            fcs,
            sim: true,
            gap,
        } => through_rtl(&config, &pcap, ingress, fcs, |cfg, frames, has_fcs| {
            compare::run_sim(cfg, frames, ingress, gap, &out, has_fcs)
        }),
        #[cfg(feature = "sim")]
        Cmd::Compare {
            config,
            pcap,
            ingress,
            fcs,
            gap,
        } => through_rtl(&config, &pcap, ingress, fcs, |cfg, frames, _| {
            compare::compare(cfg, frames, ingress, gap)
        }),
        #[cfg(not(feature = "sim"))]
        Cmd::Run { sim: true, .. } | Cmd::Compare { .. } => Err(NO_SIM.into()),
        Cmd::Report {
            run,
            config,
            build,
            out,
        } => report::report(&run, config.as_deref(), &build, out.as_deref()),
        Cmd::Ctl(args) => ctl::ctl(args),
        Cmd::Live {
            config,
            ports,
            count,
            seconds,
            log,
            sim,
        } => load(&config).and_then(|(c, cfg)| {
            #[cfg(not(feature = "sim"))]
            if sim {
                return Err(NO_SIM.into());
            }
            live::live(
                &cfg,
                &ports,
                &live::Options {
                    count,
                    seconds,
                    log,
                    access: c.control.access(),
                    conn_table: (c.control.conn_table_bits, c.control.conn_timeout),
                    conn_settings: c.control.conn_settings(),
                    bridge: c.bridge.settings(),
                    sim,
                },
            )
        }),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("flowdist: {e}");
            ExitCode::FAILURE
        }
    }
}
