"""The rules of a moment: which rows of the kit's tables had been published, and had happened, by then.

The data wing's half of ``brink.as_of`` (``brink.analysis.as_of``): the moment a running
``with brink.as_of(...)`` block holds, and the limiting of the loaded tables to it, so the loaders ask
nothing of the layers above them.

The rules (one source of truth: this module; the codebook, ``data/README.md`` § "As of a moment", states them):

* **A date without a clock time counts as ending at 24:00 UTC of its last day**, so a row dated by it
  appears only once that day is wholly past. A clock time counts as that instant. A cut-off given as a
  date alone follows the same rule: ``as_of("2020-01-02")`` is the moment 2020-01-03 00:00 UTC.
* **Text rows appear once their source is published**: a source (its ``published`` date, by the rule
  above), its fields and body, and every row of every table with a ``source_id`` column (event reports,
  quotes, claims, disputed figures, places, guiding questions written for it). A quote also waits for its
  own date; a link between claims waits for both claims; a person or organisation waits for a published
  text that names them (one of their spellings).
* **An event appears once it has happened**: its clock time if it has one, else the end of its last
  day (``date_end``). Rows pointing to an event (``event_id``) wait for it.
* **An outcome appears once its resolving event has happened.** A prediction's ``outcome_value`` of 1
  waits for its ``outcome_event_id``; a 0 ("did not occur within the texts' horizon") also waits for the
  horizon, the latest text's publication, because that text is what shows it had not happened. Until then
  the prediction is unresolved (``outcome_value`` missing, its note ``unresolved: not yet known as of …``),
  and the other readings of that outcome wait with it.
* **An outcome's note appears with the horizon.** The note is what the later texts report (the codebook's
  meaning of ``outcome``), so before the latest text is published a settled prediction's note names only
  the event that settled it (``SETTLED``), never words of a text not yet published.

>>> cutoff_moment("2020-01-02")
Timestamp('2020-01-03 00:00:00+0000', tz='UTC')
>>> current() is None                  # outside every ``with brink.as_of(...)`` block
True
"""
from __future__ import annotations

import contextvars
import datetime as _dt
import re

import pandas as pd

#: the moment the loaders are limited to, inside ``with as_of(...)``; ``None`` outside every block
_CUTOFF: contextvars.ContextVar[pd.Timestamp | None] = contextvars.ContextVar("brink_as_of", default=None)
#: what an unresolved prediction's note says, as of a moment
NOT_YET = "unresolved: not yet known as of {when}"
#: what a settled prediction's note says before the horizon (its own note is written from the later texts)
SETTLED = ("occurred: {event} had happened by {when}; the kit's note, written from the later texts, "
           "appears once the latest is published")
_memo: dict = {}
_MOMENT = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})(?:[ T](?P<clock>\d{2}:\d{2}(?::\d{2})?))?"
                     r"\s*(?P<zone>UTC|Z|[+-]\d{2}:?\d{2})?$")


def cutoff_moment(when) -> pd.Timestamp:
    """The UTC instant a cut-off names, by the kit's date rule.

    Args:
        when: a string (``"2020-01-03 00:00 UTC"``, ``"2020-01-02T21:00Z"``, ``"2020-01-02"``), a
            ``datetime``/``date`` or a ``pandas.Timestamp``. A clock time without a zone is UTC; a date
            without a clock time counts as ending at 24:00 UTC of that day.
    Returns:
        A tz-aware ``pandas.Timestamp`` in UTC.
    Raises:
        ValueError: in one line, naming the value, when it is not a date or moment.

    >>> cutoff_moment("2020-01-02")
    Timestamp('2020-01-03 00:00:00+0000', tz='UTC')
    >>> cutoff_moment("2020-01-02 21:00")
    Timestamp('2020-01-02 21:00:00+0000', tz='UTC')
    >>> cutoff_moment("2 January")
    Traceback (most recent call last):
    ValueError: as_of: '2 January' is not a date or moment; write it like 2020-01-03 or 2020-01-03 00:00 UTC
    """
    date_only = False
    if isinstance(when, pd.Timestamp):
        ts = when
    elif isinstance(when, _dt.datetime):
        ts = pd.Timestamp(when)
    elif isinstance(when, _dt.date):
        ts, date_only = pd.Timestamp(when), True
    else:
        text = str(when).strip()
        m = _MOMENT.match(text)
        if not m:
            raise ValueError(f"as_of: {when!r} is not a date or moment; write it like 2020-01-03 "
                             "or 2020-01-03 00:00 UTC")
        try:
            ts = pd.Timestamp(m["day"] + ("T" + m["clock"] if m["clock"] else "")
                              + ("Z" if m["zone"] in ("UTC", "Z") else (m["zone"] or "")))
        except ValueError:
            raise ValueError(f"as_of: {when!r} is not a real date or moment; write it like 2020-01-03 "
                             "or 2020-01-03 00:00 UTC") from None
        date_only = not m["clock"]
    if pd.isna(ts):
        raise ValueError(f"as_of: {when!r} is not a date or moment; write it like 2020-01-03 or 2020-01-03 00:00 UTC")
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts + pd.Timedelta(days=1) if date_only else ts


def day_end(dates) -> pd.Series:
    """When rows dated by a day (no clock time) count as wholly past: 24:00 UTC of that day.

    Args:
        dates: a Series of dates (datetime64, no zone; missing stays missing).
    Returns:
        A new Series of UTC instants.

    >>> day_end(pd.Series(pd.to_datetime(["2020-01-03"]))).iloc[0]
    Timestamp('2020-01-04 00:00:00+0000', tz='UTC')
    """
    d = pd.to_datetime(pd.Series(dates)).dt.normalize()
    return (d + pd.Timedelta(days=1)).dt.tz_localize("UTC")


