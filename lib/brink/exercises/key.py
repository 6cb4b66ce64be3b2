"""The answer key as students receive it: no answer in plain text, feedback still possible.

A compiled key keeps, for each question, what must be shown (prompt, options) and,
instead of the answers, salted SHA-256 digests of the correct responses. Feedback
written for one option is encrypted with a key derived from that option, so it can
be read only once a student has chosen that option. Model answers and rubrics for
written questions are encrypted too, and shown after a first attempt.

This stops the answers being *read* from the release; it does not stop a student
from trying every option, which clicking does as well. The instructor guide says so.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
import secrets
import unicodedata

FORMAT = "brink-key/1"


def norm(text) -> str:
    """Canonical form of a response string: NFC, trimmed, inner white space collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def digest(salt: str, value: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{value}".encode("utf-8")).hexdigest()[:32]


def _stream(key: bytes, n: int) -> bytes:
    out, counter = b"", 0
    while len(out) < n:
        out += hashlib.sha256(key + counter.to_bytes(8, "big")).digest()
        counter += 1
    return out[:n]


def seal(salt: str, secret_value: str, text: str) -> str:
    """Encrypt ``text`` so that only someone who knows ``secret_value`` can read it."""
    data = text.encode("utf-8")
    key = hashlib.sha256(f"seal\x1f{salt}\x1f{secret_value}".encode("utf-8")).digest()
    tag = hashlib.sha256(key + data).digest()[:8]
    return base64.b64encode(tag + bytes(a ^ b for a, b in zip(data, _stream(key, len(data))))).decode("ascii")


def unseal(salt: str, secret_value: str, blob: str) -> str | None:
    """The text sealed with ``secret_value``, or None if this is the wrong value."""
    try:
        raw = base64.b64decode(blob.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    key = hashlib.sha256(f"seal\x1f{salt}\x1f{secret_value}".encode("utf-8")).digest()
    tag, body = raw[:8], raw[8:]
    data = bytes(a ^ b for a, b in zip(body, _stream(key, len(body))))
    if hashlib.sha256(key + data).digest()[:8] != tag:
        return None
    return data.decode("utf-8")


def step_decimals(step: float) -> int:
    """Decimals needed to write multiples of ``step``: 1 → 0, 0.01 → 2."""
    return max(0, -int(math.floor(math.log10(step)))) if step < 1 else 0


def numeric_grid(answer: float, tolerance: float, step: float) -> list[str]:
    """Every accepted value, at the question's step, written canonically (at most 20,001 values)."""
    decimals = step_decimals(step)
    lo, hi = answer - tolerance, answer + tolerance
    n_lo, n_hi = math.ceil(round(lo / step, 9)), math.floor(round(hi / step, 9))
    if n_hi - n_lo > 20000:
        raise ValueError("tolerance / step allows too many values; use a larger step")
    return [canonical_number(k * step, decimals) for k in range(n_lo, n_hi + 1)]


def canonical_number(x: float, decimals: int) -> str:
    s = f"{round(x, decimals):.{decimals}f}"
    return "0" if s.strip("-0.") == "" else s


def compile_question(q: dict, salt: str | None = None) -> dict:
    """Turn one resolved question (answers in plain form) into its key entry."""
    salt = salt or secrets.token_hex(8)
    kind = q["kind"]
    entry = {k: q[k] for k in ("id", "exercise", "kind", "prompt", "points", "hint") if k in q}
    entry["salt"] = salt
    fb = q.get("feedback", {})
    if kind in ("single", "evidence", "multiple"):
        entry["options"] = list(q["options"])
        correct = set(q["answer"]) if kind == "multiple" else {q["answer"]}
        entry["correct"] = sorted(digest(salt, "opt:" + norm(o)) for o in correct)
        entry["feedback"] = {digest(salt, "fb:" + norm(o)): seal(salt, norm(o), fb[o]) for o in q["options"] if o in fb}
        if kind == "multiple":
            entry["n_correct"] = len(correct)
    elif kind == "ordering":
        entry["items"] = list(q["items"])
        entry["positions"] = [digest(salt, f"pos:{i}:{norm(item)}") for i, item in enumerate(q["answer"])]
    elif kind == "matching":
        entry["left"], entry["right"] = list(q["left"]), list(q["right"])
        entry["pairs"] = [digest(salt, f"pair:{norm(left)}:{norm(q['answer'][left])}") for left in q["left"]]
    elif kind == "numeric":
        step = float(q.get("step", 1))
        entry.update(unit=q.get("unit", ""), step=step)
        entry["accepted"] = sorted({digest(salt, "num:" + v) for v in numeric_grid(float(q["answer"]), float(q.get("tolerance", 0)), step)})
    elif kind == "written":
        entry["model_answer"] = seal(salt, "model", q["model_answer"])
        entry["rubric"] = seal(salt, "model", json.dumps(q["rubric"], ensure_ascii=False))
        entry["points"] = sum(c["points"] for c in q["rubric"])
    else:
        raise ValueError(f"question {q.get('id')}: unknown kind {kind!r}")
    for name in ("correct_feedback", "wrong_feedback"):
        if name in q:
            entry[name] = q[name] if name == "wrong_feedback" else seal(salt, "right", q[name])
    return entry
