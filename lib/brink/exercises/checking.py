"""Checking a response against a key entry: one function that never raises.

A response may be anything a widget, a file or a hostile submission hands over.
``check`` always returns a ``Result``; a response it cannot read is ``invalid``
with a message that says why, never an exception. An entry of an *assessed*
exercise holds nothing to check against: a readable response is ``saved``.
"""
from __future__ import annotations

import json

from .key import PUBLIC, unlock
from .kinds import KINDS
from .result import LABEL, MAX_TEXT, Result, Status, result  # noqa: F401  (re-exported)


def is_assessed(entry: dict) -> bool:
    """True if the entry belongs to an assessed exercise (it has nothing to check against)."""
    return entry.get("mode") == "assessed" or "salt" not in entry


def check(entry: dict, response, words: bool = True) -> Result:
    """Check one response against one key entry; never raises (``words=False``: the score only, faster).

    >>> check({"id": "x", "kind": "single", "mode": "assessed", "options": ["a", "b"]}, "a").status
    'saved'
    """
    try:
        return _check(entry, response, words)
    except Exception as e:  # a defect in a key or an unforeseen input: report, don't crash the widget
        return Result("invalid", 0.0, float(entry.get("points", 1) or 1),
                      f"{LABEL[Status.INVALID]} The answer could not be checked ({type(e).__name__}). It was saved.")


def _check(entry: dict, response, words: bool = True) -> Result:
    kind = KINDS.get(entry.get("kind", ""))
    if kind is None:
        return result("invalid", 0, entry, f"Unknown question kind {entry.get('kind')!r}.", hint=False)
    if response is None or response == "" or response == [] or response == {}:
        return result("empty", 0, entry, "Choose or type an answer, then check it.", hint=False)
    if problem := kind.problem(entry, response):
        return result("invalid", 0, entry, problem, hint=False)
    if is_assessed(entry):
        return result("saved", 0, entry, "Your instructor grades this exercise after the deadline.", hint=False)
    return kind.score(entry, response, words)


def rubric(entry: dict) -> list[dict]:
    """The rubric of a written question in a practice key (criteria with points)."""
    text = unlock(entry.get("salt", ""), PUBLIC, entry.get("rubric", ""))
    return json.loads(text) if text else []
