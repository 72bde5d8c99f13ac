//! Compiling configurations into tables: CAM order, capacity, buckets, the FIG. 11 example,
//! and the hash key layout against the model's parser.
use flowdist_control::compile::sort_most_specific_first;
use flowdist_control::{compile, hash_key, recompile, Config, PortRole};
use flowdist_model::fcs_checker::with_fcs;
use flowdist_model::header_parser::{parse, HashKeyConfig};
use flowdist_model::key_hasher::{key_hash, HashPoly};
use flowdist_model::tables::{attr, dst_col, src_row, Action, CamEntry, Delivery};

const FIG11: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/fig11.toml");

/// R2 lookup, written here from the requirement (the model owns the real one): attributes
/// of all matching entries OR-ed, owner of the first match.
fn lookup(
    cam: &[CamEntry],
    addr: u32,
    port: Option<u16>,
    vlan: Option<u16>,
    ingress: u8,
) -> (u8, Option<u8>, bool) {
    let mut attrs = 0;
    let mut owner = None;
    let mut matched = false;
    for e in cam.iter().filter(|e| e.valid) {
        let hit = addr & e.mask == e.value & e.mask
            && e.port.is_none_or(|p| port == Some(p))
            && e.vlan.is_none_or(|v| vlan == Some(v))
            && e.ingress.is_none_or(|i| i == ingress);
        if hit {
            if !matched {
                owner = e.owner;
            }
            matched = true;
            attrs |= e.attrs;
        }
    }
    (attrs, owner, matched)
}

fn ip(a: u8, b: u8, c: u8, d: u8) -> u32 {
    u32::from_be_bytes([a, b, c, d])
}

#[test]
fn fig11_loads_and_compiles() {
    let cfg = Config::load(FIG11).unwrap();
    let t = compile(&cfg, 64).unwrap();
    assert_eq!(t.bucket_bits, 12);
    assert_eq!(t.buckets.len(), 4096);
    assert_eq!(t.group_mac, 0x02_00_00_00_05_05);
    assert_eq!(t.port_roles, [PortRole::Network, PortRole::Trunk]);
    assert_eq!(t.tms.len(), 4);
    for (i, tm) in t.tms.iter().enumerate() {
        assert!(tm.up);
        assert_eq!(tm.delivery, Delivery::Vlan(420 + i as u16));
    }
    assert_eq!(t.cam.len(), cfg.addresses.len());
    assert_eq!(t.cam_image(64).len(), 64);
    assert!(t.cam_image(64)[t.cam.len()..].iter().all(|e| !e.valid));
    // weights 1:1:1:2
    let share = |id: u8| t.buckets.iter().filter(|b| b.primary == id).count();
    for id in 0..3 {
        assert!((share(id) as i64 - 819).abs() <= 1, "{}", share(id));
    }
    assert!((share(3) as i64 - 1638).abs() <= 1);

    // The FIG. 11 walk. Request: client 410 → virtual address of www.myfavorites.com.
    let client = ip(12, 228, 54, 3);
    let vip = ip(168, 33, 20, 1);
    let server = ip(168, 33, 30, 1);
    let (s_attrs, _, _) = lookup(&t.cam, client, Some(9444), None, 0);
    let (d_attrs, _, _) = lookup(&t.cam, vip, Some(80), None, 0);
    assert_eq!((s_attrs, d_attrs), (0, attr::VIRTUAL));
    assert_eq!(
        t.actions.get(src_row(s_attrs), dst_col(d_attrs)),
        Action::HashSrc
    );
    let tm_request = t.select(client, Some(9444), None).unwrap().primary;
    // Answer: origin server 440 → client, hashed on the destination: the same TM.
    let (s_attrs, _, _) = lookup(&t.cam, server, Some(80), None, 1);
    let (d_attrs, _, _) = lookup(&t.cam, client, Some(9444), None, 1);
    assert_eq!(s_attrs, attr::NODE | attr::NATABLE);
    assert_eq!(
        t.actions.get(src_row(s_attrs), dst_col(d_attrs)),
        Action::HashDst
    );
    assert_eq!(
        t.select(client, Some(9444), None).unwrap().primary,
        tm_request
    );
    // Stock prices: server 440 → Internet goes out by a TM that NATs it to its pool
    // address; the answer to that address goes to the TM that owns it (goto_dst).
    let (d_attrs, owner, _) = lookup(&t.cam, ip(168, 33, 20, 13), Some(40000), None, 0);
    assert_eq!(t.actions.get(src_row(0), dst_col(d_attrs)), Action::GotoDst);
    assert_eq!(owner, cfg.tm_id("tm-422"));
    // Management address of a TM: owner, whatever the hash says.
    let (d_attrs, owner, _) = lookup(&t.cam, ip(10, 255, 0, 4), None, None, 0);
    assert_eq!((d_attrs, owner), (attr::TM_ADDRESS, Some(3)));
}

