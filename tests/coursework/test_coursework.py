"""Assign, submit, grade: the release hides the answers; grading re-checks and survives hostile files."""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from brink.exercises.bank import compile_key, load_bank
from brink.exercises.coursework import assign, secrets_of
from brink.exercises.grading import grade
from brink.exercises.kinds import KINDS
from brink.exercises.names import slug

KIT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    assign(out, force=True)
    return out


def test_release_contains_the_kit_but_no_readable_answer(release):
    assert (release / "exercises" / "brink-key.json").is_file()
    assert not (release / "exercises" / "questions.toml").exists()
    assert (release / "notebooks" / "01-timeline.ipynb").is_file() and (release / "data" / "sources").is_dir()
    secrets = [x for _, x in secrets_of(load_bank())]
    assert len(secrets) > 60
    for path in release.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".ipynb", ".md", ".toml", ".py", ".csv", ".txt", ".yml"):
            text = path.read_text(encoding="utf-8")
            leaks = [s for s in secrets if s in text]
            assert not leaks, f"{path.relative_to(release)} reveals {leaks[:2]}"
            if path.suffix == ".ipynb":
                assert "ex.solution(" not in text, f"{path.relative_to(release)} keeps a solution cell"


def test_release_scan_would_catch_a_leak(release, tmp_path):
    leaked = tmp_path / "leak.ipynb"
    q = next(q for q in load_bank()["questions"] if q["kind"] == "written")
    leaked.write_text(json.dumps({"cells": [{"source": q["model_answer"]}]}), encoding="utf-8")
    assert any(s in leaked.read_text(encoding="utf-8") for _, s in secrets_of(load_bank()))


def test_release_feedback_still_works(release, tmp_path):
    code = ("import brink; assert brink.__file__.startswith(%r), brink.__file__;"
            "from brink.exercises import Exercise; ex = Exercise('02-rhetoric');"
            "r = ex.views['r02'].submit('a taunt'); print(r.status, '|', r.message);"
            "w = ex.views['r02'].submit('a vow'); print(w.status, '|', w.message)") % str(release)
    env = {"PATH": "/usr/bin:/bin", "BRINK_ANSWERS": str(tmp_path), "PYTHONPATH": str(release / "lib")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=release)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "correct | ✓ Correct. Yes: 'Iran’s supreme leader responded with a taunt.'" in out.stdout
    assert "incorrect | ✗ Not yet. The news analysis says Khamenei 'vowed'" in out.stdout


def answers_for(score_right: int):
    """A class member's answers: the first `score_right` auto questions right, the rest wrong."""
    answers, n = {}, 0
    for q in load_bank()["questions"]:
        kind = KINDS[q["kind"]]
        ex = answers.setdefault(q["exercise"], {})
        if q["kind"] == "written":
            ex[q["id"]] = kind.wrong(q)
            continue
        ex[q["id"]] = kind.solution(q) if n < score_right else kind.wrong(q)
        n += 1
    return answers


