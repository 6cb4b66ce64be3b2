"""Gradebooks: the scores as CSV for a spreadsheet, Canvas or Moodle."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from .roster import Student

FORMATS = ("plain", "canvas", "moodle")
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_IDENTITY = ["Full name", "ID number", "Email address", "Username"]


@dataclass
class Graded:
    """One student's row: the submission graded, and a score per question."""
    label: str
    sub: dict
    student: Student
    scores: dict = field(default_factory=dict)     # qid -> float | None (None: unanswered / not yet scored)
    answers: dict = field(default_factory=dict)    # qid -> response
    comments: dict = field(default_factory=dict)   # qid -> rubric comment


def _cell(value) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def _num(x: float) -> str:
    return f"{round(x, 4):g}"


def exercise_score(g: Graded, questions: list, ex: str) -> str:
    qs = [q for q in questions if q["exercise"] == ex]
    if not any(q["id"] in g.answers for q in qs):
        return ""                                                  # unanswered: blank, not 0
    return _num(sum(g.scores.get(q["id"]) or 0 for q in qs))


def gradebook_csv(rows: list, questions: list, exercises: list, titles: dict, fmt: str) -> str:
    """The gradebook as CSV text in the chosen format (see the instructor guide)."""
    possible = {ex: sum(float(q["points"]) for q in questions if q["exercise"] == ex) for ex in exercises}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if fmt == "canvas":
        w.writerow(CANVAS_IDENTITY + [titles[ex] for ex in exercises])
        w.writerow(["Points Possible", "", "", "", ""] + [_num(possible[ex]) for ex in exercises])
        for g in rows:
            s = g.student
            w.writerow([_cell(x) for x in (s.name, s.canvas_id, s.id, s.login, s.section)]
                       + [exercise_score(g, questions, ex) for ex in exercises])
    elif fmt == "moodle":
        w.writerow(MOODLE_IDENTITY + [titles[ex] for ex in exercises])
        for g in rows:
            s = g.student
            w.writerow([_cell(x) for x in (s.name, s.id, s.email, s.login)]
                       + [exercise_score(g, questions, ex) for ex in exercises])
    else:
        w.writerow(["Student", "ID", "Email", "Login", *[q["id"] for q in questions],
                    *[titles[ex] for ex in exercises], "Total"])
        w.writerow(["Points Possible", "", "", "", *[_num(float(q["points"])) for q in questions],
                    *[_num(possible[ex]) for ex in exercises], _num(sum(possible.values()))])
        for g in rows:
            s = g.student
            per_q = ["" if g.scores.get(q["id"]) is None else _num(g.scores[q["id"]]) for q in questions]
            per_ex = [exercise_score(g, questions, ex) for ex in exercises]
            total = _num(sum(float(x) for x in per_ex if x)) if any(per_ex) else ""
            w.writerow([_cell(x) for x in (s.name, s.id, s.email, s.login)] + per_q + per_ex + [total])
    return buf.getvalue()


__all__ = ["CANVAS_IDENTITY", "Graded", "FORMATS", "MOODLE_IDENTITY", "exercise_score", "gradebook_csv"]
