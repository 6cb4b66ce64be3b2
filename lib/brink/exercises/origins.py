"""Whose file is this? Identity from where a file was collected, which the student cannot write for a classmate.

A student writes every field of a submission (name, login, ID, times), so none of them can
say whose grade it is. What a student cannot write for someone else is where the file was
collected from:

- ``hub``: one folder per hub user, named after the user (the guide's collection recipe copies
  each home's files into ``submissions/<hub user>/``); the folder is the login.
- ``canvas``: Canvas's "Download Submissions" names each file
  ``<name>_[LATE_]<Canvas user ID>_<attachment ID>_<file name>``; the user ID is the roster's ``ID``.
- ``moodle``: Moodle's "Download all submissions" names each folder (or file)
  ``<Full name>_<participant ID>_assignsubmission_file``; the participant ID is the grading
  worksheet's ``Identifier`` ("Participant 123"), and the full name is Moodle's own.
- ``files``: no trusted source; the identity is what the file claims, and two files claiming one
  student stop the run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import CourseworkError

SOURCES = ("files", "hub", "canvas", "moodle")
_CANVAS = re.compile(r"^(?P<name>[^_]*)_(?:LATE_)?(?P<uid>\d+)_(?P<att>\d+)_(?P<file>.+)$")
_MOODLE = re.compile(r"^(?P<name>[^_]+)_(?P<pid>\d+)_assignsubmission_file(?:_(?P<file>.*))?$")


@dataclass(frozen=True)
class Origin:
    """Who a file belongs to by where it was collected: ``kind`` is ``login``, ``canvas_id`` or ``participant``."""
    kind: str
    value: str
    name: str = ""        # the name the LMS gives, when it gives one

    def describe(self) -> str:
        what = {"login": "hub user", "canvas_id": "Canvas user ID", "participant": "Moodle participant"}[self.kind]
        return f"{what} {self.value}" + (f" ({self.name})" if self.name else "")


def origin(source: str, parts: tuple) -> Origin | None:
    """The trusted identity of a file collected at ``parts`` (folders and names from the path given).

    Args:
        source: one of ``SOURCES``.
        parts: the item's path parts, as ``collection.Item.parts``.

    Returns:
        An ``Origin``, or None for ``files`` (no trusted source).

    Raises:
        CourseworkError: the file is not where that source puts files (the message says why).

    >>> origin("hub", ("ada", "brink", "submission-ada-1a2b3c4d.json"))
    Origin(kind='login', value='ada', name='')
    >>> origin("canvas", ("lovelaceada_LATE_4021_99812_submission-ada.json",)).value
    '4021'
    >>> origin("moodle", ("Ada Lovelace_1234_assignsubmission_file", "submission.json")).name
    'Ada Lovelace'
    """
    if source == "files":
        return None
    if source == "hub":
        if len(parts) < 2:
            raise CourseworkError("not in a hub user's folder (collect into submissions/<hub user>/, as the guide says)")
        return Origin("login", parts[0])
    if source == "canvas":
        for part in reversed(parts):
            m = _CANVAS.match(part)
            if m:
                return Origin("canvas_id", m["uid"], m["name"])
        raise CourseworkError("not named as Canvas names a downloaded submission (<name>_<user ID>_<attachment ID>_<file>)")
    if source == "moodle":
        for part in reversed(parts):
            m = _MOODLE.match(part)
            if m:
                return Origin("participant", m["pid"], m["name"])
        raise CourseworkError("not named as Moodle names a downloaded submission "
                              "(<Full name>_<participant ID>_assignsubmission_file)")
    raise CourseworkError(f"--from {source!r} is not one of {', '.join(SOURCES)}")


__all__ = ["SOURCES", "Origin", "origin"]
