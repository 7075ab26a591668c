"""The issue's targets, evaluated on a results dict."""

from runner import paired


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
        out.append(_ratio_target("FHIR throughput ≥ 0.98× native (%d connections)" % c, rps,
                                 lambda r: r >= 0.98))
        out.append(_ratio_target("FHIR p99 latency ≤ 1.05× native (%d connections)" % c, p99,
                                 lambda r: r <= 1.05))
    ready = _row(res, "ready")
    if ready is not None:
        out.append(_ratio_target("fixture start-to-ready ≤ 1.10× native", ready,
                                 lambda r: r <= 1.10, unit="ms"))
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
        allow_all = "fhirguard allow-all filter"
        d = _med(hot, "fhirguard") - _med(hot, allow_all)
        p = paired(hot, "fhirguard", allow_all, how="diff")
        by_round = d if p is None else p["median"]
        text = "%+.1f ns" % by_round
        if p is not None:
            text += " by round (%+.1f to %+.1f, %d rounds)" % (p["min"], p["max"], p["n"])
        text += "; medians %.0f vs %.0f ns (%+.1f); native %.0f ns; best runs: %+.1f ns" % (
            _med(hot, "fhirguard"), _med(hot, allow_all), d, _med(hot, "native"),
            _best(hot, "fhirguard") - _best(hot, allow_all))
        out.append(("allowed hot syscall within 10 ns of a one-rule allow-all filter", text,
                    by_round <= 10))
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
        win = beats(r, "fhirguard", "strace")
        if win is not None and not win["better"]:
            text = "%s (won %d of %d rounds)" % (r["name"], win["wins"], win["n"])
            (losses if win["wins"] == 0 else close).append(text)
    text = "better on %d of %d rows" % (total - len(losses) - len(close), total)
    if losses:
        text += "; worse in every round on: " + "; ".join(losses)
    if close:
        text += "; worse by the median of rounds, better in some rounds, on: " + "; ".join(close)
    out.append(("better than strace on every row", text, not losses and not close))
    return out


def _ratio_target(name, row, ok, unit=None):
    """A fhirguard/native target: the verdict uses the median of the
    per-round ratios (each round runs every mode back to back, in rotating
    order); the ratio of the two medians is shown beside it."""
    of_medians = _med(row, "fhirguard") / _med(row, "native")
    p = paired(row, "fhirguard", "native")
    if p is None:
        text, r = "%.3f×" % of_medians, of_medians
    else:
        r = p["median"]
        text = "%.3f× by round (%.3f–%.3f, %d rounds); medians' ratio %.3f×" % (
            r, p["min"], p["max"], p["n"], of_medians)
    if unit:
        text += " (%.0f %s vs %.0f %s)" % (_med(row, "fhirguard"), unit, _med(row, "native"), unit)
    return (name, text, ok(r))


def beats(row, a, b):
    """Whether mode a beats mode b on a row, by the median of the per-round
    ratios (or the medians when the rounds cannot be paired), with how many
    rounds a won. None when the row lacks a mode."""
    sa, sb = row["modes"].get(a), row["modes"].get(b)
    if sa is None or sb is None:
        return None
    higher = row["better"] == "higher"
    p = paired(row, a, b)
    if p is None:
        win = sa["median"] > sb["median"] if higher else sa["median"] < sb["median"]
        return {"better": win, "wins": int(win), "n": 1}
    win = p["median"] > 1 if higher else p["median"] < 1
    return {"better": win, "wins": p["wins"], "n": p["n"]}


def table(res):
    lines = ["Verdicts use the median of per-round comparisons: every round runs each mode back "
             "to back (rotating which goes first), so a change in the machine's load between "
             "rounds falls on both sides of a ratio. The ratio of the medians is shown beside "
             "it; micro targets also show the best runs, which a loaded machine disturbs least.",
             "", "| target | measured | verdict |", "|---|---|---|"]
    for name, measured, ok in evaluate(res):
        lines.append("| %s | %s | %s |" % (name, measured, _verdict(ok)))
    return "\n".join(lines)
