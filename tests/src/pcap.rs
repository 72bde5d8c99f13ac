//! Reading and writing the captures under `tests/data/` (pcap; pcapng read too).
use pcap_file::pcap::{PcapPacket, PcapReader, PcapWriter};
use pcap_file::pcapng::{Block, PcapNgReader};
use std::borrow::Cow;
use std::path::Path;
use std::time::Duration;

/// Every packet of a pcap or pcapng file. Captures from Linux usually lack the FCS and the
/// padding: with `add_fcs`, each frame is padded to 60 bytes and given a correct FCS, as a
/// NIC would send it.
pub fn read_frames(path: &Path, add_fcs: bool) -> Result<Vec<Vec<u8>>, String> {
    let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    let ng = data.len() >= 4 && data[..4] == [0x0A, 0x0D, 0x0D, 0x0A];
    if ng {
        let mut r = PcapNgReader::new(&data[..]).map_err(|e| format!("{}: {e}", path.display()))?;
        while let Some(b) = r.next_block() {
            match b.map_err(|e| format!("{}: {e}", path.display()))? {
                Block::EnhancedPacket(p) => out.push(p.data.into_owned()),
                Block::SimplePacket(p) => out.push(p.data.into_owned()),
                _ => {}
            }
        }
    } else {
        let mut r = PcapReader::new(&data[..]).map_err(|e| format!("{}: {e}", path.display()))?;
        while let Some(p) = r.next_packet() {
            out.push(
                p.map_err(|e| format!("{}: {e}", path.display()))?
                    .data
                    .into_owned(),
            );
        }
    }
    if add_fcs {
        for f in out.iter_mut() {
            if f.len() < 60 {
                f.resize(60, 0);
            }
            *f = flowdist_model::fcs_checker::with_fcs(f);
        }
    }
    Ok(out)
}

/// Write frames (as they are, FCS included when present) to a pcap file.
pub fn write_frames(path: &Path, frames: &[Vec<u8>]) -> Result<(), String> {
    let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut w = PcapWriter::new(f).map_err(|e| e.to_string())?;
    for (i, fr) in frames.iter().enumerate() {
        let pkt = PcapPacket {
            timestamp: Duration::from_micros(i as u64),
            orig_len: fr.len() as u32,
            data: Cow::Borrowed(&fr[..]),
        };
        w.write_packet(&pkt).map_err(|e| e.to_string())?;
    }
    Ok(())
}
