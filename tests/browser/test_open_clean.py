"""What a student sees right after opening a notebook, in the kit and in a student release, each started
with `brink lab` as the README says: no "Jupyter news?" prompt over the lesson, and no notebook marked
as modified before anyone typed (issue 20).

JupyterLab asks about news unless its ``fetchNews`` setting is given; `brink lab` puts the kit's default
(``lib/brink/jupyterlab-overrides/brink.json``) into the environment's JupyterLab settings. A notebook
opens marked modified when JupyterLab changes it on opening: the kernel's ``language_info`` written into
its metadata, or a PNG written into each chart output by the Vega renderer; the stored notebooks hold
both already. The user settings folder is empty, as on a student's first start.
"""
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from brink.lab import app_settings_dir
from browserkit import LabClient, free_port, lab_env

KIT = Path(__file__).resolve().parents[2]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
NEWS = "Jupyter news"
VEGALITE = "application/vnd.vegalite.v5+json"


class BrinkLab(LabClient):
    """`python -m brink lab --no-browser --port P` run in ``cwd``, with Jupyter folders of its own."""

    def __init__(self, cwd: Path, home: Path, extra_env: dict | None = None):
        env = lab_env(home, extra_env)
        self.home = home
        self.log = open(home / "lab.err", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "brink", "lab", "--port", str(free_port()), "--no-browser"],
                                     cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=self.log, text=True,
                                     start_new_session=True)
        first = self.proc.stdout.readline()
        m = re.fullmatch(r"JupyterLab: (http://127\.0\.0\.1:\d+)/lab/tree/\S+\?token=(\w+)\n", first)
        assert m, first + (home / "lab.err").read_text()
        self.url, self.token = m.group(1), m.group(2)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                self.api("GET", "/api/status")
                return
            except OSError:
                assert self.proc.poll() is None, (home / "lab.err").read_text()[-2000:]
                time.sleep(0.5)
        raise AssertionError("JupyterLab did not answer in 120 s")


def kit_copy(dest: Path) -> Path:
    """The kit's lessons, exercises and data, so that a notebook JupyterLab would save is never the kit's own."""
    for name in ("notebooks", "exercises", "data", "docs"):
        shutil.copytree(KIT / name, dest / name, ignore=shutil.ignore_patterns("brink-answers", ".ipynb_checkpoints"))
    for name in ("pyproject.toml", "Makefile", "README.md"):
        shutil.copy2(KIT / name, dest / name)
    return dest


@pytest.fixture(scope="module", params=["kit", "release"])
def served(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "kit":
        kit_copy(root)
        extra = {}
    else:
        from brink.exercises.coursework import assign
        assign(root, force=True)
        extra = {"PYTHONPATH": str(root / "lib")}
    lab = BrinkLab(root, tmp_path_factory.mktemp("jupyter-home"), extra)
    yield request.param, root, lab
    lab.close()


def stored_charts(path: Path) -> int:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(VEGALITE in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


def notebooks(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in sorted((root / "notebooks").glob("*.ipynb"))
            + sorted((root / "exercises").glob("*.ipynb"))]


def test_notebooks_open_unmodified_and_no_news_prompt(served, browser):
    kind, root, lab = served
    opened = notebooks(root)
    assert len(opened) >= 9, opened
    overrides = app_settings_dir() / "overrides.d" / "brink.json"
    assert json.loads(overrides.read_text(encoding="utf-8"))[
        "@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    # every notebook in its own tab at once: their kernels start side by side
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pages = {}
    for rel in opened:
        pages[rel] = context.new_page()
        pages[rel].goto(f"{lab.url}/lab/workspaces/w{len(pages)}/tree/{rel}?reset&token={lab.token}")
    deadline = time.time() + 600          # a wait, not a timing claim: a loaded machine is slow
    modified, prompts = [], []
    for rel, page in pages.items():
        panel = page.locator(PANEL)
        panel.locator(".jp-Cell").first.wait_for(timeout=max(1, deadline - time.time()) * 1000)
        status = page.locator("#jp-main-statusbar")
        while "| Idle" not in status.inner_text():
            assert time.time() < deadline, f"{rel}: kernel not idle: {status.inner_text()!r}"
            time.sleep(0.3)
        charts = stored_charts(root / rel)
        while panel.locator(".vega-embed svg, .vega-embed canvas").count() < charts:
            assert time.time() < deadline, f"{rel}: {charts} stored charts not drawn"
            time.sleep(0.3)
    time.sleep(2)          # what JupyterLab changes on opening (kernel info, a chart's PNG) is done by now
    for rel, page in pages.items():
        assert page.locator("li.lm-TabBar-tab", has_text=Path(rel).name).count() == 1
        if page.locator("li.lm-TabBar-tab.jp-mod-dirty").count():
            modified.append(rel)
        prompts += [f"{rel}: {t!r}" for t in page.locator(".Toastify__toast").all_inner_texts() if NEWS in t]
    context.close()
    assert not prompts, f"{kind}: the news prompt was shown: {prompts}"
    assert not modified, f"{kind}: opened marked as modified: {modified}"
