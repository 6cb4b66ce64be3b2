"""The agreement commands: ``brink agree`` and ``brink adjudicate``.

    brink agree FOLDER_A FOLDER_B [FOLDER_C ...] [--source 003] [--table quotes] [--out REVIEW]
    brink adjudicate REVIEW/adjudication.csv FOLDER_A FOLDER_B [...] [--source 003] [--table quotes] --out ADJUDICATED

``brink agree`` prints Krippendorff's alpha (and Cohen's kappa for two coders) per table and field,
then every disagreement side by side with the coders' words; with ``--out`` it also writes
``agreement.csv`` (the figures) and ``adjudication.csv`` (the sheet to fill). ``brink adjudicate``
turns the filled sheet into a data folder that passes ``brink check``.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import BrinkError


def _folders(args) -> list:
    from ..dataset.commands import data_folder
    return [data_folder(f) for f in args.folders]


def report_lines(result) -> list:
    """The figures and the disagreements as ``brink agree`` prints them."""
    from .agreement import figure
    coders = result.coders
    lines = [f"{len(coders)} coders ({', '.join(coders)}), {len(result.sources)} source"
             f"{'s' if len(result.sources) != 1 else ''} ({', '.join(s[:3] for s in result.sources)}), "
             f"{len(result.units)} units",
             "",
             f"{'table':<8} {'field':<16} {'level':<8} {'units':>5} {'agreed':>6} {'alpha':>6}"
             + (f" {'kappa':>6}" if len(coders) == 2 else "")]
    for f in result.figures:
        lines.append(f"{f.table:<8} {f.field:<16} {f.level:<8} {f.units:>5} {f.agreed:>6} {figure(f.alpha):>6}"
                     + (f" {figure(f.kappa):>6}" if len(coders) == 2 else ""))
    return lines + [""] + disagreement_lines(result)


def disagreement_lines(result) -> list:
    """Every disagreement as ``brink agree`` prints it: the unit and field, then each coder's value,
    row and words, one line per coder."""
    from .agreement import fields_of
    coders = result.coders
    found = result.disagreements()
    lines = [f"{len(found)} disagreement{'s' if len(found) != 1 else ''}" + (":" if found else ".")]
    width = max(len(c) for c in coders)
    for unit, name in found:
        level = next(f.level for f in fields_of(unit.table) if f.name == name)
        lines.append(f"{unit.unit_id}  {name}")
        for c in coders:
            coding = unit.codings[c]
            value = unit.value(c, name, level)
            if name == "coded":
                shown = str(value)
            else:
                shown = "(no row)" if coding is None else (f"{value:g}" if isinstance(value, float) else str(value or EMPTY_))
            where = "" if coding is None else f"  {coding.file}:{coding.row}  “{coding.span}”"
            lines.append(f"  {c:<{width}}  {shown}{where}")
    return lines


EMPTY_ = "(empty)"


def run_agree(args) -> int:
    from .adjudication import SHEET_NAME, sheet_header, sheet_rows, write_csv
    from .agreement import agree
    result = agree(_folders(args), args.source or None, args.overlap, args.table or None)
    for line in report_lines(result):
        print(line)
    if args.out:
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            raise BrinkError(f"{out}: not a folder")
        out.mkdir(parents=True, exist_ok=True)
        write_csv(out / "agreement.csv", ["table", "field", "level", "units", "agreed", "alpha", "kappa"],
                  [{"table": f.table, "field": f.field, "level": f.level, "units": f.units, "agreed": f.agreed,
                    "alpha": "" if f.alpha is None else round(f.alpha, 6),
                    "kappa": "" if f.kappa is None else round(f.kappa, 6)} for f in result.figures])
        rows = sheet_rows(result)
        write_csv(out / SHEET_NAME, sheet_header(result.coders), rows)
        print(f"\n{out / 'agreement.csv'}: {len(result.figures)} figures")
        print(f"{out / SHEET_NAME}: {len(rows)} rows to decide (fill choice and reason, then brink adjudicate)")
    return 0


def run_adjudicate(args) -> int:
    from .adjudication import adjudicate
    done = adjudicate(Path(args.sheet), _folders(args), Path(args.out), args.source or None, args.table or None,
                      args.overlap)
    print(f"{args.out}: {done['units']} units, {done['kept']} kept, {done['dropped']} dropped, "
          f"{done['choices']} choices recorded in adjudication.csv; brink check finds no problems")
    return 0


def register(sub) -> None:
    p = sub.add_parser("agree", help="measure agreement between coders' data folders (Krippendorff's alpha, Cohen's kappa)",
                       description="Match the rows two or more coders wrote for the same texts (by source and span) "
                                   "and report, per table and field, Krippendorff's alpha (and Cohen's kappa for "
                                   "two coders), then every disagreement side by side. Each folder must pass brink check.")
    p.add_argument("folders", nargs="+", metavar="FOLDER", help="the coders' data folders (two or more; the first is the base for brink adjudicate)")
    p.add_argument("--source", action="append", metavar="ID",
                   help="compare only this source (its id or first digits, e.g. 003); repeat for more; default: every source all folders have")
    p.add_argument("--table", action="append", choices=["events", "quotes", "claims", "figures"],
                   help="compare only this table; repeat for more; default: all four")
    p.add_argument("--overlap", type=float, default=0.5,
                   help="the least overlap (shared characters over all characters of the two spans) for two rows to be one unit (default 0.5)")
    p.add_argument("--out", help="a folder to write agreement.csv and the adjudication sheet adjudication.csv into")
    p.set_defaults(func=run_agree)
    q = sub.add_parser("adjudicate", help="turn a filled adjudication sheet into an adjudicated data folder",
                       description="Read the sheet brink agree --out wrote, with choice (a coder's name) and reason "
                                   "filled on every row, and write a copy of the first folder in which every unit reads "
                                   "as chosen; the sheet is kept in it as adjudication.csv.")
    q.add_argument("sheet", help="the filled adjudication.csv")
    q.add_argument("folders", nargs="+", metavar="FOLDER", help="the coders' folders, as given to brink agree")
    q.add_argument("--source", action="append", metavar="ID", help="as given to brink agree")
    q.add_argument("--table", action="append", choices=["events", "quotes", "claims", "figures"],
                   help="as given to brink agree")
    q.add_argument("--overlap", type=float, default=0.5, help="as given to brink agree")
    q.add_argument("--out", required=True, help="a new or empty folder for the adjudicated data")
    q.set_defaults(func=run_adjudicate)
