"""Collection names everything; names in any script; numbers; safe writes; answer files with parts missing."""
import csv
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from brink.exercises.errors import CourseworkError
from brink.exercises.grading import grade
from brink.exercises.names import clean_name, submission_filename
from brink.exercises.store import AnswerStore
from brink.exercises.submission import submit


class Ran:
    def __init__(self, code, out, err):
        self.returncode, self.stdout, self.stderr = code, out, err


@pytest.fixture
def brink(capsys, monkeypatch):
    """Run the brink command in this process (as the console script does), in a given folder."""
    from brink.cli import main

    def run(args, cwd=None, env=None):
        if cwd:
            monkeypatch.chdir(cwd)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v) if v is not None else monkeypatch.delenv(k, raising=False)
        code = main(args)
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)
    return run


def sub(name, answers=None, **extra):
    return json.dumps({"format": "brink-submission/1", "name": name,
                       "answers": answers or {"02-rhetoric": {"r02": "a taunt"}}, **extra}, ensure_ascii=False)


def rows(book):
    return list(csv.DictReader(io.StringIO(Path(book).read_text(encoding="utf-8"))))[1:]


def test_folders_archives_case_and_bom_are_all_read_and_everything_else_is_named(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "Moodle" / "Ada Lovelace_123_assignsubmission_file").mkdir(parents=True)
    (inbox / "Moodle" / "Ada Lovelace_123_assignsubmission_file" / "submission.json").write_text(sub("Ada Lovelace"))
    (inbox / "UPPER.JSON").write_text(sub("Bea Upper"), encoding="utf-8")
    (inbox / "sub.json.txt").write_text(sub("Cy Text"), encoding="utf-8")
    (inbox / "bom.json").write_bytes(b"\xef\xbb\xbf" + sub("Di Bom").encode())
    with zipfile.ZipFile(inbox / "canvas.ZIP", "w") as z:
        z.writestr("evans_12345_67890_submission-eve.json", sub("Eve Evans"))
        z.writestr("__MACOSX/._x.json", "junk")
        z.writestr("readme.pdf", "%PDF")
    (inbox / "notes.docx").write_bytes(b"PK")
    (inbox / ".DS_Store").write_bytes(b"\0")
    report = grade([inbox], tmp_path / "book.csv")
    assert sorted(who for _, who in report.read) == ["Ada Lovelace", "Bea Upper", "Cy Text", "Di Bom", "Eve Evans"]
    why = {Path(label.split("!")[-1]).name: reason for label, reason in report.left_out}
    assert why["notes.docx"].startswith("not a submission file") and why["readme.pdf"].startswith("not a submission")
    assert why[".DS_Store"] == "a hidden or system file" and why["._x.json"] == "a hidden or system file"
    assert "canvas.ZIP!evans_12345_67890_submission-eve.json: Eve Evans" in report.text()
    assert len(rows(tmp_path / "book.csv")) == 5


def test_nothing_graded_fails_with_one_line_and_writes_nothing(tmp_path, brink):
    out = brink(["grade", "nope", "-o", "g.csv"], cwd=tmp_path)
    assert out.returncode == 1 and "nothing was graded" in out.stderr and "nope: no such file" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "g.csv").exists()


def test_case_variants_of_a_name_are_one_student(tmp_path):
    (tmp_path / "a.json").write_text(sub("Ada Lovelace", submitted_at="2026-01-01T00:00:00+00:00"))
    (tmp_path / "b.json").write_text(sub("ADA  LOVELACE", {"02-rhetoric": {"r02": "a vow"}},
                                         submitted_at="2026-01-02T00:00:00+00:00"))
    with pytest.raises(CourseworkError) as e:                     # one student, two files: the instructor chooses
        grade([tmp_path], tmp_path / "book.csv")
    assert "ada lovelace: " in str(e.value).casefold() and "a.json" in str(e.value) and "b.json" in str(e.value)
    assert not (tmp_path / "book.csv").exists()
    report = grade([tmp_path], tmp_path / "book.csv", choose=[str(tmp_path / "b.json")])
    got = rows(tmp_path / "book.csv")
    assert len(got) == 1 and got[0]["r02"] == "0"                 # the chosen file counts
    assert "chosen with --choose" in report.text()


