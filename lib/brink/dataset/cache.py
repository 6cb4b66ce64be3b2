"""Checked tables kept across kernels, keyed by the folder signature.

A kernel that builds the tables of a data folder (checking the whole folder first) stores them
in the user's cache folder (:func:`brink.settings.cache_folder`) under a key made of the folder
signature (the SHA-256 of every file the check reads), the code that checks and builds them, and
the pandas and Python versions that wrote them. The next kernel whose folder has the same
signature loads them without checking again; any change to any of those files, or to that code,
gives another key, so a stored table is never served for files that changed.

Safe to share: an entry is written to a temporary file, flushed to disk and renamed into place, so
kernels starting together never read half an entry (the last writer wins, with the same bytes).
An entry that cannot be read, or that names another key, is ignored and the folder checked in
full. The cache only saves time: where it cannot be written (a read-only home, no home at all,
``BRINK_CACHE=off``) nothing is stored and every kernel checks in full. On POSIX an entry is read
only from a folder that belongs to the user and that no one else may write to, since an entry is
a pickle.

The same rule keeps other entries that only save time, each kind in a folder of its own
(:func:`load_entry`, :func:`store_entry`): the question bank's resolved questions
(``brink.exercises.bank``) are one.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path

from .. import settings
from ..files import atomic_write

#: the layout of an entry; raise it when what is stored changes shape
FORMAT = 2
#: entries kept; the least recently written go first
KEEP = 8
_TABLES = "tables"


@functools.lru_cache(maxsize=1)
def _code() -> str:
    """The SHA-256 of the code that checks and builds the tables (this package, ``files``, ``errors``)."""
    import pandas
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{FORMAT}\x1f{sys.version}\x1f{pandas.__version__}".encode())
    for path in sorted(here.glob("*.py")) + [here.parent / "files.py", here.parent / "errors.py"]:
        h.update(path.name.encode() + b"\x1f" + path.read_bytes() + b"\x1e")
    return h.hexdigest()


def entry_key(signature: str) -> str:
    """The key of the entry for a folder signature (with this code and these versions).

    >>> len(entry_key("0" * 64))
    64
    """
    return hashlib.sha256(f"{signature}\x1f{_code()}".encode()).hexdigest()


def _folder(kind: str, create: bool) -> Path | None:
    folder = settings.cache_folder()
    if folder is None:
        return None
    folder = folder / kind
    try:
        if create:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = folder.stat()
    except OSError:
        return None
    if not _mine(st) or (os.name == "posix" and st.st_mode & 0o022):
        return None   # another user's folder, or one others may write to: not a place to unpickle from
    return folder


def _mine(st: os.stat_result) -> bool:
    """Whether the current user owns a file (always, where the system has no user ids: Windows, Pyodide)."""
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def load(signature: str) -> dict | None:
    """The tables stored for a folder signature, or None (none stored, unreadable, another key).

    Returns:
        The tables as :func:`store` was given them.
    """
    tables = load_entry(_TABLES, entry_key(signature))
    return tables if isinstance(tables, dict) else None


def store(signature: str, tables: dict) -> bool:
    """Keep the checked tables of a folder signature for the next kernel.

    Args:
        signature: the folder signature the tables were checked and built for.
        tables: the built tables.

    Returns:
        Whether they were stored (False where the cache folder cannot be written; nothing is raised).
    """
    return store_entry(_TABLES, entry_key(signature), tables)


def load_entry(kind: str, key: str) -> object | None:
    """The value stored under a key in the cache's folder for one kind of entry, or None.

    None where nothing is stored, the entry cannot be read (truncated, written by another version),
    it names another key, or the folder or the file is not the user's own.

    >>> load_entry("tables", "0" * 64) is None
    True
    """
    folder = _folder(kind, create=False)
    if folder is None:
        return None
    path = folder / f"{key}.{kind}.pickle"
    try:
        if not _mine(path.stat()):
            return None
        with open(path, "rb") as f:
            entry = pickle.load(f)
    except Exception:   # missing, truncated by a full disk, written by another version: build in full
        return None
    if not isinstance(entry, dict) or entry.get("key") != key or "value" not in entry:
        return None
    return entry["value"]


def store_entry(kind: str, key: str, value: object) -> bool:
    """Keep a value under a key for the next kernel (written whole, then renamed into place).

    Args:
        kind: the kind of entry (its folder in the cache: "tables", "bank").
        key: a key made of everything the value was built from (a SHA-256).
        value: what to keep (pickled).

    Returns:
        Whether it was stored (False where the cache folder cannot be written; nothing is raised).
    """
    folder = _folder(kind, create=True)
    if folder is None:
        return False
    try:
        atomic_write(folder / f"{key}.{kind}.pickle", pickle.dumps({"key": key, "value": value},
                                                                  protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:   # a read-only or full disk: the value is still served, only not kept
        return False
    _prune(folder, kind)
    return True


def _prune(folder: Path, kind: str) -> None:
    try:
        entries = sorted(folder.glob(f"*.{kind}.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink()
    except OSError:   # another kernel pruned it first
        pass