def known_at(events: pd.DataFrame) -> pd.Series:
    """When each event had happened: its clock time, else the end of its last day.

    Args:
        events: the events table (``time_utc``, ``date_end``, ``date``).
    Returns:
        A new Series of UTC instants, on the table's index.
    """
    last = events["date_end"].where(events["date_end"].notna(), events["date"])
    return events["time_utc"].where(events["time_utc"].notna(), day_end(last).set_axis(events.index))


def published_at(sources: pd.DataFrame) -> pd.Series:
    """When each source had been published: the end of its ``published`` day (``source_id`` -> instant).

    Args:
        sources: the loaded sources table (``source_id``, ``published``).
    Returns:
        A new Series indexed by ``source_id``; a source without a date counts as never published.
    """
    when = day_end(sources["published"]).set_axis(sources["source_id"])
    return when.fillna(pd.Timestamp.max.tz_localize("UTC"))


def limit(tables: dict, cutoff: pd.Timestamp) -> dict:
    """The loaded tables as of a moment (``tables`` is what the loaders build; it is not changed).

    Args:
        tables: table name -> DataFrame, with ``_bodies`` (source id -> body) and ``sources_view``.
        cutoff: a UTC instant (``cutoff_moment``).
    Returns:
        A new dict of new tables, each holding only the rows the module's rules let appear.
    """
    key = (id(tables), cutoff)
    if key in _memo:
        return _memo[key][1]
    out = _limit(tables, cutoff)
    _memo.clear()
    _memo[key] = (tables, out)   # holds ``tables`` so its id is not reused while the entry stands
    return out


def _limit(t: dict, cutoff: pd.Timestamp) -> dict:
    published = published_at(t["sources_view"])
    shown = set(published.index[published <= cutoff])
    horizon_past = bool(len(published)) and published.max() <= cutoff
    ev = t["events"]
    happened = set(ev.loc[known_at(ev) <= cutoff, "event_id"])
    bodies = {s: b for s, b in t["_bodies"].items() if s in shown}
    out: dict = {"_bodies": bodies}
    for name, frame in t.items():
        if name.startswith("_"):
            continue
        keep = pd.Series(True, index=frame.index)
        if "source_id" in frame.columns:
            keep &= frame["source_id"].isna() if name == "guiding_questions" else False
            keep |= frame["source_id"].isin(shown)
        if "event_id" in frame.columns:
            keep &= frame["event_id"].isna() | frame["event_id"].isin(happened)
        out[name] = frame[keep].copy()
    ev_out = out["events"]
    out["events"] = ev_out[known_at(ev_out) <= cutoff]
    q = out["quotes"]
    out["quotes"] = q[q["date"].isna() | (day_end(q["date"]).set_axis(q.index) <= cutoff)]
    out["claims"] = _claims(out["claims"], happened, horizon_past, cutoff)
    claim_ids = set(out["claims"]["claim_id"])
    links = out["claim_links"]
    out["claim_links"] = links[links["from_claim"].isin(claim_ids) & links["to_claim"].isin(claim_ids)]
    cl = out["claims"]
    open_ = set(cl.loc[cl["claim_type"].eq("prediction") & cl["outcome_value"].isna(), "claim_id"])
    r = out["readings"]
    sets_outcome = r["outcome"].notna() & (r["outcome"] != "excluded")
    out["readings"] = r[r["claim_id"].isin(claim_ids) & ~(sets_outcome & r["claim_id"].isin(open_))]
    text = "\n".join(bodies.values())
    for name, col in (("people", "spellings"), ("organisations", "spellings")):
        frame = out[name]
        named = [any(s and s in text for s in str(sp).split("|")) for sp in frame[col]]
        out[name] = frame[pd.Series(named, index=frame.index, dtype=bool)]
    return {k: (v.reset_index(drop=True) if isinstance(v, pd.DataFrame) else v) for k, v in out.items()}


def _claims(cl: pd.DataFrame, happened: set, horizon_past: bool, cutoff: pd.Timestamp) -> pd.DataFrame:
    cl = cl.copy()
    o = cl["outcome_value"]
    event = cl["outcome_event_id"]
    event_ok = event.isna() | event.isin(happened)
    known = o.notna() & event_ok & ((o == 1) & event.notna() | (o == 0) & horizon_past)
    hide = cl["claim_type"].eq("prediction") & o.notna() & ~known.fillna(False).astype(bool)
    when = f"{cutoff:%Y-%m-%d %H:%M} UTC"
    if hide.any():
        cl.loc[hide, "outcome_value"] = pd.NA
        cl.loc[hide, "outcome_event_id"] = pd.NA
        cl.loc[hide, "outcome"] = NOT_YET.format(when=when)
    if not horizon_past:
        # a 0 waits for the horizon, so every outcome still shown here is an occurred one with its event
        settled = cl["claim_type"].eq("prediction") & ~hide & o.notna()
        for i in cl.index[settled]:
            cl.loc[i, "outcome"] = SETTLED.format(event=cl.loc[i, "outcome_event_id"], when=when)
    return cl


def current() -> pd.Timestamp | None:
    """The moment of the innermost ``with as_of(...)`` block running now, or ``None`` outside every block."""
    return _CUTOFF.get()
