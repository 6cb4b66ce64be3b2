"""Question generators: each builds a question's options and answer from the kit's tables.

A bank entry names its generator (``generator = "event_order"``) and gives its parameters
(``events = [...]``); the generator returns the fields it fills in. Each also returns
``evidence``: the verbatim spans, ``(source_id, span)``, that its answer rests on, so a
test can check that every variant's key resolves to words in a text. Generators register
with ``@generator(name)``, as the kinds register with ``@kind``; nothing scans names.

Option texts are whole phrases written for students: never cut mid-word, never holding
an internal source id or an annotator's note (see ``phrase``).

>>> sorted(GENERATORS)[:3]
['attribution_count', 'brier_of', 'claim_type']
>>> len(GENERATORS)
20
"""
from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from ..dataset import loaders, vocabularies
from ..scoring import prediction_ledger
from ..verbs import corroboration, local_times
from ..wording import attributions, surface_features

Generator = Callable[[dict], dict]
GENERATORS: dict[str, Generator] = {}


class GeneratorError(ValueError):
    """A generator cannot build its question from the data; the message says what is missing."""


def generator(name: str):
    """Register a generator under ``name`` (the bank's ``generator = "name"``)."""
    def register(fn: Generator) -> Generator:
        if name in GENERATORS:
            raise ValueError(f"generator {name!r} is registered twice")
        GENERATORS[name] = fn
        return fn
    return register


# an annotator's note: it names a source by id, or points to the kit's context, primer or notes
_MARKER = re.compile(r"\b\d{3}\b|\bcontext\b|\bprimer\b|instructor notes")
_PAREN = re.compile(r"\s*\(([^()]*)\)")


def _in_students_words(note: str) -> str:
    """A qualifier as a student reads it: a source id becomes the source's name ("000" → "the news
    analysis"), and a pointer to the primer or the notes (": see the primer") is left out."""
    ids = {sid[:3]: source_name(sid).lower() for sid in loaders.sources()["source_id"]}
    note = re.sub(r"\s*:?\s*\bsee the (?:primer|instructor notes)[^;)]*", "", note)
    return re.sub(r"\b(\d{3})\b", lambda m: ids.get(m.group(1), m.group(1)), note)


def phrase(text: str) -> str:
    """A description as a student reads it: annotators' notes (source ids, pointers to the notes) left out,
    but never a qualifier that says the description is disputed.

    A "; …" clause that holds a note is dropped with all that follows it (the rest belongs to the
    note); so is a parenthesis that holds one. Where the note, or what follows it, says "disputed",
    it is kept, in students' words: the qualifier travels with the claim. Never cuts a word.

    >>> phrase("Khamenei tells a crowd that 'harsh revenge' is beginning (in Qum, as 000 dates it; disputed: see the primer)")
    "Khamenei tells a crowd that 'harsh revenge' is beginning (in Qum, as the news analysis dates it; disputed)"
    >>> phrase("Rockets hit the base; the actor is implied by 001, which names no one; the U.S. blamed X")
    'Rockets hit the base'
    >>> phrase("Rockets hit the base; the actor is implied by 001; Iraqi officials doubted it (disputed)")
    'Rockets hit the base; the actor is implied by the narrative reconstruction; Iraqi officials doubted it (disputed)'
    >>> phrase("The nuclear deal (JCPOA) is concluded by the parties (from context)")
    'The nuclear deal (JCPOA) is concluded by the parties'
    """
    text = " ".join(str(text).split())

    def paren(m):
        inner = m.group(1)
        if not _MARKER.search(inner):
            return m.group(0)
        return f" ({_in_students_words(inner)})" if "disputed" in inner else ""

    clauses = text.split(";")
    for i, c in enumerate(clauses[1:], start=1):
        if _MARKER.search(_PAREN.sub(paren, c)):
            rest = ";".join(clauses[i:])
            clauses = clauses[:i] + ([_in_students_words(rest)] if "disputed" in rest else [])
            break
    text = _PAREN.sub(paren, ";".join(clauses))
    return text.strip().rstrip(" ;,")


def source_name(source_id: str) -> str:
    """A source as students read its name: its label without the internal id ("the news analysis").

    >>> source_name("000_817cee62a98404b2")
    'The news analysis'
    """
    label = str(loaders.sources().set_index("source_id").loc[source_id, "label"])
    words = re.sub(r"^\d+\s+", "", label)
    return "The " + words


