//! Configuration parsing and validation: the error messages a network engineer sees, and
//! that no input makes the parser panic.
use flowdist_control::config::{parse_mac, PortRole};
use flowdist_control::Config;
use flowdist_model::key_hasher::HashPoly;
use flowdist_model::tables::{attr, Action, ActionTable, Delivery};
use proptest::prelude::*;

/// A small valid configuration; tests break one thing in it at a time.
const BASE: &str = r#"
[distributor]
mac = "02:00:00:00:00:01"
bucket_bits = 12

[[tms]]
name = "tm-a"
mac = "02:00:00:00:0a:01"
delivery = "vlan:101"

[[tms]]
name = "tm-b"
weight = 3
mac = "02:00:00:00:0a:02"
delivery = "mac"

[[tms]]
name = "tm-c"
mac = "02:00:00:00:0a:03"
delivery = "port:1"
up = false

[[addresses]]
prefix = "203.0.113.10/32"
attrs = ["virtual"]
port = 80
"#;

fn err(toml: &str) -> String {
    match Config::from_toml_str(toml) {
        Ok(_) => panic!("accepted:\n{toml}"),
        Err(e) => e.to_string(),
    }
}

fn with(extra: &str) -> String {
    format!("{BASE}{extra}")
}

#[test]
fn base_parses_with_defaults() {
    let c = Config::from_toml_str(BASE).unwrap();
    assert_eq!(c.distributor.mac, 0x02_00_00_00_00_01);
    assert_eq!(c.distributor.bucket_bits, 12);
    assert_eq!(c.hash.poly, HashPoly::Ieee);
    assert!(!c.hash.use_port && !c.hash.use_vlan);
    assert_eq!(c.ports, [PortRole::Network, PortRole::Trunk]);
    assert_eq!(c.tms.len(), 3);
    assert_eq!(c.tms[0].weight, 1);
    assert_eq!(c.tms[1].weight, 3);
    assert_eq!(c.tms[0].delivery, Delivery::Vlan(101));
    assert_eq!(c.tms[1].delivery, Delivery::Mac);
    assert_eq!(c.tms[2].delivery, Delivery::Port(1));
    assert!(c.tms[0].up && !c.tms[2].up);
    assert_eq!(c.addresses[0].prefix.addr, 0xCB00_710A);
    assert_eq!(c.addresses[0].prefix.len, 32);
    assert_eq!(c.addresses[0].attrs, attr::VIRTUAL);
    assert_eq!(c.addresses[0].port, Some(80));
    assert_eq!(c.actions, ActionTable::default());
    assert_eq!(c.tm_id("tm-b"), Some(1));
    assert_eq!(c.tm_id("tm-x"), None);
}

#[test]
fn readme_example_parses() {
    let readme = include_str!("../README.md");
    let start = readme.find("```toml\n").expect("README has a toml block") + 8;
    let end = start + readme[start..].find("```").unwrap();
    let c = Config::from_toml_str(&readme[start..end]).unwrap();
    assert_eq!(c.hash.poly, HashPoly::Castagnoli);
    assert!(c.addresses.iter().any(|a| a.owner.is_some()));
    assert_ne!(c.actions, ActionTable::default());
}

#[test]
fn messages_named_in_the_brief() {
    let cfg = with("[[tms]]\nname = \"tm-d\"\nmac = \"02:00\"\ndelivery = \"mac\"\n");
    // tm-d is tms[3]; make the bad one tms[2] as in the brief's example
    let cfg = cfg.replace("mac = \"02:00:00:00:0a:03\"", "mac = \"02:00\"");
    assert_eq!(
        err(&cfg),
        "tms[2].mac: \"02:00\" is not a MAC address (expected six hex bytes, e.g. 02:00:00:00:00:01)"
    );
    assert_eq!(
        err(&with("owner = \"tm-x\"\n")),
        "addresses[0].owner: no TM named \"tm-x\""
    );
    let mut many = BASE.to_string();
    for i in 3..17 {
        many += &format!(
            "[[tms]]\nname = \"t{i}\"\nmac = \"02:00:00:00:0b:{i:02x}\"\ndelivery = \"mac\"\n"
        );
    }
    assert_eq!(err(&many), "tms: at most 16 TMs (have 17)");
    assert_eq!(
        err(&BASE.replace("bucket_bits = 12", "bucket_bits = 13")),
        "distributor.bucket_bits: 13 is out of range 8..=12"
    );
    assert_eq!(
        err(&BASE.replace("bucket_bits = 12", "bucket_bits = 7")),
        "distributor.bucket_bits: 7 is out of range 8..=12"
    );
}

