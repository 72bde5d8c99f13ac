//! The `Classifier` top (parser + decision) under Verilator, loaded with a data-plane
//! configuration through its configuration bus, against the model.
use crate::parser_harness::{hex, stream};
use flowdist_model::classifier::classify;
use flowdist_model::decision::{Decision, Kind};
use flowdist_model::delivery::{plan, Plan};
use flowdist_model::frame_editor::{ArpReply, Edits, Encap, TagOp, TtlEdit};
use flowdist_model::tables::{Action, DataPlaneConfig};
use flowdist_sim::{Dut, Sim};

/// Bucket-table size of the simulated classifier (2^12).
pub const BUCKET_BITS: u8 = 12;

const OUTPUTS: [&str; 24] = [
    "dec_kind",
    "dec_tm",
    "dec_cell",
    "dec_row",
    "dec_col",
    "dec_action",
    "dec_backup",
    "plan_drop",
    "plan_port",
    "plan_set_dst",
    "plan_dst_mac",
    "plan_set_src",
    "plan_tag_op",
    "plan_tci",
    "plan_encap",
    "plan_encap_at",
    "plan_tun_dst",
    "plan_tun_len",
    "tunnel_src",
    "plan_arp",
    "dec_route",
    "dec_route_idx",
    "dec_ttl_expired",
    "plan_ttl",
];

/// Configuration-bus writes (address, data) that load `cfg`'s tables.
pub fn cfg_writes(cfg: &DataPlaneConfig) -> Vec<(u16, u32)> {
    cfg.bus_writes()
}

pub struct ClassifierSim {
    pub sim: Sim,
    pub cfg: DataPlaneConfig,
    pub ingress: u8,
}

impl ClassifierSim {
    pub fn new(cfg: &DataPlaneConfig, ingress: u8) -> Self {
        Self::new_on(Dut::Classifier, cfg, ingress)
    }

    /// A top with the classifier's configuration inputs (`Classifier` or `IngressPort`),
    /// configured and loaded.
    pub fn new_on(dut: Dut, cfg: &DataPlaneConfig, ingress: u8) -> Self {
        let mut c = Self::prebuilt(dut, cfg, ingress);
        let stim: Vec<u64> = cfg_writes(cfg)
            .iter()
            .flat_map(|&(a, d)| [1u64, a as u64, d as u64])
            .collect();
        let n = stim.len() / 3;
        c.sim
            .run(&["cfg_we", "cfg_addr", "cfg_data"], &stim, n, None, &[])
            .unwrap();
        c.sim.set("cfg_we", 0).unwrap();
        c
    }

    /// A top whose tables were baked in at build time: only the registers are set (group
    /// MAC, FIG. 9, TM up, ports, hash options); no configuration-bus writes.
    pub fn prebuilt(dut: Dut, cfg: &DataPlaneConfig, ingress: u8) -> Self {
        assert_eq!(
            cfg.bucket_bits, BUCKET_BITS,
            "the simulated classifier has 2^12 buckets"
        );
        let mut sim = Sim::new(dut);
        let set = |sim: &mut Sim, n: &str, v: u64| sim.set(n, v).unwrap();
        set(&mut sim, "hash_use_port", cfg.hash.use_port as u64);
        set(&mut sim, "hash_use_vlan", cfg.hash.use_vlan as u64);
        set(&mut sim, "group_mac", cfg.group_mac);
        set(&mut sim, "actions", cfg.actions.pack() as u64);
        set(&mut sim, "tm_up", cfg.tm_up() as u64);
        set(&mut sim, "trunk_port", cfg.trunk_port as u64);
        set(&mut sim, "ingress", ingress as u64);
        sim.reset(4).unwrap();
        ClassifierSim {
            sim,
            cfg: cfg.clone(),
            ingress,
        }
    }

