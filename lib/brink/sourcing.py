"""Adding a source text to a data folder, and finding the offsets of verbatim spans.

``add_source`` copies a text in byte for byte, records its SHA-256 and registers it with its
metadata fields; nothing is written unless the whole folder, with the new source, checks as
well as it did before. ``find_span`` and ``fill_offsets`` spare annotators typing offsets.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ._loading import check_folder, occurrences
from .errors import DataError, Problem
from .schema import decode, load_schema, read_csv_text, terms



class SourceError(ValueError):
    """A source cannot be added or a span cannot be placed; the message says why and what to do."""


@dataclass(frozen=True)
class Field:
    """One metadata field of a new source: its value, basis and support (words or an address)."""
    value: str | None
    basis: str = "stated"
    support: str | None = None


# ---------------------------------------------------------------- files written whole or not at all

def _newline(path: Path) -> str:
    head = path.read_bytes()[:4096] if path.exists() else b""
    return "\r\n" if b"\r\n" in head or not head else "\n"


def csv_text(header: list, rows: list, newline: str = "\r\n") -> str:
    """A CSV text as the kit writes it (minimal quoting).

    >>> csv_text(["a", "b"], [["x, y", "z"]], "\\n")
    'a,b\\n"x, y",z\\n'
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def replace_files(contents: dict) -> None:
    """Write several files so that each is either its old or its new self: every new content goes
    to a temporary file beside its target first, and only when all are written are they swapped in."""
    temps = []
    try:
        for path, data in contents.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
            temps.append((tmp, path))
        for tmp, path in temps:
            os.replace(tmp, path)
        temps = []
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


# ---------------------------------------------------------------- source add

def _locate_support(text: str, body_start: int, body_end: int, support: str, field: str):
    """Offsets of a verbatim support in the body, or ``(None, None)`` where it stands outside the body."""
    body = text[body_start:body_end]
    hits = occurrences(body, support)
    if len(hits) == 1:
        return hits[0], hits[0] + len(support)
    if len(hits) > 1:
        at = ", ".join(f"{h}:{h + len(support)}" for h in hits[:5])
        raise SourceError(f"{field}: the support {support[:60]!r} occurs {len(hits)} times in the body (at {at}) — "
                          f"quote more words with --support {field}='…' so that only one matches")
    if support in text[:body_start] or support in text[body_end:]:
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
    for line in sums_text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == digest:
            raise SourceError(f"{file}: this text is already in the data folder as {parts[1]} "
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
        if name == "published" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", f.value):
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
        s, e = _locate_support(text, start, end, support, name)
        field_rows.append([source_id, name, f.value, f.basis, support, "" if s is None else str(s),
                           "" if e is None else str(e)])

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


# ---------------------------------------------------------------- spans

def resolve_source(folder: Path, source: str) -> str:
    """The source id that ``source`` names: the id itself or a unique prefix such as ``003``."""
    checked = check_folder(folder)
    ids = sorted(checked.bodies)
    if source in ids:
        return source
    hits = [s for s in ids if s.startswith(source)]
    if len(hits) == 1:
        return hits[0]
    raise SourceError(f"{source!r} names {'several sources' if hits else 'no source'}; known: {', '.join(ids)}")


def find_span(folder: Path, source: str, span: str) -> tuple[str, list[int]]:
    """The source id and every offset where ``span`` starts in that source's body."""
    sid = resolve_source(folder, source)
    return sid, occurrences(check_folder(folder).bodies[sid], span)


def _holds(row: dict, expr: str) -> bool:
    m = re.fullmatch(r"\s*(\w+)\s*(!=|=)\s*(.+?)\s*", expr)
    if not m:
        return bool(row.get(expr.strip()))
    col, op, term = m.groups()
    value = row.get(col, "")
    return bool(value) and ((value == term) if op == "=" else (value != term))


def fill_offsets(folder: Path, *, write: bool = True) -> tuple[dict, list]:
    """Write the offsets of every span whose ``start`` and ``end`` are empty, where the span occurs once.

    A span that occurs several times takes the first occurrence at or after a ``start`` already
    written; without one it is reported and left empty, as is a span not found.

    Returns:
        ``(filled, problems)``: offsets written per file, and the spans left unplaced.
    """
    folder = Path(folder).resolve()
    checked = check_folder(folder)
    schema = checked.schema
    src = {}
    if "sources" in checked.tables:
        for r in checked.tables["sources"].itertuples(index=False):
            src[r.source_id] = (r.body_start, r.body_end)
    filled, problems, contents = {}, [], {}
    for t in schema.tables.values():
        if not t.span:
            continue
        path = folder / t.file
        header, rows = read_csv_text(decode(path.read_bytes(), t.file))
        if not {t.span["text"], t.span["source"], "start", "end"} <= set(header):
            continue
        k = {h: i for i, h in enumerate(header)}
        changed = 0
        for i, r in enumerate(rows, start=1):
            row = {h: (r[j] if j < len(r) else "") for h, j in k.items()}
            span, sid = row[t.span["text"]], row[t.span["source"]]
            if not span or row["end"].strip() or sid not in checked.bodies:
                continue
            if any(_holds(row, c) for c in t.span.get("no_offsets_when", []) if c != "outside body"):
                continue
            text, (b0, b1) = checked.texts[sid], src[sid]
            if "outside body" in t.span.get("no_offsets_when", []):
                words = span.split(" (")[0].strip()
                if words and (words in text[:b0] or words in text[b1:]):
                    continue
            body = checked.bodies[sid]
            hits = occurrences(body, span)
            hint = row["start"].strip()
            if hint.isdigit():
                hits = [h for h in hits if h >= int(hint)][:1]
            if len(hits) != 1:
                if not hits:
                    problems.append(Problem(t.file, i, t.span["text"], f"the span is not found verbatim in {sid}: "
                                            f"{span[:60]!r}", "copy the words exactly from the text"))
                else:
                    at = ", ".join(f"{h}:{h + len(span)}" for h in hits[:5])
                    problems.append(Problem(t.file, i, "start", f"the span occurs {len(hits)} times in {sid} (at {at})",
                                            "write the start of the one you mean in start, then run this again"))
                continue
            r = (r + [""] * len(header))[:len(header)]
            r[k["start"]], r[k["end"]] = str(hits[0]), str(hits[0] + len(span))
            rows[i - 1] = r
            changed += 1
        if changed:
            filled[t.file] = changed
            contents[path] = csv_text(header, rows, _newline(path))
    if write and contents:
        replace_files(contents)
    return filled, problems
