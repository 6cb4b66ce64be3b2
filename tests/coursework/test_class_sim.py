"""A simulated class of 30 on per-student papers: position strategies at chance, shared answers at chance.

The class goes through the kit's real paths (``paperclass``): roster → ``brink papers`` →
``brink assign --papers`` (assessed and practice) → each student types their code into the
notebook's box and answers with the widgets → ``submit()`` → one folder per hub user, or a
Canvas zip → ``brink grade --from hub|canvas``. Scores are read from the plain gradebook's
per-question columns.

The margins, derived:

- **Position strategies.** On a question with one right option among n, a student who always
  picks the option in one position is right with chance 1/n when the order is drawn at random
  for them. Over the class, the count of right answers is a sum of independent trials with
  chances 1/n (one per student and question): a Poisson-binomial count, whose exact central
  99 % interval is computed by convolution (``paperclass.interval``). The count must fall inside
  it. The same count under the bank's own order (no shuffling) is shown to fall outside, so the
  test can fail.
- **Shared answers.** Student B hands in student A's answer files under B's own code. On each
  question whose variant differs between their papers, a random guess at B's variant has a mean
  score (every response the controls allow, scored by the checker). B's total over those
  questions must not pass the sum of those means by more than Hoeffding's 99 % bound,
  sqrt(ln(100) · Σ points² / 2) (scores are bounded by each question's points).

The codes come from a fixed instructor secret, so the draws (and this test) are reproducible.
"""
import json
from pathlib import Path

import pytest

from brink.exercises.bank import pool_of
from brink.exercises.kinds import KINDS
from brink.exercises.variants import variant_of
from paperclass import (
    BANK,
    CHOICE,
    EXERCISES,
    N,
    collect_canvas,
    collect_hub,
    do_homework,
    guess_mean,
    hoeffding,
    interval,
    shared_class,
    student,
)

KIT = Path(__file__).resolve().parents[2]
QUESTIONS = {q["id"]: q for q in BANK["questions"]}
CHOICE_IDS = [q["id"] for q in BANK["questions"] if q["kind"] in CHOICE]
AUTO_IDS = [q["id"] for q in BANK["questions"] if q["kind"] != "written"]


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    return shared_class(tmp_path_factory)


