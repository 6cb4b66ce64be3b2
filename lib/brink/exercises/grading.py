"""Grading: collect submissions, match them to a roster, score them, and write gradebooks and reports.

Every response is checked again against the instructor's key, built from the question
bank: a stored "correct" flag, a score or a time in a submission is never trusted.
Collection names every file it read and every file it left out, and why.
"""
from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .bank import BankError, grading_key, load_bank, select_exercises
from .checking import check
from .coursework import SUBMISSION_FORMAT, CourseworkError, clean_name, name_key, short_hash, slug
from .key import parse_number
from .kinds import KINDS
from .outputs import OutputError, check_output, write_text

MAX_SUBMISSION_BYTES = 1_000_000
MAX_ARCHIVE_MEMBERS = 10_000
FORMATS = ("plain", "canvas", "moodle")
ATTEMPTS = ("last", "first")
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_IDENTITY = ["Full name", "ID number", "Email address", "Username"]


def _cell(value) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def _num(x: float) -> str:
    return f"{round(x, 4):g}"


# --- collection --------------------------------------------------------------------
@dataclass
class Report:
    read: list = field(default_factory=list)      # (label, student)
    left_out: list = field(default_factory=list)  # (label, why)
    warnings: list = field(default_factory=list)
    missing: list = field(default_factory=list)   # roster students with no submission
    unmatched: list = field(default_factory=list)  # (label, name) matched to no one on the roster
    written: list = field(default_factory=list)   # files written

    @property
    def graded(self):
        return self.read

    @property
    def skipped(self):
        return self.left_out

    def text(self) -> str:
        lines = [f"Graded {len(self.read)} submission(s); left out {len(self.left_out)} file(s)."]
        lines += [f"  read {label}: {who}" for label, who in self.read]
        lines += [f"  left out {label}: {why}" for label, why in self.left_out]
        if self.unmatched:
            lines.append(f"{len(self.unmatched)} submission(s) matched no one on the roster:")
            lines += [f"  no match {label}: {who}" for label, who in self.unmatched]
        if self.missing:
            lines.append(f"{len(self.missing)} student(s) on the roster have no submission:")
            lines += [f"  missing: {who}" for who in self.missing]
        lines += [f"  note: {w}" for w in self.warnings]
        lines += [f"Wrote {p}" for p in self.written]
        return "\n".join(lines)


def _is_candidate(name: str) -> bool:
    low = name.casefold()
    return low.endswith(".json") or low.endswith(".json.txt")


def _hidden(part: str) -> bool:
    return part.startswith(".") or part == "__MACOSX"


def _from_zip(label: str, data: bytes, found: list, report: Report, depth: int = 0) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        report.left_out.append((label, f"a damaged zip archive ({e})"))
        return
    if len(members) > MAX_ARCHIVE_MEMBERS:
        report.left_out.append((label, f"a zip archive of {len(members)} files (the limit is {MAX_ARCHIVE_MEMBERS})"))
        return
    for m in members:
        if m.is_dir():
            continue
        inner = f"{label}!{m.filename}"
        parts = m.filename.replace("\\", "/").split("/")
        if any(_hidden(p) for p in parts):
            report.left_out.append((inner, "a hidden or system file"))
            continue
        low = m.filename.casefold()
        if low.endswith(".zip") and depth < 2:
            if m.file_size > 50 * MAX_SUBMISSION_BYTES:
                report.left_out.append((inner, "a zip archive too large to open"))
                continue
            _from_zip(inner, zf.read(m), found, report, depth + 1)
            continue
        if not _is_candidate(m.filename):
            report.left_out.append((inner, "not a submission file (the name does not end in .json)"))
            continue
        if m.file_size > MAX_SUBMISSION_BYTES:
            report.left_out.append((inner, f"too large ({m.file_size} bytes; the limit is {MAX_SUBMISSION_BYTES})"))
            continue
        try:
            found.append((inner, zf.read(m)))
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as e:
            report.left_out.append((inner, f"cannot be read from the archive ({e})"))


