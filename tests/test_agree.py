"""`brink agree` and `brink adjudicate`: alpha and kappa against the `krippendorff` package and
published or hand-computed figures; rows matched into units by source and span; the disagreements, the
adjudication sheet and the adjudicated folder, on a class's folders with the annotators' guide's fourth
source (003) coded by two and by three coders; bad input as one line naming file, row and column."""
import csv
import io
import random
import shutil
from contextlib import redirect_stderr, redirect_stdout

import krippendorff
import numpy as np
import pytest

from brink.analysis.agreement import COMPARED, Coding, agree, cohen_kappa, krippendorff_alpha, match, overlap
from brink.cli import main
from brink.dataset.check import check_folder
from guide import follow
from kitpaths import DATA, PRACTICE_ID

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers, twelve units.
WORKED = [[1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
          [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
          [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
          [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]]
# the figures the paper prints for them
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def package_alpha(data, level, order=None):
    if order is not None:   # the package ranks ordinal values by number
        data = [[None if v is None else order.index(v) for v in row] for row in data]
    values = sorted({v for row in data for v in row if v is not None}, key=str)
    codes = {v: i for i, v in enumerate(values)} if level == "nominal" else None
    a = np.array([[np.nan if v is None else (codes[v] if codes else v) for v in row] for row in data], float)
    return krippendorff.alpha(reliability_data=a, level_of_measurement=level)


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------------------------------ the figures
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_of_krippendorffs_worked_example_is_the_published_figure_and_the_packages(level):
    ours = krippendorff_alpha(WORKED, level)
    assert round(ours, 3) == PUBLISHED[level]
    assert ours == pytest.approx(package_alpha(WORKED, level), abs=1e-12)


@pytest.mark.parametrize("seed", range(12))
def test_alpha_matches_the_package_on_random_data_with_missing_values(seed):
    rng = random.Random(seed)
    coders, units = rng.randint(2, 5), rng.randint(5, 40)
    k = rng.randint(2, 6)
    data = [[rng.randint(1, k) if rng.random() > 0.25 else None for _ in range(units)] for _ in range(coders)]
    if len({v for row in data for v in row if v is not None}) < 2:
        data[0][0], data[1][0] = 1, 2
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert krippendorff_alpha(data, level) == pytest.approx(package_alpha(data, level), abs=1e-9), level


def test_ordinal_alpha_ranks_words_by_the_order_given():
    order = ["day", "range", "month", "season", "year"]
    data = [["day", "month", "year", "day", None], ["day", "season", "year", "range", "month"]]
    ours = krippendorff_alpha(data, "ordinal", order)
    assert ours == pytest.approx(package_alpha(data, "ordinal", order), abs=1e-12)
    assert ours != pytest.approx(krippendorff_alpha(data, "ordinal"))   # alphabetical order reads differently


def test_alpha_by_hand_and_where_it_is_undefined():
    # units (a,a) (a,a) (b,b) (b,a): o_aa = 5, o_bb = 2, o_ab = o_ba = 1; n_a = 5, n_b = 3, n = 8
    # alpha = 1 - (n - 1) * 2 / (2 * n_a * n_b) = 1 - 7 * 2 / 30
    assert krippendorff_alpha([["a", "a", "b", "b"], ["a", "a", "b", "a"]]) == pytest.approx(1 - 14 / 30)
    assert krippendorff_alpha([["a", "a"], ["a", "a"]]) is None          # no variation
    assert krippendorff_alpha([["a", None], [None, "b"]]) is None        # nothing pairable
    with pytest.raises(ValueError):
        krippendorff_alpha([["a"], ["a", "b"]])


def test_cohens_kappa_by_hand():
    # 50 units: both yes 20, yes/no 5, no/yes 10, both no 15: p_o = 0.7, p_e = 0.5*0.6 + 0.5*0.4 = 0.5
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(a + [None], b + ["yes"]) == pytest.approx(0.4)   # a unit one coder left out is not counted
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None
    try:
        from sklearn.metrics import cohen_kappa_score
    except ImportError:
        return
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_spans_are_matched_by_overlap_one_row_per_coder():
    def c(coder, s, e, src="003"):
        return Coding(coder, "annotations/quotes.csv", s, src, s, e, "", {}, {})
    assert overlap(c("a", 0, 10), c("b", 0, 10, "002")) == 0
    units = match("quotes", {"a": [c("a", 0, 100), c("a", 200, 220)],
                             "b": [c("b", 5, 100), c("b", 0, 40), c("b", 300, 310)]})
    shown = [(u.codings["a"] and u.codings["a"].start, u.codings["b"] and u.codings["b"].start) for u in units]
    # b's 5-100 is a's 0-100 (overlap 0.95); b's 0-40 overlaps it too, but a has one row there: a unit of its own
    assert shown == [(None, 0), (0, 5), (200, None), (None, 300)]   # by start, then end
    assert [u.unit_id for u in units] == ["quotes 003@0", "quotes 003@0.2", "quotes 003@200", "quotes 003@300"]


# ------------------------------------------------------------------------------ a class's own folders
def set_cells(folder, table, match_col, match_value, **cells):
    path = folder / "annotations" / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    header = list(rows[0])
    hit = [r for r in rows if r[match_col] == match_value]
    assert hit, (table, match_value)
    for r in hit:
        r.update(cells)
    if cells.get("_drop"):
        rows = [r for r in rows if r[match_col] != match_value]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def coders(tmp_path_factory):
    """Three coders of the fourth source: ana follows the guide; ben and cai differ from her on purpose."""
    work = tmp_path_factory.mktemp("class")
    follow(work)
    ana = work / "ana"
    shutil.move(work / "mydata", ana)
    ben, cai = work / "ben", work / "cai"
    shutil.copytree(ana, ben)
    shutil.copytree(ana, cai)
    # ben: the quote is partial; the first claim is factual; the second claim is not coded; the missile
    # report quotes fewer words (start 342 as 'about 15 missiles' shows; the same unit by overlap)
    set_cells(ben, "quotes", "quote_id", "Q90", kind="partial")
    set_cells(ben, "claims", "claim_id", "C190", claim_type="factual")
    set_cells(ben, "claims", "claim_id", "C191", _drop="1")
    set_cells(ben, "event_reports", "evidence", "Iran fired about 15 missiles at bases in Iraq",
              evidence="Iran fired about 15 missiles", start="", end="")
    assert run("source", "fill", "--data", ben)[0] == 0
    # cai: like ana, but the quote's medium is a statement
    set_cells(cai, "quotes", "quote_id", "Q90", medium="statement")
    for f in (ana, ben, cai):
        assert check_folder(f).problems == []
    return ana, ben, cai


def figures_of(result):
    return {(f.table, f.field): f for f in result.figures}


def test_two_coders_of_the_fourth_source(coders):
    ana, ben, _ = coders
    result = agree([ana, ben], ["003"])
    assert result.sources == [PRACTICE_ID] and result.coders == ["ana", "ben"]
    by = {u.unit_id: u for u in result.units}
    assert sorted(by) == sorted(["events 003@%d" % by_start for by_start in
                                 [u.codings["ana"].start for u in result.units if u.table == "events"]]
                                + [u.unit_id for u in result.units if u.table != "events"])
    assert [u.table for u in result.units].count("events") == 3      # the shorter report is the same unit
    fig = figures_of(result)
    # claims 'coded': C190 by both, C191 by ana only: values (yes, yes), (yes, no)
    assert fig["claims", "coded"].alpha == pytest.approx(package_alpha([["yes", "yes"], ["yes", "no"]], "nominal"))
    assert fig["claims", "coded"].alpha == pytest.approx(0.0)
    assert fig["claims", "coded"].kappa == pytest.approx(0.0)
    # claim_type over the one claim both coded: a single pairable unit that disagrees
    assert fig["claims", "claim_type"].units == 1 and fig["claims", "claim_type"].agreed == 0
    # event spans: two of three the same, one differs
    spans = [[u.value(c, "span") for u in result.units if u.table == "events"] for c in ("ana", "ben")]
    assert fig["events", "span"].alpha == pytest.approx(package_alpha(spans, "nominal"))
    assert fig["events", "event_type"].alpha == 1.0 and fig["events", "event_type"].agreed == 3
    assert {(u.unit_id.split()[0], f) for u, f in result.disagreements()} == {
        ("quotes", "kind"), ("claims", "claim_type"), ("claims", "coded"), ("events", "span")}


def test_three_coders_have_alpha_and_no_kappa(coders):
    result = agree(list(coders), ["003"])
    fig = figures_of(result)
    medium = [[u.value(c, "medium") for u in result.units if u.table == "quotes"] for c in result.coders]
    assert medium == [["unspecified"], ["unspecified"], ["statement"]]
    kind = [[u.value(c, "kind") for u in result.units if u.table == "quotes"] for c in result.coders]
    assert kind == [["direct"], ["partial"], ["direct"]]
    # one unit, values (u, u, s): o_uu = 1, o_us = o_su = 1; n = 3; alpha = 1 - (3 - 1) * 2 / (2 * 2 * 1) = 0
    assert fig["quotes", "medium"].alpha == pytest.approx(0.0) == pytest.approx(package_alpha(medium, "nominal"))
    assert fig["quotes", "kind"].agreed == 0 and fig["quotes", "speaker"].agreed == 1
    claims_coded = [[u.value(c, "coded") for u in result.units if u.table == "claims"] for c in result.coders]
    assert fig["claims", "coded"].alpha == pytest.approx(package_alpha(claims_coded, "nominal"))
    assert all(f.kappa is None for f in result.figures)


def test_the_command_prints_figures_and_every_disagreement_side_by_side(coders, tmp_path):
    ana, ben, _ = coders
    code, out, err = run("agree", ana, ben, "--source", "003", "--out", tmp_path / "review")
    assert code == 0, err
    assert out.startswith("2 coders (ana, ben), 1 source (003), 7 units")
    assert "claims   coded            nominal      2      1  0.000  0.000" in out
    assert "4 disagreements:" in out
    block = out[out.index("events 003@"):]
    assert "  ana  " in block and "“Iran fired about 15 missiles at bases in Iraq”" in block
    assert "  ben  " in block and "“Iran fired about 15 missiles”" in block
    claims_coded = out[out.index("  coded\n"):].splitlines()
    assert claims_coded[1].startswith("  ana  yes  annotations/claims.csv:")
    assert claims_coded[2] == "  ben  no"
    with open(tmp_path / "review" / "adjudication.csv", newline="", encoding="utf-8") as f:
        sheet = list(csv.DictReader(f))
    assert len(sheet) == 4 and {r["choice"] for r in sheet} == {""}
    kind = next(r for r in sheet if r["field"] == "kind")
    assert (kind["ana"], kind["ben"]) == ("direct", "partial")
    assert kind["ana words"] == kind["ben words"] == "This is a practice quotation and nobody said it,"
    assert kind["ana row"].startswith("annotations/quotes.csv:")
    with open(tmp_path / "review" / "agreement.csv", newline="", encoding="utf-8") as f:
        figs = {(r["table"], r["field"]): r for r in csv.DictReader(f)}
    assert figs["claims", "coded"]["alpha"] == "0.0" and figs["events", "coded"]["alpha"] == ""


@pytest.fixture(scope="module")
def review(coders, tmp_path_factory):
    """brink agree ana ben --source 003 --out review: the figures and the empty sheet."""
    out = tmp_path_factory.mktemp("review")
    code, shown, err = run("agree", *coders[:2], "--source", "003", "--out", out)
    assert code == 0, err
    return out


def fill(sheet_path, choose):
    with open(sheet_path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    for r in rows:
        r["choice"], r["reason"] = choose(r)
    with open(sheet_path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return rows


def test_the_filled_sheet_becomes_an_adjudicated_folder_that_checks_clean(coders, review, tmp_path):
    ana, ben, _ = coders
    sheet = tmp_path / "adjudication.csv"
    shutil.copy(review / "adjudication.csv", sheet)
    picks = {"kind": ("ben", "the words are worked into the reporter's sentence"),
             "claim_type": ("ben", "it states a checkable fact"),
             "coded": ("ben", "not a claim of the text's own"),
             "span": ("ben", "the fewest words that report the strike")}
    fill(sheet, lambda r: picks[r["field"]])
    out = tmp_path / "adjudicated"
    code, shown, err = run("adjudicate", sheet, ana, ben, "--source", "003", "--out", out)
    assert code == 0, err
    assert "7 units, 6 kept, 1 dropped, 4 choices" in shown
    assert check_folder(out).problems == []
    assert run("check", out)[0] == 0

    def rows(table):
        with open(out / "annotations" / f"{table}.csv", newline="", encoding="utf-8") as f:
            return [r for r in csv.DictReader(f) if r["source_id"] == PRACTICE_ID]
    assert [r["kind"] for r in rows("quotes")] == ["partial"]
    assert [(r["claim_id"], r["claim_type"]) for r in rows("claims")] == [("C190", "factual")]
    assert "Iran fired about 15 missiles" in [r["evidence"] for r in rows("event_reports")]
    assert "Iran fired about 15 missiles at bases in Iraq" not in [r["evidence"] for r in rows("event_reports")]
    with open(out / "adjudication.csv", newline="", encoding="utf-8") as f:
        kept = list(csv.DictReader(f))
    assert {(r["field"], r["choice"], r["reason"]) for r in kept} == {(k, *v) for k, v in picks.items()}
    # the other sources' rows are the base's, untouched
    for table in ("quotes", "claims", "events"):
        with open(ana / "annotations" / f"{table}.csv", encoding="utf-8") as f:
            before = [line for line in f if PRACTICE_ID not in line]
        with open(out / "annotations" / f"{table}.csv", encoding="utf-8") as f:
            after = [line for line in f if PRACTICE_ID not in line]
        assert after == before or table == "events"


def test_a_unit_only_another_coder_has_is_added_with_a_free_id(coders, tmp_path):
    ana, ben, _ = coders
    # ben as the base: ana's C191 is kept, and comes in under its own id (free in ben's folder)
    assert run("agree", ben, ana, "--source", "003", "--out", tmp_path / "review")[0] == 0
    sheet = tmp_path / "review" / "adjudication.csv"
    fill(sheet, lambda r: ("ana", "as the codebook says"))
    out = tmp_path / "adjudicated"
    code, shown, err = run("adjudicate", sheet, ben, ana, "--source", "003", "--out", out)
    assert code == 0, err
    with open(out / "annotations" / "claims.csv", newline="", encoding="utf-8") as f:
        claims = {r["claim_id"]: r for r in csv.DictReader(f) if r["source_id"] == PRACTICE_ID}
    assert sorted(claims) == ["C190", "C191"] and claims["C190"]["claim_type"] == "assessment"
    assert claims["C191"]["text"] == "It predicts that talks will likely follow."


def test_the_kit_against_itself_agrees_everywhere():
    result = agree([DATA, DATA], ["000"])
    assert result.coders == ["A", "B"] and result.disagreements() == []
    assert all(f.alpha in (None, 1.0) for f in result.figures)
    assert {f.table for f in result.figures} == {c.label for c in COMPARED}


# ------------------------------------------------------------------------------------------ bad input
def one_line(err):
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def test_a_folder_that_fails_check_is_named_with_its_row_and_column(coders, tmp_path):
    ana, ben, _ = coders
    bad = tmp_path / "bad"
    shutil.copytree(ben, bad)
    set_cells(bad, "quotes", "quote_id", "Q90", kind="shouted")
    code, out, err = run("agree", ana, bad)
    assert code == 1
    line = one_line(err)
    assert "bad/annotations/quotes.csv" in line and "column 'kind'" in line and "row " in line
    assert one_line(run("agree", ana)[2]).endswith("brink agree needs two data folders or more (one per coder)")
    assert "no such folder" in one_line(run("agree", ana, tmp_path / "nowhere")[2])
    assert "--source 009" in one_line(run("agree", ana, ben, "--source", "009")[2])


@pytest.mark.parametrize("edit, column, says", [
    (lambda r, i: r.update(unit="quotes 003@1") if i == 0 else None, "unit", "no unit 'quotes 003@1'"),
    (lambda r, i: r.update(field="speaker") if r["field"] == "kind" else None, "field", "no disagreement on field 'speaker'"),
    (lambda r, i: r.update(choice="cai") if i == 1 else None, "choice", "'cai' is not one of the coders"),
    (lambda r, i: r.update(choice="") if i == 2 else None, "choice", "no choice"),
    (lambda r, i: r.update(reason="") if i == 0 else None, "reason", "a choice needs its reason"),
])
def test_a_bad_sheet_row_is_one_line_naming_file_row_and_column(coders, review, tmp_path, edit, column, says):
    ana, ben, _ = coders
    sheet = tmp_path / "adjudication.csv"
    shutil.copy(review / "adjudication.csv", sheet)
    rows = fill(sheet, lambda r: ("ana", "the codebook's rule"))
    for i, r in enumerate(rows):
        edit(r, i)
    with open(sheet, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    code, out, err = run("adjudicate", sheet, ana, ben, "--source", "003", "--out", tmp_path / "adj")
    assert code == 1
    line = one_line(err)
    assert "adjudication.csv, row " in line and f"column '{column}'" in line and says in line
    assert not (tmp_path / "adj").exists()


def test_a_choice_of_a_coder_without_the_row_is_named():
    from brink.analysis.adjudication import decisions
    from brink.analysis.agreement import Agreement, Unit
    from brink.errors import DataError

    def c(coder, kind):
        return Coding(coder, "annotations/claims.csv", 1, "003", 0, 10, "words", {"claim_type": kind}, {})
    unit = Unit("claims", "claims 003@0", "003", {"a": c("a", "assessment"), "b": c("b", "factual"), "c": None})
    result = Agreement(["a", "b", "c"], [], ["003"], [unit])
    assert [f for _, f in result.disagreements()] == ["coded", "claim_type"]
    rows = [(1, {"unit": "claims 003@0", "field": "coded", "choice": "a", "reason": "r"}),
            (2, {"unit": "claims 003@0", "field": "claim_type", "choice": "c", "reason": "r"})]
    with pytest.raises(DataError) as e:
        decisions(result, rows, "sheet.csv")
    assert (e.value.row, e.value.column) == (2, "choice") and "c has no row for claims 003@0" in str(e.value)
    rows[1][1]["choice"] = "b"
    assert decisions(result, rows, "sheet.csv")[("claims 003@0", "claim_type")] == ("b", "r", 2)


def test_a_missing_row_and_folders_the_sheet_was_not_written_for_are_named(coders, review, tmp_path):
    ana, ben, _ = coders
    sheet = tmp_path / "adjudication.csv"
    shutil.copy(review / "adjudication.csv", sheet)
    rows = fill(sheet, lambda r: ("ana", "the codebook's rule"))
    with open(sheet, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows([r for r in rows if r["field"] != "kind"])
    err = one_line(run("adjudicate", sheet, ana, ben, "--source", "003", "--out", tmp_path / "adj")[2])
    assert "column 'unit'" in err and "no row for quotes 003@" in err and "/ kind" in err
    # a coder's column missing: the folders are not the ones the sheet was written for
    err = one_line(run("adjudicate", sheet, ana, coders[2], "--source", "003", "--out", tmp_path / "adj")[2])
    assert "column 'cai'" in err


def test_the_readmes_commands_work_as_written(coders, tmp_path, monkeypatch):
    """README, 'Your own sources': the brink agree block, literally, on two coders of source 003."""
    import re
    import shlex

    from kitpaths import KIT
    readme = (KIT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```sh\n(.*?)```", readme, re.S) if "brink agree ana ben" in b)
    commands = [line.partition("  # ")[0].strip() for line in block.splitlines() if line.strip()]
    assert [c.split()[1] for c in commands] == ["agree", "adjudicate", "check"]
    shutil.copytree(coders[0], tmp_path / "ana")
    shutil.copytree(coders[1], tmp_path / "ben")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(*shlex.split(commands[0])[1:])
    assert code == 0, err
    fill(tmp_path / "review" / "adjudication.csv", lambda r: ("ben", "as the codebook says"))   # the instructor's step
    for cmd in commands[1:]:
        code, out, err = run(*shlex.split(cmd)[1:])
        assert code == 0, (cmd, err)
    assert "no problems" in out
    with open(tmp_path / "adjudicated" / "annotations" / "quotes.csv", newline="", encoding="utf-8") as f:
        assert [r["kind"] for r in csv.DictReader(f) if r["source_id"] == PRACTICE_ID] == ["partial"]
