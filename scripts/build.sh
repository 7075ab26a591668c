#!/usr/bin/env bash
# Builds fhirguard (build/) and the FHIR server fixture jar.
# Usage: scripts/build.sh [--no-fixture]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
if [ "${1:-}" != "--no-fixture" ]; then
  jar=tests/fhir-server/target/fhir-server.jar
  if [ ! -f "$jar" ] || [ -n "$(find tests/fhir-server/src tests/fhir-server/pom.xml -newer "$jar" 2>/dev/null | head -1)" ]; then
    echo "build: building the FHIR server fixture with Maven (first run downloads ~100 MB)"
    mvn -B -q -f tests/fhir-server/pom.xml package -DskipTests
  fi
  # The shipped policy reads the server's jar at /app/fhir-server.jar, where
  # the image keeps it (deploy/Containerfile); the quick start and the tests
  # use the same place.
  if [ "$(id -u)" = 0 ] && ! cmp -s "$jar" /app/fhir-server.jar; then
    install -D -m 0644 "$jar" /app/fhir-server.jar
  fi
fi
