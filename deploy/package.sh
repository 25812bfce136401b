#!/usr/bin/env bash
# Builds the Debian packages warden-agent and warden-collector into DIST_DIR (default ./dist),
# with install-agent.sh beside them (what IT copies to each workstation).
# Installs what is missing and builds first (BUILD_DIR, default ./build), like test.sh.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
"$top/deploy/install-deps.sh"
export BUILD_DIR="${BUILD_DIR:-$top/build}"
"$top/deploy/build.sh"
dist="${DIST_DIR:-$top/dist}"
mkdir -p "$dist"
cpack --config "$BUILD_DIR/CPackConfig.cmake" -B "$dist" >/dev/null
rm -rf "$dist/_CPack_Packages"
install -m 0755 "$top/deploy/install-agent.sh" "$dist/install-agent.sh"
ls -1 "$dist"/*.deb "$dist/install-agent.sh"
