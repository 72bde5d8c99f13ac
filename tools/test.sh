#!/usr/bin/env bash
# Run the whole test suite, installing what it needs first (Verilator and yosys from Debian:
# yosys synthesizes the core for the post-synthesis netlist simulation).
# Ends with one line "tests: N passed, N failed" summed over every test binary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
missing=""
command -v verilator >/dev/null 2>&1 || missing="$missing verilator"
command -v yosys >/dev/null 2>&1 || missing="$missing yosys"
if [ -n "$missing" ]; then
    echo "tools/test.sh: installing$missing (Debian packages)" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
verilator --version
yosys -V
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace --features flowdist/sim "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# build.py's own logic (the seed sweep), with fake tools
python3 -m unittest discover -s fpga-build -p 'test_*.py' 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
set -e
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$rc"
