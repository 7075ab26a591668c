"""Runs the benchmarks and writes the results; bench/run is the entry point.

    python3 bench/lib/bench.py [--smoke] [--only GROUP,...] [--fhirguard PATH]
                               [--results FILE] [--report-only] [--prepare]
Groups: micro, jvm, fhir, scale, memory.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep bench/lib free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import config  # noqa: E402
import fhir  # noqa: E402
import jvm  # noqa: E402
import micro  # noqa: E402
import policies  # noqa: E402
import report  # noqa: E402
import scale  # noqa: E402
from runner import BenchError, Runner, audit_summary  # noqa: E402

GROUPS = ["micro", "jvm", "fhir", "scale", "memory"]
T0 = time.monotonic()


def log(msg):
    print("[%6.1fs] %s" % (time.monotonic() - T0, msg), flush=True)


def _first_line(cmd):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return r.stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


def machine():
    cpu = "?"
    with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/loadavg", encoding="ascii") as f:
        load = f.read().split()[:3]
    mem_kib = 0
    with open("/proc/meminfo", encoding="ascii") as f:
        mem_kib = int(f.readline().split()[1])
    return {"kernel": platform.release(), "cpu": cpu, "cpus": os.cpu_count(),
            "memory_gib": round(mem_kib / 1048576, 1), "load_before": load,
            "os": _first_line(["sh", "-c", ". /etc/os-release; echo $PRETTY_NAME"]),
            "java": _first_line(["java", "-version"]), "strace": _first_line(["strace", "-V"]),
            "wrk": _first_line(["wrk", "-v"]), "gcc": _first_line(["gcc", "--version"]),
            "fhirguard": _first_line([cfg_global.fhirguard, "--version"])}


def load_during():
    with open("/proc/loadavg", encoding="ascii") as f:
        return f.read().split()[:3]


cfg_global = None


def main():
    global cfg_global
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--only", default=",".join(GROUPS))
    ap.add_argument("--fhirguard", default="")
    ap.add_argument("--results", default="",
                    help="results file; RESULTS.md and the chart go beside it")
    ap.add_argument("--server-cpus", default="",
                    help="experiment: taskset CPU list for the FHIR servers (and supervisors)")
    ap.add_argument("--client-cpus", default="",
                    help="experiment: taskset CPU list for wrk")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--prepare", action="store_true",
                    help="build the micro programs, the tree and the policies, then stop")
    args = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cfg = config.Config(repo=repo, smoke=args.smoke, fhirguard=args.fhirguard,
                        server_cpus=args.server_cpus, client_cpus=args.client_cpus)
    cfg_global = cfg
    results_path = args.results or (os.path.join(cfg.work, "smoke-results.json") if args.smoke
                                    else os.path.join(cfg.bench_dir, "results.json"))
    out_dir = os.path.join(cfg.work, "smoke") if args.smoke else cfg.bench_dir
    if args.results:
        out_dir = os.path.dirname(os.path.abspath(args.results))
    if args.report_only:
        with open(results_path, encoding="utf-8") as f:
            res = json.load(f)
        report.write(res, out_dir)
        return 0
    groups = [g for g in args.only.split(",") if g]
    for g in groups:
        if g not in GROUPS:
            print("unknown group %s (known: %s)" % (g, ", ".join(GROUPS)), file=sys.stderr)
            return 2

    os.makedirs(cfg.work, exist_ok=True)
    micro.build_programs(cfg)
    micro.make_tree(cfg)
    pol_paths, exprs = policies.write_all(cfg)
    if args.prepare:
        log("prepared %s" % cfg.work)
        return 0
    runner = Runner(cfg, pol_paths, exprs)
    for name in os.listdir(cfg.log_dir):
        if name.endswith(".jsonl"):
            os.unlink(os.path.join(cfg.log_dir, name))
    res = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "smoke": args.smoke, "machine": machine(), "sizes": vars(cfg.sizes),
           "policies": {k: os.path.relpath(v, repo) if v.startswith(repo) else v
                        for k, v in pol_paths.items()},
           "strace_exprs": exprs, "rows": [], "timings": {}, "load": {},
           "pinning": {"servers": cfg.server_cpus, "wrk": cfg.client_cpus}}
    fhir_policy = policies.load(pol_paths["fhir"])
    steps = {
        "micro": lambda: micro.run(cfg, runner, log),
        "jvm": lambda: [jvm.run_java_version(cfg, runner, log),
                        jvm.run_start_to_ready(cfg, runner, log)],
        "fhir": lambda: fhir.run(cfg, runner, fhir_policy, log),
        "scale": lambda: scale.run_scale(cfg, runner, log),
        "memory": lambda: scale.run_memory(cfg, runner, log),
    }
    for g in groups:
        log("%s ..." % g)
        t = time.monotonic()
        res["rows"] += steps[g]()
        res["timings"][g] = round(time.monotonic() - t, 1)
        res["load"][g] = load_during()
    res["audit"] = {name[:-6]: audit_summary(os.path.join(cfg.log_dir, name))
                    for name in sorted(os.listdir(cfg.log_dir)) if name.endswith(".jsonl")}
    res["total_s"] = round(time.monotonic() - T0, 1)
    with open(results_path, "w", encoding="utf-8") as f:
        json.dump(res, f, indent=1)
    report.write(res, out_dir)
    bad = {k: v for k, v in res["audit"].items() if v["denied"] or v["killed"]}
    if bad:
        log("WARNING: fhirguard refused calls during the benchmarks: %s" % json.dumps(bad)[:2000])
        return 1
    log("done in %.0f s: %s" % (res["total_s"], os.path.join(out_dir, "RESULTS.md")))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print("bench: %s" % e, file=sys.stderr)
        sys.exit(1)
