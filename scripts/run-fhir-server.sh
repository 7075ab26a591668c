#!/usr/bin/env bash
# Quick start 1: builds fhirguard and the HAPI FHIR server fixture, then runs
# the server under fhirguard (enforce mode, the shipped policy) until Ctrl-C.
#
#   PORT=8080 DATA_DIR=/var/tmp/fhir-data POLICY=... scripts/run-fhir-server.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
port="${PORT:-8080}"
data_dir="${DATA_DIR:-/var/tmp/fhirguard-fhir-data}"
mkdir -p "$data_dir"
policy_args=()
[ -n "${POLICY:-}" ] && policy_args=(--policy "$POLICY")
echo "run-fhir-server: FHIR R4 at http://127.0.0.1:$port/fhir (try: curl http://127.0.0.1:$port/fhir/metadata)"
echo "run-fhir-server: audit lines go to standard error; Ctrl-C stops the server"
exec build/shim/fhirguard "${policy_args[@]}" -- \
  java -jar tests/fhir-server/target/fhir-server.jar --host 127.0.0.1 --port "$port" --data-dir "$data_dir"
