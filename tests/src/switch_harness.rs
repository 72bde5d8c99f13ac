//! The two-port data path (`SwitchCore`) at the GMII level: each port's receive side on its
//! own clock, the core on another; frames in with preamble and gaps, frames out decoded from
//! the transmit side and compared with the model.
use flowdist_model::conn_arbiter::{replay_counting, ConnEvent, ConnSettings, Source};
use flowdist_model::conn_table::{ConnKey, ConnTable, Slot};
use flowdist_model::control_port::{Access, ControlPort, Verdict};
use flowdist_model::decision::Decision;
use flowdist_model::egress_port::{frames_on_wire, merge_of};
use flowdist_model::event_counters::{describe, EventCounters, COUNTERS};
use flowdist_model::gmii_rx::transmit;
use flowdist_model::header_parser::HeaderFields;
use flowdist_model::mac_arbiter::{BridgeSettings, MacEvent, MacSource};
use flowdist_model::mac_table::{MacTable, Slot as StationSlot};
use flowdist_model::tables::DataPlaneConfig;
/// (re-exported for `flowdist live --sim`, which has no dependency of its own on the binding)
pub use flowdist_sim::Dut;
use flowdist_sim::{Sim, VIRTUAL_CLOCK};

/// Core clock half period: 125 MHz.
pub const CORE_HALF_PS: u64 = 4000;

pub struct SwitchSim {
    pub sim: Sim,
    clock: usize,
    pub cfg: DataPlaneConfig,
    pub conn: ConnSettings,
    /// The model's connection table and counters, carried from one `check` to the next.
    pub table: ConnTable,
    pub counts: EventCounters,
    /// The model's decisions for the frames of the last `check`.
    pub last_decisions: [Vec<Option<Decision>>; 2],
    /// `ct_op_done`, `ct_op_src`, `ct_op_result`, `ct_op_tm`, `ct_ticked`, `ct_skipped`.
    ct: [usize; 6],
    /// What the table did outside `run` (set-up, reads), for the next run's record.
    pending_events: Vec<ConnEvent>,
    /// The model's control port (R10): who may send requests, its counts.
    pub control: ControlPort,
    /// The MAC learning table's registers (R7) and the model's table, carried from one
    /// `check` to the next.
    pub bridge: BridgeSettings,
    pub stations: MacTable,
    /// `mt_op_done`, `mt_op_src`, `mt_op_result`, `mt_op_port`, `mt_ticked`, `mt_skipped`.
    mt: [usize; 6],
    pending_mac: Vec<MacEvent>,
    /// Core cycles from the last request's last byte on the wire to its reply's first
    /// (preamble) cycle (`request`).
    pub reply_after: Option<usize>,
}

/// Slots of the core's connection table (`hdl::switch_core::CONN_BITS`).
pub const CONN_BITS: u32 = 10;

/// Slots of the core's MAC learning table (`hdl::switch_core::MAC_BITS`).
pub const MAC_BITS: u32 = 10;

/// What came out of both ports, and the whole-frame drops (see `SwitchCore::drops`).
pub struct Wire {
    pub tx: [Vec<(bool, u8)>; 2],
    /// Frames not admitted by ingress port 0, 1 (overload).
    pub overruns: [usize; 2],
    /// Frames dropped at egress port 0, 1 (ring full).
    pub egress_drops: [usize; 2],
    /// Pulses seen on each bit of `drops`.
    pub drop_pulses: [usize; 6],
    /// What the connection table did, in order (`ct_op_*`, `ct_ticked`, `ct_skipped`).
    pub conn_events: Vec<ConnEvent>,
    /// What the MAC learning table did, in order (`mt_op_*`, `mt_ticked`, `mt_skipped`).
    pub mac_events: Vec<MacEvent>,
}

impl SwitchSim {
    /// Registers set, tables loaded over the configuration bus, reset.
    pub fn new(cfg: &DataPlaneConfig) -> Self {
        Self::of(Dut::SwitchCore, cfg)
    }

    /// The same on another build of the core (`Dut::SwitchCoreNetlist`: after synthesis).
    pub fn of(dut: Dut, cfg: &DataPlaneConfig) -> Self {
        Self::with_conn(dut, cfg, &ConnSettings::default())
    }

    /// The same with the connection table's registers set.
    pub fn with_conn(dut: Dut, cfg: &DataPlaneConfig, conn: &ConnSettings) -> Self {
        Self::with_tables(dut, cfg, conn, &BridgeSettings::default())
    }

