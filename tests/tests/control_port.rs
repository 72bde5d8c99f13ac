//! The control port (R10) in RTL (`hdl::control_port`, inside `SwitchCore`) against its model
//! twin (`flowdist_model::control_port`) through Verilator: requests in on either port from
//! every kind of sender, each reply byte for byte (or its absence), then the 128 counters and
//! every slot of the connection table after each request.
//!
//! The RTL does not answer read and write (op 0x01, 0x02) yet (bad_op), so generated requests
//! leave them out.
use flowdist_control::protocol::{self, Item, KeyItem, Message, Op, Station, Status};
use flowdist_model::conn_arbiter::ConnSettings;
use flowdist_model::control_port::Access;
use flowdist_model::event_counters::Counter;
use flowdist_model::fcs_checker::with_fcs;
use flowdist_model::mac_arbiter::BridgeSettings;
use flowdist_model::tables::{attr, DataPlaneConfig, Delivery};
use flowdist_sim::Dut;
use flowdist_tests::configs::{base, prefix, GROUP_MAC};
use flowdist_tests::frames::tcp4;
use flowdist_tests::prop::check_cases;
use flowdist_tests::switch_harness::{SwitchSim, CORE_HALF_PS};
use proptest::prelude::*;

const ADMIN: u64 = 0x02_00_00_00_0E_0E;
const PEER: u64 = 0x02_00_00_00_09_09;
const CLIENT: u64 = 0x02_00_00_00_C1_1E;
const VIP: u32 = 0xCB00_710A;

/// Four TMs on trunk port 1, each reached another way: VLAN 101, VLAN 102, MAC, IP-in-IP.
fn config() -> DataPlaneConfig {
    let mut c = base(vec![prefix(VIP, 32, attr::VIRTUAL, None)]);
    c.tms[2].delivery = Delivery::Mac;
    c.tms[3].delivery = Delivery::IpInIp(0xC000_0263);
    c
}

fn access() -> Access {
    Access {
        management_ports: 0,
        management_vlans: vec![99, 7],
        peers: vec![PEER],
    }
}

fn sim() -> SwitchSim {
    let conn = ConnSettings {
        enable: true,
        learn: true,
        timeout: 255,
        epoch_cycles: 0,
    };
    let mut s = SwitchSim::with_conn(Dut::SwitchCore, &config(), &conn);
    s.set_access(&access());
    s
}

/// Who sends: source MAC, VLAN tag, ingress port.
#[derive(Clone, Copy, Debug)]
enum Sender {
    /// A management VLAN on the trunk port.
    Admin,
    /// The same tag on the network port: a client forging it.
    AdminOnNetwork,
    /// TM t where its traffic arrives.
    Tm(u8),
    /// TM 0's MAC on TM 1's VLAN.
    TmElsewhere,
    Peer,
    Client(u8),
}

impl Sender {
    fn at(self) -> (u64, Option<u16>, u8) {
        let tm_mac = |t: u8| config().tms[usize::from(t)].mac;
        match self {
            Sender::Admin => (ADMIN, Some(99), 1),
            Sender::AdminOnNetwork => (ADMIN, Some(99), 0),
            Sender::Tm(t) => {
                let vlan = match config().tms[usize::from(t)].delivery {
                    Delivery::Vlan(v) => Some(v),
                    _ => None,
                };
                (tm_mac(t), vlan, 1)
            }
            Sender::TmElsewhere => (tm_mac(0), Some(102), 1),
            Sender::Peer => (PEER, None, 1),
            Sender::Client(p) => (CLIENT, None, p & 1),
        }
    }
}

/// A request frame (FCS included) and its ingress port.
fn request(who: Sender, payload: &[u8]) -> (Vec<u8>, u8) {
    let (src, vlan, port) = who.at();
    let mut f = GROUP_MAC.to_be_bytes()[2..].to_vec();
    f.extend_from_slice(&src.to_be_bytes()[2..]);
    if let Some(v) = vlan {
        f.extend_from_slice(&[0x81, 0]);
        f.extend_from_slice(&v.to_be_bytes());
    }
    f.extend_from_slice(&[0x88, 0xB5]);
    f.extend_from_slice(payload);
    f.resize(f.len().max(60), 0);
    (with_fcs(&f), port)
}

fn msg(op: Op, seq: u16, items: Vec<Item>) -> Vec<u8> {
    protocol::encode(&Message {
        op,
        reply: false,
        seq,
        status: Status::Ok,
        items,
    })
}

fn key(client: u32, sport: u16, tm: u8) -> KeyItem {
    KeyItem {
        src_ip: 0x0A00_0000 | client,
        dst_ip: VIP,
        src_port: sport,
        dst_port: 80,
        proto: 6,
        tm,
        vlan: 0,
    }
}

