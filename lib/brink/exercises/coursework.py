"""The student release (``brink assign``); the submission file is in ``submission``, grading in ``grading``.

``assign(out)`` writes a release for students: lessons, data, library, exercise
notebooks generated from the bank without solution cells, a compiled key in the
exercises' mode, a student README, a ``.gitignore`` and a ``Makefile``. It scans
every file it wrote for a readable answer and refuses the release if it finds one.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from .. import _paths
from .bank import KEY_FILE, compile_key, exercise_modes, load_bank, select_exercises
from .build import notebook, notebook_metadata
from .errors import CourseworkError
from .key import AnswerKey
from .kinds import KINDS

RELEASE_COPY = ["pyproject.toml", "LICENSE", "CITATION.cff", "NOTICE.md", "data", "lib", "notebooks",
                "docs/primer.md", "docs/img"]
# Never in a release, and no link to it either: the instructor notes answer the discussion questions.
INSTRUCTOR_ONLY = "docs/instructor-notes"

STUDENT_README = """# {title}

This folder is your copy of the Brink kit: the lessons in `notebooks/`, the exercises in
`exercises/`, and everything they need. {mode_line}

## Open it

- **On your course's JupyterHub**: open the notebooks in the file browser; nothing to install.
- **On your own computer** (Python 3.11 or later; on macOS from python.org, on Windows from
  python.org or the Microsoft Store), in a terminal in this folder. The kit goes into a virtual
  environment of its own, `.venv` (Debian and Ubuntu refuse `pip install` outside one; if
  `python3 -m venv` says venv is missing there, `sudo apt install python3-venv` first):

  Linux and macOS:

  ```
  python3 -m venv .venv
  .venv/bin/python -m pip install ".[lab]"
  .venv/bin/python -m brink lab
  ```

  Windows (PowerShell or Command Prompt):

  ```
  py -m venv .venv
  .venv\\Scripts\\python -m pip install ".[lab]"
  .venv\\Scripts\\python -m brink lab
  ```

  JupyterLab opens in your browser at the first lesson. Next time, only the last line (or
  `make lab`, which uses `.venv` when it is there).

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

RELEASE_MAKEFILE = """# Start JupyterLab on this folder (after the install steps of README.md, into .venv).
PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,python3)

.PHONY: lab
lab:
\t$(PYTHON) -m brink lab
"""

RELEASE_GITIGNORE = """# your answers and submissions stay out of version control
.venv/
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
    for q in (v for question in bank["questions"] for v in question.get("pool") or [question]):
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
    """Copy a lesson notebook with only the kernel's as metadata (no one's session data), for this Python."""
    import nbformat
    nb = nbformat.read(src, as_version=4)
    nb.metadata = notebook_metadata()
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
    nbformat.write(nb, dst)


def assign(out: Path, force: bool = False, mode: str | None = None, exercises=None,
           bank_file: Path | None = None, papers: bool = False) -> list[Path]:
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
        key = compile_key(bank, random_salt=True, mode=mode, exercises=chosen, papers=papers)
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


def _write_release(out: Path, bank: dict, key: AnswerKey, chosen: list, modes: dict) -> None:
    import nbformat
    kit = _paths.KIT_ROOT
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".ipynb_checkpoints", "brink-answers",
                                    "submission-*", "build", "dist")
    for name in RELEASE_COPY:
        src = kit / name
        (out / name).parent.mkdir(parents=True, exist_ok=True)
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
    release_links(out)


# --- links in a release ---------------------------------------------------------------
# [text](target) and ![alt](target), with an optional "title"
MD_LINK = re.compile(r'(!?)\[([^\]]*)\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)')
NOT_HERE = " (not in this release)"


def _local_target(target: str, here: Path) -> Path | None:
    """The file a relative link points at, or None for a web address or an anchor on the same page."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^/", target):
        return None
    path = target.partition("#")[0].partition("?")[0]
    return (here / path) if path else None


def localise_links(text: str, here: Path, root: Path) -> str:
    """Markdown ``text`` as a release can show it: every relative link leads to a file inside ``root``.

    A sentence linking the instructor notes is left out (they never go to students); a link to a
    file the release does not hold (an exercise not assigned) keeps its words, marked as not in
    this release.

    Args:
        text: Markdown (a notebook cell or a ``.md`` file).
        here: the folder the text's links are relative to.
        root: the release folder.
    Returns:
        The new text (the same text when every link resolves).

    >>> import tempfile; root = Path(tempfile.mkdtemp()); (root / "a.md").write_text("x")
    1
    >>> localise_links("See [a](a.md) and [b](b.ipynb). Instructors: [notes](docs/instructor-notes/x.md).", root, root)
    'See [a](a.md) and b (not in this release).'
    """
    def is_instructor(target: str) -> bool:
        path = _local_target(target, here)
        if path is None:
            return False
        try:
            rel = Path(os.path.normpath(path)).relative_to(os.path.normpath(root)).as_posix()
        except ValueError:
            return False
        return rel == INSTRUCTOR_ONLY or rel.startswith(INSTRUCTOR_ONLY + "/")

    lines = []
    for line in text.split("\n"):
        if any(is_instructor(m.group(3)) for m in MD_LINK.finditer(line)):
            sentences = re.split(r"(?<=[.!?])\s+", line)
            line = " ".join(s for s in sentences if not any(is_instructor(m.group(3)) for m in MD_LINK.finditer(s)))
        lines.append(line)

    def fix(m: re.Match) -> str:
        path = _local_target(m.group(3), here)
        if path is None or path.exists():
            return m.group(0)
        return "" if m.group(1) else m.group(2) + NOT_HERE
    return MD_LINK.sub(fix, "\n".join(lines))


def release_links(root: Path) -> None:
    """Rewrite, in place, the links of every notebook's Markdown cells and every ``.md`` file of a release
    (see ``localise_links``)."""
    import nbformat
    for path in sorted(root.rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        changed = False
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                new = localise_links(cell.source, path.parent, root)
                changed |= new != cell.source
                cell.source = new
        if changed:
            nbformat.write(nb, path)
    for path in sorted(root.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        new = localise_links(text, path.parent, root)
        if new != text:
            path.write_text(new, encoding="utf-8")


__all__ = ["CourseworkError", "assign", "scan", "secrets_of"]
