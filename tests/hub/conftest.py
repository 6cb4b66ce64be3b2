"""tests/hub: the ``hub`` marker, and the real hub's timings printed at the end of the run."""
from hubkit import FIGURES


def pytest_configure(config):
    config.addinivalue_line("markers", "hub: runs a real JupyterHub on loopback (tests/hub; needs npm and git)")


def pytest_terminal_summary(terminalreporter):
    for block in FIGURES:
        terminalreporter.write_line(block)
