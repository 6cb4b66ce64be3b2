"""Where every chart's words land: each chart the kit draws, rendered to SVG and measured.

For every chart function on the kit's data and on the ``brink.as_of`` views the lessons use, and for
every chart a lesson stores (its exact SVG copy), three things are checked in the SVG itself:

- no two texts' boxes overlap;
- no text box overlaps a data mark it is not written on (a text that lies wholly inside a bar or cell
  is that mark's label; map land is the ground and may carry names);
- every text box lies inside the SVG's view box, and every label of a data mark inside its plot;
- no text is cut inside a word (Vega cuts a text longer than its limit and appends "…"; where the
  kit shortens a label it cuts between words and writes " …", and the tooltip says it whole).

The SVG holds where each text starts and its anchor, not how wide it is, and vl-convert's scenegraph
holds no text bounds. So each text is measured by vl-convert itself: the texts of a chart are laid out
side by side in one Vega ``layout`` (no padding, ``bounds: full``) at 100 px, and each one's width is
the distance to the next one's origin. That is the measure Vega used to place and truncate them
(Liberation Sans, vl-convert's own font; the same metrics as Arial and Helvetica). A text box runs from
0.79 of the font size above its baseline to 0.21 below, Vega's own rule for baselines.
"""
from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
import vl_convert as vlc

import brink
from brink import charts, places
from brink.analysis import forecasts
from brink.analysis.clock import known_timeline
from brink.text import surface_features
from kitpaths import KIT

SVG_NS = "{http://www.w3.org/2000/svg}"
SLACK = 0.5  # px: boxes that touch within half a pixel are not counted as overlapping
NOTEBOOKS = sorted((KIT / "notebooks").glob("*.ipynb")) + sorted((KIT / "exercises").glob("*.ipynb"))
SVG_MIME = "image/svg+xml"
VEGALITE = "application/vnd.vegalite.v5+json"

# ------------------------------------------------------------------ measuring text with vl-convert

_WIDTHS: dict = {}


def measure(keys) -> None:
    """Measure (text, weight) pairs at 100 px in one vl-convert layout; widths go to ``_WIDTHS``."""
    todo = sorted({k for k in keys if k not in _WIDTHS})
    if not todo:
        return
    todo.append(("|", "normal"))   # a last cell, so that the last text's width is the distance to it
    cells = [{"type": "group", "encode": {"enter": {"width": {"value": 0}, "height": {"value": 0}}},
              "marks": [{"type": "text", "encode": {"enter": {
                  "x": {"value": 0}, "y": {"value": 0}, "text": {"value": text}, "fontSize": {"value": 100},
                  "fontWeight": {"value": weight}, "font": {"value": "sans-serif"}, "align": {"value": "left"},
                  "baseline": {"value": "top"}}}}]} for text, weight in todo]
    spec = {"$schema": "https://vega.github.io/schema/vega/v5.json", "padding": 0, "autosize": "pad",
            "layout": {"columns": len(todo), "padding": 0, "bounds": "full", "align": "none"}, "marks": cells}
    groups = vlc.vega_to_scenegraph(spec)["scenegraph"]["items"][0]["items"]
    xs = [g["items"][0]["x"] for g in groups]
    assert len(xs) == len(todo) and xs == sorted(xs), "vl-convert laid the texts out side by side"
    for key, a, b in zip(todo, xs, xs[1:]):
        _WIDTHS[key] = (b - a) / 100


def width(text: str, size: float, weight: str) -> float:
    return _WIDTHS[(text, weight)] * size


def test_the_measure_is_vl_converts_own():
    """The measure agrees with a text vl-convert sizes a whole view to, and it kerns ("AV" < "A" + "V")."""
    measure([("AV", "normal"), ("A", "normal"), ("V", "normal"), ("EV16 Baghdad 00:47 (3 Jan)", "bold")])
    assert width("AV", 100, "normal") < width("A", 100, "normal") + width("V", 100, "normal")
    spec = {"$schema": "https://vega.github.io/schema/vega/v5.json", "width": 1, "height": 1, "padding": 0,
            "autosize": "pad", "marks": [{"type": "text", "encode": {"enter": {
                "x": {"value": 0}, "y": {"value": 0}, "text": {"value": "EV16 Baghdad 00:47 (3 Jan)"},
                "fontSize": {"value": 100}, "fontWeight": {"value": "bold"}, "align": {"value": "left"}}}}]}
    whole = float(re.search(r'width="([\d.]+)"', vlc.vega_to_svg(spec))[1])
    assert abs(whole - width("EV16 Baghdad 00:47 (3 Jan)", 100, "bold")) <= 1


# ------------------------------------------------------------------ reading an SVG


