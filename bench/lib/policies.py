"""Bench policies: copies of the shipped policy adapted to the bench's paths
and ports, and the set of syscalls strace must trace to stop where fhirguard
stops.

The copies are derived at run time from policy/hapi-fhir.json, so they follow
the shipped policy as it changes; the edits are listed in RESULTS.md.
"""

import copy
import json
import os
import re
import subprocess


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def save(policy, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(policy, f, indent=1)
        f.write("\n")
    return path


def _section_rules(policy, section):
    policy.setdefault(section, {"default": {"action": "deny", "errno": "EACCES"}})
    return policy[section].setdefault("rules", [])


def _retarget_data_dir(policy, data_dir):
    """Every files pattern under /var/lib/fhir now names data_dir."""
    for rule in policy.get("files", {}).get("rules", []):
        rule["paths"] = [p.replace("/var/lib/fhir", data_dir) for p in rule["paths"]]


def _retarget_port(policy, port):
    for rule in policy.get("network", {}).get("rules", []):
        if rule.get("ports") == "8080":
            rule["ports"] = str(port)


def _parents(path):
    out = []
    while path not in ("/", ""):
        path = os.path.dirname(path)
        out.append(path)
    return out


def derive_fhir(base, data_dir, port, jar):
    """The shipped policy with the bench's data directory, port and jar.

    Edits: /var/lib/fhir becomes data_dir in every files pattern; the bind
    rule's port 8080 becomes `port`; files rules are appended that allow
    reading the fixture jar where the repository builds it, listing the
    directories above the data dir, and mkdir of the (existing) data dir."""
    policy = copy.deepcopy(base)
    policy["description"] = "Bench copy of policy/hapi-fhir.json (see bench/README.md)."
    _retarget_data_dir(policy, data_dir)
    _retarget_port(policy, port)
    _section_rules(policy, "files").append({
        "id": "bench-fixture-jar",
        "paths": [jar] + _parents(data_dir),
        "access": ["read", "stat"],
        "action": "allow",
    })
    # The fixture calls Files.createDirectories(dataDir): a mkdir of the
    # existing directory, which the kernel answers with EEXIST. The shipped
    # rules give the directory itself no create right, so the supervisor
    # would answer EACCES and the server would not start.
    _section_rules(policy, "files").append({
        "id": "bench-data-dir-mkdir",
        "paths": [data_dir],
        "access": ["create"],
        "action": "allow",
    })
    return policy


def derive_micro(base, bench_dir, port):
    """The shipped policy's syscall layer and sections, plus rules appended
    at the end of each section for the micro programs: read, list and run
    what is under bench_dir, run its programs, bind and connect on
    127.0.0.1:port. Appended last, so a bench path is compared with every
    shipped rule first (the worst case for rule matching)."""
    policy = copy.deepcopy(base)
    policy["description"] = "Bench micro policy: policy/hapi-fhir.json plus bench rules."
    _section_rules(policy, "files").append({
        "id": "bench-dir",
        "paths": [bench_dir, bench_dir + "/**"] + _parents(bench_dir),
        "access": ["read", "stat", "exec"],
        "action": "allow",
    })
    _section_rules(policy, "exec").append({
        "id": "bench-programs",
        "paths": [bench_dir + "/bin/*"],
        "action": "allow",
    })
    _section_rules(policy, "network").append({
        "id": "bench-loopback",
        "operations": ["connect", "bind"],
        "protocols": ["tcp"],
        "addresses": ["127.0.0.1"],
        "ports": str(port),
        "action": "allow",
    })
    return policy


def _stops_in_supervisor(rule):
    action = rule["action"]
    if action in ("trace", "kill", "stop"):
        return True
    return action == "deny" and rule.get("log", True)


def strace_known(names):
    """The names this strace accepts (it does not know the newest calls):
    strace names the first unknown one, which is dropped, until it runs."""
    names = sorted(set(names))
    while names:
        r = subprocess.run(["strace", "-e", "trace=" + ",".join(names), "-o", "/dev/null",
                            "true"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
        if r.returncode == 0:
            return names
        m = re.search(r"invalid system call '([^']+)'", r.stderr)
        if m is None or m.group(1) not in names:
            raise RuntimeError("strace refuses the syscall list: " + r.stderr.strip())
        names.remove(m.group(1))
    return names


def strace_trace_expr(policy):
    """An strace -e trace= expression for the syscalls that stop in
    fhirguard's supervisor under `policy`: traced, logged denials and kills.
    When the default itself stops (a logged ENOSYS), the expression is the
    complement of what the kernel decides alone."""
    rules = policy["syscalls"].get("rules", [])
    default = policy["syscalls"]["default"]
    if _stops_in_supervisor(default):
        silent = [n for r in rules if not _stops_in_supervisor(r) for n in r["syscalls"]]
        return "trace=!" + ",".join(strace_known(silent))
    stopping = [n for r in rules if _stops_in_supervisor(r) for n in r["syscalls"]]
    return "trace=" + ",".join(strace_known(stopping))


def write_all(cfg):
    """Writes every policy the run uses into cfg.work/policies; returns a
    dict name -> path plus the strace expressions."""
    base = load(cfg.shipped_policy)
    pol_dir = os.path.join(cfg.work, "policies")
    paths = {
        "micro": save(derive_micro(base, cfg.work, cfg.micro_port),
                      os.path.join(pol_dir, "micro.json")),
        "fhir": save(derive_fhir(base, cfg.data_dir, cfg.fhir_port, cfg.jar),
                     os.path.join(pol_dir, "fhir.json")),
    }
    for name in ("allow-all", "trace-bare", "trace-openat-nofiles"):
        paths[name] = os.path.join(cfg.bench_dir, "policies", name + ".json")
    exprs = {name: strace_trace_expr(load(p)) for name, p in paths.items()}
    return paths, exprs
