#!/usr/bin/env python3
"""Writes a variant of a container runtime's seccomp profile (OCI/Docker JSON)
that refuses some syscalls, as a stricter or older runtime profile would.

    seccomp_variant.py DEFAULT_PROFILE OUT --refuse ptrace[,NAME...] [--errno EPERM]

The named syscalls are removed from every rule. With --errno they get an
explicit SCMP_ACT_ERRNO rule returning that errno (Docker's style); without,
the profile's defaultAction answers them (podman's default profile: ENOSYS).
"""
import argparse
import errno
import json
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile")
    parser.add_argument("out")
    parser.add_argument("--refuse", required=True, help="comma-separated syscall names")
    parser.add_argument("--errno", help="errno name for an explicit refusal, e.g. EPERM")
    args = parser.parse_args()

    try:
        with open(args.profile, encoding="utf-8") as f:
            profile = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"seccomp_variant: {args.profile}: {e}")
    names = [n for n in args.refuse.split(",") if n]
    found = set()
    for rule in profile.get("syscalls", []):
        kept = [n for n in rule.get("names", []) if n not in names]
        found.update(n for n in rule.get("names", []) if n in names)
        rule["names"] = kept
    profile["syscalls"] = [r for r in profile.get("syscalls", []) if r.get("names")]
    missing = [n for n in names if n not in found]
    if missing:
        sys.exit(f"seccomp_variant: {args.profile} does not allow {', '.join(missing)}")
    if args.errno:
        number = getattr(errno, args.errno, None)
        if number is None:
            sys.exit(f"seccomp_variant: unknown errno {args.errno}")
        profile["syscalls"].append(
            {"names": names, "action": "SCMP_ACT_ERRNO", "errnoRet": number})
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(profile, f, indent=1)


if __name__ == "__main__":
    main()
