"""``brink assign``, ``brink submit`` and ``brink grade``: the coursework subcommands."""
from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    a = sub.add_parser("assign", help="write a student release of the kit into OUT")
    a.add_argument("out", type=Path)
    a.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    a.set_defaults(func=run)
    s = sub.add_parser("submit", help="gather your saved answers into one file named after you")
    s.add_argument("--name", required=True, help="your name as your instructor knows it")
    s.add_argument("--answers", type=Path, default=None, help="the answer folder (default: ./brink-answers)")
    s.add_argument("-o", "--output", type=Path, default=None, help="the file to write")
    s.set_defaults(func=run)
    g = sub.add_parser("grade", help="grade submission files into a CSV gradebook")
    g.add_argument("submissions", nargs="+", type=Path, help="submission files or folders of them")
    g.add_argument("-o", "--output", type=Path, required=True, help="the gradebook CSV to write")
    g.set_defaults(func=run)


def run(args) -> int:
    from .coursework import CourseworkError, assign, grade, submit
    try:
        if args.command == "assign":
            files = assign(args.out, force=args.force)
            print(f"Student release written to {args.out} ({len(files)} files). Hand out that folder.")
        elif args.command == "submit":
            problems = []
            path = submit(args.name, args.answers, args.output, problems)
            for p in problems:
                print(f"brink submit: left out: {p}", file=sys.stderr)
            print(f"Submission written to {path}. Hand in that file.")
        else:
            report = grade(args.submissions, args.output)
            print(report.text())
            print(f"Gradebook written to {args.output}.")
    except CourseworkError as e:
        print(f"brink {args.command}: {e}", file=sys.stderr)
        return 2
    return 0
