"""Chart builders for the notebooks: each takes tables and returns an Altair chart.

Every chart has a title, labelled axes, a text ``description`` that screen readers
announce, and colours from the Okabe–Ito palette, which stays distinct for the
common forms of colour blindness. Nothing here changes Altair's settings: a
notebook chooses its renderer in its own setup cell.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from . import vocab

#: Okabe & Ito (2008), "Color Universal Design": distinct under protanopia, deuteranopia, tritanopia
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
ACTOR_COLOURS = alt.Scale(domain=vocab.ACTORS, range=OKABE_ITO[:len(vocab.ACTORS)])
#: one distinct marker per event type that can occur on a single day
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right",
          "triangle-left", "wedge", "arrow", "triangle", "stroke"]


def _dates(df: pd.DataFrame, cols) -> pd.DataFrame:
    out = df.copy()
    for c in cols:
        out[c] = out[c].dt.strftime("%Y-%m-%d")
    return out


def timeline(events: pd.DataFrame, *, title: str = "Events, May 2019 to January 2020") -> alt.LayerChart:
    """An interactive timeline: one lane per actor, a point per dated day, a bar per longer span.

    A month-, season- or range-precision event is drawn as a bar over the whole span it
    may fall in, never as a single day. Hover for the description, the evidence and its source.

    Args:
        events: events joined with their evidence (``brink.with_evidence``).
        title: the chart title.
    Returns:
        An Altair layered chart.
    """
    cols = ["event_id", "date", "date_end", "date_precision", "actor", "event_type", "description",
            "evidence", "source_label", "n_sources"]
    data = events[cols].copy()
    data["span_end"] = data["date_end"] + pd.Timedelta(days=1)
    data = _dates(data, ["date", "date_end", "span_end"])
    types = sorted(data.loc[data["date_precision"] == "day", "event_type"].astype(str).unique())
    if len(types) > len(SHAPES):
        raise ValueError(f"{len(types)} event types on single days; the timeline has {len(SHAPES)} shapes")
    tooltip = [alt.Tooltip("description:N", title="What"), alt.Tooltip("date:N", title="Date from"),
               alt.Tooltip("date_end:N", title="Date to"), alt.Tooltip("date_precision:N", title="Precision"),
               alt.Tooltip("event_type:N", title="Type"), alt.Tooltip("evidence:N", title="Evidence"),
               alt.Tooltip("source_label:N", title="Source"), alt.Tooltip("n_sources:Q", title="Sources reporting")]
    base = alt.Chart(data).encode(
        y=alt.Y("actor:N", title="Actor", sort=vocab.ACTORS),
        color=alt.Color("actor:N", scale=ACTOR_COLOURS, title="Actor"),
        tooltip=tooltip,
    )
    spans = base.transform_filter("datum.date_precision != 'day'").mark_bar(
        height=10, opacity=0.35, stroke="black", strokeDash=[3, 2]).encode(
        x=alt.X("date:T", title="Date (local to where it happened)"), x2="span_end:T")
    days = base.transform_filter("datum.date_precision == 'day'").mark_point(
        size=90, filled=True, opacity=0.9).encode(
        x="date:T", shape=alt.Shape("event_type:N", title="Event type", scale=alt.Scale(domain=types,
                                    range=SHAPES[:len(types)])))
    return (spans + days).properties(
        title=title, width=640, height=220,
        description=("Timeline of events by actor. Dashed bars are events the texts date only to a span "
                     "(a month, a season or several days); markers are events dated to a day."),
    ).interactive(bind_y=False)


def escalation(events: pd.DataFrame, *, title: str = "Conflict intensity per day") -> alt.Chart:
    """Conflict intensity per day: the sum of the kit's conflict weights of the events dated to that day.

    Args:
        events: events (``date``, ``date_precision``, ``event_type``).
        title: the chart title.
    Returns:
        An Altair bar chart; events not dated to a day are left out (the caption says so).
    """
    day = events[events["date_precision"] == "day"].copy()
    day["weight"] = day["event_type"].astype(str).map(vocab.CONFLICT_WEIGHT)
    per_day = day.groupby("date", as_index=False).agg(intensity=("weight", "sum"), events=("event_id", "count"))
    per_day = _dates(per_day, ["date"])
    return alt.Chart(per_day).mark_bar(color=OKABE_ITO[1]).encode(
        x=alt.X("date:O", title="Date"), y=alt.Y("intensity:Q", title="Conflict intensity (sum of weights)"),
        tooltip=[alt.Tooltip("date:N", title="Date"), alt.Tooltip("intensity:Q", title="Intensity"),
                 alt.Tooltip("events:Q", title="Events")],
    ).properties(title=title, width=520, height=220,
                 description="Bar chart of conflict intensity per day, summing the conflict weight of each "
                             "event dated to that day.")


def quote_features(features: pd.DataFrame, *, title: str = "Surface features of each quote") -> alt.Chart:
    """A heat map of surface features (rows: quotes, columns: features).

    Args:
        features: the output of ``brink.text.surface_features``.
        title: the chart title.
    Returns:
        An Altair chart with the count written in each cell.
    """
    long = features.melt(id_vars=["quote_id", "speaker"],
                         value_vars=["capitals", "exclamations", "direct_address", "hedges"],
                         var_name="feature", value_name="count")
    long["count"] = long["count"].astype(int)
    long["quote"] = long["quote_id"] + " " + long["speaker"]
    base = alt.Chart(long).encode(x=alt.X("feature:N", title="Feature"), y=alt.Y("quote:N", title="Quote"))
    cells = base.mark_rect().encode(color=alt.Color("count:Q", title="Count", scale=alt.Scale(scheme="blues")))
    text = base.mark_text().encode(text="count:Q")
    return (cells + text).properties(title=title, width=300,
                                     description="Heat map of counts of capitalised words, exclamation marks, "
                                                 "direct address and hedges in each quote.")


def count_bars(table: pd.DataFrame, x: str, y: str, colour: str, *, title: str, x_title: str, y_title: str,
               description: str) -> alt.Chart:
    """Horizontal bars of a count, coloured by a category (used for attribution and framing).

    Args:
        table: a long table.
        x: the count column; y: the category on the vertical axis; colour: the colour category.
        title, x_title, y_title, description: the chart's words.
    Returns:
        An Altair bar chart.
    """
    domain = sorted(table[colour].astype(str).unique())
    return alt.Chart(table).mark_bar().encode(
        x=alt.X(f"{x}:Q", title=x_title), y=alt.Y(f"{y}:N", title=y_title),
        color=alt.Color(f"{colour}:N", scale=alt.Scale(domain=domain, range=OKABE_ITO[:len(domain)]),
                        title=colour.replace("_", " ").capitalize()),
        tooltip=[f"{y}:N", f"{colour}:N", f"{x}:Q"],
    ).properties(title=title, width=420, description=description)


def icd203_bands(bands: pd.DataFrame, claims: pd.DataFrame, *,
                 title: str = "Estimative words on the ICD 203 scale") -> alt.LayerChart:
    """The ICD 203 bands as grey bars, with each banded claim's term drawn over its band.

    Args:
        bands: ``brink.icd203()``.
        claims: claims with ``p_low``/``p_high``.
        title: the chart title.
    Returns:
        An Altair layered chart.
    """
    b = bands.assign(label=bands["term"] + " / " + bands["synonym"])
    order = list(b["label"])
    c = claims.dropna(subset=["p_low"]).copy()
    c["label"] = [next(lab for lab, lo in zip(b["label"], b["p_low"]) if lo == p) for p in c["p_low"]]
    c["p_mid"] = (c["p_low"] + c["p_high"]) / 2
    c = c[["claim_id", "estimative_term", "text", "label", "p_low", "p_high", "p_mid", "band_basis"]].astype(
        {"p_low": float, "p_high": float, "p_mid": float})
    y = alt.Y("label:N", sort=order, title="ICD 203 expression")
    grey = alt.Chart(b).mark_bar(color="#BBBBBB", height=14).encode(
        x=alt.X("p_low:Q", title="Probability", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        x2="p_high:Q", y=y, tooltip=["term:N", "synonym:N", "p_low:Q", "p_high:Q"])
    pts = alt.Chart(c).mark_point(filled=True, size=120, color=OKABE_ITO[1]).encode(
        x="p_mid:Q", y=y, tooltip=[alt.Tooltip("claim_id:N", title="Claim"),
                                   alt.Tooltip("estimative_term:N", title="As written"),
                                   alt.Tooltip("text:N", title="Claim text"),
                                   alt.Tooltip("band_basis:N", title="Mapped as")])
    return (grey + pts).properties(title=title, width=460,
                                   description="The seven ICD 203 probability bands as grey bars, with a "
                                               "marker for each claim whose hedge falls in a band.")


def coverage(reports: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame, *,
             title: str = "Which source reports which event") -> alt.Chart:
    """A coverage matrix: events down, sources across, a filled cell where a source reports the event.

    Args:
        reports: event reports; events: events (for order and description); sources: for labels.
        title: the chart title.
    Returns:
        An Altair heat map with the number of mentions in each cell.
    """
    n = reports.groupby(["event_id", "source_id"], as_index=False).size().rename(columns={"size": "mentions"})
    grid = pd.MultiIndex.from_product([events["event_id"], sources["source_id"]],
                                      names=["event_id", "source_id"]).to_frame(index=False)
    grid = grid.merge(n, how="left").fillna({"mentions": 0})
    grid = grid.merge(events[["event_id", "description", "date"]], on="event_id")
    grid = grid.merge(sources[["source_id", "label"]], on="source_id")
    grid["event"] = grid["event_id"] + " " + grid["description"].str.slice(0, 48)
    grid["mentions"] = grid["mentions"].astype(int)
    order = list((events.sort_values("date")["event_id"] + " " + events.sort_values("date")["description"].str.slice(0, 48)))
    grid = grid[["event", "label", "mentions"]]
    base = alt.Chart(grid).encode(x=alt.X("label:N", title="Source"), y=alt.Y("event:N", sort=order, title="Event"))
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("mentions:Q", title="Mentions", scale=alt.Scale(domain=[0, 4], range=["#F2F2F2", OKABE_ITO[0]])),
        tooltip=["event:N", "label:N", "mentions:Q"])
    text = base.mark_text(fontSize=10).encode(text=alt.Text("mentions:Q"),
                                               color=alt.condition("datum.mentions > 1", alt.value("white"), alt.value("black")))
    return (cells + text).properties(title=title, width=330,
                                     description="Coverage matrix: each row is an event, each column a source; the "
                                                 "number in a cell is how often that source mentions that event.")


def discrepancy_dots(discrepancies: pd.DataFrame, sources: pd.DataFrame, *,
                     title: str = "Where the sources give different numbers") -> alt.Chart:
    """Each numeric discrepancy as dots on a shared axis, one colour per source, faceted by topic.

    Args:
        discrepancies: the discrepancies table; sources: for labels.
        title: the chart title.
    Returns:
        An Altair chart of the rows that carry a number.
    """
    d = discrepancies.dropna(subset=["value"]).merge(sources[["source_id", "label"]], on="source_id")
    d = d[["topic", "label", "reported", "value", "qualifier"]].astype({"value": float, "qualifier": str})
    domain = list(sources["label"])
    return alt.Chart(d).mark_point(filled=True, size=140).encode(
        x=alt.X("value:Q", title="Figure as reported"), y=alt.Y("label:N", title=None),
        color=alt.Color("label:N", title="Source", scale=alt.Scale(domain=domain, range=OKABE_ITO[:len(domain)])),
        shape=alt.Shape("qualifier:N", title="Qualifier"),
        tooltip=[alt.Tooltip("reported:N", title="Words"), alt.Tooltip("qualifier:N", title="Qualifier"),
                 alt.Tooltip("value:Q", title="Value")],
    ).properties(width=420, height=60).facet(row=alt.Row("topic:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
                                             title=title, description="Dot plot of each figure the sources report "
                                             "differently, one panel per topic, one colour per source.").resolve_scale(x="independent")
