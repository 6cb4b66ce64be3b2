"""The one form in which two strings typed by people are compared: responses and names alike."""
from __future__ import annotations

import unicodedata


def norm(text) -> str:
    """Canonical form of a response or a name: NFC, trimmed, inner white space collapsed, case folded.

    Case folding can undo NFC (``"ǰ"`` folds to ``j`` and a combining caron), so the result is
    normalised again.

    Args:
        text: any value; it is compared as ``str(text)``.

    Returns:
        The canonical string.

    >>> norm("  A  Taunt ")
    'a taunt'
    >>> norm("ADA  Lovelace") == norm("ada lovelace")
    True
    """
    return unicodedata.normalize("NFC", " ".join(unicodedata.normalize("NFC", str(text)).casefold().split()))


__all__ = ["norm"]
