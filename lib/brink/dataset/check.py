"""The folder check: reading a whole data folder against its schema, collecting every problem.

``check_folder`` is what ``brink check`` runs and what the table loaders build on: it parses
every annotation file into a typed DataFrame (validated with a pandera schema derived from
``schema.toml``), then checks references, the source texts and their checksums, every
verbatim span at its offsets, and the schema's cross-column rules. Each problem names the
file, row and column, says what is wrong and what would fix it.
"""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import DataError, Problem
from ..files import decode, read_csv_text, read_sha256sums
from .bands import bands
from .rules import Condition, rule_columns
from .schema import SCHEMA_FILE, Column, Schema, Table, load_schema
from .signature import folder_signature
from .spans import check_spans, span_rules
from .vocabularies import terms, vocabulary_rows

if TYPE_CHECKING:
    import pandera.pandas as pa

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)$")
_INT = re.compile(r"^-?\d+$")
_INT64 = (-(2 ** 63), 2 ** 63 - 1)   # what a whole-number column holds
_EXPECTED = {
    "date": ("a date (YYYY-MM-DD)", "write the date as YYYY-MM-DD, e.g. 2020-01-03"),
    "instant": ("a time with its UTC offset (YYYY-MM-DDTHH:MM+HH:MM)",
                "write the clock time with the place's UTC offset, e.g. 2020-01-03T00:47+03:00"),
    "int": ("a whole number", "write a whole number (digits only), or leave the cell empty"),
    "number": ("a number", "write a number such as 12 or 2.5, or leave the cell empty"),
}


@dataclass
class Checked:
    """The result of checking a data folder: typed tables, source bodies and every problem found."""
    folder: Path
    schema: Schema | None
    tables: dict = field(default_factory=dict)
    bodies: dict = field(default_factory=dict)     # source_id -> body text
    texts: dict = field(default_factory=dict)      # source_id -> whole file text
    problems: list = field(default_factory=list)

    def raise_first(self) -> None:
        """Raise the first problem as a DataError (its file shown under the data folder's name), if any.

        Raises:
            DataError: the folder has a problem.
        """
        if self.problems:
            raise DataError.from_problem(self.problems[0], self.folder.name)


# ---------------------------------------------------------------- parsing one file

def is_date(text: str) -> bool:
    """Whether a cell holds a real calendar date written YYYY-MM-DD (what a ``date`` column reads).

    >>> is_date("2020-01-03"), is_date("2020-13-45"), is_date("3 Jan 2020")
    (True, False, False)
    """
    return bool(_DATE.match(text)) and not pd.isna(pd.to_datetime(text, format="%Y-%m-%d", errors="coerce"))


def _parse_column(col: Column, raw: pd.Series):
    """Typed values of one column and the mask of non-empty cells that could not be read."""
    if col.type in ("text", "category"):
        values = raw.where(raw != "", None).astype("string")
        return values, pd.Series(False, index=raw.index)
    s = raw.str.strip()
    empty = s == ""
    if col.type == "date":
        ok = s.str.match(_DATE)
        parsed = pd.to_datetime(s.where(ok, None), format="%Y-%m-%d", errors="coerce")
        values = parsed.astype("datetime64[ns]")
    elif col.type == "instant":
        ok = s.str.match(_INSTANT)
        parsed = pd.to_datetime(s.where(ok, None), utc=True, format="ISO8601", errors="coerce")
        values = parsed.astype("datetime64[ns, UTC]")
    elif col.type == "int":
        ints = [int(x) if _INT.match(x) and _INT64[0] <= int(x) <= _INT64[1] else None for x in s]
        ok = pd.Series([v is not None for v in ints], index=s.index)
        values = pd.Series(pd.array(ints, dtype="Int64"), index=s.index)
    else:  # number
        values = pd.to_numeric(s.where(~empty, None), errors="coerce").astype("Float64")
        ok = values.notna() & ~s.str.lower().isin(["nan", "inf", "-inf"])
    bad = ~empty & (~ok | values.isna())
    return values, bad


