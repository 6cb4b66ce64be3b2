"""Pytest set-up for the whole kit: strict nbval compares each chart's spec, not its static copy.

The hook lives in ``tests/nbval_charts.py`` (see there why); it is loaded here so that
``pytest --nbval notebooks exercises`` uses it from the kit's root.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "tests"))

from nbval_charts import pytest_collection_modifyitems  # noqa: F401
