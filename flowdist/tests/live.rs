//! `flowdist live` between real Linux network stacks: two network namespaces joined to the
//! distributor by veth pairs.
//!
//! ```text
//!   namespace client                root namespace                 namespace tm
//!   c0 12.228.54.3/24 ===veth=== d0 [flowdist live] d1 ===veth=== t0 (the TMs' trunk,
//!   (route 168.33.20.0/24 on-link)   port 0       port 1             VLANs 420..423)
//! ```
//!
//! The kernel strips a received VLAN tag from the frame a packet socket reads (and this
//! machine's kernel has no 8021q for VLAN devices), so the tag a frame left on is read where
//! it is still in the frame: on d1, where the distributor sent it.
//!
//! The client's kernel ARPs for the virtual address 168.33.20.1 (FIG. 11) and must learn the
//! group MAC from the distributor's answer (R7); its TCP SYN must reach the TM the model
//! hashes it to, on that TM's VLAN; the TM's answer (from a server MAC, tagged with the TM's
//! VLAN) must come back untagged from the group MAC, and the client's connect() succeed.
//! Every frame that arrives is compared byte for byte with the model's prediction for the
//! frame that went in. Needs root (namespaces, raw sockets); skipped otherwise.
mod common;

use common::{cannot_run, ip, root, Live};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

const GROUP_MAC: [u8; 6] = [2, 0, 0, 0, 5, 5];
const CLIENT_MAC: [u8; 6] = [2, 0, 0, 0, 1, 0];
/// An origin server behind the TMs: not a TM's MAC, so only its VLAN tag tells the
/// distributor that its frames come from a TM.
const SERVER_MAC: [u8; 6] = [2, 0, 0, 0, 0x30, 1];
/// A host on the root namespace's side of d0, for frames sent out of d0 (not received).
const PROBE_MAC: [u8; 6] = [2, 0, 0, 0, 0x0e, 0x0e];
const CLIENT_IP: [u8; 4] = [12, 228, 54, 3];
const VIP: [u8; 4] = [168, 33, 20, 1];

/// The namespaces and links of one run (names carry the process id); deleted on drop, so
/// also when the test fails.
struct Net {
    client: String,
    tm: String,
    c0: String,
    d0: String,
    t0: String,
    d1: String,
    /// The distributor's decision log.
    log: PathBuf,
}

impl Net {
    fn new() -> Net {
        let id = std::process::id();
        let n = Net {
            client: format!("fdl{id}c"),
            tm: format!("fdl{id}t"),
            c0: format!("fdl{id}c0"),
            d0: format!("fdl{id}d0"),
            t0: format!("fdl{id}t0"),
            d1: format!("fdl{id}d1"),
            log: std::env::temp_dir().join(format!("flowdist-live-{id}.jsonl")),
        };
        n.teardown(); // leftovers of a killed run with the same id
        n
    }

    fn set_up(&self) {
        let mac = |m: [u8; 6]| {
            m.iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(":")
        };
        ip(&["netns", "add", &self.client]);
        ip(&["netns", "add", &self.tm]);
        ip(&[
            "link", "add", &self.c0, "type", "veth", "peer", "name", &self.d0,
        ]);
        ip(&[
            "link", "add", &self.t0, "type", "veth", "peer", "name", &self.d1,
        ]);
        ip(&["link", "set", &self.c0, "netns", &self.client]);
        ip(&["link", "set", &self.t0, "netns", &self.tm]);
        ip(&["link", "set", &self.d0, "up"]);
        ip(&["link", "set", &self.d1, "up"]);
        let c = ["-n", self.client.as_str()];
        ip(&[
            &c[..],
            &["link", "set", &self.c0, "address", &mac(CLIENT_MAC), "up"],
        ]
        .concat());
        ip(&[&c[..], &["addr", "add", "12.228.54.3/24", "dev", &self.c0]].concat());
        // the virtual address on-link: the client's kernel ARPs for it itself
        ip(&[&c[..], &["route", "add", "168.33.20.0/24", "dev", &self.c0]].concat());
        ip(&["-n", &self.tm, "link", "set", &self.t0, "up"]);
    }

