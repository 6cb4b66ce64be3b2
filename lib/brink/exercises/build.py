"""The exercise notebooks, generated from the question bank: one per ``[exercise.…]`` table.

    python -m brink.exercises.build            # write exercises/*-exercises.ipynb (sources only)
    python -m brink.exercises.build --check    # exit 1 if a committed notebook's cells differ

The instructor copies carry a solution cell after each question (tagged ``solution``);
a student release gets the same notebooks without them, and with the instructions of
its mode (practice or assessed). ``make notebooks`` then runs the instructor copies and
stores their outputs.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat

from .._paths import exercises_dir, notebooks_dir

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def notebook_metadata() -> dict:
    """A notebook's metadata as the kit stores it: the kernelspec, and the ``language_info`` that the
    python3 kernel (ipykernel) reports on the Python running this.

    JupyterLab writes the kernel's ``language_info`` into a notebook as soon as its kernel starts,
    and a notebook whose stored one differs opens marked as modified. So the stored one is the
    kernel's own, down to the Python version (a kernel on another version still marks it modified).

    Returns:
        A new dict (``kernelspec``, ``language_info``).

    >>> meta = notebook_metadata()
    >>> meta["kernelspec"]["name"], meta["language_info"]["name"], meta["language_info"]["version"] == sys.version.split()[0]
    ('python3', 'python', True)
    """
    return {"kernelspec": dict(KERNELSPEC),
            "language_info": {"codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
                              "file_extension": ".py", "mimetype": "text/x-python", "name": "python",
                              "nbconvert_exporter": "python", "pygments_lexer": "ipython3",
                              "version": sys.version.split()[0]}}

HOW_PRACTICE = """**How to answer**
- Run the notebook (Run ▸ Run All Cells), then answer each question with its controls and press **Check answer**. With the keyboard: Tab moves between controls, the arrow keys choose within a list, Space or Enter presses the button.
- Feedback appears under the button, in words: ✓ correct, ◐ partly right, ✗ not yet (with a hint). Try again as often as you like; every attempt is saved.
- Your answers are saved in the folder `brink-answers/` beside this notebook. If you restart the kernel or reopen the notebook, run it again and your answers come back.
- Written questions are graded by your instructor; after your first attempt you see a model answer and the rubric."""

HOW_ASSESSED = """**How to answer** (assessed: no feedback until your instructor grades it)
- Run the notebook (Run ▸ Run All Cells), then answer each question with its controls and press **Save answer**. With the keyboard: Tab moves between controls, the arrow keys choose within a list, Space or Enter presses the button.
- Each question says "Saved" when your answer is stored; it does not say whether it is right. You can change an answer and save it again until you hand in; every attempt is kept.
- Your answers are saved in the folder `brink-answers/` beside this notebook. If you restart the kernel or reopen the notebook, run it again and your answers come back.
- Your instructor scores every question after the deadline and may send you a feedback report."""

HAND_IN = """When you are done, hand in your answers. Run this in a new cell of this notebook, with your name as your instructor knows it:

```python
from brink.exercises import submit
submit("Your Name")
```

It writes one file, `submission-….json`, with your answers to every exercise, and says where it is and which answers it holds; hand in that file. (In a terminal, `brink submit --name "Your Name"` does the same from any folder of the kit.)"""


def _lesson_title(lesson: str) -> str:
    path = notebooks_dir() / lesson
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        first = "".join(nb["cells"][0]["source"]).splitlines()[0]
        return first.lstrip("# ").split(":")[0].strip()
    except (OSError, ValueError, KeyError, IndexError):
        return Path(lesson).stem


def _md(text: str):
    return nbformat.v4.new_markdown_cell(text)


def _code(text: str, tags=()):
    cell = nbformat.v4.new_code_cell(text)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def notebook(bank: dict, ex_id: str, solutions: bool = True, mode: str = "practice"):
    """The exercise notebook of ``ex_id``: every question of the bank in bank order.

    Args:
        bank: a loaded bank.
        ex_id: the exercise id.
        solutions: add the instructor's solution cells (tagged ``solution``).
        mode: ``practice`` or ``assessed`` (the instructions differ).

    Returns:
        An ``nbformat`` notebook without outputs.
    """
    meta = bank["exercises"][ex_id]
    questions = [q for q in bank["questions"] if q["exercise"] == ex_id]
    kinds = ", ".join(sorted({q["kind"] for q in questions}))
    lesson = meta.get("lesson")
    what = "Assessed exercises" if mode == "assessed" else "Practice"
    link = f" for the lesson [{_lesson_title(lesson)}](../notebooks/{lesson})" if lesson else ""
    minutes = meta.get("minutes", 30)
    cells = [_md(f"# {meta.get('title', ex_id)}\n\n{what}{link}. {len(questions)} questions ({kinds}); "
                 f"about {minutes} minutes.\n\n{HOW_ASSESSED if mode == 'assessed' else HOW_PRACTICE}"),
             _code(f'from brink.exercises import Exercise\n\nex = Exercise("{ex_id}")\nex.scoreboard()')]
    for n, q in enumerate(questions, start=1):
        cells += [_md(f"## Question {n}"), _code(f'ex.show("{q["id"]}")')]
        if solutions:
            cells.append(_code(f"# Solution (instructor copy only: `brink assign` removes this cell)\n"
                               f'print(ex.solution("{q["id"]}"))', tags=["solution"]))
    score = ("The count of saved answers; your instructor scores them after the deadline." if mode == "assessed"
             else "The running score counts the questions checked automatically.")
    cells += [_md(f"## Your {'answers' if mode == 'assessed' else 'score'} and handing in\n\n{score}"),
              _code("ex.scoreboard()"), _md(HAND_IN)]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = notebook_metadata()
    return nb


def sources(nb) -> list:
    """What a notebook says, without its outputs: (type, source, tags) of every cell."""
    return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
             tuple(c.get("metadata", {}).get("tags", []))) for c in nb["cells"]]


def stale(bank: dict, folder: Path | None = None) -> list[str]:
    """The exercise notebooks whose cells differ from what the bank generates (or that are missing)."""
    folder = folder or exercises_dir()
    out = []
    for ex_id in bank["exercises"]:
        path = folder / f"{ex_id}-exercises.ipynb"
        if not path.is_file() or sources(nbformat.read(path, as_version=4)) != sources(notebook(bank, ex_id)):
            out.append(path.name)
    return out


def write(bank: dict, folder: Path | None = None) -> list[Path]:
    """Write every instructor notebook whose cells changed (outputs of unchanged ones are kept)."""
    folder = folder or exercises_dir()
    written = []
    for name in stale(bank, folder):
        ex_id = name.removesuffix("-exercises.ipynb")
        nbformat.write(notebook(bank, ex_id), folder / name)
        written.append(folder / name)
    return written


def main(argv=None) -> int:
    from .bank import BankError, load_bank
    argv = sys.argv[1:] if argv is None else argv
    try:
        bank = load_bank()
    except BankError as e:
        print(f"brink exercises: {e}", file=sys.stderr)
        return 1
    if "--check" in argv:
        old = stale(bank)
        for name in old:
            print(f"brink exercises: {name} differs from the question bank; run `brink exercises` (or .venv/bin/brink exercises)",
                  file=sys.stderr)
        return 1 if old else 0
    for path in write(bank):
        print(f"wrote {path.name} (run `make notebooks` to store its outputs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
