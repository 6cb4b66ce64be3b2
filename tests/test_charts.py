"""The chart gallery: every chart builder drawn with the real data to SVG, and what it shows checked.

Each chart is rendered by vl-convert (the renderer a static view uses) and read back: its title, the
labels written on it, and the screen-reader label of every mark (dates read as dates, never as
milliseconds). Colours are checked for 3:1 contrast on white by WCAG 2 relative luminance.
"""
import re

import pandas as pd
import pytest
import vl_convert as vlc

import brink
from brink import charts, vocab
from brink.text import surface_features

EPOCH_MS = re.compile(r"\b\d{11,}\b")
LONG_DATE = re.compile(r"\b(\d{1,2} )?(January|February|March|April|May|June|July|August|September|October|"
                       r"November|December) \d{4}\b")


def evidence():
    return brink.with_evidence(brink.events(), brink.event_reports(), brink.sources())


def attribution_counts():
    return pd.DataFrame({"label": ["000 news analysis", "000 news analysis", "001 narrative reconstruction"],
                         "attribution": ["named", "anonymous", "named"], "matches": [3, 5, 2]})


#: id -> (chart, its table, words that must be written on the chart)
GALLERY = {
    "timeline-overview": (lambda: charts.timeline(brink.in_window(evidence(), "2019-05-01", "2020-01-08")),
                          lambda: charts.timeline_table(brink.in_window(evidence(), "2019-05-01", "2020-01-08")),
                          ["Events, May 2019 to January 2020", "EV01", "EV04", "United States", "European leaders"]),
    "timeline-week": (lambda: charts.timeline(brink.in_window(evidence(), "2019-12-27", "2020-01-08"),
                                              title="The seven days", time_format="%-d %b"),
                      lambda: charts.timeline_table(brink.in_window(evidence(), "2019-12-27", "2020-01-08")),
                      ["The seven days", "EV05", "EV15", "EV18", "EV21", "EV24", "3 Jan"]),
    "night": (lambda: charts.night(brink.events()), lambda: charts.night_table(brink.events()),
              ["EV13", "EV15", "21:47 UTC", "Baghdad 00:47 (3 Jan)", "Washington 16:47 (2 Jan)",
               "Midnight in Baghdad: 3 January 2020 begins"]),
    "escalation": (lambda: charts.escalation(brink.events(), "2019-12-27", "2020-01-08"),
                   lambda: charts.escalation_table(brink.events(), "2019-12-27", "2020-01-08"),
                   ["Conflict intensity per day", "28 Dec", "EV15", "EV24", "−"]),
    "quote-features": (lambda: charts.quote_features(surface_features(brink.quotes())),
                       lambda: charts.quote_features_table(surface_features(brink.quotes())),
                       ["Surface features of each quote", "capitals", "hedges"]),
    "count-bars": (lambda: charts.count_bars(attribution_counts(), "matches", "label", "attribution", title="Attributions",
                                             x_title="Matches", y_title="Source", description="Attributions per source."),
                   lambda: charts.count_bars_table(attribution_counts(), "matches", "label", "attribution"),
                   ["Attributions", "named: 3", "anonymous: 5", "named: 2"]),
    "icd203": (lambda: charts.icd203_bands(brink.icd203(), brink.claims()),
               lambda: charts.icd203_table(brink.icd203(), brink.claims()),
               ["Estimative words on the ICD 203 scale", "likely / probable"]),
    "coverage": (lambda: charts.coverage(brink.event_reports(), brink.events(), brink.sources()),
                 lambda: charts.coverage_table(brink.event_reports(), brink.events(), brink.sources()),
                 ["Which source reports which event", "002 policy statement"]),
    "discrepancies": (lambda: charts.discrepancy_dots(brink.discrepancies(), brink.sources()),
                      lambda: charts.discrepancy_table(brink.discrepancies(), brink.sources()),
                      ["Where the sources give different numbers", "16 missiles"]),
}


def svg_of(chart):
    return vlc.vegalite_to_svg(chart.to_dict())


def aria_labels(svg):
    return re.findall(r'aria-label="([^"]*)"', svg)


