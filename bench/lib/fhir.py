"""FHIR throughput: wrk with a request mix against the preloaded fixture."""

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request

from runner import BenchError, audit_summary, rotated, summary
from server import Server, cpu_seconds

FAMILIES = 50
BATCH = 250


def _post_batch(base, resources, kind):
    bundle = {"resourceType": "Bundle", "type": "batch",
              "entry": [{"resource": r, "request": {"method": "POST", "url": kind}}
                        for r in resources]}
    req = urllib.request.Request(base, data=json.dumps(bundle).encode(),
                                 headers={"Content-Type": "application/fhir+json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        reply = json.load(r)
    ids = []
    for entry in reply.get("entry", []):
        resp = entry.get("response", {})
        if not resp.get("status", "").startswith("201"):
            raise BenchError("preload: a %s create failed: %s" % (kind, resp))
        ids.append(resp["location"].split("/")[1])
    return ids


def _patient(k):
    return {"resourceType": "Patient", "gender": "male" if k % 2 else "female",
            "birthDate": "19%02d-01-01" % (k % 100),
            "name": [{"family": "Fam%03d" % (k % FAMILIES), "given": ["P%d" % k]}]}


def _observation(k, patient_id):
    return {"resourceType": "Observation", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
            "subject": {"reference": "Patient/" + patient_id},
            "valueQuantity": {"value": 60 + k % 40, "unit": "/min"}}


def ids_file(cfg):
    return os.path.join(cfg.template_dir + ".ids")


def preload(cfg, runner, log):
    """Builds the template data directory once: the fixture started
    natively, fed batch Bundles of 250 creates, stopped. Every throughput
    run starts from a copy of it."""
    marker = cfg.template_dir + ".complete"
    if os.path.exists(marker) and os.path.exists(ids_file(cfg)):
        log("  preloaded data: reused %s" % cfg.template_dir)
        return
    shutil.rmtree(cfg.data_dir, ignore_errors=True)
    shutil.rmtree(cfg.template_dir, ignore_errors=True)
    server = Server(cfg, runner, runner.native(), "preload")
    server.start()
    t0 = time.perf_counter()
    try:
        server.wait_ready()
        n, m = cfg.sizes.patients, cfg.sizes.observations
        patients = []
        for start in range(0, n, BATCH):
            patients += _post_batch(server.base, [_patient(k) for k in
                                                  range(start, min(n, start + BATCH))], "Patient")
        observations = []
        for start in range(0, m, BATCH):
            chunk = [_observation(k, patients[k % n]) for k in range(start, min(m, start + BATCH))]
            observations += _post_batch(server.base, chunk, "Observation")
    finally:
        server.stop()
    shutil.move(cfg.data_dir, cfg.template_dir)
    with open(ids_file(cfg), "w") as f:
        f.write(" ".join(patients) + "\n" + " ".join(observations) + "\n")
    open(marker, "w").close()
    log("  preloaded %d Patients and %d Observations in %.1f s" %
        (len(patients), len(observations), time.perf_counter() - t0))


def _wrk(cfg, port, connections, seconds):
    pin = ["taskset", "-c", cfg.client_cpus] if cfg.client_cpus else []
    cmd = pin + ["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--latency", "-s",
           os.path.join(cfg.bench_dir, "fhir_mix.lua"), "http://127.0.0.1:%d" % port,
           "--", ids_file(cfg)]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=seconds + 60)
    m = re.search(r"^WRKJSON (\{.*\})$", r.stdout, re.M)
    if r.returncode != 0 or m is None:
        raise BenchError("wrk failed: %s %s" % (r.stdout[-1000:], r.stderr[-1000:]))
    out = json.loads(m.group(1))
    out["rps"] = out["requests"] / (out["duration_us"] / 1e6)
    return out


def _syscall_numbers():
    numbers = {}
    try:
        with open("/usr/include/x86_64-linux-gnu/asm/unistd_64.h", encoding="ascii") as f:
            for line in f:
                m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
                if m:
                    numbers[m.group(1)] = int(m.group(2))
    except OSError:
        pass
    return numbers


def _count_stops(cfg, server, policy, connections):
    """One extra wrk run (not timed) with perf stat attached to the JVM:
    signal deliveries (each is a signal-delivery stop under ptrace) and the
    syscalls the policy sends to the supervisor (each a seccomp stop).
    perf -p follows the threads that exist when it starts."""
    numbers = _syscall_numbers()
    names = [n for r in policy["syscalls"].get("rules", [])
             if r["action"] in ("trace", "kill", "stop") or
             (r["action"] == "deny" and r.get("log", True)) for n in r["syscalls"]]
    ids = sorted({numbers[n] for n in names if n in numbers})
    if not ids or shutil.which("perf") is None:
        return None
    out = os.path.join(cfg.log_dir, "perf-stat-%s.txt" % server.mode.kind)
    flt = " || ".join("id == %d" % i for i in ids)
    perf = subprocess.Popen(["perf", "stat", "-x,", "-o", out, "-e", "signal:signal_deliver",
                             "-e", "raw_syscalls:sys_enter", "--filter", flt,
                             "-p", str(server.java_pid()), "--", "sleep", str(cfg.sizes.count_s)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    w = _wrk(cfg, server.port, connections, cfg.sizes.count_s)
    perf.wait(timeout=cfg.sizes.count_s + 30)
    counts = {}
    with open(out, encoding="utf-8") as f:
        for line in f:
            parts = line.strip().split(",")
            if len(parts) > 2 and parts[2] in ("signal:signal_deliver", "raw_syscalls:sys_enter"):
                try:
                    counts[parts[2]] = int(parts[0])
                except ValueError:
                    pass
    sig = counts.get("signal:signal_deliver")
    sc = counts.get("raw_syscalls:sys_enter")
    return {"requests": w["requests"], "seconds": cfg.sizes.count_s, "connections": connections,
            "signal_deliveries": sig, "traced_syscalls": sc,
            "signals_per_1k_req": None if sig is None else 1000.0 * sig / max(1, w["requests"]),
            "traced_per_req": None if sc is None else sc / max(1, w["requests"])}


def _warm_up(cfg, server):
    """wrk at the highest connection count in chunks until two chunks in a
    row agree within 10% (and at least warmup_s has passed; at most
    warmup_max_s): the JIT compiler has done the bulk of its work. Returns
    the chunks' req/s."""
    s = cfg.sizes
    curve = []
    while len(curve) * s.warmup_chunk_s < s.warmup_max_s:
        curve.append(_wrk(cfg, server.port, max(s.wrk_connections), s.warmup_chunk_s)["rps"])
        done_s = len(curve) * s.warmup_chunk_s
        if done_s >= s.warmup_s and len(curve) >= 2 and \
                abs(curve[-1] - curve[-2]) <= 0.1 * max(curve[-1], curve[-2]):
            break
    return curve


def _servers(cfg, runner):
    """The three servers, each with its own copy of the preloaded data. The
    fhirguard one uses the port and data directory its policy allows."""
    w = cfg.work
    return [Server(cfg, runner, runner.native(), "fhir-native", port=cfg.fhir_port + 2,
                   data_dir=os.path.join(w, "fhir-data-native")),
            Server(cfg, runner, runner.fhirguard("fhir"), "fhir-fhirguard"),
            Server(cfg, runner, runner.strace("fhir"), "fhir-strace", port=cfg.fhir_port + 3,
                   data_dir=os.path.join(w, "fhir-data-strace"))]


def run(cfg, runner, policy, log):
    """All three servers run at once; after each has started and warmed
    up, the measured wrk runs go round robin over them, so that a change in
    the machine's load falls on every mode alike."""
    preload(cfg, runner, log)
    servers = _servers(cfg, runner)
    res = {s.mode.label: {"runs": {c: [] for c in cfg.sizes.wrk_connections}} for s in servers}
    try:
        for server in servers:
            shutil.rmtree(server.data_dir, ignore_errors=True)
            shutil.copytree(cfg.template_dir, server.data_dir, symlinks=True)
            audit = runner.audit_log(server.log_name)
            if os.path.exists(audit):
                os.unlink(audit)
            server.start()
            r = res[server.mode.label]
            r["ready_s"] = server.wait_ready()
            t0 = time.perf_counter()
            r["warmup_rps"] = _warm_up(cfg, server)
            r["warmup_s"] = time.perf_counter() - t0
            log("  %-10s ready in %.1f s, warm-up %s req/s" % (
                server.mode.label, r["ready_s"], " ".join("%.0f" % x for x in r["warmup_rps"])))
        for i in range(cfg.sizes.wrk_runs):
            for c in cfg.sizes.wrk_connections:
                for server in rotated(servers, i):
                    java, sup = server.java_pid(), server.supervisor_pid()
                    j0, s0 = cpu_seconds(java), cpu_seconds(sup) if sup else None
                    w = _wrk(cfg, server.port, c, cfg.sizes.wrk_s)
                    w["java_cpu_s"] = cpu_seconds(java) - j0
                    w["supervisor_cpu_s"] = cpu_seconds(sup) - s0 if sup else None
                    res[server.mode.label]["runs"][c].append(w)
        for server in servers:
            if server.mode.kind != "strace":
                res[server.mode.label]["stops"] = _count_stops(cfg, server, policy,
                                                               max(cfg.sizes.wrk_connections))
    finally:
        for server in servers:
            server.stop()
    for server in servers:
        if server.mode.kind == "fhirguard":
            res[server.mode.label]["audit"] = audit_summary(runner.audit_log(server.log_name))
        r = res[server.mode.label]["runs"]
        log("  %-10s %s" % (server.mode.label, "  ".join(
            "c%d: %.0f req/s" % (c, sorted(x["rps"] for x in r[c])[len(r[c]) // 2]) for c in r)))
    return _rows(cfg, res)


def _rows(cfg, per_mode):
    rows = []
    metrics = [("rps", "req/s", "higher", 1.0), ("p50_us", "ms", "lower", 1e-3),
               ("p99_us", "ms", "lower", 1e-3)]
    for c in cfg.sizes.wrk_connections:
        for metric, unit, better, scale in metrics:
            modes = {label: summary([x[metric] * scale for x in res["runs"][c]])
                     for label, res in per_mode.items()}
            label = {"rps": "throughput", "p50_us": "p50 latency", "p99_us": "p99 latency"}[metric]
            rows.append({"group": "fhir", "key": "%s_c%d" % (metric, c),
                         "name": "FHIR mix, %d connections: %s" % (c, label),
                         "unit": unit, "better": better, "modes": modes,
                         "command": "wrk -t2 -c%d -d%ds --latency -s bench/fhir_mix.lua"
                                    % (c, cfg.sizes.wrk_s)})
        cpu = {label: summary([x["supervisor_cpu_s"] for x in res["runs"][c]])
               for label, res in per_mode.items() if label != "native"}
        rows.append({"group": "fhir-cpu", "key": "supcpu_c%d" % c,
                     "name": "FHIR mix, %d connections: supervisor CPU per %d s run" %
                             (c, cfg.sizes.wrk_s), "unit": "s", "better": "lower", "modes": cpu})
    extra = {label: {k: v for k, v in res.items() if k != "runs"}
             for label, res in per_mode.items()}
    errors = {label: sum(x["errors_status"] + x["errors_connect"] + x["errors_read"] +
                         x["errors_write"] + x["errors_timeout"]
                         for c in res["runs"] for x in res["runs"][c])
              for label, res in per_mode.items()}
    java_cpu = {label: {c: summary([x["java_cpu_s"] for x in res["runs"][c]])
                        for c in res["runs"]} for label, res in per_mode.items()}
    rows.append({"group": "fhir-extra", "key": "fhir_extra", "per_mode": extra,
                 "errors": errors, "java_cpu": java_cpu})
    return rows
