#!/usr/bin/env python3
"""Writes the hand-made seed inputs of tests/fuzz/corpus/<target>/.

Run once after changing the lists below; the files are committed. (The
policy target's seeds come from policy/, tests/integration/policies/ and
policy/README.md at run time: see readme_policies.py.)
"""
import hashlib
import os
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


GLOBS = [
    ("/etc/**", "/etc/passwd"), ("/tmp/*.log", "/tmp/a.log"), ("/a/**/b", "/a/x/y/b"),
    ("/data/**", "/data"), ("/**", "/"), ("/proc/*/mem", "/proc/1/mem"),
    ("/usr/lib/jvm/*/bin/java", "/usr/lib/jvm/java-17/bin/java"),
    ("/x/[a-c]?[!0-9]", "/x/ab_"), ("/x/[]a]/\\*", "/x/]/*"), ("/x/[^a-z]*", "/x/Q"),
    ("/a/**/b/**/c", "/a/b/b/c/c"), ("/*/*/*", "/a/b/c"), ("/a*b*c*d", "/aXbXcXd"),
    ("-jar", "-jar"), ("echo *", "echo hi/there"), ("--opt=[0-9]*", "--opt=42"),
    ("\\*\\*", "**"), ("[z-a]", "/q"), ("/a//b", "/a/b"), ("/a/", "/a"), ("/a/./b", "/a/b"),
    ("/a/**x", "/a/bx"), ("/a\\", "/a\\"), ("/[/]", "/x"),
]

PATHS = [
    # (tracee 0-3, follow, empty_ok, dirfd index, path)
    (0, 1, 0, 0, "b/c/file"), (0, 1, 0, 0, "../link_abs/c"), (0, 0, 0, 0, "to_file"),
    (0, 1, 0, 0, "to_file"), (0, 1, 0, 0, "trail"), (0, 1, 0, 0, "up3/etc/passwd"),
    (0, 1, 0, 0, "/proc/self/fd/3"), (0, 1, 0, 0, "/proc/thread-self/cwd/b"),
    (0, 1, 0, 0, "/proc/self/root/etc"), (1, 1, 0, 0, "/link_abs/c/file"),
    (1, 1, 0, 0, "../../../../etc/passwd"), (1, 1, 0, 0, "/host_abs/secret"),
    (1, 1, 0, 0, "/loop1"), (1, 1, 0, 0, "/c00"), (1, 1, 0, 0, "/c01"),
    (1, 1, 0, 0, "/dangling"), (1, 0, 0, 0, "/dangling"), (2, 1, 0, 0, "secret"),
    (2, 1, 0, 0, "/etc/passwd"), (3, 1, 0, 0, "/proc/self/cwd"), (3, 1, 0, 0, "/fds/5"),
    (3, 1, 0, 0, "/ts/root/a"), (3, 1, 0, 0, "/proc/1/root"), (3, 1, 0, 0, "/cwd_link/b"),
    (0, 1, 1, 1, ""), (0, 1, 1, 6, ""), (0, 1, 1, 8, ""), (0, 1, 1, 9, ""), (0, 1, 0, 3, "x"),
    (0, 1, 0, 5, "secret"), (1, 1, 0, 5, "back_in/b"), (0, 1, 0, 12, "self/fd/0"),
    (0, 1, 0, 11, "proc/self/task"), (0, 1, 0, 13, "x"), (0, 1, 0, 14, "x"),
    (0, 1, 0, 0, "a/" * 200), (0, 1, 0, 0, "n" * 256), (0, 1, 0, 0, "./././b//c///"),
    (1, 1, 0, 0, "/fifo"), (1, 1, 0, 0, "/hard"), (3, 1, 0, 16, "self/fd/1"),
    (1, 1, 0, 0, "/long1/b"), (1, 1, 0, 0, "/deep1/more/x"), (0, 1, 0, 1, "deep1/more"),
]


def sockaddrs():
    yield struct.pack("<H", socket.AF_INET) + struct.pack(">H", 8080) + socket.inet_aton("127.0.0.1") + b"\0" * 8
    yield struct.pack("<H", socket.AF_INET) + struct.pack(">H", 53) + socket.inet_aton("127.0.0.53") + b"\0" * 8
    yield struct.pack("<H", socket.AF_INET) + struct.pack(">H", 80) + socket.inet_aton("169.254.169.254") + b"\0" * 8
    yield struct.pack("<H", socket.AF_INET) + struct.pack(">H", 5432) + socket.inet_aton("10.1.2.3") + b"\0" * 8
    for addr, scope in (("::1", 0), ("fe80::1", 2), ("::ffff:10.0.0.1", 0), ("fd00::5", 0)):
        raw = struct.pack("<H", socket.AF_INET6) + struct.pack(">H", 5433) + b"\0" * 4 + socket.inet_pton(socket.AF_INET6, addr)
        yield raw
        yield raw + struct.pack("<I", scope)
    yield struct.pack("<H", socket.AF_UNIX) + b"/run/postgresql/.s.PGSQL.sock\0"
    yield struct.pack("<H", socket.AF_UNIX) + b"/var/run/nscd/socket"
    yield struct.pack("<H", socket.AF_UNIX) + b"\0/org/freedesktop/systemd1"
    yield struct.pack("<H", socket.AF_UNIX) + b"\0name\0with\0nuls"
    yield struct.pack("<H", socket.AF_UNIX)
    yield struct.pack("<H", socket.AF_UNIX) + b"x" * 108
    yield struct.pack("<H", socket.AF_UNSPEC) + b"\0" * 14
    yield struct.pack("<H", 16) + b"\0" * 10
    yield b"\x02"


