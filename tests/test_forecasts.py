"""A student's own forecasts: the Murphy decomposition, the hash lock (attacked), the linter, the reveal."""
from __future__ import annotations

import json
import random
import subprocess

import pandas as pd
import pytest

from brink import kit_root
from brink.analysis import forecasts as fc

QUESTIONS = kit_root() / "data" / "forecast_questions.csv"


# ---------------------------------------------------------------- the decomposition, by hand

def test_murphy_against_a_hand_computed_case():
    # bins 0.8 (outcomes 1, 0) and 0.3 (0, 0); base rate 1/4
    # REL = [2 (0.8 - 0.5)^2 + 2 (0.3 - 0)^2] / 4 = 0.09; RES = [2 (0.5 - 0.25)^2 + 2 (0 - 0.25)^2] / 4 = 0.0625
    # UNC = 0.25 * 0.75 = 0.1875; BS = (0.04 + 0.64 + 0.09 + 0.09) / 4 = 0.215 = 0.09 - 0.0625 + 0.1875
    m = fc.murphy([0.8, 0.8, 0.3, 0.3], [1, 0, 0, 0])
    assert (m.n, m.brier, m.reliability, m.resolution, m.uncertainty) == (4, 0.215, 0.09, 0.0625, 0.1875)
    assert m.within_bin_variance == m.within_bin_covariance == 0


def test_murphy_second_hand_case_three_bins():
    # forecasts 0.9 x3 (1, 1, 0), 0.5 x2 (1, 0), 0.1 x5 (0, 0, 0, 0, 1); N = 10, base rate 0.4
    # REL = [3 (0.9 - 2/3)^2 + 2 (0.5 - 0.5)^2 + 5 (0.1 - 0.2)^2] / 10 = (0.163333… + 0 + 0.05) / 10 = 0.0213333…
    # RES = [3 (2/3 - 0.4)^2 + 2 (0.5 - 0.4)^2 + 5 (0.2 - 0.4)^2] / 10 = (0.213333… + 0.02 + 0.2) / 10 = 0.0433333…
    # UNC = 0.4 * 0.6 = 0.24; BS = (0.01*2 + 0.81 + 0.25*2 + 0.01*4 + 0.81) / 10 = 0.218
    p = [0.9] * 3 + [0.5] * 2 + [0.1] * 5
    o = [1, 1, 0, 1, 0, 0, 0, 0, 0, 1]
    m = fc.murphy(p, o)
    assert m.brier == pytest.approx(0.218)
    assert m.reliability == pytest.approx(0.0213333333, abs=1e-9)
    assert m.resolution == pytest.approx(0.0433333333, abs=1e-9)
    assert m.uncertainty == pytest.approx(0.24)
    assert m.reliability - m.resolution + m.uncertainty == pytest.approx(m.brier, abs=1e-9)


def test_perfect_and_climatological_forecasters():
    o = [1, 0, 1, 1, 0]
    perfect = fc.murphy([1, 0, 1, 1, 0], o)
    assert perfect.brier == 0 and perfect.reliability == 0 and perfect.resolution == perfect.uncertainty == 0.24
    base = fc.murphy([0.6] * 5, o)      # always the base rate: no reliability error, no resolution
    assert base.reliability == 0 and base.resolution == 0 and base.brier == base.uncertainty == 0.24


