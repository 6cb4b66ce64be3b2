"""A clever student attacks the per-student papers: other codes, edited files, a classmate's file, the release.

Each attack is made the way a student could make it: in their own notebook (the code box),
in their own files (the answer folder, the submission), or by reading everything the release
holds. Each must fail visibly: the attacker's auto-scored answers earn 0 and ``brink grade``
names them, while the honest classmates keep their scores.
"""
import base64
import hashlib
import json
import re
import secrets
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from brink.exercises.bank import pool_of
from brink.exercises.coursework import secrets_of
from brink.exercises.kinds import KINDS
from brink.exercises.variants import SHUFFLED, canonical, paper_code, variant_index, variant_of
from paperclass import (
    BANK,
    EXERCISES,
    SECRET_TEXT,
    brink,
    collect_canvas,
    collect_hub,
    do_homework,
    env,
    interval,
    shared_class,
    student,
    submission,
)

QUESTIONS = {q["id"]: q for q in BANK["questions"]}
AUTO = [q["id"] for q in BANK["questions"] if q["kind"] != "written"]
FULL = sum(float(QUESTIONS[q]["points"]) for q in AUTO)
POOLED = [q for q in QUESTIONS if len(pool_of(QUESTIONS[q])) > 1]


def searchable(qids, draws=2000) -> list[str]:
    """The first pooled questions whose pools multiply to at most ``draws``: the ones a search of 20,000 tries
    can force to their first variant all at once (with every question pooled, 3**18 draws are too many)."""
    out, n = [], 1
    for q in qids:
        if n * len(pool_of(QUESTIONS[q])) <= draws:
            out.append(q)
            n *= len(pool_of(QUESTIONS[q]))
    return out


EASY = searchable(POOLED)


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    return shared_class(tmp_path_factory)


def right_on(code):
    """Answer every auto-scored question right for the paper ``code`` (the bank's variant for that code)."""
    def choose(entry):
        if entry["kind"] == "written":
            return "An essay."
        return KINDS[entry["kind"]].solution(variant_of(QUESTIONS[entry["id"]], code))
    return choose


def login(i):
    return student(i)["login"]


def auto_total(scores, who) -> float:
    return sum(scores[who][q] or 0.0 for q in AUTO)


def honest(klass, homes, i):
    """Student i answers their own paper right and hands in."""
    do_homework(klass.release("assessed"), homes / login(i), i, klass.codes[login(i)], right_on(klass.codes[login(i)]))


def graded(klass, tmp_path, homes, source="hub"):
    inputs = ([collect_hub(homes, tmp_path / "submissions")] if source == "hub"
              else [collect_canvas(homes, tmp_path / "submissions.zip")])
    return klass.grade(inputs, source, f"book-{source}.csv")


def forfeited(printed, i, code_shown=None) -> bool:
    """The grader named student i as scored against no paper."""
    said = f"the paper code {code_shown!r}" if code_shown else "no paper code"
    return f"{student(i)['name']}: {said}, not the code issued to them; their auto-scored answers earn nothing" in printed


def test_an_honest_student_scores_their_own_paper(klass, tmp_path):
    homes = tmp_path / "home"
    honest(klass, homes, 0)
    scores, printed = graded(klass, tmp_path, homes)
    assert auto_total(scores, login(0)) == FULL and "not the code issued" not in printed


@pytest.mark.parametrize("source", ["hub", "canvas"])
def test_typing_a_classmates_code_earns_nothing(klass, tmp_path, source):
    """Mallory (1) types Alice's (0) code and answers Alice's paper right: Alice's answers would all fit."""
    homes, alice = tmp_path / "home", klass.codes[login(0)]
    honest(klass, homes, 0)
    do_homework(klass.release("assessed"), homes / login(1), 1, alice, right_on(alice))
    assert submission(homes / login(1) / f"submission-{login(1)}.json")["paper"] == alice
    scores, printed = graded(klass, tmp_path, homes, source)
    assert auto_total(scores, login(0)) == FULL
    assert auto_total(scores, login(1)) == 0 and forfeited(printed, 1, alice)


