//! Address CAM lookup (twin of `hdl::address_cam`), R2.
use crate::tables::{CamEntry, CamMatch};

/// What one side of a packet offers to the CAM.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CamKey {
    pub addr: u32,
    /// The L4 port on this side, when the packet has ports.
    pub port: Option<u16>,
    /// The outer VLAN id, when tagged.
    pub vlan: Option<u16>,
    pub ingress: u8,
    /// Match entries whatever their port qualifier (an ARP request asks for an address, and
    /// a virtual address may be configured per port).
    pub any_port: bool,
}

/// Does one entry match the key?
pub fn entry_matches(e: &CamEntry, k: &CamKey) -> bool {
    e.valid
        && (k.addr ^ e.value) & e.mask == 0
        && (k.any_port || e.port.is_none_or(|p| k.port == Some(p)))
        && e.vlan
            .is_none_or(|v| k.vlan.map(|x| x & 0xFFF) == Some(v & 0xFFF))
        && e.ingress.is_none_or(|i| k.ingress & 1 == i & 1)
}

/// Look one address up in the whole table.
pub fn lookup(entries: &[CamEntry], k: &CamKey) -> CamMatch {
    let mut m = CamMatch::default();
    for e in entries.iter().filter(|e| entry_matches(e, k)) {
        if !m.matched {
            m.owner = e.owner.map(|o| o & 0xF);
        }
        m.matched = true;
        m.attrs |= e.attrs & 0x3F;
    }
    m
}
