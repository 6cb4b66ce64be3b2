"""tests/browser: every test here drives Chromium; the server, browser and helpers are in tests/browserkit.py."""
from pathlib import Path

from browserkit import ARTIFACTS, CHROME_ARGS, CHROMIUM, KIT, Lab, browser, free_port, lab, mark_browser_tests, screenshots

__all__ = ["ARTIFACTS", "CHROME_ARGS", "CHROMIUM", "KIT", "Lab", "browser", "free_port", "lab", "screenshots"]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    mark_browser_tests([i for i in items if Path(str(i.fspath)).parent == here], "browser suite")


def pytest_collection_finish(session):
    """Start the README's install of a release in the background as soon as its test is known to run."""
    mine = [i for i in session.items if Path(str(i.fspath)).name == "test_release_readme.py"]
    if mine and CHROMIUM.exists() and not session.config.option.collectonly:
        module = mine[0].module
        if not module.STARTED:
            module.STARTED.append(module.ReadmeInstall().start())