NETADDRS = ["10.0.0.0/8", "127.0.0.1", "::1", "fe80::/10", "::ffff:10.0.0.0/104", "any",
            "any4", "any6", "0.0.0.0/0", "::/0", "010.0.0.1", "1.2.3.4/33", "fe80::1%eth0",
            "1.2.3.4/24", "8080", "1000-2000", "*", "65535-65535", "0", "2000-1000",
            "00", "65536", "::ffff:1.2.3.4", "1.2.3", "1.2.3.4.5"]


POLICIES = [
    '{"version": 1, "syscalls": {"default": {"action": "kill"}}}',
    '{"version": 1, "mode": "audit", "log": {"allowed": true}, "syscalls": {"default": '
    '{"action": "deny", "errno": "ENOSYS"}, "rules": [{"id": "r", "action": "trace", '
    '"syscalls": ["openat", "socket"]}]}, "network": {"default": {"action": "deny"}, '
    '"families": ["netlink", "raw", "packet"], "rules": [{"operations": ["bind"], '
    '"protocols": ["unix-stream"], "unix": "@abs*", "action": "allow"}, {"operations": '
    '["connect"], "protocols": ["tcp"], "addresses": ["any6"], "ports": "1-1024", '
    '"action": "deny", "errno": "EPERM"}]}, "files": {"default": {"action": "allow"}, '
    '"rules": [{"paths": ["/etc/[!p]*"], "access": ["all"], "action": "stop"}]}, '
    '"exec": {"default": {"action": "kill"}, "rules": [{"paths": ["/bin/*"], '
    '"args": ["-[a-z]", "**"], "action": "allow"}]}}',
    '{"version": 1, "syscalls": {"default": {"action": "allow"}, "rules": '
    '[{"action": "deny", "syscalls": ["read", "read"]}]}}',
    '{"version": 1, "syscalls": {"default": {"action": "allow"}}, "x": [1, 2.5e3, '
    '"\\u00e9\\ud83d\\ude00", null, true, false, {}]}',
]


MEM = 0x200000000000
TAG = 0xAA << 56


def decode_seed(call_index, regs, memory):
    """fuzz_decode: regs are ints, or ("mem", offset) for a tagged pointer."""
    raw = bytes([call_index])
    for r in (list(regs) + [0] * 6)[:6]:
        v = TAG | r[1] if isinstance(r, tuple) else r
        raw += struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF)
    return raw + memory


def decode_seeds():
    # Indexes into fuzz_decode.c's calls[].
    OPENAT, OPENAT2, EXECVE, CONNECT, SENDTO, RENAMEAT2, MOUNT = 1, 2, 3, 5, 7, 9, 12
    yield decode_seed(OPENAT, [-100, ("mem", 0), 0o101 | 0o2000000, 0o644], b"/etc/passwd\0")
    yield decode_seed(OPENAT, [3, ("mem", 0), 0], b"/tmp/\xc3\xa9\x80\xff\n\"x\0")
    yield decode_seed(OPENAT2, [-100, ("mem", 0), ("mem", 64), 24],
                      b"/x\0".ljust(64, b"\0") + struct.pack("<QQQ", 0o100, 0o600, 0x1C))
    argv = struct.pack("<QQQQ", MEM + 64, MEM + 72, MEM + 12288 - 2, 0)
    yield decode_seed(EXECVE, [("mem", 0), ("mem", 32)],
                      b"/bin/sh\0".ljust(32, b"\0") + argv + b"sh\0\0\0\0\0\0-c\0")
    sa = struct.pack("<H", socket.AF_INET) + struct.pack(">H", 443) + socket.inet_aton("10.0.0.1") + b"\0" * 8
    yield decode_seed(CONNECT, [5, ("mem", 0), 16], sa)
    yield decode_seed(SENDTO, [5, 0, 10, 0, ("mem", 12288 - 8), 16], b"")
    yield decode_seed(RENAMEAT2, [-100, ("mem", 0), 7, ("mem", 16), 1], b"old\0".ljust(16, b"\0") + b"new\0")
    yield decode_seed(MOUNT, [("mem", 0), ("mem", 8), ("mem", 16), 0x1000], b"none\0\0\0\0/mnt\0\0\0\0tmpfs\0")
    yield decode_seed(21, [1, 2, 3, 4, 5, 6], b"")


def main():
    for raw in decode_seeds():
        write("decode", raw)
    for text in POLICIES:
        write("policy", text.encode())
    for pattern, subject in GLOBS:
        write("glob", pattern.encode() + b"\0" + subject.encode())
    for tracee, follow, empty, dirfd, path in PATHS:
        flags = tracee | (follow << 2) | (empty << 3)
        write("pathres", bytes([flags, dirfd, 0]) + path.encode())
    for raw in sockaddrs():
        write("sockaddr", raw)
    for text in NETADDRS:
        write("netaddr", text.encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
