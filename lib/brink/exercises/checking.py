"""Checking a response against a compiled key: pure functions that never raise.

A response may be anything a widget, a file or a hostile submission hands over.
``check`` always returns a ``Result``; a response it cannot read is ``invalid``
with a message that says why, never an exception.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass

from .key import canonical_number, digest, norm, step_decimals, unseal

MAX_TEXT = 20_000  # characters kept of a written answer or read of any one string


@dataclass(frozen=True)
class Result:
    """The outcome of one attempt.

    status: ``correct``, ``partial``, ``incorrect``, ``recorded`` (a written answer,
    graded by the instructor), ``invalid`` (the response could not be read) or
    ``empty`` (nothing chosen yet). ``score`` is in points; ``message`` is the
    feedback in words; ``hint`` is given after an attempt that is not correct;
    ``reveal`` carries a written question's model answer and rubric.
    """
    status: str
    score: float
    points: float
    message: str
    hint: str | None = None
    reveal: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


LABEL = {"correct": "✓ Correct.", "partial": "◐ Partly right.", "incorrect": "✗ Not yet.",
         "recorded": "✎ Answer recorded.", "invalid": "⚠ Answer not read.", "empty": "… No answer yet."}


def _text(x) -> str | None:
    if isinstance(x, str):
        return x[:MAX_TEXT]
    if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x):
        return str(x)
    return None


def _result(status, score, entry, message, hint=True, reveal=None) -> Result:
    pts = float(entry.get("points", 1))
    give_hint = entry.get("hint") if hint and status in ("incorrect", "partial") else None
    return Result(status, round(float(score), 6), pts, f"{LABEL[status]} {message}".strip(), give_hint, reveal)


def _correct_text(entry) -> str:
    blob = entry.get("correct_feedback")
    return (unseal(entry["salt"], "right", blob) or "") if blob else ""


def check(entry: dict, response) -> Result:
    """Check one response against one key entry; never raises."""
    try:
        return _check(entry, response)
    except Exception as e:  # a defect in a key or an unforeseen input: report, don't crash the widget
        return Result("invalid", 0.0, float(entry.get("points", 1) or 1),
                      f"{LABEL['invalid']} The answer could not be checked ({type(e).__name__}). It was saved.")


def _check(entry: dict, response) -> Result:
    kind, salt = entry["kind"], entry["salt"]
    if response is None or response == "" or response == [] or response == {}:
        return _result("empty", 0, entry, "Choose or type an answer, then check it.", hint=False)
    if kind in ("single", "evidence"):
        choice = _text(response)
        if choice is None or choice not in entry["options"]:
            return _result("invalid", 0, entry, "Pick one of the options shown.", hint=False)
        fb = _option_feedback(entry, choice)
        if digest(salt, "opt:" + norm(choice)) in entry["correct"]:
            return _result("correct", entry.get("points", 1), entry, fb or _correct_text(entry))
        return _result("incorrect", 0, entry, fb or entry.get("wrong_feedback", "That is not the answer."))
    if kind == "multiple":
        if not isinstance(response, (list, tuple)) or not all(isinstance(x, str) for x in response):
            return _result("invalid", 0, entry, "Tick the options you choose.", hint=False)
        chosen = list(dict.fromkeys(response))
        if any(c not in entry["options"] for c in chosen):
            return _result("invalid", 0, entry, "Only the options shown can be chosen.", hint=False)
        right = [c for c in chosen if digest(salt, "opt:" + norm(c)) in entry["correct"]]
        wrong = len(chosen) - len(right)
        notes = " ".join(f for f in (_option_feedback(entry, c) for c in chosen) if f)
        if len(right) == entry["n_correct"] and wrong == 0:
            return _result("correct", entry.get("points", 1), entry, notes or _correct_text(entry))
        score = max(0.0, (len(right) - wrong) / entry["n_correct"]) * float(entry.get("points", 1))
        status = "partial" if score > 0 else "incorrect"
        return _result(status, score, entry,
                       f"{len(right)} of your choices are right and {wrong} are not; "
                       f"there are {entry['n_correct']} right options. {notes}".strip())
    if kind == "ordering":
        if (not isinstance(response, (list, tuple)) or len(response) != len(entry["items"])
                or sorted(map(str, response)) != sorted(entry["items"]) or not all(isinstance(x, str) for x in response)):
            return _result("invalid", 0, entry, "Place every item exactly once.", hint=False)
        placed = sum(digest(salt, f"pos:{i}:{norm(x)}") == h for i, (x, h) in enumerate(zip(response, entry["positions"])))
        n = len(entry["positions"])
        if placed == n:
            return _result("correct", entry.get("points", 1), entry, _correct_text(entry) or "All in order.")
        score = placed / n * float(entry.get("points", 1))
        return _result("partial" if placed else "incorrect", score, entry, f"{placed} of {n} are in the right place.")
    if kind == "matching":
        if not isinstance(response, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in response.items()):
            return _result("invalid", 0, entry, "Match each item to one option.", hint=False)
        if any(k not in entry["left"] for k in response) or any(v not in entry["right"] for v in response.values()):
            return _result("invalid", 0, entry, "Only the items and options shown can be matched.", hint=False)
        good = sum(digest(salt, f"pair:{norm(k)}:{norm(v)}") in entry["pairs"] for k, v in response.items())
        n = len(entry["pairs"])
        if good == n:
            return _result("correct", entry.get("points", 1), entry, _correct_text(entry) or "Every match is right.")
        missing = n - len(response)
        more = f" {missing} not matched yet." if missing else ""
        return _result("partial" if good else "incorrect", good / n * float(entry.get("points", 1)), entry,
                       f"{good} of {n} matches are right.{more}")
    if kind == "numeric":
        raw = _text(response)
        value = _number(raw)
        if value is None:
            return _result("invalid", 0, entry, f"Type a number{' in ' + entry['unit'] if entry.get('unit') else ''}, such as 12 or 0.5.", hint=False)
        step = float(entry.get("step", 1))
        decimals = step_decimals(step)
        key = canonical_number(round(value / step) * step, decimals)
        if digest(salt, "num:" + key) in entry["accepted"]:
            return _result("correct", entry.get("points", 1), entry, _correct_text(entry))
        return _result("incorrect", 0, entry, entry.get("wrong_feedback", "That number is not right."))
    if kind == "written":
        text = _text(response)
        if text is None or not text.strip():
            return _result("invalid", 0, entry, "Write your answer in the box.", hint=False)
        model = unseal(salt, "model", entry["model_answer"]) or ""
        return _result("recorded", 0, entry, "Your instructor grades written answers. Compare yours with the model answer.",
                       hint=False, reveal=model)
    return _result("invalid", 0, entry, f"Unknown question kind {kind!r}.", hint=False)


def _option_feedback(entry: dict, option: str) -> str:
    blob = entry.get("feedback", {}).get(digest(entry["salt"], "fb:" + norm(option)))
    return (unseal(entry["salt"], norm(option), blob) or "") if blob else ""


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    s = raw.strip().replace(",", "").replace("\u2212", "-").rstrip("%").strip()
    if len(s) > 40:
        return None
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def rubric(entry: dict) -> list[dict]:
    """The rubric of a written question (criteria with points)."""
    text = unseal(entry["salt"], "model", entry["rubric"])
    return json.loads(text) if text else []
