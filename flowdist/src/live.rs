//! `flowdist live`: the golden model as a distributor between two Linux interfaces.
//!
//! Each interface is the hardware's port of the same index. A frame received on port `i` goes
//! through [`crate::run::step`], exactly as `flowdist run` treats a capture frame arriving on
//! ingress `i`; the frame the model sends leaves on the interface of its egress port.
//!
//! The channels are pnet_datalink's (AF_PACKET, promiscuous), opened on a socket prepared
//! here because two things a distributor needs are not in pnet's receiver, which drops the
//! packet's address and control messages:
//! - the kernel strips a received 802.1Q tag from the frame and reports it only as
//!   `PACKET_AUXDATA`; a trunk port must see the tag, so frames are read here with `recvmsg`
//!   and the tag is put back where it was on the wire;
//! - a packet socket also gets every frame other sockets and the host's own stack send on the
//!   interface (`PACKET_OUTGOING`; on veth e.g. the host's IPv6 router solicitations). Those
//!   were never received by the port and are not processed: `PACKET_IGNORE_OUTGOING` keeps
//!   them out and the packet type is checked as well. A socket never gets back the frames it
//!   sent itself, so the distributor's own output is not seen again on the same port.
//!
//! Control frames (R10) are answered through the model's [`ControlPort`] before the data path
//! sees them: they are consumed, never forwarded; a reply goes back out of the port the
//! request came in on; a write changes the running tables (the classifier is rebuilt under
//! the device lock, so both port threads see the change from their next frame on). The
//! device also keeps the R13 counters ([`EventCounters`]: every frame received, sent,
//! malformed, decided) and the connection table the TMs' signals write, for the protocol to
//! read. The summary says what the control port did.
use crate::run::{record, step, Log, Step, Summary};
use flowdist_model::classifier::Classifier;
use flowdist_model::conn_arbiter::ConnSettings;
use flowdist_model::conn_table::ConnTable;
use flowdist_model::control_port::{Access, ControlPort, Verdict};
use flowdist_model::event_counters::EventCounters;
use flowdist_model::header_parser::flag;
use flowdist_model::mac_arbiter::BridgeSettings;
use flowdist_model::mac_table::MacTable;
use flowdist_model::tables::DataPlaneConfig;
use pnet_datalink::{Channel, DataLinkSender};
use std::io::{self, Write};
use std::os::fd::RawFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Set by SIGINT/SIGTERM.
static SIGNALLED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    // only an atomic store: async-signal-safe
    SIGNALLED.store(true, Ordering::SeqCst);
}

/// When to stop, and where the decision log goes.
pub struct Options {
    /// Stop after this many frames received (both ports together).
    pub count: Option<u64>,
    /// Stop after this long.
    pub seconds: Option<f64>,
    /// Write `decisions.jsonl` records here.
    pub log: Option<PathBuf>,
    /// Who may send control requests.
    pub access: Access,
    /// log2 of the connection table's slots, and its timeout in epochs.
    pub conn_table: (u8, u8),
    /// Lookups and learn mode (the timeout is `conn_table`'s; epochs are seconds).
    pub conn_settings: ConnSettings,
    /// The bridge's MAC learning table (R7): learning, aging (its epochs in core cycles at
    /// 125 MHz, kept by the wall clock here).
    pub bridge: BridgeSettings,
    /// The RTL core in Verilator instead of the model (`--sim`; `main` refuses it in a
    /// build without the simulation).
    #[cfg_attr(not(feature = "sim"), allow(dead_code))]
    pub sim: bool,
}

/// One epoch of the MAC table at the board's clock (never shorter than a millisecond).
fn station_epoch(b: &BridgeSettings) -> std::time::Duration {
    let ns = u64::from(b.epoch_cycles) * 1_000_000_000 / flowdist_model::mac_arbiter::CORE_HZ;
    std::time::Duration::from_nanos(ns.max(1_000_000))
}

/// Largest frame read: a 64 KiB GRO/GSO frame, plus room for its VLAN tag.
const BUF: usize = 65536 + 4;
/// How often the receive threads look at the stop conditions.
const TICK: Duration = Duration::from_millis(100);

