"""Agreement between coders who coded the same texts into their own data folders (``brink agree``).

How rows become units
    A *unit* is one thing in one text that coders may code: a quote, a claim, a disputed figure, or
    a report of an event. Each is a verbatim span of one source, so rows are matched across coders
    by source and span, never by id (each coder numbers rows their own way):

    - two rows of one table, from two coders, are the same unit when they quote the same source and
      their character ranges ``[start, end)`` overlap by at least half of the two ranges together
      (the overlap divided by the union, :data:`OVERLAP`); identical spans overlap by 1;
    - pairs are joined best overlap first; a unit holds at most one row per coder, so a coder's
      second row on nearly the same words becomes a unit of its own;
    - a unit one coder has no row for is *missing* for that coder: it counts in the field ``coded``
      (did the coder code it, yes or no) and is left out of every other field's figures.

Which fields are compared
    :data:`COMPARED` lists them, per table, with their level of measurement. ``span`` compares the
    offsets themselves (the same unit, quoted from slightly different words, disagrees on ``span``).
    Events are compared through their reports: the unit is a row of ``event_reports.csv`` and its
    fields are those of the event it names. Free text (descriptions, notes, roles, topics) is shown
    but not compared. An empty cell is a value of its own (``(empty)``: the coder left it empty)
    for nominal and ordinal fields; for a number it is missing (there is no distance to it).

The figures
    :func:`krippendorff_alpha` (nominal, ordinal, interval or ratio, with missing values and any
    number of coders) and :func:`cohen_kappa` (two coders, the units both coded).
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..errors import BrinkError

LEVELS = ("nominal", "ordinal", "interval", "ratio")
#: the least overlap (intersection over union of the character ranges) for two rows to be one unit
OVERLAP = 0.5
EMPTY = "(empty)"


# ---------------------------------------------------------------------------------------- the figures
def _coincidences(data: Sequence[Sequence[Any]]) -> Counter:
    """The coincidence matrix ``o[(c, k)]`` of reliability data (coders × units, ``None`` = missing)."""
    lengths = {len(row) for row in data}
    if len(lengths) > 1:
        raise ValueError("every coder needs one value per unit (None where missing)")
    o: Counter = Counter()
    for unit in zip(*data):
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    o[(c, k)] += 1 / (m - 1)  # type: ignore[assignment]  # a Counter of fractional counts
    return o


def krippendorff_alpha(data: Sequence[Sequence[Any]], level: str = "nominal",
                       order: Sequence[Any] | None = None) -> float | None:
    """Krippendorff's alpha of reliability data: one row per coder, one value per unit, ``None`` missing.

    Computed from the coincidence matrix as in Krippendorff, *Computing Krippendorff's
    Alpha-Reliability* (2011): ``alpha = 1 - (n - 1) * sum(o_ck * d_ck) / sum(n_c * n_k * d_ck)``.
    Units with fewer than two values are not pairable and are left out.

    Args:
        data: coders × units; a value is any hashable (numbers for interval and ratio).
        level: ``nominal``, ``ordinal``, ``interval`` or ``ratio``.
        order: for ``ordinal``, the values from lowest to highest (default: sorted).
    Returns:
        Alpha, or ``None`` where it is undefined (fewer than two pairable values, or no variation
        at all: every value the same).
    Raises:
        ValueError: an unknown level, coders with different numbers of units, or an ordinal value
            not in ``order``.

    >>> round(krippendorff_alpha([["a", "a", "b", "b"], ["a", "a", "b", "a"]]), 3)
    0.533
    >>> krippendorff_alpha([["a", "a"], ["a", "a"]]) is None
    True
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    o = _coincidences(data)
    n_c: Counter = Counter()
    for (c, _k), v in o.items():
        n_c[c] += v
    n = sum(n_c.values())
    if n <= 1:
        return None
    delta = _delta(level, n_c, order)
    observed = sum(v * delta(c, k) for (c, k), v in o.items())
    values = list(n_c)
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in values for k in values) / (n - 1)
    if expected == 0:
        return None
    return 1 - observed / expected


