"""The places the texts name, and a static map of them.

``places()`` is the table of ``data/map/places.csv``: each place with the words a source names it by
(verbatim), its coordinates and the address they were read from. A place the texts point to
without naming it (the "two American bases in Iraq") is marked ``context`` and cites where its
name comes from. ``place_map()`` draws them over ``data/map/region-110m.geojson``, country
boundaries cut from Natural Earth's 1:110m Admin 0 countries (public domain) as redistributed
by the world-atlas package (ISC licence); the boundary data is embedded in the chart, so it
draws offline.
"""
from __future__ import annotations

import json

import pandas as pd

from ._paths import data_dir
from .dataset import loaders
from .errors import DataError

BOUNDARIES_FILE = "map/region-110m.geojson"
_SIDES = {"right": {"align": "left", "dx": 7, "dy": -5}, "left": {"align": "right", "dx": -7, "dy": 9}}


def places() -> pd.DataFrame:
    """One row per place the texts name (or point to, from cited context).

    ``map/places.csv`` is a table of the data folder's schema, so ``brink check`` checks it with
    the rest: each place's words stand verbatim in its source, coordinates are numbers in range,
    and every address is cited.

    Returns:
        DataFrame with ``place``, ``named_as`` (the source's words), ``source_id``, ``kind``
        (city, airport, base), ``basis`` (stated or context), ``lat``, ``lon``, ``coord_cite``,
        ``context_cite`` and ``label_at`` (which side of its point the name goes): text as plain
        strings (an empty cell is ``""``) and coordinates as floats, as the map draws them.
    Raises:
        DataError: naming file, row and column, where anything in the data folder is wrong.

    >>> p = places()
    >>> sorted(p.loc[p.basis == "context", "place"])
    ['Al Asad air base', 'Erbil (Irbil) air base']
    """
    table = loaders.places()
    frame = table.drop(columns=["lat", "lon"]).astype(object).where(table.notna(), "").astype(str)
    return frame.assign(lat=table["lat"].astype(float), lon=table["lon"].astype(float))[list(table.columns)]


def boundaries() -> dict:
    """The region's country boundaries as a GeoJSON FeatureCollection (Natural Earth, 1:110m)."""
    path = data_dir() / BOUNDARIES_FILE
    if not path.is_file():
        raise DataError("data/" + BOUNDARIES_FILE, None, None, "the file is missing")
    return json.loads(path.read_text(encoding="utf-8"))


def place_map(frame: pd.DataFrame | None = None, width: int = 640, height: int = 420):
    """A static map of the places: country shapes, a labelled point per place.

    Args:
        frame: rows of ``places()`` (all of them when None).
        width, height: size in pixels.
    Returns:
        An Altair chart (Vega-Lite v5) with a title and a description; places named only by
        context are drawn as open diamonds, the others as filled circles, and the legend says so.

    >>> chart = place_map()
    >>> spec = chart.to_dict()
    >>> spec["title"]["text"]
    'Places the texts name'
    """
    import altair as alt

    frame = places() if frame is None else frame
    geo = boundaries()
    west, south, east, north = geo["bbox"]
    named = {"Iraq", "Iran", "Syria", "Saudi Arabia", "Lebanon"}
    features = [{**f, "properties": {**f["properties"], "named": f["properties"]["name"] in named}}
                for f in geo["features"]]
    projection = {"type": "mercator", "center": [(west + east) / 2, (south + north) / 2],
                  "scale": 1600, "clipExtent": [[0, 0], [width, height]]}
    land = alt.Chart(alt.Data(values=features)).mark_geoshape(stroke="#6b6b6b", strokeWidth=0.8).encode(
        color=alt.condition("datum.properties.named", alt.value("#e9e4d4"), alt.value("#f6f4ee")),
        tooltip=[alt.Tooltip("properties.name:N", title="country")])
    pts = frame.assign(how=frame["basis"].map({"stated": "named in a text",
                                               "context": "pointed to by a text; named from cited context"}))
    base = alt.Chart(pts).encode(longitude="lon:Q", latitude="lat:Q")
    dots = base.mark_point(size=70, filled=True, strokeWidth=1.5).encode(
        shape=alt.Shape("how:N", title=None, scale=alt.Scale(
            domain=["named in a text", "pointed to by a text; named from cited context"],
            range=["circle", "diamond"]), legend=alt.Legend(orient="bottom", labelLimit=0)),
        color=alt.value("#7a1f1f"),
        tooltip=["place:N", alt.Tooltip("named_as:N", title="words in the text"), "source_id:N"])
    labels = [base.transform_filter(alt.datum.label_at == side).mark_text(fontSize=11, color="#111", **look)
              .encode(text="place:N") for side, look in _SIDES.items()]
    from .charts import _for_readers

    return _for_readers(alt.layer(land, dots, *labels).properties(
        width=width, height=height, projection=projection,
        title={"text": "Places the texts name",
               "subtitle": "Boundaries: Natural Earth 1:110m (public domain), via world-atlas"},
        description=("Map of the region from Damascus to Tehran with a labelled point for each place the "
                     "texts name: " + ", ".join(frame["place"]) + "."))).configure_view(fill="#e3edf3")
