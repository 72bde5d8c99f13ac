//! Verilog for the simulation and synthesis tops.
//!
//! Every top is emitted as a module named `top` (rust-hdl's convention); the simulation
//! build gives each its own Verilator prefix.
use crate::crc32_byte::{POLY_CASTAGNOLI, POLY_IEEE};
use crate::header_parser::HeaderParser;
use crate::key_hasher::KeyHasher;
use rust_hdl::prelude::*;

/// Build-time choice of the hash polynomial (R4): IEEE 802.3 unless the `crc32c` env var
/// `FLOWDIST_HASH=crc32c` is set when the Verilog is emitted.
pub fn hash_poly() -> u32 {
    match std::env::var("FLOWDIST_HASH").as_deref() {
        Ok("crc32c") => POLY_CASTAGNOLI,
        _ => POLY_IEEE,
    }
}

/// The per-port ingress front: FCS check + header parser + key hashes.
pub fn header_parser_verilog(poly: u32) -> String {
    let mut uut = HeaderParser::new(poly);
    uut.connect_all();
    generate_verilog(&uut)
}

/// A bare key hasher, for the CRC known-answer tests.
pub fn key_hasher_verilog(poly: u32) -> String {
    let mut uut = KeyHasher::new(poly);
    uut.connect_all();
    generate_verilog(&uut)
}

/// The synthesis top of the main job: the 5A-75B board top ([`crate::board_top::BoardTop`]),
/// its configuration baked in. Its module is renamed `flowdist_top`.
pub fn board_top_verilog(poly: u32, settings: &crate::board_top::BoardSettings) -> String {
    let mut uut = crate::board_top::BoardTop::new(poly, settings);
    uut.connect_all();
    generate_verilog(&uut).replacen("module top(", "module flowdist_top(", 1)
}

/// The address CAM with 2^(B+1) entries (64 for B = 5), for its cross-check.
pub fn address_cam_verilog<const B: usize>() -> String {
    let mut uut = crate::address_cam::AddressCam::<B>::default();
    uut.connect_all();
    generate_verilog(&uut)
}

/// One port's classifier: parser + decision, 64-entry CAM (CB = 5), 2^K buckets.
pub fn classifier_verilog<const K: usize>(poly: u32) -> String {
    let mut uut = crate::classifier::Classifier::<5, K>::new(poly);
    uut.connect_all();
    generate_verilog(&uut)
}

/// The frame editor, for its cross-check.
pub fn frame_editor_verilog() -> String {
    let mut uut = crate::frame_editor::FrameEditor::default();
    uut.connect_all();
    generate_verilog(&uut)
}

/// One port's ingress path (classifier, frame buffer, editor): 64-entry CAM, 2^K buckets.
pub fn ingress_port_verilog<const K: usize>(poly: u32) -> String {
    let mut uut = crate::ingress_port::IngressPort::<5, K>::new(poly);
    uut.connect_all();
    generate_verilog(&uut)
}

/// The classifier with its tables baked in at build time (R14), from configuration-bus writes.
pub fn classifier_with_tables_verilog<const K: usize>(poly: u32, writes: &[(u16, u32)]) -> String {
    let mut uut = crate::classifier::Classifier::<5, K>::with_tables(poly, writes);
    uut.connect_all();
    generate_verilog(&uut)
}

/// A block-RAM queue of 16 words of 20 bits, for its cross-check.
pub fn block_fifo_verilog() -> String {
    let mut uut = crate::block_fifo::BlockFifo::<20, 4>::default();
    uut.connect_all();
    generate_verilog(&uut)
}

/// The incremental checksum updater (RFC 1624), for its cross-check.
pub fn checksum_update_verilog() -> String {
    let mut uut = crate::checksum_update::ChecksumUpdate::default();
    uut.connect_all();
    generate_verilog(&uut)
}

/// The data path's counters, for their cross-check.
pub fn event_counters_verilog() -> String {
    let mut uut = crate::event_counters::EventCounters::default();
    uut.connect_all();
    generate_verilog(&uut)
}

/// A clock-crossing queue of 16 words of 9 bits (byte + last), for its cross-check.
pub fn async_fifo_verilog() -> String {
    let mut uut = crate::async_fifo::AsyncFifo::<9, 4, 5>::new();
    uut.connect_all();
    generate_verilog(&uut)
}

/// The GMII receive framing, for its cross-check.
pub fn gmii_rx_verilog() -> String {
    let mut uut = crate::gmii_rx::GmiiRx::default();
    uut.connect_all();
    generate_verilog(&uut)
}

/// The board's MDIO writer (the frames of `board_top::phy_writes`), for its cross-check.
pub fn mdio_writer_verilog() -> String {
    let mut uut = crate::mdio_writer::MdioWriter::<7, 5>::new(&crate::board_top::phy_writes());
    uut.connect_all();
    generate_verilog(&uut)
}

/// One output port (two source rings, arbitration, transmit framing), for its cross-check.
pub fn egress_port_verilog() -> String {
    let mut uut = crate::egress_port::EgressPort::default();
    uut.connect_all();
    generate_verilog(&uut)
}

/// The two-port data path at the GMII level (64-entry CAM, 2^K buckets), tables loaded over
/// the configuration bus (or baked in from `writes`).
pub fn switch_core_verilog<const K: usize>(poly: u32, writes: &[(u16, u32)]) -> String {
    let mut uut = crate::switch_core::SwitchCore::<K>::new(poly, writes);
    uut.connect_all();
    generate_verilog(&uut)
}

/// A connection table of 2^A slots, for its cross-check.
pub fn conn_table_verilog<const A: usize>() -> String {
    let mut uut = crate::conn_table::ConnTable::<A>::new();
    uut.connect_all();
    generate_verilog(&uut)
}

/// A MAC learning table of 2^S slots, for its cross-check.
pub fn mac_table_verilog<const S: usize>() -> String {
    let mut uut = crate::mac_table::MacTable::<S>::new();
    uut.connect_all();
    generate_verilog(&uut)
}

#[cfg(test)]
mod tests {
    /// The main job's top elaborates (every input of every block driven): an unconnected
    /// port would otherwise only show when the bitstream is built.
    #[test]
    fn board_top_elaborates() {
        let s = crate::board_top::BoardSettings {
            writes: vec![(0x2180, 1)],
            ..Default::default()
        };
        let v = super::board_top_verilog(crate::crc32_byte::POLY_IEEE, &s);
        assert!(v.contains("module flowdist_top("));
        assert!(v.contains("DP16KD #("));
        for prim in ["EHXPLLL", "IDDRX1F", "ODDRX1F", "DELAYG"] {
            assert!(v.contains(prim), "{prim} missing");
        }
    }

    /// The same for the two-port data path and its parts.
    #[test]
    fn switch_core_elaborates() {
        let v = super::switch_core_verilog::<12>(crate::crc32_byte::POLY_IEEE, &[]);
        assert!(v.contains("module top("));
        assert!(super::egress_port_verilog().contains("module top("));
        assert!(super::mdio_writer_verilog().contains("module top("));
        assert!(super::async_fifo_verilog().contains("module top("));
        assert!(super::gmii_rx_verilog().contains("module top("));
        assert!(super::conn_table_verilog::<10>().contains("module top("));
        assert!(super::mac_table_verilog::<10>().contains("module top("));
    }
}
