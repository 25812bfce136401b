#!/usr/bin/env bash
# Pre-authentication HTTP/2 load, measured (docs/security.md): the same simulated enrolled agents
# (tests/bench/load_generator: real certificates, real mutual-TLS streams, a paced report rate)
# against a fresh collector three times in one run: no attack; the attack
# (tests/integration/h2_preauth_load.py, every phase) with the HTTP/2 limits off
# (agent_http2_limits = off: gRPC's defaults, the collector before issue 10); the same attack
# with the limits on; the same attack on the agent port of a collector whose enrollment listener
# is apart (enroll_listen: the agent port requires a client certificate). Prints each run's lines
# and a summary table.
#   tests/bench/h2_preauth_bench.sh [BUILD_DIR] [AGENTS] [REPORTS_PER_S]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
agents=${2:-50}
rate=${3:-100}
gen="$build/tests/bench/load_generator"
attack="$here/../integration/h2_preauth_load.py"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() {  # name, load_generator args...
  local name=$1
  shift
  echo "== $name" >&2
  "$gen" --agents "$agents" --rate "$rate" --no-sweep "$@" >"$out/$name.txt" 2>"$out/$name.err" || {
    echo "load_generator failed ($name):" >&2
    cat "$out/$name.txt" "$out/$name.err" >&2
    exit 1
  }
  cat "$out/$name.txt"
}

run baseline --reports $((rate * 20 / agents))
run limits-off --attack "$attack" --conf "agent_http2_limits = off"
run limits-on --attack "$attack"
run enroll-apart --attack "$attack" --enroll-apart

echo
echo "| run | reports offered | acked | ack p50 | ack p99 | collector CPU s | CPU s/wall s | peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
for name in baseline limits-off limits-on enroll-apart; do
  /usr/bin/python3 - "$name" "$out/$name.txt" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
def grab(pattern, default="-"):
    m = re.search(pattern, text)
    return m.group(1) if m else default
p50, p99 = grab(r"p50 ([0-9.]+) ms"), grab(r"p99 ([0-9.]+) ms")
ingest_s = float(grab(r"ingest: ([0-9.]+) s", "0"))
cores = float(grab(r"collector: ([0-9.]+) cores", "0"))
if "attack:" in text:
    offered, acked = grab(r"(\d+) reports offered"), grab(r"offered during it, (\d+) acked")
    cpu, wall = grab(r"([0-9.]+) CPU s during"), grab(r"ingest\+attack \(([0-9.]+) s wall")
    peak = grab(r"peak RSS (\d+) MB\n")
else:
    agents, per = int(grab(r"agents=(\d+)", "0")), int(grab(r"reports/agent=(\d+)", "0"))
    offered = acked = str(agents * per) if "NOT ALL ACKED" not in text else "?"
    cpu, wall = "%.2f" % (cores * ingest_s), "%.2f" % ingest_s
    peak = grab(r"peak (\d+) MB")
ratio = "%.2f" % (float(cpu) / float(wall)) if float(wall) else "-"
print("| %s | %s | %s | %s ms | %s ms | %s | %s | %s MB |" % (name, offered, acked, p50, p99, cpu,
                                                         ratio, peak))
PY
done
for name in limits-off limits-on enroll-apart; do
  echo
  echo "$name, what the attacker saw:"
  grep '^attack result:' "$out/$name.txt" | sed 's/^attack result: //' | /usr/bin/python3 -c '
import json, sys
for p in json.load(sys.stdin)["phases"]:
    keep = {k: p[k] for k in ("seconds", "connections", "connect_failed", "not_established",
            "closed_by_server", "streams_sent", "streams_opened", "established", "rst_stream",
            "goaway", "grpc_status", "attempts", "answered") if k in p and p[k] not in ({}, 0)}
    print("  %-12s %s" % (p["phase"], json.dumps(keep)))'
done