#[test]
fn toml_errors_name_the_field_or_line() {
    // syntax: line and column
    assert_eq!(
        err("[distributor\nmac = 1\n"),
        "line 1, column 13: invalid table header; expected `.`, `]`"
    );
    assert!(err("x = \"unterminated\n").starts_with("line 1, column"));
    // types: the field, with its line
    assert_eq!(
        err(&BASE.replace("bucket_bits = 12", "bucket_bits = \"twelve\"")),
        "distributor.bucket_bits: invalid type: string \"twelve\", expected an integer (line 4, column 15)"
    );
    assert_eq!(
        err(&BASE.replace("weight = 3", "weight = 3.5")),
        "tms[1].weight: invalid type: floating point `3.5`, expected an integer (line 13, column 10)"
    );
    assert_eq!(
        err(&BASE.replace("attrs = [\"virtual\"]", "attrs = \"virtual\"")),
        "addresses[0].attrs: invalid type: string \"virtual\", expected a sequence (line 25, column 9)"
    );
    // missing and unknown keys
    assert_eq!(
        err(&BASE.replace("delivery = \"mac\"\n", "")),
        "tms[1].delivery: missing (line 11, column 1)"
    );
    assert!(err("").starts_with("distributor: missing"));
    let e = err(&BASE.replace("weight = 3", "wieght = 3"));
    assert!(
        e.starts_with("tms[1].wieght: unknown field `wieght`, expected one of `name`, `weight`"),
        "{e}"
    );
    let e = err(&with("[hashes]\nport = true\n"));
    assert!(e.starts_with("hashes: unknown field `hashes`"), "{e}");
}

#[test]
fn tm_checks() {
    assert_eq!(
        err(&BASE.replace("name = \"tm-b\"", "name = \"tm-a\"")),
        "tms[1].name: \"tm-a\" is already the name of tms[0]"
    );
    assert_eq!(
        err(&BASE.replace("name = \"tm-b\"", "name = \" \"")),
        "tms[1].name: empty (every TM needs a name)"
    );
    assert_eq!(
        err(&BASE.replace("02:00:00:00:0a:02", "03:00:00:00:0a:02")),
        "tms[1].mac: 03:00:00:00:0a:02 is not a unicast MAC address (a TM needs a unicast MAC)"
    );
    assert_eq!(
        err(&BASE.replace("02:00:00:00:0a:02", "02:00:00:00:0a:01")),
        "tms[1].mac: 02:00:00:00:0a:01 is already the MAC of tms[0] (\"tm-a\")"
    );
    assert_eq!(
        err(&BASE.replace("02:00:00:00:0a:02", "02:00:00:00:00:01")),
        "tms[1].mac: 02:00:00:00:00:01 is the group MAC (distributor.mac)"
    );
    assert_eq!(
        err(&BASE.replace("weight = 3", "weight = 0")),
        "tms[1].weight: 0 is out of range 1..=1000 (weight)"
    );
    assert_eq!(
        err(&BASE.replace("weight = 3", "weight = 1001")),
        "tms[1].weight: 1001 is out of range 1..=1000 (weight)"
    );
    assert_eq!(
        err(&BASE.replace("vlan:101", "vlan:4095")),
        "tms[0].delivery: 4095 is out of range 1..=4094 (VLAN id)"
    );
    assert_eq!(
        err(&BASE.replace("port:1", "port:2")),
        "tms[2].delivery: 2 is out of range 0..=1 (port index)"
    );
    assert_eq!(
        err(&BASE.replace("port:1", "port:0")),
        "tms[2].delivery: port 0 is the network port; a TM must be on a trunk port"
    );
    assert_eq!(
        err(&BASE.replace("port:1", "vlan:101")),
        "tms[2].delivery: VLAN 101 already delivers to tms[0] (\"tm-a\")"
    );
    assert_eq!(
        err(&BASE.replace("port:1", "gre:1")),
        "tms[2].delivery: \"gre:1\" is not a delivery (expected \"port:N\", \"vlan:ID\", \"mac\" or \"ipip:ADDR\")"
    );
    let all_down = BASE
        .replace("up = false", "")
        .replace("delivery = \"mac\"", "delivery = \"mac\"\nup = false")
        .replace(
            "delivery = \"vlan:101\"",
            "delivery = \"vlan:101\"\nup = false",
        )
        .replace("delivery = \"port:1\"", "delivery = \"port:1\"\nup = false");
    assert_eq!(
        err(&all_down),
        "tms: no TM is up (at least one needs up = true)"
    );
    let no_tms = BASE.split("[[tms]]").next().unwrap();
    assert_eq!(
        err(no_tms),
        "tms: at least one TM is needed (add a [[tms]] table)"
    );
    assert_eq!(
        err(&BASE.replace("\"02:00:00:00:00:01\"", "\"01:00:5e:00:00:01\"")),
        "distributor.mac: 01:00:5e:00:00:01 is not a unicast MAC address (the group MAC is a source address)"
    );
}

