"""The events in the terms of other event datasets: PLOVER (with CAMEO), an ACLED-shaped view, a TimelineJS sheet.

**PLOVER.** An event qualifies when its ``event_type`` is a PLOVER category (the kit's three
additions for happenings inside one party do not); its mode and context are coded in
``annotations/plover.csv`` with PLOVER's own terms (``vocabularies/plover_modes.csv``,
``vocabularies/plover_contexts.csv``), and its quad from ``vocabularies/plover_quads.csv``, all copied
from the PLOVER manual. The CAMEO code comes only through PLOVER's crosswalks: the manual's table of
CAMEO cue categories (``vocabularies/cameo_cues.csv``) gives the two-digit cue where the PLOVER category
has exactly one; the row-level crosswalk (``vocabularies/cameo_plover.csv``) gives a three- or four-digit
code where exactly one of its rows has the event's category, mode and context. Quotes and claims are not
exported as PLOVER events: PLOVER drops CAMEO's public statements (01) and appeals (02).

**ACLED.** The violent events (``ASSAULT``) dated to a day or a span of at most seven days, under
ACLED's column names, with ACLED's ``time_precision`` (1 the day, 2 the week) and ``geo_precision``
(1 a named place with coordinates, 3 only the country) codes; no ACLED row is included.

**TimelineJS.** One slide per event under the column headers of TimelineJS's spreadsheet template;
each slide's text quotes every report of the event, linked to its characters in the source file
(an RFC 5147 ``#char=`` fragment).
"""
from __future__ import annotations

import datetime as dt

from ..errors import DataError
from ._folder import Folder

PLOVER_FIELDS = ["event_id", "date", "enddate", "time", "actor", "recipient", "event", "mode", "context",
                 "quad", "quad_code", "cameo_cue", "cameo", "cameo_basis", "event_text", "source_id"]
ACLED_FIELDS = ["event_id_cnty", "event_date", "year", "time_precision", "actor1", "actor2", "country",
                "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities"]
TIMELINE_FIELDS = ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time",
                   "Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption",
                   "Media Thumbnail", "Type", "Group", "Background"]
PLOVER_FILE = "annotations/plover.csv"


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def _reports(folder: Folder) -> dict:
    out: dict = {}
    for r in folder.rows["event_reports"]:
        out.setdefault(r["event_id"], []).append(r)
    return out


