"""The class report: what the instructor sees of a graded class, per question and per variant.

``item_analysis`` turns the graded rows (``grading.grade`` builds them) into figures, and
``class_report`` writes them as one self-contained HTML page (``report_page``): static SVG
charts and tables, no script, no request leaving the page. The rules, kept here once (the
page and the instructor guide say the same):

- **Who is analysed**: every student whose submission was graded against the paper issued to
  them. A student with no submission, or whose paper code was not theirs (their auto-scored
  answers earned nothing), is left out of every figure, and the page says how many.
- **Which questions**: the auto-scored ones. Written answers wait for the instructor's rubric
  scores; the page lists them and analyses none.
- **Correct** means full points for that question, re-checked against the key (the student's
  own "correct" flag is never read). A question a student was given but did not answer counts
  as not correct; the page also says how many answered.
- **Share correct** is correct / given, per question and per variant (a student is given the
  variant their paper code draws; without codes every student has variant 1).
- **Discrimination** is the share correct in the upper group minus the share correct in the
  lower group: the 27 % of analysed students with the highest and with the lowest total of
  auto-scored points (27 % of N, rounded half up; at equal totals the student whose name sorts
  first stands higher). Per variant, each group's share is taken over its members given that variant.
- **Wrong options**: how often each wrong option was chosen (every wrong option of a choice
  question, also those chosen by no one; a wrong match as "left → right"); for an ordering or
  a number, each wrong response as given.
- **Attempts until the first right answer** are read from the attempt log, each attempt
  re-checked; the log is self-reported (written by the student's kit).
- **Spread across variants**: the largest minus the smallest share correct of a question's variants.
- **Spans picked wrongly**: for every evidence question (its options are sentences of the
  texts), each wrong option chosen is found in the source texts, verbatim, and marked on the text.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from .normal import norm
from .result import text_of

UPPER_LOWER = 0.27          # the share of the class in each of the upper and lower groups (Kelley)
ATTEMPT_BINS = ("1", "2", "3", "4+")
CHOICE_KINDS = ("single", "evidence", "multiple")


@dataclass
class Cell:
    """The figures of one question, or of one variant of it."""
    given: int = 0
    answered: int = 0
    correct: int = 0
    upper_given: int = 0
    upper_correct: int = 0
    lower_given: int = 0
    lower_correct: int = 0
    first_right: Counter = field(default_factory=Counter)   # "1", "2", "3", "4+", "never", "no log"
    wrong: Counter = field(default_factory=Counter)         # wrong option (or response) -> times chosen
    options: list = field(default_factory=list)             # the wrong options offered (choice kinds)

    @property
    def share(self) -> float | None:
        return self.correct / self.given if self.given else None

    @property
    def discrimination(self) -> float | None:
        if not self.upper_given or not self.lower_given:
            return None
        return self.upper_correct / self.upper_given - self.lower_correct / self.lower_given


@dataclass
class Item:
    """One question of the report: its figures pooled over variants, and per variant."""
    qid: str
    exercise: str
    kind: str
    prompt: str
    n_variants: int
    pooled: Cell = field(default_factory=Cell)
    variants: dict = field(default_factory=dict)            # variant index (0-based) -> Cell
    prompts: dict = field(default_factory=dict)             # variant index -> its prompt
    tool_literacy: bool = False                             # tests the kit's mechanics, not the texts

    @property
    def spread(self) -> float | None:
        shares = [c.share for c in self.variants.values() if c.share is not None]
        return max(shares) - min(shares) if len(shares) > 1 else None


@dataclass
class Analysis:
    """The whole class's figures (what ``class_report`` shows)."""
    items: list
    analysed: int
    group_size: int
    written: list                 # written questions (not analysed)
    left_out: list                # (student name, why) of graded rows left out of the figures
    attempt: str = "last"


def group_size(n: int) -> int:
    """How many students each of the upper and lower groups holds: 27 % of ``n``, rounded half up.

    >>> group_size(30), group_size(1000), group_size(50), group_size(1)
    (8, 270, 14, 0)
    """
    return math.floor(UPPER_LOWER * n + 0.5)


