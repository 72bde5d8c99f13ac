//! `flowdist run`: the golden model as a software distributor on a capture (R16).
//!
//! Every frame of the capture goes through the model's classifier (parser, CAM, FIG. 6–10
//! decision, hash selector), delivery plan and frame editor, exactly as one ingress port of
//! the hardware treats it (`flowdist_model::ingress_port`). The output folder gets one pcap
//! per egress port, one of the frames not sent, a decision log and a summary.
use flowdist_model::address_cam::entry_matches;
use flowdist_model::classifier::{Classifier, TableUse};
use flowdist_model::conn_arbiter::ConnSettings;
use flowdist_model::conn_table::{ConnTable, Outcome};
use flowdist_model::decision::{cam_keys, Decision, Kind};
use flowdist_model::delivery::{plan, Plan};
use flowdist_model::frame_editor::edit;
use flowdist_model::hash_selector::bucket_index;
use flowdist_model::header_parser::{flag, HeaderFields, L3_IPV4, L3_IPV6};
use flowdist_model::mac_arbiter::{with_stations, BridgeSettings};
use flowdist_model::mac_table::MacTable;
use flowdist_model::tables::{Action, DataPlaneConfig, COLS, ROWS};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::Path;

/// Why a frame was not sent.
fn drop_reason(h: &HeaderFields, d: Option<&Decision>, p: Option<&Plan>) -> Option<&'static str> {
    if h.flags & flag::MALFORMED != 0 {
        return Some("malformed");
    }
    let (d, p) = match (d, p) {
        (Some(d), Some(p)) => (d, p),
        _ => return Some("undecided"),
    };
    if !p.drop {
        return None;
    }
    Some(match d.kind {
        Kind::Local => "local",
        Kind::Control => "control",
        Kind::NoTm => "no_tm_up",
        Kind::ToTm => "tm_not_configured",
        Kind::Bridge if d.filtered => "filtered",
        _ => "dropped",
    })
}

#[derive(Serialize)]
struct Cell {
    row: &'static str,
    col: &'static str,
    action: &'static str,
}

/// One line of `decisions.jsonl`.
#[derive(Serialize)]
pub(crate) struct Record {
    index: usize,
    ingress: u8,
    len: usize,
    malformed: Vec<&'static str>,
    dst_mac: String,
    src_mac: String,
    vlans: Vec<u16>,
    ethertype: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    src_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dst_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    protocol: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    src_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dst_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tm: Option<u8>,
    /// The CAM entries the source and the destination matched (IPv4 frames that reached
    /// the FIG. 9 lookups).
    #[serde(skip_serializing_if = "Option::is_none")]
    src_cam: Option<Vec<usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dst_cam: Option<Vec<usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<Cell>,
    /// The hash selector's bucket (R5) the frame's hash picks: frames of a hash cell only.
    #[serde(skip_serializing_if = "Option::is_none")]
    bucket: Option<u32>,
    used_backup: bool,
    /// The connection table (R9): `hit` (it chose the TM), `held_down` (it held the
    /// connection for a TM that is down), `miss`; then `learned`, `kept` (another frame
    /// learned it first), `replaced` (was held for a TM that is down), `table_full`.
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    learn: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sent: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    drop: Option<&'static str>,
}

fn mac(m: u64) -> String {
    let b = m.to_be_bytes();
    format!(
        "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        b[2], b[3], b[4], b[5], b[6], b[7]
    )
}

fn ip(h: &HeaderFields, a: u128) -> Option<String> {
    match h.l3 {
        L3_IPV4 => Some(Ipv4Addr::from(a as u32).to_string()),
        L3_IPV6 => Some(Ipv6Addr::from(a).to_string()),
        _ => None,
    }
}

