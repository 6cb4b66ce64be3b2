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

import argparse
import os
import sys
from pathlib import Path

from ._loading import check_folder
from .errors import DataError
from .schema import SCHEMA_FILE


#: the metadata fields `brink source add` takes as options (the kit's field vocabulary)
FIELD_FLAGS = ("title", "outlet", "published", "genre", "authors", "newsroom")


def _folder(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    from ._paths import data_dir
    return data_dir()


def _shown(folder: Path) -> str:
    """The folder as the user would type it: relative to the current folder where it is inside it."""
    folder = folder.resolve()
    try:
        rel = os.path.relpath(folder)
    except ValueError:
        return str(folder)
    return str(folder) if rel.startswith("..") else rel


def _fail(message: str, code: int = 2) -> int:
    print(f"brink: {message}", file=sys.stderr)
    return code


def _usable(folder: Path) -> str | None:
    if not folder.is_dir():
        return f"{folder}: no such folder"
    if not (folder / SCHEMA_FILE).is_file():
        return f"{folder}: not a data folder (it has no {SCHEMA_FILE}; copy the kit's data/ folder to start one)"
    return None


def run_check(args) -> int:
    try:
        folder = _folder(args.data)
    except FileNotFoundError as e:
        return _fail(str(e).removeprefix("brink: "))
    if (why := _usable(folder)):
        return _fail(why)
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
            raise ValueError(f"{flag} {v!r}: write FIELD=VALUE, e.g. {flag} outlet=context")
        k, _, val = v.partition("=")
        if k not in FIELD_FLAGS:
            raise ValueError(f"{flag} {v!r}: {k!r} is not a field ({', '.join(FIELD_FLAGS)})")
        out[k] = val
    return out


def run_add(args) -> int:
    from .sourcing import Field, SourceError, add_source
    try:
        folder = _folder(args.data)
        basis, cite, support = _pairs(args.basis, "--basis"), _pairs(args.cite, "--cite"), _pairs(args.support, "--support")
    except (FileNotFoundError, ValueError) as e:
        return _fail(str(e).removeprefix("brink: "))
    if (why := _usable(folder)):
        return _fail(why)
    fields = {}
    for name in FIELD_FLAGS:
        value = getattr(args, name)
        b = basis.get(name, "stated" if value else "not stated")
        if b == "context" and name not in cite:
            return _fail(f"--basis {name}=context needs --cite {name}=URL (the address it was read at)")
        if name in cite and b != "context":
            return _fail(f"--cite {name}=… is for a field from context: add --basis {name}=context")
        fields[name] = Field(value, b, cite.get(name) if b == "context" else support.get(name))
    try:
        sid = add_source(folder, Path(args.file), fields, body_start=args.body_start, body_end=args.body_end,
                         note=args.note or "")
    except SourceError as e:
        return _fail(str(e), 1)
    except DataError as e:
        return _fail(str(e), 1)
    shown = _shown(folder)
    print(f"added {sid}: {shown}/sources/{sid}.txt, registered in annotations/sources.csv and source_fields.csv")
    print(f"next: write its rows in {shown}/annotations/*.csv with source_id {sid}, copying each span verbatim and "
          "leaving start/end empty; then run `brink source fill` and `brink check`")
    return 0


def run_find(args) -> int:
    from .sourcing import SourceError, find_span
    try:
        folder = _folder(args.data)
        sid, hits = find_span(folder, args.source, args.span)
    except (FileNotFoundError, SourceError) as e:
        return _fail(str(e).removeprefix("brink: "), 1)
    n = len(args.span)
    if len(hits) == 1:
        print(f"{hits[0]} {hits[0] + n}")
        return 0
    if not hits:
        print(f"absent: {args.span[:60]!r} is not in the body of {sid} verbatim "
              "(check quotation marks, apostrophes, dashes and spaces)")
        return 1
    from ._loading import check_folder as _cf
    body = _cf(folder).bodies[sid]
    print(f"{len(hits)} matches in {sid}; quote more words, or write the start of the one you mean:")
    for h in hits:
        before, after = body[max(0, h - 30):h].replace("\n", " "), body[h + n:h + n + 30].replace("\n", " ")
        print(f"{h} {h + n}  …{before}[{body[h:h + n]}]{after}…")
    return 1


def run_fill(args) -> int:
    from .sourcing import fill_offsets
    try:
        folder = _folder(args.data)
    except FileNotFoundError as e:
        return _fail(str(e).removeprefix("brink: "))
    if (why := _usable(folder)):
        return _fail(why)
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
    from .codebook import codebook_path, render, updated
    from .schema import load_schema
    try:
        folder = _folder(args.data)
        text = render(load_schema(folder))
    except (FileNotFoundError, DataError) as e:
        return _fail(str(e).removeprefix("brink: "))
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
        path.write_text(new, encoding="utf-8")
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
