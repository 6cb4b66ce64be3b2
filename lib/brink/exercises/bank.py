"""The question bank: one file, ``exercises/questions.toml``, is the source of truth.

A question is either written out in the bank (conceptual questions, with feedback
for each option and a hint), or names a ``generator`` that builds its options and
answer from the kit's tables (order these events, who said this, which source
reports 16 missiles), so the exercises and the lessons read the same data.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import tomllib
from pathlib import Path

import pandas as pd

from .. import tables, vocab
from .._paths import exercises_dir
from ..scoring import prediction_ledger
from ..text import attributions, surface_features
from ..verbs import local_times
from .key import FORMAT, compile_question

KINDS = {
    "single": ("options", "answer"), "multiple": ("options", "answer"), "evidence": ("options", "answer"),
    "ordering": ("items", "answer"), "matching": ("left", "right", "answer"),
    "numeric": ("answer",), "written": ("model_answer", "rubric"),
}
KEY_FILE = "brink-key.json"


class BankError(ValueError):
    """The question bank is broken; the message names the file, the question and the field."""


def bank_path() -> Path:
    return exercises_dir() / "questions.toml"


def _short(text: str, n: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _labels() -> dict:
    s = tables.sources()
    return dict(zip(s["source_id"], s["label"]))


def _events() -> pd.DataFrame:
    return tables.events().set_index("event_id")


# --- generators: each returns the fields it fills in --------------------------------
def g_event_order(q):
    e = _events().loc[q["events"]]
    ordered = e.assign(t=e["time_utc"].fillna(pd.Timestamp(0, tz="UTC"))).sort_values(["date", "t"])
    return {"items": [_short(d) for d in e["description"]], "answer": [_short(d) for d in ordered["description"]]}


def g_local_date(q):
    ev = tables.events()
    t = local_times(ev[ev["event_id"] == q["event"]], {"zone": q["zone"]})
    day = pd.Timestamp(t["zone"].iloc[0][:10])
    opts = [(day + pd.Timedelta(days=k)).strftime("%d %B %Y").lstrip("0") for k in (-1, 0, 1)]
    return {"options": opts, "answer": opts[1]}


def g_minutes_between(q):
    e = _events()
    a, b = (e.loc[x, "time_utc"] for x in q["events"])
    return {"answer": (b - a).total_seconds() / 60}


def g_count_precision(q):
    return {"answer": int((tables.events()["date_precision"] == q["precision"]).sum())}


def g_date_basis(q):
    e = _events().loc[q["events"]]
    return {"options": [_short(d) for d in e["description"]],
            "answer": [_short(d) for d, b in zip(e["description"], e["date_basis"]) if b == q["basis"]]}


def _evidence(event, contains=""):
    r = tables.event_reports()
    hit = r[(r["event_id"] == event) & r["evidence"].str.contains(contains, regex=False)]
    if hit.empty:
        raise BankError(f"no evidence for {event} containing {contains!r}")
    return str(hit["evidence"].iloc[0])


def g_evidence_for(q):
    right = _evidence(q["event"], q.get("contains", ""))
    wrong = [_evidence(*(d if isinstance(d, list) else [d])) for d in q["distractors"]]
    return {"options": sorted([right, *wrong]), "answer": right}


def g_quote_speaker(q):
    qs = tables.quotes().set_index("quote_id").loc[q["quotes"]]
    left = [_short(t, 90) for t in qs["text"]]
    right = sorted(set(qs["speaker"]) | set(q.get("extra_speakers", [])))
    return {"left": left, "right": right, "answer": dict(zip(left, qs["speaker"]))}


def g_quote_medium(q):
    medium = tables.quotes().set_index("quote_id").loc[q["quote"], "medium"]
    return {"options": [m for m in vocab.MEDIA if m != "unspecified"], "answer": medium}


def g_feature_count(q):
    qs = tables.quotes()
    f = surface_features(qs[qs["quote_id"] == q["quote"]])
    return {"answer": int(f[q["feature"]].iloc[0])}


def g_attribution_count(q):
    a = attributions({q["source"]: tables.source_text(q["source"])})
    return {"answer": int((a["attribution"] == q["attribution"]).sum())}


def g_claim_type(q):
    c = tables.claims().set_index("claim_id").loc[q["claim"]]
    return {"options": ["prediction", "assessment", "recommendation", "justification"], "answer": c["claim_type"]}


def _band(term):
    b = tables.icd203()
    row = b[(b["term"] == term) | (b["synonym"] == term)].iloc[0]
    return f"{round(row['p_low'] * 100)}–{round(row['p_high'] * 100)} %"


def g_icd_matching(q):
    right = [_band(t) for t in tables.icd203()["term"]]
    return {"left": list(q["terms"]), "right": right, "answer": {t: _band(t) for t in q["terms"]}}


def g_brier_of(q):
    led = prediction_ledger(tables.claims()).set_index("claim_id")
    return {"answer": float(led.loc[q["claim"], "brier"])}


def g_predictions_occurred(q):
    c = tables.claims().set_index("claim_id").loc[q["claims"]]
    return {"options": [_short(t) for t in c["text"]],
            "answer": [_short(t) for t, o in zip(c["text"], c["outcome_value"].fillna(-1)) if o == 1]}


def g_link_evidence(q):
    c = tables.claims().set_index("claim_id")["text"]
    links = tables.claim_links()
    hit = links[(links["to_claim"] == q["to"]) & (links["relation"] == q["relation"])]["from_claim"]
    right = _short(c[hit.iloc[0]])
    return {"options": sorted([right, *(_short(c[d]) for d in q["distractors"])]), "answer": right}


def g_figure_source(q):
    d = tables.discrepancies()
    d = d[d["topic"] == q["topic"]]
    labels = _labels()
    hit = d[d["value"] == q["value"]]["source_id"]
    return {"options": sorted(labels.values()), "answer": labels[hit.iloc[0]]}


def g_figure_matching(q):
    d = tables.discrepancies()
    d = d[d["topic"] == q["topic"]]
    labels = _labels()
    left = [_short(r) for r in d["reported"]]
    return {"left": left, "right": sorted(labels.values()),
            "answer": {lft: labels[s] for lft, s in zip(left, d["source_id"])}}


def g_events_reported_by(q):
    r = tables.event_reports()
    return {"answer": int(r[r["source_id"] == q["source"]]["event_id"].nunique())}


def g_corroborated(q):
    r = tables.event_reports()
    n = r.groupby("event_id")["source_id"].nunique()
    e = _events().loc[q["events"]]
    return {"options": [_short(d) for d in e["description"]],
            "answer": [_short(d) for i, d in zip(e.index, e["description"]) if n[i] >= 2]}


def g_spelling_source(q):
    labels = _labels()
    hits = [labels[s] for s in labels if q["spelling"] in tables.source_text(s)]
    if len(hits) != 1:
        raise BankError(f"spelling {q['spelling']!r} is in {len(hits)} sources, not one")
    return {"options": sorted(labels.values()), "answer": hits[0]}


GENERATORS = {name[2:]: fn for name, fn in globals().items() if name.startswith("g_")}


# --- loading -----------------------------------------------------------------------
def load_bank(path: Path | None = None) -> dict:
    """Read and check the bank; returns {"exercises": {...}, "questions": [resolved questions]}."""
    path = path or bank_path()
    where = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BankError(f"{where}: the question bank is missing (a student release has a compiled key instead)") from None
    except tomllib.TOMLDecodeError as e:
        raise BankError(f"{where}: not valid TOML ({e})") from None
    exercises = raw.get("exercise", {})
    seen, out = set(), []
    for i, q in enumerate(raw.get("question", []), start=1):
        qid = q.get("id") or f"#{i}"
        def fail(field, problem):
            raise BankError(f"{where}, question {qid}, field '{field}': {problem}")
        for field in ("id", "exercise", "kind", "prompt", "hint"):
            if not isinstance(q.get(field), str) or not q[field].strip():
                fail(field, "required text is missing")
        if qid in seen:
            fail("id", "duplicate id")
        seen.add(qid)
        if q["exercise"] not in exercises:
            fail("exercise", f"{q['exercise']!r} is not an [exercise.…] table")
        if q["kind"] not in KINDS:
            fail("kind", f"{q['kind']!r} is not one of {sorted(KINDS)}")
        q = dict(q)
        if "generator" in q:
            if q["generator"] not in GENERATORS:
                fail("generator", f"unknown generator; known: {sorted(GENERATORS)}")
            try:
                q.update(GENERATORS[q["generator"]](q))
            except (KeyError, IndexError, BankError) as e:
                fail("generator", f"cannot build from the data ({e})")
        for field in KINDS[q["kind"]]:
            if field not in q:
                fail(field, f"a {q['kind']} question needs it")
        _check_shape(q, fail)
        q.setdefault("points", 1)
        out.append(q)
    return {"exercises": exercises, "questions": out}


def _check_shape(q, fail):
    kind = q["kind"]
    if kind in ("single", "evidence"):
        if q["answer"] not in q["options"]:
            fail("answer", "is not one of the options")
    if kind == "multiple" and not set(q["answer"]) <= set(q["options"]):
        fail("answer", "names an option not offered")
    if kind in ("single", "evidence", "multiple"):
        if len(set(q["options"])) != len(q["options"]) or len(q["options"]) < 2:
            fail("options", "at least two options, all different")
        for o in q.get("feedback", {}):
            if o not in q["options"]:
                fail("feedback", f"feedback for {o!r}, which is not an option")
    if kind == "ordering" and sorted(q["items"]) != sorted(q["answer"]):
        fail("answer", "must hold the same items as 'items'")
    if kind == "matching" and (set(q["answer"]) != set(q["left"]) or not set(q["answer"].values()) <= set(q["right"])):
        fail("answer", "must match every left item to a right option")
    if kind == "numeric":
        try:
            float(q["answer"]), float(q.get("tolerance", 0)), float(q.get("step", 1))
        except (TypeError, ValueError):
            fail("answer", "answer, tolerance and step are numbers")


def _stable_salt(qid: str) -> str:
    return hashlib.sha256(f"brink-instructor\x1f{qid}".encode()).hexdigest()[:16]


def compile_key(bank: dict | None = None, random_salt: bool = True) -> dict:
    """The compiled key of every exercise (what a student release carries)."""
    bank = bank or load_bank()
    key = {"format": FORMAT, "exercises": {}}
    for ex_id, meta in bank["exercises"].items():
        key["exercises"][ex_id] = {"title": meta.get("title", ex_id), "questions": []}
    for q in bank["questions"]:
        salt = None if random_salt else _stable_salt(q["id"])
        key["exercises"][q["exercise"]]["questions"].append(compile_question(q, salt))
    return key


@functools.lru_cache(maxsize=2)
def _instructor_key(mtime: float) -> dict:
    return compile_key(random_salt=False)


def load_key() -> dict:
    """The key the widgets and the grader use: a release's compiled key if one is present, else the bank's."""
    override = os.environ.get("BRINK_KEY")
    for path in ([Path(override)] if override else []) + [exercises_dir() / KEY_FILE]:
        if path.is_file():
            key = json.loads(path.read_text(encoding="utf-8"))
            if key.get("format") != FORMAT:
                raise BankError(f"{path.name}: not a Brink key ({key.get('format')!r})")
            return key
    return _instructor_key(bank_path().stat().st_mtime if bank_path().exists() else 0.0)