def _pandera(table: Table, vocabs: dict, skip: set) -> pa.DataFrameSchema:
    """The pandera schema of one table, derived from its columns in ``schema.toml``."""
    import pandera.pandas as pa  # imported on first load, not with brink: it costs ~0.4 s of a kernel start
    columns = {}
    for c in table.columns:
        if c.name in skip:
            continue
        checks = []
        if c.vocab and vocabs.get(c.vocab) is not None:
            checks.append(pa.Check.isin(vocabs[c.vocab], error="vocab"))
        if c.min is not None:
            checks.append(pa.Check.ge(c.min, error="min"))
        if c.max is not None:
            checks.append(pa.Check.le(c.max, error="max"))
        if c.pattern:
            checks.append(pa.Check.str_matches(c.pattern, error="pattern"))
        dtype = "string" if c.type == "category" else {"text": "string", "date": "datetime64[ns]",
                                                        "instant": "datetime64[ns, UTC]", "int": "Int64",
                                                        "number": "Float64"}[c.type]
        columns[c.name] = pa.Column(dtype, checks=checks, nullable=not c.required, unique=c.unique, coerce=False)
    return pa.DataFrameSchema(columns, strict=False)


def _vocab_hint(folder: Path, schema: Schema, name: str, vocab: list) -> str:
    shown = ", ".join(vocab[:20]) + (", …" if len(vocab) > 20 else "")
    return f"use one of: {shown}; or add the term to {schema.vocabularies[name]}"


def load_table(table: Table, folder: Path, schema: Schema, vocabs: dict, out: list):
    """Read one annotation file into a typed DataFrame, adding its problems to ``out``.

    Returns:
        ``(frame, missing)``: the table (``None`` where the file cannot be read at all) and the
        set of schema columns its header lacks.
    """
    path = folder / table.file
    if not path.is_file():
        line = ",".join(c.name for c in table.columns)
        out.append(Problem(table.file, None, None, "the file is missing", f"create it with the header line {line}"))
        return None, set()
    try:
        text = decode(path.read_bytes(), table.file)
        header, rows = read_csv_text(text)
    except DataError as e:
        out.append(e.problem_())
        return None, set()
    except csv.Error as e:  # an unclosed quotation mark and the like
        out.append(Problem(table.file, None, None, f"not valid CSV ({e})", "close every quoted cell"))
        return None, set()
    missing = {c.name for c in table.columns if c.name not in header}
    for c in table.columns:
        if c.name in missing:
            out.append(Problem(table.file, None, c.name, "the header has no such column",
                               f"add the column '{c.name}' to the header ({table.file} has "
                               f"{', '.join(x.name for x in table.columns)})"))
    known_cols = {c.name for c in table.columns}
    for k, name in enumerate(header):
        if name not in known_cols:
            out.append(Problem(table.file, None, name or f"(column {k + 1})", "a column the schema does not declare",
                               f"declare it in schema.toml under [tables.{table.name}] (type and meaning), "
                               "or remove it"))
    width = len(header)
    for i, r in enumerate(rows, start=1):
        if len(r) > width:
            out.append(Problem(table.file, i, None, f"the row has {len(r)} cells but the header {width}",
                               "put a cell holding a comma between double quotes"))
    index = {name: k for k, name in enumerate(header)}
    n = len(rows)
    frame, bad_cells = {}, set()
    for c in table.columns:
        if c.name in missing:
            frame[c.name] = pd.Series([None] * n, dtype="object")
            continue
        k = index[c.name]
        raw = pd.Series([r[k] if k < len(r) else "" for r in rows], dtype="object")
        values, bad = _parse_column(c, raw)
        if bad.any():
            what, fix = _EXPECTED[c.type]
            for i in bad[bad].index:
                cell = str(raw[i]).strip()
                if c.type == "int" and _INT.match(cell):
                    out.append(Problem(table.file, int(i) + 1, c.name, f"{cell} is too large for a whole-number column "
                                       f"(at most {_INT64[1]} either way)", "write a smaller number"))
                else:
                    out.append(Problem(table.file, int(i) + 1, c.name, f"cannot read {raw[i]!r} as {what}", fix))
                bad_cells.add((int(i), c.name))
        frame[c.name] = values
    df = pd.DataFrame(frame, index=pd.RangeIndex(n))
    from pandera.errors import SchemaErrors  # imported on first load (see _pandera)
    try:
        _pandera(table, vocabs, missing).validate(df, lazy=True)
    except SchemaErrors as e:
        out.extend(_failures(table, e.failure_cases, df, bad_cells, folder, schema, vocabs))
    return df, missing