def test_the_identity_holds_for_binned_forecasts():
    """REL − RES + UNC equals the Brier score when the forecasts in each bin are equal (many random cases),
    and with wide bins once the within-bin terms are added."""
    rng = random.Random(18)
    for _ in range(60):
        n = rng.randint(1, 40)
        levels = [round(rng.random(), 2) for _ in range(rng.randint(1, 6))]
        p = [rng.choice(levels) for _ in range(n)]
        o = [int(rng.random() < x) for x in p]
        m = fc.murphy(p, o)
        assert m.reliability - m.resolution + m.uncertainty == pytest.approx(m.brier, abs=1e-9)
        assert m.within_bin_variance == 0
        wide = fc.murphy(p, o, bins=[0, 0.25, 0.5, 0.75, 1])
        assert wide.brier == m.brier and wide.uncertainty == m.uncertainty
        assert (wide.reliability - wide.resolution + wide.uncertainty + wide.within_bin_variance
                - wide.within_bin_covariance) == pytest.approx(wide.brier, abs=1e-9)
    # wide bins whose forecasts are equal within each bin: the within-bin terms vanish
    m = fc.murphy([0.1, 0.1, 0.7, 0.7, 0.7], [0, 1, 1, 1, 0], bins=[0, 0.5, 1])
    assert m.within_bin_variance == 0 and m.reliability - m.resolution + m.uncertainty == pytest.approx(m.brier)


def test_the_decomposition_refuses_what_is_not_a_forecast():
    for p, o in (([], []), ([0.5], [1, 0]), ([1.2], [1]), ([0.5], [2])):
        with pytest.raises(ValueError):
            fc.murphy(p, o)


def test_calibration_table_counts_each_bin():
    t = fc.calibration([0.05, 0.15, 0.9, 0.95, 0.85], [0, 0, 1, 1, 0])
    assert t.to_dict("records") == [
        {"bin": "0.0–0.2", "n": 2, "mean_forecast": 0.1, "observed": 0.0},
        {"bin": "0.8–1.0", "n": 3, "mean_forecast": 0.9, "observed": 0.667}]
    spec = fc.calibration_chart(t).to_dict()
    rows = [r for data in spec["datasets"].values() for r in data if "bin" in r]
    assert sorted((r["bin"], r["n"], r["observed"]) for r in rows) == [("0.0–0.2", 2, 0.0), ("0.8–1.0", 3, 0.667)]


# ---------------------------------------------------------------- saving and the lock

def _saved(tmp_path):
    folder = tmp_path / "ada"
    r1 = fc.save("Will Iran strike back?", 0.85, "very likely", as_of="2020-01-02", question_id="Q1", folder=folder)
    r2 = fc.save("Will the U.S. strike back?", 0.4, "unlikely", as_of="2020-01-02", question_id="Q4", folder=folder)
    r3 = fc.save("Will U.S. forces leave Iraq?", 0.3, "unlikely", as_of="2020-01-09", question_id="Q5", folder=folder)
    return folder, (r1, r2, r3)


def _edit(folder, fn):
    path = folder / fc.FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    fn(data["forecasts"])
    path.write_text(json.dumps(data), encoding="utf-8")


def test_saved_forecasts_are_locked_and_read_back(tmp_path):
    folder, (r1, r2, r3) = _saved(tmp_path)
    assert fc.check_locks(folder) == [] and fc.check_locks(folder, r3["receipt"]) == []
    t = fc.read(folder)
    assert list(t["id"]) == ["F1", "F2", "F3"] and t["locked"].all()
    assert str(t.loc[0, "as_of"]) == "2020-01-03 00:00:00+00:00"
    assert r2["lock"]["previous"] == r1["receipt"] and r1["receipt"] != r2["receipt"]


def test_saving_the_same_forecast_again_adds_nothing(tmp_path):
    folder, (_, r2, r3) = _saved(tmp_path)
    again = fc.save("Will the U.S. strike back?", 0.4, "unlikely", as_of="2020-01-02", question_id="Q4", folder=folder)
    assert again["id"] == "F2" and again["again"] and again["receipt"] == r3["receipt"]
    changed = fc.save("Will the U.S. strike back?", 0.45, "unlikely", as_of="2020-01-02", question_id="Q4", folder=folder)
    assert changed["id"] == "F4" and list(fc.read(folder)["probability"]) == [0.85, 0.4, 0.3, 0.45]
    assert fc.check_locks(folder) == []


