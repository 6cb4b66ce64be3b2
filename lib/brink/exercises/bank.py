"""The question bank: one file, ``exercises/questions.toml``, is the source of truth.

A question is either written out in the bank (conceptual questions, with feedback
for each option and a hint), or names a ``generator`` that builds its options and
answer from the kit's tables (order these events, who said this, which source
reports 16 missiles), so the exercises and the lessons read the same data.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import secrets
import tomllib
from pathlib import Path

import pandas as pd

from .. import tables, vocab
from .._paths import bank_path, exercises_dir, kit_root
from ..scoring import prediction_ledger
from ..text import attributions, surface_features
from ..verbs import corroboration, local_times
from .key import FORMAT, lock
from .kinds import KINDS

KEY_FILE = "brink-key.json"


class BankError(ValueError):
    """The question bank is broken; the message names the file, the question and the field."""


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
    # independent corroboration: two newsrooms, not two texts of one newsroom
    c = corroboration(tables.event_reports(), tables.sources())
    n = c.set_index("event_id")["newsrooms"]
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
MODES = ("practice", "assessed")
COMMON = ("id", "exercise", "kind", "prompt", "hint")


def load_bank(path: Path | None = None) -> dict:
    """Read and check the bank (once per file version); returns a fresh copy.

    See ``read_bank``.

    >>> load_bank()["questions"][0]["id"]
    't01'
    """
    path = Path(path) if path else bank_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    if stamp is None:
        return read_bank(path)
    return copy.deepcopy(_cached_bank(str(path.resolve()), stamp, os.environ.get("BRINK_DATA", "")))


@functools.lru_cache(maxsize=4)
def _cached_bank(path: str, stamp: int, data: str) -> dict:
    return read_bank(Path(path))


def read_bank(path: Path | None = None) -> dict:
    """Read and check the bank; returns {"exercises": {...}, "questions": [resolved questions]}.

    Raises:
        BankError: naming the file, the question and the field that is wrong.

    >>> bank = load_bank()
    >>> sorted({q["kind"] for q in bank["questions"]}) == sorted(KINDS)
    True
    """
    path = Path(path) if path else bank_path()
    where = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise BankError(f"{path}: the question bank is missing (a student release has a compiled key instead)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise BankError(f"{where}: not valid TOML ({e})") from None
    exercises = raw.get("exercise", {})
    for ex_id, meta in exercises.items():
        if meta.get("mode", "practice") not in MODES:
            raise BankError(f"{where}, exercise {ex_id}, field 'mode': {meta['mode']!r} is not one of {list(MODES)}")
    seen, out = set(), []
    for i, q in enumerate(raw.get("question", []), start=1):
        qid = q.get("id") or f"#{i}"

        def fail(field, problem):
            raise BankError(f"{where}, question {qid}, field '{field}': {problem}")
        for field in COMMON:
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
        KINDS[q["kind"]].validate(q, fail)
        q["points"] = KINDS[q["kind"]].points(q)
        out.append(q)
    return {"exercises": exercises, "questions": out}


def _stable_salt(qid: str) -> str:
    return hashlib.sha256(f"brink-instructor\x1f{qid}".encode()).hexdigest()[:16]


def compile_question(q: dict, mode: str = "practice", salt: str | None = None) -> dict:
    """One resolved question as a key entry.

    In practice mode the entry holds what instant feedback needs (see ``key``); in
    assessed mode it holds only what is shown: no answer, feedback, hint, model answer
    or rubric, in any form.
    """
    kind = KINDS[q["kind"]]
    entry = {k: q[k] for k in ("id", "exercise", "kind", "prompt", "points")}
    entry.update(kind.shown(q))
    entry["mode"] = mode
    if mode == "assessed":
        return entry
    salt = salt or secrets.token_hex(8)
    entry["salt"], entry["hint"] = salt, q["hint"]
    entry.update(kind.compile(q, salt))
    if "wrong_feedback" in q:
        entry["wrong_feedback"] = q["wrong_feedback"]
    if q.get("correct_feedback") and "correct_feedback" not in entry:
        entry["correct_feedback"] = lock(salt, kind.secret(q), q["correct_feedback"])
    return entry


def exercise_modes(bank: dict, mode: str | None = None) -> dict:
    """Each exercise's mode: ``mode`` for all if given, else the bank's setting (default practice)."""
    if mode is not None and mode not in MODES:
        raise BankError(f"mode {mode!r} is not one of {list(MODES)}")
    return {ex: mode or meta.get("mode", "practice") for ex, meta in bank["exercises"].items()}


def select_exercises(bank: dict, only=None) -> list[str]:
    """The exercise ids to use: all, or those named in ``only`` (each must exist)."""
    if not only:
        return list(bank["exercises"])
    unknown = [x for x in only if x not in bank["exercises"]]
    if unknown:
        raise BankError(f"no exercise {', '.join(map(repr, unknown))}; known: {', '.join(bank['exercises'])}")
    return [x for x in bank["exercises"] if x in only]


def compile_key(bank: dict | None = None, random_salt: bool = True, mode: str | None = None,
                exercises=None) -> dict:
    """The compiled key of the chosen exercises (what a student release carries).

    Args:
        bank: a loaded bank (default: the kit's).
        random_salt: fresh salts (a release) or stable ones (the instructor's own key).
        mode: ``practice`` or ``assessed`` for every exercise; default: each exercise's setting.
        exercises: ids to include (default: all).
    """
    bank = bank or load_bank()
    modes = exercise_modes(bank, mode)
    chosen = select_exercises(bank, exercises)
    key = {"format": FORMAT, "exercises": {}}
    for ex_id in chosen:
        meta = bank["exercises"][ex_id]
        key["exercises"][ex_id] = {"title": meta.get("title", ex_id), "mode": modes[ex_id], "questions": []}
    for q in bank["questions"]:
        if q["exercise"] in key["exercises"]:
            salt = None if random_salt else _stable_salt(q["id"])
            key["exercises"][q["exercise"]]["questions"].append(compile_question(q, modes[q["exercise"]], salt))
    return key


@functools.lru_cache(maxsize=2)
def _instructor_key(path: str, mtime: float, data: str) -> dict:
    return compile_key(load_bank(Path(path)), random_salt=False)


def grading_key(bank_file: Path | None = None) -> dict:
    """The key that scores everything (every exercise as practice), built from the bank."""
    path = Path(bank_file) if bank_file else bank_path()
    if not path.is_file():
        raise BankError(f"{path}: no question bank here; grading needs the instructor's bank (--bank FILE)")
    return _instructor_key(str(path), path.stat().st_mtime, os.environ.get("BRINK_DATA", ""))


def load_key() -> dict:
    """The key the widgets use: a release's compiled key if one is present, else the bank's.

    Looked up in ``$BRINK_KEY``, then in the release the student is working in (found from the
    current folder upward, whichever copy of the library is imported), then beside the library.
    """
    override = os.environ.get("BRINK_KEY")
    here = kit_root()
    candidates = [Path(override)] if override else []
    candidates += ([here / "exercises" / KEY_FILE] if here is not None else []) + [exercises_dir() / KEY_FILE]
    for path in candidates:
        if path.is_file():
            try:
                key = json.loads(path.read_text(encoding="utf-8-sig"))
            except (OSError, ValueError) as e:
                raise BankError(f"{path}: the compiled key cannot be read ({e})") from None
            if not isinstance(key, dict) or key.get("format") != FORMAT:
                raise BankError(f"{path.name}: not a Brink key of this version ({key.get('format') if isinstance(key, dict) else None!r})")
            return key
    mode = os.environ.get("BRINK_MODE") or None
    if mode:
        return compile_key(mode=mode)
    return grading_key()
