#!/usr/bin/env python3
"""Turns a policy JSON file into a C source file defining it as a string.

Used by meson to compile policy/default.json into fhirguard, so the binary
works with no policy file at all.
"""
import sys


def main() -> int:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, "rb") as f:
        data = f.read()
    lines = ["/* Generated from %s by policy/embed_policy.py. Do not edit. */" % source.split("/")[-1],
             "#include <stddef.h>",
             "const char fg_default_policy_text[] = {"]
    for i in range(0, len(data), 16):
        lines.append("    " + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",")
    lines.append("    0x00};")
    lines.append("const size_t fg_default_policy_size = %d;" % len(data))
    with open(target, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
