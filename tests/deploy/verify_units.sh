#!/usr/bin/env bash
# Verifies Warden's systemd units with systemd-analyze, pointing ExecStart at the built binaries
# (verify checks that the executables exist). Fails on any warning or error it prints.
set -euo pipefail
units="$1"
build="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for u in "$units"/*.service; do
  sed -e "s|/usr/sbin/warden-collector|$build/collector/warden-collector|" \
      -e "s|/usr/sbin/warden-agent|$build/agent/warden-agent|" "$u" > "$tmp/$(basename "$u")"
done
out="$(cd "$tmp" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no ./*.service 2>&1 || true)"
# A unit's User= need not exist on the build machine; everything else is a real problem.
problems="$(printf '%s\n' "$out" | grep -v -e '^$' -e 'Failed to resolve user' -e 'user .* does not exist' || true)"
if [ -n "$problems" ]; then
  printf 'systemd-analyze verify found problems:\n%s\n' "$problems"
  exit 1
fi
for u in "$tmp"/*.service; do
  grep -q '^Type=notify' "$u" || { echo "$(basename "$u") is not Type=notify"; exit 1; }
  grep -q '^NoNewPrivileges=yes' "$u" || { echo "$(basename "$u") lacks NoNewPrivileges"; exit 1; }
  grep -q '^ProtectSystem=strict' "$u" || { echo "$(basename "$u") lacks ProtectSystem=strict"; exit 1; }
done
echo "verified: $(ls "$tmp" | tr '\n' ' ')"
