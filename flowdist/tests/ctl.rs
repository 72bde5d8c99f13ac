//! `flowdist ctl` against `flowdist live` between network namespaces (R10, R18).
//!
//! ```text
//!   namespace client                root namespace                 namespace tm
//!   c0 (the network side)  ===veth=== d0 [flowdist live] d1 ===veth=== t0 (trunk: management
//!                                     port 0          port 1             port, TMs' VLANs)
//! ```
//!
//! The configuration is FIG. 11 (`examples/fig11.toml`) with `management_ports = [1]` and a
//! peer added to its `[control]`. From the trunk side `flowdist ctl` reads the counters (they count the client's
//! frames), rewrites the client's bucket and sees its frames go to another TM, and sends a
//! TM's memorize / forget; from the network side the same requests get no reply and are
//! counted as rejected. IPv6 is off in both namespaces so that the kernels send nothing of
//! their own and the counters count exactly the test's frames. Needs root; skipped otherwise.
use flowdist_control::compile::hash_key;
use flowdist_model::key_hasher::key_hash;
mod common;

use common::{cannot_run, ip, root, Live};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

const GROUP: &str = "02:00:00:00:05:05";
const GROUP_MAC: [u8; 6] = [2, 0, 0, 0, 5, 5];
const CLIENT_MAC: [u8; 6] = [2, 0, 0, 0, 1, 0];
const CLIENT_IP: [u8; 4] = [12, 228, 54, 3];
const VIP: [u8; 4] = [168, 33, 20, 1];

struct Net {
    client: String,
    tm: String,
    c0: String,
    d0: String,
    t0: String,
    d1: String,
    config: PathBuf,
}

impl Net {
    /// A new set-up, or `None` (said why) where the test cannot run (not root).
    fn ready(tag: char) -> Option<Net> {
        if let Some(why) = cannot_run() {
            println!("{why}");
            return None;
        }
        let net = Net::new(tag);
        net.set_up();
        Some(net)
    }

    /// FIG. 11 (`examples/fig11.toml`) with `extra` lines at the top of its `[control]`
    /// section, written to the test's configuration file: the configuration, its tables,
    /// and the client's bucket (FIG. 11 hashes on the client's address).
    fn fig11_with(
        &self,
        extra: &str,
    ) -> (flowdist_control::Config, flowdist_control::Tables, usize) {
        let text = std::fs::read_to_string(root().join("examples/fig11.toml")).unwrap();
        let text = text.replacen("[control]\n", &format!("[control]\n{extra}"), 1);
        std::fs::write(&self.config, &text).unwrap();
        let cfg = flowdist_control::Config::from_toml_str(&text).unwrap();
        let tables = flowdist_control::compile(&cfg, 64).unwrap();
        let bucket = tables.bucket_of(key_hash(
            tables.hash.poly,
            &hash_key(&tables.hash, u32::from_be_bytes(CLIENT_IP), None, None),
        ));
        (cfg, tables, bucket)
    }

    /// Names of its own for test `tag` (one letter: the tests run side by side).
    fn new(tag: char) -> Net {
        let id = format!("{}{tag}", std::process::id());
        let n = Net {
            client: format!("fdc{id}c"),
            tm: format!("fdc{id}t"),
            c0: format!("fdc{id}c0"),
            d0: format!("fdc{id}d0"),
            t0: format!("fdc{id}t0"),
            d1: format!("fdc{id}d1"),
            config: std::env::temp_dir().join(format!("flowdist-ctl-{id}.toml")),
        };
        n.teardown();
        n
    }

    fn set_up(&self) {
        for ns in [&self.client, &self.tm] {
            ip(&["netns", "add", ns]);
            for k in ["all", "default"] {
                let o = Command::new("ip")
                    .args(["netns", "exec", ns, "sysctl", "-qw"])
                    .arg(format!("net.ipv6.conf.{k}.disable_ipv6=1"))
                    .output()
                    .unwrap();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            }
        }
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
        ip(&[
            "-n",
            &self.client,
            "link",
            "set",
            &self.c0,
            "address",
            "02:00:00:00:01:00",
            "up",
        ]);
        ip(&["-n", &self.tm, "link", "set", &self.t0, "up"]);
    }

