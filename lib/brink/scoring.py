"""Scoring predictions: the Brier score in its one-outcome form, under more than one reading.

For a forecast probability ``p`` of an event and the outcome ``o`` (1 it happened,
0 it did not), the score is ``(p - o) ** 2``: 0 is perfect, 1 is confidently wrong,
0.25 is what always saying 50 % earns. (Brier's original 1950 form sums over both
outcomes and runs from 0 to 2; it is exactly twice this one for a yes/no event.)

A score rests on two readings a student may contest: which probability a hedge
means, and whether what the later texts report counts as the predicted outcome.
The kit's reading is the claims table; other defensible readings are rows of
``readings.csv`` (``brink.readings()``), and ``score_readings`` scores each.
"""
from __future__ import annotations

import re

import pandas as pd

#: hedges the kit gives no ICD 203 band: ICD 203 has no such expression and none is near enough, or (C24's
#: "facilitated no doubt by a series of Iranian actions") the hedge concedes a past cause, not a probability
UNBANDED_HEDGES = ("will", "may", "expect", "suggests", "more likely", "no doubt")
_STATUS = ["scored", "resolved, no band", "unresolved", "excluded"]
_OUTCOME = {"occurred": 1, "did not occur": 0, "unresolved": None, "excluded": None}
#: how an outcome note begins: the horizon rule's three cases (``horizon_problems``)
OCCURRED, NOT_BY_HORIZON, UNRESOLVED = "occurred", "did not occur within the texts' horizon", "unresolved"
#: a reading whose name starts so is a reference forecaster, not a reading of the statement
BASELINE = "baseline:"
_QUOTED = re.compile(r"(?<![A-Za-z])'([^']{4,}?)'(?![A-Za-z])")


def brier(p: float, outcome: int) -> float:
    """The one-outcome Brier score of a forecast.

    Args:
        p: forecast probability, 0 to 1.
        outcome: 1 if the event happened, 0 if not.
    Returns:
        ``(p - outcome) ** 2``.
    Raises:
        ValueError: a probability outside 0–1 or an outcome other than 0 or 1.

    >>> brier(0.97, 1)
    0.0009
    >>> brier(0.97, 0)
    0.9409
    """
    if not 0 <= p <= 1:
        raise ValueError(f"a probability is between 0 and 1, not {p}")
    if outcome not in (0, 1):
        raise ValueError(f"an outcome is 0 or 1, not {outcome}")
    return round((p - outcome) ** 2, 10)


def _score(lo, hi, p, o):
    if pd.isna(o) or pd.isna(p):
        return None, None, None
    o = int(o)
    if pd.isna(lo):
        lo = hi = p
    ends = sorted([brier(float(lo), o), brier(float(hi), o)])
    return brier(float(p), o), ends[0], ends[1]


