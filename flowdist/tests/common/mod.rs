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

/// `flowdist live ARGS` running from the repository root (killed when dropped), with its
/// stdout lines arriving on a channel.
pub struct Live {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Live {
    /// Starts it and waits up to `wait` for its first line, which must name its ports.
    pub fn start(args: &[&str], wait: std::time::Duration) -> Live {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_flowdist"))
            .arg("live")
            .args(args)
            .current_dir(root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run flowdist live");
        let (tx, lines) = std::sync::mpsc::channel::<String>();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            for l in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(l);
            }
        });
        let mut live = Live {
            child,
            lines,
            reader: Some(reader),
        };
        match live.lines.recv_timeout(wait) {
            Ok(first) => assert!(first.starts_with("live: port 0 = "), "{first}"),
            Err(_) => {
                let _ = live.child.kill();
                panic!("flowdist live did not start: {}", live.stderr());
            }
        }
        live
    }

    fn stderr(&mut self) -> String {
        let mut e = String::new();
        if let Some(s) = self.child.stderr.as_mut() {
            let _ = std::io::Read::read_to_string(s, &mut e);
        }
        e
    }

    /// Ctrl-C (SIGINT); it must stop cleanly within 10 s. Returns what it printed after its
    /// first line (the summary), with its stderr on failure.
    pub fn stop(mut self) -> String {
        // SAFETY: signalling our own child
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        let t = std::time::Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(
                t.elapsed() < std::time::Duration::from_secs(10),
                "flowdist live ignored SIGINT"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        if let Some(r) = self.reader.take() {
            r.join().unwrap();
        }
        let summary: Vec<String> = self.lines.try_iter().collect();
        let summary = summary.join("\n");
        assert!(
            status.success(),
            "flowdist live: {status}\n{}\n{summary}",
            self.stderr()
        );
        summary
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
