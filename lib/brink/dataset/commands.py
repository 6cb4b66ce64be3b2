"""The data commands: ``brink check``, ``brink source add|find|fill`` and ``brink codebook``.

    brink check [DATA]                                   # every problem, one line each; exit 1 if any
    brink source add FILE --title … --published YYYY-MM-DD --genre … [--basis FIELD=BASIS] [--cite FIELD=URL]
    brink source find SOURCE "quoted words"              # the offsets of a span in a source's body
    brink source fill [--check]                          # write the offsets of spans whose start/end are empty
    brink codebook [--check]                             # regenerate the codebook's column tables

DATA (or ``--data``) is a data folder; without it the kit's data setting is used
(``$BRINK_DATA``, else the kit's own ``data/``).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .._paths import data_dir
from ..errors import BrinkError
from .check import Checked, check_folder
from .schema import SCHEMA_FILE

#: the metadata fields `brink source add` takes as options (the kit's field vocabulary)
FIELD_FLAGS = ("title", "outlet", "published", "genre", "authors", "newsroom")


class UsageError(BrinkError):
    """The command's arguments name no usable data folder, or are malformed (exit status 2)."""
    exit_code = 2


def data_folder(arg: str | None) -> Path:
    """The data folder a command works on: the one named, else the kit's (``$BRINK_DATA`` …).

    Args:
        arg: the folder the user named, or None.

    Returns:
        The folder.

    Raises:
        UsageError: the folder does not exist or is not a data folder (the message says which).
    """
    try:
        folder = Path(arg) if arg else data_dir()
    except FileNotFoundError as e:
        raise UsageError(str(e).removeprefix("brink: ")) from None
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    if not (folder / SCHEMA_FILE).is_file():
        raise UsageError(f"{folder}: not a data folder (it has no {SCHEMA_FILE}; copy the kit's data/ folder to start one)")
    return folder


def _shown(folder: Path) -> str:
    """The folder as the user would type it: relative to the current folder where it is inside it."""
    folder = folder.resolve()
    try:
        rel = os.path.relpath(folder)
    except ValueError:
        return str(folder)
    return str(folder) if rel.startswith("..") else rel


def run_check(args) -> int:
    folder = data_folder(args.data)
    checked = check_folder(folder)
    shown = _shown(folder)
    for p in checked.problems:
        print(p.line(shown))
    if checked.problems:
        n = len(checked.problems)
        print(f"{n} problem{'s' if n != 1 else ''} in {shown}", file=sys.stderr)
        return 1
    rows = sum(len(df) for df in checked.tables.values())
    print(f"{shown}: no problems ({len(checked.bodies)} sources, {len(checked.tables)} tables, {rows} rows)")
    return 0


def _pairs(values: list, flag: str) -> dict:
    out = {}
    for v in values or []:
        if "=" not in v:
            raise UsageError(f"{flag} {v!r}: write FIELD=VALUE, e.g. {flag} outlet=context")
        k, _, val = v.partition("=")
        if k not in FIELD_FLAGS:
            raise UsageError(f"{flag} {v!r}: {k!r} is not a field ({', '.join(FIELD_FLAGS)})")
        out[k] = val
    return out


def run_add(args) -> int:
    from .adding import Field, add_source
    folder = data_folder(args.data)
    basis, cite, support = _pairs(args.basis, "--basis"), _pairs(args.cite, "--cite"), _pairs(args.support, "--support")
    fields = {}
    for name in FIELD_FLAGS:
        value = getattr(args, name)
        b = basis.get(name, "stated" if value else "not stated")
        if b == "context" and name not in cite:
            raise UsageError(f"--basis {name}=context needs --cite {name}=URL (the address it was read at)")
        if name in cite and b != "context":
            raise UsageError(f"--cite {name}=… is for a field from context: add --basis {name}=context")
        fields[name] = Field(value, b, cite.get(name) if b == "context" else support.get(name))
    sid = add_source(folder, Path(args.file), fields, body_start=args.body_start, body_end=args.body_end,
                     note=args.note or "")
    shown = _shown(folder)
    print(f"added {sid}: {shown}/sources/{sid}.txt, registered in annotations/sources.csv and source_fields.csv")
    print(f"next: write its rows in {shown}/annotations/*.csv with source_id {sid}, copying each span verbatim and "
          "leaving start/end empty; then run `brink source fill` and `brink check`")
    return 0


def _source_id(checked: Checked, source: str) -> str:
    """The source id that ``source`` names: the id itself or a unique prefix such as ``003``."""
    from .adding import SourceError
    ids = sorted(checked.bodies)
    if source in ids:
        return source
    hits = [s for s in ids if s.startswith(source)]
    if len(hits) == 1:
        return hits[0]
    raise SourceError(f"{source!r} names {'several sources' if hits else 'no source'}; known: {', '.join(ids)}")


def run_find(args) -> int:
    from .spans import occurrences
    folder = data_folder(args.data)
    checked = check_folder(folder)        # once: the bodies of every source
    sid = _source_id(checked, args.source)
    body = checked.bodies[sid]
    hits = occurrences(body, args.span)
    n = len(args.span)
    if len(hits) == 1:
        print(f"{hits[0]} {hits[0] + n}")
        return 0
    if not hits:
        print(f"absent: {args.span[:60]!r} is not in the body of {sid} verbatim "
              "(check quotation marks, apostrophes, dashes and spaces)")
        return 1
    print(f"{len(hits)} matches in {sid}; quote more words, or write the start of the one you mean:")
    for h in hits:
        before, after = body[max(0, h - 30):h].replace("\n", " "), body[h + n:h + n + 30].replace("\n", " ")
        print(f"{h} {h + n}  …{before}[{body[h:h + n]}]{after}…")
    return 1


