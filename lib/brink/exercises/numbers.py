"""Numbers as students and instructors type them: decimal commas, grouping, units refused with a reason."""
from __future__ import annotations

import math
import re
import unicodedata

_GROUPED_POINT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")     # 1,234.5
_GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")     # 1.234,5
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+$")            # 1,000: one thousand, or one?
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def parse_number(raw, unit: str = "") -> tuple[float | None, str]:
    """Read a number as a student types it; returns (value, "") or (None, why it was not read).

    A decimal comma is accepted ("0,9409"), and so is a thousands separator with a decimal
    point ("1,234.5"). A unit or a percent sign is an error that says so, and so is a
    number that could be read two ways ("1,000").

    >>> parse_number("0,9409"), parse_number("−3"), parse_number("1,234.5")
    ((0.9409, ''), (-3.0, ''), (1234.5, ''))
    >>> parse_number("11%")[1]
    'Type the number only, without a percent sign.'
    >>> parse_number("11 minutes", "minutes")[1]
    'Type the number only, without a unit (the answer is in minutes).'
    >>> parse_number("0٫5"), parse_number("٣٫٥")
    ((0.5, ''), (3.5, ''))
    >>> parse_number("nan")[1], parse_number("1e308")[1]
    ('‘nan’ is not a number you can type here: type digits, such as 12 or 0.5.', 'That number is too large: type at most 15 digits.')
    """
    if isinstance(raw, bool) or raw is None:
        return None, "Type a number, such as 12 or 0.5."
    if isinstance(raw, (int, float)):
        return (float(raw), "") if math.isfinite(raw) else (None, "Type a finite number.")
    s = unicodedata.normalize("NFKC", str(raw)).strip().replace("\u2212", "-")
    s = s.replace("\u066b", ".").replace("\u066c", ",")        # Arabic decimal and thousands separators
    if not s:
        return None, "Type a number, such as 12 or 0.5."
    if s.lstrip("+-").casefold() in ("nan", "inf", "infinity"):
        return None, f"‘{s}’ is not a number you can type here: type digits, such as 12 or 0.5."
    if len(s) > 40:
        return None, "That is too long for a number."
    if "%" in s:
        return None, "Type the number only, without a percent sign."
    body = s.replace(" ", "")
    if re.search(r"[^\d.,+\-eE]", body) or re.search(r"[eE].*[eE]", body) or (re.search("[eE]", body) and not re.search(r"\d[eE]", body)):
        where = f" (the answer is in {unit})" if unit else ""
        return None, f"Type the number only, without a unit{where}."
    if " " in s:
        return None, "Type the number without spaces, such as 1500."
    if _AMBIGUOUS.match(body):
        plain = body.replace(",", "")
        return None, f"‘{body}’ could be read two ways: write {plain} (or {body.replace(',', '.', 1)} if you meant a decimal)."
    if _GROUPED_POINT.match(body):
        body = body.replace(",", "")
    elif _GROUPED_COMMA.match(body) and "," in body:
        body = body.replace(".", "").replace(",", ".")
    elif _PLAIN.match(body):
        body = body.replace(",", ".")
    else:
        return None, "Type a number, such as 12 or 0.5 (one decimal separator)."
    try:
        value = float(body)
    except ValueError:
        return None, "Type a number, such as 12 or 0.5."
    if not math.isfinite(value) or abs(value) >= 1e15:
        return None, "That number is too large: type at most 15 digits."
    return value, ""


__all__ = ["parse_number"]