def test_an_edit_after_locking_is_detected_and_named(tmp_path):
    folder, _ = _saved(tmp_path)
    _edit(folder, lambda f: f[1].__setitem__("probability", 0.05))
    problems = fc.check_locks(folder)
    assert len(problems) == 1 and "F2: its probability was changed after it was saved and locked" in problems[0]
    assert str(folder / fc.FILE) in problems[0]
    t = fc.read(folder)
    assert list(t["locked"]) == [True, False, True]


def test_two_fields_edited_are_both_named(tmp_path):
    folder, _ = _saved(tmp_path)
    _edit(folder, lambda f: f[0].update(words="almost certain", as_of="2020-01-09T00:00:00Z"))
    assert "F1: its as_of, words were changed" in fc.check_locks(folder)[0]


def test_removing_or_moving_a_forecast_is_detected(tmp_path):
    folder, _ = _saved(tmp_path)
    _edit(folder, lambda f: f.pop(0))
    removed = fc.check_locks(folder)
    assert any("F2: the forecast saved before it was removed" in p for p in removed)
    folder2, _ = _saved(tmp_path / "b")
    _edit(folder2, lambda f: f.reverse())
    assert any("forecasts were removed or moved" in p for p in fc.check_locks(folder2))


def test_a_clever_student_who_recomputes_the_lock(tmp_path):
    """Rewriting a forecast and recomputing its hashes with the kit's own code: the next forecast's chain
    shows it; for the last forecast, the instructor's receipt does."""
    folder, (_, _, r3) = _saved(tmp_path)

    def forge(items, k):
        items[k]["probability"] = 0.99
        items[k]["lock"] = fc._lock(items[k], items[k]["lock"]["previous"])

    _edit(folder, lambda f: forge(f, 1))
    assert any("F3: the forecast saved before it was removed, moved or changed" in p for p in fc.check_locks(folder))
    last, (_, _, receipt) = _saved(tmp_path / "c")
    _edit(last, lambda f: forge(f, 2))
    assert fc.check_locks(last) == []                            # without the receipt the forgery holds …
    found = fc.check_locks(last, receipt["receipt"])
    assert len(found) == 1 and "does not end at the receipt" in found[0]   # … with the receipt it does not


@pytest.mark.parametrize("kw, words", [
    ({"probability": 1.3}, "not between 0 and 1"), ({"probability": "high"}, "is not a number"),
    ({"question": "  "}, "the question is empty"), ({"as_of": "2 January"}, "is not a date or moment")])
def test_a_bad_forecast_is_one_line_and_changes_nothing(tmp_path, kw, words):
    folder, _ = _saved(tmp_path)
    before = (folder / fc.FILE).read_bytes()
    args = {"question": "Will it?", "probability": 0.5, "words": "roughly even chance", "as_of": "2020-01-02", **kw}
    with pytest.raises(fc.ForecastError) as err:
        fc.save(**args, folder=folder)
    assert words in str(err.value) and "\n" not in str(err.value)
    assert (folder / fc.FILE).read_bytes() == before


