"""The schema of a data folder, read from its ``schema.toml``.

Every rule about the annotation files is written once, in ``<data>/schema.toml`` and the
term lists in ``<data>/vocabularies/``; the loaders, ``brink check``, the span finder and
the codebook's column tables are derived from what this module reads.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from .signature import fingerprint

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
    verbatim: dict | None = None
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

    def input_files(self) -> list[str]:
        """Every file of the folder the check reads, relative to it: this schema, the vocabularies,
        the tables, the checksum file and every text in the sources folder.

        >>> from brink import data_dir
        >>> files = load_schema(data_dir()).input_files()
        >>> files[0], "annotations/events.csv" in files, "sources/SHA256SUMS" in files
        ('schema.toml', True, True)
        """
        names = [SCHEMA_FILE, *self.vocabularies.values(), *(t.file for t in self.tables.values()), self.checksums]
        texts = self.folder / self.sources_folder
        if texts.is_dir():
            names += sorted(f"{self.sources_folder}/{p.name}" for p in texts.glob("*.txt"))
        return list(dict.fromkeys(names))


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
            span=t.get("span"), verbatim=t.get("verbatim"), rules=tuple(t.get("rules", [])), order=tuple(t.get("order", [])))
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
    return _load_schema(folder, fingerprint(folder / SCHEMA_FILE))


@functools.lru_cache(maxsize=8)
def _load_schema(folder: Path, _fingerprint: str | None) -> Schema:
    path = folder / SCHEMA_FILE
    if not path.is_file():
        raise DataError(str(path), None, None, "the data folder has no schema.toml (copy the kit's data/schema.toml)")
    return parse_schema(path.read_text(encoding="utf-8"), folder)
