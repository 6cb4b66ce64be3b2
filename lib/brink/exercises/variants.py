"""Per-student papers: which variant of each question a student answers, and in which order its options stand.

How a paper is drawn (the instructor guide says the same):

- A question of the bank may have a *pool* of equally hard variants (other events, other
  spans, other claims: ``[[question.variant]]`` tables). Every choice question's options,
  items and matches are shown in an order drawn for the student.
- Both are drawn from the student's **paper code** and the question's id, by SHA-256
  (``variant_index``, ``arrangement``): anyone can recompute a paper from its code, and the
  grader does.
- A paper code is a keyed hash, HMAC-SHA256, of the student's identity on the roster, under
  an **instructor secret** that stays with the instructor (``brink papers`` creates it in
  ``~/.config/brink/paper-secret``, readable by its owner only, and never copies it into a
  release). A release holds neither the secret nor any code: a student cannot make a valid
  code for themselves, so cannot choose an easy variant, and a classmate's code (or one
  made up) is not the code issued to them.
- The notebook asks for the code once (it is kept in the answer folder) and the submission
  carries it. The grader recomputes the code from the roster student the submission is
  matched to: a code that is not the one issued to that student earns nothing.
- Without a code (the instructor's own copy, a release for self-study) every question is
  its first variant, its options in an order drawn from the release's own salt: the order
  is still not the bank's, so no position wins, but it is one order for everyone.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import random
import re
import secrets
from pathlib import Path

from .. import settings

PAPER_FILE = "paper-code.txt"            # in the answer folder, beside the exercises' answer files
SHUFFLED = ("options", "items", "left", "right")
COMMON = ("id", "exercise", "kind", "mode", "salt")      # what every variant of a key entry shares
_CODE = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$")


class PaperError(ValueError):
    """A paper code or the instructor secret cannot be used; the message says why."""


# --- drawing a paper -------------------------------------------------------------------
def _number(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()[:8], "big")


def variant_index(code: str, qid: str, n: int) -> int:
    """Which of a question's ``n`` variants the paper ``code`` holds (0 without a code).

    >>> variant_index("", "t01", 3)
    0
    >>> 0 <= variant_index("ABCD-EFGH-JKLM-NPQR", "t01", 3) < 3
    True
    """
    if n <= 1 or not code:
        return 0
    return _number("brink-variant", code, qid) % n


def arrangement(code: str, salt: str, qid: str, field: str, n: int) -> list[int]:
    """The order in which a paper shows the ``n`` entries of a question's ``field`` (a permutation of range(n)).

    With a code, the order is the code's alone (the instructor reprints it without the release);
    without one, the release's ``salt`` draws it.

    >>> sorted(arrangement("", "", "t01", "options", 4))
    [0, 1, 2, 3]
    >>> arrangement("", "", "t01", "options", 4) == arrangement("", "", "t01", "options", 4)
    True
    """
    order = list(range(n))
    random.Random(_number("brink-order", code or "release:" + salt, qid, field)).shuffle(order)
    return order


def canonical(values: list) -> list:
    """The one order in which a key stores a question's options, items or matches, whatever the bank's.

    The bank's own order often puts the answer first, and any order of the texts themselves
    (alphabetical, say) follows how the texts were written; a release's key file is open to
    every student. So the texts stand in the order of a hash of each one, which knows nothing
    of which is right. Each paper's order is drawn from this one.

    >>> canonical(["Tehran", "Baghdad"]) == canonical(["Baghdad", "Tehran"])
    True
    """
    return sorted(values, key=lambda v: hashlib.sha256(f"brink-canonical\x1f{v}".encode("utf-8")).digest())


def in_order(question: dict, code: str = "", salt: str = "") -> dict:
    """A question (a key entry or a bank variant) with its options, items and matches in the paper's order."""
    out = dict(question)
    for field in SHUFFLED:
        if isinstance(out.get(field), list):
            values = canonical(out[field])
            out[field] = [values[i] for i in arrangement(code, salt, question["id"], field, len(values))]
    return out


