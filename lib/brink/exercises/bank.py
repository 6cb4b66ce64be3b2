"""The question bank: one file, ``exercises/questions.toml``, is the source of truth.

A question is either written out in the bank (conceptual questions, with feedback
for each option and a hint), or names a ``generator`` that builds its options and
answer from the kit's tables (order these events, who said this, which source
reports 16 missiles), so the exercises and the lessons read the same data.
"""
from __future__ import annotations

import copy
import enum
import functools
import hashlib
import json
import secrets
import sys
import tomllib
from pathlib import Path
from typing import cast

from .. import settings
from .._paths import bank_path, exercises_dir, kit_root
from ..errors import BrinkError
from .key import FORMAT, AnswerKey, lock
from .kinds import KINDS
from .variants import COMMON as SHARED
from .variants import SHUFFLED, canonical

KEY_FILE = "brink-key.json"


class BankError(BrinkError, ValueError):
    """The question bank is broken; the message names the file, the question and the field."""


# --- loading -----------------------------------------------------------------------
class Mode(enum.StrEnum):
    """How an exercise is given: with instant feedback, or saved and scored by the instructor."""
    PRACTICE = "practice"
    ASSESSED = "assessed"


MODES = tuple(m.value for m in Mode)
COMMON = ("id", "exercise", "kind", "prompt", "hint")
# the keys an [exercise.<id>] table may have, and what each must be (a typo is an error, not a silent default)
EXERCISE_KEYS = {"title": (str, "text"), "lesson": (str, "a notebook file name"),
                 "minutes": (int, "a whole number of minutes"), "mode": (Mode, f"one of {list(MODES)}")}
# what a [[question.variant]] may not change: the question's identity and kind
FIXED = ("id", "exercise", "kind", "generator", "variant", "tool_literacy")
#: ``tool_literacy = true`` marks a question that tests the kit's mechanics (what a table stores, what a
#: command prints), not the reading of the texts: the class report labels it so an instructor does not
#: count it as comprehension of the texts
TOOL_LITERACY = "tool_literacy"


def check_exercise_table(ex_id: str, meta, where: str) -> None:
    """Refuse an ``[exercise.<id>]`` table with an unknown key or a value of the wrong type.

    Raises:
        BankError: naming the file, the exercise and the key.

    >>> check_exercise_table("x", {"title": "X", "minutes": 20}, "questions.toml")
    >>> check_exercise_table("x", {"titel": "X"}, "questions.toml")
    Traceback (most recent call last):
    ...
    brink.exercises.bank.BankError: questions.toml, exercise x, key 'titel': not a key of an exercise table (known: title, lesson, minutes, mode)
    """
    if not isinstance(meta, dict):
        raise BankError(f"{where}, exercise {ex_id}: must be a table ([exercise.{ex_id}])")
    for k, v in meta.items():
        if k not in EXERCISE_KEYS:
            raise BankError(f"{where}, exercise {ex_id}, key '{k}': not a key of an exercise table "
                            f"(known: {', '.join(EXERCISE_KEYS)})")
        typ, what = EXERCISE_KEYS[k]
        ok = (v in MODES) if typ is Mode else (isinstance(v, typ) and not isinstance(v, bool))
        if not ok or (typ is str and not v.strip()) or (typ is int and v <= 0):
            raise BankError(f"{where}, exercise {ex_id}, field '{k}': {v!r} is not {what}")


def load_bank(path: Path | None = None) -> dict:
    """Read and check the bank (once per file version); returns a fresh copy.

    See ``read_bank``. The resolved bank is also kept in the user's cache folder, keyed by the bank's
    bytes, the data folder's signature and the library's code, so the next kernel (an exercise
    notebook starting) serves it without running the generators or importing pandas; where the
    cache cannot be written (``BRINK_CACHE=off``) every kernel resolves it in full.

    >>> load_bank()["questions"][0]["id"]
    't01'
    """
    path = Path(path) if path else bank_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    if stamp is None:
        return read_bank(path)
    return copy.deepcopy(_cached_bank(str(path.resolve()), stamp, settings.data() or ""))


