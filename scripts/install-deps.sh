#!/usr/bin/env bash
# Installs what building and testing fhirguard needs on Debian 12, as root.
# Does nothing when everything is already there.
set -euo pipefail

packages=(
  meson ninja-build pkg-config gcc clang make python3
  libseccomp-dev libcjson-dev check
  openjdk-17-jdk-headless maven
  util-linux procps curl cppcheck clang-format python3-venv libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: run as root (apt-get needs it)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