    /// The same with the connection table's and the MAC table's registers set.
    pub fn with_tables(
        dut: Dut,
        cfg: &DataPlaneConfig,
        conn: &ConnSettings,
        bridge: &BridgeSettings,
    ) -> Self {
        let sim = Sim::new(dut);
        let clock = sim.poke_index("clock").unwrap();
        let ct = [
            "ct_op_done",
            "ct_op_src",
            "ct_op_result",
            "ct_op_tm",
            "ct_ticked",
            "ct_skipped",
        ]
        .map(|n| sim.port(n).unwrap());
        let mt = [
            "mt_op_done",
            "mt_op_src",
            "mt_op_result",
            "mt_op_port",
            "mt_ticked",
            "mt_skipped",
        ]
        .map(|n| sim.port(n).unwrap());
        let mut s = SwitchSim {
            bridge: *bridge,
            stations: MacTable::new(MAC_BITS, bridge.timeout),
            mt,
            pending_mac: Vec::new(),
            sim,
            clock,
            cfg: cfg.clone(),
            conn: *conn,
            table: ConnTable::new(CONN_BITS, conn.timeout),
            counts: EventCounters::default(),
            last_decisions: [Vec::new(), Vec::new()],
            ct,
            pending_events: Vec::new(),
            control: ControlPort::default(),
            reply_after: None,
        };
        let regs = [
            ("hash_use_port", cfg.hash.use_port as u64),
            ("hash_use_vlan", cfg.hash.use_vlan as u64),
            ("group_mac", cfg.group_mac),
            ("actions", cfg.actions.pack() as u64),
            ("tm_up", cfg.tm_up() as u64),
            ("trunk_port", cfg.trunk_port as u64),
            ("conn_enable", conn.enable as u64),
            ("conn_learn", conn.learn as u64),
            ("conn_timeout", conn.timeout as u64),
            ("epoch_cycles", conn.epoch_cycles as u64),
            ("mac_enable", bridge.learning as u64),
            ("mac_timeout", bridge.timeout as u64),
            ("mac_epoch_cycles", bridge.epoch_cycles as u64),
            ("ctl_enable", 1),
        ];
        for (n, v) in regs {
            let i = s.sim.poke_index(n).unwrap();
            s.sim.poke(i, v);
        }
        let (we, addr, data, reset) = (
            s.sim.poke_index("cfg_we").unwrap(),
            s.sim.poke_index("cfg_addr").unwrap(),
            s.sim.poke_index("cfg_data").unwrap(),
            s.sim.poke_index("reset").unwrap(),
        );
        // long enough for the counters to zero themselves (one a cycle, 128)
        s.sim.poke(reset, 1);
        for _ in 0..130 {
            s.core_cycle();
        }
        s.sim.poke(reset, 0);
        for (a, d) in cfg.bus_writes() {
            s.sim.poke(we, 1);
            s.sim.poke(addr, a as u64);
            s.sim.poke(data, d as u64);
            s.core_cycle();
        }
        s.sim.poke(we, 0);
        s.core_cycle();
        s
    }

    fn core_cycle(&mut self) {
        // the receive clocks stay still: only the core's registers move
        let c = self.clock;
        let (ct, mt) = (self.ct, self.mt);
        let mut ev = std::mem::take(&mut self.pending_events);
        let mut mev = std::mem::take(&mut self.pending_mac);
        self.sim.run_clocks(
            &[(c, CORE_HALF_PS, 0)],
            2 * CORE_HALF_PS - 1,
            |_, _| {},
            |s, _| {
                conn_sample(s, &ct, &mut ev);
                mac_sample(s, &mt, &mut mev);
            },
        );
        self.pending_events = ev;
        self.pending_mac = mev;
    }

