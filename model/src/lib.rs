//! flowdist golden model: the bit-accurate reference for every hardware module.
//!
//! One file per `flowdist-hdl` module, same name, written independently of the hardware
//! (no dependency on the hdl crate): a cross-check between the two means something.
pub mod address_cam;
pub mod async_fifo;
pub mod block_fifo;
pub mod checksum_update;
pub mod classifier;
pub mod conn_arbiter;
pub mod conn_table;
pub mod control_port;
pub mod crc32_byte;
pub mod decision;
pub mod delivery;
pub mod egress_port;
pub mod event_counters;
pub mod fcs_checker;
pub mod frame_editor;
pub mod gmii_rx;
pub mod hash_selector;
pub mod header_parser;
pub mod ingress_port;
pub mod key_hasher;
pub mod mac_arbiter;
pub mod mac_table;
pub mod mdio_writer;
pub mod route_table;
pub mod tables;
pub mod tm_table;
