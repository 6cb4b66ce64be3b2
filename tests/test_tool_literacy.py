"""Questions that test the kit's mechanics are labelled as tool literacy in the bank and in the class report."""
from __future__ import annotations

import pytest

from brink._paths import bank_path
from brink.exercises.bank import BankError, compile_question, load_bank, read_bank
from brink.exercises.gradebooks import Graded
from brink.exercises.report import item_analysis
from brink.exercises.report_page import _item_section
from brink.exercises.roster import Student

#: what a table stores or a command prints (the reader's M8: t04 and a01–a08)
NAMED = {"t04", *(f"a0{i}" for i in range(1, 9))}


def test_the_bank_labels_the_questions_on_the_kits_mechanics_and_not_those_on_the_texts():
    qs = {q["id"]: q for q in load_bank()["questions"]}
    tool = {qid for qid, q in qs.items() if q.get("tool_literacy")}
    assert tool == NAMED
    assert not tool & {"t01", "s04", "r05", "p09"}   # reading the texts, not the tool


def test_a_label_that_is_not_true_or_false_is_refused_naming_the_question_and_field(tmp_path):
    text = bank_path().read_text(encoding="utf-8")
    bad = tmp_path / "questions.toml"
    bad.write_text(text.replace("tool_literacy = true", 'tool_literacy = "yes"', 1), encoding="utf-8")
    with pytest.raises(BankError, match=r"questions\.toml, question t04, field 'tool_literacy': 'yes' is not true or false"):
        read_bank(bad)


def test_the_class_report_tells_the_instructor_which_items_are_tool_literacy():
    qs = {q["id"]: q for q in load_bank()["questions"]}
    chosen = [qs["t04"], qs["t01"]]
    rows = [Graded(f"f{i}", {"_paper": "", "attempts": {}}, Student(name=f"S{i}"), {}, {}) for i in range(3)]
    a = item_analysis(rows, [compile_question(q, salt="s") for q in chosen], qs)
    pages = {item.qid: _item_section(item) for item in a.items}
    assert 'data-col="tool-literacy"' in pages["t04"] and "not the reading of the texts" in pages["t04"]
    assert 'data-col="tool-literacy"' not in pages["t01"]
