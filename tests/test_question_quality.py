"""Auto-graded questions must need the texts or the tables: mechanical checks over the whole bank.

The rules, each stated so an author can apply it by eye:
1. Key word: the right answer is never the only option that shares a content word with the
   prompt (for a multiple-answer question: the options sharing one are never exactly the answers).
2. Hint: a hint never contains the answer's text (nor, for a number, the number).
3. Plausible length: the right answer is at most 1.5 times as long as the longest wrong option,
   or at most 25 characters longer (a much longer answer gives itself away).
4. Plausible distractor: every wrong option of a written-out question has its own feedback that
   says why it is wrong, and no option is a joke the feedback waves away ("is not the point").
"""
import re

import pytest

from brink.exercises.bank import load_bank

STOP = set("""which what when where who whom whose why how that this these those there their they them then than
with from into onto over under about after before between during through does did done have has had were was
been being would could should shall might must only also each every other another more most some such
same kit's kit text texts source sources sentence sentences read reads lesson table tables says said
question answer these your you yours them one two three four five the and for not are its but both all any""".split())
BANK = load_bank()["questions"]
CHOICE = [q for q in BANK if q["kind"] in ("single", "evidence", "multiple")]


def content_words(text: str) -> set:
    words = [re.sub(r"['’]s?$", "", w) for w in re.findall(r"[a-z0-9][a-z0-9'’\-]+", text.lower())]
    return {re.sub(r"(?:ing|ed|es|s)$", "", w) for w in words if len(w) >= 3 and w not in STOP}


def _answers(q):
    return q["answer"] if isinstance(q["answer"], list) else [q["answer"]]


@pytest.mark.parametrize("q", CHOICE, ids=[q["id"] for q in CHOICE])
def test_the_answer_is_not_the_only_option_sharing_the_prompts_words(q):
    prompt = content_words(q["prompt"])
    sharing = {o for o in q["options"] if content_words(o) & prompt}
    assert not sharing or sharing != set(_answers(q)), f"only the answer shares {prompt & content_words(_answers(q)[0])}"


@pytest.mark.parametrize("q", BANK, ids=[q["id"] for q in BANK])
def test_the_hint_does_not_hold_the_answer(q):
    hint = q["hint"].lower()
    if q["kind"] in ("single", "evidence", "multiple"):
        for a in _answers(q):
            assert a.lower() not in hint, a
    elif q["kind"] == "numeric":
        value = float(q["answer"])
        forms = {f"{value:g}", f"{value:.4f}", f"{value:.2f}"} if value != int(value) else {str(int(value))}
        assert not any(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d])", hint) for f in forms), forms
    elif q["kind"] == "ordering":
        assert not any(item.lower() in hint for item in q["answer"])


SINGLE = [q for q in CHOICE if q["kind"] in ("single", "evidence")]


@pytest.mark.parametrize("q", SINGLE, ids=[q["id"] for q in SINGLE])
def test_the_answer_is_not_given_away_by_its_length(q):
    longest_wrong = max(len(o) for o in q["options"] if o != q["answer"])
    assert len(q["answer"]) <= max(1.5 * longest_wrong, longest_wrong + 25), (len(q["answer"]), longest_wrong)


WRITTEN = [q for q in CHOICE if "generator" not in q]


@pytest.mark.parametrize("q", WRITTEN, ids=[q["id"] for q in WRITTEN])
def test_every_wrong_option_is_answered_seriously(q):
    fb = q.get("feedback", {})
    for o in q["options"]:
        if o in _answers(q):
            continue
        assert len(fb.get(o, "")) >= 20, f"no real feedback for {o!r}"
        assert "not the point" not in fb[o].lower()


def test_the_rules_catch_what_they_are_for():
    give_away = {"prompt": "Which word is the taunt?", "options": ["a taunt", "a threat", "a vow"], "answer": "a taunt"}
    sharing = {o for o in give_away["options"] if content_words(o) & content_words(give_away["prompt"])}
    assert sharing == {"a taunt"}
    assert content_words("the speaker's strikes") == {"speaker", "strik"} == content_words("Speaker striking")
