"""The scale generator makes a valid folder, and `brink check` finds exactly what is broken in it (small size)."""
import csv
import sys

from brink.dataset.check import check_folder
from kitpaths import KIT

sys.path.insert(0, str(KIT / "scripts"))
from make_scale_data import generate


def test_generated_folder_is_valid_and_checked_in_full(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    made = generate(folder, sources=6, rows=400)
    assert made["sources"] == 6 and sum(made.values()) - made["sources"] >= 400
    checked = check_folder(folder)
    assert checked.problems == []
    assert {name: len(df) for name, df in checked.tables.items()} == made
    monkeypatch.setenv("BRINK_DATA", str(folder))
    import brink
    assert len(brink.events()) == made["events"] and len(brink.sources()) == 6

    path = folder / "annotations" / "quotes.csv"
    rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
    rows[10][6] = rows[10][6].replace("Generated", "Invented")     # a span no longer verbatim
    rows[20][9] = "999_0000000000000000"                           # a source that does not exist
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    lines = [p.line() for p in check_folder(folder).problems]
    assert len(lines) == 2
    assert lines[0].startswith("annotations/quotes.csv:10:text: the span is not found verbatim in ")
    assert lines[1].startswith("annotations/quotes.csv:20:source_id: '999_0000000000000000' names no known sources id")
