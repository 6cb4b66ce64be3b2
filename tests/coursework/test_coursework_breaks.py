"""Each break found by attacking grading as a clever student (or a careless spreadsheet) would, attacked again.

Rubric rows, self-reported attempts, outputs over inputs, names that fake report lines, zip bombs,
zips without the UTF-8 flag, killed saves, oversized submissions, and the notebook's submit().
"""
import csv
import io
import json
import os
import signal
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from brink.exercises.bank import load_bank
from brink.exercises.errors import CourseworkError
from brink.exercises.grading import SELF_REPORTED, grade
from brink.exercises.kinds import KINDS
from brink.exercises.store import AnswerStore

BANK = load_bank()
BY_ID = {q["id"]: q for q in BANK["questions"]}
T01 = [q for q in BANK["questions"] if q["exercise"] == "01-timeline"]


def answers(i):
    out = {}
    for q in BANK["questions"]:
        if q["exercise"] in ("01-timeline", "02-rhetoric"):
            kind = KINDS[q["kind"]]
            out.setdefault(q["exercise"], {})[q["id"]] = (f"Essay {i}." if q["kind"] == "written" else kind.solution(q))
    return out


@pytest.fixture
def klass(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    for i in range(3):
        (subs / f"s{i}.json").write_text(json.dumps({"format": "brink-submission/1", "name": f"Student {i}",
                                                     "login": f"u{i}", "answers": answers(i)}), encoding="utf-8")
    grade([subs], tmp_path / "book.csv", written_html=tmp_path / "w.html")
    template = list(csv.DictReader(io.StringIO((tmp_path / "w-scores.csv").read_text(encoding="utf-8"))))
    return subs, template


def write_rows(path, header, rows):
    """Rows as a spreadsheet writes them (a cell with a comma quoted); a cell may hold a raw quote on purpose."""
    def cell(c):
        return f'"{c}"' if "," in c else c
    path.write_text("\n".join([",".join(header)] + [",".join(map(cell, r)) for r in rows]) + "\n", encoding="utf-8")


def codes(template, qid):
    return [r["answer"] for r in template if r["question"] == qid]


def bad_files(template):
    t09, r09 = codes(template, "t09"), codes(template, "r09")
    good = [t09[0], "t09", "1"]
    return {
        "unknown code": (["answer", "question", "score"], [good, ["W00000000", "t09", "1"]],
                         "row 3, column 'answer': no answer 'W00000000'"),
        "code with another question": (["answer", "question", "score"], [good, [r09[0], "t09", "1"]],
                                       f"row 3, column 'question': answer {r09[0]} is an answer to r09, not t09"),
        "a quote left open": (["answer", "question", "score", "comment"],
                              [good + ['"Fine'], [t09[1], "t09", "2", 'ok"'], [t09[2], "t09", "2", "x"]],
                              "row 2, column 'comment': a quote opened here runs over a line break"),
        "a repeated score column": (["answer", "question", "score", "score"], [good + ["2"]],
                                    "row 1, column 'score': the column appears more than once (columns 3, 4)"),
        "above the points": (["answer", "question", "score"], [good, [t09[1], "t09", "7"]],
                             "row 3, column 'score': 7 is outside 0–3"),
        "negative": (["answer", "question", "score"], [good, [t09[1], "t09", "-1"]],
                     "row 3, column 'score': -1 is outside 0–3"),
        "NaN": (["answer", "question", "score"], [good, [t09[1], "t09", "NaN"]],
                "row 3, column 'score': 'NaN': ‘NaN’ is not a number"),
        "a missing column": (["answer", "score"], [[t09[0], "1"]], "row 1: no 'question' column"),
        "a short row": (["answer", "question", "score"], [good, [t09[1], "t09"]],
                        "row 3: 2 cells where the header has 3 columns"),
        "scored twice": (["answer", "question", "score"], [good, good], f"row 3, column 'answer': answer {t09[0]}"),
    }


@pytest.mark.parametrize("case", ["unknown code", "code with another question", "a quote left open",
                                  "a repeated score column", "above the points", "negative", "NaN",
                                  "a missing column", "a short row", "scored twice"])
def test_every_bad_rubric_row_is_one_line_and_nothing_is_merged(case, klass, tmp_path, capsys):
    from brink.cli import main
    subs, template = klass
    header, rows, says = bad_files(template)[case]
    scores = tmp_path / "scores.csv"
    write_rows(scores, header, rows)
    code = main(["grade", str(subs), "-o", str(tmp_path / "merged.csv"), "--rubric-scores", str(scores)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"{scores}, {says}" in err, err
    assert not (tmp_path / "merged.csv").exists()                       # nothing merged, nothing written


def test_a_sound_scores_file_merges(klass, tmp_path):
    subs, template = klass
    scores = tmp_path / "scores.csv"
    write_rows(scores, ["answer", "question", "score", "comment"],
               [[r["answer"], r["question"], "1,5", "good"] for r in template])
    grade([subs], tmp_path / "merged.csv", rubric_scores=scores)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "merged.csv").read_text(encoding="utf-8"))))[1:]
    assert {r["t09"] for r in rows} == {"1.5"} and {r["Written answers unscored"] for r in rows} == {""}


