"""The ``brink forecasts`` command: the instructor's reveal, and checks of the students' forecasts.

    brink forecasts reveal QUESTIONS --as-of WHEN --out FOLDER [--data DIR]   # outcomes.json, as of WHEN
    brink forecasts check FOLDER... [--receipt HASH]                          # edits made after saving
    brink forecasts lint "TEXT" [--probability P] [--words WORDS]             # the ICD 203 linter
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def _fail(e) -> int:
    print(f"brink forecasts: {str(e).removeprefix('brink: ')}", file=sys.stderr)
    return 1


def run_reveal(args) -> int:
    from ..dataset.commands import data_folder
    from ..errors import DataError
    from . import forecasts
    folder = data_folder(args.data) if args.data else None   # a usage error (exit 2) names a bad --data
    before = os.environ.get("BRINK_DATA")
    if folder is not None:
        os.environ["BRINK_DATA"] = str(folder.resolve())
    try:
        table = forecasts.reveal(forecasts.questions(args.questions), args.as_of, Path(args.out))
    except (forecasts.ForecastError, DataError) as e:
        return _fail(e)
    finally:   # the folder is this command's: a caller in the same process keeps its own
        if before is None:
            os.environ.pop("BRINK_DATA", None)
        else:
            os.environ["BRINK_DATA"] = before
    target = Path(args.out)
    target = target / forecasts.OUTCOMES if target.is_dir() or not target.suffix else target
    known = table["outcome_value"].notna()
    print(f"{target}: {len(table)} questions as of {table['as_of'].iloc[0] if len(table) else args.as_of}: "
          f"{int(known.sum())} resolved, {int((~known).sum())} open")
    for r in table.itertuples(index=False):
        value = "open" if r.outcome_value is None or str(r.outcome_value) == "<NA>" else int(r.outcome_value)
        print(f"  {r.question_id} ({r.claim_id}): {value}")
    return 0


def run_check(args) -> int:
    from . import forecasts
    problems = []
    try:
        for folder in args.folders:
            problems += forecasts.check_locks(folder, args.receipt)
    except forecasts.ForecastError as e:
        return _fail(e)
    for line in problems:
        print(line)
    if not problems:
        print(f"{len(args.folders)} folder(s): every forecast is as it was saved")
    return 1 if problems else 0


def run_lint(args) -> int:
    from . import forecasts
    flags = forecasts.lint(args.text, args.probability, args.words)
    for f in flags:
        print(f"{f.kind}: {f.message}")
    if not flags:
        print("no ICD 203 flaw found")
    return 1 if flags else 0


def register(sub) -> None:
    p = sub.add_parser("forecasts", help="reveal the outcomes of the class's forecast questions; check and lint forecasts",
                       description="Students save forecasts in a notebook (brink.analysis.forecasts.save); "
                                   "the instructor reveals the outcomes, as the data codes them as of a moment.")
    verbs = p.add_subparsers(dest="verb", required=True)
    r = verbs.add_parser("reveal", help="write outcomes.json: each question's outcome as of a moment")
    r.add_argument("questions", help="the questions CSV (question_id, question, claim_id)")
    r.add_argument("--as-of", required=True, help='the reveal moment, e.g. "2020-02-14" (the end of that day) '
                                                  'or "2020-01-08 00:00 UTC"')
    r.add_argument("--out", required=True, help="the class's shared folder (or a file name) for outcomes.json")
    r.add_argument("--data", help="the data folder (default: $BRINK_DATA, else the kit's data/)")
    r.set_defaults(func=run_reveal)
    c = verbs.add_parser("check", help="list every edit made to saved forecasts (exit 1 if any)")
    c.add_argument("folders", nargs="+", help="students' folders, each with forecasts.json")
    c.add_argument("--receipt", help="the receipt printed when the last forecast was saved")
    c.set_defaults(func=run_check)
    lint = verbs.add_parser("lint", help="flag a forecast's ICD 203 flaws (exit 1 if any)")
    lint.add_argument("text", help="the forecast as written")
    lint.add_argument("--probability", type=float, help="its probability, 0-1")
    lint.add_argument("--words", help="its ICD 203 words")
    lint.set_defaults(func=run_lint)
