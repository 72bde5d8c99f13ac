//! The model's control port (`flowdist_model::control_port`) against the host library's
//! encoder and decoder (`flowdist_control::protocol`): every operation, every status code,
//! every access rule, and frames forged on the network side.
use flowdist_control::protocol::{decode, frame, Item, KeyItem, Message, Op, Station, Status};
use flowdist_control::{compile, Config};
use flowdist_model::conn_table::{ConnKey, ConnTable, Outcome};
use flowdist_model::control_port::{ControlPort, Verdict};
use flowdist_model::event_counters::{address, Counter, EventCounters};
use flowdist_model::fcs_checker::with_fcs;
use flowdist_model::mac_table::MacTable;
use flowdist_model::tables::{reg, DataPlaneConfig};
use proptest::prelude::*;

const GROUP: u64 = 0x02_00_00_00_00_01;
const TM_A: u64 = 0x02_00_00_00_0a_01; // vlan:101
const TM_B: u64 = 0x02_00_00_00_0a_02; // mac delivery
const PEER: u64 = 0x02_00_00_00_00_02;
const ADMIN: u64 = 0x02_00_00_00_0e_0e;
const CLIENT: u64 = 0x02_00_00_00_0c_0c;

const TOML: &str = r#"
[distributor]
mac = "02:00:00:00:00:01"
bucket_bits = 8

[[tms]]
name = "tm-a"
mac = "02:00:00:00:0a:01"
delivery = "vlan:101"

[[tms]]
name = "tm-b"
mac = "02:00:00:00:0a:02"
delivery = "mac"

[control]
management_vlans = [99]
peers = ["02:00:00:00:00:02"]
"#;

/// The device: configuration, counters, connection table, control port.
struct Dev {
    cfg: DataPlaneConfig,
    counters: EventCounters,
    conn: ConnTable,
    stations: MacTable,
    port: ControlPort,
}

fn dev(extra: &str) -> Dev {
    let c = Config::from_toml_str(&format!("{TOML}{extra}")).unwrap();
    Dev {
        cfg: compile(&c, 64).unwrap().data_plane(),
        counters: EventCounters::default(),
        conn: ConnTable::new(c.control.conn_table_bits.into(), c.control.conn_timeout),
        stations: MacTable::new(10, 30),
        port: ControlPort::new(c.control.access()),
    }
}

fn msg(op: Op, seq: u16, items: Vec<Item>) -> Message {
    Message {
        op,
        reply: false,
        seq,
        status: Status::Ok,
        items,
    }
}

fn word(addr: u32, value: u64) -> Item {
    Item::Word { addr, value }
}

fn key(i: u32, tm: u8) -> KeyItem {
    KeyItem {
        src_ip: 0x0A00_0000 + i,
        dst_ip: 0xCB00_710A,
        src_port: 40000,
        dst_port: 80,
        proto: 6,
        tm,
        vlan: 0,
    }
}

fn conn_key(k: &KeyItem) -> ConnKey {
    ConnKey {
        src_ip: k.src_ip,
        dst_ip: k.dst_ip,
        src_port: k.src_port,
        dst_port: k.dst_port,
        proto: k.proto,
        vlan: k.vlan,
    }
}

impl Dev {
    fn handle(&mut self, f: &[u8], ingress: u8) -> Verdict {
        self.port.handle(
            f,
            ingress,
            &mut self.cfg,
            &mut self.counters,
            &mut self.conn,
            &self.stations,
        )
    }

    /// Sends `m` from `src` on `ingress` with an optional tag; the decoded reply, checked
    /// for its addressing, or None when the port dropped the request.
    fn ask(&mut self, ingress: u8, src: u64, vlan: Option<u16>, m: &Message) -> Option<Message> {
        let f = with_fcs(&frame(GROUP, src, vlan, m));
        match self.handle(&f, ingress) {
            Verdict::NotControl => panic!("a control frame taken for data"),
            Verdict::Rejected => None,
            Verdict::Reply { frame: r, .. } => {
                assert!(flowdist_model::fcs_checker::fcs_ok(&r));
                assert!(r.len() >= 64);
                assert_eq!(r[0..6], src.to_be_bytes()[2..], "to the requester");
                assert_eq!(r[6..12], GROUP.to_be_bytes()[2..], "from the group MAC");
                let at = match vlan {
                    Some(v) => {
                        assert_eq!(r[12..16], [0x81, 0, (v >> 8) as u8, v as u8]);
                        16
                    }
                    None => 12,
                };
                assert_eq!(r[at..at + 2], [0x88, 0xB5]);
                let reply = decode(&r[at + 2..r.len() - 4]).expect("a reply the library decodes");
                assert!(reply.reply);
                assert_eq!(reply.op, m.op);
                assert_eq!(reply.seq, m.seq);
                Some(reply)
            }
        }
    }

