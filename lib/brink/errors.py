"""The one error the loaders raise for bad annotation data."""
from __future__ import annotations


class DataError(ValueError):
    """An annotation file is broken.

    The message names the file, the row (1 = first data row, the line after the
    header) and the column, so the fix can be made in a spreadsheet or editor.
    """

    def __init__(self, file: str, row: int | None, column: str | None, problem: str):
        self.file, self.row, self.column, self.problem = file, row, column, problem
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {problem}")
