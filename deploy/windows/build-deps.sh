#!/usr/bin/env bash
# Cross-builds the Windows agent's dependencies with Debian's MinGW-w64 (POSIX threads),
# from Debian 12's own source packages (apt-get source), into ONE static Release prefix:
#   zlib, OpenSSL, c-ares, abseil, RE2, protobuf 3.21.12, gRPC 1.51.1, SQLite,
#   plus the header-only Boost, nlohmann-json and CLI11 (copied from the host's -dev packages).
#
# Usage: PREFIX=$(deploy/windows/build-deps.sh | tail -1)
#
# The prefix is ${WARDEN_WINDOWS_CACHE:-/var/cache/warden-windows}/deps-<key>, where <key> is
# the first 16 hex digits of the sha256 of this script and the toolchain file: changing either
# builds a new prefix. When that prefix is complete the script only prints its path.
# Progress goes to stderr; stdout carries only the prefix path (its last line).
#
# Environment:
#   WARDEN_WINDOWS_CACHE   cache root (default /var/cache/warden-windows)
#   WARDEN_WINDOWS_JOBS    parallel jobs (default 2); every build step runs under nice/ionice
#   WARDEN_WINDOWS_RESUME  1: keep the staging prefix and work dir of an interrupted run with the
#                          same key and skip the packages it completed (default: start clean)
#   WARDEN_WINDOWS_KEEP_WORK 1: keep the work dir (sources, build trees, logs) after success
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOLCHAIN="$HERE/mingw-w64-x86_64.cmake"
CACHE_ROOT=${WARDEN_WINDOWS_CACHE:-/var/cache/warden-windows}
KEY=$(cat "${BASH_SOURCE[0]}" "$TOOLCHAIN" | sha256sum | cut -c1-16)
PREFIX="$CACHE_ROOT/deps-$KEY"
STAMP_NAME=.warden-deps-complete

# Fast path: nothing else runs when the prefix is already complete.
if [ -f "$PREFIX/$STAMP_NAME" ]; then
  echo "$PREFIX"
  exit 0
fi

STAGE="$PREFIX.tmp"          # built here, renamed to $PREFIX when everything succeeded
WORK="$CACHE_ROOT/work-$KEY" # sources, build trees and per-package logs
JOBS=${WARDEN_WINDOWS_JOBS:-2}
TRIPLE=x86_64-w64-mingw32
NICE=(nice -n 19 ionice -c3)