def _wrong_choices(kind: str, bq: dict, response) -> list[str]:
    """The wrong parts of one response: wrong options chosen, wrong matches, or the response itself."""
    if kind in ("single", "evidence"):
        r = text_of(response)
        return [r] if r is not None and r != bq["answer"] else []
    if kind == "multiple":
        return [o for o in response if o not in bq["answer"]] if isinstance(response, list) else []
    if kind == "matching":
        if not isinstance(response, dict):
            return []
        return [f"{left} → {right}" for left, right in response.items() if bq["answer"].get(left) != right]
    if kind == "ordering":
        return [" → ".join(map(str, response))] if isinstance(response, list) else []
    r = text_of(response)
    return [r.strip()] if r is not None else []


def _offered_wrong(kind: str, bq: dict) -> list[str]:
    if kind in ("single", "evidence"):
        return [o for o in bq["options"] if o != bq["answer"]]
    if kind == "multiple":
        return [o for o in bq["options"] if o not in bq["answer"]]
    return []


def _first_right(scorer, q: dict, paper: str, log: list | None, points: float) -> str:
    """Which attempt at ``q`` was the first right one ("1" … "4+"), "never", or "no log"."""
    if not log:
        return "no log"
    n = 0
    for a in log:
        if not isinstance(a, dict) or a.get("question") != q["id"]:
            continue
        n += 1
        if scorer.score(q, paper, a.get("response"))[1] >= points - 1e-9:
            return str(n) if n < 4 else "4+"
    return "never" if n else "no log"


def item_analysis(rows: list, questions: list, plain: dict, attempt: str = "last", scorer=None) -> Analysis:
    """The class's figures per question and per variant (the rules are in this module's docstring).

    Args:
        rows: ``gradebooks.Graded`` rows after scoring (a roster student with no file has no label).
        questions: the key entries graded (``run.key``'s questions of the exercises chosen).
        plain: the bank's resolved questions by id (with their ``pool`` of variants).
        attempt: the attempt counted (``last`` or ``first``), said on the page.
        scorer: the run's ``grading.Scorer`` (its checks are reused), or None for a new one.

    Returns:
        An ``Analysis``; the inputs are not changed.

    >>> from brink.exercises.bank import compile_question
    >>> from brink.exercises.gradebooks import Graded
    >>> from brink.exercises.roster import Student
    >>> q = {"id": "q1", "exercise": "x", "kind": "single", "prompt": "Which?", "hint": "-",
    ...      "options": ["a", "b", "c"], "answer": "a", "points": 1.0}
    >>> rows = [Graded(f"f{i}", {"_paper": "", "attempts": {}}, Student(name=f"S{i}"), {"q1": float(r == "a")},
    ...                {"q1": r}) for i, r in enumerate(["a", "a", "b", "b", "a"])]
    >>> a = item_analysis(rows, [compile_question(q, salt="s")], {"q1": q})
    >>> c = a.items[0].pooled
    >>> (c.given, c.correct, dict(c.wrong), a.group_size, c.discrimination)
    (5, 3, {'b': 2}, 1, 1.0)
    """
    from .grading import Scorer
    scorer = scorer or Scorer()
    auto = [q for q in questions if q["kind"] != "written"]
    left_out, students = [], []
    for g in rows:
        if not g.label:
            left_out.append((g.student.name, "no submission"))
        elif g.sub.get("_paper") is None:
            left_out.append((g.student.name, "its paper code is not the one issued to this student"))
        else:
            students.append(g)
    total = {id(g): sum(g.scores.get(q["id"]) or 0.0 for q in auto) for g in students}
    ranked = sorted(students, key=lambda g: (-total[id(g)], norm(g.student.name), g.student.key))
    k = group_size(len(ranked))
    upper = {id(g) for g in ranked[:k]}
    lower = {id(g) for g in ranked[len(ranked) - k:]} if k else set()
    items = []
    for q in auto:
        bq_all = plain[q["id"]]
        pool = bq_all.get("pool") or [bq_all]
        item = Item(q["id"], q["exercise"], q["kind"], q["prompt"], len(pool),
                    tool_literacy=bool(plain.get(q["id"], {}).get("tool_literacy", False)))
        for v, bq in enumerate(pool):
            item.variants[v] = Cell(options=_offered_wrong(q["kind"], bq))
            item.prompts[v] = bq["prompt"]
        item.pooled.options = list(dict.fromkeys(o for c in item.variants.values() for o in c.options))
        points = float(q["points"])
        for g in students:
            paper = g.sub.get("_paper", "")
            v = scorer.variant(q, paper)[0]
            bq = pool[v]
            response = g.answers.get(q["id"])
            score = g.scores.get(q["id"])
            right = score is not None and score >= points - 1e-9
            for cell in (item.pooled, item.variants[v]):
                cell.given += 1
                cell.answered += response is not None
                cell.correct += right
                if id(g) in upper:
                    cell.upper_given += 1
                    cell.upper_correct += right
                if id(g) in lower:
                    cell.lower_given += 1
                    cell.lower_correct += right
            if response is None:
                continue
            first = _first_right(scorer, q, paper, g.sub.get("attempts", {}).get(q["exercise"]), points)
            wrong = [] if right else _wrong_choices(q["kind"], bq, response)
            for cell in (item.pooled, item.variants[v]):
                cell.first_right[first] += 1
                cell.wrong.update(wrong)
        items.append(item)
    written = [q["id"] for q in questions if q["kind"] == "written"]
    return Analysis(items, len(students), k, written, left_out, attempt)


