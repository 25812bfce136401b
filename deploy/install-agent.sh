#!/usr/bin/env bash
# Installs, enrolls and starts the Warden agent on this workstation. What IT runs on each PC (or
# pushes with its mass-deployment tool). Idempotent: a second run changes nothing; --force
# re-enrolls (a reinstalled PC).
#
#   install-agent.sh --collector HOST:PORT --token TOKEN --ca-fingerprint SHA256:... \
#                    [--package warden-agent.deb] [--state-dir DIR] [--force] [--no-start]
set -uo pipefail

collector="" token="" fingerprint="" package="" state_dir="/var/lib/warden-agent" force=0 start=1
agent_bin="${WARDEN_AGENT_BIN:-/usr/sbin/warden-agent}"

die() { echo "install-agent: $*" >&2; exit 1; }
say() { echo "install-agent: $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --collector) collector="${2:-}"; shift 2 ;;
    --token) token="${2:-}"; shift 2 ;;
    --ca-fingerprint) fingerprint="${2:-}"; shift 2 ;;
    --package) package="${2:-}"; shift 2 ;;
    --state-dir) state_dir="${2:-}"; shift 2 ;;
    --force) force=1; shift ;;
    --no-start) start=0; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[ -n "$collector" ] || die "--collector HOST:PORT is required"
[ -n "$fingerprint" ] || die "--ca-fingerprint SHA256:... is required (on the collector: warden-collector ca-fingerprint)"
case "$fingerprint" in SHA256:*) ;; *) die "--ca-fingerprint must look like SHA256:<64 hex digits>" ;; esac
[ "$(id -u)" -eq 0 ] || die "run as root (the agent reads /etc/shadow and the firewall rules)"

# 1. The package.
if [ -n "$package" ]; then
  [ -f "$package" ] || die "package file $package does not exist"
  say "installing $package"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null || die "apt-get could not install $package"
elif ! [ -x "$agent_bin" ]; then
  say "installing warden-agent from the configured repositories"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq warden-agent >/dev/null ||
    die "warden-agent is not installed and apt-get could not install it (give --package FILE.deb)"
fi
[ -x "$agent_bin" ] || die "$agent_bin is missing after installation"

# 2. Enrollment (skipped when this PC already has an identity, unless --force).
if [ -f "$state_dir/enrollment.json" ] && [ "$force" -eq 0 ]; then
  say "already enrolled ($(grep -o '"agent_id": *"[^"]*"' "$state_dir/enrollment.json" | cut -d'"' -f4)); use --force to enroll again"
else
  [ -n "$token" ] || die "--token is required to enroll (wardenctl token create --department ...)"
  args=(enroll --collector "$collector" --token "$token" --ca-fingerprint "$fingerprint" --state-dir "$state_dir")
  [ "$force" -eq 1 ] && args+=(--force)
  if ! out="$("$agent_bin" "${args[@]}" 2>&1)"; then
    die "enrollment failed: ${out#warden-agent: }"
  fi
  say "$out"
fi

# 3. The service.
if [ "$start" -eq 1 ]; then
  if [ -d /run/systemd/system ]; then
    systemctl enable --now warden-agent.service >/dev/null 2>&1 || die "systemctl could not start warden-agent.service (journalctl -u warden-agent)"
    systemctl is-active --quiet warden-agent.service || die "warden-agent.service is not running (journalctl -u warden-agent)"
    say "warden-agent.service is running"
  else
    say "no systemd here: start the agent with: $agent_bin run --state-dir $state_dir"
  fi
fi
say "done"
