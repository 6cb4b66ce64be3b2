"""The coursework workflow: a student release, a submission file, and a gradebook.

- ``assign(out)`` writes a copy of the kit for students: lessons, data, library and
  exercise notebooks, with the question bank replaced by a compiled key and every
  cell tagged ``solution`` removed.
- ``submit(name)`` gathers the student's saved answers into one file named after them.
- ``grade(paths, out)`` re-checks every answer against the key (a stored "correct"
  flag is never trusted) and writes one CSV row per student. A malformed,
  truncated, oversized or hostile submission is named in the report and skipped.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .._paths import KIT_ROOT, exercises_dir
from .bank import KEY_FILE, compile_key, load_key
from .checking import check
from .store import all_answers, atomic_write_text

SUBMISSION_FORMAT = "brink-submission/1"
MAX_SUBMISSION_BYTES = 1_000_000
MAX_NAME = 100
RELEASE_COPY = ["README.md", "Makefile", "pyproject.toml", "environment.yml", "data", "lib", "notebooks"]


class CourseworkError(ValueError):
    """A coursework command cannot go on; the message says what to change."""


# --- assign -----------------------------------------------------------------------
def assign(out: Path, force: bool = False) -> list[Path]:
    """Write a student release of the kit into ``out``; returns the files written."""
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not force:
        raise CourseworkError(f"{out} is not empty; choose a new folder or pass --force")
    if out.resolve() == KIT_ROOT.resolve() or KIT_ROOT.resolve() in out.resolve().parents:
        raise CourseworkError(f"{out} is inside the kit; choose a folder outside it")
    out.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".ipynb_checkpoints", "brink-answers")
    for name in RELEASE_COPY:
        src = KIT_ROOT / name
        if src.is_dir():
            shutil.copytree(src, out / name, ignore=ignore, dirs_exist_ok=True)
        elif src.exists():
            shutil.copy2(src, out / name)
    ex_out = out / "exercises"
    ex_out.mkdir(exist_ok=True)
    for nb_path in sorted(exercises_dir().glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        nb.cells = [c for c in nb.cells if "solution" not in c.get("metadata", {}).get("tags", [])]
        nbformat.write(nb, ex_out / nb_path.name)
    key = compile_key(random_salt=True)
    (ex_out / KEY_FILE).write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "STUDENT-RELEASE.md").write_text(
        "# Brink: student release\n\nRun `make lab`, open the lessons in `notebooks/` and the exercises in "
        "`exercises/`. Your answers are saved as you check them, in `exercises/brink-answers/`. When you are done, "
        "run `../.venv/bin/brink submit --name \"Your Name\"` in a terminal in the `exercises/` folder (the last cell "
        "of each exercise notebook shows another way) and hand in the file it writes.\n",
        encoding="utf-8")
    return sorted(p for p in out.rglob("*") if p.is_file())


# --- submit -----------------------------------------------------------------------
def clean_name(name: str) -> str:
    """A student's name as it may appear in a gradebook: trimmed, printable, at most 100 characters."""
    if not isinstance(name, str):
        raise CourseworkError("the name must be text")
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name:
        raise CourseworkError("the name is empty")
    if len(name) > MAX_NAME:
        raise CourseworkError(f"the name is longer than {MAX_NAME} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in name):
        raise CourseworkError("the name has control or invisible characters")
    return name


def slug(name: str) -> str:
    """A safe file-name part: ``"Ada Lovelace"`` → ``"ada-lovelace"``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return s[:60] or "student"


def submit(name: str, answers_folder: Path | None = None, out: Path | None = None,
           problems: list | None = None) -> Path:
    """Write the student's submission file; returns its path.

    An answer file that cannot be read is left as it is and named in ``problems``; the
    readable ones are submitted.
    """
    name = clean_name(name)
    answers = all_answers(answers_folder, problems)
    if not answers:
        raise CourseworkError("no saved answers found: run this in the folder of your exercise notebooks")
    data = {"format": SUBMISSION_FORMAT, "name": name,
            "submitted_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "answers": answers}
    out = Path(out) if out else Path.cwd() / f"submission-{slug(name)}.json"
    atomic_write_text(out, json.dumps(data, ensure_ascii=False, indent=1))
    return out


# --- grade ------------------------------------------------------------------------
@dataclass
class GradeReport:
    graded: list = field(default_factory=list)    # (file name, student name)
    skipped: list = field(default_factory=list)   # (file name, reason)
    warnings: list = field(default_factory=list)

    def text(self) -> str:
        lines = [f"Graded {len(self.graded)} submission(s); skipped {len(self.skipped)}."]
        lines += [f"  skipped {f!r}: {why}" for f, why in self.skipped]
        lines += [f"  note: {w}" for w in self.warnings]
        return "\n".join(lines)


def read_submission(path: Path) -> dict:
    """Read and check one submission; raises CourseworkError saying what is wrong."""
    if path.is_symlink() or not path.is_file():
        raise CourseworkError("not a regular file")
    size = path.stat().st_size
    if size > MAX_SUBMISSION_BYTES:
        raise CourseworkError(f"too large ({size} bytes; the limit is {MAX_SUBMISSION_BYTES})")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise CourseworkError("not UTF-8 text") from None
    except (json.JSONDecodeError, RecursionError) as e:
        raise CourseworkError(f"not valid JSON, perhaps truncated ({str(e)[:80]})") from None
    if not isinstance(data, dict) or data.get("format") != SUBMISSION_FORMAT:
        raise CourseworkError("not a Brink submission (no 'format': 'brink-submission/1')")
    data["name"] = clean_name(data.get("name"))
    answers = data.get("answers")
    if not isinstance(answers, dict) or not all(isinstance(v, dict) for v in answers.values()):
        raise CourseworkError("'answers' must map each exercise to its answers")
    return data


def _cell(value) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula."""
    s = str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def grade(paths: list, out: Path) -> GradeReport:
    """Grade every submission in ``paths`` (files, or folders of ``*.json``) into the CSV ``out``."""
    out = Path(out)
    if out.is_dir():
        raise CourseworkError(f"{out} is a folder; name the CSV file to write")
    key = load_key()
    questions = [q for ex in key["exercises"].values() for q in ex["questions"]]
    files = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(x for x in p.iterdir() if x.suffix == ".json")
        else:
            files.append(p)
    report, rows, names = GradeReport(), [], {}
    for f in files:
        if f.resolve() == out.resolve():
            continue
        try:
            sub = read_submission(f)
        except (CourseworkError, OSError) as e:
            report.skipped.append((f.name, str(e)))
            continue
        row = {"Student": sub["name"]}
        total = 0.0
        for q in questions:
            answers = sub["answers"].get(q["exercise"], {})
            if q["kind"] == "written":
                row[q["id"]] = ""
                continue
            score = check(q, answers[q["id"]]).score if q["id"] in answers else 0.0
            row[q["id"]] = f"{score:g}"
            total += score
        row["Total"] = f"{total:g}"
        rows.append(row)
        report.graded.append((f.name, sub["name"]))
        names.setdefault(sub["name"], []).append(f.name)
    for name, fs in names.items():
        if len(fs) > 1:
            report.warnings.append(f"{name!r} submitted {len(fs)} files: {', '.join(fs)} (each has a row)")
    written = [q["id"] for q in questions if q["kind"] == "written"]
    if written:
        report.warnings.append(f"written questions {', '.join(written)} are left blank for you to grade by the rubric")
    header = ["Student", *[q["id"] for q in questions], "Total"]
    buf = io.StringIO()
    wr = csv.DictWriter(buf, fieldnames=header, lineterminator="\r\n")
    wr.writeheader()
    for row in rows:
        wr.writerow({k: _cell(v) for k, v in row.items()})
    atomic_write_text(out, buf.getvalue())
    return report
