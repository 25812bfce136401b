#!/usr/bin/env bash
# Configures and builds Warden into BUILD_DIR (default ./build). Extra arguments go to CMake.
# WARDEN_TARGETS="warden-collector wardenctl" builds only those (the quick start builds the three
# programs it runs; the test command builds the rest).
# Warnings are not errors here (a newer compiler must not break an install); CI builds with
# -Werror (deploy/test.sh).
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$top/build}"
# /usr prefix: the compiled-in paths (antivirus catalog) are the ones the packages install.
cmake -S "$top" -B "$build" -G Ninja -DWARDEN_WERROR=OFF -DCMAKE_INSTALL_PREFIX=/usr "$@" >/dev/null
# shellcheck disable=SC2086 # a list of target names
ninja -C "$build" -j"$(nproc)" ${WARDEN_TARGETS:-}