def test_an_unreadable_file_is_named_and_kept(tmp_path):
    (tmp_path / fc.FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(fc.ForecastError) as err:
        fc.check_locks(tmp_path)
    assert str(tmp_path / fc.FILE) in str(err.value) and "has not been changed" in str(err.value)
    assert (tmp_path / fc.FILE).read_text(encoding="utf-8") == "{not json"


# ---------------------------------------------------------------- the linter

@pytest.mark.parametrize("text, p, words, kinds", [
    ("Iran will very likely strike back within a month.", 0.85, "very likely", []),                # clean
    ("It is unlikely that Washington strikes Iranian soil.", 0.3, "unlikely", []),                  # clean
    ("", 0.6, "very likely", ["outside band"]),                                                     # number vs words
    ("Iran will likely strike back (90 %).", None, None, ["outside band"]),                         # number in text
    ("Iran will likely retaliate. A wider war is highly improbable.", None, None, ["mixed term sets"]),
    ("Retaliation is probable.", 0.7, "likely", ["mixed term sets"]),                               # words vs text
    ("We judge with high confidence that Iran will likely retaliate.", None, None, ["likelihood and confidence"]),
    ("We have moderate confidence in our sources. Iran will likely retaliate.", None, None, []),    # two sentences
    ("", 0.5, "a good chance", ["not ICD 203 words"]),
])
def test_the_linter_on_each_flaw_and_on_clean_text(text, p, words, kinds):
    assert [f.kind for f in fc.lint(text, p, words)] == kinds


def test_a_longer_expression_is_not_also_its_shorter_part():
    # 'very unlikely' (5-20 %) holds 10 %; read as 'unlikely' (20-45 %) it would be flagged
    assert fc.lint("A U.S. ground war is very unlikely (10 %).") == []
    assert [f.kind for f in fc.lint("A U.S. ground war is unlikely (10 %).")] == ["outside band"]


def test_a_saved_forecast_keeps_its_flags(tmp_path):
    r = fc.save("Will Iran strike back?", 0.6, "very likely", as_of="2020-01-02", folder=tmp_path / "s")
    assert [f["kind"] for f in r["flags"]] == ["outside band"]
    assert fc.read(tmp_path / "s")["flags"].tolist() == ["outside band"]


# ---------------------------------------------------------------- reveal, crowd, the ledger beside

def test_the_reveal_follows_the_clock():
    q = fc.questions(QUESTIONS)
    early = fc.reveal(q, "2020-01-02")
    assert early["outcome_value"].isna().all()
    assert early["outcome"].str.startswith("unresolved").all()
    after = fc.reveal(q, "2020-01-09").set_index("question_id")["outcome_value"]
    assert after["Q1"] == 1 and pd.isna(after["Q4"])            # 'did not occur' waits for the horizon
    late = fc.reveal(q, "2020-02-14").set_index("question_id")
    assert list(late["outcome_value"].iloc[:4]) == [1, 1, 1, 0] and pd.isna(late.loc["Q5", "outcome_value"])
    assert late.loc["Q1", "outcome_event_id"] == "EV21"


def test_revealed_outcomes_are_checked_against_their_hash(tmp_path):
    fc.reveal(fc.questions(QUESTIONS), "2020-02-14", tmp_path)
    assert list(fc.revealed(tmp_path)["outcome_value"].iloc[:4]) == [1, 1, 1, 0]
    body = json.loads((tmp_path / fc.OUTCOMES).read_text(encoding="utf-8"))
    body["outcomes"][3]["outcome_value"] = 1
    (tmp_path / fc.OUTCOMES).write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(fc.ForecastError, match="changed after they were revealed"):
        fc.revealed(tmp_path)
    with pytest.raises(fc.ForecastError, match="not revealed yet"):
        fc.revealed(tmp_path / "nowhere")


def test_scores_crowd_and_the_ledger_beside(tmp_path):
    for name, ps in (("ada", [0.9, 0.2]), ("bo", [0.7, 0.6])):
        for qid, p, w in zip(["Q1", "Q4"], ps, ["very likely", "unlikely"]):
            fc.save(f"question {qid}", p, w, as_of="2020-01-02", question_id=qid, folder=tmp_path / name)
    out = fc.reveal(fc.questions(QUESTIONS), "2020-02-14")
    klass = fc.class_forecasts([tmp_path / "ada", tmp_path / "bo"])
    crowd = fc.crowd(klass)
    assert crowd.to_dict("records") == [{"question_id": "Q1", "probability": 0.8, "students": 2},
                                        {"question_id": "Q4", "probability": 0.4, "students": 2}]
    mine = fc.score(fc.read(tmp_path / "ada"), out)
    assert mine["brier"].round(4).tolist() == [0.01, 0.04]       # (0.9 - 1)^2, (0.2 - 0)^2
    import brink
    side = fc.beside_ledger(fc.read(tmp_path / "ada"), crowd, out, brink.claims(), brink.readings()).set_index("question_id")
    assert side.loc["Q1", "theirs"] == 0.97 and side.loc["Q1", "holder"] == "Crisis Group"
    assert side.loc["Q1", "brier_crowd"] == pytest.approx(0.04) and side.loc["Q1", "brier_theirs"] == pytest.approx(0.0009)
    assert pd.isna(side.loc["Q4", "theirs"])                     # 'will' has no ICD 203 band: no number to score
    assert pd.isna(side.loc["Q5", "brier_mine"])                 # unresolved


def test_an_edited_forecast_is_left_out_of_the_crowd(tmp_path):
    for name, p in (("ada", 0.9), ("bo", 0.5)):
        fc.save("q", p, "very likely" if p > 0.8 else "roughly even chance", as_of="2020-01-02",
                question_id="Q1", folder=tmp_path / name)
    _edit(tmp_path / "bo", lambda f: f[0].__setitem__("probability", 0.99))
    crowd = fc.crowd(fc.class_forecasts([tmp_path / "ada", tmp_path / "bo"]))
    assert crowd.to_dict("records") == [{"question_id": "Q1", "probability": 0.9, "students": 1}]


# ---------------------------------------------------------------- the command

@pytest.fixture
def _brink(capsys):
    """``brink …`` run in this process (the command's own entry point), its status and its output."""
    from brink.cli import main

    def run(*args):
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)
    return run


