//! Delivery plan (twin of the plan stage of `hdl::decision`), R5 and R6: from a decision to
//! an egress port and the edits for the frame editor.
use crate::decision::{Decision, Kind};
use crate::frame_editor::{ArpReply, Edits, Encap, TagOp, TtlEdit};
use crate::header_parser::HeaderFields;
use crate::route_table::forwarded;
use crate::tables::{DataPlaneConfig, Delivery};

/// Where and how a frame leaves (all zero but `drop` for a dropped frame; a dropped frame's
/// `tci` in hardware is don't-care and not compared).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    pub drop: bool,
    pub port: u8,
    pub edits: Edits,
}

/// The plan for a decided frame that came in on `ingress`.
pub fn plan(d: &Decision, h: &HeaderFields, ingress: u8, cfg: &DataPlaneConfig) -> Plan {
    let other = (ingress & 1) ^ 1;
    let tagged = h.vlan_count > 0;
    let vid = h.vlan0 & 0xFFF;
    let tm = cfg.tms.get(d.tm as usize).copied();
    let mut p = Plan {
        drop: false,
        port: other,
        edits: Edits::default(),
    };
    match d.kind {
        Kind::Outbound => {
            if let Some(Delivery::Vlan(v)) = tm.map(|t| t.delivery) {
                if tagged && vid == v & 0xFFF {
                    p.edits.tag = TagOp::Pop;
                }
            }
            let group = cfg.group_mac & 0xFFFF_FFFF_FFFF;
            if h.src_mac != group {
                p.edits.src_mac = Some(group);
            }
        }
        Kind::ToTm => match tm.map(|t| (t.delivery, t.mac)) {
            Some((Delivery::Port(q), _)) => p.port = q & 1,
            Some((Delivery::Vlan(v), _)) => {
                p.port = cfg.trunk_port & 1;
                p.edits.tag = if tagged {
                    TagOp::SetVid(v & 0xFFF)
                } else {
                    TagOp::Push(v & 0xFFF)
                };
            }
            Some((Delivery::Mac, mac)) => {
                p.port = cfg.trunk_port & 1;
                p.edits.dst_mac = Some(mac & 0xFFFF_FFFF_FFFF);
            }
            Some((Delivery::IpInIp(ip), mac)) => {
                // the distributor originates the outer packet: its MAC, its tunnel address
                p.port = cfg.trunk_port & 1;
                p.edits.dst_mac = Some(mac & 0xFFFF_FFFF_FFFF);
                p.edits.src_mac = Some(cfg.group_mac & 0xFFFF_FFFF_FFFF);
                p.edits.encap = Some(Encap {
                    at: 14 + 4 * usize::from(h.vlan_count.min(2)),
                    src: cfg.tunnel_src,
                    dst: ip,
                    inner_len: h.ip_len,
                });
            }
            None => p.drop = true,
        },
        Kind::ArpReply => {
            // back where the request came from, to its sender, from the group MAC
            let group = cfg.group_mac & 0xFFFF_FFFF_FFFF;
            p.port = ingress & 1;
            p.edits.dst_mac = Some(h.arp_sha & 0xFFFF_FFFF_FFFF);
            p.edits.src_mac = Some(group);
            p.edits.arp = Some(ArpReply {
                at: 14 + 4 * usize::from(h.vlan_count.min(2)),
                sha: group,
                spa: h.dst_ip as u32,
            });
        }
        Kind::Route => match d.route.and_then(|i| cfg.routes.get(usize::from(i))) {
            // R8: to the next hop, from the group MAC, on the route's VLAN, TTL one less
            Some(_) if d.ttl_expired => p.drop = true,
            Some(r) => {
                p.port = r.port & 1;
                p.edits.dst_mac = Some(r.next_hop & 0xFFFF_FFFF_FFFF);
                p.edits.src_mac = Some(cfg.group_mac & 0xFFFF_FFFF_FFFF);
                p.edits.tag = match (r.vlan, tagged) {
                    (Some(v), true) => TagOp::SetVid(v & 0xFFF),
                    (Some(v), false) => TagOp::Push(v & 0xFFF),
                    (None, true) => TagOp::Pop,
                    (None, false) => TagOp::Keep,
                };
                let (ttl, checksum) = forwarded(h.ttl, h.protocol, h.ip_csum);
                p.edits.ttl = Some(TtlEdit {
                    at: 14 + 4 * usize::from(h.vlan_count.min(2)),
                    ttl,
                    checksum,
                });
            }
            // no route: the other port, unchanged
            None => {}
        },
        // R7: out of the other port (flooded when unknown), unless the station is on this side
        Kind::Bridge => p.drop = d.filtered,
        Kind::Control | Kind::Local | Kind::NoTm => p.drop = true,
    }
    if p.drop {
        // a dropped frame goes nowhere and is not edited
        p = Plan {
            drop: true,
            port: 0,
            edits: Edits::default(),
        };
    }
    p
}
