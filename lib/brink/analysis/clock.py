"""A clock for lesson 01: a slider of moments that redraws the timeline as it stood then (``brink.as_of``).

The widget only wires a control to the pure functions: ``known_timeline(moment)`` builds the chart, and
the slider calls it. Its text form (what a stored notebook shows, since a widget's view is not stored)
names the moments and the one drawn, so stored outputs do not depend on anyone moving the slider.
"""
from __future__ import annotations

from .as_of import as_of, cutoff_moment


def known_timeline(moment, start: str = "2019-12-27", end: str = "2020-01-09"):
    """The lesson-01 timeline of the days ``start``–``end``, drawn as of ``moment``.

    Args:
        moment: the moment (``brink.as_of``'s rule: a date alone is the end of that day).
        start, end: the window of days shown.
    Returns:
        ``(chart, table)``: the Altair timeline and its ``timeline_table``, both as of ``moment``.

    >>> chart, table = known_timeline("2020-01-02")
    >>> list(table["label"])[-2:]
    ['EV14', 'EV15']
    """
    import brink

    from .. import charts
    view = as_of(moment)
    with view:
        ev = brink.with_evidence(brink.events(), brink.event_reports(), brink.sources())
    window = brink.in_window(ev, start, end)
    title = f"Events known at {view.cutoff:%-d %B %Y, %H:%M} UTC"
    return charts.timeline(window, title=title, time_format="%-d %b"), charts.timeline_table(window)


def timeline_clock(moments, start: str = "2019-12-27", end: str = "2020-01-09"):
    """A slider of moments and the timeline as known at the chosen one, redrawn when it moves.

    Args:
        moments: the moments the slider offers, in order (strings as ``brink.as_of`` reads them).
        start, end: the window of days the timeline shows.
    Returns:
        An ipywidgets box: a labelled slider (arrow keys move it) and the chart below. Its ``chart``
        and ``table`` attributes hold what it shows now.
    Raises:
        ValueError: a moment that is not one, named in one line.
    """
    import ipywidgets as w

    marks = [(f"{cutoff_moment(m):%-d %b %Y %H:%M} UTC", str(m)) for m in moments]
    if not marks:
        raise ValueError("timeline_clock: give at least one moment")

    class Clock(w.VBox):
        def __repr__(self) -> str:
            return (f"A clock of {len(marks)} moments, {marks[0][0]} to {marks[-1][0]}: move the slider to redraw "
                    f"the timeline as it stood then (shown: {self.slider.label}). The widget runs in "
                    "JupyterLab; the cell below draws one moment without it.")

    slider = w.SelectionSlider(options=marks, value=marks[-1][1], description="As of",
                               continuous_update=False, layout=w.Layout(width="90%"),
                               style={"description_width": "initial"})
    out = w.Output()
    box = Clock([slider, out])
    box.slider = slider

    def draw(change=None):
        box.chart, box.table = known_timeline(slider.value, start, end)
        # into the widget's own state (never the cell's outputs, with or without a frontend that captures)
        out.outputs = ()
        out.append_display_data(box.chart)

    slider.observe(draw, names="value")
    draw()
    return box

