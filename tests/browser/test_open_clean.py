"""What a student sees right after opening a notebook, in the kit and in a student release, each started
with `brink lab` as the README says: no "Jupyter news?" prompt over the lesson, and no notebook marked
as modified before anyone typed (issue 20; what is checked: ``browserkit.opening_problems``).

The student release is the browser suite's own JupyterLab (the ``lab`` fixture, `brink lab` in a release
made by `brink assign`): the walks in test_jupyterlab.py open every lesson and every exercise there and
check each one before running it (``NotebookPage.assert_opened_clean``). Here the kit is served by
`brink lab` in a copy of the kit, and the notebooks the release holds byte for byte as the kit does (the
lessons) are not opened a second time: only the kit's own versions (its exercises, with their solution
cells, and the start page), all at once, each in its own tab. The user settings folder is empty, as on a
student's first start.
"""
import json
import shutil
import time
from pathlib import Path

import pytest

from brink.lab import app_settings_dir
from browserkit import SETTLE, Lab, opening_problems, stored_charts

KIT = Path(__file__).resolve().parents[2]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def kit_copy(dest: Path) -> Path:
    """The kit's lessons, exercises and data, so that a notebook JupyterLab would save is never the kit's own."""
    for name in ("notebooks", "exercises", "data", "docs"):
        shutil.copytree(KIT / name, dest / name, ignore=shutil.ignore_patterns("brink-answers", ".ipynb_checkpoints"))
    for name in ("pyproject.toml", "Makefile", "README.md"):
        shutil.copy2(KIT / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def kit_lab(tmp_path_factory):
    root = kit_copy(tmp_path_factory.mktemp("kit"))
    server = Lab(root, tmp_path_factory.mktemp("jupyter-home"))
    yield server
    server.close()


def notebooks(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in sorted((root / "notebooks").glob("*.ipynb"))
            + sorted((root / "exercises").glob("*.ipynb"))]


def test_notebooks_open_unmodified_and_no_news_prompt(kit_lab, lab, browser):
    every = notebooks(kit_lab.root)
    assert len(every) >= 9, every
    # the release's notebooks are opened and checked by test_jupyterlab.py's walks (every lesson, every exercise)
    assert notebooks(lab.root) == every, "the release holds the kit's lessons and exercises, under the same names"
    opened = [rel for rel in every if (kit_lab.root / rel).read_bytes() != (lab.root / rel).read_bytes()]
    assert any(rel.startswith("exercises/") for rel in opened), "the kit's exercises differ from the release's"
    overrides = app_settings_dir() / "overrides.d" / "brink.json"
    assert json.loads(overrides.read_text(encoding="utf-8"))[
        "@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    # every notebook in its own tab at once: their kernels start side by side
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pages = {}
    for rel in opened:
        pages[rel] = context.new_page()
        pages[rel].goto(f"{kit_lab.url}/lab/workspaces/w{len(pages)}/tree/{rel}?reset&token={kit_lab.token}")
    deadline = time.time() + 600          # a wait, not a timing claim: a loaded machine is slow
    for rel, page in pages.items():
        panel = page.locator(PANEL)
        panel.locator(".jp-Cell").first.wait_for(timeout=max(1, deadline - time.time()) * 1000)
        status = page.locator("#jp-main-statusbar")
        while "| Idle" not in status.inner_text():
            assert time.time() < deadline, f"{rel}: kernel not idle: {status.inner_text()!r}"
            time.sleep(0.3)
        charts = stored_charts(kit_lab.root / rel)
        while panel.locator(".vega-embed svg, .vega-embed canvas").count() < charts:
            assert time.time() < deadline, f"{rel}: {charts} stored charts not drawn"
            time.sleep(0.3)
    time.sleep(SETTLE)
    problems = [p for rel, page in pages.items() for p in opening_problems(page, rel)]
    context.close()
    assert not problems, f"kit: {problems}"
