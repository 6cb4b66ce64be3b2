"""The zero-install JupyterLite build, served from its build folder and opened in Chromium: the site loads
with the lessons, the exercises and the brink wheel, and a lesson's stored charts draw.

Running code is not tested here: the Pyodide kernel fetches its runtime from a CDN when a kernel
starts, and these machines reach no network but the package registries. The only requests that
leave the site are that fetch (asserted), so the rest of the site is served by itself."""
import json
import re
import time

import pytest

from browserkit import scroll_until_drawn
from kitpaths import KIT

pytest.importorskip("jupyterlite_core", reason="the lite extra is not installed (pip install -e '.[lite]')")
PYODIDE_CDN = "https://cdn.jsdelivr.net/pyodide/"


def test_the_site_holds_lessons_exercises_and_the_wheel(lite):
    files = lite["root"] / "files"
    for folder in ("notebooks", "exercises"):
        assert sorted(p.name for p in (files / folder).glob("*.ipynb")) == \
            sorted(p.name for p in (KIT / folder).glob("*.ipynb"))
    for nb in (files / "exercises").glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        assert not [c for c in cells if "solution" in c.get("metadata", {}).get("tags", [])], nb.name
        assert "".join(cells[2]["source"]) == "%pip install -q brink"
    index = json.loads((lite["root"] / "pypi" / "all.json").read_text(encoding="utf-8"))
    assert list(index) == ["brink"]
    (wheel,) = (lite["root"] / "pypi").glob("brink-*-py3-none-any.whl")
    assert wheel.name in json.dumps(index)


def test_a_lesson_opens_and_its_stored_charts_draw(lite, browser, screenshots):
    stored = json.loads((KIT / "notebooks" / "01-timeline.ipynb").read_text(encoding="utf-8"))
    n = sum("application/vnd.vegalite.v5+json" in o.get("data", {}) for c in stored["cells"]
            for o in c.get("outputs", []))
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    requests = []
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(lite["url"] + "lab/index.html?path=notebooks/01-timeline.ipynb")
        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        panel.locator(".jp-Cell").first.wait_for(timeout=90_000)
        panel.locator(".jp-MarkdownCell", has_text="Zero-install copy").first.wait_for(timeout=30_000)
        install = panel.locator(".jp-CodeCell", has_text="%pip install -q brink")
        install.first.wait_for(timeout=30_000)  # the editor's text renders after the markdown
        assert install.count() == 1
        seen = scroll_until_drawn(page, panel, n)
        assert seen == n >= 3, "the stored charts of 01-timeline draw in JupyterLite"
        page.locator(".vega-embed").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "lite-01-timeline.png"))
    finally:
        context.close()
    outside = sorted({u for u in requests if not u.startswith(lite["url"])})
    assert all(u.startswith(PYODIDE_CDN) for u in outside), outside


def test_offline_each_notebook_says_why_nothing_runs(lite, browser, screenshots):
    """With the Pyodide CDN blocked, the kernel never starts; the notebook's first cells say what is happening
    (the kernel "Unknown", the install cell at [*]) and what to do."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked = []
    context.route(PYODIDE_CDN + "**", lambda route: (blocked.append(route.request.url), route.abort()))
    try:
        page = context.new_page()
        page.goto(lite["url"] + "lab/index.html?path=notebooks/00-start-here.ipynb")
        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        notice = panel.locator(".jp-MarkdownCell", has_text="could not be downloaded")
        notice.first.wait_for(timeout=90_000)
        install = panel.locator(".jp-CodeCell", has_text="%pip install -q brink")
        install.first.wait_for(timeout=30_000)
        cells = panel.locator(".jp-Cell")
        # a Markdown cell's rendered text comes after the cell itself: wait for the first three to show text
        deadline = time.time() + 60
        while True:
            order = [cells.nth(i).inner_text() for i in range(3)]
            if all(t.strip() for t in order) or time.time() > deadline:
                break
            time.sleep(0.5)
        assert "could not be downloaded" in order[1] and "%pip install -q brink" in order[2], order
        text = notice.first.inner_text()
        for said in ('status bar at the bottom shows the kernel as "Unknown"', "stays at [*]", "cdn.jsdelivr.net",
                     "make lab"):
            assert said in text, f"the notice does not say {said!r}: {text!r}"
        install.first.click()
        page.keyboard.press("Shift+Enter")
        # the route handler runs only while Playwright has control: wait with page.wait_for_timeout, which lets
        # it run, never time.sleep, which holds the handler back until the deadline has passed
        deadline = time.time() + 60
        while not blocked and time.time() < deadline:
            page.wait_for_timeout(500)
        assert blocked, "the kernel asked the Pyodide CDN for its runtime"
        # wait for the state the notice describes (the kernel "Unknown"), not for time: under load the status
        # bar can still say the kernel is starting a few seconds after the blocked fetch
        status_bar = page.locator("#jp-main-statusbar")
        deadline = time.time() + 90
        while not re.search(r"\| Unknown\b", status_bar.inner_text()) and time.time() < deadline:
            time.sleep(0.5)
        kernel = page.locator(".jp-Toolbar-kernelName, .jp-KernelName").first.inner_text().strip()
        prompt = install.first.locator(".jp-InputPrompt").inner_text().strip()
        status = page.locator("#jp-main-statusbar").inner_text()
        page.screenshot(path=str(screenshots / "lite-offline.png"))
        print(f"\noffline: kernel {kernel!r}, install cell {prompt!r}, status {status!r}")
        # what the notice says the student sees: the kernel "Unknown" in the status bar, the cell waiting
        assert re.search(r"\| Unknown\b", status) and "Idle" not in status, status
        # and no code ran: the cell shows [*] or, when the run reached no kernel (it depends on when the blocked
        # fetch failed, which load changes), [ ]; either way no execution count and no output
        assert prompt in ("[*]:", "[ ]:"), prompt
        assert install.first.locator(".jp-OutputArea-output").count() == 0
    finally:
        context.close()
