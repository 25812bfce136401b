#!/usr/bin/env bash
# Configures and builds Warden into BUILD_DIR (default ./build). Extra arguments go to CMake.
# Warnings are not errors here (a newer compiler must not break an install); CI builds with
# -Werror (deploy/test.sh).
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$top/build}"
# /usr prefix: the compiled-in paths (antivirus catalog) are the ones the packages install.
cmake -S "$top" -B "$build" -G Ninja -DWARDEN_WERROR=OFF -DCMAKE_INSTALL_PREFIX=/usr "$@" >/dev/null
ninja -C "$build" -j"$(nproc)"