    fn admin(&mut self, m: &Message) -> Message {
        self.ask(1, ADMIN, Some(99), m)
            .expect("management gets a reply")
    }

    fn tm_a(&mut self, m: &Message) -> Message {
        self.ask(1, TM_A, Some(101), m).expect("a TM gets a reply")
    }
}

#[test]
fn read_write_and_counters_from_the_management_vlan() {
    let mut d = dev("");
    let r = d.admin(&msg(
        Op::Read,
        1,
        vec![
            word(reg::GROUP_MAC_LO as u32, 0),
            word(reg::GROUP_MAC_HI as u32, 0),
            word(0x1005, 0),
        ],
    ));
    assert_eq!(r.status, Status::Ok);
    let b5 = d.cfg.buckets[5];
    assert_eq!(
        r.items,
        vec![
            word(0x3000, 0x0000_0001),
            word(0x3001, 0x0200),
            word(0x1005, u64::from(b5.primary) | u64::from(b5.backup) << 4)
        ]
    );
    // a write is applied, and its reply carries the words as read back (unused bits 0)
    let r = d.admin(&msg(
        Op::Write,
        2,
        vec![word(0x1005, 0xF10), word(reg::TM_UP as u32, 1)],
    ));
    assert_eq!(r.status, Status::Ok);
    assert_eq!(r.items, vec![word(0x1005, 0x10), word(0x3003, 1)]);
    assert_eq!((d.cfg.buckets[5].primary, d.cfg.buckets[5].backup), (0, 1));
    assert!(d.cfg.tms[0].up && !d.cfg.tms[1].up);
    // counters: 36-bit values
    d.counters.received(0, 1 << 35);
    d.counters.received(0, 1 << 35);
    d.counters.received(0, 1 << 35);
    d.counters
        .decided(1, flowdist_model::decision::Kind::ToTm, 3);
    let r = d.admin(&msg(
        Op::Counters,
        3,
        vec![
            word(address(0, Counter::RxFrames) as u32, 0),
            word(address(0, Counter::RxBytes) as u32, 0),
            word(address(1, Counter::ToTm(3)) as u32, 0),
        ],
    ));
    assert_eq!(r.status, Status::Ok);
    assert_eq!(
        r.items,
        vec![
            word(0, 3),
            word(1, 3 << 35 & ((1 << 36) - 1)),
            word(32 + 19, 1)
        ]
    );
    assert_eq!((d.port.accepted, d.port.rejected, d.port.errors), (3, 0, 0));
}

#[test]
fn write_reply_says_the_configuration_changed() {
    let mut d = dev("");
    let f = with_fcs(&frame(
        GROUP,
        ADMIN,
        Some(99),
        &msg(Op::Write, 1, vec![word(0x1000, 1)]),
    ));
    assert!(matches!(
        d.handle(&f, 1),
        Verdict::Reply { wrote: true, .. }
    ));
    let f = with_fcs(&frame(
        GROUP,
        ADMIN,
        Some(99),
        &msg(Op::Read, 1, vec![word(0x1000, 0)]),
    ));
    assert!(matches!(
        d.handle(&f, 1),
        Verdict::Reply { wrote: false, .. }
    ));
}

#[test]
fn management_port() {
    let mut d = dev("management_ports = [1]\n");
    let m = msg(Op::Read, 9, vec![word(reg::BUCKET_BITS as u32, 0)]);
    let r = d
        .ask(1, ADMIN, None, &m)
        .expect("untagged on a management port");
    assert_eq!(r.items, vec![word(0x3006, 8)]);
    // any VLAN on a management port
    assert!(d.ask(1, ADMIN, Some(7), &m).is_some());
    // not port 0
    assert!(d.ask(0, ADMIN, None, &m).is_none());
    // a TM on a management port is both: it may signal and read
    let sig = msg(Op::Memorize, 10, vec![Item::Key(key(1, 0))]);
    assert_eq!(d.ask(1, TM_A, Some(101), &sig).unwrap().status, Status::Ok);
    assert_eq!(d.ask(1, TM_A, Some(101), &m).unwrap().status, Status::Ok);
    // the management port's own MAC is no TM
    let r = d.ask(1, ADMIN, None, &sig).unwrap();
    assert_eq!(r.status, Status::NotPermitted);
}