def test_the_reveal_command_and_its_bad_input(tmp_path, _brink):
    done = _brink("forecasts", "reveal", QUESTIONS, "--as-of", "2020-02-14", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "5 questions as of 2020-02-15T00:00:00Z: 4 resolved, 1 open" in done.stdout
    assert (tmp_path / fc.OUTCOMES).exists()
    bad = tmp_path / "q.csv"
    bad.write_text("question_id,question,claim_id\nQ1,Will it?,C06\nQ1,Again?,C23\n", encoding="utf-8")
    failed = _brink("forecasts", "reveal", bad, "--as-of", "2020-02-14", "--out", tmp_path / "x")
    assert failed.returncode == 1 and failed.stderr.strip() == \
        f"brink forecasts: {bad}:2:question_id: 'Q1' is given twice" and "Traceback" not in failed.stderr
    bad.write_text("question_id,question,claim_id\nQ1,Will it?,C01\n", encoding="utf-8")
    failed = _brink("forecasts", "reveal", bad, "--as-of", "2020-02-14", "--out", tmp_path / "x")
    assert failed.returncode == 1 and "C01" in failed.stderr and "not a prediction" in failed.stderr


def test_the_check_command_names_the_edit(tmp_path, _brink):
    folder, _ = _saved(tmp_path)
    assert _brink("forecasts", "check", folder).returncode == 0
    _edit(folder, lambda f: f[2].__setitem__("question", "Something else?"))
    done = _brink("forecasts", "check", folder)
    assert done.returncode == 1 and "F3: its question was changed after it was saved and locked" in done.stdout


def test_the_readme_forecasts_section_followed_literally(tmp_path, monkeypatch, _brink):
    """The README's code blocks of this section, in order, in a fresh folder (the questions file where the
    README's path names it): a forecast saved and locked, the reveal written, the check clean."""
    import re
    import shlex
    text = (kit_root() / "README.md").read_text(encoding="utf-8")
    section = text.split("## The crisis as it stood at a moment, and forecasts of your own", 1)[1].split("\n## ", 1)[0]
    python = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    shell = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "forecast_questions.csv").write_bytes(QUESTIONS.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRINK_ANSWERS", raising=False)
    exec(compile(python, "README.md", "exec"), {})
    assert fc.read(tmp_path / "brink-answers")[["question_id", "probability", "words"]].values.tolist() == \
        [["Q1", 0.85, "very likely"]]
    for line in shell.strip().splitlines():
        argv = shlex.split(line.split("#")[0])
        assert argv[0] == "brink"
        done = _brink(*argv[1:])
        assert done.returncode == 0, (line, done.stderr)
    assert list(fc.revealed(tmp_path / "CLASS")["outcome_value"].iloc[:4]) == [1, 1, 1, 0]
