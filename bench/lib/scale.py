"""Scale (the same traced work in 1..1000 threads or 1..100 processes) and
the supervisor's memory as the number of supervised threads grows."""

import subprocess

from runner import BenchError, rotated, summary


def run_scale(cfg, runner, log):
    s = cfg.sizes
    modes = [runner.native(), runner.fhirguard(), runner.strace()]
    cases = [("threads", n, [cfg.bin_dir + "/threads_open", str(n)]) for n in s.scale_threads]
    cases += [("processes", n, [cfg.bin_dir + "/procs_open", str(n)]) for n in s.scale_procs]
    rows = []
    for kind, n, argv in cases:
        argv = argv + [str(s.scale_opens), cfg.open_target]
        per_op = {m.label: [] for m in modes}
        spawn = {m.label: [] for m in modes}
        for i in range(s.scale_runs):
            for mode in rotated(modes, i):
                kv = runner.run_kv(mode, argv, "scale")
                per_op[mode.label].append(kv["ns_per_op"])
                spawn[mode.label].append(kv["spawn_ns"] / n)
        name = "%d %s x %d openat, per openat" % (n, kind, s.scale_opens)
        row = {"group": "scale", "key": "%s_%d" % (kind, n), "name": name, "unit": "ns/op",
               "better": "lower", "modes": {k: summary(v) for k, v in per_op.items()},
               "spawn_ns_per_task": {k: summary(v) for k, v in spawn.items()},
               "command": " ".join(a.replace(cfg.bin_dir + "/", "") for a in argv)}
        log("  %-40s %s" % (name, "  ".join("%s %.0f" % (k, v["median"])
                                            for k, v in row["modes"].items())))
        rows.append(row)
    return rows


def _vm_hwm_kib(pid):
    with open("/proc/%d/status" % pid, encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise BenchError("no VmHWM for pid %d" % pid)


def _peak_rss(runner, mode, argv):
    """Starts the program under the supervisor, waits until every thread
    has done its work and is still alive, and reads the supervisor's peak
    RSS (the process Popen started is fhirguard or strace itself)."""
    cmd = runner.prefix(mode, "memory") + argv + ["--hold"]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    try:
        for line in p.stdout:
            if line.strip() == "ready":
                break
        else:
            raise BenchError("%s ended before it was ready" % " ".join(cmd))
        return _vm_hwm_kib(p.pid)
    finally:
        p.stdin.close()
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def run_memory(cfg, runner, log):
    s = cfg.sizes
    modes = [runner.fhirguard(), runner.strace()]
    rows = []
    for n in s.memory_threads:
        argv = [cfg.bin_dir + "/threads_open", str(n), "20", cfg.open_target]
        samples = {m.label: [] for m in modes}
        for i in range(s.memory_runs):
            for mode in rotated(modes, i):
                samples[mode.label].append(_peak_rss(runner, mode, argv) / 1024.0)
        name = "supervisor peak RSS, %d live threads" % n
        row = {"group": "memory", "key": "rss_%d" % n, "name": name, "unit": "MiB",
               "better": "lower", "modes": {k: summary(v) for k, v in samples.items()},
               "command": "threads_open %d 20 --hold; VmHWM of the supervisor" % n}
        log("  %-40s %s" % (name, "  ".join("%s %.2f" % (k, v["median"])
                                            for k, v in row["modes"].items())))
        rows.append(row)
    return rows
