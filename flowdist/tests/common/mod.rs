//! What the CLI tests share: the repository root, running the built `flowdist` there, a fresh
//! temporary folder, the frames of a pcap, and for the network-namespace tests (`live`,
//! `ctl`) whether they can run here and the `ip` command.
#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `flowdist ARGS` from the repository root.
pub fn flowdist(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_flowdist"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

/// An empty folder of this test process's own under the system's temporary folder.
pub fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("flowdist-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// The frames of a pcap file.
pub fn read(path: &Path) -> Vec<Vec<u8>> {
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut r = pcap_file::pcap::PcapReader::new(&data[..]).unwrap();
    let mut out = Vec::new();
    while let Some(p) = r.next_packet() {
        out.push(p.unwrap().data.into_owned());
    }
    out
}

/// Why this machine cannot run a network-namespace test, if it cannot.
pub fn cannot_run() -> Option<&'static str> {
    // SAFETY: plain system call
    if unsafe { libc::geteuid() } != 0 {
        return Some("skipped: needs root (network namespaces, raw sockets)");
    }
    if Command::new("ip").arg("-V").output().is_err() {
        return Some("skipped: needs the ip command (iproute2) for network namespaces");
    }
    None
}

/// `ip ARGS`, which must succeed.
pub fn ip(args: &[&str]) {
    let o = Command::new("ip")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("ip {args:?}: {e}"));
    assert!(
        o.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&o.stderr)
    );
}
