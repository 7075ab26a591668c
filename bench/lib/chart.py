"""chart.svg: how much slower than native each row runs under fhirguard and
under strace (log scale; 1× = native), plus the supervisors' memory."""

import math
from xml.sax.saxutils import escape

COLORS = {"fhirguard": "#1f77b4", "strace": "#ff7f0e"}
OTHER = "#9aa8b5"
LEFT, PLOT, RIGHT = 440, 470, 90
BAR, GAP, HEAD = 11, 7, 26


def _slowdown(row, label):
    s, base = row["modes"].get(label), row["modes"].get("native")
    if s is None or base is None or s["median"] <= 0 or base["median"] <= 0:
        return None
    if row["better"] == "higher":
        return base["median"] / s["median"]
    return s["median"] / base["median"]


def _text(x, y, s, size=12, anchor="start", weight="normal", color="#222"):
    return ('<text x="%.1f" y="%.1f" font-size="%d" text-anchor="%s" font-weight="%s" '
            'fill="%s">%s</text>' % (x, y, size, anchor, weight, color, escape(s)))


def _ratio_panel(rows, y0):
    parts = []
    bars = [(r, [(lab, _slowdown(r, lab)) for lab in r["modes"] if lab != "native"])
            for r in rows]
    top = max([v for _, bs in bars for _, v in bs if v] + [2.0])
    decades = max(1, math.ceil(math.log10(top)))
    lo = math.log10(0.5)

    def x(v):
        return LEFT + PLOT * (math.log10(max(v, 0.5)) - lo) / (decades - lo)

    y = y0
    parts.append(_text(LEFT, y, "slowdown against native (×, log scale; shorter is better)",
                       13, weight="bold"))
    y += 10
    height_start = y
    group = None
    body = []
    for row, bs in bars:
        if row["group"] != group:
            group = row["group"]
            y += HEAD - 8
            body.append(_text(10, y, {"micro": "Micro", "jvm": "JVM start", "fhir": "FHIR (wrk)",
                                      "scale": "Scale"}.get(group, group), 13, weight="bold"))
            y += 6
        name = row["name"] if len(row["name"]) <= 66 else row["name"][:64] + "…"
        body.append(_text(LEFT - 8, y + BAR * len(bs) / 2 + 4, name, 11, anchor="end"))
        for label, v in bs:
            if v is None:
                continue
            color = COLORS.get(label, OTHER)
            # Bars grow from 1× (native): right is slower, left is faster.
            x0, x1 = sorted((x(1), x(v)))
            body.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"/>' %
                        (x0, y, max(1.0, x1 - x0), BAR - 1, color))
            text = "%.2f×" % v if v < 10 else "%.0f×" % v
            if label not in COLORS:
                text += "  " + label
            body.append(_text(max(x1, x(1)) + 4, y + BAR - 2, text, 10, color="#333"))
            y += BAR
        y += GAP
    for d in range(0, decades + 1):
        v = 10 ** d
        body.insert(0, '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" '
                    'stroke-width="%s"/>' % (x(v), height_start, x(v), y,
                                             "#444" if d == 0 else "#ccc", 1.5 if d == 0 else 1))
        body.append(_text(x(v), y + 14, "%g×" % v, 11, anchor="middle"))
    parts += body
    return parts, y + 24


def _memory_panel(rows, y0):
    if not rows:
        return [], y0
    parts = [_text(LEFT, y0, "supervisor peak RSS (MiB, linear; dashed: 16 MiB target)", 13,
                   weight="bold")]
    y = y0 + 12
    top = max([s["median"] for r in rows for s in r["modes"].values()] + [16.0]) * 1.1

    def x(v):
        return LEFT + PLOT * v / top

    start = y
    for row in rows:
        parts.append(_text(LEFT - 8, y + BAR + 4, row["name"], 11, anchor="end"))
        for label in ("fhirguard", "strace"):
            s = row["modes"].get(label)
            if s is None:
                continue
            parts.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"/>' %
                         (LEFT, y, max(1.0, x(s["median"]) - LEFT), BAR - 1, COLORS[label]))
            parts.append(_text(x(s["median"]) + 4, y + BAR - 2, "%.1f" % s["median"], 10))
            y += BAR
        y += GAP
    parts.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#c00" '
                 'stroke-dasharray="4,3"/>' % (x(16), start, x(16), y))
    step = 4 if top <= 40 else 10 ** math.floor(math.log10(top))
    tick = 0
    while tick <= top:
        parts.append(_text(x(tick), y + 12, "%g" % tick, 10, anchor="middle"))
        tick += step
    y += 14
    return parts, y + 10


def write(res, path):
    rows = [r for r in res["rows"] if r["group"] in ("micro", "jvm", "fhir", "scale")]
    parts, y = _ratio_panel(rows, 22)
    mem, y = _memory_panel([r for r in res["rows"] if r["group"] == "memory"], y + 10)
    parts += mem
    legend_y = y + 8
    lx = 10
    for label, color in (("fhirguard", COLORS["fhirguard"]), ("strace -f --seccomp-bpf",
                                                              COLORS["strace"]),
                         ("fhirguard, other policy (named)", OTHER)):
        parts.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>' %
                     (lx, legend_y - 10, color))
        parts.append(_text(lx + 16, legend_y, label, 12))
        lx += 16 + 8 * len(label) + 30
    width, height = LEFT + PLOT + RIGHT, legend_y + 14
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'viewBox="0 0 %d %d" font-family="DejaVu Sans, Arial, sans-serif">' %
           (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>'] + parts + ["</svg>"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")
