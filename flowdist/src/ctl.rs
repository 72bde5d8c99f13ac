//! `flowdist ctl`: the host side of the control protocol (R10, R18) over a raw interface.
//!
//! Requests are built and replies read with `flowdist_control::protocol`; frames go out and
//! come in through the same AF_PACKET socket set-up as `flowdist live` ([`crate::live`]:
//! promiscuous, so a reply to a MAC other than the interface's is seen too, and 802.1Q tags
//! the kernel strips put back). A request is sent up to `--tries` times with the same
//! sequence number, waiting `--timeout` seconds for the reply each time; a reply is the
//! frame from the distributor's MAC to ours with the request's operation and sequence number.
//!
//! Retrying repeats the request: a write or memorize done twice is harmless, a forget done
//! twice answers `not_found` the second time (the first reply was lost).
use crate::live;
use clap::{Args, Subcommand, ValueEnum};
use flowdist_control::config::{format_mac, parse_mac, Config};
use flowdist_control::protocol::{
    self, decode, frame, Item, KeyItem, Message, Op, Station, Status,
};
use flowdist_model::event_counters::{Counter, PER_PORT};
use flowdist_model::tables::{reg, Delivery, BUCKET_BASE, CAM_CAPACITY, MAX_TMS, TM_BASE};
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// `flowdist ctl` options.
#[derive(Args)]
pub struct CtlArgs {
    /// Interface facing the distributor (raw socket: needs root or CAP_NET_RAW)
    #[arg(long)]
    iface: String,
    /// The distributor's group MAC (default: `distributor.mac` of --config)
    #[arg(long)]
    dst: Option<String>,
    /// The distributor's configuration: group MAC, TM names, MACs and VLANs
    #[arg(long)]
    config: Option<PathBuf>,
    /// Source MAC of requests (default: the interface's; memorize/forget/relate: the TM's
    /// MAC from --config)
    #[arg(long)]
    src: Option<String>,
    /// Send tagged with this 802.1Q VLAN id (a management VLAN; memorize/forget: default the
    /// TM's VLAN from --config)
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=4094))]
    vlan: Option<u16>,
    /// Seconds to wait for each reply
    #[arg(long, default_value_t = 1.0)]
    timeout: f64,
    /// Times to send a request before giving up
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    tries: u32,
    /// Print JSON (one document) instead of text
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    cmd: CtlCmd,
}

/// What to do to a TM.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum TmAction {
    /// Mark it up (TM-up register bit set)
    Up,
    /// Mark it down: the hardware sends its buckets' flows to their backups at once
    Down,
    /// Take it out of new-flow hashing but keep it up: its buckets go to their backups, so
    /// connections the table pins to it keep reaching it; push the configuration to undo
    Drain,
}

#[derive(Subcommand)]
pub enum CtlCmd {
    /// Read configuration-bus words: ADDR is a number (0x1005) or a register name
    /// (group_mac_lo group_mac_hi actions tm_up trunk_port hash_flags bucket_bits)
    Read {
        #[arg(required = true)]
        addrs: Vec<String>,
    },
    /// Write configuration-bus words: ADDR=VALUE (e.g. 0x1005=0x21 or tm_up=0xf)
    Write {
        #[arg(required = true)]
        writes: Vec<String>,
    },
    /// Read the R13 counters of one port (default: both), by name
    Counters {
        #[arg(long, value_parser = clap::value_parser!(u8).range(0..=1))]
        port: Option<u8>,
    },
    /// Show the bridge's MAC learning table (R7): every live station, its VLAN, the port it
    /// was last heard on and the epochs since (2,048 words in 17 requests)
    Stations,
    /// Write a whole configuration: every table word (all 64 CAM slots, the buckets, the TMs,
    /// TMs past the new table removed) and the registers, as few frames as fit
    Push {
        /// The configuration to load
        #[arg(long)]
        config: PathBuf,
    },
    /// Mark a TM up or down, or drain it
    Tm {
        #[arg(value_enum)]
        action: TmAction,
        /// TM name (needs --config) or id
        tm: String,
    },
    /// As TM --tm, ask the distributor to keep a connection on it. KEY is
    /// SRC:SPORT-DST:DPORT/PROTO[@VLAN], e.g. 10.0.0.1:40000-203.0.113.10:80/tcp
    Memorize {
        key: String,
        /// The TM (name with --config, or id); requests are sent as it
        #[arg(long)]
        tm: String,
    },
    /// As TM --tm, give a connection up (KEY as for memorize)
    Forget {
        key: String,
        /// The TM (name with --config, or id); requests are sent as it
        #[arg(long)]
        tm: String,
    },
    /// As TM --tm, pin RELATED to the TM that KEY is on (related flows; keys as for memorize)
    Relate {
        key: String,
        related: String,
        /// The TM (name with --config, or id); requests are sent as it
        #[arg(long)]
        tm: String,
    },
    /// As a peer distributor (--src: a MAC in the distributor's [control] peers), copy a
    /// connection entry to it: KEY on TM --tm
    Mirror {
        key: String,
        /// The TM the entry is on (name with --config, or id)
        #[arg(long)]
        tm: String,
    },
}