    /// Frames (FCS included) into port 0 and port 1, each receive side with its own half
    /// period; `gap(i)` idle cycles after frame i (at least 12). Runs until everything has
    /// had time to come out.
    pub fn run(
        &mut self,
        frames: [&[Vec<u8>]; 2],
        rx_half_ps: [u64; 2],
        gap: impl Fn(usize) -> usize,
    ) -> Wire {
        let rows: Vec<Vec<(bool, u8)>> = frames.iter().map(|fs| gmii_rows(fs, &gap)).collect();
        let ports: Vec<[usize; 3]> = (0..2)
            .map(|p| ["dv", "er", "d"].map(|n| self.sim.poke_index(&format!("rx{p}_{n}")).unwrap()))
            .collect();
        let rx_clk = [
            self.sim.poke_index("rx0_clock").unwrap(),
            self.sim.poke_index("rx1_clock").unwrap(),
        ];
        let outs: Vec<[usize; 2]> = (0..2)
            .map(|p| ["en", "d"].map(|n| self.sim.port(&format!("tx{p}_{n}")).unwrap()))
            .collect();
        let total_bytes: usize = frames
            .iter()
            .flat_map(|f| f.iter())
            .map(|f| f.len() + 40)
            .sum();
        let until = rows
            .iter()
            .zip(rx_half_ps)
            .map(|(r, h)| r.len() as u64 * 2 * h)
            .max()
            .unwrap()
            + (total_bytes as u64 + 6000) * 2 * CORE_HALF_PS;
        let mut pos = [0usize; 2];
        // epochs stop 3,000 cycles before the run's end (every frame is in by then) until the
        // next run, so that a tick and the table sweep it starts are over and recorded before
        // the table is read and compared (a tick during the reads would sweep the RTL's table
        // ahead of the model's)
        let epoch = self.sim.poke_index("epoch_cycles").unwrap();
        self.sim.poke(epoch, self.conn.epoch_cycles as u64);
        let mac_epoch = self.sim.poke_index("mac_epoch_cycles").unwrap();
        self.sim.poke(mac_epoch, self.bridge.epoch_cycles as u64);
        let freeze_at = (until / (2 * CORE_HALF_PS)).saturating_sub(3000);
        let mut cycle = 0u64;
        let mut tx: [Vec<(bool, u8)>; 2] = [Vec::new(), Vec::new()];
        let drops = self.sim.port("drops").unwrap();
        let mut counts = [0usize; 6];
        let (ct, mt) = (self.ct, self.mt);
        // what the tables did since the last run (configuration, counter and table reads)
        let mut conn_events = std::mem::take(&mut self.pending_events);
        let mut mac_events = std::mem::take(&mut self.pending_mac);
        self.sim.run_clocks(
            &[
                (self.clock, CORE_HALF_PS, 0),
                (rx_clk[0], rx_half_ps[0], 1_111),
                (rx_clk[1], rx_half_ps[1], 2_345),
            ],
            until,
            |s, d| {
                if d > 0 {
                    let p = d - 1;
                    let (dv, b) = rows[p].get(pos[p]).copied().unwrap_or((false, 0));
                    pos[p] += 1;
                    s.poke(ports[p][0], dv as u64);
                    s.poke(ports[p][1], 0);
                    s.poke(ports[p][2], b as u64);
                }
            },
            |s, d| {
                if d == 0 {
                    cycle += 1;
                    if cycle == freeze_at {
                        s.poke(epoch, 0);
                        s.poke(mac_epoch, 0);
                    }
                    for p in 0..2 {
                        tx[p].push((s.get_index(outs[p][0]) != 0, s.get_index(outs[p][1]) as u8));
                    }
                    let d = s.get_index(drops);
                    for (k, c) in counts.iter_mut().enumerate() {
                        *c += (d >> k) as usize & 1;
                    }
                    conn_sample(s, &ct, &mut conn_events);
                    mac_sample(s, &mt, &mut mac_events);
                }
            },
        );
        // leave the core clock low, as `core_cycle` expects: the run may have stopped
        // between a rising and a falling edge, and then the next cycle's rising edge would
        // not be one
        self.sim.poke(self.clock, 0);
        self.sim
            .run_clocks(&[(VIRTUAL_CLOCK, CORE_HALF_PS, 0)], 0, |_, _| {}, |_, _| {});
        Wire {
            tx,
            overruns: [counts[0], counts[1]],
            egress_drops: [counts[2] + counts[3], counts[4] + counts[5]],
            drop_pulses: counts,
            conn_events,
            mac_events,
        }
    }

    /// A run's MAC table operations (`events`) replayed on the model's table in the
    /// hardware's order, each checked; `decisions` of the frames (`heads`) filtered by them.
    fn replay_stations(
        &mut self,
        heads: &[Vec<HeaderFields>; 2],
        events: &[MacEvent],
        decisions: &mut [Vec<Option<Decision>>; 2],
    ) -> Result<(), String> {
        flowdist_model::mac_arbiter::replay(
            [&heads[0], &heads[1]],
            self.cfg.group_mac,
            &self.bridge,
            &mut self.stations,
            events,
            decisions,
        )
    }

    /// Every slot of the MAC learning table, read through the control side (op 2).
    pub fn read_mac_table(&mut self) -> Vec<StationSlot> {
        let pokes =
            ["mt_ctl_req", "mt_ctl_op", "mt_ctl_key"].map(|n| self.sim.poke_index(n).unwrap());
        let (done, src) = (
            self.sim.port("mt_op_done").unwrap(),
            self.sim.port("mt_op_src").unwrap(),
        );
        let mut slots = Vec::new();
        for a in 0..1u64 << MAC_BITS {
            self.sim.poke(pokes[0], 1);
            self.sim.poke(pokes[1], 2);
            self.sim.poke(pokes[2], a);
            self.core_cycle();
            self.sim.poke(pokes[0], 0);
            let mut got = None;
            for _ in 0..40 {
                if self.sim.get_index(done) != 0 && self.sim.get_index(src) == 4 {
                    got = Some(StationSlot::from_bits(
                        &self.sim.get_words("mt_op_entry").unwrap(),
                    ));
                    break;
                }
                self.core_cycle();
            }
            slots.push(got.expect("MAC table slot read answered"));
        }
        // slot reads change nothing: not replayed
        self.pending_mac.retain(|e| {
            !matches!(
                e,
                MacEvent::Done {
                    src: MacSource::Control,
                    ..
                }
            )
        });
        slots
    }