def _events() -> pd.DataFrame:
    return loaders.events().set_index("event_id")


def _event_spans(ids) -> list[tuple[str, str]]:
    r = loaders.event_reports()
    r = r[r["event_id"].isin(list(ids))]
    return list(zip(r["source_id"], r["evidence"]))


def _claim_spans(ids) -> list[tuple[str, str]]:
    c = loaders.claims().set_index("claim_id").loc[list(ids)]
    return list(zip(c["source_id"], c["text"]))


def _quote_spans(ids) -> list[tuple[str, str]]:
    qs = loaders.quotes().set_index("quote_id").loc[list(ids)]
    return list(zip(qs["source_id"], qs["text"]))


# --- 01 timeline ---------------------------------------------------------------------
@generator("event_order")
def event_order(q):
    e = _events().loc[q["events"]]
    ordered = e.assign(t=e["time_utc"].fillna(pd.Timestamp(0, tz="UTC"))).sort_values(["date", "t"])
    return {"items": [phrase(d) for d in e["description"]], "answer": [phrase(d) for d in ordered["description"]],
            "evidence": _event_spans(q["events"])}


@generator("local_date")
def local_date(q):
    ev = loaders.events()
    t = local_times(ev[ev["event_id"] == q["event"]], {"zone": q["zone"]})
    day = pd.Timestamp(t["zone"].iloc[0][:10])
    opts = [(day + pd.Timedelta(days=k)).strftime("%d %B %Y").lstrip("0") for k in (-1, 0, 1)]
    return {"options": opts, "answer": opts[1], "evidence": _event_spans([q["event"]])}


@generator("minutes_between")
def minutes_between(q):
    e = _events()
    a, b = (e.loc[x, "time_utc"] for x in q["events"])
    return {"answer": (b - a).total_seconds() / 60, "evidence": _event_spans(q["events"])}


@generator("count_precision")
def count_precision(q):
    e = loaders.events()
    hit = e[e["date_precision"] == q["precision"]]
    return {"answer": int(len(hit)), "evidence": _event_spans(hit["event_id"])}


@generator("date_basis")
def date_basis(q):
    e = _events().loc[q["events"]]
    return {"options": [phrase(d) for d in e["description"]],
            "answer": [phrase(d) for d, b in zip(e["description"], e["date_basis"]) if b == q["basis"]],
            "evidence": _event_spans(q["events"])}


def _evidence(event, contains=""):
    r = loaders.event_reports()
    hit = r[(r["event_id"] == event) & r["evidence"].str.contains(contains, regex=False)]
    if hit.empty:
        raise GeneratorError(f"no evidence for {event} containing {contains!r}")
    return str(hit["source_id"].iloc[0]), str(hit["evidence"].iloc[0])


@generator("evidence_for")
def evidence_for(q):
    source, right = _evidence(q["event"], q.get("contains", ""))
    wrong = [_evidence(*(d if isinstance(d, list) else [d]))[1] for d in q["distractors"]]
    return {"options": sorted([right, *wrong]), "answer": right, "evidence": [(source, right)]}


# --- 02 rhetoric -----------------------------------------------------------------------
@generator("quote_speaker")
def quote_speaker(q):
    qs = loaders.quotes().set_index("quote_id").loc[q["quotes"]]
    left = [str(t) for t in qs["text"]]
    right = sorted(set(qs["speaker"]) | set(q.get("extra_speakers", [])))
    return {"left": left, "right": right, "answer": dict(zip(left, qs["speaker"])),
            "evidence": _quote_spans(q["quotes"])}


@generator("quote_medium")
def quote_medium(q):
    medium = loaders.quotes().set_index("quote_id").loc[q["quote"], "medium"]
    return {"options": [m for m in vocabularies.MEDIA if m != "unspecified"], "answer": medium,
            "evidence": _quote_spans([q["quote"]])}


@generator("feature_count")
def feature_count(q):
    qs = loaders.quotes()
    f = surface_features(qs[qs["quote_id"] == q["quote"]])
    return {"answer": int(f[q["feature"]].iloc[0]), "evidence": _quote_spans([q["quote"]])}