def texts(svg):
    return [re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), t).replace("&amp;", "&")
            for t in re.findall(r"<(?:text|tspan)[^>]*>([^<]+)</(?:text|tspan)>", svg)]   # a line of a text is a tspan


def hexes(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from hexes(v)
    elif isinstance(node, list):
        for v in node:
            yield from hexes(v)
    elif isinstance(node, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", node):
        yield node


@pytest.fixture(scope="module", params=sorted(GALLERY))
def drawn(request):
    build, table, words = GALLERY[request.param]
    chart = build()
    return request.param, chart, table(), words, svg_of(chart)


def test_title_description_and_words_on_the_chart(drawn):
    name, chart, table, words, svg = drawn
    spec = chart.to_dict()
    assert len(spec["description"]) > 20, f"{name}: a description screen readers announce"
    shown = " | ".join(texts(svg))
    for w in words:
        assert w in shown, f"{name}: {w!r} is not written on the chart"


def test_marks_have_labels_that_read_dates_as_dates(drawn):
    name, chart, table, words, svg = drawn
    labels = aria_labels(svg)
    marks = [lab for lab in labels if not lab.startswith(("X-axis", "Y-axis", "Axis"))]
    if name not in ("coverage", "quote-features"):     # heat maps: an empty cell is a written 0, not a mark
        assert len(marks) >= len(table), f"{name}: each drawn row has a screen-reader label"
    assert not [lab for lab in labels if EPOCH_MS.search(lab)], f"{name}: a label reads a date as milliseconds"
    if name.startswith(("timeline", "night", "escalation")):
        dated = [lab for lab in marks if LONG_DATE.search(lab)]
        assert len(dated) >= len(table), f"{name}: every mark's label says its date in words"


def test_every_row_of_the_table_is_reachable_without_a_mouse(drawn):
    name, chart, table, words, svg = drawn
    assert len(table) > 0
    if "label" in table.columns and name.startswith(("timeline", "night")):
        spoken = " ".join(aria_labels(svg))
        assert all(lab in spoken for lab in table["label"]), f"{name}: a table row has no mark"


def test_every_colour_has_3_to_1_contrast_on_white(drawn):
    name, chart, table, words, svg = drawn
    low = {c: round(charts.contrast_ratio(c), 2) for c in hexes(chart.to_dict()) if charts.contrast_ratio(c) < 3}
    assert not low, f"{name}: colours under 3:1 on white: {low}"


def test_palette_contrast_and_the_replaced_colours():
    for colour in charts.PALETTE:
        assert charts.contrast_ratio(colour) >= 3, colour
    for weak in ("#E69F00", "#56B4E9", "#F0E442"):
        assert charts.contrast_ratio(weak) < 3 and weak not in charts.PALETTE
    assert round(charts.contrast_ratio("#767676"), 2) == 4.54       # the WCAG reference grey
    assert len(set(charts.PALETTE)) == len(charts.PALETTE)


def test_builders_never_change_their_input():
    ev = evidence()
    before = ev.copy()
    charts.timeline(ev)
    charts.escalation(ev, "2019-12-27", "2020-01-08")
    charts.night(ev)
    pd.testing.assert_frame_equal(ev, before)


def test_timeline_axis_is_continuous_and_spans_cover_their_days():
    ev = brink.in_window(evidence(), "2019-12-27", "2020-01-08")
    spec = charts.timeline(ev).to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    assert x["type"] == "temporal" and x["scale"]["type"] == "utc"
    rows = next(iter(spec["datasets"].values()))
    assert sorted(r["label"] for r in rows) == sorted(ev["event_id"]), "no event is dropped"
    ev18 = next(r for r in rows if r["label"] == "EV18")
    assert ev18["span"] and ev18["end_ms"] - ev18["start_ms"] == 6 * 86_400_000, "a bar over all six days"
    ev15 = next(r for r in rows if r["label"] == "EV15")
    assert not ev15["span"] and "aria" not in ev15, "the stored rows do not repeat each description"
    marks, _, _ = charts._timeline_marks(ev, 640)
    spoken = set(aria_labels(svg_of(charts.timeline(ev))))
    assert set(marks["aria"]) <= spoken, "Vega's screen-reader label is the one _timeline_marks writes"


def test_every_event_is_labelled_and_no_label_shares_room_in_its_row():
    """The overview's crowded late December: each event keeps its label, and in each row no mark's room
    (its marker or bar and its label) runs into the next one's (tests/test_chart_geometry.py measures the
    drawn chart)."""
    ev = brink.in_window(evidence(), "2019-05-01", "2020-01-09")
    marks, domain, order = charts._timeline_marks(ev, 640)
    assert (marks["shown"] == marks["label"]).all() and sorted(marks["label"]) == sorted(ev["event_id"])
    px = lambda ms: (ms - domain[0]) / (domain[1] - domain[0]) * 640
    for row, group in marks.groupby("row"):
        rooms = sorted((px(s) - charts.MARK_PX, px(a) + charts.LABEL_DX + len(lab) * charts.LABEL_PX)
                       for s, a, lab in zip(group["start_ms"], group["label_ms"], group["shown"]))
        assert all(a[1] <= b[0] for a, b in zip(rooms, rooms[1:])), f"labels overlap in {row}"
        assert rooms[0][0] >= 0 and rooms[-1][1] <= 640, f"a label in {row} runs outside the plot"
    us = [r for r in order if r.startswith("United States#")]
    assert len(us) > 5, "late December's American events stack in more rows than the old five"
    ev18 = marks.set_index("label").loc["EV18"]
    assert ev18["span"] and ev18["label_ms"] == ev18["end_ms"], "a bar's label begins beyond the bar"


def test_night_names_each_row_whole_broken_between_words():
    chart = charts.night(brink.events())
    rows = next(iter(chart.to_dict()["datasets"].values()))
    table = charts.night_table(brink.events())
    for r, what in zip(rows, table["what"]):
        lines = r["row"].split("\n")
        assert " ".join(lines) == f"{r['label']} {what}", "the whole description, no word cut or left out"
        assert all(len(line) <= charts.NIGHT_WRAP for line in lines)
        assert "…" not in r["row"]
    svg = svg_of(chart)
    assert "Cham Wings Flight 6Q501" in svg and "with Soleimani aboard" in svg


def test_escalation_goes_down_as_well_as_up_and_sums_check():
    table = charts.escalation_table(brink.events(), "2019-12-27", "2020-01-08")
    parts = charts.escalation_parts(brink.events(), "2019-12-27", "2020-01-08")
    assert list(table["date"]) == list(pd.date_range("2019-12-27", "2020-01-08")), "every day, none skipped"
    assert (table.loc[table["events"] == "", "net"] == 0).all() and (table["events"] == "").any()
    assert (table["de-escalation"] < 0).any(), "de-escalation weighs below zero"
    sums = parts.groupby("date")["share"].sum()
    for d, net in zip(table["date"], table["net"]):
        assert net == pytest.approx(sums.get(d, 0.0))
    assert vocab.CONFLICT_WEIGHT["RETREAT"] < 0 < vocab.CONFLICT_WEIGHT["ASSAULT"]
    # a span-dated event is spread over its span: its shares add up to its weight
    whole = charts.escalation_parts(brink.events(), "2019-01-01", "2020-12-31")
    for event_id, g in whole.groupby("event_id"):
        assert g["share"].sum() == pytest.approx(g["weight"].iloc[0]), event_id


def test_escalation_weights_change_the_curve():
    flat = {t: 0 for t in vocab.CONFLICT_WEIGHT} | {"ASSAULT": 1}
    t = charts.escalation_table(brink.events(), "2020-01-03", "2020-01-03", flat)
    assert t["net"].tolist() == [1.0]


def test_night_reads_one_instant_in_three_clocks():
    t = charts.night_table(brink.events()).set_index("label")
    assert list(t.index) == ["EV13", "EV14", "EV15"]
    assert t.loc["EV15", "UTC"] == "21:47, 2 January 2020"
    assert t.loc["EV15", "Baghdad"] == "00:47, 3 January 2020"
    assert t.loc["EV15", "Washington"] == "16:47, 2 January 2020"
    spec = charts.night(brink.events()).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "utc"