/// One port: an AF_PACKET socket bound to its interface.
pub(crate) struct Port {
    pub(crate) name: String,
    /// The socket, read here (pnet's sender owns it and closes it when dropped).
    pub(crate) fd: RawFd,
    pub(crate) tx: Mutex<Box<dyn DataLinkSender>>,
}

fn set_opt(fd: RawFd, opt: libc::c_int, v: libc::c_int) -> io::Result<()> {
    // SAFETY: `v` outlives the call and its size is passed
    let r = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_PACKET,
            opt,
            (&v as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn not_permitted(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EPERM) | Some(libc::EACCES))
}

/// Opens interface `name` for raw frames (also used by `flowdist ctl`).
pub(crate) fn open(name: &str) -> Result<Port, String> {
    let all = pnet_datalink::interfaces();
    let Some(iface) = all.iter().find(|i| i.name == name) else {
        let mut names: Vec<&str> = all.iter().map(|i| i.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        return Err(format!(
            "no interface named {name:?} (available: {})",
            names.join(", ")
        ));
    };
    if !iface.is_up() {
        return Err(format!(
            "interface {name} is down (bring it up: ip link set {name} up)"
        ));
    }
    // protocol 0: the socket takes no frames until pnet binds it to this interface (with
    // ETH_P_ALL), so none from other interfaces slip in before
    // SAFETY: plain system call
    let fd = unsafe { libc::socket(libc::AF_PACKET, libc::SOCK_RAW | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        let e = io::Error::last_os_error();
        return Err(if not_permitted(&e) {
            format!(
                "opening a raw socket on {name} is not permitted: raw sockets need root or \
                 the CAP_NET_RAW capability ({e})"
            )
        } else {
            format!("{name}: cannot open a raw socket: {e}")
        });
    }
    let prepared = set_opt(fd, libc::PACKET_AUXDATA, 1).and_then(|_| {
        match set_opt(fd, libc::PACKET_IGNORE_OUTGOING, 1) {
            // before Linux 4.20: the packet type check in `recv` does the work alone
            Err(e) if e.raw_os_error() == Some(libc::ENOPROTOOPT) => Ok(()),
            r => r,
        }
    });
    if let Err(e) = prepared {
        // SAFETY: fd is ours and not handed out yet
        unsafe { libc::close(fd) };
        return Err(format!("{name}: setting up the packet socket: {e}"));
    }
    let config = pnet_datalink::Config {
        write_buffer_size: BUF,
        read_buffer_size: BUF,
        promiscuous: true,
        socket_fd: Some(fd),
        ..Default::default()
    };
    // pnet binds the socket, turns on promiscuous mode and closes the socket on failure
    match pnet_datalink::channel(iface, config) {
        // the receiver half is dropped: frames are read from `fd` here; the sender keeps it open
        Ok(Channel::Ethernet(tx, _rx)) => Ok(Port {
            name: name.to_string(),
            fd,
            tx: Mutex::new(tx),
        }),
        Ok(_) => Err(format!("{name}: not an Ethernet channel")),
        Err(e) if not_permitted(&e) => Err(format!(
            "{name}: not permitted ({e}): raw sockets need root or the CAP_NET_RAW capability"
        )),
        Err(e) => Err(format!("{name}: {e}")),
    }
}

/// The next frame received on `fd` as it was on the wire (802.1Q tag put back), or `None`
/// when there is none within [`TICK`] or the frame was one sent on the interface.
pub(crate) fn recv(fd: RawFd, buf: &mut [u8]) -> io::Result<Option<Vec<u8>>> {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd
    let r = unsafe { libc::poll(&mut pfd, 1, TICK.as_millis() as libc::c_int) };
    if r < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::Interrupted {
            Ok(None)
        } else {
            Err(e)
        };
    }
    if r == 0 {
        return Ok(None);
    }
    // SAFETY: all-zero is a valid sockaddr_ll and msghdr
    let mut addr: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
    let mut control = [0u64; 16]; // u64: aligned for cmsghdr
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = (&mut addr as *mut libc::sockaddr_ll).cast();
    msg.msg_namelen = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = std::mem::size_of_val(&control) as _;
    // SAFETY: every pointer in msg points at a live buffer of the size given
    let n = unsafe { libc::recvmsg(fd, &mut msg, libc::MSG_DONTWAIT) };
    if n < 0 {
        let e = io::Error::last_os_error();
        return match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(None),
            _ => Err(e),
        };
    }
    if addr.sll_pkttype == libc::PACKET_OUTGOING {
        return Ok(None);
    }
    let mut frame = buf[..n as usize].to_vec();
    // SAFETY: walking the control messages the kernel wrote into `control`
    let mut c = unsafe { libc::CMSG_FIRSTHDR(&msg) };
    while !c.is_null() {
        let h = unsafe { &*c };
        if h.cmsg_level == libc::SOL_PACKET && h.cmsg_type == libc::PACKET_AUXDATA {
            let aux: libc::tpacket_auxdata =
                unsafe { std::ptr::read_unaligned(libc::CMSG_DATA(c).cast()) };
            if aux.tp_status & libc::TP_STATUS_VLAN_VALID != 0 && frame.len() >= 12 {
                let tpid = if aux.tp_status & libc::TP_STATUS_VLAN_TPID_VALID != 0 {
                    aux.tp_vlan_tpid
                } else {
                    0x8100
                };
                let mut tag = tpid.to_be_bytes().to_vec();
                tag.extend(aux.tp_vlan_tci.to_be_bytes());
                frame.splice(12..12, tag);
            }
        }
        c = unsafe { libc::CMSG_NXTHDR(&msg, c) };
    }
    Ok(Some(frame))
}

