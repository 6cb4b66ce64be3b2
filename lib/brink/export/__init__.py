"""The kit's tables in the formats other tools read (``brink export``).

- :mod:`brink.export.datapackage`: a Frictionless data package, generated from ``schema.toml``;
- :mod:`brink.export.webannotations`: every span as a W3C Web Annotation, and back;
- :mod:`brink.export.events`: the events in PLOVER terms (with CAMEO), an ACLED-shaped view of the
  violent events and a TimelineJS sheet.

:func:`export` writes all of them for a data folder (the kit's, or a class's own).
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from ..errors import DataError
from . import datapackage, events, webannotations
from ._folder import open_folder

__all__ = ["datapackage", "events", "export", "open_folder", "webannotations"]


def _write_csv(path: Path, fields: list, rows: list) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def export(folder: Path, out: Path) -> dict:
    """Export a data folder into ``out``: the folder's files with ``datapackage.json``, the spans as Web
    Annotations (``annotations.jsonld``) and the event views (``views/``).

    Args:
        folder: a data folder; it is checked first, as ``brink check`` checks it.
        out: a new or empty folder, or an earlier export (which is replaced).
    Returns:
        ``{file written: how many rows or items}``.
    Raises:
        DataError: a problem in the data folder (file, row and column named), or ``out`` is a folder
            that holds something other than an export.
    """
    opened = open_folder(folder)
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / "datapackage.json").is_file():
        raise DataError(str(out), None, None, "the folder is not empty and holds no earlier export",
                        fix="give a new folder, or an empty one")
    if out.resolve() == opened.path or opened.path in out.resolve().parents:
        raise DataError(str(out), None, None, "the export would be written inside the data folder",
                        fix="give a folder outside it")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(opened.path, out, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "__init__.py"))
    written: dict = {}
    package = datapackage.datapackage(opened)
    (out / "datapackage.json").write_text(json.dumps(package, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written["datapackage.json"] = len(package["resources"])
    coll = webannotations.annotations(opened)
    (out / "annotations.jsonld").write_text(json.dumps(coll, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written["annotations.jsonld"] = coll["total"]
    views = out / "views"
    views.mkdir()
    plover, plover_out = events.plover(opened)
    _write_csv(views / "plover.csv", events.PLOVER_FIELDS, plover)
    with open(views / "plover.jsonl", "w", encoding="utf-8") as f:
        for r in plover:
            rec = dict(r, mode=[m for m in r["mode"].split("; ") if m], context=[c for c in r["context"].split("; ") if c])
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    acled, acled_out = events.acled(opened)
    _write_csv(views / "acled.csv", events.ACLED_FIELDS, acled)
    sheet = events.timeline(opened)
    _write_csv(views / "timelinejs.csv", events.TIMELINE_FIELDS, sheet)
    left = [dict(view="plover", event_id=r["event_id"], why=r["why"]) for r in plover_out] + \
           [dict(view="acled", event_id=r["event_id"], why=r["why"]) for r in acled_out]
    _write_csv(views / "left-out.csv", ["view", "event_id", "why"], left)
    written.update({"views/plover.csv": len(plover), "views/acled.csv": len(acled),
                    "views/timelinejs.csv": len(sheet) - 1, "views/left-out.csv": len(left)})
    return written
