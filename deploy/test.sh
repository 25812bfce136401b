#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds (warnings are errors), runs ctest.
# Needs root: tests start real daemons, create network namespaces and use umockdev.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
"$top/deploy/install-deps.sh"
export BUILD_DIR="${BUILD_DIR:-$top/build}"
"$top/deploy/build.sh"
cd "$BUILD_DIR"
ctest --output-on-failure -j2 --timeout 300 "$@"
