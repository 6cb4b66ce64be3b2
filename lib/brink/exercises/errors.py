"""The coursework commands' error: one line that says what to change."""
from __future__ import annotations

from ..errors import BrinkError


class CourseworkError(BrinkError, ValueError):
    """A coursework command cannot go on; the message says what to change."""


def read_csv_file(path, what: str) -> str:
    """The text of an instructor's CSV file (a byte-order mark dropped), or one line saying why not.

    Args:
        path: the file; what: what it is, for the message ("the roster", "the scores file").
    Raises:
        CourseworkError: it cannot be read, or it is not UTF-8.

    >>> read_csv_file("/nonexistent/roster.csv", "the roster")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    brink.exercises.errors.CourseworkError: /nonexistent/roster.csv: the roster cannot be read (...)
    """
    from pathlib import Path
    path = Path(path)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise CourseworkError(f"{path}: {what} cannot be read ({e.strerror})") from None
    except UnicodeDecodeError:
        raise CourseworkError(f"{path}: {what} is not UTF-8 text (save it as CSV UTF-8)") from None


__all__ = ["CourseworkError", "read_csv_file"]
