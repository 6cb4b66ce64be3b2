"""The reading layer: each source in full, with every annotated span marked and linked to its row.

``read(source_id)`` returns a :class:`Reading`, which a notebook shows as HTML (``text/html``:
plain elements with inline styles, no script, so JupyterLab, nbconvert, nbviewer and the course
website all show it, trusted or not) and as plain text (``text/plain``: the text with bracketed
row ids, which strict nbval compares). Every table whose rows carry a verbatim span
(the schema's span rules with offsets, :mod:`brink.dataset.spans`) is marked: event reports, quotes, claims,
discrepancies between the texts, the support of source fields, and any span table the data gains. Spans that overlap are
nested, or split where they cross; none is dropped.

Beside each text stand guiding questions in the manner of *Reading Like a Historian* (sourcing,
contextualisation, close reading, corroboration), kept as data in
``data/annotations/guiding_questions.csv`` (a table of the schema, its moves a vocabulary): rows
with an empty ``source_id`` apply to every source.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from ._paths import data_dir
from .dataset import loaders as tables
from .dataset.schema import load_schema
from .dataset.spans import SpanRule, span_rules
from .dataset.vocabularies import terms

#: How the marks of each span table look: the kind's name, and a look that differs in more than
#: colour (the underline's style, and the kind's name in text).
MARK_STYLES = {
    "event_reports": {"kind": "event report", "border": "2px solid #1f5fa8", "bg": "#e3eefb",
                      "style_words": "solid underline"},
    "quotes": {"kind": "quote", "border": "3px double #8a3b00", "bg": "#fdebd9",
               "style_words": "double underline"},
    "claims": {"kind": "claim", "border": "2px dashed #5b3a8c", "bg": "#eee6f7",
               "style_words": "dashed underline"},
    "discrepancies": {"kind": "discrepancy", "plural": "discrepancies", "border": "3px dotted #0b6b3a",
                      "bg": "#e1f4e8", "style_words": "dotted underline"},
    "source_fields": {"kind": "source field", "border": "2px solid #555555", "bg": "#efefef",
                      "style_words": "thin grey underline"},
}
KINDS = MARK_STYLES   # the old name
#: the relations of ``vocabularies/discrepancy_relations.csv`` that compare figures (the ranges their qualifiers
#: allow); the others (``wording``, ``account``) are differences of words or of accounts, not of numbers
FIGURE_RELATIONS = ("contradiction", "precision")
#: the look of a span table the styles above do not name
_FALLBACK = {"border": "2px solid #333333", "bg": "#f4f1de", "style_words": "solid dark underline"}
_HIDDEN = "position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)"


@dataclass(frozen=True)
class Span:
    """One annotated span: the row it comes from and where it stands in the body."""
    key: str        # unique within a source: the table and the row number in its file ("quotes-3")
    label: str      # what a reader sees: the row's id ("Q03"), or its event id, topic number …
    table: str
    row: int        # 1 = first data row of the file, as error messages count
    start: int
    end: int
    text: str
    summary: str    # one line about the row for the list below the text
    relation: str = ""   # a discrepancy's relation (contradiction, precision, wording, account)


@dataclass
class Reading:
    """A source with its marked spans, shown as HTML in a notebook and as text elsewhere."""
    source_id: str
    heading: str
    body: str
    spans: list = field(default_factory=list)
    questions: pd.DataFrame | None = None

    def _repr_html_(self) -> str:
        return to_html(self)

    def __repr__(self) -> str:
        return to_text(self)


def _span_table_rules() -> list[SpanRule]:
    """The span rules of the tables whose rows give offsets, read from the data folder's schema."""
    return [r for r in span_rules(load_schema(data_dir())) if r.offsets]


def span_tables() -> dict:
    """The tables whose rows carry a verbatim span, with the column holding it.

    Returns:
        ``{table name: (text column, source column)}`` read from the data's schema, so a span
        table the data gains is marked without a change here.

    >>> sorted(span_tables())[:3]
    ['claims', 'discrepancies', 'event_reports']
    """
    return {r.table: (r.text, r.source) for r in _span_table_rules()}