#[test]
fn address_checks() {
    assert_eq!(
        err(&BASE.replace("203.0.113.10/32", "10.0.0.1/8")),
        "addresses[0].prefix: \"10.0.0.1/8\" has host bits set (did you mean \"10.0.0.0/8\", or \"10.0.0.1/32\" for the single address?)"
    );
    assert_eq!(
        err(&BASE.replace("203.0.113.10/32", "10.0.0.0/33")),
        "addresses[0].prefix: \"10.0.0.0/33\": prefix length \"33\" is not a number in 0..=32"
    );
    assert_eq!(
        err(&BASE.replace("203.0.113.10/32", "10.0.0/8")),
        "addresses[0].prefix: \"10.0.0/8\" is not an IPv4 prefix (expected a.b.c.d or a.b.c.d/len, e.g. 192.0.2.0/24)"
    );
    assert_eq!(
        err(&BASE.replace("[\"virtual\"]", "[\"virtual\", \"vip\"]")),
        "addresses[0].attrs[1]: \"vip\" is not an attribute (expected one of: virtual node natable nat_xlate tm_address own)"
    );
    assert_eq!(
        err(&BASE.replace("[\"virtual\"]", "[\"virtual\", \"virtual\"]")),
        "addresses[0].attrs[1]: \"virtual\" is listed twice"
    );
    assert_eq!(
        err(&BASE.replace("[\"virtual\"]", "[]")),
        "addresses[0].attrs: empty (give at least one of: virtual node natable nat_xlate tm_address own)"
    );
    assert_eq!(
        err(&BASE.replace("port = 80", "port = 70000")),
        "addresses[0].port: 70000 is out of range 1..=65535 (L4 port)"
    );
    assert_eq!(
        err(&with("vlan = 0\n")),
        "addresses[0].vlan: 0 is out of range 1..=4094 (VLAN id)"
    );
    assert_eq!(
        err(&with("ingress = 2\n")),
        "addresses[0].ingress: 2 is out of range 0..=1 (port index)"
    );
    assert_eq!(
        err(&with(
            "[[addresses]]\nprefix = \"10.1.0.1\"\nattrs = [\"tm_address\"]\n"
        )),
        "addresses[1].owner: missing: a tm_address entry needs an owner TM (owner = \"<TM name>\")"
    );
    assert_eq!(
        err(&with("[[addresses]]\nprefix = \"203.0.113.10\"\nattrs = [\"node\"]\nport = 80\n")),
        "addresses[1]: matches exactly what addresses[0] matches (203.0.113.10/32 with the same port, vlan and ingress); merge the two entries"
    );
    // the same prefix with another qualifier is a different entry
    let c = Config::from_toml_str(&with(
        "ingress = 0\nowner = \"tm-b\"\n[[addresses]]\nprefix = \"203.0.113.10\"\nattrs = [\"node\"]\nport = 80\n[[addresses]]\nprefix = \"0.0.0.0/0\"\nattrs = [\"natable\"]\n",
    ))
    .unwrap();
    assert_eq!(c.addresses[0].ingress, Some(0));
    assert_eq!(c.addresses[0].owner, Some(1));
    assert_eq!(c.addresses[2].prefix.len, 0);
}

