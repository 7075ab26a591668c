#!/usr/bin/env bash
# The static fhirguard in an empty root: a directory holding only fhirguard,
# a policy, a static test program (tests/helpers/syscall_probe.c) and an empty
# /proc mount point, entered with chroot in new PID and mount namespaces, so
# fhirguard is PID 1 and nothing of the host's libraries is reachable.
# Usage: tests/container/static-empty-root.sh      (as root; builds build-static/)
# Ends with "static-root: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/build-static.sh >/dev/null
root=$(mktemp -d /tmp/fhirguard-emptyroot.XXXXXX)
trap 'rm -rf "$root"' EXIT

# shellcheck source=tests/container/check.sh
source tests/container/check.sh
has() { grep -q -- "$2" <<<"$1"; }

cp build-static/fhirguard "$root/fhirguard"
cp policy/syscalls-only.json "$root/policy.json"
gcc -std=gnu17 -D_GNU_SOURCE -O2 -static -o "$root/syscall_probe" tests/helpers/syscall_probe.c
mkdir "$root/proc"
echo "static-root: fhirguard $(stat -c %s "$root/fhirguard") bytes (stripped); root holds: $(cd "$root" && echo *)"

# in_root COMMAND...: COMMAND as PID 1 of new PID and mount namespaces,
# chrooted into the empty root with only /proc mounted.
in_root() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --pid --fork --mount --propagation private \
		sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" "$@"
}

# shellcheck disable=SC2016 # expanded by the inner bash
check "no dynamic section (static binary)" \
	bash -c '! readelf -d "$1" 2>/dev/null | grep -q NEEDED' _ "$root/fhirguard"
out=$(in_root /fhirguard --version 2>&1) || true
check "fhirguard --version in the empty root" has "$out" '^fhirguard [0-9]'
out=$(in_root /fhirguard check /policy.json 2>&1) || true
check "fhirguard check in the empty root" has "$out" 'syscalls'

set +e
out=$(in_root /fhirguard --policy /policy.json -- /syscall_probe getppid openat mount ptrace clone3 2>&1)
code=$?
set -e
echo "$out" | grep -v '^{' | sed 's/^/    /'
check "supervised program exits 0" [ "$code" = 0 ]
check "fhirguard is PID 1 (start line)" has "$out" '"type":"start".*"pid":1,'
check "the program's parent is PID 1" has "$out" '^getppid ret=1 '
check "traced openat reaches the kernel (ENOENT: the root has no /etc)" has "$out" '^openat ret=-1 errno=ENOENT'
check "mount denied with EPERM" has "$out" '^mount ret=-1 errno=EPERM'
check "ptrace denied with EPERM" has "$out" '^ptrace ret=-1 errno=EPERM'
check "clone3 answered ENOSYS" has "$out" '^clone3 ret=-1 errno=ENOSYS'
check "audit lines for mount and ptrace" \
	[ "$(grep -c '"verdict":"deny".*"rule":"no-escape"' <<<"$out")" = 2 ]
check "exit line" has "$out" '"type":"exit","status":0'

echo "static-root: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
