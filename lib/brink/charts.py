"""Chart builders for the notebooks: each takes tables and returns a new Altair chart.

Every chart function ``foo`` has a companion ``foo_table`` with the same arguments: the
rows the chart draws, with everything its tooltips show, for a reader who does not use
a mouse (lessons show it beside the chart). The chart is built from that table, so the
two cannot disagree. Every chart has a title, labelled axes and a ``description`` that
screen readers announce; each mark carries its own description with dates written as
dates ("3 January 2020"). No meaning is carried by colour alone (lanes, shapes, signs and
direct labels say it too) and every colour has at least 3:1 contrast on white
(WCAG 2 relative luminance, see ``contrast_ratio``). Nothing here changes Altair's
settings or the input tables.
"""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from . import vocab

#: Okabe & Ito's colour-blind-safe hues, with the three that fall under 3:1 on white
#: (#E69F00, #56B4E9, #F0E442) replaced by darker colours that pass.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#000000", "#5E4FA2", "#767676"]


def actor_colours() -> dict:
    """Actor -> colour, for the actors of the data folder's vocabulary (read when a chart is drawn)."""
    return {a: PALETTE[i % len(PALETTE)] for i, a in enumerate(vocab.ACTORS)}


#: one distinct marker per event type that can occur on a single day
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right",
          "triangle-left",
          "M0,-1L0.22,-0.31L0.95,-0.31L0.36,0.12L0.59,0.81L0,0.38L-0.59,0.81L-0.36,0.12L-0.95,-0.31L-0.22,-0.31Z",
          "M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6L-0.4,0Z",
          "M-1,0L-0.5,-0.87L0.5,-0.87L1,0L0.5,0.87L-0.5,0.87Z", "M-1,-0.35H1V0.35H-1Z"]  # star, x, hexagon, bar
CONFLICT, CALMING = "#D55E00", "#0072B2"
#: places whose clock the night view shows, beside UTC
NIGHT_ZONES = {"Baghdad": "Asia/Baghdad", "Washington": "America/New_York"}
LABEL_PX = 7.5  # at most the width of one character of an event id at font size 11 (a capital or a digit)
TEXT_PX = 6.2   # at most the mean width of one character of words at font size 11, in the usual sans-serif fonts
MARK_PX = 7     # at most half a timeline marker's width (size 90)
LABEL_DX = 8    # px from a timeline mark's anchor to its label
ESCALATION_HEIGHT = 260  # px
COVERAGE_WRAP = 44  # characters of an event's description in a coverage row name
NIGHT_WRAP = 40  # characters a line of the night chart's row names
NIGHT_LINE = 13  # px between the lines of the night chart's clocks


def _for_readers(chart):
    """Ask vega-embed (JupyterLab, the course website) to draw SVG: its marks carry their
    screen-reader labels, where a canvas carries only the chart's description. No actions menu:
    its button is an unlabelled icon (axe-core: summary-name), and the table beside gives the data."""
    return chart.properties(usermeta={"embedOptions": {"renderer": "svg", "actions": False}})


