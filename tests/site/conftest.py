"""The site suite: the course website, the JupyterLite build and a lesson saved from JupyterLab.

It runs as a suite of its own beside tests/browser (`make test` runs every folder under tests/ in
parallel) and shares that suite's JupyterLab server and Chromium fixtures, loaded from its conftest.
Without Chromium its browser tests are skipped (an error when BRINK_REQUIRE_BROWSER is set), as there.
"""
import importlib.util
import os
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("browser_conftest", Path(__file__).parents[1] / "browser" / "conftest.py")
_browser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_browser)

KIT, ARTIFACTS, CHROMIUM = _browser.KIT, _browser.ARTIFACTS, _browser.CHROMIUM
lab, browser, screenshots = _browser.lab, _browser.browser, _browser.screenshots


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    mine = [i for i in items if Path(str(i.fspath)).parent == here and "browser" in getattr(i, "fixturenames", ())]
    for item in mine:
        item.add_marker(pytest.mark.browser)
    if CHROMIUM.exists() or not mine:
        return
    if os.environ.get("BRINK_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"BRINK_REQUIRE_BROWSER is set but {CHROMIUM} is missing: apt-get install chromium")
    for item in mine:
        item.add_marker(pytest.mark.skip(reason=f"site browser tests skipped: {CHROMIUM} not found"))
