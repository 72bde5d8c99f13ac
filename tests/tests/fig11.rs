//! End to end on the FIG. 11 example: `examples/fig11.toml` compiled by the control plane,
//! the captures `examples/fig11-{network,trunk}.pcap` through the RTL classifier and frame
//! editor and through the model; decisions, plans and every output byte identical, and the
//! scenario does what the patent says.
use flowdist_model::classifier::classify;
use flowdist_model::decision::Kind;
use flowdist_model::delivery::plan;
use flowdist_model::fcs_checker::payload;
use flowdist_model::frame_editor::edit;
use flowdist_model::tables::DataPlaneConfig;
use flowdist_sim::Dut;
use flowdist_tests::classifier_harness::ClassifierSim;
use flowdist_tests::editor_harness::rtl_edit;
use flowdist_tests::pcap::read_frames;
use std::path::Path;

fn example(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

/// One capture on one ingress port: (decision kind, TM, egress port, output frame) per frame,
/// after checking RTL against model for all of it.
fn run(
    cfg: &DataPlaneConfig,
    ingress: u8,
    capture: &str,
) -> Vec<(Kind, u8, Option<(u8, Vec<u8>)>)> {
    let frames = read_frames(&example(capture), false).unwrap();
    let mut sim = ClassifierSim::new(cfg, ingress);
    let rtl = sim
        .cross_check_plans(&frames, |_| 12)
        .unwrap_or_else(|e| panic!("{capture}: {e}"));
    assert_eq!(
        rtl.len(),
        frames.len(),
        "{capture}: every frame is well formed"
    );
    let mut jobs = Vec::new();
    let mut want = Vec::new();
    for (f, (_, p)) in frames.iter().zip(rtl.iter()) {
        let (h, md) = classify(f, ingress, cfg);
        let mp = plan(&md.unwrap(), &h, ingress, cfg);
        assert_eq!(mp, *p);
        if !p.drop {
            jobs.push((payload(f).to_vec(), p.edits));
            want.push(edit(payload(f), &mp.edits));
        }
    }
    let out = rtl_edit(&jobs);
    assert_eq!(out, want, "{capture}: edited frames");
    let mut k = 0;
    rtl.iter()
        .map(|(d, p)| {
            let o = (!p.drop).then(|| {
                k += 1;
                (p.port, out[k - 1].clone())
            });
            (d.kind, d.tm, o)
        })
        .collect()
}

#[test]
fn fig11_end_to_end() {
    let cfg = flowdist_tests::fig11::config();
    let net = run(&cfg, 0, "fig11-network.pcap");
    let trunk = run(&cfg, 1, "fig11-trunk.pcap");

    // the client's request: hashed on the client, to TM t by its VLAN on the trunk
    let (kind, t, out) = &net[0];
    assert_eq!(*kind, Kind::ToTm);
    let (port, frame) = out.clone().unwrap();
    assert_eq!(port, 1);
    assert_eq!(
        &frame[12..16],
        &[
            0x81,
            0x00,
            ((420 + *t as u16) >> 8) as u8,
            (420 + *t as u16) as u8
        ]
    );
    // the origin server's answer to the client reaches the same TM (claims 1/12/20/33):
    // hashed on the client as destination, VLAN 30 re-tagged with the TM's VLAN
    assert_eq!((trunk[0].0, trunk[0].1), (Kind::ToTm, *t));
    let (port, frame) = trunk[0].2.clone().unwrap();
    assert_eq!(port, 1);
    assert_eq!(
        u16::from_be_bytes([frame[14], frame[15]]) & 0xFFF,
        420 + *t as u16
    );
    // each TM's answer to the client: outbound, tag popped, from the group MAC, to port 0
    for (i, (kind, tm, out)) in trunk[1..5].iter().enumerate() {
        assert_eq!((*kind, *tm), (Kind::Outbound, i as u8));
        let (port, frame) = out.clone().unwrap();
        assert_eq!(port, 0);
        assert_eq!(&frame[6..12], &[2, 0, 0, 0, 5, 5]);
        assert_eq!(&frame[12..14], &[0x08, 0x00], "tag popped");
    }
    // 64 more clients spread over the four TMs by weight 1:1:1:2
    let mut per_tm = [0usize; 4];
    for (kind, tm, _) in &net[1..65] {
        assert_eq!(*kind, Kind::ToTm);
        per_tm[*tm as usize] += 1;
    }
    assert!(per_tm.iter().all(|&n| n > 0), "{per_tm:?}");
    // an Internet server answering TM 421's NAT address: goto_dst, to TM 421 (id 1)
    assert_eq!((net[65].0, net[65].1), (Kind::ToTm, 1));
    // a TM's management address: to that TM (422, id 2)
    assert_eq!((net[66].0, net[66].1), (Kind::ToTm, 2));
    // the distributor's own address: local; unknown to unknown: route; the router's ARP
    // request for the virtual address (configured per port, 80 and 443): answered (R7)
    assert_eq!(net[67].0, Kind::Local);
    assert_eq!(net[68].0, Kind::Route);
    assert_eq!(net[69].0, Kind::ArpReply);
    // an origin server opening a connection out: hashed on the destination
    assert_eq!(trunk[5].0, Kind::ToTm);
}

/// R14: the same configuration baked into the RAMs at build time (no configuration-bus
/// writes at all) decides the captures exactly as the model does.
#[test]
fn fig11_tables_baked_in_at_build_time() {
    let cfg = flowdist_tests::fig11::config();
    for (ingress, capture) in [(0u8, "fig11-network.pcap"), (1, "fig11-trunk.pcap")] {
        let frames = read_frames(&example(capture), false).unwrap();
        let mut sim = ClassifierSim::prebuilt(Dut::ClassifierFig11, &cfg, ingress);
        let got = sim
            .cross_check_plans(&frames, |_| 12)
            .unwrap_or_else(|e| panic!("{capture}: {e}"));
        assert_eq!(got.len(), frames.len());
    }
}