def arrange(entry: dict, code: str = "", salt: str = "") -> dict:
    """A key entry as one paper shows it: its variant chosen, its options in the paper's order.

    Args:
        entry: a question's key entry (with ``variants`` if its pool has more than one).
        code: the student's paper code ("" for none).
        salt: the release's order salt (the key's ``order_salt``).

    Returns:
        A new entry (the input is not changed) with ``variant`` set to the index drawn.
    """
    return in_order(pick(entry, code), code, salt)


def pick(entry: dict, code: str = "") -> dict:
    """The variant of a key entry that the paper ``code`` holds, in the key's own order (for scoring)."""
    pool = entry.get("variants")
    if not pool:
        return {**entry, "variant": 0}
    index = variant_index(code, entry["id"], len(pool))
    return {**{k: entry[k] for k in COMMON if k in entry}, **pool[index], "variant": index}


def variant_of(question: dict, code: str = "") -> dict:
    """The variant of a resolved bank question (with its ``pool``) that the paper ``code`` holds."""
    pool = question.get("pool") or [question]
    return pool[variant_index(code, question["id"], len(pool))]


# --- paper codes -------------------------------------------------------------------------
def secret_path() -> Path:
    """Where the instructor secret is kept: ``$BRINK_PAPER_SECRET`` or ``~/.config/brink/paper-secret``."""
    override = settings.paper_secret()
    if override:
        return Path(override)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "brink" / "paper-secret"


def read_secret(path: Path | None = None, create: bool = False) -> bytes:
    """The instructor secret (created, readable by its owner only, if ``create`` and it is missing).

    Raises:
        PaperError: it is missing (and not to be created), unreadable, too short, or readable by others.
    """
    path = Path(path) if path else secret_path()
    if not path.exists():
        if not create:
            raise PaperError(f"{path}: no instructor secret here (brink papers creates it; --secret FILE names another)")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32) + "\n")
    try:
        if os.name != "nt" and path.stat().st_mode & 0o077:
            raise PaperError(f"{path}: the instructor secret is readable by others; chmod 600 it")
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as e:
        raise PaperError(f"{path}: the instructor secret cannot be read ({e})") from None
    if len(text) < 32:
        raise PaperError(f"{path}: the instructor secret is too short (at least 32 characters)")
    return text.encode("ascii")


def paper_code(secret: bytes, identity: str) -> str:
    """The paper code issued to one identity: 80 bits of HMAC-SHA256, in four groups of base32.

    >>> paper_code(b"x" * 32, "id:s001")
    'HLTV-UA5T-HI5X-S5AF'
    """
    mac = hmac.new(secret, f"brink-paper\x1f{identity}".encode("utf-8"), hashlib.sha256).digest()
    s = base64.b32encode(mac[:10]).decode("ascii")
    return "-".join(s[i:i + 4] for i in range(0, 16, 4))


def clean_code(text) -> str:
    """A paper code as typed (any case, spaces or none), in its canonical form.

    Raises:
        PaperError: it is not the shape of a paper code (it catches typing slips, not forgeries).

    >>> clean_code(" hltv ua5t hi5x s5af ")
    'HLTV-UA5T-HI5X-S5AF'
    """
    if not isinstance(text, str):
        raise PaperError("a paper code is text, such as ABCD-EFGH-JKLM-NPQR")
    raw = re.sub(r"[\s-]", "", text).upper()
    code = "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))
    if not _CODE.match(code):
        raise PaperError(f"{text.strip()[:40]!r} is not a paper code: four groups of four letters "
                         "and digits 2–7, such as ABCD-EFGH-JKLM-NPQR")
    return code


def issued(secret: bytes, identity: str, code) -> bool:
    """True if ``code`` is the paper code issued to ``identity`` (compared in constant time)."""
    try:
        given = clean_code(code)
    except PaperError:
        return False
    return hmac.compare_digest(given, paper_code(secret, identity))


def read_paper(folder: Path) -> str:
    """The paper code kept in an answer folder ("" if there is none or it is not a code)."""
    path = Path(folder) / PAPER_FILE
    try:
        return clean_code(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, PaperError):
        return ""


def keep_paper(folder: Path, code: str) -> str:
    """Keep a student's paper code in their answer folder; returns it in canonical form."""
    from .store import atomic_write_text
    code = clean_code(code)
    atomic_write_text(Path(folder) / PAPER_FILE, code + "\n")
    return code