#: how the bank was last resolved in this process, by file: "read" (every generator run) or "cache"
#: (served from the user's cache folder, for the same bank, data folder and library)
built: dict[str, str] = {}
#: the layout of a stored bank; raise it when what ``read_bank`` returns changes shape
BANK_CACHE_FORMAT = 1


@functools.lru_cache(maxsize=4)
def _cached_bank(path: str, stamp: int, data: str) -> dict:
    key = _bank_entry_key(Path(path))
    if key is not None:
        from ..dataset import cache
        stored = cache.load_entry("bank", key)
        if isinstance(stored, dict):
            built[path] = "cache"
            return stored
    bank = read_bank(Path(path))
    if key is not None:
        from ..dataset import cache
        cache.store_entry("bank", key, bank)
    built[path] = "read"
    return bank


@functools.lru_cache(maxsize=1)
def _library_code() -> str:
    """The SHA-256 of the library's own code (every module under ``brink``): the generators read through it."""
    import importlib.metadata
    here = Path(__file__).resolve().parents[1]
    try:
        pandas = importlib.metadata.version("pandas")
    except importlib.metadata.PackageNotFoundError:
        pandas = ""
    h = hashlib.sha256(f"{BANK_CACHE_FORMAT}\x1f{sys.version}\x1f{pandas}".encode())
    for module in sorted(here.rglob("*.py")):
        h.update(module.relative_to(here).as_posix().encode() + b"\x1f" + module.read_bytes() + b"\x1e")
    return h.hexdigest()


def _bank_entry_key(path: Path) -> str | None:
    """The key of a bank's resolved questions across kernels: the bank's bytes, the data folder, the library.

    The generators build answers from the data folder's tables, so the folder's signature (every file
    its check reads) is part of the key; any changed byte in any of them, in the bank or in the
    library gives another key, and the bank is resolved again. None where the data folder or its
    schema cannot be read (the bank is then read in full, and says what is wrong).
    """
    from .._paths import data_dir
    from ..dataset.schema import load_schema
    from ..dataset.signature import fingerprint, folder_signature
    bank = fingerprint(path)
    if bank is None:
        return None
    try:
        folder = data_dir().resolve()
        data = folder_signature(folder, load_schema(folder).input_files())
    except (BrinkError, OSError):
        return None
    return hashlib.sha256(f"{bank}\x1f{data}\x1f{_library_code()}".encode()).hexdigest()