pub(crate) fn record(index: usize, ingress: u8, frame: &[u8], s: &Step) -> Record {
    let h = &s.header;
    let d = s.decision.as_ref();
    let ip_known = h.l3 == L3_IPV4 || h.l3 == L3_IPV6;
    Record {
        index,
        ingress,
        len: frame.len(),
        malformed: (0..flag::NAMES.len())
            .filter(|b| h.flags & flag::MALFORMED & (1 << b) != 0)
            .map(|b| flag::NAMES[b])
            .collect(),
        dst_mac: mac(h.dst_mac),
        src_mac: mac(h.src_mac),
        vlans: [h.vlan0, h.vlan1]
            .iter()
            .take(h.vlan_count.min(2) as usize)
            .map(|v| v & 0xFFF)
            .collect(),
        ethertype: h.ethertype,
        src_ip: ip(h, h.src_ip),
        dst_ip: ip(h, h.dst_ip),
        protocol: ip_known.then_some(h.protocol),
        src_port: h.l4_en.then_some(h.src_port),
        dst_port: h.l4_en.then_some(h.dst_port),
        kind: d.map(|d| d.kind.name()),
        tm: d
            .filter(|d| matches!(d.kind, Kind::ToTm | Kind::Outbound))
            .map(|d| d.tm),
        src_cam: s.rows.cam.as_ref().map(|c| c[0].clone()),
        dst_cam: s.rows.cam.as_ref().map(|c| c[1].clone()),
        cell: d.and_then(|d| d.cell).map(|(r, c, a)| Cell {
            row: ROWS[r as usize & 3],
            col: COLS[c as usize & 3],
            action: a.name(),
        }),
        bucket: s.rows.bucket,
        used_backup: d.is_some_and(|d| d.backup),
        table: s.table.lookup.map(|o| match o {
            Outcome::Hit(_) if d.is_some_and(|d| d.conn) => "hit",
            Outcome::Hit(_) => "held_down",
            _ => "miss",
        }),
        learn: s.table.learn.map(|o| match o {
            Outcome::Inserted => "learned",
            Outcome::Hit(_) => "kept",
            Outcome::Updated => "replaced",
            _ => "table_full",
        }),
        sent: s.out.as_ref().ok().map(|(p, _)| *p),
        drop: s.out.as_ref().err().copied(),
    }
}

/// What the distributor does with one frame (FCS included) arriving on an ingress port.
pub struct Step {
    pub header: HeaderFields,
    pub decision: Option<Decision>,
    /// What the connection table did (nothing without one).
    pub table: TableUse,
    /// The table rows its decision read.
    pub rows: Rows,
    /// The egress port and the frame sent there (edited, FCS included), or why none is sent.
    pub out: Result<(u8, Vec<u8>), &'static str>,
}

/// The table rows a frame's decision read, for the log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    /// The CAM entries (R2, in table order) the source and the destination matched, for an
    /// IPv4 frame that got as far as the FIG. 9 lookups.
    pub cam: Option<[Vec<usize>; 2]>,
    /// The bucket the frame's hash selects, when its FIG. 9 cell hashes (whether or not the
    /// connection table then chose the TM).
    pub bucket: Option<u32>,
}

impl Rows {
    fn of(h: &HeaderFields, d: Option<&Decision>, ingress: u8, cfg: &DataPlaneConfig) -> Rows {
        let Some(d) = d else {
            return Rows::default();
        };
        let looked_up = h.l3 == L3_IPV4
            && !matches!(
                d.kind,
                Kind::ArpReply | Kind::Control | Kind::Outbound | Kind::Bridge
            );
        let cam = looked_up.then(|| {
            cam_keys(h, ingress).map(|k| {
                (cfg.cam.iter().enumerate())
                    .filter(|(_, e)| entry_matches(e, &k))
                    .map(|(i, _)| i)
                    .collect()
            })
        });
        let bucket = match d.cell {
            Some((_, _, Action::HashSrc)) => Some(bucket_index(h.src_hash, cfg.bucket_bits)),
            Some((_, _, Action::HashDst)) => Some(bucket_index(h.dst_hash, cfg.bucket_bits)),
            _ => None,
        };
        Rows { cam, bucket }
    }
}

