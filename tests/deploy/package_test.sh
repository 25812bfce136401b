#!/usr/bin/env bash
# Builds the .deb packages from the build tree, inspects them with dpkg-deb, then runs the
# operations guide (docs/operations.md) in a throwaway root: an overlay of this machine's / (so the
# Debian libraries they depend on are there) in private mount and network namespaces, discarded
# after. Every ```sh block of the guide runs, in order, as an admin would type it; after each one
# the checks under `checkpoint` below test what it should have done (tests/deploy/run_guide.py).
#
# systemd is not PID 1 here: `systemctl` is tests/deploy/systemctl_shim.py, which runs a unit's
# ExecStart= as the unit's User=/Group=, with its UMask= and its SystemCallFilter= as a seccomp
# filter, and waits for READY=1 like systemd does for Type=notify. The packages' maintainer
# scripts call it too (via deb-systemd-invoke), as they would call systemctl.
#   package_test.sh BUILD_DIR
set -euo pipefail
build="$1"
src="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/warden-package-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -B "$work/dist" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack failed"; }
agent="$(ls "$work"/dist/warden-agent_*.deb)"
collector="$(ls "$work"/dist/warden-collector_*.deb)"
dpkg-deb -c "$agent" | awk '{print $6}' >"$work/agent.files"
dpkg-deb -c "$collector" | awk '{print $6}' >"$work/collector.files"

# --- a tree configured for another prefix is refused ------------------------------------------
cmake -S "$src" -B "$work/usr-local" -G Ninja -DWARDEN_BUILD_TESTS=OFF >"$work/usr-local.log" 2>&1 ||
  { cat "$work/usr-local.log"; fail "configuring a /usr/local tree failed"; }
if cpack --config "$work/usr-local/CPackConfig.cmake" -B "$work/usr-local/dist" >"$work/usr-local.log" 2>&1; then
  fail "cpack packaged a tree configured for /usr/local"
fi
tr -s ' \n' ' ' <"$work/usr-local.log" | grep -q "refusing to package: this build tree is configured with CMAKE_INSTALL_PREFIX=/usr/local" ||
  { cat "$work/usr-local.log"; fail "cpack did not say why it refused /usr/local"; }
rm -rf "$work/usr-local"

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
         etc/warden/collector.conf etc/warden/collector.conf.d/ \
         usr/lib/tmpfiles.d/warden-collector.conf usr/share/doc/warden-collector/operations.md; do
  expect_file collector "$f"
done
grep -q wardenctl "$work/agent.files" && fail "wardenctl must not be in warden-agent"
grep -q '^\./usr/local' "$work/agent.files" "$work/collector.files" && fail "a package installs into /usr/local"
[ "$(dpkg-deb --ctrl-tarfile "$agent" | tar -xO ./conffiles)" = /etc/warden/agent.env ] ||
  fail "agent.env is not the agent's conffile"
[ "$(dpkg-deb --ctrl-tarfile "$collector" | tar -xO ./conffiles)" = /etc/warden/collector.conf ] ||
  fail "collector.conf is not the collector's conffile"
dpkg-deb -x "$collector" "$work/x"
[ -z "$(readelf -S "$work/x/usr/sbin/warden-collector" | grep debug_info || true)" ] ||
  fail "binaries are not stripped"
echo "inspected: $(basename "$agent") $(basename "$collector")"