def _label(rule: SpanRule, row, i: int) -> str:
    """What a reader sees on a mark: the row's id, else the id of the row it points to (an event
    report shows its event), else the field of a source field, else the table's initial and row."""
    if rule.id:
        return str(row[rule.id])
    if rule.refs and not pd.isna(row[rule.refs[0]]):
        return str(row[rule.refs[0]])
    if rule.table == "source_fields":
        return str(row["field"])
    return f"{rule.table[:1].upper()}{i}"


def _summary(name: str, row, events: pd.DataFrame) -> str:
    def val(col):
        v = row.get(col)
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v

    if name == "event_reports":
        ev = events.loc[row["event_id"]]
        when = f"{ev['date']:%Y-%m-%d}" if ev["date_precision"] == "day" else \
            f"{ev['date']:%Y-%m-%d} to {ev['date_end']:%Y-%m-%d} ({ev['date_precision']})"
        return f"{ev['description']} ({when}; actor: {ev['actor']})"
    if name == "quotes":
        when = f", {val('date'):%Y-%m-%d}" if val("date") is not None else ""
        cue = f", “{val('cue')}”" if val("cue") else ""
        return f"{row['speaker']} ({row['medium']}{when}{cue}; {row['kind']})"
    if name == "claims":
        parts = [f"{row['claim_type']} held by {row['holder']}"
                 + (f" ({row['voice']} voice)" if val("voice") else ""), f"about {row['about']}"]
        if val("estimative_term"):
            parts.append(f"hedge “{row['estimative_term']}”")
        if val("outcome"):
            parts.append(f"outcome: {row['outcome']}")
        return "; ".join(parts)
    if name == "discrepancies":
        parts = [str(row["topic"])]
        if val("value") is not None:
            parts.append(f"value {row['value']:g}" + (f" ({row['qualifier']})" if val("qualifier") else ""))
        if val("note"):
            parts.append(str(row["note"]))
        return "; ".join(parts)
    if name == "source_fields":
        return f"{row['field']} of the source: {row['value']} ({row['basis']})"
    skip = {"start", "end", *span_tables()[name]}
    return "; ".join(f"{k}: {v}" for k, v in row.items() if k not in skip and not pd.isna(v))


def spans(source_id: str) -> list[Span]:
    """Every annotated span in one source, from every span table, in text order.

    Args:
        source_id: a ``source_id`` from ``brink.sources()``.
    Returns:
        A list of :class:`Span`, sorted by start, then longest first.
    Raises:
        KeyError: for a source the data does not list.

    >>> s = spans("000_817cee62a98404b2")
    >>> [(x.label, x.table) for x in s if x.label.startswith("Q0")][:2]
    [('Q01', 'quotes'), ('Q02', 'quotes')]
    """
    tables.source_text(source_id)  # raises KeyError naming the known sources
    events = tables.events().set_index("event_id")
    out = []
    for rule in _span_table_rules():
        frame = tables._get(rule.table)
        for i, row in enumerate(frame.to_dict("records"), start=1):
            if row[rule.source] != source_id or pd.isna(row["start"]):
                continue
            out.append(Span(key=f"{rule.table}-{i}", label=_label(rule, row, i), table=rule.table, row=i,
                            start=int(row["start"]), end=int(row["end"]), text=str(row[rule.text]),
                            summary=_summary(rule.table, row, events),
                            relation=str(row.get("relation") or "") if rule.table == "discrepancies" else ""))
    return sorted(out, key=lambda s: (s.start, -s.end, s.key))