    /// The RTL's MAC table against the model's, slot by slot (`Slot::same_as`: an expired
    /// entry the scrub has not reached yet is an empty one).
    pub fn check_mac_table(&mut self) -> Result<(), String> {
        let slots = self.read_mac_table();
        let t = &self.stations;
        match (0..slots.len()).find(|&a| !t.slots[a].same_as(&slots[a], t.now, t.timeout)) {
            Some(a) => Err(format!(
                "MAC table slot {a}: model {:?}, RTL {:?}",
                t.slots[a], slots[a]
            )),
            None => Ok(()),
        }
    }

    /// Every slot of the connection table, read through the control side (op 3).
    pub fn read_conn_table(&mut self) -> Vec<Slot> {
        let req = self.sim.poke_index("ct_ctl_req").unwrap();
        let op = self.sim.poke_index("ct_ctl_op").unwrap();
        let (done, src) = (
            self.sim.port("ct_op_done").unwrap(),
            self.sim.port("ct_op_src").unwrap(),
        );
        let mut slots = Vec::new();
        for a in 0..1u128 << CONN_BITS {
            self.sim.poke(req, 1);
            self.sim.poke(op, 3);
            self.sim.set_u128("ct_ctl_key", a).unwrap();
            self.core_cycle();
            self.sim.poke(req, 0);
            let mut got = None;
            for _ in 0..40 {
                if self.sim.get_index(done) != 0 && self.sim.get_index(src) == 4 {
                    got = Some(Slot::from_bits(&self.sim.get_words("ct_op_entry").unwrap()));
                    break;
                }
                self.core_cycle();
            }
            slots.push(got.expect("connection table slot read answered"));
        }
        slots
    }

    /// One control operation on the connection table (`ct_ctl_*`: 0 lookup, 1 insert, with
    /// `keep` a learn, 2 delete), on the RTL and on the model's table, between runs: the
    /// results must agree; counted on the model's counters by the model's outcome (the
    /// table's control counters). Returns the result code. Not entered in the next run's
    /// replay (it is applied here); for runs with time standing still (`epoch_cycles` 0),
    /// else a tick could fall on either side of it.
    pub fn table_control(
        &mut self,
        op: u8,
        key: &ConnKey,
        tm: u8,
        keep: bool,
    ) -> Result<u8, String> {
        let pokes = ["ct_ctl_req", "ct_ctl_op", "ct_ctl_tm", "ct_ctl_keep"]
            .map(|n| self.sim.poke_index(n).unwrap());
        let (done, src, result, rtm) = (
            self.sim.port("ct_op_done").unwrap(),
            self.sim.port("ct_op_src").unwrap(),
            self.sim.port("ct_op_result").unwrap(),
            self.sim.port("ct_op_tm").unwrap(),
        );
        for (i, v) in pokes.iter().zip([1, op as u64, tm as u64, keep as u64]) {
            self.sim.poke(*i, v);
        }
        self.sim.set_u128("ct_ctl_key", key.packed()).unwrap();
        self.core_cycle();
        self.sim.poke(pokes[0], 0);
        let mut got = None;
        for _ in 0..60 {
            if self.sim.get_index(done) != 0 && self.sim.get_index(src) == 4 {
                got = Some((
                    self.sim.get_index(result) as u8,
                    self.sim.get_index(rtm) as u8,
                ));
                break;
            }
            self.core_cycle();
        }
        let (r, t) = got.ok_or("control operation not answered")?;
        // applied here, not in the next run's replay
        if let Some(i) = self.pending_events.iter().rposition(|e| {
            matches!(
                e,
                ConnEvent::Done {
                    src: Source::Control,
                    ..
                }
            )
        }) {
            self.pending_events.remove(i);
        }
        let o = match (op, keep) {
            (0, _) => self.table.lookup(key),
            (1, false) => self.table.insert(key, tm),
            (1, true) => self.table.learn(key, tm),
            (2, _) => self.table.delete(key),
            _ => return Err(format!("control op {op}: not one the model applies")),
        };
        if o.code() != (r, t) {
            return Err(format!(
                "control op {op} of {key:?}: model {o:?}, hardware result {r} TM {t}"
            ));
        }
        self.counts.table_outcome(Source::Control, o);
        Ok(r)
    }

