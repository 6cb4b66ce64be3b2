"""The browser suites' shared helpers: a JupyterLab server started as `make lab` starts it, Chromium driven by
Playwright, and the fixtures on them (imported by tests/browser/conftest.py and tests/site/conftest.py, and by
any other suite that drives a browser: `from browserkit import lab, browser, screenshots`).

The browser is the executable named by ``BRINK_CHROMIUM`` (default ``/usr/bin/chromium``, Debian's
package; on GitHub's runners, the one ``python -m playwright install chromium`` fetched).

The ``lab`` fixture serves a student release made by `brink assign` (lessons, and exercises without
solution cells, checked against the compiled key), as a student receives it and starts it (`brink lab`
in the release folder): untrusted, no saved answers, its kernels importing the release's own copy of
the library. It has its own Jupyter data and settings folders (empty user settings, as on a first start). One server serves the whole pytest session (every test of the
suite that asks for it). Teardown deletes every session and kernel through the REST API and stops
the server's whole process group, also when a test fails.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("BRINK_CHROMIUM") or "/usr/bin/chromium")
ARTIFACTS = KIT / "test-artifacts"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def mark_browser_tests(items, suite: str) -> None:
    """Mark ``items`` as browser tests; without Chromium skip them (an error when BRINK_REQUIRE_BROWSER is set)."""
    for item in items:
        item.add_marker(pytest.mark.browser)
    if CHROMIUM.exists() or not items:
        return
    if os.environ.get("BRINK_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"BRINK_REQUIRE_BROWSER is set but {CHROMIUM} is missing: apt-get install "
                                "chromium, or set BRINK_CHROMIUM to a Chromium executable")
    skip = pytest.mark.skip(reason=f"{suite} skipped: {CHROMIUM} not found (apt-get install chromium, "
                            "or set BRINK_CHROMIUM)")
    for item in items:
        item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_env(home: Path, extra_env: dict | None = None, base: dict | None = None) -> dict:
    """The environment of a JupyterLab with Jupyter folders of its own under ``home`` (empty user settings,
    as on a student's first start); answers go beside the notebooks, as for a student. ``base`` is the
    environment to start from (this process's by default)."""
    env = dict(os.environ if base is None else base)
    for var, sub in [("JUPYTER_DATA_DIR", "data"), ("JUPYTER_CONFIG_DIR", "config"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env.pop("BRINK_ANSWERS", None)
    env.update(extra_env or {})
    return env


class LabClient:
    """The REST calls and the shutdown shared by every JupyterLab a test starts (``url``, ``token``,
    ``proc`` started in a session of its own, ``log`` its open log file)."""

    def api(self, method: str, path: str, token: bool = True):
        headers = {"Authorization": f"token {self.token}"} if token else {}
        req = urllib.request.Request(self.url + path, method=method, headers=headers)
        # a wait, not a timing claim: a starved server (a kernel's shutdown, say) can take long to answer
        with urllib.request.urlopen(req, timeout=60) as r:
            body = r.read()
            return json.loads(body) if body else None

    def stop_kernels(self):
        for s in self.api("GET", "/api/sessions") or []:
            self.api("DELETE", f"/api/sessions/{s['id']}")
        for k in self.api("GET", "/api/kernels") or []:
            self.api("DELETE", f"/api/kernels/{k['id']}")

    def close(self):
        try:
            self.stop_kernels()
        except Exception:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


class Lab(LabClient):
    """`python -m brink lab --port P --no-browser` run in ``root``, as the README starts it (the kit's
    JupyterLab defaults installed, a fresh token), with Jupyter folders of its own under ``home``.

    brink lab prints the address with its token, then becomes JupyterLab (the same process id); what the
    server writes after that goes to ``home/lab.log``.
    """

    def __init__(self, root: Path, home: Path, extra_env: dict | None = None, timeout: float = 180):
        # the start is a wait (timeout): a starved machine starts JupyterLab slowly
        self.root = root
        env = lab_env(home, extra_env)
        self.log = open(home / "lab.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "brink", "lab", "--port", str(free_port()),
                                      "--no-browser"], cwd=root, env=env, stdout=subprocess.PIPE,
                                     stderr=self.log, text=True, start_new_session=True)
        first = self.proc.stdout.readline()
        m = re.fullmatch(r"JupyterLab: (http://127\.0\.0\.1:(\d+))/lab\S*\?token=(\w+)\n", first)
        if not m:
            self.proc.wait(timeout=30)
            raise RuntimeError(f"brink lab printed {first!r}: {(home / 'lab.log').read_text()[-2000:]}")
        self.url, self.port, self.token = m.group(1), int(m.group(2)), m.group(3)
        # the kernels' stdout is this pipe too: keep reading it into the log, so it can never fill up
        threading.Thread(target=self._drain, daemon=True).start()
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                self.api("GET", "/api/status")
                return
            except OSError:               # refused, reset, or timed out (URLError and TimeoutError are OSErrors)
                if self.proc.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited: {(home / 'lab.log').read_text()[-2000:]}") from None
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not start in {timeout:.0f} s")

    def _drain(self):
        for line in self.proc.stdout:
            try:
                self.log.write(line)
            except ValueError:      # the log was closed: the server is stopping
                return


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    from brink.exercises.coursework import assign
    root = tmp_path_factory.mktemp("student-release")
    assign(root, force=True)
    assert not (root / "exercises" / "questions.toml").exists()
    server = Lab(root, tmp_path_factory.mktemp("jupyter-home"), {"PYTHONPATH": str(root / "lib")})
    yield server
    server.close()
    assert server.proc.poll() is not None, "the server is stopped"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def screenshots():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


#: the notebook JupyterLab shows (the others stay in the DOM, hidden)
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def scroll_until_drawn(page, panel, expected: int, timeout: float = 180) -> int:
    """Scroll a notebook from the top, pass after pass, until ``expected`` charts have drawn; the count reached.

    JupyterLab (and JupyterLite) render outputs as they come into view, and under load its Vega renderer can
    take long to load: a chart scrolled past before the renderer came is drawn on a later pass. Each drawn
    chart's output is marked once, so a chart windowed out of the DOM again still counts. Waits for the state
    (every chart drawn), bounded by ``timeout`` seconds; the caller asserts the count.
    """
    outer = panel.locator(".jp-WindowedPanel-outer")
    count = """() => { document.querySelectorAll('.vega-embed').forEach(
        e => { if (e.querySelector('svg, canvas')) e.closest('.jp-OutputArea-output').dataset.seen = 1 });
        return document.querySelectorAll('.jp-OutputArea-output[data-seen]').length }"""
    seen = 0
    deadline = time.time() + timeout
    while seen < expected and time.time() < deadline:
        outer.evaluate("el => el.scrollTo(0, 0)")
        for _ in range(400):
            at_end = outer.evaluate(
                "el => { el.scrollBy(0, 500); return el.scrollTop + el.clientHeight >= el.scrollHeight - 2 }")
            seen = page.evaluate(count)
            time.sleep(0.1)
            if at_end or seen >= expected:
                break
        if seen < expected:
            time.sleep(1)
    return seen


#: seconds after the kernel is idle and the stored charts are drawn by which what JupyterLab changes on
#: opening a notebook (the kernel's language_info, a chart's PNG) is done (a wait, not a timing claim)
SETTLE = 2
NEWS = "Jupyter news"


def opening_problems(page, rel: str) -> list[str]:
    """What is wrong with the notebook ``rel`` just opened in ``page`` (issue 20): its tab not shown exactly
    once, the tab marked modified before anyone typed, or JupyterLab's "Jupyter news?" prompt shown.

    JupyterLab asks about news unless its ``fetchNews`` setting is given; `brink lab` puts the kit's default
    (``lib/brink/jupyterlab-overrides/brink.json``) into the environment's JupyterLab settings. A notebook
    opens marked modified when JupyterLab changes it on opening: the kernel's ``language_info`` written into
    its metadata, or a PNG written into each chart output by the Vega renderer; the stored notebooks hold both.
    """
    problems = []
    tabs = page.locator("li.lm-TabBar-tab", has_text=Path(rel).name).count()
    if tabs != 1:
        problems.append(f"{rel}: {tabs} tabs, not one")
    if page.locator("li.lm-TabBar-tab.jp-mod-dirty").count():
        problems.append(f"{rel}: opened marked as modified")
    problems += [f"{rel}: the news prompt was shown: {t!r}" for t in page.locator(".Toastify__toast").all_inner_texts()
                 if NEWS in t]
    return problems


def stored_charts(path: Path) -> int:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum("application/vnd.vegalite.v5+json" in o.get("data", {})
               for c in nb["cells"] for o in c.get("outputs", []))


class NotebookPage:
    def __init__(self, browser, lab, rel_path: str):
        self.lab, self.rel = lab, rel_path
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{lab.url}/lab/tree/{rel_path}?reset&token={lab.token}")
        self.panel = self.page.locator(PANEL)
        self.panel.locator(".jp-Cell").first.wait_for(timeout=180_000)   # a starved browser loads JupyterLab slowly
        self.wait_idle()

    def assert_opened_clean(self, charts: int, timeout: float = 180):
        """Right after opening, before anything ran: the ``charts`` stored charts drawn, no "Jupyter news?"
        prompt and the notebook not marked modified (see ``opening_problems``)."""
        deadline = time.time() + timeout
        while self.charts_drawn() < charts:
            assert time.time() < deadline, f"{self.rel}: {charts} stored charts not drawn"
            time.sleep(0.3)
        time.sleep(SETTLE)
        problems = opening_problems(self.page, self.rel)
        assert not problems, problems

    def wait_idle(self, timeout=90):
        status = self.page.locator("#jp-main-statusbar")
        deadline = time.time() + timeout
        while time.time() < deadline:
            if "| Idle" in status.inner_text():
                return
            time.sleep(0.2)
        raise AssertionError(f"kernel not idle after {timeout} s: {status.inner_text()!r}")

    def menu(self, menu: str, command: str):
        self.page.locator("li.lm-MenuBar-item", has_text=menu).click()
        self.page.locator(f"li.lm-Menu-item[data-command='{command}']").click()

    # Run All queues every code cell at once and JupyterLab shows "[*]" on each queued one. A lesson is stored
    # executed, so its prompts read "[1]:", "[2]:", ... before anything runs, as they do after the run: waiting
    # for "every prompt numbered" alone could return before the run has begun (and then see outputs cleared
    # under it). So an observer, installed before the menu is clicked, records the first "[*]" it sees.
    WATCH_RUN = """(sel) => {
        window.__brinkRunSeen = false;
        const panel = document.querySelector(sel);
        const seen = () => [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                              .some(p => p.textContent.includes('*'));
        const obs = new MutationObserver(() => { if (seen()) { window.__brinkRunSeen = true; obs.disconnect(); } });
        obs.observe(panel, {subtree: true, childList: true, characterData: true});
    }"""

    def wait_all_run(self, timeout=180):
        """Wait until the run started by :meth:`run_all` has begun, every code cell has run, and the kernel is idle."""
        prompts = self.panel.locator(".jp-CodeCell .jp-InputPrompt")
        deadline = time.time() + timeout
        texts = []
        while time.time() < deadline:
            texts = [t.strip() for t in prompts.all_text_contents()]
            if (self.page.evaluate("window.__brinkRunSeen === true")
                    and texts and all(re.fullmatch(r"\[\d+\]:?", t) for t in texts)):
                self.wait_idle(max(1, deadline - time.time()))
                return
            time.sleep(0.3)
        raise AssertionError(f"cells not all run after {timeout} s: {texts}")

    def run_all(self):
        self.page.evaluate(self.WATCH_RUN, PANEL)
        self.menu("Run", "runmenu:run-all")
        self.wait_all_run()

    def restart_and_run_all(self):
        # the old prompts stay until the restart clears them: the observer waits for the re-run's "[*]"
        self.page.evaluate(self.WATCH_RUN, PANEL)
        self.menu("Kernel", "runmenu:restart-and-run-all")
        self.page.locator(".jp-Dialog-button.jp-mod-accept").click()
        self.wait_all_run()

    def error_outputs(self):
        return self.panel.locator("[data-mime-type='application/vnd.jupyter.stderr']").all_text_contents()

    def charts_drawn(self) -> int:
        return self.panel.locator(".vega-embed svg, .vega-embed canvas").count()

    def question(self, qid):
        return self.panel.locator(f".brink-q-{qid}")

    def feedback(self, qid):
        return self.question(qid).locator(".brink-feedback")

    def wait_feedback(self, qid, text, timeout=60):
        # a wait, not a timing claim: on a starved machine the kernel's answer to a click can take long, and a
        # student would wait for it (the click → feedback figures are measured in `make bench`)
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = self.feedback(qid).text_content()
            if text in got:
                return got
            time.sleep(0.1)
        raise AssertionError(f"{qid}: feedback {got!r} lacks {text!r}")

    def screenshot(self, folder, name, target=None):
        if target is not None:
            target.scroll_into_view_if_needed()
        self.page.screenshot(path=str(folder / f"{name}.png"))

    def close(self):
        self.context.close()
        self.lab.stop_kernels()


def wait_for_server(url, token, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):
                return
        except OSError:                   # refused, reset, or timed out: try again until the deadline
            time.sleep(0.5)
    raise AssertionError("the release's JupyterLab did not answer")
