//! Cross-check of the `HeaderParser` top (FCS check, parser, key hashes): Verilator vs model.
use flowdist_model::fcs_checker::with_fcs;
use flowdist_model::header_parser::{flag, parse, HashKeyConfig, L3_ARP, L3_IPV4, L3_IPV6};
use flowdist_tests::frames::{self, apply, tcp4, Frame, Mutation, L3, L4};
use flowdist_tests::parser_harness::{assert_cross_check, built_poly, ParserSim};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// ≥10,000 generated frames (valid and malformed), in batches with varied gaps, every
/// hash-key option; each batch is one stream through the RTL.
#[test]
fn generated_frames_match_model() {
    let mut runner = TestRunner::new(Config {
        cases: 100,
        ..Config::default()
    });
    let batch = proptest::collection::vec(frames::wire_frame_strategy(), 100..=100);
    let total = std::cell::Cell::new(0usize);
    runner
        .run(
            &(batch, 0usize..3, any::<bool>(), any::<bool>()),
            |(fs, gap_kind, port, vlan)| {
                let gap = move |i: usize| match gap_kind {
                    0 => 0,
                    1 => 12,
                    _ => i % 13,
                };
                assert_cross_check(&fs, port, vlan, gap);
                total.set(total.get() + fs.len());
                Ok(())
            },
        )
        .unwrap();
    assert!(total.get() >= 10_000, "only {} frames", total.get());
}

/// Truncated at every offset of several frame kinds, back to back with zero gap.
#[test]
fn truncated_at_every_offset() {
    let mut kinds: Vec<Frame> = vec![tcp4(0x0A00_0001, 0xC0A8_0001, 1234, 80)];
    let mut v6 = tcp4(0, 0, 5, 6);
    v6.l3 = L3::V6 {
        src: 0x2001_0db8 << 96 | 1,
        dst: 0x2001_0db8 << 96 | 2,
        hop: 64,
        next: 17,
        l4: L4::Udp {
            sport: 53,
            dport: 5353,
        },
    };
    v6.tags = vec![(0x88A8, 0x0123), (0x8100, 0x0456)];
    kinds.push(v6);
    let mut arp = tcp4(0, 0, 0, 0);
    arp.l3 = L3::Arp {
        oper: 1,
        sha: 0x0200_0000_0002,
        spa: 0x0A00_0002,
        tha: 0,
        tpa: 0x0A00_0001,
    };
    arp.tags = vec![(0x8100, 7)];
    kinds.push(arp);
    let mut opts = tcp4(1, 2, 3, 4);
    if let L3::V4 { options, .. } = &mut opts.l3 {
        *options = (0..40).collect();
    }
    kinds.push(opts);
    for f in &kinds {
        let full = f.payload_bytes();
        let cut: Vec<Vec<u8>> = (0..=full.len())
            .map(|n| apply(f, &Mutation::Truncate(n)))
            .collect();
        assert_cross_check(&cut, true, true, |_| 0);
        // and the raw cut without any FCS repair: frames of 1.. bytes
        let raw: Vec<Vec<u8>> = (1..=full.len()).map(|n| full[..n].to_vec()).collect();
        assert_cross_check(&raw, false, false, |_| 0);
    }
}

/// After any malformed frame the next valid one is parsed correctly (no wedge), in RTL and model.
#[test]
fn malformed_never_wedges() {
    let good = tcp4(0x0A00_0001, 0x0A00_0002, 1000, 2000).bytes();
    let want = parse(
        &good,
        &HashKeyConfig {
            poly: built_poly(),
            ..Default::default()
        },
    );
    assert_eq!(want.flags & flag::MALFORMED, 0);
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    runner
        .run(
            &proptest::collection::vec(frames::wire_frame_strategy(), 1..20),
            |bad| {
                let mut fs = Vec::new();
                for b in bad {
                    fs.push(b);
                    fs.push(good.clone());
                }
                let mut ps = ParserSim::new(false, false);
                let rtl = ps.parse(&fs, |_| 0);
                prop_assert_eq!(rtl.len(), fs.len());
                for i in (1..fs.len()).step_by(2) {
                    prop_assert_eq!(&rtl[i], &want);
                }
                Ok(())
            },
        )
        .unwrap();
}

