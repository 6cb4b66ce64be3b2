"""Grading: a ``grade()`` made of named steps, each done by a module of its own.

Every response is checked again against the instructor's key, built from the question
bank: a stored "correct" flag, a score or a time in a submission is never trusted, and
neither is the name, login or ID a submission claims when the files come from a source
that says whose they are (``origins``). The steps, in order:

1. ``prepare``: check the options and the outputs, load the bank and the key;
2. ``gather``: collect every file (``collection``), read each (``submission``), note where it came from;
3. ``identify``: bind each to one student (``origins``, ``roster``); two files for one student
   stop the run unless the instructor chose (``--choose``);
4. ``choose_exercises``: what the release assigned (``--release``), those named, or all;
5. ``check_variants``: each submission against the paper its student was given;
6. ``check_attempts``: attempt logs that cannot be true are named (they are self-reported);
7. ``score``: every response re-checked; written answers from the rubric scores (``rubric``);
8. ``write``: gradebook (``gradebooks``), written answers and feedback pages (``pages``).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bank import BankError, grading_key, load_bank, select_exercises
from .checking import check
from .collection import Report, iter_collect, shown
from .errors import CourseworkError, read_csv_file
from .gradebooks import FORMATS, Graded, gradebook_csv
from .names import file_stem
from .normal import norm
from .origins import SOURCES, Origin, origin
from .outputs import OutputError, check_output, write_text
from .pages import feedback_report, written_report
from .roster import RosterIndex, Student, index_roster, match, match_origin, read_roster
from .rubric import read_rubric_scores, scores_template, submission_digest
from .submission import chosen_answers, parse_submission
from .variants import PaperError, clean_code, issued, pick, read_secret, variant_index, variant_of

ATTEMPTS = ("last", "first")
SELF_REPORTED = ("attempts are self-reported: the attempt log is written by the student's own kit, which the "
                 "student controls; a log can be edited or cut without trace")


@dataclass
class Run:
    """What one ``grade()`` was asked to do, checked."""
    paths: list
    out: Path | None
    fmt: str
    attempt: str
    source: str
    choose: set
    roster: Path | None
    rubric_scores: Path | None
    written_html: Path | None
    anonymise: bool
    feedback_dir: Path | None
    exercises: list | None
    release: Path | None
    all_exercises: bool
    bank: dict = field(default_factory=dict)
    key: Mapping[str, Any] = field(default_factory=dict)   # the grading key (a key.AnswerKey) once read
    outputs: list = field(default_factory=list)
    students: list | None = None
    index: RosterIndex = field(default_factory=RosterIndex)
    secret: Path | None = None             # the instructor secret that issued the paper codes
    report_html: Path | None = None        # the class report (``report``)
    scorer: "Scorer" = field(default_factory=lambda: Scorer())


def grade(paths, out: Path | None, *, roster: Path | None = None, fmt: str = "plain", exercises=None,
          attempt: str = "last", bank_file: Path | None = None, written_html: Path | None = None,
          anonymise: bool = False, rubric_scores: Path | None = None, feedback_dir: Path | None = None,
          source: str = "files", choose=(), release: Path | None = None, all_exercises: bool = False,
          secret: Path | None = None, report_html: Path | None = None) -> Report:
    """Grade every submission under ``paths`` and write the gradebook ``out`` (and the optional outputs).

    Args:
        paths: files, folders (read recursively) and zip archives.
        out: the gradebook CSV.
        roster: a class list CSV; the gradebook then has one row per roster student.
        fmt: ``plain``, ``canvas`` or ``moodle``.
        exercises: exercise ids to grade.
        attempt: ``last`` (each question's latest answer) or ``first`` (its first attempt, self-reported).
        bank_file: the instructor's question bank (default: the kit's).
        written_html: write the written answers, per question, for reading; a scores CSV to fill in goes beside it.
        anonymise: show answer codes instead of names in ``written_html``.
        rubric_scores: a filled-in scores CSV; its scores are merged into the gradebook.
        feedback_dir: write one feedback report per student into this folder.
        source: where the files were collected from, which says whose each is: ``files`` (as each
            file claims), ``hub`` (a folder per hub user), ``canvas`` or ``moodle`` (their downloads' names).
        choose: labels of files to grade where two files are for one student.
        release: the student release handed out; its exercises are graded.
        all_exercises: grade every exercise of the bank.
        secret: the instructor secret that issued the paper codes (default: ``variants.secret_path()``);
            naming it means every submission must carry the code issued to its student.
        report_html: write the class report, one HTML page of item analysis (``report``), here.

    Returns:
        A ``Report`` naming every file read and left out.

    Raises:
        CourseworkError: bad options, an output that cannot be written, two files for one student,
            a bad rubric row, or nothing graded.
    """
    run = prepare(paths, out, roster=roster, fmt=fmt, exercises=exercises, attempt=attempt, bank_file=bank_file,
                  written_html=written_html, anonymise=anonymise, rubric_scores=rubric_scores,
                  feedback_dir=feedback_dir, source=source, choose=choose, release=release,
                  all_exercises=all_exercises, report_html=report_html)
    run.secret = Path(secret) if secret else None
    report = Report()
    found = gather(run, report)
    by_student = identify(run, found, report)
    chosen = choose_exercises(run, by_student, report)
    check_variants(run, by_student, report)
    if attempt == "first":
        check_attempts(by_student, chosen, report)
    questions = [q for ex in chosen for q in run.key["exercises"][ex]["questions"]]
    score(run, by_student, questions, report)
    ordered = (sorted(by_student.values(), key=lambda g: norm(g.student.name)) if run.students is None else
               [by_student.get(s.key) or Graded("", {}, s, {q["id"]: None for q in questions}) for s in run.students])
    if run.students is not None:
        report.missing = [s.name for s in run.students if s.key not in by_student]
    write(run, ordered, questions, chosen, report)
    return report


# --- 1. prepare ----------------------------------------------------------------------
def prepare(paths, out, *, roster, fmt, exercises, attempt, bank_file, written_html, anonymise, rubric_scores,
            feedback_dir, source, choose, release, all_exercises, report_html=None) -> Run:
    """Check the options and every output before anything is read; load the bank and the key."""
    if fmt not in FORMATS:
        raise CourseworkError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if attempt not in ATTEMPTS:
        raise CourseworkError(f"attempt {attempt!r} is not one of {', '.join(ATTEMPTS)}")
    if source not in SOURCES:
        raise CourseworkError(f"--from {source!r} is not one of {', '.join(SOURCES)}")
    if fmt != "plain" and roster is None:
        raise CourseworkError(f"a {fmt} gradebook needs --roster (the LMS matches students by its IDs)")
    if sum(bool(x) for x in (exercises, release, all_exercises)) > 1:
        raise CourseworkError("give one of --exercise, --release and --all-exercises")
    run = Run(list(paths), Path(out) if out else None, fmt, attempt, source, {shown(c) for c in choose},
              Path(roster) if roster else None, Path(rubric_scores) if rubric_scores else None,
              Path(written_html) if written_html else None, anonymise, Path(feedback_dir) if feedback_dir else None,
              list(exercises) if exercises else None, Path(release) if release else None, all_exercises,
              report_html=Path(report_html) if report_html else None)
    try:
        outputs = [(p, what) for p, what in ((run.out, "gradebook"), (run.written_html, "written-answers file"),
                                             (run.report_html, "class report")) if p]
        if run.written_html:
            outputs.append((scores_template(run.written_html), "scores file"))
        for p, what in outputs:
            check_output(p, what)
        _refuse_overlaps(run, outputs, bank_file)
        run.outputs = [p for p, _ in outputs]
        if run.feedback_dir:
            fd = run.feedback_dir
            if fd.exists() and (fd.is_symlink() or not fd.is_dir()):
                raise OutputError(f"{fd} is not a folder; name a folder for the feedback reports")
        run.bank = load_bank(bank_file)
        run.key = grading_key(bank_file)
        if run.exercises:
            select_exercises(run.bank, run.exercises)
    except (OutputError, BankError) as e:
        raise CourseworkError(str(e)) from None
    if run.roster:
        run.students = read_roster(run.roster)
        run.index = index_roster(run.students)
        if fmt == "canvas" and not all(s.canvas_id for s in run.students):
            blank = next(s for s in run.students if not s.canvas_id)
            raise CourseworkError(f"{run.roster}: a Canvas gradebook needs Canvas's ID for every student, and "
                                  f"{shown(blank.name)} has none (use Canvas's gradebook export as the roster)")
    return run


def _refuse_overlaps(run: Run, outputs: list, bank_file) -> None:
    """An output may not be an input, nor another output: a gradebook never overwrites what it reads."""
    def same(a, b) -> bool:
        try:
            return Path(a).resolve() == Path(b).resolve()
        except OSError:
            return False
    inputs = [(p, "a submission path given") for p in run.paths]
    inputs += [(p, what) for p, what in ((run.roster, "the roster"), (run.rubric_scores, "the rubric scores"),
                                         (bank_file, "the question bank")) if p]
    for i, (p, what) in enumerate(outputs):
        for q, qwhat in inputs:
            if same(p, q):
                raise OutputError(f"{p}: the {what} would overwrite {qwhat}; name another file")
        for q, qwhat in outputs[i + 1:]:
            if same(p, q):
                raise OutputError(f"{p}: named as both the {what} and the {qwhat}; name two files")
        if run.feedback_dir and same(Path(p).parent, run.feedback_dir):
            raise OutputError(f"{p}: the {what} is inside the feedback folder; name a file elsewhere")


# --- 2. gather -----------------------------------------------------------------------
@dataclass
class Found:
    label: str
    sub: dict
    digest: str
    collected_at: float
    origin: Origin | None
    path: str


def gather(run: Run, report: Report) -> list[Found]:
    """Read every collected file once (its bytes are let go at once), and note where it came from."""
    found = []
    outputs = {Path(p).resolve() for p in run.outputs}
    for item in iter_collect(run.paths, report, exclude=run.outputs):
        if item.label.split("!")[0] and Path(item.label.split("!")[0]).resolve() in outputs:
            continue
        try:
            sub = parse_submission(item.data)
            where = origin(run.source, item.parts)
        except CourseworkError as e:
            report.left_out.append((item.label, str(e)))
            continue
        found.append(Found(item.label, sub, submission_digest(item.data), item.collected_at, where,
                           item.label.split("!")[0]))
    return found


# --- 3. identify ---------------------------------------------------------------------
def _claimed(sub: dict) -> Student:
    who = Student(name=sub["name"], id=sub.get("id", ""), login=sub.get("login", ""), email=sub.get("email", ""))
    return who if (who.id or who.login or who.email) else Student(name=sub["name"])


def _student_of(run: Run, f: Found, report: Report) -> Student | None:
    if f.origin is not None:
        if run.students is None:
            o = f.origin
            return Student(name=o.name or f.sub["name"], login=o.value if o.kind == "login" else "",
                           canvas_id=o.value if o.kind == "canvas_id" else "",
                           participant=o.value if o.kind == "participant" else "")
        who, why = match_origin(f.origin, run.index)
        if who is None:
            report.unmatched.append((f.label, f"{f.sub['name']} ({why})"))
        return who
    if run.students is None:
        return _claimed(f.sub)
    who = match(f.sub, run.students, run.index)
    if who is None:
        report.unmatched.append((f.label, f.sub["name"]))
    return who


def identify(run: Run, found: list[Found], report: Report) -> dict[str, Graded]:
    """One graded file per student.

    With a trusted source, a file is its source's student's, whatever it claims (a claim that
    differs is noted); two files from one source are ordered by the time they were collected
    with, the later graded. Any other two files for one student stop the run, naming both,
    unless ``--choose`` names the one to grade.

    Raises:
        CourseworkError: two or more files for one student and no choice made; or nothing graded.
    """
    groups: dict[str, list] = {}
    students: dict[str, Student] = {}
    for f in found:
        who = _student_of(run, f, report)
        if who is None:
            continue
        if f.origin is not None and (f.sub.get("login") or f.sub.get("id")) and not _claims_match(f, who):
            report.warnings.append(f"{shown(f.label)} claims to be {shown(f.sub['name'])} "
                                   f"({shown(f.sub.get('login') or f.sub.get('id'))}); graded as "
                                   f"{shown(who.name)}, the {f.origin.describe()} it was collected from")
        groups.setdefault(who.key, []).append(f)
        students[who.key] = who
    conflicts, by_student = [], {}
    for key, files in groups.items():
        unique = list({f.digest: f for f in files}.values())           # the same bytes twice are one file
        if len(unique) < len(files):
            report.warnings.append(f"{shown(students[key].name)}: identical files, graded once: "
                                   + ", ".join(shown(f.label) for f in files))
        pick = _pick(run, unique, students[key], report)
        if pick is None:
            conflicts.append((students[key], unique))
            continue
        by_student[key] = Graded(pick.label, pick.sub, students[key], digest=pick.digest,
                                 collected_at=pick.collected_at, origin=pick.origin)
    if conflicts:
        lines = [f"{len(conflicts)} student(s) have more than one submission; none of them was graded:"]
        for who, files in conflicts:
            lines.append(f"  {shown(who.name)}: " + "; ".join(
                f"{shown(f.label)} (says {shown(f.sub['name'])}"
                + (f", from {f.origin.describe()}" if f.origin else "") + ")" for f in files))
        lines.append("Choose the file to grade for each with --choose FILE (as named above), or collect each "
                     "student's files from a source that says whose they are (--from hub, canvas or moodle).")
        raise CourseworkError("\n".join(lines))
    report.read = [(g.label, g.student.name) for g in by_student.values()]
    if not by_student:
        problem = "nothing was graded: no file under " + ", ".join(map(str, run.paths)) + " is a Brink submission"
        if report.unmatched:
            problem = "nothing was graded: no submission matched the roster"
        raise CourseworkError(problem + "\n" + report.text())
    return by_student


def _claims_match(f: Found, who: Student) -> bool:
    claims = {norm(v) for v in (f.sub.get("login"), f.sub.get("id"), f.sub.get("email")) if v}
    mine = {norm(v) for v in (who.login, who.id, who.email, who.canvas_id, f.origin and f.origin.value) if v}
    mine |= {norm(v.split("@")[0]) for v in (who.email,) if v and "@" in v}
    return bool(claims & mine)


def _pick(run: Run, files: list, who: Student, report: Report):
    """The file to grade among one student's, or None when the instructor must choose."""
    if len(files) == 1:
        return files[0]
    chosen = [f for f in files if shown(f.label) in run.choose]
    if len(chosen) == 1:
        report.warnings.append(f"{shown(who.name)}: grading {shown(chosen[0].label)} (chosen with --choose), not "
                               + ", ".join(shown(f.label) for f in files if f is not chosen[0]))
        return chosen[0]
    origins = {f.origin for f in files}
    if len(origins) == 1 and None not in origins:
        ordered = sorted(files, key=lambda f: f.collected_at)
        if ordered[-1].collected_at > ordered[-2].collected_at:
            when = dt.datetime.fromtimestamp(ordered[-1].collected_at, dt.timezone.utc).isoformat(timespec="seconds")
            report.warnings.append(f"{shown(who.name)}: {len(files)} files from {ordered[-1].origin.describe()}; "
                                   f"grading {shown(ordered[-1].label)}, the latest as collected ({when}), not "
                                   + ", ".join(shown(f.label) for f in ordered[:-1]))
            return ordered[-1]
    return None


# --- 4. choose exercises -------------------------------------------------------------
def release_exercises(release: Path) -> list[str]:
    """The exercise ids a student release holds (from its compiled key).

    Raises:
        CourseworkError: the folder holds no readable key.
    """
    return list(release_key(release)["exercises"])


def release_key(release: Path) -> dict:
    """The compiled key of a student release (what ``brink assign`` wrote into it).

    Raises:
        CourseworkError: the folder holds no readable key.
    """
    from .bank import KEY_FILE
    path = Path(release) / "exercises" / KEY_FILE
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(key, dict) or not isinstance(key["exercises"], dict):
            raise TypeError
        return key
    except (OSError, ValueError, KeyError, TypeError):
        raise CourseworkError(f"{path}: no release key here; --release names the folder `brink assign` wrote") from None


def choose_exercises(run: Run, by_student: dict, report: Report) -> list[str]:
    """The exercises this gradebook holds: named, the release's, all; else those the submissions answer."""
    try:
        if run.exercises:
            return select_exercises(run.bank, run.exercises)
        if run.release:
            return select_exercises(run.bank, release_exercises(run.release))
        if run.all_exercises:
            return select_exercises(run.bank, None)
    except BankError as e:
        raise CourseworkError(str(e)) from None
    answered = {ex for g in by_student.values() for ex, a in g.sub["answers"].items() if a}
    chosen = [ex for ex in run.bank["exercises"] if ex in answered]
    if not chosen:
        raise CourseworkError("nothing was graded: no submission answers an exercise of this bank")
    report.warnings.append("grading the exercises the submissions answer: " + ", ".join(chosen)
                           + " (name them with --release RELEASE, --exercise ID or --all-exercises)")
    return chosen


# --- 5. variants ---------------------------------------------------------------------
def check_variants(run: Run, by_student: dict, report: Report) -> None:
    """Check each submission's paper code against the code issued to its student.

    The student is the one ``identify`` bound (never the one the file claims, where the source
    says whose a file is); the code issued to them is recomputed from their identity and the
    instructor's secret (``variants.paper_code``). A matching code names the paper the grader
    scores against (``score`` draws each question's variant from it). A code that is not the one
    issued (made up, or a classmate's), or no code where codes were issued (any submission
    carries one, ``--secret`` is given, or the ``--release`` was made with ``--papers``), earns
    nothing for the auto-scored answers, and the report names it. Otherwise every student had
    the release's one paper, and the report says so.
    """
    carried = [g for g in by_student.values() if g.sub.get("paper")]
    for g in by_student.values():
        g.sub["_paper"] = ""
    # a release made with --papers asked every student for a code: a submission without one
    # (its ``paper`` deleted) is not scored against the release's one paper
    asked = run.release is not None and bool(release_key(run.release).get("papers"))
    if not carried and run.secret is None and not asked:
        if run.release is not None:      # the instructor named the release: it asked for no code
            report.warnings.append(f"{run.release} asked for no paper codes: every student had its one paper")
        else:
            report.warnings.append("no submission carries a paper code: every answer is scored against each "
                                   "question's first variant (if the release asked for paper codes, name it with "
                                   "--release, or give --secret)")
        return
    try:
        secret = read_secret(run.secret)
    except PaperError as e:
        raise CourseworkError(f"{len(carried)} submission(s) carry a paper code, and they cannot be checked: {e}"
                              if carried else str(e)) from None
    forfeited = 0
    for g in by_student.values():
        code = g.sub.get("paper")
        if isinstance(code, str) and issued(secret, g.student.key, code):
            g.sub["_paper"] = clean_code(code)
            continue
        g.sub["_paper"] = None
        forfeited += 1
        said = f"the paper code {shown(str(code))!r}" if code else "no paper code"
        report.warnings.append(f"{shown(g.student.name)}: {said}, not the code issued to them; "
                               "their auto-scored answers earn nothing (a made-up or a classmate's code)")
    if forfeited:
        report.warnings.append(f"{forfeited} submission(s) scored against no paper: paper codes are checked "
                               "against the roster student (or the hub user) each file was bound to")


# --- 6. attempts ---------------------------------------------------------------------
def attempt_problems(log: list) -> list[str]:
    """What makes an attempt log impossible: gaps in its numbering, times that run backwards.

    >>> attempt_problems([{"n": 1, "at": "2026-01-01T10:00:00+00:00"}, {"n": 3, "at": "2026-01-01T09:00:00+00:00"}])
    ['attempt 2 is missing', 'attempt 3 is earlier than the one before it']
    """
    problems, prev_at, expect = [], None, 1
    for a in log:
        if not isinstance(a, dict):
            problems.append("an attempt that is not a record")
            continue
        n = a.get("n")
        if isinstance(n, int) and not isinstance(n, bool):
            if n > expect:
                problems.append(f"attempt {expect} is missing" if n == expect + 1 else
                                f"attempts {expect}–{n - 1} are missing")
            elif n < expect:
                problems.append(f"attempt {n} appears out of order")
            expect = max(expect, n) + 1
        at = a.get("at")
        if isinstance(at, str):
            if prev_at is not None and at < prev_at:
                problems.append(f"attempt {n if n else '?'} is earlier than the one before it")
            prev_at = at
    return problems


def check_attempts(by_student: dict, chosen: list, report: Report) -> None:
    """Say that attempts are self-reported, and name every log that cannot be true."""
    report.warnings.append("--attempt first: " + SELF_REPORTED + "; logs that cannot be true are named below")
    missing = 0
    for g in by_student.values():
        for ex in chosen:
            if ex not in g.sub["answers"]:
                continue
            log = g.sub["attempts"].get(ex)
            if not log:
                missing += 1
                continue
            found = attempt_problems(log)
            if found:
                report.warnings.append(f"{shown(g.student.name)}, {ex}: the attempt log cannot be true ("
                                       + "; ".join(found[:3]) + (", …" if len(found) > 3 else "") + ")")
                g.sub.setdefault("_log_problems", []).append(ex)
    if missing:
        report.warnings.append(f"{missing} exercise(s) handed in carry no attempt log; their last answers are used")


# --- 7. score ------------------------------------------------------------------------
class Scorer:
    """Scores responses against the variant of each student's paper, each distinct response checked once.

    A class gives the same few responses to a question again and again (its options are few), so
    the check of one response to one variant is kept: 1,000 submissions cost a few thousand checks,
    not tens of thousands. The check itself is ``checking.check``, unchanged.
    """

    def __init__(self):
        self._entries: dict = {}             # (question, variant index) -> key entry
        self._drawn: dict = {}               # (question, paper code) -> (variant index, key entry)
        self._scores: dict = {}              # (question, variant index, response) -> points

    def variant(self, q: dict, paper: str) -> tuple[int, dict]:
        """The index of the variant the paper holds, and its key entry (``variants.pick``)."""
        got = self._drawn.get((q["id"], paper))
        if got is None:
            pool = q.get("variants")
            v = variant_index(paper, q["id"], len(pool)) if pool else 0
            if (q["id"], v) not in self._entries:
                self._entries[q["id"], v] = pick(q, paper)
            got = self._drawn[q["id"], paper] = (v, self._entries[q["id"], v])
        return got

    def score(self, q: dict, paper: str, response) -> tuple[int, float]:
        """The variant index and the points ``response`` earns on it."""
        v, entry = self.variant(q, paper)
        key = (q["id"], v, type(response).__name__, repr(response))
        got = self._scores.get(key)
        if got is None:
            got = self._scores[key] = check(entry, response, words=False).score
        return v, got


def score(run: Run, by_student: dict, questions: list, report: Report) -> None:
    """Re-check every response against the key; written answers take the rubric scores, once all are sound."""
    written = {q["id"]: float(q["points"]) for q in questions if q["kind"] == "written"}
    scorer = run.scorer
    for g in by_student.values():
        answers = chosen_answers(g.sub, run.attempt)
        for q in questions:
            ex_answers = answers.get(q["exercise"], {})
            if q["id"] not in ex_answers:
                g.scores[q["id"]] = None
                continue
            g.answers[q["id"]] = ex_answers[q["id"]]
            paper = g.sub.get("_paper", "")
            if q["kind"] == "written":
                g.scores[q["id"]] = None
            elif paper is None:                                  # a code not issued to this student
                g.scores[q["id"]] = 0.0
            else:                                                # the variant of this student's paper
                g.scores[q["id"]] = scorer.score(q, paper, ex_answers[q["id"]])[1]
    codes = {g.code(q): q for g in by_student.values() for q in written if q in g.answers}
    scores_in = read_rubric_scores(run.rubric_scores, written, codes) if run.rubric_scores else {}
    for g in by_student.values():
        for q in written:
            if q in g.answers and (got := scores_in.get((g.code(q), q))):
                g.scores[q], g.comments[q] = got
    unscored = sum(1 for g in by_student.values() for q in written if q in g.answers and g.scores[q] is None)
    if unscored and run.out is None:      # brink report: no gradebook, and no --rubric-scores to give
        report.warnings.append(f"{unscored} written answer(s) are not in the class report, which analyses the "
                               "auto-scored questions (brink grade --written-html and --rubric-scores score them)")
    elif unscored:
        blank = ("the exercise's total leaves it out" if run.fmt == "plain" else
                 "the exercise's cell stays blank until they are scored")
        report.warnings.append(f"{unscored} written answer(s) have no rubric score yet ({blank}; "
                               "use --written-html to read them and --rubric-scores to merge the scores)")


# --- 8. write ------------------------------------------------------------------------
def write(run: Run, ordered: list, questions: list, chosen: list, report: Report) -> None:
    """Write the gradebook and the pages asked for."""
    plain = {q["id"]: q for q in run.bank["questions"]}
    titles = {ex: run.key["exercises"][ex]["title"] for ex in chosen}
    roster_headers = _roster_headers(run.roster) if run.roster else []
    try:
        if run.out:
            write_text(run.out, gradebook_csv(ordered, questions, chosen, titles, run.fmt,
                                              attempt=run.attempt, roster_headers=roster_headers), "gradebook")
            report.written.append(run.out)
            if run.fmt == "moodle":
                report.warnings.append("Moodle's import cannot set a maximum grade (a grade item it creates has "
                                       "maximum 100): create one grade item per column with these maxima first, then "
                                       "map each column to it: " + "; ".join(
                                           f"{titles[ex]}: {sum(float(q['points']) for q in questions if q['exercise'] == ex):g}"
                                           for ex in chosen))
        if run.written_html:
            html_text, template = written_report(ordered, questions, plain, run.anonymise)
            write_text(run.written_html, html_text, "written-answers file")
            write_text(scores_template(run.written_html), template, "scores file")
            report.written += [run.written_html, scores_template(run.written_html)]
        if run.feedback_dir:
            for g in ordered:
                if g.label:
                    path = run.feedback_dir / f"feedback-{file_stem(g.student)}.html"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    write_text(path, feedback_report(g, questions, paper_questions(plain, g.sub.get("_paper")),
                                                     titles), "feedback report")
            report.written.append(run.feedback_dir)
        if run.report_html:
            write_text(run.report_html, class_report(run, ordered, questions, report), "class report")
            report.written.append(run.report_html)
    except OutputError as e:
        raise CourseworkError(str(e)) from None
    except OSError as e:
        raise CourseworkError(f"{run.feedback_dir}: cannot write there ({e.strerror})") from None


def class_report(run: Run, ordered: list, questions: list, report: Report) -> str:
    """The class report's page (``report.item_analysis`` drawn by ``report_page``) for this run."""
    from .report import item_analysis
    from .report_page import report_page, source_texts
    plain = {q["id"]: q for q in run.bank["questions"]}
    texts, headings = source_texts()
    return report_page(item_analysis(ordered, questions, plain, run.attempt, run.scorer), texts, headings,
                       notes=list(report.warnings), left_out_files=[(shown(a), b) for a, b in report.left_out])


def paper_questions(plain: dict, paper) -> dict:
    """The bank's questions as one paper holds them: each question's variant drawn from the code."""
    return {qid: variant_of(q, paper or "") for qid, q in plain.items()}


def _roster_headers(path: Path) -> list[str]:
    """The roster's header row, read as ``read_roster`` read it (the one reader of instructors' CSV files)."""
    from ..files import read_csv_text
    return read_csv_text(read_csv_file(path, "the roster"))[0]


__all__ = ["ATTEMPTS", "SELF_REPORTED", "Scorer", "attempt_problems", "grade", "release_exercises"]