def _failures(table: Table, cases: pd.DataFrame, df: pd.DataFrame, bad_cells: set, folder: Path,
              schema: Schema, vocabs: dict) -> list:
    out = []
    for fc in cases.itertuples(index=False):
        if pd.isna(fc.index) or fc.column not in df.columns:
            continue
        i, col, check = int(fc.index), str(fc.column), str(fc.check)
        if (i, col) in bad_cells:
            continue
        c = table.column(col)
        value = fc.failure_case
        if "nullable" in check:
            problem, fix = "the cell is empty but the column is required", f"fill in {col} (the codebook says what goes here)"
        elif "uniqueness" in check:
            first = int(df.index[df[col] == value][0]) + 1
            if first == i + 1:
                continue
            problem, fix = f"duplicate id {value!r} (first at row {first})", f"give this row an id of its own in {col}"
        elif check == "vocab" or check.startswith("isin"):
            problem = f"{value!r} is not in the vocabulary {c.vocab}"
            assert c.vocab is not None   # pandera checks a vocabulary only on a column that has one
            fix = _vocab_hint(folder, schema, c.vocab, vocabs[c.vocab])
        elif check == "min" or check.startswith("greater_than_or_equal"):
            problem, fix = f"{value!r} is less than {c.min:g}", f"write a number of at least {c.min:g}"
        elif check == "max" or check.startswith("less_than_or_equal"):
            problem, fix = f"{value!r} is more than {c.max:g}", f"write a number of at most {c.max:g}"
        elif check == "pattern" or check.startswith("str_matches"):
            problem, fix = f"{value!r} is not of the form the schema asks", f"match the pattern {c.pattern}"
        else:
            problem, fix = f"{value!r} fails the check {check}", ""
        out.append(Problem(table.file, i + 1, col, problem, fix))
    return out


# ---------------------------------------------------------------- the whole folder

def check_folder(folder: Path) -> Checked:
    """Check a whole data folder and collect every problem (none are raised).

    Args:
        folder: a data folder (``schema.toml``, ``vocabularies/``, ``annotations/``, ``sources/``).
    Returns:
        A Checked with the typed tables (vocabulary columns still text), the source bodies and
        the problems in the order files, rows and columns come.

    >>> from brink import data_dir
    >>> check_folder(data_dir()).problems
    []
    """
    folder = Path(folder).resolve()
    out: list = []
    try:
        schema = load_schema(folder)
    except DataError as e:
        file = SCHEMA_FILE if e.file.endswith(SCHEMA_FILE) else e.file
        return Checked(folder, None, problems=[Problem(file, None, e.column, e.problem, e.fix
                                                       or "restore schema.toml from the kit's data folder")])
    vocabs: dict[str, list | None] = {}   # None: the vocabulary cannot be read
    for name, rel in schema.vocabularies.items():
        try:
            rows = vocabulary_rows(folder, name)
        except DataError as e:
            out.append(Problem(rel, e.row, e.column, e.problem, e.fix or "restore the vocabulary file"))
            vocabs[name] = None
            continue
        words = terms(folder, name)
        seen: dict[str, int] = {}   # term -> its first row
        for i, w in enumerate(words, start=1):
            col = next(iter(rows[0]))
            if not w.strip():
                out.append(Problem(rel, i, col, "an empty term", "write the term or delete the row"))
            elif w in seen:
                out.append(Problem(rel, i, col, f"{w!r} is listed twice (first at row {seen[w]})", "delete one"))
            seen.setdefault(w, i)
        vocabs[name] = words
    signature = folder_signature(folder, schema.input_files())   # the bytes this check is about to read
    result = Checked(folder, schema)
    missing: dict[str, set] = {}
    coverage: list = []
    for t in schema.tables.values():
        df, missing[t.name] = load_table(t, folder, schema, vocabs, out)
        if df is not None:
            result.tables[t.name] = df
    _check_refs(schema, result.tables, missing, out)
    if "sources" in result.tables and not missing["sources"]:
        _check_texts(schema, folder, result, out)
    for rule in span_rules(schema):
        df = result.tables.get(rule.table)
        if df is not None and not rule.columns() & missing[rule.table]:
            out.extend(check_spans(rule, df, result.tables, result.bodies, result.texts))
    for t in schema.tables.values():
        df = result.tables.get(t.name)
        if df is not None:
            _check_rules(t, df, schema, result, vocabs, missing, out, coverage)
    # a row missing elsewhere (an event without a report) is listed after the problems that may cause it
    result.problems = _ordered(schema, out) + _ordered(schema, coverage)
    if not result.problems:
        _clean.add(signature)
    return result


#: signatures of the folders that passed the whole check in this process
_clean: set[str] = set()


