#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, builds everything with clang
# under AddressSanitizer + UndefinedBehaviorSanitizer with warnings as errors (-Wall -Wextra
# -Werror), and runs every test, the libFuzzer targets included (deploy/sanitize.sh).
#
# WARDEN_TEST_BUILD=plain runs the suite on the ordinary gcc build in BUILD_DIR (default ./build,
# the one the quick start uses) instead: quicker for local work, no sanitizers, no fuzzing.
# Extra arguments go to ctest. Needs root: tests start real daemons, create network namespaces,
# use umockdev and install the packages in a throwaway root.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${WARDEN_TEST_BUILD:-sanitize}" = plain ]; then
  "$top/deploy/install-deps.sh"
  export BUILD_DIR="${BUILD_DIR:-$top/build}"
  "$top/deploy/build.sh" -DWARDEN_WERROR=ON
  cd "$BUILD_DIR"
  exec ctest --output-on-failure -j2 --timeout 300 "$@"
fi
exec "$top/deploy/sanitize.sh" "$@"
