//! The model's fast paths against its plain references, on generated frames: the sliced
//! CRC against the byte loop, `parse` against `parse_reference`, `edit` / `edit_into`
//! against `edit_reference`, the compiled CAM / TM table / `Classifier` against the table
//! scans and `classify`. The model is the golden reference for the hardware, so a
//! faster path must not change a single bit. (No simulation here: model against model.)
use flowdist_model::address_cam::{lookup, CamKey, CompiledCam};
use flowdist_model::classifier::{classify, Classifier};
use flowdist_model::crc32_byte::{CRC32_C, CRC32_IEEE};
use flowdist_model::delivery::plan;
use flowdist_model::fcs_checker::payload;
use flowdist_model::frame_editor::{
    edit, edit_into, edit_reference, ArpReply, Edits, Encap, TagOp, TtlEdit,
};
use flowdist_model::header_parser::{parse, parse_reference, HashKeyConfig};
use flowdist_model::key_hasher::HashPoly;
use flowdist_model::tables::{CamEntry, Delivery, TmEntry};
use flowdist_model::tm_table::{from_tm, CompiledTms};
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
        proptest::option::of((0usize..90, any::<u8>(), any::<u16>())),
    )
        .prop_map(|(dst_mac, src_mac, tag, encap, arp, ttl)| Edits {
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
            ttl: ttl.map(|(at, ttl, checksum)| TtlEdit { at, ttl, checksum }),
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

/// Addresses from a small pool, so that keys hit entries and entries share masked values.
fn addr() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => (0u32..4, 0u32..4, 0u32..4).prop_map(|(a, b, c)| 0x0A00_0000 | a << 16 | b << 8 | c),
        1 => any::<u32>(),
    ]
}

fn any_cam_entry() -> impl Strategy<Value = CamEntry> {
    (
        (any::<bool>(), addr()),
        prop_oneof![
            4 => (0u32..=32).prop_map(|p| if p == 0 { 0 } else { u32::MAX << (32 - p) }),
            1 => any::<u32>(),
        ],
        proptest::option::weighted(0.3, prop_oneof![Just(80u16), Just(443), any::<u16>()]),
        proptest::option::weighted(0.3, prop_oneof![Just(7u16), Just(0x1007), any::<u16>()]),
        proptest::option::weighted(0.3, any::<u8>()),
        (any::<u8>(), proptest::option::of(any::<u8>())),
    )
        .prop_map(
            |((v, value), mask, port, vlan, ingress, (attrs, owner))| CamEntry {
                valid: v || value & 1 == 0,
                value,
                mask,
                port,
                vlan,
                ingress,
                attrs,
                owner,
            },
        )
}

fn cam_key() -> impl Strategy<Value = CamKey> {
    (
        addr(),
        proptest::option::of(prop_oneof![Just(80u16), Just(443), any::<u16>()]),
        proptest::option::of(prop_oneof![Just(7u16), Just(0x2007), any::<u16>()]),
        any::<u8>(),
        any::<bool>(),
    )
        .prop_map(|(addr, port, vlan, ingress, any_port)| CamKey {
            addr,
            port,
            vlan,
            ingress,
            any_port,
        })
}

#[test]
fn compiled_cam_equals_lookup() {
    check_cases(
        3000,
        (
            proptest::collection::vec(any_cam_entry(), 0..100),
            proptest::collection::vec(cam_key(), 1..50),
        ),
        |(cam, keys)| {
            let c = CompiledCam::new(&cam);
            for k in &keys {
                let (a, b) = (c.lookup(k), lookup(&cam, k));
                if a != b {
                    return Err(format!("{k:?}: compiled {a:?}, scan {b:?}"));
                }
            }
            Ok(())
        },
    );
}

#[test]
fn compiled_tms_equal_from_tm() {
    let tm = (
        0u64..6,
        prop_oneof![
            any::<u8>().prop_map(Delivery::Port),
            prop_oneof![Just(7u16), Just(0x1007), any::<u16>()].prop_map(Delivery::Vlan),
            Just(Delivery::Mac),
            any::<u32>().prop_map(Delivery::IpInIp),
        ],
        any::<bool>(),
    )
        .prop_map(|(m, delivery, up)| TmEntry {
            up,
            mac: if m == 5 {
                u64::MAX
            } else {
                0x02_00_00_00_00_00 | m
            },
            delivery,
        });
    check_cases(
        3000,
        (
            proptest::collection::vec(tm, 0..20),
            any::<u8>(),
            proptest::collection::vec(
                (
                    prop_oneof![
                        (0u64..6).prop_map(|m| 0x02_00_00_00_00_00 | m),
                        any::<u64>()
                    ],
                    proptest::option::of(prop_oneof![Just(7u16), Just(0x2007), any::<u16>()]),
                    any::<u8>(),
                ),
                1..30,
            ),
        ),
        |(tms, trunk, asks)| {
            let c = CompiledTms::new(&tms, trunk);
            for &(mac, vlan, ingress) in &asks {
                let (a, b) = (
                    c.from_tm(mac, vlan, ingress),
                    from_tm(&tms, mac, vlan, ingress, trunk),
                );
                if a != b {
                    return Err(format!(
                        "{mac:x} {vlan:?} {ingress}: compiled {a:?}, scan {b:?}"
                    ));
                }
            }
            Ok(())
        },
    );
}

/// `Classifier` (compiled once) against `classify` (scans), on generated configurations
/// with frames that reach every decision and on arbitrary wire frames.
#[test]
fn classifier_equals_classify() {
    let strat = config_strategy().prop_flat_map(|cfg| {
        let frames = proptest::collection::vec(
            prop_oneof![3 => frame_for(&cfg), 1 => wire_frame_strategy()],
            1..40,
        );
        (Just(cfg), frames, 0u8..2)
    });
    check_cases(500, strat, |(cfg, frames, ingress)| {
        let c = Classifier::new(&cfg);
        for f in &frames {
            let (a, b) = (c.classify(f, ingress), classify(f, ingress, &cfg));
            if a != b {
                return Err(format!("compiled {:?}, scan {:?}", a.1, b.1));
            }
        }
        Ok(())
    });
}
