"""A student's own forecasts about the crisis: written as of a moment, locked when saved, linted, scored.

* **Saving.** ``save(question, probability, words, as_of=...)`` appends one forecast to ``forecasts.json`` in
  the student's own folder (``$BRINK_ANSWERS``, else ``brink-answers/``, as the exercises' answers). Each
  forecast is **locked with a hash** when saved: a SHA-256 over its fields and the hash of the forecast
  before it (a chain), with one hash per field so that ``check_locks`` names what was edited later. The
  last hash is the file's **receipt**; ``save`` returns it. The lock shows any edit made to the file by
  hand; it is not a signature: someone who recomputes every hash can rewrite the file, which the receipt
  (kept by the instructor, e.g. handed in at once) shows.
* **The linter** (``lint``) flags a probability outside its words' ICD 203 band (``dataset/bands.py``,
  the kit's bands), ICD 203 words from both of its term sets ("likely" with "probable"), likelihood and
  confidence in one sentence (ICD 203 asks for them apart), and words that are not ICD 203's.
* **Revealing and scoring.** The instructor reveals the outcomes (``reveal`` / ``brink forecasts
  reveal``): the outcome of each question is that of the prediction it is tied to (``claim_id``), as the
  data codes it **as of the reveal moment** (``brink.as_of``), written to ``outcomes.json``. Then
  ``score`` gives each forecast its Brier score, ``murphy`` the Murphy decomposition (reliability,
  resolution, uncertainty), ``calibration``/``calibration_chart`` the calibration chart, and ``crowd``
  the class's mean forecast scored as one more forecaster, beside the Crisis Group's ledger
  (``brink.scoring``).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import BrinkError
from ..files import atomic_write, read_csv

FORMAT = "brink-forecasts/1"
OUTCOMES_FORMAT = "brink-outcomes/1"
FILE = "forecasts.json"
OUTCOMES = "outcomes.json"
#: the fields a forecast's lock covers, in order
FIELDS = ("id", "question_id", "question", "as_of", "probability", "words", "text", "saved")
#: a forecast equal to a saved one in these is that forecast, saved again
_SAME = ("question_id", "question", "as_of", "probability", "words", "text")
_CONFIDENCE = re.compile(r"\b(?:confidence|confident|confidently)\b", re.I)
_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


class ForecastError(BrinkError):
    """A forecast, forecasts file or outcomes file a user can fix: one line naming it."""


# ---------------------------------------------------------------- the ICD 203 words

@dataclass(frozen=True)
class Expression:
    """One ICD 203 expression as written: its words, the term it belongs to, its term set and band."""
    words: str
    term: str
    term_set: str      # "terms" (likely, very unlikely …) or "synonyms" (probable, highly improbable …)
    low: float
    high: float


def _prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def expressions(folder: Path | None = None) -> dict[str, Expression]:
    """Every ICD 203 expression of a data folder's scale (``vocabularies/icd203.csv`` and its forms).

    Args:
        folder: the data folder (the current one if ``None``).
    Returns:
        ``{words (lower case): Expression}``; a form ("probably") belongs to the term set of the word it
        is a form of (it shares the longer beginning with "probable" than with "likely").

    >>> e = expressions()
    >>> e["probably"].term_set, e["probably"].term, (e["probably"].low, e["probably"].high)
    ('synonyms', 'likely', (0.55, 0.8))
    """
    from .._paths import data_dir
    from ..dataset.bands import bands
    scale = bands(folder or data_dir())
    out = {}
    for term, synonym, low, high in scale.rows:
        out[term.lower()] = Expression(term, term, "terms", low / 100, high / 100)
        out[synonym.lower()] = Expression(synonym, term, "synonyms", low / 100, high / 100)
    for form, term in scale.forms.items():
        base = out[term.lower()]
        syn = next(s for t, s, _, _ in scale.rows if t == term)
        kind = "synonyms" if _prefix(form.lower(), syn.lower()) > _prefix(form.lower(), term.lower()) else "terms"
        out[form.lower()] = Expression(form, term, kind, base.low, base.high)
    return out


def _found(sentence: str, table: dict[str, Expression]) -> list[tuple[int, Expression]]:
    """The expressions in a sentence, longest first, none inside another ("very unlikely" is not also "unlikely")."""
    taken: list[tuple[int, int]] = []
    hits = []
    for words in sorted(table, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w-]){re.escape(words)}(?![\w-])", sentence, re.I):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            hits.append((m.start(), table[words]))
    return sorted(hits, key=lambda h: h[0])


# ---------------------------------------------------------------- the linter

@dataclass(frozen=True)
class Flag:
    """One flaw the linter finds: its kind and one line saying what and where."""
    kind: str          # "outside band", "mixed term sets", "likelihood and confidence", "not ICD 203 words"
    message: str


def lint(text: str = "", probability: float | None = None, words: str | None = None,
         folder: Path | None = None) -> list[Flag]:
    """The ICD 203 flaws of a forecast: its written sentence(s), its probability and its words.

    Args:
        text: the forecast as a student writes it ("Iran will very likely strike back (85 %).").
        probability: the number given, 0–1 (checked against ``words``' band).
        words: the ICD 203 words chosen for it ("very likely").
        folder: the data folder whose scale to use (the current one if ``None``).
    Returns:
        A list of :class:`Flag`, empty when the forecast is clean. A number written in a sentence
        ("85 %") is checked against the band of the expression in that sentence.

    >>> [f.kind for f in lint("Iran will very likely strike back.", 0.85, "very likely")]
    []
    >>> print(lint(probability=0.6, words="very likely")[0].message)
    60 % is outside the band of 'very likely' (80–95 %)
    >>> [f.kind for f in lint("It is likely, and we have high confidence in that.")]
    ['likelihood and confidence']
    """
    table = expressions(folder)
    flags: list[Flag] = []
    used: dict[str, set] = {"terms": set(), "synonyms": set()}
    if words is not None:
        key = str(words).strip().lower()
        if key not in table:
            flags.append(Flag("not ICD 203 words", f"{words!r} is not an ICD 203 expression of likelihood "
                                                   f"(the kit's: {', '.join(sorted({e.words for e in table.values()}))})"))
        else:
            e = table[key]
            used[e.term_set].add(e.words)
            if probability is not None and not e.low <= float(probability) <= e.high:
                flags.append(Flag("outside band", f"{_pct(probability)} is outside the band of {e.words!r} "
                                                  f"({_pct(e.low, False)}–{_pct(e.high)})"))
    for sentence in (s for s in _SENTENCE.split(str(text or "").strip()) if s):
        hits = _found(sentence, table)
        for _, e in hits:
            used[e.term_set].add(e.words)
        if hits and (confidence := _CONFIDENCE.search(sentence)):
            flags.append(Flag("likelihood and confidence",
                              f"one sentence gives a likelihood ({hits[0][1].words!r}) and a confidence "
                              f"({confidence.group(0)!r}); ICD 203 keeps them in separate "
                              f"sentences: {sentence.strip()!r}"))
        for m in _PERCENT.finditer(sentence):
            p = float(m.group(1)) / 100
            if hits and not any(e.low <= p <= e.high for _, e in hits):
                near = min(hits, key=lambda h: abs(h[0] - m.start()))[1]
                flags.append(Flag("outside band", f"{m.group(0)!r} is outside the band of {near.words!r} "
                                                  f"({_pct(near.low, False)}–{_pct(near.high)}): {sentence.strip()!r}"))
    if used["terms"] and used["synonyms"]:
        flags.append(Flag("mixed term sets", "words from both ICD 203 term sets: "
                                             f"{', '.join(sorted(used['terms']))} (terms) and "
                                             f"{', '.join(sorted(used['synonyms']))} (synonyms); keep to one set"))
    return flags


def _pct(p, sign: bool = True) -> str:
    v = round(float(p) * 100, 1)
    return (f"{v:g} %" if sign else f"{v:g}")


# ---------------------------------------------------------------- saving, locking, reading

def forecasts_dir(folder: Path | str | None = None) -> Path:
    """The student's own folder: ``folder``, else ``$BRINK_ANSWERS``, else ``brink-answers/`` here."""
    if folder is not None:
        return Path(folder)
    from ..exercises.store import answers_dir
    return answers_dir()


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _lock(record: dict, previous: str) -> dict:
    fields = {f: _digest(record.get(f)) for f in FIELDS}
    return {"fields": fields, "previous": previous,
            "hash": _digest({"fields": fields, "previous": previous})}


def _read_file(path: Path) -> dict:
    if not path.exists():
        return {"format": FORMAT, "forecasts": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ForecastError(f"{path}: the forecasts file cannot be read ({e}); it has not been changed") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("forecasts"), list):
        raise ForecastError(f"{path}: not a Brink forecasts file (format {FORMAT})")
    return data


@contextlib.contextmanager
def _locked(folder: Path):
    from filelock import FileLock
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / ".forecasts.lock"):
        yield


