"""Collection: the bytes of every candidate submission under the paths given, and a report of what was left out.

Folders are read recursively and zip archives opened (two levels deep); every file that is
not read is named with the reason, so nothing is skipped in silence.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .submission import MAX_SUBMISSION_BYTES

MAX_ARCHIVE_MEMBERS = 10_000


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
        lines += [f"  read {label}: {who}" for label, who in self.read]
        lines += [f"  left out {label}: {why}" for label, why in self.left_out]
        if self.unmatched:
            lines.append(f"{len(self.unmatched)} submission(s) matched no one on the roster:")
            lines += [f"  no match {label}: {who}" for label, who in self.unmatched]
        if self.missing:
            lines.append(f"{len(self.missing)} student(s) on the roster have no submission:")
            lines += [f"  missing: {who}" for who in self.missing]
        lines += [f"  note: {w}" for w in self.warnings]
        lines += [f"Wrote {p}" for p in self.written]
        return "\n".join(lines)


def _is_candidate(name: str) -> bool:
    low = name.casefold()
    return low.endswith(".json") or low.endswith(".json.txt")


def _hidden(part: str) -> bool:
    return part.startswith(".") or part == "__MACOSX"


def _from_zip(label: str, data: bytes, found: list, report: Report, depth: int = 0) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        report.left_out.append((label, f"a damaged zip archive ({e})"))
        return
    if len(members) > MAX_ARCHIVE_MEMBERS:
        report.left_out.append((label, f"a zip archive of {len(members)} files (the limit is {MAX_ARCHIVE_MEMBERS})"))
        return
    for m in members:
        if m.is_dir():
            continue
        inner = f"{label}!{m.filename}"
        parts = m.filename.replace("\\", "/").split("/")
        if any(_hidden(p) for p in parts):
            report.left_out.append((inner, "a hidden or system file"))
            continue
        low = m.filename.casefold()
        if low.endswith(".zip") and depth < 2:
            if m.file_size > 50 * MAX_SUBMISSION_BYTES:
                report.left_out.append((inner, "a zip archive too large to open"))
                continue
            _from_zip(inner, zf.read(m), found, report, depth + 1)
            continue
        if not _is_candidate(m.filename):
            report.left_out.append((inner, "not a submission file (the name does not end in .json)"))
            continue
        if m.file_size > MAX_SUBMISSION_BYTES:
            report.left_out.append((inner, f"too large ({m.file_size} bytes; the limit is {MAX_SUBMISSION_BYTES})"))
            continue
        try:
            found.append((inner, zf.read(m)))
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as e:
            report.left_out.append((inner, f"cannot be read from the archive ({e})"))


def collect(paths, report: Report, exclude=()) -> list[tuple[str, bytes]]:
    """The bytes of every candidate submission under ``paths`` (files, folders, zip archives).

    Folders are read recursively; extensions are compared without regard to case; every
    file not read is added to ``report.left_out`` with the reason.
    """
    exclude = {Path(p).resolve() for p in exclude if p}
    found: list = []

    def one(path: Path, label: str):
        if path.resolve() in exclude:
            return
        if path.is_symlink():
            report.left_out.append((label, "a symbolic link (not followed)"))
            return
        if not path.is_file():
            report.left_out.append((label, "not a regular file"))
            return
        low = path.name.casefold()
        size = path.stat().st_size
        if low.endswith(".zip"):
            if size > 200 * MAX_SUBMISSION_BYTES:
                report.left_out.append((label, f"a zip archive too large to open ({size} bytes)"))
                return
            _from_zip(label, path.read_bytes(), found, report)
            return
        if not _is_candidate(path.name):
            report.left_out.append((label, "not a submission file (the name does not end in .json)"))
            return
        if size > MAX_SUBMISSION_BYTES:
            report.left_out.append((label, f"too large ({size} bytes; the limit is {MAX_SUBMISSION_BYTES})"))
            return
        try:
            found.append((label, path.read_bytes()))
        except OSError as e:
            report.left_out.append((label, f"cannot be read ({e.strerror})"))

    for p in map(Path, paths):
        if not p.exists() and not p.is_symlink():
            report.left_out.append((str(p), "no such file or folder"))
        elif p.is_dir():
            for sub in sorted(p.rglob("*")):
                rel = sub.relative_to(p)
                if sub.is_dir():
                    continue
                if any(_hidden(part) for part in rel.parts):
                    report.left_out.append((str(sub), "a hidden or system file"))
                    continue
                one(sub, str(sub))
        else:
            one(p, str(p))
    return found


__all__ = ["MAX_ARCHIVE_MEMBERS", "Report", "collect"]
