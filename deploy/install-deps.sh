#!/usr/bin/env bash
# Installs every Debian 12 package Warden needs to build, test and run.
# Idempotent: packages already present are skipped; apt-get update runs only if something is missing.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev
  # stack
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libboost-dev libboost-system-dev libboost-locale-dev libicu-dev gettext libsqlite3-dev sqlite3 libssl-dev openssl
  libpq-dev libcurl4-openssl-dev
  nlohmann-json3-dev libsimdjson-dev libcli11-dev libsystemd-dev catch2 prometheus-cpp-dev
  # agent platform libraries
  libapt-pkg-dev libudev-dev libnl-3-dev libnl-route-3-dev libnftables-dev
  # test-time real components
  umockdev libumockdev-dev clamav-daemon clamav-freshclam iproute2 procps nftables
  python3 python3-seccomp python3-h2 python3-aiosmtpd adduser systemd util-linux binutils
  # a process that does not stop in its grace has its threads' stacks logged (tests/support)
  gdb
  # the printed self-check report: headless Chromium, a CJK font, pdftotext/pdfinfo
  chromium fonts-wqy-microhei poppler-utils
  # the PostgreSQL backend's tests start throwaway clusters of their own (initdb/pg_ctl)
  postgresql-15
  # the cross-built Windows agent runs under wine64 (its MinGW toolchain and dependency prefix
  # are installed and built by deploy/windows/build-deps.sh, cached); wixl builds its MSI
  wine64 wixl
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# clamav-freshclam's package starts a freshclam daemon that would try to reach the internet;
# Warden's tests run their own clamd/freshclam with their own configs, so keep the system ones off.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now clamav-freshclam clamav-daemon >/dev/null 2>&1 || true
  # Likewise the packaged PostgreSQL cluster: the tests never use it.
  $SUDO systemctl disable --now postgresql >/dev/null 2>&1 || true
fi
echo "install-deps: done"
