#!/usr/bin/env bash
# Quick start 1: builds fhirguard and the HAPI FHIR server fixture, then runs
# the server under fhirguard (enforce mode, the shipped policy
# policy/hapi-fhir.json) until Ctrl-C.
#
#   PORT=8080 DATA_DIR=/var/lib/fhir POLICY=policy/hapi-fhir.json scripts/run-fhir-server.sh
#
# The shipped policy allows binding port 8080 and writing below /var/lib/fhir:
# another PORT or DATA_DIR needs a policy that allows it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
port="${PORT:-8080}"
data_dir="${DATA_DIR:-/var/lib/fhir}"
policy="$(realpath "${POLICY:-policy/hapi-fhir.json}")"
jar=/app/fhir-server.jar # installed there by scripts/build.sh, as in the image
guard="$(realpath build/shim/fhirguard)"
mkdir -p "$data_dir"
echo "run-fhir-server: FHIR R4 at http://127.0.0.1:$port/fhir (try: curl http://127.0.0.1:$port/fhir/metadata)"
echo "run-fhir-server: audit lines go to standard error; Ctrl-C stops the server"
# The server runs in its data directory, as it would in the image.
cd "$data_dir"
exec "$guard" --policy "$policy" -- \
  java -jar "$jar" --host 127.0.0.1 --port "$port" --data-dir "$data_dir"
