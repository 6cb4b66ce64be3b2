"""The one cache rule of the data side: everything read from a data folder is keyed on what its files hold.

A file's *fingerprint* is the SHA-256 of its bytes; a folder's *signature* is the SHA-256 of the
fingerprints of every file the check reads (``schema.toml``, the vocabularies, the annotation
tables, the checksum file and every text in the sources folder), with their names. The schema,
the vocabularies and the checked tables are cached under it, in a kernel and (the tables) across
kernels, so an edit to any of those files, saved in any editor, is seen by the next call.

Hashing is cheap but reading every file on every call is not needed: a fingerprint is kept with
the file's size, modification time, inode and change time, and reused while they stay the same —
unless the file was modified less than :data:`RACY_SECONDS` before it was hashed, where a
second write within the file system's clock tick could leave them the same (then it is hashed
again, as git does with "racily clean" entries).
"""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

#: a file modified this recently when it was hashed is hashed again on the next call
RACY_SECONDS = 2.0
_seen: dict[str, tuple[tuple, str, float]] = {}


def _stat_key(st: os.stat_result) -> tuple:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def fingerprint(path: str | Path) -> str | None:
    """The SHA-256 of a file's bytes, or None where there is no file.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_text("a\\n")
    >>> fingerprint(p)[:12], fingerprint(p.with_name("none")) is None
    ('87428fc52280', True)
    """
    name = str(path)
    try:
        st = os.stat(name)
    except OSError:
        _seen.pop(name, None)
        return None
    key = _stat_key(st)
    known = _seen.get(name)
    if known and known[0] == key and known[2] - st.st_mtime_ns / 1e9 >= RACY_SECONDS:
        return known[1]
    try:
        with open(name, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None
    _seen[name] = (key, digest, time.time())
    return digest


def folder_signature(folder: Path, files: list[str]) -> str:
    """The signature of a data folder: the SHA-256 of each input file's name and fingerprint.

    Args:
        folder: the data folder.
        files: the files the check reads, relative to it (``Schema.input_files``).

    Returns:
        64 hex digits; any change to any of the files (one byte, a file added or removed) changes it.

    >>> from brink import data_dir
    >>> from brink.dataset.schema import load_schema
    >>> len(folder_signature(data_dir(), load_schema(data_dir()).input_files()))
    64
    """
    h = hashlib.sha256()
    base = os.fspath(folder)
    for rel in files:   # joined as text: a loader asks for the signature on every call, pathlib cost a third of it
        h.update(f"{rel}\x1f{fingerprint(os.path.join(base, rel)) or '-'}\x1e".encode("utf-8"))
    return h.hexdigest()
