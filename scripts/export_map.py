"""Write the map of the places the texts name as SVG for the primer (docs/img/places-map.svg).

    python scripts/export_map.py [OUT]

Run it after a change to data/map/; tests/test_places.py fails until the committed SVG matches.
"""
from __future__ import annotations

import sys
from pathlib import Path

import vl_convert as vlc

from brink.places import place_map
from static_charts import normalise_ids  # Vega's per-process clip ids, numbered from 1

if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img/places-map.svg")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(normalise_ids(vlc.vegalite_to_svg(place_map().to_dict())), encoding="utf-8")
    print(f"{out}: {out.stat().st_size // 1024} KB")