def test_a_made_up_code_of_the_right_shape_earns_nothing(klass, tmp_path):
    homes = tmp_path / "home"
    made_up = "-".join(base64.b32encode(secrets.token_bytes(10)).decode()[i:i + 4] for i in range(0, 16, 4))
    do_homework(klass.release("assessed"), homes / login(2), 2, made_up, right_on(made_up))
    scores, printed = graded(klass, tmp_path, homes)
    assert auto_total(scores, login(2)) == 0 and forfeited(printed, 2, made_up)


def easy_code(qids, tries=20000) -> str:
    """A code of the right shape whose paper draws the first variant of every question in ``qids``.

    The draw is public (SHA-256 of the code and the question), so a student can search for one.
    """
    for n in range(tries):
        raw = base64.b32encode(hashlib.sha256(f"try{n}".encode()).digest()[:10]).decode()
        code = "-".join(raw[i:i + 4] for i in range(0, 16, 4))
        if all(variant_index(code, q, len(pool_of(QUESTIONS[q]))) == 0 for q in qids):
            return code
    raise AssertionError("no easy code found")


def test_choosing_a_code_that_draws_the_easy_variants_earns_nothing(klass, tmp_path):
    homes = tmp_path / "home"
    assert len(EASY) >= 6, EASY                                  # enough questions forced for the attack to mean much
    easy = easy_code(EASY)
    assert all(variant_of(QUESTIONS[q], easy) is pool_of(QUESTIONS[q])[0] for q in EASY)
    do_homework(klass.release("assessed"), homes / login(3), 3, easy, right_on(easy))
    scores, printed = graded(klass, tmp_path, homes)
    assert auto_total(scores, login(3)) == 0 and forfeited(printed, 3, easy)


def test_a_students_own_code_cannot_be_made_without_the_secret(klass):
    """What a student can know (their identity, the release's key and salts) does not make their code."""
    key = json.loads((klass.release("assessed") / "exercises" / "brink-key.json").read_text(encoding="utf-8"))
    mine, guesses = klass.codes[login(4)], [b"", b"secret", b"brink", key["order_salt"].encode()]
    for identity in (f"id:{student(4)['sis'].lower()}", f"id:{login(4)}", student(4)["name"]):
        assert all(paper_code(g, identity) != mine for g in guesses)
    assert paper_code(SECRET_TEXT.encode(), "id:" + student(4)["sis"].lower()) == mine      # the secret does


@pytest.mark.parametrize("edit", ["a classmate's code", "a made-up code", "no code", "a number", "a list",
                                  "escape codes"])
def test_editing_the_paper_field_of_a_saved_submission_earns_nothing(klass, tmp_path, edit):
    """Eve (5) answers her own paper, then edits her submission's ``paper``: no edit may pass, or crash grading."""
    homes = tmp_path / "home"
    honest(klass, homes, 5)
    path = homes / login(5) / f"submission-{login(5)}.json"
    data = submission(path)
    assert data["paper"] == klass.codes[login(5)]
    value = {"a classmate's code": klass.codes[login(0)], "a made-up code": "ABCD-EFGH-JKLM-NPQR", "no code": None,
             "a number": 1234, "a list": [klass.codes[login(5)]], "escape codes": "\x1b[2J\nGraded: ok"}[edit]
    if value is None:
        del data["paper"]
    else:
        data["paper"] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    scores, printed = graded(klass, tmp_path, homes)
    assert auto_total(scores, login(5)) == 0
    assert f"{student(5)['name']}: " in printed and "not the code issued to them" in printed
    assert "\x1b" not in printed and "\nGraded: ok" not in printed