def collect(paths, report: Report, exclude=()) -> list[tuple[str, bytes]]:
    """The bytes of every candidate submission under ``paths`` (files, folders, zip archives).

    Folders are read recursively; extensions are compared without regard to case; every
    file not read is added to ``report.left_out`` with the reason.
    """
    exclude = {Path(p).resolve() for p in exclude if p}
    found: list = []

    def one(path: Path, label: str):
        if path.resolve() in exclude:
            return
        if path.is_symlink():
            report.left_out.append((label, "a symbolic link (not followed)"))
            return
        if not path.is_file():
            report.left_out.append((label, "not a regular file"))
            return
        low = path.name.casefold()
        size = path.stat().st_size
        if low.endswith(".zip"):
            if size > 200 * MAX_SUBMISSION_BYTES:
                report.left_out.append((label, f"a zip archive too large to open ({size} bytes)"))
                return
            _from_zip(label, path.read_bytes(), found, report)
            return
        if not _is_candidate(path.name):
            report.left_out.append((label, "not a submission file (the name does not end in .json)"))
            return
        if size > MAX_SUBMISSION_BYTES:
            report.left_out.append((label, f"too large ({size} bytes; the limit is {MAX_SUBMISSION_BYTES})"))
            return
        try:
            found.append((label, path.read_bytes()))
        except OSError as e:
            report.left_out.append((label, f"cannot be read ({e.strerror})"))

    for p in map(Path, paths):
        if not p.exists() and not p.is_symlink():
            report.left_out.append((str(p), "no such file or folder"))
        elif p.is_dir():
            for sub in sorted(p.rglob("*")):
                rel = sub.relative_to(p)
                if sub.is_dir():
                    continue
                if any(_hidden(part) for part in rel.parts):
                    report.left_out.append((str(sub), "a hidden or system file"))
                    continue
                one(sub, str(sub))
        else:
            one(p, str(p))
    return found


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


