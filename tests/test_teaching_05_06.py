"""What lessons 05 and 06 teach from their numbers, held to the subject's rules (issue 16, second reading):
a figure read as it can be read, every disagreement of the worked example decided with a reason, the
disputed place and date marked in the second coding too, and forecast questions a forecaster can be
fairly scored on."""
import itertools
import json
import re

import pandas as pd
import pytest

from brink.analysis.agreement import agree, cohen_kappa, krippendorff_alpha, with_coding
from kitpaths import DATA, KIT

SECOND = DATA / "coding" / "second"
SOURCE = "000_817cee62a98404b2"
NOTES05 = KIT / "docs" / "instructor-notes" / "05-coding-together.md"


def markdown(name: str) -> str:
    nb = json.loads((KIT / "notebooks" / name).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("coding") / "second"
    with_coding(DATA, SECOND, out)
    return agree([DATA, out], [SOURCE], tables=["quotes", "claims"])


# ------------------------------------------------------------------ lesson 05: `coded` over units either coder found
def coded_bound(both: int, one_only: int) -> float:
    """Alpha for `coded` when no unit is one that every coder left out."""
    n = both + one_only
    return 1 - (2 * n - 1) / (2 * both + one_only)


@pytest.mark.parametrize("both,data_only,second_only", [
    (a, b, c) for a, b, c in itertools.product(range(0, 6), range(0, 4), range(0, 4)) if b + c and a + b + c > 1])
def test_coded_alpha_and_kappa_cannot_be_above_zero_without_a_unit_both_left_out(both, data_only, second_only):
    data = ["yes"] * both + ["yes"] * data_only + ["no"] * second_only
    second = ["yes"] * both + ["no"] * data_only + ["yes"] * second_only
    alpha = krippendorff_alpha([data, second])
    assert alpha == pytest.approx(coded_bound(both, data_only + second_only)) and alpha <= 0
    kappa = cohen_kappa(data, second)
    assert kappa is None or kappa <= 1e-12
    # a unit both left out is what lets the figure rise above zero: the bound is about the units, not the coders
    if both >= 2 and data_only + second_only == 1:
        assert krippendorff_alpha([data + ["no"] * 10, second + ["no"] * 10]) > 0


def test_the_worked_examples_coded_figure_is_that_bound(result):
    units = [u for u in result.units if u.table == "claims"]
    both = sum(all(u.codings[c] is not None for c in result.coders) for u in units)
    fig = next(f for f in result.figures if (f.table, f.field) == ("claims", "coded"))
    assert 0 < both < len(units) and fig.alpha == pytest.approx(coded_bound(both, len(units) - both))


def test_the_notes_give_the_coded_figure_and_counts_the_lesson_computes(result):
    units = [u for u in result.units if u.table == "claims"]
    n = len(units)
    both = sum(all(u.codings[c] is not None for c in result.coders) for u in units)
    kit_only = sum(u.codings["data"] is not None and u.codings["second"] is None for u in units)
    flat = " ".join(NOTES05.read_text(encoding="utf-8").split())
    m = re.search(r"here 1 − (\d+) ÷ (\d+) = −(0\.\d{3})", flat)
    assert m and (int(m.group(1)), int(m.group(2))) == (2 * n - 1, 2 * both + n - both), m and m.group(0)
    assert float(m.group(3)) == pytest.approx(-coded_bound(both, n - both), abs=5e-4)
    assert f"{both} of the {n} units coded by both, {kit_only} by the kit only, {n - both - kit_only} by the second" in flat
    shown = len(result.disagreements())
    words = {18: "eighteen", 19: "nineteen", 20: "twenty", 21: "twenty-one"}
    assert f"worked adjudication of the {words[shown]} disagreements" in flat


def test_lesson_05_and_its_notes_read_coded_as_counts_not_as_worse_than_chance():
    for text in (markdown("05-coding-together.ipynb"), NOTES05.read_text(encoding="utf-8")):
        flat = " ".join(text.split())
        assert "cannot be above 0" in flat or "fall below zero as soon as one unit is coded by one coder only" in flat
        assert "systematically leaves out" not in flat
        assert not re.search(r"`coded`[^.]*more than chance pairing", flat)


# ------------------------------------------------------------------ lesson 05: the worked adjudication
def adjudicated_rows(text: str) -> dict:
    """The notes' worked adjudication: (unit id, field) -> (choice, reason)."""
    out = {}
    for m in re.finditer(r"^\| (quotes|claims) 000@(\d+), (\w+) \| [^|]+ \| [^|]+ \| (\w+) \| (.+?) \|$", text, re.M):
        out[(f"{m.group(1)} 000@{m.group(2)}", m.group(3))] = (m.group(4), m.group(5).strip())
    return out


def test_the_notes_decide_every_disagreement_lesson_05_prints_with_a_coder_and_a_reason(result):
    decided = adjudicated_rows(NOTES05.read_text(encoding="utf-8"))
    shown = {(u.unit_id, field) for u, field in result.disagreements()}
    assert shown and set(decided) == shown, (shown - set(decided), set(decided) - shown)
    assert all(choice in result.coders and len(reason) > 15 for choice, reason in decided.values())
    # the kit's own slip is decided against the kit: its holders say "quotes" for words in quotation marks
    assert decided[("claims 000@861", "holder")][0] == "second"
    assert decided[("quotes 000@861", "medium")][0] == "data"     # the text does not say to whom he said it
    assert adjudicated_rows("| claims 000@1 , coded | yes | no | data | x |") == {}   # the parser needs the form


# ------------------------------------------------------------------ the second coding marks what the kit marks
def test_the_second_coding_marks_qum_and_the_vows_date_disputed():
    for path in sorted((DATA / "coding").rglob("*.csv")):
        t = pd.read_csv(path, dtype=str).fillna("")
        for _, row in t.iterrows():
            cells = " ".join(row.tolist())
            if re.search(r"\bQ[uo]m\b", cells) or "harsh revenge" in row.get("text", ""):
                assert "disputed" in row.get("note", "") + row.get("outcome", ""), (path.name, row.iloc[0])


# ------------------------------------------------------------------ lesson 06: questions and one rule for every forecaster
def outputs(name: str) -> str:
    nb = json.loads((KIT / "notebooks" / name).read_text(encoding="utf-8"))
    parts = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            parts.append("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def horizon() -> str:
    import brink
    return f"{brink.sources()['published'].max():%-d %B %Y}"


def unfair_questions(questions: pd.DataFrame, by: str) -> list:
    """Questions a forecaster cannot be fairly scored on: no horizon named, or the U.S. rationale in the asking."""
    return [q for q in questions["question"] if f"by {by}".lower() not in q.lower() or "deterred" in q]


def test_every_forecast_question_names_its_horizon_and_asks_neutrally():
    from brink.analysis import forecasts
    questions = forecasts.questions(DATA / "forecast_questions.csv")
    assert len(questions) >= 5 and unfair_questions(questions, horizon()) == []
    old = pd.DataFrame({"question": ["Will Iran answer the killing of Qassem Soleimani with force, rather than be deterred by it?",
                                     "Will the United States decide to withdraw its forces from Iraq?"]})
    assert len(unfair_questions(old, horizon())) == 2


def test_lesson_06_scores_every_forecaster_on_every_resolved_question_and_shows_what_is_contested():
    import brink
    from brink.analysis import forecasts
    questions = forecasts.questions(DATA / "forecast_questions.csv")
    out = forecasts.reveal(questions, "2020-02-13")
    claims = brink.claims().set_index("claim_id")
    r = brink.readings()
    will = r[r["reading"] == "'will' read as almost certain"].set_index("claim_id")["p"]
    done = out.dropna(subset=["outcome_value"])
    ps = [(claims.loc[c, "p_low"] + claims.loc[c, "p_high"]) / 2 if pd.notna(claims.loc[c, "p_low"]) else will[c]
          for c in done["claim_id"]]
    theirs = sum((float(p) - int(o)) ** 2 for p, o in zip(ps, done["outcome_value"])) / len(done)
    banded = [(float(p) - int(o)) ** 2 for c, p, o in zip(done["claim_id"], ps, done["outcome_value"])
              if pd.notna(claims.loc[c, "p_low"])]
    assert len(banded) < len(done) and theirs > sum(banded) / len(banded)   # the unbanded question is its miss
    shown = outputs("06-forecasting-as-of.ipynb")
    assert f"{theirs:.4f}" in shown and re.search(rf"mean Brier\s+{len(done)} questions", shown)
    assert re.search(r"always 50 %\s+0\.2500", shown)
    assert "contested" in shown.split("outcome_event_id", 1)[1]
    notes = (KIT / "docs" / "instructor-notes" / "06-forecasting-as-of.md").read_text(encoding="utf-8")
    assert f"{theirs:.2f} over four questions" in " ".join(notes.split()) and len(done) == 4


WORDS = {2: "twice", 3: "three times", 4: "four times"}
NUMBERS = {3: "three", 4: "four"}


def test_lesson_06_shows_the_crisis_groups_place_below_50_percent_resting_on_q4():
    """Q4 asks more than C21's "avenge" (a military strike on Iran); the lesson prints the means with and
    without it, and its prose and notes say the line "worse than always 50 %" rests on that question."""
    import brink
    from brink.analysis import forecasts
    questions = forecasts.questions(DATA / "forecast_questions.csv")
    done = forecasts.reveal(questions, "2020-02-13").dropna(subset=["outcome_value"])
    claims = brink.claims().set_index("claim_id")
    r = brink.readings()
    will = r[r["reading"] == "'will' read as almost certain"].set_index("claim_id")["p"]

    def p_of(c):
        return (claims.loc[c, "p_low"] + claims.loc[c, "p_high"]) / 2 if pd.notna(claims.loc[c, "p_low"]) else will[c]

    def means(rows):
        theirs = sum((float(p_of(c)) - int(o)) ** 2 for c, o in zip(rows["claim_id"], rows["outcome_value"]))
        half = sum((0.5 - int(o)) ** 2 for o in rows["outcome_value"])
        return theirs / len(rows), half / len(rows)

    q4 = done[done["question_id"] == "Q4"]
    assert list(q4["claim_id"]) == ["C21"] and "avenge" in claims.loc["C21", "text"]
    assert "strike Iran militarily" in q4["question"].iloc[0]            # more than "avenge": a strike on Iran
    without = done[done["question_id"] != "Q4"]
    (all_theirs, all_half), (wo_theirs, wo_half) = means(done), means(without)
    assert all_theirs > all_half and wo_theirs < wo_half                 # the line rests on Q4 alone
    shown = outputs("06-forecasting-as-of.ipynb")
    assert re.search(rf"mean Brier\s+{len(done)} questions\s+{len(without)}, Q4 \(C21\) left out", shown)
    assert re.search(rf"the Crisis Group, 'will' as almost certain\s+{all_theirs:.4f}\s+{wo_theirs:.4f}", shown)
    assert re.search(rf"always 50 %\s+{all_half:.4f}\s+{wo_half:.4f}", shown)
    lesson = " ".join(markdown("06-forecasting-as-of.ipynb").split())
    assert "The questions ask less than the predictions' words" not in lesson
    assert "Q1–Q3 ask less than them, and Q4 asks more" in lesson and "with Q4 left out it scores far better" in lesson
    notes = " ".join((KIT / "docs" / "instructor-notes" / "06-forecasting-as-of.md").read_text(encoding="utf-8").split())
    assert "the questions ask less" not in notes and "Q4 asks more" in notes
    assert f"{wo_theirs:.2f} over its {NUMBERS[len(without)]} banded ones" in notes
    assert f"with Q4 left out it scores {wo_theirs:.2f} against {wo_half:.2f}" in notes


def test_lesson_06_counts_how_often_the_event_that_settles_several_questions_counts():
    from brink.analysis import forecasts
    questions = forecasts.questions(DATA / "forecast_questions.csv")
    done = forecasts.reveal(questions, "2020-02-13").dropna(subset=["outcome_value"])
    by_event = done.groupby("outcome_event_id")["question_id"].apply(list)
    most = by_event[by_event.map(len).idxmax()]
    assert by_event.map(len).idxmax() == "EV21" and len(most) == 3
    ids = ", ".join(most[:-1]) + " and " + most[-1]
    lesson = " ".join(markdown("06-forecasting-as-of.ipynb").split())
    assert f"{ids} ask about that one event in {NUMBERS[len(most)]} ways, so it counts {WORDS[len(most)]}" in lesson
    notes = " ".join((KIT / "docs" / "instructor-notes" / "06-forecasting-as-of.md").read_text(encoding="utf-8").split())
    assert f"{ids} ask about one event (EV21) in {NUMBERS[len(most)]} ways, so a forecaster's view of it counts {WORDS[len(most)]}" in notes
