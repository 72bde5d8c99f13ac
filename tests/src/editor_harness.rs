//! The `FrameEditor` top under Verilator: (frame without FCS, edits) jobs streamed back to
//! back under the editor's back-pressure; the frames it sends.
use flowdist_model::frame_editor::Edits;
use flowdist_sim::{Dut, Sim};

const INPUTS: [&str; 15] = [
    "in_data", "in_last", "set_dst", "dst_mac", "set_src", "src_mac", "tag_op", "tci", "encap",
    "encap_at", "tun_src", "tun_dst", "tun_len", "arp", "ttl",
];

/// The RTL editor's output frames (FCS included), one per job.
pub fn rtl_edit(jobs: &[(Vec<u8>, Edits)]) -> Vec<Vec<u8>> {
    let mut sim = Sim::new(Dut::FrameEditor);
    sim.reset(2).unwrap();
    let mut rows = Vec::new();
    for (p, e) in jobs {
        let (op, tci) = e.tag.code();
        let en = e.encap.unwrap_or_default();
        // the hardware has one group MAC input: the Ethernet source and the ARP sender
        let src = e.arp.map(|a| a.sha).or(e.src_mac).unwrap_or(0);
        // ARP body offset and new sender address, or a routed frame's IPv4 header offset,
        // TTL and checksum, ride on the encapsulation inputs
        let (at, dst) = match (e.arp, e.ttl) {
            (Some(a), _) => (a.at, a.spa),
            (None, Some(t)) => (t.at, u32::from(t.ttl) << 16 | u32::from(t.checksum)),
            (None, None) => (en.at, en.dst),
        };
        for (i, &b) in p.iter().enumerate() {
            rows.extend_from_slice(&[
                b as u64,
                (i + 1 == p.len()) as u64,
                e.dst_mac.is_some() as u64,
                e.dst_mac.unwrap_or(0),
                e.src_mac.is_some() as u64,
                src,
                op as u64,
                tci as u64,
                e.encap.is_some() as u64,
                at as u64,
                en.src as u64,
                dst as u64,
                en.inner_len as u64,
                e.arp.is_some() as u64,
                e.ttl.is_some() as u64,
            ]);
        }
    }
    let recs = sim
        .stream(
            "in_valid",
            "in_ready",
            &INPUTS,
            &rows,
            200,
            Some("out_valid"),
            &["out_data", "out_last"],
        )
        .unwrap();
    split_frames(&recs).into_iter().map(|(_, f)| f).collect()
}

/// Output records `[data, last]` or `[data, last, port]`, one per byte, cut into whole
/// frames at `last`: (port, or 0 without one; frame). A trailing partial frame is left out.
pub fn split_frames(recs: &[flowdist_sim::Record]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for r in recs {
        cur.push(r[0] as u8);
        if r[1] != 0 {
            out.push((
                r.get(2).copied().unwrap_or(0) as u8,
                std::mem::take(&mut cur),
            ));
        }
    }
    out
}
