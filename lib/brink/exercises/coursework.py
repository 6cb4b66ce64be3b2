"""The coursework workflow: a student release, and a submission file (grading is in ``grading``).

- ``assign(out)`` writes a release for students: lessons, data, library, exercise
  notebooks generated from the bank without solution cells, a compiled key in the
  exercises' mode, a student README, a ``.gitignore`` and a ``Makefile``. It scans
  every file it wrote for a readable answer and refuses the release if it finds one.
- ``submit(name)`` gathers the student's saved answers and attempts into one file.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from .. import _paths
from .bank import KEY_FILE, compile_key, exercise_modes, load_bank, select_exercises
from .build import notebook
from .kinds import KINDS
from .outputs import OutputError, check_output, write_text
from .store import all_answers, answers_dir

SUBMISSION_FORMAT = "brink-submission/1"
MAX_NAME = 100
RELEASE_COPY = ["pyproject.toml", "LICENSE", "CITATION.cff", "NOTICE.md", "data", "lib", "notebooks"]
# bidirectional embedding, override and isolate controls: they make a name display as something else
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
JOINERS = {"\u200c", "\u200d"}      # zero-width non-joiner and joiner: ordinary in Persian, Indic scripts, emoji


class CourseworkError(ValueError):
    """A coursework command cannot go on; the message says what to change."""


# --- names -------------------------------------------------------------------------
def clean_name(name, what: str = "name") -> str:
    """A student's name as it may appear in a gradebook: NFC, trimmed, printable, at most 100 characters.

    Joiners (ZWNJ, ZWJ) are kept; control characters and bidirectional overrides are refused.

    Raises:
        CourseworkError: the name is empty, too long, or holds a character that is not allowed.

    >>> clean_name("  Ada   Lovelace ")
    'Ada Lovelace'
    >>> clean_name("می\u200cخواهم") == "می\u200cخواهم"
    True
    >>> clean_name("Eve\u202e")
    Traceback (most recent call last):
    ...
    brink.exercises.coursework.CourseworkError: the name has a control or bidirectional-override character (U+202E)
    """
    if not isinstance(name, str):
        raise CourseworkError(f"the {what} must be text")
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name:
        raise CourseworkError(f"the {what} is empty")
    if len(name) > MAX_NAME:
        raise CourseworkError(f"the {what} is longer than {MAX_NAME} characters")
    for ch in name:
        cat = unicodedata.category(ch)
        if ch in BIDI_CONTROLS or cat in ("Cc", "Cs", "Co", "Cn") or (cat == "Cf" and ch not in JOINERS):
            raise CourseworkError(f"the {what} has a control or bidirectional-override character (U+{ord(ch):04X})")
    return name


def name_key(name: str) -> str:
    """The form in which two names are compared: NFC, white space collapsed, case folded.

    >>> name_key("ADA  Lovelace") == name_key("ada lovelace")
    True
    """
    return unicodedata.normalize("NFC", " ".join(unicodedata.normalize("NFC", name).casefold().split()))


def slug(name: str) -> str:
    """A safe ASCII file-name part: ``"Ada Lovelace"`` → ``"ada-lovelace"`` (``"student"`` if none is left)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return s[:60] or "student"


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def submission_filename(name: str) -> str:
    """A file name unique to a name in any script: the slug and a short hash of the compared form.

    >>> submission_filename("张伟") != submission_filename("王芳")
    True
    >>> submission_filename("Ada Lovelace") == submission_filename("ADA LOVELACE")
    True
    """
    return f"submission-{slug(name)}-{short_hash(name_key(name))}.json"


# --- assign -----------------------------------------------------------------------
STUDENT_README = """# {title}

This folder is your copy of the Brink kit: the lessons in `notebooks/`, the exercises in
`exercises/`, and everything they need. {mode_line}

## Open it

- **On your course's JupyterHub**: open the notebooks in the file browser; nothing to install.
- **On your own computer** (Python 3.11 or later), in a terminal in this folder:

  ```
  python -m pip install ".[lab]"
  python -m brink lab
  ```

  (`make lab` does the second step too.) JupyterLab opens in your browser at the first lesson.

## Answer

Open a notebook in `exercises/` and run it (Run ▸ Run All Cells). Answer each question with its
controls and press the button under it. Your answers are saved in `exercises/brink-answers/` as you
go; if you close the notebook and open it again, run it and they come back.

## Hand in

Run this in a new cell of any exercise notebook, with your name as your instructor knows it:

```python
from brink.exercises import submit
submit("Your Name")
```

It writes one file, `submission-….json`, and says where. Hand in that file as your instructor asks
(a course page upload, for instance). In a terminal, `brink submit --name "Your Name"` does the same
from any folder of this kit.
"""

