"""The lessons' metadata, kept once in ``notebooks/lessons.toml``, written into the notebooks and the README.

    python scripts/lessons.py            # write every lesson's header and key-points cells, and README's table
    python scripts/lessons.py --check    # change nothing; exit 1 naming each notebook or table that is stale

Each lesson's title, time, questions, objectives, key points and exercise are kept in one place,
``notebooks/lessons.toml`` (one ``[[lesson]]`` table per notebook, in the order of the lessons, in the
manner of the Carpentries' lesson episodes). From it this script writes:

- the lesson's first cell (a Markdown cell): the title, the introduction, **Time**, **Questions**,
  **Objectives** and, where the lesson has one, the **Exercise** that goes with it;
- the lesson's ``## Key points`` cell (the Markdown cell that starts with that heading, near the end);
- the lesson table in ``README.md``, between its two ``lessons`` markers: notebook, ``about``, time.

Edit ``lessons.toml``, never those cells or that table by hand: ``make test`` fails while they differ
from it (tests/test_lessons.py runs ``--check``). Only Markdown cells change, so the notebooks' stored
outputs stay as they are and strict nbval stays green.

**Adding a lesson** (say ``05-coding-together``):

1. Write the notebook ``notebooks/05-coding-together.ipynb``. Its first cell is a Markdown cell (any
   text: this script replaces it), and one Markdown cell near its end starts with ``## Key points``.
2. Add a ``[[lesson]]`` table for it to ``notebooks/lessons.toml``, after lesson 04, with every key:
   ``notebook``, ``title``, ``about`` (README's one line), ``minutes``, ``intro``, ``questions`` (1-3),
   ``objectives`` (3-5), ``key_points``, and ``exercise`` (the exercise notebook's name, without
   ``.ipynb``) if an exercise goes with it.
3. Run ``python scripts/lessons.py``, then ``python scripts/run_notebooks.py notebooks/05-coding-together.ipynb``
   to store its outputs, and commit the notebook, ``lessons.toml`` and ``README.md`` together.
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import nbformat

KIT = Path(__file__).resolve().parents[1]
LESSONS_FILE = Path("notebooks") / "lessons.toml"
README = Path("README.md")
BEGIN = "<!-- BEGIN lessons: generated from notebooks/lessons.toml by scripts/lessons.py; edit that file -->"
END = "<!-- END lessons -->"
KEYS = {"notebook", "title", "about", "minutes", "intro", "questions", "objectives", "key_points"}
OPTIONAL = {"exercise"}
KEY_POINTS = "## Key points"


class LessonsError(ValueError):
    """``lessons.toml`` or a lesson notebook is not as this script needs it (one line: file and what)."""


def load(kit: Path = KIT) -> list[dict]:
    """The lessons of ``notebooks/lessons.toml``, in order, each checked for its keys.

    Args:
        kit: the kit folder.
    Returns:
        One dict per lesson.
    Raises:
        LessonsError: the file is missing or not TOML, or a lesson lacks a key or has an unknown one.

    >>> [lesson["notebook"] for lesson in load()][:2]
    ['00-start-here', '01-timeline']
    """
    path = kit / LESSONS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise LessonsError(f"{LESSONS_FILE}: cannot be read ({e})") from None
    lessons = data.get("lesson", [])
    if not lessons:
        raise LessonsError(f"{LESSONS_FILE}: no [[lesson]] tables")
    for n, lesson in enumerate(lessons, start=1):
        name = lesson.get("notebook", f"lesson {n}")
        if missing := KEYS - set(lesson):
            raise LessonsError(f"{LESSONS_FILE}, {name}: missing {', '.join(sorted(missing))}")
        if unknown := set(lesson) - KEYS - OPTIONAL:
            raise LessonsError(f"{LESSONS_FILE}, {name}: unknown key(s) {', '.join(sorted(unknown))} "
                               f"(known: {', '.join(sorted(KEYS | OPTIONAL))})")
    return lessons


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def header(lesson: dict) -> str:
    """The lesson's first cell: title, introduction, time, questions, objectives and exercise.

    >>> print(header({"title": "T", "intro": "Why.", "minutes": 5, "questions": ["Q?"], "objectives": ["Do."],
    ...               "exercise": "01-x-exercises"}))
    # T
    <BLANKLINE>
    Why.
    <BLANKLINE>
    **Time:** 5 minutes
    <BLANKLINE>
    **Questions**
    - Q?
    <BLANKLINE>
    **Objectives**
    - Do.
    <BLANKLINE>
    **Exercise:** [01-x-exercises.ipynb](../exercises/01-x-exercises.ipynb) goes with this lesson.
    """
    parts = [f"# {lesson['title']}", lesson["intro"].strip(), f"**Time:** {lesson['minutes']} minutes",
             f"**Questions**\n{_bullets(lesson['questions'])}", f"**Objectives**\n{_bullets(lesson['objectives'])}"]
    if lesson.get("exercise"):
        ex = lesson["exercise"]
        parts.append(f"**Exercise:** [{ex}.ipynb](../exercises/{ex}.ipynb) goes with this lesson.")
    return "\n\n".join(parts)


def key_points(lesson: dict) -> str:
    """The lesson's key-points cell.

    >>> key_points({"key_points": ["One.", "Two."]})
    '## Key points\\n\\n- One.\\n- Two.'
    """
    return f"{KEY_POINTS}\n\n{_bullets(lesson['key_points'])}"


def table(lessons: list[dict]) -> str:
    """README's lesson table (Markdown), one row per lesson.

    >>> print(table([{"notebook": "00-a", "about": "the start", "minutes": 30}]))
    | notebook | about | time |
    |---|---|---|
    | `00-a` | the start | 30 min |
    """
    rows = [f"| `{lesson['notebook']}` | {lesson['about']} | {lesson['minutes']} min |" for lesson in lessons]
    return "\n".join(["| notebook | about | time |", "|---|---|---|", *rows])


def updated_notebook(nb, lesson: dict, shown: str):
    """``nb`` with its header and key-points cells written from ``lesson`` (the same object, changed)."""
    cells = nb.cells
    if not cells or cells[0].cell_type != "markdown":
        raise LessonsError(f"{shown}: the first cell is not a Markdown cell (the lesson's header goes there)")
    points = [c for c in cells if c.cell_type == "markdown" and c.source.startswith(KEY_POINTS)]
    if len(points) != 1:
        raise LessonsError(f"{shown}: {len(points)} Markdown cells start with '{KEY_POINTS}' (need exactly one)")
    cells[0].source = header(lesson)
    points[0].source = key_points(lesson)
    return nb


def updated_readme(text: str, lessons: list[dict]) -> str:
    """README's text with the lesson table between its markers written from ``lessons``."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise LessonsError(f"{README}: needs one '{BEGIN}' line and one '{END}' line after it")
    before, rest = text.split(BEGIN)
    _, after = rest.split(END)
    return f"{before}{BEGIN}\n{table(lessons)}\n{END}{after}"


