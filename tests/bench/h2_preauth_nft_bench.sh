#!/usr/bin/env bash
# Pre-authentication HTTP/2 load with and without deploy/nftables/warden-collector.nft, measured
# (docs/security.md): in a network namespace of its own (loopback only, MTU 1500 like a LAN), a
# collector on 127.0.0.1:7443 with 10 simulated enrolled agents reporting from 127.0.0.1
# (tests/bench/load_generator) while tests/integration/h2_preauth_load.py attacks from 127.0.0.2;
# once without the nftables table, once with it. Needs root (ip netns, nft).
#   tests/bench/h2_preauth_nft_bench.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "needs root (ip netns, nft)" >&2; exit 1; }
ns="warden-h2-bench-$$"
out=$(mktemp -d)
cleanup() {
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up mtu 1500

run() {  # name
  echo "== $1" >&2
  ip netns exec "$ns" "$build/tests/bench/load_generator" --agents 10 --rate 10 --no-sweep \
    --port 7443 --attack "$src/tests/integration/h2_preauth_load.py" \
    --attack-args "--source 127.0.0.2" >"$out/$1.txt" 2>"$out/$1.err" || {
    cat "$out/$1.txt" "$out/$1.err" >&2
    exit 1
  }
  grep -E '^(ingest|attack:|collector: [0-9.]+ CPU)' "$out/$1.txt" | sed "s/^/$1: /"
}

run without-nftables
ip netns exec "$ns" nft -f "$src/deploy/nftables/warden-collector.nft"
run with-nftables
echo "nftables counters:"
ip netns exec "$ns" nft list table inet warden_collector | grep -E 'counter packets [1-9]' || true
echo
for name in without-nftables with-nftables; do
  echo "$name, what the attacker saw:"
  grep '^attack result:' "$out/$name.txt" | sed 's/^attack result: //' | /usr/bin/python3 -c '
import json, sys
for p in json.load(sys.stdin)["phases"]:
    keep = {k: p[k] for k in ("seconds", "connections", "connect_failed", "not_established",
            "closed_by_server", "streams_sent", "streams_opened", "established", "rst_stream",
            "goaway", "grpc_status") if k in p and p[k] not in ({}, 0)}
    print("  %-12s %s" % (p["phase"], json.dumps(keep)))'
done
