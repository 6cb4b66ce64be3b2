"""The one error the loaders raise for bad annotation data, and the problem ``brink check`` reports."""
from __future__ import annotations

from dataclasses import dataclass


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


class DataError(ValueError):
    """An annotation file is broken.

    The message names the file, the row (1 = first data row, the line after the
    header) and the column, so the fix can be made in a spreadsheet or editor.

    >>> str(DataError("data/annotations/events.csv", 4, "date", "cannot read 'x' as a date"))
    "data/annotations/events.csv, row 4, column 'date': cannot read 'x' as a date"
    """

    def __init__(self, file: str, row: int | None, column: str | None, problem: str, fix: str = ""):
        self.file, self.row, self.column, self.problem, self.fix = file, row, column, problem, fix
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {problem}" + (f" — {fix}" if fix else ""))

    @classmethod
    def from_problem(cls, p: Problem, prefix: str = "") -> "DataError":
        """The error for one Problem, its file shown under ``prefix`` (e.g. the data folder's name)."""
        return cls(f"{prefix.rstrip('/')}/{p.file}" if prefix else p.file, p.row, p.column, p.problem, p.fix)

    def problem_(self) -> Problem:
        """This error as a Problem."""
        return Problem(self.file, self.row, self.column, self.problem, self.fix)
