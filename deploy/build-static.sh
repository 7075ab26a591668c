#!/usr/bin/env bash
# Builds a fully static, stripped fhirguard: BUILDDIR/fhirguard (default
# build-static/fhirguard). libseccomp comes from Debian's libseccomp.a; Debian
# ships no libcjson.a, so cJSON is compiled from Debian's own source package
# (`apt-get source cjson`, security patches applied), fetched once into
# BUILDDIR/cjson-src through a private apt source list: the system's apt
# configuration is not changed.
# Usage: deploy/build-static.sh [--prepare] [BUILDDIR]   (Debian 12, root for apt-get)
#   --prepare  only install the build dependencies and fetch cJSON's source
#              (deploy/Containerfile caches that step apart from the sources)
set -euo pipefail
cd "$(dirname "$0")/.."
prepare_only=false
if [ "${1:-}" = --prepare ]; then
	prepare_only=true
	shift
fi
builddir=${1:-build-static}
. deploy/debian-sources.sh

need=(meson ninja-build pkg-config gcc libc6-dev python3 libseccomp-dev dpkg-dev file binutils)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "build-static: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# cJSON's source, the same version as this system's libcjson when there is one.
fetch_cjson_source() {
	local dest=$1 work codename version
	work=$(mktemp -d)
	codename=$(debian_codename)
	debian_sources "$codename" | sed 's/^/deb-src /' >"$work/sources.list"
	[ -s "$work/sources.list" ] || {
		echo "build-static: no Debian $codename source in /etc/apt: cannot fetch cJSON's source" >&2
		exit 1
	}
	mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
	# apt drops privileges to _apt for downloads: let it write here.
	id _apt >/dev/null 2>&1 && chown -R _apt "$work"
	local apt=(apt-get -qq -o Dir::Etc::SourceList="$work/sources.list"
		-o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists="$work/lists"
		-o Dir::Cache="$work/cache")
	"${apt[@]}" update
	version=$(dpkg-query -W -f='${Version}' libcjson1 2>/dev/null || true)
	(cd "$work/src" && "${apt[@]}" source "cjson${version:+=$version}" >/dev/null)
	rm -rf "$dest"
	mv "$(find "$work/src" -mindepth 1 -maxdepth 1 -type d -name 'cjson-*' | head -1)" "$dest"
	rm -rf "$work"
	echo "build-static: cJSON source ${version:-(newest)} in $dest"
}

options=(-Dstatic=true)
if ! compgen -G "/usr/lib/*/libcjson.a" >/dev/null && ! [ -f /usr/lib/libcjson.a ]; then
	mkdir -p "$builddir"
	[ -f "$builddir/cjson-src/cJSON.c" ] || fetch_cjson_source "$builddir/cjson-src"
	options+=(-Dcjson_source="$(realpath "$builddir/cjson-src")")
fi
$prepare_only && exit 0
# quietly CMD...: runs CMD, shows its output only when it fails.
quietly() {
	local out
	if ! out=$("$@" 2>&1); then
		printf '%s\n' "$out" | tail -40 >&2
		echo "build-static: failed: $*" >&2
		exit 1
	fi
}
if [ -f "$builddir/build.ninja" ]; then
	quietly meson configure "$builddir" "${options[@]}"
else
	quietly meson setup "$builddir" "${options[@]}"
fi
quietly ninja -C "$builddir" shim/fhirguard
strip -o "$builddir/fhirguard" "$builddir/shim/fhirguard"
if ! file "$builddir/fhirguard" | grep -q 'statically linked'; then
	echo "build-static: $builddir/fhirguard is not statically linked:" >&2
	file "$builddir/fhirguard" >&2
	exit 1
fi
echo "build-static: $builddir/fhirguard ($(stat -c %s "$builddir/fhirguard") bytes, static, stripped)"
