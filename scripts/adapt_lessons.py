"""Make lesson cells read from the data what they used to type in (the clock table's time zones).

Each edit replaces one code cell's source, found by its old text; running it again changes
nothing. Re-run ``make notebooks`` afterwards to store the outputs.

    python scripts/adapt_lessons.py          # apply
    python scripts/adapt_lessons.py --check  # exit 1 if a lesson still types data in
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

KIT = Path(__file__).resolve().parents[1]

EDITS = {
    "notebooks/01-timeline.ipynb": [(
        'zones = {"Washington": "America/New_York", "UTC": "UTC", "Damascus": "Asia/Damascus", "Baghdad": "Asia/Baghdad",\n'
        '         "Tehran": "Asia/Tehran"}',
        'zones = brink.vocab.time_zones()  # name -> time zone, from the data folder',
    )],
}


def apply(check: bool) -> int:
    pending = 0
    for rel, edits in EDITS.items():
        path = KIT / rel
        nb = nbformat.read(path, as_version=4)
        changed = False
        for old, new in edits:
            cells = [c for c in nb.cells if c.cell_type == "code" and old in c.source]
            if cells:
                pending += 1
                if not check:
                    for c in cells:
                        c.source = c.source.replace(old, new)
                    changed = True
            elif not any(new in c.source for c in nb.cells):
                print(f"{rel}: neither the old nor the new cell text is there: {old.splitlines()[0]!r}")
                return 2
        if changed:
            nbformat.write(nb, path)
            print(f"{rel}: cells edited")
    if check and pending:
        print(f"{pending} cell(s) still type data in; run python scripts/adapt_lessons.py")
    return 1 if check and pending else 0


if __name__ == "__main__":
    sys.exit(apply("--check" in sys.argv))
