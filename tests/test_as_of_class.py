"""brink.as_of and the forecasts on a class's own data folder with a fourth source, made by following
docs/annotators-guide.md literally (``guide.follow``): the practice text 003, published 20 January."""
from __future__ import annotations

import random

import pandas as pd
import pytest

import brink
from brink.analysis import forecasts as fc
from brink.analysis.as_of import cutoff_moment
from brink.dataset import loaders
from guide import follow

TABLES = ("sources", "source_fields", "events", "event_reports", "quotes", "claims", "claim_links",
          "discrepancies", "readings", "people", "organisations", "guiding_questions", "map_places")


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory):
    work = tmp_path_factory.mktemp("class")
    follow(work)
    return work / "mydata"


@pytest.fixture
def on_class(class_folder, monkeypatch):
    monkeypatch.setenv("BRINK_DATA", str(class_folder))
    return class_folder


def test_the_fourth_source_appears_once_published(on_class):
    full = loaders.sources().set_index("source_id")["published"]
    new = next(s for s in full.index if s.startswith("003"))
    assert f"{full[new]:%Y-%m-%d}" == "2020-01-20"              # the guide's --published
    assert new not in set(brink.as_of("2020-01-20 23:59").sources()["source_id"])
    with brink.as_of("2020-01-21 00:00 UTC"):
        assert new in set(brink.sources()["source_id"])
        assert {"C190", "C191"} <= set(brink.claims()["claim_id"]) and "Q90" in set(brink.quotes()["quote_id"])
    before = brink.as_of("2020-01-20")          # the end of 20 January: 003 is out at 24:00 UTC
    assert new in set(before.sources()["source_id"])
    early = brink.as_of("2020-01-19")
    assert not {"C190", "C191"} & set(early.claims()["claim_id"]) and "Q90" not in set(early.quotes()["quote_id"])
    assert "EV90" in set(early.events()["event_id"])          # the practice event (8 January) had happened
    assert not (early.event_reports()["source_id"] == new).any()


def test_no_table_of_the_class_folder_shows_what_came_after(on_class):
    """The property of tests/test_as_of.py over the class folder's own dates, at seeded random cut-offs."""
    published = {s: d.normalize().tz_localize("UTC") + pd.Timedelta(days=1)
                 for s, d in loaders.sources().set_index("source_id")["published"].items()}
    ev = loaders.events().set_index("event_id")
    happened = {e: (r["time_utc"] if not pd.isna(r["time_utc"])
                    else pd.Timestamp(r["date_end"]).tz_localize("UTC") + pd.Timedelta(days=1)) for e, r in ev.iterrows()}
    rng = random.Random(2020)
    start, stop = pd.Timestamp("2019-12-01", tz="UTC"), pd.Timestamp("2020-03-01", tz="UTC")
    cuts = [start + (stop - start) * rng.random() for _ in range(12)] + [cutoff_moment("2020-01-20"),
                                                                          cutoff_moment("2020-01-20 23:59")]
    for cut in cuts:
        v = brink.as_of(cut)
        for name in TABLES:
            frame = getattr(v, name)()
            if "source_id" in frame.columns:
                late = [s for s in frame["source_id"].dropna() if published[s] > cut]
                assert not late, (name, cut, late)
            if "event_id" in frame.columns:
                late = [e for e in frame["event_id"].dropna() if happened[e] > cut]
                assert not late, (name, cut, late)
        for s in published:
            if published[s] > cut:
                with pytest.raises(KeyError):
                    v.read(s)
    everything = brink.as_of("2030-01-01")
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(everything, name)(), getattr(loaders, name)(), obj=name)


def test_forecasts_on_the_class_folder(on_class, tmp_path):
    """The class asks of its own source's prediction too: a question tied to C191, in its own questions file."""
    questions_file = on_class / "forecast_questions.csv"
    text = questions_file.read_text(encoding="utf-8")
    questions_file.write_text(text + "Q9,Will talks follow the crisis?,C191\n", encoding="utf-8")
    questions = fc.questions(questions_file)
    for name, p in (("ada", 0.7), ("bo", 0.3)):
        fc.save("Will talks follow the crisis?", p, "likely" if p > 0.5 else "unlikely", as_of="2020-01-20",
                question_id="Q9", folder=tmp_path / name)
        fc.save("Will Iran answer with force?", p, "likely" if p > 0.5 else "unlikely", as_of="2020-01-02",
                question_id="Q1", folder=tmp_path / name)
    before = fc.reveal(questions, "2020-01-19").set_index("question_id")
    assert before.loc["Q9", "outcome"].startswith("unresolved: the prediction was not yet published")
    out = fc.reveal(questions, "2020-02-13", tmp_path / "class")
    got = fc.revealed(tmp_path / "class").set_index("question_id")
    assert int(got.loc["Q1", "outcome_value"]) == 1 and pd.isna(got.loc["Q9", "outcome_value"])
    assert got.loc["Q9", "outcome"] == "unresolved: a practice claim"
    crowd = fc.crowd(fc.class_forecasts([tmp_path / "ada", tmp_path / "bo"]))
    assert crowd.set_index("question_id")["probability"].to_dict() == {"Q1": 0.5, "Q9": 0.5}
    side = fc.beside_ledger(fc.read(tmp_path / "ada"), crowd, out, brink.claims(), brink.readings()).set_index("question_id")
    assert side.loc["Q9", "holder"] == "003's author" and side.loc["Q9", "theirs"] == 0.675
    assert pd.isna(side.loc["Q9", "brier_mine"]) and side.loc["Q1", "brier_mine"] == pytest.approx(0.09)
    assert fc.check_locks(tmp_path / "ada") == []


def test_the_reveal_command_on_the_class_folder(class_folder, tmp_path, monkeypatch):
    """``brink forecasts reveal --data`` reads the class's folder (its claims and its questions)."""
    from brink.cli import main
    monkeypatch.delenv("BRINK_DATA", raising=False)
    q = tmp_path / "q.csv"
    q.write_text("question_id,question,claim_id\nQ9,Will talks follow the crisis?,C191\n", encoding="utf-8")
    assert main(["forecasts", "reveal", str(q), "--as-of", "2020-02-13", "--out", str(tmp_path / "c"),
                 "--data", str(class_folder)]) == 0
    assert fc.revealed(tmp_path / "c")["outcome"].tolist() == ["unresolved: a practice claim"]
    monkeypatch.delenv("BRINK_DATA", raising=False)
    assert main(["forecasts", "reveal", str(q), "--as-of", "2020-02-13", "--out", str(tmp_path / "k")]) == 1
