#!/usr/bin/env bash
# The one entry point for checks (STYLE.md "Tooling"): format, banned patterns, the -Werror
# build of the programs (optimised, as `make run` builds them), clang-tidy on changed files, then
# the build of everything under address and undefined-behaviour sanitizers, against which every
# test runs: unit, integration, browser end-to-end and interop. `make test` and CI run this.
# The tests are built and run once, under the sanitizers (docs/decisions.md 17).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
ASAN_DIR=${ASAN_DIR:-build-asan}
JOBS=${JOBS:-$(nproc)}
# Line tables only (-g1): backtraces keep file and line, and the build compiles about 20% faster
# than with full -g. The Makefile configures build/ the same way, so `make run` reuses this build.
RELWITHDEBINFO_FLAGS="-O2 -g1 -DNDEBUG"
DEBUG_FLAGS="-O0 -g1"  # the sanitizer build: line tables are all its reports need
# What `make run` starts; optimisation-dependent warnings (-Wmaybe-uninitialized and kin) show
# only in this build.
PROGRAMS="latchkey example_api example_webapp latchkey-loadgen"
step() { printf '\n== %s\n' "$*"; }

sources() { git ls-files -co --exclude-standard -- 'src/*.[ch]pp' 'tests/*.[ch]pp' 'bench/*.[ch]pp' 'examples/*.[ch]pp' 'fuzz/*.[ch]pp' | while read -r f; do [[ -f $f ]] && echo "$f"; done; }

step "format (clang-format 14)"
unformatted=$(sources | xargs -r clang-format --dry-run 2>&1 | grep -o '^[^:]*:[0-9]*:[0-9]*: warning' | cut -d: -f1 | sort -u || true)
if [[ -n $unformatted ]]; then
  echo "not formatted (run 'make format'):"; echo "$unformatted"; exit 1
fi

step "banned patterns"
scripts/banned-patterns

step "build (-Werror): the programs, optimised"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLATCHKEY_WERROR=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$RELWITHDEBINFO_FLAGS" >/dev/null
ninja -C "$BUILD_DIR" -j"$JOBS" $PROGRAMS

step "clang-tidy (changed files, advisory)"
scripts/tidy-changed "$BUILD_DIR" || true

step "sanitizer build (address, undefined): the programs and every test"
cmake -S . -B "$ASAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLATCHKEY_WERROR=ON -DLATCHKEY_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS_DEBUG="$DEBUG_FLAGS" >/dev/null
ninja -C "$ASAN_DIR" -j"$JOBS"

step "every test, under the sanitizers"
cd "$ASAN_DIR"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j"$JOBS" --timeout 600