#[test]
fn every_error_status() {
    let mut d = dev("");
    // bad_address: outside the map, past the counters, a value wider than the bus, a
    // read-only register; the items done and the failing one come back
    let r = d.admin(&msg(
        Op::Read,
        1,
        vec![word(0x3000, 0), word(0x5000, 0), word(0x3001, 0)],
    ));
    assert_eq!(r.status, Status::BadAddress);
    assert_eq!(r.items, vec![word(0x3000, 1), word(0x5000, 0)]);
    let r = d.admin(&msg(Op::Read, 1, vec![word(0x1_3000, 0)]));
    assert_eq!(r.status, Status::BadAddress);
    let r = d.admin(&msg(Op::Counters, 1, vec![word(127, 0), word(128, 0)]));
    assert_eq!((r.status, r.items.len()), (Status::BadAddress, 2));
    let before = d.cfg.clone();
    let r = d.admin(&msg(Op::Write, 1, vec![word(0x1000, 1 << 32)]));
    assert_eq!(r.status, Status::BadAddress);
    let r = d.admin(&msg(Op::Write, 1, vec![word(reg::BUCKET_BITS as u32, 9)]));
    assert_eq!(r.status, Status::BadAddress);
    assert_eq!(d.cfg, before);

    // bad_version, bad_op, bad_length: built by hand (the library will not encode them)
    // built by hand (the library will not encode them); the reply's header:
    // (version, op, seq, status, count)
    let raw = |d: &mut Dev, payload: &[u8]| -> (u8, u8, u16, u8, u8) {
        let mut f = GROUP.to_be_bytes()[2..].to_vec();
        f.extend_from_slice(&ADMIN.to_be_bytes()[2..]);
        f.extend_from_slice(&[0x81, 0, 0, 99, 0x88, 0xB5]);
        f.extend_from_slice(payload);
        f.resize(f.len().max(60), 0);
        match d.handle(&with_fcs(&f), 1) {
            Verdict::Reply { frame: r, .. } => (
                r[18],
                r[19],
                u16::from_be_bytes([r[20], r[21]]),
                r[22],
                r[23],
            ),
            v => panic!("{v:?}"),
        }
    };
    assert_eq!(
        raw(&mut d, &[2, 1, 0, 5, 0, 0, 0, 0]),
        (1, 0x81, 5, 1, 0),
        "bad_version"
    );
    // an unknown op is echoed with the reply bit
    assert_eq!(
        raw(&mut d, &[1, 0x05, 0, 6, 0, 1, 0, 0]),
        (1, 0x85, 6, 2, 0),
        "bad_op"
    );
    // count 2: the frame, padded to 60 bytes, holds 40 bytes after the header; padding
    // counts (the hardware cannot tell it from items)
    let r = raw(
        &mut d,
        &[
            1, 1, 0, 7, 0, 2, 0, 0, 0, 0, 0x30, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
    );
    assert_eq!(r, (1, 0x81, 7, 0, 2));
    let mut long = vec![1, 1, 0, 8, 0, 10, 0, 0];
    long.resize(8 + 9 * 12, 0);
    assert_eq!(
        raw(&mut d, &long),
        (1, 0x81, 8, 3, 0),
        "bad_length: 10 items, 9 there"
    );
    assert_eq!(
        raw(&mut d, &[1, 1, 0, 9, 0, 125, 0, 0]).3,
        3,
        "bad_length: count 125"
    );
    assert_eq!(raw(&mut d, &[0; 0]).3, 1, "all-zero padding: version 0");

    // not_permitted: a TM may not write, management may not memorize or mirror
    let r = d.tm_a(&msg(Op::Write, 1, vec![word(0x1000, 1)]));
    assert_eq!(r.status, Status::NotPermitted);
    let r = d.admin(&msg(Op::Memorize, 1, vec![Item::Key(key(1, 0))]));
    assert_eq!(r.status, Status::NotPermitted);
    let r = d.tm_a(&msg(Op::Mirror, 1, vec![Item::Key(key(1, 0))]));
    assert_eq!(r.status, Status::NotPermitted);
    let r = d
        .ask(1, PEER, None, &msg(Op::Read, 1, vec![word(0x3000, 0)]))
        .unwrap();
    assert_eq!(r.status, Status::NotPermitted);
    assert!(d.conn.is_empty());

    // not_found, bad_address for a TM that does not exist
    let r = d.tm_a(&msg(Op::Forget, 1, vec![Item::Key(key(1, 0))]));
    assert_eq!(r.status, Status::NotFound);
    let r = d.tm_a(&msg(Op::Relate, 1, vec![Item::Pair(key(1, 0), key(2, 0))]));
    assert_eq!(r.status, Status::NotFound);
    let r = d.tm_a(&msg(Op::Memorize, 1, vec![Item::Key(key(1, 2))]));
    assert_eq!(r.status, Status::BadAddress);
    // age: no per-entry timeout in the table
    let r = d.tm_a(&msg(Op::Age, 1, vec![Item::Key(key(1, 9))]));
    assert_eq!((r.status, r.items.len()), (Status::BadOp, 0));
    assert!(d.conn.is_empty());
    assert_eq!(d.port.accepted, 1, "only the padded read");
    assert!(d.port.errors >= 15, "{}", d.port.errors);
    assert_eq!(d.port.rejected, 0);
}

#[test]
fn table_full() {
    let mut d = dev("conn_table_bits = 5\n");
    let items: Vec<Item> = (0..40).map(|i| Item::Key(key(i, 1))).collect();
    let r = d.tm_a(&msg(Op::Memorize, 4, items));
    assert_eq!(r.status, Status::TableFull);
    let n = r.items.len();
    assert!(n > 16 && n <= 33, "{n}");
    assert_eq!(
        d.conn.len(),
        n - 1,
        "the items before the failing one are in"
    );
    let Item::Key(failed) = r.items[n - 1] else {
        panic!()
    };
    assert_eq!(d.conn.lookup(&conn_key(&failed)), Outcome::Miss);
}

#[test]
fn tm_signals() {
    let mut d = dev("");
    // TM A (VLAN 101 on the trunk) memorizes a connection for itself and one for TM B
    let r = d.tm_a(&msg(
        Op::Memorize,
        1,
        vec![Item::Key(key(1, 0)), Item::Key(key(2, 1))],
    ));
    assert_eq!(r.status, Status::Ok);
    assert_eq!(r.items, vec![Item::Key(key(1, 0)), Item::Key(key(2, 1))]);
    assert_eq!(d.conn.lookup(&conn_key(&key(1, 0))), Outcome::Hit(0));
    assert_eq!(d.conn.lookup(&conn_key(&key(2, 0))), Outcome::Hit(1));
    // relate: key 3 pinned to key 1's TM (the reply says which)
    let r = d.tm_a(&msg(Op::Relate, 2, vec![Item::Pair(key(1, 0), key(3, 7))]));
    assert_eq!(r.status, Status::Ok);
    assert_eq!(r.items, vec![Item::Pair(key(1, 0), key(3, 0))]);
    assert_eq!(d.conn.lookup(&conn_key(&key(3, 0))), Outcome::Hit(0));
    // TM B (MAC delivery): from its MAC on the trunk, any tag
    let r = d.ask(
        1,
        TM_B,
        None,
        &msg(Op::Forget, 3, vec![Item::Key(key(2, 0))]),
    );
    assert_eq!(r.unwrap().status, Status::Ok);
    assert_eq!(d.conn.lookup(&conn_key(&key(2, 0))), Outcome::Miss);
    // TM A's MAC on another VLAN, or untagged: not TM A
    let m = msg(Op::Forget, 4, vec![Item::Key(key(1, 0))]);
    assert!(d.ask(1, TM_A, Some(102), &m).is_none());
    assert!(d.ask(1, TM_A, None, &m).is_none());
    // a peer mirrors an entry to TM B
    let r = d.ask(
        1,
        PEER,
        None,
        &msg(Op::Mirror, 5, vec![Item::Key(key(9, 1))]),
    );
    assert_eq!(r.unwrap().status, Status::Ok);
    assert_eq!(d.conn.lookup(&conn_key(&key(9, 0))), Outcome::Hit(1));
    assert_eq!(d.port.accepted, 4);
    assert_eq!(d.port.rejected, 2);
}

/// Everything a client on the network port could forge: the management VLAN, a TM's MAC
/// with its VLAN, a peer's MAC, every operation. Nothing is answered, nothing changes.
#[test]
fn forged_on_the_network_port() {
    let mut d = dev("");
    let before = d.cfg.clone();
    let ops = [
        msg(Op::Read, 1, vec![word(0x3000, 0)]),
        msg(Op::Write, 2, vec![word(0x1000, 1)]),
        msg(Op::Counters, 3, vec![word(0, 0)]),
        msg(Op::Memorize, 4, vec![Item::Key(key(1, 0))]),
        msg(Op::Forget, 5, vec![Item::Key(key(1, 0))]),
        msg(Op::Mirror, 6, vec![Item::Key(key(1, 0))]),
        msg(Op::Age, 7, vec![Item::Key(key(1, 0))]),
        msg(Op::Relate, 8, vec![Item::Pair(key(1, 0), key(2, 0))]),
    ];
    let mut sent = 0;
    for m in &ops {
        for (src, vlan) in [
            (ADMIN, Some(99)),
            (ADMIN, None),
            (TM_A, Some(101)),
            (TM_B, None),
            (PEER, None),
            (CLIENT, Some(99)),
        ] {
            assert!(
                d.ask(0, src, vlan, m).is_none(),
                "{m:?} from {src:x} {vlan:?}"
            );
            sent += 1;
        }
    }
    assert_eq!((d.port.accepted, d.port.errors), (0, 0));
    assert_eq!(d.port.rejected, sent);
    assert_eq!(d.cfg, before);
    assert!(d.conn.is_empty());
}

#[test]
fn replies_and_data_frames_are_not_requests() {
    let mut d = dev("");
    let mut m = msg(Op::Read, 1, vec![word(0x3000, 0)]);
    m.reply = true;
    let f = with_fcs(&frame(GROUP, ADMIN, Some(99), &m));
    assert_eq!(d.handle(&f, 1), Verdict::Rejected);
    m.reply = false;
    // to another MAC, another EtherType, a bad FCS, two tags: data path
    let other = with_fcs(&frame(0x02_00_00_00_00_03, ADMIN, Some(99), &m));
    assert_eq!(d.handle(&other, 1), Verdict::NotControl);
    let mut ip = frame(GROUP, ADMIN, Some(99), &m);
    ip[16..18].copy_from_slice(&[8, 0]);
    assert_eq!(d.handle(&with_fcs(&ip), 1), Verdict::NotControl);
    let mut bad = with_fcs(&frame(GROUP, ADMIN, Some(99), &m));
    let n = bad.len();
    bad[n - 1] ^= 1;
    assert_eq!(d.handle(&bad, 1), Verdict::NotControl);
    let mut qinq = frame(GROUP, ADMIN, Some(99), &m);
    qinq.splice(12..12, [0x81, 0, 0, 99]);
    assert_eq!(d.handle(&with_fcs(&qinq), 1), Verdict::NotControl);
    assert_eq!((d.port.accepted, d.port.rejected), (0, 1));
}

proptest! {
    /// Random payloads from every sender on every port: no panic; from the network port no
    /// reply; every reply decodes and echoes the sequence number.
    #[test]
    fn random_requests(payload in proptest::collection::vec(any::<u8>(), 0..400),
                       ingress in 0u8..2, who in 0usize..4) {
        let mut d = dev("");
        let (src, vlan) = [(ADMIN, Some(99)), (TM_A, Some(101)), (PEER, None), (CLIENT, None)][who];
        let mut f = GROUP.to_be_bytes()[2..].to_vec();
        f.extend_from_slice(&src.to_be_bytes()[2..]);
        if let Some(v) = vlan {
            f.extend_from_slice(&[0x81, 0, 0, v as u8]);
        }
        f.extend_from_slice(&[0x88, 0xB5]);
        f.extend_from_slice(&payload);
        f.resize(f.len().max(60), 0);
        let h = if vlan.is_some() { 18 } else { 14 };
        // the request as the distributor sees it: padding included
        let req = f[h..].to_vec();
        match d.handle(&with_fcs(&f), ingress) {
            Verdict::NotControl => prop_assert!(false, "taken for data"),
            Verdict::Rejected => {
                prop_assert!(ingress == 0 || who == 3 || req[1] & 0x80 != 0);
            }
            Verdict::Reply { frame: r, .. } => {
                prop_assert_eq!(ingress, 1);
                prop_assert!(who != 3, "a client was answered");
                let rep = &r[h..r.len() - 4];
                prop_assert_eq!(rep[0], 1);
                prop_assert_eq!(rep[1], req[1] | 0x80);
                prop_assert_eq!(&rep[2..4], &req[2..4], "seq echoed");
                let known = Op::from_code(req[1]).is_some();
                if req[0] == 1 && known {
                    let reply = decode(rep);
                    prop_assert!(reply.is_ok(), "{:?}", reply);
                } else {
                    // bad_version or bad_op, no items
                    prop_assert_eq!(rep[4], if req[0] != 1 { 1 } else { 2 });
                    prop_assert_eq!(rep[5], 0);
                }
            }
        }
    }
}

/// Every word of the bridge's MAC table, through op 0x04: 2,048 words in 17 requests of up to
/// 124.
fn read_stations(d: &mut Dev) -> Vec<u64> {
    let mut words = Vec::new();
    for chunk in (0..2048u32).collect::<Vec<_>>().chunks(124) {
        let r = d.admin(&msg(
            Op::Stations,
            1,
            chunk.iter().map(|&a| word(a, 0)).collect(),
        ));
        assert_eq!((r.status, r.items.len()), (Status::Ok, chunk.len()));
        for (it, &a) in r.items.iter().zip(chunk) {
            match *it {
                Item::Word { addr, value } => {
                    assert_eq!(addr, a);
                    words.push(value);
                }
                _ => panic!("not a word"),
            }
        }
    }
    words
}

/// The bridge's MAC table read whole and decoded by the library: exactly the live stations,
/// with their VLAN, port and age; a TM may not read it; an address past the table is
/// `bad_address`; aged-out stations read as empty slots.
#[test]
fn management_reads_the_stations() {
    let mut d = dev("");
    let learned = [
        (0x02_00_00_00_11_01u64, 0u16, 0u8),
        (0x02_00_00_00_11_02, 101, 1),
        (0x02_00_00_00_11_01, 7, 1),
    ];
    d.stations.learn(learned[0].0, learned[0].1, learned[0].2);
    for _ in 0..3 {
        d.stations.tick();
    }
    for &(m, v, p) in &learned[1..] {
        d.stations.learn(m, v, p);
    }
    d.stations.tick();
    let words = read_stations(&mut d);
    let mut got = Vec::new();
    for w in words.chunks(2) {
        match Station::from_words(w[0], w[1]) {
            // the library's encoding of what it decoded is the slot's words
            Some(s) => {
                assert_eq!(s.words(), [w[0], w[1]]);
                got.push(s);
            }
            None => assert_eq!(w, [0, 0], "an empty slot reads 0"),
        }
    }
    got.sort_by_key(|s| (s.mac, s.vlan));
    let mut want: Vec<Station> = learned
        .iter()
        .map(|&(mac, vlan, port)| Station {
            mac,
            vlan,
            port,
            age: if vlan == 0 { 4 } else { 1 },
        })
        .collect();
    want.sort_by_key(|s| (s.mac, s.vlan));
    assert_eq!(got, want);
    // past the table: bad_address on the first such word, the words before it done
    let r = d.admin(&msg(Op::Stations, 2, vec![word(2047, 0), word(2048, 0)]));
    assert_eq!((r.status, r.items.len()), (Status::BadAddress, 2));
    // a TM may not read the table
    let r = d.tm_a(&msg(Op::Stations, 3, vec![word(0, 0)]));
    assert_eq!(r.status, Status::NotPermitted);
    // aged out (timeout 30 epochs): every slot reads 0, scrubbed or not
    for _ in 0..30 {
        d.stations.tick();
    }
    assert!(read_stations(&mut d).iter().all(|&w| w == 0));
}
