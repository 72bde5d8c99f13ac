//! One port's ingress path (twin of `hdl::ingress_port`): classify, plan, edit.
use crate::classifier::classify;
use crate::delivery::plan;
use crate::fcs_checker::payload;
use crate::frame_editor::edit;
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
