"""A static copy of every stored chart, for the places that cannot draw Vega-Lite.

A lesson stores each chart as a Vega-Lite v5 output, which JupyterLab draws as an interactive
chart. GitHub's notebook view, nbviewer, ``jupyter nbconvert`` and Jupyter Book draw none of it:
they show the text fallback. So each chart output also stores the same chart as an SVG image
(``image/svg+xml``), rendered by vl-convert from the stored Vega-Lite spec. JupyterLab ranks
Vega-Lite above SVG and still draws the interactive chart.

Rules kept here, once:

- The SVG is rendered from the stored spec only, and made deterministic: Vega numbers clip paths
  and gradients with a counter that runs across every chart a process draws, so the ids are
  renumbered in each SVG in order of first use. Two renders are byte for byte the same.
- JupyterLab writes a PNG (``image/png``) into every chart output when a notebook is saved.
  A PNG adds 50-150 KB per chart, carries nothing the spec and the SVG do not, and strict nbval
  skips it; ``with_static`` drops it. After saving a lesson from JupyterLab, run
  ``python scripts/run_notebooks.py --charts-only FILE`` (no kernel, a few seconds) or
  ``make notebooks`` before committing.

    >>> spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": "bar",
    ...         "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    >>> svg = render_svg(spec)
    >>> svg.startswith("<svg") and svg == render_svg(spec)
    True
"""
from __future__ import annotations

import re

VEGALITE = "application/vnd.vegalite.v5+json"
SVG = "image/svg+xml"
PNG = "image/png"
#: the ids Vega numbers from a per-process counter (``clip12``, ``gradient_3``)
_COUNTED_ID = re.compile(r"\b(clip|gradient_)(\d+)\b")


def normalise_ids(svg: str) -> str:
    """Renumber Vega's counted ids (clip paths, gradients) from 1 in order of first use in this SVG.

    Args:
        svg: an SVG document from vl-convert.
    Returns:
        The same SVG with ids that do not depend on what the process drew before.

    >>> normalise_ids('<clipPath id="clip7"/><g clip-path="url(#clip7)"/><clipPath id="clip9"/>')
    '<clipPath id="clip1"/><g clip-path="url(#clip1)"/><clipPath id="clip2"/>'
    """
    seen: dict[tuple[str, str], str] = {}

    def renumber(m: re.Match) -> str:
        key = (m.group(1), m.group(2))
        if key not in seen:
            seen[key] = str(1 + sum(1 for k in seen if k[0] == m.group(1)))
        return m.group(1) + seen[key]

    return _COUNTED_ID.sub(renumber, svg)


def render_svg(spec: dict) -> str:
    """The chart of a Vega-Lite v5 spec as a deterministic SVG document.

    Args:
        spec: a Vega-Lite v5 spec (data inline, as Altair's mimetype renderer stores it).
    Returns:
        SVG text, the same bytes for the same spec in any process.
    Raises:
        ValueError: vl-convert could not render the spec (its message is kept).
    """
    import vl_convert as vlc  # a test and build tool: imported only when a chart is rendered

    return normalise_ids(vlc.vegalite_to_svg(spec))


def chart_outputs(nb: dict):
    """Yield every stored output of a notebook (nbformat dict or NotebookNode) that holds a Vega-Lite chart."""
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if VEGALITE in out.get("data", {}):
                yield out


def with_static(nb) -> int:
    """Give every chart output of a notebook its SVG copy and drop JupyterLab's PNG, in place.

    Args:
        nb: a notebook (nbformat NotebookNode or the dict read from JSON).
    Returns:
        The number of chart outputs.
    """
    n = 0
    for out in chart_outputs(nb):
        out["data"].pop(PNG, None)
        out["data"][SVG] = render_svg(out["data"][VEGALITE])
        n += 1
    return n


def problems(nb: dict, name: str) -> list[str]:
    """What keeps a notebook's stored charts from being as ``make notebooks`` stores them.

    Args:
        nb: a notebook read from JSON; name: how messages name it.
    Returns:
        One line per chart output lacking its SVG, holding a stale SVG or a PNG; empty when all is well.
    """
    fix = f"run: python scripts/run_notebooks.py --charts-only {name}"
    lines = []
    for i, out in enumerate(chart_outputs(nb), 1):
        data = out["data"]
        if PNG in data:
            lines.append(f"{name}: chart {i} holds a PNG (JupyterLab adds one on save); {fix}")
        if SVG not in data:
            lines.append(f"{name}: chart {i} has no static SVG copy; {fix}")
        else:
            svg = data[SVG] if isinstance(data[SVG], str) else "".join(data[SVG])
            if svg != render_svg(data[VEGALITE]):
                lines.append(f"{name}: chart {i}'s SVG does not match its Vega-Lite spec; {fix}")
    return lines