# --- first attempts: self-reported, and a cut log named ---------------------------------------------
def attempt_log(tmp_path):
    """A student who answered every question of 01 wrong first, then right."""
    folder = tmp_path / "answers"
    store = AnswerStore("01-timeline", folder)
    for q in T01:
        if q["kind"] != "written":
            store.save(q["id"], KINDS[q["kind"]].wrong(q), "wrong", 0)
    for q in T01:
        if q["kind"] != "written":
            store.save(q["id"], KINDS[q["kind"]].solution(q), "correct", 1)
    data = store.read()
    return {"format": "brink-submission/1", "name": "Cutter", "answers": {"01-timeline": data["latest"]},
            "attempts": {"01-timeline": data["attempts"]}}


def total(book):
    return list(csv.DictReader(io.StringIO(Path(book).read_text(encoding="utf-8"))))[1:][0]


def test_deleting_wrong_first_attempts_is_named_and_the_gradebook_says_self_reported(tmp_path):
    honest = attempt_log(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "s.json").write_text(json.dumps(honest), encoding="utf-8")
    grade([tmp_path / "in"], tmp_path / "honest.csv", attempt="first", exercises=["01-timeline"])
    assert total(tmp_path / "honest.csv")["Total"] == "0"
    cut = json.loads(json.dumps(honest))
    log = cut["attempts"]["01-timeline"]
    cut["attempts"]["01-timeline"] = log[len(log) // 2:]                # the deletion attack: wrong tries removed
    (tmp_path / "in" / "s.json").write_text(json.dumps(cut), encoding="utf-8")
    report = grade([tmp_path / "in"], tmp_path / "cut.csv", attempt="first", exercises=["01-timeline"])
    row = total(tmp_path / "cut.csv")
    assert float(row["Total"]) > 0                                      # the attack gains points: it cannot be stopped
    assert "Cutter, 01-timeline: the attempt log cannot be true (attempts 1–" in report.text()   # but it is named
    assert row["Attempt counted"].startswith("self-reported; the log cannot be true: 01-timeline")
    assert SELF_REPORTED in report.text()
    # a careful cut that renumbers the log is not detectable; the gradebook still says what attempts are
    for n, a in enumerate(cut["attempts"]["01-timeline"], start=1):
        a["n"] = n
    (tmp_path / "in" / "s.json").write_text(json.dumps(cut), encoding="utf-8")
    report = grade([tmp_path / "in"], tmp_path / "renumbered.csv", attempt="first", exercises=["01-timeline"])
    assert total(tmp_path / "renumbered.csv")["Attempt counted"] == "self-reported"
    assert "cannot be true (" not in report.text() and SELF_REPORTED in report.text()


def test_times_out_of_order_are_named(tmp_path):
    sub = attempt_log(tmp_path)
    sub["attempts"]["01-timeline"][3]["at"] = "1999-01-01T00:00:00+00:00"
    (tmp_path / "s.json").write_text(json.dumps(sub), encoding="utf-8")
    report = grade([tmp_path / "s.json"], tmp_path / "b.csv", attempt="first", exercises=["01-timeline"])
    assert "attempt 4 is earlier than the one before it" in report.text()


# --- outputs never overwrite inputs or each other --------------------------------------------------
def test_an_output_that_is_an_input_or_another_output_is_refused(klass, tmp_path):
    subs, template = klass
    sub = subs / "s0.json"
    before = sub.read_bytes()
    with pytest.raises(CourseworkError, match="would overwrite a submission path given"):
        grade([sub], sub)
    assert sub.read_bytes() == before
    with pytest.raises(CourseworkError, match="named as both the gradebook and the scores file"):
        grade([subs], tmp_path / "w-scores.csv", written_html=tmp_path / "w.html")
    with pytest.raises(CourseworkError, match="named as both the gradebook and the written-answers file"):
        grade([subs], tmp_path / "w.html", written_html=tmp_path / "w.html")
    scores = tmp_path / "w-scores.csv"
    with pytest.raises(CourseworkError, match="would overwrite the rubric scores"):
        grade([subs], tmp_path / "b.csv", written_html=tmp_path / "w.html", rubric_scores=scores)


# --- names that reach the terminal ---------------------------------------------------------------
def sub_json(name="Eve"):
    return json.dumps({"format": "brink-submission/1", "name": name, "answers": {"02-rhetoric": {"r02": "a taunt"}}})


def test_file_names_cannot_fake_report_lines_or_crash_it(tmp_path, capsys):
    from brink.cli import main
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ok.json").write_text(sub_json("Real Student"), encoding="utf-8")
    (inbox / "x\x1b[2J\n  read fake.json: Alice.json").write_text("not json", encoding="utf-8")
    os.close(os.open(os.path.join(os.fsencode(inbox), b"caf\xe9.json"), os.O_CREAT | os.O_WRONLY))
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "hidden.json").write_text(sub_json("Linked"), encoding="utf-8")
    (inbox / "linked-folder").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with zipfile.ZipFile(inbox / "up.zip", "w") as z:
        z.writestr("../../escape.json", sub_json("Escaper"))
    code = main(["grade", str(inbox), "-o", str(tmp_path / "b.csv")])
    out = capsys.readouterr().out
    assert code == 0
    assert "\x1b" not in out and "\\x1b[2J\\n  read fake.json" in out
    assert not any(line.startswith("  read fake.json") for line in out.splitlines())
    assert "caf\\xe9.json: not valid JSON" in out
    out.encode("utf-8")                                                 # printable: no lone surrogates
    assert "linked-folder: a symbolic link to a folder (not followed" in out
    assert "up.zip!../../escape.json: a path that leaves the archive" in out


