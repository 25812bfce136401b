#!/usr/bin/env bash
# The whole test suite (fuzz targets included, label `fuzz`) built with clang under
# AddressSanitizer + UndefinedBehaviorSanitizer, in its own build directory SANITIZE_BUILD_DIR
# (default ./build-sanitize; its CMake cache keeps the compiler it was first configured with).
# Installs what is missing, builds (warnings are errors), runs ctest; extra arguments go to ctest.
# Needs root like deploy/test.sh: tests start real daemons, create network namespaces and use umockdev.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
build="${SANITIZE_BUILD_DIR:-$top/build-sanitize}"
"$top/deploy/install-deps.sh"
# Same install prefix as deploy/build.sh (the package test expects /usr paths).
# -O1 -g1: line tables are enough for readable reports, and compile much faster than full -g.
CC=clang CXX=clang++ cmake -S "$top" -B "$build" -G Ninja \
  -DWARDEN_SANITIZE=ON -DWARDEN_FUZZ=ON -DWARDEN_WERROR=ON -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  >/dev/null
ninja -C "$build" -j"$(nproc)"

# Any report fails the test that produced it. umockdev-based tests LD_PRELOAD umockdev's library
# ahead of the ASan runtime, hence verify_asan_link_order=0. Settings already in the environment
# come last and win.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:print_stacktrace=1:detect_leaks=1:strict_init_order=1:check_initialization_order=1:detect_stack_use_after_return=1:verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:report_error_type=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$top/tests/sanitize/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
cd "$build"
ctest --output-on-failure -j2 --timeout 300 "$@"
