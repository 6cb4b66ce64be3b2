"""Every verbatim span stands in its text at its offsets, checked from the raw files, not through the loader."""
import csv
import tomllib
from pathlib import Path

import pytest

from kitpaths import DATA

#: the span map, read from the schema (the one place it is written)
SCHEMA = tomllib.loads((DATA / "schema.toml").read_text(encoding="utf-8"))
SPANS = {Path(t["file"]).name: t["span"] for t in SCHEMA["tables"].values() if "span" in t}
SPAN_COLUMN = {file: span["text"] for file, span in SPANS.items()}


def test_the_span_map_covers_every_verbatim_column():
    assert SPAN_COLUMN == {"event_reports.csv": "evidence", "quotes.csv": "text", "claims.csv": "text",
                           "discrepancies.csv": "reported", "source_fields.csv": "support"}


def raw_bodies():
    out = {}
    with open(DATA / "annotations" / "sources.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            text = (DATA / "sources" / r["file"]).read_text(encoding="utf-8")
            out[r["source_id"]] = text[int(r["body_start"]):int(r["body_end"])]
    return out


def rows(file):
    with open(DATA / "annotations" / file, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("file", sorted(SPAN_COLUMN))
def test_each_span_is_verbatim_at_its_offsets(file):
    bodies, col, checked = raw_bodies(), SPAN_COLUMN[file], 0
    for i, r in enumerate(rows(file), start=1):
        if not r["start"]:
            exempt = SPANS[file].get("no_offsets_when", [])
            assert any(f"basis = {r.get('basis')}" == w for w in exempt) or "outside body" in exempt, \
                f"{file} row {i} has no offsets"
            continue
        span = bodies[r["source_id"]][int(r["start"]):int(r["end"])]
        assert span == r[col], f"{file} row {i}: {span!r} != {r[col]!r}"
        checked += 1
    assert checked >= {"event_reports.csv": 30, "quotes.csv": 12, "claims.csv": 29,
                       "discrepancies.csv": 10, "source_fields.csv": 6}[file]


def test_quotes_sit_between_quotation_marks_or_run_on():
    bodies = raw_bodies()
    for r in rows("quotes.csv"):
        body, s, e = bodies[r["source_id"]], int(r["start"]), int(r["end"])
        assert body[s - 1] == "“", r["quote_id"]
        if "without a closing mark" in r["note"]:
            assert body[e:e + 3] == "\n\n“"
        else:
            assert body[e] == "”", r["quote_id"]
