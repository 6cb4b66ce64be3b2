"""``brink source add``: adding a source text to a data folder.

``add_source`` copies a text in byte for byte, records its SHA-256 and registers it with its
metadata fields; nothing is written unless the whole folder, with the new source, checks as
well as it did before.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import BrinkError, DataError
from ..files import csv_text, decode, read_csv_text, read_sha256sums, replace_files
from .check import check_folder, is_date
from .schema import load_schema
from .spans import at_list, occurrences, outside_body
from .vocabularies import terms


class SourceError(BrinkError, ValueError):
    """A source cannot be added or a span cannot be placed; the message says why and what to do."""


@dataclass(frozen=True)
class Field:
    """One metadata field of a new source: its value, basis and support (words or an address)."""
    value: str | None
    basis: str = "stated"
    support: str | None = None


def _newline(path: Path) -> str:
    """The line ending a CSV file uses (CRLF for a new or empty file, as spreadsheets write)."""
    head = path.read_bytes()[:4096] if path.exists() else b""
    return "\r\n" if b"\r\n" in head or not head else "\n"


# ---------------------------------------------------------------- source add

def _locate_support(text: str, body_start: int, body_end: int, support: str, field: str):
    """Offsets of a verbatim support in the body, or ``(None, None)`` where it stands outside the body."""
    body = text[body_start:body_end]
    hits = occurrences(body, support)
    if len(hits) == 1:
        return hits[0], hits[0] + len(support)
    if len(hits) > 1:
        at = at_list(hits, len(support))
        raise SourceError(f"{field}: the support {support[:60]!r} occurs {len(hits)} times in the body (at {at}) — "
                          f"quote more words with --support {field}='…' so that only one matches")
    if outside_body(text, support, body_start, body_end):
        return None, None
    raise SourceError(f"{field}: {support[:60]!r} is not in the text verbatim — quote the words that state it "
                      f"with --support {field}='…', or mark the field inferred or context (--basis {field}=…)")


def add_source(folder: Path, file: Path, fields: dict, *, body_start: int | None = None,
               body_end: int | None = None, note: str = "", source_id: str | None = None) -> str:
    """Copy a text into a data folder and register it, or change nothing.

    Args:
        folder: the data folder.
        file: the text, UTF-8.
        fields: field name -> ``Field`` for the fields of ``vocabularies/field_names.csv`` (title,
            outlet, published, genre, authors, newsroom); a field left out is recorded as not stated.
        body_start, body_end: the body's character offsets in the file (default: the whole file).
        note: what lies outside the body, for ``sources.csv``.
        source_id: the id to give it (default: next number, ``_``, 16 hex digits of its SHA-256).
    Returns:
        The new source id.
    Raises:
        SourceError: the text or a field cannot be added (the folder is left byte for byte as it was).
    """
    folder, file = Path(folder).resolve(), Path(file)
    schema = load_schema(folder)
    if not file.is_file():
        raise SourceError(f"{file}: no such file")
    data = file.read_bytes()
    try:
        text = decode(data, str(file))
    except DataError as e:
        raise SourceError(f"{file}: {e.problem} — {e.fix}") from None
    if not text.strip():
        raise SourceError(f"{file}: the file is empty")
    digest = hashlib.sha256(data).hexdigest()
    sums_path = folder / schema.checksums
    sums_text = sums_path.read_text(encoding="utf-8") if sums_path.exists() else ""
    for name, known_digest in read_sha256sums(sums_text)[0].items():
        if known_digest == digest:
            raise SourceError(f"{file}: this text is already in the data folder as {name} "
                              "(same SHA-256); a text is added once")
    src_path = folder / schema.tables["sources"].file
    header, rows = read_csv_text(decode(src_path.read_bytes(), schema.tables["sources"].file))
    k_id = header.index("source_id")
    known = [r[k_id] for r in rows if r]
    if source_id is None:
        numbers = [int(s[:3]) for s in known if re.match(r"^\d{3}_", s)]
        source_id = f"{(max(numbers) + 1) if numbers else 0:03d}_{digest[:16]}"
    if source_id in known:
        raise SourceError(f"{source_id}: a source with this id is already registered in {schema.tables['sources'].file}")
    start = 0 if body_start is None else body_start
    end = len(text) if body_end is None else body_end
    if not 0 <= start <= end <= len(text):
        raise SourceError(f"--body-start/--body-end: {start}..{end} is outside the text (0..{len(text)} characters)")

    genres, bases = terms(folder, "genre"), terms(folder, "field_basis")
    unknown = set(fields) - set(terms(folder, "field"))
    if unknown:
        raise SourceError(f"{sorted(unknown)[0]}: not a field of vocabularies/field_names.csv")
    field_rows = []
    for name in terms(folder, "field"):   # every field the folder records, in its order
        f = fields.get(name) or Field(None, "not stated")
        if f.basis not in bases:
            raise SourceError(f"{name}: basis {f.basis!r} is not one of {', '.join(bases)}")
        if f.basis == "not stated":
            field_rows.append([source_id, name, "", "not stated", "", "", ""])
            continue
        if not f.value:
            raise SourceError(f"{name}: a {f.basis} field needs a value")
        if name == "published" and not is_date(f.value):
            raise SourceError(f"published: {f.value!r} is not a date — write it as YYYY-MM-DD")
        if name == "genre" and f.value not in genres:
            raise SourceError(f"genre: {f.value!r} is not in the vocabulary ({', '.join(genres)}) — "
                              f"add it to {schema.vocabularies['genre']} first, with its meaning")
        if f.basis == "context":
            if not f.support or not re.match(r"^https?://", f.support):
                raise SourceError(f"{name}: a field from context needs --cite {name}=https://… (where it was read)")
            field_rows.append([source_id, name, f.value, "context", f.support, "", ""])
            continue
        support = f.support or (f.value if f.basis == "stated" else None)
        if not support:
            raise SourceError(f"{name}: an inferred field needs --support {name}='the words it is inferred from'")
        at, to = _locate_support(text, start, end, support, name)
        field_rows.append([source_id, name, f.value, f.basis, support, "" if at is None else str(at),
                           "" if to is None else str(to)])

    text_rel = f"{schema.sources_folder}/{source_id}.txt"
    if (folder / text_rel).exists():
        raise SourceError(f"{text_rel} already exists; a text is added once")
    fields_path = folder / schema.tables["source_fields"].file
    f_header, f_rows = read_csv_text(decode(fields_path.read_bytes(), schema.tables["source_fields"].file))
    new_src = dict(source_id=source_id, file=f"{source_id}.txt", body_start=str(start), body_end=str(end), note=note)
    contents = {
        folder / text_rel: data,
        sums_path: sums_text + ("" if not sums_text or sums_text.endswith("\n") else "\n")
        + f"{digest}  {source_id}.txt\n",
        src_path: csv_text(header, rows + [[new_src.get(h, "") for h in header]], _newline(src_path)),
        fields_path: csv_text(f_header, f_rows + [[dict(zip(["source_id", "field", "value", "basis", "support",
                                                               "start", "end"], r)).get(h, "") for h in f_header]
                                                   for r in field_rows], _newline(fields_path)),
    }
    _verify_then_write(folder, contents)
    return source_id


def _verify_then_write(folder: Path, contents: dict) -> None:
    """Apply the changes to a copy of the folder first; write them only if they add no problem."""
    before = {p.line() for p in check_folder(folder).problems}
    with tempfile.TemporaryDirectory(prefix="brink-add-") as tmp:
        copy = Path(tmp) / folder.name
        shutil.copytree(folder, copy)
        replace_files({copy / p.relative_to(folder): c for p, c in contents.items()})
        after = check_folder(copy).problems
    new = [p for p in after if p.line() not in before]
    if new:
        raise SourceError("the source was not added; with it the folder would have these problems:\n"
                          + "\n".join(p.line() for p in new))
    replace_files(contents)