def _delta(level: str, n_c: Counter, order: Sequence[Any] | None):
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "interval":
        return lambda c, k: (float(c) - float(k)) ** 2
    if level == "ratio":
        return lambda c, k: 0.0 if float(c) + float(k) == 0 else ((float(c) - float(k)) / (float(c) + float(k))) ** 2
    ranked = list(order) if order is not None else sorted(n_c)
    unknown = [v for v in n_c if v not in ranked]
    if unknown:
        raise ValueError(f"ordinal values not in the order given: {', '.join(map(repr, unknown))}")
    counts = [n_c.get(v, 0.0) for v in ranked]
    rank = {v: i for i, v in enumerate(ranked)}

    def ordinal(c, k):
        lo, hi = sorted((rank[c], rank[k]))
        return (sum(counts[lo:hi + 1]) - (counts[lo] + counts[hi]) / 2) ** 2
    return ordinal


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's kappa of two coders over the units both coded (``None`` = missing, left out).

    ``kappa = (p_o - p_e) / (1 - p_e)``: the observed share of agreement against the share expected
    from each coder's own distribution of values.

    Args:
        a, b: the two coders' values, one per unit.
    Returns:
        Kappa, or ``None`` where it is undefined (no unit coded by both, or ``p_e`` = 1).
    Raises:
        ValueError: the two lists differ in length.

    >>> round(cohen_kappa(["a", "a", "b", "b"], ["a", "a", "b", "a"]), 3)
    0.5
    """
    if len(a) != len(b):
        raise ValueError("both coders need one value per unit")
    pairs = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    if not pairs:
        return None
    n = len(pairs)
    p_o = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    p_e = sum(ca[v] * cb[v] for v in ca) / n ** 2
    if p_e == 1:
        return None
    return (p_o - p_e) / (1 - p_e)


# --------------------------------------------------------------------------------- what is compared
@dataclass(frozen=True)
class Field:
    """A compared field: its column and level of measurement."""
    name: str
    level: str = "nominal"
    vocab: str | None = None   # for ordinal: the vocabulary whose order ranks the values


@dataclass(frozen=True)
class Compared:
    """A table whose rows are units: the table of spans, the span column, and the compared fields.

    ``joined`` names a table whose row (looked up by the span row's ``key`` column) holds the fields,
    as ``events`` does for ``event_reports``.
    """
    label: str
    table: str
    span: str
    fields: tuple
    joined: str | None = None
    key: str | None = None


#: the tables compared, their span columns and their compared fields (one place for the rule)
COMPARED = (
    Compared("events", "event_reports", "evidence",
             (Field("event_type"), Field("actor"), Field("target"), Field("date"),
              Field("date_precision", "ordinal", "date_precision"), Field("killed", "ratio"),
              Field("injured", "ratio")),
             joined="events", key="event_id"),
    Compared("quotes", "quotes", "text",
             (Field("speaker"), Field("kind"), Field("medium"), Field("cue"), Field("date"))),
    Compared("claims", "claims", "text",
             (Field("holder"), Field("voice"), Field("claim_type"), Field("about"), Field("estimative_term"))),
    Compared("figures", "discrepancies", "reported",
             (Field("value", "ratio"), Field("qualifier"), Field("relation"))),
)


@dataclass(frozen=True)
class Coding:
    """One coder's row for a unit: where it is (file and row, 1 = first data row) and what it says."""
    coder: str
    file: str
    row: int
    source_id: str
    start: int
    end: int
    span: str
    values: dict          # field -> cell as written
    cells: dict           # the whole row as written
    joined: dict | None = None   # the joined row (the event), as written


@dataclass
class Unit:
    """One span coded by one coder or more; ``codings[coder]`` is ``None`` where that coder has no row."""
    table: str
    unit_id: str
    source_id: str
    codings: dict

    def value(self, coder: str, name: str, level: str = "nominal"):
        """The coder's value of a field, as compared (``None`` = missing)."""
        c = self.codings[coder]
        if name == "coded":
            return "yes" if c is not None else "no"
        if c is None:
            return None
        if name == "span":
            return f"{c.start}-{c.end}"
        raw = c.values.get(name, "")
        if level in ("interval", "ratio"):
            return float(raw) if raw.strip() else None
        return raw if raw != "" else EMPTY


@dataclass(frozen=True)
class FieldFigures:
    """The agreement on one field of one table."""
    table: str
    field: str
    level: str
    units: int             # units with at least two values
    agreed: int            # of those, units where every value is the same
    alpha: float | None
    kappa: float | None    # two coders only


@dataclass
class Agreement:
    """What ``brink agree`` finds: the coders, the sources compared, the units and the figures."""
    coders: list
    folders: list
    sources: list
    units: list
    figures: list = field(default_factory=list)

    def disagreements(self) -> list:
        """``(unit, field name)`` for every field on which the coders' values differ, in unit order."""
        out = []
        for u in self.units:
            for f in fields_of(u.table):
                vals = [u.value(c, f.name, f.level) for c in self.coders]
                if f.name != "coded" and sum(v is not None for v in vals) < 2:
                    continue
                if len({v for v in vals if v is not None} if f.name != "coded" else set(vals)) > 1:
                    out.append((u, f.name))
        return out


def compared(label: str) -> Compared:
    """The :class:`Compared` of a table by its label (``events``, ``quotes``, ``claims``, ``figures``)."""
    return next(c for c in COMPARED if c.label == label)


def fields_of(label: str) -> list:
    """The fields compared in a table, ``coded`` and ``span`` first."""
    return [Field("coded"), Field("span")] + list(compared(label).fields)


# ------------------------------------------------------------------------------------- reading rows
def coder_names(folders: Sequence[Path]) -> list:
    """Each folder's coder name: its folder name, or ``A``, ``B``, … when two folders share a name."""
    names = [Path(f).resolve().name for f in folders]
    if len(set(names)) < len(names):
        return [chr(ord("A") + i) for i in range(len(names))]
    return names


def codings(folder, coder: str, spec: Compared, sources: set) -> list:
    """A checked folder's rows of one compared table, for the given sources, as :class:`Coding`."""
    rows = folder.table(spec.table)
    file = folder.schema.tables[spec.table].file
    joined = {}
    if spec.joined:
        id_col = folder.schema.tables[spec.joined].id
        joined = {r[id_col]: r for r in folder.table(spec.joined)}
    out = []
    for i, r in enumerate(rows, start=1):
        if r["source_id"] not in sources:
            continue
        j = joined.get(r[spec.key]) if spec.joined else None
        values = {f.name: (j if j is not None else r).get(f.name, "") for f in spec.fields}
        out.append(Coding(coder, file, i, r["source_id"], int(r["start"]), int(r["end"]), r[spec.span],
                          values, r, j))
    return out


def overlap(a: Coding, b: Coding) -> float:
    """How much two spans overlap: the shared characters over the characters either covers (0 to 1).

    >>> c = lambda s, e: Coding("x", "f", 1, "000", s, e, "", {}, {})
    >>> overlap(c(0, 10), c(5, 15)), overlap(c(0, 10), c(0, 10)), overlap(c(0, 4), c(6, 9))
    (0.3333333333333333, 1.0, 0.0)
    """
    if a.source_id != b.source_id:
        return 0.0
    shared = min(a.end, b.end) - max(a.start, b.start)
    union = max(a.end, b.end) - min(a.start, b.start)
    return max(shared, 0) / union if union else 1.0


def match(label: str, by_coder: dict, least: float = OVERLAP) -> list:
    """Join the coders' rows of one table into units (best overlap first, one row per coder per unit).

    Args:
        label: the table's label (for the units' ids).
        by_coder: coder -> list of :class:`Coding`.
        least: the least overlap for two rows to be one unit.
    Returns:
        The units, ordered by source and position; ids ``<label> <source's three digits>@<start>``.
    """
    coders = list(by_coder)
    items = [(c, i) for c in coders for i in range(len(by_coder[c]))]
    parent = {it: it for it in items}
    members = {it: {it[0]} for it in items}

    def root(it):
        while parent[it] != it:
            it = parent[it]
        return it
    pairs = []
    for x, ca in enumerate(coders):
        for cb in coders[x + 1:]:
            for i, a in enumerate(by_coder[ca]):
                for j, b in enumerate(by_coder[cb]):
                    ov = overlap(a, b)
                    if ov >= least and ov > 0:
                        pairs.append((-ov, a.source_id, a.start, b.start, (ca, i), (cb, j)))
    for _ov, _s, _a, _b, p, q in sorted(pairs, key=lambda t: t[:4] + (coders.index(t[4][0]), coders.index(t[5][0]))):
        rp, rq = root(p), root(q)
        if rp == rq or members[rp] & members[rq]:
            continue
        parent[rq] = rp
        members[rp] |= members[rq]
    groups: dict = {}
    for it in items:
        groups.setdefault(root(it), []).append(it)
    units = []
    for group in groups.values():
        cs: dict = {c: None for c in coders}
        for c, i in group:
            cs[c] = by_coder[c][i]
        first = min((v for v in cs.values() if v is not None), key=lambda v: (v.start, v.end))
        units.append(Unit(label, "", first.source_id, cs))
    units.sort(key=lambda u: (u.source_id, min(v.start for v in u.codings.values() if v is not None),
                              min(v.end for v in u.codings.values() if v is not None)))
    seen: Counter = Counter()
    for u in units:
        start = min(v.start for v in u.codings.values() if v is not None)
        base = f"{label} {u.source_id[:3]}@{start}"
        seen[base] += 1
        u.unit_id = base if seen[base] == 1 else f"{base}.{seen[base]}"
    return units


def _sources(folders: list, wanted: Sequence[str] | None) -> list:
    common = None
    for f in folders:
        ids = [r["source_id"] for r in f.table("sources")]
        common = ids if common is None else [s for s in common if s in ids]
    common = common or []
    if not wanted:
        return common
    out = []
    for w in wanted:
        hits = [s for s in common if s == w or s.startswith(w)]
        if not hits:
            raise BrinkError(f"--source {w}: no source of that id is in every folder "
                             f"(they share {', '.join(s[:3] for s in common) or 'none'})")
        out += [h for h in hits if h not in out]
    return out


def _ordinal_order(folder, f: Field):
    if f.level != "ordinal" or not f.vocab:
        return None
    rel = folder.schema.vocabularies[f.vocab]
    rows = folder.reference(rel)
    first = next(iter(rows[0])) if rows else "term"
    return [EMPTY] + [r[first] for r in rows]


def agree(folders: Sequence[Path], sources: Sequence[str] | None = None, least: float = OVERLAP,
          tables: Sequence[str] | None = None) -> Agreement:
    """Compare two or more coders' data folders: match their rows into units and measure agreement.

    Args:
        folders: the coders' data folders; each must pass ``brink check``.
        sources: the sources to compare (ids or their first digits, e.g. ``"003"``); default: every
            source all the folders have.
        least: the least overlap for two rows to be one unit (:data:`OVERLAP`).
        tables: the tables to compare, by label (``events``, ``quotes``, ``claims``, ``figures``);
            default: all four.
    Returns:
        An :class:`Agreement` with its units and one :class:`FieldFigures` per table and field.
    Raises:
        BrinkError: fewer than two folders, a source not in every folder, or an unknown table.
        DataError: a folder fails ``brink check`` (its first problem, file, row and column named).
    """
    from ..export._folder import open_folder
    if len(folders) < 2:
        raise BrinkError("brink agree needs two data folders or more (one per coder)")
    labels = [c.label for c in COMPARED]
    for t in tables or ():
        if t not in labels:
            raise BrinkError(f"--table {t}: not a compared table (use {', '.join(labels)})")
    opened = []
    for f in folders:
        if not Path(f).is_dir():
            raise BrinkError(f"{f}: no such data folder")
        opened.append(open_folder(Path(f)))
    coders = coder_names(folders)
    chosen = _sources(opened, sources)
    result = Agreement(coders, opened, chosen, [])
    for spec in [c for c in COMPARED if not tables or c.label in tables]:
        by_coder = {c: codings(fo, c, spec, set(chosen)) for c, fo in zip(coders, opened)}
        units = match(spec.label, by_coder, least)
        result.units += units
        for f in fields_of(spec.label):
            data = [[u.value(c, f.name, f.level) for u in units] for c in coders]
            order = _ordinal_order(opened[0], f)
            pairable = [k for k in range(len(units)) if sum(row[k] is not None for row in data) >= 2]
            agreed = sum(len({row[k] for row in data if row[k] is not None}) == 1 for k in pairable)
            alpha = krippendorff_alpha(data, f.level, order) if pairable else None
            kappa = cohen_kappa(*data) if len(coders) == 2 and f.level in ("nominal", "ordinal") else None
            result.figures.append(FieldFigures(spec.label, f.name, f.level, len(pairable), agreed, alpha, kappa))
    return result


def figure(x: float | None) -> str:
    """A figure as printed: three decimals, or ``—`` where undefined.

    >>> figure(0.74333), figure(None), figure(1.0)
    ('0.743', '—', '1.000')
    """
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


# ------------------------------------------------------------------------- a coding of some sources
def with_coding(base: Path, coding: Path, out: Path) -> dict:
    """A data folder that is ``base`` with some tables of some sources coded by someone else.

    ``coding`` holds CSV files named as the schema's tables' files (``quotes.csv``, ``claims.csv``, …),
    with the same columns; their rows replace every row of ``base`` for the sources they quote. Rows of
    other tables that name a replaced row's id (a claim link, a reading) are left out, since the other
    coder did not write them. ``brink agree base out --source …`` then compares the two codings.

    Args:
        base: a data folder (the kit's ``data/``, or a class's).
        coding: the folder of the other coding's tables.
        out: a new or empty folder for the combined data folder.
    Returns:
        ``{table: rows replaced}``, and ``{"left out": rows of other tables left out}``.
    Raises:
        BrinkError: ``out`` is not new or empty, or a file in ``coding`` is no table of the schema.
        DataError: the combined folder fails ``brink check`` (file, row and column named).

    >>> import tempfile
    >>> from brink import data_dir
    >>> out = Path(tempfile.mkdtemp()) / "second"
    >>> with_coding(data_dir(), data_dir() / "coding" / "second", out)["quotes"]
    8
    """
    import csv
    import shutil

    from ..dataset.check import check_folder
    from ..dataset.schema import load_schema
    from ..errors import DataError
    from ..files import read_csv
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BrinkError(f"{out}: the folder must be new or empty")
    schema = load_schema(Path(base))
    by_file = {Path(t.file).name: t for t in schema.tables.values()}

    def read(path: Path) -> tuple:
        return read_csv(path)

    def write(path: Path, header: list, rows: list) -> None:
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    shutil.copytree(base, out, ignore=shutil.ignore_patterns("coding"), dirs_exist_ok=True)
    done: dict = {}
    removed: dict = {}
    for path in sorted(Path(coding).glob("*.csv")):
        t = by_file.get(path.name)
        if t is None:
            raise BrinkError(f"{path}: no table of the schema is called {path.name}")
        header, theirs = read(path)
        mine_header, mine = read(out / t.file)
        sources = {r["source_id"] for r in theirs}
        gone = [r for r in mine if r["source_id"] in sources]
        if t.id:
            removed[t.name] = {r[t.id] for r in gone} - {r[t.id] for r in theirs}
        write(out / t.file, mine_header, [r for r in mine if r["source_id"] not in sources] + theirs)
        done[t.name] = len(theirs)
    left_out = 0
    for t in schema.tables.values():
        cols = [c.name for c in t.columns if any(removed.get(ref) for ref in c.ref)]
        if not cols or t.name in done:
            continue
        header, rows = read(out / t.file)
        refs = {c.name: c.ref for c in t.columns if c.name in cols}
        kept = [r for r in rows if not any(r.get(c) in removed.get(ref, set()) for c in cols for ref in refs[c])]
        left_out += len(rows) - len(kept)
        write(out / t.file, header, kept)
    checked = check_folder(out)
    if checked.problems:
        raise DataError.from_problem(checked.problems[0], out.name)
    done["left out"] = left_out
    return done
