"""Charts as a student meets them: each lesson opened untrusted in JupyterLab, nothing run.

Every stored chart draws; axe-core finds no serious or critical problem in the chart outputs or
in the tables beside them; each chart carries its description for a screen reader.
"""
import json
import re
import time
from pathlib import Path

import pytest

EPOCH_MS = re.compile(r"\b\d{11,}\b")

KIT = Path(__file__).resolve().parents[2]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
VEGA = "application/vnd.vegalite.v5+json"


def stored(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [o["data"][VEGA] for c in nb["cells"] for o in c.get("outputs", []) if VEGA in o.get("data", {})]


def drawn_by_the_kit(spec: dict) -> bool:
    """Charts from ``brink.charts`` ask for SVG and no actions menu (``usermeta.embedOptions``)."""
    return spec.get("usermeta", {}).get("embedOptions", {}).get("renderer") == "svg"


#: every lesson that stores a chart
LESSONS = [p for p in sorted((KIT / "notebooks").glob("*.ipynb")) if stored(p)]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_stored_chart_asks_for_svg_without_the_actions_menu(path):
    """A chart drawn any other way would escape the checks below (canvas marks carry no labels)."""
    assert all(map(drawn_by_the_kit, stored(path))), f"{path.name} stores a chart not drawn by the kit's rules"


@pytest.fixture(scope="module")
def axe_source():
    import axe_playwright_python
    return str(Path(axe_playwright_python.__file__).with_name("axe.min.js"))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_charts_draw_and_axe_finds_nothing_serious(path, lab, browser, axe_source, screenshots):
    specs = stored(path)
    # a laptop-sized window: a table wider than the output area would scroll sideways there, and
    # JupyterLab does not make that area keyboard-focusable (axe-core: scrollable-region-focusable)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{lab.url}/lab/tree/notebooks/{path.name}?reset&token={lab.token}")
        panel = page.locator(PANEL)
        panel.locator(".jp-Cell").first.wait_for(timeout=180_000)
        drawn = panel.locator(".vega-embed svg.marks, .vega-embed canvas.marks")
        deadline = time.time() + 180         # under load the Vega renderer can take long to load
        while drawn.count() < len(specs) and time.time() < deadline:
            # JupyterLab renders outputs as they scroll into view, and re-renders cells meanwhile: scroll
            # each cell present now from inside the page, in one step, so no cell found a moment ago can
            # be gone (detached) by the time it is scrolled; the loop waits for the charts, not for time
            page.evaluate("(sel) => document.querySelectorAll(sel).forEach(c => c.scrollIntoView({block: 'nearest'}))",
                          f"{PANEL} .jp-Cell")
            time.sleep(0.5)
        assert drawn.count() == len(specs), f"{path.name}: {drawn.count()} of {len(specs)} charts drawn"
        page.screenshot(path=str(Path(screenshots) / f"charts-{path.stem}.png"), full_page=True)
        labels = page.evaluate("""(sel) => [...document.querySelectorAll(sel)].map(
            e => [e.getAttribute('aria-label'), e.getAttribute('aria-description'), e.tagName === 'title' ? e.textContent : '']
                 .filter(Boolean).join(' '))""", f"{PANEL} .vega-embed, {PANEL} .vega-embed [aria-label], {PANEL} .vega-embed title")
        head = page.evaluate("(sel) => document.querySelector(sel).outerHTML.slice(0, 700)", f"{PANEL} .vega-embed")
        for spec in specs:
            assert spec["description"][:60] in " ".join(labels), f"{path.name}: no chart says {spec['description'][:60]!r}: {head}"
        assert panel.locator(".vega-embed svg.marks").count() == len(specs), "the kit's charts draw as SVG"
        assert not [a for a in labels if EPOCH_MS.search(a)], f"{path.name}: a screen-reader label reads a date as a number"
        if path.stem == "01-timeline":
            assert "EV15, 3 January 2020 (day)" in " ".join(labels), "each mark's label says its date in words"
        page.add_script_tag(path=axe_source)
        result = page.evaluate("""async (sel) => {
            const r = await axe.run({include: [[sel]]}, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help,
                                           html: v.nodes.slice(0, 2).map(n => n.html.slice(0, 160)),
                                           wide: v.nodes.slice(0, 3).map(n => {
                                               const e = document.querySelector(n.target[0]);
                                               return e ? [e.scrollWidth, e.clientWidth, (e.innerText ?? e.textContent ?? "").slice(0, 120)] : []; })}));
        }""", f"{PANEL} .jp-OutputArea-output:has(.vega-embed), {PANEL} .jp-OutputArea-output:has(table.dataframe)")
        serious = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not serious, f"{path.name}: axe-core: {serious}"
        assert not errors, errors
    finally:
        context.close()
        lab.stop_kernels()
