#!/usr/bin/env bash
# deploy/nftables/warden-collector.nft, loaded in a network namespace of its own (loopback only,
# so nothing outside it is touched), in front of a real warden-collector: one source address gets
# at most 16 connections (the 17th is reset), another address is not affected and still gets
# TLS + HTTP/2. Needs root (ip netns, nft); exits 77 (skipped) without.
#   nftables_test.sh SOURCE_DIR BINARY_DIR
set -euo pipefail
src=$1
bin=$2
if [ "$(id -u)" -ne 0 ] || ! command -v nft >/dev/null || ! command -v ip >/dev/null; then
  echo "skipped: needs root, nft and ip"
  exit 77
fi
ns="warden-nft-$$"
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" nft -f "$src/deploy/nftables/warden-collector.nft"
ip netns exec "$ns" "$bin/collector/warden-collector" --data-dir "$tmp/c" \
  --listen 127.0.0.1:7443 --log-level warn >"$tmp/collector.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  [ -S "$tmp/c/admin.sock" ] && break
  sleep 0.1
done
[ -S "$tmp/c/admin.sock" ] || { echo "collector did not start"; cat "$tmp/collector.log"; exit 1; }

ip netns exec "$ns" /usr/bin/python3 -B - "$src/tests/integration" <<'PY'
import socket, sys, time
sys.path.insert(0, sys.argv[1])
from h2_preauth_load import Conn

def connect(source):
    s = socket.socket()
    s.settimeout(5)
    s.bind((source, 0))
    try:
        s.connect(("127.0.0.1", 7443))
        return s
    except OSError:
        s.close()
        return None

held, refused = [], 0
for _ in range(20):
    s = connect("127.0.0.2")
    if s:
        held.append(s)
    else:
        refused += 1
    time.sleep(0.15)  # under the 10 new connections per second and address
print("from 127.0.0.2: %d connected, %d reset" % (len(held), refused))
assert len(held) == 16 and refused == 4, "per-address cap not applied"
others = [connect("127.0.0.3") for _ in range(3)]
print("from 127.0.0.3 meanwhile: %d of 3 connected" % sum(1 for s in others if s))
assert all(others), "another address was limited too"
c = Conn("127.0.0.1", 7443, source="127.0.0.3")
assert c.established(), "no TLS + HTTP/2 from another address"
print("from 127.0.0.3: TLS 1.3 + HTTP/2 settings received:", c.server_settings)
c.close()
for s in held + others:
    s.close()
PY
# The resets came from the rule (its counter), not from anything else. (No `nft | grep -q`:
# grep's early exit would SIGPIPE nft and fail the pipeline.)
rules=$(ip netns exec "$ns" nft list chain inet warden_collector warden_new)
echo "$rules" | grep 'ip saddr ct count over 16' | grep -Eq 'counter packets [1-9]'
echo "ok"