def contrast_ratio(colour: str, background: str = "#FFFFFF") -> float:
    """The WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21).

    Args:
        colour, background: hex colours.
    Returns:
        (L1 + 0.05) / (L2 + 0.05) of their relative luminances, lighter first.

    >>> round(contrast_ratio("#000000"), 1), round(contrast_ratio("#E69F00"), 2)
    (21.0, 2.25)
    """
    def luminance(hex_colour):
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    hi, lo = sorted([luminance(colour), luminance(background)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def long_date(day) -> str:
    """A date as a reader says it: ``3 January 2020``.

    >>> long_date(pd.Timestamp("2020-01-03"))
    '3 January 2020'
    """
    return f"{day.day} {day:%B %Y}"


#: the season a span starting in this month names (northern seasons, as the texts' "last fall")
_SEASONS = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}


def _when(start, end, precision) -> str:
    """A date in words at its precision; a season is named, with the months the kit takes it as.

    >>> _when(pd.Timestamp("2019-09-01"), pd.Timestamp("2019-11-30"), "season")
    'autumn 2019 (taken as September to November)'
    """
    if precision == "season" and start.month in _SEASONS:
        year = f"{start:%Y}" if start.year == end.year else f"{start:%Y}–{end:%y}"
        return f"{_SEASONS[start.month]} {year} (taken as {start:%B} to {end:%B})"
    if precision == "day":
        return long_date(start)
    if precision == "month":
        return f"{start:%B %Y}"
    if precision == "year":
        return f"{start:%Y}"
    return f"{long_date(start)} to {long_date(end)}"


def _ms(ts) -> float:
    """A timestamp as Vega's milliseconds since 1970 (UTC), for explicit scale domains."""
    ts = pd.Timestamp(ts)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts.value / 1e6


# ---------------------------------------------------------------- timeline

def timeline_table(events: pd.DataFrame) -> pd.DataFrame:
    """The timeline's rows: each event with its label, its dates in words and everything its tooltip shows.

    Args:
        events: events joined with their evidence (``brink.with_evidence``).
    Returns:
        A new table in date order: ``label`` (the event id drawn on the chart), ``when``, ``precision``,
        ``actor``, ``type``, ``what``, ``evidence``, ``source``, ``texts reporting`` (texts, not newsrooms).

    >>> import brink
    >>> ev = brink.with_evidence(brink.events(), brink.event_reports(), brink.sources())
    >>> t = timeline_table(brink.in_window(ev, "2019-05-01", "2019-06-30"))
    >>> print(t[["label", "when", "precision"]].to_string(index=False))
    label      when precision
     EV01  May 2019     month
     EV02  May 2019     month
     EV03 June 2019     month
    """
    ev = events.sort_values(["date", "event_id"]).reset_index(drop=True)
    return pd.DataFrame({
        "label": ev["event_id"].astype(str),
        "when": [_when(s, e, p) for s, e, p in zip(ev["date"], ev["date_end"], ev["date_precision"])],
        "precision": ev["date_precision"].astype(str),
        "actor": ev["actor"].astype(str),
        "type": ev["event_type"].astype(str),
        "what": ev["description"].astype(str),
        "evidence": ev["evidence"].astype(str),
        "source": ev["source_label"].astype(str),
        "texts reporting": ev["n_sources"].astype("Int64"),
    })


def _pack(marks: pd.DataFrame, x0: float, x1: float, width: int) -> pd.DataFrame:
    """Give each mark a row inside its actor's lane so that no mark or label touches another.

    A mark with its label takes the room from its marker's left edge to its label's end; it
    goes in the first row of its lane where that room is free, and a lane gets as many rows
    as it needs, so every mark is drawn with its label.
    """
    px = lambda ms: (ms - x0) / (x1 - x0) * width
    rows: list = []
    ends: dict = {}
    for actor, start, at, label in zip(marks["actor"], marks["start_ms"], marks["label_ms"], marks["label"]):
        left, right = px(start) - MARK_PX, px(at) + LABEL_DX + len(label) * LABEL_PX + 4
        lane = ends.setdefault(actor, [])
        row = next((i for i, e in enumerate(lane) if e <= left), len(lane))
        if row == len(lane):
            lane.append(right)
        lane[row] = right
        rows.append(f"{actor}#{row}")
    return marks.assign(row=rows, shown=marks["label"])


def _domain(marks: pd.DataFrame, width: int) -> list:
    """The time axis's ends: a day beyond the first and last dates, and room for every marker
    and label inside the plot (the label of a mark near the end runs to its right)."""
    day = 86_400_000
    lo, hi = min(marks["start_ms"]) - day, max(marks["end_ms"]) + day
    x0, x1 = lo, hi
    for _ in range(4):
        per_px = (x1 - x0) / width
        x0 = min(lo, min(marks["start_ms"]) - (MARK_PX + 2) * per_px)
        need = [x0 + (at - x0) * width / (width - LABEL_DX - len(label) * LABEL_PX - 2)
                for at, label in zip(marks["label_ms"], marks["label"])]
        x1 = max(hi, *need)
    return [x0, x1]


#: a timeline mark's screen-reader label, as ``_timeline_marks`` writes it, in Vega's expression language
TIMELINE_ARIA = ("datum.label + ', ' + datum.when + ' (' + datum.precision + '): ' + datum.what + '. Actor: ' "
                 "+ datum.actor + '. Type: ' + datum.type + '.'")


def _timeline_marks(events: pd.DataFrame, width: int) -> tuple[pd.DataFrame, list, list]:
    table = timeline_table(events)
    ev = events.sort_values(["date", "event_id"]).reset_index(drop=True)
    span = (ev["date_precision"].astype(str) != "day").to_numpy()
    marks = table.assign(
        start_ms=[_ms(d) for d in ev["date"]],
        end_ms=[_ms(d + pd.Timedelta(days=1)) for d in ev["date_end"]],
        span=span,
        aria=[f"{r.label}, {r.when} ({r.precision}): {r.what}. Actor: {r.actor}. Type: {r.type}."
              for r in table.itertuples()],
    )
    # a marker's label begins beside the marker; a dashed bar's, beyond the bar's end
    marks = marks.assign(label_ms=marks["end_ms"].where(marks["span"], marks["start_ms"]))
    domain = _domain(marks, width)
    marks = _pack(marks, domain[0], domain[1], width)
    used = set(marks["row"])
    order = [f"{a}#{i}" for a in vocab.ACTORS for i in range(len(marks)) if f"{a}#{i}" in used]
    return marks, domain, order


def timeline(events: pd.DataFrame, *, title: str = "Events, May 2019 to January 2020", width: int = 640,
             time_format: str = "%b %Y") -> alt.LayerChart:
    """A timeline on a continuous time axis: one lane per actor, each event labelled with its id.

    An event dated to a day is a marker on that day (its shape gives its type); an event the
    texts date only to a month, a season, a year or a range of days is a dashed bar over the
    whole span, never a single day. Days with no event keep their place on the axis. Every
    mark is labelled, a marker's label beside it and a bar's beyond its end; a lane gets as
    many rows as it needs so that no label touches another label or another event's mark
    (a crowded week stacks its events in rows, one above the other).

    Args:
        events: events joined with their evidence (``brink.with_evidence``).
        title: the chart title.
        width: the plot width in pixels (labels are placed for it).
        time_format: the axis date format (d3), e.g. ``"%-d %b"`` for a few weeks.
    Returns:
        A new Altair layered chart (drag or scroll to zoom the time axis).

    >>> import brink
    >>> ev = brink.with_evidence(brink.events(), brink.event_reports(), brink.sources())
    >>> spec = timeline(brink.in_window(ev, "2019-12-27", "2020-01-08")).to_dict()
    >>> spec["layer"][0]["encoding"]["x"]["type"], spec["layer"][0]["encoding"]["x"]["scale"]["type"]
    ('temporal', 'utc')
    """
    marks, domain, order = _timeline_marks(events, width)
    # the screen-reader label is worked out by Vega from the columns it repeats (``aria`` in
    # ``_timeline_marks``), so a stored lesson does not hold each description twice
    data = marks[["label", "when", "precision", "actor", "type", "what", "texts reporting",
                  "start_ms", "end_ms", "label_ms", "span", "row"]]
    types = sorted(data.loc[~data["span"], "type"].unique())
    if len(types) > len(SHAPES):
        raise ValueError(f"{len(types)} event types on single days; the timeline has {len(SHAPES)} shapes")
    actors = [a for a in vocab.ACTORS if a in set(data["actor"])]
    x = alt.X("start_ms:T", title="Date (local to where it happened)", scale=alt.Scale(type="utc", domain=domain),
              axis=alt.Axis(format=time_format, labelOverlap=True))
    y = alt.Y("row:N", sort=order, title=None, scale=alt.Scale(domain=order),
              axis=alt.Axis(labelExpr="indexof(datum.value, '#0') > 0 ? split(datum.value, '#')[0] : ''",
                            ticks=False, domain=False, labelFontWeight="bold", labelLimit=160))
    colour = alt.Color("actor:N", legend=None, scale=alt.Scale(domain=actors, range=[actor_colours()[a] for a in actors]))
    tooltip = [alt.Tooltip("label:N", title="Event"), alt.Tooltip("what:N", title="What"),
               alt.Tooltip("when:N", title="When"), alt.Tooltip("precision:N", title="Dated to"),
               alt.Tooltip("type:N", title="Type"), alt.Tooltip("texts reporting:Q", title="Texts reporting")]
    base = alt.Chart(data).transform_calculate(aria=TIMELINE_ARIA).encode(y=y, description="aria:N")
    spans = base.transform_filter("datum.span").mark_bar(
        height=12, fill="white", strokeWidth=2, strokeDash=[4, 2]).encode(
        x=x, x2="end_ms:T", stroke=colour, tooltip=tooltip)
    days = base.transform_filter("!datum.span").mark_point(size=90, filled=True, opacity=1).encode(
        x=x, color=colour, tooltip=tooltip,
        shape=alt.Shape("type:N", title="Event type (marker)", scale=alt.Scale(domain=types, range=SHAPES[:len(types)])))
    labels = base.mark_text(align="left", dx=LABEL_DX, fontSize=11, aria=False).encode(
        x=alt.X("label_ms:T", scale=alt.Scale(type="utc", domain=domain)), text="label:N")
    # an empty layer would still be drawn as a mark group with no text for a screen reader (axe: svg-img-alt)
    drawn = [layer for layer, n in ((spans, data["span"].sum()), (days, (~data["span"]).sum())) if n]
    return _for_readers(alt.layer(*drawn, labels).properties(
        title=title, width=width, height=alt.Step(20),
        description=(f"Timeline of {len(data)} events in lanes by actor, on a continuous date axis. "
                     f"{int((~data['span']).sum())} events are dated to a day and drawn as markers; "
                     f"{int(data['span'].sum())} are dated only to a span and drawn as dashed bars over it. "
                     "Each mark is labelled with its event id; the table beside the chart lists every event."),
    ).interactive(bind_y=False))


# ---------------------------------------------------------------- the night of 2-3 January

def _timed(events: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    return events[events["time_utc"].between(pd.Timestamp(start), pd.Timestamp(end))].sort_values("time_utc")


def night_table(events: pd.DataFrame, start: str = "2020-01-02T20:00Z", end: str = "2020-01-02T23:30Z",
                zones: dict | None = None) -> pd.DataFrame:
    """The clock-timed events between two UTC instants, with the time in UTC and in each place.

    Args:
        events: events with ``time_utc``.
        start, end: the window as ISO 8601 instants.
        zones: place -> IANA zone (default: Baghdad and Washington).
    Returns:
        A new table: ``label``, ``what``, ``UTC`` and one column per place, each ``HH:MM, D Month YYYY``.

    >>> import brink
    >>> print(night_table(brink.events())[["label", "UTC", "Baghdad"]].to_string(index=False))
    label                   UTC               Baghdad
     EV13 20:30, 2 January 2020 23:30, 2 January 2020
     EV14 21:36, 2 January 2020 00:36, 3 January 2020
     EV15 21:47, 2 January 2020 00:47, 3 January 2020
    """
    zones = NIGHT_ZONES if zones is None else zones
    t = _timed(events, start, end)
    clock = lambda ts: f"{ts:%H:%M}, {long_date(ts)}"
    out = pd.DataFrame({"label": t["event_id"].astype(str).to_numpy(), "what": t["description"].astype(str).to_numpy(),
                        "UTC": [clock(ts) for ts in t["time_utc"]]})
    for place, zone in zones.items():
        out[place] = [clock(ts.tz_convert(zone)) for ts in t["time_utc"]]
    return out.assign(time_basis=t["time_basis"].astype(str).to_numpy())


def _wrap(text: str, width: int) -> list:
    """``text`` in lines of at most ``width`` characters, broken only between words (a longer word
    keeps a line to itself).

    >>> _wrap("A U.S. drone strike on two cars at Baghdad airport", 20)
    ['A U.S. drone strike', 'on two cars at', 'Baghdad airport']
    """
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _shorten(text: str, width: int) -> str:
    """``text`` whole if it has at most ``width`` characters, else cut after its last whole word
    that fits and marked " …" (a space before the ellipsis: the cut falls between words).

    >>> _shorten("Rockets hit the K1 military base near Kirkuk", 30)
    'Rockets hit the K1 military …'
    >>> _shorten("EV14 The plane lands", 30)
    'EV14 The plane lands'
    """
    if len(text) <= width:
        return text
    return textwrap.shorten(text, width, break_long_words=False, break_on_hyphens=False, placeholder=" …")


def _place(at: float, wide: float, lo: float, hi: float, avoid: list) -> float:
    """Where a label ``wide`` px wide starts, near the point ``at``: centred on it, else beginning
    or ending beside it, the first that stays inside ``lo``..``hi`` and crosses no x in ``avoid``
    (else centred and kept inside)."""
    for left in (at - wide / 2, at - 6, at + 6 - wide):
        if lo <= left and left + wide <= hi and not any(left - 2 < a < left + wide + 2 for a in avoid):
            return left
    return min(max(at - wide / 2, lo), hi - wide)


def night(events: pd.DataFrame, start: str = "2020-01-02T20:00Z", end: str = "2020-01-02T23:30Z", *,
          title: str = "The night of 2–3 January, to the minute", zones: dict | None = None,
          width: int = 560) -> alt.LayerChart:
    """A zoomed view of the clock-timed events: one row per event on an axis in UTC, to the minute.

    Each row is named by its event id and its whole description, broken between words over
    a few lines. Above each marker its time is written in UTC and in each place of ``zones``,
    one clock a line; a dashed rule marks each place's local midnight inside the window (where
    the date changes there), named in a band of its own at the top, so that no label crosses it.

    Args:
        events: events with ``time_utc``; start, end: the window (ISO 8601 instants).
        title: the chart title; zones: place -> IANA zone (default: Baghdad and Washington).
        width: the plot width in pixels (labels are placed for it).
    Returns:
        A new Altair layered chart.

    >>> import brink
    >>> night(brink.events()).to_dict()["layer"][0]["encoding"]["x"]["axis"]["format"]
    '%H:%M'
    """
    zones = NIGHT_ZONES if zones is None else zones
    table = night_table(events, start, end, zones)
    places = list(zones)
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    x0, x1 = _ms(lo), _ms(hi)
    px = lambda ms: (ms - x0) / (x1 - x0) * width
    at_ms = lambda p: x0 + p / width * (x1 - x0)
    midnights: list[dict] = []
    for place, zone in zones.items():
        local = lo.tz_convert(zone).normalize() + pd.Timedelta(days=1)
        if lo <= local.tz_convert("UTC") <= hi:
            midnights.append({"t_ms": _ms(local), "note": f"Midnight in {place}: {long_date(local)} begins",
                              "aria": f"Midnight in {place}, {local.tz_convert('UTC'):%H:%M} UTC: {long_date(local)} begins there"})
    rules = [px(m["t_ms"]) for m in midnights]
    times = list(_timed(events, start, end)["time_utc"])
    clocks = [[f"{ts:%H:%M} UTC"] + [f"{p} {ts.tz_convert(zones[p]):%H:%M} ({ts.tz_convert(zones[p]).day} "
                                     f"{ts.tz_convert(zones[p]):%b})" for p in places] for ts in times]
    t_ms = [_ms(ts) for ts in times]
    data = table.assign(
        t_ms=t_ms,
        row=["\n".join(_wrap(f"{lab} {what}", NIGHT_WRAP)) for lab, what in zip(table["label"], table["what"])],
        text=["\n".join(lines) for lines in clocks],
        text_ms=[at_ms(_place(px(t), max(map(len, lines)) * TEXT_PX, 0, width, rules)) for t, lines in zip(t_ms, clocks)],
        aria=[f"{r['label']}: {r['what']}. {r['UTC']} UTC; " + "; ".join(f"{r[p]} in {p}" for p in places)
              for _, r in table.iterrows()],
    )
    data = data[["label", "what", "UTC", *places, "t_ms", "row", "text", "text_ms", "aria"]]
    lines = len(places) + 1
    # each row: the clocks above the marker, one a line, and the marker below them
    step = lines * NIGHT_LINE + 30
    drop = step / 2 - 10                                      # the marker, from the middle of its row
    bands = [" " * (i + 1) for i in range(len(midnights))]    # a band at the top for each midnight's name
    order = bands + list(data["row"])
    x = alt.X("t_ms:T", title=f"Time (UTC), night of {long_date(lo)}",
              scale=alt.Scale(type="utc", domain=[x0, x1]), axis=alt.Axis(format="%H:%M"))
    y = alt.Y("row:N", title=None, sort=order, scale=alt.Scale(domain=order),
              axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=0, labelBaseline="top",
                            labelOffset=drop - 20 - (lines - 1) * NIGHT_LINE, ticks=False, labelFontSize=10))
    tooltip = [alt.Tooltip("label:N", title="Event"), alt.Tooltip("what:N", title="What"),
               alt.Tooltip("UTC:N", title="UTC")] + [alt.Tooltip(f"{p}:N", title=p) for p in places]
    base = alt.Chart(data).encode(y=y)
    points = base.mark_point(filled=True, size=110, color="#000000").encode(
        x=x, yOffset=alt.value(drop), tooltip=tooltip, description="aria:N")
    text = base.mark_text(align="left", baseline="bottom", fontSize=11, lineBreak="\n", lineHeight=NIGHT_LINE,
                          aria=False).encode(
        x=alt.X("text_ms:T"), yOffset=alt.value(drop - 9 - (lines - 1) * NIGHT_LINE), text="text:N")
    layers = [points, text]
    if midnights:
        notes = [dict(m, band=b, note_ms=at_ms(px(m["t_ms"]) + 4 if px(m["t_ms"]) + 4 + len(m["note"]) * TEXT_PX <= width
                                                else px(m["t_ms"]) - 4 - len(m["note"]) * TEXT_PX))
                 for m, b in zip(midnights, bands)]
        m = alt.Chart(pd.DataFrame(notes))
        layers += [m.mark_rule(strokeDash=[5, 3], color="#767676").encode(x=alt.X("t_ms:T"), description="aria:N"),
                   m.mark_text(align="left", fontSize=10, color="#595959", aria=False).encode(
                       x=alt.X("note_ms:T"), y=alt.Y("band:N", sort=order), text="note:N")]
    return _for_readers(alt.layer(*layers).properties(
        title=title, width=width, height=alt.Step(step),
        description=(f"The {len(data)} clock-timed events between {lo:%H:%M} and {hi:%H:%M} UTC on "
                     f"{long_date(lo)}, one row each, on an axis in UTC; each is labelled with the time in UTC, "
                     + ", ".join(places) + ".")))


# ---------------------------------------------------------------- escalation

def escalation_parts(events: pd.DataFrame, start: str, end: str, weights: dict | None = None) -> pd.DataFrame:
    """Each event's share of its weight on each day of the window: the pieces the intensity adds up.

    The rule: an event dated to a day adds its whole weight to that day; an event dated only to a
    span of n days (a range, month, season or year) adds weight ÷ n to each day of its span, and
    only the days inside the window count.

    Args:
        events: events (``event_id``, ``date``, ``date_end``, ``event_type``).
        start, end: the window as ``YYYY-MM-DD`` (inclusive).
        weights: event type -> signed weight (default ``brink.vocab.CONFLICT_WEIGHT``).
    Returns:
        A new table, one row per (day, event): ``date``, ``event_id``, ``event_type``, ``weight``,
        ``days`` (length of the event's span) and ``share``.

    >>> import brink
    >>> p = escalation_parts(brink.events(), "2020-01-03", "2020-01-03")
    >>> print(p[p.event_id == "EV17"][["event_type", "weight", "days", "share"]].to_string(index=False))
    event_type  weight  days  share
      THREATEN       6     5    1.2
    """
    weights = vocab.CONFLICT_WEIGHT if weights is None else weights
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    rows = []
    for r in events.itertuples(index=False):
        span = pd.date_range(r.date, r.date_end, freq="D")
        w = weights[str(r.event_type)]
        rows += [{"date": d, "event_id": str(r.event_id), "event_type": str(r.event_type), "weight": w,
                  "days": len(span), "share": w / len(span)} for d in span if lo <= d <= hi]
    cols = ["date", "event_id", "event_type", "weight", "days", "share"]
    return pd.DataFrame(rows, columns=cols).sort_values(["date", "event_id"]).reset_index(drop=True)


def _signed(value: float) -> str:
    text = f"{value:+.1f}".replace(".0", "") if value else "0"
    return text.replace("-", "−")


def escalation_table(events: pd.DataFrame, start: str, end: str, weights: dict | None = None) -> pd.DataFrame:
    """Intensity per day, every day of the window (a day with no event is 0), with the events behind it.

    Args:
        events, start, end, weights: as for ``escalation_parts``.
    Returns:
        A new table, one row per day: ``date``, ``day`` (in words), ``events`` (each as
        ``id TYPE weight`` and its share when spread), ``conflict`` (sum of positive shares),
        ``de-escalation`` (sum of negative shares) and ``net``.

    >>> import brink
    >>> t = escalation_table(brink.events(), "2019-12-27", "2020-01-08")
    >>> len(t), t["net"].round(2).tolist()[:4]
    (13, [10.0, 0.0, 10.0, 0.0])
    """
    parts = escalation_parts(events, start, end, weights)
    days = pd.DataFrame({"date": pd.date_range(start, end, freq="D")})
    parts = parts.assign(item=[f"{i} {t} {_signed(w)}" + (f" ÷ {n} days = {_signed(s)}" if n > 1 else "")
                               for i, t, w, n, s in zip(parts["event_id"], parts["event_type"], parts["weight"],
                                                        parts["days"], parts["share"])])
    per_day = parts.groupby("date").agg(
        events=("item", "; ".join),
        conflict=("share", lambda s: float(s[s > 0].sum())),
        **{"de-escalation": ("share", lambda s: float(s[s < 0].sum()))},
        net=("share", "sum")).reset_index()
    out = days.merge(per_day, on="date", how="left").fillna(
        {"events": "", "conflict": 0.0, "de-escalation": 0.0, "net": 0.0})
    return out.assign(day=[long_date(d) for d in out["date"]])[
        ["date", "day", "events", "conflict", "de-escalation", "net"]]


def _stacked(parts: pd.DataFrame) -> pd.DataFrame:
    """Bottom and top of each event's bar segment: conflict stacked up from 0, de-escalation down."""
    lows: list = []
    highs: list = []
    up: dict = {}
    down: dict = {}
    for d, s in zip(parts["date"], parts["share"]):
        pile = up if s >= 0 else down
        lo = pile.get(d, 0.0)
        pile[d] = lo + s
        lows.append(lo)
        highs.append(lo + s)
    return parts.assign(y0=lows, y1=highs)


def escalation(events: pd.DataFrame, start: str, end: str, *, title: str = "Conflict intensity per day",
               weights: dict | None = None) -> alt.LayerChart:
    """Net intensity per day on a continuous daily axis, built from signed weights you can see.

    Each event type has a weight on the kit's own scale (``brink.vocab.CONFLICT_WEIGHT``): conflict
    positive (an armed attack +10), de-escalation and cooperation negative (standing down, a request
    or consultation to avoid escalation). Each event is a bar segment labelled with its id,
    conflict stacked up from zero and de-escalation down; a black diamond and a figure give the
    net for the day. Every day of the window is on the axis; a day with no event is 0. A span-dated
    event adds weight ÷ n to each of its n days (``escalation_parts``); ``escalation_table`` lists
    each day's events and weights so the sum can be checked.

    What the measure shows, computed:

    >>> import brink
    >>> t = escalation_table(brink.events(), "2019-12-27", "2020-01-08").set_index("day")
    >>> t["net"].idxmax()
    '31 December 2019'
    >>> t["net"].round(1)[["31 December 2019", "3 January 2020", "8 January 2020"]].tolist()
    [12.0, 11.1, 4.3]

    A sum of kinds of event counts a protest, a memo and a tweet above a killing: the measure
    weighs what kind of act an event is, not what it did.

    Args:
        events: events; start, end: the window (``YYYY-MM-DD``, inclusive); title: the chart title;
        weights: event type -> signed weight (default ``brink.vocab.CONFLICT_WEIGHT``).
    Returns:
        A new Altair layered chart.
    """
    parts = _stacked(escalation_parts(events, start, end, weights))
    day = pd.Timedelta(hours=12)
    segs = parts.assign(
        x=[_ms(d + pd.Timedelta(hours=2)) for d in parts["date"]], x2=[_ms(d + pd.Timedelta(hours=22)) for d in parts["date"]],
        mid=(parts["y0"] + parts["y1"]) / 2, xc=[_ms(d + pd.Timedelta(hours=12)) for d in parts["date"]],
        kind=["conflict" if s > 0 else "de-escalation" for s in parts["share"]],
        label=[i if abs(s) >= 1.5 else "" for i, s in zip(parts["event_id"], parts["share"])],
        day=[long_date(d) for d in parts["date"]],
        aria=[f"{long_date(d)}: {i} {t}, weight {_signed(w)}" + (f", spread over {n} days: {_signed(s)} this day" if n > 1 else "")
              for d, i, t, w, n, s in zip(parts["date"], parts["event_id"], parts["event_type"], parts["weight"],
                                          parts["days"], parts["share"])],
    ).drop(columns="date")
    table = escalation_table(events, start, end, weights)
    nets = table.assign(x=[_ms(d + day) for d in table["date"]],
                        top=[max(c, 0) for c in table["conflict"]], text=[_signed(n) for n in table["net"]],
                        aria=[f"{d}: net intensity {_signed(n)}" for d, n in zip(table["day"], table["net"])]
                        ).drop(columns="date")
    ticks = [_ms(d + day) for d in table["date"]]
    x = alt.X("x:T", title="Date", scale=alt.Scale(type="utc", domain=[ticks[0] - 43_200_000, ticks[-1] + 43_200_000]),
              axis=alt.Axis(values=ticks, format="%-d %b", labelAngle=0, grid=False))
    low = min([0.0, *segs["y0"], *segs["y1"]])
    high = max([0.0, *segs["y0"], *segs["y1"]])
    # room above the highest bar for its day's net, written 8 px above it (11 px text)
    y = alt.Y("y0:Q", title="Intensity (sum of signed weights)",
              scale=alt.Scale(domainMin=low, domainMax=high + (high - low) * 24 / (ESCALATION_HEIGHT - 24)))
    tooltip = [alt.Tooltip("day:N", title="Day"), alt.Tooltip("event_id:N", title="Event"),
               alt.Tooltip("event_type:N", title="Type"), alt.Tooltip("weight:Q", title="Weight"),
               alt.Tooltip("days:Q", title="Days in its span"), alt.Tooltip("share:Q", title="Share this day", format=".2f")]
    bars = alt.Chart(segs).mark_bar(stroke="white", strokeWidth=1).encode(
        x=x, x2="x2:T", y=y, y2="y1:Q", tooltip=tooltip, description="aria:N",
        color=alt.Color("kind:N", title="Weight", scale=alt.Scale(domain=["conflict", "de-escalation"],
                                                                 range=[CONFLICT, CALMING])))
    ids = alt.Chart(segs).mark_text(fontSize=9, color="white", aria=False).encode(x="xc:T", y="mid:Q", text="label:N")
    zero = alt.Chart(pd.DataFrame({"z": [0]})).mark_rule(color="#000000").encode(y="z:Q")
    net_pts = alt.Chart(nets).mark_point(shape="diamond", filled=True, size=70, color="#000000").encode(
        x="x:T", y="net:Q", description="aria:N",
        tooltip=[alt.Tooltip("day:N", title="Day"), alt.Tooltip("net:Q", title="Net", format=".2f"),
                 alt.Tooltip("events:N", title="Events")])
    net_text = alt.Chart(nets).mark_text(dy=-8, fontSize=11, fontWeight="bold", baseline="bottom", aria=False).encode(
        x="x:T", y="top:Q", text="text:N")
    return _for_readers(alt.layer(bars, ids, zero, net_pts, net_text).properties(
        title=title, width=max(40 * len(table), 400), height=ESCALATION_HEIGHT,
        description=(f"Bar chart of intensity per day from {table['day'].iloc[0]} to {table['day'].iloc[-1]}, "
                     "every day shown, a day with no event at zero. Conflict weights stack up from zero and "
                     "de-escalation weights down; a diamond and a figure above each day give the net.")))


# ---------------------------------------------------------------- rhetoric, policy, sources

def quote_features_table(features: pd.DataFrame) -> pd.DataFrame:
    """The heat map's cells as a long table: one row per quote and feature, with the count.

    Args:
        features: the output of ``brink.text.surface_features``.
    Returns:
        A new table: ``quote``, ``feature``, ``count``.
    """
    long = features.melt(id_vars=["quote_id", "speaker"],
                         value_vars=["capitals", "exclamations", "direct_address", "hedges"],
                         var_name="feature", value_name="count")
    return pd.DataFrame({"quote": long["quote_id"] + " " + long["speaker"],
                         "feature": long["feature"].str.replace("_", " "), "count": long["count"].astype(int)})


def quote_features(features: pd.DataFrame, *, title: str = "Surface features of each quote") -> alt.LayerChart:
    """A heat map of surface features (rows: quotes, columns: features), the count written in each cell.

    Args:
        features: the output of ``brink.text.surface_features``.
        title: the chart title.
    Returns:
        A new Altair layered chart; empty cells are left white with a 0 in them.
    """
    cells = quote_features_table(features)
    cells = cells.assign(aria=[f"{q}, {f}: {c}" for q, f, c in zip(cells["quote"], cells["feature"], cells["count"])])
    base = alt.Chart(cells).encode(x=alt.X("feature:N", title="Feature", axis=alt.Axis(labelAngle=0)),
                                   y=alt.Y("quote:N", title="Quote"))
    top = max(int(cells["count"].max()), 1)
    fill = base.transform_filter("datum.count > 0").mark_rect(stroke="white").encode(
        color=alt.Color("count:Q", title="Count", scale=alt.Scale(domain=[1, top], range=["#5B8FC7", "#08306B"])),
        description="aria:N", tooltip=["quote:N", "feature:N", "count:Q"])
    text = base.mark_text(aria=False).encode(
        text="count:Q", color=alt.condition("datum.count > 0", alt.value("white"), alt.value("black")))
    return _for_readers((fill + text).properties(title=title, width=320, description=(
        "Heat map of counts of capitalised words, exclamation marks, direct address and hedges in each quote; "
        "the count is written in each cell.")))


def count_bars_table(table: pd.DataFrame, x: str, y: str, colour: str) -> pd.DataFrame:
    """The bars' rows: category, group and count, in the chart's order.

    Args:
        table: a long table; x: the count column; y: the category; colour: the group.
    Returns:
        A new table with those three columns, sorted by category and group.
    """
    return table[[y, colour, x]].sort_values([y, colour]).reset_index(drop=True)


def count_bars(table: pd.DataFrame, x: str, y: str, colour: str, *, title: str, x_title: str, y_title: str,
               description: str) -> alt.LayerChart:
    """Horizontal bars of a count, one bar per category and group, each labelled with its group and count.

    Args:
        table: a long table.
        x: the count column; y: the category on the vertical axis; colour: the group (colour and label).
        title, x_title, y_title, description: the chart's words.
    Returns:
        A new Altair layered chart; the label at the end of each bar names its group, so colour is
        never the only way to tell groups apart.
    """
    data = count_bars_table(table, x, y, colour)
    # the bar's words get a column of their own: the category or group may itself be called "label"
    words, aria = "bar words", "bar aria"
    data = data.assign(**{words: data[colour].astype(str) + ": " + data[x].astype(str),
                          aria: data[y].astype(str) + ", " + data[colour].astype(str) + ": " + data[x].astype(str)})
    domain = sorted(data[colour].astype(str).unique())
    # the axis runs far enough that the words at the end of the longest bars fit inside the plot
    width = 420
    top = max(float(v) / (1 - (3 + len(w) * TEXT_PX * 10 / 11 + 2) / width) for v, w in zip(data[x], data[words]))
    base = alt.Chart(data).encode(
        y=alt.Y(f"{y}:N", title=y_title), yOffset=alt.YOffset(f"{colour}:N", sort=domain),
        x=alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(domainMax=top, nice=False)))
    bars = base.mark_bar().encode(
        color=alt.Color(f"{colour}:N", scale=alt.Scale(domain=domain, range=PALETTE[:len(domain)]),
                        title=colour.replace("_", " ").capitalize()),
        tooltip=[f"{y}:N", f"{colour}:N", f"{x}:Q"], description=f"{aria}:N")
    labels = base.mark_text(align="left", dx=3, fontSize=10, aria=False).encode(text=f"{words}:N")
    return _for_readers((bars + labels).properties(title=title, width=width, height=alt.Step(14), description=description))


