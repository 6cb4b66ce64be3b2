"""Cut the kit's regional boundary file out of Natural Earth's 1:110m countries (world-atlas TopoJSON).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/make_region_map.py package/countries-110m.json data/map/region-110m.geojson

Decodes the TopoJSON arcs (quantized, delta-encoded), keeps each country's polygons clipped to the
region's box (Sutherland–Hodgman against a rectangle), rounds coordinates to 0.01° and writes one
GeoJSON FeatureCollection with each country's ``name``. Run once; the output is committed.
"""
from __future__ import annotations

import json
import sys

BOX = (33.0, 28.0, 55.0, 40.0)  # west, south, east, north: Damascus to east of Tehran, Kuwait to Turkey


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def clip(points: list, box=BOX) -> list:
    """Sutherland–Hodgman: the part of a closed ring inside the rectangle."""
    west, south, east, north = box
    edges = [(lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
             (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
             (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
             (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north))]
    out = points[:-1] if points and points[0] == points[-1] else list(points)
    for inside, cross in edges:
        src, out = out, []
        for i, cur in enumerate(src):
            prev = src[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
        if not out:
            return []
    return out + [out[0]]


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def main(src: str, dst: str) -> int:
    topo = json.load(open(src, encoding="utf-8"))
    arcs = decode_arcs(topo)
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]] if geom["type"] == "Polygon" else []
        kept = []
        for poly in polys:
            rings = [clip(ring(r, arcs)) for r in poly]
            rings = [[[round(x, 2), round(y, 2)] for x, y in r] for r in rings if len(r) >= 4]
            if rings:
                kept.append(rings)
        if kept:
            features.append({"type": "Feature", "properties": {"name": geom["properties"]["name"]},
                             "geometry": {"type": "MultiPolygon", "coordinates": kept}})
    features.sort(key=lambda f: f["properties"]["name"])
    with open(dst, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "bbox": list(BOX), "features": features}, f,
                  separators=(",", ":"))
        f.write("\n")
    print(f"{dst}: {len(features)} countries: {', '.join(x['properties']['name'] for x in features)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
