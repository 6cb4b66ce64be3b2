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
        A new table: the events with ``evidence``, ``source_label`` and ``n_sources`` (an ``int64``
        count of the texts reporting the event; an event no text reports has no evidence, no label
        and 0 sources).

    >>> from brink import event_reports, events, sources
    >>> ev = with_evidence(events(), event_reports(), sources())
    >>> str(ev["n_sources"].dtype), int(ev.loc[ev.event_id == "EV15", "n_sources"].iloc[0])
    ('int64', 3)
    >>> unreported = with_evidence(events(), event_reports().head(0), sources())
    >>> bool(unreported["evidence"].isna().all()), str(unreported["n_sources"].dtype), set(unreported["n_sources"])
    (True, 'int64', {0})
    """
    first = (reports.sort_values(["event_id", "source_id", "start"])
             .drop_duplicates("event_id")[["event_id", "source_id", "evidence"]])
    first = first.merge(sources[["source_id", "label"]], on="source_id").rename(columns={"label": "source_label"})
    counts = reports.groupby("event_id")["source_id"].nunique().rename("n_sources").reset_index()
    out = table.merge(first.drop(columns="source_id"), on="event_id", how="left")
    out = out.merge(counts, on="event_id", how="left")
    out["n_sources"] = out["n_sources"].fillna(0).astype("int64")
    return out


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


def event_row(events: pd.DataFrame, key: str) -> pd.Series:
    """One event, named by its ``event_id`` or by its ``role`` ("airport strike").

    Args:
        events: the events table.
        key: an event id or a role.
    Returns:
        The event's row.
    Raises:
        KeyError: no event has that id or role.

    >>> from brink import events
    >>> event_row(events(), "airport strike")["event_id"]
    'EV15'
    """
    hit = events[(events["event_id"] == key) | (events["role"] == key)]
    if hit.empty:
        roles = sorted(str(r) for r in events["role"].dropna())
        raise KeyError(f"no event has the id or role {key!r}; roles: {roles}")
    return hit.iloc[0]


def local_date(event: pd.Series, zone: str) -> pd.Timestamp:
    """The calendar date of an event in one time zone, from its UTC instant.

    Args:
        event: an event row with ``time_utc``.
        zone: an IANA zone, e.g. ``"Asia/Baghdad"``.
    Returns:
        The date (midnight, no zone).
    Raises:
        ValueError: the event has no clock time, so its date in another zone is unknown.
    """
    if pd.isna(event["time_utc"]):
        raise ValueError(f"{event['event_id']} has no clock time: its date in {zone} cannot be computed")
    return event["time_utc"].tz_convert(zone).tz_localize(None).normalize()


def days_between(events: pd.DataFrame, first: str, second: str, zone: str,
                 second_zone: str | None = None) -> int:
    """Calendar days from one event to another, each dated from its instant in a time zone.

    With one zone the count is in one calendar. ``second_zone`` reads the second event in
    another calendar: that is how a count comes out a day short or long.

    Args:
        events: the events table.
        first, second: event ids or roles.
        zone: the IANA zone to date both events in (or the first, if ``second_zone`` is given).
        second_zone: the zone to date the second event in.
    Returns:
        The whole days between the two dates.

    >>> from brink import events
    >>> e = events()
    >>> days_between(e, "airport strike", "missile strike", "America/New_York")
    5
    >>> days_between(e, "airport strike", "missile strike", "Asia/Baghdad")
    5
    >>> days_between(e, "airport strike", "missile strike", "Asia/Baghdad", "America/New_York")
    4
    """
    a = local_date(event_row(events, first), zone)
    b = local_date(event_row(events, second), second_zone or zone)
    return int((b - a).days)


def days_after(events: pd.DataFrame, event: str, day, zone: str) -> tuple[int, int]:
    """Calendar days from an event to a calendar date (a publication date), both in one calendar.

    The date is read in ``zone``'s calendar (a newspaper's publication date is a date where it is
    published). An event with a clock time is dated from its instant in that zone, so the count is
    exact: ``low == high``. An event without one has only its local date where it happened: exact in
    the calendar of its own country (``vocabularies/time_zones.csv`` gives each zone's country), and
    in another calendar a range, one day either side.
    Every day count the kit states about a source's date is computed here, never typed.

    Args:
        events: the events table.
        event: an event id or role.
        day: the calendar date (anything ``pd.Timestamp`` reads).
        zone: the IANA zone whose calendar ``day`` is in.
    Returns:
        ``(low, high)``: the whole days from the event's date to ``day``.

    >>> from brink import events
    >>> e = events()
    >>> days_after(e, "airport strike", "2020-01-11", "America/New_York")
    (9, 9)
    >>> days_after(e, "airport strike", "2020-01-11", "Asia/Baghdad")
    (8, 8)
    >>> days_after(e, "K1 attack", "2020-01-11", "America/New_York")
    (14, 16)
    >>> days_after(e, "K1 attack", "2020-01-11", "Asia/Baghdad")
    (15, 15)
    """
    row = event_row(events, event)
    target = pd.Timestamp(day).normalize()
    if pd.isna(row["time_utc"]):
        from .dataset import vocabularies
        n = int((target - pd.Timestamp(row["date"]).normalize()).days)
        own = {r["zone"] for r in vocabularies.rows("time_zone") if r.get("country") and r["country"] == row["country"]}
        return (n, n) if zone in own else (n - 1, n + 1)
    n = int((target - local_date(row, zone)).days)
    return n, n


def day_count(low: int, high: int) -> str:
    """The words for a count from ``days_after`` or ``days_between``: "9 days", "14 to 16 days",
    "the same day", "1 day".

    >>> day_count(9, 9), day_count(14, 16), day_count(0, 0), day_count(1, 1), day_count(0, 1)
    ('9 days', '14 to 16 days', 'the same day', '1 day', '0 to 1 days')
    """
    if low == high:
        return "the same day" if low == 0 else f"{low} day" if abs(low) == 1 else f"{low} days"
    return f"{low} to {high} days"


def corroboration(reports: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """For each event, how many texts report it and how many organisations those are.

    Two texts from one newsroom are one source. An organisation is whoever the sources
    table's ``newsroom`` field names: a newsroom, or a policy organisation such as Crisis
    Group, which reports no event it witnessed. So two organisations are not yet
    corroboration: whether their reporting is independent (not both relaying the same
    official statement), and whether each could know, the table cannot show.

    Args:
        reports: event reports (``event_id``, ``source_id``).
        sources: sources (``source_id``, ``newsroom``).
    Returns:
        A new table: ``event_id``, ``texts``, ``organisations``, ``reported_by`` (the
        organisations, joined by ``; ``) and ``two_organisations`` (two or more).

    >>> r = pd.DataFrame({"event_id": ["E1", "E1", "E2", "E2"], "source_id": ["a", "b", "a", "c"]})
    >>> s = pd.DataFrame({"source_id": ["a", "b", "c"], "newsroom": ["Times", "Times", "Group"]})
    >>> print(corroboration(r, s).to_string(index=False))
    event_id  texts  organisations  reported_by  two_organisations
          E1      2              1        Times              False
          E2      2              2 Group; Times               True
    """
    j = reports[["event_id", "source_id"]].drop_duplicates().merge(sources[["source_id", "newsroom"]], on="source_id")
    g = j.groupby("event_id")
    out = pd.DataFrame({
        "texts": g["source_id"].nunique(),
        "organisations": g["newsroom"].nunique(),
        "reported_by": g["newsroom"].agg(lambda x: "; ".join(sorted(set(map(str, x))))),
    }).reset_index()
    out["two_organisations"] = out["organisations"] >= 2
    for c in ("texts", "organisations"):
        out[c] = out[c].astype("Int64")
    out["reported_by"] = out["reported_by"].astype("string")
    return out
