#!/usr/bin/env bash
# Installs, enrolls and starts the Warden agent on this workstation. What IT runs on each PC (or
# pushes with its mass-deployment tool). Idempotent: a second run changes nothing; --force
# re-enrolls (a reinstalled PC) and restarts the agent with its new identity.
#
#   install-agent.sh --collector HOST:PORT (--token TOKEN | --token-file FILE|-) \
#                    --ca-fingerprint SHA256:... [--package warden-agent.deb] \
#                    [--state-dir DIR] [--force] [--no-start] [--enroll-address HOST:PORT]
#
# --enroll-address: the collector's enrollment listener (`enroll_listen`), if it has one apart;
# the agent's sessions still go to --collector.
#
# The token reaches warden-agent on its standard input, never on a command line (where other
# users could read it in the process list); --token-file - reads it from this script's stdin.
set -uo pipefail

collector="" token="" token_file="" fingerprint="" package="" state_dir="/var/lib/warden-agent"
force=0 start=1
agent_bin="${WARDEN_AGENT_BIN:-/usr/sbin/warden-agent}"
enroll_address=""

die() { echo "install-agent: $*" >&2; exit 1; }
say() { echo "install-agent: $*"; }
usage() { sed -n '2,/^set -uo pipefail$/{/^#/s/^# \{0,1\}//p}' "$0"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --collector) collector="${2:-}"; shift 2 ;;
    --token) token="${2:-}"; shift 2 ;;
    --token-file) token_file="${2:-}"; shift 2 ;;
    --ca-fingerprint) fingerprint="${2:-}"; shift 2 ;;
    --package) package="${2:-}"; shift 2 ;;
    --state-dir) state_dir="${2:-}"; shift 2 ;;
    --force) force=1; shift ;;
    --no-start) start=0; shift ;;
    --enroll-address) enroll_address="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[ -n "$collector" ] || die "--collector HOST:PORT is required"
[ -n "$fingerprint" ] || die "--ca-fingerprint SHA256:... is required (on the collector: warden-collector ca-fingerprint)"
case "$fingerprint" in SHA256:*) ;; *) die "--ca-fingerprint must look like SHA256:<64 hex digits>" ;; esac
[ "$(id -u)" -eq 0 ] || die "run as root (the agent reads /etc/shadow and the firewall rules)"
if [ -n "$token_file" ]; then
  if [ "$token_file" = - ]; then
    IFS= read -r token || [ -n "$token" ] || die "--token-file -: no token on standard input"
  else
    [ -r "$token_file" ] || die "--token-file $token_file cannot be read"
    IFS= read -r token <"$token_file" || [ -n "$token" ] || die "--token-file $token_file is empty"
  fi
fi

# 1. The package.
if [ -n "$package" ]; then
  [ -f "$package" ] || die "package file $package does not exist"
  # apt-get takes a local file only as a path (./x.deb or /dir/x.deb); a bare name is a package
  # name to it.
  package="$(realpath -- "$package")"
  say "installing $package"
  if ! out="$(DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" 2>&1)"; then
    die "apt-get could not install $package:
$(printf '%s\n' "$out" | grep -E '^(E:|W:|dpkg:|  )' | head -20)"
  fi
elif ! [ -x "$agent_bin" ]; then
  say "installing warden-agent from the configured repositories"
  if ! out="$(DEBIAN_FRONTEND=noninteractive apt-get install -y -q warden-agent 2>&1)"; then
    die "warden-agent is not installed and apt-get could not install it (give --package FILE.deb):
$(printf '%s\n' "$out" | grep -E '^(E:|W:)' | head -20)"
  fi
fi
[ -x "$agent_bin" ] || die "$agent_bin is missing after installation"

# 2. Enrollment (skipped when this PC already has an identity, unless --force).
enrolled=0
if [ -f "$state_dir/enrollment.json" ] && [ "$force" -eq 0 ]; then
  say "already enrolled ($(grep -o '"agent_id": *"[^"]*"' "$state_dir/enrollment.json" | cut -d'"' -f4)); use --force to enroll again"
else
  [ -n "$token" ] || die "a token is required to enroll: --token-file FILE (or - for stdin), or --token (wardenctl token create --department ...)"
  args=(enroll --collector "$collector" --token-file - --ca-fingerprint "$fingerprint" --state-dir "$state_dir")
  [ "$force" -eq 1 ] && args+=(--force)
  [ -n "$enroll_address" ] && args+=(--enroll-address "$enroll_address")
  if ! out="$(printf '%s\n' "$token" | "$agent_bin" "${args[@]}" 2>&1)"; then
    die "enrollment failed: ${out#warden-agent: }"
  fi
  say "$out"
  enrolled=1
fi

# 3. The service. After a new enrollment it restarts: a running agent still holds the old identity
# (the collector refuses it), and a fresh start runs the first sweep under the new one.
if [ "$start" -eq 1 ]; then
  if [ -d /run/systemd/system ]; then
    systemctl enable warden-agent.service >/dev/null 2>&1 || die "systemctl could not enable warden-agent.service"
    if [ "$enrolled" -eq 1 ]; then
      systemctl restart warden-agent.service >/dev/null 2>&1 || die "systemctl could not start warden-agent.service (journalctl -u warden-agent)"
    else
      systemctl start warden-agent.service >/dev/null 2>&1 || die "systemctl could not start warden-agent.service (journalctl -u warden-agent)"
    fi
    systemctl is-active --quiet warden-agent.service || die "warden-agent.service is not running (journalctl -u warden-agent)"
    say "warden-agent.service is running"
  else
    say "no systemd here: start the agent with: $agent_bin run --state-dir $state_dir"
  fi
fi
say "done"
