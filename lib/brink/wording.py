"""Surface features of quoted words and how sources attribute what they report.

These are counts a student can check by eye: every match comes back with its
verbatim words and offsets, so a count is never a black box.
"""
from __future__ import annotations

import re

import pandas as pd

#: hedges, as written; a quote's hedge count is how many of these it contains
HEDGES = ["may", "might", "could", "likely", "probably", "perhaps", "possibly", "suggests", "no doubt",
          "almost certain", "all but", "in all likelihood", "liable to"]
_WORD = re.compile(r"[A-Za-z’']+")

#: attribution patterns: named (a person is given) and anonymous ("officials said")
ATTRIBUTION = {
    "named": [
        r"\bsaid (?:Mr\. |Ms\. )?[A-Z][a-z]+(?: [A-Z][a-z]+)*",
        r"\b(?:Mr\. |Ayatollah )?[A-Z][a-z]+(?: [A-Z]\.)?(?: [A-Z][a-z]+)* (?:tweeted|wrote|vowed)\b",
    ],
    "anonymous": [r"\bofficials said\b", r"\baccording to officials\b", r"\bbased on interviews with\b"],
}

#: words that frame the killing, as a student might compare them across sources
FRAMING = {
    "killing / killed": r"\bkill(?:ing|ed)\b",
    "strike": r"\bstrikes?\b",
    "drone strike": r"\bdrone strike\b",
    "took out / taken out": r"\b(?:took|taken) out\b",
    "assassination": r"\bassassination\b",
    "decapitated": r"\bdecapitated\b",
    "operation": r"\boperation\b",
}


def surface_features(quotes: pd.DataFrame) -> pd.DataFrame:
    """Count surface features in each quote's text.

    Args:
        quotes: a table with ``quote_id``, ``speaker`` and ``text``.
    Returns:
        A new table: ``quote_id``, ``speaker``, ``words``, ``capitals`` (words of two or more
        letters in capitals), ``exclamations``, ``direct_address`` (you, your, you’d …),
        ``hedges``.

    >>> q = pd.DataFrame({"quote_id": ["x"], "speaker": ["A"], "text": ["You will pay a BIG PRICE! It may rain."]})
    >>> print(surface_features(q).to_string(index=False))
    quote_id speaker  words  capitals  exclamations  direct_address  hedges
           x       A      9         2             1               1       1
    """
    rows = []
    for qid, speaker, text in zip(quotes["quote_id"], quotes["speaker"], quotes["text"]):
        words = _WORD.findall(text)
        lower = text.lower()
        rows.append({
            "quote_id": qid, "speaker": speaker, "words": len(words),
            "capitals": sum(1 for w in words if len(w) >= 2 and w.isupper()),
            "exclamations": text.count("!"),
            "direct_address": sum(1 for w in words if re.fullmatch(r"you(?:r|rs|’d|'d|’re|'re)?", w.lower())),
            "hedges": sum(len(re.findall(rf"\b{re.escape(h)}\b", lower)) for h in HEDGES),
        })
    out = pd.DataFrame(rows)
    for c in ["words", "capitals", "exclamations", "direct_address", "hedges"]:
        out[c] = out[c].astype("Int64")
    return out


def _matches(source_id: str, text: str, patterns: dict, label: str) -> list[dict]:
    rows = []
    for name, pats in patterns.items():
        for pat in ([pats] if isinstance(pats, str) else pats):
            for m in re.finditer(pat, text):
                rows.append({"source_id": source_id, label: name, "words": m.group(0),
                             "start": m.start(), "end": m.end()})
    return rows


def attributions(texts: dict) -> pd.DataFrame:
    """Find named and anonymous attributions in each source body.

    Args:
        texts: source id -> body text (``brink.source_text``).
    Returns:
        A new table, one row per match: ``source_id``, ``attribution`` (named or
        anonymous), ``words`` (verbatim), ``start``, ``end``; sorted by source and offset.

    >>> t = attributions({"s": "It was over, officials said. “No,” said Mr. Smith."})
    >>> print(t[["attribution", "words"]].to_string(index=False))
    attribution          words
      anonymous officials said
          named said Mr. Smith
    """
    rows = sum((_matches(s, t, ATTRIBUTION, "attribution") for s, t in texts.items()), [])
    out = pd.DataFrame(rows, columns=["source_id", "attribution", "words", "start", "end"])
    return out.sort_values(["source_id", "start"]).reset_index(drop=True)


def framing(texts: dict) -> pd.DataFrame:
    """Count framing words in each source body.

    Args:
        texts: source id -> body text.
    Returns:
        A new table: ``source_id``, ``frame``, ``count`` (one row for every pair, zeros included).

    >>> print(framing({"s": "The strike took out the target."}).query("count > 0").to_string(index=False))
    source_id                frame  count
            s               strike      1
            s took out / taken out      1
    """
    rows = []
    for s, text in texts.items():
        for frame, pat in FRAMING.items():
            rows.append({"source_id": s, "frame": frame, "count": len(re.findall(pat, text, flags=re.I))})
    out = pd.DataFrame(rows)
    out["count"] = out["count"].astype("Int64")
    return out
