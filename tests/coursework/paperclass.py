"""A class of 30 on per-student papers, through the kit's own paths (shared by the class and attack tests).

The instructor writes a roster, issues the codes with ``brink papers`` and makes a release with
``brink assign --papers``. Each student opens their exercise notebooks (the ``Exercise`` widgets,
reading the release's key), types the paper code they were given into the box, answers with
the controls and the Check/Save button (the widget saves the answer as it always does), and
runs ``submit()``. The instructor collects one folder per hub user, or a Canvas zip download,
and runs ``brink grade --from ...``.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import zipfile
from contextlib import contextmanager
from itertools import permutations, product
from pathlib import Path

from brink.exercises.bank import grading_key, load_bank
from brink.exercises.checking import check
from brink.exercises.store import AnswerStore
from brink.exercises.submission import submit
from brink.exercises.variants import arrange, keep_paper, pick, read_paper

N = 30
BANK = load_bank()
EXERCISES = list(BANK["exercises"])
CHOICE = ("single", "evidence")          # one option is right: "always the first option" has a chance of 1/n
SECRET_TEXT = "f3a9c0d1e2b4a6978877665544332211aabbccddeeff00112233445566778899"


def student(i: int) -> dict:
    return {"name": f"Student {i:02d}", "canvas_id": str(7000 + i), "sis": f"S{i:04d}", "login": f"user{i:02d}"}


def write_roster(path: Path) -> Path:
    """A Canvas gradebook export of the class (it is also the roster the codes are issued from)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"])
        w.writerow(["    Points Possible", "", "", "", ""])
        for i in range(N):
            s = student(i)
            w.writerow([s["name"], s["canvas_id"], s["sis"], s["login"], "A"])
    return path


def read_codes(path: Path) -> dict:
    """{login: paper code} from the codes file ``brink papers -o`` wrote."""
    return {r["Login"]: r["Paper code"] for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))}


@contextmanager
def env(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: str(v) for k, v in values.items()})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def brink(*args: str) -> str:
    """Run one ``brink`` command in this process, as the instructor types it; its printed output."""
    import contextlib

    from brink.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    assert code == 0 and "Traceback" not in err.getvalue(), (args, err.getvalue())
    return out.getvalue()


class Class:
    """The instructor's folder: roster, secret, codes and the releases."""

    def __init__(self, root: Path):
        self.root = root
        self.roster = write_roster(root / "roster.csv")
        self.secret = root / "instructor" / "paper-secret"
        self.secret.parent.mkdir()
        self.secret.write_text(SECRET_TEXT + "\n", encoding="ascii")
        self.secret.chmod(0o600)
        with env(BRINK_PAPER_SECRET=self.secret):
            brink("papers", "--roster", self.roster, "-o", root / "codes.csv")
        self.codes = read_codes(root / "codes.csv")
        self.releases: dict = {}

    def release(self, mode: str) -> Path:
        if mode not in self.releases:
            out = self.root / f"release-{mode}"
            with env(BRINK_PAPER_SECRET=self.secret):
                brink("assign", out, "--papers", "--mode", mode)
            self.releases[mode] = out
        return self.releases[mode]

    def grade(self, inputs, source: str, out_name: str, *extra, mode: str = "assessed") -> tuple[dict, str]:
        """``brink grade --from SOURCE --release R`` with the roster, as the guide grades.

        Returns {login: {question: score or None}} (the plain gradebook) and what it printed.
        """
        out = self.root / out_name
        with env(BRINK_PAPER_SECRET=self.secret):
            printed = brink("grade", *inputs, "--from", source, "--roster", self.roster, "--release",
                            self.release(mode), "-o", out, *extra)
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))[1:]
        qids = [q["id"] for q in BANK["questions"]]
        return ({r["Login"]: {q: (float(r[q]) if r[q] != "" else None) for q in qids} for r in rows}, printed)


_SHARED: list = []


def shared_class(tmp_path_factory) -> Class:
    """One class (and its releases) for every test module of the session that asks: releases take a while to write."""
    if not _SHARED:
        _SHARED.append(Class(tmp_path_factory.mktemp("class")))
    return _SHARED[0]


def open_exercise(release: Path, ex: str, folder: Path, code: str | None):
    """The student's notebook: the Exercise widgets over the release's key.

    The first notebook asks for the code: the student types it into the box and presses the
    button. The others find it kept in the answer folder (their box shows it).
    """
    from brink.exercises.widgets import Exercise
    with env(BRINK_KEY=release / "exercises" / "brink-key.json"):
        exercise = Exercise(ex, folder)
    if code is not None and not exercise.paper:
        assert not exercise.views                     # no question is drawn before the code is given
        exercise.paper_box.value = code
        exercise.paper_button.click()
    return exercise


_KEYS: dict = {}


def release_key(release: Path) -> dict:
    path = release / "exercises" / "brink-key.json"
    if path not in _KEYS:
        _KEYS[path] = json.loads(path.read_text(encoding="utf-8"))
    return _KEYS[path]


def paper_of(release: Path, ex: str, folder: Path, code: str | None) -> tuple[AnswerStore, list[dict]]:
    """What ``Exercise`` does without drawing widgets: keep the code typed, draw the paper from it.

    ``test_class_sim`` shows, student by student, that this gives the very entries (variant and
    order) the widgets show and the same saved answers.
    """
    key = release_key(release)
    if code is not None and not read_paper(folder):
        keep_paper(folder, code)
    paper = read_paper(folder)
    return AnswerStore(ex, folder), [arrange(q, paper, key.get("order_salt", "")) for q in key["exercises"][ex]["questions"]]


