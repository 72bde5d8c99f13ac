//! `flowdist compare` and `flowdist run --sim`: a capture through the Verilator simulation of
//! the RTL core (`SwitchCore`, both ports, egress queues, counters), against the model.
//! Built with the `sim` feature (it needs Verilator and yosys at build time).
use crate::run::step;
use flowdist_model::conn_arbiter::{ConnSettings, Source};
use flowdist_model::conn_table::ConnTable;
use flowdist_model::event_counters::{describe, EventCounters, COUNTERS};
use flowdist_model::tables::DataPlaneConfig;
use flowdist_tests::switch_harness::{first_divergence, through_core, CONN_BITS};

/// Per port, the model's frames: (input frame index, frame sent); and the counters the
/// receive side and the connection table count for them.
fn model_outputs(
    cfg: &DataPlaneConfig,
    frames: &[Vec<u8>],
    ingress: u8,
) -> ([Vec<(usize, Vec<u8>)>; 2], EventCounters) {
    let mut out: [Vec<(usize, Vec<u8>)>; 2] = [Vec::new(), Vec::new()];
    let mut counts = EventCounters::default();
    let c = flowdist_model::classifier::Classifier::new(cfg);
    // the hardware's table: one port's frames use it one at a time, as here
    let settings = ConnSettings::board();
    let mut table = ConnTable::new(CONN_BITS, settings.timeout);
    for (i, f) in frames.iter().enumerate() {
        // (the simulated core runs with MAC learning off: `SwitchSim`'s default)
        let st = step(&c, Some((&mut table, &settings)), None, f, ingress);
        counts.ingress_decided(ingress, f.len(), st.header.malformed(), st.decision);
        if let Some(o) = st.table.lookup {
            counts.table_outcome(Source::Lookup(ingress), o);
        }
        if let Some(o) = st.table.learn {
            counts.table_outcome(Source::Learn(ingress), o);
        }
        if let Ok((p, frame)) = st.out {
            out[p as usize & 1].push((i, frame));
        }
    }
    (out, counts)
}

fn hex(b: Option<&u8>) -> String {
    b.map(|b| format!("0x{b:02x}"))
        .unwrap_or_else(|| "(end)".into())
}

/// Runs both; prints per port whether they agree, else the first divergence; then the counters.
pub fn compare(
    cfg: &DataPlaneConfig,
    frames: &[Vec<u8>],
    ingress: u8,
    gap: usize,
) -> Result<(), String> {
    let (model, mut want) = model_outputs(cfg, frames, ingress);
    let rtl = through_core(cfg, frames, ingress, gap)?;
    let mut same = true;
    for p in 0..2 {
        let m: Vec<Vec<u8>> = model[p].iter().map(|(_, f)| f.clone()).collect();
        match first_divergence(&m, &rtl.ports[p]) {
            None => println!("port {p}: {} frames, identical", m.len()),
            Some((k, off)) => {
                same = false;
                let input = model[p].get(k).map(|(i, _)| format!("input frame {i}"));
                println!(
                    "port {p}: first divergence at output frame {k} ({}), byte {off}: model {}, rtl {} ({} frames from the model, {} from the rtl)",
                    input.unwrap_or_else(|| "no model frame".into()),
                    hex(m.get(k).and_then(|f| f.get(off))),
                    hex(rtl.ports[p].get(k).and_then(|f| f.get(off))),
                    m.len(),
                    rtl.ports[p].len()
                );
            }
        }
    }
    let dropped: usize = rtl.wire.drop_pulses.iter().sum();
    if dropped > 0 {
        println!("the rtl dropped {dropped} frames whole (overload; try a larger --gap)");
    }
    for (p, out) in model.iter().enumerate() {
        for (_, f) in out {
            want.sent(p as u8, f.len());
        }
    }
    let differ: Vec<String> = (0..COUNTERS)
        .filter(|&a| rtl.counters.get(a) != Some(&want.read(a)))
        .map(|a| {
            format!(
                "{}: model {}, rtl {:?}",
                describe(a),
                want.read(a),
                rtl.counters.get(a)
            )
        })
        .collect();
    if differ.is_empty() {
        println!("counters: all {COUNTERS} equal");
    } else {
        same = false;
        println!("counters that differ:\n  {}", differ.join("\n  "));
    }
    if same {
        Ok(())
    } else {
        Err("the rtl and the model differ (see above)".into())
    }
}

/// `run --sim`: the RTL's frames per port as pcaps (without the FCS when the capture had
/// none, as `run` writes them) and its counters, in `out`.
pub fn run_sim(
    cfg: &DataPlaneConfig,
    frames: &[Vec<u8>],
    ingress: u8,
    gap: usize,
    out: &std::path::Path,
    has_fcs: bool,
) -> Result<(), String> {
    let rtl = through_core(cfg, frames, ingress, gap)?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for (p, sent) in rtl.ports.iter().enumerate() {
        let path = out.join(format!("port{p}.pcap"));
        let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut w = pcap_file::pcap::PcapWriter::new(file)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        for f in sent {
            let f = if has_fcs {
                &f[..]
            } else {
                &f[..f.len().saturating_sub(4)]
            };
            w.write_packet(&pcap_file::pcap::PcapPacket::new(
                std::time::Duration::ZERO,
                f.len() as u32,
                f,
            ))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        println!(
            "port {p}: {} frames sent by the rtl ({})",
            sent.len(),
            path.display()
        );
    }
    let mut text = String::new();
    for (a, v) in rtl.counters.iter().enumerate() {
        text.push_str(&format!("{} {v}\n", describe(a)));
    }
    let path = out.join("counters.txt");
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("counters: {}", path.display());
    Ok(())
}