# --- roster ------------------------------------------------------------------------
ROSTER_COLUMNS = {
    "name": ("student", "name", "full name", "student name"),
    "first": ("first name", "firstname", "given name"),
    "last": ("last name", "lastname", "surname", "family name"),
    "canvas_id": ("id",),
    "id": ("sis user id", "student id", "student_id", "id number", "idnumber", "student number", "sis id"),
    "login": ("sis login id", "login", "login id", "username", "user", "hub user", "jupyterhub user"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "section": ("section", "sections", "group"),
}


@dataclass
class Student:
    name: str
    id: str = ""
    canvas_id: str = ""
    login: str = ""
    email: str = ""
    section: str = ""

    @property
    def key(self) -> str:
        for v in (self.id, self.login, self.email, self.canvas_id):
            if v:
                return "id:" + name_key(v)
        return "name:" + name_key(self.name)


def read_roster(path: Path) -> list[Student]:
    """Read a roster CSV (a Canvas or Moodle export works as it is).

    Columns are recognised by their header, without regard to case: a name (``Student``,
    ``Name``, or ``First name`` and ``Last name``), and at least one identifier: student
    ID (``SIS User ID``, ``ID number``, ``Student ID``), login (``SIS Login ID``,
    ``Username``, the hub user name) or e-mail. A Canvas "Points Possible" row is skipped.

    Raises:
        CourseworkError: naming the file, the row and the column of the problem.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise CourseworkError(f"{path}: the roster cannot be read ({e.strerror})") from None
    except UnicodeDecodeError:
        raise CourseworkError(f"{path}: the roster is not UTF-8 text (save it as CSV UTF-8)") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise CourseworkError(f"{path}: the roster is empty")
    header = [h.strip().casefold() for h in rows[0]]
    cols = {}
    for field_name, names in ROSTER_COLUMNS.items():
        for i, h in enumerate(header):
            if h in names and field_name not in cols:
                cols[field_name] = i
    if "name" not in cols and not ("first" in cols or "last" in cols):
        raise CourseworkError(f"{path}, row 1: no name column (Student, Name, or First name and Last name)")
    if not {"id", "login", "email", "canvas_id"} & set(cols):
        raise CourseworkError(f"{path}, row 1: no identifier column (student ID, login or e-mail)")
    students, seen = [], {}
    for r, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        get = lambda f: row[cols[f]].strip() if f in cols and cols[f] < len(row) else ""  # noqa: E731
        name = get("name") or " ".join(x for x in (get("first"), get("last")) if x)
        if name.casefold().strip() in ("points possible",) or name.strip().startswith("Points Possible"):
            continue
        try:
            s = Student(name=clean_name(name), id=get("id"), canvas_id=get("canvas_id"), login=get("login"),
                        email=get("email"), section=get("section"))
        except CourseworkError as e:
            column = rows[0][cols.get("name", cols.get("first", 0))]
            raise CourseworkError(f"{path}, row {r}, column '{column}': {e}") from None
        if s.key in seen:
            raise CourseworkError(f"{path}, row {r}: the same student as row {seen[s.key]}")
        seen[s.key] = r
        students.append(s)
    return students


def _name_forms(name: str) -> set[str]:
    """A name as written and, for "Last, First", as "First Last"."""
    forms = {name_key(name)}
    if "," in name:
        last, _, first = name.partition(",")
        forms.add(name_key(f"{first} {last}"))
    return forms


def match(sub: dict, roster: list[Student], index: dict) -> Student | None:
    """The roster student a submission belongs to: by login, e-mail or ID, else by a unique name."""
    for f in ("login", "email", "id"):
        v = sub.get(f)
        if v and (hit := index.get(("id", name_key(v)))):
            return hit
    hits = {id(s): s for form in _name_forms(sub["name"]) for s in index.get(("name", form), [])}
    return next(iter(hits.values())) if len(hits) == 1 else None


def _index(roster: list[Student]) -> dict:
    index = {}
    for s in roster:
        for v in (s.id, s.login, s.email, s.canvas_id):
            if v:
                index[("id", name_key(v))] = s
                if "@" in v:                               # a login may be the part of an e-mail before the @
                    index.setdefault(("id", name_key(v.split("@")[0])), s)
        for form in _name_forms(s.name):
            index.setdefault(("name", form), []).append(s)
    return index


# --- written answers -----------------------------------------------------------------
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


# --- grading -----------------------------------------------------------------------
@dataclass
class Graded:
    label: str
    sub: dict
    student: Student
    scores: dict = field(default_factory=dict)     # qid -> float | None (None: unanswered / not yet scored)
    answers: dict = field(default_factory=dict)    # qid -> response
    comments: dict = field(default_factory=dict)   # qid -> rubric comment


def grade(paths, out: Path | None, *, roster: Path | None = None, fmt: str = "plain", exercises=None,
          attempt: str = "last", bank_file: Path | None = None, written_html: Path | None = None,
          anonymise: bool = False, rubric_scores: Path | None = None, feedback_dir: Path | None = None) -> Report:
    """Grade every submission under ``paths`` and write the gradebook ``out`` (and the optional outputs).

    Args:
        paths: files, folders (read recursively) and zip archives.
        out: the gradebook CSV.
        roster: a class list CSV; the gradebook then has one row per roster student.
        fmt: ``plain``, ``canvas`` or ``moodle``.
        exercises: exercise ids to grade (default: all).
        attempt: ``last`` (each question's latest answer) or ``first`` (its first attempt).
        bank_file: the instructor's question bank (default: the kit's).
        written_html: write the written answers, per question, for reading; a scores CSV to fill in goes beside it.
        anonymise: show answer codes instead of names in ``written_html``.
        rubric_scores: a filled-in scores CSV; its scores are merged into the gradebook.
        feedback_dir: write one feedback report per student into this folder.

    Returns:
        A ``Report`` naming every file read and left out.

    Raises:
        CourseworkError: bad options, an output that cannot be written, or nothing graded.
    """
    if fmt not in FORMATS:
        raise CourseworkError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if attempt not in ATTEMPTS:
        raise CourseworkError(f"attempt {attempt!r} is not one of {', '.join(ATTEMPTS)}")
    if fmt != "plain" and roster is None:
        raise CourseworkError(f"a {fmt} gradebook needs --roster (the LMS matches students by its IDs)")
    try:
        targets = [check_output(p) for p in (out, written_html) if p]
        if written_html:
            targets.append(check_output(_scores_template(written_html)))
        if feedback_dir:
            fd = Path(feedback_dir)
            if fd.exists() and (fd.is_symlink() or not fd.is_dir()):
                raise OutputError(f"{fd} is not a folder; name a folder for the feedback reports")
        bank = load_bank(bank_file)
        chosen = select_exercises(bank, exercises)
        key = grading_key(bank_file)
    except (OutputError, BankError) as e:
        raise CourseworkError(str(e)) from None
    questions = [q for ex in chosen for q in key["exercises"][ex]["questions"]]
    plain = {q["id"]: q for q in bank["questions"]}
    written = {q["id"]: float(q["points"]) for q in questions if q["kind"] == "written"}
    report = Report()
    students = read_roster(roster) if roster else None
    index = _index(students) if students else {}
    scores_in = read_rubric_scores(rubric_scores, written) if rubric_scores else {}

    by_student: dict[str, Graded] = {}
    for label, data in collect(paths, report, exclude=targets):
        try:
            sub = parse_submission(data)
        except CourseworkError as e:
            report.left_out.append((label, str(e)))
            continue
        if students is not None:
            who = match(sub, students, index)
            if who is None:
                report.unmatched.append((label, sub["name"]))
                continue
        else:
            who = Student(name=sub["name"], id=sub.get("id", ""), login=sub.get("login", ""), email=sub.get("email", ""))
            if not (who.id or who.login or who.email):
                who = Student(name=sub["name"])
        g = Graded(label, sub, who)
        prev = by_student.get(who.key)
        if prev is not None:
            newer = str(sub.get("submitted_at", "")) >= str(prev.sub.get("submitted_at", ""))
            keep, drop = (g, prev) if newer else (prev, g)
            report.warnings.append(f"{who.name}: two submissions, {prev.label} and {label}; grading "
                                   f"{keep.label} (the later 'submitted_at'), not {drop.label}")
            g = keep
        by_student[who.key] = g
        report.read.append((label, who.name))
    report.read = [(lbl, who) for lbl, who in report.read if any(g.label == lbl for g in by_student.values())]
    if not by_student:
        problem = "nothing was graded: no file under " + ", ".join(map(str, paths)) + " is a Brink submission"
        if report.unmatched:
            problem = "nothing was graded: no submission matched the roster"
        raise CourseworkError(problem + "\n" + report.text())

    for g in by_student.values():
        answers = chosen_answers(g.sub, attempt)
        for q in questions:
            ex_answers = answers.get(q["exercise"], {})
            if q["id"] not in ex_answers:
                g.scores[q["id"]] = None
                continue
            response = ex_answers[q["id"]]
            g.answers[q["id"]] = response
            if q["kind"] == "written":
                got = scores_in.get((answer_code(g.student.key, q["id"]), q["id"]))
                g.scores[q["id"]] = got[0] if got else None
                if got:
                    g.comments[q["id"]] = got[1]
            else:
                g.scores[q["id"]] = check(q, response, words=False).score
    if attempt == "first" and any(not g.sub["attempts"] for g in by_student.values()):
        report.warnings.append("some submissions carry no attempt log; their last answers are used")
    unscored = sum(1 for g in by_student.values() for q in written if q in g.answers and g.scores[q] is None)
    if unscored:
        report.warnings.append(f"{unscored} written answer(s) have no rubric score yet (blank in the gradebook; "
                               "use --written-html to read them and --rubric-scores to merge the scores)")
    ordered = (sorted(by_student.values(), key=lambda g: name_key(g.student.name)) if students is None else
               [by_student.get(s.key) or Graded("", {}, s, {q["id"]: None for q in questions}) for s in students])
    if students is not None:
        report.missing = [s.name for s in students if s.key not in by_student]
    exercise_titles = {ex: key["exercises"][ex]["title"] for ex in chosen}
    try:
        if out:
            write_text(out, gradebook_csv(ordered, questions, chosen, exercise_titles, fmt), "gradebook")
            report.written.append(out)
        if written_html:
            html_text, template = written_report(ordered, questions, plain, anonymise)
            write_text(written_html, html_text, "written-answers file")
            write_text(_scores_template(written_html), template, "scores file")
            report.written += [written_html, _scores_template(written_html)]
        if feedback_dir:
            for g in ordered:
                if g.label:
                    path = Path(feedback_dir) / f"feedback-{slug(g.student.name)}-{short_hash(g.student.key)}.html"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    write_text(path, feedback_report(g, questions, plain, exercise_titles), "feedback report")
            report.written.append(feedback_dir)
    except OutputError as e:
        raise CourseworkError(str(e)) from None
    except OSError as e:
        raise CourseworkError(f"{feedback_dir}: cannot write there ({e.strerror})") from None
    return report


def _scores_template(written_html) -> Path:
    p = Path(written_html)
    return p.with_name(p.stem + "-scores.csv")


def _exercise_score(g: Graded, questions: list, ex: str) -> str:
    qs = [q for q in questions if q["exercise"] == ex]
    if not any(q["id"] in g.answers for q in qs):
        return ""                                                  # unanswered: blank, not 0
    return _num(sum(g.scores.get(q["id"]) or 0 for q in qs))


def gradebook_csv(rows: list, questions: list, exercises: list, titles: dict, fmt: str) -> str:
    """The gradebook as CSV text in the chosen format (see the instructor guide)."""
    possible = {ex: sum(float(q["points"]) for q in questions if q["exercise"] == ex) for ex in exercises}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if fmt == "canvas":
        w.writerow(CANVAS_IDENTITY + [titles[ex] for ex in exercises])
        w.writerow(["Points Possible", "", "", "", ""] + [_num(possible[ex]) for ex in exercises])
        for g in rows:
            s = g.student
            w.writerow([_cell(x) for x in (s.name, s.canvas_id, s.id, s.login, s.section)]
                       + [_exercise_score(g, questions, ex) for ex in exercises])
    elif fmt == "moodle":
        w.writerow(MOODLE_IDENTITY + [titles[ex] for ex in exercises])
        for g in rows:
            s = g.student
            w.writerow([_cell(x) for x in (s.name, s.id, s.email, s.login)]
                       + [_exercise_score(g, questions, ex) for ex in exercises])
    else:
        w.writerow(["Student", "ID", "Email", "Login", *[q["id"] for q in questions],
                    *[titles[ex] for ex in exercises], "Total"])
        w.writerow(["Points Possible", "", "", "", *[_num(float(q["points"])) for q in questions],
                    *[_num(possible[ex]) for ex in exercises], _num(sum(possible.values()))])
        for g in rows:
            s = g.student
            per_q = ["" if g.scores.get(q["id"]) is None else _num(g.scores[q["id"]]) for q in questions]
            per_ex = [_exercise_score(g, questions, ex) for ex in exercises]
            total = _num(sum(float(x) for x in per_ex if x)) if any(per_ex) else ""
            w.writerow([_cell(x) for x in (s.name, s.id, s.email, s.login)] + per_q + per_ex + [total])
    return buf.getvalue()


def _esc(x) -> str:
    return html.escape(str(x), quote=True)


def _show(response) -> str:
    if isinstance(response, list):
        return " → ".join(map(str, response)) if response else "(nothing)"
    if isinstance(response, dict):
        return "; ".join(f"{k} → {v}" for k, v in response.items()) or "(nothing)"
    return str(response)


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}}
article{{border-top:1px solid #999;padding:.5em 0}} .answer{{white-space:pre-wrap}}</style></head>
<body><h1>{title}</h1>
{body}
</body></html>
"""


def written_report(rows: list, questions: list, plain: dict, anonymise: bool) -> tuple[str, str]:
    """The written answers per question for reading (HTML), and the scores CSV to fill in."""
    parts = []
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["answer", "question", "score", "points", "comment", "student"])
    for q in questions:
        if q["kind"] != "written":
            continue
        bq = plain[q["id"]]
        crit = "".join(f"<li>{_esc(c['criterion'])} ({_esc(c['points'])} pt)</li>" for c in bq["rubric"])
        parts.append(f"<h2>{_esc(q['id'])}: {_esc(q['prompt'])}</h2><p>Rubric ({_num(float(q['points']))} points):</p>"
                     f"<ul>{crit}</ul><details><summary>Model answer</summary><p>{_esc(bq['model_answer'])}</p></details>")
        answered = [g for g in rows if q["id"] in g.answers]
        if anonymise:
            answered.sort(key=lambda g: answer_code(g.student.key, q["id"]))
        for g in answered:
            code = answer_code(g.student.key, q["id"])
            who = code if anonymise else f"{g.student.name} ({code})"
            parts.append(f'<article id="{code}"><h3>{_esc(who)}</h3>'
                         f'<p class="answer">{_esc(_show(g.answers[q["id"]]))}</p></article>')
            w.writerow([code, q["id"], "", _num(float(q["points"])), "", "" if anonymise else _cell(g.student.name)])
    title = "Written answers" + (" (anonymised)" if anonymise else "")
    return PAGE.format(title=title, body="\n".join(parts)), buf.getvalue()


