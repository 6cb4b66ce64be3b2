"""One class per question kind: each validates, compiles, checks, builds and describes; numbers as typed."""
import json

import pytest

from brink.exercises.bank import BankError, compile_question, grading_key, load_bank
from brink.exercises.checking import check
from brink.exercises.kinds import KINDS
from brink.exercises.numbers import parse_number
from brink.exercises.store import AnswerStore
from brink.exercises.widgets import QuestionView

BANK = load_bank()
KEY = grading_key()
ENTRIES = {q["id"]: q for ex in KEY["exercises"].values() for q in ex["questions"]}


def first_of(kind):
    return next(q for q in BANK["questions"] if q["kind"] == kind)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_round_trips_through_its_widget(kind, tmp_path):
    q = first_of(kind)
    entry = ENTRIES[q["id"]]
    view = QuestionView(entry, AnswerStore("kinds", tmp_path), 1)
    right = KINDS[kind].solution(q)
    view.set_response(right)
    # restore, then read: the same response (ticked boxes come back in the order they are shown)
    same = (lambda a: sorted(a) == sorted(right)) if kind == "multiple" else (lambda a: a == right)
    assert same(view.read_response())
    r = view.submit(view.read_response())
    assert r.status == ("recorded" if kind == "written" else "correct")
    assert same(AnswerStore("kinds", tmp_path).latest()[q["id"]])
    assert KINDS[kind].describe(q).startswith(("Answer:", "Model answer:"))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kinds_wrong_example_scores_nothing(kind):
    for q in (q for q in BANK["questions"] if q["kind"] == kind):
        r = check(ENTRIES[q["id"]], KINDS[kind].wrong(q))
        assert r.score == 0 and r.status in ("incorrect", "recorded"), (q["id"], r)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_refuses_a_broken_entry_naming_the_field(kind, tmp_path):
    q = dict(first_of(kind))
    q.pop("generator", None)
    field = next(iter(KINDS[kind].fields))
    q[field] = [1, 2]                                              # the wrong type for every declared field
    with pytest.raises(BankError, match=f"question {q['id']}, field '{field}'"):
        def fail(f, problem):
            raise BankError(f"questions.toml, question {q['id']}, field '{f}': {problem}")
        KINDS[kind].validate(q, fail)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_in_assessed_mode_holds_only_what_is_shown(kind):
    q = first_of(kind)
    e = compile_question(q, "assessed")
    shown = {"id", "exercise", "kind", "prompt", "points", "mode", *KINDS[kind].shown(q)}
    assert set(e) <= shown | {"variants"}
    for v in e.get("variants", []):                # each variant of the pool: what is shown, nothing more
        assert set(v) <= shown
    text = json.dumps(e, ensure_ascii=False)
    for secret in (q.get("hint"), q.get("model_answer"), q.get("correct_feedback"), q.get("wrong_feedback"),
                   *q.get("feedback", {}).values()):
        assert not secret or secret not in text
    r = check(e, KINDS[kind].solution(q))
    assert r.status == "saved" and r.score == 0 and "Correct" not in r.message


def test_new_bank_field_types_are_checked(tmp_path):
    bad = tmp_path / "questions.toml"
    bad.write_text('[exercise.x]\ntitle="x"\n[[question]]\nid="q1"\nexercise="x"\nkind="numeric"\n'
                   'prompt="p"\nhint="h"\nanswer=3\nstep=0\n', encoding="utf-8")
    with pytest.raises(BankError, match="question q1, field 'step': must be more than 0"):
        load_bank(bad)
    bad.write_text('[exercise.x]\ntitle="x"\nmode="exam"\n', encoding="utf-8")
    with pytest.raises(BankError, match="exercise x, field 'mode'"):
        load_bank(bad)


@pytest.mark.parametrize("typed, value", [("0,9409", 0.9409), ("0.9409", 0.9409), ("−3", -3.0), ("1,234.5", 1234.5),
                                          ("1.234,5", 1234.5), (" 11 ", 11.0), ("3.", 3.0), (",5", 0.5), ("1e3", 1000.0)])
def test_numbers_as_students_type_them(typed, value):
    assert parse_number(typed) == (pytest.approx(value), "")


@pytest.mark.parametrize("typed, says", [("11%", "percent sign"), ("11 minutes", "without a unit"), ("£3", "without a unit"),
                                         ("1,000", "read two ways"), ("1 000", "without spaces"), ("", "Type a number"),
                                         ("NaN", "not a number"), ("1e309", "too large"), ("1e308", "too large"), ("1.2.3", "one decimal")])
def test_numbers_that_are_not_read_say_why(typed, says):
    value, why = parse_number(typed, "minutes")
    assert value is None and says in why


def test_tolerance_zero_means_exactly():
    t = ENTRIES["t03"]                              # 11 minutes, tolerance 0, step 1
    assert check(t, "11").status == "correct" and check(t, "11,0").status == "correct"
    for near in ("10.6", "11.4", "10.5", "11.49"):
        assert check(t, near).status == "incorrect", near
    pct = check(t, "11%")
    assert pct.status == "invalid" and "percent" in pct.message


def test_decimal_comma_is_right_where_the_point_is():
    brier = next(q for q in BANK["questions"] if q.get("generator") == "brier_of")
    e = ENTRIES[brier["id"]]
    as_point = f"{float(brier['answer']):.4f}"
    assert check(e, as_point).status == "correct"
    assert check(e, as_point.replace(".", ",")).status == "correct"
