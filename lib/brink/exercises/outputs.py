"""Writing the coursework commands' outputs safely: only to regular files or new paths.

A gradebook, a report or a release is written to a temporary file beside its target and
renamed over it, so a reader never sees half a file. Before that, the target is checked:
a folder, a device, a FIFO, a socket or a symbolic link is refused with one line that
says why, and so is a place that cannot be written.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .store import atomic_write_text


class OutputError(ValueError):
    """An output cannot be written where it was asked for; the message names the path."""


def check_output(path, what: str = "file") -> Path:
    """Refuse anything but a regular file or a new path in a folder that exists or can be made.

    Returns:
        The path, as a ``Path``.

    Raises:
        OutputError: the path is a folder, a device, a FIFO, a socket or a link, or cannot be written.

    >>> check_output("/dev/null")
    Traceback (most recent call last):
    ...
    brink.exercises.outputs.OutputError: /dev/null is a device, not a regular file; name a new file to write
    """
    path = Path(path)
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        st = None
    except OSError as e:
        raise OutputError(f"{path}: cannot be checked ({e.strerror})") from None
    if st is not None:
        mode = st.st_mode
        if stat.S_ISLNK(mode):
            raise OutputError(f"{path} is a symbolic link; name the {what} itself")
        if stat.S_ISDIR(mode):
            raise OutputError(f"{path} is a folder; name the {what} to write")
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise OutputError(f"{path} is a device, not a regular file; name a new file to write")
        if stat.S_ISFIFO(mode):
            raise OutputError(f"{path} is a FIFO (named pipe), not a regular file; name a new file to write")
        if not stat.S_ISREG(mode):
            raise OutputError(f"{path} is not a regular file; name a new file to write")
        if not os.access(path, os.W_OK):
            raise OutputError(f"{path} cannot be written (permission denied)")
    parent = path.parent
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{path}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: the folder {existing} cannot be written (permission denied)")
    return path


def write_text(path, text: str, what: str = "file") -> Path:
    """Check ``path`` and write ``text`` to it atomically; every failure is an ``OutputError``."""
    path = check_output(path, what)
    try:
        atomic_write_text(path, text)
    except OSError as e:
        raise OutputError(f"{path}: cannot be written ({e.strerror or e})") from None
    return path
