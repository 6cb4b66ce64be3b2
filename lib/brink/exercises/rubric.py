"""Written answers: the code each answer is known by, and the instructor's rubric scores read back.

An answer's code is drawn from the submission file's own bytes, the question and the answer
text, and from nothing a run's options change (``--roster``, ``--from``, ``--format``,
``--anonymise``): the export and the merge give every answer the same code whatever flags
each uses. A score binds to the very text that was read.

A rubric-scores file with any bad row merges nothing: every problem is one line naming the
file, the row and the column, and the run stops.
"""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

from ..files import read_csv_text
from .errors import CourseworkError, read_csv_file
from .numbers import parse_number

COLUMNS = ("answer", "question", "score")
_CODE_ROW = re.compile(r"(^|\n)'?W[0-9a-f]{8},")


def answer_code(digest: str, qid: str, response) -> str:
    """The stable code of one written answer (shown in the reading file, used in the scores CSV).

    Args:
        digest: the SHA-256 of the submission file's bytes (``submission_digest``).
        qid: the question id.
        response: the answer as given.

    Returns:
        ``"W"`` and eight hexadecimal digits.

    >>> answer_code("ab" * 32, "t09", "An answer.") == answer_code("ab" * 32, "t09", "An answer.")
    True
    >>> answer_code("ab" * 32, "t09", "An answer.") != answer_code("ab" * 32, "r09", "An answer.")
    True
    """
    return "W" + hashlib.sha256(f"{digest}\x1f{qid}\x1f{response}".encode("utf-8", "surrogatepass")).hexdigest()[:8]


def submission_digest(data: bytes) -> str:
    """The SHA-256 of a submission file's bytes, as hexadecimal digits."""
    return hashlib.sha256(data).hexdigest()


def read_rubric_scores(path: Path, written: dict, codes: dict) -> dict:
    """``{(code, question): (score, comment)}`` from a rubric-scores CSV, checked against the answers graded.

    Columns: ``answer`` (the code shown in the written-answers file), ``question``, ``score``,
    and optionally ``comment``; others (``points``, ``student``) are ignored. An empty score
    is not graded yet.

    Args:
        path: the filled-in scores file.
        written: ``{question: points}`` of the written questions graded in this run.
        codes: ``{code: question}`` of every written answer in this run's submissions.

    Returns:
        The scores, when the whole file is sound.

    Raises:
        CourseworkError: one line per problem, each naming the file, the row and the column:
            a missing or repeated column, a row with too many or too few cells, a quote left
            open, an unknown code, a code given with another question, a question not graded
            here, a score that is not a number, negative, or above the question's points, an
            answer scored twice.
    """
    path = Path(path)
    text = read_csv_file(path, "the scores file")
    try:
        first, rows = read_csv_text(text, strict=True)
    except csv.Error as e:
        raise CourseworkError(f"{path}: not a readable CSV file ({e}); a quote may be left open") from None
    if not first and not rows:
        raise CourseworkError(f"{path}, row 1: the scores file is empty")
    header = [h.strip().casefold() for h in first]
    problems = []
    for need in COLUMNS:
        if need not in header:
            problems.append(f"{path}, row 1: no '{need}' column (answer, question, score[, comment])")
    for name in set(header):
        if name and header.count(name) > 1:
            where = ", ".join(str(i + 1) for i, h in enumerate(header) if h == name)
            problems.append(f"{path}, row 1, column '{name}': the column appears more than once (columns {where})")
    if problems:
        raise CourseworkError("\n".join(sorted(problems)))
    col = {h: i for i, h in enumerate(header)}
    out: dict = {}
    for r, raw in enumerate(rows, start=2):
        if not any(c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            problems.append(f"{path}, row {r}: {len(raw)} cells where the header has {len(header)} columns")
            continue
        row = {h: raw[i].strip() for h, i in col.items()}
        swallowed = [h for h, v in row.items() if "\n" in v and (h in COLUMNS or _CODE_ROW.search(v))]
        if swallowed:
            problems.append(f"{path}, row {r}, column '{swallowed[0]}': a quote opened here runs over a line break "
                            "and swallows the rows after it; close the quote")
            continue
        code, qid = row["answer"].lstrip("'"), row["question"]
        if qid not in written:
            problems.append(f"{path}, row {r}, column 'question': {qid!r} is not a written question graded here")
            continue
        if code not in codes:
            problems.append(f"{path}, row {r}, column 'answer': no answer {code!r} in these submissions "
                            "(export the written answers again from the files you are grading)")
            continue
        if codes[code] != qid:
            problems.append(f"{path}, row {r}, column 'question': answer {code} is an answer to {codes[code]}, not {qid}")
            continue
        if not row["score"]:
            continue
        value, why = parse_number(row["score"])
        if value is None:
            problems.append(f"{path}, row {r}, column 'score': {row['score']!r}: {why}")
            continue
        pts = written[qid]
        if not 0 <= value <= pts:
            problems.append(f"{path}, row {r}, column 'score': {value:g} is outside 0–{pts:g} (the points of {qid})")
            continue
        if (code, qid) in out:
            problems.append(f"{path}, row {r}, column 'answer': answer {code} to {qid} is scored twice")
            continue
        out[(code, qid)] = (value, row.get("comment", ""))
    if problems:
        raise CourseworkError("\n".join(problems) + f"\n{path}: nothing merged; correct the rows above and run again")
    return out


def scores_template(written_html) -> Path:
    """The scores file written beside the written-answers file: ``written.html`` → ``written-scores.csv``."""
    p = Path(written_html)
    return p.with_name(p.stem + "-scores.csv")


__all__ = ["answer_code", "read_rubric_scores", "scores_template", "submission_digest"]
