//! One port's ingress classification (twin of `hdl::classifier`): parse, then decide.
use crate::address_cam::CompiledCam;
use crate::conn_arbiter::ConnSettings;
use crate::conn_table::{ConnKey, ConnTable, Outcome};
use crate::decision::{decide, decide_compiled, with_conn, Decision};
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

/// What the connection table did for one frame: the lookup's outcome (frames with a key),
/// and the learn's or insert's after it (frames the hash delivered that the table did not
/// hold for a TM that is up).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableUse {
    pub lookup: Option<Outcome>,
    pub learn: Option<Outcome>,
}

impl Classifier {
    /// [`Classifier::classify`] with the connection table (R9), as the hardware's data path
    /// uses it for a frame whose table operations are not interleaved with another port's
    /// (one frame at a time: the software distributor): look the frame's key up, let a hit
    /// for a TM that is up decide, learn what the hash chose.
    pub fn classify_tracked(
        &self,
        frame: &[u8],
        ingress: u8,
        table: &mut ConnTable,
        settings: &ConnSettings,
    ) -> (HeaderFields, Option<Decision>, TableUse) {
        let (h, d) = self.classify(frame, ingress);
        let key = ConnKey::of(&h, self.cfg.group_mac).filter(|_| settings.enable);
        let (Some(key), Some(d)) = (key, d) else {
            return (h, d, TableUse::default());
        };
        let found = table.lookup(&key);
        let held = match found {
            Outcome::Hit(t) => Some(t),
            _ => None,
        };
        let (d, l) = with_conn(d, held, self.up, settings.learn);
        let learn = l.map(|l| l.apply(table, &key));
        (
            h,
            Some(d),
            TableUse {
                lookup: Some(found),
                learn,
            },
        )
    }
}
