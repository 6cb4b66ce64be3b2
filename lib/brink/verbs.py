"""Small verbs: each takes a table and returns a new one, never changing its input."""
from __future__ import annotations

import pandas as pd


def in_window(table: pd.DataFrame, start: str, end: str, column: str = "date") -> pd.DataFrame:
    """Rows whose ``column`` falls between ``start`` and ``end`` (inclusive).

    Args:
        table: any table with a datetime column.
        start, end: dates as ``YYYY-MM-DD``.
        column: the column to compare.
    Returns:
        A new table with the matching rows, index reset.

    >>> from brink import events
    >>> week = in_window(events(), "2020-01-03", "2020-01-09")
    >>> print(week[["event_id", "event_type"]].head(3).to_string(index=False))
    event_id event_type
        EV14   MOVEMENT
        EV15    ASSAULT
        EV16    REQUEST
    """
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    keep = table[column].between(lo, hi)
    return table[keep].reset_index(drop=True).copy()


def local_times(events: pd.DataFrame, zones: dict) -> pd.DataFrame:
    """Add one column per named time zone: the local date and time of each clock-timed event.

    Args:
        events: a table with a tz-aware ``time_utc`` column.
        zones: column name -> IANA zone, e.g. ``{"Baghdad": "Asia/Baghdad"}``.
    Returns:
        A new table with the timed rows only and one text column per zone.

    >>> from brink import events
    >>> t = local_times(events(), {"Washington": "America/New_York", "Baghdad": "Asia/Baghdad"})
    >>> print(t[t.event_id == "EV15"][["Washington", "Baghdad"]].to_string(index=False))
          Washington          Baghdad
    2020-01-02 16:47 2020-01-03 00:47
    """
    out = events[events["time_utc"].notna()].reset_index(drop=True).copy()
    for name, zone in zones.items():
        out[name] = out["time_utc"].dt.tz_convert(zone).dt.strftime("%Y-%m-%d %H:%M").astype("string")
    return out


def with_evidence(table: pd.DataFrame, reports: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Join each event to its first piece of evidence and that source's label.

    Args:
        table: events (``event_id``).
        reports: event reports (``event_id``, ``source_id``, ``evidence``, ``start``).
        sources: sources (``source_id``, ``label``).
    Returns:
        A new table: the events with ``evidence``, ``source_label`` and ``n_sources``.
    """
    first = (reports.sort_values(["event_id", "source_id", "start"])
             .drop_duplicates("event_id")[["event_id", "source_id", "evidence"]])
    first = first.merge(sources[["source_id", "label"]], on="source_id").rename(columns={"label": "source_label"})
    counts = reports.groupby("event_id")["source_id"].nunique().rename("n_sources").reset_index()
    out = table.merge(first.drop(columns="source_id"), on="event_id", how="left")
    return out.merge(counts, on="event_id", how="left")


def canonical_name(spelling: str, people: pd.DataFrame) -> str:
    """The canonical name for a spelling found in the texts.

    >>> from brink import people
    >>> canonical_name("Suleimani", people())
    'Qassem Soleimani'
    """
    for person, spellings in zip(people["person"], people["spellings"]):
        if spelling == person or spelling in str(spellings).split("|"):
            return person
    raise KeyError(f"no person is spelled {spelling!r}; see people() for the canonical names")
