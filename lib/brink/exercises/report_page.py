"""The class report as one HTML page: charts, tables and the texts with the spans chosen wrongly marked.

The page is self-contained: inline styles, inline SVG, no script, no font, image or style sheet
fetched from anywhere. Every name, file name, option and text from a submission or the bank is
escaped. Each figure cell carries ``data-col`` (and each row ``data-variant``) so a test can read
what the page shows; the figures are ``report.item_analysis``'s.
"""
from __future__ import annotations

import html
from collections.abc import Sequence

from .report import ATTEMPT_BINS, Analysis, Item, wrong_spans
from .report_svg import bar_chart, dot_chart

STYLE = """body{font-family:sans-serif;max-width:70em;margin:1.5em auto;padding:0 1em;line-height:1.45;color:#111;background:#fff}
table{border-collapse:collapse;margin:.5em 0 1em 0;font-size:.92em}
th,td{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}
td.n{text-align:right}
caption{text-align:left;font-weight:bold;padding:.3em 0}
section.q{border-top:1px solid #999;margin-top:1.2em}
.text{font-family:Georgia,serif;line-height:2.3;max-width:60em}
mark{background:#fde2e2;color:#111;border-bottom:3px solid #a40000;padding-bottom:2px}
mark sup{font-family:sans-serif;font-size:.75em;padding:0 2px}"""


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _share(c) -> str:
    return "—" if c.share is None else f"{100 * c.share:.1f} %"


def _d(value) -> str:
    return "—" if value is None else f"{value:+.2f}"


def _td(col: str, value, numeric: bool = True) -> str:
    return f'<td data-col="{col}"{" class=n" if numeric else ""}>{_e(value)}</td>'


def _vname(item: Item, v) -> str:
    return "all variants" if v == "all" else f"variant {v + 1}"


def _figures_table(item: Item) -> str:
    head = ("<tr><th scope=col>Variant</th><th scope=col>Given</th><th scope=col>Answered</th>"
            "<th scope=col>Correct</th><th scope=col>Share correct</th><th scope=col>Upper 27 %: correct of given</th>"
            "<th scope=col>Lower 27 %: correct of given</th><th scope=col>Discrimination</th>"
            + "".join(f"<th scope=col>First right on attempt {b}</th>" for b in ATTEMPT_BINS)
            + "<th scope=col>Never right</th><th scope=col>No attempt log</th></tr>")
    rows = []
    cells = [(v, c) for v, c in item.variants.items()] if item.n_variants > 1 else []
    for v, c in cells + [("all", item.pooled)]:
        rows.append(f'<tr data-variant="{v if v == "all" else v + 1}"><th scope=row>{_e(_vname(item, v))}</th>'
                    + _td("given", c.given) + _td("answered", c.answered) + _td("correct", c.correct)
                    + _td("share", _share(c))
                    + _td("upper", f"{c.upper_correct} of {c.upper_given}")
                    + _td("lower", f"{c.lower_correct} of {c.lower_given}")
                    + _td("discrimination", _d(c.discrimination))
                    + "".join(_td(f"first-{b}", c.first_right.get(b, 0)) for b in ATTEMPT_BINS)
                    + _td("never", c.first_right.get("never", 0)) + _td("nolog", c.first_right.get("no log", 0))
                    + "</tr>")
    return (f'<table data-table="figures" data-q="{_e(item.qid)}"><caption>{_e(item.qid)}: figures'
            f'{" per variant" if item.n_variants > 1 else ""}</caption>{head}{"".join(rows)}</table>')


def _wrong_table(item: Item) -> str:
    columns = ([(v, c) for v, c in item.variants.items()] if item.n_variants > 1 else []) + [("all", item.pooled)]
    options = list(dict.fromkeys([*item.pooled.options, *sorted(item.pooled.wrong, key=lambda o: -item.pooled.wrong[o])]))
    if not options:
        return f"<p>No wrong answer to {_e(item.qid)} was given.</p>"
    what = "Wrong option" if item.kind in ("single", "evidence", "multiple") else \
        "Wrong match" if item.kind == "matching" else "Wrong answer given"
    choice = item.kind in ("single", "evidence", "multiple")
    head = (f"<tr><th scope=col>{what}</th>"
            + "".join(f"<th scope=col>Chosen, {_e(_vname(item, v))}</th>" for v, _ in columns) + "</tr>")
    rows = []
    for o in options:
        rows.append(f'<tr data-option="{_e(o)}"><th scope=row>{_e(o)}</th>'
                    + "".join(_td(f"wrong-{v if v == 'all' else v + 1}",
                                  "not offered" if choice and o not in c.options and o not in c.wrong
                                  else c.wrong.get(o, 0))
                              for v, c in columns) + "</tr>")
    return (f'<table data-table="wrong" data-q="{_e(item.qid)}"><caption>{_e(item.qid)}: how often each '
            f'{what.lower()} was chosen</caption>{head}{"".join(rows)}</table>')