/// One frame through the model as one ingress port of the hardware treats it: classifier
/// (parser, CAM, FIG. 6-10 decision, hash selector), delivery plan, frame editor. Shared by
/// `run` (frames from a capture) and `live` (frames from an interface).
/// With a connection table (and its settings), the frame's key is looked up and learned as
/// the hardware does (`Classifier::classify_tracked`); with a MAC learning table, the
/// bridge learns the source and filters a frame to a station on its own side
/// (`mac_arbiter::with_stations`).
pub fn step(
    c: &Classifier,
    conn: Option<(&mut ConnTable, &ConnSettings)>,
    stations: Option<(&mut MacTable, &BridgeSettings)>,
    frame: &[u8],
    ingress: u8,
) -> Step {
    let cfg = c.config();
    let (h, d, table) = match conn {
        Some((t, s)) => c.classify_tracked(frame, ingress, t, s),
        None => {
            let (h, d) = c.classify(frame, ingress);
            (h, d, TableUse::default())
        }
    };
    let d = match (stations, d) {
        (Some((t, s)), Some(d)) => Some(with_stations(&h, d, ingress, cfg.group_mac, t, s)),
        (_, d) => d,
    };
    let rows = Rows::of(&h, d.as_ref(), ingress, cfg);
    let p = d.as_ref().map(|d| plan(d, &h, ingress, cfg));
    let out = match (drop_reason(&h, d.as_ref(), p.as_ref()), &p) {
        (None, Some(p)) => {
            let payload = &frame[..frame.len().saturating_sub(4)];
            Ok((p.port & 1, edit(payload, &p.edits)))
        }
        (reason, _) => Err(reason.unwrap_or("undecided")),
    };
    Step {
        header: h,
        decision: d,
        table,
        rows,
        out,
    }
}

/// Counters for the summary.
#[derive(Default)]
pub(crate) struct Summary {
    /// Frames and bytes in, per ingress port.
    frames: [usize; 2],
    bytes_in: [usize; 2],
    sent: [usize; 2],
    bytes_out: [usize; 2],
    drops: BTreeMap<&'static str, usize>,
    kinds: BTreeMap<&'static str, usize>,
    per_tm: BTreeMap<u8, usize>,
}

impl Summary {
    /// Counts `frame` (as it came in on `ingress`) and what `s` did with it.
    pub(crate) fn count(&mut self, ingress: u8, frame: &[u8], s: &Step) {
        let i = usize::from(ingress & 1);
        self.frames[i] += 1;
        self.bytes_in[i] += frame.len();
        if let Some(d) = &s.decision {
            *self.kinds.entry(d.kind.name()).or_default() += 1;
        }
        match &s.out {
            Ok((port, o)) => {
                let port = usize::from(*port & 1);
                self.sent[port] += 1;
                self.bytes_out[port] += o.len();
                if let Some(d) = s.decision.as_ref().filter(|d| d.kind == Kind::ToTm) {
                    *self.per_tm.entry(d.tm).or_default() += 1;
                }
            }
            Err(reason) => *self.drops.entry(reason).or_default() += 1,
        }
    }

    /// `per_port_in`: also break the frames in down by ingress port (live has two).
    pub(crate) fn print(&self, out: &mut impl Write, per_port_in: bool) -> std::io::Result<()> {
        writeln!(
            out,
            "frames in      {:>10}  ({} bytes)",
            self.frames[0] + self.frames[1],
            self.bytes_in[0] + self.bytes_in[1]
        )?;
        if per_port_in {
            for p in 0..2 {
                writeln!(
                    out,
                    "  on port {p}    {:>10}  ({} bytes)",
                    self.frames[p], self.bytes_in[p]
                )?;
            }
        }
        for p in 0..2 {
            writeln!(
                out,
                "sent on port {p} {:>10}  ({} bytes)",
                self.sent[p], self.bytes_out[p]
            )?;
        }
        let dropped: usize = self.drops.values().sum();
        writeln!(out, "not sent       {dropped:>10}")?;
        for (r, n) in &self.drops {
            writeln!(out, "  {r:<20} {n:>8}")?;
        }
        writeln!(out, "decisions")?;
        for (k, n) in &self.kinds {
            writeln!(out, "  {k:<20} {n:>8}")?;
        }
        writeln!(out, "frames to each TM (sent)")?;
        for (t, n) in &self.per_tm {
            writeln!(out, "  TM {t:<17} {n:>8}")?;
        }
        Ok(())
    }
}

/// `decisions.jsonl`: one [`Record`] a line.
pub(crate) struct Log {
    w: std::io::BufWriter<std::fs::File>,
    path: std::path::PathBuf,
}

impl Log {
    pub(crate) fn create(path: &Path) -> Result<Self, String> {
        let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Log {
            w: std::io::BufWriter::new(f),
            path: path.to_path_buf(),
        })
    }

    pub(crate) fn write(&mut self, r: &Record) -> Result<(), String> {
        let err = |e: &dyn std::fmt::Display| format!("{}: {e}", self.path.display());
        serde_json::to_writer(&mut self.w, r).map_err(|e| err(&e))?;
        self.w.write_all(b"\n").map_err(|e| err(&e))
    }

    pub(crate) fn flush(&mut self) -> Result<(), String> {
        self.w
            .flush()
            .map_err(|e| format!("{}: {e}", self.path.display()))
    }
}

