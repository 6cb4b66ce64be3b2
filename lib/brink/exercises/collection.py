"""Collection: the bytes of every candidate submission under the paths given, and a report of what was left out.

Folders are read recursively and zip archives opened (two levels deep); every file that is
not read is named with the reason, so nothing is skipped in silence. What collection holds
is capped whatever the archive claims: at most ``MAX_SUBMISSION_BYTES`` per file, at most
``MAX_ARCHIVE_MEMBERS`` members per archive and ``MAX_COLLECTED_BYTES`` in all, counted
from the sizes the archive declares *before* anything is decompressed (a zip bomb is left
out, named, without being expanded).

Names reach the terminal only through ``shown``: control characters, line breaks and bytes
that are not UTF-8 are written as escapes, so a file name cannot fake a line of the report.
"""
from __future__ import annotations

import io
import os
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .submission import MAX_SUBMISSION_BYTES

MAX_ARCHIVE_MEMBERS = 10_000
MAX_COLLECTED_BYTES = 100 * 2**20      # read in one run, in all: a class of 1,000 at 100 KB each
MAX_NESTED_ZIP_BYTES = 20 * 2**20
MAX_DEPTH = 2


def shown(text) -> str:
    """``text`` safe to print: control and format characters, line breaks and undecodable bytes escaped.

    Args:
        text: a name as the file system or an archive gives it (a ``str``, perhaps with
            surrogate escapes for bytes that are not UTF-8).

    Returns:
        One printable line.

    >>> shown("a\\x1b[2Jb\\nc")
    'a\\\\x1b[2Jb\\\\nc'
    >>> shown("caf\\udce9.json")
    'caf\\\\xe9.json'
    >>> shown("محمد رضا.json")
    'محمد رضا.json'
    """
    out = []
    for ch in str(text):
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:                                   # a byte os.fsdecode could not decode
            out.append(f"\\x{o - 0xDC00:02x}")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or (
                unicodedata.category(ch) == "Cf" and ch not in ("\u200c", "\u200d")):
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class Item:
    """One candidate submission as collected.

    ``parts`` are the folder and file names from the path given down to the file (through
    any archive), as the instructor's copy lays them out; ``collected_at`` is the file's
    modification time as collected (for a zip member, the time the archive records).
    """
    label: str
    data: bytes
    parts: tuple
    collected_at: float


@dataclass
class Report:
    read: list = field(default_factory=list)      # (label, student)
    left_out: list = field(default_factory=list)  # (label, why)
    warnings: list = field(default_factory=list)
    missing: list = field(default_factory=list)   # roster students with no submission
    unmatched: list = field(default_factory=list)  # (label, name) matched to no one on the roster
    written: list = field(default_factory=list)   # files written

    @property
    def graded(self):
        return self.read

    @property
    def skipped(self):
        return self.left_out

    def text(self) -> str:
        lines = [f"Graded {len(self.read)} submission(s); left out {len(self.left_out)} file(s)."]
        lines += [f"  read {shown(label)}: {shown(who)}" for label, who in self.read]
        lines += [f"  left out {shown(label)}: {why}" for label, why in self.left_out]
        if self.unmatched:
            lines.append(f"{len(self.unmatched)} submission(s) matched no one on the roster:")
            lines += [f"  no match {shown(label)}: {shown(who)}" for label, who in self.unmatched]
        if self.missing:
            lines.append(f"{len(self.missing)} student(s) on the roster have no submission:")
            lines += [f"  missing: {shown(who)}" for who in self.missing]
        lines += [f"  note: {w}" for w in self.warnings]
        lines += [f"Wrote {shown(p)}" for p in self.written]
        return "\n".join(lines)


def _is_candidate(name: str) -> bool:
    low = name.casefold()
    return low.endswith(".json") or low.endswith(".json.txt")


def _hidden(part: str) -> bool:
    return part.startswith(".") and part not in (".", "..") or part == "__MACOSX"