def _item_section(item: Item) -> str:
    prompts = "".join(f"<li>{_e(_vname(item, v))}: {_e(p)}</li>" for v, p in item.prompts.items()) \
        if item.n_variants > 1 and len(set(item.prompts.values())) > 1 else ""
    spread = ""
    if item.n_variants > 1:
        s = item.spread
        spread = (f'<p data-col="spread">Spread of difficulty across its {item.n_variants} variants '
                  f'(largest minus smallest share correct): {"—" if s is None else f"{s:.2f}"}.</p>')
    tool = ('<p data-col="tool-literacy"><strong>Tool literacy:</strong> this question tests the kit\'s '
            'mechanics (what a table stores, what a command prints), not the reading of the texts; do not count '
            'it as comprehension of the texts.</p>') if item.tool_literacy else ""
    return (f'<section class="q" id="q-{_e(item.qid)}"><h3>{_e(item.qid)} ({_e(item.kind)}, {_e(item.exercise)}): '
            f'{_e(item.prompt)}</h3>{tool}{"<ul>" + prompts + "</ul>" if prompts else ""}{spread}'
            f"{_figures_table(item)}{_wrong_table(item)}</section>")


def _marked_text(body: str, spans: list) -> str:
    """The text with each wrongly chosen span marked (nested where they overlap), as the reading layer marks."""
    from ..reading import Span, _walk
    marks = [Span(f"w{i}", f"{s.total}×", "wrong", i, s.start, s.end, s.text, "") for i, s in enumerate(spans, 1)]
    marks.sort(key=lambda s: (s.start, -s.end, s.key))
    by_key = {f"w{i}": s for i, s in enumerate(spans, 1)}
    parts = []
    for ev in _walk(body, marks):
        if ev[0] == "text":
            parts.append(_e(ev[1]).replace("\n", "<br>\n"))
        elif ev[0] == "open":
            s = by_key[ev[1].key]
            who = ", ".join(f"{q}: {n}" for q, n in sorted(s.picks.items()))
            parts.append(f'<mark data-span="{ev[1].key}"><sup>{_e(ev[1].label)}</sup>' if ev[2]
                         else f'<mark data-span="{ev[1].key}">')
            if ev[2]:
                parts.append(f'<span style="position:absolute;width:1px;height:1px;overflow:hidden;'
                             f'clip-path:inset(50%)"> chosen wrongly {s.total} times ({_e(who)}), start</span>')
        else:
            parts.append("</mark>")
    return "".join(parts)


def _spans_part(analysis: Analysis, texts: dict, headings: dict) -> str:
    spans, missing = wrong_spans(analysis, texts)
    if not spans:
        return ("<h2 id=spans>Spans of the texts chosen wrongly</h2><p>No sentence of a text was chosen wrongly "
                "(no evidence question was answered wrongly).</p>")
    rows = "".join(
        f'<tr data-span="{_e(s.source_id)}:{s.start}-{s.end}"><td data-col="text" >{_e(s.text)}</td>'
        f"<td>{_e(headings.get(s.source_id, s.source_id))}</td>"
        f'<td data-col="picks">{_e("; ".join(f"{q}: {n}" for q, n in sorted(s.picks.items())))}</td>'
        f'<td data-col="total" class=n>{s.total}</td></tr>' for s in spans)
    table = ("<table data-table=spans><caption>Sentences chosen wrongly, most often first</caption>"
             "<tr><th scope=col>Sentence</th><th scope=col>Text</th><th scope=col>Question: times chosen wrongly"
             f"</th><th scope=col>Times</th></tr>{rows}</table>")
    texts_html = []
    for sid in dict.fromkeys(s.source_id for s in spans):
        mine = [s for s in spans if s.source_id == sid]
        texts_html.append(f'<h3>{_e(headings.get(sid, sid))}</h3><p>Source <code>{_e(sid)}</code>, in full; '
                          f'each mark is a sentence chosen wrongly, its label the times it was chosen.</p>'
                          f'<div class="text" data-source="{_e(sid)}">{_marked_text(texts[sid], mine)}</div>')
    note = (f"<p>Wrong options no text holds verbatim: {_e('; '.join(missing))}.</p>" if missing else "")
    return ("<h2 id=spans>Spans of the texts chosen wrongly</h2><p>The options of an evidence question are "
            "sentences of the texts: each wrong one chosen is marked where it stands.</p>"
            + table + note + "".join(texts_html))