def test_a_lone_submission_without_its_code_is_named_even_without_the_release(klass, tmp_path):
    """Graded alone (a late hand-in) with no --release or --secret, a deleted code cannot pass unnoticed."""
    homes = tmp_path / "home"
    honest(klass, homes, 5)
    path = homes / login(5) / f"submission-{login(5)}.json"
    data = submission(path)
    del data["paper"]
    path.write_text(json.dumps(data), encoding="utf-8")
    printed = brink("grade", collect_hub(homes, tmp_path / "submissions"), "--from", "hub", "--roster", klass.roster,
                    "--all-exercises", "-o", tmp_path / "book.csv")
    assert "no submission carries a paper code: every answer is scored against each question's first variant" in printed
    assert "if the release asked for paper codes, name it with --release, or give --secret" in printed


@pytest.mark.parametrize("source", ["hub", "canvas"])
def test_handing_in_a_classmates_whole_submission_earns_nothing(klass, tmp_path, source):
    """Mallory (1) hands in Alice's (0) submission as her own: as it is, and with her own name written in."""
    homes = tmp_path / "home"
    honest(klass, homes, 0)
    alice = homes / login(0) / f"submission-{login(0)}.json"
    (homes / login(1)).mkdir(parents=True)
    shutil.copy2(alice, homes / login(1) / f"submission-{login(1)}.json")
    data = submission(alice)
    data.update(name=student(6)["name"], login=login(6))          # Trudy (6) puts her own name on it
    (homes / login(6)).mkdir(parents=True)
    (homes / login(6) / f"submission-{login(6)}.json").write_text(json.dumps(data), encoding="utf-8")
    scores, printed = graded(klass, tmp_path, homes, source)
    assert auto_total(scores, login(0)) == FULL
    assert auto_total(scores, login(1)) == 0 and forfeited(printed, 1, klass.codes[login(0)])
    assert auto_total(scores, login(6)) == 0 and forfeited(printed, 6, klass.codes[login(0)])


def test_the_code_typed_into_the_notebook_is_checked_for_shape_only(klass, tmp_path):
    """The notebook cannot tell a forged code from a real one (it holds no secret): a typing slip is refused."""
    from paperclass import open_exercise
    folder = tmp_path / "brink-answers"
    folder.mkdir()
    exercise = open_exercise(klass.release("assessed"), "01-timeline", folder, None)
    exercise.paper_box.value = "ABCD-EFGH-JKLM-NPQ1"                  # 1 is not a base32 digit
    exercise.paper_button.click()
    assert "is not a paper code" in exercise.paper_note.value and not exercise.views
    exercise.paper_box.value = "abcd efgh jklm npqr"
    exercise.paper_button.click()
    assert exercise.paper == "ABCD-EFGH-JKLM-NPQR" and exercise.views


# --- reading the release -------------------------------------------------------------------------
def release_texts(release: Path, wheel: Path):
    """Every file of the release, and every member of its wheel, as text: (name, text)."""
    for path in sorted(release.rglob("*")):
        if path.is_file():
            yield str(path.relative_to(release)), path.read_bytes().decode("utf-8", "replace")
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            yield f"{wheel.name}!{name}", z.read(name).decode("utf-8", "replace")


def widget_state(klass, tmp_path) -> str:
    """What a student's saved notebooks store as widget state: every widget their notebooks made, after answering.

    The student answers each question wrongly, so any answer found in the state came from the kit.
    """
    from ipywidgets.widgets.widget import _instances

    from paperclass import open_exercise
    code = klass.codes[login(7)]
    folder = tmp_path / "state" / "brink-answers"
    folder.mkdir(parents=True)
    before = set(_instances)
    for ex in EXERCISES:
        exercise = open_exercise(klass.release("assessed"), ex, folder, code)
        for view in exercise.views.values():
            view.set_response(KINDS[view.kind].wrong(variant_of(QUESTIONS[view.entry["id"]], code)))
            view.button.click()
    made = [w for k, w in list(_instances.items()) if k not in before]
    assert len(made) > 100
    return json.dumps([w.get_state() for w in made], ensure_ascii=False, default=str)


