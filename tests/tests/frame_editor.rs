//! FrameEditor (R5/R6 edits, R12 FCS regeneration) through Verilator against the model:
//! generated frames and edits, back to back under back-pressure, every output byte.
use flowdist_model::fcs_checker::fcs_ok;
use flowdist_model::frame_editor::{edit, ArpReply, Edits, Encap, TagOp, TtlEdit};
use flowdist_tests::editor_harness::rtl_edit;
use flowdist_tests::frames::frame_strategy;
use flowdist_tests::parser_harness::hex;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn edits() -> impl Strategy<Value = Edits> {
    (
        proptest::option::of(0u64..(1 << 48)),
        proptest::option::of(0u64..(1 << 48)),
        prop_oneof![
            Just(TagOp::Keep),
            any::<u16>().prop_map(TagOp::Push),
            (0u16..4096).prop_map(TagOp::SetVid),
            Just(TagOp::Pop)
        ],
    )
        .prop_map(|(dst_mac, src_mac, tag)| Edits {
            dst_mac,
            src_mac,
            tag,
            encap: None,
            arp: None,
            ttl: None,
        })
}

/// ARP replies (R7), as the delivery plan asks for them: both MACs set (the source and the
/// ARP sender being the group MAC), tags kept, the body after 0, 1 or 2 tags.
fn arp_edits() -> impl Strategy<Value = Edits> {
    (
        0u64..(1 << 48),
        0u64..(1 << 48),
        prop_oneof![Just(14usize), Just(18), Just(22)],
        any::<u32>(),
    )
        .prop_map(|(dst, group, at, spa)| Edits {
            dst_mac: Some(dst),
            src_mac: Some(group),
            tag: TagOp::Keep,
            encap: None,
            arp: Some(ArpReply {
                at,
                sha: group,
                spa,
            }),
            ttl: None,
        })
}

/// IP-in-IP edits (with the tag ops the delivery plan combines them with: keep, push).
fn encap_edits() -> impl Strategy<Value = Edits> {
    (
        proptest::option::of(0u64..(1 << 48)),
        proptest::option::of(0u64..(1 << 48)),
        prop_oneof![Just(TagOp::Keep), any::<u16>().prop_map(TagOp::Push)],
        prop_oneof![Just(14usize), Just(18), Just(22)],
        any::<u32>(),
        any::<u32>(),
        any::<u16>(),
    )
        .prop_map(|(dst_mac, src_mac, tag, at, src, dst, inner_len)| Edits {
            dst_mac,
            src_mac,
            tag,
            encap: Some(Encap {
                at,
                src,
                dst,
                inner_len,
            }),
            arp: None,
            ttl: None,
        })
}

/// A routed frame's edits (R8), as the delivery plan asks for them: next hop and group
/// MACs, any tag op, TTL and checksum written in the IPv4 header after 0, 1 or 2 tags.
fn ttl_edits() -> impl Strategy<Value = Edits> {
    (
        0u64..(1 << 48),
        0u64..(1 << 48),
        prop_oneof![
            Just(TagOp::Keep),
            (0u16..4096).prop_map(TagOp::Push),
            (0u16..4096).prop_map(TagOp::SetVid),
            Just(TagOp::Pop)
        ],
        prop_oneof![Just(14usize), Just(18), Just(22)],
        any::<u8>(),
        any::<u16>(),
    )
        .prop_map(|(dst, group, tag, at, ttl, checksum)| Edits {
            dst_mac: Some(dst),
            src_mac: Some(group),
            tag,
            encap: None,
            arp: None,
            ttl: Some(TtlEdit { at, ttl, checksum }),
        })
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => frame_strategy().prop_map(|f| f.payload_bytes()),
        1 => proptest::collection::vec(any::<u8>(), 1..80),
    ]
}