def feedback_report(g: Graded, questions: list, plain: dict, titles: dict) -> str:
    """One student's feedback: each question, their answer, the score, the solution and the feedback."""
    parts = []
    for ex, title in titles.items():
        qs = [q for q in questions if q["exercise"] == ex]
        got = _exercise_score(g, questions, ex)
        possible = sum(float(q["points"]) for q in qs)
        parts.append(f"<h2>{_esc(title)}: {_esc(got or 'not answered')}"
                     f"{' of ' + _num(possible) + ' points' if got else ''}</h2>")
        for q in qs:
            bq = plain[q["id"]]
            kind = KINDS[q["kind"]]
            answer = g.answers.get(q["id"])
            score = g.scores.get(q["id"])
            line = "not answered" if answer is None else _esc(_show(answer))
            pts = ("not scored yet" if score is None and answer is not None else
                   "" if score is None else f"{_num(score)} of {_num(float(q['points']))} points")
            extra = ""
            fb = bq.get("feedback", {})
            if isinstance(answer, str) and answer in fb:
                extra += f"<p>Feedback: {_esc(fb[answer])}</p>"
            if q["id"] in g.comments and g.comments[q["id"]]:
                extra += f"<p>Your instructor: {_esc(g.comments[q['id']])}</p>"
            parts.append(f"<article><h3>{_esc(q['prompt'])}</h3><p>Your answer: <span class=\"answer\">{line}</span></p>"
                         f"<p>{_esc(pts)}</p>{extra}<p class=\"answer\">{_esc(kind.describe(bq))}</p></article>")
    return PAGE.format(title=f"Feedback for {_esc(g.student.name)}", body="\n".join(parts))