def save(question: str, probability: float, words: str, *, as_of, text: str = "", question_id: str = "",
         folder: Path | str | None = None) -> dict:
    """Save one forecast, locked with a hash, in the student's own folder.

    Args:
        question: what is forecast, as a question.
        probability: the forecast probability, 0–1.
        words: its ICD 203 words ("likely").
        as_of: the moment the forecast is made as of (``brink.as_of``'s rule: "2020-01-02" is its end).
        text: the forecast written as a sentence, if the student writes one.
        question_id: the question's id in the instructor's questions (``questions()``), so the class's
            forecasts of one question are compared and scored together.
        folder: the student's folder (default: ``forecasts_dir()``).
    Returns:
        The saved forecast: its fields, ``flags`` (the linter's, saved with it) and ``receipt`` (the
        file's last hash). Saving a forecast equal to one already saved (the same question, moment,
        probability, words and text: a cell run twice) adds nothing and returns that one, with
        ``again`` True; a changed forecast is a new one, and the earlier stays, locked.
    Raises:
        ForecastError: one line naming the value, for a probability outside 0–1, an empty question,
            a moment that is not one; the file is not changed then.

    >>> import tempfile
    >>> f = save("Will Iran strike back?", 0.85, "very likely", as_of="2020-01-02", folder=tempfile.mkdtemp())
    >>> f["id"], f["as_of"], len(f["receipt"])
    ('F1', '2020-01-03T00:00:00Z', 64)
    """
    from .as_of import cutoff_moment
    if not str(question).strip():
        raise ForecastError("forecast: the question is empty; write what you forecast as a question")
    try:
        p = float(probability)
    except (TypeError, ValueError):
        raise ForecastError(f"forecast: probability {probability!r} is not a number; write it as 0.7 for 70 %") from None
    if not 0 <= p <= 1 or p != p:
        raise ForecastError(f"forecast: probability {probability!r} is not between 0 and 1; write 70 % as 0.7")
    try:
        moment = cutoff_moment(as_of)
    except ValueError as e:
        raise ForecastError(f"forecast: {e}") from None
    folder = forecasts_dir(folder)
    path = folder / FILE
    with _locked(folder):
        data = _read_file(path)
        items = data["forecasts"]
        previous = items[-1]["lock"]["hash"] if items else ""
        record: dict = {"id": f"F{len(items) + 1}", "question_id": str(question_id), "question": str(question).strip(),
                  "as_of": f"{moment:%Y-%m-%dT%H:%M:%SZ}", "probability": p, "words": str(words).strip(),
                  "text": str(text or ""),
                  "saved": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        same = [r for r in items if all(r.get(k) == record[k] for k in _SAME)]
        if same:   # the same forecast saved again (a cell run twice) is the forecast already locked
            return {**same[-1], "receipt": items[-1]["lock"]["hash"], "again": True}
        record["flags"] = [{"kind": f.kind, "message": f.message} for f in lint(text, p, words)]
        record["lock"] = _lock(record, previous)
        items.append(record)
        atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1))
    return {**record, "receipt": record["lock"]["hash"]}


