"""The student's answer store: every attempt, saved at once, never lost.

Each exercise has its own file, ``brink-answers/<exercise>.json``, in the folder
the notebook runs in (``$BRINK_ANSWERS`` names another folder). A save
re-reads the file under a lock, appends the attempt and replaces the file
atomically (write a temporary file, flush it to disk, rename it over the old
one), so:

- a kernel killed in the middle of a save leaves the previous file intact;
- two kernels saving to the same exercise both keep their attempts;
- two notebooks (two exercises) never touch each other's file.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from pathlib import Path

from filelock import FileLock

from .. import settings
from ..files import atomic_write

FORMAT = "brink-answers/1"
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")


def answers_dir() -> Path:
    """Where answers are stored: ``$BRINK_ANSWERS`` or ``brink-answers/`` in the current folder."""
    return Path(settings.answers() or Path.cwd() / "brink-answers")


class StoreError(RuntimeError):
    """An answer file cannot be read or written; the message names the file."""


class AnswerStore:
    """The answers of one exercise.

    Args:
        exercise: the exercise id, e.g. ``"01-timeline"``.
        folder: where to keep the file (default: ``answers_dir()``).
    """

    def __init__(self, exercise: str, folder: Path | None = None):
        if not _SAFE.match(exercise):
            raise StoreError(f"exercise id {exercise!r} is not a safe file name")
        self.exercise = exercise
        self.folder = Path(folder) if folder else answers_dir()
        self.path = self.folder / f"{exercise}.json"

    @contextlib.contextmanager
    def _locked(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        # filelock: an OS lock on every platform (fcntl on POSIX, msvcrt on Windows)
        with FileLock(self.folder / f".{self.exercise}.lock"):
            yield

    def read(self) -> dict:
        """The stored answers: ``{"format", "exercise", "attempts": [...], "latest": {question: response}}``."""
        empty = {"format": FORMAT, "exercise": self.exercise, "attempts": [], "latest": {}}
        if not self.path.exists():
            return empty
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            # never overwrite what cannot be read: keep it aside and say so
            raise StoreError(f"{self.path}: the answer file cannot be read ({e}); it has not been changed") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("exercise") != self.exercise:
            raise StoreError(f"{self.path}: not a Brink answer file for {self.exercise}")
        return normalise(data, self.path)

    def latest(self) -> dict:
        """The last response given to each question."""
        return dict(self.read()["latest"])

    def save(self, question: str, response, status: str, score: float) -> dict:
        """Append one attempt and make it the latest answer; returns the stored data."""
        record = {"question": question, "response": response, "status": status, "score": score,
                  "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        json.dumps(record)  # refuse what cannot be stored before touching the file
        with self._locked():
            try:
                data = self.read()
            except StoreError:
                data = self._set_aside()
            record["n"] = len(data["attempts"]) + 1        # numbered, so a cut in the log shows (see grading)
            data["attempts"].append(record)
            data["latest"][question] = response
            self._write(data)
        return data

    def _set_aside(self) -> dict:
        """Keep an unreadable file under a new name (nothing is deleted) and start a fresh one."""
        n = 1
        while (aside := self.path.with_name(f"{self.path.name}.unreadable-{n}")).exists():
            n += 1
        os.replace(self.path, aside)
        return {"format": FORMAT, "exercise": self.exercise, "attempts": [], "latest": {}, "set_aside": aside.name}

    def _write(self, data: dict) -> None:
        # under the lock no other save of this file is running: every temporary copy beside it is stale
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1), stale_after=0)


def normalise(data: dict, where="answers") -> dict:
    """Fill in what an answer file may lack: ``attempts`` (a list) and ``latest`` (built from the attempts).

    Raises:
        StoreError: ``attempts`` or ``latest`` is there but has the wrong shape.

    >>> normalise({"format": FORMAT, "exercise": "x"})["latest"]
    {}
    >>> normalise({"attempts": [{"question": "q1", "response": "a"}]})["latest"]
    {'q1': 'a'}
    """
    attempts = data.get("attempts", [])
    if not isinstance(attempts, list) or not all(isinstance(a, dict) and isinstance(a.get("question"), str)
                                                 for a in attempts):
        raise StoreError(f"{where}: 'attempts' is not a list of attempts")
    latest = data.get("latest")
    if latest is None:
        latest = {a["question"]: a.get("response") for a in attempts}
    if not isinstance(latest, dict):
        raise StoreError(f"{where}: 'latest' does not map questions to answers")
    return {**data, "attempts": attempts, "latest": latest}


def sweep_temporaries(path: Path, older_than: float = 60.0) -> list[Path]:
    """Remove what a killed save of ``path`` left behind: its ``.<name>.*.tmp`` siblings older than ``older_than`` s.

    A save killed with ``kill -9`` cannot clean up after itself; the next save of the same file does.

    Returns:
        The files removed.
    """
    import time
    gone = []
    now = time.time()
    for tmp in Path(path).parent.glob(f".{Path(path).name}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.lstat().st_mtime >= older_than:
                tmp.unlink()
                gone.append(tmp)
    return gone


def atomic_write_text(path: Path, text: str, stale_after: float = 60.0) -> None:
    """Replace ``path`` with ``text`` all at once: a crash leaves the old file or the new one, never half.

    Temporary copies that an earlier, killed save of ``path`` left are removed first (see ``sweep_temporaries``);
    the write itself is :func:`brink.files.atomic_write` (the file and its folder flushed to disk).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(path, stale_after)
    atomic_write(path, text)


def all_answers(folder: Path | None = None, problems: list | None = None, attempts: dict | None = None) -> dict:
    """Every exercise's latest answers in a folder: ``{exercise: {question: response}}``.

    A file that cannot be read is skipped and described in ``problems`` (if a list is
    given); each exercise's attempt log goes into ``attempts`` (if a dict is given).
    """
    folder = Path(folder) if folder else answers_dir()
    out = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = AnswerStore(path.stem, folder).read()
        except StoreError as e:
            if problems is not None:
                problems.append(str(e))
            continue
        out[path.stem] = dict(data["latest"])
        if attempts is not None:
            attempts[path.stem] = data["attempts"]
    for path in sorted(folder.glob("*.unreadable-*")):
        if problems is not None:
            problems.append(f"{path}: set aside earlier because it could not be read; not submitted")
    return out