@generator("attribution_count")
def attribution_count(q):
    text = loaders.source_text(q["source"])
    a = attributions({q["source"]: text})
    hit = a[a["attribution"] == q["attribution"]]
    return {"answer": int(len(hit)),
            "evidence": [(q["source"], text[int(s):int(e)]) for s, e in zip(hit["start"], hit["end"])]}


# --- 03 policy arguments -----------------------------------------------------------------
@generator("claim_type")
def claim_type(q):
    c = loaders.claims().set_index("claim_id").loc[q["claim"]]
    return {"options": ["prediction", "assessment", "recommendation", "justification"], "answer": c["claim_type"],
            "evidence": _claim_spans([q["claim"]])}


def _band(term):
    b = loaders.icd203()
    row = b[(b["term"] == term) | (b["synonym"] == term)].iloc[0]
    return f"{round(row['p_low'] * 100)}–{round(row['p_high'] * 100)} %"


@generator("icd_matching")
def icd_matching(q):
    right = [_band(t) for t in loaders.icd203()["term"]]
    # the bands come from the ICD 203 directive (context), not from a text: no span to show
    return {"left": list(q["terms"]), "right": right, "answer": {t: _band(t) for t in q["terms"]}, "evidence": []}


@generator("brier_of")
def brier_of(q):
    led = prediction_ledger(loaders.claims()).set_index("claim_id")
    return {"answer": float(led.loc[q["claim"], "brier"]), "evidence": _claim_spans([q["claim"]])}


@generator("predictions_occurred")
def predictions_occurred(q):
    c = loaders.claims().set_index("claim_id").loc[q["claims"]]
    return {"options": [str(t) for t in c["text"]],
            "answer": [str(t) for t, o in zip(c["text"], c["outcome_value"].fillna(-1)) if o == 1],
            "evidence": _claim_spans(q["claims"])}


@generator("link_evidence")
def link_evidence(q):
    c = loaders.claims().set_index("claim_id")["text"]
    links = loaders.claim_links()
    hit = links[(links["to_claim"] == q["to"]) & (links["relation"] == q["relation"])]["from_claim"]
    right = str(c[hit.iloc[0]])
    return {"options": sorted([right, *(str(c[d]) for d in q["distractors"])]), "answer": right,
            "evidence": _claim_spans([hit.iloc[0], q["to"]])}


# --- 04 source comparison -----------------------------------------------------------------
def _source_names() -> dict:
    return {s: source_name(s) for s in loaders.sources()["source_id"]}


@generator("figure_source")
def figure_source(q):
    d = loaders.discrepancies()
    d = d[(d["topic"] == q["topic"]) & (d["value"] == q["value"])]
    names = _source_names()
    return {"options": sorted(names.values()), "answer": names[d["source_id"].iloc[0]],
            "evidence": list(zip(d["source_id"], d["reported"]))}


@generator("figure_matching")
def figure_matching(q):
    d = loaders.discrepancies()
    d = d[d["topic"] == q["topic"]]
    names = _source_names()
    left = [str(r) for r in d["reported"]]
    return {"left": left, "right": sorted(names.values()),
            "answer": {lft: names[s] for lft, s in zip(left, d["source_id"])},
            "evidence": list(zip(d["source_id"], d["reported"]))}


@generator("events_reported_by")
def events_reported_by(q):
    r = loaders.event_reports()
    r = r[r["source_id"] == q["source"]]
    return {"answer": int(r["event_id"].nunique()), "evidence": list(zip(r["source_id"], r["evidence"]))}


@generator("corroborated")
def corroborated(q):
    # two organisations, not two texts of one newsroom (not yet corroboration: see verbs.corroboration)
    c = corroboration(loaders.event_reports(), loaders.sources())
    n = c.set_index("event_id")["organisations"]
    e = _events().loc[q["events"]]
    return {"options": [phrase(d) for d in e["description"]],
            "answer": [phrase(d) for i, d in zip(e.index, e["description"]) if n[i] >= 2],
            "evidence": _event_spans(q["events"])}


@generator("spelling_source")
def spelling_source(q):
    names = _source_names()
    hits = [s for s in names if q["spelling"] in loaders.source_text(s)]
    if len(hits) != 1:
        raise GeneratorError(f"spelling {q['spelling']!r} is in {len(hits)} sources, not one")
    return {"options": sorted(names.values()), "answer": names[hits[0]], "evidence": [(hits[0], q["spelling"])]}