def plover(folder: Folder) -> tuple[list[dict], list[dict]]:
    """The events in PLOVER terms, and the events left out with the reason.

    Args:
        folder: an opened data folder.
    Returns:
        ``(records, left_out)``: one dict per qualifying event (:data:`PLOVER_FIELDS`; ``mode`` and
        ``context`` joined with ``; ``), and ``{"event_id", "event_type", "why"}`` for each other event.
    Raises:
        DataError: a mode that is not one of its event type's PLOVER modes, or a context PLOVER does not
            list (file, row and column named).

    >>> from brink import data_dir
    >>> from brink.export._folder import open_folder
    >>> rec, out = plover(open_folder(data_dir()))
    >>> r = next(r for r in rec if r["event_id"] == "EV19")
    >>> r["event"], r["mode"], r["quad_code"], r["cameo_cue"], r["cameo"]
    ('MOBILIZE', 'troops', 4, '15', '')
    """
    quads = {r["event_type"]: r for r in folder.reference("vocabularies/plover_quads.csv")}
    modes: dict = {}
    for r in folder.reference("vocabularies/plover_modes.csv"):
        modes.setdefault(r["event_type"], set()).add(r["mode"])
    contexts = {r["context"] for r in folder.reference("vocabularies/plover_contexts.csv")}
    cues: dict = {}
    for r in folder.reference("vocabularies/cameo_cues.csv"):
        cues.setdefault(r["event_type"], []).append(r["cue"])
    crosswalk = folder.reference("vocabularies/cameo_plover.csv")
    coded = {}
    for i, r in enumerate(folder.rows.get("plover", []), start=1):
        coded[r["event_id"]] = (i, r)
    events = {e["event_id"]: e for e in folder.rows["events"]}
    for eid, (i, r) in coded.items():
        etype = events[eid]["event_type"]
        if etype not in quads:
            raise DataError(PLOVER_FILE, i, "event_id", f"{eid} is a {etype} event, not of a PLOVER category",
                            fix="delete the row: only events of a PLOVER category have PLOVER terms")
        for m in _split(r["mode"]):
            if m not in modes.get(etype, set()):
                raise DataError(PLOVER_FILE, i, "mode", f"{m!r} is not a PLOVER mode of {etype}",
                                fix=f"use one of {sorted(modes.get(etype, set()))} or leave it empty")
        for c in _split(r["context"]):
            if c not in contexts:
                raise DataError(PLOVER_FILE, i, "context", f"{c!r} is not a PLOVER context",
                                fix="use a context of vocabularies/plover_contexts.csv")
    reports = _reports(folder)
    records, left_out = [], []
    for e in folder.rows["events"]:
        eid, etype = e["event_id"], e["event_type"]
        if etype not in quads:
            left_out.append({"event_id": eid, "event_type": etype,
                             "why": "a kit category for a happening inside one party, which PLOVER does not code"})
            continue
        row = coded.get(eid, (0, {"mode": "", "context": ""}))[1]
        mode, context = _split(row["mode"]), _split(row["context"])
        cue_list = cues.get(etype, [])
        rows = [x for x in crosswalk if x["event_type"] == etype and _split(x["mode"]) == mode
                and set(_split(x["context"])) == set(context)]
        if len(rows) == 1:
            basis = f"crosswalk row {rows[0]['cameo']}"
        elif len(cue_list) == 1:
            basis = f"cue category {cue_list[0]}" + (f"; {len(rows)} crosswalk rows fit" if rows else "")
        else:
            basis = "cue categories " + ", ".join(cue_list) + (f"; {len(rows)} crosswalk rows fit" if rows else "")
        first = (reports.get(eid) or [{}])[0]
        records.append({
            "event_id": eid, "date": e["date"], "enddate": e["date_end"] if e["date_end"] != e["date"] else "",
            "time": e["time_stated"], "actor": e["actor"], "recipient": e["target"], "event": etype,
            "mode": "; ".join(mode), "context": "; ".join(context), "quad": quads[etype]["quad"],
            "quad_code": int(quads[etype]["quad_code"]), "cameo_cue": cue_list[0] if len(cue_list) == 1 else "",
            "cameo": rows[0]["cameo"] if len(rows) == 1 else "", "cameo_basis": basis,
            "event_text": first.get("evidence", ""), "source_id": first.get("source_id", "")})
    return records, left_out


def _places(folder: Folder) -> list[dict]:
    path = folder.path / "map" / "places.csv"
    if not path.is_file():
        return []
    return folder.reference("map/places.csv")


