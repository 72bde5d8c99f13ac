//! Cross-check harness: drives frame streams through the Verilator simulation of the emitted
//! Verilog and through the golden model, and reports the first divergence.
pub mod classifier_harness;
pub mod configs;
pub mod editor_harness;
pub mod fig11;
pub mod frames;
pub mod parser_harness;
pub mod pcap;
pub mod prop;
pub mod switch_harness;
pub mod table_ops;
