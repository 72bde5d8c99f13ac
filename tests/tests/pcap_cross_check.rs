//! Captures through RTL and model: generated ones and a real Linux capture (veth between two
//! network namespaces: ARP, ICMP, a fragmented ping, TCP and UDP to closed ports, IPv6 ND).
use flowdist_model::header_parser::{flag, parse, HashKeyConfig, L3_ARP, L3_IPV4, L3_IPV6};
use flowdist_tests::parser_harness::{assert_cross_check, built_poly};
use flowdist_tests::pcap::read_frames;
use std::path::Path;

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

#[test]
fn generated_captures_match() {
    for name in ["kinds.pcap", "mixed.pcap"] {
        let frames = read_frames(&data(name), false).unwrap();
        assert!(frames.len() >= 13, "{name}: {} frames", frames.len());
        for (port, vlan) in [(false, false), (true, true)] {
            assert_cross_check(&frames, port, vlan, |_| 12);
            assert_cross_check(&frames, port, vlan, |_| 0);
        }
    }
}

#[test]
fn linux_capture_matches_and_parses() {
    let frames = read_frames(&data("linux-veth.pcap"), true).unwrap();
    assert_cross_check(&frames, true, false, |_| 12);
    let cfg = HashKeyConfig {
        poly: built_poly(),
        ..Default::default()
    };
    let hs: Vec<_> = frames.iter().map(|f| parse(f, &cfg)).collect();
    // real frames are never malformed
    for (i, h) in hs.iter().enumerate() {
        assert!(!h.malformed(), "frame {i}: flags {:#x}", h.flags);
    }
    assert!(
        hs.iter().any(|h| h.l3 == L3_ARP && h.arp_oper == 2),
        "an ARP reply"
    );
    assert!(
        hs.iter().any(|h| h.l3 == L3_IPV6 && h.protocol == 58),
        "ICMPv6"
    );
    // the 3000-byte ping: first fragment (MF) and later fragments, all on addresses only
    let frags: Vec<_> = hs.iter().filter(|h| h.has(flag::FRAGMENT)).collect();
    assert!(frags.iter().any(|h| !h.has(flag::NON_FIRST_FRAGMENT)));
    assert!(frags.iter().any(|h| h.has(flag::NON_FIRST_FRAGMENT)));
    // the TCP SYN to port 80 and its RST: same address hashes, swapped
    let syn = hs
        .iter()
        .find(|h| h.l3 == L3_IPV4 && h.protocol == 6 && h.dst_port == 80)
        .unwrap();
    let rst = hs
        .iter()
        .find(|h| h.l3 == L3_IPV4 && h.protocol == 6 && h.src_port == 80)
        .unwrap();
    assert_eq!(syn.tcp_flags & 0x02, 0x02);
    assert_eq!(rst.tcp_flags & 0x04, 0x04);
    assert_eq!((syn.src_hash, syn.dst_hash), (rst.dst_hash, rst.src_hash));
}
