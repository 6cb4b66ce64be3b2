"""Every span of every table as a W3C Web Annotation (JSON-LD), and back.

Each row of a span table (``span`` in ``schema.toml``) whose span has offsets becomes one
annotation. Its target is the source's file in ``sources/`` with two selectors, as the Web
Annotation Data Model defines them: a ``TextQuoteSelector`` (``exact``, with up to 32 characters
of ``prefix`` and ``suffix``) and a ``TextPositionSelector`` (``start``/``end`` in characters of
the whole file: the body's offsets plus the body's start). Its bodies are a ``TextualBody``
tagging the table, and a ``TextualBody`` in ``application/json`` holding the row as written, so an
annotation tool shows the span and :func:`rows_from_annotations` rebuilds the same rows.
Spans without offsets (a field read from context cites an address) are left out, and counted.
"""
# No ``from __future__ import annotations`` here: this module's own ``annotations()`` would rebind that name.
import json

from ._folder import Folder

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
AFFIX = 32


def _selectors(text: str, start: int, end: int) -> list:
    return [{"type": "TextQuoteSelector", "exact": text[start:end],
             "prefix": text[max(0, start - AFFIX):start], "suffix": text[end:end + AFFIX]},
            {"type": "TextPositionSelector", "start": start, "end": end}]


def span_rows(folder: Folder):
    """Yield ``(table, row number, row, source_id, start, end)`` for every span with offsets (body offsets)."""
    for name, t in folder.schema.tables.items():
        if not t.span:
            continue
        for i, row in enumerate(folder.rows[name], start=1):
            if row.get("start", "") == "" or row.get("end", "") == "":
                continue
            yield name, i, row, row[t.span["source"]], int(row["start"]), int(row["end"])


def annotations(folder: Folder) -> dict:
    """Every span of the folder as one ``AnnotationCollection`` (JSON-LD).

    Args:
        folder: an opened data folder.
    Returns:
        The collection: ``total``, and ``first`` (an ``AnnotationPage``) holding every annotation.

    >>> from brink import data_dir
    >>> from brink.export._folder import open_folder
    >>> a = annotations(open_folder(data_dir()))["first"]["items"][0]
    >>> a["type"], a["target"]["selector"][0]["exact"][:30]
    ('Annotation', 'How Months of Miscalculation L')
    """
    files = {r["source_id"]: r["file"] for r in folder.rows["sources"]}
    items, left_out = [], 0
    for name, t in folder.schema.tables.items():
        if t.span:
            left_out += sum(1 for r in folder.rows[name] if r.get("start", "") == "")
    for name, i, row, sid, start, end in span_rows(folder):
        base = folder.bodies[sid][0]
        text = folder.texts[sid]
        items.append({
            "@context": CONTEXT, "id": f"urn:brink:annotation:{name}:{i}", "type": "Annotation",
            "motivation": "describing",
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": name},
                     {"type": "TextualBody", "purpose": "describing", "format": "application/json",
                      "value": json.dumps(row, ensure_ascii=False)}],
            "target": {"source": f"sources/{files[sid]}", "selector": _selectors(text, base + start, base + end)},
        })
    return {"@context": CONTEXT, "id": "urn:brink:annotations", "type": "AnnotationCollection",
            "label": "Every span of every table of a Brink data folder", "total": len(items),
            "brink_left_out_without_offsets": left_out,
            "first": {"type": "AnnotationPage", "items": items}}


def anchor(annotation: dict, texts: dict) -> tuple[int, int] | None:
    """Re-anchor one annotation in the files' texts, as a tool would: the position selector if its
    text is the quote's ``exact`` with its ``prefix`` and ``suffix``, else the one place where the
    quote with its affixes stands; None where it cannot be anchored exactly.

    Args:
        annotation: an annotation from :func:`annotations`.
        texts: ``{"sources/<file>": the file's text}``.
    """
    target = annotation["target"]
    text = texts[target["source"]]
    quote = next(s for s in target["selector"] if s["type"] == "TextQuoteSelector")
    pos = next(s for s in target["selector"] if s["type"] == "TextPositionSelector")
    s, e = pos["start"], pos["end"]
    exact, prefix, suffix = quote["exact"], quote["prefix"], quote["suffix"]
    if text[s:e] == exact and text[:s].endswith(prefix) and text[e:].startswith(suffix):
        return s, e
    whole = prefix + exact + suffix
    at = text.find(whole)
    if at >= 0 and text.find(whole, at + 1) < 0:
        return at + len(prefix), at + len(prefix) + len(exact)
    return None


def rows_from_annotations(collection: dict) -> dict:
    """The rows the annotations hold, per table, in the files' order.

    >>> from brink import data_dir
    >>> from brink.export._folder import open_folder
    >>> rows_from_annotations(annotations(open_folder(data_dir())))["quotes"][0]["quote_id"]
    'Q01'
    """
    out: dict = {}
    for a in collection["first"]["items"]:
        table = next(b["value"] for b in a["body"] if b.get("purpose") == "tagging")
        row = json.loads(next(b["value"] for b in a["body"] if b.get("format") == "application/json"))
        n = int(a["id"].rsplit(":", 1)[1])
        out.setdefault(table, []).append((n, row))
    return {t: [r for _, r in sorted(v, key=lambda x: x[0])] for t, v in out.items()}
