"""Fill in the start/end offsets of hand-coded verbatim spans.

Annotators write the span exactly as it stands in the text and leave ``start`` and
``end`` empty; this script finds the span in the source body and writes the
offsets. A span that occurs more than once takes the first occurrence at or after
the ``start`` already written (write a start near the wanted one to choose).
Offsets already right are left alone; a span not found is reported and left empty.

    python scripts/locate_spans.py          # fill every annotation file
    python scripts/locate_spans.py --check  # only report, change nothing
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
from brink._paths import data_dir  # noqa: E402

SPANS = {"source_fields.csv": "support", "event_reports.csv": "evidence", "quotes.csv": "text",
         "claims.csv": "text", "discrepancies.csv": "reported"}


def bodies(folder: Path) -> dict:
    out = {}
    with open(folder / "annotations" / "sources.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            text = (folder / "sources" / r["file"]).read_text(encoding="utf-8")
            out[r["source_id"]] = text[int(r["body_start"]):int(r["body_end"])]
    return out


def main(check: bool) -> int:
    folder = data_dir()
    texts = bodies(folder)
    problems = 0
    for name, col in SPANS.items():
        path = folder / "annotations" / name
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header, rows = reader.fieldnames, list(reader)
        changed = False
        for i, r in enumerate(rows, start=1):
            span, body = r[col], texts[r["source_id"]]
            if not span or (name == "source_fields.csv" and (span.startswith("http") or span not in body)):
                continue
            hint = int(r["start"]) if r["start"] else 0
            if r["start"] and r["end"] and body[int(r["start"]):int(r["end"])] == span:
                continue
            at = body.find(span, hint)
            at = body.find(span) if at < 0 else at
            if at < 0:
                print(f"{name} row {i}: not found verbatim: {span[:70]!r}")
                problems += 1
                continue
            r["start"], r["end"] = str(at), str(at + len(span))
            changed = True
        if changed and not check:
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=header)
                w.writeheader()
                w.writerows(rows)
            print(f"{name}: offsets written")
        elif changed:
            print(f"{name}: offsets missing or wrong")
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
