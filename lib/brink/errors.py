"""The kit's errors: one base the command line catches once, and the data error with its Problem.

Every error a user can fix derives from :class:`BrinkError`, which carries the exit status the
``brink`` command ends with; ``brink.cli.main`` prints its message as one line on standard error.
"""
from __future__ import annotations

from dataclasses import dataclass


class BrinkError(Exception):
    """A problem the user can fix: its message is one line, ``exit_code`` the command's status.

    >>> BrinkError("no such folder").exit_code
    1
    """
    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data folder: where (file, row, column), what, and what would fix it.

    ``file`` is relative to the data folder; ``row`` 1 is the first data row (the line
    after the header); ``row`` and ``column`` are ``None`` where the problem is the file's.

    >>> Problem("annotations/events.csv", 4, "date", "cannot read '2019-13-01' as a date", "write YYYY-MM-DD").line("data")
    "data/annotations/events.csv:4:date: cannot read '2019-13-01' as a date — write YYYY-MM-DD"
    """
    file: str
    row: int | None
    column: str | None
    problem: str
    fix: str = ""

    def line(self, prefix: str = "") -> str:
        """``file:row:column: what is wrong — what would fix it`` (``-`` where a part does not apply)."""
        file = f"{prefix.rstrip('/')}/{self.file}" if prefix else self.file
        row = "-" if self.row is None else str(self.row)
        fix = f" — {self.fix}" if self.fix else ""
        return f"{file}:{row}:{self.column or '-'}: {self.problem}{fix}"

    def sentence(self) -> str:
        """``file, row N, column 'c': what is wrong — what would fix it`` (the parts that apply)."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.problem}" + (f" — {self.fix}" if self.fix else "")


class DataError(BrinkError, ValueError):
    """An annotation file is broken: it holds the :class:`Problem` (``e.found``).

    The message names the file, the row (1 = first data row, the line after the
    header) and the column, so the fix can be made in a spreadsheet or editor.

    >>> str(DataError("data/annotations/events.csv", 4, "date", "cannot read 'x' as a date"))
    "data/annotations/events.csv, row 4, column 'date': cannot read 'x' as a date"
    """

    def __init__(self, file: str, row: int | None, column: str | None, problem: str, fix: str = ""):
        self.found = Problem(file, row, column, problem, fix)
        super().__init__(self.found.sentence())

    file = property(lambda self: self.found.file, doc="the file, as shown")
    row = property(lambda self: self.found.row, doc="the row (1 = first data row), or None")
    column = property(lambda self: self.found.column, doc="the column, or None")
    problem = property(lambda self: self.found.problem, doc="what is wrong")
    fix = property(lambda self: self.found.fix, doc="what would fix it")

    @classmethod
    def from_problem(cls, p: Problem, prefix: str = "") -> "DataError":
        """The error for one Problem, its file shown under ``prefix`` (e.g. the data folder's name)."""
        return cls(f"{prefix.rstrip('/')}/{p.file}" if prefix else p.file, p.row, p.column, p.problem, p.fix)

    def problem_(self) -> Problem:
        """This error as a Problem."""
        return self.found
