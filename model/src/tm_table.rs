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

/// The TM table compiled once per configuration for [`CompiledTms::from_tm`]: the same
/// answers as [`from_tm`] on the table it was built from.
#[derive(Clone, Debug, Default)]
pub struct CompiledTms {
    /// MACs of the first 16 TMs, 48 bits.
    macs: Vec<u64>,
    /// The lowest TM delivered on its own port, per ingress port.
    by_port: [Option<u8>; 2],
    /// (TM, VLAN id) of the TMs delivered by VLAN, in table order.
    by_vlan: Vec<(u8, u16)>,
    trunk_port: u8,
}

impl CompiledTms {
    pub fn new(tms: &[TmEntry], trunk_port: u8) -> Self {
        let mut c = CompiledTms {
            trunk_port: trunk_port & 1,
            ..Default::default()
        };
        for (i, t) in tms.iter().take(16).enumerate() {
            c.macs.push(t.mac & 0xFFFF_FFFF_FFFF);
            match t.delivery {
                Delivery::Port(p) => {
                    let s = &mut c.by_port[(p & 1) as usize];
                    if s.is_none() {
                        *s = Some(i as u8);
                    }
                }
                Delivery::Vlan(v) => c.by_vlan.push((i as u8, v & 0xFFF)),
                Delivery::Mac | Delivery::IpInIp(_) => {}
            }
        }
        c
    }

    /// [`from_tm`] on the compiled table.
    #[inline]
    pub fn from_tm(&self, src_mac: u64, vlan: Option<u16>, ingress: u8) -> Option<u8> {
        let mut best = self.by_port[(ingress & 1) as usize].unwrap_or(u8::MAX);
        if ingress & 1 == self.trunk_port {
            if let Some(x) = vlan.map(|x| x & 0xFFF) {
                if let Some(&(i, _)) = self.by_vlan.iter().find(|&&(_, v)| v == x) {
                    best = best.min(i);
                }
            }
        }
        let mut bits = 0u32;
        for (i, &m) in self.macs.iter().enumerate() {
            bits |= ((m == src_mac) as u32) << i;
        }
        if bits != 0 {
            best = best.min(bits.trailing_zeros() as u8);
        }
        (best != u8::MAX).then_some(best)
    }
}