def as_read(entry: dict, response):
    """A response as the question's controls hand it back (the ticked boxes in the order shown)."""
    if entry["kind"] == "multiple" and isinstance(response, list):
        return [o for o in entry["options"] if o in response]
    return response


def save(store: AnswerStore, entry: dict, response) -> None:
    """What a question's Check (or Save) button does with a response: check it, and keep it with its result."""
    response = as_read(entry, response)
    result = check(entry, response)
    if result.status != "empty":
        store.save(entry["id"], response, result.status, result.score)


def do_homework(release: Path, home: Path, i: int, code: str | None, choose, widgets: bool = False,
                hand_in: bool = True) -> dict:
    """Student i answers every exercise in their home with ``choose(entry) -> response or None``.

    ``entry`` is the question as the student's notebook shows it (their variant, their order).
    With ``widgets``, through the notebook's own widgets (slow); else as ``paper_of``/``save``.
    Returns {question: entry shown}; with ``hand_in``, runs ``submit()`` into the home.
    """
    folder = home / "brink-answers"
    folder.mkdir(parents=True, exist_ok=True)
    shown = {}
    for ex in EXERCISES:
        if widgets:
            exercise = open_exercise(release, ex, folder, code)
            assert exercise.views, f"{ex}: no question drawn for code {code!r}"
            for view in exercise.views.values():
                shown[view.entry["id"]] = view.entry
                if view.kind in CHOICE:
                    assert list(view.radio.options) == view.entry["options"]
                response = choose(view.entry)
                if response is not None:
                    view.set_response(response)
                    view.button.click()
        else:
            store, entries = paper_of(release, ex, folder, code)
            for entry in entries:
                shown[entry["id"]] = entry
                response = choose(entry)
                if response is not None:
                    save(store, entry, response)
    if hand_in:
        s = student(i)
        submit(s["name"], answers_folder=folder, login=s["login"], out=home / f"submission-{s['login']}.json")
    return shown


def collect_hub(homes: Path, dest: Path) -> Path:
    """The guide's hub collection: each home's submission files into ``dest/<hub user>/``."""
    for home in sorted(homes.iterdir()):
        (dest / home.name).mkdir(parents=True)
        for f in home.glob("submission-*.json"):
            shutil.copy2(f, dest / home.name / f.name)
    return dest


def collect_canvas(homes: Path, zpath: Path) -> Path:
    """Canvas's "Download Submissions": one zip, each file named ``<name>_<user ID>_<attachment ID>_<file>``."""
    with zipfile.ZipFile(zpath, "w") as z:
        for n, home in enumerate(sorted(homes.iterdir())):
            i = int(home.name.removeprefix("user"))
            for f in home.glob("submission-*.json"):
                z.write(f, f"student{i:02d}_{student(i)['canvas_id']}_{50000 + n}_{f.name}")
    return zpath


# --- chance --------------------------------------------------------------------------------
def poisson_binomial(ps: list[float]) -> list[float]:
    """P(exactly k successes) of independent trials with success chances ``ps`` (exact, by convolution)."""
    dist = [1.0]
    for p in ps:
        nxt = [0.0] * (len(dist) + 1)
        for k, d in enumerate(dist):
            nxt[k] += d * (1 - p)
            nxt[k + 1] += d * p
        dist = nxt
    return dist


def interval(ps: list[float], level: float = 0.99) -> tuple[int, int]:
    """The central ``level`` interval [lo, hi] of a Poisson-binomial count: P(count < lo), P(count > hi) ≤ (1-level)/2."""
    dist, tail = poisson_binomial(ps), (1 - level) / 2
    acc, lo = 0.0, 0
    while acc + dist[lo] <= tail:
        acc += dist[lo]
        lo += 1
    acc, hi = 0.0, len(dist) - 1
    while acc + dist[hi] <= tail:
        acc += dist[hi]
        hi -= 1
    return lo, hi


def hoeffding(points: list[float], level: float = 0.99) -> float:
    """How far above its mean a sum of independent scores in [0, points_i] goes with chance ≤ 1 - level."""
    return math.sqrt(math.log(1 / (1 - level)) * sum(p * p for p in points) / 2)


KEY = grading_key()
ENTRIES = {q["id"]: q for ex in KEY["exercises"].values() for q in ex["questions"]}


def guess_mean(qid: str, code: str) -> float:
    """The mean score of a uniformly random answer to the paper's variant of a question, by the real checker.

    Every response the controls allow is tried once: one option; any non-empty set of options;
    every order of the items; every one-to-one match. A numeric or written question has no finite
    set of guesses; its chance is taken as 0 (so a copied number that scores counts against the bound).
    """
    entry = pick(ENTRIES[qid], code)
    kind = entry["kind"]
    if kind in CHOICE:
        tries = list(entry["options"])
    elif kind == "multiple":
        opts = entry["options"]
        tries = [[o for o, keep in zip(opts, mask) if keep] for mask in product([0, 1], repeat=len(opts)) if any(mask)]
    elif kind == "ordering":
        tries = [list(p) for p in permutations(entry["items"])]
    elif kind == "matching":
        tries = [dict(zip(entry["left"], p)) for p in permutations(entry["right"], len(entry["left"]))]
    else:
        return 0.0
    return sum(check(entry, t, words=False).score for t in tries) / len(tries)


def submission(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