#[test]
fn ports_checks() {
    let swap =
        with("[[ports]]\nindex = 1\nrole = \"network\"\n[[ports]]\nindex = 0\nrole = \"trunk\"\n")
            .replace("port:1", "port:0");
    assert_eq!(
        Config::from_toml_str(&swap).unwrap().ports,
        [PortRole::Trunk, PortRole::Network]
    );
    assert_eq!(
        err(&with("[[ports]]\nindex = 0\nrole = \"network\"\n")),
        "ports: exactly 2 ports (index 0 and 1) are needed (have 1)"
    );
    assert_eq!(
        err(&with(
            "[[ports]]\nindex = 0\nrole = \"network\"\n[[ports]]\nindex = 0\nrole = \"trunk\"\n"
        )),
        "ports[1].index: port 0 is listed twice"
    );
    assert_eq!(
        err(&with(
            "[[ports]]\nindex = 0\nrole = \"network\"\n[[ports]]\nindex = 2\nrole = \"trunk\"\n"
        )),
        "ports[1].index: 2 is out of range 0..=1 (port index)"
    );
    assert_eq!(
        err(&with(
            "[[ports]]\nindex = 0\nrole = \"network\"\n[[ports]]\nindex = 1\nrole = \"uplink\"\n"
        )),
        "ports[1].role: \"uplink\" is not a port role (expected \"network\" or \"trunk\")"
    );
    assert_eq!(
        err(&with(
            "[[ports]]\nindex = 0\nrole = \"trunk\"\n[[ports]]\nindex = 1\nrole = \"trunk\"\n"
        )),
        "ports: one network port and one trunk port are needed (both are trunk)"
    );
}

#[test]
fn hash_and_fig9() {
    let c = Config::from_toml_str(&with(
        "[hash]\npoly = \"crc32c\"\nport = true\nvlan = true\n[fig9]\n\"unknown.virtual\" = \"hash_dst\"\n[fig9.node]\nunknown = \"route\"\n",
    ))
    .unwrap();
    assert_eq!(c.hash.poly, HashPoly::Castagnoli);
    assert!(c.hash.use_port && c.hash.use_vlan);
    let mut want = ActionTable::default();
    want.0[3][1] = Action::HashDst;
    want.0[2][3] = Action::Route;
    assert_eq!(c.actions, want);
    assert_eq!(
        err(&with("[hash]\npoly = \"md5\"\n")),
        "hash.poly: \"md5\" is not a hash polynomial (expected \"crc32\" or \"crc32c\")"
    );
    assert_eq!(
        err(&with("[fig9]\n\"unknown.vip\" = \"route\"\n")),
        "fig9.\"unknown.vip\": \"vip\" is not a FIG. 9 column (expected one of: nat_xlate_virtual virtual nat_xlate unknown)"
    );
    assert_eq!(
        err(&with("[fig9]\n\"client.virtual\" = \"route\"\n")),
        "fig9.\"client.virtual\": \"client\" is not a FIG. 9 row (expected one of: natable_node natable node unknown)"
    );
    assert_eq!(
        err(&with("[fig9]\n\"unknown.virtual\" = \"drop\"\n")),
        "fig9.unknown.virtual: \"drop\" is not an action (expected one of: goto_dst hash_src hash_dst route)"
    );
    assert_eq!(
        err(&with("[fig9]\n\"unknown.virtual\" = 3\n")),
        "fig9.\"unknown.virtual\": expected an action name as a string, found a integer"
    );
    assert_eq!(
        err(&with(
            "[fig9]\n\"unknown.virtual\" = \"route\"\n[fig9.unknown]\nvirtual = \"route\"\n"
        )),
        "fig9.\"unknown.virtual\": this cell is set twice"
    );
    assert_eq!(
        err(&with("[fig9]\nroute = \"route\"\n")),
        "fig9.\"route\": expected a key \"row.col\", e.g. \"unknown.virtual\""
    );
}

