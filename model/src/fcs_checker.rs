//! Ingress FCS check (twin of `hdl::fcs_checker`).
//!
//! The hardware checks the CRC residue over the whole frame; this recomputes the CRC of the
//! payload and compares it with the transmitted FCS (little-endian, as sent on the wire).
use crate::crc32_byte::CRC32_IEEE;

/// Frame length as the hardware reports it: bytes including FCS, saturating at 65535.
pub fn frame_len(frame: &[u8]) -> u16 {
    frame.len().min(u16::MAX as usize) as u16
}

/// True when the frame's last four bytes are the CRC-32 of the bytes before them.
pub fn fcs_ok(frame: &[u8]) -> bool {
    if frame.len() < 4 {
        return false;
    }
    let (payload, fcs) = frame.split_at(frame.len() - 4);
    CRC32_IEEE.checksum(payload) == u32::from_le_bytes([fcs[0], fcs[1], fcs[2], fcs[3]])
}

/// The frame without its FCS (empty for frames of four bytes or fewer).
pub fn payload(frame: &[u8]) -> &[u8] {
    &frame[..frame.len().saturating_sub(4)]
}

/// Append the correct FCS to a payload.
pub fn with_fcs(payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(payload.len() + 4);
    v.extend_from_slice(payload);
    v.extend_from_slice(&CRC32_IEEE.checksum(payload).to_le_bytes());
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn fcs_round_trip() {
        let f = with_fcs(b"123456789");
        assert_eq!(&f[9..], &0xCBF4_3926u32.to_le_bytes());
        assert!(fcs_ok(&f));
        let mut g = f.clone();
        g[3] ^= 1;
        assert!(!fcs_ok(&g));
        assert!(!fcs_ok(&[1, 2, 3]));
        assert!(fcs_ok(&[0, 0, 0, 0]));
    }
}