def check_locks(folder: Path | str | None = None, receipt: str | None = None) -> list[str]:
    """Every edit made to a student's forecasts after they were saved, one line each.

    Args:
        folder: the student's folder (default: ``forecasts_dir()``).
        receipt: the receipt ``save`` returned last (its hash), if the instructor kept it: then a file
            rewritten with every hash recomputed is found too.
    Returns:
        Lines ``<file>: F2: its probability was changed after it was saved and locked`` (the field
        named), or that a forecast was removed, moved or added without a lock; empty when none.
    """
    path = forecasts_dir(folder) / FILE
    data = _read_file(path)
    problems, previous = [], ""
    for n, r in enumerate(data["forecasts"], start=1):
        name = r.get("id", f"forecast {n}") if isinstance(r, dict) else f"forecast {n}"
        lock = r.get("lock") if isinstance(r, dict) else None
        if not isinstance(lock, dict) or not isinstance(lock.get("fields"), dict):
            problems.append(f"{path}: {name}: it has no lock (it was not saved by brink's forecasts)")
            previous = ""
            continue
        changed = [f for f in FIELDS if lock["fields"].get(f) != _digest(r.get(f))]
        if changed:
            problems.append(f"{path}: {name}: its {', '.join(changed)} "
                            f"{'was' if len(changed) == 1 else 'were'} changed after it was saved and locked")
        elif lock.get("hash") != _digest({"fields": lock["fields"], "previous": lock.get("previous")}):
            problems.append(f"{path}: {name}: its lock was changed after it was saved")
        if lock.get("previous") != previous:
            problems.append(f"{path}: {name}: the forecast saved before it was removed, moved or changed")
        if r.get("id") != f"F{n}":
            problems.append(f"{path}: {name}: it is number {n} in the file: forecasts were removed or moved")
        previous = lock.get("hash", "")
    if receipt is not None and previous != receipt:
        problems.append(f"{path}: the file does not end at the receipt {receipt[:12]}…: "
                        "forecasts were rewritten, removed or added after it was issued")
    return problems


