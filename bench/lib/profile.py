"""Where fhirguard's own time goes per traced openat (bench/profile).

Writes /tmp/fhirguard-bench/profile/PROFILE.txt:
 1. supervisor CPU per event (perf stat --no-inherit task-clock of the
    fhirguard process alone) for the bare round trip, openat without a
    files section, and openat with the bench copy of the shipped policy;
 2. the supervisor's syscalls per event (strace -c on fhirguard only);
 3. user-space instructions per call (callgrind, bench/prof/inspect_cost)
    of fg_decide, fg_rules_check_file and fg_inspect, and their time;
 4. a perf cpu-clock profile of the supervisor during the openat loop.
Needs build-bench-prof/ (bench/profile builds it) and the work directory
that bench/run prepares.
"""

import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import config  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
cfg = config.Config(repo=REPO)
OUT = os.path.join(cfg.work, "profile")
FG = os.path.join(REPO, "build-bench-prof", "shim", "fhirguard")
TOOL = os.path.join(OUT, "inspect_cost")
POL = {"micro": os.path.join(cfg.work, "policies", "micro.json"),
       "bare": os.path.join(cfg.bench_dir, "policies", "trace-bare.json"),
       "nofiles": os.path.join(cfg.bench_dir, "policies", "trace-openat-nofiles.json")}
OPS = 4000
report = []


def say(text=""):
    print(text, flush=True)
    report.append(text)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def prog(kind):
    if kind == "bare":
        return [cfg.bin_dir + "/getppid_loop", str(OPS)]
    return [cfg.bin_dir + "/openat_loop", str(OPS), cfg.open_target]


def guarded(policy, argv):
    return [FG, "--policy", POL[policy], "--log", os.path.join(OUT, "audit.jsonl"), "--"] + argv


def supervisor_cpu(reps=7):
    say("1. Supervisor CPU per event (perf stat --no-inherit -e task-clock on fhirguard),")
    say("   and the program's own wall time per call; median of %d runs, %d calls each" %
        (reps, OPS))
    stat = os.path.join(OUT, "perf-stat.txt")
    for policy, kind in (("bare", "bare"), ("nofiles", "openat"), ("micro", "openat")):
        cpu, wall = [], []
        for _ in range(reps):
            r = run(["perf", "stat", "--no-inherit", "-x,", "-e", "task-clock", "-o", stat,
                     "--"] + guarded(policy, prog(kind)))
            wall.append(float(re.search(r"ns_per_op=([\d.]+)", r.stdout).group(1)))
            with open(stat) as f:
                ms = float([x for x in f if "task-clock" in x][0].split(",")[0])
            cpu.append(ms * 1e6 / OPS)
        say("   %-8s %-7s supervisor CPU %6.0f ns/event   wall %6.0f ns/call" % (
            policy, kind, sorted(cpu)[reps // 2], sorted(wall)[reps // 2]))
    say()


def syscalls_per_event():
    say("2. The supervisor's syscalls per traced call (strace -c on fhirguard only, %d calls)"
        % OPS)
    for policy, kind in (("bare", "bare"), ("micro", "openat")):
        out = os.path.join(OUT, "strace-c-%s.txt" % policy)
        run(["strace", "-c", "-o", out] + guarded(policy, prog(kind)))
        counts = []
        with open(out) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 5 and parts[0][0].isdigit() and parts[-1] != "total":
                    calls = int(parts[3])
                    if calls >= OPS // 10:
                        counts.append((parts[-1], calls / OPS))
        total = sum(c for _, c in counts)
        say("   %-7s %.1f per event: %s" % (policy, total, ", ".join(
            "%s %.2f" % (n, c) for n, c in sorted(counts, key=lambda x: -x[1]))))
    say()


def callgrind():
    say("3. User-space work per call, bench/prof/inspect_cost (no ptrace; the process inspects")
    say("   its own openat). Time: %d calls natively. Ir: callgrind instructions per call," % 20000)
    say("   inclusive (valgrind 3.19 lacks openat2, so fg_inspect's walk under callgrind takes")
    say("   the slower one-by-one path; its Ir is indicative, the time is not affected).")
    for mode, fn in (("decide", "fg_decide"), ("rules", "fg_rules_check_file"),
                     ("inspect", "fg_inspect")):
        r = run([TOOL, POL["micro"], mode, "20000", cfg.open_target])
        t = re.search(r"ns_per_op=([\d.]+)", r.stdout)
        cg = os.path.join(OUT, "callgrind.%s.out" % mode)
        run(["valgrind", "--tool=callgrind", "--toggle-collect=" + fn,
             "--callgrind-out-file=" + cg, TOOL, POL["micro"], mode, "1000", cfg.open_target])
        a = run(["callgrind_annotate", "--inclusive=yes", cg]).stdout
        rows = []
        for line in a.splitlines():
            m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*:(\S+) \[", line)
            if m:
                name = m.group(2)
                ir = int(m.group(1).replace(",", "")) / 1000
                if name not in ("main", "(below", "__libc_start_main@@GLIBC_2.34") and \
                        not name.startswith("0x") and (name, ir) not in rows:
                    rows.append((name, ir))
        say("   %-8s %7s ns/call; Ir/call: %s" % (mode, t.group(1) if t else "?", ", ".join(
            "%s %.0f" % (n, ir) for n, ir in rows[:8])))
    say()


def perf_profile():
    say("4. perf record -e cpu-clock -g on the openat loop; the fhirguard process's top")
    say("   symbols (children, i.e. inclusive), kernel [k] and user [.]")
    data = os.path.join(OUT, "perf.data")
    run(["perf", "record", "-e", "cpu-clock", "-F", "10000", "-g", "-o", data, "--"] +
        guarded("micro", [cfg.bin_dir + "/openat_loop", "20000", cfg.open_target]))
    r = run(["perf", "report", "-i", data, "--comm", "fhirguard", "--children", "--sort", "sym",
             "--stdio", "-g", "none"])
    shown = 0
    for line in r.stdout.splitlines():
        if "%" in line and not line.startswith("#") and shown < 30:
            if re.search(r"\] (entry_|do_syscall|x64_sys_call|0x0)", line) or "0000000" in line:
                continue
            say("   " + line.strip())
            shown += 1
    say()


def main():
    os.makedirs(OUT, exist_ok=True)
    subprocess.run(["gcc", "-std=c17", "-D_GNU_SOURCE", "-O2", "-g", "-Wall", "-Wextra",
                    "-Werror", "-I" + os.path.join(REPO, "lib"), "-o", TOOL,
                    os.path.join(cfg.bench_dir, "prof", "inspect_cost.c"),
                    os.path.join(REPO, "build-bench-prof", "lib", "libfhirguard.a"),
                    "-lseccomp", "-lcjson"], check=True)
    with open("/proc/loadavg") as f:
        say("fhirguard profile, load average %s" % " ".join(f.read().split()[:3]))
    say()
    supervisor_cpu()
    syscalls_per_event()
    callgrind()
    perf_profile()
    with open(os.path.join(OUT, "PROFILE.txt"), "w") as f:
        f.write("\n".join(report) + "\n")
    print("written: " + os.path.join(OUT, "PROFILE.txt"))


if __name__ == "__main__":
    main()
