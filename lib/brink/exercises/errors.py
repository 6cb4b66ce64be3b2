"""The coursework commands' error: one line that says what to change."""
from __future__ import annotations


class CourseworkError(ValueError):
    """A coursework command cannot go on; the message says what to change."""


__all__ = ["CourseworkError"]
