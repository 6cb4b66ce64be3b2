"""The ``when`` of the schema's rules: one condition, evaluated on a whole table or on one row.

A condition is written ``column = term``, ``column != term`` or ``column`` (the cell is filled).
The folder check evaluates it on a typed table (:meth:`Condition.mask`), ``brink source fill`` on
a row of strings as read from the file (:meth:`Condition.holds`), and the codebook shows it
(:meth:`Condition.text`). A rule names the columns it reads (:func:`rule_columns`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

_FORM = re.compile(r"\s*(\w+)\s*(!=|=)\s*(.+?)\s*")


@dataclass(frozen=True)
class Condition:
    """``column op term``; ``op`` is ``=``, ``!=`` or ``filled`` (then ``term`` is None).

    >>> c = Condition.parse("basis != not stated")
    >>> c, c.text()
    (Condition(column='basis', op='!=', term='not stated'), 'basis != not stated')
    >>> Condition.parse("killed").holds({"killed": "3"}), Condition.parse("killed").holds({"killed": ""})
    (True, False)
    """
    column: str
    op: str
    term: str | None = None

    @classmethod
    def parse(cls, expr: str) -> "Condition":
        """The condition an expression of ``schema.toml`` writes."""
        m = _FORM.fullmatch(expr)
        if not m:
            return cls(expr.strip(), "filled")
        col, op, term = m.groups()
        return cls(col, op, term)

    def mask(self, df: pd.DataFrame) -> pd.Series:
        """The rows of a table where the condition holds (an empty cell never equals a term)."""
        filled = df[self.column].notna()
        if self.op == "filled":
            return filled
        same = df[self.column].astype(object) == self.term
        return (filled & same) if self.op == "=" else (filled & ~same)

    def holds(self, row: dict) -> bool:
        """Whether the condition holds for one row of strings (an empty string is an empty cell)."""
        value = row.get(self.column) or ""
        if self.op == "filled":
            return bool(value)
        return bool(value) and ((value == self.term) if self.op == "=" else (value != self.term))

    def text(self) -> str:
        """The condition as the schema writes it."""
        return self.column if self.op == "filled" else f"{self.column} {self.op} {self.term}"


def rule_columns(rule: dict) -> set[str]:
    """Every column a cross-column rule of the schema reads.

    >>> sorted(rule_columns({"when": "date_precision = day", "equal": ["date_end", "date"]}))
    ['date', 'date_end', 'date_precision']
    """
    used = {Condition.parse(rule["when"]).column} if "when" in rule else set()
    for key in ("require", "forbid", "date"):
        if key in rule:
            used.add(rule[key])
    for key in ("equal", "not_before", "unique"):
        used |= set(rule.get(key, []))
    used |= set(rule.get("pattern", {}))
    if "icd203" in rule:
        used |= set(rule["icd203"].values())
    return used


def rule_text(rule: dict) -> str:
    """A rule in one line, for the codebook: ``where <condition>: <problem> (fix: <fix>)``.

    >>> rule_text({"when": "basis = context", "problem": "needs a citation", "fix": "cite it"})
    'where basis = context: needs a citation (fix: cite it)'
    """
    when = f"where {Condition.parse(rule['when']).text()}: " if "when" in rule else ""
    fix = f" (fix: {rule['fix']})" if rule.get("fix") else ""
    return f"{when}{rule.get('problem', '')}{fix}"