@pytest.fixture(scope="module")
def wheel(klass, tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    release = klass.release("assessed")
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(release)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (built,) = out.glob("brink-*.whl")
    return built


def test_the_release_its_wheel_and_a_students_widget_state_hold_no_secret_no_code_and_no_key(klass, tmp_path,
                                                                                               wheel):
    release = klass.release("assessed")
    codes = set(klass.codes.values())
    # every string from which an answer of any variant could be read (prompts and options aside)
    keys = secrets_of(BANK, modes={ex: "assessed" for ex in EXERCISES})
    assert len({qid for qid, _ in keys}) >= 30 and len(keys) > len(BANK["questions"])
    leaks = []
    texts = list(release_texts(release, wheel)) + [("widget state", widget_state(klass, tmp_path))]
    assert any(name.endswith("brink-key.json") for name, _ in texts) and len(texts) > 100
    for name, text in texts:
        if SECRET_TEXT in text or SECRET_TEXT[:16] in text:
            leaks.append(f"{name}: the instructor secret")
        if name != "widget state":                  # (a student's own notebook shows the code they typed)
            leaks += [f"{name}: the paper code {c}" for c in codes if c in text or c.replace("-", "") in text]
        leaks += [f"{name}: the key of {qid}" for qid, s in keys if s in text]
    assert not leaks, leaks[:10]


def test_the_releases_key_file_stores_options_in_an_order_that_tells_nothing(klass):
    """The key file lists each variant's options, items and matches; their stored order must not point at the answer.

    The bank puts the right option first in 19 of its 22 one-answer variants, and sorted by text
    it would still be first in 14 (how the sentences were written): a key that kept either order
    would hand the answers to anyone who opens brink-key.json, whatever order the notebook shows.
    The stored first option must be right no more often than chance allows (the exact 99 %
    interval of ``test_class_sim``), and so for the matches lined up side by side.
    """
    key = json.loads((klass.release("assessed") / "exercises" / "brink-key.json").read_text(encoding="utf-8"))
    first, ps, aligned, qs = 0, [], 0, []
    for ex in key["exercises"].values():
        for entry in ex["questions"]:
            stored = entry.get("variants") or [entry]
            for n, v in enumerate(stored):
                bank_v = pool_of(QUESTIONS[entry["id"]])[n]
                for field in SHUFFLED:
                    if field in v:
                        assert v[field] == canonical(bank_v[field]), (entry["id"], n, field)
                if bank_v["kind"] in ("single", "evidence"):
                    ps.append(1 / len(v["options"]))
                    first += v["options"][0] == bank_v["answer"]
                if bank_v["kind"] == "matching":
                    qs += [1 / len(v["right"])] * len(v["left"])
                    aligned += sum(bank_v["answer"].get(lft) == r for lft, r in zip(v["left"], v["right"]))
    assert len(ps) >= 20
    assert interval(ps)[0] <= first <= interval(ps)[1], f"the stored first option is right in {first} of {len(ps)}"
    assert aligned <= interval(qs)[1], f"{aligned} of {len(qs)} stored matches line up with the answer"


def test_the_secret_is_the_instructors_alone(tmp_path):
    """``brink papers`` creates the secret readable by its owner only, and refuses one others can read."""
    secret = tmp_path / "cfg" / "paper-secret"
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Student ID\nAda Lovelace,S1\n", encoding="utf-8")
    with env(BRINK_PAPER_SECRET=secret):
        brink("papers", "--roster", roster, "-o", tmp_path / "codes.csv")
        assert secret.stat().st_mode & 0o777 == 0o600 and len(secret.read_text().strip()) == 64
        first = (tmp_path / "codes.csv").read_text(encoding="utf-8")
        brink("papers", "--roster", roster, "-o", tmp_path / "again.csv")
        assert (tmp_path / "again.csv").read_text(encoding="utf-8") == first      # the same secret, the same codes
        secret.chmod(0o644)
        from brink.cli import main
        assert main(["papers", "--roster", str(roster), "-o", str(tmp_path / "third.csv")]) != 0
    assert not (tmp_path / "third.csv").exists()
    assert re.search(r"S1,,,[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", first)