def icd203_table(bands: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Each banded claim with its ICD 203 expression and band: what the markers show.

    Args:
        bands: ``brink.icd203()``; claims: claims with ``p_low``/``p_high``.
    Returns:
        A new table: ``claim_id``, ``as written``, ``ICD 203 expression``, ``band`` (per cent), ``mapped as``, ``text``.
    """
    b = bands.assign(label=bands["term"] + " / " + bands["synonym"])
    c = claims.dropna(subset=["p_low"])
    label = {float(lo): lab for lab, lo in zip(b["label"], b["p_low"])}
    return pd.DataFrame({
        "claim_id": c["claim_id"].astype(str).to_numpy(), "as written": c["estimative_term"].astype(str).to_numpy(),
        "ICD 203 expression": [label[float(p)] for p in c["p_low"]],
        "band": [f"{float(lo):.0%}–{float(hi):.0%}" for lo, hi in zip(c["p_low"], c["p_high"])],
        "mapped as": c["band_basis"].astype(str).to_numpy(), "text": c["text"].astype(str).to_numpy(),
        "p_low": c["p_low"].astype(float).to_numpy(), "p_high": c["p_high"].astype(float).to_numpy()})


def icd203_bands(bands: pd.DataFrame, claims: pd.DataFrame, *,
                 title: str = "Estimative words on the ICD 203 scale") -> alt.LayerChart:
    """The ICD 203 bands as grey bars, with each banded claim drawn and labelled on its band.

    Args:
        bands: ``brink.icd203()``.
        claims: claims with ``p_low``/``p_high``.
        title: the chart title.
    Returns:
        A new Altair layered chart.
    """
    b = bands.assign(label=bands["term"] + " / " + bands["synonym"])
    b = b.assign(aria=[f"{lab}: {float(lo):.0%} to {float(hi):.0%}" for lab, lo, hi in zip(b["label"], b["p_low"], b["p_high"])])
    order = list(b["label"])
    c = icd203_table(bands, claims)
    c = c.assign(p_mid=(c["p_low"] + c["p_high"]) / 2,
                 aria=[f"{i}, '{w}': {lab}, {band}" for i, w, lab, band in
                       zip(c["claim_id"], c["as written"], c["ICD 203 expression"], c["band"])])
    # the claim ids of a band, written once, just beyond the band's end
    tags = (c.groupby("ICD 203 expression", sort=False)
            .agg(tag=("claim_id", ", ".join), p_high=("p_high", "max")).reset_index()
            .rename(columns={"ICD 203 expression": "label"}))
    width = 460
    room = [(6 + len(t) * TEXT_PX * 10 / 11 + 2) / width for t in tags["tag"]]
    top = max([1.0] + [p / (1 - r) for p, r in zip(tags["p_high"], room)])
    y = alt.Y("label:N", sort=order, title="ICD 203 expression", axis=alt.Axis(labelLimit=0))
    scale = alt.Scale(domain=[0, top], nice=False)
    grey = alt.Chart(b).mark_bar(color="#8A8A8A", height=14).encode(
        x=alt.X("p_low:Q", title="Probability", scale=scale,
                axis=alt.Axis(format="%", values=[0, 0.2, 0.4, 0.6, 0.8, 1.0])),
        x2="p_high:Q", y=y, description="aria:N", tooltip=["term:N", "synonym:N", "p_low:Q", "p_high:Q"])
    pts = alt.Chart(c.rename(columns={"ICD 203 expression": "label"})).mark_point(
        filled=True, size=110, shape="diamond", color="#000000").encode(
        x=alt.X("p_mid:Q", scale=scale), y=y,
        description="aria:N", tooltip=[alt.Tooltip("claim_id:N", title="Claim"),
                                       alt.Tooltip("as written:N", title="As written"),
                                       alt.Tooltip("text:N", title="Claim text"),
                                       alt.Tooltip("mapped as:N", title="Mapped as")])
    ids = alt.Chart(tags).mark_text(align="left", dx=6, fontSize=10, aria=False).encode(
        x=alt.X("p_high:Q", scale=scale), y=y, text="tag:N")
    return _for_readers((grey + pts + ids).properties(title=title, width=width, description=(
        "The seven ICD 203 probability bands as grey bars, with a black diamond for each claim whose hedge "
        "falls in a band; the claim ids are written beyond the band's end.")))


def coverage_table(reports: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Events down, sources across: how many times each source mentions each event.

    Args:
        reports: event reports; events: events (order and description); sources: labels.
    Returns:
        A new wide table, one row per event in date order: ``event_id``, ``event`` (its description,
        cut between words to a row name's length) and one column per source label.
    """
    n = reports.groupby(["event_id", "source_id"]).size().rename("mentions").reset_index()
    n = n.merge(sources[["source_id", "label"]], on="source_id")
    wide = n.pivot_table(index="event_id", columns="label", values="mentions", aggfunc="sum", fill_value=0)
    ev = events.sort_values(["date", "event_id"])
    wide = wide.reindex(index=list(ev["event_id"]), columns=list(sources["label"]), fill_value=0).astype(int)
    wide.columns.name = None
    return wide.rename_axis("event_id").reset_index().assign(
        event=[_shorten(d, COVERAGE_WRAP) for d in ev["description"].astype(str)])[
        ["event_id", "event", *list(sources["label"])]]


def coverage(reports: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame, *,
             title: str = "Which source reports which event") -> alt.LayerChart:
    """A coverage matrix: events down, sources across, the number of mentions written in each cell.

    Args:
        reports: event reports; events: events (for order and description); sources: for labels.
        title: the chart title.
    Returns:
        A new Altair layered chart; a cell with no mention stays white with a 0.
    """
    wide = coverage_table(reports, events, sources)
    labels = list(sources["label"])
    whole = dict(zip(events["event_id"].astype(str), events["description"].astype(str)))
    wide = wide.assign(what=[whole[e] for e in wide["event_id"]])     # the tooltip and screen reader say it whole
    grid = wide.melt(id_vars=["event_id", "event", "what"], value_vars=labels, var_name="label", value_name="mentions")
    grid = grid.assign(row=grid["event_id"] + " " + grid["event"],
                       aria=grid["event_id"] + " (" + grid["what"] + ") in " + grid["label"] + ": "
                       + grid["mentions"].astype(str) + " mentions")
    order = list(wide["event_id"] + " " + wide["event"])
    base = alt.Chart(grid).encode(x=alt.X("label:N", title="Source", axis=alt.Axis(labelAngle=0)),
                                  y=alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)))  # "EV.. what" names the row
    cells = base.transform_filter("datum.mentions > 0").mark_rect(stroke="white").encode(
        color=alt.Color("mentions:Q", title="Mentions", scale=alt.Scale(domain=[1, 4], range=["#5B8FC7", "#08306B"])),
        tooltip=[alt.Tooltip("event_id:N", title="Event"), alt.Tooltip("what:N", title="What"),
                 alt.Tooltip("label:N", title="Source"), "mentions:Q"], description="aria:N")
    text = base.mark_text(fontSize=10, aria=False).encode(
        text=alt.Text("mentions:Q"), color=alt.condition("datum.mentions > 0", alt.value("white"), alt.value("black")))
    return _for_readers((cells + text).properties(title=title, width=330, description=(
        "Coverage matrix: each row is an event, each column a source; the number in a cell is how often that "
        "source mentions that event.")))