def run(kit: Path = KIT, check: bool = False) -> list[str]:
    """Write (or, with ``check``, only compare) every lesson's cells and README's table.

    Returns:
        The files that differ from ``lessons.toml`` (with ``check``) or that were rewritten.
    Raises:
        LessonsError: a lesson's notebook is missing or lacks the cells to write, or the README its markers.
    """
    lessons = load(kit)
    stale = []
    for lesson in lessons:
        rel = Path("notebooks") / f"{lesson['notebook']}.ipynb"
        path = kit / rel
        if not path.is_file():
            raise LessonsError(f"{LESSONS_FILE}: {lesson['notebook']} has no notebook {rel}")
        old = path.read_text(encoding="utf-8")
        nb = updated_notebook(nbformat.reads(old, as_version=4), lesson, str(rel))
        new = nbformat.writes(nb)
        new += "" if new.endswith("\n") else "\n"       # as nbformat.write ends a file
        if nbformat.reads(new, as_version=4) != nbformat.reads(old, as_version=4):
            stale.append(str(rel))
            if not check:
                path.write_text(new, encoding="utf-8")
    listed = {lesson["notebook"] for lesson in lessons}
    for path in sorted((kit / "notebooks").glob("*.ipynb")):
        if path.stem not in listed:
            raise LessonsError(f"notebooks/{path.name} is not in {LESSONS_FILE}: add a [[lesson]] table for it")
    old = (kit / README).read_text(encoding="utf-8")
    new = updated_readme(old, lessons)
    if new != old:
        stale.append(str(README))
        if not check:
            (kit / README).write_text(new, encoding="utf-8")
    return stale


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write the lessons' header and key-points cells and README's "
                                             "lesson table from notebooks/lessons.toml.")
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is stale")
    ap.add_argument("--kit", type=Path, default=KIT, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    try:
        stale = run(args.kit, check=args.check)
    except LessonsError as e:
        print(f"lessons: {e}", file=sys.stderr)
        return 2
    if args.check:
        for name in stale:
            print(f"lessons: {name} differs from {LESSONS_FILE}: run python scripts/lessons.py", file=sys.stderr)
        return 1 if stale else 0
    print(f"lessons: {len(stale)} file(s) rewritten from {LESSONS_FILE}" + (f": {', '.join(stale)}" if stale else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