/// The device's state: what a frame can change (control writes, signals, counters).
struct Device {
    cfg: DataPlaneConfig,
    classifier: Classifier,
    counters: EventCounters,
    conn: ConnTable,
    settings: ConnSettings,
    /// When the connection table's epoch next advances (one a second, wall clock).
    next_tick: std::time::Instant,
    /// The bridge's stations, and when their epoch next advances.
    stations: MacTable,
    bridge: BridgeSettings,
    next_station_tick: std::time::Instant,
    control: ControlPort,
}

impl Device {
    /// One frame (FCS included) received on `ingress`: a control request answered (or
    /// dropped), or the data path's step; the counters count it and what is sent.
    fn take(&mut self, f: &[u8], ingress: u8) -> Step {
        self.counters.received(ingress, f.len());
        let now = std::time::Instant::now();
        while now >= self.next_tick {
            let n = self.conn.tick();
            self.counters.expired(n);
            self.next_tick += std::time::Duration::from_secs(1);
        }
        let epoch = station_epoch(&self.bridge);
        while now >= self.next_station_tick {
            self.stations.tick();
            self.next_station_tick += epoch;
        }
        // a control request is decided (counted) before the control port reads any counter
        let h = flowdist_model::header_parser::parse(f, &self.cfg.hash);
        if flowdist_model::decision::is_control(&h, self.cfg.group_mac) {
            self.counters
                .decided(ingress, flowdist_model::decision::Kind::Control, 0);
            // and its source is heard, as of any decided frame (the hardware's decision
            // learns it before the control port reads the table)
            let u =
                flowdist_model::mac_arbiter::StationUse::of(&h, self.cfg.group_mac, &self.bridge);
            if let Some((mac, vlan)) = u.learn {
                self.stations.learn(mac, vlan, ingress & 1);
            }
        }
        let st = match self.control.handle(
            f,
            ingress,
            &mut self.cfg,
            &mut self.counters,
            &mut self.conn,
            &self.stations,
        ) {
            Verdict::NotControl => {
                let st = step(
                    &self.classifier,
                    Some((&mut self.conn, &self.settings)),
                    Some((&mut self.stations, &self.bridge)),
                    f,
                    ingress,
                );
                if st.header.flags & flag::MALFORMED != 0 {
                    self.counters.malformed(ingress);
                }
                if let Some(d) = &st.decision {
                    self.counters.decided(ingress, d.kind, d.tm);
                }
                st
            }
            v => {
                let header = h;
                let out = match v {
                    Verdict::Reply { frame, wrote } => {
                        if wrote {
                            self.classifier = Classifier::new(&self.cfg);
                        }
                        Ok((ingress, frame))
                    }
                    _ => Err("control_rejected"),
                };
                Step {
                    header,
                    decision: None,
                    table: Default::default(),
                    rows: Default::default(),
                    out,
                }
            }
        };
        if let Ok((egress, o)) = &st.out {
            self.counters.sent(*egress, o.len());
        }
        st
    }
}