RELEASE_MAKEFILE = """# Start JupyterLab on this folder (after `python -m pip install ".[lab]"`).
PYTHON ?= python3

.PHONY: lab
lab:
\t$(PYTHON) -m brink lab
"""

RELEASE_GITIGNORE = """# your answers and submissions stay out of version control
brink-answers/
submission-*
.ipynb_checkpoints/
__pycache__/
*.egg-info/
build/
"""


def secrets_of(bank: dict, exercises=None, modes=None) -> list[tuple[str, str]]:
    """Every string from which an answer could be read, with the question it belongs to.

    Practice mode may show hints; assessed mode shows nothing but prompts and options.
    """
    found = []
    for q in bank["questions"]:
        if exercises is not None and q["exercise"] not in exercises:
            continue
        qid = q["id"]
        found += [(qid, x) for x in KINDS[q["kind"]].revealing(q)]
        found += [(qid, v) for v in q.get("feedback", {}).values()]
        for field in ("correct_feedback", "wrong_feedback" if (modes or {}).get(q["exercise"]) == "assessed" else None,
                      "hint" if (modes or {}).get(q["exercise"]) == "assessed" else None):
            if field and q.get(field):
                found.append((qid, q[field]))
    return [(qid, s) for qid, s in found if len(s) >= 8]


SCANNED = (".json", ".ipynb", ".md", ".toml", ".py", ".csv", ".txt", ".yml", ".yaml", ".cfg", ".html", "")


def scan(folder: Path, secrets: list) -> list[str]:
    """Files under ``folder`` that hold a readable answer: ``"path: question"`` for each."""
    leaks = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in SCANNED:
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            if "ex.solution(" in text and path.suffix == ".ipynb":
                leaks.append(f"{path.relative_to(folder)}: a solution cell")
            hits = sorted({qid for qid, s in secrets if s in text})
            leaks += [f"{path.relative_to(folder)}: the answer to {qid}" for qid in hits]
    return leaks


def _strip_notebook(src: Path, dst: Path) -> None:
    """Copy a lesson notebook with only the kernel's name as metadata (no one's session data)."""
    import nbformat
    nb = nbformat.read(src, as_version=4)
    nb.metadata = {"kernelspec": nb.metadata.get("kernelspec", {}), "language_info": {"name": "python"}}
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
    nbformat.write(nb, dst)


