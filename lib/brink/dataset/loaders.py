"""The loaders: one per table, each returning a fresh pandas DataFrame.

Every loader reads the hand-coded files in ``data/annotations/``, checks the whole data
folder against its ``schema.toml`` (types, vocabularies, ids, references, the texts'
checksums and every verbatim span at its offsets, with pandera schemas derived from it)
and raises the first problem as a ``DataError`` (``brink check`` lists them all). Tables
are built once per folder signature (``signature.py``: any change to any file the check reads
builds them again) and cached, in the kernel and, for the next kernels, in the user's cache folder
(``cache.py``); each call returns a deep copy, so a caller can change what it gets without
changing what the next caller sees.

The package re-exports the loaders named in ``AT_TOP`` (``brink.events()``); every loader is also
``brink.tables.<name>()``:

>>> import brink
>>> sorted(n for n in brink.__all__ if hasattr(brink.tables, n)) == sorted(AT_TOP)
True
"""
from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from .._paths import data_dir
from ..errors import DataError
from . import cache, check
from .bands import bands
from .schema import load_schema
from .signature import folder_signature
from .vocabularies import terms

#: how each folder's tables were last built in this process: "checked" (the whole folder checked)
#: or "cache" (served from the cache of checked tables, for the same folder signature)
built: dict[str, str] = {}

#: the loaders ``brink`` re-exports at its top (brink/__init__.py imports these); the codebook names them so
AT_TOP = ("claim_links", "claims", "discrepancies", "event_reports", "events", "icd203", "organisations",
          "people", "quotes", "readings", "source_fields", "source_text", "sources")


def _tables() -> dict:
    """The current data folder's loaded tables, built once for each folder signature."""
    folder = data_dir().resolve()
    try:
        files = load_schema(folder).input_files()
    except DataError:   # no usable schema: the check says so, naming the file under the folder
        _checked(folder).raise_first()
        raise
    return _build(folder, folder_signature(folder, files))


def _checked(folder: Path) -> check.Checked:
    return check.check_folder(folder)


@functools.lru_cache(maxsize=4)
def _build(folder: Path, signature: str) -> dict:
    stored = cache.load(signature)
    if stored is not None:
        built[str(folder)] = "cache"
        return stored
    checked = _checked(folder)
    checked.raise_first()
    schema, folder = checked.schema, checked.folder
    assert schema is not None   # a folder whose schema cannot be read has a problem: raise_first raised it
    t = dict(checked.tables)
    for name, table in schema.tables.items():
        for c in table.columns:
            if c.vocab:
                values = t[name][c.name].astype(object).where(t[name][c.name].notna(), None)
                t[name][c.name] = pd.Categorical(values, categories=terms(folder, c.vocab))
    t["_bodies"] = checked.bodies
    tables = _derive(t, schema, folder)
    cache.store(signature, tables)
    built[str(folder)] = "checked"
    return tables


def _derive(t: dict, schema, folder: Path) -> dict:
    """The loaded tables: derived columns added, file-only columns left out, columns renamed and ordered."""
    fields = t["source_fields"].pivot(index="source_id", columns="field", values="value")
    for f in terms(folder, "field"):
        if f not in fields.columns:
            fields[f] = pd.NA
    src = t["sources"][["source_id"]].copy()
    for f in ("title", "outlet", "authors"):
        src[f] = pd.array(src["source_id"].map(fields[f]), dtype="string")
    # one newsroom, one voice: without a newsroom field a source counts as its outlet, else as itself
    room = src["source_id"].map(fields["newsroom"]).astype(object)
    room = room.where(room.notna(), src["outlet"].astype(object)).where(lambda r: r.notna(), src["source_id"])
    src["newsroom"] = pd.array(room, dtype="string")
    src["published"] = pd.to_datetime(src["source_id"].map(fields["published"])).astype("datetime64[ns]")
    src["genre"] = pd.Categorical(src["source_id"].map(fields["genre"]), categories=terms(folder, "genre"))
    src["n_words"] = pd.array([len(t["_bodies"][s].split()) for s in src["source_id"]], dtype="Int64")
    src["label"] = pd.array([f"{s[:3]} {g}" for s, g in zip(src["source_id"], src["genre"])], dtype="string")
    t["sources_view"] = src[["source_id", *[c.name for c in schema.tables["sources"].derived]]]

    for name, table in schema.tables.items():
        renames = {c.name: c.public for c in table.columns if c.public}
        if renames:
            t[name] = t[name].rename(columns=renames)
        if table.order:
            t[name] = t[name][list(table.order)]

    cl = t["claims"]
    scale = bands(folder)
    found = [(scale.band(term, basis) if not pd.isna(basis) else (None, None))
             for term, basis in zip(cl["estimative_term"], cl["band_basis"].astype(object))]
    cl.insert(cl.columns.get_loc("band_basis"), "p_low", pd.array([b[0] for b in found], dtype="Float64"))
    cl.insert(cl.columns.get_loc("band_basis"), "p_high", pd.array([b[1] for b in found], dtype="Float64"))
    return t


