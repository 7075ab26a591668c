"""Micro benchmarks: small C programs (bench/micro/) that time their own loop."""

import dataclasses
import os
import subprocess

from runner import rotated, summary

PROGRAMS = ["getppid_loop", "mmap_loop", "openat_loop", "denied_loop", "tree_walk",
            "connect_loop", "threads_open", "procs_open"]


def build_programs(cfg):
    """Compiles bench/micro/*.c into the work directory's bin/ (-O2)."""
    os.makedirs(cfg.bin_dir, exist_ok=True)
    src = os.path.join(cfg.bench_dir, "micro")
    for name in PROGRAMS:
        out = os.path.join(cfg.bin_dir, name)
        source = os.path.join(src, name + ".c")
        if os.path.exists(out) and os.path.getmtime(out) > max(
                os.path.getmtime(source), os.path.getmtime(os.path.join(src, "bench_common.h"))):
            continue
        subprocess.run(["gcc", "-std=c17", "-D_GNU_SOURCE", "-O2", "-Wall", "-Wextra", "-Werror",
                        "-pthread", "-o", out, source], check=True)


def make_tree(cfg, fanout=10, files=20):
    """A generated tree: fanout x fanout leaf directories of `files` empty
    files each, plus the directories above them (2111 entries, 111 of them
    directories, by default)."""
    marker = os.path.join(cfg.tree_dir, ".complete")
    if os.path.exists(marker):
        return
    for i in range(fanout):
        for j in range(fanout):
            leaf = os.path.join(cfg.tree_dir, "d%02d" % i, "d%02d" % j)
            os.makedirs(leaf, exist_ok=True)
            for k in range(files):
                open(os.path.join(leaf, "f%02d" % k), "w").close()
    open(marker, "w").close()


def _rows(cfg, runner):
    s = cfg.sizes
    b = cfg.bin_dir
    native, fg, st = runner.native(), runner.fhirguard(), runner.strace()
    return [
        # The calls the kernel decides alone take 150-300 ns: which CPU a
        # run lands on moves them more than the filter does, so every
        # mode of these three rows runs on CPU 0 ("pin").
        {"key": "getppid", "name": "getppid, allowed hot syscall", "pin": True,
         "argv": [b + "/getppid_loop", str(s.getppid)],
         "modes": [native, fg, st, runner.fhirguard("allow-all", "fhirguard allow-all filter")]},
        {"key": "mmap", "name": "mmap+munmap of an anonymous page (argument-checked in the filter)",
         "pin": True,
         "argv": [b + "/mmap_loop", str(s.mmap)],
         "modes": [native, fg, st, runner.fhirguard("allow-all", "fhirguard allow-all filter")]},
        {"key": "bare_trace", "name": "getppid traced: bare RET_TRACE + ptrace round trip",
         "argv": [b + "/getppid_loop", str(s.traced_getppid)],
         "modes": [native, runner.fhirguard("trace-bare"),
                   runner.strace(trace="trace=getppid"),
                   runner.fhirguard("trace-bare", "fhirguard, all on one CPU", one_cpu=True)]},
        {"key": "openat", "name": "openat+close, traced and allowed (path resolved, files rules)",
         "argv": [b + "/openat_loop", str(s.openat), cfg.open_target],
         "modes": [native, fg, st,
                   runner.fhirguard("trace-openat-nofiles", "fhirguard no files section"),
                   runner.fhirguard(label="fhirguard, all on one CPU", one_cpu=True)]},
        {"key": "denied", "name": "clone3, denied in the kernel (ERRNO)", "pin": True,
         "argv": [b + "/denied_loop", str(s.denied)], "modes": [native, fg, st]},
        {"key": "walk", "name": "nftw of a 2111-entry tree, per entry (stat allowed, opendir traced)",
         "argv": [b + "/tree_walk", str(s.walks), cfg.tree_dir], "modes": [native, fg, st]},
        {"key": "connect", "name": "TCP connect/accept/close on loopback (socket, connect traced)",
         "argv": [b + "/connect_loop", str(s.connects), str(cfg.micro_port)],
         "modes": [native, fg, st]},
    ]


def run(cfg, runner, log):
    results = []
    for row in _rows(cfg, runner):
        if row.get("pin"):
            row["modes"] = [dataclasses.replace(m, one_cpu=True) for m in row["modes"]]
        samples = {m.label: [] for m in row["modes"]}
        extra = {}
        for i in range(cfg.sizes.runs):
            # Round robin over the modes, so that a drift in machine load
            # falls on every mode alike.
            for mode in rotated(row["modes"], i):
                kv = runner.run_kv(mode, row["argv"], "micro-" + row["key"])
                samples[mode.label].append(kv["ns_per_op"])
                extra.setdefault(mode.label, kv)
        modes = {label: summary(v) for label, v in samples.items()}
        log("  %-60s %s" % (row["name"][:60], "  ".join(
            "%s %.0f" % (label, s["median"]) for label, s in modes.items())))
        results.append({"group": "micro", "key": row["key"], "name": row["name"],
                        "unit": "ns/op", "better": "lower", "modes": modes,
                        "command": ("taskset -c 0 " if row.get("pin") else "") +
                                   " ".join(os.path.basename(a) if a.startswith(cfg.bin_dir)
                                            else a for a in row["argv"]),
                        "detail": {k: v for k, v in extra.get("native", {}).items()
                                   if k not in ("ns_per_op", "ops", "elapsed_ns")}})
    return results