#[test]
fn load_names_the_file() {
    let e = Config::load("/nonexistent/flowdist.toml").unwrap_err();
    assert_eq!(e.field, "/nonexistent/flowdist.toml");
    assert!(!e.reason.is_empty());
    let dir = std::env::temp_dir().join(format!("flowdist-control-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("ok.toml");
    std::fs::write(&f, BASE).unwrap();
    assert_eq!(
        Config::load(&f).unwrap(),
        Config::from_toml_str(BASE).unwrap()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn mac_syntax() {
    assert_eq!(parse_mac("02:00:00:00:00:01"), Some(0x0200_0000_0001));
    assert_eq!(parse_mac("02-AA-bb-00-00-01"), Some(0x02aa_bb00_0001));
    for bad in [
        "",
        "02:00:00:00:00",
        "02:00:00:00:00:01:02",
        "2:00:00:00:00:01",
        "02:00:00:00:00:0g",
        "02:00-00:00:00:01",
        "+2:00:00:00:00:01",
    ] {
        assert_eq!(parse_mac(bad), None, "{bad}");
    }
}

// ---------------------------------------------------------------------------------------
// Nothing panics

/// Values of every TOML type and of every shape the schema expects, valid and not.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        (-5i64..5000).prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
        any::<bool>().prop_map(|v| v.to_string()),
        "[a-z0-9:./ -]{0,20}".prop_map(|s| format!("{s:?}")),
        "(port|vlan):-?[0-9]{1,6}".prop_map(|s| format!("{s:?}")),
        "([0-9a-fA-F]{1,3}[:-]){0,6}[0-9a-fA-F]{0,3}".prop_map(|s| format!("{s:?}")),
        "([0-9]{1,4}\\.){0,4}[0-9]{0,4}(/[0-9]{1,3})?".prop_map(|s| format!("{s:?}")),
        prop::collection::vec(
            prop::sample::select(vec![
                "virtual",
                "node",
                "natable",
                "nat_xlate",
                "tm_address",
                "own",
                "x",
                ""
            ]),
            0..4
        )
        .prop_map(|v| format!("{v:?}")),
        Just("\"mac\"".to_string()),
        Just("{ a = 1 }".to_string()),
        Just("[1, \"a\"]".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "mac",
        "bucket_bits",
        "poly",
        "port",
        "vlan",
        "index",
        "role",
        "name",
        "weight",
        "delivery",
        "up",
        "prefix",
        "attrs",
        "ingress",
        "owner",
        "\"unknown.virtual\"",
        "\"natable_node.nat_xlate\"",
        "node.unknown",
        "bogus",
    ])
    .prop_map(str::to_string)
}

fn header() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "[distributor]",
        "[hash]",
        "[[ports]]",
        "[[tms]]",
        "[[addresses]]",
        "[fig9]",
        "[fig9.unknown]",
        "[tms]",
        "[other]",
    ])
    .prop_map(str::to_string)
}

/// Documents of sections and `key = value` lines in any order: mostly well-formed TOML,
/// rarely a valid configuration, often one field away from one.
fn toml_doc() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            1 => header(),
            4 => (key(), value()).prop_map(|(k, v)| format!("{k} = {v}")),
        ],
        0..40,
    )
    .prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC*") {
        let _ = Config::from_toml_str(&s);
    }

    #[test]
    fn arbitrary_bytes_as_text_never_panic(b in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = Config::from_toml_str(&String::from_utf8_lossy(&b));
    }

    #[test]
    fn arbitrary_toml_never_panics(doc in toml_doc()) {
        if let Err(e) = Config::from_toml_str(&doc) {
            prop_assert!(!e.field.is_empty() && !e.reason.is_empty());
        }
    }

    #[test]
    fn one_field_changed_never_panics(line in 0usize..40, v in value()) {
        // replace the value on one line of a valid configuration
        let doc: Vec<String> = BASE
            .lines()
            .enumerate()
            .map(|(i, l)| match l.split_once(" = ") {
                Some((k, _)) if i == line => format!("{k} = {v}"),
                _ => l.to_string(),
            })
            .collect();
        let doc = doc.join("\n");
        if let Ok(c) = Config::from_toml_str(&doc) {
            // whatever was accepted compiles
            prop_assert!(flowdist_control::compile(&c, 64).is_ok());
        }
    }

    #[test]
    fn truncated_configs_never_panic(cut in 0usize..700) {
        let cut = cut.min(BASE.len());
        let _ = Config::from_toml_str(&BASE[..cut]);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for open in ["[", "{a=", "[{b="] {
        let doc = format!("x = {}", open.repeat(50_000));
        assert!(Config::from_toml_str(&doc).is_err());
    }
    let doc = format!("[{}]", vec!["a"; 50_000].join("."));
    assert!(Config::from_toml_str(&doc).is_err());
}