/// One conversation with a distributor.
struct Session {
    port: live::Port,
    dst: u64,
    src: u64,
    vlan: Option<u16>,
    timeout: Duration,
    tries: u32,
    seq: u16,
    buf: Vec<u8>,
    /// What to suggest when nothing answers.
    hint: &'static str,
}

fn status_text(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::BadVersion => "bad_version (the distributor speaks another protocol version)",
        Status::BadOp => "bad_op (the distributor does not do this operation)",
        Status::BadLength => "bad_length (the request is shorter than its items)",
        Status::NotPermitted => {
            "not_permitted (this sender may not do this: see [control] in the configuration)"
        }
        Status::BadAddress => "bad_address (not in the register map, or not a counter or TM)",
        Status::TableFull => "table_full (the connection table has no room for the key)",
        Status::NotFound => "not_found (the key is not in the connection table)",
    }
}

impl Session {
    /// Sends one request and waits for its reply (retrying); any status is returned.
    fn call(&mut self, op: Op, items: Vec<Item>) -> Result<Message, String> {
        self.seq = self.seq.wrapping_add(1);
        let m = Message {
            op,
            reply: false,
            seq: self.seq,
            status: Status::Ok,
            items,
        };
        let f = frame(self.dst, self.src, self.vlan, &m);
        for _ in 0..self.tries {
            let sent = self
                .port
                .tx
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .send_to(&f, None)
                .unwrap_or_else(|| Err(std::io::Error::other("larger than the send buffer")));
            sent.map_err(|e| format!("{}: sending: {e}", self.port.name))?;
            let deadline = Instant::now() + self.timeout;
            while Instant::now() < deadline {
                let r = live::recv(self.port.fd, &mut self.buf)
                    .map_err(|e| format!("{}: receiving: {e}", self.port.name))?;
                if let Some(reply) = r.and_then(|r| self.reply_of(&r, &m)) {
                    return Ok(reply);
                }
            }
        }
        Err(format!(
            "no reply from {} on {} after {} tries: {}",
            format_mac(self.dst),
            self.port.name,
            self.tries,
            self.hint
        ))
    }

    /// The reply to `m` in frame `f`, if it is one.
    fn reply_of(&self, f: &[u8], m: &Message) -> Option<Message> {
        let mac = |at: usize| f[at..at + 6].iter().fold(0u64, |v, &b| v << 8 | b as u64);
        if f.len() < 14 || mac(0) != self.src || mac(6) != self.dst {
            return None;
        }
        let at = if f[12..14] == [0x81, 0] && f.len() >= 18 {
            16
        } else {
            12
        };
        if f[at..at + 2] != protocol::ETHERTYPE.to_be_bytes() {
            return None;
        }
        let r = decode(&f[at + 2..]).ok()?;
        (r.reply && r.op == m.op && r.seq == m.seq).then_some(r)
    }

    /// Sends `items` in as few requests as fit in frames; every reply must be ok. The
    /// replies' items, in order.
    fn call_all(&mut self, op: Op, items: Vec<Item>) -> Result<(Vec<Item>, usize), String> {
        let per = ((1500 - protocol::HEADER) / op.item_len()).min(protocol::MAX_ITEMS);
        let mut out = Vec::with_capacity(items.len());
        let mut frames = 0;
        for chunk in items.chunks(per) {
            let r = self.call(op, chunk.to_vec())?;
            frames += 1;
            if r.status != Status::Ok {
                let what = match r.items.last() {
                    Some(Item::Word { addr, .. }) => format!(" at address {addr:#06x}"),
                    Some(Item::Key(k)) | Some(Item::Pair(k, _)) => {
                        format!(" for {}", key_text(k))
                    }
                    None => String::new(),
                };
                return Err(format!("{}{what}: {}", op_name(op), status_text(r.status)));
            }
            out.extend(r.items);
        }
        Ok((out, frames))
    }

