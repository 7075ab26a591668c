#!/usr/bin/env python3
"""Writes tests/attacks/policy.json: the syscall layer of the shipped policy
(policy/hapi-fhir.json), copied unchanged, plus files, exec and network
sections for the attack suite's fixed layout under /tmp/fhirguard-attacks.

Run it again whenever the shipped syscall layer changes; the attack runner
refuses to run when the two differ.

usage: tests/attacks/make_policy.py [SOURCE_ROOT]
"""
import json
import pathlib
import sys

ROOT = "/tmp/fhirguard-attacks"


def files_section():
    return {
        "default": {"action": "deny", "errno": "EACCES",
                    "description": "Any file no rule names is refused and logged."},
        "rules": [
            {"id": "secret-visible",
             "description": "A secret whose existence may be seen (stat, O_PATH) but never its content.",
             "paths": [f"{ROOT}/secret/visible"], "access": ["stat"], "action": "allow"},
            {"id": "secrets",
             "description": "The secret directory, and what the shipped policy also protects: other processes' memory and environment, the shadow file.",
             "paths": [f"{ROOT}/secret", f"{ROOT}/secret/**", "/etc/shadow", "/proc/*/mem",
                       "/proc/*/task/*/mem", "/proc/*/environ"],
             "access": ["all"], "action": "deny", "errno": "EACCES"},
            {"id": "vault",
             "description": "A secret inside the writable tree: what Landlock cannot refuse, so the supervisor alone must.",
             "paths": [f"{ROOT}/work/vlt", f"{ROOT}/work/vlt/**"], "access": ["all"],
             "action": "deny", "errno": "EACCES"},
            {"id": "work-jail",
             "description": "A tree inside the writable one that may be looked at (stat, O_PATH) but not read.",
             "paths": [f"{ROOT}/work/jail", f"{ROOT}/work/jail/**"],
             "access": ["read", "write", "create", "delete", "exec", "metadata"],
             "action": "deny", "errno": "EACCES"},
            {"id": "work-dir",
             "description": "The writable directory itself: listed, never removed or replaced.",
             "paths": [f"{ROOT}/work"], "access": ["read", "stat"], "action": "allow"},
            {"id": "work",
             "description": "Everything beneath the writable directory: all but exec.",
             "paths": [f"{ROOT}/work/*", f"{ROOT}/work/*/**"],
             "access": ["read", "write", "create", "delete", "stat", "metadata"], "action": "allow"},
            {"id": "read-only-file",
             "description": "A file that may be read and never written.",
             "paths": [f"{ROOT}/readonly.txt"], "access": ["read", "stat"], "action": "allow"},
            {"id": "jail-visible",
             "description": "A tree that may be looked at (stat, O_PATH) but not read.",
             "paths": [f"{ROOT}/jail/**"], "access": ["stat"], "action": "allow"},
            {"id": "attack-programs",
             "description": "The test programs, installed here by the runner: the only programs that run.",
             "paths": [f"{ROOT}/bin/*"], "access": ["read", "stat", "exec"], "action": "allow"},
            {"id": "attack-directories",
             "description": "Looking at the directories on the way.",
             "paths": [ROOT, f"{ROOT}/bin"], "access": ["stat"], "action": "allow"},
            {"id": "devices",
             "description": "The null device and the kernel's random sources.",
             "paths": ["/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"],
             "access": ["read", "write", "stat"], "action": "allow"},
            {"id": "system-libraries",
             "description": "The C library, the dynamic loader and shared libraries.",
             "paths": ["/lib/**", "/lib64/**", "/usr/lib/**", "/etc/ld.so.cache", "/etc/ld.so.preload"],
             "access": ["read", "stat", "exec"], "action": "allow"},
            {"id": "proc-info",
             "description": "What a process learns about itself and others from /proc, as the shipped policy allows it.",
             "paths": ["/proc/*/stat", "/proc/*/status", "/proc/*/statm", "/proc/*/cmdline",
                       "/proc/*/maps", "/proc/*/limits", "/proc/*/mountinfo", "/proc/*/cgroup",
                       "/proc/*/task/*/stat", "/proc/*/task/*/comm", "/proc/*/fd", "/proc/*/fd/**",
                       "/proc/*/exe", "/proc/self", "/proc/meminfo", "/proc/cpuinfo", "/proc/stat",
                       "/sys/devices/system/cpu/**", "/sys/fs/cgroup/**"],
             "access": ["read", "stat"], "action": "allow"},
            {"id": "directories",
             "description": "Looking at (not reading) the directories on the way to allowed files.",
             "paths": ["/", "/usr", "/usr/bin", "/etc", "/tmp", "/proc", "/sys", "/dev"],
             "access": ["stat", "read"], "action": "allow"},
        ],
    }


def exec_section():
    return {
        "default": {"action": "deny", "errno": "EACCES",
                    "description": "No program runs but the test programs: no shell, no copy of one."},
        "rules": [
            {"id": "probe-evil-argument",
             "description": "An argument pattern the exec race of toctou-exec-argv must not get past.",
             "paths": [f"{ROOT}/bin/attack_toctou_args"], "args": ["argv-probe", "evil"],
             "action": "deny"},
            {"id": "attack-programs", "description": "The test programs.",
             "paths": [f"{ROOT}/bin/*"], "action": "allow"},
        ],
    }


def network_section():
    return {
        "default": {"action": "deny", "errno": "EACCES",
                    "description": "No other connection, bind or addressed send."},
        "rules": [
            {"id": "allowed-connect", "description": "The one port the programs may connect to.",
             "operations": ["connect"], "protocols": ["tcp"], "addresses": ["127.0.0.1"],
             "ports": "47101", "action": "allow"},
            {"id": "allowed-bind", "description": "The one port the programs may bind.",
             "operations": ["bind"], "protocols": ["tcp"], "addresses": ["127.0.0.1"],
             "ports": "47103", "action": "allow"},
            {"id": "allowed-send", "description": "The one port the programs may send datagrams to.",
             "operations": ["send"], "protocols": ["udp"], "addresses": ["127.0.0.1"],
             "ports": "47105", "action": "allow"},
        ],
    }


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2])
    shipped = json.loads((root / "policy" / "hapi-fhir.json").read_text())
    policy = {
        "version": 1,
        "description": "Attack suite (tests/attacks): the syscall layer of policy/hapi-fhir.json "
                       "unchanged, with files, exec and network sections for the suite's fixed "
                       "layout under /tmp/fhirguard-attacks. Generated by make_policy.py.",
        "mode": "enforce",
        "log": {"allowed": False},
        "syscalls": shipped["syscalls"],
        "files": files_section(),
        "exec": exec_section(),
        "network": network_section(),
    }
    out = root / "tests" / "attacks" / "policy.json"
    out.write_text(json.dumps(policy, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