def member_name(info: zipfile.ZipInfo) -> str:
    """A zip member's name as its zipper meant it.

    Zippers that do not set the UTF-8 flag (the built-in ones of Windows and macOS often do
    not) leave Python to read the name as code page 437. The Info-ZIP Unicode Path field,
    when present and matching, gives the real name; otherwise bytes that are valid UTF-8
    (macOS writes UTF-8 without the flag) are read as UTF-8, and the rest stay cp437.

    >>> i = zipfile.ZipInfo("Zo\\u00eb.json".encode("utf-8").decode("cp437"))
    >>> member_name(i)
    'Zoë.json'
    """
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    raw = name.encode("cp437", errors="replace")
    extra = info.extra
    while len(extra) >= 4:
        tag, size = int.from_bytes(extra[:2], "little"), int.from_bytes(extra[2:4], "little")
        body, extra = extra[4:4 + size], extra[4 + size:]
        if tag == 0x7075 and len(body) > 5 and body[0] == 1 and int.from_bytes(body[1:5], "little") == zlib.crc32(raw):
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                break
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return name


class _Budget:
    def __init__(self):
        self.left = MAX_COLLECTED_BYTES

    def take(self, n: int) -> bool:
        if n > self.left:
            return False
        self.left -= n
        return True


def _too_much(label, size, budget, report) -> bool:
    if budget.take(size):
        return False
    report.left_out.append((label, f"over the collection limit: this run has read {MAX_COLLECTED_BYTES - budget.left} "
                                   f"bytes and the limit is {MAX_COLLECTED_BYTES} (grade the class in parts)"))
    return True


def _from_zip(label: str, data: bytes, parts: tuple, report: Report, budget: _Budget, depth: int = 0):
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        report.left_out.append((label, f"a damaged zip archive ({e})"))
        return
    if len(members) > MAX_ARCHIVE_MEMBERS:
        report.left_out.append((label, f"a zip archive of {len(members)} files (the limit is {MAX_ARCHIVE_MEMBERS})"))
        return
    declared = sum(m.file_size for m in members if not m.is_dir() and (
        _is_candidate(m.filename) or m.filename.casefold().endswith(".zip")))
    if declared > budget.left:
        report.left_out.append((label, f"a zip archive whose submission files would expand to {declared} bytes, "
                                       f"more than the {budget.left} left of this run's limit of "
                                       f"{MAX_COLLECTED_BYTES} (a zip bomb, or grade the class in parts)"))
        return
    for m in members:
        if m.is_dir():
            continue
        name = member_name(m)
        inner = f"{label}!{name}"
        mparts = tuple(p for p in name.replace("\\", "/").split("/") if p not in ("", "."))
        if ".." in mparts or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
            report.left_out.append((inner, "a path that leaves the archive ('..' or an absolute path); not read"))
            continue
        if any(_hidden(p) for p in mparts):
            report.left_out.append((inner, "a hidden or system file"))
            continue
        when = _zip_time(m)
        low = name.casefold()
        if low.endswith(".zip"):
            if depth >= MAX_DEPTH:
                report.left_out.append((inner, f"a zip archive nested more than {MAX_DEPTH} deep"))
                continue
            if m.file_size > MAX_NESTED_ZIP_BYTES:
                report.left_out.append((inner, f"a zip archive too large to open ({m.file_size} bytes; "
                                               f"the limit is {MAX_NESTED_ZIP_BYTES})"))
                continue
            try:
                inner_data = zf.read(m)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, zlib.error) as e:
                report.left_out.append((inner, f"cannot be read from the archive ({e})"))
                continue
            yield from _from_zip(inner, inner_data, parts + mparts, report, budget, depth + 1)
            del inner_data
            continue
        if not _is_candidate(name):
            report.left_out.append((inner, "not a submission file (the name does not end in .json)"))
            continue
        if m.file_size > MAX_SUBMISSION_BYTES:
            report.left_out.append((inner, f"too large ({m.file_size} bytes; the limit is {MAX_SUBMISSION_BYTES})"))
            continue
        if _too_much(inner, m.file_size, budget, report):
            continue
        try:
            with zf.open(m) as f:
                body = f.read(MAX_SUBMISSION_BYTES + 1)     # never more than the limit, whatever the header says
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, zlib.error) as e:
            report.left_out.append((inner, f"cannot be read from the archive ({e})"))
            continue
        yield Item(inner, body, parts + mparts, when)


