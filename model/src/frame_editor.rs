//! Frame edits (twin of `hdl::frame_editor`): MAC rewrites, VLAN tag push / re-tag / pop,
//! padding to the Ethernet minimum, fresh FCS.
use crate::fcs_checker::with_fcs;

/// What to do to the outer VLAN tag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TagOp {
    #[default]
    Keep,
    /// Insert an 802.1Q tag (TPID 0x8100, this TCI) after the source MAC.
    Push(u16),
    /// Set the VLAN id (low 12 bits of the TCI at bytes 14–15) of the outer tag.
    SetVid(u16),
    /// Remove the outer tag (bytes 12–15).
    Pop,
}

impl TagOp {
    /// (`tag_op`, `tci`) as the hardware takes them.
    pub fn code(self) -> (u8, u16) {
        match self {
            TagOp::Keep => (0, 0),
            TagOp::Push(t) => (1, t),
            TagOp::SetVid(v) => (2, v),
            TagOp::Pop => (3, 0),
        }
    }
}

/// The edits for one frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Edits {
    pub dst_mac: Option<u64>,
    pub src_mac: Option<u64>,
    pub tag: TagOp,
}

/// Edit a frame given without FCS; the result carries padding and a new FCS.
pub fn edit(payload: &[u8], e: &Edits) -> Vec<u8> {
    let mut v = payload.to_vec();
    let put_mac = |v: &mut Vec<u8>, at: usize, mac: u64| {
        for i in 0..6 {
            if let Some(b) = v.get_mut(at + i) {
                *b = (mac >> (8 * (5 - i))) as u8;
            }
        }
    };
    if let Some(m) = e.dst_mac {
        put_mac(&mut v, 0, m);
    }
    if let Some(m) = e.src_mac {
        put_mac(&mut v, 6, m);
    }
    match e.tag {
        TagOp::Keep => {}
        TagOp::Push(tci) => {
            if v.len() > 12 {
                let tag = [0x81, 0x00, (tci >> 8) as u8, tci as u8];
                v.splice(12..12, tag);
            }
        }
        TagOp::SetVid(vid) => {
            if let Some(b) = v.get_mut(14) {
                *b = (*b & 0xF0) | ((vid >> 8) & 0x0F) as u8;
            }
            if let Some(b) = v.get_mut(15) {
                *b = vid as u8;
            }
        }
        TagOp::Pop => {
            let end = v.len().min(16);
            if v.len() > 12 {
                v.drain(12..end);
            }
        }
    }
    if v.len() < 60 {
        v.resize(60, 0);
    }
    with_fcs(&v)
}
