"""Exercise logic as pure functions: every question kind, right, partly right, wrong and unreadable."""
import tomllib

import pytest

from brink.exercises.bank import BankError, compile_key, compile_question, load_bank
from brink.exercises.checking import check, rubric
from brink.exercises.key import lock as seal
from brink.exercises.key import unlock as unseal
from kitpaths import KIT


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def key(bank):
    return compile_key(bank)


def entry(key, qid):
    return next(q for ex in key["exercises"].values() for q in ex["questions"] if q["id"] == qid)


def plain(bank, qid):
    return next(q for q in bank["questions"] if q["id"] == qid)


def test_bank_has_every_kind_and_eight_questions_per_exercise(bank):
    kinds = {q["kind"] for q in bank["questions"]}
    assert kinds == {"single", "multiple", "ordering", "matching", "numeric", "evidence", "written"}
    per = {}
    for q in bank["questions"]:
        per[q["exercise"]] = per.get(q["exercise"], 0) + 1
    lessons = tomllib.loads((KIT / "notebooks" / "lessons.toml").read_text(encoding="utf-8"))["lesson"]
    assert set(per) == {lesson["exercise"].removesuffix("-exercises") for lesson in lessons if "exercise" in lesson}
    assert min(per.values()) >= 8


def test_every_question_accepts_its_own_answer(bank, key):
    for q in bank["questions"]:
        e = entry(key, q["id"])
        r = check(e, "A considered answer." if q["kind"] == "written" else q["answer"])
        assert r.status == ("recorded" if q["kind"] == "written" else "correct"), q["id"]


def test_data_derived_answers_come_from_the_tables(bank):
    import brink
    assert plain(bank, "t03")["answer"] == 11.0                              # 00:36 → 00:47
    assert plain(bank, "s01")["answer"] == "The narrative reconstruction"     # "16 missiles"; no internal source id (issue 20)
    assert plain(bank, "t02")["answer"] == "2 January 2020"
    r = brink.event_reports()
    assert plain(bank, "s03")["answer"] == r[r.source_id == "001_f25bed13f48e0245"].event_id.nunique()


def test_single_choice_gives_per_option_feedback_and_hint(key):
    e = entry(key, "r02")
    right, wrong = check(e, "a taunt"), check(e, "a vow")
    assert right.status == "correct" and right.score == 1 and "reporter's framing" in right.message
    assert wrong.status == "incorrect" and wrong.score == 0 and "vowed" in wrong.message
    assert wrong.hint and "You can’t do anything" in wrong.hint
    assert right.hint is None
    assert wrong.message.startswith("✗ Not yet.") and right.message.startswith("✓ Correct.")


def test_multiple_choice_partial_credit(key, bank):
    e, q = entry(key, "r05"), plain(bank, "r05")
    partial = check(e, q["answer"][:2])
    assert partial.status == "partial" and partial.score == pytest.approx(2 / 3)
    with_wrong = check(e, q["answer"] + ["said Ali Alfoneh"])
    assert with_wrong.status == "partial" and with_wrong.score == pytest.approx(2 / 3)
    assert check(e, ["said Ali Alfoneh"]).status == "incorrect"


def test_ordering_counts_items_in_place(key, bank):
    e, q = entry(key, "t01"), plain(bank, "t01")
    swapped = list(q["answer"])
    swapped[0], swapped[1] = swapped[1], swapped[0]
    r = check(e, swapped)
    assert r.status == "partial" and "3 of 5" in r.message
    assert check(e, q["answer"][:-1]).status == "invalid"
    assert check(e, q["answer"][:-1] + [q["answer"][0]]).status == "invalid"


def test_matching_scores_each_pair(key, bank):
    e, q = entry(key, "r01"), plain(bank, "r01")
    pairs = dict(q["answer"])
    first = next(iter(pairs))
    pairs[first] = "Karim Sadjadpour"
    r = check(e, pairs)
    assert r.status == "partial" and r.score == pytest.approx(0.75)
    half = dict(list(q["answer"].items())[:2])
    assert "2 not matched yet" in check(e, half).message


def test_numeric_tolerance_and_formats(key):
    e = entry(key, "p03")              # 0.105625, tolerance 0.001, step 0.0001
    assert check(e, "0.1056").status == "correct"
    assert check(e, "0.106").status == "correct"
    assert check(e, "0.1070").status == "incorrect"
    assert check(e, " 0.105 ").status == "correct"
    assert check(e, "about a tenth").status == "invalid"
    t = entry(key, "t03")
    assert check(t, "11").status == "correct" and check(t, "11.0").status == "correct"
    assert check(t, "12").status == "incorrect" and check(t, 11).status == "correct"


def test_evidence_picking(key, bank):
    e, q = entry(key, "t06"), plain(bank, "t06")
    assert "12:47" in q["answer"]
    wrong = next(o for o in q["options"] if o != q["answer"])
    assert check(e, wrong).status == "incorrect"
    assert check(e, "a sentence not offered").status == "invalid"


def test_written_answer_is_recorded_and_reveals_model_and_rubric(key):
    e = entry(key, "t09")
    r = check(e, "<b>Both</b> are right")
    assert r.status == "recorded" and r.score == 0 and "local date" in r.reveal
    assert [c["points"] for c in rubric(e)] == [1, 1, 1] and len(r.rubric) == 3
    assert check(e, "   ").status == "invalid"


def test_empty_answer_is_not_an_attempt(key):
    for qid in ("t01", "t02", "t03", "r01", "r05", "t09"):
        assert check(entry(key, qid), None).status == "empty"


def test_sealed_text_needs_the_right_value():
    blob = seal("salt", "a taunt", "feedback")
    assert unseal("salt", "a taunt", blob) == "feedback"
    assert unseal("salt", "a vow", blob) is None


def test_compiled_key_holds_no_plain_answer(bank):
    q = plain(bank, "r02")
    e = compile_question(q, "practice", "s")
    text = repr(e)
    for fb in q["feedback"].values():
        assert fb not in text
    assert "answer" not in e


def test_broken_bank_names_question_and_field(tmp_path):
    bad = tmp_path / "questions.toml"
    bad.write_text('[exercise.x]\ntitle="x"\n[[question]]\nid="q1"\nexercise="x"\nkind="single"\n'
                   'prompt="p"\nhint="h"\noptions=["a","b"]\nanswer="c"\n', encoding="utf-8")
    with pytest.raises(BankError, match="questions.toml, question q1, field 'answer': is not one of the options"):
        load_bank(bad)
