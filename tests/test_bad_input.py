"""A broken annotation file fails loading with one error that names the file, the row and the column."""
import pytest

import brink


def load_all():
    for name in ("sources", "events", "event_reports", "quotes", "claims", "discrepancies"):
        getattr(brink, name)()


def expect(file, row, column, fragment):
    with pytest.raises(brink.DataError) as err:
        load_all()
    e = err.value
    assert (e.file, e.row, e.column) == (f"data/annotations/{file}", row, column), str(e)
    msg = str(e)
    assert f"data/annotations/{file}" in msg and f"column '{column}'" in msg and fragment in msg
    if row is not None:
        assert f"row {row}" in msg


def test_missing_column(broken_data):
    path = broken_data.root / "annotations" / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",event_type,", ",kind_of_event,", 1), encoding="utf-8")
    expect("events.csv", None, "event_type", "no such column")


def test_unparseable_date(broken_data):
    broken_data("events.csv", 4, "date", "2019-13-01")
    expect("events.csv", 4, "date", "cannot read '2019-13-01' as a date")


def test_unparseable_clock_time(broken_data):
    broken_data("events.csv", 15, "time_stated", "2020-01-03T00:47")
    expect("events.csv", 15, "time_stated", "as a time")


def test_term_outside_vocabulary(broken_data):
    broken_data("events.csv", 7, "event_type", "RIOT")
    expect("events.csv", 7, "event_type", "'RIOT' is not in the vocabulary")


def test_span_not_found(broken_data):
    broken_data("quotes.csv", 3, "text", "You can do nothing,")
    expect("quotes.csv", 3, "text", "not found verbatim")


def test_span_at_wrong_offsets(broken_data):
    broken_data("claims.csv", 6, "start", "0")
    expect("claims.csv", 6, "start", "is not at 0:")


def test_duplicate_id(broken_data):
    broken_data("events.csv", 2, "event_id", "EV01")
    expect("events.csv", 2, "event_id", "duplicate id 'EV01'")


def test_unknown_source(broken_data):
    broken_data("event_reports.csv", 5, "source_id", "003_nope")
    expect("event_reports.csv", 5, "source_id", "'003_nope' names no known sources id")


def test_unknown_event(broken_data):
    broken_data("event_reports.csv", 2, "event_id", "EV99")
    expect("event_reports.csv", 2, "event_id", "'EV99' names no known events id")


def test_context_without_citation(broken_data):
    broken_data("events.csv", 21, "context_cite", "")
    expect("events.csv", 21, "context_cite", "needs a citation")


def test_estimative_term_not_in_icd203(broken_data):
    broken_data("claims.csv", 6, "band_basis", "nearest ICD 203 term: pretty sure")
    expect("claims.csv", 6, "band_basis", "not an ICD 203 expression")