    /// Frames through an `IngressPort` top: what it sends, (egress port, frame), in order,
    /// and how many frames it did not admit (overload, `drop_overrun`). Panics if `out_valid`
    /// is low for more than `CUT_THROUGH_MAX_PAUSE` cycles inside a frame.
    pub fn ingress_outputs(
        &mut self,
        frames: &[Vec<u8>],
        gap: impl Fn(usize) -> usize,
    ) -> (Vec<(u8, Vec<u8>)>, usize) {
        let mut stim = stream(frames, gap);
        // room for the last frames to leave the buffer
        stim.extend(std::iter::repeat_n(0, 3 * 4000));
        let cycles = stim.len() / 3;
        let outputs = [
            "out_valid",
            "out_data",
            "out_last",
            "out_port",
            "drop_overrun",
        ];
        let recs = self
            .sim
            .run(
                &["rx_valid", "rx_data", "rx_last"],
                &stim,
                cycles,
                None,
                &outputs,
            )
            .unwrap();
        let overruns = recs.iter().filter(|r| r[4] != 0).count();
        // the egress ports start a frame while it is still arriving (cut-through), which is
        // right only if the ingress port pauses little inside a frame
        let max = flowdist_hdl::egress_port::CUT_THROUGH_MAX_PAUSE;
        let (mut open, mut paused) = (false, 0);
        for (c, r) in recs.iter().enumerate() {
            if open && r[0] == 0 {
                paused += 1;
                assert!(
                    paused <= max,
                    "IngressPort idle {paused} cycles inside a frame (at cycle {c}), more than \
                     the egress's cut-through allows ({max})"
                );
            }
            if r[0] != 0 {
                open = r[2] == 0;
                if !open {
                    paused = 0;
                }
            }
        }
        let sent: Vec<_> = recs
            .iter()
            .filter(|r| r[0] != 0)
            .map(|r| r[1..4].to_vec())
            .collect();
        (crate::editor_harness::split_frames(&sent), overruns)
    }

    /// Frames through the RTL: the decisions and delivery plans, in order (one per
    /// well-formed frame).
    pub fn decide(
        &mut self,
        frames: &[Vec<u8>],
        gap: impl Fn(usize) -> usize,
    ) -> Vec<(Decision, Plan)> {
        let stim = stream(frames, gap);
        let mut stim2 = stim.clone();
        // room for the last decision
        stim2.extend(std::iter::repeat_n(0, 3 * 64));
        let cycles = stim2.len() / 3;
        let recs = self
            .sim
            .run(
                &["rx_valid", "rx_data", "rx_last"],
                &stim2,
                cycles,
                Some("dec_valid"),
                &OUTPUTS,
            )
            .unwrap();
        let group = self.cfg.group_mac & 0xFFFF_FFFF_FFFF;
        recs.iter()
            .map(|r| {
                let d = Decision {
                    kind: Kind::from_code(r[0] as u8).unwrap_or(Kind::NoTm),
                    tm: r[1] as u8,
                    cell: (r[2] != 0)
                        .then(|| (r[3] as u8, r[4] as u8, Action::from_code(r[5] as u8))),
                    backup: r[6] != 0,
                    conn: false,
                    route: (r[20] != 0).then_some(r[21] as u8),
                    ttl_expired: r[22] != 0,
                    filtered: false,
                };
                let tag = match if r[7] != 0 { 0 } else { r[12] } {
                    0 => TagOp::Keep,
                    1 => TagOp::Push(r[13] as u16),
                    2 => TagOp::SetVid(r[13] as u16),
                    _ => TagOp::Pop,
                };
                let p = Plan {
                    drop: r[7] != 0,
                    port: r[8] as u8,
                    edits: Edits {
                        dst_mac: (r[9] != 0).then_some(r[10] as u64),
                        src_mac: (r[11] != 0).then_some(group),
                        tag,
                        encap: (r[14] != 0).then_some(Encap {
                            at: r[15] as usize,
                            dst: r[16] as u32,
                            inner_len: r[17] as u16,
                            src: r[18] as u32,
                        }),
                        arp: (r[19] != 0).then_some(ArpReply {
                            at: r[15] as usize,
                            sha: group,
                            spa: r[16] as u32,
                        }),
                        ttl: (r[23] != 0).then_some(TtlEdit {
                            at: r[15] as usize,
                            ttl: (r[16] >> 16) as u8,
                            checksum: r[16] as u16,
                        }),
                    },
                };
                (d, p)
            })
            .collect()
    }