log() { printf 'build-deps: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.lock-$KEY"
flock -n 9 || { log "another build-deps.sh with key $KEY is running; waiting"; flock 9; }
if [ -f "$PREFIX/$STAMP_NAME" ]; then echo "$PREFIX"; exit 0; fi

# ---------------------------------------------------------------- host packages
HOST_PACKAGES=(
  mingw-w64 gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64
  cmake ninja-build make perl dpkg-dev xz-utils bzip2 tcl build-essential
  # RE2's dfsg source drops the generated Unicode tables; Debian regenerates them from these
  python3 python3-six unicode-data
  # host code generators matching the cross-built versions (protobuf 3.21.12, gRPC 1.51.1)
  protobuf-compiler protobuf-compiler-grpc
  # header-only libraries copied into the prefix
  libboost-dev nlohmann-json3-dev libcli11-dev
)
missing=()
for p in "${HOST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO "${NICE[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# apt-get source needs deb-src entries for the same archive as the deb ones.
if [ -z "$(apt-cache showsrc zlib 2>/dev/null | head -1)" ]; then
  log "adding deb-src entries (/etc/apt/sources.list.d/warden-deb-src.sources)"
  $SUDO tee /etc/apt/sources.list.d/warden-deb-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  $SUDO apt-get update -qq
fi

# ---------------------------------------------------------------- work dirs
if [ "${WARDEN_WINDOWS_RESUME:-0}" != 1 ]; then
  rm -rf "$STAGE" "$WORK"
fi
rm -rf "$PREFIX" # exists only without a stamp, i.e. never finished
mkdir -p "$STAGE/lib" "$STAGE/include" "$STAGE/.warden-built" "$WORK/src" "$WORK/build" "$WORK/logs"
log "key $KEY; staging prefix $STAGE; work dir $WORK"

export WARDEN_WINDOWS_PREFIX="$STAGE"
export PATH="/usr/bin:$PATH"
CROSS_CC=$TRIPLE-gcc-posix
CROSS_CXX=$TRIPLE-g++-posix
CROSS_AR=$TRIPLE-gcc-ar-posix
COMMON_DEFS="-D_WIN32_WINNT=0x0A00 -DWINVER=0x0A00"

CMAKE_COMMON=(
  -G Ninja
  -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN"
  -DWARDEN_WINDOWS_PREFIX="$STAGE"
  -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_INSTALL_PREFIX="$STAGE"
  -DCMAKE_INSTALL_LIBDIR=lib
  -DCMAKE_PREFIX_PATH="$STAGE"
  -DBUILD_SHARED_LIBS=OFF
  -DBUILD_TESTING=OFF
  -DCMAKE_POSITION_INDEPENDENT_CODE=OFF
)

# Fetches a Debian source package and unpacks it with its Debian patches applied.
# deb.debian.org sometimes lists a security version whose files are gone (404);
# then the next lower version the archive lists is tried.
SRC_DIR=""
fetch_source() {
  local pkg=$1 dir versions v
  mkdir -p "$WORK/src/$pkg"
  pushd "$WORK/src/$pkg" >/dev/null
  dir=$(find . -mindepth 1 -maxdepth 1 -type d | head -1)
  if [ -z "$dir" ]; then
    versions=$(apt-cache showsrc "$pkg" | sed -n 's/^Version: //p' | sort -uVr)
    [ -n "$versions" ] || die "no source package $pkg in the apt sources"
    for v in $versions; do
      if "${NICE[@]}" apt-get source -qq --download-only "$pkg=$v" >>"$LOG" 2>&1; then
        "${NICE[@]}" dpkg-source -x "${pkg}_${v#*:}.dsc" >>"$LOG" 2>&1
        echo "$v" > .version
        break
      fi
      log "  $pkg $v not downloadable, trying an older version"
      rm -f ./*
    done
    dir=$(find . -mindepth 1 -maxdepth 1 -type d | head -1)
    [ -n "$dir" ] || die "could not fetch any version of source package $pkg"
  fi
  SRC_DIR="$WORK/src/$pkg/${dir#./}"
  log "  source: $pkg $(cat .version) ($SRC_DIR)"
  popd >/dev/null
}

cmake_configure() { # name srcdir extra cmake args...
  local name=$1 src=$2; shift 2
  local b="$WORK/build/$name"
  # A resumed run continues an interrupted build tree; a normal run starts from scratch.
  if [ "${WARDEN_WINDOWS_RESUME:-0}" != 1 ]; then rm -rf "$b"; fi
  "${NICE[@]}" cmake -S "$src" -B "$b" "${CMAKE_COMMON[@]}" "$@"
}

cmake_build() { # name srcdir extra cmake args...
  local b="$WORK/build/$1"
  cmake_configure "$@"
  "${NICE[@]}" cmake --build "$b" -j "$JOBS"
  "${NICE[@]}" cmake --install "$b"
}

# ---------------------------------------------------------------- packages
build_zlib() {
  fetch_source zlib
  # Debian's dfsg tarball drops win32/ (Makefile.gcc, zlib1.rc), and zlib's configure refuses
  # MinGW; the library is 15 plain C files: compile them into libz.a directly.
  local b="$WORK/build/zlib" f
  rm -rf "$b"; mkdir -p "$b"; cd "$b"
  for f in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast \
           inflate inftrees trees uncompr zutil; do
    "${NICE[@]}" $CROSS_CC -O2 -Wall $COMMON_DEFS -I"$SRC_DIR" -c "$SRC_DIR/$f.c" -o "$f.o"
  done
  $CROSS_AR rcs libz.a ./*.o
  install -m644 libz.a "$STAGE/lib/libz.a"
  cd "$SRC_DIR"
  install -m644 zlib.h zconf.h "$STAGE/include/"
  mkdir -p "$STAGE/lib/pkgconfig"
  local ver; ver=$(sed -n 's/^#define ZLIB_VERSION "\(.*\)"/\1/p' zlib.h)
  cat > "$STAGE/lib/pkgconfig/zlib.pc" <<EOF
prefix=$STAGE
libdir=\${prefix}/lib
includedir=\${prefix}/include
Name: zlib
Description: zlib compression library
Version: $ver
Libs: -L\${libdir} -lz
Cflags: -I\${includedir}
EOF
}

build_openssl() {
  fetch_source openssl
  local b="$WORK/build/openssl"
  rm -rf "$b"; mkdir -p "$b"; cd "$b"
  # OpenSSL's own Configure (out of tree); CC=gcc-posix + the cross prefix gives the
  # POSIX-threads compiler, AR/RANLIB/RC get the plain prefix. No engines (gRPC guards its
  # engine code with OPENSSL_NO_ENGINE) and no loadable modules (legacy provider built in).
  "${NICE[@]}" perl "$SRC_DIR/Configure" mingw64 --cross-compile-prefix=$TRIPLE- CC=gcc-posix \
    no-shared no-tests no-module no-engine --prefix="$STAGE" --libdir=lib \
    $COMMON_DEFS
  # OPENSSLDIR/MODULESDIR are compiled into libcrypto and default to the build prefix, which on
  # Windows would be a path like C:\var\cache\... that any user may create (the
  # CVE-2019-1552 class: a planted openssl.cnf is read by the agent running as SYSTEM).
  # Point them at OpenSSL's own Windows default, writable only by administrators.
  local ssldir="C:/Program Files/Common Files/SSL"
  "${NICE[@]}" make -j "$JOBS" build_libs OPENSSLDIR="$ssldir" \
    ENGINESDIR="$ssldir/engines-3" MODULESDIR="$ssldir/ossl-modules"
  "${NICE[@]}" make install_dev
}

build_c_ares() {
  fetch_source c-ares
  # 1.18.1's ares_inet_pton6() uses INADDRSZ, which only <arpa/nameser.h> defines (upstream
  # renamed it NS_INADDRSZ in 1.19.0): supply it on the command line instead of patching.
  cmake_build c-ares "$SRC_DIR" -DCMAKE_C_FLAGS="-DINADDRSZ=4" -DCARES_STATIC=ON -DCARES_SHARED=OFF -DCARES_STATIC_PIC=OFF \
    -DCARES_BUILD_TOOLS=OFF -DCARES_BUILD_TESTS=OFF -DCARES_INSTALL=ON
}

build_abseil() {
  fetch_source abseil
  cmake_build abseil "$SRC_DIR" -DCMAKE_CXX_STANDARD=17 -DABSL_PROPAGATE_CXX_STD=ON \
    -DABSL_BUILD_TESTING=OFF -DABSL_USE_GOOGLETEST_HEAD=OFF -DABSL_ENABLE_INSTALL=ON
}

build_re2() {
  fetch_source re2
  # The dfsg tarball has no generated tables (perl_groups.cc, unicode_*.cc): regenerate them
  # the way debian/rules does (REBUILD_TABLES=1; Debian's patch points at /usr/share/unicode).
  "${NICE[@]}" make -C "$SRC_DIR" REBUILD_TABLES=1 \
    re2/perl_groups.cc re2/unicode_casefold.cc re2/unicode_groups.cc
  cmake_build re2 "$SRC_DIR" -DCMAKE_CXX_STANDARD=17 -DRE2_BUILD_TESTING=OFF
}

build_protobuf() {
  fetch_source protobuf
  # Runtime libraries only; code generation uses the host's protoc 3.21.12.
  cmake_build protobuf "$SRC_DIR" -DCMAKE_CXX_STANDARD=17 \
    -Dprotobuf_BUILD_TESTS=OFF -Dprotobuf_BUILD_PROTOC_BINARIES=OFF -Dprotobuf_BUILD_LIBPROTOC=OFF \
    -Dprotobuf_BUILD_EXAMPLES=OFF -Dprotobuf_BUILD_SHARED_LIBS=OFF -Dprotobuf_WITH_ZLIB=ON \
    -Dprotobuf_INSTALL=ON
}

build_grpc() {
  fetch_source grpc
  local protoc plugin
  protoc=$(command -v protoc) || die "host protoc missing"
  plugin=$(command -v grpc_cpp_plugin) || die "host grpc_cpp_plugin missing"
  "$protoc" --version | grep -q ' 3\.21\.12$' || die "host protoc is $("$protoc" --version), need 3.21.12"
  cmake_configure grpc "$SRC_DIR" -DCMAKE_CXX_STANDARD=17 \
    -DgRPC_INSTALL=ON -DgRPC_BUILD_TESTS=OFF -DgRPC_BUILD_CODEGEN=OFF -DgRPC_BUILD_CSHARP_EXT=OFF \
    -DgRPC_BUILD_GRPC_CPP_PLUGIN=OFF -DgRPC_BUILD_GRPC_CSHARP_PLUGIN=OFF \
    -DgRPC_BUILD_GRPC_NODE_PLUGIN=OFF -DgRPC_BUILD_GRPC_OBJECTIVE_C_PLUGIN=OFF \
    -DgRPC_BUILD_GRPC_PHP_PLUGIN=OFF -DgRPC_BUILD_GRPC_PYTHON_PLUGIN=OFF \
    -DgRPC_BUILD_GRPC_RUBY_PLUGIN=OFF \
    -DgRPC_ABSL_PROVIDER=package -DgRPC_CARES_PROVIDER=package -DgRPC_PROTOBUF_PROVIDER=package \
    -DgRPC_PROTOBUF_PACKAGE_TYPE=CONFIG -DgRPC_RE2_PROVIDER=package -DgRPC_SSL_PROVIDER=package \
    -DgRPC_ZLIB_PROVIDER=package -DgRPC_BENCHMARK_PROVIDER=none \
    -DOPENSSL_ROOT_DIR="$STAGE" -DOPENSSL_USE_STATIC_LIBS=ON \
    -D_gRPC_PROTOBUF_PROTOC_EXECUTABLE="$protoc" -D_gRPC_CPP_PLUGIN="$plugin"
  # Only the libraries the agent links. Not built: grpc_unsecure and grpc++_unsecure (a second
  # copy of most of gRPC core without TLS, ~30% of the build; the agent always uses TLS) and
  # grpc_plugin_support (protoc plugin code; the plugins are the host's). gRPC installs and
  # exports them unconditionally, so empty archives stand in for them: gRPCConfig.cmake stays
  # loadable, and linking gRPC::grpc_unsecure would fail loudly rather than silently.
  local b="$WORK/build/grpc" t
  "${NICE[@]}" cmake --build "$b" -j "$JOBS" --target \
    gpr upb address_sorting grpc grpc++ grpc++_alts grpc++_error_details
  for t in grpc_unsecure grpc++_unsecure grpc_plugin_support; do
    rm -f "$b/lib$t.a"
    $CROSS_AR rcs "$b/lib$t.a"
  done
  "${NICE[@]}" cmake --install "$b"
}

build_sqlite3() {
  fetch_source sqlite3
  # The amalgamation (sqlite3.c) is generated by a host build (needs tclsh), then
  # cross-compiled into a static library with Debian's compile-time options.
  local b="$WORK/build/sqlite3"
  rm -rf "$b"; mkdir -p "$b"; cd "$b"
  "${NICE[@]}" "$SRC_DIR/configure" --disable-shared >/dev/null
  "${NICE[@]}" make -j "$JOBS" sqlite3.c
  "${NICE[@]}" $CROSS_CC -O2 -fno-strict-aliasing $COMMON_DEFS \
    -DSQLITE_THREADSAFE=1 -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA \
    -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_RTREE=1 \
    -DSQLITE_SOUNDEX=1 -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_ENABLE_DBSTAT_VTAB \
    -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1 -DSQLITE_ENABLE_JSON1 -DSQLITE_ENABLE_FTS5 \
    -c sqlite3.c -o sqlite3.o
  rm -f libsqlite3.a
  $CROSS_AR rcs libsqlite3.a sqlite3.o
  install -m644 libsqlite3.a "$STAGE/lib/"
  install -m644 sqlite3.h "$SRC_DIR/src/sqlite3ext.h" "$STAGE/include/"
  local ver; ver=$(sed -n 's/^#define SQLITE_VERSION *"\(.*\)"/\1/p' sqlite3.h)
  mkdir -p "$STAGE/lib/pkgconfig"
  cat > "$STAGE/lib/pkgconfig/sqlite3.pc" <<EOF
prefix=$STAGE
libdir=\${prefix}/lib
includedir=\${prefix}/include
Name: SQLite
Description: SQL database engine
Version: $ver
Libs: -L\${libdir} -lsqlite3
Cflags: -I\${includedir}
EOF
}

build_headers() {
  # Header-only libraries, copied from the host's Debian -dev packages: those files are the
  # Debian-patched headers of the boost1.74 / nlohmann-json3 / cli11 source packages, and
  # they carry no platform-specific configuration (Boost.Config detects the target at
  # compile time), so they are valid for MinGW as they are.
  local v
  v=$(dpkg-query -W -f='${Version}' libboost1.74-dev)
  echo "  libboost1.74-dev $v: /usr/include/boost" >>"$LOG"
  "${NICE[@]}" cp -a /usr/include/boost "$STAGE/include/"
  v=$(dpkg-query -W -f='${Version}' nlohmann-json3-dev)
  echo "  nlohmann-json3-dev $v" >>"$LOG"
  cp -a /usr/include/nlohmann "$STAGE/include/"
  mkdir -p "$STAGE/share/cmake"
  cp -a /usr/share/cmake/nlohmann_json "$STAGE/share/cmake/"
  v=$(dpkg-query -W -f='${Version}' libcli11-dev)
  echo "  libcli11-dev $v" >>"$LOG"
  cp -a /usr/include/CLI "$STAGE/include/"
  cp -a /usr/share/cmake/CLI11 "$STAGE/share/cmake/"
}

PACKAGES=(headers zlib openssl c-ares abseil re2 protobuf sqlite3 grpc)
TIMES="$WORK/times.txt"
total_start=$(date +%s)
for pkg in "${PACKAGES[@]}"; do
  if [ -f "$STAGE/.warden-built/$pkg" ]; then
    log "$pkg: already built (resume)"
    continue
  fi
  LOG="$WORK/logs/$pkg.log"
  : >"$LOG"
  log "$pkg: building (log: $LOG)"
  start=$(date +%s)
  fn="build_${pkg//-/_}"
  # (not "if ! ( ... )": set -e would be ignored inside a condition)
  set +e
  ( set -euo pipefail; "$fn" ) >>"$LOG" 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    log "$pkg: FAILED; last 40 lines of $LOG:"
    tail -n 40 "$LOG" >&2
    die "$pkg failed (work dir kept: $WORK; rerun with WARDEN_WINDOWS_RESUME=1 to continue)"
  fi
  secs=$(( $(date +%s) - start ))
  echo "$pkg $secs" >>"$TIMES"
  touch "$STAGE/.warden-built/$pkg"
  log "$pkg: done in ${secs}s"
done

# CMake package files are relocatable, but pkg-config files and a few exported link
# interfaces carry the absolute install prefix: point them at the final location.
grep -rlIZ --exclude-dir=boost -F "$STAGE" "$STAGE" | xargs -0 -r sed -i "s|$STAGE|$PREFIX|g"

{
  echo "key=$KEY"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for pkg in zlib openssl c-ares abseil re2 protobuf sqlite3 grpc; do
    echo "$pkg=$(cat "$WORK/src/$pkg/.version" 2>/dev/null || echo '?')"
  done
  echo "total_seconds=$(( $(date +%s) - total_start ))"
  cat "$TIMES"
} >"$STAGE/$STAMP_NAME.tmp"
cp "$WORK"/logs/*.log "$STAGE/.warden-built/" 2>/dev/null || true
mv "$STAGE/$STAMP_NAME.tmp" "$STAGE/$STAMP_NAME"
mv "$STAGE" "$PREFIX"
if [ "${WARDEN_WINDOWS_KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
log "done: $(du -sh "$PREFIX" | cut -f1) in $PREFIX"
echo "$PREFIX"
