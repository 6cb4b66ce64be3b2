"""What a compiled key is made of: digests and answer-locked text (numbers are read in ``numbers``).

A *practice* key holds what instant feedback needs. Answers are salted SHA-256 digests,
so they are not written in the release, but anyone can test a guess against them, as
clicking does: a script can recover every answer by trying each option (and each value
at a numeric question's step). Feedback written for an option is locked with that
option, and the "correct" feedback with the whole correct response, so each is read
only by someone who gives that response. A written question's model answer and rubric
are only *encoded* (with a fixed public string): a student who reads the kit's code can
decode them before answering. The instructor guide says all of this plainly.

An *assessed* key holds none of it: prompts and options only (see ``bank.compile_key``).
"""
from __future__ import annotations

import base64
import hashlib
import math
from typing import NotRequired, TypedDict

from .normal import norm  # noqa: F401  (re-exported: the kinds compare responses in this form)

FORMAT = "brink-key/2"
PUBLIC = "brink-practice-encoding"   # not a secret: encoded text is readable by anyone with the code


class ExerciseKey(TypedDict):
    """One exercise of a compiled key: its title, mode and compiled questions (``bank.compile_question``)."""
    title: str
    mode: str
    questions: list[dict]


class AnswerKey(TypedDict):
    """A compiled key (``brink-key.json``) as ``bank.compile_key`` writes it, in the format ``FORMAT``."""
    format: str
    order_salt: str                      # the order options are shown in without a paper code
    exercises: dict[str, ExerciseKey]
    papers: NotRequired[bool]            # the release asks each student for a paper code


def digest(salt: str, value: str) -> str:
    """A salted digest of one canonical value (32 hex digits)."""
    return hashlib.sha256(f"{salt}\x1f{value}".encode("utf-8")).hexdigest()[:32]


def _stream(key: bytes, n: int) -> bytes:
    out, counter = b"", 0
    while len(out) < n:
        out += hashlib.sha256(key + counter.to_bytes(8, "big")).digest()
        counter += 1
    return out[:n]


def lock(salt: str, secret_value: str, text: str) -> str:
    """Encode ``text`` so that it reads only with ``secret_value`` (the response it belongs to).

    >>> blob = lock("s", "a taunt", "Yes.")
    >>> unlock("s", "a taunt", blob), unlock("s", "a vow", blob)
    ('Yes.', None)
    """
    data = text.encode("utf-8")
    key = hashlib.sha256(f"lock\x1f{salt}\x1f{secret_value}".encode("utf-8")).digest()
    tag = hashlib.sha256(key + data).digest()[:8]
    return base64.b64encode(tag + bytes(a ^ b for a, b in zip(data, _stream(key, len(data))))).decode("ascii")


def unlock(salt: str, secret_value: str, blob) -> str | None:
    """The text locked with ``secret_value``, or None if this is the wrong value (never raises)."""
    try:
        raw = base64.b64decode(str(blob).encode("ascii"), validate=True)
        key = hashlib.sha256(f"lock\x1f{salt}\x1f{secret_value}".encode("utf-8")).digest()
        tag, body = raw[:8], raw[8:]
        data = bytes(a ^ b for a, b in zip(body, _stream(key, len(body))))
        if hashlib.sha256(key + data).digest()[:8] != tag:
            return None
        return data.decode("utf-8")
    except (ValueError, UnicodeError):
        return None


def step_decimals(step: float) -> int:
    """Decimals needed to write multiples of ``step``: 1 → 0, 0.01 → 2.

    >>> step_decimals(1), step_decimals(0.01), step_decimals(0.0001)
    (0, 2, 4)
    """
    return max(0, -int(math.floor(math.log10(step)))) if step < 1 else 0


def canonical_number(x: float, decimals: int) -> str:
    """``x`` written with ``decimals`` decimals, with no negative zero.

    >>> canonical_number(-0.0, 2), canonical_number(11, 0)
    ('0.00', '11')
    """
    s = f"{round(x, decimals):.{decimals}f}"
    return s.lstrip("-") if s.strip("-0.") == "" else s


def numeric_grid(answer: float, tolerance: float, step: float) -> list[str]:
    """Every accepted multiple of ``step`` within ``tolerance`` of ``answer``, written canonically.

    >>> numeric_grid(3, 0, 1), numeric_grid(0.5, 0.1, 0.1)
    (['3'], ['0.4', '0.5', '0.6'])
    """
    decimals = step_decimals(step)
    lo, hi = answer - tolerance, answer + tolerance
    n_lo, n_hi = math.ceil(round(lo / step, 9)), math.floor(round(hi / step, 9))
    if n_hi - n_lo > 20000:
        raise ValueError("tolerance / step allows too many values; use a larger step")
    return [canonical_number(k * step, decimals) for k in range(n_lo, n_hi + 1)]


def on_grid(value: float, step: float) -> bool:
    """True if ``value`` is a multiple of ``step`` (to nine decimal places of the ratio)."""
    k = value / step
    return abs(k - round(k)) < 1e-9
