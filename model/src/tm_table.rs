//! "Did this frame come from a TM?" (twin of `hdl::tm_table`), R3 step 1.
use crate::tables::{Delivery, TmEntry};

/// The lowest TM the frame came from: same source MAC; or delivered by VLAN and the frame
/// came in on the trunk port tagged with that VLAN id; or delivered on its own port and the
/// frame came in on it.
pub fn from_tm(
    tms: &[TmEntry],
    src_mac: u64,
    vlan: Option<u16>,
    ingress: u8,
    trunk_port: u8,
) -> Option<u8> {
    tms.iter()
        .take(16)
        .position(|t| {
            t.mac & 0xFFFF_FFFF_FFFF == src_mac
                || match t.delivery {
                    Delivery::Vlan(v) => {
                        ingress & 1 == trunk_port & 1 && vlan.map(|x| x & 0xFFF) == Some(v & 0xFFF)
                    }
                    Delivery::Port(p) => ingress & 1 == p & 1,
                    Delivery::Mac | Delivery::IpInIp(_) => false,
                }
        })
        .map(|i| i as u8)
}
