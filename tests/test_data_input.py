"""Bad data input found by hand (issue 15): each is one clear line naming file, row and column, never a traceback."""
import pandas as pd
import pytest

import brink
import brink.places
from brink.cli import main
from kitpaths import DATA


def check(folder, capsys):
    code = main(["check", str(folder)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out.splitlines()


def test_an_integer_larger_than_int64_is_one_line(broken_data, capsys):
    broken_data("events.csv", 3, "killed", "99999999999999999999")
    code, lines = check(broken_data.root, capsys)
    assert code == 1 and len(lines) == 1
    assert lines[0].endswith("annotations/events.csv:3:killed: 99999999999999999999 is too large for a whole-number "
                             "column (at most 9223372036854775807 either way) — write a smaller number")
    with pytest.raises(brink.DataError, match=r"events.csv, row 3, column 'killed'"):
        brink.events()


def test_the_largest_int64_is_still_read(broken_data, capsys):
    broken_data("events.csv", 3, "killed", "9223372036854775807")
    broken_data("events.csv", 3, "killed_qualifier", "exactly")
    assert brink.events().loc[2, "killed"] == 9223372036854775807


def test_an_impossible_published_date_is_refused_by_source_add(broken_data, tmp_path, capsys):
    text = tmp_path / "new.txt"
    text.write_text("A short new text about the crisis, for the test.\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in broken_data.root.rglob("*") if p.is_file()}
    code = main(["source", "add", str(text), "--title", "A short new text", "--published", "2020-13-45",
                 "--genre", "news analysis", "--data", str(broken_data.root)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    assert err.strip() == "brink: published: '2020-13-45' is not a date — write it as YYYY-MM-DD"
    assert {p: p.read_bytes() for p in broken_data.root.rglob("*") if p.is_file()} == before


def test_an_impossible_published_date_written_by_hand_is_found_by_check(broken_data, capsys):
    path = broken_data.root / "annotations" / "source_fields.csv"
    text = path.read_text(encoding="utf-8")
    assert ",published,2020-01-11," in text
    path.write_text(text.replace(",published,2020-01-11,", ",published,2020-13-45,"), encoding="utf-8")
    code, lines = check(broken_data.root, capsys)
    assert code == 1 and len(lines) == 1
    assert ":value: a published date is a real date written YYYY-MM-DD" in lines[0]
    with pytest.raises(brink.DataError, match="source_fields.csv, row"):
        brink.sources()


@pytest.mark.parametrize("file", ["annotations/events.csv", "vocabularies/actors.csv", "map/places.csv"])
def test_a_csv_saved_by_excel_with_a_byte_order_mark_reads_like_any_other(broken_data, capsys, monkeypatch, file):
    path = broken_data.root / file
    code, clean = check(broken_data.root, capsys)
    assert code == 0 and ": no problems (" in clean[0], clean
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, lines = check(broken_data.root, capsys)
    assert code == 0 and lines == clean, lines  # the same tables and rows as without the mark
    with_mark = (brink.events(), brink.places.places())
    monkeypatch.setenv("BRINK_DATA", str(DATA))
    pd.testing.assert_frame_equal(with_mark[0], brink.events())
    pd.testing.assert_frame_equal(with_mark[1], brink.places.places())