#[test]
fn cam_is_most_specific_first() {
    let cfg = Config::from_toml_str(
        r#"
        [distributor]
        mac = "02:00:00:00:00:01"
        bucket_bits = 8
        [[tms]]
        name = "a"
        mac = "02:00:00:00:0a:01"
        delivery = "mac"
        [[addresses]]          # 0: /0
        prefix = "0.0.0.0/0"
        attrs = ["natable"]
        [[addresses]]          # 1: /24
        prefix = "10.1.2.0/24"
        attrs = ["node"]
        [[addresses]]          # 2: /32
        prefix = "10.1.2.3"
        attrs = ["virtual"]
        [[addresses]]          # 3: /24 + port
        prefix = "10.1.2.0/24"
        attrs = ["virtual"]
        port = 80
        [[addresses]]          # 4: /32 + port + vlan
        prefix = "10.1.2.3"
        attrs = ["own"]
        port = 80
        vlan = 7
        [[addresses]]          # 5: /24, second of its kind: after 1 (stable)
        prefix = "10.9.0.0/24"
        attrs = ["node"]
        [[addresses]]          # 6: /32 + ingress
        prefix = "10.1.2.4"
        attrs = ["tm_address"]
        ingress = 1
        owner = "a"
        "#,
    )
    .unwrap();
    let t = compile(&cfg, 7).unwrap();
    let order: Vec<(u32, u32, u32)> = t
        .cam
        .iter()
        .map(|e| {
            (
                e.mask.count_ones(),
                u32::from(e.port.is_some())
                    + u32::from(e.vlan.is_some())
                    + u32::from(e.ingress.is_some()),
                e.value & 0xFF,
            )
        })
        .collect();
    assert_eq!(
        order,
        vec![
            (32, 2, 3),
            (32, 1, 4),
            (32, 0, 3),
            (24, 1, 0),
            (24, 0, 0),
            (24, 0, 0),
            (0, 0, 0)
        ]
    );
    assert_eq!(t.cam[4].value, ip(10, 1, 2, 0));
    assert_eq!(t.cam[5].value, ip(10, 9, 0, 0));
    assert!(t.cam.iter().all(|e| e.valid && e.value & !e.mask == 0));
    // first match is the most specific one
    let (attrs, _, _) = lookup(&t.cam, ip(10, 1, 2, 3), Some(80), Some(7), 0);
    assert_eq!(
        attrs,
        attr::OWN | attr::VIRTUAL | attr::NODE | attr::NATABLE
    );
    let (_, owner, _) = lookup(&t.cam, ip(10, 1, 2, 4), None, None, 1);
    assert_eq!(owner, Some(0));
    // the sort on its own is stable and idempotent
    let mut again = t.cam.clone();
    sort_most_specific_first(&mut again);
    assert_eq!(again, t.cam);
}

#[test]
fn cam_capacity_is_enforced() {
    let cfg = Config::load(FIG11).unwrap();
    let n = cfg.addresses.len();
    assert!(compile(&cfg, n).is_ok());
    let e = compile(&cfg, n - 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "addresses: {n} address entries, but the CAM holds {}",
            n - 1
        )
    );
}

