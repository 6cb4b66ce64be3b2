"""Controlled vocabularies of the coded columns, read from the data folder's ``vocabularies/``.

The terms live in the data (``<data>/vocabularies/*.csv``, one term a row, with its meaning), so
an instructor's own data folder can add an actor, a genre or a time zone without touching code.
The names below are read on first use from the current data folder (``brink.data_dir()``);
importing this module reads nothing.

>>> from brink import vocab
>>> vocab.QUALIFIERS
['exactly', 'about', 'at least', 'more than']
>>> vocab.CONFLICT_WEIGHT["ASSAULT"], vocab.TIME_ZONES["Baghdad"]
(10, 'Asia/Baghdad')
"""
from __future__ import annotations

from ._paths import data_dir
from .schema import terms, vocabulary_rows

#: module attribute -> vocabulary name in ``schema.toml``
_TERM_LISTS = {
    "GENRES": "genre", "FIELDS": "field", "FIELD_BASIS": "field_basis", "DATE_PRECISION": "date_precision",
    "DATE_BASIS": "date_basis", "NAME_BASIS": "name_basis", "ACTORS": "actor", "EVENT_TYPES": "event_type",
    "QUOTE_KINDS": "quote_kind", "MEDIA": "medium", "CLAIM_TYPES": "claim_type", "QUALIFIERS": "qualifier",
    "RELATIONS": "relation",
}


def rows(name: str) -> list[dict]:
    """The rows of one vocabulary of the current data folder (term, meaning and any other columns).

    >>> rows("event_type")[-1]["term"]
    'MOVEMENT'
    """
    return vocabulary_rows(data_dir(), name)


def conflict_weights() -> dict:
    """Signed conflict weight of each event type for the escalation view (the ``weight`` column of
    ``vocabularies/event_types.csv``), highest first: the kit's own scale, not Goldstein's.
    Conflict is positive, from +1 (deliberation, intelligence) to +10 (armed attack);
    de-escalation and cooperation are negative, from -2 (a consultation or request) to -6
    (standing down); a movement is 0.

    >>> conflict_weights()["THREATEN"], conflict_weights()["RETREAT"]
    (6, -6)
    """
    weights = [(r["term"], int(r["weight"])) for r in rows("event_type")]
    return dict(sorted(weights, key=lambda tw: -tw[1]))


def time_zones() -> dict:
    """Clock-table zones: display name -> IANA zone (``vocabularies/time_zones.csv``).

    >>> list(time_zones())
    ['Washington', 'UTC', 'Damascus', 'Baghdad', 'Tehran']
    """
    return {r["name"]: r["zone"] for r in rows("time_zone")}


def __getattr__(name: str):
    if name in _TERM_LISTS:
        return terms(data_dir(), _TERM_LISTS[name])
    if name == "PLOVER":
        return [r["term"] for r in rows("event_type") if r["family"] == "PLOVER"]
    if name == "KIT_EVENT_TYPES":
        return [r["term"] for r in rows("event_type") if r["family"] != "PLOVER"]
    if name == "CONFLICT_WEIGHT":
        return conflict_weights()
    if name == "TIME_ZONES":
        return time_zones()
    if name == "ICD203":
        return [(r["term"], r["synonym"], int(r["p_low"]), int(r["p_high"])) for r in rows("icd203")]
    if name == "ICD203_FORMS":
        return {r["form"]: r["term"] for r in rows("icd203_form")}
    raise AttributeError(f"module 'brink.vocab' has no attribute {name!r}")
