"""Scoring predictions: the Brier score in its one-outcome form.

For a forecast probability ``p`` of an event and the outcome ``o`` (1 it happened,
0 it did not), the score is ``(p - o) ** 2``: 0 is perfect, 1 is confidently wrong,
0.25 is what always saying 50 % earns. (Brier's original 1950 form sums over both
outcomes and runs from 0 to 2; it is exactly twice this one for a yes/no event.)
"""
from __future__ import annotations

import pandas as pd


def brier(p: float, outcome: int) -> float:
    """The one-outcome Brier score of a forecast.

    Args:
        p: forecast probability, 0 to 1.
        outcome: 1 if the event happened, 0 if not.
    Returns:
        ``(p - outcome) ** 2``.

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


def prediction_ledger(claims: pd.DataFrame) -> pd.DataFrame:
    """Every prediction with its band, its outcome and, where both exist, its Brier score.

    The forecast probability is the middle of the ICD 203 band; ``brier_best`` and
    ``brier_worst`` score the band's two ends. Unresolved predictions stay in the
    ledger with no score.

    Args:
        claims: the claims table.
    Returns:
        A new table: ``claim_id``, ``source_id``, ``text``, ``estimative_term``, ``p_mid``,
        ``outcome_value``, ``status`` (scored, resolved without a band, unresolved),
        ``brier``, ``brier_best``, ``brier_worst``.
    """
    pred = claims[claims["claim_type"] == "prediction"].copy()
    pred["p_mid"] = ((pred["p_low"] + pred["p_high"]) / 2).round(3)
    scores = {"brier": [], "brier_best": [], "brier_worst": []}
    status = []
    for lo, hi, mid, o in zip(pred["p_low"], pred["p_high"], pred["p_mid"], pred["outcome_value"]):
        if pd.isna(o):
            status.append("unresolved")
        elif pd.isna(mid):
            status.append("resolved, no band")
        else:
            status.append("scored")
        ok = not pd.isna(o) and not pd.isna(mid)
        ends = sorted([brier(float(lo), int(o)), brier(float(hi), int(o))]) if ok else [None, None]
        scores["brier"].append(brier(float(mid), int(o)) if ok else None)
        scores["brier_best"].append(ends[0])
        scores["brier_worst"].append(ends[1])
    pred["status"] = pd.Categorical(status, categories=["scored", "resolved, no band", "unresolved"])
    for k, v in scores.items():
        pred[k] = pd.array(v, dtype="Float64")
    cols = ["claim_id", "source_id", "text", "estimative_term", "p_mid", "outcome_value", "status",
            "brier", "brier_best", "brier_worst"]
    return pred[cols].reset_index(drop=True)