def _visible() -> dict:
    """The loaded tables, limited to the moment of a ``with brink.as_of(...)`` block when one is running."""
    from . import moment as _moment
    at = _moment.current()
    return _tables() if at is None else _moment.limit(_tables(), at)


def _get(name: str) -> pd.DataFrame:
    return _visible()[name].copy(deep=True)


def sources() -> pd.DataFrame:
    """One row per source text.

    Returns:
        DataFrame with ``source_id``, ``title``, ``outlet``, ``published`` (datetime),
        ``genre`` (categorical), ``authors``, ``n_words`` (words in the body) and ``label``
        (a short name for charts). Where the text does not state a field, and no
        citable context gives it, the field is missing (``<NA>``); ``source_fields()``
        says for each field where it comes from.

    >>> print(sources()[["label", "published", "n_words"]].to_string(index=False))
                           label  published  n_words
               000 news analysis 2020-02-13      361
    001 narrative reconstruction 2020-01-11     1346
            002 policy statement 2020-01-03      649
    """
    return _get("sources_view")


def source_fields() -> pd.DataFrame:
    """Each metadata field of each source, with its basis: stated, inferred, context or not stated.

    Returns:
        DataFrame with ``source_id``, ``field``, ``value``, ``basis``, ``support`` (the
        verbatim words that state or suggest it, or the address of the context cited),
        ``start`` and ``end`` (offsets of a verbatim support in ``source_text``).

    >>> f = source_fields()
    >>> print(f[f.field == "published"][["source_id", "value", "basis"]].to_string(index=False))
               source_id      value   basis
    000_817cee62a98404b2 2020-02-13 context
    001_f25bed13f48e0245 2020-01-11  stated
    002_aa9adbf77d299f0c 2020-01-03 context
    """
    return _get("source_fields")


def source_text(source_id: str) -> str:
    """The body of one source, the text that every ``start``/``end`` offset indexes into.

    Args:
        source_id: a ``source_id`` from ``sources()``.
    Returns:
        The body: the file less any metadata line before it or page furniture after it.

    >>> source_text("001_f25bed13f48e0245")[:40]
    'The hours ticked by, and some involved i'
    """
    bodies = _visible()["_bodies"]
    if source_id not in bodies:
        raise KeyError(f"no source {source_id!r}; known: {sorted(bodies)}")
    return bodies[source_id]


def events() -> pd.DataFrame:
    """One row per real-world event the texts mention, dated as the codebook says.

    Returns:
        DataFrame with ``event_id``, ``date`` and ``date_end`` (local dates where it
        happened; equal for a day), ``date_precision``, ``date_basis``, ``time_utc``
        (tz-aware, NaT where no clock time is given), ``actor``, ``target``,
        ``event_type``, ``description``, ``location``, ``country``, ``killed``,
        ``injured`` (nullable integers), and the notes behind the date and time.

    >>> e = events()
    >>> print(e[e.event_id == "EV15"][["date", "time_utc", "event_type", "killed"]].to_string(index=False))
          date                  time_utc event_type  killed
    2020-01-03 2020-01-02 21:47:00+00:00    ASSAULT      10
    """
    return _get("events")


def event_reports() -> pd.DataFrame:
    """One row per mention of an event in a source, with the verbatim evidence.

    Returns:
        DataFrame with ``event_id``, ``source_id``, ``evidence``, ``start``, ``end``.

    >>> r = event_reports()
    >>> print(r[r.event_id == "EV06"][["source_id", "start", "end"]].to_string(index=False))
               source_id  start  end
    001_f25bed13f48e0245   4619 4780
    002_aa9adbf77d299f0c   1303 1386
    """
    return _get("event_reports")


def quotes() -> pd.DataFrame:
    """Every quotation in the texts, verbatim, without its quotation marks.

    Returns:
        DataFrame with ``quote_id``, ``speaker`` (canonical name), ``speaker_role``,
        ``medium``, ``date`` (when said, NaT if unknown), ``date_basis``, ``text``,
        ``kind`` (direct, partial, term), ``cue`` (the reporting verb), ``source_id``,
        ``note``, ``start``, ``end``.

    >>> q = quotes()
    >>> print(q[q.kind == "partial"][["speaker", "medium", "text"]].to_string(index=False))
         speaker medium          text
    Ali Khamenei speech harsh revenge
    """
    return _get("quotes")


