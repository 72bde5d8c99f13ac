//! FrameEditor (R5/R6 edits, R12 FCS regeneration) through Verilator against the model:
//! generated frames and edits, back to back under back-pressure, every output byte.
use flowdist_model::fcs_checker::fcs_ok;
use flowdist_model::frame_editor::{edit, Edits, TagOp};
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
            &proptest::collection::vec((payload(), edits()), 1..30),
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
