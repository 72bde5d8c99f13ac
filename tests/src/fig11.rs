//! The FIG. 11 scenario of US 7,102,996 as frames (configuration: `examples/fig11.toml`).
use crate::frames::{tcp4, Frame, L3};

pub const GROUP: u64 = 0x02_00_00_00_05_05;
pub const ROUTER: u64 = 0x02_00_00_00_01_00;
pub const SERVER_MAC: u64 = 0x02_00_00_00_03_01;
pub const CLIENT: u32 = 0x0CE4_3603; // 12.228.54.3
pub const VIRTUAL: u32 = 0xA821_1401; // 168.33.20.1
pub const SERVER: u32 = 0xA821_1E01; // 168.33.30.1
pub const INTERNET: u32 = 0xCB00_7105; // 203.0.113.5
pub const TM_MACS: [u64; 4] = [
    0x02_00_00_00_04_20,
    0x02_00_00_00_04_21,
    0x02_00_00_00_04_22,
    0x02_00_00_00_04_23,
];

fn on_wire(mut f: Frame, src_mac: u64, dst_mac: u64, tags: Vec<(u16, u16)>) -> Vec<u8> {
    f.src = src_mac;
    f.dst = dst_mac;
    f.tags = tags;
    f.bytes()
}

/// (frames arriving on the network port 0, frames arriving on the trunk port 1).
/// Network: the client's request; 64 more clients; an Internet server answering TM 421's NAT
/// address; a packet to TM 422's management address; one to the distributor itself; one
/// between two unknown addresses; the router's ARP request for the virtual address. Trunk: the origin server's answer to the
/// client (VLAN 30); each TM's outbound answer to the client on its own VLAN; an origin
/// server opening a connection to the Internet.
pub fn captures() -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut net = vec![on_wire(
        tcp4(CLIENT, VIRTUAL, 9444, 80),
        ROUTER,
        GROUP,
        vec![],
    )];
    for i in 0..64u32 {
        net.push(on_wire(
            tcp4(0x0CE4_3600 + i, VIRTUAL, 10000 + i as u16, 443),
            ROUTER,
            GROUP,
            vec![],
        ));
    }
    net.push(on_wire(
        tcp4(INTERNET, 0xA821_140C, 443, 31000),
        ROUTER,
        GROUP,
        vec![],
    ));
    net.push(on_wire(
        tcp4(CLIENT, 0x0AFF_0003, 50000, 22),
        ROUTER,
        GROUP,
        vec![],
    ));
    net.push(on_wire(
        tcp4(CLIENT, 0xA821_14FE, 50001, 161),
        ROUTER,
        GROUP,
        vec![],
    ));
    net.push(on_wire(
        tcp4(CLIENT, 0x0808_0808, 50002, 53),
        ROUTER,
        GROUP,
        vec![],
    ));
    let mut arp = tcp4(0, 0, 0, 0);
    arp.l3 = L3::Arp {
        oper: 1,
        sha: ROUTER,
        spa: 0xA821_14FD,
        tha: 0,
        tpa: VIRTUAL,
    };
    net.push(on_wire(arp, ROUTER, 0xFFFF_FFFF_FFFF, vec![]));

    let mut trunk = vec![on_wire(
        tcp4(SERVER, CLIENT, 80, 9444),
        SERVER_MAC,
        GROUP,
        vec![(0x8100, 30)],
    )];
    for (t, mac) in TM_MACS.iter().enumerate() {
        trunk.push(on_wire(
            tcp4(VIRTUAL, CLIENT, 80, 9444),
            *mac,
            GROUP,
            vec![(0x8100, 420 + t as u16)],
        ));
    }
    trunk.push(on_wire(
        tcp4(SERVER, INTERNET, 33000, 443),
        SERVER_MAC,
        GROUP,
        vec![(0x8100, 30)],
    ));
    (net, trunk)
}

/// `examples/fig11.toml` compiled by the control plane, with the hash polynomial of the
/// simulated build (a build choice the configuration must match).
pub fn config() -> flowdist_model::tables::DataPlaneConfig {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/fig11.toml");
    let cfg = flowdist_control::config::Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut dp = flowdist_control::compile::compile(&cfg, 64)
        .unwrap_or_else(|e| panic!("{e}"))
        .data_plane();
    dp.hash.poly = crate::parser_harness::built_poly();
    dp
}
