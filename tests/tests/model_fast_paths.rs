//! The model's fast paths against its plain references, on generated frames: the sliced
//! CRC against the byte loop, `parse` against `parse_reference`, `edit` / `edit_into`
//! against `edit_reference`. The model is the golden reference for the hardware, so a
//! faster path must not change a single bit. (No simulation here: model against model.)
use flowdist_model::classifier::classify;
use flowdist_model::crc32_byte::{CRC32_C, CRC32_IEEE};
use flowdist_model::delivery::plan;
use flowdist_model::fcs_checker::payload;
use flowdist_model::frame_editor::{
    edit, edit_into, edit_reference, ArpReply, Edits, Encap, TagOp,
};
use flowdist_model::header_parser::{parse, parse_reference, HashKeyConfig};
use flowdist_model::key_hasher::HashPoly;
use flowdist_tests::configs::{config_strategy, frame_for};
use flowdist_tests::frames::wire_frame_strategy;
use flowdist_tests::prop::check_cases;
use proptest::prelude::*;

fn hash_cfg() -> impl Strategy<Value = HashKeyConfig> {
    (
        prop_oneof![Just(HashPoly::Ieee), Just(HashPoly::Castagnoli)],
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(poly, use_port, use_vlan)| HashKeyConfig {
            poly,
            use_port,
            use_vlan,
        })
}

#[test]
fn crc_sliced_equals_bytewise() {
    check_cases(
        4000,
        (
            proptest::collection::vec(any::<u8>(), 0..300),
            any::<u32>(),
            0usize..16,
        ),
        |(data, init, skip)| {
            let d = &data[skip.min(data.len())..];
            for t in [&CRC32_IEEE, &CRC32_C] {
                let (a, b) = (t.update(init, d), t.update_bytewise(init, d));
                if a != b {
                    return Err(format!("sliced {a:08x} != bytewise {b:08x}"));
                }
            }
            Ok(())
        },
    );
}

#[test]
fn parse_equals_reference() {
    check_cases(10_000, (wire_frame_strategy(), hash_cfg()), |(f, cfg)| {
        let (a, b) = (parse(&f, &cfg), parse_reference(&f, &cfg));
        if a == b {
            Ok(())
        } else {
            let first = a
                .named()
                .into_iter()
                .zip(b.named())
                .find(|(x, y)| x != y)
                .map(|(x, y)| format!("{} = {:#x}, reference {:#x}", x.0, x.1, y.1));
            Err(format!("fields differ: {first:?}"))
        }
    });
}

/// Every prefix of every generated frame (the cut-short fields of the parser).
#[test]
fn parse_equals_reference_on_truncations() {
    check_cases(300, (wire_frame_strategy(), hash_cfg()), |(f, cfg)| {
        for n in 0..=f.len().min(120) {
            let g = &f[..n];
            if parse(g, &cfg) != parse_reference(g, &cfg) {
                return Err(format!("length {n} differs"));
            }
        }
        Ok(())
    });
}

fn tag_op() -> impl Strategy<Value = TagOp> {
    prop_oneof![
        Just(TagOp::Keep),
        any::<u16>().prop_map(TagOp::Push),
        any::<u16>().prop_map(TagOp::SetVid),
        Just(TagOp::Pop),
    ]
}

/// Any edits, positions in and beyond the frame included.
fn edits() -> impl Strategy<Value = Edits> {
    (
        proptest::option::of(any::<u64>()),
        proptest::option::of(any::<u64>()),
        tag_op(),
        proptest::option::of((0usize..90, any::<u32>(), any::<u32>(), any::<u16>())),
        proptest::option::of((0usize..90, any::<u64>(), any::<u32>())),
    )
        .prop_map(|(dst_mac, src_mac, tag, encap, arp)| Edits {
            dst_mac,
            src_mac,
            tag,
            encap: encap.map(|(at, src, dst, inner_len)| Encap {
                at,
                src,
                dst,
                inner_len,
            }),
            arp: arp.map(|(at, sha, spa)| ArpReply { at, sha, spa }),
        })
}

#[test]
fn edit_equals_reference() {
    check_cases(
        10_000,
        (
            prop_oneof![
                3 => wire_frame_strategy().prop_map(|f| payload(&f).to_vec()),
                1 => proptest::collection::vec(any::<u8>(), 0..80),
            ],
            edits(),
        ),
        |(p, e)| {
            let want = edit_reference(&p, &e);
            let got = edit(&p, &e);
            if got != want {
                return Err(format!("edit: {got:02x?}\nreference: {want:02x?}"));
            }
            let mut b = vec![0xEE; 7]; // a dirty buffer
            edit_into(&p, &e, &mut b);
            if b != want {
                return Err(format!("edit_into: {b:02x?}\nreference: {want:02x?}"));
            }
            Ok(())
        },
    );
}

/// The edits the delivery plan really asks for, on frames that reach every decision, with
/// one output buffer reused across frames.
#[test]
fn planned_edits_equal_reference() {
    let strat = config_strategy().prop_flat_map(|cfg| {
        let frames = proptest::collection::vec(frame_for(&cfg), 1..40);
        (Just(cfg), frames, 0u8..2)
    });
    check_cases(300, strat, |(cfg, frames, ingress)| {
        let mut out = Vec::new();
        for f in &frames {
            let (h, d) = classify(f, ingress, &cfg);
            if h != parse_reference(f, &cfg.hash) {
                return Err("parse differs".into());
            }
            if let Some(d) = d {
                let p = plan(&d, &h, ingress, &cfg);
                edit_into(payload(f), &p.edits, &mut out);
                if out != edit_reference(payload(f), &p.edits) {
                    return Err(format!("edit of {:?} differs", p.edits));
                }
            }
        }
        Ok(())
    });
}