def acled(folder: Folder) -> tuple[list[dict], list[dict]]:
    """An ACLED-shaped view of the violent events, and the violent events left out with the reason.

    Args:
        folder: an opened data folder.
    Returns:
        ``(rows, left_out)``: one dict per event under :data:`ACLED_FIELDS`; ``{"event_id", "why"}`` per
        violent event the view cannot hold.

    >>> from brink import data_dir
    >>> from brink.export._folder import open_folder
    >>> rows, out = acled(open_folder(data_dir()))
    >>> [(r["event_id_cnty"], r["time_precision"], r["geo_precision"]) for r in rows][:2]
    [('EV05', 1, 1), ('EV15', 1, 1)]
    """
    places = _places(folder)
    labels = {r["source_id"]: r["source_id"][:3] for r in folder.rows["sources"]}
    reports = _reports(folder)
    rows, left_out = [], []
    for e in folder.rows["events"]:
        if e["event_type"] != "ASSAULT":
            continue
        start, end = dt.date.fromisoformat(e["date"]), dt.date.fromisoformat(e["date_end"])
        if e["date_precision"] == "day":
            precision = 1
        elif (end - start).days < 7:
            precision = 2
        else:
            left_out.append({"event_id": e["event_id"],
                             "why": f"dated only to a {e['date_precision']}: ACLED's time_precision has no code for it"})
            continue
        loc = e["location"]
        if ";" in e["country"]:
            left_out.append({"event_id": e["event_id"],
                             "why": "in more than one country: an ACLED row has one country"})
            continue
        hits = {p["place"]: p for p in places if loc and (p["place"] in loc or p["named_as"] == loc)}
        hits = {k: v for k, v in hits.items() if not any(k != o and k in o for o in hits)}  # the longest names
        if any(v["kind"] != "city" for v in hits.values()):  # a site (a base, an airport) before its city
            hits = {k: v for k, v in hits.items() if v["kind"] != "city"}
        if len(hits) == 1:
            place = next(iter(hits.values()))
            lat, lon, geo = place["lat"], place["lon"], 1
        elif e["country"]:
            lat, lon, geo = "", "", 3
        else:
            left_out.append({"event_id": e["event_id"], "why": "no place or country: ACLED codes a location"})
            continue
        qual = e["killed_qualifier"]
        notes = e["description"] + (f" (deaths: {qual} {e['killed']})" if e["killed"] and qual != "exactly" else "")
        rows.append({"event_id_cnty": e["event_id"], "event_date": e["date"], "year": start.year,
                     "time_precision": precision, "actor1": e["actor"], "actor2": e["target"],
                     "country": e["country"], "location": loc, "latitude": lat, "longitude": lon,
                     "geo_precision": geo,
                     "source": "; ".join(dict.fromkeys(labels[r["source_id"]] for r in reports.get(e["event_id"], []))),
                     "notes": notes, "fatalities": e["killed"]})
    return rows, left_out


def _long(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def timeline(folder: Folder) -> list[dict]:
    """A TimelineJS sheet: a title slide, then one slide per event with its verbatim evidence.

    Args:
        folder: an opened data folder.
    Returns:
        Rows under :data:`TIMELINE_FIELDS` (the template's headers), ready for ``csv.DictWriter``.

    >>> from brink import data_dir
    >>> from brink.export._folder import open_folder
    >>> s = timeline(open_folder(data_dir()))
    >>> s[0]["Type"], s[1]["Year"], s[1]["Month"], s[1]["Day"], "#char=" in s[1]["Text"]
    ('title', '2019', '5', '', True)
    """
    files = {r["source_id"]: r["file"] for r in folder.rows["sources"]}
    reports = _reports(folder)
    blank = dict.fromkeys(TIMELINE_FIELDS, "")
    out = [dict(blank, Type="title", Headline="Events the texts report",
                Text="Each slide quotes the texts word for word; each quotation links to its characters in the source file.")]
    for e in folder.rows["events"]:
        start, end = dt.date.fromisoformat(e["date"]), dt.date.fromisoformat(e["date_end"])
        p = e["date_precision"]
        row = dict(blank, Year=str(start.year), Headline=e["description"], Group=e["actor"],
                   **{"Media Credit": e["event_id"]})
        if p in ("day", "range", "season"):
            row.update(Month=str(start.month), Day=str(start.day))
        elif p == "month":
            row.update(Month=str(start.month))
        if end != start:
            row["End Year"] = str(end.year)
            if p != "year":
                row.update({"End Month": str(end.month)})
                if p != "month":
                    row.update({"End Day": str(end.day)})
        shown = {"day": _long(start), "month": f"{start:%B %Y}", "year": str(start.year)}.get(
            p, f"{_long(start)} to {_long(end)}")
        if e["time_stated"]:
            shown += f", {e['time_stated'][11:16]} local time"
        row["Display Date"] = shown
        quotes = []
        for r in reports.get(e["event_id"], []):
            if r["start"] == "":
                continue
            base = folder.bodies[r["source_id"]][0]
            s, t = base + int(r["start"]), base + int(r["end"])
            quotes.append(f'<blockquote>“{r["evidence"]}”</blockquote><p>{r["source_id"][:3]}, '
                          f'<a href="sources/{files[r["source_id"]]}#char={s},{t}">characters {s}–{t}</a></p>')
        row["Text"] = "".join(quotes)
        out.append(row)
    return out
