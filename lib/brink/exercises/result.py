"""The outcome of one attempt, and the words that say it."""
from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass

MAX_TEXT = 20_000  # characters kept of a written answer or read of any one string


class Status(enum.StrEnum):
    """The outcome of one attempt (a closed set: the store, the grader and the report read it)."""
    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    RECORDED = "recorded"
    SAVED = "saved"
    INVALID = "invalid"
    EMPTY = "empty"


LABEL = {Status.CORRECT: "✓ Correct.", Status.PARTIAL: "◐ Partly right.", Status.INCORRECT: "✗ Not yet.",
         Status.RECORDED: "✎ Answer recorded.", Status.SAVED: "✎ Saved.", Status.INVALID: "⚠ Answer not read.",
         Status.EMPTY: "… No answer yet."}
STATUSES = frozenset(Status)


@dataclass(frozen=True)
class Result:
    """The outcome of one attempt.

    status: ``correct``, ``partial``, ``incorrect``, ``recorded`` (a written answer in
    practice mode, graded by the instructor), ``saved`` (any answer in assessed mode:
    no feedback until the instructor grades it), ``invalid`` (the response could not be
    read) or ``empty`` (nothing chosen yet). ``score`` is in points; ``message`` is the
    feedback in words; ``hint`` is given after an attempt that is not correct;
    ``reveal`` carries a written question's model answer and ``rubric`` its criteria.

    >>> Result("correct", 1.0, 1.0, "✓ Correct.").as_dict()["status"]
    'correct'
    """
    status: str
    score: float
    points: float
    message: str
    hint: str | None = None
    reveal: str | None = None
    rubric: tuple = ()

    def as_dict(self) -> dict:
        return asdict(self)


def result(status: str, score: float, entry: dict, message: str, hint: bool = True,
           reveal: str | None = None, rubric: tuple = ()) -> Result:
    """A Result for ``entry``, its message prefixed with the status label."""
    status = Status(status)               # a status outside the closed set is a defect: raise here
    pts = float(entry.get("points", 1))
    give_hint = entry.get("hint") if hint and status in ("incorrect", "partial") else None
    return Result(status.value, round(float(score), 6), pts, f"{LABEL[status]} {message}".strip(), give_hint, reveal,
                  tuple(rubric))


def text_of(x) -> str | None:
    """A response as text, if it is text or a finite number; else None."""
    if isinstance(x, str):
        return x[:MAX_TEXT]
    if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x):
        return str(x)
    return None
