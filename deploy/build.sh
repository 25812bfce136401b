#!/usr/bin/env bash
# Configures and builds Warden into BUILD_DIR (default ./build). Extra arguments go to CMake.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$top/build}"
# /usr prefix: the compiled-in paths (antivirus catalog) are the ones the packages install.
cmake -S "$top" -B "$build" -G Ninja -DWARDEN_WERROR=ON -DCMAKE_INSTALL_PREFIX=/usr "$@" >/dev/null
ninja -C "$build" -j"$(nproc)"