def position(where):
    """A strategy: on a one-right-option question, the option shown at ``where`` (others left unanswered)."""
    def choose(entry):
        if entry["kind"] not in CHOICE:
            return None
        opts = entry["options"]
        return opts[0] if where == "first" else opts[(len(opts) - 1) // 2]
    return choose


def hand_in(klass, mode, homes: Path, choose_for) -> dict:
    """Every student does their homework in their own home; returns {login: {question: options shown}}."""
    release = klass.release(mode)
    shown = {}
    for i in range(N):
        login = student(i)["login"]
        entries = do_homework(release, homes / login, i, klass.codes[login], choose_for(i))
        shown[login] = {qid: e["options"] for qid, e in entries.items() if e["kind"] in CHOICE}
    return shown


def bank_order_count(klass, where) -> int:
    """How many of the class's answers the strategy gets right when the options stand in the bank's order."""
    n = 0
    for i in range(N):
        code = klass.codes[student(i)["login"]]
        for qid in CHOICE_IDS:
            v = variant_of(QUESTIONS[qid], code)
            opts = v["options"]
            n += (opts[0] if where == "first" else opts[(len(opts) - 1) // 2]) == v["answer"]
    return n


def without_times(x):
    if isinstance(x, dict):
        return {k: without_times(v) for k, v in x.items() if k != "at"}
    if isinstance(x, list):
        return [without_times(v) for v in x]
    return x


@pytest.mark.parametrize("mode", ["assessed", "practice"])
def test_the_notebooks_widgets_show_and_save_what_the_simulation_does(klass, tmp_path, mode):
    """The class below answers without drawing widgets; for three students, the widgets give the same papers."""
    release = klass.release(mode)
    for i in (0, 1, 17):
        login = student(i)["login"]
        choose = right_on_own_paper(klass, i) if i % 2 else position("first")
        by_widget = do_homework(release, tmp_path / "w" / login, i, klass.codes[login], choose, widgets=True)
        headless = do_homework(release, tmp_path / "h" / login, i, klass.codes[login], choose)
        assert by_widget == headless and len(headless) == len(QUESTIONS)
        for ex in EXERCISES:
            a, b = (json.loads((tmp_path / side / login / "brink-answers" / f"{ex}.json").read_text(encoding="utf-8"))
                    for side in ("w", "h"))
            assert without_times(a) == without_times(b), (login, ex)
        assert ((tmp_path / "w" / login / "brink-answers" / "paper-code.txt").read_text(encoding="utf-8")
                == klass.codes[login] + "\n")


@pytest.mark.parametrize("mode, where, collected", [("assessed", "first", "hub"), ("assessed", "middle", "canvas"),
                                                    ("practice", "middle", "hub")])
def test_always_the_same_position_scores_at_chance(klass, tmp_path, mode, where, collected):
    homes = tmp_path / "home"
    shown = hand_in(klass, mode, homes, lambda i: position(where))
    inputs = ([collect_hub(homes, tmp_path / "submissions")] if collected == "hub"
              else [collect_canvas(homes, tmp_path / "submissions.zip")])
    scores, printed = klass.grade(inputs, collected, f"book-{mode}-{where}.csv", mode=mode)
    assert "Graded 30 submission(s)" in printed and "not the code issued" not in printed
    ps, right = [], 0
    for login, seen in shown.items():
        assert sorted(seen) == sorted(CHOICE_IDS)               # every student saw every choice question
        for qid, opts in seen.items():
            ps.append(1 / len(opts))
            got = scores[login][qid]
            assert got is not None, (login, qid)                # every answer was collected and scored
            right += got > 0
    lo, hi = interval(ps)
    assert lo <= right <= hi, f"{where} option: {right} right of {len(ps)}; chance gives {lo}–{hi} (99 %)"
    # the bound has power: the same strategy against the bank's own order falls outside it
    # (first: far above it, the bank puts the answer first in most questions; middle: below it)
    unshuffled = bank_order_count(klass, where)
    assert not lo <= unshuffled <= hi, (unshuffled, lo, hi)
    # the orders are drawn per student: not one order for the whole class
    for qid in CHOICE_IDS:
        assert len({tuple(s[qid]) for s in shown.values()}) > 1, qid


def right_on_own_paper(klass, i):
    """Student i answers every auto-scored question right, on the variant of their own paper (from the bank)."""
    code = klass.codes[student(i)["login"]]

    def choose(entry):
        if entry["kind"] == "written":
            return f"An essay by student {i}."
        return KINDS[entry["kind"]].solution(variant_of(QUESTIONS[entry["id"]], code))
    return choose


def test_two_students_who_share_all_answers_score_at_chance_where_their_variants_differ(klass, tmp_path):
    from brink.exercises.submission import submit
    from paperclass import do_homework as homework
    from paperclass import submission
    release = klass.release("assessed")
    homes = tmp_path / "home"
    for a in range(0, N, 2):                                     # A answers right; B (a + 1) copies A's answer files
        b = a + 1
        la, lb = student(a)["login"], student(b)["login"]
        homework(release, homes / la, a, klass.codes[la], right_on_own_paper(klass, a))
        homework(release, homes / lb, b, klass.codes[lb], lambda entry: None, hand_in=False)   # B's own code
        for ex in EXERCISES:
            src = homes / la / "brink-answers" / f"{ex}.json"
            (homes / lb / "brink-answers" / f"{ex}.json").write_bytes(src.read_bytes())
        sub = submit(student(b)["name"], answers_folder=homes / lb / "brink-answers", login=lb,
                     out=homes / lb / f"submission-{lb}.json")
        assert submission(sub)["paper"] == klass.codes[lb]
    scores, printed = klass.grade([collect_hub(homes, tmp_path / "submissions")], "hub", "book-shared.csv")
    differ, same, got, means, points = [], [], 0.0, 0.0, []
    for a in range(0, N, 2):
        la, lb = student(a)["login"], student(a + 1)["login"]
        assert all(scores[la][q] == QUESTIONS[q]["points"] for q in AUTO_IDS), la      # A's own paper: all right
        for qid in AUTO_IDS:
            va = variant_of(QUESTIONS[qid], klass.codes[la])
            vb = variant_of(QUESTIONS[qid], klass.codes[lb])
            if va is vb:
                same.append(qid)
                continue
            differ.append((lb, qid))
            got += scores[lb][qid] or 0.0
            means += guess_mean(qid, klass.codes[lb])
            points.append(float(QUESTIONS[qid]["points"]))
    assert len(differ) >= 40, differ                             # enough differing questions to measure
    bound = means + hoeffding(points)
    assert got <= bound, (f"B scored {got:g} on {len(differ)} questions whose variant differs from A's; "
                          f"random guessing: mean {means:.1f}, 99 % bound {bound:.1f}")


def source_bytes(source_id: str) -> bytes:
    paths = list((KIT / "data" / "sources").glob(f"{source_id}.*"))
    assert len(paths) == 1, (source_id, paths)
    return paths[0].read_bytes()


# icd_matching's bands come from the ICD 203 directive (cited in the bank), not from a text of the kit
NO_TEXT = {"icd_matching"}


def test_every_variants_key_resolves_to_verbatim_evidence_in_its_source_text():
    checked = 0
    for q in BANK["questions"]:
        if not q.get("generator"):
            continue
        for n, v in enumerate(pool_of(q), start=1):
            where = f"{q['id']} variant {n}"
            assert isinstance(v.get("evidence"), list), where
            if q["generator"] in NO_TEXT:
                assert v["evidence"] == [], where
                continue
            assert v["evidence"], f"{where}: its key rests on no span of any text"
            for source_id, span in v["evidence"]:
                assert isinstance(span, str) and span.strip(), where
                assert span.encode("utf-8") in source_bytes(source_id), f"{where}: {span[:60]!r} is not in {source_id}"
                checked += 1
            if q["kind"] == "evidence":                          # the right sentence is itself the evidence
                assert v["answer"] in [s for _, s in v["evidence"]], where
    assert checked > 100
