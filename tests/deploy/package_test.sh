#!/usr/bin/env bash
# Builds the .deb packages from the build tree, inspects them with dpkg-deb, then installs,
# reinstalls, uses and purges them in a throwaway root: an overlay of this machine's / (so the
# Debian libraries they depend on are there) inside a private mount namespace, discarded after.
#   package_test.sh BUILD_DIR
set -euo pipefail
build="$1"
work="$(mktemp -d /tmp/warden-package-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -B "$work/dist" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack failed"; }
agent="$(ls "$work"/dist/warden-agent_*.deb)"
collector="$(ls "$work"/dist/warden-collector_*.deb)"
dpkg-deb -c "$agent" | awk '{print $6}' >"$work/agent.files"
dpkg-deb -c "$collector" | awk '{print $6}' >"$work/collector.files"

# --- what is inside ---------------------------------------------------------------------------
expect_field() {  # deb field pattern
  dpkg-deb -f "$1" "$2" | grep -Eq -- "$3" || fail "$(basename "$1") $2 does not match '$3': $(dpkg-deb -f "$1" "$2")"
}
expect_file() {  # which path
  grep -qx "./$2" "$work/$1.files" || fail "warden-$1 lacks $2"
}
expect_field "$agent" Package '^warden-agent$'
expect_field "$agent" Depends 'libgrpc\+\+1\.51'
expect_field "$agent" Depends 'libapt-pkg6\.0'
expect_field "$agent" Depends 'libudev1'
expect_field "$agent" Depends 'init-system-helpers'
expect_field "$collector" Package '^warden-collector$'
expect_field "$collector" Depends 'adduser'
expect_field "$collector" Depends 'libsqlite3-0'
expect_field "$collector" Depends 'libsimdjson'  # agent JSON checks
for f in usr/sbin/warden-agent lib/systemd/system/warden-agent.service etc/warden/agent.env \
         usr/share/warden/antivirus-catalog.json usr/share/warden-agent/install-agent.sh; do
  expect_file agent "$f"
done
for f in usr/sbin/warden-collector usr/bin/wardenctl lib/systemd/system/warden-collector.service \
         etc/warden/collector.conf usr/share/doc/warden-collector/operations.md; do
  expect_file collector "$f"
done
grep -q wardenctl "$work/agent.files" && fail "wardenctl must not be in warden-agent"
[ "$(dpkg-deb --ctrl-tarfile "$agent" | tar -xO ./conffiles)" = /etc/warden/agent.env ] ||
  fail "agent.env is not the agent's conffile"
[ "$(dpkg-deb --ctrl-tarfile "$collector" | tar -xO ./conffiles)" = /etc/warden/collector.conf ] ||
  fail "collector.conf is not the collector's conffile"
dpkg-deb -x "$collector" "$work/x"
[ -z "$(readelf -S "$work/x/usr/sbin/warden-collector" | grep debug_info || true)" ] ||
  fail "binaries are not stripped"
echo "inspected: $(basename "$agent") $(basename "$collector")"

# --- install, use, purge in a throwaway root --------------------------------------------------
getent passwd warden >/dev/null && fail "this machine already has a 'warden' user; the test needs a clean one"
mkdir -p "$work/upper" "$work/ovwork" "$work/root"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat >"$work/inside.sh" <<INSIDE
set -euo pipefail
fail() { echo "FAIL (in the throwaway root): \$*" >&2; exit 1; }
mode() { stat -c '%a %U:%G' "\$1"; }
export DEBIAN_FRONTEND=noninteractive
dpkg -i "$collector" "$agent" >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg -i failed"; }
for p in warden-agent warden-collector; do
  [ "\$(dpkg-query -W -f '\${Status}' \$p)" = "install ok installed" ] || fail "\$p is not installed"
