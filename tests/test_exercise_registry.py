"""The bank's mechanics: generators register by decorator, the exercise table's keys are declared,
options are shown in a drawn order, and option texts are whole phrases for students."""
import json
import re

import pytest

from brink.exercises import bank as bank_module
from brink.exercises.bank import BankError, Mode, compile_key, load_bank, pool_of
from brink.exercises.generators import GENERATORS, generator
from brink.exercises.result import Status, result
from brink.exercises.store import AnswerStore, StoreError
from brink.exercises.variants import arrange
from brink.exercises.widgets import QuestionView

BANK = load_bank()
CHOICE = [q for q in BANK["questions"] if q["kind"] in ("single", "evidence")]


def test_generators_register_with_the_decorator_not_by_name():
    used = {q["generator"] for q in BANK["questions"] if "generator" in q}
    assert used <= set(GENERATORS) and len(GENERATORS) >= 19
    assert not [n for n in vars(bank_module) if n.startswith("g_")]       # none left in bank.py
    with pytest.raises(ValueError, match="registered twice"):
        generator("event_order")(lambda q: {})


@pytest.mark.parametrize("table, says", [
    ('title = "X"\ntitel = "Y"', "key 'titel': not a key of an exercise table"),
    ('title = "X"\nminutes = "thirty"', "field 'minutes': 'thirty' is not a whole number"),
    ('title = "X"\nmode = "exam"', "field 'mode': 'exam' is not one of"),
    ('title = ""', "field 'title': '' is not text"),
])
def test_a_typo_in_an_exercise_table_is_an_error(tmp_path, table, says):
    bad = tmp_path / "questions.toml"
    bad.write_text(f"[exercise.x]\n{table}\n", encoding="utf-8")
    with pytest.raises(BankError, match=re.escape(says)):
        load_bank(bad)


def test_closed_sets_are_enums():
    assert [m.value for m in Mode] == ["practice", "assessed"]
    assert Status("saved") == "saved"
    with pytest.raises(ValueError):
        result("maybe", 0, {}, "")


def _all_option_texts():
    fields = ("options", "items", "left", "right", "answer")
    for q in BANK["questions"]:
        for v in pool_of(q):
            for f in fields:
                value = v.get(f)
                texts = value if isinstance(value, list) else list(value) + list(value.values()) \
                    if isinstance(value, dict) else [value]
                yield from ((v["id"], t) for t in texts if isinstance(t, str))


def test_option_texts_are_whole_phrases_without_internal_ids():
    seen = list(_all_option_texts())
    assert len(seen) > 100
    for qid, text in seen:
        assert not text.endswith("…"), (qid, text)                        # never cut mid-word
        assert not re.search(r"\b00\d\b", text), (qid, text)               # no internal source id
        assert "instructor notes" not in text and "primer" not in text, (qid, text)


def test_a_compiled_key_carries_no_cut_or_id_text():
    key = json.dumps(compile_key(BANK, mode="practice"), ensure_ascii=False)
    assert "…\"" not in key and not re.search(r"\"00\d [a-z]", key)


def test_no_position_strategy_wins_across_releases():
    # each release draws its own order: always the first option, or always the middle one, scores at chance
    first = middle = chance = 0.0
    releases = 60
    for _ in range(releases):
        key = compile_key(BANK, mode="assessed")
        for ex in key["exercises"].values():
            for e in ex["questions"]:
                if e["kind"] not in ("single", "evidence"):
                    continue
                plain = next(q for q in CHOICE if q["id"] == e["id"])
                shown = arrange(e, "", key["order_salt"])["options"]
                first += shown[0] == plain["answer"]
                middle += shown[len(shown) // 2] == plain["answer"]
                chance += 1 / len(shown)
    n = releases * len(CHOICE)
    # the bank's own order puts the answer first in most single-choice questions: the draw must not
    assert sum(q["options"][0] == q["answer"] for q in CHOICE) / len(CHOICE) > 0.5
    for score in (first, middle):
        assert abs(score - chance) / n < 0.06, (score / n, chance / n)


def _assessed_view(tmp_path):
    key = compile_key(BANK, mode="assessed")
    entry = next(e for e in key["exercises"]["02-rhetoric"]["questions"] if e["id"] == "r02")
    return QuestionView(arrange(entry, "", key["order_salt"]), AnswerStore("02-rhetoric", tmp_path), 1)


def test_assessed_save_says_saved_once(tmp_path):
    view = _assessed_view(tmp_path)
    view.submit("a taunt")
    assert view.feedback.value.count("Saved") == 1, view.feedback.value


def test_a_failed_save_never_says_saved(tmp_path, monkeypatch):
    view = _assessed_view(tmp_path)

    def refuse(*a, **k):
        raise StoreError("the disk is full")
    monkeypatch.setattr(view.store, "save", refuse)
    view.submit("a taunt")
    assert "could not be saved" in view.feedback.value
    assert "Saved" not in view.feedback.value.replace("could not be saved", ""), view.feedback.value


def test_an_answer_too_long_to_grade_is_kept_and_the_student_told(tmp_path):
    key = compile_key(BANK, mode="practice")
    entry = next(e for e in key["exercises"]["02-rhetoric"]["questions"] if e["kind"] == "written")
    view = QuestionView(entry, AnswerStore("02-rhetoric", tmp_path), 1)
    essay = "word " * 5000
    view.submit(essay)
    assert AnswerStore("02-rhetoric", tmp_path).latest()[entry["id"]] == essay    # never lost
    assert "25,000 characters long" in view.feedback.value and "Shorten it" in view.feedback.value