/// IP-in-IP delivery (R5): `ipip:ADDR` TMs and the distributor's `tunnel_src`.
const IPIP: &str = r#"
[distributor]
mac = "02:00:00:00:00:01"
bucket_bits = 12
tunnel_src = "192.0.2.1"

[[tms]]
name = "tm-a"
mac = "02:00:00:00:0a:01"
delivery = "ipip:198.51.100.10"

[[tms]]
name = "tm-b"
mac = "02:00:00:00:0a:02"
delivery = "ipip:198.51.100.11"
"#;

#[test]
fn ipip_delivery_parses_compiles_and_loads() {
    let c = Config::from_toml_str(IPIP).unwrap();
    assert_eq!(
        c.distributor.tunnel_src,
        Some(std::net::Ipv4Addr::new(192, 0, 2, 1))
    );
    assert_eq!(c.tms[0].delivery, Delivery::IpInIp(0xC633_640A));
    assert_eq!(c.tms[1].delivery, Delivery::IpInIp(0xC633_640B));
    let t = flowdist_control::compile::compile(&c, 64).unwrap();
    let dp = t.data_plane();
    assert_eq!(dp.tunnel_src, 0xC000_0201);
    let w = dp.bus_writes();
    assert!(w.contains(&(0x2100, 0xC633_640A)));
    assert!(w.contains(&(0x2101, 0xC633_640B)));
    assert!(w.contains(&(0x2180, 0xC000_0201)));
    // a configuration without IP-in-IP writes no tunnel addresses and a zero source
    let plain = flowdist_control::compile::compile(&Config::from_toml_str(BASE).unwrap(), 64)
        .unwrap()
        .data_plane();
    assert!(plain
        .bus_writes()
        .iter()
        .all(|&(a, _)| a & 0xFF00 != 0x2100 || a == 0x2180));
    assert_eq!(plain.tunnel_src, 0);
}

#[test]
fn ipip_checks() {
    // "ipip:" with something that is not an address
    let e = err(&IPIP.replace("ipip:198.51.100.10", "ipip:tm-a.example"));
    assert!(e.starts_with("tms[0].delivery: "), "{e}");
    assert!(e.contains("not an IPv4 address"), "{e}");
    // (text to replace, replacement, field, words of the reason)
    let cases: [(&str, &str, &str, &str); 6] = [
        (
            "tunnel_src = \"192.0.2.1\"\n",
            "",
            "distributor.tunnel_src",
            "missing: tms[0] (\"tm-a\") uses IP-in-IP",
        ),
        (
            "tunnel_src = \"192.0.2.1\"",
            "tunnel_src = \"192.0.2\"",
            "distributor.tunnel_src",
            "not an IPv4 address",
        ),
        (
            "tunnel_src = \"192.0.2.1\"",
            "tunnel_src = \"224.0.0.5\"",
            "distributor.tunnel_src",
            "multicast",
        ),
        (
            "delivery = \"ipip:198.51.100.11\"",
            "delivery = \"ipip:198.51.100.10\"",
            "tms[1].delivery",
            "already belongs to tms[0]",
        ),
        (
            "delivery = \"ipip:198.51.100.11\"",
            "delivery = \"ipip:192.0.2.1\"",
            "tms[1].delivery",
            "distributor.tunnel_src",
        ),
        (
            "delivery = \"ipip:198.51.100.11\"",
            "delivery = \"ipip:0.0.0.0\"",
            "tms[1].delivery",
            "unspecified",
        ),
    ];
    for (k, (from, to, field, reason)) in cases.iter().enumerate() {
        let doc = IPIP.replace(from, to);
        assert_ne!(doc, IPIP, "case {k} changes nothing");
        let e = err(&doc);
        assert!(e.starts_with(&format!("{field}: ")), "case {k}: {e}");
        assert!(e.contains(reason), "case {k}: {e}");
    }
    // the list of accepted forms names the new one
    let e = err(&with("").replace("delivery = \"mac\"", "delivery = \"gre\""));
    assert!(e.contains("ipip:ADDR"), "{e}");
}

#[test]
fn ipip_example_loads() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/ipip.toml");
    let c = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(c
        .tms
        .iter()
        .all(|t| matches!(t.delivery, Delivery::IpInIp(_))));
    assert!(c.distributor.tunnel_src.is_some());
}

