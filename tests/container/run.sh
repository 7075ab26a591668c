#!/usr/bin/env bash
# The real container-runtime test: deploy/Containerfile built and run with
# podman + runc, the runtime's default seccomp profile and default
# capabilities (no CAP_SYS_PTRACE), fhirguard as PID 1 of the container.
#
#  1. base images (deploy/local-base-images.sh, cached) and the image
#  2. default run: FHIR workload, zero denials, the compromise attempts
#     refused with audit lines in `podman logs`, `podman stop` → graceful
#     Jetty stop and exit status 143
#  3. Kubernetes-like run (read-only root, tmpfs /tmp, all capabilities
#     dropped, no-new-privileges, -e 143 --grace 20): data reloaded from the
#     volume, workload, `podman stop` → exit status 0
#  4. friendly failure: runtime seccomp profiles that refuse ptrace, seccomp
#     or Landlock → one line and exit 125 before the server starts
#
# Usage: tests/container/run.sh        (Debian 12, as root; ~1 min once cached)
# Env:   FG_CONTAINER_PORT (default 18180), FG_CONTAINER_REQUESTS (default 1000)
# Ends with "container: N passed, M failed"; exit status 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

port=${FG_CONTAINER_PORT:-18180}
requests=${FG_CONTAINER_REQUESTS:-1000}
image=localhost/fhirguard-fhir:test
name=fhirguard-ctest-$$
volume=fhirguard-ctest-data-$$
work=$(mktemp -d /tmp/fhirguard-ctest.XXXXXX)
podman=(podman --runtime runc --cgroup-manager=cgroupfs)
# runc cannot raise rlimits above the host's here; crun refuses the cgroup layout.
limits=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
policy=/etc/fhirguard/hapi-fhir.json
t_start=$SECONDS