def report_page(analysis: Analysis, texts: dict, headings: dict, notes: Sequence = (), left_out_files: Sequence = ()) -> str:
    """The class report as one HTML page.

    Args:
        analysis: from ``report.item_analysis``.
        texts: ``{source_id: body}`` of the source texts; headings: ``{source_id: heading}``.
        notes: lines of the grading run's report (warnings), shown as they are (escaped).
        left_out_files: ``(file label, why)`` of files grading left out.

    Returns:
        The page as text (UTF-8 HTML, no script, no external resource).

    >>> from brink.exercises.report import Cell, Item
    >>> item = Item("q1", "x", "single", "Which <one>?", 1, pooled=Cell(given=4, correct=3), variants={0: Cell()})
    >>> page = report_page(Analysis([item], 4, 1, [], [("<b>Eve</b>", "no submission")]), {}, {})
    >>> "<li>&lt;b&gt;Eve&lt;/b&gt;: no submission</li>" in page, "Which &lt;one&gt;?" in page, "<script" in page
    (True, True, False)
    """
    items = analysis.items
    rows = []
    for it in items:
        if it.n_variants > 1:
            rows += [(f"{it.qid} v{v + 1}", c.share) for v, c in it.variants.items()]
        else:
            rows.append((it.qid, it.pooled.share))
    charts = [bar_chart("chart-share", "Share correct, per question and variant", rows, fmt=lambda v: f"{v:.2f}"),
              bar_chart("chart-discrimination", "Discrimination (upper 27 % minus lower 27 %), per question",
                        [(it.qid, it.pooled.discrimination) for it in items], lo=-1.0, hi=1.0,
                        fmt=lambda v: f"{v:+.2f}")]
    pooled = [it for it in items if it.n_variants > 1]
    if pooled:
        charts.append(dot_chart("chart-spread", "Share correct of each variant, per question with variants",
                                [(it.qid, [(f"v{v + 1}", c.share) for v, c in it.variants.items()]) for it in pooled]))
    summary = "".join(
        f'<tr data-q="{_e(it.qid)}"><th scope=row><a href="#q-{_e(it.qid)}">{_e(it.qid)}</a></th>'
        f"<td>{_e(it.kind)}</td>" + _td("variants", it.n_variants) + _td("given", it.pooled.given)
        + _td("share", _share(it.pooled)) + _td("discrimination", _d(it.pooled.discrimination))
        + _td("spread", "—" if it.spread is None else f"{it.spread:.2f}") + "</tr>" for it in items)
    summary_table = ("<table data-table=summary><caption>Every question analysed</caption><tr><th scope=col>Question"
                     "</th><th scope=col>Kind</th><th scope=col>Variants</th><th scope=col>Given</th>"
                     "<th scope=col>Share correct</th><th scope=col>Discrimination</th>"
                     f"<th scope=col>Spread across variants</th></tr>{summary}</table>")
    left = "".join(f"<li>{_e(name)}: {_e(why)}</li>" for name, why in analysis.left_out)
    files = "".join(f"<li>{_e(label)}: {_e(why)}</li>" for label, why in left_out_files)
    note_items = "".join(f"<li>{_e(n)}</li>" for n in notes)
    about = (f'<p>Analysed: <strong data-col="analysed">{analysis.analysed}</strong> students; the upper and lower '
             f'groups hold <strong data-col="group">{analysis.group_size}</strong> each (27 % of the students '
             "analysed, rounded half up; ranked by their total of auto-scored points, at equal totals by name). "
             "Correct means full points, re-checked against the key; a question given and not answered counts "
             "as not correct. Attempts are read from the attempt log, which is self-reported (the student's own "
             f"kit writes it). Counted: each question's {_e(analysis.attempt)} answer.</p>"
             + (f"<p>Written questions, scored by rubric and not analysed here: {_e(', '.join(analysis.written))}.</p>"
                if analysis.written else "")
             + (f"<h3>Left out of the figures ({len(analysis.left_out)})</h3><ul>{left}</ul>" if left else "")
             + (f"<h3>Files grading left out ({len(left_out_files)})</h3><ul>{files}</ul>" if files else "")
             + (f"<h3>Notes from grading</h3><ul>{note_items}</ul>" if note_items else ""))
    body = ("<main><h1>Class report</h1>" + about + "<h2>Summary</h2>" + "".join(f"<figure>{c}</figure>" for c in charts)
            + summary_table + "<h2>Per question</h2>" + "".join(_item_section(it) for it in items)
            + _spans_part(analysis, texts, headings) + "</main>")
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Class report</title><style>{STYLE}</style></head><body>{body}</body></html>\n")


def source_texts() -> tuple[dict, dict]:
    """The kit's source texts and their headings (``{source_id: body}``, ``{source_id: heading}``)."""
    from ..dataset import loaders as tables
    src = tables.sources()
    texts = {sid: tables.source_text(sid) for sid in src["source_id"]}
    headings = {r.source_id: str(r.label) + (f" · {r.title}" if isinstance(r.title, str) else "")
                for r in src.itertuples()}
    return texts, headings


__all__ = ["report_page", "source_texts"]
