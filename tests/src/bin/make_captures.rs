//! Writes the generated captures under `tests/data/` (deterministic: same files every run).
//! `cargo run -p flowdist-tests --bin make_captures`
use flowdist_tests::frames::{
    apply, frame_strategy, mutation_strategy, tcp4, Frame, Mutation, L3, L4,
};
use flowdist_tests::pcap::write_frames;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    std::fs::create_dir_all(&dir).unwrap();

    // hand-made: one of each kind, then each malformation of a TCP frame
    let base = tcp4(0x0A00_0001, 0xC0A8_0A0A, 40000, 443);
    let mut kinds: Vec<Frame> = vec![base.clone()];
    let mut udp = base.clone();
    udp.l3 = L3::V4 {
        src: 0x0A00_0002,
        dst: 0x0808_0808,
        ttl: 63,
        ident: 7,
        frag: 0,
        options: vec![],
        proto: 17,
        l4: L4::Udp {
            sport: 5353,
            dport: 53,
        },
    };
    kinds.push(udp);
    let mut opt = base.clone();
    opt.l3 = L3::V4 {
        src: 0x0A00_0003,
        dst: 0xC0A8_0A0A,
        ttl: 1,
        ident: 9,
        frag: 0x4000,
        options: vec![0x94, 0x04, 0, 0],
        proto: 6,
        l4: L4::Tcp {
            sport: 1,
            dport: 2,
            seq: 3,
            flags: 0x10,
        },
    };
    kinds.push(opt);
    let mut v6 = base.clone();
    v6.l3 = L3::V6 {
        src: 0x2001_0db8 << 96 | 0x10,
        dst: 0x2001_0db8 << 96 | 0x20,
        hop: 64,
        next: 6,
        l4: L4::Tcp {
            sport: 50000,
            dport: 80,
            seq: 1,
            flags: 0x02,
        },
    };
    kinds.push(v6);
    let mut arp = base.clone();
    arp.dst = 0xFFFF_FFFF_FFFF;
    arp.l3 = L3::Arp {
        oper: 1,
        sha: 0x0200_0000_0002,
        spa: 0x0A00_0001,
        tha: 0,
        tpa: 0x0A00_00FE,
    };
    kinds.push(arp);
    let mut qinq = base.clone();
    qinq.tags = vec![(0x88A8, 100), (0x8100, 200)];
    kinds.push(qinq);
    let mut frag = base.clone();
    frag.l3 = L3::V4 {
        src: 0x0A00_0004,
        dst: 0xC0A8_0A0A,
        ttl: 64,
        ident: 77,
        frag: 0x00B9,
        options: vec![],
        proto: 17,
        l4: L4::Other,
    };
    kinds.push(frag);
    let mut frames: Vec<Vec<u8>> = kinds.iter().map(|f| f.bytes()).collect();
    for m in [
        Mutation::Truncate(20),
        Mutation::Truncate(40),
        Mutation::Flip(14, 0x10),
        Mutation::Flip(24, 0xFF),
        Mutation::BadFcs(1),
        Mutation::Pad(1530),
    ] {
        frames.push(apply(&base, &m));
    }
    write_frames(&dir.join("kinds.pcap"), &frames).unwrap();

    // generated: 500 frames from the proptest generators, fixed seed
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7u8; 32]),
    );
    let strat = (frame_strategy(), mutation_strategy()).prop_map(|(f, m)| apply(&f, &m));
    let mixed: Vec<Vec<u8>> = (0..500)
        .map(|_| strat.new_tree(&mut runner).unwrap().current())
        .collect();
    write_frames(&dir.join("mixed.pcap"), &mixed).unwrap();
    println!(
        "wrote {} and {} frames to {}",
        frames.len(),
        mixed.len(),
        dir.display()
    );

    // FIG. 11 (examples/fig11.toml): what each port of the distributor receives
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let (net, trunk) = flowdist_tests::fig11::captures();
    write_frames(&ex.join("fig11-network.pcap"), &net).unwrap();
    write_frames(&ex.join("fig11-trunk.pcap"), &trunk).unwrap();
    println!(
        "wrote {} + {} FIG. 11 frames to {}",
        net.len(),
        trunk.len(),
        ex.display()
    );
}
