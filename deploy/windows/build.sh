#!/usr/bin/env bash
# Cross-builds warden-agent.exe for 64-bit Windows from this tree: the dependency prefix from
# build-deps.sh (instant once cached), the MinGW-w64 toolchain file, WARDEN_PLATFORM=windows
# (chosen by CMake from the toolchain's CMAKE_SYSTEM_NAME). Static: no MinGW runtime DLLs.
#
# Usage: deploy/windows/build.sh [BUILD_DIR]   (default: build-windows/ in the source tree)
# Environment: WARDEN_WINDOWS_JOBS (default 2), CMAKE_BUILD_TYPE (default Release).
# The last line of stdout is the path of warden-agent.exe. With msitools' wixl (Debian package
# `wixl`) it also builds BUILD_DIR/warden-agent.msi (deploy/windows/warden-agent.wxs: the stripped
# exe, the WardenAgent service, enrollment from the MSI's properties through the custom actions in
# warden-msi-ca.dll).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD=${1:-$SRC/build-windows}
NICE=(nice -n 10)
PREFIX=$("$HERE/build-deps.sh" | tail -1)
[ -f "$PREFIX/.warden-deps-complete" ] || { echo "build: $PREFIX is not a complete deps prefix" >&2; exit 1; }

start=$(date +%s)
echo "build: warden-agent.exe against $PREFIX into $BUILD" >&2
"${NICE[@]}" cmake -S "$SRC" -B "$BUILD" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$HERE/mingw-w64-x86_64.cmake" -DWARDEN_WINDOWS_PREFIX="$PREFIX" \
  -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" -DWARDEN_WERROR=ON \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >&2
# -O2, not CMake's -O3: GCC 12 at -O3 reports a false -Werror=restrict in common/pki.cpp (the
# same known false positive as on Linux).
"${NICE[@]}" cmake --build "$BUILD" --target warden-agent warden-msi-ca -j "${WARDEN_WINDOWS_JOBS:-2}" >&2
EXE="$BUILD/agent/warden-agent.exe"
CA_DLL="$BUILD/agent/warden-msi-ca.dll"
for f in "$EXE" "$CA_DLL"; do
  if x86_64-w64-mingw32-objdump -p "$f" | grep -qiE 'DLL Name: (libstdc|libgcc|libwinpthread)'; then
    echo "build: FAIL: $(basename "$f") needs MinGW runtime DLLs" >&2; exit 1
  fi
done
x86_64-w64-mingw32-strip -o "$BUILD/warden-agent-stripped.exe" "$EXE"
echo "build: $EXE: $(du -h "$EXE" | cut -f1) ($(du -h "$BUILD/warden-agent-stripped.exe" | cut -f1) stripped) in $(($(date +%s) - start)) s" >&2
if command -v wixl >/dev/null 2>&1; then
  VERSION=$(sed -n 's/^project(warden VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
  rm -rf "$BUILD/msi" && mkdir -p "$BUILD/msi"
  cp "$BUILD/warden-agent-stripped.exe" "$BUILD/msi/warden-agent.exe"
  x86_64-w64-mingw32-strip -o "$BUILD/msi/warden-msi-ca.dll" "$CA_DLL"
  # wixl resolves File/@Source against the working directory.
  (cd "$BUILD/msi" && wixl -a x64 -D Version="$VERSION" -o "$BUILD/warden-agent.msi.tmp" \
    "$HERE/warden-agent.wxs" 2>"$BUILD/msi/wixl.log") ||
    { cat "$BUILD/msi/wixl.log" >&2; echo "build: FAIL: wixl" >&2; exit 1; }
  mv "$BUILD/warden-agent.msi.tmp" "$BUILD/warden-agent.msi"
  echo "build: $BUILD/warden-agent.msi: $(du -h "$BUILD/warden-agent.msi" | cut -f1) (version $VERSION)" >&2
else
  echo "build: no wixl (Debian package wixl): warden-agent.msi not built" >&2
fi
echo "build: imported DLLs: $(x86_64-w64-mingw32-objdump -p "$EXE" | sed -n 's/.*DLL Name: //p' | sort -u | tr '\n' ' ')" >&2
echo "$EXE"
