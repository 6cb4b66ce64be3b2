"""Static SVG charts for the class report: drawn as plain SVG elements, with a title and a text description.

Each chart is an ``<svg role="img">`` with ``<title>`` and ``<desc>`` (the figures in words, so a
screen reader has them), every bar and dot carries its own ``<title>``, and nothing refers to
anything outside the page. The same figures stand in the tables beside each chart.
"""
from __future__ import annotations

import html

WIDTH = 720
LABEL_W = 150
ROW_H = 20
TOP = 28
INK = "#111111"
BAR = "#1f5fa8"
NEG = "#a33a00"
GRID = "#767676"


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _frame(chart_id: str, title: str, desc: str, height: int, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{chart_id}-t {chart_id}-d" id="{chart_id}" '
            f'style="max-width:100%;height:auto;font-family:sans-serif;font-size:12px">'
            f'<title id="{chart_id}-t">{_e(title)}</title><desc id="{chart_id}-d">{_e(desc)}</desc>'
            f'<text x="0" y="16" fill="{INK}" font-weight="bold">{_e(title)}</text>{body}</svg>')


def bar_chart(chart_id: str, title: str, rows: list, lo: float = 0.0, hi: float = 1.0, fmt=None) -> str:
    """Horizontal bars, one per ``(label, value)``; ``None`` draws no bar and says "no figure".

    Args:
        chart_id: the chart's id in the page.
        title: its title.
        rows: ``(label, value)`` pairs, top to bottom.
        lo, hi: the axis range (a range through 0 draws bars from 0 either way).
        fmt: how a value is written (default: two decimals).

    Returns:
        The ``<svg>`` element as text.

    >>> svg = bar_chart("c", "Share", [("a", 0.5), ("b", None)])
    >>> svg.count("<rect"), "a: 0.50" in svg, "b: no figure" in svg
    (1, True, True)
    """
    fmt = fmt or (lambda v: f"{v:.2f}")
    plot_w = WIDTH - LABEL_W - 60
    def x(v: float) -> float:
        return LABEL_W + (v - lo) / (hi - lo) * plot_w
    zero = x(max(lo, min(hi, 0.0)))
    parts, words = [], []
    for i, (label, value) in enumerate(rows):
        y = TOP + i * ROW_H
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 14}" text-anchor="end" fill="{INK}">{_e(label)}</text>')
        if value is None:
            parts.append(f'<text x="{zero + 4:.1f}" y="{y + 14}" fill="{INK}">no figure</text>')
            words.append(f"{label}: no figure")
            continue
        a, b = sorted((zero, x(value)))
        colour = NEG if value < 0 else BAR
        parts.append(f'<rect x="{a:.1f}" y="{y + 3}" width="{max(b - a, 0.5):.1f}" height="{ROW_H - 6}" '
                     f'fill="{colour}"><title>{_e(label)}: {_e(fmt(value))}</title></rect>')
        parts.append(f'<text x="{max(b, zero) + 4:.1f}" y="{y + 14}" fill="{INK}">{_e(fmt(value))}</text>')
        words.append(f"{label}: {fmt(value)}")
    bottom = TOP + len(rows) * ROW_H
    parts.append(f'<line x1="{zero:.1f}" y1="{TOP}" x2="{zero:.1f}" y2="{bottom}" stroke="{GRID}"/>')
    for t in (lo, (lo + hi) / 2, hi):
        parts.append(f'<text x="{x(t):.1f}" y="{bottom + 14}" text-anchor="middle" fill="{INK}">{_e(fmt(t))}</text>')
    return _frame(chart_id, title, "; ".join(words), bottom + 22, "".join(parts))


def dot_chart(chart_id: str, title: str, rows: list) -> str:
    """One line per question, 0 to 1, with a dot per variant's value and a bar over their range.

    Args:
        chart_id: the chart's id; title: its title.
        rows: ``(label, [(variant label, value), ...])``.

    Returns:
        The ``<svg>`` element as text.

    >>> svg = dot_chart("d", "Spread", [("t06", [("v1", 0.2), ("v2", 0.6)])])
    >>> svg.count("<circle"), "t06: v1 0.20, v2 0.60" in svg
    (2, True)
    """
    plot_w = WIDTH - LABEL_W - 60
    def x(v: float) -> float:
        return LABEL_W + v * plot_w
    parts, words = [], []
    for i, (label, dots) in enumerate(rows):
        y = TOP + i * ROW_H + ROW_H / 2
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{_e(label)}</text>'
                     f'<line x1="{x(0):.1f}" y1="{y:.1f}" x2="{x(1):.1f}" y2="{y:.1f}" stroke="#d0d0d0"/>')
        values = [v for _, v in dots if v is not None]
        if len(values) > 1:
            parts.append(f'<line x1="{x(min(values)):.1f}" y1="{y:.1f}" x2="{x(max(values)):.1f}" y2="{y:.1f}" '
                         f'stroke="{BAR}" stroke-width="4"/>')
        for name, v in dots:
            if v is not None:
                parts.append(f'<circle cx="{x(v):.1f}" cy="{y:.1f}" r="5" fill="#ffffff" stroke="{INK}" '
                             f'stroke-width="1.5"><title>{_e(label)} {_e(name)}: {v:.2f}</title></circle>')
        words.append(f"{label}: " + ", ".join(f"{n} {'no figure' if v is None else f'{v:.2f}'}" for n, v in dots))
    bottom = TOP + len(rows) * ROW_H
    for t in (0.0, 0.5, 1.0):
        parts.append(f'<text x="{x(t):.1f}" y="{bottom + 14}" text-anchor="middle" fill="{INK}">{t:.2f}</text>')
    return _frame(chart_id, title, "; ".join(words), bottom + 22, "".join(parts))


__all__ = ["bar_chart", "dot_chart"]