def _matrix(transform: str | None):
    m = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for name, args in re.findall(r"(\w+)\(([^)]*)\)", transform or ""):
        v = [float(a) for a in re.split(r"[\s,]+", args.strip()) if a]
        if name == "translate":
            n = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
        elif name == "rotate":
            assert len(v) == 1, transform
            c, s = math.cos(math.radians(v[0])), math.sin(math.radians(v[0]))
            n = (c, s, -s, c, 0, 0)
        elif name == "scale":
            n = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        else:
            raise AssertionError(f"a transform this reader does not know: {transform}")
        m = _compose(m, n)
    return m


def _compose(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _apply(m, x, y):
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _box(m, x0, y0, x1, y1):
    pts = [_apply(m, x, y) for x in (x0, x1) for y in (y0, y1)]
    return (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))


def _path_points(d: str) -> list:
    """The points a path passes through (arcs as their chord's midpoint ± radius: exact for the
    half circles Vega draws a circle with)."""
    tokens = re.findall(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?", d)
    pts, x, y, i, cmd, start = [], 0.0, 0.0, 0, None, (0.0, 0.0)
    arity = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "Zz":
                x, y = start
                continue
        up, rel = cmd.upper(), cmd.islower()
        args = [float(t) for t in tokens[i:i + arity[up]]]
        i += arity[up]
        ox, oy = (x, y) if rel else (0.0, 0.0)
        if up == "H":
            x = args[0] + (x if rel else 0)
        elif up == "V":
            y = args[0] + (y if rel else 0)
        elif up == "A":
            nx, ny = args[5] + ox, args[6] + oy
            mx, my, r = (x + nx) / 2, (y + ny) / 2, max(args[0], args[1])
            pts += [(mx - r, my - r), (mx + r, my + r)]
            x, y = nx, ny
        else:
            coords = [(args[k] + ox, args[k + 1] + oy) for k in range(0, len(args), 2)]
            pts += coords[:-1]                       # control points: a box that holds the curve
            x, y = coords[-1]
        if up == "M":
            start = (x, y)
            cmd = "l" if rel else "L"
        pts.append((x, y))
    return pts


def _segments(d: str) -> list:
    pts = _path_points(d)
    return list(zip(pts, pts[1:]))


class Drawing:
    """The texts, data marks and plot areas of one SVG, in the SVG's own coordinates."""

    def __init__(self, svg: str):
        root = ET.fromstring(svg)
        self.width, self.height = float(root.get("width")), float(root.get("height"))
        vb = [float(v) for v in root.get("viewBox").split()]
        self.view = (vb[0], vb[1], vb[0] + vb[2], vb[1] + vb[3])
        self.texts: list = []    # (text, box, role, plot box or None)
        self.marks: list = []    # (kind, box, segments or None, aria label)
        self._lines: list = []
        self._walk(root, _matrix(None), "", None)
        measure([(line[0], line[2]) for line in self._lines])    # one vl-convert call for the whole chart
        for text, size, weight, anchor, dy, m, role, plot in self._lines:
            w = width(text, size, weight)
            x0 = {"start": 0.0, "middle": -w / 2, "end": -w}[anchor]
            self.texts.append((text, _box(m, x0, dy - 0.79 * size, x0 + w, dy + 0.21 * size), role, plot))

    def _walk(self, el, m, role, plot):
        m = _compose(m, _matrix(el.get("transform")))
        tag = el.tag.replace(SVG_NS, "")
        cls = el.get("class") or ""
        if tag == "g" and "role-" in cls:
            role = cls
        if tag == "g":
            bg = next((c for c in el if c.tag.replace(SVG_NS, "") == "path" and c.get("class") == "background"), None)
            size = re.fullmatch(r"M0\.5,0\.5h([\d.]+)v([\d.]+)h-[\d.]+Z", bg.get("d")) if bg is not None else None
            if size and float(size[1]) > 0 and float(size[2]) > 0:
                plot = _box(m, 0, 0, float(size[1]), float(size[2]))
        if el.get("opacity") == "0" or el.get("display") == "none":
            return
        if tag == "text":
            self._text(el, m, role, plot)
            return
        if "role-mark" in role and tag in ("path", "line", "rect") and el.get("class") != "background":
            self._mark(el, m, role)
        for child in el:
            self._walk(child, m, role, plot)

    def _text(self, el, m, role, plot):
        size = float(el.get("font-size", "11px").rstrip("px"))
        weight = el.get("font-weight", "normal")
        family = el.get("font-family", "sans-serif")
        assert family == "sans-serif", f"a text in {family}: the measure is vl-convert's sans-serif"
        anchor = el.get("text-anchor", "start")
        spans = [t for t in el if t.tag.replace(SVG_NS, "") == "tspan"]
        lines, y = [], 0.0
        for t in spans or [el]:
            y += float((t.get("dy") or "0").rstrip("px")) if spans else 0.0
            if (t.text or "").strip():
                lines.append((t.text, y))
        self._lines += [(text, size, weight, anchor, dy, m, role, plot) for text, dy in lines]

    def _mark(self, el, m, role):
        kind = re.match(r"mark-(\w+)", role)[1]
        if kind in ("shape", "group", "text"):     # map land is the ground; groups are containers
            return
        if el.get("fill") in (None, "none", "transparent") and el.get("stroke") in (None, "none", "transparent"):
            if kind not in ("rule", "line"):
                return
        tag = el.tag.replace(SVG_NS, "")
        if tag == "line":
            segs = [((float(el.get("x1", 0)), float(el.get("y1", 0))), (float(el.get("x2", 0)), float(el.get("y2", 0))))]
        elif tag == "rect":
            x, y, w, h = (float(el.get(k, 0)) for k in ("x", "y", "width", "height"))
            segs = [((x, y), (x + w, y + h))]
        else:
            segs = _segments(el.get("d") or "")
        if not segs:
            return
        segs = [(_apply(m, *a), _apply(m, *b)) for a, b in segs]
        xs = [p[0] for s in segs for p in s]
        ys = [p[1] for s in segs for p in s]
        box = (min(xs), min(ys), max(xs), max(ys))
        thin = kind in ("rule", "line")
        self.marks.append((kind, box, segs if thin else None, el.get("aria-label") or kind))


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > SLACK and min(a[3], b[3]) - max(a[1], b[1]) > SLACK


def _inside(a, b) -> bool:
    return a[0] >= b[0] - SLACK and a[1] >= b[1] - SLACK and a[2] <= b[2] + SLACK and a[3] <= b[3] + SLACK


def _crosses(seg, box) -> bool:
    """Does a line segment pass through a box (shrunk by the slack)?"""
    (x0, y0), (x1, y1) = seg
    bx0, by0, bx1, by1 = box[0] + SLACK, box[1] + SLACK, box[2] - SLACK, box[3] - SLACK
    if bx0 >= bx1 or by0 >= by1:
        return False
    t0, t1 = 0.0, 1.0
    for p, q in ((-(x1 - x0), x0 - bx0), (x1 - x0, bx1 - x0), (-(y1 - y0), y0 - by0), (y1 - y0, by1 - y0)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


def problems(svg: str) -> list[str]:
    """Every overlap and every text outside the view in one SVG, each as a line naming the texts."""
    d = Drawing(svg)
    out = []
    fmt = lambda b: "(" + ", ".join(f"{v:.0f}" for v in b) + ")"
    for i, (t, box, role, plot) in enumerate(d.texts):
        if "…" in t and " …" not in t:
            out.append(f"{t!r} is cut inside a word (Vega's labelLimit or limit cut it; the kit cuts between words, ' …')")
        if not _inside(box, d.view):
            out.append(f"{t!r} {fmt(box)} runs outside the view {fmt(d.view)}")
        if "role-mark" in role and plot is not None and not _inside(box, plot):
            out.append(f"{t!r} {fmt(box)} runs outside its plot {fmt(plot)}")
        for t2, box2, _, _ in d.texts[i + 1:]:
            if _overlap(box, box2):
                out.append(f"{t!r} {fmt(box)} overlaps {t2!r} {fmt(box2)}")
        for kind, mbox, segs, label in d.marks:
            if segs is not None:
                hit = any(_crosses(s, box) for s in segs)
            else:
                hit = _overlap(box, mbox) and not _inside(box, mbox)
            if hit:
                out.append(f"{t!r} {fmt(box)} is covered by the {kind} mark {label[:60]!r} {fmt(mbox)}")
    return out


def test_the_reader_sees_an_overlap_a_covered_label_and_a_text_outside():
    """The checks can fail: three texts and a marker placed wrong on purpose, each found."""
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 200, "height": 60,
            "layer": [
                {"data": {"values": [{"x": 10, "y": 1, "t": "EV06 label"}, {"x": 40, "y": 1, "t": "EV10 over it"},
                                     {"x": 190, "y": 2, "t": "EV99 runs off the plot"}]},
                 "mark": {"type": "text", "align": "left"},
                 "encoding": {"x": {"field": "x", "type": "quantitative", "scale": {"domain": [0, 200]}},
                              "y": {"field": "y", "type": "ordinal"}, "text": {"field": "t"}}},
                {"data": {"values": [{"x": 25, "y": 1}]}, "mark": {"type": "point", "filled": True, "size": 90},
                 "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "ordinal"}}},
            ]}
    found = problems(vlc.vegalite_to_svg(spec))
    assert any("'EV06 label'" in p and "overlaps 'EV10 over it'" in p for p in found), found
    assert any("'EV06 label'" in p and "covered by the symbol mark" in p for p in found), found
    assert any("'EV99 runs off the plot'" in p and "outside its plot" in p for p in found), found
    clean = dict(spec, layer=[dict(spec["layer"][0], data={"values": [{"x": 10, "y": 1, "t": "EV06"}]})])
    assert problems(vlc.vegalite_to_svg(clean)) == []


# ------------------------------------------------------------------ every chart the kit draws


def _evidence():
    return brink.with_evidence(brink.events(), brink.event_reports(), brink.sources())


def _lesson_days():
    """Lesson 01's windows: from the K1 attack, and up to the day after the missile strike."""
    ev = _evidence()
    last = brink.event_row(ev, "missile strike")["date"] + pd.Timedelta(days=1)
    first = brink.event_row(ev, "K1 attack")["date"]
    return ev, first, last


def _overview():
    ev, first, last = _lesson_days()
    return charts.timeline(brink.in_window(ev, "2019-05-01", f"{last:%Y-%m-%d}"),
                           title=f"Events, May 2019 to {last.day} {last:%B %Y}")


def _week():
    ev, first, last = _lesson_days()
    return charts.timeline(brink.in_window(ev, f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}"), time_format="%-d %b",
                           title=f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}")


def _escalation():
    ev, first, last = _lesson_days()
    return charts.escalation(brink.events(), f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}")


def _known_then():
    with brink.as_of("2020-01-02"):
        ev = _evidence()
    return charts.timeline(brink.in_window(ev, "2019-12-27", "2020-01-03"), time_format="%-d %b",
                           title="Events known at the end of 2 January 2020 (UTC)")


def _night_as_of(moment):
    def build():
        with brink.as_of(moment):
            return charts.night(brink.events())
    return build


def _calibration():
    table = forecasts.calibration([0.9, 0.8, 0.3, 0.6, 0.1, 0.95], [1, 1, 0, 0, 0, 1])
    return forecasts.calibration_chart(pd.concat([table.assign(forecaster="you"),
                                                  table.assign(forecaster="the class's mean")]))


def _attributions():
    counts = pd.DataFrame({"label": ["000 news analysis", "000 news analysis", "001 narrative reconstruction"],
                           "class": ["informant, named", "informant, anonymous", "public statement"],
                           "matches": [3, 5, 2]})
    return charts.count_bars(counts, "matches", "label", "class", title="Informants and public statements per source",
                             x_title="Matches", y_title="Source", description="Bar chart per source.")


#: lesson 01's clock: the moments its slider offers
CLOCK = ["2019-12-30", "2020-01-01", "2020-01-02 21:00", "2020-01-02", "2020-01-07 23:00", "2020-01-09"]

BUILDERS = {
    "timeline-every-event": lambda: charts.timeline(_evidence()),
    "timeline-overview": _overview,
    "timeline-week": _week,
    "timeline-as-of-2-january": _known_then,
    **{f"timeline-clock-{m.replace(' ', 'T')}": (lambda m=m: known_timeline(m)[0]) for m in CLOCK},
    "night": lambda: charts.night(brink.events()),
    "night-as-of-2-january-21h": _night_as_of("2020-01-02 21:00"),
    "night-as-of-3-january": _night_as_of("2020-01-03"),
    "escalation": _escalation,
    "escalation-every-day": lambda: charts.escalation(brink.events(), "2019-12-20", "2020-01-15"),
    "quote-features": lambda: charts.quote_features(surface_features(brink.quotes())),
    "count-bars": _attributions,
    "icd203": lambda: charts.icd203_bands(brink.icd203(), brink.claims()),
    "coverage": lambda: charts.coverage(brink.event_reports(), brink.events(), brink.sources()),
    "discrepancies": lambda: charts.discrepancy_dots(brink.discrepancies(), brink.sources()),
    "map": lambda: places.place_map(),
    "calibration": _calibration,
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_no_text_overlaps_and_none_leaves_the_view(name):
    chart = BUILDERS[name]()
    found = problems(vlc.vegalite_to_svg(chart.to_dict()))
    assert not found, f"{name}:\n" + "\n".join(found)


def _stored():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        n = 0
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                if VEGALITE in out.get("data", {}):
                    n += 1
                    yield pytest.param(path, n, id=f"{path.stem}-chart{n}")


@pytest.mark.parametrize("path, n", list(_stored()))
def test_every_stored_chart_has_no_overlap_and_nothing_outside(path, n):
    """The charts as the lessons store them (their exact SVG copies, what a static view shows)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    outs = [o for c in nb["cells"] for o in c.get("outputs", []) if VEGALITE in o.get("data", {})]
    data = outs[n - 1]["data"]
    svg = data.get(SVG_MIME)
    svg = "".join(svg) if isinstance(svg, list) else svg
    assert svg, f"{path.name}: chart {n} has no SVG copy"
    found = problems(svg)
    assert not found, f"{path.name} chart {n}:\n" + "\n".join(found)
