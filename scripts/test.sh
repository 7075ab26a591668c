#!/usr/bin/env bash
# Quick start 2: the whole test suite, as root on Debian 12.
#   1. installs what is missing, builds fhirguard and the FHIR fixture;
#   2. lint: a clang -Werror build, clang-format, cppcheck;
#   3. the fuzz targets for a bounded time, the benchmarks' smoke run, the
#      deploy checks (static binary in an empty root, Kubernetes manifests);
#   4. every meson test (unit, integration, FHIR end to end, the attack
#      suite) on the normal build, then on an AddressSanitizer +
#      UndefinedBehaviorSanitizer build;
#   5. prints Check's summaries and one closing "N passed, M failed" line
#      summing every runner.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh || exit 1

if [ "$(id -u)" != 0 ]; then
  echo "test: run as root (the tests use PID namespaces and chroot)" >&2
  exit 1
fi

status=0

echo "== lint: clang build with -Werror, clang-format, cppcheck"
if [ ! -f build-clang/build.ninja ]; then
  CC=clang meson setup build-clang >/dev/null
fi
ninja -C build-clang >/dev/null && echo "clang build: clean" || status=1
clang-format --dry-run -Werror lib/*.[ch] shim/*.[ch] tests/unit/*.c tests/integration/*.[ch] \
  tests/attacks/*.[ch] tests/fuzz/*.[ch] tests/helpers/*.c \
  && echo "clang-format: clean" || status=1
cppcheck --quiet --enable=warning,style,performance --error-exitcode=1 \
  --suppress=missingIncludeSystem -I lib -I shim lib shim \
  && echo "cppcheck: clean" || status=1

# Runners outside meson print "NAME: N passed, M failed"; their counts join
# the closing line.
extra_passed=0
extra_failed=0
run_runner() {
  local out
  out=$("$@" 2>&1 | tee /dev/stderr | tail -1) || status=1
  local n m
  n=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' <<<"$out")
  m=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' <<<"$out")
  if [ -z "$n" ]; then
    echo "test: $1 printed no summary" >&2
    status=1
    return
  fi
  extra_passed=$((extra_passed + n))
  extra_failed=$((extra_failed + m))
}

echo "== fuzzing: six libFuzzer targets, 15 s each, then every saved regression"
run_runner tests/fuzz/run.sh 15

echo "== benchmarks: smoke run (every benchmark once at a tiny size; no timing is judged)"
if bench/run --smoke >build/bench-smoke.txt 2>&1; then
  echo "bench smoke: ok"
else
  tail -20 build/bench-smoke.txt
  echo "bench smoke: FAILED (build/bench-smoke.txt)"
  status=1
fi

echo "== deploy: the static binary in an empty root, the Kubernetes manifests"
run_runner tests/container/static-empty-root.sh
run_runner tests/container/validate-k8s.sh

run_suite() {
  local dir=$1
  # -v prints each test's output, including Check's "Checks: N" lines.
  meson test -C "$dir" -v --num-processes 1 2>&1 | tee "$dir/test-output.txt" \
    | grep -E '^(Running suite|[0-9]+%: Checks:|.*:[FE]:|Ok:|Fail:|Skipped:|Timeout:)|workload:|e2e:|^(FAIL|GAP ) |^attacks:' || true
  grep -qE '^(Fail|Timeout):\s+[1-9]' "$dir/test-output.txt" && status=1
  grep -qE '^Ok:\s+[1-9]' "$dir/test-output.txt" || status=1
}

echo "== tests on the normal build (build/)"
run_suite build

echo "== tests on the sanitizer build (build-asan/: address, undefined)"
if [ ! -f build-asan/build.ninja ]; then
  meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debug >/dev/null
fi
ninja -C build-asan >/dev/null || exit 1
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  run_suite build-asan

# One closing line summing Check's counts over both builds.
passed=0
failed=0
while read -r checks failures errors; do
  passed=$((passed + checks - failures - errors))
  failed=$((failed + failures + errors))
done < <(cat build/test-output.txt build-asan/test-output.txt \
  | sed -nE 's/^[0-9]+%: Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2 \3/p')
# The attack suite runs inside meson (both builds) and prints its own count.
while read -r n m; do
  passed=$((passed + n))
  failed=$((failed + m))
done < <(cat build/test-output.txt build-asan/test-output.txt \
  | sed -nE 's/^attacks: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p')
grep -hE '^attacks: .* known gaps' build/test-output.txt build-asan/test-output.txt || true
passed=$((passed + extra_passed))
failed=$((failed + extra_failed))
[ "$failed" -gt 0 ] && status=1
echo "fhirguard: $passed passed, $failed failed"
exit $status