def test_grading_a_class_of_30_with_5_broken_or_hostile(tmp_path):
    subs = tmp_path / "submissions"
    subs.mkdir()
    for i in range(25):
        data = {"format": "brink-submission/1", "name": f"Student {i:02d}", "answers": answers_for(i)}
        if i == 3:
            data["name"] = "=HYPERLINK(\"http://x\")"            # formula injection, graded but defused
        if i == 4:
            data["name"] = "../../etc/passwd"                     # a path as a name: just text
            data["correct"] = True
            for ex in data["answers"].values():
                for qid in ex:
                    ex[qid] = {"correct": True}                   # claims of correctness are not trusted
        (subs / f"s{i:02d}.json").write_text(json.dumps(data), encoding="utf-8")
    (subs / "bad-json.json").write_text("{ this is not json", encoding="utf-8")
    full = json.dumps({"format": "brink-submission/1", "name": "Trunc", "answers": answers_for(5)})
    (subs / "truncated.json").write_text(full[: len(full) // 2], encoding="utf-8")
    (subs / "huge.json").write_text(json.dumps({"format": "brink-submission/1", "name": "Huge",
                                                "answers": {"x": {"y": "z" * 5_000_000}}}), encoding="utf-8")
    (subs / "not-a-submission.json").write_text(json.dumps({"name": "No format"}), encoding="utf-8")
    (subs / "control-chars.json").write_text(json.dumps({"format": "brink-submission/1", "name": "Eve\u0007\u202e",
                                                         "answers": {}}), encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    book = tmp_path / "gradebook.csv"
    report = grade([subs], book)
    after = sorted(p.name for p in tmp_path.rglob("*"))
    assert sorted(set(after) - set(before)) == ["gradebook.csv"]          # nothing else written
    assert len(report.graded) == 25
    assert sorted(Path(f).name for f, _ in report.skipped) == ["bad-json.json", "control-chars.json", "huge.json",
                                                               "not-a-submission.json", "truncated.json"]
    reasons = {Path(f).name: why for f, why in report.skipped}
    assert "too large" in reasons["huge.json"] and "not valid JSON" in reasons["truncated.json"]
    rows = list(csv.DictReader(book.open(encoding="utf-8")))
    assert rows[0]["Student"] == "Points Possible" and rows[0]["Total"] == f"{sum(q['points'] for q in load_bank()['questions']):g}"
    rows = rows[1:]
    assert len(rows) == 25
    by_name = {r["Student"]: r for r in rows}
    assert by_name["Student 10"]["Total"] == "10" and by_name["Student 24"]["Total"] == "24"
    assert by_name["'=HYPERLINK(\"http://x\")"]["Total"] == "3"
    assert by_name["../../etc/passwd"]["Total"] == "0"
    key = compile_key(load_bank())
    qids = [q["id"] for ex in key["exercises"].values() for q in ex["questions"]]
    titles = [ex["title"] for ex in key["exercises"].values()]
    assert list(rows[0].keys()) == ["Student", "ID", "Email", "Login", *qids, *titles, "Total", "Written answers unscored"]
    assert by_name["Student 24"]["t09"] == ""                               # written: for the instructor
    assert "no rubric score yet" in report.text() and "huge.json: too large" in report.text()


def test_submit_then_grade_through_the_command(tmp_path):
    answers = tmp_path / "exercises" / "brink-answers"
    answers.mkdir(parents=True)
    from brink.exercises.store import AnswerStore
    AnswerStore("02-rhetoric", answers).save("r02", "a taunt", "correct", 1)
    AnswerStore("01-timeline", answers).save("t03", "11", "correct", 1)
    brink = [sys.executable, "-m", "brink.cli"]
    out = subprocess.run(brink + ["submit", "--name", "Ada Lovelace"], cwd=answers.parent, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    sub = next(answers.parent.glob("submission-ada-lovelace-*.json"))
    assert "holds 2 answer(s) from 2 exercise(s)" in out.stdout
    assert json.loads(sub.read_text(encoding="utf-8"))["answers"]["02-rhetoric"] == {"r02": "a taunt"}
    g = subprocess.run(brink + ["grade", str(sub), "-o", str(tmp_path / "book.csv"), "--all-exercises"],
                       capture_output=True, text=True)
    assert g.returncode == 0 and "Graded 1 submission(s); left out 0 file(s)." in g.stdout
    row = list(csv.DictReader((tmp_path / "book.csv").open(encoding="utf-8")))[1]
    assert (row["Student"], row["r02"], row["t03"], row["Total"]) == ("Ada Lovelace", "1", "1", "2")
    assert row["t01"] == "" and row["04 · Source comparison exercises"] == ""     # unanswered: blank, not 0


def test_submit_refuses_a_bad_name(tmp_path):
    out = subprocess.run([sys.executable, "-m", "brink.cli", "submit", "--name", "  "], cwd=tmp_path,
                         capture_output=True, text=True)
    assert out.returncode == 1 and "the name is empty" in out.stderr and "Traceback" not in out.stderr


def test_slug_is_a_safe_file_name():
    assert slug("Ada Lovelace") == "ada-lovelace"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("李小龍") == "student"


def test_assign_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "x").write_text("keep me")
    from brink.exercises.coursework import CourseworkError
    with pytest.raises(CourseworkError, match="not empty"):
        assign(tmp_path)
    assert (tmp_path / "x").read_text() == "keep me"


def test_instructor_guide_exists_and_covers_the_workflow():
    guide = (KIT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    for part in ("brink assign", "brink submit", "brink grade", "rubric", "--mode assessed", "--roster",
                 "--format canvas", "--format moodle", "--written-html", "--rubric-scores", "--feedback",
                 "can recover", "public"):
        assert part in guide


def test_submit_leaves_out_an_unreadable_file_and_says_so(tmp_path):
    answers = tmp_path / "brink-answers"
    answers.mkdir()
    from brink.exercises.store import AnswerStore
    AnswerStore("02-rhetoric", answers).save("r02", "a taunt", "correct", 1)
    (answers / "01-timeline.json").write_text("{ broken", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "brink.cli", "submit", "--name", "Ada"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert out.returncode == 0 and "left out:" in out.stderr and "01-timeline.json" in out.stderr
    data = json.loads(next(tmp_path.glob("submission-ada-*.json")).read_text(encoding="utf-8"))
    assert list(data["answers"]) == ["02-rhetoric"]
    assert (answers / "01-timeline.json").read_text(encoding="utf-8") == "{ broken"   # untouched


def test_assign_refuses_a_folder_inside_the_kit_even_with_force():
    from brink.exercises.coursework import CourseworkError
    with pytest.raises(CourseworkError, match="inside the kit"):
        assign(KIT / "release", force=True)
    assert not (KIT / "release").exists()


def test_a_release_is_a_complete_kit_for_students(release):
    readme = (release / "README.md").read_text(encoding="utf-8")
    # issue 20: install steps that work from a stock Python, in a venv, on Linux, macOS and Windows
    for step in ("python3 -m venv .venv", '.venv/bin/python -m pip install ".[lab]"', ".venv/bin/python -m brink lab",
                 "py -m venv .venv", '.venv\\Scripts\\python -m pip install ".[lab]"', ".venv\\Scripts\\python -m brink lab",
                 "from brink.exercises import submit", "brink submit --name"):
        assert step in readme
    assert "\npython -m pip install" not in readme        # never pip outside the venv
    for instructor_only in ("make test", "questions.toml", "tests/", "brink grade", "brink assign", ".venv/bin/brink"):
        assert instructor_only not in readme
    assert "brink-answers/" in (release / ".gitignore").read_text() and "submission-*" in (release / ".gitignore").read_text()
    assert "-m brink lab" in (release / "Makefile").read_text()
    assert (release / "pyproject.toml").is_file() and (release / "lib" / "brink").is_dir()
    assert not (release / "tests").exists()
    # of docs/, only what the lessons link for students: the primer and its map (no guide, no instructor notes)
    assert sorted(p.relative_to(release).as_posix() for p in (release / "docs").rglob("*") if p.is_file()) == \
        ["docs/img/places-map.svg", "docs/primer.md"]
    for nb in (release / "exercises").glob("*.ipynb"):
        data = json.loads(nb.read_text(encoding="utf-8"))
        assert set(data["metadata"]) <= {"kernelspec", "language_info"}
        assert all(not c.get("outputs") for c in data["cells"]), f"{nb.name} keeps outputs"
        assert ".venv/bin" not in nb.read_text(encoding="utf-8")


def test_assign_refuses_a_release_that_would_reveal_an_answer(tmp_path, monkeypatch):
    from brink.exercises import coursework
    from brink.exercises.coursework import CourseworkError
    original = coursework._write_release

    def leaky(out, bank, key, chosen, modes):
        original(out, bank, key, chosen, modes)
        q = next(q for q in bank["questions"] if q["kind"] == "written")
        (out / "notebooks" / "notes.md").write_text(f"Remember: {q['model_answer']}", encoding="utf-8")
    monkeypatch.setattr(coursework, "_write_release", leaky)
    with pytest.raises(CourseworkError, match=r"refused: .*notebooks/notes.md: the answer to t09"):
        assign(tmp_path / "out", mode="assessed")
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == []


def test_assign_strips_what_an_instructor_ran_into_the_notebooks(tmp_path):
    out = tmp_path / "r"
    assign(out, mode="practice", exercises=["02-rhetoric"])
    assert sorted(p.name for p in (out / "exercises").iterdir()) == ["02-rhetoric-exercises.ipynb", "brink-key.json"]
    key = json.loads((out / "exercises" / "brink-key.json").read_text(encoding="utf-8"))
    assert list(key["exercises"]) == ["02-rhetoric"]
    lesson = json.loads((out / "notebooks" / "01-timeline.ipynb").read_text(encoding="utf-8"))
    assert set(lesson["metadata"]) <= {"kernelspec", "language_info"}


def test_assign_from_an_installed_wheel_says_it_needs_the_kit_folder(tmp_path, monkeypatch):
    from brink import _paths
    from brink.exercises.coursework import CourseworkError
    monkeypatch.setattr(_paths, "KIT_ROOT", tmp_path / "site-packages")
    with pytest.raises(CourseworkError, match="is not a kit folder"):
        assign(tmp_path / "out")
    assert not (tmp_path / "out").exists()