#[test]
fn generated_frames_and_edits_match_model() {
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    runner
        .run(
            &proptest::collection::vec(
                (
                    payload(),
                    prop_oneof![2 => edits(), 1 => encap_edits(), 1 => arp_edits(), 1 => ttl_edits()],
                ),
                1..30,
            ),
            |jobs| {
                let got = rtl_edit(&jobs);
                prop_assert_eq!(got.len(), jobs.len());
                for (i, (p, e)) in jobs.iter().enumerate() {
                    let want = edit(p, e);
                    prop_assert!(fcs_ok(&want));
                    prop_assert_eq!(
                        &got[i],
                        &want,
                        "frame {} {:?}\n in: {}\nrtl: {}\nmod: {}",
                        i,
                        e,
                        hex(p),
                        hex(&got[i]),
                        hex(&want)
                    );
                }
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn known_edits() {
    let p: Vec<u8> = (0u8..64).collect();
    let push = edit(
        &p,
        &Edits {
            tag: TagOp::Push(0x2065),
            ..Default::default()
        },
    );
    assert_eq!(&push[12..16], &[0x81, 0x00, 0x20, 0x65]);
    assert_eq!(&push[16..20], &[12, 13, 14, 15]);
    assert_eq!(push.len(), 64 + 4 + 4);
    let pop = edit(
        &push[..push.len() - 4],
        &Edits {
            tag: TagOp::Pop,
            ..Default::default()
        },
    );
    assert_eq!(&pop[..64], &p[..]);
    let mac = edit(
        &p,
        &Edits {
            dst_mac: Some(0x0A0B_0C0D_0E0F),
            ..Default::default()
        },
    );
    assert_eq!(&mac[..6], &[0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F]);
    // popping a tag off a minimum frame pads it back to 60 + FCS
    let small = edit(
        &p[..60],
        &Edits {
            tag: TagOp::Pop,
            ..Default::default()
        },
    );
    assert_eq!(small.len(), 64);
    assert_eq!(&small[56..60], &[0, 0, 0, 0]);
    let jobs = vec![
        (
            p.clone(),
            Edits {
                tag: TagOp::Push(0x2065),
                ..Default::default()
            },
        ),
        (
            push[..push.len() - 4].to_vec(),
            Edits {
                tag: TagOp::Pop,
                ..Default::default()
            },
        ),
        (
            p.clone(),
            Edits {
                dst_mac: Some(0x0A0B_0C0D_0E0F),
                ..Default::default()
            },
        ),
        (
            p[..60].to_vec(),
            Edits {
                tag: TagOp::Pop,
                ..Default::default()
            },
        ),
    ];
    let got = rtl_edit(&jobs);
    assert_eq!(got, vec![push, pop, mac, small]);
}

/// IP-in-IP through the RTL editor, read back by an independent parser (etherparse): outer
/// IPv4 header valid (checksum, protocol 4, lengths, DF, TTL 64), inner packet untouched.
#[test]
fn ipip_encapsulation_parses_independently() {
    use etherparse::{Ipv4HeaderSlice, Ipv4Slice};
    let inner: Vec<u8> = {
        // a 20-byte IPv4 header (UDP, 46 bytes total) + 26 bytes of payload
        let mut ip = vec![
            0x45, 0x00, 0x00, 46, 0x12, 0x34, 0x00, 0x00, 63, 17, 0, 0, 10, 0, 0, 1, 203, 0, 113,
            10,
        ];
        let c = flowdist_model::header_parser::ipv4_checksum(&ip);
        ip[10..12].copy_from_slice(&c.to_be_bytes());
        ip.extend((0u8..26).map(|i| i.wrapping_mul(7)));
        ip
    };
    for tags in 0..3usize {
        let mut p = vec![0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02];
        for t in 0..tags {
            p.extend_from_slice(&[0x81, 0x00, 0x00, 10 + t as u8]);
        }
        p.extend_from_slice(&[0x08, 0x00]);
        p.extend_from_slice(&inner);
        let e = Edits {
            dst_mac: Some(0x02_00_00_00_0A_01),
            src_mac: Some(0x02_00_00_00_00_01),
            encap: Some(Encap {
                at: 14 + 4 * tags,
                src: 0xC000_0201,
                dst: 0xC633_6407,
                inner_len: 46,
            }),
            ..Default::default()
        };
        let got = rtl_edit(&[(p.clone(), e)]);
        assert_eq!(got, vec![edit(&p, &e)], "{tags} tags: RTL and model differ");
        let f = &got[0];
        let l3 = 14 + 4 * tags;
        let outer = Ipv4HeaderSlice::from_slice(&f[l3..]).expect("outer IPv4 header");
        let h = outer.to_header();
        assert_eq!(h.protocol, etherparse::IpNumber::IPV4);
        assert_eq!(h.header_checksum, h.calc_header_checksum());
        assert_eq!(h.total_len, 66);
        assert_eq!(h.time_to_live, 64);
        assert!(h.dont_fragment && !h.more_fragments);
        assert_eq!(h.source, [192, 0, 2, 1]);
        assert_eq!(h.destination, [198, 51, 100, 7]);
        let whole = Ipv4Slice::from_slice(&f[l3..l3 + 66]).expect("outer packet");
        assert_eq!(whole.payload().payload, &inner[..]);
        assert_eq!(&f[12 + 4 * tags..14 + 4 * tags], &[0x08, 0x00]);
        assert!(fcs_ok(f));
    }
}
