#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer check of the engine and the CLI: configures a
# separate build directory with -DDRIFTLAB_SANITIZE=address,undefined (UBSan halting on the first
# report), builds driftlab_tests, driftlab-cli and driftlab_fuzz, runs the whole doctest suite
# (which also runs driftlab-cli on good and bad input) and the parser fuzzer (every target, then
# the hostile-input regressions). LeakSanitizer runs with ASan: a leak fails the check too.
# Exits non-zero on any sanitizer report or test failure.
#
# Usage: scripts/asan_check.sh [build-dir]    (default: build-asan, relative to the repository root)
# Environment: DRIFTLAB_JOBS (parallel build jobs, default: number of cores).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/sanitizer_common.sh"
sanitizer_build_dir build-asan "${1:-}"

# build type "Sanitize" has no flags of its own, so -O1 from CMAKE_CXX_FLAGS holds: on 2 cores the
# instrumented build at -O2 took about twice as long, and -O1 is what ASan's authors recommend
start=$(date +%s)
echo "asan_check: configuring $dir"
cmake -S "$root" -B "$dir" "${generator[@]}" -DDRIFTLAB_SANITIZE=address,undefined -DDRIFTLAB_BUILD_APP=OFF \
  -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS="-O1 -fno-sanitize-recover=undefined" >/dev/null
echo "asan_check: building driftlab_tests, driftlab-cli, driftlab_fuzz ($jobs jobs)"
cmake --build "$dir" -j "$jobs" --target driftlab_tests driftlab-cli driftlab_fuzz

# detect_leaks: LeakSanitizer on (the default on Linux x86-64, stated for clarity);
# the child driftlab-cli processes the tests start inherit these settings
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"

fail() {
  echo "asan_check: FAILED: $1 (see $2)" >&2
  grep -m 3 -A 20 -E "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$2" >&2 || tail -n 20 "$2" >&2
  exit 1
}

run_logged() {  # run_logged LOG COMMAND...: fails on a non-zero exit or any sanitizer report in LOG
  local log="$1"
  shift
  local status=0
  "$@" >"$log" 2>&1 || status=$?
  if grep -q -E "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$log"; then fail "a sanitizer reported a problem" "$log"; fi
  if [[ $status -ne 0 ]]; then fail "'$*' exited with status $status" "$log"; fi
  tail -n 3 "$log"
}

# long numerical cases (lesson presets over seeds, network training, thousands of steps) are
# skipped: under ASan they take minutes each and check numbers, not memory safety; they carry the
# "slow" doctest suite. The rest runs in $jobs shards at once: contiguous ranges of one seeded
# shuffle of the test cases (ctest already runs them in parallel, so they share no files).
tests=("$dir/bin/driftlab_tests" --test-suite-exclude='slow' --order-by=rand --rand-seed=7)
count=$("${tests[@]}" --count | sed -n 's/.*passing the current filters: \([0-9]*\).*/\1/p')
[[ -n "$count" ]] || fail "could not count the test cases" /dev/null
echo "asan_check: running $count driftlab_tests cases in $jobs shards (logs: $dir/asan_tests_*.log)"
pids=()
for ((shard = 0; shard < jobs; shard++)); do
  first=$((shard * count / jobs + 1))
  last=$(((shard + 1) * count / jobs))
  run_logged "$dir/asan_tests_$shard.log" "${tests[@]}" --first="$first" --last="$last" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || exit 1; done

# the fuzzer: every target, at least 15 000 inputs and 5 s per target in each of $jobs processes with
# different seeds (so at least 30 000 inputs per target on 2 cores)
echo "asan_check: running the fuzzer, every target, $jobs seeds (logs: $dir/asan_fuzz_*.log)"
pids=()
for ((shard = 0; shard < jobs; shard++)); do
  run_logged "$dir/asan_fuzz_$shard.log" "$dir/bin/driftlab_fuzz" --runs 15000 --seconds 5 --seed $((shard + 1)) &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || exit 1; done
echo "asan_check: running the hostile inputs (log: $dir/asan_fuzz_hostile.log)"
run_logged "$dir/asan_fuzz_hostile.log" "$dir/bin/driftlab_fuzz" --hostile

echo "asan_check: OK (no AddressSanitizer, LeakSanitizer or UBSan reports; $(($(date +%s) - start)) s)"