def discrepancy_table(discrepancies: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The figures the dot plot draws: topic, source, the words as reported, qualifier and value.

    Args:
        discrepancies: the discrepancies table; sources: for labels.
    Returns:
        A new table of the rows that carry a number.
    """
    d = discrepancies.dropna(subset=["value"]).merge(sources[["source_id", "label"]], on="source_id")
    return d[["topic", "label", "reported", "qualifier", "value"]].astype(
        {"value": float, "qualifier": str}).reset_index(drop=True)


def discrepancy_dots(discrepancies: pd.DataFrame, sources: pd.DataFrame, *,
                     title: str = "Where the sources give different numbers") -> alt.FacetChart:
    """Each numeric discrepancy as a dot on a shared axis, one row per source, one panel per topic.

    Args:
        discrepancies: the discrepancies table; sources: for labels.
        title: the chart title.
    Returns:
        A new Altair faceted chart: each row names the source and its words as reported; the marker's
        shape gives the qualifier.
    """
    d = discrepancy_table(discrepancies, sources)
    d = d.assign(aria=d["topic"] + ", " + d["label"] + ": " + d["reported"] + " (" + d["qualifier"] + ")",
                 row=d["label"] + ": " + d["reported"])
    domain = list(sources["label"])
    dots = alt.Chart().mark_point(filled=True, size=140, opacity=1).encode(
        x=alt.X("value:Q", title="Figure as reported", scale=alt.Scale(zero=True)),
        y=alt.Y("row:N", title=None, axis=alt.Axis(labelLimit=0)),   # the words as reported, whole
        color=alt.Color("label:N", title="Source", scale=alt.Scale(domain=domain, range=PALETTE[:len(domain)]),
                        legend=alt.Legend(orient="bottom", direction="vertical")),
        shape=alt.Shape("qualifier:N", title="Qualifier", legend=alt.Legend(orient="bottom", direction="vertical")), description="aria:N",
        tooltip=[alt.Tooltip("reported:N", title="Words"), alt.Tooltip("qualifier:N", title="Qualifier"),
                 alt.Tooltip("value:Q", title="Value")])
    return _for_readers(alt.layer(dots, data=d).properties(width=260, height=alt.Step(22)).facet(
        row=alt.Row("topic:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelOrient="top",
                                                              labelFontWeight="bold")),
        title=title, description="Dot plot of each figure the sources report differently, one panel per topic, "
                                 "each row naming the source and the words it uses.",
    ).resolve_scale(x="independent", y="independent"))