# --- archives: bombs and names without the UTF-8 flag ------------------------------------------------
def test_a_small_zip_bomb_is_named_and_never_expanded(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for i in range(900):
            z.writestr(f"s{i}.json", b"\0" * 1_000_000)
    assert bomb.stat().st_size < 1_000_000
    (tmp_path / "ok.json").write_text(sub_json("Real"), encoding="utf-8")
    tracemalloc.start()
    report = grade([bomb, tmp_path / "ok.json"], tmp_path / "b.csv")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 60 * 2**20, f"grading held {peak / 2**20:.0f} MB"
    assert any("would expand to 900000000 bytes" in why for _, why in report.left_out)
    assert [who for _, who in report.read] == ["Real"]


def zip_without_utf8_flag(path, names: dict):
    """A zip whose member names are the given raw bytes and whose UTF-8 flag is clear (as built-in zippers write)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, (raw, data) in enumerate(names.items()):
            z.writestr(chr(ord("A") + i) * len(raw), data)
    blob = buf.getvalue()
    for i, raw in enumerate(names):
        blob = blob.replace((chr(ord("A") + i) * len(raw)).encode(), raw)
    path.write_bytes(blob)


def test_zip_member_names_are_decoded_as_the_zipper_meant(tmp_path):
    zpath = tmp_path / "download.zip"
    zip_without_utf8_flag(zpath, {"Zoë Ångström_submission.json".encode("utf-8"): sub_json("Zoë Ångström"),   # macOS
                                  "Zoë Ångström_b.json".encode("cp437"): sub_json("Zoë Two")})              # Windows
    with zipfile.ZipFile(zpath) as z:
        assert all(not (i.flag_bits & 0x800) for i in z.infolist())
    report = grade([zpath], tmp_path / "b.csv")
    labels = sorted(label.split("!")[1] for label, _ in report.read)
    assert labels == ["Zoë Ångström_b.json", "Zoë Ångström_submission.json"]
    assert "├" not in report.text()


# --- saves killed, submissions too big, the notebook's submit() --------------------------------------
def test_a_save_killed_with_sigkill_leaves_no_temporary_copy_after_the_next_save(tmp_path):
    folder = tmp_path / "answers"
    AnswerStore("01-timeline", folder).save("t02", "x" * 100_000, "saved", 0)
    code = ("import os, time, sys\nfrom brink.exercises.store import AnswerStore\n"
            "os.fsync = lambda fd: (print('writing', flush=True), time.sleep(60))\n"
            f"AnswerStore('01-timeline', {str(folder)!r}).save('t03', 'y' * 100_000, 'saved', 0)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    left = list(folder.glob(".01-timeline.json.*.tmp"))
    assert left and left[0].stat().st_size > 100_000                   # what kill -9 leaves
    data = AnswerStore("01-timeline", folder).save("t04", "z", "saved", 0)
    assert not list(folder.glob("*.tmp")) and set(data["latest"]) == {"t02", "t04"}


def test_a_long_essay_with_its_drafts_fits_and_an_oversized_one_is_one_line(tmp_path, monkeypatch, capsys):
    from brink.exercises import submit
    folder = tmp_path / "exercises" / "brink-answers"
    store = AnswerStore("01-timeline", folder)
    essay = ("The strike was reported at one instant and read in two clocks; " * 100)   # ~6,400 characters
    for draft in range(1, 61):                                           # sixty saved drafts, growing
        store.save("t09", essay[: len(essay) * draft // 60], "saved", 0)
    monkeypatch.chdir(tmp_path)
    assert submit("Ada Lovelace", answers_folder=folder) is None
    assert "Hand in the file submission-ada-lovelace-" in capsys.readouterr().out
    assert len(list(tmp_path.glob("submission-ada-lovelace-*.json"))) == 1
    store.save("t09", "z" * 5 * 2**20, "saved", 0)                     # a 5 MB "essay"
    capsys.readouterr()
    submit("Ada Lovelace", answers_folder=folder, out=tmp_path / "big.json")
    out = capsys.readouterr().out
    assert out.startswith("⚠ Not handed in: the submission would be") and "over the limit of 4 MB" in out
    assert "Traceback" not in out and not (tmp_path / "big.json").exists()


def test_submit_in_a_notebook_cell_shows_no_path_object(tmp_path, monkeypatch, capsys):
    from IPython.core.interactiveshell import InteractiveShell
    folder = tmp_path / "brink-answers"
    AnswerStore("02-rhetoric", folder).save("r02", "a taunt", "saved", 0)
    monkeypatch.chdir(tmp_path)
    shell = InteractiveShell.instance()
    try:
        result = shell.run_cell(f"from brink.exercises import submit\nsubmit('Ada Lovelace', answers_folder={str(folder)!r})")
    finally:
        InteractiveShell.clear_instance()
    out = capsys.readouterr().out
    assert result.success and result.result is None
    assert "Hand in the file submission-ada-lovelace-" in out and "PosixPath" not in out and "Out[" not in out


def test_feedback_files_for_names_in_any_script_say_whose_they_are(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Student ID\n张伟,S1\n王芳,S2\nمحمد رضا,S3\n", encoding="utf-8")
    for name in ("张伟", "王芳", "محمد رضا"):
        (tmp_path / f"{name}.json").write_text(sub_json(name), encoding="utf-8")
    grade([tmp_path], tmp_path / "b.csv", roster=roster, feedback_dir=tmp_path / "fb")
    names = sorted(p.name for p in (tmp_path / "fb").iterdir())
    assert {n.rsplit("-", 1)[0] for n in names} == {"feedback-张伟-s1", "feedback-王芳-s2", "feedback-محمد-رضا-s3"}


def test_moodle_is_told_the_maxima_and_canvas_needs_its_ids(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "s.json").write_text(json.dumps({"format": "brink-submission/1", "name": "Ada",
                                                         "email": "ada@example.edu", "answers": answers(0)}))
    roster = tmp_path / "moodle.csv"
    roster.write_text("First name,Last name,Email address\nAda,,ada@example.edu\n", encoding="utf-8")
    report = grade([tmp_path / "in"], tmp_path / "m.csv", roster=roster, fmt="moodle", exercises=["01-timeline"])
    points = sum(float(q["points"]) for q in T01)
    assert f"create one grade item per column with these maxima first, then map each column to it: " \
           f"{BANK['exercises']['01-timeline']['title']}: {points:g}" in report.text()
    with pytest.raises(CourseworkError, match="a Canvas gradebook needs Canvas's ID for every student"):
        grade([tmp_path / "in"], tmp_path / "c.csv", roster=roster, fmt="canvas")


def test_a_release_decides_the_gradebooks_columns(tmp_path):
    from brink.exercises.grading import release_exercises
    release = tmp_path / "release" / "exercises"
    release.mkdir(parents=True)
    (release / "brink-key.json").write_text(json.dumps({"format": "brink-key/2", "exercises": {"02-rhetoric": {}}}))
    assert release_exercises(tmp_path / "release") == ["02-rhetoric"]
    (tmp_path / "s.json").write_text(json.dumps({"format": "brink-submission/1", "name": "Ada", "answers": answers(0)}))
    grade([tmp_path / "s.json"], tmp_path / "b.csv", release=tmp_path / "release")
    header = next(csv.reader(io.StringIO((tmp_path / "b.csv").read_text(encoding="utf-8"))))
    assert BANK["exercises"]["02-rhetoric"]["title"] in header
    assert BANK["exercises"]["01-timeline"]["title"] not in header and "t02" not in header