def claims() -> pd.DataFrame:
    """Predictions, assessments, recommendations and justifications, verbatim.

    Returns:
        DataFrame with ``claim_id``, ``source_id``, ``holder`` (whose claim it is),
        ``text``, ``claim_type``, ``about``, ``estimative_term`` (the hedge as written),
        ``p_low``/``p_high`` (its ICD 203 band as proportions, missing where none
        applies), ``band_basis``, ``outcome`` (for predictions), ``outcome_value``
        (1 occurred, 0 did not, missing while unresolved), ``outcome_event_id``,
        ``start``, ``end``.

    >>> c = claims()
    >>> print(c[c.claim_id.isin(["C06", "C23"])][["estimative_term", "p_low", "p_high"]].to_string(index=False))
       estimative_term  p_low  p_high
        almost certain   0.95    0.99
    all but guaranteed   0.95    0.99
    """
    return _get("claims")


def claim_links() -> pd.DataFrame:
    """Which claim supports or attacks which: ``from_claim``, ``to_claim``, ``relation``, ``note``."""
    return _get("claim_links")


def discrepancies() -> pd.DataFrame:
    """One row per (topic, source) where the sources differ, with the verbatim words.

    Returns:
        DataFrame with ``topic``, ``source_id``, ``reported``, ``value`` (the number
        where one can be read), ``qualifier`` (exactly, about, at least, more than),
        ``note``, ``start``, ``end``.

    >>> d = discrepancies()
    >>> print(d[d.topic.str.startswith("Missiles")][["source_id", "value", "qualifier"]].to_string(index=False))
               source_id  value qualifier
    000_817cee62a98404b2   12.0 more than
    001_f25bed13f48e0245   16.0   exactly
    """
    return _get("discrepancies")


def readings() -> pd.DataFrame:
    """Other defensible readings of the predictions: where each reads a probability or an outcome otherwise.

    Returns:
        DataFrame with ``reading`` (its name), ``claim_id``, ``p`` (the probability this reading
        gives, missing where it keeps the kit's), ``outcome`` (occurred, did not occur,
        unresolved or excluded; missing where it keeps the kit's) and ``why``.
        Rows of ``the kit's reading`` record the claims the kit leaves out of every score.

    >>> r = readings()
    >>> print(r[r.outcome == "excluded"][["reading", "claim_id"]].to_string(index=False))
              reading claim_id
    the kit's reading      C27
    the kit's reading      C28
    """
    return _get("readings")


def people() -> pd.DataFrame:
    """The canonical name of each person, the spellings the texts use, and where the name comes from."""
    return _get("people")


def organisations() -> pd.DataFrame:
    """Governments, agencies and groups quoted as one speaker, with their spellings and basis.

    >>> print(organisations()[["organisation", "role"]].to_string(index=False))
            organisation            role
    Trump administration U.S. government
    """
    return _get("organisations")


def map_places() -> pd.DataFrame:
    """One row per place the texts name (or point to, from cited context), as ``map/places.csv`` gives it
    (the schema's table ``map_places``; ``brink.places.places()`` is the same).

    Returns:
        DataFrame with ``place``, ``named_as`` (the source's words, verbatim in its body),
        ``source_id``, ``kind``, ``basis`` (stated or context), ``lat``, ``lon``, ``coord_cite``,
        ``context_cite`` and ``label_at`` (which side of its point the name goes).

    >>> p = places()
    >>> sorted(p.loc[p.basis == "context", "place"])
    ['Al Asad air base', 'Erbil (Irbil) air base']
    """
    return _get("map_places")


places = map_places


def guiding_questions() -> pd.DataFrame:
    """The guiding questions of the reading layer, in file order: ``source_id`` (missing for a
    question that fits every source), ``move`` and ``question``.

    >>> list(guiding_questions()["move"].cat.categories)
    ['sourcing', 'contextualisation', 'close reading', 'corroboration']
    """
    return _get("guiding_questions")


def icd203() -> pd.DataFrame:
    """The ICD 203 expressions of likelihood and their bands (proportions).

    >>> print(icd203().head(2).to_string(index=False))
                term           synonym  p_low  p_high
    almost no chance            remote   0.01    0.05
       very unlikely highly improbable   0.05    0.20
    """
    rows = [(term, synonym, low / 100, high / 100) for term, synonym, low, high in bands(data_dir()).rows]
    return pd.DataFrame(rows, columns=["term", "synonym", "p_low", "p_high"])