/// The decoded reply to a request, which must come.
fn reply(s: &mut SwitchSim, who: Sender, payload: &[u8]) -> Message {
    let (f, port) = request(who, payload);
    let r = s
        .request(port, &f)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no reply to {who:?}"));
    let at = if who.at().1.is_some() { 18 } else { 14 };
    protocol::decode(&r[at..r.len() - 4]).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn management_reads_the_counters() {
    let mut s = sim();
    // some traffic first, so that the counters hold something
    let flows: Vec<Vec<u8>> = (0..6)
        .map(|i| {
            let mut f = tcp4(0x0A00_0001 + i, VIP, 1000 + i as u16, 80);
            f.dst = GROUP_MAC;
            f.bytes()
        })
        .collect();
    s.check([&flows, &[]], [CORE_HALF_PS; 2], |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    let words = |r: std::ops::Range<u32>| {
        r.map(|addr| Item::Word { addr, value: 0 })
            .collect::<Vec<_>>()
    };
    let m = reply(&mut s, Sender::Admin, &msg(Op::Counters, 7, words(0..124)));
    assert_eq!((m.reply, m.seq, m.status), (true, 7, Status::Ok));
    assert_eq!(m.items.len(), 124);
    let rx0 = m.items[Counter::RxFrames.index()];
    assert_eq!(rx0, Item::Word { addr: 0, value: 6 });
    // 124..: the last addresses, then one past the counters: bad_address, four done
    let m = reply(
        &mut s,
        Sender::Admin,
        &msg(Op::Counters, 8, words(124..140)),
    );
    assert_eq!(m.status, Status::BadAddress);
    assert_eq!(m.items.len(), 5);
    // the control port counted the first request (accepted) and the second (error)
    let m = reply(&mut s, Sender::Admin, &msg(Op::Counters, 9, words(76..79)));
    let v: Vec<u64> = m
        .items
        .iter()
        .map(|i| match i {
            Item::Word { value, .. } => *value,
            _ => panic!("not a word"),
        })
        .collect();
    assert_eq!(v, [1, 0, 1]);
}

#[test]
fn tm_signals_pin_connections() {
    let mut s = sim();
    // TM 0 keeps a connection for TM 2; a data frame of it (either direction) goes to TM 2
    let k = key(5, 4321, 2);
    let m = reply(
        &mut s,
        Sender::Tm(0),
        &msg(Op::Memorize, 1, vec![Item::Key(k)]),
    );
    assert_eq!(m.status, Status::Ok);
    let mut f = tcp4(k.src_ip, VIP, k.src_port, 80);
    f.dst = GROUP_MAC;
    s.check([&[f.bytes()], &[]], [CORE_HALF_PS; 2], |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    let d = s.last_decisions[0][0].expect("decided");
    assert!(d.conn && d.tm == 2, "{d:?}");
    // a related flow pinned to the same TM; the reply names it
    let k2 = key(5, 4322, 0);
    let m = reply(
        &mut s,
        Sender::Tm(2),
        &msg(Op::Relate, 2, vec![Item::Pair(k, k2)]),
    );
    assert_eq!(m.status, Status::Ok);
    assert_eq!(m.items, vec![Item::Pair(k, KeyItem { tm: 2, ..k2 })]);
    // forget it twice: the second time it is not there
    let m = reply(
        &mut s,
        Sender::Tm(3),
        &msg(Op::Forget, 3, vec![Item::Key(k)]),
    );
    assert_eq!(m.status, Status::Ok);
    let m = reply(
        &mut s,
        Sender::Tm(3),
        &msg(Op::Forget, 4, vec![Item::Key(k)]),
    );
    assert_eq!((m.status, m.items.len()), (Status::NotFound, 1));
    // a TM that does not exist: bad_address, the items before it done
    let m = reply(
        &mut s,
        Sender::Tm(1),
        &msg(
            Op::Memorize,
            5,
            vec![Item::Key(key(6, 1, 1)), Item::Key(key(7, 1, 9))],
        ),
    );
    assert_eq!((m.status, m.items.len()), (Status::BadAddress, 2));
    // a peer mirrors; a TM may not, nor may a peer memorize
    let m = reply(
        &mut s,
        Sender::Peer,
        &msg(Op::Mirror, 6, vec![Item::Key(key(8, 1, 3))]),
    );
    assert_eq!(m.status, Status::Ok);
    let m = reply(
        &mut s,
        Sender::Tm(0),
        &msg(Op::Mirror, 7, vec![Item::Key(key(9, 1, 3))]),
    );
    assert_eq!(m.status, Status::NotPermitted);
    let m = reply(
        &mut s,
        Sender::Peer,
        &msg(Op::Memorize, 8, vec![Item::Key(key(9, 1, 3))]),
    );
    assert_eq!(m.status, Status::NotPermitted);
}

/// The bridge's MAC table read whole through the control port (op 0x04), after stations were
/// heard on both ports and the epoch advanced: every reply byte for byte against the model's
/// (the harness), then, decoded, the stations that were heard.
#[test]
fn management_reads_the_stations() {
    // epochs every 500 cycles while port 0's stations are heard, then time stands still
    let bridge = BridgeSettings {
        learning: true,
        timeout: 200,
        epoch_cycles: 500,
    };
    let conn = ConnSettings {
        enable: true,
        learn: true,
        timeout: 255,
        epoch_cycles: 0,
    };
    let mut s = SwitchSim::with_tables(Dut::SwitchCore, &config(), &conn, &bridge);
    s.set_access(&access());
    // stations on both ports (port 1 tagged with TM 0's VLAN), epochs apart
    let station = |i: u64| 0x02_00_00_5A_00_00 | i;
    let heard = |p: usize, i: u64| {
        let mut f = tcp4(0x0A00_0100 + i as u32, VIP, 2000 + i as u16, 80);
        f.dst = GROUP_MAC;
        f.src = station(i);
        if p == 1 {
            f.tags = vec![(0x8100, 101)];
        }
        f.bytes()
    };
    let first: Vec<Vec<u8>> = (0..5).map(|i| heard(0, i)).collect();
    s.check([&first, &[]], [CORE_HALF_PS; 2], |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    s.bridge.epoch_cycles = 0;
    let ticks = s.stations.now;
    assert!(ticks > 0, "no epoch passed");
    let second: Vec<Vec<u8>> = (5..8).map(|i| heard(1, i)).collect();
    s.check([&[], &second], [CORE_HALF_PS; 2], |_| 12)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut words = Vec::new();
    for (n, chunk) in (0..2048u32).collect::<Vec<_>>().chunks(124).enumerate() {
        let items = chunk
            .iter()
            .map(|&addr| Item::Word { addr, value: 0 })
            .collect();
        let m = reply(&mut s, Sender::Admin, &msg(Op::Stations, n as u16, items));
        assert_eq!((m.status, m.items.len()), (Status::Ok, chunk.len()));
        words.extend(m.items.iter().map(|i| match i {
            Item::Word { value, .. } => *value,
            _ => panic!("not a word"),
        }));
    }
    let mut got: Vec<(u64, u16, u8, u8)> = words
        .chunks(2)
        .filter_map(|w| Station::from_words(w[0], w[1]))
        .map(|t| (t.mac, t.vlan, t.port, t.age))
        .collect();
    got.sort();
    // the five on port 0, heard epochs ago; the three on port 1 (VLAN 101) and the
    // management host (this test's requests, on port 1, VLAN 99) in the current epoch
    let mut want: Vec<(u64, u16, u8)> = (0..5)
        .map(|i| (station(i), 0, 0))
        .chain((5..8).map(|i| (station(i), 101, 1)))
        .chain([(ADMIN, 99, 1)])
        .collect();
    want.sort();
    assert_eq!(
        got.iter()
            .map(|&(m, v, p, _)| (m, v, p))
            .collect::<Vec<_>>(),
        want
    );
    for &(m, _, p, age) in &got {
        assert!(
            if p == 0 {
                age >= 1 && age <= ticks
            } else {
                age == 0
            },
            "station {m:012x} on port {p}: age {age} ({ticks} epochs in all)"
        );
    }
    // past the table: bad_address; a TM may not read it
    let m = reply(
        &mut s,
        Sender::Admin,
        &msg(
            Op::Stations,
            20,
            vec![
                Item::Word {
                    addr: 2047,
                    value: 0,
                },
                Item::Word {
                    addr: 2048,
                    value: 0,
                },
            ],
        ),
    );
    assert_eq!((m.status, m.items.len()), (Status::BadAddress, 2));
    let m = reply(
        &mut s,
        Sender::Tm(0),
        &msg(Op::Stations, 21, vec![Item::Word { addr: 0, value: 0 }]),
    );
    assert_eq!(m.status, Status::NotPermitted);
}

#[test]
fn senders_of_no_class_get_nothing() {
    let mut s = sim();
    let requests = [
        msg(Op::Counters, 1, vec![Item::Word { addr: 0, value: 0 }]),
        msg(Op::Memorize, 2, vec![Item::Key(key(1, 1, 0))]),
        msg(Op::Mirror, 3, vec![Item::Key(key(1, 1, 0))]),
        msg(Op::Forget, 4, vec![Item::Key(key(1, 1, 0))]),
    ];
    let mut n = 0;
    for who in [
        Sender::AdminOnNetwork,
        Sender::TmElsewhere,
        Sender::Client(0),
        Sender::Client(1),
    ] {
        for r in &requests {
            let (f, port) = request(who, r);
            let got = s.request(port, &f).unwrap_or_else(|e| panic!("{e}"));
            assert!(got.is_none(), "{who:?} got a reply");
            n += 1;
        }
    }
    assert_eq!(s.counts.read(Counter::ControlRejected.index()), n);
    assert!(s.table.is_empty());
}

/// A generated request: sender, operation (or a malformed header) and items.
fn request_strategy() -> impl Strategy<Value = (Sender, Vec<u8>)> {
    let who = prop_oneof![
        4 => Just(Sender::Admin),
        1 => Just(Sender::AdminOnNetwork),
        6 => (0u8..4).prop_map(Sender::Tm),
        1 => Just(Sender::TmElsewhere),
        2 => Just(Sender::Peer),
        1 => (0u8..2).prop_map(Sender::Client),
    ];
    let k = (
        1u32..4,
        1u16..4,
        0u8..6,
        prop_oneof![Just(0u16), Just(101u16)],
    )
        .prop_map(|(c, p, tm, vlan)| KeyItem {
            vlan,
            ..key(c, p, tm)
        });
    let op = prop_oneof![
        Just(Op::Counters),
        Just(Op::Stations),
        Just(Op::Memorize),
        Just(Op::Forget),
        Just(Op::Mirror),
        Just(Op::Age),
        Just(Op::Relate),
    ];
    let items = (
        op,
        proptest::collection::vec((0u32..140, k.clone(), k), 0..6),
    )
        .prop_map(|(op, its)| {
            let items = its
                .into_iter()
                .map(|(a, k1, k2)| match op {
                    Op::Counters => Item::Word { addr: a, value: 0 },
                    // the whole table and past it (2,048 words)
                    Op::Stations => Item::Word {
                        addr: a * 15,
                        value: 0,
                    },
                    Op::Relate => Item::Pair(k1, k2),
                    _ => Item::Key(k1),
                })
                .collect();
            msg(op, 0x5EED, items)
        });
    // a header byte changed now and then: version, op (not read or write), count, reply bit
    let damage = prop_oneof![
        8 => Just(None),
        1 => (0usize..6, any::<u8>()).prop_map(Some),
    ];
    (who, items, damage).prop_map(|(who, mut p, d)| {
        if let Some((at, v)) = d {
            p[at] = if at == 1 && (v & 0x7F == 1 || v & 0x7F == 2) {
                v ^ 0x10
            } else {
                v
            };
        }
        (who, p)
    })
}

#[test]
fn generated_requests_against_the_model() {
    check_cases(
        24,
        proptest::collection::vec(request_strategy(), 1..8),
        |reqs| {
            let mut s = sim();
            for (i, (who, p)) in reqs.iter().enumerate() {
                let (f, port) = request(*who, p);
                s.request(port, &f)
                    .map_err(|e| format!("request {i} from {who:?}: {e}"))?;
            }
            Ok(())
        },
    );
}

/// How long the hardware takes to answer (printed; BENCHMARKS.md "Control port"): cycles
/// from a request's last byte on the wire to its reply's preamble.
#[test]
fn reply_latency() {
    let mut s = sim();
    let words = |n: u32| {
        (0..n)
            .map(|addr| Item::Word { addr, value: 0 })
            .collect::<Vec<_>>()
    };
    let keys = |n: u32| (0..n).map(|i| Item::Key(key(i, 7, 1))).collect::<Vec<_>>();
    let pairs = |n: u32| {
        (0..n)
            .map(|i| Item::Pair(key(i, 7, 1), key(i, 8, 1)))
            .collect::<Vec<_>>()
    };
    for (what, who, m) in [
        (
            "counters, 1 item",
            Sender::Admin,
            msg(Op::Counters, 1, words(1)),
        ),
        (
            "counters, 124 items",
            Sender::Admin,
            msg(Op::Counters, 2, words(124)),
        ),
        (
            "memorize, 1 key",
            Sender::Tm(0),
            msg(Op::Memorize, 3, keys(1)),
        ),
        (
            "memorize, 93 keys",
            Sender::Tm(0),
            msg(Op::Memorize, 4, keys(93)),
        ),
        (
            "relate, 46 pairs",
            Sender::Tm(0),
            msg(Op::Relate, 5, pairs(46)),
        ),
    ] {
        let (f, port) = request(who, &m);
        let r = s.request(port, &f).unwrap_or_else(|e| panic!("{e}"));
        let after = s.reply_after.expect("a reply");
        println!(
            "{what}: request {} bytes, reply {} bytes, {after} cycles from the request's end \
             to the reply's preamble",
            f.len(),
            r.map_or(0, |r| r.len())
        );
        assert!(after > 0);
    }
}
