"""``brink papers``: issue each student's paper code, and print any student's paper.

    brink papers --roster class.csv -o codes.csv                      # every student's code
    brink papers --roster class.csv --student "Ada Lovelace" --paper ada.html [--answers]

The codes come from the roster you grade with (``variants.paper_code`` of each student's
identity under the instructor secret, created on first use). A printed paper shows each
question as that student's notebook shows it: the variant drawn for them, the options in
their order; ``--answers`` adds the key (the instructor's copy).
"""
from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from .bank import BankError, load_bank, select_exercises
from .errors import CourseworkError
from .kinds import KINDS
from .normal import norm
from .outputs import OutputError, write_text
from .roster import Student, read_roster
from .variants import PaperError, in_order, paper_code, read_secret, secret_path, variant_of


def codes_csv(students: list[Student], secret: bytes) -> str:
    """One row per student: name, the roster's identifiers, and the paper code issued to them."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["Student", "ID", "Login", "Email", "Paper code"])
    for s in students:
        w.writerow([s.name, s.id, s.login, s.email, paper_code(secret, s.key)])
    return buf.getvalue()


def find_student(students: list[Student], who: str) -> Student:
    """The one roster student named, or whose ID, login or e-mail is ``who``.

    Raises:
        CourseworkError: no one, or more than one, fits.
    """
    want = norm(who)
    hits = [s for s in students if want in {norm(v) for v in (s.name, s.id, s.login, s.email, s.canvas_id) if v}]
    if len(hits) != 1:
        raise CourseworkError(f"{'no' if not hits else len(hits)} student(s) on the roster match {who!r}"
                              + ("; give their ID or login" if hits else ""))
    return hits[0]


def _esc(x) -> str:
    return html.escape(str(x), quote=True)


def paper_html(bank: dict, student: Student, code: str, exercises: list, answers: bool = False) -> str:
    """One student's paper as their notebooks show it (with the key if ``answers``)."""
    parts = [f"<p>Paper code {_esc(code)}. Each question is the variant drawn for this code, its options in "
             "the order this student sees them.</p>"]
    for ex in exercises:
        parts.append(f"<h2>{_esc(bank['exercises'][ex].get('title', ex))}</h2>")
        for n, q in enumerate((q for q in bank["questions"] if q["exercise"] == ex), start=1):
            pool = q.get("pool") or [q]
            v = in_order(variant_of(q, code), code)
            which = f" (variant {pool.index(variant_of(q, code)) + 1} of {len(pool)})" if len(pool) > 1 else ""
            parts.append(f"<article><h3>Question {n}{which}: {_esc(v['prompt'])}</h3>")
            for field in ("options", "items"):
                if field in v:
                    parts.append("<ol type=\"A\">" + "".join(f"<li>{_esc(o)}</li>" for o in v[field]) + "</ol>")
            if "left" in v:
                parts.append("<p>Match:</p><ol>" + "".join(f"<li>{_esc(o)}</li>" for o in v["left"]) + "</ol><p>to:</p>"
                             "<ol type=\"A\">" + "".join(f"<li>{_esc(o)}</li>" for o in v["right"]) + "</ol>")
            if answers:
                parts.append(f"<p class=\"key\">{_esc(KINDS[v['kind']].describe(v))}</p>")
            parts.append("</article>")
    title = f"Paper of {student.name}" + (" (with answers)" if answers else "")
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{_esc(title)}</title>'
            "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
            "article{border-top:1px solid #999;padding:.5em 0}.key{font-weight:bold}</style></head>"
            f"<body><main><h1>{_esc(title)}</h1>\n" + "\n".join(parts) + "\n</main></body></html>\n")


def papers_command(roster: Path, out: Path | None = None, student: str | None = None, paper: Path | None = None,
                   answers: bool = False, exercises=None, secret: Path | None = None,
                   bank_file: Path | None = None) -> str:
    """Run ``brink papers``; returns what to print.

    Raises:
        CourseworkError: a bad roster, secret, student or output (one line).
    """
    if (student is None) != (paper is None):
        raise CourseworkError("--student and --paper go together: name the student and the file to write")
    if out is None and paper is None:
        raise CourseworkError("say what to write: -o CODES.csv (every student's code) or --student NAME --paper FILE")
    students = read_roster(roster)
    try:
        key = read_secret(secret, create=True)
        lines = []
        if out is not None:
            write_text(out, codes_csv(students, key), "codes file")
            lines.append(f"Wrote {len(students)} paper code(s) to {out}. Give each student their own code; "
                         f"keep the secret {secret or secret_path()} (it is not in any release).")
        if paper is not None and student is not None:   # the two go together (checked above)
            bank = load_bank(bank_file)
            who = find_student(students, student)
            code = paper_code(key, who.key)
            write_text(paper, paper_html(bank, who, code, select_exercises(bank, exercises), answers), "paper")
            lines.append(f"Wrote the paper of {who.name} (code {code}) to {paper}.")
    except (PaperError, OutputError, BankError) as e:
        raise CourseworkError(str(e)) from None
    return "\n".join(lines)
