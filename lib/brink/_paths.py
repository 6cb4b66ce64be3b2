"""Where the kit's data, question bank and folders are: the one place that computes kit paths.

An installed wheel ships the data folder as ``brink/_data`` and the question bank as
``brink/_exercises/questions.toml``; a source checkout (``pip install -e .``) reads
``data/`` and ``exercises/`` at the top of the checkout. The environment variable
``BRINK_DATA`` names another data folder with the same layout (an instructor's own
data, or the tests' deliberately broken copies).
"""
from __future__ import annotations

import importlib.resources
from pathlib import Path

from . import settings
from .errors import BrinkError

#: the installed package folder (``lib/brink`` in a checkout, ``site-packages/brink`` in a wheel)
PACKAGE = Path(__file__).resolve().parent


def _checkout() -> Path | None:
    """The kit or release folder this library is part of (``<kit>/lib/brink``), or None for a wheel."""
    root = PACKAGE.parents[1]
    if PACKAGE.parent.name == "lib" and (root / "pyproject.toml").is_file():
        return root
    return None


#: the top of the source checkout (kept for callers that copy the kit; a wheel has no checkout)
KIT_ROOT = _checkout() or PACKAGE.parents[1]


class DataFolderError(BrinkError, FileNotFoundError):
    """The data folder is missing or broken; the message names the folder."""


def _packaged(name: str) -> Path | None:
    """A folder shipped inside the package (``brink/_data``, ``brink/_exercises``), or None."""
    try:
        res = importlib.resources.files("brink") / name
    except (ModuleNotFoundError, TypeError):
        return None
    path = Path(str(res))
    return path if path.is_dir() else None


def check_data_folder(path: Path, origin: str = "") -> Path:
    """Return ``path`` if it is a usable data folder, else raise an error naming it.

    Args:
        path: a folder expected to hold ``annotations/`` and ``sources/``.
        origin: where the path came from, for the message (e.g. ``"BRINK_DATA"``).

    Returns:
        The same path.

    Raises:
        DataFolderError: the folder, or its ``annotations/`` or ``sources/`` part, is missing.

    >>> check_data_folder(Path("/no/such/folder"), "BRINK_DATA")
    Traceback (most recent call last):
    ...
    brink._paths.DataFolderError: brink: the data folder /no/such/folder (from BRINK_DATA) does not exist
    """
    where = f" (from {origin})" if origin else ""
    if not path.is_dir():
        raise DataFolderError(f"brink: the data folder {path}{where} does not exist")
    for part in ("annotations", "sources"):
        if not (path / part).is_dir():
            raise DataFolderError(f"brink: the data folder {path}{where} is broken: it has no {part}/ folder")
    return path


def data_dir() -> Path:
    """The data folder: ``$BRINK_DATA``, else the one shipped in the package, else ``<checkout>/data``.

    Returns:
        The folder holding ``annotations/`` and ``sources/``.

    Raises:
        DataFolderError: the folder is missing or broken; the message names it.

    >>> (data_dir() / "annotations" / "sources.csv").is_file()
    True
    """
    override = settings.data()
    if override:
        return check_data_folder(Path(override), "BRINK_DATA")
    packaged = _packaged("_data")
    if packaged is not None:
        return check_data_folder(packaged, "the installed package")
    checkout = _checkout()
    if checkout is not None:
        return check_data_folder(checkout / "data")
    raise DataFolderError(f"brink: no data folder: neither {PACKAGE / '_data'} (an installed wheel) nor a "
                          "checkout's data/ exists; reinstall the kit or set BRINK_DATA")


def bank_path() -> Path:
    """The question bank: ``exercises/questions.toml`` in a checkout, else the copy shipped in the wheel.

    A student release has no bank (only a compiled key): then the path returned does not exist.

    Returns:
        The path of ``questions.toml``.

    >>> bank_path().name
    'questions.toml'
    """
    candidates = []
    checkout = _checkout()
    if checkout is not None:
        candidates.append(checkout / "exercises" / "questions.toml")
    packaged = _packaged("_exercises")
    if packaged is not None:
        candidates.append(packaged / "questions.toml")
    for path in candidates:
        if path.is_file():
            return path
    return candidates[0] if candidates else PACKAGE / "_exercises" / "questions.toml"


def kit_root(start: Path | str | None = None) -> Path | None:
    """The kit or release folder the user is working in, searched from ``start`` upward.

    A kit folder holds ``notebooks/`` and ``exercises/`` (a checkout, a student release, or the
    copy a hub pulls into a student's home).

    Args:
        start: where to begin (default: the current folder).

    Returns:
        The kit folder, or None when ``start`` is not inside one.

    >>> import tempfile
    >>> kit_root(tempfile.gettempdir()) is None
    True
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks").is_dir() and (folder / "exercises").is_dir():
            return folder
    return None


#: the name of a student's answer folder (an exercise notebook saves its answers in it, beside itself)
ANSWERS = "brink-answers"


def answers_folder(start: Path | str | None = None) -> Path | None:
    """The folder holding a student's saved answers, as ``brink submit`` looks for it from ``start``.

    One rule: ``$BRINK_ANSWERS`` if it is set; else, inside a kit or release (:func:`kit_root`, the one
    upward search), its ``exercises/brink-answers/``, where the exercise notebooks save; else, outside a
    kit, ``brink-answers/`` in ``start`` itself (a notebook kept there saves beside itself) or in its
    ``exercises/``.

    Args:
        start: where to begin (default: the current folder).

    Returns:
        The folder, or None when there is none (no ``$BRINK_ANSWERS``, and neither folder exists).

    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory(); here = Path(tmp.name)
    >>> answers_folder(here) is None          # no kit around it, no brink-answers/ in it (nor $BRINK_ANSWERS)
    True
    >>> (here / "brink-answers").mkdir(); answers_folder(here) == here.resolve() / "brink-answers"
    True
    >>> (here / "notebooks").mkdir(); (here / "exercises" / "brink-answers").mkdir(parents=True)
    >>> answers_folder(here / "notebooks") == here.resolve() / "exercises" / "brink-answers"   # a kit: its own
    True
    >>> tmp.cleanup()
    """
    override = settings.answers()
    if override:
        return Path(override)
    here = Path(start if start is not None else Path.cwd()).resolve()
    kit = kit_root(here)
    for folder in [kit / "exercises" / ANSWERS] if kit is not None else [here / ANSWERS, here / "exercises" / ANSWERS]:
        if folder.is_dir():
            return folder
    return None


def _kit() -> Path | None:
    return _checkout() or kit_root()


def notebooks_dir() -> Path:
    """The folder holding the numbered lesson notebooks (of the checkout, else of the current kit)."""
    return (_kit() or Path.cwd()) / "notebooks"


def exercises_dir() -> Path:
    """The folder holding the exercise notebooks (and, in a release, the compiled key).

    The checkout's ``exercises/``; for a wheel, that of the kit or release the user is in, else the
    copy shipped in the package (which holds the question bank only).
    """
    kit = _kit()
    if kit is not None:
        return kit / "exercises"
    return _packaged("_exercises") or PACKAGE / "_exercises"
