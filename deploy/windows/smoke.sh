#!/usr/bin/env bash
# Cross-builds deploy/windows/smoke (protobuf + gRPC client over TLS, OpenSSL, SQLite,
# Boost.Asio) against the build-deps.sh prefix into a static smoke.exe, then runs it
# under wine64 (Debian's wine64 package) when it can.
#
# Usage: deploy/windows/smoke.sh [PREFIX]    (default: the prefix build-deps.sh prints)
# Environment: WARDEN_WINDOWS_SMOKE_OUT=<dir> keeps smoke.exe there (default: a temp dir).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NICE=(nice -n 19 ionice -c3)
PREFIX=${1:-$("$HERE/build-deps.sh" | tail -1)}
[ -f "$PREFIX/.warden-deps-complete" ] || { echo "smoke: $PREFIX is not a complete deps prefix" >&2; exit 1; }

TMP=$(mktemp -d /tmp/warden-win-smoke.XXXXXX)
cleanup() {
  if [ -n "${WINEPREFIX:-}" ]; then wineserver_bin=$(command -v wineserver || echo /usr/lib/wine/wineserver64); "$wineserver_bin" -k >/dev/null 2>&1 || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
BUILD=${WARDEN_WINDOWS_SMOKE_OUT:-$TMP/build}

echo "smoke: building against $PREFIX"
"${NICE[@]}" cmake -S "$HERE/smoke" -B "$BUILD" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$HERE/mingw-w64-x86_64.cmake" -DWARDEN_WINDOWS_PREFIX="$PREFIX" \
  -DCMAKE_BUILD_TYPE=Release >"$TMP/configure.log" 2>&1 || { tail -40 "$TMP/configure.log"; exit 1; }
"${NICE[@]}" cmake --build "$BUILD" -j "${WARDEN_WINDOWS_JOBS:-2}" >"$TMP/build.log" 2>&1 \
  || { tail -40 "$TMP/build.log"; exit 1; }
EXE="$BUILD/smoke.exe"
x86_64-w64-mingw32-strip -o "$TMP/smoke-stripped.exe" "$EXE"
echo "smoke: $EXE ($(du -h "$EXE" | cut -f1), $(du -h "$TMP/smoke-stripped.exe" | cut -f1) stripped)"
echo "smoke: imported DLLs: $(x86_64-w64-mingw32-objdump -p "$EXE" | sed -n 's/.*DLL Name: //p' | sort -u | tr '\n' ' ')"
if x86_64-w64-mingw32-objdump -p "$EXE" | grep -qiE 'DLL Name: (libstdc|libgcc|libwinpthread)'; then
  echo "smoke: FAIL: smoke.exe needs MinGW runtime DLLs" >&2; exit 1
fi

WINE=""
for w in wine64 wine /usr/lib/wine/wine64; do
  if command -v "$w" >/dev/null 2>&1; then WINE=$(command -v "$w"); break; fi
done
if [ -z "$WINE" ] && [ "$(id -u)" -eq 0 ]; then
  echo "smoke: installing wine64"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine64 >/dev/null
  WINE=/usr/lib/wine/wine64 # Debian's wine64 package has no /usr/bin entry (that is the wine package)
fi
if [ -z "$WINE" ] || [ ! -x "$WINE" ]; then
  echo "smoke: built; not run (no wine64)"
  exit 0
fi

export WINEPREFIX="$TMP/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
echo "smoke: running under $WINE"
set +e
timeout 300 "$WINE" "$EXE" 2>"$TMP/wine.stderr"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "smoke: FAIL: smoke.exe exited $rc under wine; its stderr:" >&2
  tail -40 "$TMP/wine.stderr" >&2
  exit 1
fi
echo "smoke: PASS"