def prediction_ledger(claims: pd.DataFrame, readings: pd.DataFrame | None = None,
                      reading: str = "the kit's reading") -> pd.DataFrame:
    """Every prediction with its probability, its outcome, the reading behind both, and its Brier score.

    The forecast probability is the middle of the ICD 203 band; ``brier_best`` and
    ``brier_worst`` score the band's two ends. A reading from ``readings`` may set a
    probability where the kit gives none (``p``) or read the outcome otherwise
    (``outcome``: occurred, did not occur, unresolved, excluded); its ``why`` then
    replaces the kit's outcome note. Unresolved and excluded predictions stay in the
    ledger with no score.

    Args:
        claims: the claims table.
        readings: the readings table (``brink.readings()``); ``None`` for the kit's reading only.
        reading: the name of the reading to apply.
    Returns:
        A new table: ``claim_id``, ``holder``, ``text``, ``estimative_term``, ``p_mid``,
        ``outcome_value``, ``reading`` (the words the outcome and probability rest on),
        ``outcome_event_id`` (the event it rests on), ``status`` (scored, resolved without a
        band, unresolved, excluded), ``brier``, ``brier_best``, ``brier_worst``.

    >>> c = pd.DataFrame({"claim_id": ["A", "B"], "holder": ["X", "X"], "text": ["it will rain", "it may snow"],
    ...     "claim_type": ["prediction"] * 2, "estimative_term": ["almost certain", "may"],
    ...     "p_low": [0.95, None], "p_high": [0.99, None], "outcome": ["occurred: rain", "unresolved"],
    ...     "outcome_value": [1, None], "outcome_event_id": ["E1", None]})
    >>> print(prediction_ledger(c)[["claim_id", "p_mid", "status", "brier"]].to_string(index=False))
    claim_id  p_mid     status   brier
           A   0.97     scored  0.0009
           B   <NA> unresolved    <NA>
    """
    pred = claims[claims["claim_type"] == "prediction"].copy().reset_index(drop=True)
    pred["p_low"] = pd.array(pred["p_low"], dtype="Float64")
    pred["p_high"] = pd.array(pred["p_high"], dtype="Float64")
    pred["p_mid"] = ((pred["p_low"] + pred["p_high"]) / 2).round(3)
    pred["outcome_value"] = pd.array(pred["outcome_value"], dtype="Int64")
    pred["reading"] = pd.array(pred["outcome"], dtype="string")
    excluded = set()
    if readings is not None:
        known = set(readings["reading"]) | {"the kit's reading"}
        if reading not in known:
            raise KeyError(f"no reading {reading!r}; known: {sorted(known)}")
        rows = readings[readings["reading"].isin([reading, "the kit's reading"])]
        for r in rows.itertuples(index=False):
            at = pred.index[pred["claim_id"] == r.claim_id]
            if len(at) == 0:
                continue
            i = at[0]
            if not pd.isna(r.p):
                pred.loc[i, "p_mid"] = float(r.p)
                pred.loc[i, ["p_low", "p_high"]] = pd.NA
            if not pd.isna(r.outcome):
                if r.outcome == "excluded":
                    excluded.add(r.claim_id)
                else:
                    pred.loc[i, "outcome_value"] = _OUTCOME[str(r.outcome)]
            pred.loc[i, "reading"] = r.why
    status, scores = [], []
    for cid, lo, hi, p, o in zip(pred["claim_id"], pred["p_low"], pred["p_high"], pred["p_mid"],
                                 pred["outcome_value"]):
        if cid in excluded:
            status.append("excluded")
        elif pd.isna(o):
            status.append("unresolved")
        elif pd.isna(p):
            status.append("resolved, no band")
        else:
            status.append("scored")
        scores.append(_score(lo, hi, p, o) if status[-1] == "scored" else (None, None, None))
    pred["status"] = pd.Categorical(status, categories=_STATUS)
    for k, name in enumerate(["brier", "brier_best", "brier_worst"]):
        pred[name] = pd.array([s[k] for s in scores], dtype="Float64")
    cols = ["claim_id", "holder", "text", "estimative_term", "p_mid", "outcome_value", "reading",
            "outcome_event_id", "status", "brier", "brier_best", "brier_worst"]
    return pred[cols]


def excluded_claims(claims: pd.DataFrame, readings: pd.DataFrame) -> pd.DataFrame:
    """The claims the kit's reading leaves out of every score, each with the reason.

    Args:
        claims: the claims table; readings: the readings table.
    Returns:
        A new table: ``claim_id``, ``claim_type``, ``text``, ``why``.

    >>> c = pd.DataFrame({"claim_id": ["A"], "claim_type": ["recommendation"], "text": ["one can only hope"]})
    >>> r = pd.DataFrame({"reading": ["the kit's reading"], "claim_id": ["A"], "p": [None],
    ...                   "outcome": ["excluded"], "why": ["a hope"]})
    >>> print(excluded_claims(c, r).to_string(index=False))
    claim_id     claim_type              text    why
           A recommendation one can only hope a hope
    """
    kit = readings[(readings["reading"] == "the kit's reading") & (readings["outcome"] == "excluded")]
    out = claims[["claim_id", "claim_type", "text"]].merge(kit[["claim_id", "why"]], on="claim_id")
    return out.reset_index(drop=True)


