//! The `FrameEditor` top under Verilator: (frame without FCS, edits) jobs streamed back to
//! back under the editor's back-pressure; the frames it sends.
use flowdist_model::frame_editor::Edits;
use flowdist_sim::{Dut, Sim};

const INPUTS: [&str; 8] = [
    "in_data", "in_last", "set_dst", "dst_mac", "set_src", "src_mac", "tag_op", "tci",
];

/// The RTL editor's output frames (FCS included), one per job.
pub fn rtl_edit(jobs: &[(Vec<u8>, Edits)]) -> Vec<Vec<u8>> {
    let mut sim = Sim::new(Dut::FrameEditor);
    sim.reset(2).unwrap();
    let mut rows = Vec::new();
    for (p, e) in jobs {
        let (op, tci) = e.tag.code();
        for (i, &b) in p.iter().enumerate() {
            rows.extend_from_slice(&[
                b as u64,
                (i + 1 == p.len()) as u64,
                e.dst_mac.is_some() as u64,
                e.dst_mac.unwrap_or(0),
                e.src_mac.is_some() as u64,
                e.src_mac.unwrap_or(0),
                op as u64,
                tci as u64,
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
    let mut out = vec![Vec::new()];
    for r in recs {
        out.last_mut().unwrap().push(r[0] as u8);
        if r[1] != 0 {
            out.push(Vec::new());
        }
    }
    out.pop();
    out
}