# --- spans chosen wrongly, found in the texts ------------------------------------------------
@dataclass
class WrongSpan:
    """One sentence of a text chosen wrongly: where it stands, and by how many, for which questions."""
    source_id: str
    start: int
    end: int
    text: str
    picks: Counter = field(default_factory=Counter)   # "t06 (variant 2)" -> times chosen wrongly

    @property
    def total(self) -> int:
        return sum(self.picks.values())


def wrong_spans(analysis: Analysis, texts: dict) -> tuple[list, list]:
    """The wrong options of evidence questions, found verbatim in the texts, most often chosen first.

    Args:
        analysis: from ``item_analysis``.
        texts: ``{source_id: body}`` of the source texts.

    Returns:
        ``(spans, not_found)``: a ``WrongSpan`` per sentence chosen wrongly at least once, sorted by
        times chosen (most first), and the wrong options chosen that no text holds verbatim.

    >>> a = Analysis([Item("q", "x", "evidence", "?", 1, variants={0: Cell(wrong=Counter({"b c": 2, "zz": 1}))})],
    ...              3, 1, [], [])
    >>> found, missing = wrong_spans(a, {"s1": "a b c d"})
    >>> [(s.source_id, s.start, s.end, s.total) for s in found], missing
    ([('s1', 2, 5, 2)], ['zz'])
    """
    spans: dict = {}
    missing = []
    for item in analysis.items:
        if item.kind != "evidence":
            continue
        for v, cell in item.variants.items():
            which = item.qid + (f" (variant {v + 1})" if item.n_variants > 1 else "")
            for option, n in cell.wrong.items():
                if not n:
                    continue
                hit = next(((sid, body.find(option)) for sid, body in texts.items() if option and option in body), None)
                if hit is None:
                    missing.append(option)
                    continue
                sid, start = hit
                span = spans.setdefault((sid, start, start + len(option)),
                                        WrongSpan(sid, start, start + len(option), option))
                span.picks[which] += n
    return sorted(spans.values(), key=lambda s: (-s.total, s.source_id, s.start)), list(dict.fromkeys(missing))


__all__ = ["Analysis", "Cell", "Item", "WrongSpan", "group_size", "item_analysis", "wrong_spans"]
