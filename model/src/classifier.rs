//! One port's ingress classification (twin of `hdl::classifier`): parse, then decide.
use crate::address_cam::CompiledCam;
use crate::decision::{decide, decide_compiled, Decision};
use crate::header_parser::{parse, HeaderFields};
use crate::tables::DataPlaneConfig;
use crate::tm_table::CompiledTms;

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

/// A configuration compiled once for classifying many frames ([`classify`] compiles
/// nothing and scans the tables as given): the CAM bit-sliced ([`CompiledCam`]), the TM
/// table by MAC / port / VLAN ([`CompiledTms`]), the up mask. Same results as [`classify`] on the
/// configuration it was built from; build a new one when the configuration changes.
#[derive(Clone, Debug)]
pub struct Classifier {
    cfg: DataPlaneConfig,
    cam: CompiledCam,
    tms: CompiledTms,
    up: u16,
}

impl Classifier {
    pub fn new(cfg: &DataPlaneConfig) -> Self {
        Classifier {
            cfg: cfg.clone(),
            cam: CompiledCam::new(&cfg.cam),
            tms: CompiledTms::new(&cfg.tms, cfg.trunk_port),
            up: cfg.tm_up(),
        }
    }

    /// The configuration it was compiled from.
    pub fn config(&self) -> &DataPlaneConfig {
        &self.cfg
    }

    /// [`classify`] of a frame (FCS included) that arrived on `ingress`.
    #[inline]
    pub fn classify(&self, frame: &[u8], ingress: u8) -> (HeaderFields, Option<Decision>) {
        let h = parse(frame, &self.cfg.hash);
        let d = decide_compiled(&h, ingress, &self.cfg, &self.cam, &self.tms, self.up);
        (h, d)
    }
}
