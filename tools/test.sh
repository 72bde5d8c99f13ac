#!/usr/bin/env bash
# Run the whole test suite, installing what it needs first (Verilator from Debian).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v verilator >/dev/null 2>&1; then
    echo "tools/test.sh: installing verilator (Debian package)" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq verilator >/dev/null
fi
verilator --version
cargo test --workspace "$@"
