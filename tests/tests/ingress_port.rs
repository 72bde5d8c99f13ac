//! IngressPort (classifier + frame buffer + frame editor) through Verilator against the
//! model: for generated configurations and frames, every frame it sends, every byte, and the
//! egress port.
use flowdist_sim::Dut;
use flowdist_tests::classifier_harness::check_ingress;
use flowdist_tests::configs::{all_hashed, config_strategy, frame_for, line_rate_to_tms};
use flowdist_tests::frames;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[test]
fn generated_configs_and_frames_every_output_byte() {
    let mut runner = TestRunner::new(Config {
        cases: 100,
        ..Config::default()
    });
    let strat = (config_strategy(), 0u8..2).prop_flat_map(|(cfg, ingress)| {
        let fs = proptest::collection::vec(
            prop_oneof![6 => frame_for(&cfg), 1 => frames::wire_frame_strategy()],
            1..50,
        );
        (Just(cfg), Just(ingress), fs)
    });
    let sent = std::cell::Cell::new(0usize);
    runner
        .run(&strat, |(cfg, ingress, frames)| {
            // Ethernet spacing: preamble 8 + gap 12 and more
            let o = check_ingress(Dut::IngressPort, &cfg, ingress, &frames, |i| 20 + i % 5)
                .map_err(TestCaseError::fail)?;
            sent.set(sent.get() + o.got);
            Ok(())
        })
        .unwrap();
    assert!(
        sent.get() > 100,
        "only {} frames sent: the test would not see much",
        sent.get()
    );
}

/// R12 under load: minimum frames at line rate delivered by VLAN re-tag (output no longer
/// than input): nothing dropped, every frame out bit-exact.
#[test]
fn line_rate_minimum_frames_no_drops() {
    let cfg = all_hashed(flowdist_model::tables::Delivery::Vlan(101));
    let frames = line_rate_to_tms(3000);
    assert!(frames.iter().all(|f| f.len() == 64));
    let o =
        check_ingress(Dut::IngressPort, &cfg, 0, &frames, |_| 20).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((o.overruns, o.got, o.want), (0, 3000, 3000));
}

/// Overload: minimum frames at line rate all encapsulated IP-in-IP (20 bytes more out than
/// in): the ring drops whole frames, counted; every frame sent is bit-exact and in order.
#[test]
fn ipip_overload_drops_whole_frames_only() {
    let cfg = all_hashed(flowdist_model::tables::Delivery::IpInIp(0xC000_020A));
    let frames = line_rate_to_tms(3000);
    let o =
        check_ingress(Dut::IngressPort, &cfg, 0, &frames, |_| 20).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "IP-in-IP at line rate: {} of 3000 sent, {} dropped",
        o.got, o.overruns
    );
    assert!(
        o.overruns > 0,
        "no overload seen: the test does not test it"
    );
    assert_eq!(
        o.got + o.overruns,
        3000,
        "sent + dropped must be every frame"
    );
    assert!(o.got > 2000, "only {} of 3000 sent", o.got);
}

/// ARP (R7): a request for the virtual address through the RTL, the reply it sends read back
/// with an independent parser (`pnet_packet`): a reply from the group MAC to the asker, sender
/// = (group MAC, the virtual address), target = the asker's (MAC, address), back on the port
/// the request came in on, FCS valid; and the same bytes as the model's.
#[test]
fn arp_reply_read_back() {
    use flowdist_model::tables::attr;
    use flowdist_tests::classifier_harness::ClassifierSim;
    use flowdist_tests::configs::{base, prefix, GROUP_MAC};
    use flowdist_tests::frames::{tcp4, L3};
    use pnet_packet::arp::{ArpOperations, ArpPacket};
    use pnet_packet::ethernet::{EtherTypes, EthernetPacket};
    use pnet_packet::Packet;
    let virt = 0xCB00_710A;
    let cfg = base(vec![prefix(virt, 32, attr::VIRTUAL, None)]);
    let asker = 0x02_00_00_00_0B_01u64;
    let mut f = tcp4(0, 0, 0, 0);
    f.dst = 0xFFFF_FFFF_FFFF;
    f.src = asker;
    f.l3 = L3::Arp {
        oper: 1,
        sha: asker,
        spa: 0x0A01_0101,
        tha: 0,
        tpa: virt,
    };
    let req = f.bytes();
    for ingress in 0..2u8 {
        let o = check_ingress(Dut::IngressPort, &cfg, ingress, &[req.clone()], |_| 20)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.got, 1);
        let mut sim = ClassifierSim::new_on(Dut::IngressPort, &cfg, ingress);
        let (sent, _) = sim.ingress_outputs(&[req.clone()], |_| 20);
        let (port, reply) = &sent[0];
        assert_eq!(
            *port, ingress,
            "the reply goes back where the request came from"
        );
        assert!(flowdist_model::fcs_checker::fcs_ok(reply));
        let eth = EthernetPacket::new(&reply[..reply.len() - 4]).expect("Ethernet");
        let mac = |m: u64| -> [u8; 6] { m.to_be_bytes()[2..].try_into().unwrap() };
        assert_eq!(eth.get_destination().octets(), mac(asker));
        assert_eq!(eth.get_source().octets(), mac(GROUP_MAC));
        assert_eq!(eth.get_ethertype(), EtherTypes::Arp);
        let arp = ArpPacket::new(eth.payload()).expect("ARP");
        assert_eq!(arp.get_operation(), ArpOperations::Reply);
        assert_eq!(arp.get_sender_hw_addr().octets(), mac(GROUP_MAC));
        assert_eq!(arp.get_sender_proto_addr(), std::net::Ipv4Addr::from(virt));
        assert_eq!(arp.get_target_hw_addr().octets(), mac(asker));
        assert_eq!(
            arp.get_target_proto_addr(),
            std::net::Ipv4Addr::from(0x0A01_0101)
        );
    }
}
