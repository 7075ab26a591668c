#!/usr/bin/env bash
# Line and branch coverage of lib/ reached by the fuzz corpora: builds each
# target once more with clang's source-based coverage (no sanitizers), replays
# build-fuzz/corpus/<target>/ and the seeds through it, and prints
# llvm-cov's report for the lib/ files each target aims at.
#
#   tests/fuzz/coverage.sh [TARGET...]      (after tests/fuzz/run.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
src=tests/fuzz
out=build-fuzz/coverage
libdir=${FUZZ_LIB_DIR:-lib}   # as in run.sh: a patched copy of lib/
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(policy pathres sockaddr decode netaddr glob)
mkdir -p "$out/obj"
[ -f build-fuzz/default_policy_text.c ] ||
  python3 policy/embed_policy.py policy/hapi-fhir.json build-fuzz/default_policy_text.c
# pkg-config's words, and the file lists below, are meant to split.
# shellcheck disable=SC2207,SC2046
flags=(-std=c17 -D_GNU_SOURCE '-DFG_VERSION="fuzz"' -g -O0 -fprofile-instr-generate
       -fcoverage-mapping -I"$libdir" $(pkg-config --cflags libcjson libseccomp))
for s in "$libdir"/*.c build-fuzz/default_policy_text.c; do
  clang "${flags[@]}" -c "$s" -o "$out/obj/$(basename "${s%.c}").o"
done
rm -f "$out/lib.a"
ar rcs "$out/lib.a" "$out"/obj/*.o

files_for() {
  case $1 in
    policy) echo lib/policy_load.c lib/json_scan.c lib/rules_parse.c lib/policy_json.c lib/rules_eval.c lib/filter.c lib/landlock.c ;;
    pathres) echo lib/pathres.c ;;
    sockaddr) echo lib/netaddr.c lib/rules_eval.c lib/decode.c ;;
    decode) echo lib/decode.c lib/json_buf.c lib/tracee_mem.c lib/utf8.c ;;
    netaddr) echo lib/netaddr.c ;;
    glob) echo lib/glob.c lib/rules_eval.c ;;
  esac
}

for t in "${targets[@]}"; do
  extra=()
  [ "$t" = glob ] && extra=("$src/glob_ref.c")
  [ "$t" = pathres ] && extra=("$src/pathres_world.c")
  [ "$t" = pathres ] && extra=("$src/pathres_world.c")
  # shellcheck disable=SC2046
  clang "${flags[@]}" -fsanitize=fuzzer -o "$out/fuzz_$t" "$src/fuzz_$t.c" "${extra[@]}" \
    "$out/lib.a" $(pkg-config --libs libcjson libseccomp) -lpthread
  rm -f "$out/$t.profraw"
  dirs=()
  # (Not regressions/: an input that still fails aborts the replay, and
  # coverage is only written at a normal exit.)
  for d in "build-fuzz/corpus/$t" "$src/corpus/$t"; do
    [ -d "$d" ] && dirs+=("$d")
  done
  tmp=$(mktemp -d /tmp/fg-fuzz-cov.XXXXXX)
  FG_FUZZ_TMP=$tmp LLVM_PROFILE_FILE="$out/$t.profraw" "$out/fuzz_$t" -runs=0 "${dirs[@]}" \
    >"$out/$t.log" 2>&1 || echo "fuzz_$t: an input fails; coverage not written ($out/$t.log)"
  rm -rf "$tmp"
  llvm-profdata merge -o "$out/$t.profdata" "$out/$t.profraw"
  echo "== fuzz_$t ($(ls "${dirs[@]}" | wc -l) inputs)"
  # shellcheck disable=SC2046
  llvm-cov report "$out/fuzz_$t" -instr-profile="$out/$t.profdata" \
    $(files_for "$t" | sed "s|lib/|$libdir/|g") |
    grep -vE '^-+$'
done

# All targets together, over the files they aim at.
if [ ${#targets[@]} -gt 1 ]; then
  profiles=() objects=() files=()
  for t in "${targets[@]}"; do
    profiles+=("$out/$t.profdata")
    objects+=(-object "$out/fuzz_$t")
    # shellcheck disable=SC2207
    files+=($(files_for "$t" | sed "s|lib/|$libdir/|g"))
  done
  llvm-profdata merge -o "$out/all.profdata" "${profiles[@]}"
  echo "== all targets"
  # shellcheck disable=SC2046
  llvm-cov report "${objects[@]:1}" -instr-profile="$out/all.profdata" \
    $(printf '%s\n' "${files[@]}" | sort -u) | grep -vE '^-+$'
fi
