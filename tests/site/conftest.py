"""The site suite: the course website, the JupyterLite build and a lesson saved from JupyterLab.

It runs as a suite of its own beside tests/browser (`make test` runs every folder under tests/ in
parallel) and uses the same JupyterLab server and Chromium fixtures, from tests/browserkit.py.
Without Chromium its browser tests are skipped (an error when BRINK_REQUIRE_BROWSER is set), as there.

Here too, as fixtures: ``serve`` (``with serve(folder) as url``: the one loopback HTTP server that serves a
built site to Chromium), ``build_site`` (`make site`'s script into a folder, with flags) and ``site``, the
public course website built once for every test that reads it, and ``lite``, `make lite` run once.
"""
import contextlib
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from browserkit import ARTIFACTS, CHROMIUM, KIT, browser, lab, mark_browser_tests, screenshots

__all__ = ["ARTIFACTS", "CHROMIUM", "KIT", "browser", "lab", "screenshots"]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    mark_browser_tests([i for i in items if Path(str(i.fspath)).parent == here
                        and "browser" in getattr(i, "fixturenames", ())], "site browser tests")


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder as a static host would (WebAssembly, scripts and JSON with their types); logs nothing."""
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "application/javascript", ".json": "application/json"}

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser closing a connection mid-transfer is not an error of the site: say nothing."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_folder(folder: Path):
    """Serve ``folder`` on a free loopback port; yields its address (ending in ``/``); stops the server after."""
    server = Server(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(out: Path, *flags: str) -> Path:
    """`make site`'s script (scripts/build_site.py) into ``out``, with ``flags``; returns ``out``."""
    done = subprocess.run([sys.executable, str(KIT / "scripts" / "build_site.py"), "--out", str(out), *flags],
                          capture_output=True, text=True, cwd=KIT)
    assert done.returncode == 0, done.stderr[-2000:]
    return out


@pytest.fixture(scope="session")
def serve():
    """``with serve(folder) as url:`` serves ``folder`` on a free loopback port while the block runs."""
    return serve_folder


@pytest.fixture(scope="session")
def build_site():
    """``build_site(out, *flags)``: `make site`'s script into ``out``; returns ``out``."""
    return build


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The public course website, built once, served: its folder, address and site.json summary.

    Every test reads it and none writes to it."""
    out = build(tmp_path_factory.mktemp("site") / "_site")
    summary = json.loads((out / "site.json").read_text(encoding="utf-8"))
    with serve_folder(out) as url:
        yield {"root": out, "url": url, "summary": summary}


@pytest.fixture(scope="session")
def lite():
    """`make lite`, run as the README says (in the kit's folder), and the `_lite/` it wrote, served: built once
    for test_site_lite.py, which opens it, and test_lite.py, which checks the wheel it holds for micropip."""
    pytest.importorskip("jupyterlite_core", reason="the lite extra is not installed (pip install -e '.[lite]')")
    out = KIT / "_lite"
    if out.exists():
        shutil.rmtree(out)  # what the test opens is what this run wrote
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    t0 = time.perf_counter()
    built = subprocess.run(["make", "--no-print-directory", "lite"], capture_output=True, text=True,
                           cwd=KIT, env=env)
    assert built.returncode == 0, (built.stdout + built.stderr)[-2000:]
    said = re.search(r"-> (\S+) \((\d+) MB\)", built.stdout)
    assert said and said.group(1) == "_lite", built.stdout[-1000:]
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    assert (out / "lab" / "index.html").is_file() and round(size / 1e6) == int(said.group(2)) > 0, \
        f"make lite said {said.group(0)!r}; {out} holds {size} bytes"
    print(f"\nmake lite: {time.perf_counter() - t0:.0f} s; {built.stdout.strip().splitlines()[-1]}")
    with serve_folder(out) as url:    # the suite's one static server
        yield {"root": out, "url": url}