def _zip_time(m: zipfile.ZipInfo) -> float:
    import datetime as dt
    try:
        return dt.datetime(*m.date_time, tzinfo=dt.timezone.utc).timestamp()
    except ValueError:
        return 0.0


def collect(paths, report: Report, exclude=()) -> list[Item]:
    """Every candidate submission under ``paths``, as a list (see ``iter_collect``).

    >>> collect(["/no/such/folder"], r := Report()), r.left_out
    ([], [('/no/such/folder', 'no such file or folder')])
    """
    return list(iter_collect(paths, report, exclude))


def iter_collect(paths, report: Report, exclude=()):
    """Every candidate submission under ``paths`` (files, folders, zip archives), as ``Item`` s.

    Folders are read recursively; extensions are compared without regard to case; every
    file not read is added to ``report.left_out`` with the reason. A symbolic link is named
    and not followed (a link to a folder as much as to a file).

    Args:
        paths: files, folders and zip archives.
        report: receives what was left out, and why.
        exclude: paths never read (the run's own outputs).

    Yields:
        The items, in the order of the paths and, within a folder, of their sorted names;
        one at a time, so a caller that reads each and lets it go holds one file's bytes.
    """
    exclude = {Path(p).resolve() for p in exclude if p}
    budget = _Budget()

    def one(path: Path, label: str, parts: tuple):
        if path.resolve() in exclude:
            return
        try:
            st = os.lstat(path)
        except OSError as e:
            report.left_out.append((label, f"cannot be read ({e.strerror})"))
            return
        if stat.S_ISLNK(st.st_mode):
            kind = "a folder" if path.is_dir() else "a file"
            report.left_out.append((label, f"a symbolic link to {kind} (not followed; copy what it points to)"))
            return
        if not stat.S_ISREG(st.st_mode):
            report.left_out.append((label, "not a regular file"))
            return
        low = path.name.casefold()
        size = st.st_size
        if low.endswith(".zip"):
            if size > MAX_COLLECTED_BYTES:
                report.left_out.append((label, f"a zip archive too large to open ({size} bytes)"))
                return
            try:
                data = path.read_bytes()
            except OSError as e:
                report.left_out.append((label, f"cannot be read ({e.strerror})"))
                return
            yield from _from_zip(label, data, parts, report, budget)
            return
        if not _is_candidate(path.name):
            report.left_out.append((label, "not a submission file (the name does not end in .json)"))
            return
        if size > MAX_SUBMISSION_BYTES:
            report.left_out.append((label, f"too large ({size} bytes; the limit is {MAX_SUBMISSION_BYTES})"))
            return
        if _too_much(label, size, budget, report):
            return
        try:
            with open(path, "rb") as f:
                body = f.read(MAX_SUBMISSION_BYTES + 1)
        except OSError as e:
            report.left_out.append((label, f"cannot be read ({e.strerror})"))
            return
        yield Item(label, body, parts, st.st_mtime)

    def walk(folder: Path, root: Path):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            report.left_out.append((str(folder), f"the folder cannot be read ({e.strerror})"))
            return
        for entry in entries:
            sub = Path(entry.path)
            rel = sub.relative_to(root).parts
            if _hidden(entry.name):
                report.left_out.append((str(sub), "a hidden or system file"))
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from walk(sub, root)
            else:
                yield from one(sub, str(sub), rel)

    for p in map(Path, paths):
        if not p.exists() and not p.is_symlink():
            report.left_out.append((str(p), "no such file or folder"))
        elif p.is_dir() and not p.is_symlink():
            yield from walk(p, p)
        else:
            yield from one(p, str(p), (p.name,) if not p.name.casefold().endswith(".zip") else ())


__all__ = ["MAX_ARCHIVE_MEMBERS", "MAX_COLLECTED_BYTES", "Item", "Report", "collect", "iter_collect", "member_name", "shown"]