    /// RTL against model, frame by frame; `Err` names the first divergence.
    pub fn cross_check(
        &mut self,
        frames: &[Vec<u8>],
        gap: impl Fn(usize) -> usize,
    ) -> Result<Vec<Decision>, String> {
        self.cross_check_plans(frames, gap)
            .map(|v| v.into_iter().map(|x| x.0).collect())
    }

    /// As [`Self::cross_check`], decisions and delivery plans.
    pub fn cross_check_plans(
        &mut self,
        frames: &[Vec<u8>],
        gap: impl Fn(usize) -> usize,
    ) -> Result<Vec<(Decision, Plan)>, String> {
        let rtl = self.decide(frames, gap);
        let mut k = 0;
        let mut want_all = Vec::new();
        for (i, f) in frames.iter().enumerate() {
            let (h, want) = classify(f, self.ingress, &self.cfg);
            let Some(want) = want else { continue };
            let want = (want, plan(&want, &h, self.ingress, &self.cfg));
            want_all.push(want);
            match rtl.get(k) {
                Some(got) if *got == want => {}
                Some(got) => {
                    return Err(format!(
                    "frame {i}: decision diverges\n  model {want:?}\n  rtl   {got:?}\nframe: {}",
                    hex(f)
                ))
                }
                None => {
                    return Err(format!(
                        "frame {i}: the RTL gave no decision\nframe: {}",
                        hex(f)
                    ))
                }
            }
            k += 1;
        }
        if rtl.len() != k {
            return Err(format!("RTL gave {} decisions, model {k}", rtl.len()));
        }
        Ok(want_all)
    }
}

/// What one run showed: frames the model sends, frames the RTL sent, frames not admitted.
pub struct Outcome {
    pub want: usize,
    pub got: usize,
    pub overruns: usize,
}

/// RTL against the model. With no overload (no `drop_overrun`) the outputs must be identical;
/// under overload every frame the RTL sends must still be bit-exact and in order (the model's
/// list with whole frames left out), and no more frames may be missing than were dropped.
pub fn check_ingress(
    dut: Dut,
    cfg: &flowdist_model::tables::DataPlaneConfig,
    ingress: u8,
    frames: &[Vec<u8>],
    gap: impl Fn(usize) -> usize,
) -> Result<Outcome, String> {
    let mut sim = ClassifierSim::new_on(dut, cfg, ingress);
    let (got, overruns) = sim.ingress_outputs(frames, gap);
    let want = flowdist_model::ingress_port::ingress_outputs(frames, ingress, cfg);
    let outcome = Outcome {
        want: want.len(),
        got: got.len(),
        overruns,
    };
    if overruns == 0 {
        for (i, w) in want.iter().enumerate() {
            match got.get(i) {
                Some(g) if g == w => {}
                Some(g) => {
                    return Err(format!(
                        "output frame {i} diverges\n model port {} {}\n rtl   port {} {}",
                        w.0,
                        hex(&w.1),
                        g.0,
                        hex(&g.1)
                    ))
                }
                None => {
                    return Err(format!(
                        "RTL sent {} frames, model {}",
                        got.len(),
                        want.len()
                    ))
                }
            }
        }
        if got.len() != want.len() {
            return Err(format!(
                "RTL sent {} frames, model {}",
                got.len(),
                want.len()
            ));
        }
        return Ok(outcome);
    }
    // overload: an order-preserving subsequence of the model's frames
    let mut k = 0;
    for (i, g) in got.iter().enumerate() {
        while k < want.len() && want[k] != *g {
            k += 1;
        }
        if k == want.len() {
            return Err(format!(
                "RTL frame {i} (port {}) is not the model's next frame or a later one (a cut or \
                 mixed frame?): {}",
                g.0,
                hex(&g.1)
            ));
        }
        k += 1;
    }
    if want.len() - got.len() > overruns {
        return Err(format!(
            "{} frames missing but only {overruns} dropped for overload",
            want.len() - got.len()
        ));
    }
    Ok(outcome)
}