/// The flags mean what they say, on hand-made frames (model and RTL agree, checked too).
#[test]
fn flags_known_cases() {
    let cfg = HashKeyConfig {
        poly: built_poly(),
        ..Default::default()
    };
    let base = tcp4(0x0A00_0001, 0x0A00_0002, 1000, 2000);
    let good = base.bytes();
    let h = parse(&good, &cfg);
    assert_eq!(h.l3, L3_IPV4);
    assert_eq!(
        (h.src_port, h.dst_port, h.tcp_seq, h.tcp_flags),
        (1000, 2000, 0x1234_5678, 0x02)
    );
    assert!(h.has(flag::L4_VALID) && !h.malformed(), "{:#x}", h.flags);

    let mut cases: Vec<(Vec<u8>, u16)> = Vec::new();
    let p = base.payload_bytes();
    // IPv4 header byte 0 at offset 14
    let mut v = p.clone();
    v[14] = 0x55; // version 5
    cases.push((with_fcs(&v), flag::BAD_VERSION));
    let mut v = p.clone();
    v[14] = 0x44; // IHL 4
    cases.push((with_fcs(&v), flag::BAD_IHL));
    let mut v = p.clone();
    v[24] ^= 0xFF; // checksum byte
    cases.push((with_fcs(&v), flag::BAD_CHECKSUM));
    let mut v = p.clone();
    v[16] = 0x7F; // total length beyond the frame (checksum then wrong too)
    cases.push((with_fcs(&v), flag::BAD_LENGTH));
    let mut bad_fcs = good.clone();
    *bad_fcs.last_mut().unwrap() ^= 1;
    cases.push((bad_fcs, flag::BAD_FCS));
    cases.push((with_fcs(&p[..30]), flag::TRUNCATED | flag::RUNT));
    cases.push((apply(&base, &Mutation::Pad(1519)), flag::GIANT));
    let mut frag = base.clone();
    if let L3::V4 { frag: f, .. } = &mut frag.l3 {
        *f = 0x0010;
    }
    cases.push((frag.bytes(), flag::NON_FIRST_FRAGMENT | flag::FRAGMENT));
    let mut arp = base.clone();
    arp.l3 = L3::Arp {
        oper: 2,
        sha: 1,
        spa: 2,
        tha: 3,
        tpa: 4,
    };
    let mut v = arp.payload_bytes();
    v[15] = 6; // htype 6
    cases.push((with_fcs(&v), flag::BAD_ARP));
    for (f, want) in &cases {
        let h = parse(f, &cfg);
        assert_eq!(
            h.flags & want,
            *want,
            "flags {:#x} want {:#x}",
            h.flags,
            want
        );
    }
    // one tagged giant is not a giant: 1522 bytes with one tag
    let mut tagged = base.clone();
    tagged.tags = vec![(0x8100, 5)];
    assert!(!parse(&apply(&tagged, &Mutation::Pad(1522)), &cfg).has(flag::GIANT));
    assert!(parse(&apply(&tagged, &Mutation::Pad(1523)), &cfg).has(flag::GIANT));
    let mut frames: Vec<Vec<u8>> = cases.into_iter().map(|c| c.0).collect();
    frames.push(good);
    assert_cross_check(&frames, false, false, |_| 12);
}

/// IPv6 and ARP fields land where they should.
#[test]
fn ipv6_and_arp_fields() {
    let cfg = HashKeyConfig {
        poly: built_poly(),
        ..Default::default()
    };
    let mut f = tcp4(0, 0, 0, 0);
    f.l3 = L3::V6 {
        src: 0x2001_0db8_0000_0000_0000_0000_0000_0001,
        dst: 0xfe80 << 112 | 2,
        hop: 9,
        next: 6,
        l4: L4::Tcp {
            sport: 443,
            dport: 55555,
            seq: 7,
            flags: 0x11,
        },
    };
    let h = parse(&f.bytes(), &cfg);
    assert_eq!(
        (h.l3, h.ttl, h.protocol, h.src_port, h.dst_port, h.tcp_flags),
        (L3_IPV6, 9, 6, 443, 55555, 0x11)
    );
    assert_eq!(h.src_ip, 0x2001_0db8_0000_0000_0000_0000_0000_0001);
    let mut a = tcp4(0, 0, 0, 0);
    a.l3 = L3::Arp {
        oper: 1,
        sha: 0x0200_0000_00AA,
        spa: 0xC0A8_0101,
        tha: 0,
        tpa: 0xC0A8_01FE,
    };
    let h = parse(&a.bytes(), &cfg);
    assert_eq!(
        (h.l3, h.arp_oper, h.arp_sha, h.src_ip, h.dst_ip),
        (L3_ARP, 1, 0x0200_0000_00AA, 0xC0A8_0101, 0xC0A8_01FE)
    );
    assert_cross_check(&[f.bytes(), a.bytes()], true, true, |_| 0);
}

proptest! {
    /// Arbitrary bytes never panic the model.
    #[test]
    fn model_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000), port: bool, vlan: bool) {
        let _ = parse(&bytes, &HashKeyConfig { poly: built_poly(), use_port: port, use_vlan: vlan });
    }
}