    /// All 128 counters (R13), read one at a time through `ctr_rd`.
    pub fn read_counters(&mut self) -> Vec<u64> {
        let (rd, addr) = (
            self.sim.poke_index("ctr_rd").unwrap(),
            self.sim.poke_index("ctr_addr").unwrap(),
        );
        let (valid, data) = (
            self.sim.port("ctr_valid").unwrap(),
            self.sim.port("ctr_data").unwrap(),
        );
        let mut got = Vec::new();
        for a in 0..COUNTERS as u64 {
            self.sim.poke(rd, 1);
            self.sim.poke(addr, a);
            self.core_cycle();
            self.sim.poke(rd, 0);
            for _ in 0..10 {
                if self.sim.get_index(valid) != 0 {
                    got.push(self.sim.get_index(data) as u64);
                    break;
                }
                self.core_cycle();
            }
            if got.len() as u64 != a + 1 {
                got.push(u64::MAX);
            }
        }
        got
    }

    /// Frames through both ports against the model: each output port must carry the model's
    /// frames for it from both ingress pipelines, each pipeline's in order, whole and
    /// correctly framed; frames may be missing only as many as were counted dropped (overload
    /// of an ingress ring, full egress ring), and none when none were. Returns the frames sent
    /// per port and the wire.
    pub fn check(
        &mut self,
        frames: [&[Vec<u8>]; 2],
        rx_half_ps: [u64; 2],
        gap: impl Fn(usize) -> usize,
    ) -> Result<([usize; 2], Wire), String> {
        let wire = self.run(frames, rx_half_ps, gap);
        // the decisions: with the connection table, its operations replayed on the model's in
        // the hardware's order (and counted: the table's counters); without, frame by frame
        let table = &mut self.table;
        let mut decisions = replay_counting(
            frames,
            &self.cfg,
            &self.conn,
            table,
            &wire.conn_events,
            &mut self.counts,
        )?;
        // then the MAC table's operations, in the hardware's order: which bridged frames
        // were filtered
        let heads = frames.map(|fs| {
            fs.iter()
                .map(|f| flowdist_model::header_parser::parse(f, &self.cfg.hash))
                .collect::<Vec<_>>()
        });
        self.replay_stations(&heads, &wire.mac_events, &mut decisions)?;
        let want: Vec<Vec<(u8, Vec<u8>)>> = (0..2)
            .map(|i| {
                flowdist_model::ingress_port::ingress_outputs_decided(
                    frames[i],
                    i as u8,
                    &self.cfg,
                    &decisions[i],
                )
            })
            .collect();
        let sent = compare_with(&want, &wire)?;
        let counters = self.read_counters();
        count(&mut self.counts, &self.cfg, frames, Some(&decisions), &wire)?;
        counters_agree(&self.counts, &counters)?;
        if self.conn.enable {
            let slots = self.read_conn_table();
            let t = &self.table;
            if let Some(a) = (0..slots.len()).find(|&a| !same_slot(&slots[a], &t.slots[a], t)) {
                return Err(format!(
                    "connection table slot {a}: model {:?}, RTL {:?}",
                    t.slots[a], slots[a]
                ));
            }
        }
        if self.bridge.learning {
            self.check_mac_table()?;
        }
        self.last_decisions = decisions;
        Ok((sent, wire))
    }

    /// Configuration-bus writes into the running core, and into the model's configuration.
    pub fn write_bus(&mut self, writes: &[(u16, u32)], cfg: &DataPlaneConfig) {
        let (we, addr, data) = (
            self.sim.poke_index("cfg_we").unwrap(),
            self.sim.poke_index("cfg_addr").unwrap(),
            self.sim.poke_index("cfg_data").unwrap(),
        );
        for &(a, d) in writes {
            self.sim.poke(we, 1);
            self.sim.poke(addr, a as u64);
            self.sim.poke(data, d as u64);
            self.core_cycle();
        }
        self.sim.poke(we, 0);
        self.core_cycle();
        self.cfg = cfg.clone();
    }

    /// Who may send control requests (R10), in the running core and the model: management
    /// ports and VLANs, peers (`SwitchCore::mgmt_*`, `peers`; at most 4 VLANs and 2 peers).
    pub fn set_access(&mut self, access: &Access) {
        let vlans = access
            .management_vlans
            .iter()
            .take(4)
            .enumerate()
            .fold(0u64, |v, (i, &x)| v | u64::from(x & 0xFFF) << (12 * i));
        let peers = access
            .peers
            .iter()
            .take(2)
            .enumerate()
            .fold(0u128, |v, (i, &m)| {
                v | u128::from(m & 0xFFFF_FFFF_FFFF) << (48 * i)
            });
        let i = self.sim.poke_index("mgmt_ports").unwrap();
        self.sim.poke(i, u64::from(access.management_ports & 3));
        let i = self.sim.poke_index("mgmt_vlans").unwrap();
        self.sim.poke(i, vlans);
        self.sim.set_u128("peers", peers).unwrap();
        self.core_cycle();
        self.control = ControlPort::new(access.clone());
    }