def score_readings(claims: pd.DataFrame, readings: pd.DataFrame) -> pd.DataFrame:
    """The mean Brier score under each reading: the kit's, then every reading in ``readings``
    (a ``baseline:`` row is a reference forecaster, compared by ``against_baseline``, not a reading).

    Args:
        claims: the claims table (restrict it to one forecaster first to score that forecaster).
        readings: the readings table.
    Returns:
        A new table, one row per reading: ``reading``, ``scored`` (how many predictions),
        ``mean_brier``, ``best`` and ``worst`` (the means at the band ends), ``resting_on_one_event``
        (how many scored predictions rest on the event most of them rest on) and ``event``.

    >>> c = pd.DataFrame({"claim_id": ["A", "B"], "holder": ["X", "X"], "text": ["a", "b"],
    ...     "claim_type": ["prediction"] * 2, "estimative_term": ["almost certain", "will"],
    ...     "p_low": [0.95, None], "p_high": [0.99, None], "outcome": ["occurred", "did not occur"],
    ...     "outcome_value": [1, 0], "outcome_event_id": ["E1", "E1"]})
    >>> r = pd.DataFrame({"reading": ["will as 97 %"], "claim_id": ["B"], "p": [0.97], "outcome": [None],
    ...                   "why": ["a reading"]})
    >>> print(score_readings(c, r)[["reading", "scored", "mean_brier"]].to_string(index=False))
              reading  scored  mean_brier
    the kit's reading       1      0.0009
         will as 97 %       2      0.4709
    """
    names = ["the kit's reading"] + [n for n in dict.fromkeys(readings["reading"])
                                     if n != "the kit's reading" and not str(n).startswith(BASELINE)]
    rows = []
    for name in names:
        led = prediction_ledger(claims, readings, name)
        s = led[led["status"] == "scored"]
        top = s["outcome_event_id"].value_counts()
        rows.append({"reading": name, "scored": len(s),
                     "mean_brier": round(float(s["brier"].mean()), 4) if len(s) else None,
                     "best": round(float(s["brier_best"].mean()), 4) if len(s) else None,
                     "worst": round(float(s["brier_worst"].mean()), 4) if len(s) else None,
                     "resting_on_one_event": int(top.iloc[0]) if len(top) else 0,
                     "event": top.index[0] if len(top) else None})
    out = pd.DataFrame(rows)
    out["scored"] = out["scored"].astype("Int64")
    out["resting_on_one_event"] = out["resting_on_one_event"].astype("Int64")
    for c in ("mean_brier", "best", "worst"):
        out[c] = pd.array(out[c], dtype="Float64")
    out["event"] = pd.array(out["event"], dtype="string")
    return out


def horizon_problems(claims: pd.DataFrame, sources: pd.DataFrame, texts: dict | None = None) -> pd.DataFrame:
    """The horizon rule, written once and applied to every forecaster's predictions.

    The horizon is the latest text's publication date. A prediction is coded by what the texts
    written up to then show: ``occurred …`` (with the event that resolves it); ``did not occur
    within the texts' horizon: …``, quoting words of a text published no earlier than the forecast
    that show it had not happened by then, whether the forecast was hedged or not; or
    ``unresolved: …`` where no text speaks to it, so such a note quotes no text (if it could, the
    prediction would be resolved). Words of an earlier text show only that it had not happened by
    that text's date, so a ``did not occur`` quotes words of a text published at the horizon; no
    silence settles one, whoever the forecaster: the kit holds its texts as excerpts, so what the
    latest text does not report may have been cut.

    Args:
        claims: the claims table; sources: the sources table (``source_id``, ``published``).
        texts: source id -> body; the data folder's texts if ``None``.
    Returns:
        A new table of what breaks the rule: ``claim_id``, ``holder``, ``problem``; empty when every
        prediction follows it.

    >>> src = pd.DataFrame({"source_id": ["a", "b"], "published": pd.to_datetime(["2020-01-03", "2020-02-13"])})
    >>> c = pd.DataFrame({"claim_id": ["X", "Y"], "source_id": ["a", "a"], "holder": ["H", "K"],
    ...     "claim_type": ["prediction"] * 2, "outcome_value": [0, None], "outcome_event_id": [None, None],
    ...     "outcome": ["did not occur within the texts' horizon: b says 'no counter-strike came'",
    ...                 "unresolved: b says 'it stayed calm'"]})
    >>> texts = {"a": "", "b": "In the end no counter-strike came; it stayed calm."}
    >>> problems = horizon_problems(c, src, texts)
    >>> list(problems["claim_id"]), problems["problem"].iloc[0]
    (['Y'], "unresolved, but quotes a text that speaks to it ('it stayed calm'): resolve it by the rule")

    A 0 that quotes only the earlier text rests on the latest text's silence, whichever side made it:

    >>> texts = {"a": "Iran said 'that was the end of it' and the U.S. stood down.", "b": "It was over by then."}
    >>> z = pd.DataFrame({"claim_id": ["U", "I"], "source_id": ["a", "a"], "holder": ["H", "K"],
    ...     "claim_type": ["prediction"] * 2, "outcome_value": [0, 0], "outcome_event_id": [None, None],
    ...     "outcome": ["did not occur within the texts' horizon: a says 'the U.S. stood down', b reports no strike",
    ...                 "did not occur within the texts' horizon: a says 'that was the end of it', b 'It was over by then'"]})
    >>> found = horizon_problems(z, src, texts)
    >>> list(found["claim_id"])
    ['U']
    >>> print(found["problem"].iloc[0])
    outcome 0 rests on the latest text's silence: quote words of a text published at the horizon that show it
    """
    return _horizon_problems(claims, sources, texts)