# --- the next release, to upgrade to ----------------------------------------------------------
# The same build repackaged with a higher version whose shipped collector.conf and agent.env
# changed (as a release's do): an upgrade over an admin's edits of them would ask.
version="$(dpkg-deb -f "$collector" Version)"
next="$version+next"
site="$work/site"  # what the admin copied from dist/ to the machine
mkdir -p "$site"
cp "$collector" "$agent" "$src/deploy/install-agent.sh" "$site/"
for deb in "$collector" "$agent"; do
  rm -rf "$work/repack"
  dpkg-deb -R "$deb" "$work/repack"
  sed -i "s/^Version: .*/Version: $next/" "$work/repack/DEBIAN/control"
  for conf in "$work"/repack/etc/warden/*.conf "$work"/repack/etc/warden/*.env; do
    [ -f "$conf" ] && echo "# changed in $next" >>"$conf"
  done
  (cd "$work/repack" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | xargs -0 md5sum >DEBIAN/md5sums)
  name="$(dpkg-deb -f "$deb" Package)"
  dpkg-deb -b "$work/repack" "$site/${name}_${next}_amd64.deb" >/dev/null
done
rm -rf "$work/repack"
grep -q "apt install ./$(basename "$collector")" "$src/docs/operations.md" ||
  fail "the guide installs warden-collector_0.1.0_amd64.deb, the build made $(basename "$collector")"

# --- the guide, in a throwaway root -----------------------------------------------------------
getent passwd warden >/dev/null && fail "this machine already has a 'warden' user; the test needs a clean one"
python3 "$src/tests/deploy/run_guide.py" "$src/docs/operations.md" \
  '<token>=$(test_token)' \
  '<fingerprint>=$(warden-collector ca-fingerprint --data-dir /var/lib/warden-collector)' \
  '<date>=$(date +%F)' "<new>=$next" >"$work/guide.sh"
cp "$src/tests/deploy/systemctl_shim.py" "$work/systemctl"
mkdir -p "$work/upper" "$work/ovwork" "$work/root"
cat >"$work/inside.sh" <<'INSIDE'
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
export DEBIAN_FRONTEND=noninteractive
work="$1"
fail() { echo "FAIL (in the throwaway root, after $where): $*" >&2; exit 1; }
mode() { stat -c '%a %U:%G' "$1"; }
where="setup"
ip link set lo up
echo "127.0.0.1 warden.example.internal" >>/etc/hosts
install -m 0755 "$work/systemctl" /usr/local/sbin/systemctl  # the stand-in (see the header)
mkdir -p /run/systemd/system                                  # "systemd is running"
for person in alice bob; do adduser --quiet --disabled-password --gecos "" "$person"; done
test_token() {
  wardenctl --json token create --department "Finance/Office 2" --ttl 1h |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
log() { cat /run/systemctl-shim/warden-collector.service.log 2>/dev/null || true; }
wait_until() {  # what, command...: polls for up to three minutes (agents back off up to 60 s)
  local what="$1"; shift
  for _ in $(seq 1800); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "--- collector log"; log | tail -20
  echo "--- agent log"; tail -20 /run/systemctl-shim/warden-agent.service.log 2>/dev/null || true
  fail "$what"
}
agent_findings() {  # agent_id: the host's findings count at the collector
  wardenctl --json host "$1" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("findings", [])))'
}
has_findings() { [ "$(agent_findings "$1")" -gt 0 ]; }
connected() { wardenctl --json status | /usr/bin/python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["hosts"]["online"] >= 1 else 1)'; }
kept_dirs() { ls -d /var/backups/warden-collector /var/backups/warden-collector-* /var/lib/warden-collector.before-restore-* 2>/dev/null || true; }

checkpoint() {
  where="the guide's block $1"
  case "$1" in
    2.1)  # installed, started by the package the way the unit starts it, names in the certificate
      for p in warden-collector; do
        [ "$(dpkg-query -W -f '${Status}' $p)" = "install ok installed" ] || fail "$p is not installed"
      done
      [ "$(getent passwd warden | cut -d: -f7)" = /usr/sbin/nologin ] || fail "warden user has a login shell"
      [ "$(mode /var/lib/warden-collector)" = "700 warden:warden" ] || fail "data dir is $(mode /var/lib/warden-collector)"
      [ "$(mode /var/backups/warden-collector)" = "700 warden:warden" ] || fail "backup folder is $(mode /var/backups/warden-collector)"
      [ "$(mode /etc/warden/collector.conf)" = "640 root:warden" ] || fail "collector.conf is $(mode /etc/warden/collector.conf)"
      [ -e /etc/systemd/system/multi-user.target.wants/warden-collector.service ] || fail "collector service not enabled"
      systemctl is-active --quiet warden-collector || { log; fail "the collector is not running"; }
      pid="$(cat /run/systemctl-shim/warden-collector.service.pid)"
      [ "$(stat -c %U /proc/$pid)" = warden ] || fail "the collector does not run as warden"
      grep -q '^Seccomp:[[:space:]]*2' /proc/$pid/status || fail "the collector runs without its seccomp filter"
      [ "$(mode /var/lib/warden-collector/ca.key)" = "600 warden:warden" ] || fail "CA key is $(mode /var/lib/warden-collector/ca.key)"
      [ "$(mode /run/warden-collector)" = "2750 warden:warden-audit" ] || fail "/run/warden-collector is $(mode /run/warden-collector)"
      [ "$(mode /run/warden-collector/audit.sock)" = "660 warden:warden-audit" ] || fail "audit socket is $(mode /run/warden-collector/audit.sock)"
      sans="$(openssl x509 -noout -ext subjectAltName -in /var/lib/warden-collector/server.crt)"
      grep -q 'DNS:warden.example.internal' <<<"$sans" && grep -q 'IP Address:10.0.0.5' <<<"$sans" ||
        fail "server_names set after the first start are not in the certificate: $sans"
      log | grep -q "Prometheus metrics on http://127.0.0.1:9469/metrics" || fail "the packaged config does not turn metrics on"
      ca_fingerprint="$(warden-collector ca-fingerprint --data-dir /var/lib/warden-collector)"
      ;;
    2.3)  # an auditor without -s, and a user outside the auditors' group, are told what to do
      out="$(runuser -u alice -- wardenctl status 2>&1)" && fail "alice used the admin socket"
      grep -q -- "-s /run/warden-collector/audit.sock" <<<"$out" || fail "an auditor without -s was told: $out"
      out="$(runuser -u bob -- wardenctl -s /run/warden-collector/audit.sock status 2>&1)" && fail "bob used the audit socket"
      grep -q "members of the group warden-audit" <<<"$out" || fail "a user outside the group was told: $out"
      out="$(runuser -u alice -- wardenctl -s /run/warden-collector/audit.sock token create --department X 2>&1)" &&
        fail "an auditor created a token"
      grep -q "read-only auditor socket" <<<"$out" || fail "a change on the audit socket was refused with: $out"
      ;;
    4.1)  # installed from a bare file name, enrolled, running
      systemctl is-active --quiet warden-agent || fail "the agent is not running"
      [ "$(mode /var/lib/warden-agent)" = "700 root:root" ] || fail "agent state dir is $(mode /var/lib/warden-agent)"
      [ -e /root/warden-token ] && fail "the token file is left behind"
      ./install-agent.sh --help | grep -q 'set -' && fail "install-agent.sh --help prints the script"
      echo "not a package" >broken-agent.deb  # apt's own reason reaches the admin
      out="$(./install-agent.sh --package broken-agent.deb --collector warden.example.internal:7443 \
        --token never-used --ca-fingerprint "$ca_fingerprint" 2>&1)" && fail "a broken package installed"
      grep -q "apt-get could not install $PWD/broken-agent.deb:" <<<"$out" && grep -q '^E: ' <<<"$out" ||
        fail "a package apt refuses is reported as: $out"
      rm broken-agent.deb
      agent_id="$(/usr/bin/python3 -c 'import json; print(json.load(open("/var/lib/warden-agent/enrollment.json"))["agent_id"])')"
      wait_until "the new agent's startup sweep never reached the collector" has_findings "$agent_id"
      ;;
    4.2)  # the admin's agent options, from the drop-in directory
      systemctl is-active --quiet warden-agent || fail "the agent is not running"
      tr '\0' ' ' </proc/"$(cat /run/systemctl-shim/warden-agent.service.pid)"/cmdline | grep -q -- '--reconnect-max 30s' ||
        fail "the agent does not run with the options in /etc/warden/agent.env.d"
      ;;
    4.3)  # sweeps are scheduled out of the box: working days, spread over an hour
      wardenctl --json policy show --department "Finance/Office 2" --effective | /usr/bin/python3 -c '
import json, sys
sweep = json.load(sys.stdin)["effective"]["sweep"]
sys.exit(0 if sweep == {"schedule": "0 9 * * 1-5", "spread_seconds": 3600} else "sweep policy is %s" % sweep)' ||
        fail "no default sweep schedule"
      # re-enrolled with --force: findings under the new identity without a manual sweep
      printf '%s\n' "$(test_token)" | ./install-agent.sh --force --collector warden.example.internal:7443 \
        --token-file - --ca-fingerprint "$ca_fingerprint" >/dev/null || fail "install-agent.sh --force failed"
      new_id="$(/usr/bin/python3 -c 'import json; print(json.load(open("/var/lib/warden-agent/enrollment.json"))["agent_id"])')"
      [ "$new_id" != "$agent_id" ] || fail "--force did not re-enroll"
      wait_until "the re-enrolled host $new_id has no findings without a manual sweep" has_findings "$new_id"
      agent_id="$new_id"
      ;;
    5.1)  # a backup as warden, into the package's folder, holding exactly what its manifest lists
      b="/var/backups/warden-collector/$(date +%F)"
      [ "$(mode "$b")" = "700 warden:warden" ] || fail "the backup is $(mode "$b")"
      listed="$(/usr/bin/python3 -c 'import json,sys; print("\n".join(sorted(list(json.load(open(sys.argv[1]))["files"]) + ["MANIFEST.json"])))' "$b/MANIFEST.json")"
      [ "$(ls "$b" | sort)" = "$listed" ] || fail "the backup holds files its manifest does not list: $(ls "$b")"
      ;;
    5.2)  # restored into the same folder; then into a folder that does not exist yet
      systemctl is-active --quiet warden-collector || { log; fail "the collector did not start after a restore"; }
      ls -d /var/lib/warden-collector.before-restore-* >/dev/null || fail "restore did not set the old data aside"
      systemctl stop warden-collector
      mv /var/lib/warden-collector /var/lib/warden-collector.moved-by-test
      warden-collector restore --data-dir /var/lib/warden-collector \
        --from "/var/backups/warden-collector/$(date +%F)" >/dev/null || fail "restore into a new folder failed"
      [ "$(mode /var/lib/warden-collector)" = "700 warden:warden" ] || fail "restored into a new folder: $(mode /var/lib/warden-collector)"
      [ -z "$(find /var/lib/warden-collector ! -user warden)" ] || fail "restored files not warden's: $(find /var/lib/warden-collector ! -user warden)"
      systemctl start warden-collector || { log; fail "the collector does not start on a data dir restored into a new folder"; }
      rm -rf /var/lib/warden-collector.moved-by-test
      # Files left root's (a copy restored without --owner) are named as the cause, with the fix.
      systemctl stop warden-collector
      chown -R root:root /var/lib/warden-collector
      systemctl start warden-collector 2>/dev/null && fail "the collector started on a data dir it cannot write"
      log | tail -1 | grep -q "belongs to root, this collector runs as warden; give the directory to warden: chown -R warden: /var/lib/warden-collector" ||
        fail "a root-owned data dir is reported as: $(log | tail -1)"
      chown -R warden:warden /var/lib/warden-collector
      systemctl start warden-collector || { log; fail "the collector does not start again"; }
      wait_until "the agent did not reconnect to the restored collector" connected
      ;;
    6.1)  # upgraded without a question, settings kept, service restarted
      for p in warden-collector warden-agent; do
        [ "$(dpkg-query -W -f '${Version} ${Status}' $p)" = "@NEXT@ install ok installed" ] ||
          fail "$p is $(dpkg-query -W -f '${Version} ${Status}' $p)"
      done
      dpkg --verify warden-collector warden-agent | grep -E 'collector.conf|agent.env' &&
        fail "the upgrade left an old shipped settings file (dpkg would have asked)"
      grep -q 'server_names = warden.example.internal' /etc/warden/collector.conf.d/50-site.conf &&
        grep -q 'reconnect-max 30s' /etc/warden/agent.env.d/50-site.env || fail "the upgrade lost the admin's settings"
      systemctl is-active --quiet warden-collector || { log; fail "the collector is not running after the upgrade"; }
      systemctl is-active --quiet warden-agent || fail "the agent is not running after the upgrade"
      ;;
    7.1)  # a new server certificate from the same CA; agents accept it
      [ "$(openssl x509 -noout -serial -in /var/lib/warden-collector/server.crt)" != \
        "$(openssl x509 -noout -serial -in /root/warden-old-server-cert/server.crt)" ] || fail "the server certificate was not renewed"
      [ "$(warden-collector ca-fingerprint --data-dir /var/lib/warden-collector)" = "$ca_fingerprint" ] || fail "the CA changed"
      wait_until "the agent did not reconnect after the server certificate was renewed" connected
      ;;
    10.1)  # purged: nothing of it left but the kept data, and no later user can read that
      saved="$(ls -d /var/backups/warden-collector-* | tail -1)"
      [ -f "$saved/warden.db" ] && [ -f "$saved/ca.key" ] || fail "purge did not keep the database in /var/backups"
      getent passwd warden >/dev/null || fail "purge deleted the warden user: its uid is free for the next user"
      warden_uid="$(id -u warden)"
      adduser --system --quiet latecomer
      [ "$(id -u latecomer)" != "$warden_uid" ] || fail "a later system user got warden's uid"
      for kept in $(kept_dirs); do
        [ "$(mode "$kept")" = "700 root:root" ] || fail "$kept is $(mode "$kept")"
        [ -z "$(find "$kept" ! -user root)" ] || fail "$kept holds files not root's: $(find "$kept" ! -user root)"
        for key in $(find "$kept" -name ca.key); do
          runuser -u latecomer -- cat "$key" >/dev/null 2>&1 && fail "a later user can read $key"
        done
      done
      [ -n "$(find /var/backups/warden-collector -name ca.key)" ] || fail "the backups were not kept"
      for f in /usr/sbin/warden-agent /usr/sbin/warden-collector /usr/bin/wardenctl /etc/warden \
               /var/lib/warden-agent /var/lib/warden-collector /lib/systemd/system/warden-agent.service \
               /usr/lib/tmpfiles.d/warden-collector.conf /run/warden-collector \
               /etc/systemd/system/multi-user.target.wants/warden-collector.service; do
        [ -e "$f" ] && fail "$f is left after purge"
      done
      ;;
    10.2)  # reinstalled and restored from what purge kept: the same CA, the same hosts
      systemctl is-active --quiet warden-collector || { log; fail "the collector is not running on the restored data"; }
      [ "$(warden-collector ca-fingerprint --data-dir /var/lib/warden-collector)" = "$ca_fingerprint" ] || fail "the restored CA differs"
      [ "$(wardenctl --json hosts | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge 1 ] ||
        fail "the restored database has no hosts"
      ;;
  esac
  return 0  # a check's last `[ ... ] && fail` is false when all is well
}

cd "$work/site"
trap 'echo "FAIL (in the throwaway root): a command of the guide failed (exit $?) in the block after $where; see the last \"-- docs/operations.md:LINE\" above" >&2' ERR
source "$work/guide.sh" </dev/null
trap - ERR
echo "the operations guide ran in a throwaway root, every step checked"
INSIDE
sed -i "s/@NEXT@/$next/" "$work/inside.sh"
# A PID namespace of its own too: the daemons the guide starts end with it (none outlives the test).
unshare --mount --net --pid --fork --kill-child --propagation private bash -c '
  set -e
  mount -t overlay overlay -o lowerdir=/,upperdir="$1/upper",workdir="$1/ovwork" "$1/root"
  mount -t proc proc "$1/root/proc"
  mount --rbind /dev "$1/root/dev"
  mount -t tmpfs tmpfs "$1/root/run"
  mount -t tmpfs tmpfs "$1/root/tmp"
  mkdir -p "$1/root/$1"
  mount --bind "$1" "$1/root/$1"
  chroot "$1/root" /bin/bash "$1/inside.sh" "$1"
' _ "$work"