def assign(out: Path, force: bool = False, mode: str | None = None, exercises=None,
           bank_file: Path | None = None) -> list[Path]:
    """Write a student release into ``out``; returns the files written.

    Args:
        out: a new or empty folder outside the kit.
        force: write into a folder that is not empty.
        mode: ``practice`` or ``assessed`` for every exercise (default: each exercise's setting in the bank).
        exercises: exercise ids to include (default: all).
        bank_file: the question bank to compile (default: the kit's).

    Raises:
        CourseworkError: the folder is in use or inside the kit, or the scan found a readable answer.
    """
    from .bank import BankError
    out = Path(out)
    kit = _paths.KIT_ROOT.resolve()
    if not ((kit / "lib" / "brink").is_dir() and (kit / "notebooks").is_dir() and (kit / "data").is_dir()):
        raise CourseworkError(f"brink assign copies the kit it runs from, and {kit} is not a kit folder: "
                              "run it from the kit's checkout (pip install -e .)")
    if out.resolve() == kit or kit in out.resolve().parents:
        raise CourseworkError(f"{out} is inside the kit; choose a folder outside it")
    if out.exists() and not out.is_dir():
        raise CourseworkError(f"{out} exists and is not a folder")
    if out.exists() and any(out.iterdir()) and not force:
        raise CourseworkError(f"{out} is not empty; choose a new folder or pass --force")
    try:
        bank = load_bank(bank_file)
        chosen = select_exercises(bank, exercises)
        modes = {ex: m for ex, m in exercise_modes(bank, mode).items() if ex in chosen}
        key = compile_key(bank, random_salt=True, mode=mode, exercises=chosen)
    except BankError as e:
        raise CourseworkError(str(e)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as e:
        raise CourseworkError(f"{out.parent}: cannot write there ({e.strerror})") from None
    try:
        _write_release(stage, bank, key, chosen, modes)
        leaks = scan(stage, secrets_of(bank, chosen, modes))
        if leaks:
            raise CourseworkError("refused: the release would reveal answers: " + "; ".join(leaks[:5]))
        out.mkdir(parents=True, exist_ok=True)
        for item in stage.iterdir():
            target = out / item.name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            elif target.exists() or target.is_symlink():
                target.unlink()
            os.replace(item, target)
    except OSError as e:
        raise CourseworkError(f"{out}: cannot write the release ({e.strerror or e})") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return sorted(p for p in out.rglob("*") if p.is_file())


def _write_release(out: Path, bank: dict, key: dict, chosen: list, modes: dict) -> None:
    import nbformat
    kit = _paths.KIT_ROOT
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".ipynb_checkpoints", "brink-answers",
                                    "submission-*", "build", "dist")
    for name in RELEASE_COPY:
        src = kit / name
        if name == "notebooks" and src.is_dir():
            (out / name).mkdir()
            for nb_path in sorted(src.glob("*.ipynb")):
                _strip_notebook(nb_path, out / name / nb_path.name)
        elif src.is_dir():
            shutil.copytree(src, out / name, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, out / name)
    ex_out = out / "exercises"
    ex_out.mkdir()
    for ex_id in chosen:
        nbformat.write(notebook(bank, ex_id, solutions=False, mode=modes[ex_id]), ex_out / f"{ex_id}-exercises.ipynb")
    (ex_out / KEY_FILE).write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    assessed = sorted(ex for ex, m in modes.items() if m == "assessed")
    if assessed and len(assessed) == len(modes):
        mode_line = ("These exercises are **assessed**: each answer is saved, not marked; your instructor "
                     "scores them after the deadline.")
    elif assessed:
        mode_line = (f"Exercises {', '.join(assessed)} are **assessed** (answers saved, scored by your instructor "
                     "after the deadline); the others are practice, with feedback as you answer.")
    else:
        mode_line = "The exercises are **practice**: each answer gets feedback at once."
    (out / "README.md").write_text(STUDENT_README.format(title="Brink: your course copy", mode_line=mode_line),
                                   encoding="utf-8")
    (out / "Makefile").write_text(RELEASE_MAKEFILE, encoding="utf-8")
    (out / ".gitignore").write_text(RELEASE_GITIGNORE, encoding="utf-8")


# --- submit -----------------------------------------------------------------------
def find_answers(start: Path | None = None) -> Path:
    """The answer folder a student means: ``$BRINK_ANSWERS``, ``./brink-answers``, or the kit's ``exercises/brink-answers``.

    Searched from ``start`` (default: the current folder) upward, so ``brink submit`` works from the
    exercises folder, the kit or release folder, or any folder inside it.
    """
    if os.environ.get("BRINK_ANSWERS"):
        return answers_dir()
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "brink-answers", folder / "exercises" / "brink-answers"):
            if candidate.is_dir():
                return candidate
    return here / "brink-answers"


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
        CourseworkError: a bad name, no answers found, or an output that cannot be written.
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
    out = Path(out) if out else Path.cwd() / submission_filename(name)
    try:
        write_text(out, json.dumps(data, ensure_ascii=False, indent=1), "submission file")
    except OutputError as e:
        raise CourseworkError(str(e)) from None
    return out


def describe_submission(path: Path, answers: dict) -> str:
    """One line saying what a submission holds."""
    n = sum(len(v) for v in answers.values())
    return f"{path} holds {n} answer(s) from {len(answers)} exercise(s): {', '.join(sorted(answers))}"


__all__ = ["CourseworkError", "assign", "check_output", "clean_name", "find_answers", "name_key", "slug",
           "submission_filename", "submit"]
