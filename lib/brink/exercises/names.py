"""Students' names: cleaned for a gradebook, and turned into file names that stay safe and tell people apart."""
from __future__ import annotations

import hashlib
import re
import unicodedata

from .errors import CourseworkError
from .normal import norm

MAX_NAME = 100
# bidirectional embedding, override and isolate controls: they make a name display as something else
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
JOINERS = {"\u200c", "\u200d"}      # zero-width non-joiner and joiner: ordinary in Persian, Indic scripts, emoji


def clean_name(name, what: str = "name") -> str:
    """A student's name as it may appear in a gradebook: NFC, trimmed, printable, at most 100 characters.

    Joiners (ZWNJ, ZWJ) are kept; control characters and bidirectional overrides are refused.

    Raises:
        CourseworkError: the name is empty, too long, or holds a character that is not allowed.

    >>> clean_name("  Ada   Lovelace ")
    'Ada Lovelace'
    >>> clean_name("می\u200cخواهم") == "می\u200cخواهم"
    True
    >>> clean_name("Eve\u202e")
    Traceback (most recent call last):
    ...
    brink.exercises.errors.CourseworkError: the name has a control or bidirectional-override character (U+202E)
    """
    if not isinstance(name, str):
        raise CourseworkError(f"the {what} must be text")
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name:
        raise CourseworkError(f"the {what} is empty")
    if len(name) > MAX_NAME:
        raise CourseworkError(f"the {what} is longer than {MAX_NAME} characters")
    for ch in name:
        cat = unicodedata.category(ch)
        if ch in BIDI_CONTROLS or cat in ("Cc", "Cs", "Co", "Cn") or (cat == "Cf" and ch not in JOINERS):
            raise CourseworkError(f"the {what} has a control or bidirectional-override character (U+{ord(ch):04X})")
    return name


def slug(name: str) -> str:
    """A safe ASCII file-name part: ``"Ada Lovelace"`` → ``"ada-lovelace"`` (``"student"`` if none is left)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return s[:60] or "student"


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def readable(name: str, limit: int = 40) -> str:
    """A file-name part a person can read, in the name's own script: letters, marks and digits kept.

    Everything else (spaces, punctuation, the characters Windows or macOS refuse) becomes ``-``;
    the result is NFC, case folded, and at most ``limit`` characters (``"student"`` if nothing is left).

    >>> readable("Ada Lovelace"), readable("张伟"), readable("محمد رضا"), readable("../../etc/passwd")
    ('ada-lovelace', '张伟', 'محمد-رضا', 'etc-passwd')
    """
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else "-" for ch in norm(name))
    return re.sub(r"-+", "-", kept).strip("-")[:limit].strip("-") or "student"


def submission_filename(name: str) -> str:
    """A file name unique to a name in any script: the readable name and a short hash of the compared form.

    >>> submission_filename("张伟"), submission_filename("王芳")
    ('submission-张伟-a3a0bafd.json', 'submission-王芳-8ac9540b.json')
    >>> submission_filename("Ada Lovelace") == submission_filename("ADA LOVELACE")
    True
    """
    return f"submission-{readable(name)}-{short_hash(norm(name))}.json"


def file_stem(student) -> str:
    """The part of a per-student file name that says whose it is: readable name, roster ID or login, short hash.

    Args:
        student: a ``roster.Student`` (its ``name``, ``id``, ``login``, ``canvas_id``, ``key``).

    Returns:
        A name unique to the student (the hash is of the student's key) and safe on every file system.
    """
    ident = next((v for v in (student.id, student.login, student.canvas_id) if v), "")
    ident_part = f"-{readable(ident, 20)}" if ident and readable(ident, 20) != "student" else ""
    return f"{readable(student.name)}{ident_part}-{short_hash(student.key)}"


__all__ = ["CourseworkError", "clean_name", "file_stem", "readable", "short_hash", "slug", "submission_filename"]
