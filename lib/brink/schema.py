"""The schema of a data folder, read from its ``schema.toml``, and its vocabularies.

Every rule about the annotation files is written once, in ``<data>/schema.toml`` and the
term lists in ``<data>/vocabularies/``; the loaders, ``brink check``, the span finder and
the codebook's column tables are derived from what this module reads.
"""
from __future__ import annotations

import csv
import functools
import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, Problem

SCHEMA_FILE = "schema.toml"
#: the column types a schema may use, with the pandas dtype each loads as
TYPES = {"text": "string", "date": "datetime64[ns]", "instant": "datetime64[ns, UTC]",
         "int": "Int64", "number": "Float64"}
_COLUMN_KEYS = {"name", "type", "required", "unique", "vocab", "ref", "min", "max", "pattern", "public",
                "meaning", "loaded", "after"}


@dataclass(frozen=True)
class Column:
    """One column of an annotation file, as the schema declares it."""
    name: str
    type: str = "text"
    required: bool = False
    unique: bool = False
    vocab: str | None = None
    ref: tuple = ()
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    public: str | None = None
    meaning: str = ""
    loaded: bool = True
    after: str | None = None


@dataclass(frozen=True)
class Table:
    """One annotation file: its columns, id column, span rule and cross-column rules."""
    name: str
    file: str
    columns: tuple
    id: str | None = None
    about: str = ""
    derived: tuple = ()
    span: dict | None = None
    rules: tuple = ()
    order: tuple = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class Schema:
    """A data folder's schema: its tables in order, its vocabulary files and where the texts are."""
    folder: Path
    tables: dict
    vocabularies: dict
    sources_folder: str = "sources"
    checksums: str = "sources/SHA256SUMS"
    raw: dict = field(default_factory=dict, repr=False)


def _column(table: str, spec: dict) -> Column:
    unknown = set(spec) - _COLUMN_KEYS
    if unknown or "name" not in spec:
        raise DataError(SCHEMA_FILE, None, f"{table}.{spec.get('name', '?')}",
                        f"unknown column keys {sorted(unknown)}" if unknown else "a column without a name")
    ref = spec.get("ref", ())
    spec = dict(spec, ref=(ref,) if isinstance(ref, str) else tuple(ref))
    if spec.get("type", "text") not in TYPES and spec.get("type") != "category":
        raise DataError(SCHEMA_FILE, None, f"{table}.{spec['name']}",
                        f"unknown type {spec['type']!r}; one of {sorted(TYPES)}")
    return Column(**spec)


def parse_schema(text: str, folder: Path) -> Schema:
    """Build a Schema from the text of a ``schema.toml``.

    Raises:
        DataError: the file is not TOML or declares something the kit cannot read.

    >>> s = parse_schema('[tables.t]\\nfile = "annotations/t.csv"\\ncolumns = [{ name = "a", required = true }]', Path("."))
    >>> s.tables["t"].columns[0]
    Column(name='a', type='text', required=True, unique=False, vocab=None, ref=(), min=None, max=None, pattern=None, public=None, meaning='', loaded=True, after=None)
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DataError(SCHEMA_FILE, None, None, f"not valid TOML ({e})") from None
    tables = {}
    for name, t in raw.get("tables", {}).items():
        tables[name] = Table(
            name=name, file=t["file"], id=t.get("id"), about=t.get("about", ""),
            columns=tuple(_column(name, c) for c in t.get("columns", [])),
            derived=tuple(_column(name, c) for c in t.get("derived", [])),
            span=t.get("span"), rules=tuple(t.get("rules", [])), order=tuple(t.get("order", [])))
    for t in tables.values():
        for c in t.columns:
            for target in c.ref:
                if target not in tables or tables[target].id is None:
                    raise DataError(SCHEMA_FILE, None, f"{t.name}.{c.name}",
                                    f"refers to {target!r}, which is not a table with an id")
            if c.vocab and c.vocab not in raw.get("vocabularies", {}):
                raise DataError(SCHEMA_FILE, None, f"{t.name}.{c.name}", f"no vocabulary {c.vocab!r}")
    src = raw.get("sources", {})
    return Schema(folder=folder, tables=tables, vocabularies=dict(raw.get("vocabularies", {})),
                  sources_folder=src.get("folder", "sources"),
                  checksums=src.get("checksums", "sources/SHA256SUMS"), raw=raw)


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def load_schema(folder: Path) -> Schema:
    """The schema of a data folder.

    Args:
        folder: a data folder holding ``schema.toml``.
    Returns:
        The parsed Schema.
    Raises:
        DataError: the schema file is missing or broken (named in the message).
    """
    folder = Path(folder).resolve()
    return _load_schema(folder, _mtime(folder / SCHEMA_FILE))


@functools.lru_cache(maxsize=8)
def _load_schema(folder: Path, _sig: tuple) -> Schema:
    path = folder / SCHEMA_FILE
    if not path.is_file():
        raise DataError(str(path), None, None, "the data folder has no schema.toml (copy the kit's data/schema.toml)")
    return parse_schema(path.read_text(encoding="utf-8"), folder)


def decode(data: bytes, file: str) -> str:
    """UTF-8 text, or a DataError naming the first byte that is not UTF-8 (offset from 0) and its row.

    >>> decode("é".encode(), "x.csv")
    'é'
    >>> decode(b"a,b\\nc,\\xe9\\n", "x.csv")
    Traceback (most recent call last):
    ...
    brink.errors.DataError: x.csv, row 1: not UTF-8: byte 0xe9 at byte offset 6 cannot be decoded — save the file as UTF-8 (in a spreadsheet: CSV UTF-8)
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start)
        raise DataError(file, line if line else None, None,
                        f"not UTF-8: byte 0x{data[e.start]:02x} at byte offset {e.start} cannot be decoded",
                        fix="save the file as UTF-8" + (" (in a spreadsheet: CSV UTF-8)" if file.endswith(".csv")
                                                        else "")) from None


def read_csv_text(text: str) -> tuple[list, list]:
    """The header and rows (lists of strings) of a CSV text."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    return (rows[0] if rows else []), rows[1:]


def vocabulary_rows(folder: Path, name: str) -> list[dict]:
    """The rows of one vocabulary file of a data folder, as dicts of strings.

    >>> from brink import data_dir
    >>> vocabulary_rows(data_dir(), "medium")[0]
    {'term': 'tweet', 'meaning': 'a post on Twitter'}
    """
    folder = Path(folder).resolve()
    schema = load_schema(folder)
    if name not in schema.vocabularies:
        raise KeyError(f"no vocabulary {name!r} in {folder / SCHEMA_FILE}; known: {sorted(schema.vocabularies)}")
    rel = schema.vocabularies[name]
    return [dict(r) for r in _vocabulary_rows(folder / rel, rel, _mtime(folder / rel))]  # copies: the cache stays as read


@functools.lru_cache(maxsize=256)
def _vocabulary_rows(path: Path, rel: str, _mtime_ns: int | None) -> list[dict]:
    if not path.is_file():
        raise DataError(rel, None, None, "the vocabulary file is missing")
    header, rows = read_csv_text(decode(path.read_bytes(), rel))
    return [dict(zip(header, r)) for r in rows if any(r)]


def terms(folder: Path, name: str) -> list[str]:
    """The terms of one vocabulary (the first column of its file), in file order.

    >>> from brink import data_dir
    >>> terms(data_dir(), "qualifier")
    ['exactly', 'about', 'at least', 'more than']
    """
    rows = vocabulary_rows(folder, name)
    if not rows:
        return []
    first = next(iter(rows[0]))
    return [r[first] for r in rows]