    fn teardown(&self) {
        // deleting a namespace deletes its veth ends and with them the peers; the explicit
        // deletes cover a half-built set-up
        for ns in [&self.client, &self.tm] {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
        for l in [&self.d0, &self.d1, &self.c0, &self.t0] {
            let _ = Command::new("ip")
                .args(["link", "del", l])
                .stderr(Stdio::null())
                .output();
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        self.teardown();
    }
}

/// Moves the calling thread into namespace `ns` (network namespaces are per thread).
fn enter(ns: &str) {
    let f = std::fs::File::open(format!("/var/run/netns/{ns}"))
        .unwrap_or_else(|e| panic!("namespace {ns}: {e}"));
    // SAFETY: a valid namespace file descriptor
    let r = unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) };
    assert_eq!(r, 0, "setns {ns}: {}", std::io::Error::last_os_error());
}

type Tx = Box<dyn pnet_datalink::DataLinkSender>;
type Rx = Box<dyn pnet_datalink::DataLinkReceiver>;

/// A pnet channel on interface `name` of the calling thread's namespace.
fn channel(name: &str) -> (Tx, Rx) {
    let iface = pnet_datalink::interfaces()
        .into_iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("no interface {name}"));
    let config = pnet_datalink::Config {
        read_timeout: Some(Duration::from_millis(20)),
        ..Default::default()
    };
    match pnet_datalink::channel(&iface, config) {
        Ok(pnet_datalink::Channel::Ethernet(tx, rx)) => (tx, rx),
        Ok(_) => panic!("{name}: not Ethernet"),
        Err(e) => panic!("{name}: {e}"),
    }
}

fn checksum(data: &[u8], mut sum: u32) -> u16 {
    for c in data.chunks(2) {
        sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
    }
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}

fn is_tcp_syn_to_vip(f: &[u8]) -> bool {
    f.len() >= 54
        && f[12..14] == [8, 0]
        && f[23] == 6
        && f[30..34] == VIP
        && f[36..38] == 80u16.to_be_bytes()
        && f[47] & 0x12 == 0x02
}

/// The SYN-ACK server 168.33.20.1:80 sends for `syn` (an untagged frame).
fn syn_ack(syn: &[u8]) -> Vec<u8> {
    let tcp = 14 + usize::from(syn[14] & 0xF) * 4;
    let client_port = &syn[tcp..tcp + 2];
    let seq = u32::from_be_bytes(syn[tcp + 4..tcp + 8].try_into().unwrap());
    let mut f = Vec::new();
    f.extend(CLIENT_MAC);
    f.extend(SERVER_MAC);
    f.extend([8, 0]);
    f.extend([0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0]);
    f.extend(VIP);
    f.extend(CLIENT_IP);
    let c = checksum(&f[14..34], 0);
    f[24..26].copy_from_slice(&c.to_be_bytes());
    f.extend(80u16.to_be_bytes());
    f.extend(client_port);
    f.extend(1000u32.to_be_bytes());
    f.extend(seq.wrapping_add(1).to_be_bytes());
    f.extend([5 << 4, 0x12, 0xFF, 0xFF, 0, 0, 0, 0]);
    // pseudo-header: addresses, protocol, TCP length
    let mut pseudo = 6u32 + 20;
    for w in f[26..34].chunks(2) {
        pseudo += u32::from(u16::from_be_bytes([w[0], w[1]]));
    }
    let c = checksum(&f[34..54], pseudo);
    f[50..52].copy_from_slice(&c.to_be_bytes());
    f
}

/// `f` as it is on the wire with an 802.1Q tag `vid`.
fn tagged(f: &[u8], vid: u16) -> Vec<u8> {
    let mut t = f.to_vec();
    t.splice(12..12, [0x81, 0, (vid >> 8) as u8, vid as u8]);
    t
}

/// The model's prediction for `frame` (as Linux hands it over, no FCS) arriving on
/// `ingress`: the egress port and the frame without FCS, or None when it sends nothing.
fn predict(
    cfg: &flowdist_model::tables::DataPlaneConfig,
    frame: &[u8],
    ingress: u8,
) -> Option<(u8, Vec<u8>)> {
    let mut f = frame.to_vec();
    f.resize(f.len().max(60), 0);
    let f = flowdist_model::fcs_checker::with_fcs(&f);
    let out = flowdist_model::ingress_port::ingress_outputs(&[f], ingress, cfg);
    out.into_iter()
        .next()
        .map(|(p, o)| (p, o[..o.len() - 4].to_vec()))
}