/// The router example: fig11.toml plus three routes, compiled longest prefix first.
#[test]
fn router_example_loads() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/router.toml");
    let c = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let t = flowdist_control::compile::compile(&c, 64).unwrap();
    let lens: Vec<u32> = t.routes.iter().map(|r| r.mask.count_ones()).collect();
    assert_eq!(lens, vec![24, 16, 0]);
    assert_eq!(t.routes[0].vlan, Some(30));
    assert_eq!(t.routes[2].port, 0);
}

#[test]
fn control_section() {
    let c = Config::from_toml_str(BASE).unwrap();
    assert_eq!(c.control, flowdist_control::Control::default());
    assert_eq!(
        c.control.access().management_ports,
        0,
        "no [control]: no one"
    );
    let c = Config::from_toml_str(&with(
        r#"
[control]
management_ports = [1]
management_vlans = [99, 100]
peers = ["02:00:00:00:00:02"]
conn_table_bits = 10
conn_timeout = 30
"#,
    ))
    .unwrap();
    assert_eq!(c.control.management_ports, vec![1]);
    assert_eq!(c.control.management_vlans, vec![99, 100]);
    assert_eq!(c.control.peers, vec![0x02_00_00_00_00_02]);
    assert_eq!(
        (c.control.conn_table_bits, c.control.conn_timeout),
        (10, 30)
    );
    let a = c.control.access();
    assert_eq!(a.management_ports, 0b10);
    assert_eq!(a.management_vlans, vec![99, 100]);

    for (extra, want) in [
        (
            "management_ports = [0]",
            "control.management_ports[0]: port 0 is the network port",
        ),
        (
            "management_ports = [2]",
            "control.management_ports[0]: 2 is out of range 0..=1",
        ),
        (
            "management_ports = [1, 1]",
            "control.management_ports[1]: port 1 is listed twice",
        ),
        (
            "management_vlans = [4095]",
            "control.management_vlans[0]: 4095 is out of range 1..=4094",
        ),
        (
            "management_vlans = [101]",
            "control.management_vlans[0]: VLAN 101 delivers to tms[0] (\"tm-a\")",
        ),
        (
            "peers = [\"02:00\"]",
            "control.peers[0]: \"02:00\" is not a MAC address",
        ),
        (
            "peers = [\"02:00:00:00:00:01\"]",
            "control.peers[0]: 02:00:00:00:00:01 is this distributor's own group MAC",
        ),
        (
            "peers = [\"02:00:00:00:0a:02\"]",
            "control.peers[0]: 02:00:00:00:0a:02 is the MAC of tms[1]",
        ),
        (
            "peers = [\"01:00:00:00:00:09\"]",
            "control.peers[0]: 01:00:00:00:00:09 is not a unicast MAC",
        ),
        (
            "conn_table_bits = 17",
            "control.conn_table_bits: 17 is out of range 5..=16",
        ),
        (
            "conn_timeout = 0",
            "control.conn_timeout: 0 is out of range 1..=192",
        ),
        (
            "conn_timeout = 193",
            "control.conn_timeout: 193 is out of range 1..=192",
        ),
        (
            "managment_ports = [1]",
            "control.managment_ports: unknown field `managment_ports`",
        ),
        (
            "management_ports = 1",
            "control.management_ports: invalid type",
        ),
        (
            "management_vlans = [2, 3, 4, 5, 6]",
            "control.management_vlans[4]: at most 4 management VLANs",
        ),
        (
            "peers = [\"02:00:00:00:07:01\", \"02:00:00:00:07:02\", \"02:00:00:00:07:03\"]",
            "control.peers[2]: at most 2 peer distributors",
        ),
    ] {
        let e = err(&with(&format!("\n[control]\n{extra}\n")));
        assert!(e.starts_with(want), "{extra}: {e}");
    }
}