def guiding_questions(source_id: str | None = None) -> pd.DataFrame:
    """The guiding questions, for one source or all: the general ones and those written for it.

    Args:
        source_id: a source id, or None for every row of the file.
    Returns:
        DataFrame with ``source_id`` (empty for a question that fits any source), ``move``
        (sourcing, contextualisation, close reading, corroboration) and ``question``, in the
        order of the moves, general questions first.
    Raises:
        DataError: naming file, row and column, for anything wrong in the data folder (an unknown
            move or source, or an empty question, among the rest).

    >>> q = guiding_questions("002_aa9adbf77d299f0c")
    >>> list(q["move"].drop_duplicates())
    ['sourcing', 'contextualisation', 'close reading', 'corroboration']
    """
    loaded = tables.guiding_questions()
    frame = pd.DataFrame({"source_id": loaded["source_id"].fillna(""), "move": loaded["move"].astype("string"),
                          "question": loaded["question"]}).astype("string")
    if source_id is not None:
        frame = frame[(frame["source_id"] == "") | (frame["source_id"] == source_id)]
    order = {m: k for k, m in enumerate(terms(data_dir(), "reading_move"))}
    frame = frame.assign(_m=frame["move"].map(order), _s=frame["source_id"] != "",
                         _i=range(len(frame)))
    return frame.sort_values(["_m", "_s", "_i"]).drop(columns=["_m", "_s", "_i"]).reset_index(drop=True)


def read(source_id: str) -> Reading:
    """One source in full with its annotated spans and guiding questions, ready to show.

    Args:
        source_id: a ``source_id`` from ``brink.sources()``.
    Returns:
        A :class:`Reading`: a notebook shows it as HTML; ``str()`` or ``repr()`` gives the text
        with every span in brackets and its row id.
    Raises:
        KeyError: for a source the data does not list.

    >>> r = read("000_817cee62a98404b2")
    >>> print(repr(r).splitlines()[0])
    000 news analysis · How Months of Miscalculation Led the U.S. and Iran to the Brink of War
    """
    body = tables.source_text(source_id)
    src = tables.sources().set_index("source_id").loc[source_id]
    heading = str(src["label"]) + (f" · {src['title']}" if not pd.isna(src["title"]) else "")
    return Reading(source_id, heading, body, spans(source_id), guiding_questions(source_id))


def read_all() -> "Readings":
    """Every source the data lists, in the order of ``brink.sources()``, shown one after another.

    >>> [r.source_id[:3] for r in read_all()]
    ['000', '001', '002']
    """
    return Readings(read(s) for s in tables.sources()["source_id"])


# --- segments: the text cut at every span boundary, with the spans open over each piece -------------

def _segments(body: str, marks: list[Span]):
    cuts = sorted({0, len(body), *(s.start for s in marks), *(s.end for s in marks)})
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in marks if s.start <= a and b <= s.end]
        yield a, b, active  # already in (start, -end, key) order: outer first


def _depths(body: str, marks: list[Span]) -> dict:
    """For each span, how many spans at most lie inside it at one place (0 for the innermost)."""
    depth = {s.key: 0 for s in marks}
    for _, _, active in _segments(body, marks):
        for i, s in enumerate(active):
            depth[s.key] = max(depth[s.key], len(active) - 1 - i)
    return depth


def _walk(body: str, marks: list[Span]):
    """Events to render the text as properly nested elements.

    Yields ``("open", span, first)``, ``("text", str)``, ``("close", span, last)``. A span that
    crosses the end of an outer one is closed and opened again (``first``/``last`` say which
    piece is which); every span opens exactly once with ``first`` True.
    """
    stack: list[Span] = []
    opened: set = set()
    for a, b, active in _segments(body, marks):
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        for s in reversed(stack[keep:]):
            yield ("close", s, s.end <= a)
        stack = stack[:keep]
        for s in active[keep:]:
            yield ("open", s, s.key not in opened)
            opened.add(s.key)
            stack.append(s)
        yield ("text", body[a:b])
    for s in reversed(stack):
        yield ("close", s, True)


# --- plain text --------------------------------------------------------------------------------------