    /// One control request (FCS included) into `port`, alone on the wire, against the model's
    /// control port on the model's configuration, table and counters: the reply byte for byte
    /// (or none when the model drops the request), nothing else sent, then the 128 counters
    /// and, with the table on, every slot. Returns the reply.
    pub fn request(&mut self, port: u8, frame: &[u8]) -> Result<Option<Vec<u8>>, String> {
        let p = usize::from(port & 1);
        let mut frames: [Vec<Vec<u8>>; 2] = [Vec::new(), Vec::new()];
        frames[p].push(frame.to_vec());
        // room for the longest request: 124 items, two table operations each, and the reply
        let wire = self.run([&frames[0], &frames[1]], [CORE_HALF_PS; 2], |_| 12_000);
        for e in &wire.conn_events {
            match e {
                ConnEvent::Tick => self.counts.expired(self.table.tick()),
                ConnEvent::Done {
                    src: Source::Control,
                    ..
                } => {}
                other => return Err(format!("a control request made the table do {other:?}")),
            }
        }
        let c = flowdist_model::classifier::Classifier::new(&self.cfg);
        let (h, d) = c.classify(frame, port);
        self.counts
            .ingress_decided(port, frame.len(), h.malformed(), d);
        // the MAC table: the request's source is learned by the decision, before the control
        // port reads any slot (station reads change nothing and are not replayed)
        let first_read = wire.mac_events.iter().position(|e| {
            matches!(
                e,
                MacEvent::Done {
                    src: MacSource::Control,
                    ..
                }
            )
        });
        if let Some(r) = first_read {
            if let Some(n) = wire.mac_events[r..].iter().position(|e| {
                !matches!(
                    e,
                    MacEvent::Done {
                        src: MacSource::Control,
                        ..
                    }
                )
            }) {
                return Err(format!(
                    "MAC table event {} ({:?}) during the control port's station reads",
                    r + n,
                    wire.mac_events[r + n]
                ));
            }
        }
        let mut heads = [Vec::new(), Vec::new()];
        heads[p].push(h);
        let mut decided = [Vec::new(), Vec::new()];
        decided[p].push(d);
        self.replay_stations(&heads, &wire.mac_events, &mut decided)?;
        let want = match self.control.handle(
            frame,
            port,
            &mut self.cfg,
            &mut self.counts,
            &mut self.table,
            &self.stations,
        ) {
            Verdict::Reply { frame, .. } => Some(frame),
            Verdict::Rejected => None,
            Verdict::NotControl => return Err("not a control request".into()),
        };
        let out = [0, 1].map(|q| frames_on_wire(&wire.tx[q]));
        let out = match out {
            [Ok(a), Ok(b)] => [a, b],
            _ => return Err("framing error on the wire".into()),
        };
        if !out[1 - p].is_empty() {
            return Err(format!(
                "{} frames out of port {} (the request came in on {p})",
                out[1 - p].len(),
                1 - p
            ));
        }
        let got = out[p].first().cloned();
        if out[p].len() > 1 || got != want {
            let at = match (&got, &want) {
                (Some(g), Some(w)) => first_divergence(&[g.clone()], &[w.clone()])
                    .map(|(_, b)| format!(", first difference at byte {b}"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            return Err(format!(
                "reply to a request on port {p}: RTL {:02x?}, model {:02x?}{at}",
                out[p], want
            ));
        }
        if let Some(r) = &got {
            self.counts.sent(port, r.len());
        }
        // the request's last byte: 4 idle cycles, preamble and delimiter, the frame
        let end = 4 + 8 + frame.len();
        self.reply_after = wire.tx[p]
            .iter()
            .position(|&(en, _)| en)
            .map(|t| t.saturating_sub(end));
        let counters = self.read_counters();
        counters_agree(&self.counts, &counters)?;
        if self.conn.enable {
            let slots = self.read_conn_table();
            let t = &self.table;
            if let Some(a) = (0..slots.len()).find(|&a| !same_slot(&slots[a], &t.slots[a], t)) {
                return Err(format!(
                    "connection table slot {a}: model {:?}, RTL {:?}",
                    t.slots[a], slots[a]
                ));
            }
        }
        if self.bridge.learning {
            self.check_mac_table()?;
        }
        Ok(got)
    }

    /// Which TMs are up, in the running core and the model.
    pub fn set_tm_up(&mut self, up: u16) {
        let i = self.sim.poke_index("tm_up").unwrap();
        self.sim.poke(i, up as u64);
        self.core_cycle();
        for (t, e) in self.cfg.tms.iter_mut().enumerate() {
            e.up = up >> t & 1 == 1;
        }
    }
}

/// What both ports sent against the model: each output port must carry the model's frames
/// for it from both ingress pipelines, each pipeline's in order, whole and correctly framed;
/// frames may be missing only as many as were counted dropped (overload of an ingress ring,
/// full egress ring), and none when none were. Returns the frames sent per port.
pub fn compare(
    cfg: &DataPlaneConfig,
    frames: [&[Vec<u8>]; 2],
    wire: &Wire,
) -> Result<[usize; 2], String> {
    let want: Vec<Vec<(u8, Vec<u8>)>> = (0..2)
        .map(|i| flowdist_model::ingress_port::ingress_outputs(frames[i], i as u8, cfg))
        .collect();
    compare_with(&want, wire)
}

/// Two slots the same: every field, or both not live (an expired entry is an empty one).
fn same_slot(a: &Slot, b: &Slot, t: &ConnTable) -> bool {
    a == b || (!t.is_live(a) && !t.is_live(b))
}

/// [`compare`] against given model outputs per ingress port: (egress port, frame).
pub fn compare_with(want: &[Vec<(u8, Vec<u8>)>], wire: &Wire) -> Result<[usize; 2], String> {
    let mut sent = [0; 2];
    for p in 0..2u8 {
        let out =
            frames_on_wire(&wire.tx[p as usize]).map_err(|e| format!("port {p}: framing {e:?}"))?;
        let from = |i: usize| -> Vec<Vec<u8>> {
            want[i]
                .iter()
                .filter(|(q, _)| *q == p)
                .map(|(_, f)| f.clone())
                .collect()
        };
        let (a, b) = (from(0), from(1));
        // an ingress drop may have been bound for either port
        let allowed = wire.overruns[0] + wire.overruns[1] + wire.egress_drops[p as usize];
        let exact = allowed == 0 && out.len() == a.len() + b.len();
        if !(exact || allowed > 0) || !merge_of(&out, &a, &b, allowed) {
            let missing: Vec<String> = a
                .iter()
                .map(|f| (0, f))
                .chain(b.iter().map(|f| (1, f)))
                .filter(|(_, f)| !out.contains(f))
                .map(|(i, f)| format!("from port {i}: {} bytes", f.len()))
                .collect();
            let extra = out
                .iter()
                .filter(|f| !a.contains(f) && !b.contains(f))
                .count();
            return Err(format!(
                "port {p}: {} frames out, model {} from port 0 and {} from port 1, or not \
                     the same frames in order; model frames missing: {missing:?}; frames not \
                     the model's: {extra}; dropped: {allowed}",
                out.len(),
                a.len(),
                b.len()
            ));
        }
        sent[p as usize] = out.len();
    }
    Ok(sent)
}

/// The counters read from the RTL against what they must hold: receive side (frames and
/// bytes, malformed, decisions by kind and TM) from the model on the frames sent in; transmit
/// side from the frames seen on the wire; drops from the pulses seen on `drops`.
pub fn compare_counters(
    cfg: &DataPlaneConfig,
    frames: [&[Vec<u8>]; 2],
    wire: &Wire,
    got: &[u64],
) -> Result<(), String> {
    compare_counters_decided(cfg, frames, None, wire, got)
}

/// [`compare_counters`] with the frames' decisions given (per port, per frame), else made
/// without the connection table.
/// The table's own counters are not counted here (`SwitchSim::check` counts them with
/// `replay_counting`): with the table on, use that.
pub fn compare_counters_decided(
    cfg: &DataPlaneConfig,
    frames: [&[Vec<u8>]; 2],
    decisions: Option<&[Vec<Option<Decision>>; 2]>,
    wire: &Wire,
    got: &[u64],
) -> Result<(), String> {
    let mut m = EventCounters::default();
    count(&mut m, cfg, frames, decisions, wire)?;
    counters_agree(&m, got)
}

/// Add a run's events to the model's counters: the frames received and their decisions (the
/// decisions the table made among them), the frames on the wire, the drops seen. The table's
/// operations are counted by `conn_arbiter::replay_counting`, which made the decisions.
pub fn count(
    m: &mut EventCounters,
    cfg: &DataPlaneConfig,
    frames: [&[Vec<u8>]; 2],
    decisions: Option<&[Vec<Option<Decision>>; 2]>,
    wire: &Wire,
) -> Result<(), String> {
    for p in 0..2u8 {
        for (i, f) in frames[p as usize].iter().enumerate() {
            match decisions {
                Some(d) => {
                    let h = flowdist_model::header_parser::parse(f, &cfg.hash);
                    m.ingress_decided(p, f.len(), h.malformed(), d[p as usize][i]);
                }
                None => m.ingress(p, f, cfg),
            }
        }
        for f in frames_on_wire(&wire.tx[p as usize]).map_err(|e| format!("{e:?}"))? {
            m.sent(p, f.len());
        }
    }
    let d = &wire.drop_pulses;
    for _ in 0..d[0] {
        m.overrun(0);
    }
    for _ in 0..d[1] {
        m.overrun(1);
    }
    for (k, &(e, from)) in [(0u8, 0u8), (0, 1), (1, 0), (1, 1)].iter().enumerate() {
        for _ in 0..d[2 + k] {
            m.egress_full(e, from);
        }
    }
    Ok(())
}

/// The counters read from the RTL against the model's: all 128 (the spare and reserved ones
/// must read 0).
pub fn counters_agree(m: &EventCounters, got: &[u64]) -> Result<(), String> {
    let wrong: Vec<String> = (0..COUNTERS)
        .filter(|&a| got.get(a) != Some(&m.read(a)))
        .map(|a| {
            format!(
                "{a} ({}): rtl {:?}, want {}",
                describe(a),
                got.get(a),
                m.read(a)
            )
        })
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!("counters: {}", wrong.join("; ")))
    }
}

/// GMII cycles (`dv`, byte) for frames: idle, then per frame 7 × 0x55, 0xD5, the frame and
/// `gap(i)` (at least 12) idle cycles.
pub fn gmii_rows(frames: &[Vec<u8>], gap: impl Fn(usize) -> usize) -> Vec<(bool, u8)> {
    let mut v = vec![(false, 0u8); 4];
    for (i, f) in frames.iter().enumerate() {
        v.extend(transmit(f).iter().map(|c| (c.dv, c.d)));
        v.extend((0..gap(i).max(12)).map(|_| (false, 0)));
    }
    v
}

/// What the core did with a stream of frames arriving on one port.
pub struct CoreRun {
    /// Frames sent on each port (FCS included), in order.
    pub ports: [Vec<Vec<u8>>; 2],
    /// The 128 counters read back afterwards.
    pub counters: Vec<u64>,
    pub wire: Wire,
}

/// Frames (FCS included) into `ingress` of the RTL core, `gap` idle cycles after each (at
/// least 12), both receive clocks at the core's frequency, the connection table as on the
/// board (lookups and learning; no epoch passes in a simulation this short); what came out
/// and the counters.
pub fn through_core(
    cfg: &DataPlaneConfig,
    frames: &[Vec<u8>],
    ingress: u8,
    gap: usize,
) -> Result<CoreRun, String> {
    let conn = ConnSettings {
        epoch_cycles: 0,
        ..ConnSettings::board()
    };
    let mut s = SwitchSim::with_conn(Dut::SwitchCore, cfg, &conn);
    let none: Vec<Vec<u8>> = Vec::new();
    let input: [&[Vec<u8>]; 2] = if ingress == 0 {
        [frames, &none]
    } else {
        [&none, frames]
    };
    let wire = s.run(input, [CORE_HALF_PS; 2], |_| gap);
    let mut ports: [Vec<Vec<u8>>; 2] = [Vec::new(), Vec::new()];
    for (p, out) in ports.iter_mut().enumerate() {
        *out = frames_on_wire(&wire.tx[p]).map_err(|e| format!("port {p}: framing {e:?}"))?;
    }
    let counters = s.read_counters();
    Ok(CoreRun {
        ports,
        counters,
        wire,
    })
}

/// Where two frame sequences first differ: (frame index, byte offset); a frame present in
/// one and not the other differs at offset 0.
pub fn first_divergence(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<(usize, usize)> {
    for i in 0..a.len().max(b.len()) {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) if x == y => continue,
            (Some(x), Some(y)) => {
                let off = x.iter().zip(y).take_while(|(p, q)| p == q).count();
                return Some((i, off));
            }
            _ => return Some((i, 0)),
        }
    }
    None
}

