"""Surface features of quoted words and how sources attribute what they report.

These are counts a student can check by eye: every match comes back with its
verbatim words and offsets, so a count is never a black box.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

#: hedges, as written; a quote's hedge count is how many of these it contains
HEDGES = ["may", "might", "could", "likely", "probably", "perhaps", "possibly", "suggests", "no doubt",
          "almost certain", "all but", "in all likelihood", "liable to"]
_WORD = re.compile(r"[A-Za-z’']+")

#: abbreviations that end in a full stop without ending a sentence (for ``sentences``)
_ABBREV = ("Mr.", "Ms.", "Mrs.", "Dr.", "Gen.", "Maj.", "Dec.", "Jan.", "Feb.", "Va.", "U.S.", "D.C.", "E.", "St.")
_SENTENCE_END = re.compile(r"[.!?…]+[”’\"]*(?=\s+[“\"‘A-Z0-9]|\s*$)|\n+")


def sentences(text: str) -> list[tuple[int, int]]:
    """Split a body into sentences: ``(start, end)`` offsets, each sentence stripped of white space.

    A full stop after a common abbreviation ("Mr.", "Dec.", "U.S.") does not end a sentence; a line
    break always does (a headline, a paragraph).

    >>> t = "Mr. Trump spoke on Dec. 31. Iran answered!\\nA new line"
    >>> [t[a:b] for a, b in sentences(t)]
    ['Mr. Trump spoke on Dec. 31.', 'Iran answered!', 'A new line']
    """
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(0).startswith(".") and text[:m.start() + 1].endswith(_ABBREV):
            continue
        end = m.end() if not m.group(0).startswith("\n") else m.start()
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((start + lead, start + len(piece.rstrip())))
        start = m.end()
    if text[start:].strip():
        piece = text[start:]
        lead = len(piece) - len(piece.lstrip())
        out.append((start + lead, start + len(piece.rstrip())))
    return out


def _attribution_rules() -> list[dict]:
    from .dataset import vocabularies
    return vocabularies.rows("attribution")


def attributions(texts: dict, rules: list[dict] | None = None) -> pd.DataFrame:
    """Find how each source body says where its information comes from.

    The patterns are data (``vocabularies/attributions.csv``): an **informant** tells the reporters
    something, named ("said Ali Alfoneh") or not ("officials said"); a **public statement** is a
    subject of the story speaking in public ("Mr. Trump tweeted"): the speaker's own words, not an
    informant's. What a text asserts with no attribution at all is counted by ``attribution_profile``.

    Args:
        texts: source id -> body text (``brink.source_text``).
        rules: rows with ``kind``, ``named`` and ``pattern``; the data folder's vocabulary if ``None``.
    Returns:
        A new table, one row per match: ``source_id``, ``kind`` (informant or public statement),
        ``attribution`` (named or anonymous), ``words`` (verbatim), ``start``, ``end``; sorted by
        source and offset.

    >>> r = [{"kind": "informant", "named": "anonymous", "pattern": r"\\bofficials said\\b"},
    ...      {"kind": "public statement", "named": "named", "pattern": r"Mr\\. [A-Z][a-z]+ tweeted"}]
    >>> t = attributions({"s": "It was over, officials said. Mr. Smith tweeted no."}, r)
    >>> [tuple(row) for row in t[["kind", "attribution", "words"]].itertuples(index=False)]
    [('informant', 'anonymous', 'officials said'), ('public statement', 'named', 'Mr. Smith tweeted')]
    """
    rules = _attribution_rules() if rules is None else rules
    rows = []
    for sid, text in texts.items():
        for rule in rules:
            for m in re.finditer(rule["pattern"], text):
                rows.append({"source_id": sid, "kind": rule["kind"], "attribution": rule["named"],
                             "words": m.group(0), "start": m.start(), "end": m.end()})
    out = pd.DataFrame(rows, columns=["source_id", "kind", "attribution", "words", "start", "end"])
    return out.sort_values(["source_id", "start"]).reset_index(drop=True)


def attribution_profile(texts: dict, claims: pd.DataFrame, rules: list[dict] | None = None) -> pd.DataFrame:
    """Per source, three different things counted apart: informants, subjects' public statements, and
    the text's own assertions that carry no attribution at all.

    An **unattributed assertion** is a claim the text makes in its own voice (``voice`` = own) whose
    sentence holds no attribution (``attributions``): the text asks the reader to take it on trust.

    Args:
        texts: source id -> body text; claims: the claims table (``source_id``, ``voice``, ``start``).
        rules: the attribution patterns; the data folder's vocabulary if ``None``.
    Returns:
        A new table, one row per source: ``source_id``, ``informants named``, ``informants anonymous``,
        ``public statements``, ``unattributed assertions``, ``own-voice claims``.

    >>> r = [{"kind": "informant", "named": "anonymous", "pattern": r"\\bofficials said\\b"}]
    >>> c = pd.DataFrame({"source_id": ["s", "s"], "voice": ["own", "own"], "start": [0, 30]})
    >>> print(attribution_profile({"s": "It was over, officials said. He was wrong."}, c, r).iloc[0].to_dict())
    {'source_id': 's', 'informants named': 0, 'informants anonymous': 1, 'public statements': 0, 'unattributed assertions': 1, 'own-voice claims': 2}
    """
    found = attributions(texts, rules)
    rows = []
    for sid, text in texts.items():
        f = found[found["source_id"] == sid]
        spans = sentences(text)
        own = claims[(claims["source_id"] == sid) & (claims["voice"] == "own")]
        bare = 0
        for start in own["start"]:
            a, b = next(((a, b) for a, b in spans if a <= int(start) < b), (int(start), int(start) + 1))
            if not ((f["start"] < b) & (f["end"] > a)).any():
                bare += 1
        rows.append({"source_id": sid,
                     "informants named": int(((f["kind"] == "informant") & (f["attribution"] == "named")).sum()),
                     "informants anonymous": int(((f["kind"] == "informant") & (f["attribution"] == "anonymous")).sum()),
                     "public statements": int((f["kind"] == "public statement").sum()),
                     "unattributed assertions": bare, "own-voice claims": len(own)})
    return pd.DataFrame(rows)


def uncoded_marked_sentences(texts: dict, claims: pd.DataFrame, quotes: pd.DataFrame,
                             markers: list[str], judgements: Sequence[str] = ()) -> pd.DataFrame:
    """The sentences the coding rule says must be claims but are not: every sentence of any text that
    holds a claim marker (a hedge, a judgement, a state of mind, a causal link: ``vocabularies/
    claim_markers.csv``) outside a quotation, and that no coded claim of that text overlaps.

    A judgement word is itself a claim, not only the sign of one: a word of ``judgements`` outside a
    quotation must lie inside a coded claim's words, so a sentence coded for another of its clauses
    does not cover it.

    One rule for every text: an empty table means each text is coded as the codebook says, for the
    words on the list; a judgement the list has no word for is not found.

    Args:
        texts: source id -> body; claims, quotes: the tables (``source_id``, ``start``, ``end``);
        markers: the marker words, matched as written (lower case, whole words);
        judgements: those of ``markers`` that must lie inside a claim (the list's judgement words).
    Returns:
        A new table: ``source_id``, ``marker``, ``sentence``, ``start``, ``end``.

    >>> c = pd.DataFrame({"source_id": ["s"], "start": [0], "end": [11]})
    >>> q = pd.DataFrame({"source_id": [], "start": [], "end": []})
    >>> text = "It may rain, after their violation. They were stunned."
    >>> print(uncoded_marked_sentences({"s": text}, c, q, ["may", "stunned", "violation"]).to_string(index=False))
    source_id  marker           sentence  start  end
            s stunned They were stunned.     36   54
    >>> print(uncoded_marked_sentences({"s": text}, c, q, ["may", "stunned", "violation"], ["violation"])["marker"].tolist())
    ['violation', 'stunned']
    """
    rows = []
    pattern = re.compile(r"\b(" + "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)) + r")\b")
    inside = set(judgements)
    for sid, text in texts.items():
        cs = claims[claims["source_id"] == sid]
        qs = quotes[quotes["source_id"] == sid]
        for a, b in sentences(text):
            coded = bool(((cs["start"] < b) & (cs["end"] > a)).any())
            for m in pattern.finditer(text, a, b):
                p = m.start()
                if ((qs["start"] <= p) & (qs["end"] > p)).any():
                    continue
                if coded and (m.group(0) not in inside or ((cs["start"] <= p) & (cs["end"] >= m.end())).any()):
                    continue
                rows.append({"source_id": sid, "marker": m.group(0), "sentence": text[a:b], "start": a, "end": b})
                break
    return pd.DataFrame(rows, columns=["source_id", "marker", "sentence", "start", "end"])


def claim_coverage(texts: dict, claims: pd.DataFrame, quotes: pd.DataFrame, markers: list[str],
                   judgements: Sequence[str] = ()) -> pd.DataFrame:
    """How evenly the claims are coded: per source, its sentences, how many hold a claim, how many hold
    a claim marker outside a quotation, and how many of those are coded (the rule says all, for the
    words on the list).

    Args:
        texts, claims, quotes, markers, judgements: as for ``uncoded_marked_sentences``.
    Returns:
        A new table: ``source_id``, ``sentences``, ``with a claim``, ``with a marker``,
        ``marked and coded``, ``own-voice claims``, ``attributed claims``.

    >>> c = pd.DataFrame({"source_id": ["s"], "voice": ["own"], "start": [0], "end": [12]})
    >>> q = pd.DataFrame({"source_id": [], "start": [], "end": []})
    >>> print(claim_coverage({"s": "It may rain. They were stunned."}, c, q, ["may", "stunned"]).iloc[0].to_dict())
    {'source_id': 's', 'sentences': 2, 'with a claim': 1, 'with a marker': 2, 'marked and coded': 1, 'own-voice claims': 1, 'attributed claims': 0}
    """
    missing = uncoded_marked_sentences(texts, claims, quotes, markers, judgements)
    pattern = re.compile(r"\b(" + "|".join(re.escape(m) for m in markers) + r")\b")
    rows = []
    for sid, text in texts.items():
        cs = claims[claims["source_id"] == sid]
        qs = quotes[quotes["source_id"] == sid]
        spans = sentences(text)
        with_claim = sum(bool(((cs["start"] < b) & (cs["end"] > a)).any()) for a, b in spans)
        marked = 0
        for a, b in spans:
            hits = [m.start() for m in pattern.finditer(text, a, b)]
            if any(not ((qs["start"] <= p) & (qs["end"] > p)).any() for p in hits):
                marked += 1
        rows.append({"source_id": sid, "sentences": len(spans), "with a claim": int(with_claim), "with a marker": marked,
                     "marked and coded": marked - int((missing["source_id"] == sid).sum()),
                     "own-voice claims": int((cs["voice"] == "own").sum()),
                     "attributed claims": int((cs["voice"] == "attributed").sum())})
    return pd.DataFrame(rows)


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