def fill_offsets(folder: Path, *, write: bool = True) -> tuple[dict, list]:
    """Write the offsets of every span whose ``start`` and ``end`` are empty, where the span occurs once.

    A span that occurs several times takes the first occurrence at or after a ``start`` already
    written; without one it is reported and left empty, as is a span not found.

    Args:
        folder: the data folder.
        write: False to change nothing (``--check``).

    Returns:
        ``(filled, problems)``: offsets written (or missing) per file, and the spans left unplaced.
    """
    from ..files import csv_text, decode, read_csv_text, replace_files
    from .adding import _newline
    from .spans import fill_rows, span_rules
    folder = Path(folder).resolve()
    checked = check_folder(folder)        # once: bodies, texts and body bounds
    src = checked.tables.get("sources")
    bounds = {} if src is None else dict(zip(src["source_id"], zip(src["body_start"], src["body_end"])))
    filled, problems, contents = {}, [], {}
    assert checked.schema is not None, "the folder was checked with a usable schema"
    for rule in span_rules(checked.schema):
        path = folder / rule.file
        if not rule.offsets or not path.is_file():
            continue
        header, rows = read_csv_text(decode(path.read_bytes(), rule.file))
        if not rule.columns() <= set(header):
            continue
        changed, unplaced = fill_rows(rule, header, rows, checked.bodies, checked.texts, bounds)
        problems += unplaced
        if changed:
            filled[rule.file] = changed
            contents[path] = csv_text(header, rows, _newline(path))
    if write and contents:
        replace_files(contents)
    return filled, problems


def run_fill(args) -> int:
    folder = data_folder(args.data)
    filled, problems = fill_offsets(folder, write=not args.check)
    shown = _shown(folder)
    for file, n in filled.items():
        print(f"{shown}/{file}: {n} offset{'s' if n != 1 else ''} {'missing' if args.check else 'written'}")
    for p in problems:
        print(p.line(shown))
    if not filled and not problems:
        print(f"{shown}: every span has its offsets")
    return 1 if problems or (args.check and filled) else 0


def run_codebook(args) -> int:
    from ..files import atomic_write
    from .codebook import codebook_path, render, updated
    from .schema import load_schema
    folder = data_folder(args.data)
    text = render(load_schema(folder))
    path = codebook_path(folder)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    new = updated(old, text)
    if args.check:
        if new != old:
            print(f"{_shown(folder)}/README.md: the column tables differ from schema.toml — run brink codebook")
            return 1
        print(f"{_shown(folder)}/README.md: agrees with schema.toml")
        return 0
    if new != old:
        atomic_write(path, new)
        print(f"{_shown(folder)}/README.md: column tables written")
    else:
        print(f"{_shown(folder)}/README.md: already up to date")
    return 0


def register(sub) -> None:
    p = sub.add_parser("check", help="check a whole data folder and list every problem",
                       description="Check a data folder: every problem as file:row:column: what — fix. "
                                   "Exit 1 if anything is wrong.")
    p.add_argument("data", nargs="?", help="the data folder (default: $BRINK_DATA, else the kit's data/)")
    p.set_defaults(func=run_check)

    s = sub.add_parser("source", help="add a source text; find or fill the offsets of spans")
    ss = s.add_subparsers(dest="source_command", required=True)
    a = ss.add_parser("add", help="copy a text in, record its SHA-256 and register it",
                      description="Add a source text. Each field given is 'stated' unless --basis says "
                                  "inferred or context; a field from context needs --cite FIELD=URL.")
    a.add_argument("file", help="the text, UTF-8")
    a.add_argument("--title")
    a.add_argument("--outlet")
    a.add_argument("--published", help="YYYY-MM-DD")
    a.add_argument("--genre", help="a term of vocabularies/genres.csv")
    a.add_argument("--authors", help="names separated by '; '")
    a.add_argument("--newsroom", help="whose reporting it is, where it is not the outlet's (one newsroom, one source)")
    a.add_argument("--basis", action="append", metavar="FIELD=BASIS",
                   help="stated (default), inferred or context, e.g. --basis outlet=context")
    a.add_argument("--cite", action="append", metavar="FIELD=URL", help="where a context field was read")
    a.add_argument("--support", action="append", metavar="FIELD=WORDS",
                   help="the words of the text that state or suggest the field (default for stated: the value)")
    a.add_argument("--body-start", type=int, help="first character of the body (default 0)")
    a.add_argument("--body-end", type=int, help="end of the body (default: the end of the file)")
    a.add_argument("--note", help="what lies outside the body, if anything")
    a.add_argument("--data", help="the data folder (default: $BRINK_DATA, else the kit's data/)")
    a.set_defaults(func=run_add)
    f = ss.add_parser("find", help="the offsets of a quoted span in a source's body")
    f.add_argument("source", help="a source id, or its first digits (e.g. 003)")
    f.add_argument("span", help="the words, exactly as in the text")
    f.add_argument("--data")
    f.set_defaults(func=run_find)
    fl = ss.add_parser("fill", help="write the offsets of every span whose start and end are empty")
    fl.add_argument("--check", action="store_true", help="only report, change nothing")
    fl.add_argument("--data")
    fl.set_defaults(func=run_fill)

    c = sub.add_parser("codebook", help="regenerate the codebook's column tables from schema.toml")
    c.add_argument("--check", action="store_true", help="only say whether README.md agrees with the schema")
    c.add_argument("--data")
    c.set_defaults(func=run_codebook)
