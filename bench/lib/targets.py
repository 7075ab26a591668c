"""The issue's targets, evaluated on a results dict."""


def _row(res, key):
    return next((r for r in res["rows"] if r.get("key") == key), None)


def _med(row, label):
    if row is None:
        return None
    s = row["modes"].get(label)
    return None if s is None else s["median"]


def _best(row, label):
    """The fastest run: on a loaded machine noise only adds time."""
    return row["modes"][label]["min"]


def _verdict(ok):
    return "–" if ok is None else ("met" if ok else "**not met**")


def evaluate(res):
    """A list of (target, measured text, ok or None)."""
    out = []
    conns = res["sizes"]["wrk_connections"]
    for c in conns:
        rps = _row(res, "rps_c%d" % c)
        p99 = _row(res, "p99_us_c%d" % c)
        if rps is None:
            continue
        r = _med(rps, "fhirguard") / _med(rps, "native")
        out.append(("FHIR throughput ≥ 0.98× native (%d connections)" % c, "%.3f×" % r,
                    r >= 0.98))
        r = _med(p99, "fhirguard") / _med(p99, "native")
        out.append(("FHIR p99 latency ≤ 1.05× native (%d connections)" % c, "%.3f×" % r,
                    r <= 1.05))
    ready = _row(res, "ready")
    if ready is not None:
        r = _med(ready, "fhirguard") / _med(ready, "native")
        out.append(("fixture start-to-ready ≤ 1.10× native", "%.3f× (%.0f ms vs %.0f ms)" %
                    (r, _med(ready, "fhirguard"), _med(ready, "native")), r <= 1.10))
    openat, bare = _row(res, "openat"), _row(res, "bare_trace")
    if openat is not None and bare is not None:
        rt = _med(bare, "fhirguard") - _med(bare, "native")
        traced = _med(openat, "fhirguard") - _med(openat, "native")
        whole = _med(openat, "fhirguard") / (_med(openat, "native") + rt)
        best = ((_best(openat, "fhirguard") - _best(openat, "native")) /
                (_best(bare, "fhirguard") - _best(bare, "native")))
        out.append(("traced openat ≤ 1.5× bare RET_TRACE round trip",
                    "overhead %.1f µs vs round trip %.1f µs: %.2f× (whole call: %.2f×; "
                    "best runs: %.2f×)" % (traced / 1000, rt / 1000, traced / rt, whole, best),
                    traced / rt <= 1.5))
    hot = _row(res, "getppid")
    if hot is not None:
        d = _med(hot, "fhirguard") - _med(hot, "fhirguard allow-all filter")
        out.append(("allowed hot syscall within 10 ns of a one-rule allow-all filter",
                    "%+.1f ns (%.0f vs %.0f ns; native %.0f ns; best runs: %+.1f ns)" %
                    (d, _med(hot, "fhirguard"), _med(hot, "fhirguard allow-all filter"),
                     _med(hot, "native"),
                     _best(hot, "fhirguard") - _best(hot, "fhirguard allow-all filter")),
                    d <= 10))
    mems = [r for r in res["rows"] if r["group"] == "memory"]
    if mems:
        top = mems[-1]
        v = _med(top, "fhirguard")
        n = top["key"].split("_")[1]
        growth = ", ".join("%s: %.2f" % (r["key"].split("_")[1], _med(r, "fhirguard"))
                           for r in mems)
        out.append(("fhirguard RSS < 16 MiB with 1000 threads, at worst linear",
                    "%.2f MiB at %s threads (MiB by threads: %s)" % (v, n, growth),
                    v < 16 if n == "1000" else None))
    losses, close = [], []
    total = 0
    for r in res["rows"]:
        if "modes" not in r or "fhirguard" not in r["modes"] or "strace" not in r["modes"]:
            continue
        total += 1
        fs, ss = r["modes"]["fhirguard"], r["modes"]["strace"]
        f, s = fs["median"], ss["median"]
        if (f < s) if r["better"] == "higher" else (f > s):
            overlapping = fs["min"] <= ss["max"] and ss["min"] <= fs["max"]
            (close if overlapping else losses).append(r["name"])
    text = "median better on %d of %d rows" % (total - len(losses) - len(close), total)
    if losses:
        text += "; worse beyond the spread on: " + "; ".join(losses)
    if close:
        text += "; worse within the spread (min–max ranges overlap) on: " + "; ".join(close)
    out.append(("better than strace on every row", text, not losses and not close))
    return out


def table(res):
    lines = ["Verdicts use medians. Micro targets also show the best runs, which a loaded machine "
             "disturbs least.", "", "| target | measured | verdict |", "|---|---|---|"]
    for name, measured, ok in evaluate(res):
        lines.append("| %s | %s | %s |" % (name, measured, _verdict(ok)))
    return "\n".join(lines)