def discrepancy_counts(relations) -> str:
    """Discrepancies counted by relation: figures (by contradiction and precision) apart from differences
    of wording or account, so that a spelling is not counted as a disputed figure.

    Args:
        relations: each discrepancy's ``relation`` (``brink.discrepancies()["relation"]`` for one source).
    Returns:
        One phrase; "none" for no discrepancy.

    >>> discrepancy_counts(["precision", "contradiction", "wording", "account", "wording"])
    '2 figures (1 contradiction, 1 precision), 3 differences of wording or account'
    >>> discrepancy_counts(["wording"])
    '1 difference of wording or account'
    """
    rels = [str(x) for x in relations]
    figures = [x for x in rels if x in FIGURE_RELATIONS]
    parts = []
    if figures:
        each = ", ".join(f"{figures.count(k)} {k}" for k in FIGURE_RELATIONS if k in figures)
        parts.append(f"{len(figures)} figure{'s' if len(figures) > 1 else ''} ({each})")
    other = len(rels) - len(figures)
    if other:
        parts.append(f"{other} difference{'s' if other > 1 else ''} of wording or account")
    return ", ".join(parts) or "none"


def to_text(r: Reading) -> str:
    """The text with each span as ``[ID …]``, a count of the marks by kind, and the guiding questions.

    A span that had to be split goes on as ``[ID… …]``. Deterministic, so strict nbval can
    compare it.

    >>> toy = Reading("x", "toy", "abcdef", [Span("t-1", "A", "t", 1, 0, 4, "abcd", "outer"),
    ...                                      Span("t-2", "B", "t", 2, 2, 6, "cdef", "crossing")])
    >>> to_text(toy).splitlines()[2]
    '[A ab[B cd]][B… ef]'
    """
    out = []
    for ev in _walk(r.body, r.spans):
        if ev[0] == "text":
            out.append(ev[1])
        elif ev[0] == "open":
            out.append(f"[{ev[1].label} " if ev[2] else f"[{ev[1].label}… ")
        else:
            out.append("]")
    counts: dict[str, int] = {}
    for s in r.spans:
        counts[s.table] = counts.get(s.table, 0) + 1
    marked = ", ".join(f"{n} {_look(t)['kind'] if n == 1 else _look(t).get('plural', _look(t)['kind'] + 's')}"
                       for t, n in counts.items())
    lines = [r.heading, "", "".join(out), "", f"Marked: {marked or 'nothing'}."]
    found = [s.relation for s in r.spans if s.table == "discrepancies"]
    if found:
        lines.append(f"Discrepancies with another text: {discrepancy_counts(found)}.")
    if r.questions is not None and len(r.questions):
        lines += ["", "Guiding questions:"]
        for q in r.questions.itertuples():
            lines.append(f"  ({q.move}) {q.question}")
    return "\n".join(lines)


# --- HTML ----------------------------------------------------------------------------------------------

def _clip(text: str, n: int = 90) -> str:
    """The first words of a long span for the row list (the mark in the text holds all of it)."""
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"


def _look(table: str) -> dict:
    return {"kind": table.replace("_", " "), **_FALLBACK, **MARK_STYLES.get(table, {})}


def _anchor_ids(r: Reading, s: Span) -> tuple[str, str]:
    base = f"b{r.source_id}-{s.key}"
    return base + "-m", base + "-r"