cleanup() {
	"${podman[@]}" rm -f -t 0 "$name" >/dev/null 2>&1 || true
	"${podman[@]}" volume rm -f "$volume" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=tests/container/check.sh
source tests/container/check.sh
logs() { "${podman[@]}" logs "$name" 2>&1; }
count() { logs | grep -c -- "$1" || true; } # lines of the container's output with $1
contains() { grep -q -- "$2" <<<"$1"; }
not_contains() { ! grep -q -- "$2" <<<"$1"; }
phase() { echo "== $1 ($((SECONDS - t_start)) s)"; }

install_missing() {
	local p missing=()
	for p in podman runc containernetworking-plugins iptables debootstrap curl python3; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ "${#missing[@]}" -eq 0 ] && return
	echo "container: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

wait_ready() { # the server's ready line, or its exit, within 180 s
	local i
	for ((i = 0; i < 360; i++)); do
		logs | grep -q 'fhir-server ready:' && return 0
		[ "$("${podman[@]}" inspect -f '{{.State.Running}}' "$name")" = true ] || return 1
		sleep 0.5
	done
	return 1
}

workload() { # workload N → the workload's last line
	python3 tests/fhir-server/workload.py --base "http://127.0.0.1:$port/fhir" \
		--requests "$1" 2>&1 | tail -1
}

stop_container() { # podman stop; prints "EXITCODE SECONDS"
	local t0=$SECONDS
	"${podman[@]}" stop -t 30 "$name" >/dev/null
	echo "$("${podman[@]}" inspect -f '{{.State.ExitCode}}' "$name") $((SECONDS - t0))"
}

# ---------------------------------------------------------------- 1. build
phase "images"
install_missing
deploy/local-base-images.sh
t0=$SECONDS
"${podman[@]}" build -q -f deploy/Containerfile --ignorefile deploy/Containerfile.dockerignore \
	--build-arg DEBIAN_IMAGE=localhost/fhirguard-base/debian:12 \
	--build-arg RUNTIME_IMAGE=localhost/fhirguard-base/jre:17 -t "$image" . >/dev/null
echo "container: image $image built in $((SECONDS - t0)) s"
"${podman[@]}" volume create "$volume" >/dev/null

# ---------------------------------------------------------- 2. default run
phase "default profile and capabilities"
# JAVA_TOOL_OPTIONS switches the fixture's compromise endpoint on and keeps
# the image's ENTRYPOINT and CMD exactly as shipped.
"${podman[@]}" run -d --name "$name" "${limits[@]}" -p "127.0.0.1:$port:8080" \
	-v "$volume:/var/lib/fhir" -e JAVA_TOOL_OPTIONS=-Dfhirguard.fixture.compromise=true \
	"$image" >/dev/null
t0=$SECONDS
check "server ready under fhirguard" wait_ready
echo "container: ready after $((SECONDS - t0)) s"
status1=$("${podman[@]}" exec "$name" cat /proc/1/status)
processes=$("${podman[@]}" top "$name" pid user args)
check "PID 1 is fhirguard, not root" contains "$processes" '^1 *fhir */usr/local/bin/fhirguard '
java_pid=$(awk '$3 == "java" { print $1; exit }' <<<"$processes")
check "the JVM runs under three filters: the runtime's, fhirguard's argument-area guard and its main one" \
	contains "$("${podman[@]}" exec "$name" cat "/proc/${java_pid:-0}/status" 2>&1)" $'Seccomp_filters:\t3'
check "the JVM maps fhirguard's argument area read-only (lib/argarea.h)" \
	contains "$("${podman[@]}" exec "$name" cat "/proc/${java_pid:-0}/maps" 2>&1)" '^00010000-00400000 r--s .*/memfd:fhirguard-args'
check "no CAP_SYS_PTRACE (default capabilities)" \
	python3 -c "import sys; sys.exit(int(sys.argv[1], 16) >> 19 & 1)" \
	"$(awk '/^CapEff/ { print $2 }' <<<"$status1")"
check "the runtime's seccomp filter is on" contains "$status1" $'Seccomp:\t2'
check "start line: PID 1, the image's policy" \
	contains "$(logs | grep '"type":"start"')" "\"pid\":1,\"mode\":\"enforce\",\"policy\":\"$policy\""

t0=$SECONDS
line=$(workload "$requests")
echo "container: $line ($((SECONDS - t0)) s)"
check "workload: $requests requests through the port mapping" \
	contains "$line" "workload: $requests passed, 0 failed"
denials_after_workload=$(count '"type":"syscall"')
check "no audit line during the workload (zero denials)" [ "$denials_after_workload" -eq 0 ]

# Code execution inside the server (the fixture's compromise endpoint), as in
# tests/integration/test_fhir.c: each attempt fails in Java and leaves its
# audit line(s) in `podman logs`.
"${podman[@]}" exec "$name" cp /usr/lib/x86_64-linux-gnu/libz.so.1 /tmp/fhirguard-evil.so
attempts=(
	'action=read&path=/etc/shadow|AccessDeniedException|"path":"/etc/shadow"|1'
	'action=exec&cmd=/bin/sh|error=13, Permission denied|"kind":"exec"|1'
	'action=connect&host=127.0.0.1&port=9|Permission denied|127.0.0.1]:9"|1'
	'action=write&path=/etc/fhirguard-was-here|AccessDeniedException|"path":"/etc/fhirguard-was-here"|1'
	'action=loadlib&path=/tmp/fhirguard-evil.so|cannot open shared object file: Permission denied|"path":"/tmp/fhirguard-evil.so"|3'
)
for attempt in "${attempts[@]}"; do
	IFS='|' read -r query reply needle lines <<<"$attempt"
	body=$(curl -s --max-time 30 "http://127.0.0.1:$port/compromise?$query" || true)
	check "compromise $query refused in Java" contains "$body" "\"ok\":false.*$reply"
	got=$(logs | grep '"type":"syscall"' | grep -cF -- "$needle" || true)
	check "compromise $query: $lines audit line(s) in podman logs" [ "$got" -eq "$lines" ]
done
denials=$(count '"verdict":"deny"')
line=$(workload 50)
check "the server answers on after the attempts" contains "$line" "workload: 50 passed, 0 failed"

read -r code secs < <(stop_container)
echo "container: podman stop: exit status $code after $secs s"
check "podman stop: exit status 143 (JVM stopped by SIGTERM)" [ "$code" = 143 ]
check "podman stop: Jetty stopped gracefully" contains "$(logs)" "fhir-server stopped"
check "podman stop: exit audit line" contains "$(logs | grep '"type":"exit"')" '"exit_code":143'
"${podman[@]}" rm "$name" >/dev/null

# ------------------------------------------------- 3. Kubernetes-like run
phase "Kubernetes-like: read-only root, no capabilities, -e 143"
"${podman[@]}" run -d --name "$name" "${limits[@]}" -p "127.0.0.1:$port:8080" \
	-v "$volume:/var/lib/fhir" --read-only --tmpfs /tmp:rw,mode=1777,size=64m \
	--cap-drop all --security-opt no-new-privileges \
	--entrypoint "[\"/usr/local/bin/fhirguard\",\"--policy\",\"$policy\",\"-e\",\"143\",\"--grace\",\"20\",\"--\"]" \
	"$image" java -jar /app/fhir-server.jar >/dev/null # a new entrypoint drops the CMD
check "server ready (read-only root, all capabilities dropped)" wait_ready
check "data reloaded from the volume" grep -Eq 'loaded [1-9][0-9]* Patient' <<<"$(logs)"
status1=$("${podman[@]}" exec "$name" cat /proc/1/status)
check "no capabilities at all" contains "$status1" $'CapEff:\t0000000000000000'
line=$(workload 200)
check "workload: 200 requests" contains "$line" "workload: 200 passed, 0 failed"
check "zero denials" [ "$(count '"type":"syscall"')" -eq 0 ]
read -r code secs < <(stop_container)
echo "container: podman stop (-e 143): exit status $code after $secs s"
check "podman stop with -e 143: exit status 0" [ "$code" = 0 ]
check "graceful stop" contains "$(logs)" "fhir-server stopped"
"${podman[@]}" rm "$name" >/dev/null

# ------------------------------------------------------ 4. friendly failure
phase "friendly failure: runtime profiles that refuse what fhirguard needs"
default_profile=/usr/share/containers/seccomp.json
landlock=landlock_create_ruleset,landlock_add_rule,landlock_restrict_self
# refuse|errno|extra fhirguard options|expected exit|expected text
cases=(
	"ptrace|EPERM||125|cannot trace the program (ptrace: Operation not permitted): the container runtime forbids ptrace"
	"ptrace|||125|cannot trace the program (ptrace: Function not implemented): the container runtime forbids ptrace"
	"seccomp|EPERM||125|the seccomp() syscall is refused here (Operation not permitted)"
	"seccomp|||125|the seccomp() syscall is refused here (Function not implemented) by the container runtime's seccomp profile"
	"$landlock|EPERM|--require-landlock|125|--require-landlock: Landlock is not available: refused (EPERM)"
	"$landlock|EPERM||0|warning: Landlock is not available: refused (EPERM)"
	"$landlock||--require-landlock|125|--require-landlock: Landlock is not available (ENOSYS): this kernel lacks it, or the container runtime's seccomp profile"
)
for c in "${cases[@]}"; do
	IFS='|' read -r refuse errno extra want_code want_text <<<"$c"
	label="${refuse%%,*} ${errno:-ENOSYS, the profile default}${extra:+ $extra}"
	python3 tests/container/seccomp_variant.py "$default_profile" "$work/profile.json" \
		--refuse "$refuse" ${errno:+--errno "$errno"}
	entry="[\"/usr/local/bin/fhirguard\",\"--policy\",\"$policy\",${extra:+\"$extra\",}\"--\"]"
	set +e
	out=$("${podman[@]}" run --rm "${limits[@]}" --security-opt "seccomp=$work/profile.json" \
		--entrypoint "$entry" "$image" java -version 2>&1)
	code=$?
	set -e
	said=$(grep '^fhirguard: ' <<<"$out" || true)
	echo "container: refuse $label → exit $code: ${said:-(nothing)}"
	check "refuse $label: exit status $want_code" [ "$code" = "$want_code" ]
	check "refuse $label: one line from fhirguard" [ "$(grep -c '^fhirguard: ' <<<"$out")" = 1 ]
	check "refuse $label: it names the cause" grep -qF -- "$want_text" <<<"$said"
	if [ "$want_code" != 0 ]; then
		check "refuse $label: the program did not start" not_contains "$out" "openjdk version"
	fi
done

echo "container: denials logged during the compromise attempts: $denials; total time $((SECONDS - t_start)) s"
echo "container: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
