#!/usr/bin/env bash
# Runs the cross-built warden-agent.exe under wine64 and checks what `check --json` prints:
# exit 0, valid JSON, host facts with a host name / OS / machine GUID, network facts with at least
# one non-loopback adapter that has a MAC and an address (what Wine exposes from the Linux host),
# and an honest `error` finding for every check of the domains without a Windows probe yet.
# Not wired into ctest or .ci/run yet (docs/windows.md).
#
# Usage: tests/windows/agent_exe_test.sh [warden-agent.exe]
#        (default: build-windows/agent/warden-agent.exe, built by deploy/windows/build.sh)
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EXE=${1:-$SRC/build-windows/agent/warden-agent.exe}
[ -f "$EXE" ] || { echo "agent_exe_test: $EXE missing (run deploy/windows/build.sh)" >&2; exit 1; }
WINE=""
for w in wine64 wine /usr/lib/wine/wine64; do
  if command -v "$w" >/dev/null 2>&1; then WINE=$(command -v "$w"); break; fi
done
[ -n "$WINE" ] || { echo "agent_exe_test: SKIP: no wine64" >&2; exit 77; }

TMP=$(mktemp -d /tmp/warden-agent-exe-test.XXXXXX)
export WINEPREFIX="$TMP/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
  "$(command -v wineserver || echo /usr/lib/wine/wineserver64)" -k >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

set +e
timeout 300 "$WINE" "$EXE" check --json --state-dir 'C:\warden-test-state' >"$TMP/out.json" 2>"$TMP/err.txt"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "agent_exe_test: FAIL: exit $rc; stderr:" >&2
  tail -20 "$TMP/err.txt" >&2
  exit 1
fi
python3 -m json.tool "$TMP/out.json" >/dev/null || { echo "agent_exe_test: FAIL: not JSON" >&2; head -c 2000 "$TMP/out.json" >&2; exit 1; }

python3 - "$TMP/out.json" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
facts, findings = out["facts"], out["findings"]
problems = []
host = facts.get("host", {})
if "error" in host:
    problems.append(f"host probe failed: {host['error']}")
for field in ("hostname", "os_id", "os_name", "os_version", "arch", "machine_id"):
    if not host.get(field):
        problems.append(f"host.{field} is empty")
if host.get("os_id") != "windows":
    problems.append(f"host.os_id is {host.get('os_id')!r}, not 'windows'")
net = facts.get("network", {})
if "error" in net:
    problems.append(f"network probe failed: {net['error']}")
real = [i for i in net.get("interfaces", [])
        if i.get("kind") != "loopback" and i.get("mac") and i.get("addresses")]
if not real:
    problems.append("no non-loopback adapter with a MAC and an address")
if not net.get("hostname"):
    problems.append("network.hostname is empty")
by_check = {}
for f in findings:
    by_check.setdefault(f["check"], []).append(f)
for check in ("net.unauthorized_interface", "net.internet_egress"):
    for f in by_check.get(check, []):
        if f["status"] == "error":
            problems.append(f"{check} is error: {f.get('summary')}")
# Domains without a Windows probe: every finding is an honest error naming the missing probe.
for domain in ("antivirus", "hygiene", "patches", "usb"):
    err = facts.get(domain, {}).get("error", "")
    if "no Windows probe" not in err:
        problems.append(f"{domain}: expected the missing-probe error, got {facts.get(domain)!r}")
missing = [f for f in findings if f["status"] == "error"]
if not missing:
    problems.append("no error findings for the domains without Windows probes")
if problems:
    print("agent_exe_test: FAIL:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"agent_exe_test: host {host['hostname']!r} {host['os_name']!r} {host['os_version']} "
      f"{host['arch']}; {len(net['interfaces'])} adapters, {len(real)} with MAC+address "
      f"({', '.join(i['name'] + ' ' + i['mac'] for i in real)}); "
      f"{len(findings)} findings, {len(missing)} error (domains without Windows probes)")
PY
echo "agent_exe_test: PASS"