    fn read(&mut self, addrs: &[u16]) -> Result<Vec<u32>, String> {
        let items = addrs
            .iter()
            .map(|&a| Item::Word {
                addr: a.into(),
                value: 0,
            })
            .collect();
        let (r, _) = self.call_all(Op::Read, items)?;
        Ok(r.iter()
            .map(|i| match i {
                Item::Word { value, .. } => *value as u32,
                _ => 0,
            })
            .collect())
    }

    fn write(&mut self, writes: &[(u16, u32)]) -> Result<(Vec<Item>, usize), String> {
        let items = writes
            .iter()
            .map(|&(a, v)| Item::Word {
                addr: a.into(),
                value: v.into(),
            })
            .collect();
        self.call_all(Op::Write, items)
    }
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Read => "read",
        Op::Write => "write",
        Op::Counters => "counters",
        Op::Stations => "stations",
        Op::Memorize => "memorize",
        Op::Forget => "forget",
        Op::Mirror => "mirror",
        Op::Age => "age",
        Op::Relate => "relate",
    }
}

const REGISTERS: [(&str, u16); 7] = [
    ("group_mac_lo", reg::GROUP_MAC_LO),
    ("group_mac_hi", reg::GROUP_MAC_HI),
    ("actions", reg::ACTIONS),
    ("tm_up", reg::TM_UP),
    ("trunk_port", reg::TRUNK_PORT),
    ("hash_flags", reg::HASH_FLAGS),
    ("bucket_bits", reg::BUCKET_BITS),
];

fn number(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(&h.replace('_', ""), 16).ok(),
        None => s.replace('_', "").parse().ok(),
    }
}

/// A configuration-bus address: a number below 0x10000 or a register name.
fn parse_addr(s: &str) -> Result<u16, String> {
    if let Some(&(_, a)) = REGISTERS.iter().find(|(n, _)| *n == s) {
        return Ok(a);
    }
    number(s)
        .and_then(|v| u16::try_from(v).ok())
        .ok_or_else(|| {
            format!(
                "{s:?} is not an address (a number below 0x10000, e.g. 0x1005, or one of: {})",
                REGISTERS.map(|r| r.0).join(" ")
            )
        })
}

fn parse_write(s: &str) -> Result<(u16, u32), String> {
    let (a, v) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected ADDR=VALUE, e.g. 0x1005=0x21"))?;
    let value = number(v.trim())
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| format!("{s:?}: {v:?} is not a 32-bit value"))?;
    Ok((parse_addr(a.trim())?, value))
}

/// `SRC:SPORT-DST:DPORT/PROTO[@VLAN]`.
fn parse_key(s: &str, tm: u8) -> Result<KeyItem, String> {
    let bad = |why: &str| {
        format!("key {s:?}: {why} (expected SRC:SPORT-DST:DPORT/PROTO[@VLAN], e.g. 10.0.0.1:40000-203.0.113.10:80/tcp)")
    };
    let (rest, vlan) = match s.split_once('@') {
        Some((r, v)) => (
            r,
            v.parse::<u16>()
                .ok()
                .filter(|v| *v < 4096)
                .ok_or_else(|| bad("the VLAN is not a number in 0..=4095"))?,
        ),
        None => (s, 0),
    };
    let (ends, proto) = rest.split_once('/').ok_or_else(|| bad("no /PROTO"))?;
    let proto = match proto {
        "tcp" => 6,
        "udp" => 17,
        p => p
            .parse::<u8>()
            .map_err(|_| bad("the protocol is not tcp, udp or a number"))?,
    };
    let (a, b) = ends
        .split_once('-')
        .ok_or_else(|| bad("no - between the ends"))?;
    let end = |e: &str| -> Result<(u32, u16), String> {
        let (ip, port) = e
            .rsplit_once(':')
            .ok_or_else(|| bad("an end has no :PORT"))?;
        let ip: std::net::Ipv4Addr = ip.parse().map_err(|_| bad("not an IPv4 address"))?;
        let port: u16 = port.parse().map_err(|_| bad("not a port number"))?;
        Ok((ip.into(), port))
    };
    let ((src_ip, src_port), (dst_ip, dst_port)) = (end(a)?, end(b)?);
    Ok(KeyItem {
        src_ip,
        dst_ip,
        src_port,
        dst_port,
        proto,
        tm,
        vlan,
    })
}