/// `[[routes]]` (R8): parsed, checked field by field, compiled longest prefix first.
#[test]
fn routes_section() {
    use flowdist_control::compile::compile;
    use flowdist_model::route_table::Route;
    let ok = with(
        r#"
[[routes]]
prefix = "0.0.0.0/0"
next_hop = "02:00:00:00:00:cc"
port = 1
vlan = 200

[[routes]]
prefix = "198.51.100.0/24"
next_hop = "02:00:00:00:00:aa"
port = 0

[[routes]]
prefix = "198.51.0.0/16"
next_hop = "02:00:00:00:00:bb"
port = 1
"#,
    );
    let c = Config::from_toml_str(&ok).unwrap();
    assert_eq!(c.routes.len(), 3);
    assert_eq!(c.routes[0].vlan, Some(200));
    assert_eq!(c.routes[1].vlan, None);
    let t = compile(&c, 64).unwrap();
    assert_eq!(
        t.routes,
        vec![
            Route::to_prefix(0xC633_6400, 24, 0x02_00_00_00_00_AA, 0, None),
            Route::to_prefix(0xC633_0000, 16, 0x02_00_00_00_00_BB, 1, None),
            Route::to_prefix(0, 0, 0x02_00_00_00_00_CC, 1, Some(200)),
        ]
    );
    assert_eq!(t.data_plane().routes, t.routes);

    let route = |body: &str| with(&format!("\n[[routes]]\n{body}\n"));
    let e = err(&route(
        "prefix = \"10.0.0.0/33\"\nnext_hop = \"02:00:00:00:00:01\"\nport = 0",
    ));
    assert!(e.contains("routes[0].prefix"), "{e}");
    let e = err(&route(
        "prefix = \"10.0.0.0/8\"\nnext_hop = \"ff:ff:ff:ff:ff:ff\"\nport = 0",
    ));
    assert!(
        e.contains("routes[0].next_hop") && e.contains("unicast"),
        "{e}"
    );
    let e = err(&route(
        "prefix = \"10.0.0.0/8\"\nnext_hop = \"02:00:00:00:00\"\nport = 0",
    ));
    assert!(e.contains("routes[0].next_hop"), "{e}");
    let e = err(&route(
        "prefix = \"10.0.0.0/8\"\nnext_hop = \"02:00:00:00:00:01\"\nport = 2",
    ));
    assert!(e.contains("routes[0].port"), "{e}");
    let e = err(&route(
        "prefix = \"10.0.0.0/8\"\nnext_hop = \"02:00:00:00:00:01\"\nport = 0\nvlan = 4095",
    ));
    assert!(e.contains("routes[0].vlan"), "{e}");
    let e = err(&route("prefix = \"10.0.0.0/8\"\nport = 0"));
    assert!(e.contains("next_hop"), "{e}");
    let dup = format!(
        "{}\n[[routes]]\nprefix = \"10.0.0.0/8\"\nnext_hop = \"02:00:00:00:00:02\"\nport = 1\n",
        route("prefix = \"10.0.0.0/8\"\nnext_hop = \"02:00:00:00:00:01\"\nport = 0")
    );
    let e = err(&dup);
    assert!(
        e.contains("routes[1].prefix") && e.contains("routes[0]"),
        "{e}"
    );
    let many: String = (0..17)
        .map(|i| {
            format!("\n[[routes]]\nprefix = \"10.{i}.0.0/16\"\nnext_hop = \"02:00:00:00:00:01\"\nport = 0\n")
        })
        .collect();
    let e = err(&with(&many));
    assert!(e.contains("routes") && e.contains("16"), "{e}");
}

/// `[bridge]` (R7): defaults, values, and errors that name the field.
#[test]
fn bridge_section() {
    let c = Config::from_toml_str(BASE).unwrap();
    assert!(c.bridge.learning);
    assert_eq!(c.bridge.aging_s, 300);
    let s = c.bridge.settings();
    assert_eq!(
        (s.timeout, s.epoch_cycles),
        (250, 150_000_000),
        "300 s in 250 epochs"
    );
    let c = Config::from_toml_str(&with("[bridge]\nlearning = false\naging = 30\n")).unwrap();
    assert!(!c.bridge.learning && !c.bridge.settings().learning);
    assert_eq!(c.bridge.settings().epoch_cycles, 15_000_000);
    let e = err(&with("[bridge]\naging = 0\n"));
    assert!(e.contains("bridge.aging") && e.contains("1..=8589"), "{e}");
    let e = err(&with("[bridge]\naging = 9000\n"));
    assert!(e.contains("bridge.aging"), "{e}");
    let e = err(&with("[bridge]\nageing = 10\n"));
    assert!(e.contains("ageing"), "{e}");
    let e = err(&with("[bridge]\nlearning = 1\n"));
    assert!(
        e.contains("bridge.learning") || e.contains("learning"),
        "{e}"
    );
}