fn pcap_writer(path: &Path) -> Result<pcap_file::pcap::PcapWriter<std::fs::File>, String> {
    let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    pcap_file::pcap::PcapWriter::new(f).map_err(|e| format!("{}: {e}", path.display()))
}

fn write_packet(
    w: &mut pcap_file::pcap::PcapWriter<std::fs::File>,
    index: usize,
    data: &[u8],
    path: &Path,
) -> Result<(), String> {
    // the capture's order as time: frame i at i microseconds
    let pkt = pcap_file::pcap::PcapPacket::new(
        std::time::Duration::from_micros(index as u64),
        data.len() as u32,
        data,
    );
    w.write_packet(&pkt)
        .map(|_| ())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Runs the model over `frames` (FCS included, read as they come; `capture_bytes`, the
/// capture's size, only scales the progress bar) arriving on `ingress`, writing into `out`.
/// `keep_fcs`: write frames to the pcaps with their FCS (else without, like a Linux capture).
pub fn run(
    cfg: &DataPlaneConfig,
    frames: impl Iterator<Item = Result<Vec<u8>, String>>,
    capture_bytes: u64,
    ingress: u8,
    out: &Path,
    keep_fcs: bool,
    conn: Option<(&mut ConnTable, &ConnSettings)>,
    stations: Option<(&mut MacTable, &BridgeSettings)>,
    summary_to: &mut impl Write,
) -> Result<(), String> {
    let mut conn = conn;
    let mut stations = stations;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let paths = [
        out.join("port0.pcap"),
        out.join("port1.pcap"),
        out.join("drops.pcap"),
        out.join("decisions.jsonl"),
    ];
    let mut ports = [pcap_writer(&paths[0])?, pcap_writer(&paths[1])?];
    let mut drops = pcap_writer(&paths[2])?;
    let mut log = Log::create(&paths[3])?;
    // progress in capture bytes (16 bytes of record header a frame), shown on a terminal
    // for captures over about 10,000 minimum frames
    let bar = indicatif::ProgressBar::new(capture_bytes);
    if capture_bytes <= 800_000 || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let trim = |f: &[u8]| -> Vec<u8> {
        if keep_fcs || f.len() < 4 {
            f.to_vec()
        } else {
            f[..f.len() - 4].to_vec()
        }
    };
    let mut s = Summary::default();
    // the tables compiled once for the fast lookups (same results as scanning them)
    let classifier = Classifier::new(cfg);
    for (i, f) in frames.enumerate() {
        let f = &f?;
        let st = step(
            &classifier,
            conn.as_mut().map(|(t, s)| (&mut **t, &**s)),
            stations.as_mut().map(|(t, s)| (&mut **t, &**s)),
            f,
            ingress,
        );
        s.count(ingress, f, &st);
        match &st.out {
            Ok((port, o)) => {
                let port = usize::from(*port);
                write_packet(&mut ports[port], i, &trim(o), &paths[port])?;
            }
            Err(_) => write_packet(&mut drops, i, &trim(f), &paths[2])?,
        }
        log.write(&record(i, ingress, f, &st))?;
        bar.inc(f.len() as u64 + 16);
    }
    bar.finish_and_clear();
    log.flush()?;
    s.print(summary_to, false).map_err(|e| e.to_string())?;
    if let Some((t, _)) = &conn {
        let fill = crate::report::ConnFill::of(t);
        let path = out.join("conn_table.json");
        let text = serde_json::to_string_pretty(&fill).map_err(|e| e.to_string())?;
        std::fs::write(&path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
        writeln!(
            summary_to,
            "connection table: {} live entries in {} slots ({:.1} %), {} full buckets",
            fill.live,
            fill.slots,
            100.0 * fill.live as f64 / fill.slots.max(1) as f64,
            fill.buckets_holding.last().copied().unwrap_or(0)
        )
        .map_err(|e| e.to_string())?;
    }
    writeln!(summary_to, "wrote {}", out.display()).map_err(|e| e.to_string())
}
