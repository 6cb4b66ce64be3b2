"""The ``brink export`` command.

    brink export OUT [--data DATA]     # datapackage.json, annotations.jsonld and views/ for a data folder
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import DataError


def run_export(args) -> int:
    from ..dataset.commands import data_folder
    from . import export
    folder = data_folder(args.data)   # a folder that is not a data folder is a usage error (exit 2)
    try:
        written = export(folder, Path(args.out))
    except (DataError, FileNotFoundError) as e:
        print(f"brink export: {str(e).removeprefix('brink: ')}", file=sys.stderr)
        return 1
    for name, n in written.items():
        what = {"datapackage.json": "tables described"}.get(name, "rows" if name.endswith(".csv") else "items")
        print(f"{Path(args.out) / name}: {n} {what}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("export", help="write a data folder as a Frictionless data package, Web Annotations and event views",
                       description="Export a data folder (default: $BRINK_DATA, else the kit's data/) into OUT: "
                                   "datapackage.json, annotations.jsonld, views/plover.csv, views/acled.csv, "
                                   "views/timelinejs.csv.")
    p.add_argument("out", help="a new or empty folder, or an earlier export (replaced)")
    p.add_argument("--data", help="the data folder (default: $BRINK_DATA, else the kit's data/)")
    p.set_defaults(func=run_export)
