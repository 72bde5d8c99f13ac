//! `flowdist run` as a user runs it: the shipped example configuration and captures, a Linux
//! capture without FCS, a malformed frame, and bad inputs.
use flowdist_model::ingress_port::ingress_outputs;
mod common;
use common::{flowdist, read, root, tmp};
use std::path::Path;

fn write(path: &Path, frames: &[Vec<u8>]) {
    let f = std::fs::File::create(path).unwrap();
    let mut w = pcap_file::pcap::PcapWriter::new(f).unwrap();
    for fr in frames {
        w.write_packet(&pcap_file::pcap::PcapPacket::new(
            std::time::Duration::ZERO,
            fr.len() as u32,
            fr,
        ))
        .unwrap();
    }
}

fn data_plane(config: &str) -> flowdist_model::tables::DataPlaneConfig {
    let c = flowdist_control::config::Config::load(root().join(config)).unwrap();
    flowdist_control::compile::compile(&c, 64)
        .unwrap()
        .data_plane()
}

fn json_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Runs one capture and checks the outputs against the model; returns the decision log.
fn run_and_compare(config: &str, capture: &str, ingress: u8, name: &str) -> Vec<serde_json::Value> {
    let out = tmp(name);
    let o = flowdist(&[
        "run",
        "--config",
        config,
        "--pcap",
        capture,
        "--out",
        out.to_str().unwrap(),
        "--ingress",
        &ingress.to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("frames in"), "{stdout}");
    let frames = read(&root().join(capture));
    let cfg = data_plane(config);
    let want = ingress_outputs(&frames, ingress, &cfg);
    for port in 0..2u8 {
        let got = read(&out.join(format!("port{port}.pcap")));
        let w: Vec<Vec<u8>> = want
            .iter()
            .filter(|(p, _)| *p == port)
            .map(|(_, f)| f.clone())
            .collect();
        assert_eq!(got, w, "{capture}: port {port} differs from the model");
    }
    let log = json_lines(&out.join("decisions.jsonl"));
    assert_eq!(log.len(), frames.len());
    let sent = log.iter().filter(|r| r.get("sent").is_some()).count();
    let dropped = log.iter().filter(|r| r.get("drop").is_some()).count();
    assert_eq!(sent, want.len());
    assert_eq!(sent + dropped, frames.len());
    assert_eq!(read(&out.join("drops.pcap")).len(), dropped);
    for (i, r) in log.iter().enumerate() {
        assert_eq!(r["index"], i);
        assert_eq!(r["ingress"], ingress);
        assert_eq!(r["len"], frames[i].len());
    }
    let _ = std::fs::remove_dir_all(&out);
    log
}

#[test]
fn fig11_example_both_directions_match_the_model() {
    let log = run_and_compare(
        "examples/fig11.toml",
        "examples/fig11-network.pcap",
        0,
        "net",
    );
    // the client's first request: hashed on its source into a TM, FIG. 9 cell named
    assert_eq!(log[0]["kind"], "to_tm");
    assert_eq!(log[0]["cell"]["action"], "hash_src");
    assert_eq!(log[0]["src_ip"], "12.228.54.3");
    let seen = cam_rows_are_the_matching_entries(&log, "examples/fig11.toml");
    let log = run_and_compare(
        "examples/fig11.toml",
        "examples/fig11-trunk.pcap",
        1,
        "trunk",
    );
    let seen = seen + cam_rows_are_the_matching_entries(&log, "examples/fig11.toml");
    assert!(seen >= 10, "the captures' frames match CAM entries: {seen}");
}

/// The log's `src_cam` / `dst_cam` list exactly the CAM entries whose prefix holds the
/// address and whose port qualifier (if any) is the frame's port (the example's entries have
/// no VLAN or ingress qualifier, and it has no fragments); each FIG. 9 cell comes with both.
/// Returns how many entries the log named.
fn cam_rows_are_the_matching_entries(log: &[serde_json::Value], config: &str) -> usize {
    let cam = data_plane(config).cam;
    assert!(cam.iter().all(|e| e.vlan.is_none() && e.ingress.is_none()));
    let mut seen = 0;
    for r in log {
        assert_eq!(r["src_cam"].is_null(), r["dst_cam"].is_null(), "{r}");
        if !r["cell"].is_null() {
            assert!(!r["src_cam"].is_null(), "{r}");
        }
        for (side, list) in [("src", &r["src_cam"]), ("dst", &r["dst_cam"])] {
            let Some(list) = list.as_array() else {
                continue;
            };
            let ip: std::net::Ipv4Addr = r[format!("{side}_ip")].as_str().unwrap().parse().unwrap();
            let port = r[format!("{side}_port")].as_u64();
            let want: Vec<u64> = (cam.iter().enumerate())
                .filter(|(_, e)| {
                    e.valid
                        && (u32::from(ip) ^ e.value) & e.mask == 0
                        && e.port.is_none_or(|p| port == Some(p as u64))
                })
                .map(|(i, _)| i as u64)
                .collect();
            let got: Vec<u64> = list.iter().map(|v| v.as_u64().unwrap()).collect();
            assert_eq!(got, want, "{side}: {r}");
            seen += got.len();
        }
    }
    seen
}

#[test]
fn linux_capture_without_fcs() {
    // frames as Linux captures them: no FCS; the outputs come back without one too
    let out = tmp("linux");
    let o = flowdist(&[
        "run",
        "--config",
        "examples/fig11.toml",
        "--pcap",
        "tests/data/linux-veth.pcap",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let frames = read(&root().join("tests/data/linux-veth.pcap"));
    let log = json_lines(&out.join("decisions.jsonl"));
    assert_eq!(log.len(), frames.len());
    // a frame captured without FCS is padded to 60 and given one, as a NIC would
    for (r, f) in log.iter().zip(&frames) {
        assert_eq!(r["len"], f.len().max(60) + 4);
    }
    let sent: usize = (0..2)
        .map(|p| read(&out.join(format!("port{p}.pcap"))).len())
        .sum();
    assert_eq!(sent, log.iter().filter(|r| r.get("sent").is_some()).count());
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn malformed_frame_is_dropped_with_its_reasons() {
    let dir = tmp("bad");
    std::fs::create_dir_all(&dir).unwrap();
    // an IPv4 frame whose header claims 1000 bytes: truncated
    let mut f = vec![0x02, 0, 0, 0, 0x05, 0x05, 0x02, 0, 0, 0, 1, 0, 0x08, 0x00];
    f.extend_from_slice(&[
        0x45, 0, 0x03, 0xE8, 0, 0, 0, 0, 64, 6, 0, 0, 12, 228, 54, 3, 168, 33, 20, 1,
    ]);
    f.resize(60, 0);
    let cap = dir.join("bad.pcap");
    write(&cap, &[f.clone()]);
    let out = dir.join("out");
    let o = flowdist(&[
        "run",
        "--config",
        "examples/fig11.toml",
        "--pcap",
        cap.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--fcs",
        "absent",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = json_lines(&out.join("decisions.jsonl"));
    assert_eq!(log[0]["drop"], "malformed");
    let reasons = log[0]["malformed"].as_array().unwrap();
    assert!(!reasons.is_empty(), "{log:?}");
    assert_eq!(read(&out.join("drops.pcap")), vec![f]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_inputs_name_the_file_or_field() {
    let out = tmp("err");
    let o = flowdist(&[
        "run",
        "--config",
        "examples/fig11.toml",
        "--pcap",
        "no-such.pcap",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such.pcap"));
    let dir = tmp("badcfg");
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("bad.toml");
    std::fs::write(&cfg, "[distributor]\nmac = \"02:00\"\nbucket_bits = 12\n").unwrap();
    let o = flowdist(&[
        "run",
        "--config",
        cfg.to_str().unwrap(),
        "--pcap",
        "examples/fig11-network.pcap",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("distributor.mac"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same capture as pcapng (section header, one Ethernet interface, enhanced packet
/// blocks) gives the same output as the pcap; an ARP request for the virtual address in it
/// is answered (R7): kind `arp_reply`, the reply back out of port 0.
#[test]
fn pcapng_capture_and_arp_request() {
    use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
    use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionBlock;
    use pcap_file::DataLink;
    let mut frames = read(&root().join("examples/fig11-network.pcap"));
    // who has 168.33.20.1 (the virtual address), tell 12.228.54.1
    let mut arp = vec![0xFF; 6];
    arp.extend([2, 0, 0, 0, 1, 0, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1]);
    arp.extend([2, 0, 0, 0, 1, 0, 12, 228, 54, 1]);
    arp.extend([0, 0, 0, 0, 0, 0, 168, 33, 20, 1]);
    arp.resize(60, 0);
    frames.push(flowdist_model::fcs_checker::with_fcs(&arp));
    let dir = tmp("pcapng");
    std::fs::create_dir_all(&dir).unwrap();
    let ng = dir.join("in.pcapng");
    let plain = dir.join("in.pcap");
    write(&plain, &frames);
    {
        let f = std::fs::File::create(&ng).unwrap();
        let mut w = pcap_file::pcapng::PcapNgWriter::new(f).unwrap();
        w.write_pcapng_block(InterfaceDescriptionBlock {
            linktype: DataLink::ETHERNET,
            snaplen: 0,
            options: vec![],
        })
        .unwrap();
        for fr in &frames {
            w.write_pcapng_block(EnhancedPacketBlock {
                interface_id: 0,
                timestamp: std::time::Duration::ZERO,
                original_len: fr.len() as u32,
                data: std::borrow::Cow::Borrowed(&fr[..]),
                options: vec![],
            })
            .unwrap();
        }
    }
    let mut outs = Vec::new();
    for (name, input) in [("ng", &ng), ("plain", &plain)] {
        let out = dir.join(name);
        let o = flowdist(&[
            "run",
            "--config",
            "examples/fig11.toml",
            "--pcap",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        outs.push(out);
    }
    for port in 0..2 {
        let f = format!("port{port}.pcap");
        assert_eq!(read(&outs[0].join(&f)), read(&outs[1].join(&f)), "{f}");
    }
    let log = json_lines(&outs[0].join("decisions.jsonl"));
    assert_eq!(log.len(), frames.len());
    let last = log.last().unwrap();
    assert_eq!(last["kind"], "arp_reply", "{last}");
    assert_eq!(last["sent"], 0, "{last}");
    let replies = read(&outs[0].join("port0.pcap"));
    let reply = replies.last().expect("the ARP reply");
    // to the asker, from the group MAC, operation 2, sender 168.33.20.1
    assert_eq!(&reply[0..6], &[2, 0, 0, 0, 1, 0]);
    assert_eq!(&reply[6..12], &[2, 0, 0, 0, 5, 5]);
    assert_eq!(&reply[20..22], &[0, 2]);
    assert_eq!(&reply[28..32], &[168, 33, 20, 1]);
    assert_eq!(&reply[38..42], &[12, 228, 54, 1]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The bridge (R7) in a capture replay: every frame comes in on one port, so once a station
/// has been heard there, a bridged frame to it is filtered (`drop: "filtered"`), and a
/// frame to a station not heard yet is flooded out of the other port; with `[bridge]
/// learning = false` nothing is filtered.
#[test]
fn bridge_filters_stations_heard_on_the_ingress_side() {
    let frame = |dst: [u8; 6], src: [u8; 6]| {
        let mut f = dst.to_vec();
        f.extend(src);
        f.extend([0x88, 0x47]);
        f.resize(60, 0x11);
        flowdist_model::fcs_checker::with_fcs(&f)
    };
    let (a, b) = ([2, 0, 0, 0x50, 0, 1], [2, 0, 0, 0x50, 0, 2]);
    // A → B (B unknown: flooded), B → A (A heard on this port: filtered), A → B (filtered)
    let frames = vec![frame(b, a), frame(a, b), frame(b, a)];
    let dir = tmp("bridge");
    std::fs::create_dir_all(&dir).unwrap();
    let cap = dir.join("in.pcap");
    write(&cap, &frames);
    let plain = std::fs::read_to_string(root().join("examples/fig11.toml")).unwrap();
    let off = dir.join("off.toml");
    std::fs::write(&off, format!("{plain}\n[bridge]\nlearning = false\n")).unwrap();
    let fig11 = root().join("examples/fig11.toml");
    for (config, want) in [
        (&fig11, vec![None, Some("filtered"), Some("filtered")]),
        (&off, vec![None, None, None]),
    ] {
        let out = dir.join("out");
        let o = flowdist(&[
            "run",
            "--config",
            config.to_str().unwrap(),
            "--pcap",
            cap.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let log = json_lines(&out.join("decisions.jsonl"));
        let drops: Vec<Option<&str>> = log.iter().map(|r| r["drop"].as_str()).collect();
        assert_eq!(drops, want, "{}", config.display());
        assert!(log.iter().all(|r| r["kind"] == "bridge"), "{log:?}");
        let sent = read(&out.join("port1.pcap"));
        assert_eq!(sent.len(), want.iter().filter(|w| w.is_none()).count());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
