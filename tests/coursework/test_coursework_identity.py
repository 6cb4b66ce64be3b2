"""A clever student tries to take over a classmate's grade: by name, login, ID, a far-future time, file times.

The student writes every field of a submission; whose grade it is comes from where the file was
collected (a hub user's folder, the LMS download's file name) and the roster.
"""
import csv
import io
import json
import os
import zipfile

import pytest

from brink.exercises.bank import load_bank
from brink.exercises.errors import CourseworkError
from brink.exercises.grading import grade
from brink.exercises.kinds import KINDS

BANK = load_bank()
AUTO = [q for q in BANK["questions"] if q["exercise"] == "01-timeline" and q["kind"] != "written"]


def answers(right: bool) -> dict:
    return {"01-timeline": {q["id"]: (KINDS[q["kind"]].solution(q) if right else KINDS[q["kind"]].wrong(q))
                            for q in AUTO}}


def submission(name, right, **claims) -> str:
    return json.dumps({"format": "brink-submission/1", "name": name, "answers": answers(right), **claims})


def forged() -> str:
    """Mallory's file, made to look like Alice's in every field a student can write."""
    return submission("Alice Liddell", True, login="alice", id="S1", email="alice@example.edu",
                      submitted_at="9999-12-31T23:59:59+00:00")


def book(path):
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return {r["Student"]: r for r in rows[1:]}


FULL = f"{len(AUTO):g}"


def hub_roster(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Student ID,Login\nAlice Liddell,S1,alice\nMallory Hatter,S2,mallory\n", encoding="utf-8")
    return roster


def test_on_a_hub_a_forged_file_is_graded_as_the_user_it_was_collected_from(tmp_path):
    subs = tmp_path / "submissions"
    (subs / "alice").mkdir(parents=True)
    (subs / "mallory").mkdir()
    (subs / "alice" / "submission-alice-liddell-1.json").write_text(submission("Alice Liddell", False, login="alice"))
    (subs / "mallory" / "submission-alice-liddell-2.json").write_text(forged())
    report = grade([subs], tmp_path / "book.csv", roster=hub_roster(tmp_path), source="hub")
    got = book(tmp_path / "book.csv")
    assert got["Alice Liddell"]["Total"] == "0"                  # her own (wrong) answers, not Mallory's forgery
    assert got["Mallory Hatter"]["Total"] == FULL                # the forgery counts for the one who made it
    assert "claims to be Alice Liddell (alice); graded as Mallory Hatter, the hub user mallory" in report.text()
    # without a roster too: the hub user is the identity
    grade([subs], tmp_path / "plain.csv", source="hub")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "plain.csv").read_text(encoding="utf-8"))))[1:]
    logins = {r["Login"]: r["Total"] for r in rows}
    assert logins == {"alice": "0", "mallory": FULL}


def test_on_a_hub_the_collection_time_orders_one_users_files_not_submitted_at(tmp_path):
    subs = tmp_path / "submissions" / "alice"
    subs.mkdir(parents=True)
    early, late = subs / "a.json", subs / "b.json"
    early.write_text(submission("Alice Liddell", True, submitted_at="9999-01-01T00:00:00+00:00"))
    late.write_text(submission("Alice Liddell", False, submitted_at="2000-01-01T00:00:00+00:00"))
    os.utime(early, (1_700_000_000, 1_700_000_000))
    os.utime(late, (1_700_000_600, 1_700_000_600))
    report = grade([tmp_path / "submissions"], tmp_path / "book.csv", source="hub")
    assert book(tmp_path / "book.csv")["Alice Liddell"]["Total"] == "0"      # the later file as collected
    assert "grading " + str(late) + ", the latest as collected (2023-11-14T22:23:20+00:00)" in report.text()


def test_a_file_outside_any_hub_users_folder_is_named_and_left_out(tmp_path):
    subs = tmp_path / "submissions"
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "s.json").write_text(submission("Alice Liddell", False))
    (subs / "loose.json").write_text(forged())
    report = grade([subs], tmp_path / "book.csv", source="hub")
    assert any(label.endswith("loose.json") and "not in a hub user's folder" in why for label, why in report.left_out)


def test_canvas_ids_in_the_download_names_decide_whose_file_it_is(tmp_path):
    roster = tmp_path / "canvas-export.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section,01 · Timeline exercises (777)\n"
                      "\"Liddell, Alice\",1001,S1,alice,A,\n\"Hatter, Mallory\",1002,S2,mallory,A,\n", encoding="utf-8")
    zpath = tmp_path / "submissions.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr("liddellalice_1001_5001_submission-alice-liddell-1.json", submission("Alice Liddell", False))
        z.writestr("hattermallory_LATE_1002_5002_submission-alice-liddell-2.json", forged())
    report = grade([zpath], tmp_path / "canvas.csv", roster=roster, fmt="canvas", source="canvas",
                   exercises=["01-timeline"])
    rows = list(csv.reader(io.StringIO((tmp_path / "canvas.csv").read_text(encoding="utf-8"))))
    assert rows[0][5] == "01 · Timeline exercises (777)"          # the roster's assignment: a second import updates it
    assert {r[1]: r[5] for r in rows[2:]} == {"1001": "0", "1002": FULL}
    assert "graded as Hatter, Mallory, the Canvas user ID 1002" in report.text()


def test_moodle_download_names_decide_whose_file_it_is(tmp_path):
    roster = tmp_path / "worksheet.csv"
    roster.write_text("Identifier,Full name,Email address\nParticipant 77,Alice Liddell,alice@example.edu\n"
                      "Participant 78,Mallory Hatter,mallory@example.edu\n", encoding="utf-8")
    subs = tmp_path / "moodle"
    (subs / "Alice Liddell_77_assignsubmission_file").mkdir(parents=True)
    (subs / "Mallory Hatter_78_assignsubmission_file").mkdir()
    (subs / "Alice Liddell_77_assignsubmission_file" / "s.json").write_text(submission("Alice Liddell", False))
    (subs / "Mallory Hatter_78_assignsubmission_file" / "s.json").write_text(forged())
    grade([subs], tmp_path / "book.csv", roster=roster, source="moodle")
    got = book(tmp_path / "book.csv")
    assert got["Alice Liddell"]["Total"] == "0" and got["Mallory Hatter"]["Total"] == FULL


def test_files_that_only_claim_a_student_stop_the_run_and_the_instructor_chooses(tmp_path, capsys):
    from brink.cli import main
    subs = tmp_path / "inbox"
    subs.mkdir()
    (subs / "alice.json").write_text(submission("Alice Liddell", False, login="alice"))
    (subs / "zz-forged.json").write_text(forged())
    code = main(["grade", str(subs), "-o", str(tmp_path / "book.csv"), "--roster", str(hub_roster(tmp_path))])
    err = capsys.readouterr().err
    assert code == 1 and not (tmp_path / "book.csv").exists()
    assert "Alice Liddell: " in err and "alice.json" in err and "zz-forged.json" in err and "--choose" in err
    assert "Traceback" not in err
    code = main(["grade", str(subs), "-o", str(tmp_path / "book.csv"), "--roster", str(hub_roster(tmp_path)),
                 "--choose", str(subs / "alice.json")])
    assert code == 0 and book(tmp_path / "book.csv")["Alice Liddell"]["Total"] == "0"


def test_a_source_that_does_not_match_the_files_is_named(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "submission.json").write_text(submission("Alice Liddell", True))
    with pytest.raises(CourseworkError, match="nothing was graded") as e:
        grade([tmp_path / "in"], tmp_path / "book.csv", source="canvas")
    assert "not named as Canvas names a downloaded submission" in str(e.value)