fn key_text(k: &KeyItem) -> String {
    format!(
        "{}:{}-{}:{}/{}@{}",
        std::net::Ipv4Addr::from(k.src_ip),
        k.src_port,
        std::net::Ipv4Addr::from(k.dst_ip),
        k.dst_port,
        k.proto,
        k.vlan
    )
}

/// A TM by name (needs the configuration) or id.
fn tm_id(s: &str, cfg: Option<&Config>) -> Result<u8, String> {
    if let Ok(id) = s.parse::<u8>() {
        if usize::from(id) < MAX_TMS {
            return Ok(id);
        }
        return Err(format!("TM {id}: ids are 0..{MAX_TMS}"));
    }
    match cfg {
        Some(c) => c.tm_id(s).ok_or_else(|| {
            format!(
                "no TM named {s:?} in the configuration (TMs: {})",
                c.tms
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }),
        None => Err(format!(
            "TM {s:?}: a TM name needs --config (or give its id)"
        )),
    }
}

fn load_config(p: &std::path::Path) -> Result<Config, String> {
    Config::load(p).map_err(|e| format!("{}: {e}", p.display()))
}

/// Runs one `flowdist ctl` command; prints its result.
pub fn ctl(a: CtlArgs) -> Result<(), String> {
    let cfg = a.config.as_deref().map(load_config).transpose()?;
    let push_cfg = match &a.cmd {
        CtlCmd::Push { config } => Some(load_config(config)?),
        _ => None,
    };
    let dst = match &a.dst {
        Some(d) => parse_mac(d).ok_or_else(|| format!("--dst: {d:?} is not a MAC address"))?,
        None => cfg
            .as_ref()
            .or(push_cfg.as_ref())
            .map(|c| c.distributor.mac)
            .ok_or("--dst: the distributor's group MAC is needed (or --config)")?,
    };
    if !(a.timeout.is_finite() && a.timeout > 0.0) {
        return Err(format!(
            "--timeout: {} is not a positive number of seconds",
            a.timeout
        ));
    }
    // memorize / forget / relate go as the TM, from its MAC and on its VLAN
    let as_tm = match &a.cmd {
        CtlCmd::Memorize { tm, .. } | CtlCmd::Forget { tm, .. } | CtlCmd::Relate { tm, .. } => {
            Some(tm_id(tm, cfg.as_ref())?)
        }
        _ => None,
    };
    let tm_entry = as_tm.and_then(|t| cfg.as_ref().and_then(|c| c.tms.get(usize::from(t))));
    let src = match &a.src {
        Some(s) => Some(parse_mac(s).ok_or_else(|| format!("--src: {s:?} is not a MAC address"))?),
        None => tm_entry.map(|t| t.mac),
    };
    let vlan = a.vlan.or(match tm_entry.map(|t| t.delivery) {
        Some(Delivery::Vlan(v)) => Some(v),
        _ => None,
    });
    let iface_mac = pnet_datalink::interfaces()
        .into_iter()
        .find(|i| i.name == a.iface)
        .and_then(|i| i.mac)
        .map(|m| m.octets().iter().fold(0u64, |v, &b| v << 8 | b as u64));
    let port = live::open(&a.iface)?;
    let src = src
        .or(iface_mac)
        .ok_or_else(|| format!("{}: no MAC address (give --src)", a.iface))?;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
        ^ std::process::id();
    let mut s = Session {
        port,
        dst,
        src,
        vlan,
        timeout: Duration::from_secs_f64(a.timeout),
        tries: a.tries,
        seq: seed as u16,
        buf: vec![0u8; 65536 + 4],
        hint: if matches!(a.cmd, CtlCmd::Mirror { .. }) {
            "is --src a peer in the distributor's [control] peers, on its trunk port?"
        } else if as_tm.is_some() {
            "is the source MAC and VLAN that of the TM on its port (--src, --vlan)?"
        } else {
            "is the port a management port (or --vlan a management VLAN)?"
        },
    };
    let json = a.json;
    match a.cmd {
        CtlCmd::Read { addrs } => {
            let addrs = addrs
                .iter()
                .map(|x| parse_addr(x))
                .collect::<Result<Vec<_>, _>>()?;
            let values = s.read(&addrs)?;
            print_words(json, addrs.iter().copied().zip(values));
        }
        CtlCmd::Write { writes } => {
            let writes = writes
                .iter()
                .map(|x| parse_write(x))
                .collect::<Result<Vec<_>, _>>()?;
            let (items, _) = s.write(&writes)?;
            print_words(
                json,
                items.iter().map(|i| match i {
                    Item::Word { addr, value } => (*addr as u16, *value as u32),
                    _ => (0, 0),
                }),
            );
        }
        CtlCmd::Counters { port } => {
            let ports: Vec<u8> = match port {
                Some(p) => vec![p],
                None => vec![0, 1],
            };
            let items: Vec<Item> = ports
                .iter()
                .flat_map(|&p| {
                    (0..PER_PORT).map(move |i| Item::Word {
                        addr: (usize::from(p) * PER_PORT + i) as u32,
                        value: 0,
                    })
                })
                .collect();
            let (r, _) = s.call_all(Op::Counters, items)?;
            let rows: Vec<(u8, String, u64)> = r
                .iter()
                .filter_map(|i| match i {
                    Item::Word { addr, value } => {
                        let c = Counter::at(*addr as usize % PER_PORT)?;
                        Some(((*addr as usize / PER_PORT) as u8, c.name(), *value))
                    }
                    _ => None,
                })
                .collect();
            if json {
                let v: Vec<_> = rows
                    .iter()
                    .map(|(p, n, v)| json!({"port": p, "counter": n, "value": v}))
                    .collect();
                println!("{}", serde_json::Value::Array(v));
            } else {
                for (p, n, v) in rows {
                    println!("port {p} {n:<22} {v}");
                }
            }
        }
        CtlCmd::Stations => {
            let slots = 1u32 << flowdist_hdl::switch_core::MAC_BITS;
            let items = (0..2 * slots)
                .map(|addr| Item::Word { addr, value: 0 })
                .collect();
            let (r, _) = s.call_all(Op::Stations, items)?;
            let stations = stations_of(&r);
            if json {
                let v: Vec<_> = stations
                    .iter()
                    .map(|(slot, st)| {
                        json!({"slot": slot, "mac": format_mac(st.mac), "vlan": st.vlan,
                               "port": st.port, "age": st.age})
                    })
                    .collect();
                println!("{}", serde_json::Value::Array(v));
            } else {
                println!(
                    "{:<6} {:<17} {:>4} {:>4} {:>4}",
                    "slot", "mac", "vlan", "port", "age"
                );
                for (slot, st) in &stations {
                    println!(
                        "{slot:<6} {:<17} {:>4} {:>4} {:>4}",
                        format_mac(st.mac),
                        st.vlan,
                        st.port,
                        st.age
                    );
                }
                println!("{} stations", stations.len());
            }
        }
        CtlCmd::Push { config } => {
            let c = push_cfg.ok_or("no configuration")?;
            let t = flowdist_control::compile::compile(&c, CAM_CAPACITY)
                .map_err(|e| format!("{}: {e}", config.display()))?;
            let bits = s.read(&[reg::BUCKET_BITS])?[0];
            if bits != u32::from(c.distributor.bucket_bits) {
                return Err(format!(
                    "{}: distributor.bucket_bits is {}, but the distributor was built with {bits}",
                    config.display(),
                    c.distributor.bucket_bits
                ));
            }
            let mut dp = t.data_plane();
            dp.cam = t.cam_image(CAM_CAPACITY);
            // TMs past the new table removed, last first (word 1 with the valid bit clear)
            let mut writes: Vec<(u16, u32)> = (dp.tms.len()..MAX_TMS)
                .rev()
                .map(|t| (TM_BASE + 2 * t as u16 + 1, 0))
                .collect();
            writes.extend(dp.bus_writes());
            writes.extend(dp.register_writes());
            let (_, frames) = s.write(&writes)?;
            if json {
                println!("{}", json!({"words": writes.len(), "frames": frames}));
            } else {
                println!(
                    "pushed {}: {} words in {frames} frames",
                    config.display(),
                    writes.len()
                );
            }
        }
        CtlCmd::Tm { action, tm } => {
            let id = tm_id(&tm, cfg.as_ref())?;
            let bit = 1u32 << id;
            match action {
                TmAction::Up | TmAction::Down => {
                    let old = s.read(&[reg::TM_UP])?[0];
                    let new = if action == TmAction::Up {
                        old | bit
                    } else {
                        old & !bit
                    };
                    let (r, _) = s.write(&[(reg::TM_UP, new)])?;
                    let now = match r.first() {
                        Some(Item::Word { value, .. }) => *value as u32,
                        _ => new,
                    };
                    if action == TmAction::Up && now & bit == 0 {
                        return Err(format!("TM {id} does not exist on the distributor"));
                    }
                    if json {
                        println!("{}", json!({"tm": id, "tm_up": now}));
                    } else {
                        println!(
                            "TM {id} {}: TMs up {now:#06x}",
                            if now & bit != 0 { "up" } else { "down" }
                        );
                    }
                }
                TmAction::Drain => {
                    let bits = s.read(&[reg::BUCKET_BITS])?[0].min(12);
                    let addrs: Vec<u16> = (0..1u16 << bits).map(|b| BUCKET_BASE + b).collect();
                    let buckets = s.read(&addrs)?;
                    let id32 = u32::from(id);
                    let mut writes = Vec::new();
                    for (&a, &v) in addrs.iter().zip(&buckets) {
                        let (p, b) = (v & 0xF, (v >> 4) & 0xF);
                        let (np, nb) = match (p == id32, b == id32) {
                            (true, true) => {
                                return Err(format!(
                                    "bucket {}: TM {id} is its primary and its backup: no other TM to drain to",
                                    a - BUCKET_BASE
                                ))
                            }
                            (true, false) => (b, b),
                            (false, true) => (p, p),
                            (false, false) => continue,
                        };
                        writes.push((a, np | nb << 4));
                    }
                    let moved = writes
                        .iter()
                        .filter(|(a, _)| buckets[usize::from(a - BUCKET_BASE)] & 0xF == id32)
                        .count();
                    s.write(&writes)?;
                    if json {
                        println!(
                            "{}",
                            json!({"tm": id, "buckets_moved": moved, "buckets_written": writes.len()})
                        );
                    } else {
                        println!(
                            "TM {id} drained: {moved} buckets moved to their backups ({} written); it stays up, so connections pinned to it keep reaching it",
                            writes.len()
                        );
                    }
                }
            }
        }
        CtlCmd::Memorize { key, .. } => signal(&mut s, Op::Memorize, &key, as_tm, json)?,
        CtlCmd::Forget { key, .. } => signal(&mut s, Op::Forget, &key, as_tm, json)?,
        CtlCmd::Mirror { key, tm } => {
            let t = tm_id(&tm, cfg.as_ref())?;
            signal(&mut s, Op::Mirror, &key, Some(t), json)?
        }
        CtlCmd::Relate { key, related, .. } => {
            let k = parse_key(&key, 0)?;
            let r = parse_key(&related, 0)?;
            let (items, _) = s.call_all(Op::Relate, vec![Item::Pair(k, r)])?;
            let tm = match items.first() {
                Some(Item::Pair(_, r)) => r.tm,
                _ => 0,
            };
            if json {
                println!(
                    "{}",
                    json!({"op": "relate", "key": key_text(&k), "related": key_text(&r), "tm": tm, "status": "ok"})
                );
            } else {
                println!("relate {} to {} (TM {tm}): ok", key_text(&r), key_text(&k));
            }
        }
    }
    Ok(())
}

/// A TM's signal for one key.
fn signal(s: &mut Session, op: Op, key: &str, tm: Option<u8>, json: bool) -> Result<(), String> {
    let k = parse_key(key, tm.unwrap_or(0))?;
    s.call_all(op, vec![Item::Key(k)])?;
    if json {
        println!(
            "{}",
            json!({"op": op_name(op), "key": key_text(&k), "tm": k.tm, "status": "ok"})
        );
    } else {
        println!("{} {} (TM {}): ok", op_name(op), key_text(&k), k.tm);
    }
    Ok(())
}

/// The live stations among the words of a stations reply (slot, station), in slot order.
fn stations_of(items: &[Item]) -> Vec<(u32, Station)> {
    let mut words = std::collections::BTreeMap::new();
    for i in items {
        if let Item::Word { addr, value } = *i {
            words.insert(addr, value);
        }
    }
    words
        .iter()
        .filter(|(a, _)| *a % 2 == 0)
        .filter_map(|(&a, &w0)| {
            let w1 = *words.get(&(a + 1))?;
            Station::from_words(w0, w1).map(|s| (a / 2, s))
        })
        .collect()
}

fn print_words(json: bool, words: impl Iterator<Item = (u16, u32)>) {
    let words: Vec<(u16, u32)> = words.collect();
    if json {
        let v: Vec<_> = words
            .iter()
            .map(|(a, v)| json!({"addr": a, "value": v}))
            .collect();
        println!("{}", serde_json::Value::Array(v));
    } else {
        for (a, v) in words {
            println!("{a:#06x} = {v:#010x}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stations_of_a_reply() {
        let st = Station {
            mac: 0x02_00_00_00_01_00,
            vlan: 101,
            port: 1,
            age: 3,
        };
        let [w0, w1] = st.words();
        let word = |addr, value| Item::Word { addr, value };
        // slot 0 empty, slot 5 live, slot 7 with its second word missing (not a station)
        let items = [
            word(0, 0),
            word(1, 0),
            word(11, w1),
            word(10, w0),
            word(14, w0),
        ];
        assert_eq!(stations_of(&items), vec![(5, st)]);
        assert_eq!(w1, 0x8003_1065);
    }

    #[test]
    fn addresses_and_writes() {
        assert_eq!(parse_addr("0x1005"), Ok(0x1005));
        assert_eq!(parse_addr("4101"), Ok(0x1005));
        assert_eq!(parse_addr("tm_up"), Ok(reg::TM_UP));
        assert_eq!(parse_addr("bucket_bits"), Ok(0x3006));
        let e = parse_addr("0x10000").unwrap_err();
        assert!(e.starts_with("\"0x10000\" is not an address"), "{e}");
        assert_eq!(parse_write("0x1005=0x21"), Ok((0x1005, 0x21)));
        assert_eq!(parse_write("tm_up = 15"), Ok((0x3003, 15)));
        assert!(parse_write("0x1005")
            .unwrap_err()
            .contains("expected ADDR=VALUE"));
        assert!(parse_write("0x1005=0x1_0000_0000")
            .unwrap_err()
            .contains("not a 32-bit value"));
    }

    #[test]
    fn keys() {
        let k = parse_key("10.0.0.1:40000-203.0.113.10:80/tcp@42", 3).unwrap();
        assert_eq!(
            k,
            KeyItem {
                src_ip: 0x0A00_0001,
                dst_ip: 0xCB00_710A,
                src_port: 40000,
                dst_port: 80,
                proto: 6,
                tm: 3,
                vlan: 42,
            }
        );
        assert_eq!(key_text(&k), "10.0.0.1:40000-203.0.113.10:80/6@42");
        assert_eq!(parse_key("1.2.3.4:1-5.6.7.8:2/udp", 0).unwrap().proto, 17);
        assert_eq!(parse_key("1.2.3.4:1-5.6.7.8:2/47", 0).unwrap().proto, 47);
        for (bad, why) in [
            ("1.2.3.4:1-5.6.7.8:2", "no /PROTO"),
            ("1.2.3.4:1/tcp", "no - between the ends"),
            ("1.2.3.4-5.6.7.8:2/tcp", "an end has no :PORT"),
            ("1.2.3:1-5.6.7.8:2/tcp", "not an IPv4 address"),
            ("1.2.3.4:x-5.6.7.8:2/tcp", "not a port number"),
            ("1.2.3.4:1-5.6.7.8:2/sctp", "not tcp, udp or a number"),
            ("1.2.3.4:1-5.6.7.8:2/tcp@4096", "VLAN is not a number"),
        ] {
            let e = parse_key(bad, 0).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn tm_ids() {
        assert_eq!(tm_id("3", None), Ok(3));
        assert!(tm_id("16", None).unwrap_err().contains("ids are 0..16"));
        assert!(tm_id("tm-a", None).unwrap_err().contains("needs --config"));
        let c = Config::from_toml_str(
            "[distributor]\nmac = \"02:00:00:00:00:01\"\nbucket_bits = 8\n\
             [[tms]]\nname = \"tm-a\"\nmac = \"02:00:00:00:0a:01\"\ndelivery = \"mac\"\n",
        )
        .unwrap();
        assert_eq!(tm_id("tm-a", Some(&c)), Ok(0));
        assert!(tm_id("tm-b", Some(&c))
            .unwrap_err()
            .contains("no TM named \"tm-b\" in the configuration (TMs: tm-a)"));
    }
}
