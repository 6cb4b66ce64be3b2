"""Verbatim spans: which tables carry them, where a span stands in its text, and what to say when it does not.

The one place for finding a span (:func:`occurrences`), the outside-the-body exemption
(:func:`outside_body`), the "not found" and "found N times at …" explanations, and filling
offsets (:func:`fill_rows`). The folder check, ``brink source add|find|fill`` and the reading
layer all use it. It takes the schema, tables and texts, never the check's result, so the check
can build on it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import Problem
from .rules import Condition
from .schema import Schema

#: the condition of ``no_offsets_when`` that exempts a support standing outside the body
OUTSIDE = "outside body"
NOT_FOUND_FIX = "copy the words exactly from the text (quotation marks, dashes and spaces too)"


@dataclass(frozen=True)
class SpanRule:
    """How one table carries verbatim spans, as its ``span`` (or ``verbatim``) entry in ``schema.toml`` declares.

    ``text``: the column holding the span; ``source``: the column naming its source; ``offsets``:
    whether rows give ``start``/``end`` (a ``span`` entry; a ``verbatim`` entry's words need only
    stand somewhere in the body);
    ``exempt``: conditions under which a row has no offsets; ``outside``: a span standing outside
    the body (a metadata line) has none; ``marks``: the character that must come before the span
    and those of which one must come after it (a quotation between its marks), or None; ``id`` and
    ``refs``: the table's id column and its required references to other tables (for labels).
    """
    table: str
    file: str
    text: str
    source: str
    offsets: bool = True
    exempt: tuple = ()
    outside: bool = False
    marks: tuple | None = None
    id: str | None = None
    refs: tuple = ()

    def columns(self) -> set[str]:
        """The columns the rule reads."""
        return {self.text, self.source} | ({"start", "end"} if self.offsets else set())


def span_rules(schema: Schema) -> list[SpanRule]:
    """The span rule of every table that carries spans, in the schema's order.

    >>> from brink import data_dir
    >>> from brink.dataset.schema import load_schema
    >>> [r.table for r in span_rules(load_schema(data_dir())) if r.offsets]
    ['source_fields', 'event_reports', 'quotes', 'claims', 'discrepancies']
    """
    out = []
    for t in schema.tables.values():
        sp = t.span or t.verbatim
        if not sp:
            continue
        when = list(sp.get("no_offsets_when", []))
        marks = sp.get("between")
        out.append(SpanRule(
            table=t.name, file=t.file, text=sp["text"], source=sp["source"], offsets=t.span is not None,
            exempt=tuple(Condition.parse(w) for w in when if w.strip() != OUTSIDE),
            outside=any(w.strip() == OUTSIDE for w in when),
            marks=(marks[0], tuple(marks[1:])) if marks else None, id=t.id,
            refs=tuple(c.name for c in t.columns if c.ref and c.required and "sources" not in c.ref)))
    return out


def occurrences(body: str, span: str) -> list[int]:
    """Every offset where ``span`` starts in ``body`` (overlapping matches included).

    >>> occurrences("a b a b a", "a b")
    [0, 4]
    """
    found, at = [], body.find(span)
    while at >= 0 and span:
        found.append(at)
        at = body.find(span, at + 1)
    return found


def outside_body(text: str, span: str, start: int, end: int) -> bool:
    """Whether a span's words (before any ``(`` note) stand in the file outside the body ``[start, end)``.

    >>> outside_body(" date 2020-01-11 The hours", "2020-01-11", 17, 26)
    True
    """
    words = span.split(" (")[0].strip()
    return bool(words) and (words in text[:start] or words in text[end:])


def at_list(hits: list[int], n: int, most: int = 5) -> str:
    """Where a span of length ``n`` stands: ``a:b, c:d, …`` (the first ``most``).

    >>> at_list([3, 10], 2)
    '3:5, 10:12'
    """
    return ", ".join(f"{h}:{h + n}" for h in hits[:most]) + (", …" if len(hits) > most else "")


def not_found(sid: str, span: str) -> tuple[str, str]:
    """The problem and fix for a span that stands nowhere in its source's body.

    >>> not_found("000", "x")[0]
    "the span is not found verbatim in 000: 'x'"
    """
    return f"the span is not found verbatim in {sid}: {span[:60]!r}", NOT_FOUND_FIX


def several(sid: str, span: str, hits: list[int]) -> str:
    """The problem of a span found more than once: ``the span occurs N times in SID (at …)``.

    >>> several("000", "ab", [1, 7])
    'the span occurs 2 times in 000 (at 1:3, 7:9)'
    """
    return f"the span occurs {len(hits)} times in {sid} (at {at_list(hits, len(span))})"


def _column(df: pd.DataFrame, col: str) -> list:
    return df[col].astype(object).where(df[col].notna(), None).tolist()


def _bounds(tables: dict) -> dict:
    s = tables.get("sources")
    return {} if s is None else dict(zip(s["source_id"], zip(s["body_start"], s["body_end"])))


def check_spans(rule: SpanRule, df: pd.DataFrame, tables: dict, bodies: dict, texts: dict) -> list[Problem]:
    """Each verbatim span of one table stands in its source's body at exactly ``[start, end)``
    (or, for a table without offsets, somewhere in the body), between its marks where the rule asks.

    Args:
        rule: the table's span rule.
        df: the typed table.
        tables: every typed table of the folder (for the sources' body bounds).
        bodies, texts: source id -> body, and -> whole text.

    Returns:
        The problems, in row order.
    """
    out: list[Problem] = []
    exempt = pd.Series(False, index=df.index)
    for cond in rule.exempt:
        exempt |= cond.mask(df)
    bounds = _bounds(tables)
    spans, sources = _column(df, rule.text), _column(df, rule.source)
    n = len(df)
    starts = _column(df, "start") if rule.offsets else [None] * n
    ends = _column(df, "end") if rule.offsets else [None] * n
    skip = exempt.tolist()
    for i in range(n):
        span, sid, start, end = spans[i], sources[i], starts[i], ends[i]
        if span is None or sid is None or sid not in bodies:
            continue
        body, row = bodies[sid], i + 1
        if not rule.offsets:
            if span not in body:
                out.append(Problem(rule.file, row, rule.text, *not_found(sid, span)))
            continue
        if start is None and end is None:
            if skip[i] or (rule.outside and sid in bounds and
                           outside_body(texts[sid], span, int(bounds[sid][0]), int(bounds[sid][1]))):
                continue
            hits = occurrences(body, span)
            if not hits:
                out.append(Problem(rule.file, row, rule.text, *not_found(sid, span)))
            elif len(hits) == 1:
                out.append(Problem(rule.file, row, "start", f"no offsets; the span is at {at_list(hits, len(span))}",
                                   "run brink source fill to write them"))
            else:
                out.append(Problem(rule.file, row, "start", "no offsets, and " + several(sid, span, hits),
                                   "write the start of the one you mean, or quote more words so only one matches"))
            continue
        if start is None or end is None:
            out.append(Problem(rule.file, row, "end" if end is None else "start", "start and end go together",
                               "write both offsets, or empty both and run brink source fill"))
            continue
        start, end = int(start), int(end)
        if body[start:end] != span:
            hits = occurrences(body, span)
            if not hits:
                out.append(Problem(rule.file, row, rule.text, *not_found(sid, span)))
                continue
            near = min(hits, key=lambda h: abs(h - start))
            out.append(Problem(rule.file, row, "start",
                               f"the span is not at {start}:{end} but at {near}:{near + len(span)}",
                               f"write start {near} and end {near + len(span)} (or empty both and run brink source fill)"))
            continue
        if rule.marks and not _between(body, start, end, rule.marks):
            before, after = rule.marks
            out.append(Problem(rule.file, row, rule.text,
                               f"the span does not stand between {before} and {' or '.join(map(repr, after))}",
                               f"quote exactly the words between the marks {before}…{after[0]}, without the marks"))
    return out


def _between(body: str, start: int, end: int, marks: tuple) -> bool:
    before, after = marks
    return body[start - len(before):start] == before and any(body[end:end + len(a)] == a for a in after)


def fill_rows(rule: SpanRule, header: list, rows: list, bodies: dict, texts: dict,
              bounds: dict) -> tuple[int, list[Problem]]:
    """Write, in place, the offsets of every span of a table's rows whose ``start`` and ``end`` are empty.

    A span found once gets its offsets; one found several times takes the first occurrence at or
    after a ``start`` already written, and without one is reported, as is a span not found.

    Args:
        rule: the table's span rule (with offsets).
        header, rows: the file's header and rows, as read (lists of strings; changed in place).
        bodies, texts: source id -> body, and -> whole text.
        bounds: source id -> (body_start, body_end).

    Returns:
        ``(changed, problems)``: how many rows got offsets, and the spans left unplaced.
    """
    k = {h: i for i, h in enumerate(header)}
    changed, problems = 0, []
    for i, r in enumerate(rows, start=1):
        row = {h: (r[j] if j < len(r) else "") for h, j in k.items()}
        span, sid = row[rule.text], row[rule.source]
        if not span or row["end"].strip() or sid not in bodies:
            continue
        if any(c.holds(row) for c in rule.exempt):
            continue
        if rule.outside and outside_body(texts[sid], span, *map(int, bounds[sid])):
            continue
        hits = occurrences(bodies[sid], span)
        hint = row["start"].strip()
        if hint.isdigit():
            hits = [h for h in hits if h >= int(hint)][:1]
        if not hits:
            problems.append(Problem(rule.file, i, rule.text, *not_found(sid, span)))
        elif len(hits) > 1:
            problems.append(Problem(rule.file, i, "start", several(sid, span, hits),
                                    "write the start of the one you mean in start, then run this again"))
        else:
            r = (r + [""] * len(header))[:len(header)]
            r[k["start"]], r[k["end"]] = str(hits[0]), str(hits[0] + len(span))
            rows[i - 1] = r
            changed += 1
    return changed, problems
