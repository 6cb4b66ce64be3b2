"""The kit's tables: one loader per table, each returning a fresh pandas DataFrame.

Every loader reads the hand-coded files in ``data/annotations/``, checks them (types,
vocabularies, ids, references, and every verbatim span at its offsets) and validates
the result with a pandera schema. Tables are built once per data folder and cached;
each call returns a deep copy, so a caller can change what it gets without
changing what the next caller sees.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

from . import vocab
from ._loading import Col, Spec, check_refs, check_spans, load
from ._paths import data_dir
from .errors import DataError

SPECS = {
    "sources": Spec("annotations/sources.csv", (
        Col("source_id", required=True, unique=True), Col("file", required=True),
        Col("body_start", "int", required=True), Col("body_end", "int", required=True), Col("note"))),
    "source_fields": Spec("annotations/source_fields.csv", (
        Col("source_id", required=True),
        Col("field", required=True, vocab=("title", "outlet", "published", "genre", "authors", "newsroom")),
        Col("value"), Col("basis", required=True, vocab=tuple(vocab.FIELD_BASIS)), Col("support"),
        Col("start", "int"), Col("end", "int")),
        refs={"source_id": "sources"}, span=("support", "source_id")),
    "events": Spec("annotations/events.csv", (
        Col("event_id", required=True, unique=True), Col("role"), Col("date", "date", required=True),
        Col("date_end", "date", required=True),
        Col("date_precision", required=True, vocab=tuple(vocab.DATE_PRECISION)),
        Col("date_basis", required=True, vocab=tuple(vocab.DATE_BASIS)), Col("date_note"),
        Col("time_stated", "instant"), Col("time_basis"),
        Col("actor", required=True, vocab=tuple(vocab.ACTORS)), Col("target"),
        Col("event_type", required=True, vocab=tuple(vocab.EVENT_TYPES)),
        Col("description", required=True), Col("location"), Col("country"),
        Col("killed", "int"), Col("killed_qualifier", vocab=tuple(vocab.QUALIFIERS)), Col("injured", "int"),
        Col("injured_qualifier", vocab=tuple(vocab.QUALIFIERS)), Col("context_cite"))),
    "event_reports": Spec("annotations/event_reports.csv", (
        Col("event_id", required=True), Col("source_id", required=True), Col("evidence", required=True),
        Col("start", "int", required=True), Col("end", "int", required=True)),
        refs={"event_id": "events", "source_id": "sources"}, span=("evidence", "source_id")),
    "quotes": Spec("annotations/quotes.csv", (
        Col("quote_id", required=True, unique=True), Col("speaker", required=True), Col("speaker_role"),
        Col("medium", required=True, vocab=tuple(vocab.MEDIA)), Col("date", "date"),
        Col("date_basis", vocab=tuple(vocab.DATE_BASIS)), Col("text", required=True),
        Col("kind", required=True, vocab=tuple(vocab.QUOTE_KINDS)), Col("cue"),
        Col("source_id", required=True), Col("note"),
        Col("start", "int", required=True), Col("end", "int", required=True)),
        refs={"source_id": "sources"}, span=("text", "source_id")),
    "claims": Spec("annotations/claims.csv", (
        Col("claim_id", required=True, unique=True), Col("source_id", required=True),
        Col("holder", required=True), Col("voice", required=True, vocab=("own", "attributed")),
        Col("text", required=True),
        Col("claim_type", required=True, vocab=tuple(vocab.CLAIM_TYPES)), Col("about", required=True),
        Col("estimative_term"), Col("band_basis"), Col("outcome"), Col("outcome_value", "int"),
        Col("outcome_event_id"), Col("start", "int", required=True), Col("end", "int", required=True)),
        refs={"source_id": "sources", "outcome_event_id": "events"}, span=("text", "source_id")),
    "claim_links": Spec("annotations/claim_links.csv", (
        Col("from_claim", required=True), Col("to_claim", required=True),
        Col("relation", required=True, vocab=("supports", "attacks")), Col("note")),
        refs={"from_claim": "claims", "to_claim": "claims"}),
    "discrepancies": Spec("annotations/discrepancies.csv", (
        Col("topic", required=True), Col("event_id"), Col("source_id", required=True), Col("reported", required=True),
        Col("value", "float"), Col("qualifier", vocab=tuple(vocab.QUALIFIERS)),
        Col("relation", required=True, vocab=("contradiction", "precision", "wording")), Col("note"),
        Col("start", "int", required=True), Col("end", "int", required=True)),
        refs={"source_id": "sources", "event_id": "events"}, span=("reported", "source_id")),
    "readings": Spec("annotations/readings.csv", (
        Col("reading", required=True), Col("claim_id", required=True), Col("p", "float"),
        Col("outcome", vocab=("occurred", "did not occur", "unresolved", "excluded")), Col("why", required=True)),
        refs={"claim_id": "claims"}),
    "people": Spec("annotations/people.csv", (
        Col("person", required=True, unique=True), Col("role"), Col("spellings", required=True),
        Col("basis", required=True, vocab=("stated", "context")), Col("context_cite"))),
}
ID_COLUMN = {"sources": "source_id", "events": "event_id", "claims": "claim_id"}
_DATE_LINE = re.compile(r"\s*date (\d{4}-\d{2}-\d{2})\s+")


def _file(name: str) -> str:
    return "data/" + SPECS[name].file


def _bodies(folder: Path, src: pd.DataFrame) -> dict:
    bodies = {}
    for i, r in enumerate(src.itertuples(index=False), start=1):
        path = folder / "sources" / r.file
        if not path.is_file():
            raise DataError(_file("sources"), i, "file", f"no source text at data/sources/{r.file}")
        text = path.read_text(encoding="utf-8")
        if not 0 <= r.body_start <= r.body_end <= len(text):
            raise DataError(_file("sources"), i, "body_end", f"outside the text (0..{len(text)})")
        bodies[r.source_id] = text[r.body_start:r.body_end]
    return bodies


def _rule(ok, name: str, i: int, col: str, problem: str) -> None:
    if not ok:
        raise DataError(_file(name), i, col, problem)


def _coding_rules(t: dict) -> None:
    """Rules that span columns (the codebook states each)."""
    for i, r in enumerate(t["events"].itertuples(index=False), start=1):
        _rule(r.date_end >= r.date, "events", i, "date_end", "ends before it starts")
        _rule(r.date_precision not in ("day",) or r.date_end == r.date, "events", i, "date_end",
              "a day-precision event ends on its date")
        _rule(r.date_basis != "context" or not pd.isna(r.context_cite), "events", i, "context_cite",
              "a date taken from context needs a citation")
        _rule(pd.isna(r.time_stated) or not pd.isna(r.time_basis), "events", i, "time_basis",
              "a clock time needs its basis")
    roles = set()
    for i, r in enumerate(t["events"].itertuples(index=False), start=1):
        _rule(pd.isna(r.role) or r.role not in roles, "events", i, "role", f"a second event with the role {r.role!r}")
        roles.add(r.role)
        for col in ("killed", "injured"):
            _rule(pd.isna(getattr(r, col)) or not pd.isna(getattr(r, f"{col}_qualifier")), "events", i,
                  f"{col}_qualifier", "a figure needs its qualifier (exactly, about, at least, more than)")
    for i, r in enumerate(t["people"].itertuples(index=False), start=1):
        _rule(r.basis != "context" or not pd.isna(r.context_cite), "people", i, "context_cite",
              "a name taken from context needs a citation")
    for i, r in enumerate(t["source_fields"].itertuples(index=False), start=1):
        _rule(r.basis == "not stated" or not pd.isna(r.value), "source_fields", i, "value",
              "a field that is stated, inferred or from context needs a value")
        _rule(r.basis != "context" or str(r.support).startswith("http"), "source_fields", i, "support",
              "a field from context cites an address")
    seen = set()
    for i, r in enumerate(t["discrepancies"].itertuples(index=False), start=1):
        _rule((r.topic, r.source_id) not in seen, "discrepancies", i, "source_id",
              f"a second row for topic {r.topic!r} and this source")
        seen.add((r.topic, r.source_id))
    people = set(t["people"]["person"])
    for i, r in enumerate(t["claims"].itertuples(index=False), start=1):
        if not pd.isna(r.band_basis):
            _band(r.estimative_term, r.band_basis, i)
        _rule(r.claim_type == "prediction" or pd.isna(r.outcome), "claims", i, "outcome",
              "only predictions have an outcome")
        _rule(r.claim_type != "prediction" or not pd.isna(r.outcome), "claims", i, "outcome",
              "a prediction needs an outcome (or 'unresolved: …')")
        _rule(pd.isna(r.outcome_value) or r.outcome_value in (0, 1), "claims", i, "outcome_value",
              "1 (occurred) or 0 (did not occur), empty while unresolved")
    for i, r in enumerate(t["quotes"].itertuples(index=False), start=1):
        _rule(r.speaker in people or r.speaker in ("Trump administration",), "quotes", i, "speaker",
              f"{r.speaker!r} is not a canonical name in people.csv")


def _band(term, basis: str, row: int) -> tuple[float, float]:
    """The ICD 203 band of an estimative term, given how the kit mapped it."""
    names = {}
    for a, b, lo, hi in vocab.ICD203:
        names[a] = names[b] = (lo / 100, hi / 100)
    if basis == "ICD 203 term":
        key = vocab.ICD203_FORMS.get(str(term).lower(), str(term).lower())
    elif basis.startswith("nearest ICD 203 term: "):
        key = basis.removeprefix("nearest ICD 203 term: ").split(" (")[0]
    else:
        raise DataError(_file("claims"), row, "band_basis",
                        "'ICD 203 term' or 'nearest ICD 203 term: <term> (…)'")
    if key not in names:
        raise DataError(_file("claims"), row, "estimative_term" if basis == "ICD 203 term" else "band_basis",
                        f"{key!r} is not an ICD 203 expression of likelihood")
    return names[key]


@functools.lru_cache(maxsize=4)
def _build(folder_name: str) -> dict:
    folder = Path(folder_name)
    t = {name: load(spec, folder) for name, spec in SPECS.items()}
    known = {name: set(t[name][col]) for name, col in ID_COLUMN.items()}
    for name, spec in SPECS.items():
        check_refs(spec, t[name], folder, known)
    bodies = _bodies(folder, t["sources"])
    for name, spec in SPECS.items():
        if spec.span:
            check_spans(spec, t[name], folder, bodies)
    _coding_rules(t)
    t["_bodies"] = bodies
    return _derive(t)


def _derive(t: dict) -> dict:
    fields = t["source_fields"].pivot(index="source_id", columns="field", values="value")
    src = t["sources"][["source_id"]].copy()
    for f in ("title", "outlet", "authors"):
        src[f] = pd.array(src["source_id"].map(fields[f]), dtype="string")
    # one newsroom, one voice: without a newsroom field a source counts as its outlet, else as itself
    room = src["source_id"].map(fields["newsroom"]) if "newsroom" in fields else pd.Series(pd.NA, index=src.index)
    room = room.fillna(src["outlet"].astype(object)).fillna(src["source_id"])
    src["newsroom"] = pd.array(room, dtype="string")
    src["published"] = pd.to_datetime(src["source_id"].map(fields["published"])).astype("datetime64[ns]")
    src["genre"] = pd.Categorical(src["source_id"].map(fields["genre"]), categories=vocab.GENRES)
    src["n_words"] = pd.array([len(t["_bodies"][s].split()) for s in src["source_id"]], dtype="Int64")
    src["label"] = pd.array([f"{s[:3]} {g}" for s, g in zip(src["source_id"], src["genre"])], dtype="string")
    t["sources_view"] = src

    ev = t["events"].rename(columns={"time_stated": "time_utc"})
    order = ["event_id", "role", "date", "date_end", "date_precision", "date_basis", "time_utc", "actor", "target",
             "event_type", "description", "location", "country", "killed", "killed_qualifier", "injured",
             "injured_qualifier", "date_note", "time_basis", "context_cite"]
    t["events"] = ev[order]

    cl = t["claims"]
    bands = [(_band(term, basis, i) if not pd.isna(basis) else (None, None))
             for i, (term, basis) in enumerate(zip(cl["estimative_term"], cl["band_basis"]), start=1)]
    cl.insert(cl.columns.get_loc("band_basis"), "p_low", pd.array([b[0] for b in bands], dtype="Float64"))
    cl.insert(cl.columns.get_loc("band_basis"), "p_high", pd.array([b[1] for b in bands], dtype="Float64"))
    return t


def _get(name: str) -> pd.DataFrame:
    return _build(str(data_dir().resolve()))[name].copy(deep=True)


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
    bodies = _build(str(data_dir().resolve()))["_bodies"]
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


def icd203() -> pd.DataFrame:
    """The ICD 203 expressions of likelihood and their bands (proportions).

    >>> print(icd203().head(2).to_string(index=False))
                term           synonym  p_low  p_high
    almost no chance            remote   0.01    0.05
       very unlikely highly improbable   0.05    0.20
    """
    rows = [(a, b, lo / 100, hi / 100) for a, b, lo, hi in vocab.ICD203]
    return pd.DataFrame(rows, columns=["term", "synonym", "p_low", "p_high"])


def metadata_date(raw_text: str) -> str | None:
    """The date a metadata line before the body gives, if any.

    >>> metadata_date(" date 2020-01-11 The hours")
    '2020-01-11'
    """
    m = _DATE_LINE.match(raw_text)
    return m.group(1) if m else None
