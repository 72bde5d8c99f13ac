//! flowdist hardware, described in rust-hdl: one module per file.
//!
//! Every module here has a twin of the same name in `flowdist-model` that implements the
//! same behaviour independently; `flowdist-tests` cross-checks the two through Verilator.
pub mod address_cam;
pub mod async_fifo;
pub mod block_fifo;
pub mod block_ram;
pub mod board_top;
pub mod checksum_update;
pub mod classifier;
pub mod conn_arbiter;
pub mod conn_table;
pub mod control_port;
pub mod crc32_byte;
pub mod decision;
pub mod ecp5_io;
pub mod egress_port;
pub mod entry_scan;
pub mod event_counters;
pub mod fcs_checker;
pub mod frame_editor;
pub mod gmii_rx;
pub mod hash_selector;
pub mod header_parser;
pub mod ingress_port;
pub mod ipip_header;
pub mod key_crc;
pub mod key_hasher;
pub mod mac_arbiter;
pub mod mac_table;
pub mod mdio_writer;
pub mod route_table;
pub mod switch_core;
pub mod table_image;
pub mod tm_table;
pub mod tops;
