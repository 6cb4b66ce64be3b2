"""The controlled vocabularies of the coded columns, read from the data folder's ``vocabularies/``.

The terms live in the data (``<data>/vocabularies/*.csv``, one term a row, with its meaning), so
an instructor's own data folder can add an actor, a genre or a time zone without touching code.
The names below are read on first use from the current data folder (``brink.data_dir()``);
importing this module reads nothing.

>>> from brink.dataset import vocabularies as vocab
>>> vocab.QUALIFIERS
['exactly', 'about', 'at least', 'more than']
>>> vocab.CONFLICT_WEIGHT["ASSAULT"], vocab.TIME_ZONES["Baghdad"]
(10, 'Asia/Baghdad')
"""
from __future__ import annotations

import functools
from pathlib import Path

from .._paths import data_dir
from ..errors import DataError
from ..files import decode, read_csv_text
from .schema import SCHEMA_FILE, load_schema
from .signature import folder_signature

#: module attribute -> vocabulary name in ``schema.toml``
_TERM_LISTS = {
    "GENRES": "genre", "FIELDS": "field", "FIELD_BASIS": "field_basis", "DATE_PRECISION": "date_precision",
    "DATE_BASIS": "date_basis", "NAME_BASIS": "name_basis", "ACTORS": "actor", "EVENT_TYPES": "event_type",
    "QUOTE_KINDS": "quote_kind", "MEDIA": "medium", "CLAIM_TYPES": "claim_type", "QUALIFIERS": "qualifier",
    "RELATIONS": "relation",
}


def vocabulary_rows(folder: Path, name: str) -> list[dict]:
    """The rows of one vocabulary file of a data folder, as dicts of strings.

    Read again whenever any file of the folder changes (the folder signature, as for the tables).

    Args:
        folder: the data folder.
        name: the vocabulary's name in ``schema.toml``.

    Returns:
        One dict per non-blank row, keyed by the file's header.

    Raises:
        KeyError: the schema declares no such vocabulary.
        DataError: the file is missing or not UTF-8.

    >>> from brink import data_dir
    >>> vocabulary_rows(data_dir(), "medium")[0]
    {'term': 'tweet', 'meaning': 'a post on Twitter'}
    """
    folder = Path(folder).resolve()
    schema = load_schema(folder)
    if name not in schema.vocabularies:
        raise KeyError(f"no vocabulary {name!r} in {folder / SCHEMA_FILE}; known: {sorted(schema.vocabularies)}")
    rel = schema.vocabularies[name]
    read = _vocabulary_rows(folder, rel, folder_signature(folder, schema.input_files()))
    return [dict(r) for r in read]  # copies: the cache stays as read


@functools.lru_cache(maxsize=256)
def _vocabulary_rows(folder: Path, rel: str, _signature: str) -> list[dict]:
    path = folder / rel
    if not path.is_file():
        raise DataError(rel, None, None, "the vocabulary file is missing")
    header, rows = read_csv_text(decode(path.read_bytes(), rel))
    return [dict(zip(header, r)) for r in rows if any(r)]


def terms(folder: Path, name: str) -> list[str]:
    """The terms of one vocabulary (the first column of its file), in file order.

    >>> from brink import data_dir
    >>> terms(data_dir(), "qualifier")
    ['exactly', 'about', 'at least', 'more than']
    """
    rows = vocabulary_rows(folder, name)
    if not rows:
        return []
    first = next(iter(rows[0]))
    return [r[first] for r in rows]


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
