"""The class roster: reading an LMS export, and matching each submission to one student on it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..files import read_csv_text
from .errors import CourseworkError, read_csv_file
from .names import clean_name
from .normal import norm
from .origins import Origin

ROSTER_COLUMNS = {
    "name": ("student", "name", "full name", "student name"),
    "first": ("first name", "firstname", "given name"),
    "last": ("last name", "lastname", "surname", "family name"),
    "canvas_id": ("id",),
    "id": ("sis user id", "student id", "student_id", "id number", "idnumber", "student number", "sis id"),
    "login": ("sis login id", "login", "login id", "username", "user", "hub user", "jupyterhub user"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "section": ("section", "sections", "group"),
    "participant": ("identifier", "participant"),       # Moodle's grading worksheet: "Participant 1234"
}


@dataclass
class Student:
    name: str
    id: str = ""
    canvas_id: str = ""
    login: str = ""
    email: str = ""
    section: str = ""
    participant: str = ""

    @property
    def key(self) -> str:
        for v in (self.id, self.login, self.email, self.canvas_id, self.participant):
            if v:
                return "id:" + norm(v)
        return "name:" + norm(self.name)


def read_roster(path: Path) -> list[Student]:
    """Read a roster CSV (a Canvas or Moodle export works as it is).

    Columns are recognised by their header, without regard to case: a name (``Student``,
    ``Name``, or ``First name`` and ``Last name``), and at least one identifier: student
    ID (``SIS User ID``, ``ID number``, ``Student ID``), login (``SIS Login ID``,
    ``Username``, the hub user name) or e-mail. A Canvas "Points Possible" row is skipped.

    Raises:
        CourseworkError: naming the file, the row and the column of the problem.
    """
    path = Path(path)
    text = read_csv_file(path, "the roster")
    first, rows = read_csv_text(text)
    if not first and not rows:
        raise CourseworkError(f"{path}: the roster is empty")
    header = [h.strip().casefold() for h in first]
    cols = {}
    for field_name, names in ROSTER_COLUMNS.items():
        for i, h in enumerate(header):
            if h in names and field_name not in cols:
                cols[field_name] = i
    if "name" not in cols and not ("first" in cols or "last" in cols):
        raise CourseworkError(f"{path}, row 1: no name column (Student, Name, or First name and Last name)")
    if not {"id", "login", "email", "canvas_id", "participant"} & set(cols):
        raise CourseworkError(f"{path}, row 1: no identifier column (student ID, login or e-mail)")
    students: list[Student] = []
    seen: dict[str, int] = {}   # a student's key -> the row it is on
    for r, row in enumerate(rows, start=2):
        if not any(c.strip() for c in row):
            continue
        get = lambda f: row[cols[f]].strip() if f in cols and cols[f] < len(row) else ""  # noqa: B023
        name = get("name") or " ".join(x for x in (get("first"), get("last")) if x)
        if name.casefold().strip() in ("points possible",) or name.strip().startswith("Points Possible"):
            continue
        try:
            s = Student(name=clean_name(name), id=get("id"), canvas_id=get("canvas_id"), login=get("login"),
                        email=get("email"), section=get("section"),
                        participant=get("participant").removeprefix("Participant").strip())
        except CourseworkError as e:
            column = first[cols.get("name", cols.get("first", 0))]
            raise CourseworkError(f"{path}, row {r}, column '{column}': {e}") from None
        if s.key in seen:
            raise CourseworkError(f"{path}, row {r}: the same student as row {seen[s.key]}")
        seen[s.key] = r
        students.append(s)
    return students


def _name_forms(name: str) -> set[str]:
    """A name as written and, for "Last, First", as "First Last"."""
    forms = {norm(name)}
    if "," in name:
        last, _, first = name.partition(",")
        forms.add(norm(f"{first} {last}"))
    return forms


@dataclass
class RosterIndex:
    """Look-ups of a roster: the one student of each identifier, the students of each form of a name."""
    by_id: dict[tuple[str, str], Student] = field(default_factory=dict)   # (kind, normalised value)
    by_name: dict[str, list[Student]] = field(default_factory=dict)


def match(sub: dict, roster: list[Student], index: RosterIndex) -> Student | None:
    """The roster student a submission belongs to: by login, e-mail or ID, else by a unique name."""
    for f in ("login", "email", "id"):
        v = sub.get(f)
        if v and (hit := index.by_id.get(("id", norm(v)))):
            return hit
    hits = {id(s): s for form in _name_forms(sub["name"]) for s in index.by_name.get(form, [])}
    return next(iter(hits.values())) if len(hits) == 1 else None


def match_origin(origin: Origin, index: RosterIndex) -> tuple[Student | None, str]:
    """The roster student a trusted origin names, or (None, why not).

    A hub user is matched to the roster's login (or the part of an e-mail before the @), a
    Canvas user ID to its ``ID`` column, a Moodle participant to the grading worksheet's
    ``Identifier``, or else Moodle's own full name to exactly one roster name.
    """
    hit = index.by_id.get((origin.kind, norm(origin.value)))
    if hit is not None:
        return hit, ""
    if origin.kind == "participant" and origin.name:
        hits = {id(s): s for form in _name_forms(origin.name) for s in index.by_name.get(form, [])}
        if len(hits) == 1:
            return next(iter(hits.values())), ""
        if len(hits) > 1:
            return None, f"Moodle's name {origin.name!r} is on the roster {len(hits)} times (add its Identifier column)"
    column = {"login": "login (hub user)", "canvas_id": "ID", "participant": "Identifier or name"}[origin.kind]
    return None, f"{origin.describe()} is in no roster row's {column} column"


def index_roster(roster: list[Student]) -> RosterIndex:
    """Look-ups for ``match`` and ``match_origin``."""
    return _index(roster)


def _index(roster: list[Student]) -> RosterIndex:
    found = RosterIndex()
    index = found.by_id
    for s in roster:
        for v in (s.id, s.login, s.email, s.canvas_id):
            if v:
                index[("id", norm(v))] = s
                if "@" in v:                               # a login may be the part of an e-mail before the @
                    index.setdefault(("id", norm(v.split("@")[0])), s)
        for form in _name_forms(s.name):
            found.by_name.setdefault(form, []).append(s)
        if s.login:
            index[("login", norm(s.login))] = s
        if s.email and "@" in s.email:
            index.setdefault(("login", norm(s.email.split("@")[0])), s)
        if s.canvas_id:
            index[("canvas_id", norm(s.canvas_id))] = s
        if s.participant:
            index[("participant", norm(s.participant))] = s
    return found


__all__ = ["ROSTER_COLUMNS", "RosterIndex", "Student", "index_roster", "match", "match_origin", "read_roster"]
