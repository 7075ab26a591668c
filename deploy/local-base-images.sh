#!/usr/bin/env bash
# Makes the two base images deploy/Containerfile needs, without a container
# registry: a minimal Debian root made with debootstrap from the Debian mirror
# this system's apt uses, imported with `podman import`.
#
#   localhost/fhirguard-base/debian:12   Debian 12 minbase      (for debian:12),
#                                        + this host's local CA certificates
#   localhost/fhirguard-base/jre:17      the same + openjdk-17-jre-headless
#                                                                (for eclipse-temurin:17-jre)
#
# An image that exists already is kept (delete it with `podman rmi` to remake).
# Usage: deploy/local-base-images.sh          (Debian 12 host, as root)
# Then:  podman build -f deploy/Containerfile \
#          --build-arg DEBIAN_IMAGE=localhost/fhirguard-base/debian:12 \
#          --build-arg RUNTIME_IMAGE=localhost/fhirguard-base/jre:17 ...
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/debian-sources.sh

debian_image=localhost/fhirguard-base/debian:12
jre_image=localhost/fhirguard-base/jre:17
codename=bookworm

for tool in debootstrap podman; do
	command -v "$tool" >/dev/null || {
		echo "local-base-images: $tool is missing (apt-get install debootstrap podman)" >&2
		exit 1
	}
done
mirror=$(debian_mirror "$codename")
if [ -z "$mirror" ]; then
	echo "local-base-images: no Debian $codename source in /etc/apt: cannot run debootstrap" >&2
	exit 1
fi

# make_image NAME [PACKAGE,...] [local-ca]: debootstrap, tidy, import.
# local-ca: also the site's own CA certificates from
# /usr/local/share/ca-certificates, for a network that inspects TLS (Maven in
# the build stage fetches over HTTPS; the ca-certificates package installed
# there picks them up). Build images only: the runtime image stays without.
make_image() {
	local name=$1 include=${2:-} local_ca=${3:-} root
	if podman image exists "$name"; then
		echo "local-base-images: $name exists"
		return
	fi
	root=$(mktemp -d /var/tmp/fhirguard-rootfs.XXXXXX)
	trap 'rm -rf "$root"' RETURN
	echo "local-base-images: debootstrap $codename${include:+ + $include} for $name"
	if ! debootstrap --variant=minbase ${include:+--include="$include"} "$codename" "$root" \
		"$mirror" >"$root.log" 2>&1; then
		tail -20 "$root.log" >&2
		rm -f "$root.log"
		echo "local-base-images: debootstrap failed" >&2
		exit 1
	fi
	rm -f "$root.log"
	# The same sources as the official image: main, updates and security.
	debian_sources "$codename" | sed 's/^/deb /' >"$root/etc/apt/sources.list"
	rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
		"$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log "$root"/tmp/*
	: >"$root/etc/hostname"
	if [ "$local_ca" = local-ca ] && compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
		mkdir -p "$root/usr/local/share/ca-certificates"
		cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
		echo "local-base-images: $name carries this host's local CA certificates"
	fi
	tar -C "$root" --numeric-owner -c . |
		podman import --quiet --change 'CMD ["bash"]' - "$name" >/dev/null
	echo "local-base-images: $name imported ($(podman image inspect --format '{{.Size}}' "$name") bytes)"
}

make_image "$debian_image" "" local-ca
make_image "$jre_image" openjdk-17-jre-headless,ca-certificates