#[test]
fn live_between_namespaces_answers_arp_and_distributes_as_the_model() {
    if let Some(why) = cannot_run() {
        println!("{why}");
        return;
    }
    let started = Instant::now();
    let net = Net::new();
    net.set_up();
    let c = flowdist_control::config::Config::load(root().join("examples/fig11.toml")).unwrap();
    let cfg = flowdist_control::compile::compile(&c, 64)
        .unwrap()
        .data_plane();
    let stop = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready) = mpsc::channel::<()>();

    // everything seen on the client's interface, both directions
    let client_cap = {
        let (ns, c0, stop, ready) = (
            net.client.clone(),
            net.c0.clone(),
            stop.clone(),
            ready_tx.clone(),
        );
        std::thread::spawn(move || {
            enter(&ns);
            let (_tx, mut rx) = channel(&c0);
            ready.send(()).unwrap();
            let mut seen = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                if let Ok(f) = rx.next() {
                    seen.push(f.to_vec());
                }
            }
            seen
        })
    };
    // FIG. 11 hashes on the client's address alone: the model's TM (and VLAN) for this
    // client, which the TM side answers on
    let vid = {
        let mut syn = [GROUP_MAC, CLIENT_MAC].concat();
        syn.extend([8, 0, 0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0]);
        syn.extend(CLIENT_IP);
        syn.extend(VIP);
        syn.extend([
            0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xFF, 0xFF, 0, 0, 0, 0,
        ]);
        let c = checksum(&syn[14..34], 0);
        syn[24..26].copy_from_slice(&c.to_be_bytes());
        let (_, f) = predict(&cfg, &syn, 0).expect("the model sends a SYN to a TM");
        assert_eq!(f[12..14], [0x81, 0], "FIG. 11 delivers by VLAN: {f:02x?}");
        u16::from_be_bytes([f[14], f[15]]) & 0xFFF
    };
    // the TMs' side of the trunk: every frame seen; the first SYN for the virtual address is
    // answered by "the server" through the TM, tagged with its VLAN; returns the frames seen
    // and the answer as it went on the wire
    let tm = {
        let (ns, t0, stop, ready) = (
            net.tm.clone(),
            net.t0.clone(),
            stop.clone(),
            ready_tx.clone(),
        );
        std::thread::spawn(move || {
            enter(&ns);
            let (mut tx, mut rx) = channel(&t0);
            ready.send(()).unwrap();
            let mut seen = Vec::new();
            let mut answered = None;
            while !stop.load(Ordering::SeqCst) {
                let Ok(f) = rx.next() else { continue };
                let f = f.to_vec();
                if answered.is_none() && is_tcp_syn_to_vip(&f) {
                    let a = tagged(&syn_ack(&f), vid);
                    tx.send_to(&a, None).unwrap().unwrap();
                    answered = Some(a);
                }
                seen.push(f);
            }
            (seen, answered)
        })
    };
    // what the distributor sent on d1, tags included (and what came in there, untagged)
    let trunk_cap = {
        let (d1, stop, ready) = (net.d1.clone(), stop.clone(), ready_tx);
        std::thread::spawn(move || {
            let (_tx, mut rx) = channel(&d1);
            ready.send(()).unwrap();
            let mut seen = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                if let Ok(f) = rx.next() {
                    seen.push(f.to_vec());
                }
            }
            seen
        })
    };
    ready.recv_timeout(Duration::from_secs(5)).unwrap();
    ready.recv_timeout(Duration::from_secs(5)).unwrap();
    ready.recv_timeout(Duration::from_secs(5)).unwrap();

    let log = net.log.clone();
    let ports = format!("{},{}", net.d0, net.d1);
    let live = Live::start(
        &[
            "--config",
            "examples/fig11.toml",
            "--ports",
            &ports,
            "--seconds",
            "15",
            "--log",
            log.to_str().unwrap(),
        ],
        Duration::from_secs(5),
    );

    // a frame the root namespace sends out of d0 (an ARP request for the virtual address):
    // sent on port 0, not received there; the distributor must not answer it
    {
        let (mut tx, _rx) = channel(&net.d0);
        let mut arp = vec![0xFF; 6];
        arp.extend(PROBE_MAC);
        arp.extend([8, 6, 0, 1, 8, 0, 6, 4, 0, 1]);
        arp.extend(PROBE_MAC);
        arp.extend([12, 228, 54, 99, 0, 0, 0, 0, 0, 0]);
        arp.extend(VIP);
        tx.send_to(&arp, None).unwrap().unwrap();
    }

    // the client connects to the virtual address: ARP, SYN, and the SYN-ACK back
    let connected = {
        let ns = net.client.clone();
        std::thread::spawn(move || {
            enter(&ns);
            let addr = std::net::SocketAddr::from((VIP, 80));
            std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(3)).map(|_| ())
        })
        .join()
        .unwrap()
    };
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::SeqCst);
    let client_seen = client_cap.join().unwrap();
    let (tm_seen, answered) = tm.join().unwrap();
    let trunk_seen = trunk_cap.join().unwrap();
    // Ctrl-C: a clean stop with the summary
    let summary = live.stop();
    assert!(summary.contains("on port 0"), "{summary}");
    assert!(summary.contains("arp_reply"), "{summary}");

    // R7: the client's kernel learnt the group MAC for the virtual address
    let neigh = Command::new("ip")
        .args(["-n", &net.client, "neigh", "show", "168.33.20.1"])
        .output()
        .unwrap();
    let neigh = String::from_utf8_lossy(&neigh.stdout);
    assert!(
        neigh.contains("02:00:00:00:05:05"),
        "client's ARP table: {neigh:?}"
    );

    // the ARP reply that reached the client is the model's answer to the client's request
    let request = client_seen
        .iter()
        .find(|f| {
            f.len() >= 42 && f[12..14] == [8, 6] && f[6..12] == CLIENT_MAC && f[38..42] == VIP
        })
        .expect("the client's ARP request");
    let (port, reply) = predict(&cfg, request, 0).expect("the model answers the ARP request");
    assert_eq!(
        port, 0,
        "an ARP reply goes back out of the port the request came in on"
    );
    assert!(
        client_seen.contains(&reply),
        "no ARP reply as the model's at the client"
    );

    // the SYN left on the trunk to the TM the model chose, on its VLAN, edited as the model
    // edits it, and reached the TM side
    let syn = client_seen
        .iter()
        .find(|f| f[6..12] == CLIENT_MAC && is_tcp_syn_to_vip(f))
        .expect("the client's SYN");
    assert_eq!(
        syn[0..6],
        GROUP_MAC,
        "the SYN goes to the MAC learnt by ARP"
    );
    let (port, want) = predict(&cfg, syn, 0).expect("the model sends the SYN on");
    assert_eq!(port, 1, "to the trunk");
    let tag = [0x81, 0, (vid >> 8) as u8, vid as u8];
    assert_eq!(want[12..16], tag, "VLAN delivery: {want:02x?}");
    assert!(
        trunk_seen.contains(&want),
        "no SYN as the model's on d1: {:02x?}",
        trunk_seen
            .iter()
            .filter(|f| f[12..14] == [0x81, 0])
            .collect::<Vec<_>>()
    );
    assert!(
        trunk_seen
            .iter()
            .all(|f| f[12..14] != [0x81, 0] || f == &want || f[16..] != want[16..]),
        "the SYN also left with another tag"
    );
    let untagged = [&want[..12], &want[16..]].concat();
    assert!(
        tm_seen.contains(&untagged),
        "the SYN did not reach the TM side"
    );

    // the answer through that TM came back to the client as the model predicts: tag popped,
    // source MAC the group MAC (R6), and the client's kernel accepted it
    let answer = answered.expect("the TM saw a SYN to answer");
    let (port, back) = predict(&cfg, &answer, 1).expect("the model sends the answer");
    assert_eq!(port, 0);
    assert_eq!(back[6..12], GROUP_MAC);
    assert!(
        client_seen.contains(&back),
        "the SYN-ACK did not reach the client as the model's"
    );
    connected.expect("the client's connect() through the distributor");

    // the decision log: the answer came in tagged (the kernel's stripped tag put back), and
    // nothing the root namespace or the distributor itself sent was processed as received
    let records: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        records
            .iter()
            .any(|r| r["ingress"] == 1 && r["kind"] == "outbound" && r["vlans"][0] == vid),
        "no tagged outbound frame in the log"
    );
    for r in &records {
        assert_ne!(
            r["src_mac"], "02:00:00:00:0e:0e",
            "a frame sent on d0 was processed: {r}"
        );
        assert_ne!(
            r["src_mac"], "02:00:00:00:05:05",
            "the distributor's own frame came back: {r}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    drop(net);
}
