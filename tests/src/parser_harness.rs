//! The `HeaderParser` top under Verilator, fed whole frame streams, against the model.
use flowdist_model::header_parser::{self, HashKeyConfig, HeaderFields};
use flowdist_model::key_hasher::HashPoly;
use flowdist_sim::{Dut, Sim};
use std::fmt::Write as _;

/// Output ports read per frame, in the order [`to_fields`] expects.
pub const OUTPUTS: [&str; 44] = [
    "frame_len",
    "dst_mac",
    "src_mac",
    "vlan_count",
    "tpid0",
    "vlan0",
    "tpid1",
    "vlan1",
    "ethertype",
    "l3",
    "l3_off",
    "ip_ver",
    "ip_ihl",
    "ip_len",
    "ip_ident",
    "ip_frag",
    "ttl",
    "protocol",
    "ip_csum",
    "src_ip",
    "dst_ip",
    "l4_en",
    "l4_off",
    "src_port",
    "dst_port",
    "tcp_seq",
    "tcp_flags",
    "arp_oper",
    "arp_sha",
    "arp_tha",
    "src_hash",
    "dst_hash",
    // flags, in `flowdist_model::header_parser::flag` bit order
    "f_runt",
    "f_giant",
    "f_bad_fcs",
    "f_truncated",
    "f_bad_version",
    "f_bad_ihl",
    "f_bad_length",
    "f_bad_checksum",
    "f_non_first_fragment",
    "f_fragment",
    "f_bad_arp",
    "f_l4_valid",
];

fn to_fields(r: &[u128]) -> HeaderFields {
    let mut flags = 0u16;
    for (i, v) in r[32..].iter().enumerate() {
        flags |= ((*v & 1) as u16) << i;
    }
    HeaderFields {
        frame_len: r[0] as u16,
        dst_mac: r[1] as u64,
        src_mac: r[2] as u64,
        vlan_count: r[3] as u8,
        tpid0: r[4] as u16,
        vlan0: r[5] as u16,
        tpid1: r[6] as u16,
        vlan1: r[7] as u16,
        ethertype: r[8] as u16,
        l3: r[9] as u8,
        l3_off: r[10] as u16,
        ip_ver: r[11] as u8,
        ip_ihl: r[12] as u8,
        ip_len: r[13] as u16,
        ip_ident: r[14] as u16,
        ip_frag: r[15] as u16,
        ttl: r[16] as u8,
        protocol: r[17] as u8,
        ip_csum: r[18] as u16,
        src_ip: r[19],
        dst_ip: r[20],
        l4_en: r[21] != 0,
        l4_off: r[22] as u16,
        src_port: r[23] as u16,
        dst_port: r[24] as u16,
        tcp_seq: r[25] as u32,
        tcp_flags: r[26] as u8,
        arp_oper: r[27] as u16,
        arp_sha: r[28] as u64,
        arp_tha: r[29] as u64,
        src_hash: r[30] as u32,
        dst_hash: r[31] as u32,
        flags,
    }
}

/// The hash polynomial the simulation was built with (`FLOWDIST_HASH`, as the hdl reads it).
pub fn built_poly() -> HashPoly {
    match option_env!("FLOWDIST_HASH") {
        Some("crc32c") => HashPoly::Castagnoli,
        _ => HashPoly::Ieee,
    }
}

/// Per-cycle stimulus rows (`rx_valid`, `rx_data`, `rx_last`) for frames separated by
/// `gap(i)` idle cycles after frame `i`.
pub fn stream(frames: &[Vec<u8>], gap: impl Fn(usize) -> usize) -> Vec<u64> {
    let mut s = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        for (k, &b) in f.iter().enumerate() {
            s.extend_from_slice(&[1, b as u64, (k + 1 == f.len()) as u64]);
        }
        for _ in 0..gap(i) {
            s.extend_from_slice(&[0, 0, 0]);
        }
    }
    // let the last frame's report out
    for _ in 0..8 {
        s.extend_from_slice(&[0, 0, 0]);
    }
    s
}

/// A `HeaderParser` simulation, reset and configured.
pub struct ParserSim {
    pub sim: Sim,
    pub cfg: HashKeyConfig,
}

impl ParserSim {
    pub fn new(use_port: bool, use_vlan: bool) -> Self {
        let mut sim = Sim::new(Dut::HeaderParser);
        sim.set("hash_use_port", use_port as u64).unwrap();
        sim.set("hash_use_vlan", use_vlan as u64).unwrap();
        sim.reset(4).unwrap();
        let cfg = HashKeyConfig {
            poly: built_poly(),
            use_port,
            use_vlan,
        };
        ParserSim { sim, cfg }
    }

    /// Frames through the RTL; one report per frame.
    pub fn parse(&mut self, frames: &[Vec<u8>], gap: impl Fn(usize) -> usize) -> Vec<HeaderFields> {
        let stim = stream(frames, gap);
        let cycles = stim.len() / 3;
        let recs = self
            .sim
            .run(
                &["rx_valid", "rx_data", "rx_last"],
                &stim,
                cycles,
                Some("hdr_valid"),
                &OUTPUTS,
            )
            .unwrap();
        recs.iter().map(|r| to_fields(r)).collect()
    }

    /// Frames through RTL and model; `Err` names the first divergence.
    pub fn cross_check(
        &mut self,
        frames: &[Vec<u8>],
        gap: impl Fn(usize) -> usize,
    ) -> Result<usize, String> {
        let rtl = self.parse(frames, gap);
        compare(frames, &rtl, &self.cfg)
    }
}

/// Compare RTL reports with the model, frame by frame, field by field.
pub fn compare(
    frames: &[Vec<u8>],
    rtl: &[HeaderFields],
    cfg: &HashKeyConfig,
) -> Result<usize, String> {
    for (i, f) in frames.iter().enumerate() {
        let want = header_parser::parse(f, cfg);
        let Some(got) = rtl.get(i) else {
            return Err(format!(
                "frame {i}: the RTL reported {} frames for {} sent\nframe: {}",
                rtl.len(),
                frames.len(),
                hex(f)
            ));
        };
        if *got != want {
            let mut msg = format!("frame {i} ({} bytes) diverges:\n", f.len());
            for ((name, m), (_, r)) in want.named().iter().zip(got.named().iter()) {
                if m != r {
                    let _ = writeln!(msg, "  {name}: model {m:#x}, rtl {r:#x}");
                }
            }
            let _ = writeln!(msg, "frame: {}", hex(f));
            return Err(msg);
        }
    }
    if rtl.len() != frames.len() {
        return Err(format!(
            "RTL reported {} frames for {} sent",
            rtl.len(),
            frames.len()
        ));
    }
    Ok(frames.len())
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Run a cross-check; on divergence re-run the stream with a VCD and panic with the report.
pub fn assert_cross_check(
    frames: &[Vec<u8>],
    use_port: bool,
    use_vlan: bool,
    gap: impl Fn(usize) -> usize + Copy,
) {
    let mut ps = ParserSim::new(use_port, use_vlan);
    if let Err(msg) = ps.cross_check(frames, gap) {
        let dir = std::env::temp_dir().join("flowdist-vcd");
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("header_parser-{}.vcd", std::process::id()));
        let mut again = ParserSim::new(use_port, use_vlan);
        again.sim.trace(&path);
        let _ = again.cross_check(frames, gap);
        drop(again);
        panic!("{msg}waveform: {}", path.display());
    }
}