/// The device: the model, or (`--sim`) the RTL core in Verilator, with the configuration
/// (for the log's header fields).
enum Engine {
    Model(Device),
    #[cfg(feature = "sim")]
    Rtl(crate::live_sim::RtlDevice, DataPlaneConfig),
}

impl Engine {
    fn take(&mut self, f: &[u8], ingress: u8) -> Step {
        match self {
            Engine::Model(d) => d.take(f, ingress),
            #[cfg(feature = "sim")]
            Engine::Rtl(d, cfg) => {
                let header = flowdist_model::header_parser::parse(f, &cfg.hash);
                let out = match d.take(f, ingress) {
                    Ok(outs) => {
                        if outs.len() > 1 {
                            eprintln!(
                                "flowdist: the RTL sent {} frames for one (the first goes out)",
                                outs.len()
                            );
                        }
                        outs.into_iter().next().ok_or("not_sent")
                    }
                    Err(e) => {
                        eprintln!("flowdist: {e}");
                        Err("rtl_error")
                    }
                };
                Step {
                    header,
                    decision: None,
                    table: Default::default(),
                    rows: Default::default(),
                    out,
                }
            }
        }
    }

    /// The control port's counts (accepted, rejected, errors) and the connection entries.
    fn summary(&mut self) -> ([u64; 3], usize) {
        match self {
            Engine::Model(d) => {
                let c = &d.control;
                ([c.accepted, c.rejected, c.errors], d.conn.len())
            }
            #[cfg(feature = "sim")]
            Engine::Rtl(d, _) => d.summary(),
        }
    }
}

/// What the receive threads share.
struct Shared<'a> {
    device: Mutex<Engine>,
    ports: [Port; 2],
    opts: &'a Options,
    /// Frames taken so far (both ports): the next one's index.
    taken: AtomicU64,
    stop: AtomicBool,
    state: Mutex<(Summary, Option<Log>)>,
    /// The first error that ended a thread.
    error: Mutex<Option<String>>,
}

impl Shared<'_> {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst) || SIGNALLED.load(Ordering::SeqCst)
    }

    fn fail(&self, e: String) {
        self.error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(e);
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Receives on port `ingress` until told to stop.
    fn serve(&self, ingress: u8) {
        let port = &self.ports[usize::from(ingress)];
        let mut buf = vec![0u8; BUF];
        while !self.stopping() {
            let f = match recv(port.fd, &mut buf) {
                Ok(Some(f)) => f,
                Ok(None) => continue,
                Err(e) => return self.fail(format!("{}: receiving: {e}", port.name)),
            };
            let index = self.taken.fetch_add(1, Ordering::SeqCst);
            if self.opts.count.is_some_and(|n| index >= n) {
                self.stop.store(true, Ordering::SeqCst);
                return;
            }
            // Linux hands frames over without their FCS: pad and add it, as a NIC sends them
            let f = crate::as_sent(&f);
            let mut st = self
                .device
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take(&f, ingress);
            if let Ok((egress, o)) = &st.out {
                let out = &self.ports[usize::from(*egress & 1)];
                // the wire's FCS is the kernel's business again
                let frame = &o[..o.len().saturating_sub(4)];
                let sent = out
                    .tx
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .send_to(frame, None)
                    .unwrap_or_else(|| Err(io::Error::other("larger than the send buffer")));
                if let Err(e) = sent {
                    eprintln!(
                        "flowdist: {}: sending a {}-byte frame: {e}",
                        out.name,
                        frame.len()
                    );
                    st.out = Err("send_error");
                }
            }
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            state.0.count(ingress, &f, &st);
            if let Some(log) = &mut state.1 {
                if let Err(e) = log.write(&record(index as usize, ingress, &f, &st)) {
                    drop(state);
                    return self.fail(e);
                }
            }
            if self.opts.count.is_some_and(|n| index + 1 >= n) {
                self.stop.store(true, Ordering::SeqCst);
            }
        }
    }
}

