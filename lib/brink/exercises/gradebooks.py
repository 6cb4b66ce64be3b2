"""Gradebooks: the scores as CSV for a spreadsheet, Canvas or Moodle."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from .roster import Student
from .rubric import answer_code

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
    digest: str = ""                               # SHA-256 of the submission file's bytes
    collected_at: float = 0.0                      # the file's time as collected (not the student's clock)
    origin: object = None                          # origins.Origin, or None when identity is as claimed

    def code(self, qid: str) -> str:
        """The code of this student's written answer to ``qid`` (see ``rubric.answer_code``)."""
        return answer_code(self.digest, qid, self.answers.get(qid))


def _csv_cell(value) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def _num(x: float) -> str:
    return f"{round(x, 4):g}"


def unscored(g: Graded, questions: list, ex: str | None = None) -> int:
    """How many of the student's written answers (in exercise ``ex``, or in all) wait for a rubric score."""
    return sum(1 for q in questions if q["kind"] == "written" and (ex is None or q["exercise"] == ex)
               and q["id"] in g.answers and g.scores.get(q["id"]) is None)


def exercise_score(g: Graded, questions: list, ex: str, complete: bool = False) -> str:
    """The exercise's points as a cell: blank if nothing was answered (not 0).

    With ``complete``, also blank while a written answer waits for its rubric score, so an LMS
    never imports a partial score as if it were final.
    """
    qs = [q for q in questions if q["exercise"] == ex]
    if not any(q["id"] in g.answers for q in qs):
        return ""                                                  # unanswered: blank, not 0
    if complete and unscored(g, questions, ex):
        return ""
    return _num(sum(g.scores.get(q["id"]) or 0 for q in qs))


def canvas_header(title: str, roster_headers: list) -> str:
    """The column for an exercise in a Canvas import: the roster's own ``Title (assignment ID)`` if it has one.

    A Canvas export names each assignment column ``Title (ID)``; writing that header back makes
    the import update that assignment instead of adding another.

    >>> canvas_header("01 · Timeline", ["Student", "01 · Timeline (4567)"]), canvas_header("02", ["Student"])
    ('01 · Timeline (4567)', '02')
    """
    for h in roster_headers:
        m = re.fullmatch(r"(.*\S)\s*\((\d+)\)", h.strip())
        if m and m.group(1) == title:
            return h.strip()
    return title


def gradebook_csv(rows: list, questions: list, exercises: list, titles: dict, fmt: str, attempt: str = "last",
                  roster_headers: tuple | list = ()) -> str:
    """The gradebook as CSV text in the chosen format (see the instructor guide).

    Args:
        rows: one ``Graded`` per student, in order.
        questions: the key's questions graded.
        exercises: the exercise ids, in column order.
        titles: each exercise's title (its column name).
        fmt: ``plain``, ``canvas`` or ``moodle``.
        attempt: ``last`` or ``first``; with ``first`` the plain gradebook says the attempts are self-reported.
        roster_headers: the roster's header row (a Canvas export's ``Title (ID)`` columns are reused).

    Returns:
        CSV text with CRLF line ends.
    """
    possible = {ex: sum(float(q["points"]) for q in questions if q["exercise"] == ex) for ex in exercises}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if fmt == "canvas":
        w.writerow(CANVAS_IDENTITY + [canvas_header(titles[ex], list(roster_headers)) for ex in exercises])
        w.writerow(["Points Possible", "", "", "", ""] + [_num(possible[ex]) for ex in exercises])
        for g in rows:
            s = g.student
            w.writerow([_csv_cell(x) for x in (s.name, s.canvas_id, s.id, s.login, s.section)]
                       + [exercise_score(g, questions, ex, complete=True) for ex in exercises])
    elif fmt == "moodle":
        w.writerow(MOODLE_IDENTITY + [titles[ex] for ex in exercises])
        for g in rows:
            s = g.student
            w.writerow([_csv_cell(x) for x in (s.name, s.id, s.email, s.login)]
                       + [exercise_score(g, questions, ex, complete=True) for ex in exercises])
    else:
        extra = ["Attempt counted"] if attempt == "first" else []
        w.writerow(["Student", "ID", "Email", "Login", *[q["id"] for q in questions],
                    *[titles[ex] for ex in exercises], "Total", "Written answers unscored", *extra])
        w.writerow(["Points Possible", "", "", "", *[_num(float(q["points"])) for q in questions],
                    *[_num(possible[ex]) for ex in exercises], _num(sum(possible.values())), "",
                    *(["first, self-reported by the student's kit"] if extra else [])])
        for g in rows:
            s = g.student
            per_q = ["" if g.scores.get(q["id"]) is None else _num(g.scores[q["id"]]) for q in questions]
            per_ex = [exercise_score(g, questions, ex) for ex in exercises]
            total = _num(sum(float(x) for x in per_ex if x)) if any(per_ex) else ""
            waiting = unscored(g, questions)
            note = []
            if extra:
                bad = g.sub.get("_log_problems") if g.sub else None
                note = ["" if not g.label else "self-reported; the log cannot be true: " + ", ".join(bad) if bad
                        else "self-reported"]
            w.writerow([_csv_cell(x) for x in (s.name, s.id, s.email, s.login)] + per_q + per_ex
                       + [total, str(waiting) if waiting else ""] + note)
    return buf.getvalue()


__all__ = ["CANVAS_IDENTITY", "FORMATS", "Graded", "MOODLE_IDENTITY", "canvas_header", "exercise_score",
           "gradebook_csv", "unscored"]
