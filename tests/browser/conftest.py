"""A JupyterLab server started as `make lab` starts it, and Chromium driven by Playwright.

The browser is the executable named by ``BRINK_CHROMIUM`` (default ``/usr/bin/chromium``, Debian's
package; on GitHub's runners, the one ``python -m playwright install chromium`` fetched).

The server serves a student release made by `brink assign` (lessons, and exercises without
solution cells, checked against the compiled key), as a student receives it: untrusted, no
saved answers, its kernels importing the release's own copy of the library. It has its own
Jupyter data and settings folders. Teardown deletes every
session and kernel through the REST API and stops the server's whole process group, also when
a test fails.
"""
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from brink.lab import command

KIT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("BRINK_CHROMIUM") or "/usr/bin/chromium")
ARTIFACTS = KIT / "test-artifacts"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)
    if CHROMIUM.exists():
        return
    if os.environ.get("BRINK_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"BRINK_REQUIRE_BROWSER is set but {CHROMIUM} is missing: apt-get install "
                                "chromium, or set BRINK_CHROMIUM to a Chromium executable")
    skip = pytest.mark.skip(reason=f"browser suite skipped: {CHROMIUM} not found (apt-get install chromium, "
                            "or set BRINK_CHROMIUM)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, root: Path, home: Path, extra_env: dict | None = None):
        self.root, self.port, self.token = root, free_port(), secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        for var, sub in [("JUPYTER_DATA_DIR", "data"), ("JUPYTER_CONFIG_DIR", "config"),
                         ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                         ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")]:
            (home / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(home / sub)
        env.pop("BRINK_ANSWERS", None)        # answers go beside the notebooks, as for a student
        env.update(extra_env or {})
        env["JUPYTER_TOKEN"] = self.token       # as brink lab passes it: never on the command line
        self.log = open(home / "lab.log", "w")
        cmd = command(self.port, self.token, root=root, start="notebooks/00-start-here.ipynb",
                            open_browser=False)
        self.proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                if self.proc.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited: {(home / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        raise RuntimeError("JupyterLab did not start in 90 s")

    def api(self, method: str, path: str, token: bool = True):
        headers = {"Authorization": f"token {self.token}"} if token else {}
        req = urllib.request.Request(self.url + path, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=10) as r:
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