done
getent passwd warden >/dev/null || fail "no warden system user"
[ "\$(getent passwd warden | cut -d: -f7)" = /usr/sbin/nologin ] || fail "warden user has a login shell"
[ "\$(mode /var/lib/warden-collector)" = "700 warden:warden" ] || fail "collector data dir is \$(mode /var/lib/warden-collector)"
[ "\$(mode /var/lib/warden-agent)" = "700 root:root" ] || fail "agent state dir is \$(mode /var/lib/warden-agent)"
[ "\$(mode /etc/warden/collector.conf)" = "640 root:warden" ] || fail "collector.conf is \$(mode /etc/warden/collector.conf)"
[ -e /etc/systemd/system/multi-user.target.wants/warden-collector.service ] || fail "collector service not enabled"
[ -e /etc/systemd/system/multi-user.target.wants/warden-agent.service ] || fail "agent service not enabled"
/usr/sbin/warden-agent --version >/dev/null || fail "warden-agent does not run"
/usr/bin/wardenctl --help >/dev/null || fail "wardenctl does not run"

# The collector runs as its unprivileged user with the packaged config and data directory
# (/run/warden-collector is what systemd's RuntimeDirectory= would make).
getent group warden-audit >/dev/null || fail "no warden-audit group"
install -d -m 0755 -o warden -g warden /run/warden-collector
runuser -u warden -- /usr/sbin/warden-collector --config /etc/warden/collector.conf \
  --data-dir /var/lib/warden-collector --listen 127.0.0.1:$port >/tmp/collector.log 2>&1 &
pid=\$!
for _ in \$(seq 100); do [ -S /var/lib/warden-collector/admin.sock ] && break; sleep 0.1; done
[ -S /var/lib/warden-collector/admin.sock ] || { cat /tmp/collector.log; fail "collector did not start as warden"; }
[ "\$(mode /var/lib/warden-collector/ca.key)" = "600 warden:warden" ] || fail "CA key is \$(mode /var/lib/warden-collector/ca.key)"
wardenctl -s /var/lib/warden-collector/admin.sock status >/dev/null || fail "wardenctl status failed"
[ "\$(mode /run/warden-collector/audit.sock)" = "660 warden:warden-audit" ] || fail "audit socket is \$(mode /run/warden-collector/audit.sock)"
wardenctl -s /run/warden-collector/audit.sock status >/dev/null || fail "the audit socket does not answer"
grep -q "Prometheus metrics on http://127.0.0.1:9469/metrics" /tmp/collector.log || fail "the packaged config does not turn metrics on"
kill \$pid; wait \$pid || true

# Reinstalling over itself keeps the admin's edits to a conffile and the data.
echo "log_level = debug" >>/etc/warden/collector.conf
dpkg -i "$collector" >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "reinstall failed"; }
grep -q '^log_level = debug' /etc/warden/collector.conf || fail "reinstall lost a conffile edit"
[ -f /var/lib/warden-collector/warden.db ] || fail "reinstall lost the database"

# Purge: no files left behind, the compliance database is moved aside, never destroyed.
dpkg --purge warden-agent warden-collector >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "purge failed"; }
for f in /usr/sbin/warden-agent /usr/sbin/warden-collector /usr/bin/wardenctl /etc/warden \
         /var/lib/warden-agent /var/lib/warden-collector /lib/systemd/system/warden-agent.service \
         /etc/systemd/system/multi-user.target.wants/warden-collector.service; do
  [ -e "\$f" ] && fail "\$f is left after purge"
done
getent passwd warden >/dev/null && fail "the warden user is left after purge"
getent group warden-audit >/dev/null && fail "the warden-audit group is left after purge"
saved="\$(ls -d /var/backups/warden-collector-* 2>/dev/null | head -1)"
[ -n "\$saved" ] && [ -f "\$saved/warden.db" ] || fail "purge did not keep the database in /var/backups"
[ "\$(stat -c %a "\$saved")" = 700 ] || fail "the kept data dir is readable by others"
echo "installed, used, reinstalled and purged cleanly"
INSIDE
unshare --mount --propagation private bash -c '
  set -e
  mount -t overlay overlay -o lowerdir=/,upperdir="$1/upper",workdir="$1/ovwork" "$1/root"
  mount -t proc proc "$1/root/proc"
  mount --rbind /dev "$1/root/dev"
  mount -t tmpfs tmpfs "$1/root/run"
  mount -t tmpfs tmpfs "$1/root/tmp"
  mkdir -p "$1/root/$1"
  mount --bind "$1" "$1/root/$1"
  chroot "$1/root" /bin/bash "$1/inside.sh"
' _ "$work"
