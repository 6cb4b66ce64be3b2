"""``brink assign``, ``brink papers``, ``brink submit``, ``brink grade``, ``brink report`` and ``brink exercises``: the coursework subcommands."""
from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    a = sub.add_parser("assign", help="write a student release of the kit into OUT")
    a.add_argument("out", type=Path)
    a.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    a.add_argument("--mode", choices=["practice", "assessed"], default=None,
                   help="practice: instant feedback; assessed: no answers in the release (default: the bank's setting)")
    a.add_argument("--exercise", action="append", default=None, metavar="ID", help="include only this exercise (repeatable)")
    a.add_argument("--bank", type=Path, default=None, help="the question bank (default: the kit's)")
    a.add_argument("--papers", action="store_true",
                   help="per-student papers: each student enters the paper code issued by `brink papers`")
    a.set_defaults(func=run)
    p = sub.add_parser("papers", help="issue each student's paper code, or print one student's paper")
    p.add_argument("--roster", type=Path, required=True, help="class list CSV (the one you will grade with)")
    p.add_argument("-o", "--output", type=Path, default=None, help="write the codes as CSV (name, IDs, code)")
    p.add_argument("--student", default=None, help="print this student's paper (name, ID, login or e-mail)")
    p.add_argument("--paper", type=Path, default=None, metavar="FILE", help="the student's paper (HTML) to write")
    p.add_argument("--answers", action="store_true", help="with --paper: the instructor's copy, with each answer")
    p.add_argument("--exercise", action="append", default=None, metavar="ID", help="only this exercise (repeatable)")
    p.add_argument("--secret", type=Path, default=None, help="the instructor secret (default: ~/.config/brink/paper-secret)")
    p.add_argument("--bank", type=Path, default=None, help="the question bank (default: the kit's)")
    p.set_defaults(func=run)
    s = sub.add_parser("submit", help="gather your saved answers into one file named after you")
    s.add_argument("--name", required=True, help="your name as your instructor knows it")
    s.add_argument("--id", default=None, help="your student ID, if your instructor asks for it")
    s.add_argument("--email", default=None, help="your e-mail address, if your instructor asks for it")
    s.add_argument("--answers", type=Path, default=None, help="the answer folder (default: found from here)")
    s.add_argument("-o", "--output", type=Path, default=None, help="the file to write")
    s.set_defaults(func=run)
    g = sub.add_parser("grade", help="grade submission files into a CSV gradebook")
    g.add_argument("submissions", nargs="+", type=Path, help="submission files, folders or zip archives")
    g.add_argument("-o", "--output", type=Path, required=True, help="the gradebook CSV to write")
    g.add_argument("--format", dest="fmt", choices=["plain", "canvas", "moodle"], default="plain",
                   help="gradebook layout (canvas and moodle need --roster)")
    _which_files(g)
    g.add_argument("--written-html", type=Path, default=None, help="write the written answers for reading")
    g.add_argument("--anonymise", "--anonymize", dest="anonymise", action="store_true",
                   help="show answer codes instead of names in --written-html")
    g.add_argument("--rubric-scores", type=Path, default=None, help="CSV of rubric scores to merge")
    g.add_argument("--feedback", type=Path, default=None, metavar="DIR", help="write a feedback report per student")
    g.add_argument("--report", dest="report_html", type=Path, default=None, metavar="FILE",
                   help="also write the class report (one HTML page, as brink report writes)")
    g.set_defaults(func=run)
    r = sub.add_parser("report", help="write the class report: item analysis of graded submissions, one HTML page")
    r.add_argument("submissions", nargs="+", type=Path, help="submission files, folders or zip archives")
    r.add_argument("-o", "--output", type=Path, required=True, help="the HTML page to write")
    _which_files(r)
    r.set_defaults(func=run, fmt="plain")
    e = sub.add_parser("exercises", help="generate the exercise notebooks from the question bank")
    e.add_argument("--check", action="store_true", help="only check that they are current")
    e.set_defaults(func=run)
    for parser in (a, p, s, g, r, e):   # brink.cli.main names the command in the line of a BrinkError
        parser.set_defaults(error_prefix=parser.prog)


def _which_files(g) -> None:
    """The options ``brink grade`` and ``brink report`` share: whose files, which exercises, which key."""
    g.add_argument("--roster", type=Path, default=None, help="class list CSV (student ID / e-mail / login, name)")
    g.add_argument("--from", dest="source", choices=["files", "hub", "canvas", "moodle"], default="files",
                   help="where the files were collected from, which says whose each is: hub (a folder per hub user), "
                        "canvas or moodle (their download's file names); files (default): as each file claims")
    g.add_argument("--choose", action="append", default=[], metavar="FILE",
                   help="grade this file where two files are for one student (as the report names it; repeatable)")
    g.add_argument("--release", type=Path, default=None, help="grade the exercises of this student release")
    g.add_argument("--exercise", action="append", default=None, metavar="ID", help="grade only this exercise (repeatable)")
    g.add_argument("--all-exercises", action="store_true", help="grade every exercise of the bank")
    g.add_argument("--attempt", choices=["last", "first"], default="last",
                   help="which attempt counts (first: from the attempt log, which is self-reported)")
    g.add_argument("--bank", type=Path, default=None, help="the question bank (default: the kit's)")
    g.add_argument("--secret", type=Path, default=None,
                   help="the instructor secret that issued the paper codes (then every submission needs its code)")


def run(args) -> int:
    try:
        if args.command == "assign":
            from .coursework import assign
            files = assign(args.out, force=args.force, mode=args.mode, exercises=args.exercise, bank_file=args.bank,
                           papers=args.papers)
            print(f"Student release written to {args.out} ({len(files)} files). Hand out that folder.")
        elif args.command == "submit":
            from .submission import describe_submission, read_submission, submit
            problems: list[str] = []
            path = submit(args.name, args.answers, args.output, problems, student_id=args.id, email=args.email)
            for p in problems:
                print(f"brink submit: left out: {p}", file=sys.stderr)
            print(describe_submission(path, read_submission(path)["answers"]))
            print(f"Submission written to {path}. Hand in that file.")
        elif args.command == "papers":
            from .papers import papers_command
            print(papers_command(args.roster, out=args.output, student=args.student, paper=args.paper,
                                 answers=args.answers, exercises=args.exercise, secret=args.secret,
                                 bank_file=args.bank))
        elif args.command == "exercises":
            from .build import main
            return main(["--check"] if args.check else [])
        else:
            from .grading import grade
            grading = args.command == "grade"
            report = grade(args.submissions, args.output if grading else None, roster=args.roster, fmt=args.fmt,
                           exercises=args.exercise, attempt=args.attempt, bank_file=args.bank,
                           written_html=args.written_html if grading else None,
                           anonymise=args.anonymise if grading else False,
                           rubric_scores=args.rubric_scores if grading else None,
                           feedback_dir=args.feedback if grading else None,
                           source=args.source, choose=args.choose, release=args.release,
                           all_exercises=args.all_exercises, secret=args.secret,
                           report_html=args.report_html if grading else args.output)
            print(report.text())
    except OSError as e:
        print(f"brink {args.command}: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 1
    return 0
