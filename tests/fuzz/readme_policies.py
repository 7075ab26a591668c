#!/usr/bin/env python3
"""Writes the JSON examples of policy/README.md as whole policies into a
directory: seeds for fuzz_policy (tests/fuzz/run.sh calls this).

A complete example is written as it is; a section fragment ("files": {...})
is put into a minimal policy that traces the calls it governs.
"""
import os
import re
import sys

BASE = ('{\n  "version": 1,\n  "syscalls": { "default": { "action": "allow" },\n'
        '    "rules": [ { "action": "trace", "syscalls": ["openat", "execve", "connect", "bind"] } ] },\n'
        '  %s\n}\n')


def main() -> int:
    readme, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"```json\n(.*?)```", text, re.S)
    for i, block in enumerate(blocks):
        block = block.strip()
        if block.startswith('"'):
            block = BASE % block
        with open(os.path.join(out, "readme-%02d.json" % i), "w", encoding="utf-8") as f:
            f.write(block + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
