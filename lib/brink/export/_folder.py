"""What the exporters read: a data folder's schema and its files, as text, checked first.

The exporters work on the files (the cells as written), so an export is the data exactly as coded.
They use the library's public checking: a folder with any problem is not exported.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import files
from ..dataset import check
from ..dataset.schema import Schema
from ..dataset.schema import load_schema as _load_schema
from ..errors import DataError


def load_schema(folder: Path) -> Schema:
    """The schema of a data folder (``schema.toml``)."""
    return _load_schema(Path(folder))


@dataclass(frozen=True)
class Folder:
    """A checked data folder: its path, schema, every table's rows (dicts of strings) and the texts."""
    path: Path
    schema: Schema
    rows: dict
    texts: dict      # source_id -> the whole file's text
    bodies: dict     # source_id -> (body_start, body_end)

    def table(self, name: str) -> list[dict]:
        return [dict(r) for r in self.rows[name]]

    def body(self, source_id: str) -> str:
        start, end = self.bodies[source_id]
        return self.texts[source_id][start:end]

    def reference(self, rel: str) -> list[dict]:
        """The rows of a reference file of the folder (``vocabularies/…csv``), as dicts of strings."""
        path = self.path / rel
        if not path.is_file():
            raise DataError(rel, None, None, "the reference file is missing",
                            fix="copy it from the kit's data folder")
        return read_csv(path, rel)


def read_csv(path: Path, shown: str) -> list[dict]:
    """The rows of a CSV file of the folder, as dicts of strings (the kit's one reader, :func:`brink.files.read_csv`)."""
    return files.read_csv(path, shown)[1]


def open_folder(folder: Path) -> Folder:
    """Check a data folder as ``brink check`` does and read its files.

    A folder whose files, byte for byte, passed the whole check before (in this process, or by the
    cache of checked tables: :func:`brink.dataset.check.known_clean`) is not checked again.

    Args:
        folder: a data folder (the kit's ``data/``, or a class's copy with sources of its own).
    Returns:
        A :class:`Folder`.
    Raises:
        DataError: the first problem ``brink check`` finds (file, row and column named).
    """
    folder = Path(folder).resolve()
    schema = check.known_clean(folder)   # the same files passed the whole check before: not again
    if schema is None:
        checked = check.check_folder(folder)
        if checked.problems:
            raise DataError.from_problem(checked.problems[0], checked.folder.name)
        schema = checked.schema
    assert schema is not None   # a folder whose schema cannot be read has a problem, raised above
    rows = {name: read_csv(folder / t.file, t.file) for name, t in schema.tables.items()}
    texts, bodies = {}, {}
    for r in rows["sources"]:
        sid = r["source_id"]
        texts[sid] = (folder / schema.sources_folder / r["file"]).read_bytes().decode("utf-8")
        bodies[sid] = (int(r["body_start"]), int(r["body_end"]))
    return Folder(folder, schema, rows, texts, bodies)
