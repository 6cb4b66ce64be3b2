"""Lesson 05's worked example: the kit's coding of source 000 against the second coding in
data/coding/second — every row verbatim (the combined folder passes brink check), the figures the
krippendorff package gives for the same units, and an adjudication of it."""
import csv
import io
import shutil
from contextlib import redirect_stderr, redirect_stdout

import krippendorff
import numpy as np
import pytest

from brink.analysis.agreement import agree, with_coding
from brink.cli import main
from brink.dataset.check import check_folder
from kitpaths import DATA

SECOND = DATA / "coding" / "second"
SOURCE = "000_817cee62a98404b2"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def second(tmp_path_factory):
    out = tmp_path_factory.mktemp("coding") / "second"
    done = with_coding(DATA, SECOND, out)
    assert done["quotes"] == len(rows(SECOND / "quotes.csv")) and done["claims"] == len(rows(SECOND / "claims.csv"))
    return out


def test_the_second_coding_is_of_one_source_verbatim_and_apart_from_the_kits_tables(second):
    assert check_folder(second).problems == []
    body_start = int(next(r for r in rows(DATA / "annotations" / "sources.csv") if r["source_id"] == SOURCE)["body_start"])
    text = (DATA / "sources" / f"{SOURCE}.txt").read_text(encoding="utf-8")[body_start:]
    for table in ("quotes", "claims"):
        theirs = rows(SECOND / f"{table}.csv")
        assert theirs and {r["source_id"] for r in theirs} == {SOURCE}
        assert all(text[int(r["start"]):int(r["end"])] == r["text"] for r in theirs)
        assert list(theirs[0]) == list(rows(DATA / "annotations" / f"{table}.csv")[0])
        kit_ids = {r[list(r)[0]] for r in rows(DATA / "annotations" / f"{table}.csv")}
        assert not kit_ids & {r[list(r)[0]] for r in theirs}       # the kit's tables do not hold them
    # the combined folder holds the second coding's 000 rows and none of the kit's
    combined = rows(second / "annotations" / "claims.csv")
    assert [r["claim_id"] for r in combined if r["source_id"] == SOURCE] == [r["claim_id"] for r in rows(SECOND / "claims.csv")]
    assert not (second / "coding").exists()


def package_alpha(data):
    values = sorted({v for row in data for v in row if v is not None})
    a = np.array([[np.nan if v is None else values.index(v) for v in row] for row in data], float)
    return krippendorff.alpha(reliability_data=a, level_of_measurement="nominal")


def test_the_figures_are_the_packages_for_the_same_units(second):
    result = agree([DATA, second], ["000"], tables=["quotes", "claims"])
    assert result.coders == ["data", "second"]
    for f in result.figures:
        units = [u for u in result.units if u.table == f.table]
        data = [[u.value(c, f.field, f.level) for u in units] for c in result.coders]
        if f.alpha is None:
            assert f.agreed == f.units or f.units == 0
            continue
        assert f.alpha == pytest.approx(package_alpha(data)), (f.table, f.field)
    # the claims the kit codes inside quotations and the facts the second coding adds are units one coder left out
    coded = next(f for f in result.figures if (f.table, f.field) == ("claims", "coded"))
    assert coded.units > coded.agreed > 0
    left_out = [u for u, field in result.disagreements() if field == "coded"]
    assert {c for u in left_out for c in result.coders if u.codings[c] is None} == {"data", "second"}


def test_the_worked_example_adjudicated_for_the_kit_checks_clean(second, tmp_path):
    assert run("agree", DATA, second, "--source", "000", "--table", "quotes", "--table", "claims",
               "--out", tmp_path / "review")[0] == 0
    sheet = tmp_path / "review" / "adjudication.csv"
    filled = rows(sheet)
    for r in filled:
        r["choice"], r["reason"] = "data", "the kit's coding, by the codebook's rule"
    with open(sheet, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(filled[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(filled)
    code, out, err = run("adjudicate", sheet, DATA, second, "--source", "000", "--table", "quotes",
                         "--table", "claims", "--out", tmp_path / "adjudicated")
    assert code == 0, err
    for table in ("quotes", "claims"):
        assert rows(tmp_path / "adjudicated" / "annotations" / f"{table}.csv") == rows(DATA / "annotations" / f"{table}.csv")
    assert len(rows(tmp_path / "adjudicated" / "adjudication.csv")) == len(filled)
    shutil.rmtree(tmp_path / "adjudicated")


def test_a_coding_that_is_not_verbatim_or_names_no_table_is_one_line(tmp_path):
    from brink.errors import BrinkError, DataError
    coding = tmp_path / "coding"
    coding.mkdir()
    text = (SECOND / "quotes.csv").read_text(encoding="utf-8")
    (coding / "quotes.csv").write_text(text.replace("Happy New Year!", "Happy new year!"), encoding="utf-8")
    with pytest.raises(DataError) as e:
        with_coding(DATA, coding, tmp_path / "out")
    assert e.value.file.endswith("annotations/quotes.csv") and e.value.row and e.value.column == "text"
    (coding / "quotes.csv").unlink()
    (coding / "notes.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(BrinkError, match="no table of the schema is called notes.csv"):
        with_coding(DATA, coding, tmp_path / "out2")
    assert "must be new or empty" in run("adjudicate", tmp_path / "x.csv", DATA, DATA, "--out", coding)[2]
