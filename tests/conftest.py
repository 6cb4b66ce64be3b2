import csv
import shutil

import pytest

from kitpaths import DATA


@pytest.fixture
def broken_data(tmp_path, monkeypatch):
    """A copy of data/ that a test can break; loaders read it through BRINK_DATA."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv("BRINK_DATA", str(copy))

    def edit(file, row, column, value):
        """Set one cell (row 1 = first data row) of data/annotations/<file>."""
        path = copy / "annotations" / file
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header, rows = reader.fieldnames, list(reader)
        rows[row - 1][column] = value
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=header)
            w.writeheader()
            w.writerows(rows)
        return path

    edit.root = copy
    return edit


def pytest_configure(config):
    config.addinivalue_line("markers", "load: many kernels at once (a class answering together); runs in parallel")