    fn teardown(&self) {
        for ns in [&self.client, &self.tm] {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
        for l in [&self.d0, &self.d1] {
            let _ = Command::new("ip")
                .args(["link", "del", l])
                .stderr(Stdio::null())
                .output();
        }
        let _ = std::fs::remove_file(&self.config);
    }

    /// `flowdist ctl ARGS` run in namespace `ns`.
    fn ctl(&self, ns: &str, args: &[&str]) -> Output {
        Command::new("ip")
            .args(["netns", "exec", ns, env!("CARGO_BIN_EXE_flowdist"), "ctl"])
            .args(args)
            .current_dir(root())
            .output()
            .unwrap()
    }

    /// `flowdist ctl --iface t0 ARGS` from the management port; must succeed; its stdout.
    fn manage(&self, args: &[&str]) -> String {
        let o = self.ctl(
            &self.tm,
            &[&["--iface", self.t0.as_str(), "--dst", GROUP], args].concat(),
        );
        assert!(
            o.status.success(),
            "flowdist ctl {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    /// Counter `name` of `port`, read with `flowdist ctl counters --json`.
    fn counter(&self, port: u8, name: &str) -> u64 {
        let out = self.manage(&["--json", "counters", "--port", &port.to_string()]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .find(|c| c["counter"] == name)
            .unwrap_or_else(|| panic!("no counter {name}: {out}"))["value"]
            .as_u64()
            .unwrap()
    }
}

impl Net {
    /// The bridge's live stations, (MAC, port), read with `flowdist ctl stations --json`.
    fn stations(&self) -> Vec<(String, u64)> {
        let out = self.manage(&["--json", "stations"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["mac"].as_str().unwrap().to_string(),
                    s["port"].as_u64().unwrap(),
                )
            })
            .collect()
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        self.teardown();
    }
}

fn enter(ns: &str) {
    let f = std::fs::File::open(format!("/var/run/netns/{ns}")).unwrap();
    // SAFETY: a valid namespace file descriptor
    let r = unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) };
    assert_eq!(r, 0, "setns {ns}: {}", std::io::Error::last_os_error());
}

type Tx = Box<dyn pnet_datalink::DataLinkSender>;
type Rx = Box<dyn pnet_datalink::DataLinkReceiver>;

/// Every frame seen on interface `iface` until `stop`; returns once it is listening.
fn sniff(iface: &str, stop: &Arc<AtomicBool>) -> std::thread::JoinHandle<Vec<Vec<u8>>> {
    let (ready_tx, ready) = mpsc::channel::<()>();
    let (iface, stop) = (iface.to_string(), stop.clone());
    let h = std::thread::spawn(move || {
        let (_tx, mut rx) = channel(&iface);
        ready_tx.send(()).unwrap();
        let mut seen = Vec::new();
        while !stop.load(Ordering::SeqCst) {
            if let Ok(f) = rx.next() {
                seen.push(f.to_vec());
            }
        }
        seen
    });
    ready.recv_timeout(Duration::from_secs(5)).unwrap();
    h
}

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

/// A TCP SYN from the client to the virtual address (port 80), source port `sport`.
fn syn(sport: u16) -> Vec<u8> {
    let mut f = [GROUP_MAC, CLIENT_MAC].concat();
    f.extend([8, 0, 0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0]);
    f.extend(CLIENT_IP);
    f.extend(VIP);
    f.extend(sport.to_be_bytes());
    f.extend([
        0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xFF, 0xFF, 0, 0, 0, 0,
    ]);
    let mut sum = 0u32;
    for c in f[14..34].chunks(2) {
        sum += u32::from(u16::from_be_bytes([c[0], c[1]]));
    }
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    f[24..26].copy_from_slice(&(!(sum as u16)).to_be_bytes());
    f
}

/// Sends `n` SYNs from the client's interface.
fn send_syns(net: &Net, n: u16, first_port: u16) {
    let (ns, c0) = (net.client.clone(), net.c0.clone());
    std::thread::spawn(move || {
        enter(&ns);
        let (mut tx, _rx) = channel(&c0);
        for i in 0..n {
            tx.send_to(&syn(first_port + i), None).unwrap().unwrap();
        }
    })
    .join()
    .unwrap();
}

/// Waits (up to 5 s) until `f` holds; whether it did.
fn eventually(mut f: impl FnMut() -> bool) -> bool {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(5) {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    f()
}

#[test]
fn ctl_reads_counters_moves_a_bucket_signals_and_is_refused_from_the_network_side() {
    let Some(net) = Net::ready('m') else { return };
    let (cfg, tables, bucket) =
        net.fig11_with("management_ports = [1]\npeers = [\"02:00:00:00:05:06\"]\n");
    let tm = tables.buckets[bucket].primary;
    let other = (tm + 1) % 4;

    // what the distributor sends on d1 (tags included), and what comes in on d0 from the
    // network side
    let stop = Arc::new(AtomicBool::new(false));
    let trunk = sniff(&net.d1, &stop);
    let network = sniff(&net.d0, &stop);

    let ports = format!("{},{}", net.d0, net.d1);
    let live = Live::start(
        &[
            "--config",
            net.config.to_str().unwrap(),
            "--ports",
            &ports,
            "--seconds",
            "120",
        ],
        Duration::from_secs(5),
    );

    // registers read back as configured
    let out = net.manage(&[
        "read",
        "group_mac_lo",
        "group_mac_hi",
        "bucket_bits",
        "tm_up",
    ]);
    assert_eq!(
        out,
        "0x3000 = 0x00000505\n0x3001 = 0x00000200\n0x3006 = 0x0000000c\n0x3003 = 0x0000000f\n"
    );

    // counters count the client's frames, all to the client's TM
    let rx0 = net.counter(0, "rx_frames");
    let to_tm = net.counter(0, &format!("to_tm_{tm}"));
    send_syns(&net, 5, 40000);
    assert!(
        eventually(|| net.counter(0, "rx_frames") >= rx0 + 5),
        "the distributor did not count 5 frames on port 0"
    );
    assert_eq!(net.counter(0, "rx_frames"), rx0 + 5);
    assert_eq!(net.counter(0, &format!("to_tm_{tm}")), to_tm + 5);
    assert!(net.counter(1, "tx_frames") >= 5);

    // the bridge heard the client on port 0, and this management host on port 1
    let st = net.stations();
    assert!(st.contains(&("02:00:00:00:01:00".into(), 0)), "{st:?}");
    assert!(st.iter().any(|s| s.1 == 1), "{st:?}");

    // the client's bucket to another TM: its frames follow
    let addr = format!("{:#06x}", 0x1000 + bucket);
    let value = u32::from(other) | u32::from(other) << 4;
    let out = net.manage(&["write", &format!("{addr}={value:#x}")]);
    assert_eq!(out, format!("{addr} = {value:#010x}\n"));
    let to_other = net.counter(0, &format!("to_tm_{other}"));
    send_syns(&net, 3, 41000);
    assert!(
        eventually(|| net.counter(0, &format!("to_tm_{other}")) == to_other + 3),
        "the frames did not move to TM {other}"
    );
    assert_eq!(net.counter(0, &format!("to_tm_{tm}")), to_tm + 5);

    // a TM's signals: sent as tm-421 (its MAC, on its VLAN) from the trunk
    let key = "12.228.54.3:40000-168.33.20.1:80/tcp";
    let cfgp = net.config.to_str().unwrap();
    let sig = |op: &str| {
        net.ctl(
            &net.tm,
            &[
                "--iface", &net.t0, "--config", cfgp, op, key, "--tm", "tm-421",
            ],
        )
    };
    let o = sig("memorize");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "memorize 12.228.54.3:40000-168.33.20.1:80/6@0 (TM 1): ok\n"
    );
    let o = sig("forget");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = sig("forget");
    assert!(!o.status.success(), "forgot a key twice");
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("not_found"), "{e}");
    // related flows: a second key pinned to the first key's TM (then forgotten: it was there)
    let related = "12.228.54.3:40001-168.33.20.1:443/tcp";
    assert!(sig("memorize").status.success());
    let o = net.ctl(
        &net.tm,
        &[
            "--iface", &net.t0, "--config", cfgp, "relate", key, related, "--tm", "tm-421",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "relate 12.228.54.3:40001-168.33.20.1:443/6@0 to 12.228.54.3:40000-168.33.20.1:80/6@0 (TM 1): ok\n",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let forget = |k: &str| {
        net.ctl(
            &net.tm,
            &[
                "--iface", &net.t0, "--config", cfgp, "forget", k, "--tm", "tm-421",
            ],
        )
    };
    assert!(forget(related).status.success());
    assert!(forget(key).status.success());
    // a peer mirrors an entry (from its MAC on the trunk); a TM then forgets it
    let mirrored = "12.228.54.9:5000-168.33.20.1:80/tcp";
    let o = net.ctl(
        &net.tm,
        &[
            "--iface",
            &net.t0,
            "--dst",
            GROUP,
            "--src",
            "02:00:00:00:05:06",
            "mirror",
            mirrored,
            "--tm",
            "2",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(forget(mirrored).status.success());

    // the same signal from the management port's own MAC: not a TM
    let o = net.ctl(
        &net.tm,
        &[
            "--iface", &net.t0, "--dst", GROUP, "memorize", key, "--tm", "1",
        ],
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("not_permitted"));

    // from the network side: no reply to a read or a write, and the write not done
    for req in [&["read", "0x3000"][..], &["write", &format!("{addr}=0")]] {
        let o = net.ctl(
            &net.client,
            &[
                &["--iface", net.c0.as_str(), "--dst", GROUP, "--tries", "2"],
                req,
            ]
            .concat(),
        );
        assert!(!o.status.success(), "answered from the network side");
        let e = String::from_utf8_lossy(&o.stderr);
        let want = format!("no reply from {GROUP} on {} after 2 tries", net.c0);
        assert!(e.contains(&want), "{e}");
    }
    assert_eq!(
        net.manage(&["read", &addr]),
        format!("{addr} = {value:#010x}\n")
    );

    // push the configuration: the bucket is the configuration's again
    let out = net.manage(&["push", "--config", cfgp]);
    assert!(out.starts_with(&format!("pushed {cfgp}: ")), "{out}");
    let b = tables.buckets[bucket];
    let orig = u32::from(b.primary) | u32::from(b.backup) << 4;
    assert_eq!(
        net.manage(&["read", &addr]),
        format!("{addr} = {orig:#010x}\n")
    );
    let json = net.manage(&["--json", "read", "0x2000", "0x2001", "actions"]);
    let words: serde_json::Value = serde_json::from_str(&json).unwrap();
    let tm0 = tables.tms[0].words();
    assert_eq!(words[0]["value"], tm0[0]);
    assert_eq!(words[1]["value"], tm0[1]);
    assert_eq!(words[2]["value"], tables.actions.pack());

    // drain the client's TM: its buckets go to their backups, it stays up
    let name = cfg.tms[usize::from(tm)].name.clone();
    let out = net.manage(&["--config", cfgp, "tm", "drain", &name]);
    let share = tables.buckets.iter().filter(|x| x.primary == tm).count();
    assert!(
        out.starts_with(&format!("TM {tm} drained: {share} buckets moved")),
        "{out}"
    );
    let drained = u32::from(b.backup) | u32::from(b.backup) << 4;
    assert_eq!(
        net.manage(&["read", &addr]),
        format!("{addr} = {drained:#010x}\n")
    );
    assert_eq!(net.manage(&["read", "tm_up"]), "0x3003 = 0x0000000f\n");
    let to_backup = net.counter(0, &format!("to_tm_{}", b.backup));
    send_syns(&net, 2, 42000);
    assert!(
        eventually(|| net.counter(0, &format!("to_tm_{}", b.backup)) == to_backup + 2),
        "new flows did not go to the backup TM {}",
        b.backup
    );
    net.manage(&["push", "--config", cfgp]);

    // tm down and up
    let out = net.manage(&["tm", "down", &other.to_string()]);
    assert!(out.contains("down"), "{out}");
    assert_eq!(
        net.manage(&["read", "tm_up"]),
        format!("0x3003 = {:#010x}\n", 0xF & !(1 << other))
    );
    net.manage(&["tm", "up", &other.to_string()]);
    assert_eq!(net.manage(&["read", "tm_up"]), "0x3003 = 0x0000000f\n");

    stop.store(true, Ordering::SeqCst);
    let seen = trunk.join().unwrap();
    // the network side's requests: each sent twice, the retry the same frame (same seq)
    let requests: Vec<Vec<u8>> = network
        .join()
        .unwrap()
        .into_iter()
        .filter(|f| f.len() >= 22 && f[12..14] == [0x88, 0xB5])
        .collect();
    assert_eq!(requests.len(), 4, "{requests:02x?}");
    assert_eq!(requests[0], requests[1], "a retry is the same request");
    assert_eq!(requests[2], requests[3], "a retry is the same request");
    assert_eq!(requests[0][15], 0x01, "read");
    assert_eq!(requests[2][15], 0x02, "write");
    let summary = live.stop();
    // 2 requests x 2 tries from the network side; one forget of an absent key and one
    // memorize from a non-TM MAC answered with errors
    assert!(
        summary.contains("control requests: ")
            && summary.contains(" accepted, 4 rejected, 2 errors"),
        "{summary}"
    );

    // on the trunk: the first SYNs tagged with the client's TM's VLAN, the later with the other's
    let tagged_syns: Vec<(u16, u16)> = seen
        .iter()
        .filter(|f| f.len() >= 58 && f[12..14] == [0x81, 0] && f[16..18] == [8, 0])
        .filter(|f| f[6..12] == CLIENT_MAC && f[34..38] == VIP)
        .map(|f| {
            (
                u16::from_be_bytes([f[14], f[15]]) & 0xFFF,
                u16::from_be_bytes([f[38], f[39]]),
            )
        })
        .collect();
    let vlan = |t: u8| 420 + u16::from(t);
    assert_eq!(
        tagged_syns
            .iter()
            .filter(|(v, p)| *v == vlan(tm) && (40000..40005).contains(p))
            .count(),
        5,
        "{tagged_syns:?}"
    );
    assert_eq!(
        tagged_syns
            .iter()
            .filter(|(v, p)| *v == vlan(other) && (41000..41003).contains(p))
            .count(),
        3,
        "{tagged_syns:?}"
    );
    drop(net);
}

/// `flowdist ctl` against the RTL core itself (`flowdist live --sim`: Verilator behind the
/// same veth pairs): the counters it reads count the client's frames, a TM's memorize,
/// forget and relate are answered by the hardware's control port, a second forget is
/// not_found, and the network side gets no reply (counted rejected). Register reads are not
/// done by the RTL yet: answered bad_op.
#[cfg(feature = "sim")]
#[test]
fn ctl_against_the_rtl_core() {
    let Some(net) = Net::ready('r') else { return };
    let (_, tables, bucket) = net.fig11_with("management_ports = [1]\n");
    let tm = tables.buckets[bucket].primary;

    let ports = format!("{},{}", net.d0, net.d1);
    let live = Live::start(
        &[
            "--sim",
            "--config",
            net.config.to_str().unwrap(),
            "--ports",
            &ports,
            "--seconds",
            "300",
        ],
        Duration::from_secs(30),
    );

    // the RTL's counters count the client's frames, all to the client's TM
    let rx0 = net.counter(0, "rx_frames");
    let to_tm = net.counter(0, &format!("to_tm_{tm}"));
    send_syns(&net, 4, 40000);
    assert!(
        eventually(|| net.counter(0, "rx_frames") >= rx0 + 4),
        "the RTL did not count 4 frames on port 0"
    );
    assert_eq!(net.counter(0, "rx_frames"), rx0 + 4);
    assert_eq!(net.counter(0, &format!("to_tm_{tm}")), to_tm + 4);

    // the RTL's MAC table, read by its control port: the client on port 0, this management
    // host on port 1
    let st = net.stations();
    assert!(st.contains(&("02:00:00:00:01:00".into(), 0)), "{st:?}");
    assert!(st.iter().any(|s| s.1 == 1), "{st:?}");

    // a TM's signals, answered by the RTL's control port
    let key = "12.228.54.3:40000-168.33.20.1:80/tcp";
    let related = "12.228.54.3:40001-168.33.20.1:443/tcp";
    let cfgp = net.config.to_str().unwrap();
    let sig = |args: &[&str]| {
        net.ctl(
            &net.tm,
            &[
                &["--iface", net.t0.as_str(), "--config", cfgp],
                args,
                &["--tm", "tm-421"],
            ]
            .concat(),
        )
    };
    let o = sig(&["memorize", key]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "memorize 12.228.54.3:40000-168.33.20.1:80/6@0 (TM 1): ok\n"
    );
    let o = sig(&["relate", key, related]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "relate 12.228.54.3:40001-168.33.20.1:443/6@0 to 12.228.54.3:40000-168.33.20.1:80/6@0 (TM 1): ok\n",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(sig(&["forget", related]).status.success());
    assert!(sig(&["forget", key]).status.success());
    let o = sig(&["forget", key]);
    assert!(!o.status.success(), "forgot a key twice");
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("not_found"), "{e}");

    // register reads: not in the RTL yet
    let o = net.ctl(
        &net.tm,
        &["--iface", &net.t0, "--dst", GROUP, "read", "group_mac_lo"],
    );
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("bad_op"), "{e}");

    // from the network side: no reply
    let o = net.ctl(
        &net.client,
        &[
            "--iface", &net.c0, "--dst", GROUP, "--tries", "2", "counters", "--port", "0",
        ],
    );
    assert!(!o.status.success(), "answered from the network side");
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("no reply"), "{e}");

    let summary = live.stop();
    // 2 tries from the network side rejected; forget of an absent key and the read errors;
    // the SYNs' flows learned (FIG. 11 learns by default), the one memorized then forgotten:
    // 3 left
    assert!(
        summary.contains(" accepted, 2 rejected, 2 errors; 3 connections tracked"),
        "{summary}"
    );
}