@pytest.mark.parametrize("names", [("张伟", "王芳"), ("Łukasz", "Lukasz"), ("محمد", "علی"), ("Ада", "Ида")])
def test_every_name_gets_its_own_file(names, tmp_path):
    files = {submission_filename(n) for n in names}
    assert len(files) == 2 and all(f.startswith("submission-") for f in files)
    for f, n in zip(sorted(files, key=lambda f: [submission_filename(x) for x in names].index(f)), names):
        assert n.casefold() in f                                  # a person can read whose it is
        assert not set(f) & set('<>:"/\\|?*') and len(f.encode("utf-8")) < 255 and f.isprintable()


def test_real_names_are_accepted_and_control_characters_refused():
    assert clean_name("می\u200cخواهم") == "می\u200cخواهم"             # Persian with a zero-width non-joiner
    assert clean_name("क्\u200dष") and clean_name("O’Brien-Núñez") and clean_name("Nguyễn Thị Minh Khai")
    assert clean_name("e\u0301") == "é"                                  # NFC
    for bad in ("Eve\u202e", "Eve\u2066x", "Eve\u0007", "Eve\u0000", "Eve\ufeff"):
        with pytest.raises(CourseworkError, match="control or bidirectional"):
            clean_name(bad)


def test_submit_says_which_answer_files_it_set_aside(tmp_path, brink):
    answers = tmp_path / "brink-answers"
    AnswerStore("02-rhetoric", answers).save("r02", "a taunt", "correct", 1)
    (answers / "01-timeline.json").write_text("{ broken", encoding="utf-8")
    (answers / "03-policy-arguments.json.unreadable-1").write_text("old", encoding="utf-8")
    out = brink(["submit", "--name", "张伟"], cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "01-timeline.json: the answer file cannot be read" in out.stderr
    assert "03-policy-arguments.json.unreadable-1: set aside earlier" in out.stderr
    assert "holds 1 answer(s) from 1 exercise(s): 02-rhetoric" in out.stdout


def test_submit_finds_the_answers_from_the_kit_folder_and_below(tmp_path, brink):
    answers = tmp_path / "exercises" / "brink-answers"
    AnswerStore("02-rhetoric", answers).save("r02", "a taunt", "correct", 1)
    for where in (tmp_path, tmp_path / "exercises", tmp_path / "notebooks"):
        where.mkdir(exist_ok=True)
        out = brink(["submit", "--name", "Ada"], cwd=where, env={"BRINK_ANSWERS": None})
        assert out.returncode == 0 and "02-rhetoric" in out.stdout, (where, out.stderr)



def test_the_key_and_the_answers_are_found_in_one_release_from_a_folder_deep_inside(tmp_path, brink, monkeypatch):
    """One upward search (kit_root) for both: from a folder deep inside a release, the widgets' key lookup and
    `brink submit` find the same release, and the answers submitted are those the exercise notebook saved
    beside itself in exercises/, not an answer folder met on the way up (lesson 06's, in notebooks/)."""
    from brink import kit_root
    from brink.exercises.bank import KEY_FILE, load_key
    from brink.exercises.coursework import assign
    from brink.exercises.submission import find_answers
    release = tmp_path / "release"
    assign(release, mode="assessed")
    for name in ("BRINK_ANSWERS", "BRINK_KEY", "BRINK_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(release / "exercises")
    AnswerStore("02-rhetoric").save("r02", "a taunt", "correct", 1)      # where the notebook saves: beside itself
    (release / "notebooks" / "brink-answers").mkdir()                    # lesson 06's forecasts folder
    deep = release / "notebooks" / "week1" / "notes"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert kit_root() == release.resolve()
    assert load_key() == json.loads((release / "exercises" / KEY_FILE).read_text(encoding="utf-8"))
    assert find_answers() == release.resolve() / "exercises" / "brink-answers"
    out = brink(["submit", "--name", "Ada"], cwd=deep)
    assert out.returncode == 0 and "1 answer(s) from 1 exercise(s): 02-rhetoric" in out.stdout, out.stderr


def test_submit_with_no_answer_folder_says_where_it_looked_in_one_line(tmp_path, brink):
    kit = tmp_path / "kit"
    (kit / "notebooks").mkdir(parents=True)
    (kit / "exercises").mkdir()
    alone = tmp_path / "alone"
    alone.mkdir()
    advice = "; run this in the folder of your exercise notebooks (or the kit's folder), or set BRINK_ANSWERS"
    for where, looked in ((kit / "notebooks", f"no {kit.resolve() / 'exercises' / 'brink-answers'}"),
                          (alone, f"neither {alone.resolve() / 'brink-answers'} nor "
                                  f"{alone.resolve() / 'exercises' / 'brink-answers'}")):
        out = brink(["submit", "--name", "Ada"], cwd=where, env={"BRINK_ANSWERS": None})
        assert out.returncode == 1 and out.stdout == "", out.stdout
        assert out.stderr.splitlines() == [f"brink submit: no answer folder: there is {looked}{advice}"], out.stderr
    assert not list(tmp_path.rglob("submission-*")), "nothing is written"

def test_submission_carries_the_attempt_log_and_hub_login(tmp_path, monkeypatch):
    answers = tmp_path / "brink-answers"
    store = AnswerStore("02-rhetoric", answers)
    store.save("r02", "a vow", "incorrect", 0)
    store.save("r02", "a taunt", "correct", 1)
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    path = submit("Ada", answers, tmp_path / "s.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["login"] == "ada" and [a["response"] for a in data["attempts"]["02-rhetoric"]] == ["a vow", "a taunt"]
    last = tmp_path / "last.csv"
    grade([path], last)
    grade([path], tmp_path / "first.csv", attempt="first")
    assert rows(last)[0]["r02"] == "1" and rows(tmp_path / "first.csv")[0]["r02"] == "0"


def test_answer_file_with_only_format_and_exercise_opens(tmp_path, monkeypatch):
    monkeypatch.setenv("BRINK_ANSWERS", str(tmp_path))
    (tmp_path / "02-rhetoric.json").write_text(json.dumps({"format": "brink-answers/1", "exercise": "02-rhetoric"}))
    from brink.exercises import Exercise
    ex = Exercise("02-rhetoric")
    assert ex.load_problem == "" and ex.score()[2] == 0
    ex.views["r02"].submit("a taunt")
    assert AnswerStore("02-rhetoric", tmp_path).latest() == {"r02": "a taunt"}


def fifo(tmp_path):
    p = tmp_path / "fifo"
    os.mkfifo(p)
    return p


@pytest.mark.parametrize("target, says", [
    (lambda t: "/dev/null", "is a device"),
    (fifo, "is a FIFO"),
    (lambda t: t, "is a folder"),
    (lambda t: "/proc/version/book.csv", "is not a folder"),
])
def test_outputs_go_only_to_regular_files_or_new_paths(tmp_path, target, says, brink):
    (tmp_path / "s.json").write_text(sub("Ada"), encoding="utf-8")
    dest = str(target(tmp_path))
    out = brink(["grade", str(tmp_path / "s.json"), "-o", dest])
    assert out.returncode == 1 and says in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    if dest == "/dev/null":
        assert Path("/dev/null").is_char_device()
    if says == "is a FIFO":
        assert Path(dest).is_fifo()


def test_submit_refuses_a_device_as_output(tmp_path, brink):
    AnswerStore("02-rhetoric", tmp_path / "brink-answers").save("r02", "a taunt", "correct", 1)
    out = brink(["submit", "--name", "Ada", "-o", "/dev/null"], cwd=tmp_path)
    assert out.returncode == 1 and "is a device" in out.stderr and Path("/dev/null").is_char_device()
