"""The submission file: written by ``submit`` for the student, read back by the grader.

- ``submit(name)`` gathers the student's saved answers and attempts into one file.
- ``parse_submission`` and ``read_submission`` read one and check its shape.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from .._paths import ANSWERS, answers_folder, kit_root
from .errors import CourseworkError
from .names import clean_name, submission_filename
from .outputs import OutputError, write_text
from .store import all_answers
from .variants import read_paper

SUBMISSION_FORMAT = "brink-submission/1"
MAX_SUBMISSION_BYTES = 4 * 2**20        # 4 MB: a long essay with a hundred saved drafts fits


def find_answers(start: Path | None = None) -> Path:
    """The answer folder a student means, by the kit's one rule (:func:`brink._paths.answers_folder`).

    ``$BRINK_ANSWERS``; else the ``exercises/brink-answers/`` of the kit or release that ``start``
    (default: the current folder) is in, at any depth, so ``brink submit`` works from the exercises
    folder, the kit or release folder, or any folder inside it; else, outside a kit, ``brink-answers/``
    in ``start`` or in its ``exercises/``.

    Raises:
        CourseworkError: there is no such folder; the one line says where it looked.
    """
    folder = answers_folder(start)
    if folder is None:
        here = Path(start if start is not None else Path.cwd()).resolve()
        kit = kit_root(here)
        looked = (f"no {kit / 'exercises' / ANSWERS}" if kit is not None else
                  f"neither {here / ANSWERS} nor {here / 'exercises' / ANSWERS}")
        raise CourseworkError(f"no answer folder: there is {looked}; run this in the folder of your exercise "
                              "notebooks (or the kit's folder), or set BRINK_ANSWERS")
    return folder


def submit(name: str, answers_folder: Path | None = None, out: Path | None = None,
           problems: list | None = None, student_id: str | None = None, email: str | None = None,
           login: str | None = None) -> Path:
    """Write the student's submission file; returns its path.

    Args:
        name: the student's name as the instructor knows it.
        answers_folder: where the answers are (default: found from the current folder, see ``find_answers``).
        out: the file to write (default: ``submission-<name>-<hash>.json`` in the current folder).
        problems: a list that receives a line for each answer file left out, and why.
        student_id, email, login: how the instructor's roster knows the student (the login defaults to
            ``$JUPYTERHUB_USER`` on a hub).

    Raises:
        CourseworkError: a bad name, no answers found, a submission over ``MAX_SUBMISSION_BYTES``, or an
            output that cannot be written.
    """
    name = clean_name(name)
    ids = {}
    for field, value in (("id", student_id), ("email", email), ("login", login or os.environ.get("JUPYTERHUB_USER"))):
        if value:
            ids[field] = clean_name(value, field)
    folder = Path(answers_folder) if answers_folder else find_answers()
    attempts: dict = {}
    answers = all_answers(folder, problems, attempts)
    if not answers:
        raise CourseworkError(f"no saved answers found in {folder}: run this in the folder of your exercise "
                              "notebooks, or in the kit's folder")
    data = {"format": SUBMISSION_FORMAT, "name": name, **ids,
            "submitted_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "answers": answers, "attempts": attempts}
    paper = read_paper(folder)
    if paper:
        data["paper"] = paper                  # the grader checks it is the code issued to this student
    out = Path(out) if out else Path.cwd() / submission_filename(name)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    size = len(text.encode("utf-8"))
    if size > MAX_SUBMISSION_BYTES:
        biggest = max(answers, key=lambda ex: len(json.dumps([answers[ex], attempts.get(ex)], ensure_ascii=False)))
        raise CourseworkError(f"the submission would be {size / 2**20:.1f} MB, over the limit of "
                              f"{MAX_SUBMISSION_BYTES / 2**20:.0f} MB (most of it is {biggest}); nothing was "
                              "written and your answers are all still saved: ask your instructor")
    try:
        write_text(out, text, "submission file")
    except OutputError as e:
        raise CourseworkError(str(e)) from None
    return out


def describe_submission(path: Path, answers: dict) -> str:
    """One line saying what a submission holds."""
    n = sum(len(v) for v in answers.values())
    return f"{path} holds {n} answer(s) from {len(answers)} exercise(s): {', '.join(sorted(answers))}"


def parse_submission(data: bytes) -> dict:
    """Read and check one submission; raises CourseworkError saying what is wrong."""
    if len(data) > MAX_SUBMISSION_BYTES:
        raise CourseworkError(f"too large ({len(data)} bytes; the limit is {MAX_SUBMISSION_BYTES})")
    try:
        sub = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CourseworkError("not UTF-8 text") from None
    except (json.JSONDecodeError, RecursionError) as e:
        raise CourseworkError(f"not valid JSON, perhaps truncated ({str(e)[:80]})") from None
    if not isinstance(sub, dict) or sub.get("format") != SUBMISSION_FORMAT:
        raise CourseworkError(f"not a Brink submission (no 'format': '{SUBMISSION_FORMAT}')")
    sub["name"] = clean_name(sub.get("name"))
    for f in ("id", "email", "login"):
        if sub.get(f) is not None:
            sub[f] = clean_name(sub[f], f)
    answers = sub.get("answers")
    if not isinstance(answers, dict) or not all(isinstance(v, dict) for v in answers.values()):
        raise CourseworkError("'answers' must map each exercise to its answers")
    attempts = sub.get("attempts", {})
    if not isinstance(attempts, dict) or not all(isinstance(v, list) for v in attempts.values()):
        attempts = {}
    sub["attempts"] = attempts
    return sub


def read_submission(path: Path) -> dict:
    """Read one submission file (see ``parse_submission``)."""
    path = Path(path)
    if path.is_symlink() or not path.is_file():
        raise CourseworkError("not a regular file")
    return parse_submission(path.read_bytes())


def chosen_answers(sub: dict, attempt: str = "last") -> dict:
    """``{exercise: {question: response}}``: each question's last answer, or its first attempt."""
    if attempt == "last":
        return sub["answers"]
    out = {}
    for ex, answers in sub["answers"].items():
        log = sub["attempts"].get(ex)
        firsts = {}
        for a in log or []:
            if isinstance(a, dict) and isinstance(a.get("question"), str) and a["question"] not in firsts:
                if a.get("response") not in (None, "", [], {}):
                    firsts[a["question"]] = a.get("response")
        out[ex] = {q: firsts.get(q, r) for q, r in answers.items()}
    return out


__all__ = ["MAX_SUBMISSION_BYTES", "SUBMISSION_FORMAT", "chosen_answers", "describe_submission", "find_answers",
           "parse_submission", "read_submission", "submit"]
