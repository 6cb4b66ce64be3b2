"""Grading: a ``grade()`` made of named steps, each done by a module of its own.

Every response is checked again against the instructor's key, built from the question
bank: a stored "correct" flag, a score or a time in a submission is never trusted.
Collection (``collection``) names every file it read and every file it left out, and why;
``roster`` matches submissions to students; ``rubric`` reads the written answers' scores;
``gradebooks`` and ``pages`` write what the instructor takes away.
"""
from __future__ import annotations

from pathlib import Path

from .bank import BankError, grading_key, load_bank, select_exercises
from .checking import check
from .collection import Report, collect
from .errors import CourseworkError
from .gradebooks import FORMATS, Graded, gradebook_csv
from .names import short_hash, slug
from .normal import norm
from .outputs import OutputError, check_output, write_text
from .pages import feedback_report, written_report
from .roster import Student, _index, match, read_roster
from .rubric import answer_code, read_rubric_scores, scores_template
from .submission import chosen_answers, parse_submission

ATTEMPTS = ("last", "first")


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
            targets.append(check_output(scores_template(written_html)))
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
    ordered = (sorted(by_student.values(), key=lambda g: norm(g.student.name)) if students is None else
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
            write_text(scores_template(written_html), template, "scores file")
            report.written += [written_html, scores_template(written_html)]
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


__all__ = ["ATTEMPTS", "grade"]
