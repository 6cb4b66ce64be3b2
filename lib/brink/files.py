"""Reading and writing the kit's files: one way each to decode a text, read a CSV with its header,
read a SHA256SUMS file and write files whole or not at all.

The data folder, the question bank, rosters, rubric files and submissions all go through these,
so a spreadsheet's byte-order mark, a file that is not UTF-8 or a crash half-way through a write is
handled once, the same way everywhere.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import DataError

#: the byte-order mark a spreadsheet's "CSV UTF-8" puts before the first header name
BOM = "\ufeff"


def decode(data: bytes, file: str) -> str:
    """UTF-8 text, or a DataError naming the first byte that is not UTF-8 (offset from 0) and its row.

    The text is kept as it is (a source text is kept byte for byte, a byte-order mark included);
    :func:`read_csv_text` drops the mark a spreadsheet puts before a CSV header.

    Args:
        data: the file's bytes.
        file: the file's name, for the message.

    Returns:
        The text.

    Raises:
        DataError: the bytes are not UTF-8.

    >>> decode("é".encode(), "x.csv")
    'é'
    >>> decode(b"a,b\\nc,\\xe9\\n", "x.csv")
    Traceback (most recent call last):
    ...
    brink.errors.DataError: x.csv, row 1: not UTF-8: byte 0xe9 at byte offset 6 cannot be decoded — save the file as UTF-8 (in a spreadsheet: CSV UTF-8)
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start)
        raise DataError(file, line if line else None, None,
                        f"not UTF-8: byte 0x{data[e.start]:02x} at byte offset {e.start} cannot be decoded",
                        fix="save the file as UTF-8" + (" (in a spreadsheet: CSV UTF-8)" if file.endswith(".csv")
                                                        else "")) from None


def read_csv_text(text: str, strict: bool = False) -> tuple[list[str], list[list[str]]]:
    """The header and the rows (lists of strings) of a CSV text; a byte-order mark before the header
    is dropped, so a file saved by a spreadsheet as "CSV UTF-8" reads like any other.

    Args:
        text: the CSV text.
        strict: raise on a quotation mark out of place, not only on one left open (``csv``'s strict).

    Returns:
        ``(header, rows)``; both empty for an empty text.

    Raises:
        csv.Error: the text is not valid CSV (an unclosed quotation mark and the like).

    >>> read_csv_text("\\ufeffa,b\\r\\n1,2\\r\\n")
    (['a', 'b'], [['1', '2']])
    """
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline=""), strict=strict))
    return (rows[0] if rows else []), rows[1:]


def read_csv(path: Path | str, shown: str | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows (dicts of strings, one key per header name) of a CSV file.

    Blank lines are skipped; a cell a short row lacks is ``""``. Used for data, rosters and rubric
    files alike.

    Args:
        path: the file.
        shown: the file's name in messages (default: the path as given).

    Returns:
        ``(header, rows)``.

    Raises:
        DataError: the file is missing, not UTF-8 or not valid CSV (named, with the row where known).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = p.write_bytes("\\ufeffname,score\\nAda,3\\n\\nBob\\n".encode())
    >>> read_csv(p)
    (['name', 'score'], [{'name': 'Ada', 'score': '3'}, {'name': 'Bob', 'score': ''}])
    """
    path = Path(path)
    name = shown if shown is not None else str(path)
    if not path.is_file():
        raise DataError(name, None, None, "the file is missing")
    text = decode(path.read_bytes(), name)
    try:
        header, rows = read_csv_text(text)
    except csv.Error as e:
        raise DataError(name, None, None, f"not valid CSV ({e})", "close every quoted cell") from None
    return header, [{h: (r[k] if k < len(r) else "") for k, h in enumerate(header)} for r in rows if any(r)]


def csv_text(header: list, rows: list, newline: str = "\r\n") -> str:
    """A CSV text as the kit writes it (minimal quoting).

    >>> csv_text(["a", "b"], [["x, y", "z"]], "\\n")
    'a,b\\n"x, y",z\\n'
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def read_sha256sums(text: str) -> tuple[dict[str, str], list[int]]:
    """The entries of a SHA256SUMS text (``<sha256>  <file>``, as ``sha256sum`` writes it).

    Args:
        text: the file's text.

    Returns:
        ``(sums, bad)``: file name -> lower-case hex digest, and the line numbers (from 1) that are
        neither an entry nor blank.

    >>> read_sha256sums("0" * 64 + "  a.txt\\nnonsense\\n")
    ({'a.txt': '0000000000000000000000000000000000000000000000000000000000000000'}, [2])
    """
    sums, bad = {}, []
    for k, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if len(parts) == 2 and re.fullmatch(r"[0-9a-f]{64}", parts[0]):
            sums[parts[1].lstrip("*")] = parts[0]
        elif line.strip():
            bad.append(k)
    return sums, bad


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable where the system allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_beside(path: Path, data: bytes) -> str:
    """Write ``data`` to a new temporary file beside ``path``, flushed to disk; return its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def replace_files(contents: Mapping[Path, bytes | str]) -> None:
    """Write several files so that each is either its old or its new self.

    Every new content goes to a temporary file beside its target first, flushed to disk; only
    when all are written are they renamed over their targets (an atomic rename each).

    Args:
        contents: path -> new content (text is written as UTF-8).

    Raises:
        OSError: a file could not be written; no target has changed then.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> replace_files({p: "one"}); p.read_text()
    'one'
    """
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in contents.items():
            temps.append((_temp_beside(Path(path), data if isinstance(data, bytes) else data.encode("utf-8")),
                          Path(path)))
        for tmp, path in temps:
            os.replace(tmp, path)
        for folder in {path.parent for _, path in temps}:
            _fsync_folder(folder)
        temps = []
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


def atomic_write(path: Path | str, data: bytes | str) -> None:
    """Write one file whole or not at all (a temporary file beside it, fsynced, then renamed over it).

    Args:
        path: the file.
        data: its new content (text is written as UTF-8).

    Raises:
        OSError: the file could not be written; it is unchanged then.
    """
    replace_files({Path(path): data})
