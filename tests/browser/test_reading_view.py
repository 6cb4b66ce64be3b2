"""The reading layer as a student sees it: lesson 00 opened untrusted in JupyterLab, nothing run."""
import time
from pathlib import Path

import pytest

from brink import reading

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def by_id(x):
    """JupyterLab's sanitizer renames ``id`` to ``data-jupyter-id`` in an untrusted notebook."""
    return f"{PANEL} [id='{x}'], {PANEL} [data-jupyter-id='{x}']"


@pytest.fixture(scope="module")
def page(lab, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{lab.url}/lab/tree/notebooks/00-start-here.ipynb?reset&token={lab.token}")
    readings = page.locator(f"{PANEL} .brink-reading")
    deadline = time.time() + 120        # a wait for the state (every reading shown), not a timing claim
    while readings.count() < len(reading.read_all()) and time.time() < deadline:
        time.sleep(0.3)
    page.errors = errors
    yield page
    context.close()
    lab.stop_kernels()


def test_every_mark_shows_in_the_stored_output_untrusted(page):
    expected = sum(len(r.spans) for r in reading.read_all())
    marks = page.locator(f"{PANEL} .brink-reading mark[id$='-m'], {PANEL} .brink-reading mark[data-jupyter-id$='-m']")
    assert marks.count() == expected
    assert page.locator(f"{PANEL} .brink-reading script").count() == 0
    assert not page.errors, page.errors


def test_the_look_survives_the_sanitizer(page):
    """Inline styles are kept: underlines show, kind names are hidden from sight but present."""
    first = page.locator(f"{PANEL} .brink-reading article mark").first
    style = first.evaluate("m => getComputedStyle(m).borderBottomStyle")
    assert style in ("solid", "double", "dashed", "dotted"), style
    hidden = first.locator("sup span").first
    box = hidden.bounding_box()
    assert box is None or (box["width"] <= 1 and box["height"] <= 1), box
    assert hidden.text_content().strip().endswith("start")


def test_a_label_leads_to_its_row_and_the_row_back(page, screenshots):
    r = reading.read_all()[1]
    s = r.spans[len(r.spans) // 2]
    mark_id, row_id = reading._anchor_ids(r, s)
    page.locator(by_id(mark_id)).locator("sup a").first.click()
    row = page.locator(by_id(row_id))
    deadline = time.time() + 30          # the scroll is quick; a starved browser may be slow to paint it
    while not row.is_visible() or not _in_view(page, row):
        assert time.time() < deadline, "the row is not scrolled into view"
        time.sleep(0.1)
    page.screenshot(path=str(Path(screenshots) / "reading-row.png"))
    row.locator("a").first.click()
    mark = page.locator(by_id(mark_id))
    deadline = time.time() + 30          # the scroll is quick; a starved browser may be slow to paint it
    while not _in_view(page, mark):
        assert time.time() < deadline, "the mark is not scrolled into view"
        time.sleep(0.1)
    page.screenshot(path=str(Path(screenshots) / "reading-mark.png"))


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_axe_finds_nothing_serious_in_the_reading_layer(page):
    import axe_playwright_python
    script = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    page.add_script_tag(path=str(script))
    result = page.evaluate("""async (sel) => {
        const r = await axe.run({include: [[sel]]}, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help}));
    }""", f"{PANEL} .brink-reading")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe-core: {serious}"