def read(folder: Path | str | None = None) -> pd.DataFrame:
    """A student's forecasts as a table, each with whether its lock still holds.

    Args:
        folder: the student's folder (default: ``forecasts_dir()``).
    Returns:
        A new DataFrame: ``id``, ``question_id``, ``question``, ``as_of`` (UTC), ``probability``, ``words``,
        ``text``, ``saved``, ``flags`` (the linter's kinds, joined by "; "), ``locked`` (True while
        nothing in it was edited after saving).
    """
    path = forecasts_dir(folder) / FILE
    data = _read_file(path)
    bad = {line.split(": ")[1] for line in check_locks(folder)}
    rows = [{"id": r.get("id"), "question_id": r.get("question_id", ""), "question": r.get("question"),
             "as_of": pd.Timestamp(r.get("as_of")), "probability": r.get("probability"), "words": r.get("words"),
             "text": r.get("text", ""), "saved": r.get("saved"),
             "flags": "; ".join(f.get("kind", "") for f in r.get("flags", [])),
             "locked": r.get("id") not in bad} for r in data["forecasts"]]
    cols = ["id", "question_id", "question", "as_of", "probability", "words", "text", "saved", "flags", "locked"]
    out = pd.DataFrame(rows, columns=cols)
    out["probability"] = pd.array(out["probability"], dtype="Float64")
    return out


# ---------------------------------------------------------------- questions and their outcomes

def questions(path: Path | str) -> pd.DataFrame:
    """The instructor's questions: a CSV of ``question_id``, ``question`` and ``claim_id`` (the
    prediction in the data folder whose outcome resolves the question).

    Args:
        path: the questions file (the kit's: ``data/forecast_questions.csv``).
    Returns:
        A new DataFrame with those three columns.
    Raises:
        ForecastError: ``file:row:column`` for a missing column, an empty or repeated id, an empty question.
    """
    from ..errors import DataError
    try:
        header, rows = read_csv(Path(path), str(path))
    except DataError as e:
        raise ForecastError(str(e)) from None
    except OSError as e:
        raise ForecastError(f"{path}: cannot read the questions file ({e.strerror})") from None
    for col in ("question_id", "question", "claim_id"):
        if col not in header:
            raise ForecastError(f"{path}:-:{col}: the column is missing (the columns: question_id, question, claim_id)")
    seen = set()
    for n, r in enumerate(rows, start=1):
        for col in ("question_id", "question", "claim_id"):
            if not r.get(col, "").strip():
                raise ForecastError(f"{path}:{n}:{col}: empty")
        if r["question_id"] in seen:
            raise ForecastError(f"{path}:{n}:question_id: {r['question_id']!r} is given twice")
        seen.add(r["question_id"])
    return pd.DataFrame([{c: r[c].strip() for c in ("question_id", "question", "claim_id")} for r in rows],
                        columns=["question_id", "question", "claim_id"])


