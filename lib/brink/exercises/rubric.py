"""Written answers: the code each answer is known by, and the instructor's rubric scores read back."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .errors import CourseworkError
from .names import short_hash
from .numbers import parse_number


def answer_code(student_key: str, qid: str) -> str:
    """The stable code of one written answer (shown in the reading file, used in the scores CSV)."""
    return "W" + short_hash(f"{student_key}\x1f{qid}")


def read_rubric_scores(path: Path, written: dict) -> dict:
    """``{(code, question): (score, comment)}`` from a rubric-scores CSV.

    Columns: ``answer`` (the code shown in the written-answers file), ``question``, ``score``,
    and optionally ``comment``. Empty scores are skipped (not graded yet).

    Raises:
        CourseworkError: naming the file, row and column of a bad value.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise CourseworkError(f"{path}: cannot be read ({e.strerror})") from None
    except UnicodeDecodeError:
        raise CourseworkError(f"{path}: not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().casefold() for f in reader.fieldnames or []]
    for need in ("answer", "question", "score"):
        if need not in fields:
            raise CourseworkError(f"{path}, row 1: no '{need}' column (answer, question, score[, comment])")
    out = {}
    for r, raw in enumerate(reader, start=2):
        row = {k.strip().casefold(): (v or "").strip() for k, v in raw.items() if k}
        if not row.get("score"):
            continue
        qid = row["question"]
        if qid not in written:
            raise CourseworkError(f"{path}, row {r}, column 'question': {qid!r} is not a written question graded here")
        value, why = parse_number(row["score"])
        if value is None:
            raise CourseworkError(f"{path}, row {r}, column 'score': {row['score']!r}: {why}")
        pts = written[qid]
        if not 0 <= value <= pts:
            raise CourseworkError(f"{path}, row {r}, column 'score': {value:g} is outside 0–{pts:g}")
        code = row["answer"].lstrip("'")
        if (code, qid) in out:
            raise CourseworkError(f"{path}, row {r}: answer {code} to {qid} is scored twice")
        out[(code, qid)] = (value, row.get("comment", ""))
    return out


def scores_template(written_html) -> Path:
    p = Path(written_html)
    return p.with_name(p.stem + "-scores.csv")


__all__ = ["answer_code", "read_rubric_scores", "scores_template"]
