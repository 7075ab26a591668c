"""JVM start: `java -version`, and the FHIR fixture's start-to-ready time."""

import os
import shutil
import subprocess
import time

from runner import BenchError, rotated, summary
from server import Server


def _modes(runner):
    return [runner.native(), runner.fhirguard("fhir"), runner.strace("fhir")]


def run_java_version(cfg, runner, log):
    modes = _modes(runner)
    samples = {m.label: [] for m in modes}
    # In the data directory, as the server runs (the JVM opens its working
    # directory, which the policy allows there and not everywhere).
    os.makedirs(cfg.data_dir, exist_ok=True)
    for i in range(cfg.sizes.java_version_runs):
        for mode in rotated(modes, i):
            cmd = runner.prefix(mode, "java-version") + ["java", "-version"]
            t0 = time.perf_counter()
            r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               cwd=cfg.data_dir)
            elapsed = time.perf_counter() - t0
            if r.returncode != 0:
                raise BenchError("%s failed: %s" % (" ".join(cmd), r.stderr[-500:]))
            samples[mode.label].append(elapsed * 1000)
    row = {"group": "jvm", "key": "java_version", "name": "java -version, wall time",
           "unit": "ms", "better": "lower", "command": "java -version",
           "modes": {k: summary(v) for k, v in samples.items()}}
    log("  %-40s %s" % (row["name"], "  ".join("%s %.0f" % (k, v["median"])
                                             for k, v in row["modes"].items())))
    return row


def run_start_to_ready(cfg, runner, log):
    """Start with an empty data directory, poll /fhir/metadata until 200."""
    modes = _modes(runner)
    samples = {m.label: [] for m in modes}
    for i in range(cfg.sizes.ready_runs):
        for mode in rotated(modes, i):
            shutil.rmtree(cfg.data_dir, ignore_errors=True)
            server = Server(cfg, runner, mode, "ready-" + mode.kind)
            server.start()
            try:
                samples[mode.label].append(server.wait_ready() * 1000)
            finally:
                server.stop()
    row = {"group": "jvm", "key": "ready", "name": "FHIR fixture start-to-ready (empty data dir)",
           "unit": "ms", "better": "lower",
           "command": "java -jar fhir-server.jar ...; poll /fhir/metadata every 10 ms",
           "modes": {k: summary(v) for k, v in samples.items()}}
    log("  %-40s %s" % (row["name"][:40], "  ".join("%s %.0f" % (k, v["median"])
                                                  for k, v in row["modes"].items())))
    return row