def reveal(question_table: pd.DataFrame, when, out: Path | str | None = None) -> pd.DataFrame:
    """The instructor's step: each question's outcome, as the data codes its prediction as of ``when``.

    Args:
        question_table: ``questions()``'s table.
        when: the reveal moment (``brink.as_of``'s rule); an outcome not yet resolved then stays open.
        out: where to write ``outcomes.json`` (a file, or a folder to write it in), if anywhere.
    Returns:
        A new DataFrame: ``question_id``, ``question``, ``claim_id``, ``outcome_value`` (1, 0, or missing
        while unresolved), ``outcome_event_id``, ``outcome`` (the data's note), ``as_of``.
    Raises:
        ForecastError: a question's ``claim_id`` is not a prediction in the data folder.
    """
    from .as_of import as_of
    view = as_of(when)
    claims = view.claims().set_index("claim_id")
    from ..dataset import loaders
    every = loaders.claims().set_index("claim_id")
    rows = []
    for r in question_table.itertuples(index=False):
        if r.claim_id not in every.index or every.loc[r.claim_id, "claim_type"] != "prediction":
            raise ForecastError(f"questions: {r.question_id}: claim_id {r.claim_id!r} is not a prediction in the data")
        c = claims.loc[r.claim_id] if r.claim_id in claims.index else None
        value = None if c is None or pd.isna(c["outcome_value"]) else int(c["outcome_value"])
        rows.append({"question_id": r.question_id, "question": r.question, "claim_id": r.claim_id,
                     "outcome_value": value,
                     "outcome_event_id": None if c is None or pd.isna(c["outcome_event_id"]) else str(c["outcome_event_id"]),
                     "outcome": (f"unresolved: the prediction was not yet published as of {view.cutoff:%Y-%m-%d %H:%M} UTC"
                                 if c is None else str(c["outcome"])),
                     "as_of": f"{view.cutoff:%Y-%m-%dT%H:%M:%SZ}"})
    table = pd.DataFrame(rows)
    table["outcome_value"] = pd.array(table["outcome_value"], dtype="Int64")
    if out is not None:
        target = Path(out)
        target = target / OUTCOMES if target.is_dir() or not target.suffix else target
        body = {"format": OUTCOMES_FORMAT, "as_of": f"{view.cutoff:%Y-%m-%dT%H:%M:%SZ}",
                "outcomes": [{k: (None if pd.isna(v) else (int(v) if k == "outcome_value" else v))
                              for k, v in row.items()} for row in table.to_dict("records")]}
        body["hash"] = _digest(body["outcomes"])
        atomic_write(target, json.dumps(body, ensure_ascii=False, indent=1))
    return table


def revealed(path: Path | str) -> pd.DataFrame:
    """The outcomes the instructor revealed (``outcomes.json``), checked against its hash.

    Raises:
        ForecastError: the file is missing (not revealed yet), unreadable, or was edited after the reveal.
    """
    path = Path(path)
    path = path / OUTCOMES if path.is_dir() else path
    if not path.exists():
        raise ForecastError(f"{path}: the outcomes are not revealed yet (the instructor runs brink forecasts reveal)")
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ForecastError(f"{path}: the outcomes file cannot be read ({e})") from None
    if not isinstance(body, dict) or body.get("format") != OUTCOMES_FORMAT:
        raise ForecastError(f"{path}: not a Brink outcomes file (format {OUTCOMES_FORMAT})")
    if body.get("hash") != _digest(body.get("outcomes")):
        raise ForecastError(f"{path}: the outcomes were changed after they were revealed (the hash does not match)")
    table = pd.DataFrame(body["outcomes"])
    table["outcome_value"] = pd.array(table["outcome_value"], dtype="Int64")
    return table


