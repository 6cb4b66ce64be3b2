"""The adjudication sheet ``brink agree --out`` writes, and the folder ``brink adjudicate`` makes from it.

The sheet has one row per disagreement (a unit and a field on which the coders differ), with every
coder's value, words and row side by side, and two empty columns: ``choice`` (the coder whose
coding stands) and ``reason`` (why, in a few words). The instructor fills both.

The adjudicated folder is a copy of the first coder's folder in which every unit compared reads as
chosen: a unit some coders left out is kept or dropped as its ``coded`` choice says, its words are
the ``span`` choice's, and each disputed field is the chosen coder's value; every field the coders
agreed on stays. The filled sheet is copied into the folder as ``adjudication.csv``, so each choice
and its reason stay with the data. The folder is checked as ``brink check`` checks it before it is
written.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

from ..errors import BrinkError, DataError, Problem
from ..files import read_csv
from .agreement import COMPARED, EMPTY, OVERLAP, Agreement, Unit, agree, coder_names, compared, fields_of

SHEET_NAME = "adjudication.csv"


def sheet_header(coders: Sequence[str]) -> list:
    """The adjudication sheet's columns for these coders.

    >>> sheet_header(["ana", "ben"])[:6]
    ['unit', 'table', 'field', 'source_id', 'ana', 'ben']
    """
    return (["unit", "table", "field", "source_id"] + list(coders) + [f"{c} words" for c in coders]
            + [f"{c} row" for c in coders] + ["choice", "reason"])


def sheet_rows(result: Agreement) -> list:
    """One row of the adjudication sheet per disagreement (``choice`` and ``reason`` empty).

    Args:
        result: what :func:`~brink.analysis.agreement.agree` found.
    Returns:
        Dicts with :func:`sheet_header`'s keys.
    """
    rows = []
    for unit, name in result.disagreements():
        f = next(f for f in fields_of(unit.table) if f.name == name)
        row = {"unit": unit.unit_id, "table": unit.table, "field": name, "source_id": unit.source_id,
               "choice": "", "reason": ""}
        for c in result.coders:
            coding = unit.codings[c]
            v = unit.value(c, name, f.level)
            row[c] = "" if v is None else (f"{v:g}" if isinstance(v, float) else v)
            row[f"{c} words"] = "" if coding is None else coding.span
            row[f"{c} row"] = "" if coding is None else f"{coding.file}:{coding.row}"
        rows.append(row)
    return rows


def write_csv(path: Path, header: list, rows: list) -> None:
    """Write rows as UTF-8 CSV with one header row."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def read_sheet(path: Path, coders: Sequence[str]) -> list:
    """Read a filled adjudication sheet: ``(row number, row)`` pairs, row 1 = first under the header.

    Every row must choose one of the coders and give a reason (what can be checked without the folders).

    Raises:
        DataError: the file is missing, not UTF-8, lacks a column, or a row has no choice, a choice
            that is not a coder, or no reason (file, row and column named).
    """
    shown = str(path)
    if not Path(path).is_file():
        raise DataError(shown, None, None, "no such adjudication sheet", fix="give the sheet brink agree --out wrote")
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataError(shown, None, None, f"not UTF-8 (byte {e.start})", fix="save the sheet as UTF-8 CSV") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    for col in ["unit", "field", "choice", "reason"] + list(coders):
        if col not in header:
            what = ("a coder's column" if col in coders else "a column")
            raise DataError(shown, None, col, f"{what} is missing from the header",
                            fix="give the folders the sheet was written for, in the same order, and keep its columns")
    rows = list(enumerate(reader, start=1))
    for n, row in rows:        # what needs no folder: a choice of one of the coders, with its reason
        choice = (row.get("choice") or "").strip()
        if not choice:
            raise DataError(shown, n, "choice", "no choice", fix=f"write one of {', '.join(coders)}")
        if choice not in coders:
            raise DataError(shown, n, "choice", f"{choice!r} is not one of the coders",
                            fix=f"write one of {', '.join(coders)}")
        if not (row.get("reason") or "").strip():
            raise DataError(shown, n, "reason", "a choice needs its reason", fix="say why, in a few words")
    return rows