def known_clean(folder: Path) -> Schema | None:
    """The schema of a folder whose files, byte for byte, already passed the whole check; else None.

    A folder is known clean when a folder with the same signature (every file the check reads, see
    ``signature.py``) passed :func:`check_folder` in this process, or when the cache of checked tables
    holds an entry for that signature (one is stored only after a whole check found nothing, by the
    same checking code). One changed byte gives another signature, so the folder is checked again.
    ``brink check`` never asks: it always checks in full.

    Args:
        folder: a data folder.
    Returns:
        Its schema, or None (not known clean: check it).

    >>> import shutil, tempfile
    >>> from brink import data_dir
    >>> copy = Path(tempfile.mkdtemp()) / "data"
    >>> _ = shutil.copytree(data_dir(), copy)
    >>> check_folder(copy).problems, known_clean(copy) is not None
    ([], True)
    >>> p = copy / "annotations" / "quotes.csv"
    >>> _ = p.write_bytes(p.read_bytes().replace(b"Trump", b"Trunp", 1))
    >>> known_clean(copy) is None
    True
    """
    from . import cache
    try:
        schema = load_schema(Path(folder).resolve())
    except DataError:
        return None
    signature = folder_signature(schema.folder, schema.input_files())
    if signature in _clean or cache.load(signature) is not None:
        return schema
    return None


def _ordered(schema: Schema, problems: list) -> list:
    rank = {SCHEMA_FILE: 0}
    for rel in schema.vocabularies.values():
        rank.setdefault(rel, len(rank))
    for t in schema.tables.values():
        rank.setdefault(t.file, len(rank))
    cols = {t.file: {c.name: k for k, c in enumerate(t.columns)} for t in schema.tables.values()}
    def col_rank(p):  # the file's own problems first, then its columns in order, undeclared columns last
        return -1 if p.column is None else cols.get(p.file, {}).get(p.column, 10 ** 6)
    keyed = [(rank.get(p.file, len(rank)), p.file, p.row or 0, col_rank(p), k, p) for k, p in enumerate(problems)]
    return [k[-1] for k in sorted(keyed, key=lambda k: k[:5])]


def _id_values(schema: Schema, tables: dict, name: str):
    t = schema.tables[name]
    df = tables.get(name)
    return None if df is None else set(df[t.id].dropna())


def _check_refs(schema: Schema, tables: dict, missing: dict, out: list) -> None:
    for t in schema.tables.values():
        df = tables.get(t.name)
        if df is None:
            continue
        for c in t.columns:
            if not c.ref or c.name in missing[t.name]:
                continue
            known = set()
            for target in c.ref:
                ids = _id_values(schema, tables, target)
                if ids is None or schema.tables[target].id in missing[target]:
                    break
                known |= ids
            else:
                bad = df[c.name].notna() & ~df[c.name].isin(known)
                files = " or ".join(schema.tables[x].file for x in c.ref)
                for i in bad[bad].index:
                    out.append(Problem(t.file, int(i) + 1, c.name,
                                       f"{df.at[i, c.name]!r} names no known {' or '.join(c.ref)} id",
                                       f"use an id that {files} lists, or add a row for it there"))


def _check_texts(schema: Schema, folder: Path, result: Checked, out: list) -> None:
    """Each registered text exists, is UTF-8, keeps its checksum, and its body bounds fit."""
    t = schema.tables["sources"]
    src = result.tables["sources"]
    sums_rel = schema.checksums
    sums_path = folder / sums_rel
    sums: dict = {}
    if sums_path.is_file():
        sums, bad = read_sha256sums(sums_path.read_text(encoding="utf-8", errors="replace"))
        for k in bad:
            out.append(Problem(sums_rel, k, None, "not a line '<sha256>  <file>'", "restore the line"))
    else:
        out.append(Problem(sums_rel, None, None, "the checksum file is missing",
                           "add each text with brink source add, which records its SHA-256"))
    texts_dir = folder / schema.sources_folder
    registered = set()
    for i, r in enumerate(src.itertuples(index=False), start=1):
        if pd.isna(r.file) or pd.isna(r.source_id):
            continue
        registered.add(r.file)
        rel = f"{schema.sources_folder}/{r.file}"
        if r.file != f"{r.source_id}.txt":
            out.append(Problem(t.file, i, "file", f"{r.file!r} is not named after the source id",
                               f"name the text {r.source_id}.txt"))
        path = texts_dir / r.file
        if not path.is_file():
            out.append(Problem(t.file, i, "file", f"no source text at {rel}",
                               f"put the text at {rel}, or correct the file name"))
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if sums_path.is_file():
            if r.file not in sums:
                out.append(Problem(rel, None, None, f"not listed in {sums_rel}",
                                   "add the text with brink source add, which records its SHA-256"))
            elif sums[r.file] != digest:
                out.append(Problem(rel, None, None, f"the text is not byte for byte the one {sums_rel} records",
                                   "restore the text exactly as it was received; texts are never edited"))
        try:
            text = decode(data, rel)
        except DataError as e:
            out.append(Problem(rel, None, None, e.problem, e.fix))
            continue
        if pd.isna(r.body_start) or pd.isna(r.body_end):
            continue
        if not 0 <= r.body_start <= r.body_end <= len(text):
            out.append(Problem(t.file, i, "body_end", f"outside the text (0..{len(text)})",
                               f"body_start and body_end count characters from 0 to {len(text)}"))
            continue
        result.texts[r.source_id] = text
        result.bodies[r.source_id] = text[r.body_start:r.body_end]
    if texts_dir.is_dir():
        for p in sorted(texts_dir.glob("*.txt")):
            if p.name not in registered:
                out.append(Problem(f"{schema.sources_folder}/{p.name}", None, None,
                                   f"the text is not registered in {t.file}",
                                   "add it with brink source add (or remove the file)"))