# ---------------------------------------------------------------- scores

def score(forecasts: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Each forecast with its question's outcome and its Brier score ``(p - o) ** 2``.

    Args:
        forecasts: ``read()``'s table (or any with ``question_id`` and ``probability``).
        outcomes: ``reveal()``'s or ``revealed()``'s table.
    Returns:
        A new table: the forecasts with ``outcome_value`` and ``brier`` (missing while unresolved, or for
        a forecast of no revealed question).

    >>> f = pd.DataFrame({"question_id": ["Q1", "Q2"], "probability": [0.8, 0.3]})
    >>> o = pd.DataFrame({"question_id": ["Q1", "Q2"], "outcome_value": pd.array([1, None], dtype="Int64")})
    >>> score(f, o)["brier"].tolist()
    [0.04, <NA>]
    """
    out = forecasts.merge(outcomes[["question_id", "outcome_value"]], on="question_id", how="left")
    out["outcome_value"] = pd.array(out["outcome_value"], dtype="Int64")
    p = pd.array(out["probability"], dtype="Float64")
    out["brier"] = ((p - out["outcome_value"].astype("Float64")) ** 2).round(10)
    return out


@dataclass(frozen=True)
class Murphy:
    """The Brier score and its parts: ``brier = reliability - resolution + uncertainty + wbv - wbc``."""
    n: int
    brier: float
    reliability: float
    resolution: float
    uncertainty: float
    within_bin_variance: float     # 0 when every forecast in a bin is the same (the bins of distinct values)
    within_bin_covariance: float


def _bins(p: pd.Series, bins) -> pd.Series:
    if bins is None:
        return p.round(10)
    edges = list(bins)
    return pd.cut(p, edges, include_lowest=True, right=True).astype(str)


def murphy(probabilities, outcomes, bins=None) -> Murphy:
    """The Murphy (1973) decomposition of the Brier score.

    With forecasts grouped in bins (by default one bin per distinct probability), ``n_k`` forecasts in
    bin ``k`` with mean forecast ``f_k`` and observed frequency ``o_k``, and ``ō`` the base rate:
    reliability ``Σ n_k (f_k − o_k)² / N``, resolution ``Σ n_k (o_k − ō)² / N``, uncertainty ``ō (1 − ō)``.
    Then ``brier = reliability − resolution + uncertainty`` exactly when the forecasts within each bin are
    equal; with wider bins two more terms make it exact (Stephenson, Coelho and Jolliffe 2008): the
    within-bin variance of the forecasts, and twice their covariance with the outcomes.

    Args:
        probabilities: the forecasts, 0–1.
        outcomes: 1 or 0 each, the same length.
        bins: bin edges (``[0, 0.2, 0.4, 0.6, 0.8, 1]``), or ``None`` for one bin per distinct forecast.
    Returns:
        A :class:`Murphy`.
    Raises:
        ValueError: no forecasts, lengths that differ, a probability outside 0–1 or an outcome not 0/1.

    >>> m = murphy([0.8, 0.8, 0.3, 0.3], [1, 0, 0, 0])
    >>> m.brier, m.reliability, m.resolution, m.uncertainty
    (0.215, 0.09, 0.0625, 0.1875)
    """
    p = pd.Series([float(x) for x in probabilities], dtype=float)
    o = pd.Series([int(x) for x in outcomes], dtype=float)
    if len(p) == 0 or len(p) != len(o):
        raise ValueError(f"murphy: {len(p)} forecasts and {len(o)} outcomes; give as many of each, at least one")
    if not p.between(0, 1).all():
        raise ValueError("murphy: a probability is between 0 and 1")
    if not o.isin([0, 1]).all():
        raise ValueError("murphy: an outcome is 1 or 0")
    n = len(p)
    base = float(o.mean())
    frame = pd.DataFrame({"p": p, "o": o, "bin": _bins(p, bins)})
    g = frame.groupby("bin", sort=True)
    fk, ok = g["p"].transform("mean"), g["o"].transform("mean")
    rel = float(((g["p"].mean() - g["o"].mean()) ** 2 * g.size()).sum() / n)
    res = float(((g["o"].mean() - base) ** 2 * g.size()).sum() / n)
    wbv = float(((frame["p"] - fk) ** 2).sum() / n)
    wbc = float(2 * ((frame["p"] - fk) * (frame["o"] - ok)).sum() / n)
    r = lambda x: round(x, 10)
    return Murphy(n, r(float(((p - o) ** 2).mean())), r(rel), r(res), r(base * (1 - base)), r(wbv), r(wbc))


def calibration(probabilities, outcomes, bins=(0, 0.2, 0.4, 0.6, 0.8, 1.0)) -> pd.DataFrame:
    """The calibration table: per bin of forecasts, how many, their mean, and how often the event came.

    Args:
        probabilities, outcomes: as for ``murphy``; bins: the bin edges.
    Returns:
        A new table: ``bin``, ``n``, ``mean_forecast``, ``observed`` (the share that occurred); a well
        calibrated forecaster's ``observed`` is near its ``mean_forecast``.

    >>> print(calibration([0.9, 0.9, 0.1], [1, 0, 0]).to_string(index=False))
        bin  n  mean_forecast  observed
    0.0–0.2  1            0.1       0.0
    0.8–1.0  2            0.9       0.5
    """
    edges = list(bins)
    p = pd.Series([float(x) for x in probabilities], dtype=float)
    o = pd.Series([int(x) for x in outcomes], dtype=float)
    labels = [f"{a:.1f}–{b:.1f}" for a, b in zip(edges, edges[1:])]
    cut = pd.cut(p, edges, labels=labels, include_lowest=True)
    t = pd.DataFrame({"bin": cut, "p": p, "o": o}).groupby("bin", observed=True).agg(
        n=("p", "size"), mean_forecast=("p", "mean"), observed=("o", "mean")).reset_index()
    t["bin"] = t["bin"].astype(str)
    t["mean_forecast"] = t["mean_forecast"].round(3)
    t["observed"] = t["observed"].round(3)
    return t


def calibration_chart(table: pd.DataFrame, *, title: str = "Calibration: forecast against what happened"):
    """The calibration chart of a ``calibration`` table (several forecasters: a ``forecaster`` column).

    A point per bin at (mean forecast, share that occurred), its size the number of forecasts; the
    diagonal is perfect calibration. Returns a new Altair chart.
    """
    import altair as alt

    from ..charts import _for_readers
    data = table.copy()
    if "forecaster" not in data.columns:
        data["forecaster"] = "forecasts"
    data["aria"] = [f"{r.forecaster}: {r.n} forecasts in {r.bin}, mean {r.mean_forecast:.0%}, "
                    f"{r.observed:.0%} occurred" for r in data.itertuples()]
    diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(
        strokeDash=[4, 3], color="#555555").encode(x="x:Q", y="y:Q")
    scale = alt.Scale(domain=[0, 1])
    points = alt.Chart(data).mark_point(filled=True, opacity=0.9).encode(
        x=alt.X("mean_forecast:Q", title="Mean forecast in the bin", scale=scale, axis=alt.Axis(format="%")),
        y=alt.Y("observed:Q", title="Share that occurred", scale=scale, axis=alt.Axis(format="%")),
        size=alt.Size("n:Q", title="Forecasts"), shape=alt.Shape("forecaster:N", title="Forecaster"),
        color=alt.Color("forecaster:N", title="Forecaster"), description="aria:N",
        tooltip=["forecaster:N", "bin:N", "n:Q", alt.Tooltip("mean_forecast:Q", format=".0%"),
                 alt.Tooltip("observed:Q", format=".0%")])
    return _for_readers(alt.layer(diagonal, points).properties(
        title=title, width=320, height=320,
        description="Calibration chart: each point is a bin of forecasts, at its mean forecast (across) and "
                    "the share of them that occurred (up); the dashed diagonal is perfect calibration."))


def class_forecasts(folders) -> pd.DataFrame:
    """The forecasts of a class: one student folder each (the folder's name is the student).

    Args:
        folders: the students' folders (each holding ``forecasts.json``).
    Returns:
        A new table: ``student`` and ``read()``'s columns, every student's forecasts in turn.
    """
    frames = [read(f).assign(student=Path(f).name) for f in folders]
    frames = [f for f in frames if len(f)]
    if not frames:
        return read(Path("/nonexistent-brink-folder")).assign(student=pd.Series(dtype="string"))
    out = pd.concat(frames, ignore_index=True)
    return out[["student", *[c for c in out.columns if c != "student"]]]


def crowd(forecasts: pd.DataFrame) -> pd.DataFrame:
    """The class's mean forecast of each question, as one more forecaster (the "crowd").

    Only forecasts whose lock holds count; each student's last forecast of a question counts once.

    Args:
        forecasts: ``class_forecasts()``'s table.
    Returns:
        A new table: ``question_id``, ``probability`` (the mean), ``students`` (how many).

    >>> f = pd.DataFrame({"student": ["a", "b", "b"], "question_id": ["Q1"] * 3, "probability": [0.6, 0.2, 0.9],
    ...                   "locked": [True, True, True], "id": ["F1", "F1", "F2"]})
    >>> crowd(f).to_dict("records")
    [{'question_id': 'Q1', 'probability': 0.75, 'students': 2}]
    """
    ok = forecasts[forecasts["locked"].astype(bool) & (forecasts["question_id"].astype(str) != "")]
    last = ok.drop_duplicates(["student", "question_id"], keep="last")
    t = last.groupby("question_id", sort=True).agg(probability=("probability", "mean"),
                                                   students=("student", "nunique")).reset_index()
    t["probability"] = t["probability"].astype(float).round(4)
    t["students"] = t["students"].astype(int)
    return t


def beside_ledger(mine: pd.DataFrame, class_mean: pd.DataFrame, outcomes: pd.DataFrame,
                  claims: pd.DataFrame, readings: pd.DataFrame | None = None) -> pd.DataFrame:
    """A student's forecasts, the class's mean and the prediction's own author, scored side by side.

    Args:
        mine: one student's ``read()`` table; class_mean: ``crowd()``'s table;
        outcomes: the revealed outcomes; claims: the claims table (the authors' probabilities come from
        ``brink.scoring.prediction_ledger``, the middle of the ICD 203 band); readings: the readings table.
    Returns:
        A new table, one row per question: ``question_id``, ``claim_id``, ``holder``, ``outcome_value``,
        ``mine``, ``crowd``, ``theirs`` (the probabilities) and ``brier_mine``, ``brier_crowd``,
        ``brier_theirs`` (missing where there is no number or no outcome yet).
    """
    from ..scoring import prediction_ledger
    ledger = prediction_ledger(claims, readings).set_index("claim_id")
    last = mine[mine["locked"].astype(bool)].drop_duplicates("question_id", keep="last").set_index("question_id")
    cm = class_mean.set_index("question_id")
    rows = []
    for r in outcomes.itertuples(index=False):
        o = r.outcome_value
        theirs = ledger.loc[r.claim_id, "p_mid"] if r.claim_id in ledger.index else pd.NA
        row = {"question_id": r.question_id, "claim_id": r.claim_id,
               "holder": ledger.loc[r.claim_id, "holder"] if r.claim_id in ledger.index else pd.NA,
               "outcome_value": o,
               "mine": last.loc[r.question_id, "probability"] if r.question_id in last.index else pd.NA,
               "crowd": cm.loc[r.question_id, "probability"] if r.question_id in cm.index else pd.NA,
               "theirs": theirs}
        for k in ("mine", "crowd", "theirs"):
            p = row[k]
            row[f"brier_{k}"] = pd.NA if pd.isna(p) or pd.isna(o) else round((float(p) - int(o)) ** 2, 10)
        rows.append(row)
    out = pd.DataFrame(rows)
    for c in ("mine", "crowd", "theirs", "brier_mine", "brier_crowd", "brier_theirs"):
        out[c] = pd.array(out[c], dtype="Float64")
    out["outcome_value"] = pd.array(out["outcome_value"], dtype="Int64")
    return out
