#!/usr/bin/env bash
# Quick start: installs what is missing, builds, starts a collector on its embedded SQLite
# database, enrolls a local agent, runs a compliance sweep and prints the fleet summary.
# Everything lives under ./build/quickstart; nothing is installed system-wide beyond packages.
# With --keep-running the collector and agent stay up afterwards (their PIDs are printed).
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
keep=0
[ "${1:-}" = "--keep-running" ] && keep=1
port="${WARDEN_QUICKSTART_PORT:-17443}"

"$top/deploy/install-deps.sh"
export BUILD_DIR="${BUILD_DIR:-$top/build}"
# Only the three programs it runs: the test suite is built by the test command.
WARDEN_TARGETS="warden-collector warden-agent wardenctl" "$top/deploy/build.sh"
bin="$BUILD_DIR"
collector="$bin/collector/warden-collector"
agent="$bin/agent/warden-agent"
ctl="$bin/collector/wardenctl/wardenctl"

qs="$BUILD_DIR/quickstart"
rm -rf "$qs"
mkdir -p "$qs"
sock="$qs/collector/admin.sock"

pids=()
cleanup() { [ "$keep" = 1 ] || for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "==> starting warden-collector on 127.0.0.1:$port (data in $qs/collector)"
"$collector" --data-dir "$qs/collector" --listen "127.0.0.1:$port" >"$qs/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { echo "collector did not start:"; cat "$qs/collector.log"; exit 1; }

fingerprint="$("$collector" ca-fingerprint --data-dir "$qs/collector")"
echo "==> CA fingerprint $fingerprint"
token="$("$ctl" -s "$sock" --json token create --department "Quickstart" --ttl 1h \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

echo "==> enrolling this PC"
# The token on standard input, never on the command line (other users can read argv).
printf '%s\n' "$token" | "$agent" enroll --collector "127.0.0.1:$port" --token-file - \
  --ca-fingerprint "$fingerprint" --state-dir "$qs/agent"

echo "==> starting warden-agent"
"$agent" run --state-dir "$qs/agent" >"$qs/agent.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  "$ctl" -s "$sock" --json hosts | grep -q '"online": true' && break
  sleep 0.1
done

echo "==> running a compliance sweep"
"$ctl" -s "$sock" sweep run --wait --timeout 120s
echo
echo "==> fleet summary"
"$ctl" -s "$sock" status
echo
"$ctl" -s "$sock" hosts
echo
"$ctl" -s "$sock" findings --status fail || true
if [ "$keep" = 1 ]; then
  echo
  echo "collector pid ${pids[0]}, agent pid ${pids[1]}; try: $ctl -s $sock host $(hostname)"
fi