def _check_rules(t: Table, df: pd.DataFrame, schema: Schema, result: Checked, vocabs: dict, missing: dict,
                 out: list, coverage: list) -> None:
    """The schema's cross-column rules for one table."""
    miss = missing[t.name]
    for rule in t.rules:
        problem, fix = rule.get("problem", "breaks a rule of the schema"), rule.get("fix", "")
        used = rule_columns(rule)
        if used & miss or not used <= set(df.columns):
            continue
        when = Condition.parse(rule["when"]).mask(df) if "when" in rule else pd.Series(True, index=df.index)

        def report(mask, col, extra=""):
            for i in mask[mask].index:
                out.append(Problem(t.file, int(i) + 1, col, problem + extra(i) if callable(extra) else problem, fix))  # noqa: B023 (called within this iteration)

        if "require" in rule:
            report(when & df[rule["require"]].isna(), rule["require"])
        if "forbid" in rule:
            report(when & df[rule["forbid"]].notna(), rule["forbid"])
        for col, regex in rule.get("pattern", {}).items():
            filled = df[col].notna()   # an empty cell is a matter for `require`
            report(when & filled & ~df[col].astype("string").fillna("").str.match(regex).astype(bool), col)
        if "equal" in rule:
            a, b = rule["equal"]
            report(when & df[a].notna() & df[b].notna() & (df[a] != df[b]).fillna(False).astype(bool), a)
        if "date" in rule:
            col = rule["date"]
            filled = df[col].notna()
            real = df[col].astype(object).where(filled, "").map(lambda v: is_date(str(v)))
            report(when & filled & ~real.astype(bool), col)
        if "not_before" in rule:
            later, earlier = rule["not_before"]
            report(when & df[later].notna() & df[earlier].notna() & (df[later] < df[earlier]).fillna(False).astype(bool),
                   later)
        if "unique" in rule:
            cols = list(rule["unique"])
            full = df[cols].notna().all(axis=1)
            dup = full & df.duplicated(subset=cols, keep="first")
            firsts = df[full].reset_index().groupby(cols, dropna=True)["index"].min()
            report(when & dup, cols[-1],
                   lambda i: f" (first at row {int(firsts.loc[tuple(df.loc[i, cols])]) + 1})")  # noqa: B023 (called within this iteration)
        if "icd203" in rule:
            term_col, basis_col = rule["icd203"]["term"], rule["icd203"]["basis"]
            scale = bands(result.folder)
            term_values, basis_values = df[term_col].astype(object).tolist(), df[basis_col].astype(object).tolist()
            for i in when[when].index:
                try:
                    scale.band(term_values[i], str(basis_values[i]))
                except DataError as e:
                    out.append(Problem(t.file, int(i) + 1, e.column, e.problem, e.fix or fix))
        if "every" in rule:
            target = schema.tables[rule["every"]]
            tdf = result.tables.get(target.name)
            col = rule["column"]
            if tdf is None or target.id in missing[target.name]:
                continue
            have = set(df[col].dropna())
            lacking = tdf[target.id].notna() & ~tdf[target.id].isin(have)
            for i in lacking[lacking].index:
                coverage.append(Problem(target.file, int(i) + 1, target.id, f"{tdf.at[i, target.id]!r}: {problem}", fix))
