"""Where the kit's data lives.

The data folder is ``data/`` at the top of the kit (beside ``lib/``). Set the
environment variable ``BRINK_DATA`` to use another folder with the same layout,
as the tests do with deliberately broken copies.
"""
from __future__ import annotations

import os
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """Return the data folder: ``$BRINK_DATA`` if set, else ``<kit>/data``."""
    override = os.environ.get("BRINK_DATA")
    path = Path(override) if override else KIT_ROOT / "data"
    if not (path / "annotations").is_dir():
        raise FileNotFoundError(
            f"brink: no annotation folder at {path / 'annotations'}; "
            "install the kit from its repository (pip install -e .) or set BRINK_DATA"
        )
    return path


def notebooks_dir() -> Path:
    """The folder holding the numbered lesson notebooks."""
    return KIT_ROOT / "notebooks"


def exercises_dir() -> Path:
    """The folder holding the exercise notebooks and the question bank."""
    return KIT_ROOT / "exercises"
