#!/usr/bin/env bash
# End-to-end check of the fhir-server fixture (loopback only):
#   build (if needed) -> start on 127.0.0.1 with a temp data dir -> workload.py
#   -> /compromise is 404 -> SIGTERM (stopped line, exit 143/0)
#   -> restart on the same data dir with --enable-compromise -> data reloaded, ids continue
#   -> each compromise action -> FHIR still served -> SIGTERM.
# Usage: tests/fhir-server/smoke.sh [--requests N] [--java JAVA] [--keep]
# Prints "smoke: N passed, M failed" last; exits non-zero on any failure.
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/target/fhir-server.jar"
JAVA="${JAVA:-java}"
REQUESTS=1000
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) REQUESTS="$2"; shift 2 ;;
    --java) JAVA="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--requests N] [--java JAVA] [--keep]" >&2; exit 2 ;;
  esac
done

PASS=0
FAIL=0
ok()  { PASS=$((PASS + 1)); echo "ok   - $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

if [ ! -f "$JAR" ]; then
  echo "building $JAR"
  mvn -B -q -f "$HERE/pom.xml" package -DskipTests || { echo "smoke: 0 passed, 1 failed"; exit 1; }
fi

WORK="$(mktemp -d /tmp/fhir-smoke.XXXXXX)"
DATA="$WORK/data"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

# start_server LOG [extra args...]: sets SERVER_PID, PORT, BASE, READY_MS
start_server() {
  local log="$1"; shift
  local t0; t0=$(now_ms)
  "$JAVA" -jar "$JAR" --host 127.0.0.1 --port 0 --data-dir "$DATA" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  local line=""
  for _ in $(seq 1 1500); do   # up to ~60 s
    line=$(grep -m1 "fhir-server ready: " "$log" 2>/dev/null)
    [ -n "$line" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.02
  done
  READY_MS=$(( $(now_ms) - t0 ))
  if [ -z "$line" ]; then
    bad "server did not become ready (log: $log)"; tail -20 "$log"; return 1
  fi
  BASE=$(echo "$line" | grep -o 'http://[^ ]*/fhir')
  PORT=$(echo "$BASE" | sed -E 's#.*:([0-9]+)/fhir#\1#')
  ok "server ready in ${READY_MS} ms at $BASE"
}

# stop_server LOG: SIGTERM, expect exit 143 (or 0) and the stopped line
stop_server() {
  local log="$1"
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=""
  check "SIGTERM exit status 143/0 (got $rc)" test "$rc" = 143 -o "$rc" = 0
  check "log has 'fhir-server stopped'" grep -q "fhir-server stopped" "$log"
  check "log has exactly one ready line" test "$(grep -c 'fhir-server ready: ' "$log")" = 1
}

http_code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# compromise ACTION QUERY EXPECT_OK [EXCEPTION_SUBSTRING]
compromise() {
  local body
  body=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$PORT/compromise?action=$1&$2")
  local code; code=$(echo "$body" | tail -1)
  local json; json=$(echo "$body" | head -n -1)
  echo "     $1 $2 -> $code $json"
  python3 - "$json" "$3" "${4:-}" "$code" <<'EOF'
import json, sys
j = json.loads(sys.argv[1]); want_ok = sys.argv[2] == "true"; exc = sys.argv[3]
assert sys.argv[4] == "200", "HTTP %s" % sys.argv[4]
assert set(j) >= {"action", "ok", "exception", "message"}, j
assert j["ok"] is want_ok, j
assert exc in j["exception"], j
EOF
  check "compromise $1 ok=$3${4:+ ($4)}" test $? = 0
}

echo "== first run (data dir $DATA)"
start_server "$WORK/run1.log" || exit 1
FIRST_READY=$READY_MS
check "metadata 200" test "$(http_code "$BASE/metadata")" = 200
check "/compromise is 404 when disabled" \
  test "$(http_code "http://127.0.0.1:$PORT/compromise?action=read&path=/etc/hostname")" = 404
python3 "$HERE/workload.py" --base "$BASE" --requests "$REQUESTS" | tee "$WORK/workload.out"
check "workload.py passed" test "${PIPESTATUS[0]}" = 0
PID_SAMPLE=$(ls "$DATA/Patient" | grep -E '^[0-9]+\.json$' | sort -n | head -1 | sed 's/\.json$//')
MAX_ID=$(ls "$DATA/Patient" | grep -E '^[0-9]+\.json$' | sed 's/\.json$//' | sort -n | tail -1)
curl -s "$BASE/Patient/$PID_SAMPLE" >"$WORK/patient-before.json"
check "sample Patient/$PID_SAMPLE readable" grep -q '"resourceType":"Patient"' "$WORK/patient-before.json"
stop_server "$WORK/run1.log"

echo "== second run, same data dir, compromise endpoint enabled"
start_server "$WORK/run2.log" --enable-compromise || exit 1
curl -s "$BASE/Patient/$PID_SAMPLE" >"$WORK/patient-after.json"
check "Patient/$PID_SAMPLE reloaded unchanged" cmp -s "$WORK/patient-before.json" "$WORK/patient-after.json"
NEW_LOC=$(curl -s -D - -o /dev/null -X POST "$BASE/Patient" -H 'Content-Type: application/fhir+json' \
  -d '{"resourceType":"Patient","name":[{"family":"AfterRestart"}]}' | tr -d '\r' | grep -i '^location:')
NEW_ID=$(echo "$NEW_LOC" | sed -E 's#.*/Patient/([^/]+)/_history/.*#\1#')
check "new Patient id $NEW_ID continues after $MAX_ID" test "$NEW_ID" -gt "$MAX_ID"

compromise read "path=/etc/hostname" true
compromise read "path=/nonexistent/file" false NoSuchFileException
compromise exec "cmd=true" true
compromise exec "cmd=/nonexistent/binary" false IOException
compromise connect "host=127.0.0.1&port=$PORT" true
compromise connect "host=127.0.0.1&port=1" false ConnectException
compromise write "path=$WORK/pwned.txt" true
compromise write "path=/nonexistent/dir/pwned.txt" false NoSuchFileException
compromise loadlib "path=/nonexistent/lib.so" false UnsatisfiedLinkError
JAVA_HOME_RT=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
if [ -f "$JAVA_HOME_RT/lib/libsyslookup.so" ]; then
  compromise loadlib "path=$JAVA_HOME_RT/lib/libsyslookup.so" true
fi
check "compromise bad port is 400" \
  test "$(http_code "http://127.0.0.1:$PORT/compromise?action=connect&host=127.0.0.1&port=x")" = 400
check "compromise unknown action is 400" \
  test "$(http_code "http://127.0.0.1:$PORT/compromise?action=nope")" = 400
check "FHIR still served after compromise actions" test "$(http_code "$BASE/Patient/$PID_SAMPLE")" = 200
python3 "$HERE/workload.py" --base "$BASE" --requests 200 --workers 4 --seed 2 | tail -1
check "concurrent workload (4 workers) passed" test "${PIPESTATUS[0]}" = 0
stop_server "$WORK/run2.log"

echo "smoke: start-to-ready first run ${FIRST_READY} ms, second run ${READY_MS} ms;" \
  "jar $(stat -c %s "$JAR") bytes"
echo "smoke: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
