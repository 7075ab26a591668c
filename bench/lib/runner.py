"""Running one program natively, under fhirguard or under strace, and
summarising repeated measurements."""

import json
import os
import statistics
import subprocess
from dataclasses import dataclass


class BenchError(Exception):
    pass


@dataclass(frozen=True)
class Mode:
    """How a program is started: `kind` is native, fhirguard or strace;
    `policy` names the fhirguard policy (a key of the policies dict), and
    `trace` is strace's -e expression; `one_cpu` runs the whole command
    (supervisor and program) on CPU 0 with taskset, which shows what the
    cross-CPU wake-ups of a stop cost."""
    label: str
    kind: str
    policy: str = ""
    trace: str = ""
    one_cpu: bool = False


class Runner:
    def __init__(self, cfg, policies, strace_exprs):
        self.cfg = cfg
        self.policies = policies
        self.exprs = strace_exprs
        os.makedirs(cfg.log_dir, exist_ok=True)

    def native(self):
        return Mode("native", "native")

    def fhirguard(self, policy="micro", label="fhirguard", one_cpu=False):
        return Mode(label, "fhirguard", policy=policy, one_cpu=one_cpu)

    def strace(self, policy="micro", label="strace", trace=None):
        return Mode(label, "strace", trace=trace or self.exprs[policy])

    def audit_log(self, name):
        return os.path.join(self.cfg.log_dir, name + ".jsonl")

    def prefix(self, mode, log_name):
        pin = ["taskset", "-c", "0"] if mode.one_cpu else []
        if mode.kind == "native":
            return pin
        if mode.kind == "fhirguard":
            return pin + [self.cfg.fhirguard, "--policy", self.policies[mode.policy], "--log",
                          self.audit_log(log_name), "--"]
        if mode.kind == "strace":
            return ["strace", "-f", "--seccomp-bpf", "-e", mode.trace, "-o", "/dev/null"]
        raise BenchError("unknown mode kind " + mode.kind)

    def run_kv(self, mode, argv, log_name, timeout=300):
        """Runs a micro program and returns its key=value report."""
        cmd = self.prefix(mode, log_name) + argv
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=timeout)
        if r.returncode != 0:
            raise BenchError("%s failed (exit %d): %s" % (" ".join(cmd), r.returncode,
                                                         r.stderr.strip()[-2000:]))
        return parse_kv(r.stdout)


def parse_kv(text):
    """The last line with key=value pairs, numbers converted."""
    out = {}
    for line in text.splitlines():
        pairs = [w.split("=", 1) for w in line.split() if "=" in w]
        if pairs:
            out = {}
            for key, value in pairs:
                try:
                    out[key] = float(value)
                except ValueError:
                    out[key] = value
    return out


def rotated(modes, round_index):
    """The modes in the order of one round: each round starts with the next
    mode, so that no mode always runs first (after an idle gap) or last."""
    k = round_index % len(modes)
    return list(modes[k:]) + list(modes[:k])


def paired(row, a, b, how="ratio"):
    """Mode a against mode b round by round (a/b, or a-b with how="diff"):
    both ran in the same round, minutes apart at most, so a drift in the
    machine's load cancels out. Median, min, max of the per-round figures
    and how many rounds a won; None without two paired rounds."""
    sa, sb = row["modes"].get(a), row["modes"].get(b)
    if sa is None or sb is None or "order" not in sa or "order" not in sb:
        return None
    pairs = [(x, y) for x, y in zip(sa["order"], sb["order"])
             if x is not None and y is not None and (how == "diff" or y != 0)]
    if len(pairs) < 2 and not (len(pairs) == 1 and sa["n"] == 1):
        return None
    vals = sorted(x / y if how == "ratio" else x - y for x, y in pairs)
    higher = row.get("better") == "higher"
    wins = sum(1 for x, y in pairs if (x > y if higher else x < y))
    return {"median": statistics.median(vals), "min": vals[0], "max": vals[-1],
            "n": len(vals), "wins": wins}


def summary(values):
    """Median with min, max and the interquartile range of repeated runs;
    `order` keeps the values in run order (index = round) for paired()."""
    order = list(values)
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return None
    if len(vals) >= 4:
        q = statistics.quantiles(vals, n=4, method="inclusive")
        iqr = (q[0], q[2])
    else:
        iqr = (vals[0], vals[-1])
    return {"median": statistics.median(vals), "min": vals[0], "max": vals[-1],
            "q1": iqr[0], "q3": iqr[1], "n": len(vals), "values": vals, "order": order}


def audit_summary(path):
    """What a fhirguard audit log says: denials, kills, lost lines, and the
    Landlock status from the start line."""
    out = {"denied": 0, "killed": 0, "lost": 0, "landlock": None, "examples": []}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            kind = rec.get("type")
            if kind == "start" and out["landlock"] is None:
                out["landlock"] = rec.get("landlock")
            elif kind == "lost":
                out["lost"] += rec.get("lines", 0)
            elif kind == "syscall":
                verdict = rec.get("verdict")
                if verdict == "deny":
                    out["denied"] += 1
                elif verdict in ("kill", "stop"):
                    out["killed"] += 1
                if verdict != "allow" and len(out["examples"]) < 5:
                    out["examples"].append({k: rec.get(k) for k in
                                            ("syscall", "args", "verdict", "rule", "reason")})
    return out
