"""Tests of build.py's own logic (no FPGA tool is run): the seed sweep.

    python3 -m unittest discover -s fpga-build -p 'test_*.py'
"""

import json
import tempfile
import unittest
from pathlib import Path

import build


class SeedSweep(unittest.TestCase):
    """place_and_route with run_step replaced by a fake nextpnr that writes, for each
    seed, a report whose blink clock achieves the given MHz (constraint 125)."""

    def sweep(self, seeds, achieved):
        out = Path(self.tmp.name)
        results = [out / "report.json", out / "nextpnr.log", out / "top.config"]
        ran = []

        def fake_run_step(name, cmd, log, out_dir):
            seed = int(cmd[cmd.index("--seed") + 1]) if "--seed" in cmd else None
            ran.append(seed)
            mhz = achieved[seed]
            results[0].write_text(json.dumps(
                {"fmax": {"clk": {"achieved": mhz, "constraint": 125.0}}}))
            log.write_text(f"log of seed {seed}\n")
            results[2].write_text(f"config of seed {seed}\n")
            return 1.5

        saved, build.run_step = build.run_step, fake_run_step
        try:
            spent, note = build.place_and_route(["nextpnr"], seeds, results, out)
        finally:
            build.run_step = saved
        return ran, spent, note, results

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_stops_at_the_first_seed_that_meets_timing(self):
        ran, spent, note, results = self.sweep([1, 2, 3], {1: 120.9, 2: 126.6, 3: 130.0})
        self.assertEqual(ran, [1, 2])
        self.assertEqual(spent, 3.0)
        self.assertEqual(results[2].read_text(), "config of seed 2\n")
        self.assertEqual(results[1].read_text(), "log of seed 2\n")
        self.assertIn("seed 2 kept", note)
        self.assertIn("1: -4.10", note)

    def test_keeps_the_best_run_when_none_meets_timing(self):
        ran, _, note, results = self.sweep([1, 2, 3], {1: 120.9, 2: 123.5, 3: 119.0})
        self.assertEqual(ran, [1, 2, 3])
        self.assertEqual(json.loads(results[0].read_text())["fmax"]["clk"]["achieved"], 123.5)
        self.assertEqual(results[2].read_text(), "config of seed 2\n")
        self.assertIn("seed 2 kept", note)

    def test_one_seed_leaves_no_renamed_files(self):
        ran, _, note, results = self.sweep([7], {7: 110.0})
        self.assertEqual(ran, [7])
        self.assertEqual(results[2].read_text(), "config of seed 7\n")
        self.assertEqual(sorted(p.name for p in Path(self.tmp.name).iterdir()),
                         sorted(p.name for p in results))
        self.assertIn("seed 7 kept", note)

    def test_no_seed_runs_nextpnr_once_without_one(self):
        ran, _, note, _ = self.sweep(None, {None: 130.0})
        self.assertEqual(ran, [None])
        self.assertIsNone(note)


class SeedList(unittest.TestCase):
    def test_parses_and_rejects(self):
        self.assertEqual(build.seed_list("1,2,3"), [1, 2, 3])
        self.assertEqual(build.seed_list("5"), [5])
        for bad in ("1,,2", "a", "1,1"):
            with self.assertRaises(build.argparse.ArgumentTypeError):
                build.seed_list(bad)


if __name__ == "__main__":
    unittest.main()
