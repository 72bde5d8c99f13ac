//! The control protocol's encoding (R10, docs/PROTOCOL.md): known bytes, round trips of
//! generated messages, and any bytes at all decoded without a panic (an error naming the
//! field instead).
use flowdist_control::protocol::*;
use proptest::prelude::*;

fn key() -> impl Strategy<Value = KeyItem> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<u16>(),
        any::<u16>(),
        any::<u8>(),
        any::<u8>(),
        0u16..4096,
    )
        .prop_map(
            |(src_ip, dst_ip, src_port, dst_port, proto, tm, vlan)| KeyItem {
                src_ip,
                dst_ip,
                src_port,
                dst_port,
                proto,
                tm,
                vlan,
            },
        )
}

fn message() -> impl Strategy<Value = Message> {
    let ops = prop_oneof![
        Just(Op::Read),
        Just(Op::Write),
        Just(Op::Counters),
        Just(Op::Memorize),
        Just(Op::Forget),
        Just(Op::Mirror),
        Just(Op::Age),
        Just(Op::Relate),
    ];
    (ops, any::<bool>(), any::<u16>(), 0u8..8, 0usize..20).prop_flat_map(
        |(op, reply, seq, st, n)| {
            let item = match op.item_len() {
                12 => (any::<u32>(), any::<u64>())
                    .prop_map(|(addr, value)| Item::Word { addr, value })
                    .boxed(),
                16 => key().prop_map(Item::Key).boxed(),
                _ => (key(), key()).prop_map(|(a, b)| Item::Pair(a, b)).boxed(),
            };
            proptest::collection::vec(item, n).prop_map(move |items| Message {
                op,
                reply,
                seq,
                status: Status::from_code(st).unwrap(),
                items,
            })
        },
    )
}

proptest! {
    #[test]
    fn round_trip(m in message()) {
        let b = encode(&m);
        prop_assert_eq!(b.len(), HEADER + m.items.len() * m.op.item_len());
        prop_assert_eq!(decode(&b), Ok(m.clone()));
        // Ethernet padding after the items is ignored
        let f = frame(0x0200_0000_0505, 0x0200_0000_0001, Some(5), &m);
        prop_assert_eq!(decode(&f[18..]), Ok(m));
    }

    #[test]
    fn any_bytes_decode_or_say_why(
        head in prop_oneof![
            Just(vec![]),
            (prop_oneof![Just(0x01u8), Just(0x83), Just(0x10), Just(0x94), any::<u8>()], any::<u16>(), 0u8..9, 0u8..4)
                .prop_map(|(op, seq, st, n)| vec![1, op, (seq >> 8) as u8, seq as u8, st, n, 0, 0]),
        ],
        tail in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        // random bytes, and a plausible header followed by random items (keys with reserved
        // VLAN bits set among them)
        let b = [head, tail].concat();
        match decode(&b) {
            Ok(m) => prop_assert_eq!(&encode(&m)[..], &b[..HEADER + m.items.len() * m.op.item_len()]),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn known_bytes() {
    let m = Message {
        op: Op::Counters,
        reply: true,
        seq: 0x1234,
        status: Status::Ok,
        items: vec![Item::Word {
            addr: 33,
            value: 0x0F_1234_5678,
        }],
    };
    assert_eq!(
        encode(&m),
        [
            1, 0x83, 0x12, 0x34, 0, 1, 0,
            0, // header: version, reply|counters, seq, status, count
            0, 0, 0, 33, 0, 0, 0, 0x0F, 0x12, 0x34, 0x56, 0x78, // address, value
        ]
    );
    let k = KeyItem {
        src_ip: 0x0A00_0001,
        dst_ip: 0xA821_1401,
        src_port: 40000,
        dst_port: 80,
        proto: 6,
        tm: 3,
        vlan: 0xF00A, // only the 12-bit id is sent
    };
    let b = encode(&Message {
        op: Op::Memorize,
        reply: false,
        seq: 1,
        status: Status::Ok,
        items: vec![Item::Key(k)],
    });
    assert_eq!(&b[..2], [1, 0x10]);
    assert_eq!(
        &b[8..],
        [10, 0, 0, 1, 168, 33, 20, 1, 0x9C, 0x40, 0, 80, 6, 3, 0, 10]
    );
    let f = frame(
        0x0200_0000_0505,
        0x0200_0000_0001,
        None,
        &decode(&b).unwrap(),
    );
    assert_eq!(f.len(), 60);
    assert_eq!(&f[12..14], [0x88, 0xB5]);
}

#[test]
fn errors_name_the_field() {
    let ok = encode(&Message {
        op: Op::Read,
        reply: false,
        seq: 9,
        status: Status::Ok,
        items: vec![Item::Word { addr: 1, value: 0 }; 2],
    });
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (ok[..5].to_vec(), "length"),
        (ok[..HEADER + 12].to_vec(), "length"),
        ([&[2u8][..], &ok[1..]].concat(), "version"),
        ([&ok[..1], &[0x55u8][..], &ok[2..]].concat(), "op"),
        ([&ok[..4], &[9u8][..], &ok[5..]].concat(), "status"),
        ([&ok[..5], &[200u8][..], &ok[6..]].concat(), "count"),
        ([&ok[..7], &[1u8][..], &ok[8..]].concat(), "reserved"),
    ];
    for (b, field) in cases {
        let e = decode(&b).unwrap_err().to_string();
        assert!(e.starts_with(field), "{field}: {e}");
    }
}
