//! One port's ingress path (twin of `hdl::ingress_port`): classify, plan, edit.
use crate::classifier::classify;
use crate::decision::Decision;
use crate::delivery::plan;
use crate::fcs_checker::payload;
use crate::frame_editor::edit;
use crate::header_parser::parse;
use crate::tables::DataPlaneConfig;

/// The frames a port's ingress path sends on, in order: (egress port, frame with FCS).
/// Malformed frames and dropped decisions send nothing.
pub fn ingress_outputs(
    frames: &[Vec<u8>],
    ingress: u8,
    cfg: &DataPlaneConfig,
) -> Vec<(u8, Vec<u8>)> {
    frames
        .iter()
        .filter_map(|f| {
            let (h, d) = classify(f, ingress, cfg);
            let p = plan(&d?, &h, ingress, cfg);
            (!p.drop).then(|| (p.port, edit(payload(f), &p.edits)))
        })
        .collect()
}

/// [`ingress_outputs`] with the decisions given (one per frame, `None` for malformed ones),
/// e.g. decisions that depend on the connection table (`conn_arbiter::replay`).
pub fn ingress_outputs_decided(
    frames: &[Vec<u8>],
    ingress: u8,
    cfg: &DataPlaneConfig,
    decisions: &[Option<Decision>],
) -> Vec<(u8, Vec<u8>)> {
    frames
        .iter()
        .zip(decisions)
        .filter_map(|(f, d)| {
            let h = parse(f, &cfg.hash);
            let p = plan(&(*d)?, &h, ingress, cfg);
            (!p.drop).then(|| (p.port, edit(payload(f), &p.edits)))
        })
        .collect()
}
