"""`brink check`: every problem of a data folder in one run, one exact line each, exit 1; clean is exit 0."""
import csv

import pytest

from brink.cli import main
from kitpaths import DATA

S000, S001, S002 = "000_817cee62a98404b2", "001_f25bed13f48e0245", "002_aa9adbf77d299f0c"
EVENT_TYPES = ("AGREE, CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, RETREAT, REQUEST, ACCUSE, REJECT, THREATEN, "
               "PROTEST, SANCTION, MOBILIZE, COERCE, ASSAULT, DELIBERATE, INTELLIGENCE, MOVEMENT")


def row_of(file, **match):
    """The row number (1 = first data row) of the one row of data/annotations/<file> matching ``match``."""
    with open(DATA / "annotations" / file, encoding="utf-8", newline="") as f:
        hits = [i for i, r in enumerate(csv.DictReader(f), start=1) if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, (file, match, hits)
    return hits[0]


def check(capsys, monkeypatch, folder, *args):
    monkeypatch.chdir(folder.parent)
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_the_kit_data_is_clean(capsys, monkeypatch):
    code, out, _ = check(capsys, monkeypatch, DATA, "data")
    assert code == 0, out
    assert out[-1].startswith("data: no problems (3 sources, ")


def test_date_not_a_date(broken_data, capsys, monkeypatch):
    row = row_of("events.csv", event_id="EV04")
    broken_data("events.csv", row, "date", "2019-13-01")
    code, out, err = check(capsys, monkeypatch, broken_data.root, "data")
    assert code == 1
    assert out == [f"data/annotations/events.csv:{row}:date: cannot read '2019-13-01' as a date (YYYY-MM-DD)"
                   " — write the date as YYYY-MM-DD, e.g. 2020-01-03"]
    assert "1 problem in data" in err


def test_term_outside_its_vocabulary(broken_data, capsys, monkeypatch):
    row = row_of("events.csv", event_id="EV07")
    broken_data("events.csv", row, "event_type", "RIOT")
    code, out, _ = check(capsys, monkeypatch, broken_data.root, "data")
    assert code == 1
    assert out == [f"data/annotations/events.csv:{row}:event_type: 'RIOT' is not in the vocabulary event_type"
                   f" — use one of: {EVENT_TYPES}; or add the term to vocabularies/event_types.csv"]


def test_a_term_added_to_the_vocabulary_is_accepted(broken_data, capsys, monkeypatch):
    broken_data("events.csv", row_of("events.csv", event_id="EV07"), "event_type", "RIOT")
    with open(broken_data.root / "vocabularies" / "event_types.csv", "a", encoding="utf-8") as f:
        f.write("RIOT,kit,5,a violent protest\n")
    code, out, _ = check(capsys, monkeypatch, broken_data.root, "data")
    assert code == 0, out


def test_row_naming_a_missing_source_and_a_missing_event(broken_data, capsys, monkeypatch):
    broken_data("event_reports.csv", 5, "source_id", "003_nope")
    broken_data("event_reports.csv", 2, "event_id", "EV99")
    code, out, _ = check(capsys, monkeypatch, broken_data.root, "data")
    fix_e = "use an id that annotations/events.csv lists, or add a row for it there"
    fix_s = "use an id that annotations/sources.csv lists, or add a row for it there"
    assert out[:2] == [f"data/annotations/event_reports.csv:2:event_id: 'EV99' names no known events id — {fix_e}",
                       f"data/annotations/event_reports.csv:5:source_id: '003_nope' names no known sources id — {fix_s}"]
    assert code == 1


def test_span_found_nowhere(broken_data, capsys, monkeypatch):
    row = row_of("quotes.csv", quote_id="Q03")
    broken_data("quotes.csv", row, "text", "You can do nothing,")
    code, out, _ = check(capsys, monkeypatch, broken_data.root, "data")
    assert out == [f"data/annotations/quotes.csv:{row}:text: the span is not found verbatim in {S000}: "
                   "'You can do nothing,' — copy the words exactly from the text (quotation marks, dashes and spaces too)"]
    assert code == 1


def test_span_found_twice_without_offsets(broken_data, capsys, monkeypatch):
    row = row_of("discrepancies.csv", topic="Spelling of the general's name", source_id=S002)
    broken_data("discrepancies.csv", row, "start", "")
    broken_data("discrepancies.csv", row, "end", "")
    code, out, _ = check(capsys, monkeypatch, broken_data.root, "data")
    assert out == [f"data/annotations/discrepancies.csv:{row}:start: no offsets, and the span occurs 5 times in {S002} "
                   "(at 34:43, 143:152, 1156:1165, 2231:2240, 2955:2964) — write the start of the one you mean, "
                   "or quote more words so only one matches"]
    assert code == 1


def test_span_at_wrong_offsets_says_where_it_is(broken_data, capsys, monkeypatch):
    row = row_of("quotes.csv", quote_id="Q03")
    broken_data("quotes.csv", row, "start", "300")
    code, out, _ = check(capsys, monkeypatch, broken_data.root, "data")
    assert out == [f"data/annotations/quotes.csv:{row}:start: the span is not at 300:386 but at 364:386"
                   " — write start 364 and end 386 (or empty both and run brink source fill)"]


def test_csv_not_utf8_names_the_byte(broken_data, capsys, monkeypatch):
    path = broken_data.root / "annotations" / "events.csv"
    data = path.read_bytes()
    third = data.split(b"\n")[3]
    at = data.index(third) + third.index(b"June")
    path.write_bytes(data[:at] + "Jüne".encode("latin-1") + data[at + 4:])   # a spreadsheet saved as Latin-1
    code, out, _ = check(capsys, monkeypatch, broken_data.root, "data")
    assert out == [f"data/annotations/events.csv:3:-: not UTF-8: byte 0xfc at byte offset {at + 1} cannot be decoded"
                   " — save the file as UTF-8 (in a spreadsheet: CSV UTF-8)"]
    assert code == 1


def test_source_text_changed_or_not_utf8(broken_data, capsys, monkeypatch):
    path = broken_data.root / "sources" / f"{S001}.txt"
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xff" + data[101:])
    code, out, _ = check(capsys, monkeypatch, broken_data.root, "data")
    assert out[:2] == [
        f"data/sources/{S001}.txt:-:-: the text is not byte for byte the one sources/SHA256SUMS records"
        " — restore the text exactly as it was received; texts are never edited",
        f"data/sources/{S001}.txt:-:-: not UTF-8: byte 0xff at byte offset 100 cannot be decoded"
        " — save the file as UTF-8"]
    assert code == 1


def test_every_problem_in_one_run(broken_data, capsys, monkeypatch):
    broken_data("events.csv", row_of("events.csv", event_id="EV04"), "date", "last fall")
    broken_data("events.csv", row_of("events.csv", event_id="EV07"), "actor", "Iraq")
    broken_data("claims.csv", row_of("claims.csv", claim_id="C02"), "source_id", "009_nope")
    broken_data("quotes.csv", row_of("quotes.csv", quote_id="Q05"), "speaker", "Mr. Sadjadpour")
    broken_data("people.csv", row_of("people.csv", person="Karim Sadjadpour"), "context_cite", "")
    code, out, err = check(capsys, monkeypatch, broken_data.root, "data")
    files = [line.split(":")[0].removeprefix("data/annotations/") for line in out]
    cols = [line.split(":")[2] for line in out]
    assert list(zip(files, cols)) == [("events.csv", "date"), ("events.csv", "actor"), ("quotes.csv", "speaker"),
                                      ("claims.csv", "source_id"), ("people.csv", "context_cite")], out
    assert code == 1 and "5 problems in data" in err


def test_instructor_folder_from_brink_data(broken_data, capsys, monkeypatch):
    """Without an argument `brink check` reads $BRINK_DATA, the setting the loaders use."""
    broken_data("events.csv", 1, "date_precision", "week")
    code, out, _ = check(capsys, monkeypatch, broken_data.root)
    assert code == 1 and len(out) == 1 and out[0].startswith("data/annotations/events.csv:1:date_precision: 'week'")


def test_not_a_data_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["check", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 2 and err.strip() == f"brink: {tmp_path}: not a data folder (it has no schema.toml; copy the kit's data/ folder to start one)"


def test_loaders_raise_the_first_problem_check_lists(broken_data):
    import brink
    broken_data("events.csv", 3, "date", "soon")
    broken_data("quotes.csv", 2, "medium", "fax")
    with pytest.raises(brink.DataError) as err:
        brink.events()
    assert (err.value.file, err.value.row, err.value.column) == ("data/annotations/events.csv", 3, "date")


def test_a_column_the_schema_does_not_declare(broken_data, capsys, monkeypatch):
    path = broken_data.root / "annotations" / "events.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [lines[0].replace("\r", "") + ",qualifier\r"] + [line.replace("\r", "") + ",\r" if line else line for line in lines[1:]]
    path.write_text("\n".join(lines), encoding="utf-8")
    code, out, _ = check(capsys, monkeypatch, broken_data.root, "data")
    assert out == ["data/annotations/events.csv:-:qualifier: a column the schema does not declare — declare it in "
                   "schema.toml under [tables.events] (type and meaning), or remove it"]
    assert code == 1
