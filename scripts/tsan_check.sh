#!/usr/bin/env bash
# ThreadSanitizer check of the FlowWorker: configures a separate build directory with
# -DDRIFTLAB_SANITIZE=thread, builds driftlab_worker_tests (the core and the three worker test
# files only) and runs the worker test cases (worker:*, run loop:*),
# which include the stress test (thousands of random commands against a concurrent reader), and the
# GeneratorWorker cases (generator worker:*).
# Exits non-zero on any ThreadSanitizer report or test failure.
#
# Usage: scripts/tsan_check.sh [build-dir]    (default: build-tsan, relative to the repository root)
# Environment: DRIFTLAB_JOBS (parallel build jobs, default: number of cores).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/sanitizer_common.sh"
sanitizer_build_dir build-tsan "${1:-}"

echo "tsan_check: configuring $dir"
cmake -S "$root" -B "$dir" "${generator[@]}" -DDRIFTLAB_SANITIZE=thread -DDRIFTLAB_BUILD_APP=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "tsan_check: building driftlab_worker_tests ($jobs jobs)"
cmake --build "$dir" -j "$jobs" --target driftlab_worker_tests

log="$dir/tsan_worker.log"
echo "tsan_check: running worker:* under ThreadSanitizer (log: $log)"
# halt_on_error: the first report ends the run with a non-zero exit status
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
status=0
"$dir/bin/driftlab_worker_tests" -tc='worker:*,generator worker:*,run loop:*' >"$log" 2>&1 || status=$?
tail -n 5 "$log"
if grep -q "ThreadSanitizer" "$log"; then
  echo "tsan_check: FAILED: ThreadSanitizer reported a problem (see $log)" >&2
  grep -m 5 -A 12 "WARNING: ThreadSanitizer" "$log" >&2 || true
  exit 1
fi
if [[ $status -ne 0 ]]; then
  echo "tsan_check: FAILED: the worker tests exited with status $status (see $log)" >&2
  exit "$status"
fi
echo "tsan_check: OK (no ThreadSanitizer reports, worker tests passed)"
