//! Reading captures frame by frame (pcap or pcapng), so captures larger than memory work.
use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::{Block, PcapNgReader};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// The frames of a capture file, read as they are needed.
pub enum CaptureReader {
    Pcap(PcapReader<BufReader<File>>),
    PcapNg(PcapNgReader<BufReader<File>>),
}

impl CaptureReader {
    /// Opens `path`; errors name the file.
    pub fn open(path: &Path) -> Result<Self, String> {
        let name = || path.display().to_string();
        let f = File::open(path).map_err(|e| format!("{}: {e}", name()))?;
        let mut r = BufReader::new(f);
        let head = r.fill_buf().map_err(|e| format!("{}: {e}", name()))?;
        if head.len() >= 4 && head[..4] == [0x0A, 0x0D, 0x0D, 0x0A] {
            PcapNgReader::new(r)
                .map(CaptureReader::PcapNg)
                .map_err(|e| format!("{}: {e}", name()))
        } else {
            PcapReader::new(r)
                .map(CaptureReader::Pcap)
                .map_err(|e| format!("{}: not a pcap or pcapng file ({e})", name()))
        }
    }

    /// The next frame's bytes (`None` at the end).
    pub fn next_frame(&mut self) -> Option<Result<Vec<u8>, String>> {
        match self {
            CaptureReader::Pcap(r) => r
                .next_packet()
                .map(|p| p.map(|p| p.data.into_owned()).map_err(|e| e.to_string())),
            CaptureReader::PcapNg(r) => loop {
                match r.next_block()? {
                    Err(e) => return Some(Err(e.to_string())),
                    Ok(Block::EnhancedPacket(p)) => return Some(Ok(p.data.into_owned())),
                    Ok(Block::SimplePacket(p)) => return Some(Ok(p.data.into_owned())),
                    Ok(_) => {}
                }
            },
        }
    }
}

impl Iterator for CaptureReader {
    type Item = Result<Vec<u8>, String>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_frame()
    }
}
