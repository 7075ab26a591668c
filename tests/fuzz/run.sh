#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, ASan + UBSan) into
# build-fuzz/ and runs each for a bounded time, then every saved regression
# input once.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]   SECONDS per target, default 15
#   tests/fuzz/run.sh --build-only
#
# Prints one line per target and per regression file, then
# "fuzz: N passed, M failed"; exits 1 when a target crashed, broke one of its
# properties, or failed to build. Needs clang with libFuzzer (Debian 12:
# clang and libclang-rt-14-dev); run as root so fuzz_pathres can chroot and
# mount a procfs for its tracees (without root it fuzzes the plain tracee only).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
root=$PWD
src=tests/fuzz
out=${FUZZ_BUILD_DIR:-build-fuzz}
# Another copy of lib/ (to try a fix) needs its own FUZZ_BUILD_DIR too.
libdir=${FUZZ_LIB_DIR:-lib}
case $out in /*) ;; *) out=$root/$out ;; esac
all_targets=(policy pathres sockaddr decode netaddr glob)

seconds=15
build_only=0
targets=()
for arg in "$@"; do
  case $arg in
    --build-only) build_only=1 ;;
    ''|*[!0-9]*) targets+=("$arg") ;;
    *) seconds=$arg ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [ -f "$src/fuzz_$t.c" ] || { echo "fuzz: no target $t (have: ${all_targets[*]})" >&2; exit 2; }
done

# ---- build -------------------------------------------------------------------
cc=${CC_FUZZ:-clang}
warn=(-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
      -Wno-missing-field-initializers)
# -O1 and -g as libFuzzer's documentation advises; recover nothing, so that a
# UBSan report is a crash libFuzzer saves. (pkg-config's words are meant to split.)
# shellcheck disable=SC2054,SC2207
cflags=(-std=c17 -D_GNU_SOURCE '-DFG_VERSION="fuzz"' -g -O1 -fno-omit-frame-pointer
        -fsanitize=address,undefined -fno-sanitize-recover=all "${warn[@]}"
        -I"$libdir" -I"$out" $(pkg-config --cflags libcjson libseccomp))
# shellcheck disable=SC2207
libs=($(pkg-config --libs libcjson libseccomp))

build() {
  mkdir -p "$out/obj" || return 1
  if ! "$cc" -fsanitize=fuzzer -x c -o "$out/probe" - <<<'#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
      >"$out/probe.log" 2>&1; then
    echo "fuzz: $cc cannot link -fsanitize=fuzzer (Debian: apt-get install clang libclang-rt-14-dev)" >&2
    cat "$out/probe.log" >&2
    return 1
  fi
  if [ ! -f "$out/default_policy_text.c" ] || [ policy/hapi-fhir.json -nt "$out/default_policy_text.c" ]; then
    python3 policy/embed_policy.py policy/hapi-fhir.json "$out/default_policy_text.c" || return 1
  fi
  # lib/ with coverage instrumentation, each object rebuilt when its source
  # or any header of lib/ is newer; two compilers at a time.
  local newest_header
  newest_header=$(ls -t "$libdir"/*.h | head -n 1)
  local sources=() s o
  for s in "$libdir"/*.c "$out/default_policy_text.c"; do
    o="$out/obj/$(basename "${s%.c}").o"
    if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ "$newest_header" -nt "$o" ]; then
      sources+=("$s")
    fi
  done
  if [ ${#sources[@]} -gt 0 ]; then
    export cc out
    # shellcheck disable=SC2016
    printf '%s\n' "${sources[@]}" | xargs -P 2 -I{} sh -c \
      '"$cc" "$@" -fsanitize=fuzzer-no-link -c {} -o "$out/obj/$(basename {} .c).o"' \
      sh "${cflags[@]}" || return 1
    rm -f "$out/libfhirguard-fuzz.a"
  fi
  if [ ! -f "$out/libfhirguard-fuzz.a" ]; then
    ar rcs "$out/libfhirguard-fuzz.a" "$out"/obj/*.o || return 1
  fi
  local t extra
  for t in "${all_targets[@]}"; do
    extra=()
    [ "$t" = glob ] && extra=("$src/glob_ref.c")
    [ "$t" = pathres ] && extra=("$src/pathres_world.c")
    [ "$t" = pathres ] && extra=("$src/pathres_world.c")
    if [ ! -x "$out/fuzz_$t" ] || [ "$out/libfhirguard-fuzz.a" -nt "$out/fuzz_$t" ] ||
       [ -n "$(find "$src" -maxdepth 1 -name '*.[ch]' -newer "$out/fuzz_$t")" ]; then
      "$cc" "${cflags[@]}" -fsanitize=fuzzer -o "$out/fuzz_$t" "$src/fuzz_$t.c" "${extra[@]}" \
        "$out/libfhirguard-fuzz.a" "${libs[@]}" -lpthread || return 1
    fi
  done
}

if ! build; then
  echo "fuzz: build failed"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
[ "$build_only" = 1 ] && { echo "fuzz: built ${all_targets[*]} in $out/"; exit 0; }

# ---- run ---------------------------------------------------------------------
passed=0
failed=0
work=$(mktemp -d /tmp/fg-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
export FG_FUZZ_TMP=$work
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Seeds beyond tests/fuzz/corpus/<target>: the shipped and test policies.
seed_dirs() {
  local t=$1
  [ -d "$src/corpus/$t" ] && echo "$root/$src/corpus/$t"
  if [ "$t" = policy ]; then
    mkdir -p "$work/seeds-policy"
    cp policy/*.json tests/integration/policies/*.json "$work/seeds-policy/" 2>/dev/null
    python3 "$src/readme_policies.py" policy/README.md "$work/seeds-policy" >&2
    echo "$work/seeds-policy"
  fi
}

max_len() {
  case $1 in
    policy) echo 65536 ;;
    pathres) echo 4200 ;;
    glob) echo 512 ;;
    *) echo 4096 ;;
  esac
}

for t in "${targets[@]}"; do
  exe="$out/fuzz_$t"
  corpus="$out/corpus/$t"
  artifacts="$out/artifacts/$t"
  log="$out/fuzz_$t.log"
  mkdir -p "$corpus" "$artifacts"
  dict=()
  [ -f "$src/$t.dict" ] && dict=(-dict="$root/$src/$t.dict")
  mapfile -t seeds < <(seed_dirs "$t")
  # The first directory is the one libFuzzer adds new inputs to.
  timeout $((seconds + 120)) "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "${dict[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  # "#N DONE cov: ... exec/s: ..." -> "N runs, cov: ... exec/s: ..."
  stats=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -E 's/^#([0-9]+)\s+\S+\s+/\1 runs, /')
  if [ $rc -eq 0 ]; then
    echo "fuzz_$t: ok (${seconds} s: $stats)"
    passed=$((passed + 1))
  else
    crash=$(ls -t "$artifacts" 2>/dev/null | head -n 1)
    echo "fuzz_$t: FAILED (exit $rc) after $stats; input: $artifacts/$crash; log: $log"
    grep -E 'ERROR: |runtime error: |property broken' "$log" | head -n 3 | sed 's/^/    /'
    failed=$((failed + 1))
  fi
  # Each saved regression input, once.
  if [ -d "$src/regressions/$t" ]; then
    for f in "$src/regressions/$t"/*; do
      [ -f "$f" ] || continue
      case $f in *.md|*.txt) continue ;; esac
      if "$exe" -runs=1 "$f" >"$log.regression" 2>&1; then
        echo "fuzz_$t regression $(basename "$f"): ok"
        passed=$((passed + 1))
      else
        echo "fuzz_$t regression $(basename "$f"): FAILED; log: $log.regression"
        grep -E 'ERROR: |runtime error: |property broken' "$log.regression" | head -n 3 | sed 's/^/    /'
        failed=$((failed + 1))
      fi
    done
  fi
done

echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
