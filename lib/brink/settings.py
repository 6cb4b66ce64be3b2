"""The kit's settings: the one place that reads the ``BRINK_*`` environment variables.

========================  ==========================================================================
``BRINK_DATA``            another data folder with the kit's layout (an instructor's own, a test's copy)
``BRINK_ANSWERS``         the folder a student's answers are saved in
``BRINK_KEY``             the compiled answer key of a release
``BRINK_MODE``            practice or assessed, overriding the key's mode
``BRINK_PAPER``           a paper code to use instead of the one the student entered
``BRINK_PAPER_SECRET``    the instructor secret that issues and checks paper codes
``BRINK_CACHE``           the folder for checked tables kept across kernels; ``off`` keeps none
========================  ==========================================================================

Each function reads its variable when called (nothing is read on import), and returns None
where the variable is unset or empty.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path


def _get(name: str) -> str | None:
    return os.environ.get(name) or None


def _setting(variable: str, doc: str) -> Callable[[], str | None]:
    """A function that reads ``variable`` when called: its value, or None where it is unset or empty."""
    def read() -> str | None:
        return _get(variable)
    read.__doc__ = doc
    return read


data = _setting("BRINK_DATA", "``$BRINK_DATA``: the data folder to use instead of the kit's, or None.")
answers = _setting("BRINK_ANSWERS", "``$BRINK_ANSWERS``: the folder a student's answers are saved in, or None.")
key = _setting("BRINK_KEY", "``$BRINK_KEY``: the compiled answer key to use, or None.")
mode = _setting("BRINK_MODE", "``$BRINK_MODE``: the exercise mode to use instead of the key's, or None.")
paper = _setting("BRINK_PAPER", "``$BRINK_PAPER``: the paper code to use instead of the student's own, or None.")
paper_secret = _setting("BRINK_PAPER_SECRET", "``$BRINK_PAPER_SECRET``: the file of the instructor's paper secret, "
                        "or None (the default place).")


def cache_folder() -> Path | None:
    """Where the kit may keep files that only save time: ``$BRINK_CACHE``, else the user's cache folder.

    The user's cache folder is ``%LOCALAPPDATA%\\brink\\Cache`` on Windows, ``~/Library/Caches/brink``
    on macOS, else ``$XDG_CACHE_HOME/brink`` (``~/.cache/brink``). ``BRINK_CACHE=off`` keeps none.

    Returns:
        The folder (it may not exist yet), or None where no cache is to be kept.

    >>> import os
    >>> os.environ["BRINK_CACHE"] = "off"; cache_folder() is None
    True
    >>> del os.environ["BRINK_CACHE"]
    """
    chosen = _get("BRINK_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("off", "0", "no", "none") else Path(chosen)
    if sys.platform == "win32":
        base = _get("LOCALAPPDATA")
        return Path(base) / "brink" / "Cache" if base else None
    try:
        home = Path.home()
    except (RuntimeError, KeyError):   # no home folder to speak of
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "brink"
    xdg = _get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else home / ".cache") / "brink"