def decisions(result: Agreement, sheet: list, shown: str) -> dict:
    """The choices of a filled sheet, checked against the disagreements: ``{(unit id, field): (coder, reason, row)}``.

    Raises:
        DataError: a row naming no disagreement, a second row for one, an empty or unknown choice,
            a choice of a coder who has no row for the unit, a choice without a reason, or a
            disagreement with no row (file, row and column named).
    """
    wanted = {(u.unit_id, name): u for u, name in result.disagreements()}
    out: dict = {}
    for n, row in sheet:
        key = ((row.get("unit") or "").strip(), (row.get("field") or "").strip())
        if key not in wanted:
            units = {u.unit_id for u in result.units}
            col, what = (("field", f"{key[0]!r} has no disagreement on field {key[1]!r}") if key[0] in units
                         else ("unit", f"no unit {key[0]!r} among these folders' disagreements"))
            raise DataError(shown, n, col, what, fix="keep the unit and field as brink agree wrote them")
        if key in out:
            raise DataError(shown, n, "unit", f"a second row for {key[0]} / {key[1]} (first at row {out[key][2]})",
                            fix="keep one row per unit and field")
        choice = (row.get("choice") or "").strip()
        if choice not in result.coders:
            raise DataError(shown, n, "choice", f"{choice!r} is not one of the coders" if choice else "no choice",
                            fix=f"write one of {', '.join(result.coders)}")
        unit = wanted[key]
        if key[1] != "coded" and unit.codings[choice] is None:
            has = [c for c in result.coders if unit.codings[c] is not None]
            raise DataError(shown, n, "choice", f"{choice} has no row for {key[0]}",
                            fix=f"choose a coder who coded it ({', '.join(has)}), or decide on its 'coded' row")
        out[key] = (choice, (row.get("reason") or "").strip(), n)
    for key in wanted:
        if key not in out:
            raise DataError(shown, None, "unit", f"no row for {key[0]} / {key[1]}",
                            fix="add it (brink agree --out writes a row for every disagreement)")
    return out


def _next_id(used: set, like: str) -> str:
    m = re.match(r"^(\D*)(\d+)$", like)
    prefix, width = (m.group(1), len(m.group(2))) if m else (like, 2)
    n = 1
    while f"{prefix}{n:0{width}d}" in used:
        n += 1
    return f"{prefix}{n:0{width}d}"


def _read(path: Path) -> tuple:
    return read_csv(path)


def _carry(out: Path, base, folder, schema, table: str, row: dict) -> None:
    """Copy into ``out`` what a row from another coder's folder names and the base lacks: people and
    organisations (a quote's speaker) and vocabulary terms."""
    for col in schema.tables[table].columns:
        value = row.get(col.name, "")
        if not value:
            continue
        if col.vocab:
            rel = schema.vocabularies[col.vocab]
            header, rows = _read(out / rel)
            if value not in {r[header[0]] for r in rows}:
                theirs = [r for r in folder.reference(rel) if r.get(header[0]) == value]
                if theirs:
                    write_csv(out / rel, header, rows + theirs[:1])
        for ref in col.ref:
            if ref in ("events", "sources"):
                continue
            t = schema.tables[ref]
            header, rows = _read(out / t.file)
            if value in {r[t.id] for r in rows}:
                return
        for ref in col.ref:
            if ref in ("events", "sources"):
                continue
            t = schema.tables[ref]
            theirs = [r for r in folder.table(ref) if r[t.id] == value]
            if theirs:
                header, rows = _read(out / t.file)
                write_csv(out / t.file, header, rows + theirs[:1])
                break


def _row_for(unit: Unit, chosen: dict, coders: list, base: str) -> tuple:
    """The adjudicated cells of one unit (and of its joined row), or ``None`` when it is dropped."""
    coded = chosen.get((unit.unit_id, "coded"))
    if coded is not None and unit.codings[coded[0]] is None:
        return None, None, None
    span = chosen.get((unit.unit_id, "span"))
    if span is not None:
        template = unit.codings[span[0]]
    elif coded is not None:
        template = unit.codings[coded[0]]
    else:
        template = unit.codings[base] or next(unit.codings[c] for c in coders if unit.codings[c] is not None)
    cells = dict(template.cells)
    joined = dict(template.joined) if template.joined is not None else None
    for f in compared(unit.table).fields:
        pick = chosen.get((unit.unit_id, f.name))
        if pick is None:
            continue
        theirs = unit.codings[pick[0]]
        value = theirs.values.get(f.name, "")
        if joined is not None:
            joined[f.name] = value
        else:
            cells[f.name] = value
    return template, cells, joined


