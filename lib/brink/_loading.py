"""Reading the annotation files into typed tables, with errors that name file, row and column."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import DataError


@dataclass(frozen=True)
class Col:
    """One column of an annotation file.

    kind: ``str`` (text), ``date`` (YYYY-MM-DD), ``instant`` (ISO 8601 with a UTC offset),
    ``int``, ``float``; ``vocab`` restricts a text column to a list of terms; ``required``
    forbids empty cells.
    """
    name: str
    kind: str = "str"
    required: bool = False
    vocab: tuple | None = None
    unique: bool = False


@dataclass(frozen=True)
class Spec:
    file: str
    cols: tuple
    refs: dict = field(default_factory=dict)  # column -> name of the table whose ids it must name
    span: tuple | None = None                 # (text column, source column) checked at start/end

    def schema(self) -> "pa.DataFrameSchema":
        import pandera.pandas as pa  # imported on first load, not with brink: it costs ~0.4 s
        dtypes = {"str": "string", "date": "datetime64[ns]", "instant": "datetime64[ns, UTC]",
                  "int": "Int64", "float": "Float64"}
        columns = {}
        for c in self.cols:
            checks = []
            if c.vocab is not None:
                checks.append(pa.Check.isin(list(c.vocab), error=f"a term outside the vocabulary {list(c.vocab)}"))
            if c.kind == "int":
                checks.append(pa.Check.ge(0, error="a negative number"))
            dtype = dtypes[c.kind]
            columns[c.name] = pa.Column(dtype, checks=checks, nullable=not c.required,
                                        unique=c.unique, coerce=False)
        return pa.DataFrameSchema(columns, strict=False)


def _cell_error(path: Path, row: int, col: str, problem: str) -> DataError:
    return DataError(_display(path), row, col, problem)


def _display(path: Path) -> str:
    parts = path.parts
    return "/".join(parts[-3:]) if len(parts) >= 3 else str(path)


def read_raw(path: Path) -> list[dict]:
    """The rows of a CSV file as dicts of strings (row 1 = first data row)."""
    if not path.is_file():
        raise DataError(_display(path), None, None, "the file is missing")
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            header = reader.fieldnames or []
    except UnicodeDecodeError as e:
        raise DataError(_display(path), None, None, f"not UTF-8 text ({e.reason})") from None
    except csv.Error as e:
        raise DataError(_display(path), reader.line_num - 1, None, f"not valid CSV ({e})") from None
    for i, r in enumerate(rows, start=1):
        if None in r:
            raise DataError(_display(path), i, None, "the row has more cells than the header")
    return header, rows


def _parse(path: Path, row: int, col: Col, raw: str):
    value = raw.strip() if col.kind != "str" else raw
    if value == "":
        if col.required:
            raise _cell_error(path, row, col.name, "the cell is empty but the column is required")
        return None
    try:
        if col.kind == "str":
            return value
        if col.kind == "date":
            return pd.Timestamp(pd.to_datetime(value, format="%Y-%m-%d"))
        if col.kind == "instant":
            ts = pd.Timestamp(value)
            if ts.tzinfo is None:
                raise ValueError("no UTC offset")
            return ts.tz_convert("UTC")
        if col.kind == "int":
            if not value.lstrip("-").isdigit():
                raise ValueError
            return int(value)
        if col.kind == "float":
            return float(value)
    except (ValueError, TypeError):
        expected = {"date": "a date as YYYY-MM-DD", "instant": "a time as YYYY-MM-DDTHH:MM+HH:MM",
                    "int": "a whole number", "float": "a number"}[col.kind]
        raise _cell_error(path, row, col.name, f"cannot read {raw!r} as {expected}") from None
    raise AssertionError(col.kind)


def load(spec: Spec, data_dir: Path) -> pd.DataFrame:
    """Read one annotation file, parse every cell and validate the result with its schema."""
    path = data_dir / spec.file
    header, rows = read_raw(path)
    for c in spec.cols:
        if c.name not in header:
            raise DataError(_display(path), None, c.name, "the header has no such column")
    data = {c.name: [_parse(path, i, c, r[c.name]) for i, r in enumerate(rows, start=1)] for c in spec.cols}
    frame = {}
    for c in spec.cols:
        values = data[c.name]
        if c.kind == "str":
            frame[c.name] = pd.array(values, dtype="string")
        elif c.kind == "date":
            frame[c.name] = pd.to_datetime(pd.Series(values, dtype="object")).astype("datetime64[ns]")
        elif c.kind == "instant":
            frame[c.name] = pd.to_datetime(pd.Series(values, dtype="object"), utc=True).astype("datetime64[ns, UTC]")
        elif c.kind == "int":
            frame[c.name] = pd.array(values, dtype="Int64")
        elif c.kind == "float":
            frame[c.name] = pd.array(values, dtype="Float64")
    df = pd.DataFrame(frame, index=pd.RangeIndex(len(rows)))
    import pandera.pandas as pa  # imported on first load, not with brink: it costs ~0.4 s
    try:
        spec.schema().validate(df, lazy=True)
    except pa.errors.SchemaErrors as e:
        fc = e.failure_cases.sort_values("index", na_position="first").iloc[0]
        row = None if pd.isna(fc["index"]) else int(fc["index"]) + 1
        check = str(fc["check"])
        if "uniqueness" in check:
            same = e.failure_cases[(e.failure_cases["column"] == fc["column"])
                                   & (e.failure_cases["failure_case"] == fc["failure_case"])]
            first, row = int(same["index"].min()) + 1, int(same["index"].max()) + 1
            problem = f"duplicate id {fc['failure_case']!r} (first at row {first})"
        elif "isin" in check or "vocabulary" in check:
            col = next(c for c in spec.cols if c.name == fc["column"])
            problem = f"{fc['failure_case']!r} is not in the vocabulary {list(col.vocab)}"
        else:
            problem = f"{fc['failure_case']!r} fails the check {check}"
        raise DataError(_display(path), row, str(fc["column"]), problem) from None
    for c in spec.cols:
        if c.vocab is not None:
            df[c.name] = pd.Categorical(df[c.name].astype(object).where(df[c.name].notna(), None),
                                        categories=list(c.vocab))
    return df


def check_refs(spec: Spec, df: pd.DataFrame, data_dir: Path, known: dict) -> None:
    """Every id in a reference column names a row of the table it points to."""
    for col, table in spec.refs.items():
        for i, v in enumerate(df[col], start=1):
            if not pd.isna(v) and v not in known[table]:
                raise DataError(_display(data_dir / spec.file), i, col, f"{v!r} names no known {table} id")


def check_spans(spec: Spec, df: pd.DataFrame, data_dir: Path, bodies: dict) -> None:
    """Each verbatim span stands in its source's body at exactly [start, end)."""
    text_col, source_col = spec.span
    path = data_dir / spec.file
    for i, r in enumerate(df.itertuples(index=False), start=1):
        r = r._asdict()
        span, start, end = r[text_col], r["start"], r["end"]
        if pd.isna(start) and pd.isna(end):
            if spec.file.endswith("source_fields.csv"):
                continue  # a field supported by context or by the metadata line has no offsets
            raise DataError(_display(path), i, "start", "no offsets: run scripts/locate_spans.py")
        if pd.isna(start) or pd.isna(end):
            raise DataError(_display(path), i, "end" if pd.isna(end) else "start", "start and end go together")
        body = bodies[r[source_col]]
        if body[start:end] == span:
            continue
        found = body.find(span)
        if found < 0:
            raise DataError(_display(path), i, text_col,
                            f"the span is not found verbatim in {r[source_col]}: {span[:60]!r}")
        raise DataError(_display(path), i, "start",
                        f"the span is not at {start}:{end} but at {found}:{found + len(span)}")