def _horizon_problems(claims, sources, texts):
    from .dataset.loaders import source_text
    published = sources.set_index("source_id")["published"]
    horizon = published.max()
    ids = list(published.index)
    at_horizon = [sid for sid in ids if published[sid] == horizon]
    body = texts if texts is not None else {sid: source_text(sid) for sid in ids}
    rows = []
    pred = claims[claims["claim_type"] == "prediction"]
    for r in pred.itertuples(index=False):
        note, o = str(r.outcome), r.outcome_value
        quoted = _QUOTED.findall(note)
        later = [sid for sid in ids if published[r.source_id] <= published[sid] <= horizon]
        def in_later(words):
            return any(words in body[sid] for sid in later)  # noqa: B023 (called within this iteration)
        problem = None
        if pd.isna(o):
            if not note.startswith(UNRESOLVED + ":"):
                problem = f"no outcome value, so the note must begin '{UNRESOLVED}:'"
            elif any(in_later(q) for q in quoted):
                q = next(q for q in quoted if in_later(q))
                problem = f"unresolved, but quotes a text that speaks to it ('{q}'): resolve it by the rule"
        elif int(o) == 0:
            if not note.startswith(NOT_BY_HORIZON + ":"):
                problem = f"outcome 0, so the note must begin '{NOT_BY_HORIZON}:'"
            elif not any(in_later(q) for q in quoted):
                problem = "outcome 0 quotes no words of a text up to the horizon that show it"
            elif not any(q in body[sid] for q in quoted for sid in at_horizon):
                problem = ("outcome 0 rests on the latest text's silence: quote words of a text published at the "
                           "horizon that show it")
        elif int(o) == 1:
            if not note.startswith(OCCURRED) or pd.isna(r.outcome_event_id):
                problem = f"outcome 1 needs a note beginning '{OCCURRED}' and the event that resolves it"
        if problem:
            rows.append({"claim_id": r.claim_id, "holder": r.holder, "problem": problem})
    return pd.DataFrame(rows, columns=["claim_id", "holder", "problem"])


def against_baseline(claims: pd.DataFrame, readings: pd.DataFrame,
                     baseline: str | None = None) -> pd.DataFrame:
    """A forecaster's mean Brier score beside a baseline's, on the same predictions and outcomes.

    The baseline is a ``baseline:`` reading: the probabilities a reference forecaster gives the same
    questions (the kit's is what a reader of that day's public statements would have said). For each
    reading of the forecaster, the predictions it scores that the baseline also covers are scored
    twice, with the reading's outcomes both times; ``skill`` is ``1 - mean_brier / baseline_brier``
    (above 0: better than the baseline; 0: no better; below 0: worse).

    Args:
        claims: the forecaster's claims; readings: the readings table;
        baseline: the baseline's reading name (the first ``baseline:`` reading if ``None``).
    Returns:
        A new table, one row per reading: ``reading``, ``compared`` (predictions in both),
        ``mean_brier``, ``baseline_brier``, ``skill``.
    Raises:
        KeyError: ``readings`` has no baseline.

    >>> c = pd.DataFrame({"claim_id": ["A"], "holder": ["X"], "text": ["a"], "claim_type": ["prediction"],
    ...     "estimative_term": ["almost certain"], "p_low": [0.95], "p_high": [0.99],
    ...     "outcome": ["occurred"], "outcome_value": [1], "outcome_event_id": ["E1"]})
    >>> r = pd.DataFrame({"reading": ["baseline: coin"], "claim_id": ["A"], "p": [0.5], "outcome": [None], "why": ["50 %"]})
    >>> print(against_baseline(c, r).to_string(index=False))
              reading  compared  mean_brier  baseline_brier   skill
    the kit's reading         1      0.0009            0.25  0.9964
    """
    names = [n for n in dict.fromkeys(readings["reading"]) if str(n).startswith(BASELINE)]
    if baseline is None:
        if not names:
            raise KeyError("the readings table has no 'baseline:' reading")
        baseline = names[0]
    base = readings[readings["reading"] == baseline].set_index("claim_id")["p"]
    rows = []
    for name in score_readings(claims, readings)["reading"]:
        led = prediction_ledger(claims, readings, name)
        s = led[(led["status"] == "scored") & led["claim_id"].isin(base.index)]
        own = [float(b) for b in s["brier"]]
        ref = [brier(float(base[c]), int(o)) for c, o in zip(s["claim_id"], s["outcome_value"])]
        mean = round(sum(own) / len(own), 4) if own else None
        bmean = round(sum(ref) / len(ref), 4) if ref else None
        skill = round(1 - mean / bmean, 4) if mean is not None and bmean else None
        rows.append({"reading": name, "compared": len(own), "mean_brier": mean, "baseline_brier": bmean, "skill": skill})
    out = pd.DataFrame(rows)
    out["compared"] = out["compared"].astype("Int64")
    for c in ("mean_brier", "baseline_brier", "skill"):
        out[c] = pd.array(out[c], dtype="Float64")
    return out