#[test]
fn recompile_moves_only_the_down_tms_buckets() {
    let text = std::fs::read_to_string(FIG11).unwrap();
    let before = Config::from_toml_str(&text).unwrap();
    let t0 = compile(&before, 64).unwrap();
    // tm-421 (id 1) goes down
    let down = text.replacen(
        "delivery = \"vlan:421\"\nup = true",
        "delivery = \"vlan:421\"\nup = false",
        1,
    );
    assert_ne!(down, text);
    let after = Config::from_toml_str(&down).unwrap();
    let t1 = recompile(&after, 64, &before, &t0).unwrap();
    assert!(!t1.tms[1].up);
    for (b, (x, y)) in t0.buckets.iter().zip(&t1.buckets).enumerate() {
        if x.primary == 1 {
            assert_ne!(y.primary, 1, "bucket {b}");
        } else {
            assert_eq!(x.primary, y.primary, "bucket {b}");
        }
        assert_ne!(y.backup, 1);
    }
    // it comes back: only buckets it takes move
    let t2 = recompile(&before, 64, &after, &t1).unwrap();
    for (x, y) in t1.buckets.iter().zip(&t2.buckets) {
        assert!(x.primary == y.primary || y.primary == 1);
    }
    let back = t2.buckets.iter().filter(|b| b.primary == 1).count();
    assert!((back as i64 - 819).abs() <= 1);
}

/// An Ethernet / [802.1Q] / IPv4 / TCP frame with its FCS.
fn tcp_frame(vlan: Option<u16>, src: u32, dst: u32, sport: u16, dport: u16, frag: u16) -> Vec<u8> {
    let mut f = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
    if let Some(v) = vlan {
        f.extend_from_slice(&[0x81, 0x00]);
        f.extend_from_slice(&(0x2000 | v).to_be_bytes()); // PCP 1
    }
    f.extend_from_slice(&[0x08, 0x00]);
    let mut ip4 = vec![0x45, 0, 0, 40, 0x12, 0x34];
    ip4.extend_from_slice(&frag.to_be_bytes());
    ip4.extend_from_slice(&[64, 6, 0, 0]);
    ip4.extend_from_slice(&src.to_be_bytes());
    ip4.extend_from_slice(&dst.to_be_bytes());
    let sum: u32 = ip4
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
        .sum();
    let sum = (sum & 0xFFFF) + (sum >> 16);
    let sum = !(((sum & 0xFFFF) + (sum >> 16)) as u16);
    ip4[10..12].copy_from_slice(&sum.to_be_bytes());
    f.extend_from_slice(&ip4);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x20, 0, 0, 0, 0, 0]);
    f.resize(f.len().max(60), 0);
    with_fcs(&f)
}

#[test]
fn hash_key_matches_the_model_parser() {
    let src = ip(12, 228, 54, 3);
    let dst = ip(168, 33, 20, 1);
    for poly in [HashPoly::Ieee, HashPoly::Castagnoli] {
        for use_port in [false, true] {
            for use_vlan in [false, true] {
                let cfg = HashKeyConfig {
                    poly,
                    use_port,
                    use_vlan,
                };
                for vlan in [None, Some(420u16)] {
                    for frag in [0u16, 0x2000] {
                        let h = parse(&tcp_frame(vlan, src, dst, 9444, 80, frag), &cfg);
                        // a fragment (MF set) hashes on the addresses only
                        let (sp, dp) = if frag == 0 {
                            (Some(9444), Some(80))
                        } else {
                            (None, None)
                        };
                        let want_src = key_hash(poly, &hash_key(&cfg, src, sp, vlan));
                        let want_dst = key_hash(poly, &hash_key(&cfg, dst, dp, vlan));
                        assert_eq!(h.src_hash, want_src, "{cfg:?} vlan {vlan:?} frag {frag:#x}");
                        assert_eq!(h.dst_hash, want_dst, "{cfg:?} vlan {vlan:?} frag {frag:#x}");
                    }
                }
            }
        }
    }
}
