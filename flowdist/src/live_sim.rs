//! `flowdist live --sim`: the Verilator simulation of the RTL core (`SwitchCore`, its control
//! port on) as the live device, so that real frames and `flowdist ctl` meet the hardware's own
//! logic. Each frame received runs through the simulation alone, with 12,000 idle cycles after
//! it (room for the longest control reply); whatever the core sends on either port in that
//! time leaves by that port's interface. Slow (a few hundred frames a second) but exact: it is
//! for trying the hardware's behaviour on a real network stack, not for carrying traffic.
use flowdist_model::conn_arbiter::ConnSettings;
use flowdist_model::control_port::Access;
use flowdist_model::egress_port::frames_on_wire;
use flowdist_model::event_counters::Counter;
use flowdist_model::mac_arbiter::BridgeSettings;
use flowdist_model::tables::DataPlaneConfig;
use flowdist_tests::switch_harness::{Dut, SwitchSim, CORE_HALF_PS};

pub(crate) struct RtlDevice {
    sim: SwitchSim,
}

impl RtlDevice {
    pub(crate) fn new(
        cfg: &DataPlaneConfig,
        access: &Access,
        conn: &ConnSettings,
        bridge: &BridgeSettings,
    ) -> Self {
        let mut sim = SwitchSim::with_tables(Dut::SwitchCore, cfg, conn, bridge);
        sim.set_access(access);
        RtlDevice { sim }
    }

    /// One frame (FCS included) in on `ingress`: what the core sent, (egress port, frame with
    /// its FCS) in the order each port sent them, port 0's first.
    pub(crate) fn take(&mut self, f: &[u8], ingress: u8) -> Result<Vec<(u8, Vec<u8>)>, String> {
        let mut frames: [Vec<Vec<u8>>; 2] = [Vec::new(), Vec::new()];
        frames[usize::from(ingress & 1)].push(f.to_vec());
        let wire = self
            .sim
            .run([&frames[0], &frames[1]], [CORE_HALF_PS; 2], |_| 12_000);
        let mut out = Vec::new();
        for p in 0..2u8 {
            let sent = frames_on_wire(&wire.tx[usize::from(p)])
                .map_err(|e| format!("the RTL's port {p}: framing {e:?}"))?;
            out.extend(sent.into_iter().map(|o| (p, o)));
        }
        Ok(out)
    }

    /// The control port's counts (R13 counters 76, 77, 78: accepted, rejected, errors) and
    /// the connection table's valid entries, read from the core.
    pub(crate) fn summary(&mut self) -> ([u64; 3], usize) {
        let c = self.sim.read_counters();
        let at = |k: Counter| c[k.index()];
        let entries = self
            .sim
            .read_conn_table()
            .iter()
            .filter(|s| s.valid)
            .count();
        (
            [
                at(Counter::ControlAccepted),
                at(Counter::ControlRejected),
                at(Counter::ControlErrors),
            ],
            entries,
        )
    }
}
