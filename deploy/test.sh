#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds (warnings are errors), runs ctest; then
# the same suite again built with clang under ASan+UBSan, with the fuzz targets (deploy/sanitize.sh).
# WARDEN_SKIP_SANITIZE=1 skips that second pass (quicker local runs; CI always does both).
# Needs root: tests start real daemons, create network namespaces and use umockdev.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
"$top/deploy/install-deps.sh"
export BUILD_DIR="${BUILD_DIR:-$top/build}"
"$top/deploy/build.sh"
(cd "$BUILD_DIR" && ctest --output-on-failure -j2 --timeout 300 "$@")
if [ "${WARDEN_SKIP_SANITIZE:-0}" != 1 ]; then
  "$top/deploy/sanitize.sh" "$@"
fi