/// The connection table's reports in the cycle just clocked, in their order within it: a
/// dropped learn (asked the cycle before), an operation finished, the epoch advanced after it.
fn mac_sample(s: &Sim, mt: &[usize; 6], ev: &mut Vec<MacEvent>) {
    let skipped = s.get_index(mt[5]);
    for p in 0..2u8 {
        if skipped >> p & 1 == 1 {
            ev.push(MacEvent::Skipped(p));
        }
    }
    if s.get_index(mt[0]) != 0 {
        ev.push(MacEvent::Done {
            src: MacSource::from_code(s.get_index(mt[1]) as u8),
            result: s.get_index(mt[2]) as u8,
            port: s.get_index(mt[3]) as u8,
        });
    }
    if s.get_index(mt[4]) != 0 {
        ev.push(MacEvent::Tick);
    }
}

fn conn_sample(s: &Sim, ct: &[usize; 6], ev: &mut Vec<ConnEvent>) {
    let skipped = s.get_index(ct[5]);
    for p in 0..2u8 {
        if skipped >> p & 1 == 1 {
            ev.push(ConnEvent::Skipped(p));
        }
    }
    if s.get_index(ct[0]) != 0 {
        ev.push(ConnEvent::Done {
            src: Source::from_code(s.get_index(ct[1]) as u8),
            result: s.get_index(ct[2]) as u8,
            tm: s.get_index(ct[3]) as u8,
        });
    }
    if s.get_index(ct[4]) != 0 {
        ev.push(ConnEvent::Tick);
    }
}
