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

/// The MDIO writes a PHY should see from the board, as the model decodes them: the board's
/// `PHY_ADVERTISE` to every PHY address 0..31, in order.
pub fn phy_advertisement() -> Vec<flowdist_model::mdio_writer::Write> {
    (0..32u8)
        .flat_map(|phy| {
            flowdist_hdl::board_top::PHY_ADVERTISE
                .iter()
                .map(move |&(reg, data)| flowdist_model::mdio_writer::Write { phy, reg, data })
        })
        .collect()
}
