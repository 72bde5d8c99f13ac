//! One port's ingress classification (twin of `hdl::classifier`): parse, then decide.
use crate::decision::{decide, Decision};
use crate::header_parser::{parse, HeaderFields};
use crate::tables::DataPlaneConfig;

/// Parse a frame (FCS included) that arrived on `ingress` and decide where it goes.
pub fn classify(
    frame: &[u8],
    ingress: u8,
    cfg: &DataPlaneConfig,
) -> (HeaderFields, Option<Decision>) {
    let h = parse(frame, &cfg.hash);
    let d = decide(&h, ingress, cfg);
    (h, d)
}