def read_bank(path: Path | None = None) -> dict:
    """Read and check the bank; returns {"exercises": {...}, "questions": [resolved questions]}.

    Raises:
        BankError: naming the file, the question and the field that is wrong.

    >>> bank = load_bank()
    >>> sorted({q["kind"] for q in bank["questions"]}) == sorted(KINDS)
    True
    """
    path = Path(path) if path else bank_path()
    where = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise BankError(f"{path}: the question bank is missing (a student release has a compiled key instead)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise BankError(f"{where}: not valid TOML ({e})") from None
    exercises = raw.get("exercise", {})
    for ex_id, meta in exercises.items():
        check_exercise_table(ex_id, meta, where)
    seen, out = set(), []
    for i, q in enumerate(raw.get("question", []), start=1):
        qid = q.get("id") or f"#{i}"

        def fail(field, problem):
            raise BankError(f"{where}, question {qid}, field '{field}': {problem}")  # noqa: B023 (called within this iteration)
        for field in COMMON:
            if not isinstance(q.get(field), str) or not q[field].strip():
                fail(field, "required text is missing")
        if qid in seen:
            fail("id", "duplicate id")
        seen.add(qid)
        if q["exercise"] not in exercises:
            fail("exercise", f"{q['exercise']!r} is not an [exercise.…] table")
        if q["kind"] not in KINDS:
            fail("kind", f"{q['kind']!r} is not one of {sorted(KINDS)}")
        if not isinstance(q.get(TOOL_LITERACY, False), bool):
            fail(TOOL_LITERACY, f"{q[TOOL_LITERACY]!r} is not true or false")
        overrides = q.get("variant", [])
        if not isinstance(overrides, list) or not all(isinstance(v, dict) for v in overrides):
            fail("variant", "must be [[question.variant]] tables")
        pool = []
        for n, override in enumerate([{}, *overrides]):
            where_v = "" if n == 0 else f", variant {n + 1}"

            def fail_v(field, problem, where_v=where_v):
                raise BankError(f"{where}, question {qid}{where_v}, field '{field}': {problem}")  # noqa: B023 (called within this iteration)
            for field in override:
                if field in FIXED:
                    fail_v(field, "a variant cannot change it (only its parameters and texts)")
            pool.append(_resolve({k: v for k, v in {**q, **override}.items() if k != "variant"}, fail_v))
        first = dict(pool[0])
        first["pool"] = pool
        out.append(first)
    return {"exercises": exercises, "questions": out}


def _resolve(q: dict, fail) -> dict:
    """One variant of a question: its generator run (if it has one), its fields checked, its points set."""
    q = dict(q)
    if "generator" in q:
        # the generators read the kit's tables (pandas): a release's compiled key never needs them
        from .generators import GENERATORS, GeneratorError
        if q["generator"] not in GENERATORS:
            fail("generator", f"unknown generator; known: {sorted(GENERATORS)}")
        try:
            q.update(GENERATORS[q["generator"]](q))
        except (KeyError, IndexError, GeneratorError) as e:
            fail("generator", f"cannot build from the data ({e})")
    for field in COMMON[3:]:
        if not isinstance(q.get(field), str) or not q[field].strip():
            fail(field, "required text is missing")
    KINDS[q["kind"]].validate(q, fail)
    q["points"] = KINDS[q["kind"]].points(q)
    return q


def pool_of(q: dict) -> list[dict]:
    """A resolved question's variants, the first being the question itself."""
    return q.get("pool") or [q]


def _stable_salt(qid: str) -> str:
    return hashlib.sha256(f"brink-instructor\x1f{qid}".encode()).hexdigest()[:16]


def compile_question(q: dict, mode: str = "practice", salt: str | None = None) -> dict:
    """One resolved question as a key entry.

    In practice mode the entry holds what instant feedback needs (see ``key``); in
    assessed mode it holds only what is shown: no answer, feedback, hint, model answer
    or rubric, in any form.
    """
    salt = salt or secrets.token_hex(8)
    pool = pool_of(q)
    entry = _compile_one(q, mode, salt)
    if len(pool) > 1:
        entry["variants"] = [{k: v for k, v in _compile_one(p, mode, salt).items() if k not in SHARED} for p in pool]
    return entry


def _compile_one(q: dict, mode: str, salt: str) -> dict:
    kind = KINDS[q["kind"]]
    entry = {k: q[k] for k in ("id", "exercise", "kind", "prompt", "points")}
    entry.update(kind.shown(q))
    for field in SHUFFLED:                  # stored in one order that points at no answer
        if isinstance(entry.get(field), list):
            entry[field] = canonical(entry[field])
    entry["mode"] = mode
    if mode == "assessed":
        return entry
    entry["salt"], entry["hint"] = salt, q["hint"]
    entry.update(kind.compile(q, salt))
    if "wrong_feedback" in q:
        entry["wrong_feedback"] = q["wrong_feedback"]
    if q.get("correct_feedback") and "correct_feedback" not in entry:
        entry["correct_feedback"] = lock(salt, kind.secret(q), q["correct_feedback"])
    return entry


def exercise_modes(bank: dict, mode: str | None = None) -> dict:
    """Each exercise's mode: ``mode`` for all if given, else the bank's setting (default practice)."""
    if mode is not None and mode not in MODES:
        raise BankError(f"mode {mode!r} is not one of {list(MODES)}")
    return {ex: mode or meta.get("mode", "practice") for ex, meta in bank["exercises"].items()}


def select_exercises(bank: dict, only=None) -> list[str]:
    """The exercise ids to use: all, or those named in ``only`` (each must exist)."""
    if not only:
        return list(bank["exercises"])
    unknown = [x for x in only if x not in bank["exercises"]]
    if unknown:
        raise BankError(f"no exercise {', '.join(map(repr, unknown))}; known: {', '.join(bank['exercises'])}")
    return [x for x in bank["exercises"] if x in only]


def compile_key(bank: dict | None = None, random_salt: bool = True, mode: str | None = None,
                exercises=None, papers: bool = False) -> AnswerKey:
    """The compiled key of the chosen exercises (what a student release carries).

    Args:
        bank: a loaded bank (default: the kit's).
        random_salt: fresh salts (a release) or stable ones (the instructor's own key).
        mode: ``practice`` or ``assessed`` for every exercise; default: each exercise's setting.
        exercises: ids to include (default: all).
        papers: the release asks each student for the paper code the instructor issued (see ``variants``).
    """
    bank = bank or load_bank()
    modes = exercise_modes(bank, mode)
    chosen = select_exercises(bank, exercises)
    # the order options are shown in without a paper code: one per release, none the bank's
    key: AnswerKey = {"format": FORMAT, "order_salt": secrets.token_hex(8) if random_salt else "", "exercises": {}}
    if papers:
        key["papers"] = True
    for ex_id in chosen:
        meta = bank["exercises"][ex_id]
        key["exercises"][ex_id] = {"title": meta.get("title", ex_id), "mode": modes[ex_id], "questions": []}
    for q in bank["questions"]:
        if q["exercise"] in key["exercises"]:
            salt = None if random_salt else _stable_salt(q["id"])
            key["exercises"][q["exercise"]]["questions"].append(compile_question(q, modes[q["exercise"]], salt))
    return key


@functools.lru_cache(maxsize=2)
def _instructor_key(path: str, mtime: float, data: str) -> AnswerKey:
    return compile_key(load_bank(Path(path)), random_salt=False)


def grading_key(bank_file: Path | None = None) -> AnswerKey:
    """The key that scores everything (every exercise as practice), built from the bank."""
    path = Path(bank_file) if bank_file else bank_path()
    if not path.is_file():
        raise BankError(f"{path}: no question bank here; grading needs the instructor's bank (--bank FILE)")
    return _instructor_key(str(path), path.stat().st_mtime, settings.data() or "")


def load_key() -> AnswerKey:
    """The key the widgets use: a release's compiled key if one is present, else the bank's.

    Looked up in ``$BRINK_KEY``, then in the release the student is working in (found from the
    current folder upward, whichever copy of the library is imported), then beside the library.
    """
    override = settings.key()
    here = kit_root()
    candidates = [Path(override)] if override else []
    candidates += ([here / "exercises" / KEY_FILE] if here is not None else []) + [exercises_dir() / KEY_FILE]
    for path in candidates:
        if path.is_file():
            try:
                key = json.loads(path.read_text(encoding="utf-8-sig"))
            except (OSError, ValueError) as e:
                raise BankError(f"{path}: the compiled key cannot be read ({e})") from None
            if not isinstance(key, dict) or key.get("format") != FORMAT:
                raise BankError(f"{path.name}: not a Brink key of this version ({key.get('format') if isinstance(key, dict) else None!r})")
            return cast("AnswerKey", key)   # a key of this format, as compile_key wrote it
    mode = settings.mode()
    if mode:
        return compile_key(mode=mode)
    return grading_key()
