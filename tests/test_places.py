"""The places the texts name, their map, and the SVG the primer shows."""
import importlib.util
import json
import re
import shutil

import pytest

import brink
from brink import places
from brink.errors import DataError
from kitpaths import DATA, KIT


def test_every_place_is_named_verbatim_in_its_source_and_cites_its_coordinates():
    p = places.places()
    assert len(p) >= 8
    for r in p.itertuples():
        assert r.named_as in brink.source_text(r.source_id), r.place
        assert r.coord_cite.startswith("http")
        if r.basis == "context":
            assert r.context_cite.startswith("http")
    # only what the texts name: the two bases come from context, and only those
    assert set(p.loc[p.basis == "context", "named_as"]) == {"two American bases in Iraq"}


def test_places_sit_inside_the_boundary_box():
    west, south, east, north = places.boundaries()["bbox"]
    p = places.places()
    assert p["lon"].between(west, east).all() and p["lat"].between(south, north).all()


def layer_points(spec):
    values = {name: v for name, v in spec.get("datasets", {}).items()}
    found = []
    for layer in spec["layer"]:
        data = layer.get("data", {})
        rows = values.get(data.get("name"), data.get("values", []))
        found.append([r for r in rows if isinstance(r, dict) and "place" in r])
    return found


def test_the_map_shows_exactly_the_places_the_data_lists():
    spec = places.place_map().to_dict()
    listed = set(places.places()["place"])
    dots = [rows for rows in layer_points(spec) if rows]
    assert dots and all({r["place"] for r in rows} == listed for rows in dots)
    assert spec["title"]["text"] and all(name in spec["description"] for name in listed)
    shapes = [layer for layer in spec["layer"] if layer["mark"]["type"] == "geoshape"]
    assert shapes and not any("url" in layer.get("data", {}) for layer in spec["layer"]), "no download at render time"


def test_the_committed_svg_is_the_current_map():
    import vl_convert as vlc
    committed = (KIT / "docs" / "img" / "places-map.svg").read_text(encoding="utf-8")
    # Vega numbers clip paths from a per-process counter: compare with the ids renumbered, as the
    # script writes them, so the charts drawn earlier in this process do not matter.
    spec = importlib.util.spec_from_file_location("static_charts", KIT / "scripts" / "static_charts.py")
    static = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(static)
    vlc.vegalite_to_svg(places.place_map().to_dict())  # the counter moved on: the ids must still match
    fresh = static.normalise_ids(vlc.vegalite_to_svg(places.place_map().to_dict()))
    assert committed == fresh, "run: python scripts/export_map.py"
    for name in places.places()["place"]:
        assert f">{name}</text>" in committed.replace("&amp;", "&") or name in committed


def test_boundaries_are_small_and_licensed():
    path = DATA / "map" / "region-110m.geojson"
    assert path.stat().st_size < 40_000
    geo = json.loads(path.read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in geo["features"]}
    assert {"Iraq", "Iran", "Syria"} <= names
    notes = (DATA / "map" / "README.md").read_text(encoding="utf-8")
    assert "Natural Earth" in notes and "public domain" in notes and "ISC" in notes


@pytest.fixture
def map_copy(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv("BRINK_DATA", str(copy))
    return copy / "map" / "places.csv"


@pytest.mark.parametrize("old,new,where", [
    ("the city of Qum", "the holy city of Qum", "row 7, column 'named_as'"),
    (",34.6401,", ",north,", "row 7, column 'lat'"),
    ("https://www.geonames.org/119208", "somewhere", "row 7, column 'coord_cite'"),
])
def test_bad_place_rows_are_named(map_copy, old, new, where):
    map_copy.write_text(map_copy.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(where)):
        places.places()