/// Runs the distributor on interfaces `names` (port 0, port 1) until `opts` or a signal stops
/// it; prints the summary to stdout.
pub fn live(cfg: &DataPlaneConfig, names: &[String], opts: &Options) -> Result<(), String> {
    let [n0, n1] = names else {
        return Err(format!(
            "--ports: two interfaces expected (port 0, port 1), got {}",
            names.len()
        ));
    };
    if n0 == n1 {
        return Err(format!("--ports: {n0} given for both ports"));
    }
    if let Some(s) = opts.seconds.filter(|s| !(s.is_finite() && *s > 0.0)) {
        return Err(format!(
            "--seconds: {s} is not a positive number of seconds"
        ));
    }
    let log = opts.log.as_deref().map(Log::create).transpose()?;
    let (bits, timeout) = opts.conn_table;
    if !(5..=16).contains(&bits) {
        return Err(format!(
            "control.conn_table_bits: {bits} is out of range 5..=16"
        ));
    }
    let model = || {
        Engine::Model(Device {
            cfg: cfg.clone(),
            classifier: Classifier::new(cfg),
            counters: EventCounters::default(),
            conn: ConnTable::new(u32::from(bits), timeout),
            settings: ConnSettings {
                timeout,
                ..opts.conn_settings
            },
            next_tick: std::time::Instant::now() + std::time::Duration::from_secs(1),
            stations: MacTable::new(
                flowdist_hdl::switch_core::MAC_BITS as u32,
                opts.bridge.timeout,
            ),
            bridge: opts.bridge,
            next_station_tick: std::time::Instant::now() + station_epoch(&opts.bridge),
            control: ControlPort::new(opts.access.clone()),
        })
    };
    #[cfg(feature = "sim")]
    let engine = if opts.sim {
        let settings = ConnSettings {
            timeout,
            ..opts.conn_settings
        };
        Engine::Rtl(
            crate::live_sim::RtlDevice::new(cfg, &opts.access, &settings, &opts.bridge),
            cfg.clone(),
        )
    } else {
        model()
    };
    #[cfg(not(feature = "sim"))]
    let engine = model();
    let shared = Shared {
        device: Mutex::new(engine),
        ports: [open(n0)?, open(n1)?],
        opts,
        taken: AtomicU64::new(0),
        stop: AtomicBool::new(opts.count == Some(0)),
        state: Mutex::new((Summary::default(), log)),
        error: Mutex::new(None),
    };
    // SAFETY: the handler only stores to an atomic
    unsafe {
        let h = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::signal(libc::SIGINT, h);
        libc::signal(libc::SIGTERM, h);
    }
    println!("live: port 0 = {n0}, port 1 = {n1} (Ctrl-C stops)");
    let deadline = opts
        .seconds
        .map(|s| Instant::now() + Duration::from_secs_f64(s));
    std::thread::scope(|sc| {
        for ingress in 0..2u8 {
            let shared = &shared;
            sc.spawn(move || shared.serve(ingress));
        }
        while !shared.stopping() {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                shared.stop.store(true, Ordering::SeqCst);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    let (summary, log) = shared.state.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut device = shared
        .device
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    let ([accepted, rejected, errors], tracked) = device.summary();
    let mut out = io::stdout().lock();
    summary.print(&mut out, true).map_err(|e| e.to_string())?;
    writeln!(
        out,
        "control requests: {accepted} accepted, {rejected} rejected, {errors} errors; \
         {tracked} connections tracked"
    )
    .map_err(|e| e.to_string())?;
    if let Some(mut log) = log {
        log.flush()?;
        if let Some(p) = &opts.log {
            writeln!(out, "wrote {}", p.display()).map_err(|e| e.to_string())?;
        }
    }
    match shared.error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