def to_html(r: Reading) -> str:
    """The source as HTML: heading, legend, the marked text with its guiding questions beside it,
    and the list of rows with links back to the marks. No script, no external resource.

    Every mark carries ``data-row`` (its key), its row id as a visible label, and its kind in text
    (hidden from sight, read by screen readers); the first piece of each mark has an ``id`` the row
    list links to, and the label links to the row.
    """
    e = html.escape
    depth = _depths(r.body, r.spans)
    parts = []
    for ev in _walk(r.body, r.spans):
        if ev[0] == "text":
            parts.append(e(ev[1]).replace("\n", "<br>\n"))
            continue
        s = ev[1]
        look = _look(s.table)
        mark_id, row_id = _anchor_ids(r, s)
        if ev[0] == "open":
            pad = 2 + 5 * depth[s.key]
            attrs = (f'data-row="{e(s.key)}" style="background:{look["bg"]};'
                     f'border-bottom:{look["border"]};padding-bottom:{pad}px"')
            if ev[2]:
                parts.append(
                    f'<mark id="{mark_id}" {attrs}><sup style="padding:0 2px"><a href="#{row_id}">{e(s.label)}'
                    f'<span style="{_HIDDEN}"> {e(look["kind"])}, start</span></a></sup>')
            else:
                parts.append(f'<mark {attrs}><span style="{_HIDDEN}">{e(s.label)} continues</span>')
        else:
            end = f'<span style="{_HIDDEN}"> end of {e(s.label)}</span>' if ev[2] else ""
            parts.append(f"{end}</mark>")
    text = "".join(parts)

    kinds = list(dict.fromkeys(s.table for s in r.spans))
    legend = " ".join(
        f'<mark style="background:{_look(t)["bg"]};color:#111;border-bottom:{_look(t)["border"]};'
        f'padding:0 2px 2px 2px">{e(_look(t)["kind"])}</mark> ({e(_look(t)["style_words"])})'
        for t in kinds)
    legend_p = (f'<p style="margin:0.3em 0 0.8em 0"><strong>Marks:</strong> {legend}. '
                "A small label before each mark gives its row id and links to the row below; "
                "the row links back. Overlapping marks are nested; a mark that crosses another "
                "is split and goes on after it.</p>") if kinds else \
        '<p style="margin:0.3em 0 0.8em 0">No annotated spans in this source.</p>'

    qs = ""
    if r.questions is not None and len(r.questions):
        items = []
        for move, g in r.questions.groupby("move", sort=False):
            lis = "".join(f"<li>{e(q)}</li>" for q in g["question"])
            items.append(f'<h5 style="margin:0.6em 0 0.2em 0;font-size:1em">{e(str(move).capitalize())}</h5>'
                         f'<ul style="margin:0;padding-left:1.2em">{lis}</ul>')
        qs = (f'<aside aria-label="Guiding questions for {e(r.heading)}" style="flex:1 1 16em;'
              'min-width:14em;border-left:3px solid #888;padding:0 0 0 0.9em;font-size:0.95em">'
              '<h4 style="margin:0 0 0.3em 0">Guiding questions</h4>' + "".join(items) + "</aside>")

    rows = []
    for s in r.spans:
        mark_id, row_id = _anchor_ids(r, s)
        look = _look(s.table)
        rows.append(
            f'<li id="{row_id}"><a href="#{mark_id}">{e(s.label)}</a> '
            f"<em>{e(look['kind'])}</em> ({e(s.table)} row {s.row}): “{e(_clip(s.text))}” — {e(s.summary)}</li>")
    row_list = (f'<h4 style="margin:1em 0 0.3em 0">Marked rows ({len(r.spans)})</h4>'
                f'<ol style="padding-left:1.4em;font-size:0.92em;line-height:1.45">{"".join(rows)}</ol>') if rows else ""

    return (f'<div class="brink-reading" lang="en" style="font-family:Georgia,serif;color:#111;'
            f'background:#fff;max-width:68em;padding:0.5em 0">'
            f'<h3 style="margin:0 0 0.2em 0">{e(r.heading)}</h3>'
            f'<p style="margin:0;font-size:0.9em">Source <code>{e(r.source_id)}</code>, in full, '
            f'exactly as the kit keeps it.</p>{legend_p}'
            f'<div style="display:flex;flex-wrap:wrap;gap:1.2em;align-items:flex-start">'
            f'<article aria-label="Text of {e(r.heading)}" style="flex:3 1 30em;line-height:2.3;'
            f'font-size:1em">{text}</article>{qs}</div>{row_list}</div>')


class Readings(list):
    """Several readings shown one after another (what ``read_all`` returns)."""

    def _repr_html_(self) -> str:
        return '<hr style="border:0;border-top:1px solid #999;margin:1.5em 0">'.join(to_html(r) for r in self)

    def __repr__(self) -> str:
        return ("\n\n" + "=" * 72 + "\n\n").join(to_text(r) for r in self)


def __getattr__(name: str):
    if name == "MOVES":   # the moves of historical reading, from the data folder's vocabulary
        return tuple(terms(data_dir(), "reading_move"))
    raise AttributeError(f"module 'brink.reading' has no attribute {name!r}")
