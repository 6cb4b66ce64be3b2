"""A static copy of every stored chart, for the places that cannot draw Vega-Lite.

A lesson stores each chart as a Vega-Lite v5 output, which JupyterLab draws as an interactive
chart. GitHub's notebook view, nbviewer, ``jupyter nbconvert`` and Jupyter Book draw none of it:
they show the text fallback. So each chart output also stores the same chart as an SVG image
(``image/svg+xml``), rendered by vl-convert from the stored Vega-Lite spec. JupyterLab ranks
Vega-Lite above SVG and still draws the interactive chart.

Rules kept here, once:

- The SVG is rendered from the stored spec only, its coordinates rounded to hundredths of a pixel
  (``round_geometry``), and made deterministic: Vega numbers clip paths
  and gradients with a counter that runs across every chart a process draws, so the ids are
  renumbered in each SVG in order of first use. Two renders are byte for byte the same.
- JupyterLab's Vega renderer writes a PNG (``image/png``) into every chart output that has none,
  as soon as it draws the chart: the notebook is then marked as modified the moment it is opened,
  and a save adds 50-150 KB per chart. So each chart output stores a small PNG preview of its own
  (a thumbnail at 10 % of the chart's size, recompressed: 1-2 KB), which the renderer keeps. Strict nbval
  skips it. After a lesson was saved from JupyterLab, run
  ``python scripts/run_notebooks.py --charts-only FILE`` (no kernel, a few seconds) or
  ``make notebooks`` before committing.

    >>> spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": "bar",
    ...         "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    >>> svg = render_svg(spec)
    >>> svg.startswith("<svg") and svg == render_svg(spec)
    True
"""
from __future__ import annotations

import base64
import re
import struct
import zlib

VEGALITE = "application/vnd.vegalite.v5+json"
SVG = "image/svg+xml"
PNG = "image/png"
#: the PNG preview's size, as a fraction of the chart's
PREVIEW_SCALE = 0.1
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


#: the geometry attributes whose numbers are rounded (never text, titles or aria labels)
_GEOMETRY = re.compile(r'(\s(?:d|transform|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|width|height|points|viewBox)=")([^"]*)"')
_LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def _two_decimals(m: re.Match) -> str:
    text = f"{float(m.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def round_geometry(svg: str) -> str:
    """Round the coordinates of an SVG's shapes to two decimals (a hundredth of a pixel).

    vl-convert writes coordinates with up to 17 digits ("219.66666666666669"); rounded, a chart's SVG is a
    tenth smaller and draws the same. Text, titles and aria labels keep every digit.

    >>> round_geometry('<path d="M219.66666666666669,0L3.333333333333333,1.5L-0.001,2.999" aria-label="p 0.675"/>')
    '<path d="M219.67,0L3.33,1.5L0,3" aria-label="p 0.675"/>'
    """
    return _GEOMETRY.sub(lambda m: m.group(1) + _LONG_DECIMAL.sub(_two_decimals, m.group(2)) + '"', svg)


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

    return round_geometry(normalise_ids(vlc.vegalite_to_svg(spec)))


def _chunks(png: bytes):
    """The (type, data) chunks of a PNG file."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    i = 8
    while i < len(png):
        (n,) = struct.unpack(">I", png[i:i + 4])
        yield png[i + 4:i + 8], png[i + 8:i + 8 + n]
        i += 12 + n


def recompress(png: bytes) -> bytes:
    r"""The same PNG image with its pixel data deflated at the highest level (vl-convert writes it fast, 3-4 times larger).

    >>> import zlib
    >>> raw = b"\x00" + b"\xff\xff\xff\xff" * 4
    >>> def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    >>> png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 1, 8, 6, 0, 0, 0))
    >>> png += chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b"")
    >>> small = recompress(png)
    >>> len(small) < len(png) and png_size(small) == (4, 1)
    True
    """
    chunks = list(_chunks(png))
    pixels = zlib.compress(zlib.decompress(b"".join(d for t, d in chunks if t == b"IDAT")), 9)
    out = png[:8]
    for kind, data in chunks:
        if kind == b"IDAT":
            if pixels is None:
                continue
            data, pixels = pixels, None
        out += struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return out


def png_size(png: bytes) -> tuple[int, int]:
    """The (width, height) of a PNG image in pixels, from its header."""
    kind, header = next(_chunks(png))
    if kind != b"IHDR":
        raise ValueError("a PNG file starts with its IHDR chunk")
    return struct.unpack(">II", header[:8])


def render_preview(spec: dict) -> str:
    """The chart of a Vega-Lite v5 spec as a small PNG (``PREVIEW_SCALE`` of its size), base64 as nbformat stores it.

    Args:
        spec: a Vega-Lite v5 spec.
    Returns:
        The PNG, base64-encoded.
    Raises:
        ValueError: vl-convert could not render the spec.
    """
    import vl_convert as vlc

    return base64.b64encode(recompress(vlc.vegalite_to_png(spec, scale=PREVIEW_SCALE))).decode("ascii")


def _svg_size(svg: str) -> tuple[int, int]:
    m = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    if not m:
        raise ValueError("the SVG has no width and height")
    return round(float(m.group(1))), round(float(m.group(2)))


def chart_outputs(nb: dict):
    """Yield every stored output of a notebook (nbformat dict or NotebookNode) that holds a Vega-Lite chart."""
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if VEGALITE in out.get("data", {}):
                yield out


def with_static(nb) -> int:
    """Give every chart output of a notebook its SVG copy and its PNG preview (replacing JupyterLab's PNG), in place.

    Args:
        nb: a notebook (nbformat NotebookNode or the dict read from JSON).
    Returns:
        The number of chart outputs.
    """
    n = 0
    for out in chart_outputs(nb):
        out["data"][SVG] = render_svg(out["data"][VEGALITE])
        out["data"][PNG] = render_preview(out["data"][VEGALITE])
        n += 1
    return n


def problems(nb: dict, name: str) -> list[str]:
    """What keeps a notebook's stored charts from being as ``make notebooks`` stores them.

    Args:
        nb: a notebook read from JSON; name: how messages name it.
    Returns:
        One line per chart output lacking its SVG or its PNG preview, holding a stale SVG or another PNG
        (JupyterLab's full-size one); empty when all is well.
    """
    fix = f"run: python scripts/run_notebooks.py --charts-only {name}"
    lines = []
    for i, out in enumerate(chart_outputs(nb), 1):
        data = out["data"]
        if SVG not in data:
            lines.append(f"{name}: chart {i} has no static SVG copy; {fix}")
        else:
            svg = data[SVG] if isinstance(data[SVG], str) else "".join(data[SVG])
            if svg != render_svg(data[VEGALITE]):
                lines.append(f"{name}: chart {i}'s SVG does not match its Vega-Lite spec; {fix}")
            elif PNG not in data:
                lines.append(f"{name}: chart {i} has no PNG preview (JupyterLab writes one in on opening); {fix}")
            else:
                png = data[PNG] if isinstance(data[PNG], str) else "".join(data[PNG])
                try:
                    size = png_size(base64.b64decode(png))
                except ValueError:
                    size = None
                wanted = tuple(round(n * PREVIEW_SCALE) for n in _svg_size(svg))
                if size is None or any(abs(a - b) > 1 for a, b in zip(size, wanted)):
                    lines.append(f"{name}: chart {i}'s PNG is {size or 'not a PNG'}, not the {wanted} preview "
                                 f"(JupyterLab writes a full-size one on save); {fix}")
    return lines
