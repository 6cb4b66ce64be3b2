"""A lesson opened in JupyterLab and saved (Ctrl+S) stays valid: strict nbval passes on the saved file,
JupyterLab writes no PNG of its own into a chart (each stores its PNG preview), the kit's check finds
nothing to fix, and the documented clean step gives back the committed outputs. Works on a copy in the
served release folder."""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from browserkit import scroll_until_drawn
from kitpaths import KIT

LIMIT = 300 * 1024
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
spec = importlib.util.spec_from_file_location("static_charts", KIT / "scripts" / "static_charts.py")
static = importlib.util.module_from_spec(spec)
spec.loader.exec_module(static)


def strict_nbval(path):
    env = dict(os.environ, PYTHONPATH=str(KIT / "tests"))
    env.pop("BRINK_ANSWERS", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "nbval_charts",
                           "--nbval", str(path)], capture_output=True, text=True, cwd=path.parent, env=env)


def charts(path):
    return list(static.chart_outputs(json.loads(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("lesson", ["01-timeline"])
def test_a_lesson_saved_in_jupyterlab_stays_valid(lab, browser, tmp_path, lesson):
    committed = KIT / "notebooks" / f"{lesson}.ipynb"
    name = f"{lesson}-saved-copy.ipynb"
    copy = lab.root / "notebooks" / name
    shutil.copy(committed, copy)
    expected = len(charts(committed))
    assert expected >= 1
    before = copy.stat().st_mtime_ns
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{lab.url}/lab/tree/notebooks/{name}?reset&token={lab.token}")
        panel = page.locator(PANEL)
        panel.locator(".jp-Cell").first.wait_for(timeout=180_000)
        drawn = panel.locator(".vega-embed svg, .vega-embed canvas")
        seen = scroll_until_drawn(page, panel, expected)
        assert seen == expected, "JupyterLab draws each Vega-Lite chart (it ranks above the SVG copy)"
        assert drawn.count() >= 1
        assert panel.locator(".jp-OutputArea-output[data-mime-type='image/svg+xml']").count() == 0
        time.sleep(2)                       # the renderer would write its PNG after drawing, where none is stored
        panel.locator(".jp-Cell").first.click()
        page.keyboard.press("Control+s")
        deadline = time.time() + 30
        while copy.stat().st_mtime_ns == before and time.time() < deadline:
            time.sleep(0.2)
        assert copy.stat().st_mtime_ns != before, "Ctrl+S saved the notebook"
        # the save is whole when JupyterLab no longer marks the tab modified (the server writes atomically)
        deadline = time.time() + 30
        while page.locator("li.lm-TabBar-tab.jp-mod-dirty").count() and time.time() < deadline:
            time.sleep(0.2)
        assert page.locator("li.lm-TabBar-tab.jp-mod-dirty").count() == 0, "the saved tab is no longer modified"
    finally:
        context.close()
        lab.stop_kernels()

    saved = tmp_path / name
    shutil.copy(copy, saved)
    outs = charts(saved)
    assert len(outs) == expected and all(static.SVG in o["data"] for o in outs), "the SVG copies survive a save"
    size = saved.stat().st_size
    png = [o["data"].get(static.PNG) for o in outs]
    assert png == [o["data"][static.PNG] for o in charts(committed)], "each chart keeps its stored PNG preview"
    print(f"\n{lesson}: committed {committed.stat().st_size // 1024} KB, saved in JupyterLab {size // 1024} KB")

    run = strict_nbval(saved)
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout and "failed" not in run.stdout

    assert static.problems(json.loads(saved.read_text(encoding="utf-8")), name) == []
    fixed = subprocess.run([sys.executable, str(KIT / "scripts" / "run_notebooks.py"), "--charts-only", str(saved)],
                           capture_output=True, text=True, cwd=KIT)
    assert fixed.returncode == 0, fixed.stderr
    assert saved.stat().st_size <= LIMIT
    assert static.problems(json.loads(saved.read_text(encoding="utf-8")), name) == []
    assert [o["data"] for o in charts(saved)] == [o["data"] for o in charts(committed)]