def adjudicate(sheet: Path, folders: Sequence[Path], out: Path, sources: Sequence[str] | None = None,
               tables: Sequence[str] | None = None, least: float = OVERLAP) -> dict:
    """Turn a filled adjudication sheet into an adjudicated data folder.

    Args:
        sheet: the sheet ``brink agree --out`` wrote, with ``choice`` and ``reason`` filled.
        folders: the coders' folders, as given to ``brink agree`` (the first is the base).
        out: a new or empty folder for the adjudicated data.
        sources: the sources compared, as given to ``brink agree`` (default: every source all the
            folders have); every disagreement among them needs its row on the sheet.
        tables: the tables compared, as given to ``brink agree`` (default: all four).
        least: the least overlap, as given to ``brink agree``.
    Returns:
        ``{"units": compared, "kept": units in the folder, "dropped": units left out, "choices": rows}``.
    Raises:
        BrinkError: ``out`` is not new or empty.
        DataError: a folder fails ``brink check``, the sheet names nothing or chooses no coder, or the
            adjudicated folder would fail ``brink check`` (file, row and column named).

    >>> import pathlib, tempfile
    >>> from brink import data_dir
    >>> work = pathlib.Path(tempfile.mkdtemp())
    >>> _ = shutil.copytree(data_dir(), work / "second")
    >>> folders = [data_dir(), work / "second"]
    >>> _ = (work / "sheet.csv").write_text(",".join(sheet_header(coder_names(folders))) + "\\n")
    >>> adjudicate(work / "sheet.csv", folders, work / "out", ["000"])
    {'units': 36, 'kept': 36, 'dropped': 0, 'choices': 0}
    """
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BrinkError(f"{out}: the adjudicated folder must be new or empty")
    coders = coder_names(folders)
    rows = read_sheet(Path(sheet), coders)
    result = agree(folders, sources, least, tables)
    chosen = decisions(result, rows, str(sheet))
    base_folder, base = result.folders[0], coders[0]
    by_coder = dict(zip(coders, result.folders))
    schema = base_folder.schema
    tmp = Path(tempfile.mkdtemp(prefix=".adjudicated-", dir=out.parent if out.parent.exists() else None))
    work = tmp / "data"
    shutil.copytree(base_folder.path, work)
    kept = dropped = 0
    try:
        for spec in [c for c in COMPARED if any(u.table == c.label for u in result.units)]:
            units = [u for u in result.units if u.table == spec.label]
            t = schema.tables[spec.table]
            header, base_rows = _read(work / t.file)
            replace: dict = {}     # base row number -> cells or None
            added: list = []
            events_header, events = _read(work / schema.tables[spec.joined].file) if spec.joined else ([], [])
            event_ids = {r["event_id"] for r in events}
            for u in units:
                template, cells, joined = _row_for(u, chosen, coders, base)
                mine = u.codings[base]
                if cells is None:
                    dropped += 1
                    if mine is not None:
                        replace[mine.row] = None
                    continue
                kept += 1
                if template.coder != base:
                    _carry(work, base_folder, by_coder[template.coder], schema, spec.table, cells)
                if joined is not None and spec.joined is not None:   # a joined row only where the spec joins one
                    _carry(work, base_folder, by_coder[template.coder], schema, spec.joined, joined)
                    eid = joined["event_id"]
                    same = [r for r in events if r["event_id"] == eid]
                    if template.coder != base and same and same[0].get("description") != joined.get("description"):
                        eid = _next_id(event_ids, eid)
                        joined["event_id"] = eid
                    if same and eid == same[0]["event_id"]:
                        same[0].update(joined)
                    else:
                        events.append(joined)
                        event_ids.add(eid)
                    cells[spec.key] = eid
                if mine is not None:
                    replace[mine.row] = cells
                else:
                    if t.id:
                        used = {r[t.id] for r in base_rows} | {r[t.id] for r in added}
                        if cells[t.id] in used:
                            cells[t.id] = _next_id(used, cells[t.id])
                    added.append(cells)
            new_rows = [replace.get(i, r) for i, r in enumerate(base_rows, start=1)]
            new_rows = [r for r in new_rows if r is not None] + added
            write_csv(work / t.file, header, new_rows)
            if spec.joined:
                reported = {r[spec.key] for r in new_rows}
                named = _named_events(work, schema)
                events = [e for e in events if e["event_id"] in reported or e["event_id"] in named]
                write_csv(work / schema.tables[spec.joined].file, events_header, events)
        header = list(rows[0][1].keys()) if rows else ["unit", "field", "choice", "reason"]
        write_csv(work / SHEET_NAME, header, [r for _, r in rows])
        from ..dataset.check import check_folder
        checked = check_folder(work)
        if checked.problems:
            p: Problem = checked.problems[0]
            raise DataError(f"{out}/{p.file}", p.row, p.column,
                            f"the adjudicated folder would fail brink check: {p.problem}",
                            fix=p.fix or "change the choice that leaves it so")
        out.mkdir(parents=True, exist_ok=True)
        for item in work.iterdir():
            shutil.move(str(item), out / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"units": len(result.units), "kept": kept, "dropped": dropped, "choices": len(chosen)}


def _named_events(folder: Path, schema) -> set:
    """Event ids other tables name (an event they name is kept even without a report)."""
    named = set()
    for t in schema.tables.values():
        if t.name in ("events", "event_reports"):
            continue
        cols = [c.name for c in t.columns if "events" in c.ref]
        if cols:
            _, rows = _read(folder / t.file)
            named |= {r[c] for r in rows for c in cols if r.get(c)}
    return named


__all__ = ["EMPTY", "SHEET_NAME", "adjudicate", "decisions", "read_sheet", "sheet_header", "sheet_rows"]
